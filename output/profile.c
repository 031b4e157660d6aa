/*
 * output/profile.c: the case profiles of a scan (each document's "profile":
 * victim, perpetrator, method, place, year... read by the document-scope
 * facets of the rules) counted the way the reference review counts them, one
 * figure per attribute split homicide / suicide: totals.profiles in
 * scan.json, cases.csv, the CASE PROFILES table of the summary and the "Case
 * profiles" section of the report, where every bar leads to its documents and
 * the sentences the values were read from.
 */
#include "dhr/output.h"
#include "internal.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

/* ---- the counted view ---- */

typedef struct pvalue {
	char *key;                 /* the value as counted: the band of a banded number, else the value */
	const char *name;          /* display name (a label's name), borrowed; NULL: the key */
	int order;                 /* declared order (labels, bands), or -1 */
	size_t count, split[DHR_SPLIT_N];
	size_t *docs, n_docs, cap; /* indices in dhr_agg.docs */
} pvalue;

typedef struct pattr {
	const char *name;         /* the facet's name, borrowed */
	const cJSON *facet;       /* its entry in scan.json "facets", or NULL */
	int banded, numeric;
	pvalue *v;
	size_t n, cap;
} pattr;

struct dhr_prof {
	pattr *a;
	size_t n, cap;
};

void dhr_prof_free(dhr_prof *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		for (size_t k = 0; k < p->a[i].n; k++) {
			free(p->a[i].v[k].key);
			free(p->a[i].v[k].docs);
		}
		free(p->a[i].v);
	}
	free(p->a);
	free(p);
}

static const cJSON *find_facet(const cJSON *scan, const char *name)
{
	for (const cJSON *f = dhr_json_items(scan, "facets"); f; f = f->next) {
		const char *n = dhr_json_str(f, "name");
		if (n && strcmp(n, name) == 0)
			return f;
	}
	return NULL;
}

/* A value's place in its facet's declared labels or bands (so figures read in the rules' order). */
static int declared(const pattr *a, const char *key, const char **name)
{
	int i = 0;
	*name = NULL;
	if (!a->facet)
		return -1;
	if (a->banded) {
		for (const cJSON *b = dhr_json_items(a->facet, "bands"); b; b = b->next, i++)
			if (cJSON_IsString(b) && strcmp(b->valuestring, key) == 0)
				return i;
		return -1;
	}
	for (const cJSON *l = dhr_json_items(a->facet, "labels"); l; l = l->next, i++) {
		const char *id = dhr_json_str(l, "id");
		if (id && strcmp(id, key) == 0) {
			*name = dhr_json_str(l, "name");
			return i;
		}
	}
	return -1;
}

/* The value of one attribute of a document as counted: its band if it has one, else its value. */
const char *dhr_prof_key(const cJSON *attr, char buf[32])
{
	const cJSON *band = cJSON_GetObjectItemCaseSensitive(attr, "band");
	if (cJSON_IsString(band))
		return band->valuestring;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(attr, "value");
	if (cJSON_IsString(v) && v->valuestring[0])
		return v->valuestring;
	if (cJSON_IsNumber(v)) {
		snprintf(buf, 32, "%.0f", v->valuedouble);
		return buf;
	}
	return "unknown";
}

static pattr *attr_intern(dhr_prof *p, const cJSON *scan, const char *name, const cJSON *attr)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->a[i].name, name) == 0)
			return &p->a[i];
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		pattr *a = realloc(p->a, cap * sizeof *a);
		if (!a)
			return NULL;
		p->a = a;
		p->cap = cap;
	}
	pattr *a = &p->a[p->n++];
	memset(a, 0, sizeof *a);
	a->name = name;
	a->facet = find_facet(scan, name);
	a->banded = cJSON_HasObjectItem(attr, "band");
	a->numeric = cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(attr, "value")) ||
	             (a->facet && dhr_json_str(a->facet, "value") && strcmp(dhr_json_str(a->facet, "value"), "number") == 0);
	return a;
}

