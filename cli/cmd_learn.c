/*
 * cli/cmd_learn.c: 'dhr learn', rule lines proposed from labelled examples
 * (classify/learn.c does the work). Reads a gold file (gold.json, whose
 * documents are the cross-validation units, or the TSV form, whose report
 * column is), prints per label the candidate lines ready to paste, each
 * under a comment with what it does on the examples and held out, and with
 * --apply writes the rules with the chosen lines and measures them.
 */
#include "commands.h"
#include "eval.h"
#include "dhr/gold.h"
#include "dhr/learn.h"
#include "dhr/rules.h"
#include "dhr/util.h"

#include <cJSON.h>
#include <getopt.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *f)
{
	fputs("usage: dhr learn [-r RULES] [--label L] [--min-precision P] [--top N] [--folds K]\n"
	      "                 [--min-support N] [--split NAME] [--apply OUT.rules] [--json]\n"
	      "                 GOLD.json|GOLD.tsv\n"
	      "\n"
	      "Propose rule lines from labelled examples. For each label the examples use (themes,\n"
	      "agency, further facet columns of a TSV), the texts the rules miss give candidate\n"
	      "`match` lines (a word, a 2-3 word phrase, two words with near/before) and the texts\n"
	      "they label wrongly give `except` and `unless` lines. Each candidate is inserted into a\n"
	      "copy of the rules and run on every example by the real rules engine. Candidates are\n"
	      "ranked by their held-out gain: K-fold cross-validation by document (gold.json) or\n"
	      "report (the TSV's report column; rows without one stand alone): in each fold a\n"
	      "candidate counts only if the other folds alone would have proposed it, and its gain\n"
	      "is what it does to the fold left out. The output is rules text: paste the lines you\n"
	      "accept under their label.\n"
	      "\n"
	      "options:\n"
	      "  -r, --rules FILE        rules to improve (default: the built-in rules)\n"
	      "  -l, --label L           only label L (an id, or FACET.ID)\n"
	      "  -p, --min-precision P   only candidates right on at least P (0 to 1) of the texts they\n"
	      "                          match (except/unless lines: of the labelled texts they touch,\n"
	      "                          the share labelled wrongly)\n"
	      "  -n, --top N             candidates per label (default 5)\n"
	      "  -k, --folds K           cross-validation folds (default 5)\n"
	      "      --min-support N     a candidate must put at least N examples right (default 2)\n"
	      "      --split NAME        TSV: learn from the rows whose split column is NAME (e.g. tune)\n"
	      "  -a, --apply OUT.rules   write the rules (includes inlined, so OUT stands alone) with, per\n"
	      "                          label, the candidates that gain held out, are right on at least\n"
	      "                          0.75 of what they match (or --min-precision, if higher) and raise\n"
	      "                          the label's F1 together; then measure OUT on the examples\n"
	      "      --json              the same as one JSON object: labels, their candidates with every\n"
	      "                          figure and the examples each changes, and --apply's figures\n"
	      "  -h, --help              this help\n"
	      "\n"
	      "example (the loop):\n"
	      "  dhr eval --split tune dev.tsv\n"
	      "  dhr learn --split tune --apply my.rules dev.tsv\n"
	      "  dhr diff -r default -r my.rules corpus/\n"
	      "  dhr eval -r my.rules --split test dev.tsv\n"
	      "\n"
	      "exit status: 0 done; 2 usage, rules or gold error (an empty gold, an unknown label, a label\n"
	      "no example has)\n",
	      f);
}

/* the examples and the storage they borrow */
typedef struct exset {
	GArray *ex;     /* dhr_learn_example */
	GPtrArray *own; /* strings and arrays to free */
} exset;

static void add_example(exset *S, const dhr_gold_rec *g, const char *group, char *where)
{
	size_t n_lab = 1 + (g->agency ? 1 : 0) + g->n_labels;
	dhr_learn_labels *lab = g_new0(dhr_learn_labels, n_lab);
	size_t k = 0;
	lab[k].facet = "theme";
	lab[k].ids = (const char *const *)g->themes;
	lab[k++].n = g->n_themes;
	if (g->agency) {
		lab[k].facet = "agency";
		lab[k].ids = (const char *const *)&g->agency;
		lab[k++].n = 1;
	}
	for (size_t i = 0; i < g->n_labels; i++) {
		lab[k].facet = g->labels[i].facet;
		lab[k].ids = (const char *const *)g->labels[i].values;
		lab[k++].n = g->labels[i].n_values;
	}
	g_ptr_array_add(S->own, lab);
	g_ptr_array_add(S->own, where);
	dhr_learn_example x = {g->text, g->agency_text, lab, k, group, where};
	g_array_append_val(S->ex, x);
}

