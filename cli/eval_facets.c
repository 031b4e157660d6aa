/*
 * cli/eval_facets.c: the part of 'dhr eval' that scores any facet, not only
 * theme and agency: every recommendation facet of the rules for which the
 * gold file gives labels in its generic "labels" map (corpus/gold.json:
 * "labels": {"ho_theme": [...], "ho_agency": "..."}). Multi facets get
 * precision / recall / F1 per label with micro and macro averages; single
 * facets get accuracy and the same per-label figures.
 */
#include "eval.h"
#include "eval_facets.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef struct ef_facet {
	size_t facet; /* index in the rules */
	const dhr_facet_info *fi;
	prf *labels; /* per label of the facet, fi->n_labels */
	long pairs, correct;
} ef_facet;

struct dhr_eval_facets {
	const dhr_rules *rules;
	ef_facet *v;
	size_t n;
};

static int gold_names_facet(const dhr_gold *gold, const char *name)
{
	for (size_t d = 0; d < gold->n_docs; d++)
		for (size_t r = 0; r < gold->docs[d].n_recs; r++)
			if (dhr_gold_rec_labels(&gold->docs[d].recs[r], name))
				return 1;
	return 0;
}

dhr_eval_facets *dhr_eval_facets_new(const dhr_rules *rules, const dhr_gold *gold)
{
	dhr_eval_facets *e = calloc(1, sizeof *e);
	size_t nf = dhr_rules_facet_count(rules);
	if (!e || !(e->v = calloc(nf + 1, sizeof *e->v))) {
		free(e);
		return NULL;
	}
	e->rules = rules;
	for (size_t f = 0; f < nf; f++) {
		const dhr_facet_info *fi = dhr_rules_facet(rules, f);
		if (fi->scope != DHR_SCOPE_RECOMMENDATION || !gold_names_facet(gold, fi->name))
			continue;
		ef_facet *x = &e->v[e->n];
		x->facet = f;
		x->fi = fi;
		if (!(x->labels = calloc(fi->n_labels + 1, sizeof *x->labels))) {
			dhr_eval_facets_free(e);
			return NULL;
		}
		e->n++;
	}
	return e;
}

void dhr_eval_facets_free(dhr_eval_facets *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i].labels);
	free(e->v);
	free(e);
}

size_t dhr_eval_facets_count(const dhr_eval_facets *e)
{
	return e ? e->n : 0;
}

/* Does the predicted value (a string or an array of strings) hold `id`? */
static int pred_has(const cJSON *v, const char *id)
{
	if (cJSON_IsString(v))
		return strcmp(v->valuestring, id) == 0;
	const cJSON *x;
	cJSON_ArrayForEach(x, v) if (cJSON_IsString(x) && strcmp(x->valuestring, id) == 0) return 1;
	return 0;
}

static int gold_has(const dhr_gold_labels *g, const char *id)
{
	for (size_t i = 0; i < g->n_values; i++)
		if (strcmp(g->values[i], id) == 0)
			return 1;
	return 0;
}

void dhr_eval_facets_pair(dhr_eval_facets *e, const cJSON *pred, const dhr_gold_rec *gold, GString *details,
                          const char *file)
{
	const cJSON *labels = cJSON_GetObjectItemCaseSensitive(pred, "labels");
	const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(pred, "text"));
	for (size_t i = 0; i < e->n; i++) {
		ef_facet *x = &e->v[i];
		const dhr_gold_labels *g = dhr_gold_rec_labels(gold, x->fi->name);
		if (!g)
			continue; /* this recommendation is not labelled in this facet */
		const cJSON *pv = cJSON_GetObjectItemCaseSensitive(labels, x->fi->name);
		x->pairs++;
		if (x->fi->single) {
			const char *p = cJSON_GetStringValue(pv);
			const char *want = g->n_values ? g->values[0] : NULL;
			int ok = (!p && !want) || (p && want && strcmp(p, want) == 0);
			x->correct += ok;
			if (details && !ok)
				g_string_append_printf(
				    details, "%s %s #%s: predicted %s, gold %s\n    %.200s\n", x->fi->name,
				    file, gold->number ? gold->number : "-", p ? p : "(none)",
				    want ? want : "(none)", text ? text : "");
		}
		for (size_t l = 0; l < x->fi->n_labels; l++) {
			const char *id = dhr_rules_label(e->rules, x->fi->labels[l])->id;
			int in_p = pred_has(pv, id), in_g = gold_has(g, id);
			x->labels[l].tp += in_p && in_g;
			x->labels[l].fp += in_p && !in_g;
			x->labels[l].fn += !in_p && in_g;
			if (details && !x->fi->single && in_p != in_g)
				g_string_append_printf(details, "%s %s %-24s %s #%s\n    %.240s\n",
				                       in_p ? "FP" : "FN", x->fi->name, id, file,
				                       gold->number ? gold->number : "-", text ? text : "");
		}
	}
}

