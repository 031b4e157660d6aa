/*
 * cli/main.c: the dhr command line. Picks the subcommand and hands it the
 * rest of argv; the stages themselves live in the library.
 */
#include "commands.h"
#include "dhr/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *summary;
} commands[] = {
	{"scan", dhr_cmd_scan, "scan [-r RULES] [-o OUT] [-j N] PATH...",
	 "the main job: PDFs or folders in; scan.json, CSV and HTML report out"},
	{"extract", dhr_cmd_extract, "extract [--json] FILE.pdf", "print a PDF's normalised text (or JSON lines)"},
	{"recs", dhr_cmd_recs, "recs [--json] FILE.pdf...", "print the recommendations found in PDFs"},
	{"classify", dhr_cmd_classify, "classify [-r RULES] [--json]",
	 "classify recommendations read from stdin, one a line"},
	{"explain", dhr_cmd_explain, "explain [-r RULES] TEXT", "show which rules fired on a text, and why"},
	{"rules", dhr_cmd_rules, "rules check RULES...", "check rules files; errors as FILE:LINE:COL"},
	{"eval", dhr_cmd_eval, "eval [-r RULES] GOLD.json", "precision/recall against labelled examples"},
	{"learn", dhr_cmd_learn, "learn [-r RULES] [--label L] [--apply OUT.rules] GOLD",
	 "propose rule lines from labelled examples, measured held out"},
	{"diff", dhr_cmd_diff, "diff -r OLD.rules -r NEW.rules PATH...", "what a rules change does to the counts"},
	{"report", dhr_cmd_report, "report OUT/scan.json [-o FILE]", "write the self-contained HTML report"},
};

void dhr_cli_errorf(const char *fmt, ...)
{
	va_list ap;
	fputs("dhr: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f, "dhr %s: counted, explainable recommendation themes from Domestic Homicide Review reports\n\n"
		   "usage: dhr COMMAND [OPTIONS] [ARGS]\n\ncommands:\n",
		dhr_version());
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n             dhr %s\n", commands[i].name, commands[i].summary, commands[i].usage);
	fprintf(f, "\n'dhr COMMAND --help' explains a command. Quick start: dhr scan -o out reports/\n"
		   "exit status: 0 all documents processed; 1 outputs written but some documents failed;\n"
		   "2 usage, rules or I/O error (nothing half-written)\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return DHR_EXIT_FATAL;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return DHR_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("dhr %s\n", dhr_version());
		return DHR_EXIT_OK;
	}
	/* Tesseract's OpenMP threads make OCR 3-5 times slower on a small
	 * machine, and the workers share the pages anyway; libgomp reads
	 * OMP_THREAD_LIMIT only when it loads, before main, so the commands that
	 * may OCR set it and start again (once: the variable is then set). */
	if (!getenv("OMP_THREAD_LIMIT") &&
	    (strcmp(argv[1], "scan") == 0 || strcmp(argv[1], "extract") == 0 || strcmp(argv[1], "recs") == 0 ||
	     strcmp(argv[1], "eval") == 0 || strcmp(argv[1], "diff") == 0)) {
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execv("/proc/self/exe", argv);
		/* no /proc: go on, only slower */
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	dhr_cli_errorf("unknown command '%s' (try 'dhr --help')", argv[1]);
	return DHR_EXIT_FATAL;
}
