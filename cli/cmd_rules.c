/*
 * cli/cmd_rules.c: 'dhr rules'. `check` lints rules files (every error of
 * every file as FILE:LINE:COL with the line and a caret, then "N errors");
 * `list` shows the facets, groups and labels a rules file defines; `print`
 * writes out a built-in rules file so that it can be copied and tuned.
 */
#include "commands.h"
#include "dhr/common.h"
#include "dhr/embedded.h"
#include "dhr/rules.h"

#include <stdio.h>
#include <string.h>

typedef struct diag_count {
	int errors, warnings;
} diag_count;

static void print_diag(const dhr_diag *d, void *payload)
{
	diag_count *n = payload;
	if (d->level == DHR_DIAG_ERROR)
		n->errors++;
	else
		n->warnings++;
	dhr_diag_print(stderr, d);
}

static void rules_usage(FILE *f)
{
	fputs("usage: dhr rules check [RULES...]\n"
	      "       dhr rules list [-r RULES]\n"
	      "       dhr rules print [NAME]\n"
	      "       dhr rules files\n"
	      "\n"
	      "check   compile each rules file (and what it includes) and report every problem:\n"
	      "        errors and warnings as FILE:LINE:COL: error: MESSAGE, the line, and a caret\n"
	      "        under the spot, then a count. With no file, checks the built-in rules.\n"
	      "        Exit status: 0 no errors (warnings allowed), 2 errors.\n"
	      "list    the facets, groups and labels the rules define (default: built-in).\n"
	      "print   print a built-in rules file (default: all of them), to copy and tune:\n"
	      "        NAME is default.rules, themes.rules, agencies.rules or case_type.rules, or a\n"
	      "        list file the rules read (gazetteer/police-forces.txt, ...).\n"
	      "files   the names of the built-in rules and list files, one a line, to copy them all:\n"
	      "        for f in $(dhr rules files); do mkdir -p \"my/${f%/*}\"; dhr rules print \"$f\" > \"my/$f\"; done\n"
	      "\n"
	      "The rules language, in brief (full notes at the top of rules/themes.rules):\n"
	      "  include \"agencies.rules\"                 # relative to this file, read once\n"
	      "  facet theme multi                        # every label that fires\n"
	      "  facet agency single on agency_text, text pick earliest default unknown\n"
	      "  facet case_type single on document default unknown\n"
	      "  group pathways \"DA referral pathways...\"\n"
	      "  label training \"Training\" group pathways\n"
	      "    match  /\\btrain(?:ing|ed)?\\b/           # PCRE2; caseless unless flag c (or -i)\n"
	      "    match  /\\brisk\\b/ near 6 /\\bassess/     # within 6 words, same sentence\n"
	      "    match  /\\bsafety\\b/ before 2 /\\bplan/   # in order, at most 2 words between\n"
	      "    match  \"learning event*\"                # phrase: whole words, * ends a word\n"
	      "    match  list \"gazetteer/police-forces.txt\" # any name of a list file (one a line)\n"
	      "    match  /should/ min 3                    # needs 3 hits; 'prefer': subject hits win\n"
	      "    require /x/   unless /y/   except /z/    # must hold / vetoes / hits inside z don't count\n"
	      "    min 2                                    # the label needs 2 hits in all\n"
	      "\n"
	      "example:\n"
	      "  dhr rules print themes.rules > my.rules && $EDITOR my.rules && dhr rules check my.rules\n",
	      f);
}

static int cmd_check(int argc, char **argv)
{
	diag_count total = {0, 0};
	int files = argc > 0 ? argc : 1;
	for (int i = 0; i < files; i++) {
		const char *path = argc > 0 ? argv[i] : NULL;
		diag_count n = {0, 0};
		dhr_rules_opts opts;
		memset(&opts, 0, sizeof opts);
		opts.diag = print_diag;
		opts.diag_payload = &n;
		dhr_rules *r = NULL;
		dhr_error err;
		dhr_error_clear(&err);
		int rc = dhr_rules_compile(&r, path, &opts, &err);
		const char *name = path ? path : "embedded:rules/default.rules";
		if (rc == DHR_ERULES || n.errors > 0) {
			/* already reported, line by line */
		} else if (rc < 0) {
			fprintf(stderr, "%s: error: %s\n", name, err.message);
			n.errors++;
		} else {
			printf("%s: ok: %zu facets, %zu labels, %zu groups%s\n", name, dhr_rules_facet_count(r),
			       dhr_rules_label_count(r), dhr_rules_group_count(r),
			       n.warnings ? " (see warnings)" : "");
		}
		total.errors += n.errors;
		total.warnings += n.warnings;
		dhr_rules_free(r);
	}
	if (total.errors || total.warnings) {
		if (total.errors)
			fprintf(stderr, "%d error%s", total.errors, total.errors == 1 ? "" : "s");
		if (total.errors && total.warnings)
			fputs(", ", stderr);
		if (total.warnings)
			fprintf(stderr, "%d warning%s", total.warnings, total.warnings == 1 ? "" : "s");
		fputc('\n', stderr);
	}
	return total.errors ? DHR_EXIT_FATAL : DHR_EXIT_OK;
}

