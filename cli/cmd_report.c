/*
 * cli/cmd_report.c: 'dhr report SCAN.json [-o FILE]': rewrites the HTML
 * report (and optionally prints the summary table) from a finished scan,
 * through the same output functions `dhr scan` uses.
 */
#include "commands.h"
#include "dhr/common.h"
#include "dhr/output.h"
#include "dhr/util.h"

#include <cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void report_usage(FILE *f)
{
	fputs("usage: dhr report SCAN.json [-o FILE] [--summary]\n"
	      "\n"
	      "Write the HTML report of a finished scan: one self-contained file with the\n"
	      "charts, the tables and every recommendation, that opens offline in any browser\n"
	      "and can be sent by e-mail as it is. 'dhr scan -o OUT' already writes\n"
	      "OUT/report.html; use 'dhr report' to make it again from OUT/scan.json, for\n"
	      "example after moving the folder or updating dhr.\n"
	      "\n"
	      "options:\n"
	      "  -o, --output FILE  where to write it (default: report.html beside SCAN.json;\n"
	      "                     '-' writes to standard output)\n"
	      "  -s, --summary      also print the summary table to standard output: themes\n"
	      "                     with their share of all recommendations, split homicide /\n"
	      "                     suicide, lead agencies, and failed documents with reasons\n"
	      "  -h, --help         show this help\n"
	      "\n"
	      "what the report shows:\n"
	      "  headline figures   documents, failed documents and why, recommendations, the\n"
	      "                     rules used (source and SHA-256) and when the scan was made\n"
	      "  themes             recommendations per theme and their share of all of them,\n"
	      "                     split homicide / suicide (a homicide-suicide counts with\n"
	      "                     the homicides); the pathways group as an outlined total\n"
	      "  agencies           recommendations per lead agency, and an agency x theme\n"
	      "                     heat map\n"
	      "  documents          a sortable table: title, case type, pages, recommendations,\n"
	      "                     themes\n"
	      "  recommendations    every one, filterable by theme, agency, document and words,\n"
	      "                     with the words each rule matched highlighted and numbered;\n"
	      "                     the numbers lead to the rule (file:line) that matched, so\n"
	      "                     any count can be checked back to its sentences\n"
	      "\n"
	      "Counts come from the documents in SCAN.json; a recommendation with two themes\n"
	      "counts once in each, so theme shares add up to more than 100%.\n"
	      "\n"
	      "examples:\n"
	      "  dhr scan -o out reports/                  # writes out/report.html and more\n"
	      "  dhr report out/scan.json                  # makes out/report.html again\n"
	      "  dhr report out/scan.json -o dhr-2026.html --summary\n"
	      "\n"
	      "exit status: 0 written; 2 usage error, unreadable or invalid SCAN.json, or the\n"
	      "report could not be written (an existing report is then left as it was).\n",
	      f);
}

/* "out/scan.json" -> "out/report.html"; "scan.json" -> "report.html". */
static char *default_output(const char *scan_path)
{
	const char *slash = strrchr(scan_path, '/');
	size_t dir = slash ? (size_t)(slash - scan_path) + 1 : 0;
	char *out = malloc(dir + sizeof "report.html");
	if (!out)
		return NULL;
	memcpy(out, scan_path, dir);
	memcpy(out + dir, "report.html", sizeof "report.html");
	return out;
}

/* Warn when the totals stored in the scan disagree with its documents. */
static void check_totals(const cJSON *scan, const char *path)
{
	cJSON *computed = NULL;
	if (dhr_output_totals(&computed, scan, NULL) < 0)
		return;
	const cJSON *stored = cJSON_GetObjectItemCaseSensitive(scan, "totals");
	const cJSON *item;
	cJSON_ArrayForEach(item, computed)
	{
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(stored, item->string);
		if (s && !cJSON_Compare(s, item, 1)) {
			dhr_cli_errorf(
			    "warning: %s: totals.%s disagrees with the documents; the report counts the "
			    "documents",
			    path, item->string);
			break;
		}
	}
	cJSON_Delete(computed);
}

int dhr_cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"summary", no_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *output = NULL;
	int summary = 0, c;
	int status = DHR_EXIT_FATAL;
	cJSON *scan = NULL;
	char *html = NULL, *def = NULL;
	size_t len = 0;
	dhr_error err;
	dhr_error_clear(&err);

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:sh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 's':
			summary = 1;
			break;
		case 'h':
			report_usage(stdout);
			return DHR_EXIT_OK;
		default:
			if (optopt == 'o')
				dhr_cli_errorf("report: -o needs a file name");
			else if (optopt)
				dhr_cli_errorf("report: unknown option '-%c' (try 'dhr report --help')",
				               optopt);
			else
				dhr_cli_errorf("report: unknown option '%s' (try 'dhr report --help')",
				               argv[optind - 1]);
			return DHR_EXIT_FATAL;
		}
	}
	if (argc - optind != 1) {
		dhr_cli_errorf("report: %s (try 'dhr report --help')",
		               argc - optind == 0 ? "which scan? give the path of a scan.json"
		                                  : "give exactly one scan.json");
		return DHR_EXIT_FATAL;
	}
	const char *scan_path = argv[optind];
	if (!output && !(output = def = default_output(scan_path))) {
		dhr_cli_errorf("report: out of memory");
		goto cleanup;
	}
	if (dhr_output_load(&scan, scan_path, &err) < 0) {
		dhr_cli_errorf("%s", err.message);
		goto cleanup;
	}
	check_totals(scan, scan_path);
	if (dhr_output_report(&html, &len, scan, &err) < 0) {
		dhr_cli_errorf("report: %s", err.message);
		goto cleanup;
	}
	if (strcmp(output, "-") == 0) {
		if (fwrite(html, 1, len, stdout) != len || fflush(stdout) != 0) {
			dhr_cli_errorf("report: cannot write to standard output");
			goto cleanup;
		}
	} else if (dhr_write_atomic(output, html, len, &err) < 0) {
		dhr_cli_errorf("%s", err.message);
		goto cleanup;
	} else if (isatty(STDERR_FILENO)) {
		fprintf(stderr, "dhr: wrote %s (%zu KB)\n", output, (len + 1023) / 1024);
	}
	if (summary && dhr_output_summary(stdout, scan) < 0) {
		dhr_cli_errorf("report: cannot write the summary to standard output");
		goto cleanup;
	}
	status = DHR_EXIT_OK;
cleanup:
	free(def);
	free(html);
	cJSON_Delete(scan);
	return status;
}