static pvalue *value_intern(pattr *a, const char *key)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].key, key) == 0)
			return &a->v[i];
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 8;
		pvalue *v = realloc(a->v, cap * sizeof *v);
		if (!v)
			return NULL;
		a->v = v;
		a->cap = cap;
	}
	pvalue *v = &a->v[a->n];
	memset(v, 0, sizeof *v);
	if (!(v->key = strdup(key)))
		return NULL;
	v->order = declared(a, key, &v->name);
	a->n++;
	return v;
}

/* Display order: declared order (labels, bands) or ascending numbers or most frequent first;
 * "unknown" last. */
static int value_before(const pattr *a, const pvalue *x, const pvalue *y)
{
	int xu = strcmp(x->key, "unknown") == 0, yu = strcmp(y->key, "unknown") == 0;
	if (xu != yu)
		return yu;
	if (x->order >= 0 && y->order >= 0)
		return x->order < y->order;
	if (x->order >= 0 || y->order >= 0)
		return x->order >= 0;
	if (a->numeric && !a->banded)
		return atol(x->key) < atol(y->key);
	return x->count > y->count;
}

int dhr_prof_new(dhr_prof **out, const dhr_agg *agg)
{
	*out = NULL;
	dhr_prof *p = calloc(1, sizeof *p);
	if (!p)
		return DHR_ENOMEM;
	for (size_t i = 0; i < agg->n_docs; i++) {
		const dhr_agg_doc *d = &agg->docs[i];
		const cJSON *prof = dhr_json_obj(d->json, "profile");
		if (!d->ok || !prof)
			continue;
		for (const cJSON *at = prof->child; at; at = at->next) {
			if (!at->string || !cJSON_IsObject(at))
				continue;
			char buf[32];
			pattr *a = attr_intern(p, agg->scan, at->string, at);
			pvalue *v = a ? value_intern(a, dhr_prof_key(at, buf)) : NULL;
			if (!v)
				goto nomem;
			if (v->n_docs == v->cap) {
				size_t cap = v->cap ? 2 * v->cap : 8;
				size_t *nd = realloc(v->docs, cap * sizeof *nd);
				if (!nd)
					goto nomem;
				v->docs = nd;
				v->cap = cap;
			}
			v->docs[v->n_docs++] = i;
			v->count++;
			v->split[d->split]++;
		}
	}
	for (size_t i = 0; i < p->n; i++) {
		pattr *a = &p->a[i];
		for (size_t k = 1; k < a->n; k++) { /* stable insertion sort */
			pvalue v = a->v[k];
			size_t j = k;
			while (j > 0 && value_before(a, &v, &a->v[j - 1])) {
				a->v[j] = a->v[j - 1];
				j--;
			}
			a->v[j] = v;
		}
	}
	*out = p;
	return 0;
nomem:
	dhr_prof_free(p);
	return DHR_ENOMEM;
}

/* "victim_sex" -> "Victim sex"; the working abbreviations spelled out. */
static void attr_title(dhr_obuf *b, const char *name)
{
	static const struct {
		const char *name, *title;
	} titles[] = {
	    {"victim_sex", "Victim's sex"},
	    {"victim_age", "Victim's age at death"},
	    {"victim_ethnicity", "Victim's ethnicity or nationality"},
	    {"perpetrator_sex", "Perpetrator's sex"},
	    {"perpetrator_age", "Perpetrator's age"},
	    {"relationship", "Perpetrator's relationship to the victim"},
	    {"subtypology", "Sub-typology"},
	    {"method", "Method of killing or death"},
	    {"location", "Location of death"},
	    {"year_of_death", "Year of death"},
	    {"area", "Area"},
	    {"living_situation", "Living situation"},
	    {"known_specialist_da", "Victim known to specialist domestic abuse services"},
	    {"known_marac", "Victim known to MARAC"},
	    {"prior_da", "Previous domestic abuse known to agencies"},
	    {"perp_mental_health", "Perpetrator known to mental health services"},
	    {"perp_substance", "Perpetrator known to drug and alcohol services"},
	    {"dependent_children", "Victim had dependent children"},
	    {"care_support_needs", "Victim had care and support needs"},
	    {"outcome", "Outcome of the criminal case"},
	};
	for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
		if (strcmp(titles[i].name, name) == 0) {
			dhr_obuf_puts(b, titles[i].title);
			return;
		}
	for (const char *s = name; *s; s++)
		dhr_obuf_putc(b, s == name && *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s == '_' ? ' ' : *s);
}

