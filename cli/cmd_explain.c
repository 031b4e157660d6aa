/*
 * cli/cmd_explain.c: 'dhr explain'. Classifies one text in explain mode and
 * shows, label by label, which rule (file:line) fired on which words, which
 * `unless` rule vetoed a label, which `except` span hid a hit, and which
 * agency was chosen and why: the tool for tuning rules by hand.
 */
#include "commands.h"
#include "dhr/common.h"
#include "dhr/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CONTEXT 48 /* bytes of text shown either side of a hit */

static void explain_usage(FILE *f)
{
	fputs("usage: dhr explain [-r RULES] [--agency TEXT] [--document] TEXT|-\n"
	      "\n"
	      "Show which rules fire on TEXT (or on stdin with -), label by label: the rule's\n"
	      "file:line, the words it matched (highlighted in colour on a terminal, in [brackets]\n"
	      "otherwise), the `unless` rules that vetoed a label, the `except` spans that hid a\n"
	      "hit, and how the single-label facets (agency) chose.\n"
	      "\n"
	      "options:\n"
	      "  -r, --rules FILE  rules to use (default: the built-in rules)\n"
	      "  --agency TEXT     the stated lead agency (an action plan's Lead agency cell)\n"
	      "  --document        treat TEXT as a whole report: run the document facets (case_type)\n"
	      "  -h, --help        this help\n"
	      "\n"
	      "example:\n"
	      "  dhr explain 'The CCG should seek assurance that GPs routinely ask about abuse.'\n"
	      "  dhr explain --document - < report.txt\n"
	      "\n"
	      "exit status: 0 done; 2 usage, rules or I/O error\n",
	      f);
}

typedef struct style {
	const char *on[4]; /* per dhr_rule_kind */
	const char *off;
	const char *open, *close;
} style;

static void diag_stderr(const dhr_diag *d, void *payload)
{
	(void)payload;
	dhr_diag_print(stderr, d);
}

/* Move `i` back to the start of the UTF-8 character it points into. */
static size_t char_start(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static void put_plain(const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		putchar(s[i] == '\n' || s[i] == '\t' || s[i] == '\r' ? ' ' : s[i]);
}

/* Print the text around the evidence with its spans marked. */
static void print_snippet(const char *text, const dhr_evidence *e, const style *st)
{
	size_t len = strlen(text);
	size_t spans[2][2];
	int ns;
	if (e->n_parts == 2) {
		ns = 2;
		int first = e->part_start[0] <= e->part_start[1] ? 0 : 1;
		spans[0][0] = e->part_start[first];
		spans[0][1] = e->part_end[first];
		spans[1][0] = e->part_start[1 - first];
		spans[1][1] = e->part_end[1 - first];
		if (spans[1][0] < spans[0][1]) { /* overlapping operands: mark the union */
			ns = 1;
			spans[0][1] = spans[1][1] > spans[0][1] ? spans[1][1] : spans[0][1];
		}
	} else {
		ns = 1;
		spans[0][0] = e->start;
		spans[0][1] = e->end;
	}
	size_t from = e->start > CONTEXT ? char_start(text, e->start - CONTEXT) : 0;
	size_t to = e->end + CONTEXT < len ? char_start(text, e->end + CONTEXT) : len;
	if (from > 0)
		fputs("...", stdout);
	size_t pos = from;
	for (int i = 0; i < ns; i++) {
		put_plain(text, pos, spans[i][0]);
		fputs(st->on[e->kind], stdout);
		put_plain(text, spans[i][0], spans[i][1]);
		fputs(st->off, stdout);
		pos = spans[i][1];
	}
	put_plain(text, pos, to);
	if (to < len)
		fputs("...", stdout);
}

static const char *kind_name(dhr_rule_kind k)
{
	switch (k) {
	case DHR_RULE_MATCH:
		return "match";
	case DHR_RULE_REQUIRE:
		return "require";
	case DHR_RULE_UNLESS:
		return "unless";
	case DHR_RULE_EXCEPT:
		return "except";
	}
	return "?";
}

static void explain_facet(const dhr_rules *r, const dhr_result *res, size_t f, const char *text,
			  const char *agency_text, const style *st)
{
	const dhr_facet_info *fi = dhr_rules_facet(r, f);
	printf("%s:", fi->name);
	size_t n = dhr_result_label_count(res, f);
	for (size_t i = 0; i < n; i++)
		printf("%s %s", i ? "," : "", dhr_rules_label(r, dhr_result_label_at(res, f, i))->id);
	if (n == 0)
		fputs(" (none)", stdout);
	if (fi->single) {
		printf("   [single: %s", fi->pick_earliest ? "the subject (prefer) or earliest hit wins"
							: "first label in file order wins");
		if (fi->n_fields > 1)
			fputs("; stated agency read before the text", stdout);
		putchar(']');
		if (n == 1 && (int)dhr_result_label_at(res, f, 0) == fi->default_label)
			fputs("  (default: nothing fired)", stdout);
	}
	putchar('\n');
	size_t ne = dhr_result_evidence_count(res);
	for (size_t k = 0; k < fi->n_labels; k++) {
		size_t li = fi->labels[k];
		int any = 0, blocked = 0, counted = 0, short_hits = 0;
		for (size_t i = 0; i < ne; i++) {
			const dhr_evidence *e = dhr_result_evidence(res, i);
			if (e->label != li)
				continue;
			any = 1;
			if (e->kind == DHR_RULE_UNLESS)
				blocked = 1;
			if (e->kind == DHR_RULE_MATCH && e->count >= (size_t)e->needed)
				counted = 1;
			if (e->kind == DHR_RULE_MATCH && e->count < (size_t)e->needed)
				short_hits = 1;
		}
		if (!any)
			continue;
		const dhr_label_info *l = dhr_rules_label(r, li);
		const char *status;
		if (dhr_result_has(res, li))
			status = fi->single ? "CHOSEN" : "FIRES";
		else if (blocked)
			status = "vetoed by an unless rule";
		else if (counted && fi->single)
			status = "holds, not chosen";
		else if (short_hits && !counted)
			status = "too few hits (min)";
		else
			status = "does not fire (min or require not met)";
		printf("  %s \"%s\": %s\n", l->id, l->name, status);
		for (size_t i = 0; i < ne; i++) {
			const dhr_evidence *e = dhr_result_evidence(res, i);
			if (e->label != li)
				continue;
			printf("    %-7s %-28s ", kind_name(e->kind), e->rule);
			if (e->label_ref) {
				fputs("(label reference holds)\n", stdout);
				continue;
			}
			if (e->kind == DHR_RULE_MATCH && e->count < (size_t)e->needed)
				printf("(%zu of %d hits) ", e->count, e->needed);
			else if (e->count > 1)
				printf("(%zu hits) ", e->count);
			if (e->field == DHR_FIELD_AGENCY_TEXT)
				fputs("agency: ", stdout);
			print_snippet(e->field == DHR_FIELD_AGENCY_TEXT ? agency_text : text, e, st);
			if (e->entry)
				printf("  (list entry %s: %s)", e->entry, e->entry_text);
			putchar('\n');
		}
	}
}

/* Read all of stdin into a NUL-terminated buffer. */
static char *read_stdin(void)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return NULL;
	for (;;) {
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - 1 - n, stdin);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(stdin)) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

