/*
 * cli/eval_tsv.c: the parts of 'dhr eval' that need no PDF. A TSV gold file
 * (segment/gold_tsv.c) holds recommendation texts, not reports, so there is
 * no segmentation to measure: each row is classified as 'dhr classify' would
 * (its agency_text read first by the agency facet) and the themes (per label
 * precision / recall / F1, micro and macro), the agency (accuracy over the
 * rows whose gold agency is not the default `unknown`) and any further facet
 * with a column are scored. Also: the check of the gold's labels against the
 * rules, and the --min-* thresholds shared with the gold.json evaluation.
 */
#include "eval.h"

#include "commands.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- thresholds -------------------------------------------------------------------- */

int dhr_eval_min_parse(double *out, const char *option, const char *arg)
{
	char *end = NULL;
	errno = 0;
	double v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= 0 && v <= 1)) {
		dhr_cli_errorf("eval: %s %s: expected a figure from 0 to 1", option, arg);
		return -1;
	}
	*out = v;
	return 0;
}

int dhr_eval_min_add_f1(dhr_eval_min *m, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		dhr_cli_errorf("eval: --min-f1 %s: expected LABEL=X (e.g. training=0.85)", arg);
		return -1;
	}
	double v;
	if (dhr_eval_min_parse(&v, "--min-f1", eq + 1) < 0)
		return -1;
	void *n = realloc(m->f1, (m->n_f1 + 1) * sizeof *m->f1);
	if (!n)
		return -1;
	m->f1 = n;
	m->f1[m->n_f1].label = g_strndup(arg, (gsize)(eq - arg));
	m->f1[m->n_f1].min = v;
	m->n_f1++;
	return 0;
}

void dhr_eval_min_clear(dhr_eval_min *m)
{
	for (size_t i = 0; i < m->n_f1; i++)
		g_free(m->f1[i].label);
	free(m->f1);
	m->f1 = NULL;
	m->n_f1 = 0;
}

static double num_at(const cJSON *o, const char *a, const char *b)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
	if (b)
		x = cJSON_GetObjectItemCaseSensitive(x, b);
	return cJSON_IsNumber(x) ? x->valuedouble : 0.0;
}

/* a figure printed with 3 decimals meets a threshold it equals when printed */
static int below(double v, double min)
{
	return v < min - 1e-9;
}

static void add_threshold(cJSON *arr, const char *figure, double value, double min)
{
	cJSON *t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "figure", figure);
	cJSON_AddNumberToObject(t, "value", value);
	cJSON_AddNumberToObject(t, "min", min);
	cJSON_AddBoolToObject(t, "met", !below(value, min));
	cJSON_AddItemToArray(arr, t);
}

int dhr_eval_thresholds(cJSON *out, const dhr_eval_min *m)
{
	int failed = 0;
	if (m->macro_f1 < 0 && m->agency < 0 && m->n_f1 == 0)
		return 0;
	cJSON *arr = cJSON_AddArrayToObject(out, "thresholds");
	if (m->macro_f1 >= 0) {
		double v = num_at(out, "averages", "macro_f1");
		add_threshold(arr, "macro_f1", v, m->macro_f1);
		if (below(v, m->macro_f1)) {
			dhr_cli_errorf("eval: theme macro-F1 %.3f is below --min-macro-f1 %.3f", v, m->macro_f1);
			failed++;
		}
	}
	for (size_t i = 0; i < m->n_f1; i++) {
		double v = 0;
		const cJSON *t;
		cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(out, "themes"))
		{
			const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "theme"));
			if (id && strcmp(id, m->f1[i].label) == 0)
				v = num_at(t, "f1", NULL);
		}
		char fig[256];
		g_snprintf(fig, sizeof fig, "f1:%s", m->f1[i].label);
		add_threshold(arr, fig, v, m->f1[i].min);
		if (below(v, m->f1[i].min)) {
			dhr_cli_errorf("eval: %s F1 %.3f is below --min-f1 %s=%.3f", m->f1[i].label, v, m->f1[i].label,
				       m->f1[i].min);
			failed++;
		}
	}
	if (m->agency >= 0) {
		double v = num_at(out, "agency", "accuracy");
		add_threshold(arr, "agency", v, m->agency);
		if (below(v, m->agency)) {
			dhr_cli_errorf("eval: agency accuracy %.3f (%.0f of %.0f) is below --min-agency %.3f", v,
				       num_at(out, "agency", "correct"), num_at(out, "agency", "total"), m->agency);
			failed++;
		}
	}
	return failed;
}