void dhr_eval_facets_report(const dhr_eval_facets *e, cJSON *out, int print)
{
	cJSON *jf = cJSON_AddObjectToObject(out, "facets");
	for (size_t i = 0; i < e->n; i++) {
		const ef_facet *x = &e->v[i];
		cJSON *o = cJSON_AddObjectToObject(jf, x->fi->name);
		cJSON_AddBoolToObject(o, "multi", !x->fi->single);
		cJSON_AddNumberToObject(o, "pairs", (double)x->pairs);
		if (print)
			printf("\nFacet %s (%s; gold labels on %ld matched recommendations)\n", x->fi->name,
			       x->fi->single ? "single" : "multi", x->pairs);
		if (x->fi->single) {
			double acc = ratio(x->correct, x->pairs);
			cJSON_AddNumberToObject(o, "accuracy", acc);
			cJSON_AddNumberToObject(o, "correct", (double)x->correct);
			cJSON_AddNumberToObject(o, "total", (double)x->pairs);
			if (print)
				printf("%-30s %.3f (%ld of %ld)\n", "accuracy", acc, x->correct, x->pairs);
		}
		if (print)
			printf("%-30s %9s %9s %9s %8s\n", "label", "precision", "recall", "F1", "support");
		cJSON *jl = cJSON_AddArrayToObject(o, "labels");
		prf micro = {0, 0, 0};
		double macro = 0;
		size_t macro_n = 0;
		for (size_t l = 0; l < x->fi->n_labels; l++) {
			const char *id = dhr_rules_label(e->rules, x->fi->labels[l])->id;
			prf p = x->labels[l];
			long support = p.tp + p.fn;
			micro.tp += p.tp;
			micro.fp += p.fp;
			micro.fn += p.fn;
			if (support > 0 || p.fp > 0) {
				macro += f1(p);
				macro_n++;
			} else {
				continue; /* a label neither gold nor rules gave: nothing to report */
			}
			cJSON *lo = cJSON_CreateObject();
			cJSON_AddStringToObject(lo, "label", id);
			cJSON_AddNumberToObject(lo, "precision", ratio(p.tp, p.tp + p.fp));
			cJSON_AddNumberToObject(lo, "recall", ratio(p.tp, p.tp + p.fn));
			cJSON_AddNumberToObject(lo, "f1", f1(p));
			cJSON_AddNumberToObject(lo, "support", (double)support);
			cJSON_AddNumberToObject(lo, "tp", (double)p.tp);
			cJSON_AddNumberToObject(lo, "fp", (double)p.fp);
			cJSON_AddNumberToObject(lo, "fn", (double)p.fn);
			cJSON_AddItemToArray(jl, lo);
			if (print)
				printf("%-30s %9.3f %9.3f %9.3f %8ld\n", id, ratio(p.tp, p.tp + p.fp),
				       ratio(p.tp, p.tp + p.fn), f1(p), support);
		}
		macro = macro_n ? macro / (double)macro_n : 0;
		cJSON_AddNumberToObject(o, "micro_f1", f1(micro));
		cJSON_AddNumberToObject(o, "macro_f1", macro);
		if (print) {
			printf("%-30s %9.3f %9.3f %9.3f\n", "micro average",
			       ratio(micro.tp, micro.tp + micro.fp), ratio(micro.tp, micro.tp + micro.fn),
			       f1(micro));
			printf("%-30s %29.3f\n", "macro average (F1)", macro);
		}
	}
}