static const char *value_name(const pvalue *v)
{
	return v->name ? v->name : v->key;
}

/* ---- totals ---- */

int dhr_prof_totals(cJSON *totals, const dhr_agg *agg)
{
	dhr_prof *p = NULL;
	if (dhr_prof_new(&p, agg) < 0)
		return DHR_ENOMEM;
	int error = DHR_ENOMEM;
	cJSON *all = NULL;
	if (p->n == 0) { /* no document has a profile: no "profiles" */
		error = 0;
		goto cleanup;
	}
	if (!(all = cJSON_AddObjectToObject(totals, "profiles")))
		goto cleanup;
	static const char *const split_key[DHR_SPLIT_N] = {"homicide", "suicide", "unknown"};
	for (size_t i = 0; i < p->n; i++) {
		const pattr *a = &p->a[i];
		cJSON *o = cJSON_AddObjectToObject(all, a->name);
		cJSON *x = o ? cJSON_AddObjectToObject(o, "all") : NULL;
		if (!x)
			goto cleanup;
		for (size_t k = 0; k < a->n; k++)
			if (!cJSON_AddNumberToObject(x, a->v[k].key, (double)a->v[k].count))
				goto cleanup;
		for (int s = 0; s < DHR_SPLIT_N; s++) {
			if (s == DHR_SPLIT_UNKNOWN && agg->docs_split[s] == 0)
				continue;
			cJSON *y = cJSON_AddObjectToObject(o, split_key[s]);
			if (!y)
				goto cleanup;
			for (size_t k = 0; k < a->n; k++)
				if (!cJSON_AddNumberToObject(y, a->v[k].key, (double)a->v[k].split[s]))
					goto cleanup;
		}
	}
	error = 0;
cleanup:
	dhr_prof_free(p);
	return error;
}

/* ---- cases.csv ---- */

static const char bom[] = "\xef\xbb\xbf";

int dhr_output_csv_cases(char **out, size_t *len, const cJSON *scan, dhr_error *err)
{
	dhr_agg *agg = NULL;
	dhr_prof *p = NULL;
	dhr_obuf b = {0};
	int error;
	*out = NULL;
	*len = 0;
	if ((error = dhr_agg_new(&agg, scan, err)) < 0)
		return error;
	if ((error = dhr_prof_new(&p, agg)) < 0) {
		dhr_agg_free(agg);
		return dhr_error_set(err, error, "out of memory");
	}
	dhr_obuf_puts(&b, bom);
	dhr_obuf_puts(&b, "document,title,case_type");
	for (size_t i = 0; i < p->n; i++) {
		dhr_obuf_putc(&b, ',');
		dhr_obuf_csv(&b, p->a[i].name);
		if (p->a[i].banded) {
			dhr_obuf_putc(&b, ',');
			dhr_obuf_csv(&b, p->a[i].name);
			dhr_obuf_puts(&b, "_band");
		}
	}
	dhr_obuf_puts(&b, "\r\n");
	for (size_t i = 0; i < agg->n_docs; i++) {
		const dhr_agg_doc *d = &agg->docs[i];
		const cJSON *prof = dhr_json_obj(d->json, "profile");
		dhr_obuf_csv(&b, d->path);
		dhr_obuf_putc(&b, ',');
		dhr_obuf_csv(&b, d->title ? d->title : "");
		dhr_obuf_putc(&b, ',');
		dhr_obuf_csv(&b, d->case_type >= 0 ? agg->case_types.labels[d->case_type].id : "");
		for (size_t k = 0; k < p->n; k++) {
			const cJSON *at = d->ok ? dhr_json_obj(prof, p->a[k].name) : NULL;
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(at, "value");
			char buf[32] = "";
			if (cJSON_IsNumber(v))
				snprintf(buf, sizeof buf, "%.0f", v->valuedouble);
			dhr_obuf_putc(&b, ',');
			dhr_obuf_csv(&b, cJSON_IsString(v) ? v->valuestring : buf);
			if (p->a[k].banded) {
				dhr_obuf_putc(&b, ',');
				dhr_obuf_csv(&b, at ? dhr_json_str(at, "band") : "");
			}
		}
		dhr_obuf_puts(&b, "\r\n");
	}
	error = dhr_obuf_finish(&b, out, len, err);
	dhr_obuf_release(&b);
	dhr_prof_free(p);
	dhr_agg_free(agg);
	return error;
}