/* A short excerpt around [s, e) of `text`, on one line, cut at character boundaries. */
static char *excerpt(const char *text, size_t s, size_t e)
{
	size_t len = strlen(text);
	if (s > len || e > len || e < s)
		s = e = 0;
	size_t a = s > 60 ? s - 60 : 0, b = e + 60 < len ? e + 60 : len;
	if (s == e) {
		a = 0;
		b = len < 120 ? len : 120;
	}
	while (a > 0 && ((unsigned char)text[a] & 0xC0) == 0x80)
		a--;
	while (b < len && ((unsigned char)text[b] & 0xC0) == 0x80)
		b++;
	GString *g = g_string_new(a > 0 ? "..." : "");
	for (size_t i = a; i < b; i++) {
		char c = text[i];
		if (i == s && s != e)
			g_string_append_c(g, '[');
		g_string_append_c(g, c == '\n' || c == '\t' || c == '\r' ? ' ' : c);
		if (i + 1 == e && s != e)
			g_string_append_c(g, ']');
	}
	if (b < len)
		g_string_append(g, "...");
	return g_string_free(g, FALSE);
}

static const char *flip_name(dhr_learn_flip_kind k)
{
	switch (k) {
	case DHR_FLIP_GAINED:
		return "+ right now";
	case DHR_FLIP_NEW_FP:
		return "- wrong now";
	case DHR_FLIP_LOST:
		return "- lost";
	case DHR_FLIP_FIXED_FP:
		return "+ removed";
	}
	return "?";
}

static void print_cand(const dhr_learn_cand *c, int rank, const dhr_learn_label *L,
                       const dhr_learn_example *ex, int folds)
{
	if (c->kind == DHR_RULE_MATCH)
		printf("# %d. puts %ld right, %ld wrong; precision %.2f (%ld of the %ld texts it matches are "
		       "%s)\n",
		       rank, c->gained, c->new_fp, c->precision, c->hits_right, c->hits, L->id);
	else
		printf("# %d. removes %ld wrong, loses %ld right; precision %.2f (%ld of the %ld texts "
		       "labelled %s "
		       "it touches are labelled wrongly)\n",
		       rank, c->fixed_fp, c->lost, c->precision, c->hits_right, c->hits, L->id);
	if (folds > 1)
		printf("#    F1 %.3f -> %.3f (%+.3f); held out %+.3f (proposed in %d of %d folds: %ld right, "
		       "%ld wrong "
		       "there)\n",
		       L->f1, c->f1_after, c->fit_gain, c->cv_gain, c->cv_folds, folds,
		       c->cv_gained + c->cv_fixed_fp, c->cv_new_fp + c->cv_lost);
	else
		printf("#    F1 %.3f -> %.3f (%+.3f); held out: n/a (one unit, no cross-validation)\n", L->f1,
		       c->f1_after, c->fit_gain);
	int shown[4] = {0, 0, 0, 0};
	for (size_t i = 0; i < c->n_flips; i++) {
		const dhr_learn_flip *f = &c->flips[i];
		if (shown[f->kind]++ >= 4)
			continue;
		const dhr_learn_example *x = &ex[f->example];
		const char *t =
		    f->field == DHR_FIELD_AGENCY_TEXT && x->agency_text ? x->agency_text : x->text;
		char *e = excerpt(t, f->start, f->end);
		printf("#    %s  %s: %s%s\n", flip_name(f->kind), x->where ? x->where : "?",
		       f->field == DHR_FIELD_AGENCY_TEXT ? "(agency) " : "", e);
		g_free(e);
	}
	for (int k = 0; k < 4; k++)
		if (shown[k] > 4)
			printf("#    %s  (and %d more)\n", flip_name((dhr_learn_flip_kind)k), shown[k] - 4);
	printf("%s%s\n", c->line, c->applied ? "   # chosen for --apply" : "");
}

/* Theme macro-F1 (labels with support or false positives, as 'dhr eval') and agency accuracy (gold not the
 * default). */
