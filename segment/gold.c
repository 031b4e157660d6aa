/*
 * segment/gold.c: loads the labelled truth (gold.json) and pairs predicted
 * recommendations with gold ones by DESIGN.md's rule (lower-cased word sets,
 * Jaccard >= 0.5, one to one, best pairs first). The segmenter's tests and
 * `dhr eval` score against it.
 */
#include "dhr/gold.h"
#include "dhr/util.h"
#include "internal.h"

#include <cJSON.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

static char *json_str(const cJSON *o, const char *key, int *oom)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsString(v) || !v->valuestring)
		return NULL;
	char *s = strdup(v->valuestring);
	if (!s)
		*oom = 1;
	return s;
}

static void gold_rec_clear(dhr_gold_rec *g)
{
	free(g->text);
	free(g->number);
	free(g->agency);
	free(g->scope);
	for (size_t t = 0; t < g->n_themes; t++)
		free(g->themes[t]);
	free(g->themes);
	free(g->agency_text);
	free(g->report);
	free(g->split);
	free(g->source);
	for (size_t f = 0; f < g->n_facet_labels; f++) {
		dhr_gold_facet_labels *fl = &g->facet_labels[f];
		free(fl->facet);
		for (size_t l = 0; l < fl->n_labels; l++)
			free(fl->labels[l]);
		free(fl->labels);
	}
	free(g->facet_labels);
}

static void gold_doc_clear(dhr_gold_doc *d)
{
	for (size_t r = 0; r < d->n_recs; r++)
		gold_rec_clear(&d->recs[r]);
	free(d->recs);
	free(d->file);
	free(d->path);
	free(d->title);
	free(d->case_type);
}

void dhr_gold_free(dhr_gold *gold)
{
	if (!gold)
		return;
	for (size_t i = 0; i < gold->n_docs; i++)
		gold_doc_clear(&gold->docs[i]);
	free(gold->docs);
	for (size_t i = 0; i < gold->n_rows; i++)
		gold_rec_clear(&gold->rows[i]);
	free(gold->rows);
	free(gold->file);
	free(gold);
}

static int load_rec(dhr_gold_rec *g, const cJSON *o)
{
	int oom = 0;
	g->text = json_str(o, "text", &oom);
	g->agency = json_str(o, "agency", &oom);
	g->scope = json_str(o, "scope", &oom);
	const cJSON *num = cJSON_GetObjectItemCaseSensitive(o, "number");
	if (cJSON_IsNumber(num)) {
		char buf[32];
		g_snprintf(buf, sizeof buf, "%g", num->valuedouble);
		if (!(g->number = strdup(buf)))
			oom = 1;
	} else {
		g->number = json_str(o, "number", &oom);
	}
	const cJSON *themes = cJSON_GetObjectItemCaseSensitive(o, "themes");
	if (cJSON_IsArray(themes)) {
		int n = cJSON_GetArraySize(themes);
		if (n > 0 && !(g->themes = calloc((size_t)n, sizeof *g->themes)))
			return DHR_ENOMEM;
		const cJSON *t;
		cJSON_ArrayForEach(t, themes)
		{
			if (cJSON_IsString(t) && t->valuestring) {
				if (!(g->themes[g->n_themes] = strdup(t->valuestring)))
					return DHR_ENOMEM;
				g->n_themes++;
			}
		}
	}
	return oom ? DHR_ENOMEM : 0;
}

int dhr_gold_load(dhr_gold **out, const char *path, dhr_error *err)
{
	char *buf = NULL, *dir = NULL;
	size_t len = 0;
	cJSON *root = NULL;
	dhr_gold *gold = NULL;
	int rc;

	*out = NULL;
	if ((rc = dhr_read_file(&buf, &len, path, err)) < 0)
		goto cleanup;
	if (!seg_gold_is_json(buf, len)) {
		rc = dhr_gold_load_tsv(out, path, buf, len, err);
		goto cleanup;
	}
	if (!(root = cJSON_ParseWithLength(buf, len))) {
		rc = dhr_error_set(err, DHR_ERROR, "%s: not valid JSON", path);
		goto cleanup;
	}
	const cJSON *docs = cJSON_GetObjectItemCaseSensitive(root, "documents");
	if (!cJSON_IsArray(docs)) {
		rc = dhr_error_set(err, DHR_ERROR, "%s: no \"documents\" array", path);
		goto cleanup;
	}
	if (!(gold = calloc(1, sizeof *gold)) || !(gold->file = strdup(path))) {
		rc = DHR_ENOMEM;
		goto cleanup;
	}
	int n = cJSON_GetArraySize(docs);
	if (n > 0 && !(gold->docs = calloc((size_t)n, sizeof *gold->docs))) {
		rc = DHR_ENOMEM;
		goto cleanup;
	}
	dir = g_path_get_dirname(path);
	const cJSON *d;
	int index = 0;
	cJSON_ArrayForEach(d, docs)
	{
		dhr_gold_doc *gd = &gold->docs[gold->n_docs];
		int oom = 0;
		gd->file = json_str(d, "file", &oom);
		gd->title = json_str(d, "title", &oom);
		gd->case_type = json_str(d, "case_type", &oom);
		gold->n_docs++;
		if (oom) {
			rc = DHR_ENOMEM;
			goto cleanup;
		}
		if (!gd->file) {
			rc = dhr_error_set(err, DHR_ERROR, "%s: document %d has no \"file\"", path, index);
			goto cleanup;
		}
		char *p = g_path_is_absolute(gd->file) ? g_strdup(gd->file) : g_build_filename(dir, gd->file, NULL);
		gd->path = p ? strdup(p) : NULL;
		g_free(p);
		if (!gd->path) {
			rc = DHR_ENOMEM;
			goto cleanup;
		}
		const cJSON *recs = cJSON_GetObjectItemCaseSensitive(d, "recommendations");
		if (!cJSON_IsArray(recs)) {
			rc = dhr_error_set(err, DHR_ERROR, "%s: document %d (%s) has no \"recommendations\" array", path,
					   index, gd->file);
			goto cleanup;
		}
		int nr = cJSON_GetArraySize(recs);
		if (nr > 0 && !(gd->recs = calloc((size_t)nr, sizeof *gd->recs))) {
			rc = DHR_ENOMEM;
			goto cleanup;
		}
		const cJSON *r;
		cJSON_ArrayForEach(r, recs)
		{
			dhr_gold_rec *g = &gd->recs[gd->n_recs++];
			if ((rc = load_rec(g, r)) < 0)
				goto cleanup;
			if (!g->text) {
				rc = dhr_error_set(err, DHR_ERROR, "%s: %s: recommendation %zu has no \"text\"", path,
						   gd->file, gd->n_recs);
				goto cleanup;
			}
		}
		index++;
	}
	*out = gold;
	gold = NULL;
	rc = 0;
cleanup:
	if (rc == DHR_ENOMEM)
		dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", path);
	g_free(dir);
	cJSON_Delete(root);
	free(buf);
	dhr_gold_free(gold);
	return rc;
}

