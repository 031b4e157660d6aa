/*
 * output/model.c: reads a scan.json tree once into dhr_agg, the counted view
 * that every output draws from (themes, groups, agencies, case types, the
 * homicide / suicide split, the agency x theme matrix), and builds the
 * "totals" object of scan.json from it. Also checks and loads scan.json files.
 */
#include "dhr/output.h"
#include "dhr/util.h"
#include "internal.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *dhr_json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

double dhr_json_num(const cJSON *obj, const char *key, double fallback)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : fallback;
}

const cJSON *dhr_json_arr(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsArray(v) ? v : NULL;
}

const cJSON *dhr_json_obj(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *dhr_json_items(const cJSON *obj, const char *key)
{
	const cJSON *a = dhr_json_arr(obj, key);
	return a ? a->child : NULL;
}

double dhr_pct(size_t a, size_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0.0;
}

int dhr_output_check(const cJSON *scan, dhr_error *err)
{
	if (!cJSON_IsObject(scan))
		return dhr_error_set(err, DHR_ERROR, "not a scan: the top level is not a JSON object");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(scan, "schema_version");
	if (!cJSON_IsNumber(v))
		return dhr_error_set(err, DHR_ERROR, "not a scan: no schema_version");
	if (v->valuedouble != DHR_SCAN_SCHEMA_VERSION)
		return dhr_error_set(err, DHR_ERROR, "schema_version %g is not supported (this dhr reads %d)",
		                     v->valuedouble, DHR_SCAN_SCHEMA_VERSION);
	const cJSON *docs = dhr_json_arr(scan, "documents");
	if (!docs)
		return dhr_error_set(err, DHR_ERROR, "not a scan: no \"documents\" array");
	int i = 0;
	const cJSON *d;
	for (d = docs ? docs->child : NULL; d; d = d->next) {
		if (!cJSON_IsObject(d) || !dhr_json_str(d, "path"))
			return dhr_error_set(err, DHR_ERROR, "documents[%d]: not an object with a \"path\"",
			                     i);
		const cJSON *recs = cJSON_GetObjectItemCaseSensitive(d, "recommendations");
		if (recs && !cJSON_IsArray(recs) && !cJSON_IsNull(recs))
			return dhr_error_set(err, DHR_ERROR, "documents[%d].recommendations: not an array",
			                     i);
		i++;
	}
	return 0;
}

int dhr_output_load(cJSON **out, const char *path, dhr_error *err)
{
	char *text = NULL;
	size_t len = 0;
	cJSON *scan = NULL;
	int error;
	*out = NULL;
	if ((error = dhr_read_file(&text, &len, path, err)) < 0)
		goto cleanup;
	const char *end = NULL;
	scan = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!scan) {
		/* the line of the failing byte, for people */
		int line = 1;
		for (const char *p = text; end && p < end && p < text + len; p++)
			line += *p == '\n';
		error = dhr_error_set(err, DHR_ERROR, "%s:%d: not valid JSON", path, line);
		goto cleanup;
	}
	dhr_error inner;
	if ((error = dhr_output_check(scan, &inner)) < 0) {
		dhr_error_set(err, error, "%s: %s", path, inner.message);
		goto cleanup;
	}
	*out = scan;
	scan = NULL;
cleanup:
	cJSON_Delete(scan);
	free(text);
	return error;
}

/* ---- building the view ---- */

