/*
 * scan/tree.c: classification and assembly of the scan.json tree. Runs in
 * the parent process with the compiled rules: case type from each
 * document's cached text, then themes, agency and evidence for each of its
 * recommendations; the totals come from output's dhr_output_totals() so the
 * numbers in scan.json, the CSVs and the report are computed one way.
 */
#include "internal.h"
#include "dhr/output.h"
#include "dhr/rules.h"
#include "dhr/util.h"

#include <cJSON.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct dhr_scan_tree {
	const dhr_rules *rules;
	char *cache_dir;
	dhr_classifier *cls;
	dhr_result *res;
	cJSON *docs;
	int theme, agency, case_type; /* facet indices, or -1 */
	dhr_warn_fn warn;
	void *payload;
	int limit_hit; /* a pattern hit a PCRE2 limit in the document being classified */
};

static void on_diag(const dhr_diag *d, void *payload)
{
	dhr_scan_tree *t = payload;
	t->limit_hit = 1;
	if (!t->warn)
		return;
	char msg[512];
	snprintf(msg, sizeof msg, "%s:%d: %s", d->file ? d->file : "rules", d->line, d->message);
	t->warn(msg, t->payload);
}

/* The facet whose labels go under the first schema's keys ("themes",
 * "agency", "case_type"): the facet of that name, else the first facet of
 * that kind (multi or single, of that scope), so that with any rules those
 * keys hold the theme-like, agency-like and case-type-like labels that the
 * totals, CSVs and report show (output/model.c chooses the same way). */
static int role_facet(const dhr_rules *rules, const char *name, int multi, dhr_scope scope)
{
	int first = -1;
	for (size_t f = 0; f < dhr_rules_facet_count(rules); f++) {
		const dhr_facet_info *fi = dhr_rules_facet(rules, f);
		if (fi->scope != scope || (!fi->single) != multi)
			continue;
		if (strcmp(fi->name, name) == 0)
			return (int)f;
		if (first < 0)
			first = (int)f;
	}
	return first;
}

int dhr_scan_tree_new(dhr_scan_tree **out, const dhr_rules *rules, const char *cache_dir, dhr_warn_fn warn,
		      void *payload, dhr_error *err)
{
	dhr_scan_tree *t = calloc(1, sizeof *t);
	if (!t)
		return dhr_error_set(err, DHR_ENOMEM, "out of memory");
	t->rules = rules;
	t->cache_dir = strdup(cache_dir);
	t->warn = warn;
	t->payload = payload;
	if (dhr_classifier_new(&t->cls, rules, on_diag, t) < 0 || !(t->res = dhr_result_new()) ||
	    !(t->docs = cJSON_CreateArray())) {
		dhr_scan_tree_free(t);
		return dhr_error_set(err, DHR_ENOMEM, "out of memory");
	}
	t->theme = role_facet(rules, "theme", 1, DHR_SCOPE_RECOMMENDATION);
	t->agency = role_facet(rules, "agency", 0, DHR_SCOPE_RECOMMENDATION);
	t->case_type = role_facet(rules, "case_type", 0, DHR_SCOPE_DOCUMENT);
	*out = t;
	return 0;
}

void dhr_scan_tree_free(dhr_scan_tree *t)
{
	if (!t)
		return;
	dhr_result_free(t->res);
	dhr_classifier_free(t->cls);
	cJSON_Delete(t->docs);
	free(t->cache_dir);
	free(t);
}

static const char *field_name(dhr_field f)
{
	return f == DHR_FIELD_AGENCY_TEXT ? "agency_text" : f == DHR_FIELD_DOCUMENT ? "document" : "text";
}

static void set_item(cJSON *o, const char *key, cJSON *v)
{
	if (cJSON_HasObjectItem(o, key))
		cJSON_ReplaceItemInObjectCaseSensitive(o, key, v);
	else
		cJSON_AddItemToObject(o, key, v);
}

/* The sentence of `text` around bytes [s, e): back to the previous sentence end, on to the next
 * (at most ~300 bytes each way, cut at a character boundary), whitespace runs collapsed. */