const dhr_gold_doc *dhr_gold_find(const dhr_gold *gold, const char *path)
{
	if (!gold || !path)
		return NULL;
	char *canon = g_canonicalize_filename(path, NULL);
	const dhr_gold_doc *hit = NULL;
	for (size_t i = 0; i < gold->n_docs && !hit; i++) {
		char *c = g_canonicalize_filename(gold->docs[i].path, NULL);
		if (strcmp(c, canon) == 0)
			hit = &gold->docs[i];
		g_free(c);
	}
	if (!hit) {
		const char *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		for (size_t i = 0; i < gold->n_docs && !hit; i++) {
			const char *b = strrchr(gold->docs[i].file, '/');
			b = b ? b + 1 : gold->docs[i].file;
			if (strcmp(b, base) == 0)
				hit = &gold->docs[i];
		}
	}
	g_free(canon);
	return hit;
}

double dhr_text_jaccard(const char *a, const char *b)
{
	seg_words wa = {0}, wb = {0};
	double j = 0;
	if (seg_words_of(&wa, a ? a : "") == 0 && seg_words_of(&wb, b ? b : "") == 0)
		j = seg_words_jaccard(&wa, &wb);
	seg_words_free(&wa);
	seg_words_free(&wb);
	return j;
}

typedef struct gpair {
	double j;
	size_t p, g;
} gpair;

static int cmp_gpair(const void *x, const void *y)
{
	const gpair *a = x, *b = y;
	if (a->j != b->j)
		return a->j > b->j ? -1 : 1;
	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return a->g < b->g ? -1 : a->g > b->g;
}

long dhr_gold_match(size_t *pred_to_gold, size_t *gold_to_pred, const char *const *pred, size_t n_pred,
		    const char *const *gold, size_t n_gold, double threshold)
{
	seg_words *wp = calloc(n_pred + 1, sizeof *wp), *wg = calloc(n_gold + 1, sizeof *wg);
	gpair *pairs = NULL;
	size_t *p2g = calloc(n_pred + 1, sizeof *p2g), *g2p = calloc(n_gold + 1, sizeof *g2p);
	size_t n_pairs = 0, cap = 0;
	long matched = DHR_ENOMEM;
	if (!wp || !wg || !p2g || !g2p)
		goto cleanup;
	for (size_t i = 0; i < n_pred; i++)
		if (seg_words_of(&wp[i], pred[i] ? pred[i] : "") < 0)
			goto cleanup;
	for (size_t i = 0; i < n_gold; i++)
		if (seg_words_of(&wg[i], gold[i] ? gold[i] : "") < 0)
			goto cleanup;
	for (size_t p = 0; p < n_pred; p++)
		for (size_t g = 0; g < n_gold; g++) {
			double j = seg_words_jaccard(&wp[p], &wg[g]);
			if (j < threshold || j <= 0)
				continue;
			if (n_pairs == cap) {
				size_t nc = cap ? cap * 2 : 64;
				gpair *np = realloc(pairs, nc * sizeof *np);
				if (!np)
					goto cleanup;
				pairs = np;
				cap = nc;
			}
			pairs[n_pairs++] = (gpair){j, p, g};
		}
	if (n_pairs > 0)
		qsort(pairs, n_pairs, sizeof *pairs, cmp_gpair);
	for (size_t i = 0; i < n_pred; i++)
		p2g[i] = (size_t)-1;
	for (size_t i = 0; i < n_gold; i++)
		g2p[i] = (size_t)-1;
	matched = 0;
	for (size_t k = 0; k < n_pairs; k++) {
		if (p2g[pairs[k].p] != (size_t)-1 || g2p[pairs[k].g] != (size_t)-1)
			continue;
		p2g[pairs[k].p] = pairs[k].g;
		g2p[pairs[k].g] = pairs[k].p;
		matched++;
	}
	if (pred_to_gold)
		memcpy(pred_to_gold, p2g, n_pred * sizeof *p2g);
	if (gold_to_pred)
		memcpy(gold_to_pred, g2p, n_gold * sizeof *g2p);
cleanup:
	if (wp)
		for (size_t i = 0; i < n_pred; i++)
			seg_words_free(&wp[i]);
	if (wg)
		for (size_t i = 0; i < n_gold; i++)
			seg_words_free(&wg[i]);
	free(wp);
	free(wg);
	free(pairs);
	free(p2g);
	free(g2p);
	return matched;
}