static int facet_find(const dhr_agg_facet *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->labels[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* Index of label `id`, added (named by its id) when the facet does not list it. */
static int facet_intern(dhr_agg_facet *f, const char *id, const char *name, int declared)
{
	int i = facet_find(f, id);
	if (i >= 0)
		return i;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		dhr_agg_label *l = realloc(f->labels, cap * sizeof *l);
		if (!l)
			return DHR_ENOMEM;
		f->labels = l;
		f->cap = cap;
	}
	dhr_agg_label *l = &f->labels[f->n];
	memset(l, 0, sizeof *l);
	l->id = id;
	l->name = name ? name : id;
	l->group = -1;
	l->declared = declared;
	return (int)f->n++;
}

static int group_intern(dhr_agg *agg, const char *id, const char *name)
{
	for (size_t i = 0; i < agg->n_groups; i++)
		if (strcmp(agg->groups[i].id, id) == 0)
			return (int)i;
	dhr_agg_group *g = realloc(agg->groups, (agg->n_groups + 1) * sizeof *g);
	if (!g)
		return DHR_ENOMEM;
	agg->groups = g;
	g = &agg->groups[agg->n_groups];
	memset(g, 0, sizeof *g);
	g->id = id;
	g->name = name ? name : id;
	return (int)agg->n_groups++;
}

/* The value of facet `name` of a recommendation or document: its "labels" map
 * (every facet, since schema_version 1 added it), else the key of the first
 * schema ("themes" for facet theme; "agency", "case_type" and any other under
 * its own name), so that older scan.json files read the same. */
static const cJSON *facet_value(const cJSON *o, const char *name)
{
	const cJSON *labels = dhr_json_obj(o, "labels");
	const cJSON *v = labels ? cJSON_GetObjectItemCaseSensitive(labels, name) : NULL;
	if (v)
		return v;
	return cJSON_GetObjectItemCaseSensitive(o, strcmp(name, "theme") == 0 ? "themes" : name);
}

/* The facets of the scan; a scan without a "facets" list (hand-made, or
 * older) has the three of the first schema. */
static int agg_read_fdefs(dhr_agg *agg)
{
	static const struct {
		const char *name;
		int multi, document;
	} legacy[] = {{"theme", 1, 0}, {"agency", 0, 0}, {"case_type", 0, 1}};
	const cJSON *list = dhr_json_arr(agg->scan, "facets"), *f;
	size_t n = list ? (size_t)cJSON_GetArraySize(list) : 3;
	agg->fdefs = calloc(n + 1, sizeof *agg->fdefs);
	if (!agg->fdefs)
		return DHR_ENOMEM;
	if (!list) {
		for (size_t i = 0; i < 3; i++) {
			agg->fdefs[i].name = legacy[i].name;
			agg->fdefs[i].multi = legacy[i].multi;
			agg->fdefs[i].document = legacy[i].document;
		}
		agg->n_fdefs = 3;
	}
	for (f = list ? list->child : NULL; f; f = f->next) {
		const char *name = dhr_json_str(f, "name");
		if (!name)
			continue;
		dhr_agg_fdef *x = &agg->fdefs[agg->n_fdefs++];
		x->name = name;
		x->multi = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "multi"));
		const char *scope = dhr_json_str(f, "scope");
		x->document = scope && strcmp(scope, "document") == 0;
		x->default_id = dhr_json_str(f, "default");
		const cJSON *l;
		for (l = dhr_json_items(f, "labels"); l; l = l->next) {
			const char *id = dhr_json_str(l, "id");
			if (id && facet_intern(&x->set, id, dhr_json_str(l, "name"), 1) < 0)
				return DHR_ENOMEM;
		}
	}
	/* the case-type facet is the document facet named case_type, else the first single one; the
	 * other document facets are the case profile (scan.json's "profile", counted by profile.c) */
	int case_f = -1;
	for (int pass = 0; pass < 2 && case_f < 0; pass++)
		for (size_t i = 0; i < agg->n_fdefs && case_f < 0; i++)
			if (!agg->fdefs[i].multi && agg->fdefs[i].document &&
			    (pass || strcmp(agg->fdefs[i].name, "case_type") == 0))
				case_f = (int)i;
	size_t w = 0;
	for (size_t i = 0; i < agg->n_fdefs; i++)
		if (!agg->fdefs[i].document || (int)i == case_f)
			agg->fdefs[w++] = agg->fdefs[i];
		else
			free(agg->fdefs[i].set.labels);
	agg->n_fdefs = w;
	/* the roles: by name when the rules use the first schema's names, else by kind */
	agg->theme_f = agg->agency_f = agg->case_f = -1;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < agg->n_fdefs; i++) {
			const dhr_agg_fdef *x = &agg->fdefs[i];
			if (agg->theme_f < 0 && x->multi && !x->document &&
			    (pass || strcmp(x->name, "theme") == 0))
				agg->theme_f = (int)i;
			if (agg->agency_f < 0 && !x->multi && !x->document &&
			    (pass || strcmp(x->name, "agency") == 0))
				agg->agency_f = (int)i;
			if (agg->case_f < 0 && !x->multi && x->document &&
			    (pass || strcmp(x->name, "case_type") == 0))
				agg->case_f = (int)i;
		}
	return 0;
}