static char *sentence_around(const char *text, size_t len, size_t s, size_t e)
{
	if (s > len)
		s = len;
	if (e > len)
		e = len;
	size_t a = s, z = e;
	while (a > 0 && s - a < 300) {
		char c = text[a - 1];
		if (c == '\f' || ((c == '.' || c == '?' || c == '!') && a < len && g_ascii_isspace(text[a])) ||
		    (c == '\n' && a >= 2 && text[a - 2] == '\n'))
			break;
		a--;
	}
	while (a < s && ((unsigned char)text[a] & 0xC0) == 0x80)
		a++;
	while (z < len && z - e < 300) {
		char c = text[z];
		z++;
		if (c == '\f' || ((c == '.' || c == '?' || c == '!') && (z >= len || g_ascii_isspace(text[z]))))
			break;
	}
	while (z > e && z < len && ((unsigned char)text[z] & 0xC0) == 0x80)
		z--;
	GString *g = g_string_sized_new(z - a + 1);
	int space = 0;
	for (size_t i = a; i < z; i++) {
		char c = text[i];
		if (g_ascii_isspace(c) || c == '\f') {
			space = g->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(g, ' ');
		space = 0;
		g_string_append_c(g, c);
	}
	return g_string_free(g, FALSE);
}

/* Collapse whitespace runs of a captured value (a line break inside "White\nBritish"). */
static char *clean_value(const char *v)
{
	GString *g = g_string_new(NULL);
	int space = 0;
	for (const char *p = v; *p; p++) {
		if (g_ascii_isspace(*p) || *p == '\f') {
			space = g->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(g, ' ');
		space = 0;
		g_string_append_c(g, *p);
	}
	return g_string_free(g, FALSE);
}

/* The evidence of one profile attribute: the rule, the match and its sentence in the text. A
 * rule that refers to another facet's label ("match label relationship.husband") shows that
 * label's own evidence, so every value leads to a sentence. */
static cJSON *profile_evidence(const dhr_scan_tree *t, const dhr_evidence *e, const char *text, size_t len)
{
	cJSON *x = cJSON_CreateObject();
	cJSON_AddStringToObject(x, "rule", e->rule);
	for (int hop = 0; hop < 8 && e->label_ref && e->ref_label >= 0; hop++) {
		const dhr_evidence *next = NULL;
		for (size_t i = 0; i < dhr_result_evidence_count(t->res) && !next; i++) {
			const dhr_evidence *r = dhr_result_evidence(t->res, i);
			if ((int)r->label == e->ref_label && r->label_fired && r->kind == DHR_RULE_MATCH)
				next = r;
		}
		if (!next)
			break;
		const dhr_label_info *li = dhr_rules_label(t->rules, (size_t)e->ref_label);
		char via[256];
		snprintf(via, sizeof via, "%s.%s", dhr_rules_facet(t->rules, li->facet)->name, li->id);
		if (!cJSON_HasObjectItem(x, "via"))
			cJSON_AddStringToObject(x, "via", via);
		e = next;
	}
	if (e->label_ref || !text) {
		cJSON_AddNullToObject(x, "match");
		cJSON_AddNullToObject(x, "sentence");
		return x;
	}
	char *m = clean_value(e->match ? e->match : "");
	cJSON_AddStringToObject(x, "match", m);
	g_free(m);
	cJSON_AddNumberToObject(x, "start", (double)e->start);
	cJSON_AddNumberToObject(x, "end", (double)e->end);
	char *snt = sentence_around(text, len, e->start, e->end);
	cJSON_AddStringToObject(x, "sentence", snt);
	g_free(snt);
	return x;
}

/*
 * Document-scope facets other than case_type are the case profile: per
 * facet its value ("unknown" when no rule held), the band of a number, and
 * the evidence (the rule, the matched words and their sentence). Facets
 * whose name starts with '_' are working facets of the rules: left out.
 */
static void put_profile(dhr_scan_tree *t, cJSON *o, const char *text, size_t len)
{
	cJSON *prof = NULL;
	for (size_t f = 0; f < dhr_rules_facet_count(t->rules); f++) {
		const dhr_facet_info *fi = dhr_rules_facet(t->rules, f);
		if (fi->scope != DHR_SCOPE_DOCUMENT || (int)f == t->case_type || fi->name[0] == '_')
			continue;
		if (!prof)
			prof = cJSON_CreateObject();
		cJSON *a = cJSON_AddObjectToObject(prof, fi->name);
		const dhr_evidence *ev = NULL;
		if (fi->value != DHR_VALUE_LABEL) {
			ev = dhr_result_value(t->res, f);
			long num = 0;
			if (!ev) {
				cJSON_AddStringToObject(a, "value", "unknown");
			} else if (fi->value == DHR_VALUE_NUMBER) {
				if (dhr_result_number(t->res, f, &num) == 0) {
					cJSON_AddNumberToObject(a, "value", (double)num);
				} else {
					cJSON_AddStringToObject(a, "value", "unknown");
					ev = NULL;
				}
			} else {
				char *v = clean_value(ev->value ? ev->value : "");
				cJSON_AddStringToObject(a, "value", v[0] ? v : "unknown");
				if (!v[0])
					ev = NULL;
				g_free(v);
			}
			if (fi->n_bands > 0) {
				const char *band = ev ? dhr_facet_band(fi, num) : NULL;
				cJSON_AddStringToObject(a, "band", band ? band : "unknown");
			}
		} else {
			size_t n = dhr_result_label_count(t->res, f);
			int li = n > 0 ? (int)dhr_result_label_at(t->res, f, 0) : -1;
			if (li < 0) {
				cJSON_AddStringToObject(a, "value", "unknown");
			} else {
				cJSON_AddStringToObject(a, "value", dhr_rules_label(t->rules, (size_t)li)->id);
				/* the first evidence of the chosen label, a pattern hit rather than a label reference */
				for (size_t i = 0; i < dhr_result_evidence_count(t->res); i++) {
					const dhr_evidence *e = dhr_result_evidence(t->res, i);
					if ((int)e->label != li || !e->label_fired || e->kind != DHR_RULE_MATCH)
						continue;
					if (!ev || (ev->label_ref && !e->label_ref))
						ev = e;
					if (!ev->label_ref)
						break;
				}
			}
		}
		cJSON_AddItemToObject(a, "evidence", ev ? profile_evidence(t, ev, text, len) : cJSON_CreateNull());
	}
	if (prof)
		set_item(o, "profile", prof);
}

/* The chosen labels of every facet of one scope, and the evidence that fired them. */
static void put_labels(dhr_scan_tree *t, cJSON *o, dhr_scope scope, int with_evidence)
{
	cJSON *extra = NULL;
	for (size_t f = 0; f < dhr_rules_facet_count(t->rules); f++) {
		const dhr_facet_info *fi = dhr_rules_facet(t->rules, f);
		if (fi->scope != scope)
			continue;
		if (scope == DHR_SCOPE_DOCUMENT && (int)f != t->case_type)
			continue; /* the case profile: put_profile() */
		cJSON *v;
		if (fi->single) {
			const char *id = dhr_result_single(t->res, f);
			v = id ? cJSON_CreateString(id) : cJSON_CreateNull();
		} else {
			v = cJSON_CreateArray();
			for (size_t i = 0; i < dhr_result_label_count(t->res, f); i++) {
				const dhr_label_info *li = dhr_rules_label(t->rules, dhr_result_label_at(t->res, f, i));
				cJSON_AddItemToArray(v, cJSON_CreateString(li->id));
			}
		}
		/* every facet in the generic map; the three of the first schema also
		 * under their own keys, where readers of schema_version 1 find them */
		if (!extra)
			extra = cJSON_AddObjectToObject(o, "labels");
		if ((int)f == t->theme)
			set_item(o, "themes", cJSON_Duplicate(v, 1));
		else if ((int)f == t->agency)
			set_item(o, "agency", cJSON_Duplicate(v, 1));
		else if ((int)f == t->case_type)
			set_item(o, "case_type", cJSON_Duplicate(v, 1));
		cJSON_AddItemToObject(extra, fi->name, v);
	}
	if (!with_evidence)
		return;
	cJSON *ev = cJSON_CreateArray();
	for (size_t i = 0; i < dhr_result_evidence_count(t->res); i++) {
		const dhr_evidence *e = dhr_result_evidence(t->res, i);
		if (!e->label_fired || e->kind != DHR_RULE_MATCH || e->label_ref)
			continue;
		const dhr_label_info *li = dhr_rules_label(t->rules, e->label);
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "label", li->id);
		cJSON_AddStringToObject(x, "facet", dhr_rules_facet(t->rules, li->facet)->name);
		cJSON_AddStringToObject(x, "rule", e->rule);
		cJSON_AddStringToObject(x, "match", e->match ? e->match : "");
		cJSON_AddNumberToObject(x, "start", (double)e->start);
		cJSON_AddNumberToObject(x, "end", (double)e->end);
		if (e->field != DHR_FIELD_TEXT)
			cJSON_AddStringToObject(x, "field", field_name(e->field));
		cJSON_AddItemToArray(ev, x);
	}
	set_item(o, "evidence", ev);
}

/* Where the classification of a document by these rules is remembered:
 * beside the document's cache entries (so a new extractor never meets the
 * results of an old one), in a folder per rules hash. */
static char *memo_path(const dhr_scan_tree *t, const char *sha256)
{
	char rules16[17];
	snprintf(rules16, sizeof rules16, "%s", dhr_rules_sha256(t->rules));
	return dhr_cache_memo_path(t->cache_dir, rules16, sha256);
}

/* Move every member of `from` into `to` (replacing what is there) and free `from`. */
static void merge_into(cJSON *to, cJSON *from)
{
	cJSON *v = from->child;
	while (v) {
		cJSON *next = v->next;
		cJSON_DetachItemViaPointer(from, v);
		set_item(to, v->string, v);
		v = next;
	}
	cJSON_Delete(from);
}

/* The remembered classification of a document with `n_recs` recommendations,
 * or NULL: {"doc": {document labels}, "recs": [{labels and evidence}, ...]}. */
static cJSON *memo_load(const char *memo, int n_recs)
{
	char *buf = NULL;
	size_t len = 0;
	if (dhr_read_file(&buf, &len, memo, NULL) < 0)
		return NULL;
	cJSON *m = cJSON_ParseWithLength(buf, len);
	free(buf);
	if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(m, "doc")) &&
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(m, "recs")) == n_recs)
		return m;
	cJSON_Delete(m);
	return NULL;
}