static int cmd_list(int argc, char **argv)
{
	const char *path = NULL;
	for (int i = 0; i < argc; i++) {
		if ((strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--rules") == 0) && i + 1 < argc)
			path = argv[++i];
		else {
			dhr_cli_errorf("rules list: unexpected argument '%s' (try 'dhr rules --help')", argv[i]);
			return DHR_EXIT_FATAL;
		}
	}
	diag_count n = {0, 0};
	dhr_rules_opts opts;
	memset(&opts, 0, sizeof opts);
	opts.diag = print_diag;
	opts.diag_payload = &n;
	dhr_rules *r = NULL;
	dhr_error err;
	dhr_error_clear(&err);
	if (dhr_rules_compile(&r, path, &opts, &err) < 0) {
		dhr_cli_errorf("%s", err.message);
		return DHR_EXIT_FATAL;
	}
	printf("# %s  sha256 %s\n", dhr_rules_source(r), dhr_rules_sha256(r));
	for (size_t f = 0; f < dhr_rules_facet_count(r); f++) {
		const dhr_facet_info *fi = dhr_rules_facet(r, f);
		printf("facet %s  %s, %s", fi->name, fi->single ? "single" : "multi",
		       fi->scope == DHR_SCOPE_DOCUMENT ? "document scope" : "recommendation scope");
		if (fi->default_label >= 0)
			printf(", default %s", dhr_rules_label(r, (size_t)fi->default_label)->id);
		putchar('\n');
		for (size_t g = 0; g < dhr_rules_group_count(r); g++) {
			const dhr_group_info *gi = dhr_rules_group(r, g);
			if (gi->facet == f)
				printf("  group %s  \"%s\"\n", gi->id, gi->name);
		}
		for (size_t k = 0; k < fi->n_labels; k++) {
			const dhr_label_info *li = dhr_rules_label(r, fi->labels[k]);
			printf("  %-26s %-50s %s%s  %s\n", li->id, li->name, li->group >= 0 ? "group " : "",
			       li->group >= 0 ? dhr_rules_group(r, (size_t)li->group)->id : "", li->where);
		}
	}
	dhr_rules_free(r);
	return DHR_EXIT_OK;
}

/* A built-in file `print` and `files` show: the .rules files and the list files under rules/. */
static int printable(const char *name)
{
	size_t n = strlen(name);
	if (strncmp(name, "rules/", 6) != 0)
		return 0;
	return (n > 6 && strcmp(name + n - 6, ".rules") == 0) || (n > 4 && strcmp(name + n - 4, ".txt") == 0);
}

static int cmd_files(int argc, char **argv)
{
	(void)argv;
	if (argc > 0) {
		dhr_cli_errorf("rules files: no arguments expected (try 'dhr rules --help')");
		return DHR_EXIT_FATAL;
	}
	for (const dhr_embedded_file *f = dhr_embedded_files; f->name; f++)
		if (printable(f->name))
			printf("%s\n", f->name + 6);
	return DHR_EXIT_OK;
}

static int cmd_print(int argc, char **argv)
{
	if (argc > 1) {
		dhr_cli_errorf("rules print: one NAME at most (try 'dhr rules --help')");
		return DHR_EXIT_FATAL;
	}
	int found = 0;
	for (const dhr_embedded_file *f = dhr_embedded_files; f->name; f++) {
		if (!printable(f->name))
			continue;
		if (argc == 0 && strcmp(f->name + strlen(f->name) - 6, ".rules") != 0)
			continue; /* without a NAME, the rules files only (`dhr rules files` names the lists) */
		if (argc == 1 && strcmp(argv[0], f->name) != 0 && strcmp(argv[0], f->name + 6) != 0)
			continue;
		if (argc == 0)
			printf("# ==> %s <==\n", f->name);
		fwrite(f->data, 1, f->len, stdout);
		found = 1;
	}
	if (!found) {
		dhr_cli_errorf("rules print: no built-in rules file '%s'", argc ? argv[0] : "");
		return DHR_EXIT_FATAL;
	}
	return DHR_EXIT_OK;
}

int dhr_cmd_rules(int argc, char **argv)
{
	if (argc < 2) {
		rules_usage(stderr);
		return DHR_EXIT_FATAL;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		rules_usage(stdout);
		return DHR_EXIT_OK;
	}
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			rules_usage(stdout);
			return DHR_EXIT_OK;
		}
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 2, argv + 2);
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 2, argv + 2);
	if (strcmp(argv[1], "print") == 0)
		return cmd_print(argc - 2, argv + 2);
	if (strcmp(argv[1], "files") == 0)
		return cmd_files(argc - 2, argv + 2);
	dhr_cli_errorf("rules: unknown subcommand '%s' (expected check, list, print or files)", argv[1]);
	return DHR_EXIT_FATAL;
}