/* ---- the gold's labels against the rules ------------------------------------------- */

void dhr_eval_label_row(cJSON *arr, const char *key, const char *id, prf p, int print)
{
	long support = p.tp + p.fn;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, key, id);
	cJSON_AddNumberToObject(o, "precision", ratio(p.tp, p.tp + p.fp));
	cJSON_AddNumberToObject(o, "recall", ratio(p.tp, p.tp + p.fn));
	cJSON_AddNumberToObject(o, "f1", f1(p));
	cJSON_AddNumberToObject(o, "support", (double)support);
	cJSON_AddNumberToObject(o, "tp", (double)p.tp);
	cJSON_AddNumberToObject(o, "fp", (double)p.fp);
	cJSON_AddNumberToObject(o, "fn", (double)p.fn);
	cJSON_AddItemToArray(arr, o);
	if (print)
		printf("%-26s %9.3f %9.3f %9.3f %8ld\n", id, ratio(p.tp, p.tp + p.fp), ratio(p.tp, p.tp + p.fn), f1(p),
		       support);
}

int dhr_eval_known_label(const char *facet, const char *label, int *single, void *payload)
{
	const dhr_rules *rules = payload;
	int f = dhr_rules_facet_find(rules, facet);
	if (f < 0)
		return 0;
	const dhr_facet_info *fi = dhr_rules_facet(rules, (size_t)f);
	if (fi->scope != DHR_SCOPE_RECOMMENDATION)
		return 0;
	if (single)
		*single = fi->single;
	return !label || dhr_rules_label_find(rules, (size_t)f, label) >= 0;
}

int dhr_eval_check_gold(const dhr_gold *gold, const dhr_rules *rules, const dhr_eval_min *m)
{
	dhr_error err;
	dhr_error_clear(&err);
	if (dhr_gold_check(gold, dhr_eval_known_label, (void *)rules, &err) < 0) {
		dhr_cli_errorf("eval: %s", err.message);
		return -1;
	}
	for (size_t i = 0; i < m->n_f1; i++)
		if (!dhr_eval_known_label("theme", m->f1[i].label, NULL, (void *)rules)) {
			dhr_cli_errorf("eval: --min-f1 %s: not a theme of the rules", m->f1[i].label);
			return -1;
		}
	return 0;
}

/* ---- scoring a TSV ----------------------------------------------------------------- */


/* One facet being scored: themes (from `themes`), agency (from `agency`) or an extra column. */
typedef struct fscore {
	size_t facet;
	const dhr_facet_info *fi;
	int column;  /**< -1 themes, -2 agency, else the index into each row's labels */
	prf *labels; /**< multi facets: one per label of the facet */
	long correct, total, default_rows, default_given, unlabelled;
} fscore;

/* The gold labels of a row for a facet. */
static size_t gold_labels(char *const **out, const dhr_gold_rec *g, const fscore *s)
{
	if (s->column == -1) {
		*out = g->themes;
		return g->n_themes;
	}
	if (s->column == -2) {
		*out = &g->agency;
		return g->agency ? 1 : 0;
	}
	const dhr_gold_labels *fl = &g->labels[s->column];
	*out = fl->values;
	return fl->n_values;
}

static int in_list(char *const *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], id) == 0)
			return 1;
	return 0;
}

/* the rules (file:line "match") that gave `label` */
static void rules_for(GString *s, const dhr_result *res, size_t label)
{
	for (size_t e = 0; e < dhr_result_evidence_count(res); e++) {
		const dhr_evidence *ev = dhr_result_evidence(res, e);
		if (ev->label == label && ev->kind == DHR_RULE_MATCH)
			g_string_append_printf(s, " %s \"%s\"", ev->rule, ev->match ? ev->match : "");
	}
}