static const char *role_name(const dhr_agg *agg, int f)
{
	return f >= 0 ? agg->fdefs[f].name : NULL;
}

static dhr_agg_facet *agg_facet(dhr_agg *agg, const char *name)
{
	if (!name)
		return NULL;
	const char *theme = role_name(agg, agg->theme_f), *agency = role_name(agg, agg->agency_f),
		   *ct = role_name(agg, agg->case_f);
	if (theme && strcmp(name, theme) == 0)
		return &agg->themes;
	if (agency && strcmp(name, agency) == 0)
		return &agg->agencies;
	if (ct && strcmp(name, ct) == 0)
		return &agg->case_types;
	return NULL;
}

static int agg_read_facets(dhr_agg *agg)
{
	const cJSON *g, *f, *l;
	int error;
	if ((error = agg_read_fdefs(agg)) < 0)
		return error;
	for (g = dhr_json_items(agg->scan, "groups"); g; g = g->next) {
		const char *id = dhr_json_str(g, "id");
		if (id && group_intern(agg, id, dhr_json_str(g, "name")) < 0)
			return DHR_ENOMEM;
	}
	for (f = dhr_json_items(agg->scan, "facets"); f; f = f->next) {
		dhr_agg_facet *facet = agg_facet(agg, dhr_json_str(f, "name"));
		if (!facet)
			continue;
		for (l = dhr_json_items(f, "labels"); l; l = l->next) {
			const char *id = dhr_json_str(l, "id");
			if (!id)
				continue;
			int i = facet_intern(facet, id, dhr_json_str(l, "name"), 1);
			if (i < 0)
				return i;
			const char *group = dhr_json_str(l, "group");
			if (group && facet == &agg->themes) {
				int gi = group_intern(agg, group, NULL);
				if (gi < 0)
					return gi;
				facet->labels[i].group = gi;
			}
		}
	}
	const char *dflt = agg->agency_f >= 0 ? agg->fdefs[agg->agency_f].default_id : NULL;
	int u = facet_intern(&agg->agencies, dflt ? dflt : "unknown", "Not stated", 0);
	if (u < 0)
		return u;
	agg->unknown_agency = (size_t)u;
	return 0;
}

static int split_of(const char *case_type)
{
	if (!case_type)
		return DHR_SPLIT_UNKNOWN;
	if (strcmp(case_type, "homicide") == 0 || strcmp(case_type, "homicide_suicide") == 0)
		return DHR_SPLIT_HOMICIDE;
	if (strcmp(case_type, "suicide") == 0)
		return DHR_SPLIT_SUICIDE;
	return DHR_SPLIT_UNKNOWN;
}