static int measure(double *macro, double *acc, const char *rules_path, const dhr_learn_example *ex, size_t n)
{
	dhr_rules *r = NULL;
	dhr_classifier *c = NULL;
	dhr_result *res = dhr_result_new();
	dhr_error err;
	int rc = dhr_cli_load_rules(&r, rules_path, NULL, NULL);
	if (rc < 0 || !res || dhr_classifier_new(&c, r, NULL, NULL) < 0) {
		dhr_result_free(res);
		dhr_rules_free(r);
		return -1;
	}
	(void)err;
	int tf = dhr_rules_facet_find(r, "theme"), af = dhr_rules_facet_find(r, "agency");
	size_t nl = dhr_rules_label_count(r);
	long *tp = g_new0(long, nl + 1), *fp = g_new0(long, nl + 1), *fn = g_new0(long, nl + 1);
	long ok = 0, tot = 0;
	for (size_t i = 0; i < n; i++) {
		if (dhr_classify_rec(res, c, ex[i].text, ex[i].agency_text) < 0)
			break;
		for (size_t k = 0; k < ex[i].n_labels; k++) {
			const dhr_learn_labels *ls = &ex[i].labels[k];
			if (tf >= 0 && strcmp(ls->facet, "theme") == 0) {
				const dhr_facet_info *fi = dhr_rules_facet(r, (size_t)tf);
				for (size_t j = 0; j < fi->n_labels; j++) {
					size_t l = fi->labels[j];
					int p = dhr_result_has(res, l), g = 0;
					for (size_t q = 0; q < ls->n; q++)
						g |= strcmp(ls->ids[q], dhr_rules_label(r, l)->id) == 0;
					tp[l] += p && g;
					fp[l] += p && !g;
					fn[l] += !p && g;
				}
			} else if (af >= 0 && strcmp(ls->facet, "agency") == 0 && ls->n) {
				const dhr_facet_info *fi = dhr_rules_facet(r, (size_t)af);
				const char *d = fi->default_label >= 0
				                    ? dhr_rules_label(r, (size_t)fi->default_label)->id
				                    : NULL;
				if (d && strcmp(ls->ids[0], d) == 0)
					continue;
				const char *p = dhr_result_single(res, (size_t)af);
				tot++;
				ok += p && strcmp(p, ls->ids[0]) == 0;
			}
		}
	}
	double sum = 0;
	size_t m = 0;
	for (size_t l = 0; l < nl; l++) {
		if (tp[l] + fn[l] + fp[l] == 0)
			continue;
		double d = (double)(2 * tp[l] + fp[l] + fn[l]);
		sum += d > 0 ? 2.0 * (double)tp[l] / d : 0;
		m++;
	}
	*macro = m ? sum / (double)m : 0;
	*acc = tot ? (double)ok / (double)tot : 0;
	g_free(tp);
	g_free(fp);
	g_free(fn);
	dhr_classifier_free(c);
	dhr_result_free(res);
	dhr_rules_free(r);
	return 0;
}

static void print_text(const dhr_learn_result *res, const dhr_learn_example *ex, size_t n,
                       const char *gold_path, const char *split, const char *apply, int tsv,
                       const dhr_learn_opts *op, double m0, double m1, double a0, double a1)
{
	const dhr_learn_opts o = *op;
	printf("# dhr learn: %zu examples from %s%s%s; rules %s\n", n, gold_path, split ? ", split " : "",
	       split ? split : "", res->source);
	if (res->folds > 1)
		printf("# held out: %d-fold cross-validation over %zu %s\n", res->folds, res->n_groups,
		       tsv ? "reports (rows without a report stand alone)" : "documents");
	printf("# every figure is from the rules engine running the rules with that one line added\n");
	GString *none = g_string_new(NULL);
	size_t perfect = 0;
	for (size_t i = 0; i < res->n_labels; i++) {
		const dhr_learn_label *L = &res->labels[i];
		if (L->n_cands == 0 && L->fn + L->fp == 0) {
			perfect++;
			continue;
		}
		if (L->n_cands == 0) {
			g_string_append_printf(none, "#   %s.%s: F1 %.3f (%ld missed, %ld wrong)\n", L->facet,
			                       L->id, L->f1, L->fn, L->fp);
			continue;
		}
		printf("\n# ---- %s.%s (label at %s): F1 %.3f now (%ld right, %ld missed, %ld wrong)\n",
		       L->facet, L->id, L->where, L->f1, L->tp, L->fn, L->fp);
		for (size_t k = 0; k < L->n_cands; k++)
			print_cand(&L->cands[k], (int)k + 1, L, ex, res->folds);
	}
	if (none->len)
		printf("\n# no candidate (none puts %d or more examples right and raises the F1%s):\n%s",
		       o.min_support ? o.min_support : 2, o.min_precision > 0 ? " at that precision" : "",
		       none->str);
	if (perfect)
		printf("\n# %zu label%s with nothing missed and nothing wrong\n", perfect,
		       perfect == 1 ? "" : "s");
	g_string_free(none, TRUE);
	if (apply)
		printf("\n# --apply: %zu line%s written to %s; on these %zu examples: theme macro-F1 %.3f -> "
		       "%.3f, agency accuracy %.3f -> %.3f\n",
		       res->n_applied, res->n_applied == 1 ? "" : "s", apply, n, m0, m1, a0, a1);
}