static void score_row(fscore *s, const dhr_rules *rules, const dhr_result *res, const dhr_gold *gold,
		      const dhr_gold_rec *g, int verbose, GString *details)
{
	char *const *gl = NULL;
	size_t n_gl = gold_labels(&gl, g, s);
	if (!s->fi->single) {
		for (size_t t = 0; t < s->fi->n_labels; t++) {
			size_t li = s->fi->labels[t];
			const char *id = dhr_rules_label(rules, li)->id;
			int in_p = dhr_result_has(res, li), in_g = in_list(gl, n_gl, id);
			s->labels[t].tp += in_p && in_g;
			s->labels[t].fp += in_p && !in_g;
			s->labels[t].fn += !in_p && in_g;
			if (verbose && in_p != in_g) {
				GString *why = g_string_new(NULL);
				if (in_p)
					rules_for(why, res, li);
				g_string_append_printf(details, "%s %-24s %s:%d:%s\n    %.240s\n", in_p ? "FP" : "FN", id,
						       gold->file, g->line, why->str, g->text);
				g_string_free(why, TRUE);
			}
		}
		return;
	}
	if (n_gl == 0) {
		s->unlabelled++; /* an empty cell of an extra column: not labelled for this facet */
		return;
	}
	const char *pred = dhr_result_single(res, s->facet);
	const char *dflt = s->fi->default_label >= 0 ? dhr_rules_label(rules, (size_t)s->fi->default_label)->id : NULL;
	int ok = pred && strcmp(pred, gl[0]) == 0;
	if (dflt && strcmp(gl[0], dflt) == 0) {
		s->default_rows++;
		s->default_given += !ok;
	} else {
		s->total++;
		s->correct += ok;
	}
	if (verbose && !ok) {
		GString *why = g_string_new(NULL);
		int li = pred ? dhr_rules_label_find(rules, s->facet, pred) : -1;
		if (li >= 0)
			rules_for(why, res, (size_t)li);
		g_string_append_printf(details, "%s %s:%d: predicted %s, gold %s (stated: %s)%s\n    %.200s\n",
				       strcmp(s->fi->name, "agency") == 0 ? "AGENCY" : s->fi->name, gold->file,
				       g->line, pred ? pred : "(none)", gl[0], g->agency_text ? g->agency_text : "-",
				       why->str, g->text);
		g_string_free(why, TRUE);
	}
}

/* Add the per-label table and averages of a multi facet to `o`, and print it. */
static void report_multi(cJSON *labels_arr, cJSON *averages, const fscore *s, const dhr_rules *rules,
			 const char *key, int json, long rows)
{
	prf micro = {0, 0, 0};
	double macro = 0;
	size_t macro_n = 0;
	if (!json)
		printf("%-26s %9s %9s %9s %8s   (on the %ld rows)\n", s->fi->name, "precision", "recall", "F1",
		       "support", rows);
	for (size_t t = 0; t < s->fi->n_labels; t++) {
		const char *id = dhr_rules_label(rules, s->fi->labels[t])->id;
		prf p = s->labels[t];
		micro.tp += p.tp;
		micro.fp += p.fp;
		micro.fn += p.fn;
		long support = p.tp + p.fn;
		if (support > 0 || p.fp > 0) {
			macro += f1(p);
			macro_n++;
		}
		dhr_eval_label_row(labels_arr, key, id, p, !json);
	}
	macro = macro_n ? macro / (double)macro_n : 0;
	cJSON_AddNumberToObject(averages, "micro_precision", ratio(micro.tp, micro.tp + micro.fp));
	cJSON_AddNumberToObject(averages, "micro_recall", ratio(micro.tp, micro.tp + micro.fn));
	cJSON_AddNumberToObject(averages, "micro_f1", f1(micro));
	cJSON_AddNumberToObject(averages, "macro_f1", macro);
	if (!json) {
		printf("%-26s %9.3f %9.3f %9.3f\n", "micro average", ratio(micro.tp, micro.tp + micro.fp),
		       ratio(micro.tp, micro.tp + micro.fn), f1(micro));
		printf("%-26s %29.3f\n\n", "macro average (F1)", macro);
	}
}