/* First pass: documents and recommendations, with every label they use interned. */
static int agg_read_documents(dhr_agg *agg)
{
	const cJSON *docs = dhr_json_arr(agg->scan, "documents");
	size_t n_docs = (size_t)cJSON_GetArraySize(docs), n_recs = 0, n_refs = 0;
	const cJSON *d, *r, *t;
	const char *theme_name = role_name(agg, agg->theme_f), *agency_name = role_name(agg, agg->agency_f),
		   *case_name = role_name(agg, agg->case_f);
	size_t n_frefs = 0;
	for (d = docs ? docs->child : NULL; d; d = d->next) {
		for (r = dhr_json_items(d, "recommendations"); r; r = r->next) {
			n_recs++;
			if (theme_name) {
				const cJSON *tv = facet_value(r, theme_name);
				n_refs += cJSON_IsArray(tv) ? (size_t)cJSON_GetArraySize(tv) : 0;
			}
			for (size_t f = 0; f < agg->n_fdefs; f++) {
				const cJSON *v = facet_value(r, agg->fdefs[f].name);
				n_frefs += cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : (size_t)(cJSON_IsString(v) != 0);
			}
		}
	}
	agg->docs = calloc(n_docs ? n_docs : 1, sizeof *agg->docs);
	agg->recs = calloc(n_recs ? n_recs : 1, sizeof *agg->recs);
	agg->theme_refs = calloc(n_refs ? n_refs : 1, sizeof *agg->theme_refs);
	agg->frefs = calloc(n_frefs ? n_frefs : 1, sizeof *agg->frefs);
	agg->fref0 = calloc(n_recs * agg->n_fdefs + 1, sizeof *agg->fref0);
	agg->frefn = calloc(n_recs * agg->n_fdefs + 1, sizeof *agg->frefn);
	if (!agg->docs || !agg->recs || !agg->theme_refs || !agg->frefs || !agg->fref0 || !agg->frefn)
		return DHR_ENOMEM;
	size_t n_fr = 0;

	for (d = docs ? docs->child : NULL; d; d = d->next) {
		dhr_agg_doc *doc = &agg->docs[agg->n_docs];
		doc->json = d;
		doc->path = dhr_json_str(d, "path");
		doc->title = dhr_json_str(d, "title");
		if (doc->title && !*doc->title)
			doc->title = NULL;
		const char *status = dhr_json_str(d, "status");
		doc->ok = !status || strcmp(status, "error") != 0;
		if (!doc->ok) {
			const cJSON *e = dhr_json_obj(d, "error");
			doc->error_code = dhr_json_str(e, "code");
			doc->error_message = dhr_json_str(e, "message");
			agg->n_failed++;
		}
		double pages = dhr_json_num(d, "pages", -1);
		doc->pages = pages >= 0 && pages < 1e9 ? (long)pages : -1;
		doc->n_warnings = (size_t)cJSON_GetArraySize(dhr_json_arr(d, "warnings"));
		doc->ocr_min_confidence = 100;
		for (const cJSON *op = dhr_json_items(dhr_json_obj(d, "ocr"), "pages"); op; op = op->next) {
			double c = dhr_json_num(op, "confidence", 0);
			doc->n_ocr_pages++;
			if (c < doc->ocr_min_confidence)
				doc->ocr_min_confidence = c;
		}
		const cJSON *ctv = case_name ? facet_value(d, case_name) : NULL;
		const char *ct = cJSON_IsString(ctv) ? ctv->valuestring : NULL;
		doc->case_type = -1;
		if (ct && (doc->case_type = facet_intern(&agg->case_types, ct, NULL, 0)) < 0)
			return DHR_ENOMEM;
		doc->split = split_of(ct);
		doc->rec0 = agg->n_recs;
		for (r = dhr_json_items(d, "recommendations"); r; r = r->next) {
			dhr_agg_rec *rec = &agg->recs[agg->n_recs];
			rec->json = r;
			rec->doc = agg->n_docs;
			rec->id = dhr_json_str(r, "id");
			rec->number = dhr_json_str(r, "number");
			rec->text = dhr_json_str(r, "text");
			if (!rec->text)
				rec->text = "";
			rec->section = dhr_json_str(r, "section");
			rec->agency_text = dhr_json_str(r, "agency_text");
			rec->scope = dhr_json_str(r, "scope");
			rec->ocr = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ocr"));
			const cJSON *av = agency_name ? facet_value(r, agency_name) : NULL;
			const char *agency = cJSON_IsString(av) ? av->valuestring : NULL;
			rec->agency =
			    agency ? facet_intern(&agg->agencies, agency, NULL, 0) : (int)agg->unknown_agency;
			if (rec->agency < 0)
				return DHR_ENOMEM;
			rec->theme0 = agg->n_theme_refs;
			const cJSON *tv = theme_name ? facet_value(r, theme_name) : NULL;
			for (t = cJSON_IsArray(tv) ? tv->child : NULL; t; t = t->next) {
				if (!cJSON_IsString(t))
					continue;
				int ti = facet_intern(&agg->themes, t->valuestring, NULL, 0);
				if (ti < 0)
					return ti;
				int seen = 0;
				for (size_t k = rec->theme0; k < agg->n_theme_refs; k++)
					seen |= agg->theme_refs[k] == ti;
				if (!seen)
					agg->theme_refs[agg->n_theme_refs++] = ti;
			}
			rec->n_themes = agg->n_theme_refs - rec->theme0;
			/* every facet's labels, distinct, in the order given */
			for (size_t f = 0; f < agg->n_fdefs; f++) {
				size_t at = agg->n_recs * agg->n_fdefs + f;
				agg->fref0[at] = n_fr;
				const cJSON *v = facet_value(r, agg->fdefs[f].name);
				const cJSON *x = cJSON_IsArray(v) ? v->child : v;
				for (; x; x = cJSON_IsArray(v) ? x->next : NULL) {
					if (!cJSON_IsString(x))
						continue;
					int li = facet_intern(&agg->fdefs[f].set, x->valuestring, NULL, 0);
					if (li < 0)
						return li;
					int seen = 0;
					for (size_t k = agg->fref0[at]; k < n_fr; k++)
						seen |= agg->frefs[k] == li;
					if (!seen)
						agg->frefs[n_fr++] = li;
				}
				agg->frefn[at] = n_fr - agg->fref0[at];
			}
			agg->n_recs++;
		}
		doc->n_recs = agg->n_recs - doc->rec0;
		agg->n_docs++;
	}
	return 0;
}