/* Classify a document from scratch: its document-scope labels (returned)
 * from its cached text, its recommendations in place; remember both. */
static cJSON *classify_fresh(dhr_scan_tree *t, cJSON *doc, const char *sha256, const char *memo, int *oom)
{
	cJSON *labels = NULL, *memo_recs = cJSON_CreateArray();
	t->limit_hit = 0;
	char *tp = dhr_cache_entry_path(t->cache_dir, sha256, ".txt"), *text = NULL;
	size_t len = 0;
	int rc = dhr_read_file(&text, &len, tp, NULL);
	free(tp);
	if (rc == 0 && dhr_classify_doc(t->res, t->cls, text) == 0) {
		labels = cJSON_CreateObject();
		put_labels(t, labels, DHR_SCOPE_DOCUMENT, 0);
		put_profile(t, labels, text, len);
	}
	free(text);
	cJSON *r;
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "recommendations"))
	{
		const char *rt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "text"));
		const char *at = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "agency_text"));
		if (dhr_classify_rec(t->res, t->cls, rt ? rt : "", at) < 0) {
			*oom = 1;
			cJSON_Delete(memo_recs);
			return labels;
		}
		cJSON *cls = cJSON_CreateObject();
		put_labels(t, cls, DHR_SCOPE_RECOMMENDATION, 1);
		cJSON_AddItemToArray(memo_recs, cJSON_Duplicate(cls, 1));
		merge_into(r, cls);
	}
	/* a result cut short by a PCRE2 limit is not remembered: the next run
	 * (or the parent, after a worker) classifies it again and warns; nor
	 * is one without document labels (no cached text) */
	if (!t->limit_hit && labels) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddItemToObject(m, "doc", cJSON_Duplicate(labels, 1));
		cJSON_AddItemToObject(m, "recs", memo_recs);
		memo_recs = NULL;
		char *s = cJSON_PrintUnformatted(m);
		char *dir = g_path_get_dirname(memo);
		if (s && dhr_mkdirs(dir, NULL) == 0)
			dhr_write_atomic_nosync(memo, s, strlen(s), NULL);
		g_free(dir);
		cJSON_free(s);
		cJSON_Delete(m);
	}
	cJSON_Delete(memo_recs);
	return labels;
}

