/*
 * cli/cmd_extract.c: 'dhr extract': run the extraction stage on one PDF and
 * print its normalised body text (pages separated by form feeds) or, with
 * --json, every page and line with geometry, typography and flags.
 */
#include <cJSON.h>
#include <getopt.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "dhr/common.h"
#include "dhr/extract.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dhr extract [--json] [--ocr auto|off|force] [--password PW] [--verbose] [-j N] FILE.pdf\n"
		"\n"
		"Print the text that dhr reads from a PDF, after the extraction stage:\n"
		"lines in reading order (two-column pages column by column), Unicode\n"
		"normalised (NFKC: ligatures, no-break spaces), words broken at line ends\n"
		"joined again, and running headers, footers and page numbers left out.\n"
		"Pages are separated by form feeds (\\f). Footnote markers glued to words\n"
		"are removed; table rows keep their cells separated by tabs.\n"
		"\n"
		"options:\n"
		"  --json           print JSON instead: metadata, outline, and per page every\n"
		"                   line with its position (points from the top-left), font\n"
		"                   size, bold, flags (\"furniture\": \"header\"/\"footer\",\n"
		"                   \"footnote\", \"para_start\", \"footnote_marks\") and table\n"
		"                   \"cells\" with their x positions; pages read by OCR have\n"
		"                   \"ocr\": true and \"ocr_confidence\" (0-100); \"warnings\"\n"
		"  --ocr MODE       read pages by OCR (Tesseract): auto (default) pages with\n"
		"                   images but no text layer; off never (such a document is\n"
		"                   no_text); force every page, text layer or not\n"
		"  --password PW    password of an encrypted PDF (owner or user password)\n"
		"  --verbose, -v    let Poppler's and GLib's warnings through to stderr\n"
		"  --threads N, -j N  threads sharing the pages of a long PDF (default: one\n"
		"                   per CPU, up to 8; 1 = no threads)\n"
		"  --help, -h       show this help\n"
		"\n"
		"exit status: 0 on success; 1 if the PDF cannot be used (the message says\n"
		"why: io, not_pdf, corrupt, encrypted, no_text, ocr_unavailable); 2 on usage\n"
		"errors.\n"
		"\n"
		"examples:\n"
		"  dhr extract report.pdf | less\n"
		"  dhr extract --json report.pdf | jq '.pages[].lines[] | select(.cells)'\n"
		"  dhr extract --password secret locked.pdf\n");
}

static cJSON *str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *line_json(const dhr_line *l)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "text", l->text);
	cJSON_AddNumberToObject(o, "x", l->x);
	cJSON_AddNumberToObject(o, "y", l->y);
	cJSON_AddNumberToObject(o, "width", l->width);
	cJSON_AddNumberToObject(o, "height", l->height);
	cJSON_AddNumberToObject(o, "font_size", l->font_size);
	cJSON_AddBoolToObject(o, "bold", (l->flags & DHR_LINE_BOLD) != 0);
	if (l->flags & DHR_LINE_ITALIC)
		cJSON_AddTrueToObject(o, "italic");
	if (l->column)
		cJSON_AddNumberToObject(o, "column", l->column);
	if (l->flags & DHR_LINE_HEADER)
		cJSON_AddStringToObject(o, "furniture", "header");
	else if (l->flags & DHR_LINE_FOOTER)
		cJSON_AddStringToObject(o, "furniture", "footer");
	if (l->flags & DHR_LINE_FOOTNOTE)
		cJSON_AddTrueToObject(o, "footnote");
	if (l->flags & DHR_LINE_PARA_START)
		cJSON_AddTrueToObject(o, "para_start");
	if (l->footnote_marks)
		cJSON_AddStringToObject(o, "footnote_marks", l->footnote_marks);
	if (l->n_cells) {
		cJSON *cells = cJSON_AddArrayToObject(o, "cells");
		for (size_t c = 0; c < l->n_cells; c++) {
			cJSON *cell = cJSON_CreateObject();
			cJSON_AddStringToObject(cell, "text", l->cells[c].text);
			cJSON_AddNumberToObject(cell, "x", l->cells[c].x);
			cJSON_AddNumberToObject(cell, "width", l->cells[c].width);
			cJSON_AddItemToArray(cells, cell);
		}
	}
	return o;
}