/* Second pass: the counts, now that every label is known. */
static int agg_count(dhr_agg *agg)
{
	size_t nt = agg->themes.n, na = agg->agencies.n, nc = agg->case_types.n;
	agg->matrix = calloc(na * nt + 1, sizeof *agg->matrix);
	agg->theme_case = calloc(nt * nc + 1, sizeof *agg->theme_case);
	int *group_hit = calloc(agg->n_groups ? agg->n_groups : 1, sizeof *group_hit);
	if (!agg->matrix || !agg->theme_case || !group_hit) {
		free(group_hit);
		return DHR_ENOMEM;
	}
	for (size_t t = 0; t < nt; t++)
		if (agg->themes.labels[t].group >= 0)
			agg->groups[agg->themes.labels[t].group].n_themes++;
	for (size_t i = 0; i < agg->n_docs; i++) {
		const dhr_agg_doc *doc = &agg->docs[i];
		if (doc->ok)
			agg->docs_split[doc->split]++;
		if (doc->case_type >= 0) {
			agg->case_types.labels[doc->case_type].count++;
			agg->case_types.labels[doc->case_type].split[doc->split]++;
		}
		for (size_t f = 0; f < agg->n_fdefs; f++) {
			dhr_agg_fdef *x = &agg->fdefs[f];
			if (x->document) {
				/* a document facet: one value per document */
				const cJSON *v = facet_value(doc->json, x->name);
				const cJSON *e = cJSON_IsArray(v) ? v->child : v;
				for (; e; e = cJSON_IsArray(v) ? e->next : NULL) {
					if (!cJSON_IsString(e))
						continue;
					int li = facet_intern(&x->set, e->valuestring, NULL, 0);
					if (li < 0) {
						free(group_hit);
						return li;
					}
					x->set.labels[li].count++;
					x->set.labels[li].split[doc->split]++;
				}
				continue;
			}
			for (size_t l = 0; l < x->set.n; l++)
				if ((!x->default_id || strcmp(x->set.labels[l].id, x->default_id) != 0) &&
				    dhr_agg_doc_tagged(agg, i, f, (int)l))
					x->set.labels[l].docs++;
		}
	}
	for (size_t i = 0; i < agg->n_recs; i++) {
		const dhr_agg_rec *rec = &agg->recs[i];
		const dhr_agg_doc *doc = &agg->docs[rec->doc];
		int s = doc->split;
		agg->recs_split[s]++;
		agg->agencies.labels[rec->agency].count++;
		agg->agencies.labels[rec->agency].split[s]++;
		if (rec->n_themes == 0) {
			agg->no_theme++;
			agg->no_theme_split[s]++;
		}
		memset(group_hit, 0, agg->n_groups * sizeof *group_hit);
		for (size_t k = 0; k < rec->n_themes; k++) {
			int t = agg->theme_refs[rec->theme0 + k];
			dhr_agg_label *l = &agg->themes.labels[t];
			l->count++;
			l->split[s]++;
			agg->matrix[(size_t)rec->agency * nt + (size_t)t]++;
			if (doc->case_type >= 0)
				agg->theme_case[(size_t)t * nc + (size_t)doc->case_type]++;
			if (l->group >= 0)
				group_hit[l->group] = 1;
		}
		for (size_t g = 0; g < agg->n_groups; g++)
			if (group_hit[g]) {
				agg->groups[g].count++;
				agg->groups[g].split[s]++;
			}
		for (size_t f = 0; f < agg->n_fdefs; f++) {
			dhr_agg_fdef *x = &agg->fdefs[f];
			if (x->document)
				continue;
			size_t n;
			const int *ls = dhr_agg_rec_labels(agg, i, f, &n);
			if (!n) {
				x->none++;
				x->none_split[s]++;
			}
			for (size_t k = 0; k < n; k++) {
				x->set.labels[ls[k]].count++;
				x->set.labels[ls[k]].split[s]++;
			}
		}
	}
	free(group_hit);
	return 0;
}