int dhr_scan_tree_classify(dhr_scan_tree *t, cJSON *doc, const char *sha256, cJSON **labels)
{
	*labels = NULL;
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "status"));
	if (!status || strcmp(status, "ok") != 0 || !sha256 || !sha256[0])
		return 0;
	cJSON *recs = cJSON_GetObjectItemCaseSensitive(doc, "recommendations");
	char *memo = memo_path(t, sha256);
	cJSON *m = memo_load(memo, cJSON_GetArraySize(recs));
	if (m) {
		/* remembered: the same rules on the same document */
		cJSON *r, *c = cJSON_GetObjectItemCaseSensitive(m, "recs")->child;
		cJSON_ArrayForEach(r, recs)
		{
			cJSON *next = c->next;
			cJSON_DetachItemViaPointer(cJSON_GetObjectItemCaseSensitive(m, "recs"), c);
			merge_into(r, c);
			c = next;
		}
		*labels = cJSON_DetachItemFromObjectCaseSensitive(m, "doc");
		cJSON_Delete(m);
		free(memo);
		return 0;
	}
	int oom = 0;
	*labels = classify_fresh(t, doc, sha256, memo, &oom);
	free(memo);
	if (oom) {
		cJSON_Delete(*labels);
		*labels = NULL;
		return DHR_ENOMEM;
	}
	return 0;
}

