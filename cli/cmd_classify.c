/*
 * cli/cmd_classify.c: 'dhr classify'. Reads recommendations from stdin, one a
 * line (a spreadsheet column pasted in; an optional tab and the stated lead
 * agency), and streams one result line per input line: readable text, or
 * JSON Lines with the evidence (which rule, which words, where).
 */
#include "commands.h"
#include "dhr/common.h"
#include "dhr/rules.h"

#include <cJSON.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void classify_usage(FILE *f)
{
	fputs("usage: dhr classify [-r RULES] [--json]\n"
	      "\n"
	      "Classify recommendations read from stdin, one a line, into themes and the lead agency.\n"
	      "A line may carry the stated lead agency after a tab (\"TEXT<TAB>AGENCY\"), as when two\n"
	      "spreadsheet columns are pasted; the agency facet reads it before the text.\n"
	      "\n"
	      "options:\n"
	      "  -r, --rules FILE  rules to use (default: the built-in rules; see 'dhr rules print'); or a\n"
	      "                    built-in set by name: default, homeoffice, combined\n"
	      "  --json            one JSON object per input line, in order:\n"
	      "                    {\"text\",\"themes\",\"agency\",\"evidence\":[{\"label\",\"rule\",\"match\",\"start\",\"end\"}]}\n"
	      "                    (start/end: byte offsets of the match in the text, or in agency_text\n"
	      "                    when the evidence says \"field\":\"agency_text\")\n"
	      "  -h, --help        this help\n"
	      "\n"
	      "Without --json each line reads: THEMES  AGENCY  | TEXT  (THEMES comma-separated, - if none).\n"
	      "\n"
	      "example:\n"
	      "  echo 'The Constabulary should deliver DASH risk assessment training to all officers.' |\n"
	      "    dhr classify\n"
	      "  risk_assessment,training  police  | The Constabulary should deliver DASH risk ...\n"
	      "\n"
	      "exit status: 0 done; 2 usage, rules or I/O error (rules errors are printed as FILE:LINE:COL)\n",
	      f);
}

typedef struct warn_ctx {
	int errors;
} warn_ctx;

static void print_diag(const dhr_diag *d, void *payload)
{
	warn_ctx *w = payload;
	if (d->level == DHR_DIAG_ERROR)
		w->errors++;
	dhr_diag_print(stderr, d);
}

/* The JSON key of a facet: "theme" is written "themes", as in scan.json. */
static const char *facet_key(const dhr_facet_info *fi)
{
	return strcmp(fi->name, "theme") == 0 ? "themes" : fi->name;
}

static cJSON *result_json(const dhr_rules *r, const dhr_result *res, const char *text, const char *agency_text)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "text", text);
	if (agency_text)
		cJSON_AddStringToObject(o, "agency_text", agency_text);
	for (size_t f = 0; f < dhr_rules_facet_count(r); f++) {
		const dhr_facet_info *fi = dhr_rules_facet(r, f);
		if (fi->scope != DHR_SCOPE_RECOMMENDATION)
			continue;
		if (fi->single) {
			const char *id = dhr_result_single(res, f);
			if (id)
				cJSON_AddStringToObject(o, facet_key(fi), id);
			else
				cJSON_AddNullToObject(o, facet_key(fi));
		} else {
			cJSON *a = cJSON_AddArrayToObject(o, facet_key(fi));
			for (size_t i = 0; a && i < dhr_result_label_count(res, f); i++)
				cJSON_AddItemToArray(
				    a, cJSON_CreateString(dhr_rules_label(r, dhr_result_label_at(res, f, i))->id));
		}
	}
	cJSON *ev = cJSON_AddArrayToObject(o, "evidence");
	for (size_t i = 0; ev && i < dhr_result_evidence_count(res); i++) {
		const dhr_evidence *e = dhr_result_evidence(res, i);
		cJSON *x = cJSON_CreateObject();
		if (!x)
			break;
		cJSON_AddStringToObject(x, "label", e->label_id);
		cJSON_AddStringToObject(x, "facet", dhr_rules_facet(r, dhr_rules_label(r, e->label)->facet)->name);
		cJSON_AddStringToObject(x, "rule", e->rule);
		cJSON_AddStringToObject(x, "match", e->match);
		/* integers as raw text: cJSON's double formatting is the slowest part of a line */
		char num[32];
		snprintf(num, sizeof num, "%zu", e->start);
		cJSON_AddRawToObject(x, "start", num);
		snprintf(num, sizeof num, "%zu", e->end);
		cJSON_AddRawToObject(x, "end", num);
		if (e->field == DHR_FIELD_AGENCY_TEXT)
			cJSON_AddStringToObject(x, "field", "agency_text");
		cJSON_AddItemToArray(ev, x);
	}
	return o;
}