int dhr_agg_new(dhr_agg **out, const cJSON *scan, dhr_error *err)
{
	int error;
	*out = NULL;
	if ((error = dhr_output_check(scan, err)) < 0)
		return error;
	dhr_agg *agg = calloc(1, sizeof *agg);
	if (!agg)
		return dhr_error_set(err, DHR_ENOMEM, "out of memory");
	agg->scan = scan;
	agg->generated = dhr_json_str(scan, "generated");
	agg->version = dhr_json_str(dhr_json_obj(scan, "tool"), "version");
	agg->rules_source = dhr_json_str(dhr_json_obj(scan, "rules"), "source");
	agg->rules_sha256 = dhr_json_str(dhr_json_obj(scan, "rules"), "sha256");
	if ((error = agg_read_facets(agg)) < 0 || (error = agg_read_documents(agg)) < 0 ||
	    (error = agg_count(agg)) < 0) {
		dhr_agg_free(agg);
		return dhr_error_set(err, error, "out of memory");
	}
	*out = agg;
	return 0;
}

void dhr_agg_free(dhr_agg *agg)
{
	if (!agg)
		return;
	free(agg->themes.labels);
	free(agg->agencies.labels);
	free(agg->case_types.labels);
	free(agg->groups);
	free(agg->docs);
	free(agg->recs);
	free(agg->theme_refs);
	free(agg->matrix);
	free(agg->theme_case);
	for (size_t f = 0; f < agg->n_fdefs; f++)
		free(agg->fdefs[f].set.labels);
	free(agg->fdefs);
	free(agg->frefs);
	free(agg->fref0);
	free(agg->frefn);
	free(agg);
}

const int *dhr_agg_rec_labels(const dhr_agg *agg, size_t r, size_t f, size_t *n)
{
	size_t at = r * agg->n_fdefs + f;
	*n = agg->frefn[at];
	return *n ? &agg->frefs[agg->fref0[at]] : NULL;
}