/* The report's tags, the way the Home Office DHR Library applies them: per
 * recommendation facet, every label that at least one of its
 * recommendations carries (in the facet's label order), except the facet's
 * default (which says that nothing fired). */
static cJSON *doc_tags(const dhr_scan_tree *t, const cJSON *doc)
{
	cJSON *tags = cJSON_CreateObject();
	const cJSON *recs = cJSON_GetObjectItemCaseSensitive(doc, "recommendations");
	for (size_t f = 0; f < dhr_rules_facet_count(t->rules); f++) {
		const dhr_facet_info *fi = dhr_rules_facet(t->rules, f);
		if (fi->scope != DHR_SCOPE_RECOMMENDATION)
			continue;
		cJSON *arr = cJSON_AddArrayToObject(tags, fi->name);
		for (size_t i = 0; i < fi->n_labels; i++) {
			if ((int)fi->labels[i] == fi->default_label)
				continue;
			const char *id = dhr_rules_label(t->rules, fi->labels[i])->id;
			int found = 0;
			const cJSON *r;
			cJSON_ArrayForEach(r, recs)
			{
				const cJSON *v = cJSON_GetObjectItemCaseSensitive(
				    cJSON_GetObjectItemCaseSensitive(r, "labels"), fi->name);
				if (cJSON_IsString(v))
					found = strcmp(v->valuestring, id) == 0;
				else if (cJSON_IsArray(v)) {
					const cJSON *x;
					cJSON_ArrayForEach(x, v) found |= cJSON_IsString(x) && strcmp(x->valuestring, id) == 0;
				}
				if (found)
					break;
			}
			if (found)
				cJSON_AddItemToArray(arr, cJSON_CreateString(id));
		}
	}
	return tags;
}

void dhr_scan_tree_add_doc(dhr_scan_tree *t, cJSON *doc, cJSON *labels)
{
	if (labels)
		merge_into(doc, labels);
	else if (t->case_type >= 0)
		set_item(doc, "case_type", cJSON_CreateNull());
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "status"));
	if (status && strcmp(status, "ok") == 0)
		set_item(doc, "tags", doc_tags(t, doc));
	cJSON_AddItemToArray(t->docs, doc);
}