int dhr_cmd_explain(int argc, char **argv)
{
	const char *rules_path = NULL, *agency = NULL, *arg = NULL;
	int document = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			explain_usage(stdout);
			return DHR_EXIT_OK;
		} else if ((strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--rules") == 0) && i + 1 < argc) {
			rules_path = argv[++i];
		} else if (strcmp(argv[i], "--agency") == 0 && i + 1 < argc) {
			agency = argv[++i];
		} else if (strcmp(argv[i], "--document") == 0) {
			document = 1;
		} else if (arg == NULL && (argv[i][0] != '-' || strcmp(argv[i], "-") == 0)) {
			arg = argv[i];
		} else {
			dhr_cli_errorf("explain: unexpected argument '%s' (try 'dhr explain --help')", argv[i]);
			return DHR_EXIT_FATAL;
		}
	}
	if (!arg) {
		explain_usage(stderr);
		return DHR_EXIT_FATAL;
	}
	int status = DHR_EXIT_OK;
	char *input = NULL;
	dhr_rules *rules = NULL;
	dhr_classifier *c = NULL;
	dhr_result *res = NULL;
	if (strcmp(arg, "-") == 0) {
		input = read_stdin();
		if (!input) {
			dhr_cli_errorf("explain: cannot read stdin");
			return DHR_EXIT_FATAL;
		}
		/* one recommendation on stdin: drop the final newline */
		size_t l = strlen(input);
		while (!document && l > 0 && (input[l - 1] == '\n' || input[l - 1] == '\r'))
			input[--l] = '\0';
	}
	const char *text = input ? input : arg;
	if (dhr_cli_load_rules(&rules, rules_path, diag_stderr, NULL) < 0) {
		status = DHR_EXIT_FATAL;
		goto cleanup;
	}
	res = dhr_result_new();
	if (!res || dhr_classifier_new(&c, rules, diag_stderr, NULL) < 0) {
		dhr_cli_errorf("out of memory");
		status = DHR_EXIT_FATAL;
		goto cleanup;
	}
	dhr_classifier_set_explain(c, 1);
	int rc = document ? dhr_classify_doc(res, c, text) : dhr_classify_rec(res, c, text, agency);
	if (rc < 0) {
		dhr_cli_errorf("out of memory");
		status = DHR_EXIT_FATAL;
		goto cleanup;
	}
	style st;
	if (isatty(STDOUT_FILENO)) {
		st = (style){{"\033[1;32m", "\033[1;36m", "\033[1;31m", "\033[33m"}, "\033[0m", "", ""};
	} else {
		st = (style){{"[", "[", "{unless: ", "{except: "}, "]", "[", "]"};
		st.on[DHR_RULE_UNLESS] = "[";
		st.on[DHR_RULE_EXCEPT] = "[";
	}
	if (!document)
		printf("text: %s\n", text);
	if (agency)
		printf("agency text: %s\n", agency);
	printf("rules: %s (sha256 %.12s)\n\n", dhr_rules_source(rules), dhr_rules_sha256(rules));
	for (size_t f = 0; f < dhr_rules_facet_count(rules); f++) {
		dhr_scope want = document ? DHR_SCOPE_DOCUMENT : DHR_SCOPE_RECOMMENDATION;
		if (dhr_rules_facet(rules, f)->scope != want)
			continue;
		explain_facet(rules, res, f, text, agency, &st);
		putchar('\n');
	}
	fflush(stdout);
cleanup:
	dhr_result_free(res);
	dhr_classifier_free(c);
	dhr_rules_free(rules);
	free(input);
	return status;
}