int dhr_agg_doc_tagged(const dhr_agg *agg, size_t d, size_t f, int l)
{
	const dhr_agg_doc *doc = &agg->docs[d];
	for (size_t r = doc->rec0; r < doc->rec0 + doc->n_recs; r++) {
		size_t n;
		const int *ls = dhr_agg_rec_labels(agg, r, f, &n);
		for (size_t k = 0; k < n; k++)
			if (ls[k] == l)
				return 1;
	}
	return 0;
}

void dhr_agg_fdef_order(const dhr_agg *agg, size_t f, size_t *order)
{
	const dhr_agg_fdef *x = &agg->fdefs[f];
	for (size_t i = 0; i < x->set.n; i++)
		order[i] = i;
	for (size_t i = 1; i < x->set.n; i++) {
		size_t v = order[i], j = i;
		while (j > 0) {
			size_t u = order[j - 1];
			int v_dflt = x->default_id && strcmp(x->set.labels[v].id, x->default_id) == 0;
			int u_dflt = x->default_id && strcmp(x->set.labels[u].id, x->default_id) == 0;
			int before = v_dflt ? 0 : u_dflt ? 1 : x->set.labels[v].count > x->set.labels[u].count;
			if (!before)
				break;
			order[j] = u;
			j--;
		}
		order[j] = v;
	}
}

size_t dhr_agg_case_docs(const dhr_agg *agg, const char *id)
{
	for (size_t i = 0; i < agg->case_types.n; i++)
		if (strcmp(agg->case_types.labels[i].id, id) == 0)
			return agg->case_types.labels[i].count;
	return 0;
}

const char *dhr_agg_doc_name(const dhr_agg_doc *d)
{
	if (d->title)
		return d->title;
	const char *slash = strrchr(d->path, '/');
	return slash && slash[1] ? slash + 1 : d->path;
}

/* ---- display order ---- */

static void sort_by_count(const dhr_agg *agg, const dhr_agg_facet *f, size_t *idx, size_t n)
{
	/* insertion sort: a stable sort with a payload, and facets are small */
	for (size_t i = 1; i < n; i++) {
		size_t v = idx[i], j = i;
		while (j > 0) {
			size_t u = idx[j - 1];
			int before = f->labels[v].count > f->labels[u].count;
			if (f == &agg->agencies) {
				/* "unknown" always last */
				if (v == agg->unknown_agency)
					before = 0;
				else if (u == agg->unknown_agency)
					before = 1;
			}
			if (!before)
				break;
			idx[j] = u;
			j--;
		}
		idx[j] = v;
	}
}

size_t dhr_agg_theme_rows(const dhr_agg *agg, dhr_agg_row *rows)
{
	size_t n = 0, nt = agg->themes.n;
	for (size_t g = 0; g <= agg->n_groups; g++) {
		/* g == n_groups: the themes without a group */
		int gid = g < agg->n_groups ? (int)g : -1;
		if (gid >= 0) {
			if (agg->groups[g].n_themes == 0)
				continue;
			rows[n].is_group = 1;
			rows[n].index = g;
			n++;
		}
		size_t start = n;
		for (size_t t = 0; t < nt; t++)
			if (agg->themes.labels[t].group == gid) {
				rows[n].is_group = 0;
				rows[n].index = t;
				n++;
			}
		/* stable insertion sort of rows[start..n) by count, descending */
		for (size_t i = start + 1; i < n; i++) {
			dhr_agg_row v = rows[i];
			size_t j = i;
			while (j > start && agg->themes.labels[v.index].count >
			                        agg->themes.labels[rows[j - 1].index].count) {
				rows[j] = rows[j - 1];
				j--;
			}
			rows[j] = v;
		}
	}
	return n;
}