static cJSON *doc_json(const dhr_doc *doc)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "path", doc->path ? doc->path : "");
	cJSON_AddStringToObject(root, "sha256", doc->sha256);
	cJSON_AddItemToObject(root, "title", str_or_null(doc->title));
	cJSON_AddItemToObject(root, "author", str_or_null(doc->author));
	cJSON_AddItemToObject(root, "producer", str_or_null(doc->producer));
	cJSON_AddItemToObject(root, "creator", str_or_null(doc->creator));
	cJSON_AddItemToObject(root, "created", str_or_null(doc->created));
	cJSON_AddNumberToObject(root, "body_font_size", doc->body_font_size);
	cJSON_AddItemToObject(root, "ocr_engine", str_or_null(doc->ocr_engine));
	cJSON *warnings = cJSON_AddArrayToObject(root, "warnings");
	for (size_t i = 0; i < doc->n_warnings; i++)
		cJSON_AddItemToArray(warnings, cJSON_CreateString(doc->warnings[i]));
	cJSON *outline = cJSON_AddArrayToObject(root, "outline");
	for (size_t i = 0; i < doc->n_outline; i++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "title", doc->outline[i].title);
		cJSON_AddNumberToObject(e, "level", doc->outline[i].level);
		cJSON_AddNumberToObject(e, "page", doc->outline[i].page);
		cJSON_AddItemToArray(outline, e);
	}
	cJSON *pages = cJSON_AddArrayToObject(root, "pages");
	for (size_t p = 0; p < doc->n_pages; p++) {
		const dhr_page *page = &doc->pages[p];
		cJSON *po = cJSON_CreateObject();
		cJSON_AddNumberToObject(po, "number", page->number);
		cJSON_AddNumberToObject(po, "width", page->width);
		cJSON_AddNumberToObject(po, "height", page->height);
		if (page->image_only)
			cJSON_AddTrueToObject(po, "image_only");
		if (page->ocr) {
			cJSON_AddTrueToObject(po, "ocr");
			cJSON_AddNumberToObject(po, "ocr_confidence", page->ocr_confidence);
		}
		cJSON *lines = cJSON_AddArrayToObject(po, "lines");
		for (size_t l = 0; l < page->n_lines; l++)
			cJSON_AddItemToArray(lines, line_json(&page->lines[l]));
		cJSON_AddItemToArray(pages, po);
	}
	return root;
}

int dhr_cmd_extract(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'J'},
		{"password", required_argument, NULL, 'p'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"threads", required_argument, NULL, 'j'},
		{"ocr", required_argument, NULL, 'O'},
		{NULL, 0, NULL, 0},
	};
	int json = 0, opt;
	dhr_extract_opts opts = {0};
	optind = 1;
	opterr = 0;
	opts.threads = (int)g_get_num_processors();
	opts.ocr = DHR_OCR_AUTO;
	while ((opt = getopt_long(argc, argv, ":Jp:vhj:O:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'J':
			json = 1;
			break;
		case 'j': {
			char *end = NULL;
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 1 || v > 64) {
				dhr_cli_errorf("extract: --threads wants a number from 1 to 64, not '%s'", optarg);
				return DHR_EXIT_FATAL;
			}
			opts.threads = (int)v;
			break;
		}
		case 'O':
			if ((opts.ocr = dhr_ocr_mode_parse(optarg)) < 0) {
				dhr_cli_errorf("extract: --ocr takes auto, off or force, not '%s'", optarg);
				return DHR_EXIT_FATAL;
			}
			break;
		case 'p':
			opts.password = optarg;
			break;
		case 'v':
			opts.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return DHR_EXIT_OK;
		case ':':
			dhr_cli_errorf("extract: option '%s' needs a value (try 'dhr extract --help')", argv[optind - 1]);
			return DHR_EXIT_FATAL;
		default:
			dhr_cli_errorf("extract: unknown option '%s' (try 'dhr extract --help')", argv[optind - 1]);
			return DHR_EXIT_FATAL;
		}
	}
	if (optind != argc - 1) {
		dhr_cli_errorf("extract: %s (try 'dhr extract --help')",
			       optind >= argc ? "which PDF? give one FILE.pdf" : "give exactly one FILE.pdf");
		return DHR_EXIT_FATAL;
	}
	const char *path = argv[optind];

	dhr_doc *doc = NULL;
	dhr_error err = {0};
	if (dhr_extract_file(&doc, path, &opts, &err) < 0) {
		dhr_cli_errorf("%s", err.message);
		dhr_ocr_end();
		return DHR_EXIT_PARTIAL;
	}
	for (size_t i = 0; i < doc->n_warnings; i++)
		fprintf(stderr, "dhr: warning: %s: %s\n", path, doc->warnings[i]);
	int rc = DHR_EXIT_OK;
	if (json) {
		cJSON *root = doc_json(doc);
		char *s = root ? cJSON_Print(root) : NULL;
		if (!s) {
			dhr_cli_errorf("%s: out of memory", path);
			rc = DHR_EXIT_FATAL;
		} else {
			fputs(s, stdout);
			fputc('\n', stdout);
			cJSON_free(s);
		}
		cJSON_Delete(root);
	} else {
		char *text = dhr_doc_text(doc);
		if (!text) {
			dhr_cli_errorf("%s: out of memory", path);
			rc = DHR_EXIT_FATAL;
		} else {
			fputs(text, stdout);
			fputc('\n', stdout);
			free(text);
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		dhr_cli_errorf("%s: cannot write the output", path);
		rc = DHR_EXIT_FATAL;
	}
	dhr_doc_free(doc);
	dhr_ocr_end();
	return rc;
}