/* Add a single facet's accuracy to `o`, and print it. */
static void report_single(cJSON *o, const fscore *s, const dhr_rules *rules, int json)
{
	const char *dflt = s->fi->default_label >= 0 ? dhr_rules_label(rules, (size_t)s->fi->default_label)->id : "-";
	double acc = ratio(s->correct, s->total);
	cJSON_AddNumberToObject(o, "accuracy", acc);
	cJSON_AddNumberToObject(o, "correct", (double)s->correct);
	cJSON_AddNumberToObject(o, "total", (double)s->total);
	cJSON_AddStringToObject(o, "counted", "rows whose gold label is not the facet's default");
	cJSON_AddStringToObject(o, "default", dflt);
	cJSON_AddNumberToObject(o, "default_rows", (double)s->default_rows);
	cJSON_AddNumberToObject(o, "default_rows_given_a_label", (double)s->default_given);
	if (s->unlabelled)
		cJSON_AddNumberToObject(o, "unlabelled_rows", (double)s->unlabelled);
	if (json)
		return;
	const char *name = strcmp(s->fi->name, "agency") == 0 ? "Agency" : s->fi->name;
	printf("%s accuracy: %.3f (%ld of %ld rows whose gold %s is not %s)\n", name, acc, s->correct, s->total,
	       s->fi->name, dflt);
	printf("%s on the %ld rows labelled %s: %ld given a label other than %s\n", name, s->default_rows, dflt,
	       s->default_given, dflt);
	if (s->unlabelled)
		printf("%s: %ld rows with an empty cell, not counted\n", name, s->unlabelled);
}