static cJSON *facets_json(const dhr_rules *rules)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t f = 0; f < dhr_rules_facet_count(rules); f++) {
		const dhr_facet_info *fi = dhr_rules_facet(rules, f);
		if (fi->name[0] == '_')
			continue; /* a working facet of the rules: not an output */
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", fi->name);
		cJSON_AddStringToObject(o, "scope", fi->scope == DHR_SCOPE_DOCUMENT ? "document" : "recommendation");
		cJSON_AddBoolToObject(o, "multi", !fi->single);
		if (fi->default_label >= 0)
			cJSON_AddStringToObject(o, "default", dhr_rules_label(rules, (size_t)fi->default_label)->id);
		else
			cJSON_AddNullToObject(o, "default");
		if (fi->value != DHR_VALUE_LABEL)
			cJSON_AddStringToObject(o, "value", fi->value == DHR_VALUE_NUMBER ? "number" : "text");
		if (fi->n_bands > 0) {
			cJSON *bands = cJSON_AddArrayToObject(o, "bands");
			for (size_t i = 0; i < fi->n_bands; i++)
				cJSON_AddItemToArray(bands, cJSON_CreateString(fi->bands[i].name));
		}
		cJSON *labels = cJSON_AddArrayToObject(o, "labels");
		for (size_t i = 0; i < fi->n_labels; i++) {
			const dhr_label_info *li = dhr_rules_label(rules, fi->labels[i]);
			cJSON *l = cJSON_CreateObject();
			cJSON_AddStringToObject(l, "id", li->id);
			cJSON_AddStringToObject(l, "name", li->name ? li->name : li->id);
			if (li->group >= 0)
				cJSON_AddStringToObject(l, "group", dhr_rules_group(rules, (size_t)li->group)->id);
			else
				cJSON_AddNullToObject(l, "group");
			cJSON_AddItemToArray(labels, l);
		}
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

cJSON *dhr_scan_tree_finish(dhr_scan_tree *t, size_t *failed, size_t *recs)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "schema_version", DHR_SCAN_SCHEMA_VERSION);
	cJSON *tool = cJSON_AddObjectToObject(root, "tool");
	cJSON_AddStringToObject(tool, "name", "dhr");
	cJSON_AddStringToObject(tool, "version", dhr_version());
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	cJSON_AddStringToObject(root, "generated", when);
	cJSON *rules = cJSON_AddObjectToObject(root, "rules");
	cJSON_AddStringToObject(rules, "source", dhr_rules_source(t->rules));
	cJSON_AddStringToObject(rules, "sha256", dhr_rules_sha256(t->rules));
	cJSON_AddItemToObject(root, "facets", facets_json(t->rules));
	cJSON *groups = cJSON_AddArrayToObject(root, "groups");
	for (size_t g = 0; g < dhr_rules_group_count(t->rules); g++) {
		const dhr_group_info *gi = dhr_rules_group(t->rules, g);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", gi->id);
		cJSON_AddStringToObject(o, "name", gi->name ? gi->name : gi->id);
		cJSON_AddItemToArray(groups, o);
	}
	cJSON_AddItemToObject(root, "documents", t->docs);
	t->docs = NULL;
	cJSON *totals = NULL;
	if (dhr_output_totals(&totals, root, NULL) < 0)
		totals = cJSON_CreateObject();
	/* totals before documents, for readers of the file */
	cJSON *docs = cJSON_DetachItemFromObjectCaseSensitive(root, "documents");
	cJSON_AddItemToObject(root, "totals", totals);
	cJSON_AddItemToObject(root, "documents", docs);
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(totals, "documents_failed");
	*failed = cJSON_IsNumber(n) ? (size_t)n->valuedouble : 0;
	n = cJSON_GetObjectItemCaseSensitive(totals, "recommendations");
	*recs = cJSON_IsNumber(n) ? (size_t)n->valuedouble : 0;
	dhr_scan_tree_free(t);
	return root;
}