static void print_readable(FILE *out, const dhr_rules *r, const dhr_result *res, const char *text)
{
	int first_facet = 1;
	for (size_t f = 0; f < dhr_rules_facet_count(r); f++) {
		const dhr_facet_info *fi = dhr_rules_facet(r, f);
		if (fi->scope != DHR_SCOPE_RECOMMENDATION)
			continue;
		if (!first_facet)
			fputs("  ", out);
		first_facet = 0;
		size_t n = dhr_result_label_count(res, f);
		if (n == 0)
			fputc('-', out);
		for (size_t i = 0; i < n; i++) {
			if (i)
				fputc(',', out);
			fputs(dhr_rules_label(r, dhr_result_label_at(res, f, i))->id, out);
		}
	}
	fprintf(out, "  | %s\n", text);
}

int dhr_cmd_classify(int argc, char **argv)
{
	const char *rules_path = NULL;
	int json = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			classify_usage(stdout);
			return DHR_EXIT_OK;
		} else if ((strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--rules") == 0) && i + 1 < argc) {
			rules_path = argv[++i];
		} else if (strncmp(argv[i], "--rules=", 8) == 0) {
			rules_path = argv[i] + 8;
		} else if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else {
			dhr_cli_errorf("classify: unexpected argument '%s' (try 'dhr classify --help')", argv[i]);
			return DHR_EXIT_FATAL;
		}
	}
	int status = DHR_EXIT_OK;
	dhr_rules *rules = NULL;
	dhr_classifier *c = NULL;
	dhr_result *res = NULL;
	char *line = NULL;
	size_t cap = 0;
	warn_ctx w = {0};
	if (dhr_cli_load_rules(&rules, rules_path, print_diag, &w) < 0) {
		status = DHR_EXIT_FATAL;
		goto cleanup;
	}
	res = dhr_result_new();
	if (!res || dhr_classifier_new(&c, rules, print_diag, &w) < 0) {
		dhr_cli_errorf("out of memory");
		status = DHR_EXIT_FATAL;
		goto cleanup;
	}
	/* a big buffer: 100,000 lines should cost 100,000 classifications, not 100,000 writes;
	 * but someone typing at a terminal sees each answer at once */
	static char outbuf[1 << 16];
	setvbuf(stdout, outbuf, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, sizeof outbuf);
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		/* JSON must be valid UTF-8: repair the line first, and classify what is printed */
		char *valid = g_utf8_validate(line, n, NULL) ? NULL : g_utf8_make_valid(line, n);
		char *text = valid ? valid : line;
		char *agency = NULL;
		char *tab = strchr(text, '\t');
		if (tab) {
			*tab = '\0';
			agency = tab + 1;
		}
		if (dhr_classify_rec(res, c, text, agency) < 0) {
			g_free(valid);
			dhr_cli_errorf("out of memory");
			status = DHR_EXIT_FATAL;
			goto cleanup;
		}
		if (json) {
			cJSON *o = result_json(rules, res, text, agency);
			char *s = o ? cJSON_PrintUnformatted(o) : NULL;
			cJSON_Delete(o);
			if (!s) {
				g_free(valid);
				dhr_cli_errorf("out of memory");
				status = DHR_EXIT_FATAL;
				goto cleanup;
			}
			fputs(s, stdout);
			fputc('\n', stdout);
			cJSON_free(s);
		} else {
			print_readable(stdout, rules, res, text);
		}
		g_free(valid);
	}
	if (ferror(stdin)) {
		dhr_cli_errorf("classify: error reading stdin");
		status = DHR_EXIT_FATAL;
	}
	if (fflush(stdout) != 0) {
		dhr_cli_errorf("classify: error writing stdout");
		status = DHR_EXIT_FATAL;
	}
cleanup:
	free(line);
	dhr_result_free(res);
	dhr_classifier_free(c);
	dhr_rules_free(rules);
	return status;
}
