/*
 * cli/cmd_recs.c: 'dhr recs': run extraction and segmentation on PDFs and
 * print the recommendations found (number, pages, section, stated agency,
 * wrapped text), or with --json the documents in scan.json's shape.
 */
#include <cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "dhr/common.h"
#include "dhr/extract.h"
#include "dhr/segment.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dhr recs [--json] [--ocr auto|off|force] [--password PW] FILE.pdf...\n"
		"\n"
		"Print the recommendations that dhr finds in each report: the stages\n"
		"'extract' and 'segment' of a scan, without classification. A report states\n"
		"a recommendation up to three times (executive summary, recommendations\n"
		"chapter, action plan); each is listed once, with every page it is on.\n"
		"\n"
		"For each recommendation:\n"
		"  number       as printed (\"6.2\", \"R3\", \"10.3b\"), or '-' if unnumbered\n"
		"  pages        1-based pages of every copy\n"
		"  section      where the kept wording comes from: recommendations,\n"
		"               single_agency, executive_summary or action_plan\n"
		"  agency       the lead agency as the report states it (an action-plan\n"
		"               cell, an agency sub-heading, or the subject of the sentence)\n"
		"  scope        local, regional or national, from an action plan's Scope column\n"
		"A report with no recommendations section gives an empty list and a warning.\n"
		"\n"
		"options:\n"
		"  --json          print {\"documents\": [...]} as in scan.json: path, sha256,\n"
		"                  status (\"ok\"/\"error\"), error {code, message}, pages,\n"
		"                  warnings, recommendations [{id, number, text, pages,\n"
		"                  section, agency_text, scope, ocr}], ocr {engine, pages\n"
		"                  [{page, confidence}]} when pages were read by OCR\n"
		"  --ocr MODE      read pages by OCR (Tesseract): auto (default) pages with\n"
		"                  images but no text layer; off never; force every page\n"
		"  --password PW   password for encrypted PDFs\n"
		"  --help, -h      show this help\n"
		"\n"
		"exit status: 0 every file read; 1 some files failed (each is reported on\n"
		"stderr as 'dhr: FILE: reason' and, with --json, as status \"error\");\n"
		"2 usage error.\n"
		"\n"
		"examples:\n"
		"  dhr recs corpus/reports/dhr-01-petersford-2011.pdf\n"
		"  dhr recs --json reports/*.pdf | jq '.documents[] | {path, n: (.recommendations | length)}'\n");
}

/* Print `text` wrapped at `width` columns, every line indented by `indent` spaces. */
static void print_wrapped(const char *text, int indent, int width)
{
	int col = 0;
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		int len = (int)(e - p);
		if (col > 0 && col + 1 + len > width) {
			fputc('\n', stdout);
			col = 0;
		}
		if (col == 0)
			printf("%*s", indent, "");
		else
			fputc(' ', stdout);
		fwrite(p, 1, (size_t)len, stdout);
		col += (col ? 1 : 0) + len + (col == 0 ? indent : 0);
		p = e;
	}
	if (col > 0)
		fputc('\n', stdout);
}

static void print_pages(const dhr_rec *r)
{
	for (size_t k = 0; k < r->n_pages; k++)
		printf("%s%d", k ? ", " : "", r->pages[k]);
}

/* 1 if any of the recommendation's pages was read by OCR. */
static int rec_from_ocr(const dhr_rec *r, const dhr_doc *doc)
{
	for (size_t p = 0; p < r->n_pages; p++)
		if (r->pages[p] >= 1 && (size_t)r->pages[p] <= doc->n_pages && doc->pages[r->pages[p] - 1].ocr)
			return 1;
	return 0;
}

static void print_text(const char *path, const dhr_doc *doc, const dhr_recs *recs)
{
	size_t n_ocr = 0;
	for (size_t p = 0; p < doc->n_pages; p++)
		n_ocr += doc->pages[p].ocr != 0;
	printf("%s: %zu page%s", path, doc->n_pages, doc->n_pages == 1 ? "" : "s");
	if (n_ocr)
		printf(" (%zu read by OCR)", n_ocr);
	printf(", %zu recommendation%s\n", recs->n, recs->n == 1 ? "" : "s");
	for (size_t w = 0; w < doc->n_warnings; w++)
		printf("  warning: %s\n", doc->warnings[w]);
	if (recs->warning)
		printf("  warning: %s\n", recs->warning);
	for (size_t i = 0; i < recs->n; i++) {
		const dhr_rec *r = &recs->items[i];
		printf("\n  [%s] %s  (p. ", r->id, r->number ? r->number : "-");
		print_pages(r);
		printf("; %s%s)\n", r->section, rec_from_ocr(r, doc) ? "; OCR" : "");
		if (r->agency_text || r->scope)
			printf("      agency: %s%s%s\n", r->agency_text ? r->agency_text : "-",
			       r->scope ? "   scope: " : "", r->scope ? r->scope : "");
		print_wrapped(r->text, 6, 78);
	}
	printf("\n");
}