/* ---- the summary table ---- */

void dhr_prof_summary(dhr_obuf *b, const dhr_agg *agg)
{
	dhr_prof *p = NULL;
	if (dhr_prof_new(&p, agg) < 0) {
		b->failed = 1;
		return;
	}
	if (p->n == 0) {
		dhr_prof_free(p);
		return;
	}
	int unknown = agg->docs_split[DHR_SPLIT_UNKNOWN] > 0;
	size_t read = agg->n_docs - agg->n_failed;
	dhr_obuf_printf(b, "\n%-52s%12s%13s%13s%s\n", "CASE PROFILES (documents)", "All", "Homicide*", "Suicide",
	                unknown ? "      Unknown" : "");
	char of[4][32];
	snprintf(of[0], sizeof of[0], "of %zu", read);
	for (int s = 0; s < DHR_SPLIT_N; s++)
		snprintf(of[s + 1], sizeof of[s + 1], "of %zu", agg->docs_split[s]);
	dhr_obuf_printf(b, "%-52s%12s%13s%13s", "", of[0], of[1], of[2]);
	if (unknown)
		dhr_obuf_printf(b, "%13s", of[3]);
	dhr_obuf_puts(b, "\n");
	for (size_t i = 0; i < 52 + 38 + (unknown ? 13u : 0u); i++)
		dhr_obuf_putc(b, '-');
	dhr_obuf_puts(b, "\n");
	for (size_t i = 0; i < p->n; i++) {
		const pattr *a = &p->a[i];
		attr_title(b, a->name);
		dhr_obuf_puts(b, "\n");
		for (size_t k = 0; k < a->n; k++) {
			const pvalue *v = &a->v[k];
			dhr_obuf_puts(b, "  ");
			const char *nm = value_name(v);
			/* names are the rules' labels or values read from a report: cut to the column */
			size_t n = 0, cols = 0;
			while (nm[n] && cols < 48) {
				size_t adv = 1;
				dhr_utf8_decode(nm + n, strlen(nm + n), &adv);
				n += adv ? adv : 1;
				cols++;
			}
			for (size_t c = 0; c < n; c++)
				dhr_obuf_putc(b, (unsigned char)nm[c] < 0x20 ? ' ' : nm[c]);
			for (size_t c = cols; c < 50; c++)
				dhr_obuf_putc(b, ' ');
			dhr_obuf_printf(b, "%5zu %5.1f%%", v->count, dhr_pct(v->count, read));
			for (int s = 0; s < DHR_SPLIT_N; s++)
				if (s != DHR_SPLIT_UNKNOWN || unknown)
					dhr_obuf_printf(b, " %5zu %5.1f%%", v->split[s], dhr_pct(v->split[s], agg->docs_split[s]));
			dhr_obuf_puts(b, "\n");
		}
	}
	dhr_prof_free(p);
}

/* ---- the report section ---- */