static const char *flip_key(dhr_learn_flip_kind k)
{
	switch (k) {
	case DHR_FLIP_GAINED:
		return "gained";
	case DHR_FLIP_NEW_FP:
		return "new_fp";
	case DHR_FLIP_LOST:
		return "lost";
	case DHR_FLIP_FIXED_FP:
		return "fixed_fp";
	}
	return "?";
}

static void print_json(const dhr_learn_result *res, const dhr_learn_example *ex, size_t n,
                       const char *gold_path, const char *split, const char *apply, double m0, double m1,
                       double a0, double a1)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *g = cJSON_AddObjectToObject(o, "gold");
	cJSON_AddStringToObject(g, "file", gold_path);
	cJSON_AddNumberToObject(g, "examples", (double)n);
	if (split)
		cJSON_AddStringToObject(g, "split", split);
	else
		cJSON_AddNullToObject(g, "split");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "rules"), "source", res->source);
	cJSON_AddNumberToObject(o, "folds", res->folds);
	cJSON_AddNumberToObject(o, "groups", (double)res->n_groups);
	cJSON_AddNumberToObject(o, "lines_checked", (double)res->n_verified);
	cJSON *labels = cJSON_AddArrayToObject(o, "labels");
	for (size_t i = 0; i < res->n_labels; i++) {
		const dhr_learn_label *L = &res->labels[i];
		cJSON *l = cJSON_CreateObject();
		cJSON_AddStringToObject(l, "facet", L->facet);
		cJSON_AddStringToObject(l, "label", L->id);
		cJSON_AddStringToObject(l, "where", L->where);
		cJSON_AddNumberToObject(l, "tp", (double)L->tp);
		cJSON_AddNumberToObject(l, "fp", (double)L->fp);
		cJSON_AddNumberToObject(l, "fn", (double)L->fn);
		cJSON_AddNumberToObject(l, "f1", L->f1);
		if (apply)
			cJSON_AddNumberToObject(l, "f1_applied", L->f1_applied);
		cJSON *cs = cJSON_AddArrayToObject(l, "candidates");
		for (size_t k = 0; k < L->n_cands; k++) {
			const dhr_learn_cand *c = &L->cands[k];
			cJSON *j = cJSON_CreateObject();
			const char *line = c->line;
			while (*line == ' ')
				line++;
			cJSON_AddStringToObject(j, "rule", line);
			cJSON_AddStringToObject(j, "kind",
			                        c->kind == DHR_RULE_MATCH    ? "match"
			                        : c->kind == DHR_RULE_UNLESS ? "unless"
			                                                     : "except");
			cJSON_AddNumberToObject(j, "gained", (double)c->gained);
			cJSON_AddNumberToObject(j, "new_fp", (double)c->new_fp);
			cJSON_AddNumberToObject(j, "lost", (double)c->lost);
			cJSON_AddNumberToObject(j, "fixed_fp", (double)c->fixed_fp);
			cJSON_AddNumberToObject(j, "hits", (double)c->hits);
			cJSON_AddNumberToObject(j, "hits_right", (double)c->hits_right);
			cJSON_AddNumberToObject(j, "precision", c->precision);
			cJSON_AddNumberToObject(j, "f1_after", c->f1_after);
			cJSON_AddNumberToObject(j, "fit_gain", c->fit_gain);
			cJSON_AddNumberToObject(j, "cv_gain", c->cv_gain);
			cJSON_AddNumberToObject(j, "cv_folds", c->cv_folds);
			cJSON *h = cJSON_AddObjectToObject(j, "held_out");
			cJSON_AddNumberToObject(h, "gained", (double)c->cv_gained);
			cJSON_AddNumberToObject(h, "new_fp", (double)c->cv_new_fp);
			cJSON_AddNumberToObject(h, "lost", (double)c->cv_lost);
			cJSON_AddNumberToObject(h, "fixed_fp", (double)c->cv_fixed_fp);
			cJSON_AddBoolToObject(j, "applied", c->applied);
			cJSON *fl = cJSON_AddArrayToObject(j, "flips");
			for (size_t f = 0; f < c->n_flips; f++) {
				const dhr_learn_flip *F = &c->flips[f];
				const dhr_learn_example *x = &ex[F->example];
				const char *t = F->field == DHR_FIELD_AGENCY_TEXT && x->agency_text
				                    ? x->agency_text
				                    : x->text;
				char *e = excerpt(t, F->start, F->end);
				cJSON *q = cJSON_CreateObject();
				cJSON_AddStringToObject(q, "example", x->where ? x->where : "");
				cJSON_AddStringToObject(q, "kind", flip_key(F->kind));
				cJSON_AddStringToObject(
				    q, "field", F->field == DHR_FIELD_AGENCY_TEXT ? "agency_text" : "text");
				cJSON_AddStringToObject(q, "excerpt", e);
				cJSON_AddItemToArray(fl, q);
				g_free(e);
			}
			cJSON_AddItemToArray(cs, j);
		}
		cJSON_AddItemToArray(labels, l);
	}
	if (apply) {
		cJSON *a = cJSON_AddObjectToObject(o, "apply");
		cJSON_AddStringToObject(a, "file", apply);
		cJSON_AddNumberToObject(a, "lines", (double)res->n_applied);
		cJSON *m = cJSON_AddObjectToObject(a, "theme_macro_f1");
		cJSON_AddNumberToObject(m, "before", m0);
		cJSON_AddNumberToObject(m, "after", m1);
		cJSON *ag = cJSON_AddObjectToObject(a, "agency_accuracy");
		cJSON_AddNumberToObject(ag, "before", a0);
		cJSON_AddNumberToObject(ag, "after", a1);
	}
	char *str = cJSON_Print(o);
	if (str)
		puts(str);
	cJSON_free(str);
	cJSON_Delete(o);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_int(int *out, const char *opt, const char *arg, int lo, int hi)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end || v < lo || v > hi) {
		dhr_cli_errorf("learn: %s needs a whole number from %d to %d, not '%s'", opt, lo, hi, arg);
		return -1;
	}
	*out = (int)v;
	return 0;
}