static cJSON *str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *recs_json(const dhr_recs *recs, const dhr_doc *doc)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < recs->n; i++) {
		const dhr_rec *r = &recs->items[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", r->id);
		cJSON_AddItemToObject(o, "number", str_or_null(r->number));
		cJSON_AddStringToObject(o, "text", r->text);
		cJSON *pages = cJSON_AddArrayToObject(o, "pages");
		for (size_t k = 0; k < r->n_pages; k++)
			cJSON_AddItemToArray(pages, cJSON_CreateNumber(r->pages[k]));
		cJSON_AddStringToObject(o, "section", r->section);
		cJSON_AddItemToObject(o, "agency_text", str_or_null(r->agency_text));
		cJSON_AddItemToObject(o, "scope", str_or_null(r->scope));
		if (rec_from_ocr(r, doc))
			cJSON_AddTrueToObject(o, "ocr");
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* The extractor's messages name the file already; add it when they do not. */
static void report_error(const char *path, const dhr_error *err)
{
	size_t n = strlen(path);
	if (strncmp(err->message, path, n) == 0 && err->message[n] == ':')
		dhr_cli_errorf("%s", err->message);
	else
		dhr_cli_errorf("%s: %s", path, err->message[0] ? err->message : dhr_status_code(err->code));
}

int dhr_cmd_recs(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'j'},
		{"password", required_argument, NULL, 'p'},
		{"ocr", required_argument, NULL, 'O'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int json = 0, opt;
	dhr_extract_opts xo = {0};
	xo.ocr = DHR_OCR_AUTO;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":jp:hO:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = 1;
			break;
		case 'p':
			xo.password = optarg;
			break;
		case 'O':
			if ((xo.ocr = dhr_ocr_mode_parse(optarg)) < 0) {
				dhr_cli_errorf("recs: --ocr takes auto, off or force, not '%s'", optarg);
				return DHR_EXIT_FATAL;
			}
			break;
		case 'h':
			usage(stdout);
			return DHR_EXIT_OK;
		case ':':
			dhr_cli_errorf("recs: option '%s' needs a value (try 'dhr recs --help')", argv[optind - 1]);
			return DHR_EXIT_FATAL;
		default:
			dhr_cli_errorf("recs: unknown option '%s' (try 'dhr recs --help')", argv[optind - 1]);
			return DHR_EXIT_FATAL;
		}
	}
	if (optind >= argc) {
		dhr_cli_errorf("recs: which PDFs? give one or more FILE.pdf (try 'dhr recs --help')");
		return DHR_EXIT_FATAL;
	}

	int failed = 0;
	cJSON *root = json ? cJSON_CreateObject() : NULL;
	cJSON *docs = root ? cJSON_AddArrayToObject(root, "documents") : NULL;
	if (json && !docs) {
		dhr_cli_errorf("recs: out of memory");
		cJSON_Delete(root);
		return DHR_EXIT_FATAL;
	}
	for (int a = optind; a < argc; a++) {
		const char *path = argv[a];
		dhr_doc *doc = NULL;
		dhr_recs *recs = NULL;
		dhr_error err;
		dhr_error_clear(&err);
		int rc = dhr_extract_file(&doc, path, &xo, &err);
		if (rc == 0)
			rc = dhr_segment(&recs, doc, &err);
		if (rc < 0) {
			failed = 1;
			report_error(path, &err);
		}
		if (json) {
			cJSON *d = cJSON_CreateObject();
			cJSON_AddStringToObject(d, "path", path);
			cJSON_AddItemToObject(d, "sha256", str_or_null(doc && doc->sha256[0] ? doc->sha256 : NULL));
			cJSON_AddStringToObject(d, "status", rc < 0 ? "error" : "ok");
			if (rc < 0) {
				cJSON *e = cJSON_AddObjectToObject(d, "error");
				cJSON_AddStringToObject(e, "code", dhr_status_code(rc));
				cJSON_AddStringToObject(e, "message", err.message);
			} else {
				cJSON_AddNullToObject(d, "error");
			}
			cJSON_AddItemToObject(d, "title", str_or_null(doc && doc->title && *doc->title ? doc->title : NULL));
			if (doc)
				cJSON_AddNumberToObject(d, "pages", (double)doc->n_pages);
			else
				cJSON_AddNullToObject(d, "pages");
			cJSON *warnings = cJSON_AddArrayToObject(d, "warnings");
			for (size_t w = 0; doc && w < doc->n_warnings; w++)
				cJSON_AddItemToArray(warnings, cJSON_CreateString(doc->warnings[w]));
			if (recs && recs->warning)
				cJSON_AddItemToArray(warnings, cJSON_CreateString(recs->warning));
			if (doc && doc->ocr_engine) {
				cJSON *o = cJSON_AddObjectToObject(d, "ocr");
				cJSON_AddStringToObject(o, "engine", doc->ocr_engine);
				cJSON *pages = cJSON_AddArrayToObject(o, "pages");
				for (size_t p = 0; p < doc->n_pages; p++) {
					if (!doc->pages[p].ocr)
						continue;
					cJSON *po = cJSON_CreateObject();
					cJSON_AddNumberToObject(po, "page", doc->pages[p].number);
					cJSON_AddNumberToObject(po, "confidence", doc->pages[p].ocr_confidence);
					cJSON_AddItemToArray(pages, po);
				}
			}
			cJSON_AddItemToObject(d, "recommendations", recs ? recs_json(recs, doc) : cJSON_CreateArray());
			cJSON_AddItemToArray(docs, d);
		} else if (rc == 0) {
			print_text(path, doc, recs);
		}
		dhr_recs_free(recs);
		dhr_doc_free(doc);
	}
	dhr_ocr_end();
	int rc = failed ? DHR_EXIT_PARTIAL : DHR_EXIT_OK;
	if (json) {
		char *s = cJSON_Print(root);
		if (!s) {
			dhr_cli_errorf("recs: out of memory");
			rc = DHR_EXIT_FATAL;
		} else {
			fputs(s, stdout);
			fputc('\n', stdout);
			cJSON_free(s);
		}
		cJSON_Delete(root);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		dhr_cli_errorf("recs: cannot write the output");
		rc = DHR_EXIT_FATAL;
	}
	return rc;
}