void dhr_agg_agency_order(const dhr_agg *agg, size_t *order)
{
	for (size_t i = 0; i < agg->agencies.n; i++)
		order[i] = i;
	sort_by_count(agg, &agg->agencies, order, agg->agencies.n);
}

/* ---- totals ---- */

static int add_count(cJSON *obj, const char *key, size_t n)
{
	return cJSON_AddNumberToObject(obj, key, (double)n) ? 0 : DHR_ENOMEM;
}

int dhr_output_totals(cJSON **out, const cJSON *scan, dhr_error *err)
{
	dhr_agg *agg = NULL;
	cJSON *t = NULL;
	int error;
	*out = NULL;
	if ((error = dhr_agg_new(&agg, scan, err)) < 0)
		return error;
	error = DHR_ENOMEM;
	cJSON *themes, *groups, *agencies, *cases, *tbc;
	if (!(t = cJSON_CreateObject()) || add_count(t, "documents", agg->n_docs) < 0 ||
	    add_count(t, "documents_failed", agg->n_failed) < 0 ||
	    add_count(t, "recommendations", agg->n_recs) < 0 ||
	    !(themes = cJSON_AddObjectToObject(t, "themes")) ||
	    !(groups = cJSON_AddObjectToObject(t, "groups")) ||
	    !(agencies = cJSON_AddObjectToObject(t, "agencies")) ||
	    !(cases = cJSON_AddObjectToObject(t, "case_types")) ||
	    !(tbc = cJSON_AddObjectToObject(t, "themes_by_case_type")))
		goto cleanup;
	for (size_t i = 0; i < agg->themes.n; i++)
		if (add_count(themes, agg->themes.labels[i].id, agg->themes.labels[i].count) < 0)
			goto cleanup;
	for (size_t i = 0; i < agg->n_groups; i++)
		if (add_count(groups, agg->groups[i].id, agg->groups[i].count) < 0)
			goto cleanup;
	for (size_t i = 0; i < agg->agencies.n; i++)
		if (add_count(agencies, agg->agencies.labels[i].id, agg->agencies.labels[i].count) < 0)
			goto cleanup;
	for (size_t c = 0; c < agg->case_types.n; c++) {
		if (add_count(cases, agg->case_types.labels[c].id, agg->case_types.labels[c].count) < 0)
			goto cleanup;
		cJSON *per = cJSON_AddObjectToObject(tbc, agg->case_types.labels[c].id);
		if (!per)
			goto cleanup;
		for (size_t i = 0; i < agg->themes.n; i++)
			if (add_count(per, agg->themes.labels[i].id,
			              agg->theme_case[i * agg->case_types.n + c]) < 0)
				goto cleanup;
	}
	/* every facet: recommendations per label (documents for a document facet), and the
	 * recommendation facets' tags: documents per label */
	cJSON *facets, *tags;
	if (!(facets = cJSON_AddObjectToObject(t, "facets")) || !(tags = cJSON_AddObjectToObject(t, "tags")))
		goto cleanup;
	for (size_t f = 0; f < agg->n_fdefs; f++) {
		const dhr_agg_fdef *x = &agg->fdefs[f];
		cJSON *fo = cJSON_AddObjectToObject(facets, x->name), *to = NULL;
		if (!fo || (!x->document && !(to = cJSON_AddObjectToObject(tags, x->name))))
			goto cleanup;
		for (size_t l = 0; l < x->set.n; l++) {
			const dhr_agg_label *lab = &x->set.labels[l];
			if (add_count(fo, lab->id, lab->count) < 0)
				goto cleanup;
			if (to && !(x->default_id && strcmp(lab->id, x->default_id) == 0) &&
			    add_count(to, lab->id, lab->docs) < 0)
				goto cleanup;
		}
	}
	if (dhr_prof_totals(t, agg) < 0)
		goto cleanup;
	*out = t;
	t = NULL;
	error = 0;
cleanup:
	if (error < 0)
		dhr_error_set(err, error, "out of memory");
	cJSON_Delete(t);
	dhr_agg_free(agg);
	return error;
}