int dhr_cmd_learn(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"rules", required_argument, NULL, 'r'},
	    {"label", required_argument, NULL, 'l'},
	    {"min-precision", required_argument, NULL, 'p'},
	    {"top", required_argument, NULL, 'n'},
	    {"folds", required_argument, NULL, 'k'},
	    {"min-support", required_argument, NULL, 'S'},
	    {"split", required_argument, NULL, 's'},
	    {"apply", required_argument, NULL, 'a'},
	    {"json", no_argument, NULL, 'J'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	dhr_learn_opts o;
	memset(&o, 0, sizeof o);
	const char *split = NULL, *apply = NULL;
	int c, json = 0;
	while ((c = getopt_long(argc, argv, "r:l:p:n:k:a:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o.rules_path = optarg;
			break;
		case 'l':
			o.label = optarg;
			break;
		case 'p': {
			char *end;
			double v = strtod(optarg, &end);
			if (*optarg == '\0' || *end || !(v >= 0 && v <= 1)) {
				dhr_cli_errorf("learn: --min-precision needs a figure from 0 to 1, not '%s'",
				               optarg);
				return DHR_EXIT_FATAL;
			}
			o.min_precision = v;
			break;
		}
		case 'n':
			if (parse_int(&o.top, "--top", optarg, 1, 1000) < 0)
				return DHR_EXIT_FATAL;
			break;
		case 'k':
			if (parse_int(&o.folds, "--folds", optarg, 2, 100) < 0)
				return DHR_EXIT_FATAL;
			break;
		case 'S':
			if (parse_int(&o.min_support, "--min-support", optarg, 1, 100000) < 0)
				return DHR_EXIT_FATAL;
			break;
		case 's':
			split = optarg;
			break;
		case 'a':
			apply = optarg;
			break;
		case 'J':
			json = 1;
			break;
		case 'h':
			usage(stdout);
			return DHR_EXIT_OK;
		default:
			usage(stderr);
			return DHR_EXIT_FATAL;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return DHR_EXIT_FATAL;
	}
	const char *gold_path = argv[optind];
	int rc = DHR_EXIT_FATAL;
	dhr_rules *rules = NULL;
	dhr_gold *gold = NULL;
	dhr_learn_result *res = NULL;
	exset S = {g_array_new(FALSE, TRUE, sizeof(dhr_learn_example)),
	           g_ptr_array_new_with_free_func(g_free)};
	dhr_error err;
	dhr_error_clear(&err);

	if (dhr_cli_load_rules(&rules, o.rules_path, NULL, NULL) < 0)
		goto cleanup;
	if (dhr_gold_load(&gold, gold_path, &err) < 0) {
		dhr_cli_errorf("learn: %s", err.message);
		goto cleanup;
	}
	if (dhr_gold_check(gold, dhr_eval_known_label, rules, &err) < 0) {
		dhr_cli_errorf("learn: %s", err.message);
		goto cleanup;
	}
	if (split && gold->format != DHR_GOLD_TSV) {
		dhr_cli_errorf("learn: --split needs a TSV gold file (%s is gold.json)", gold_path);
		goto cleanup;
	}
	if (gold->format == DHR_GOLD_TSV) {
		for (size_t i = 0; i < gold->n_rows; i++) {
			const dhr_gold_rec *g = &gold->rows[i];
			if (split && !(g->split && strcmp(g->split, split) == 0))
				continue;
			add_example(&S, g, g->report, g_strdup_printf("%s:%d", gold_path, g->line));
		}
	} else {
		for (size_t d = 0; d < gold->n_docs; d++)
			for (size_t i = 0; i < gold->docs[d].n_recs; i++) {
				const dhr_gold_rec *g = &gold->docs[d].recs[i];
				add_example(&S, g, gold->docs[d].file,
				            g->number
				                ? g_strdup_printf("%s #%s", gold->docs[d].file, g->number)
				                : g_strdup_printf("%s rec %zu", gold->docs[d].file, i + 1));
			}
	}
	if (S.ex->len == 0) {
		if (split)
			dhr_cli_errorf("learn: %s: no row has split '%s'", gold_path, split);
		else
			dhr_cli_errorf("learn: %s: no labelled recommendations", gold_path);
		goto cleanup;
	}
	o.apply = apply != NULL;
	o.gold_name = gold_path;
	const dhr_learn_example *ex = (const dhr_learn_example *)(void *)S.ex->data;
	size_t n = S.ex->len;
	double t0 = now_s();
	if (dhr_learn_run(&res, ex, n, &o, &err) < 0) {
		dhr_cli_errorf("learn: %s: %s", gold_path, err.message);
		goto cleanup;
	}
	double t1 = now_s();

	double m0 = 0, a0 = 0, m1 = 0, a1 = 0;
	if (apply) {
		/* the built-in rules' list files go beside OUT (rules from disk name theirs by absolute path)
		 */
		char *text = NULL;
		int wrc;
		if (o.rules_path)
			wrc = (text = strdup(res->applied))
			          ? 0
			          : dhr_error_set(&err, DHR_ENOMEM, "out of memory");
		else
			wrc = dhr_rules_relocate_lists(&text, res->applied, apply, &err);
		if (wrc == 0)
			wrc = dhr_write_atomic(apply, text, strlen(text), &err);
		free(text);
		if (wrc < 0) {
			dhr_cli_errorf("learn: %s", err.message);
			goto cleanup;
		}
		if (measure(&m0, &a0, o.rules_path, ex, n) < 0 || measure(&m1, &a1, apply, ex, n) < 0)
			goto cleanup;
	}
	if (json)
		print_json(res, ex, n, gold_path, split, apply, m0, m1, a0, a1);
	else
		print_text(res, ex, n, gold_path, split, apply, gold->format == DHR_GOLD_TSV, &o, m0, m1, a0,
		           a1);
	fprintf(stderr, "dhr: learn: %zu labels, %zu candidate lines run through the rules engine, %.2f s\n",
	        res->n_labels, res->n_verified, t1 - t0);
	rc = DHR_EXIT_OK;
cleanup:
	dhr_learn_result_free(res);
	dhr_gold_free(gold);
	dhr_rules_free(rules);
	g_array_free(S.ex, TRUE);
	g_ptr_array_free(S.own, TRUE);
	return rc;
}