static void attr_id(dhr_obuf *b, const char *prefix, const char *s)
{
	dhr_obuf_puts(b, prefix);
	for (; *s; s++)
		dhr_obuf_putc(b, (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ? *s : '-');
}

int dhr_prof_report(dhr_obuf *b, const dhr_agg *agg)
{
	dhr_prof *p = NULL;
	if (dhr_prof_new(&p, agg) < 0)
		return DHR_ENOMEM;
	if (p->n == 0) {
		dhr_prof_free(p);
		return 0;
	}
	size_t read = agg->n_docs - agg->n_failed;
	dhr_obuf_puts(b, "<section class=\"panel\" id=\"profiles\" aria-labelledby=\"h-profiles\">"
	                 "<h2 id=\"h-profiles\">Case profiles</h2><p class=\"note\">Who died, who killed or "
	                 "abused them, how, where and when, and what agencies knew, as each report states it "
	                 "(read by the document rules of the rules file; &ldquo;unknown&rdquo; where a report "
	                 "does not say it in a way the rules can read). Homicides (with homicide-suicides) and "
	                 "suicides are counted apart. Each figure&rsquo;s table lists the documents behind every "
	                 "bar; each document links to the sentence its value was read from.</p>");
	dhr_chart_row *rows = NULL;
	for (size_t i = 0; i < p->n; i++) {
		const pattr *a = &p->a[i];
		dhr_chart_row *nr = realloc(rows, (a->n ? a->n : 1) * sizeof *nr);
		if (!nr) {
			free(rows);
			dhr_prof_free(p);
			return DHR_ENOMEM;
		}
		rows = nr;
		for (size_t k = 0; k < a->n; k++) {
			memset(&rows[k], 0, sizeof rows[k]);
			rows[k].label = value_name(&a->v[k]);
			rows[k].style = strcmp(a->v[k].key, "unknown") == 0 ? DHR_ROW_MUTED : DHR_ROW_PLAIN;
			rows[k].total = a->v[k].count;
			memcpy(rows[k].split, a->v[k].split, sizeof rows[k].split);
		}
		dhr_obuf title = {0};
		attr_title(&title, a->name);
		const char *t = title.data ? title.data : a->name;
		dhr_obuf_puts(b, "<div class=\"profile\"");
		dhr_obuf_puts(b, " id=\"");
		attr_id(b, "pf-", a->name);
		dhr_obuf_puts(b, "\"><h3>");
		dhr_obuf_html(b, t);
		dhr_obuf_puts(b, "</h3>");
		dhr_chart c = {0};
		dhr_obuf id = {0};
		attr_id(&id, "pfc-", a->name);
		c.id = id.data ? id.data : "pfc";
		c.title = t;
		c.desc = t;
		c.split_names[DHR_SPLIT_HOMICIDE] = "Homicide";
		c.split_names[DHR_SPLIT_SUICIDE] = "Suicide";
		c.split_names[DHR_SPLIT_UNKNOWN] = "Unknown case type";
		c.denom = read;
		c.show_unknown = agg->docs_split[DHR_SPLIT_UNKNOWN] > 0;
		c.rows = rows;
		c.n_rows = a->n;
		dhr_svg_stacked_bars(b, &c);
		dhr_obuf_release(&id);
		/* the documents behind each bar */
		dhr_obuf_puts(b, "<details><summary>Documents behind each bar</summary><table class=\"t\"><thead><tr>"
		                 "<th scope=\"col\">Value</th><th scope=\"col\" class=\"n\">Homicide</th>"
		                 "<th scope=\"col\" class=\"n\">Suicide</th><th scope=\"col\">Documents</th></tr>"
		                 "</thead><tbody>");
		for (size_t k = 0; k < a->n; k++) {
			const pvalue *v = &a->v[k];
			dhr_obuf_puts(b, "<tr><td>");
			dhr_obuf_html(b, value_name(v));
			dhr_obuf_printf(b, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td>",
			                v->split[DHR_SPLIT_HOMICIDE], v->split[DHR_SPLIT_SUICIDE]);
			for (size_t j = 0; j < v->n_docs; j++) {
				size_t di = v->docs[j];
				/* the file name (short), the title on hover */
				const char *path = agg->docs[di].path, *slash = strrchr(path, '/');
				dhr_obuf_printf(b, "%s<a href=\"#pd%zu-", j ? ", " : "", di);
				attr_id(b, "", a->name);
				dhr_obuf_puts(b, "\" title=\"");
				dhr_obuf_html(b, dhr_agg_doc_name(&agg->docs[di]));
				dhr_obuf_puts(b, "\">");
				dhr_obuf_html(b, slash && slash[1] ? slash + 1 : path);
				dhr_obuf_puts(b, "</a>");
			}
			dhr_obuf_puts(b, "</td></tr>");
		}
		dhr_obuf_puts(b, "</tbody></table></details></div>");
		dhr_obuf_release(&title);
	}
	free(rows);
	/* every document's profile with the evidence of each value */
	dhr_obuf_puts(b, "<h3>Each document&rsquo;s profile</h3>");
	for (size_t i = 0; i < agg->n_docs; i++) {
		const dhr_agg_doc *d = &agg->docs[i];
		const cJSON *prof = dhr_json_obj(d->json, "profile");
		if (!d->ok || !prof)
			continue;
		dhr_obuf_printf(b, "<details class=\"pdoc\" id=\"pd%zu\"><summary>", i);
		dhr_obuf_html(b, dhr_agg_doc_name(d));
		dhr_obuf_printf(b, " <a href=\"#d%zu\">(document)</a></summary><table class=\"t\"><thead><tr>"
		                   "<th scope=\"col\">Attribute</th><th scope=\"col\">Value</th>"
		                   "<th scope=\"col\">Read from</th><th scope=\"col\">Rule</th></tr></thead><tbody>",
		                i);
		for (const cJSON *at = prof->child; at; at = at->next) {
			if (!at->string || !cJSON_IsObject(at))
				continue;
			char buf[32];
			dhr_obuf_printf(b, "<tr id=\"pd%zu-", i);
			attr_id(b, "", at->string);
			dhr_obuf_puts(b, "\"><td>");
			attr_title(b, at->string);
			dhr_obuf_puts(b, "</td><td>");
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(at, "value");
			if (cJSON_IsNumber(v)) {
				snprintf(buf, sizeof buf, "%.0f", v->valuedouble);
				dhr_obuf_html(b, buf);
			} else {
				/* a label's name where the facet list has it */
				const char *id = cJSON_IsString(v) ? v->valuestring : "unknown", *nm = NULL;
				pattr tmp = {0};
				tmp.facet = find_facet(agg->scan, at->string);
				declared(&tmp, id, &nm);
				dhr_obuf_html(b, nm ? nm : id);
			}
			const char *band = dhr_json_str(at, "band");
			if (band) {
				dhr_obuf_puts(b, " (");
				dhr_obuf_html(b, band);
				dhr_obuf_puts(b, ")");
			}
			const cJSON *ev = dhr_json_obj(at, "evidence");
			const char *snt = ev ? dhr_json_str(ev, "sentence") : NULL;
			const char *m = ev ? dhr_json_str(ev, "match") : NULL;
			dhr_obuf_puts(b, "</td><td>");
			if (snt && m && (m = strstr(snt, m)) != NULL) {
				/* the matched words marked inside their sentence */
				const char *mm = dhr_json_str(ev, "match");
				dhr_obuf_html_n(b, snt, (size_t)(m - snt));
				dhr_obuf_puts(b, "<mark>");
				dhr_obuf_html(b, mm);
				dhr_obuf_puts(b, "</mark>");
				dhr_obuf_html(b, m + strlen(mm));
			} else if (snt) {
				dhr_obuf_html(b, snt);
			} else {
				dhr_obuf_puts(b, "&ndash;");
			}
			dhr_obuf_puts(b, "</td><td><code>");
			dhr_obuf_html(b, ev && dhr_json_str(ev, "rule") ? dhr_json_str(ev, "rule") : "");
			if (ev && dhr_json_str(ev, "via")) {
				dhr_obuf_puts(b, "</code> via <code>");
				dhr_obuf_html(b, dhr_json_str(ev, "via"));
			}
			dhr_obuf_puts(b, "</code></td></tr>");
		}
		dhr_obuf_puts(b, "</tbody></table></details>");
	}
	dhr_obuf_puts(b, "</section>");
	dhr_prof_free(p);
	return 0;
}