int dhr_eval_tsv(cJSON *out, const dhr_gold *gold, const dhr_rules *rules, const char *split, int verbose, int json,
		 GString *details)
{
	int rc = -1;
	dhr_classifier *cl = NULL;
	dhr_result *res = NULL;
	fscore *sc = NULL;
	size_t n_sc = 0, n_cols = gold->n_rows ? gold->rows[0].n_labels : 0;
	long kept = 0;

	if (split) {
		int has_split = 0;
		GString *seen = g_string_new(NULL);
		for (size_t i = 0; i < gold->n_rows; i++) {
			const char *sp = gold->rows[i].split;
			if (!sp)
				continue;
			has_split = 1;
			kept += strcmp(sp, split) == 0;
			char *quoted = g_strdup_printf(" %s,", sp);
			char *hay = g_strdup_printf(" %s", seen->str);
			if (!strstr(hay, quoted))
				g_string_append_printf(seen, "%s, ", sp);
			g_free(quoted);
			g_free(hay);
		}
		if (seen->len >= 2)
			g_string_truncate(seen, seen->len - 2);
		if (!has_split)
			dhr_cli_errorf("eval: --split %s: %s has no split column (or it is empty on every row)", split,
				       gold->file);
		else if (!kept)
			dhr_cli_errorf("eval: --split %s: no row of %s has that split (splits: %s)", split, gold->file,
				       seen->str);
		g_string_free(seen, TRUE);
		if (!kept)
			return -1;
	} else {
		kept = (long)gold->n_rows;
	}

	if (!(sc = calloc(n_cols + 2, sizeof *sc)))
		goto oom;
	int tf = dhr_rules_facet_find(rules, "theme"), af = dhr_rules_facet_find(rules, "agency");
	if (tf >= 0 && !dhr_rules_facet(rules, (size_t)tf)->single)
		sc[n_sc++] = (fscore){.facet = (size_t)tf, .fi = dhr_rules_facet(rules, (size_t)tf), .column = -1};
	if (af >= 0 && dhr_rules_facet(rules, (size_t)af)->single)
		sc[n_sc++] = (fscore){.facet = (size_t)af, .fi = dhr_rules_facet(rules, (size_t)af), .column = -2};
	for (size_t c = 0; c < n_cols; c++) {
		int f = dhr_rules_facet_find(rules, gold->rows[0].labels[c].facet);
		if (f < 0) /* dhr_eval_check_gold() has said so already */
			continue;
		sc[n_sc++] = (fscore){.facet = (size_t)f, .fi = dhr_rules_facet(rules, (size_t)f), .column = (int)c};
	}
	for (size_t s = 0; s < n_sc; s++)
		if (!sc[s].fi->single && !(sc[s].labels = calloc(sc[s].fi->n_labels + 1, sizeof *sc[s].labels)))
			goto oom;

	if (dhr_classifier_new(&cl, rules, NULL, NULL) < 0 || !(res = dhr_result_new()))
		goto oom;
	for (size_t i = 0; i < gold->n_rows; i++) {
		const dhr_gold_rec *g = &gold->rows[i];
		if (split && !(g->split && strcmp(g->split, split) == 0))
			continue;
		if (dhr_classify_rec(res, cl, g->text, g->agency_text) < 0)
			goto oom;
		for (size_t s = 0; s < n_sc; s++)
			score_row(&sc[s], rules, res, gold, g, verbose, details);
	}

	cJSON *jg = cJSON_AddObjectToObject(out, "gold");
	cJSON_AddStringToObject(jg, "file", gold->file);
	cJSON_AddStringToObject(jg, "format", "tsv");
	cJSON_AddNumberToObject(jg, "rows", (double)gold->n_rows);
	cJSON_AddNumberToObject(jg, "rows_evaluated", (double)kept);
	if (split)
		cJSON_AddStringToObject(jg, "split", split);
	else
		cJSON_AddNullToObject(jg, "split");
	cJSON *js = cJSON_AddObjectToObject(out, "segmentation");
	cJSON_AddBoolToObject(js, "measured", 0);
	if (!json) {
		printf("Gold: %s (TSV, %zu rows", gold->file, gold->n_rows);
		if (split)
			printf("; %ld with split %s", kept, split);
		printf(")\nSegmentation: not measured (a TSV holds recommendation texts, not reports)\n\n");
	}
	cJSON *jfacets = NULL;
	for (size_t s = 0; s < n_sc; s++) {
		const fscore *f = &sc[s];
		if (f->column == -1) {
			report_multi(cJSON_AddArrayToObject(out, "themes"), cJSON_AddObjectToObject(out, "averages"), f,
				     rules, "theme", json, kept);
			continue;
		}
		if (f->column == -2) {
			report_single(cJSON_AddObjectToObject(out, "agency"), f, rules, json);
			if (!json)
				printf("\n");
			continue;
		}
		if (!jfacets)
			jfacets = cJSON_AddArrayToObject(out, "facets");
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToArray(jfacets, o);
		cJSON_AddStringToObject(o, "facet", f->fi->name);
		cJSON_AddBoolToObject(o, "single", f->fi->single);
		if (f->fi->single) {
			report_single(o, f, rules, json);
			if (!json)
				printf("\n");
		} else {
			report_multi(cJSON_AddArrayToObject(o, "labels"), cJSON_AddObjectToObject(o, "averages"), f, rules,
				     "label", json, kept);
		}
	}
	cJSON *jr = cJSON_AddObjectToObject(out, "rules");
	cJSON_AddStringToObject(jr, "source", dhr_rules_source(rules));
	cJSON_AddStringToObject(jr, "sha256", dhr_rules_sha256(rules));
	if (!json)
		printf("Rules: %s (sha256 %.12s)\n", dhr_rules_source(rules), dhr_rules_sha256(rules));
	rc = 0;
	goto cleanup;
oom:
	dhr_cli_errorf("eval: out of memory");
cleanup:
	for (size_t s = 0; sc && s < n_sc; s++)
		free(sc[s].labels);
	free(sc);
	dhr_result_free(res);
	dhr_classifier_free(cl);
	return rc;
}
