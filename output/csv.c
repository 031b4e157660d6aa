/*
 * output/csv.c: the two CSV tables of a scan, for spreadsheets and BI tools:
 * recommendations.csv (one row per recommendation) and themes.csv (tidy, one
 * row per recommendation x label of every multi facet). Formats and columns:
 * include/dhr/output.h. The columns of the first schema come first and
 * unchanged; what other facets add is appended, so dashboards built on the
 * default rules keep working.
 */
#include "dhr/output.h"
#include "internal.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

static const char bom[] = "\xef\xbb\xbf";

static void csv_row(dhr_obuf *b, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			dhr_obuf_putc(b, ',');
		dhr_obuf_csv(b, cells[i]);
	}
	dhr_obuf_put(b, "\r\n", 2);
}

static const char *case_type_id(const dhr_agg *agg, const dhr_agg_doc *d)
{
	return d->case_type >= 0 ? agg->case_types.labels[d->case_type].id : NULL;
}

/* "31;44": the pages array, numbers only. */
static void pages_cell(dhr_obuf *b, const cJSON *rec)
{
	const cJSON *p;
	int first = 1;
	for (p = dhr_json_items(rec, "pages"); p; p = p->next) {
		if (!cJSON_IsNumber(p))
			continue;
		dhr_obuf_printf(b, "%s%.0f", first ? "" : ";", p->valuedouble);
		first = 0;
	}
}

/* The facets that get a column of their own in recommendations.csv: every
 * recommendation facet but the two shown in the agency and themes columns. */
static int own_column(const dhr_agg *agg, size_t f)
{
	return !agg->fdefs[f].document && (int)f != agg->theme_f && (int)f != agg->agency_f;
}

/* "a;b": the labels of facet f of recommendation r. */
static void labels_cell(dhr_obuf *b, const dhr_agg *agg, size_t r, size_t f)
{
	size_t n;
	const int *ls = dhr_agg_rec_labels(agg, r, f, &n);
	for (size_t k = 0; k < n; k++) {
		if (k)
			dhr_obuf_putc(b, ';');
		dhr_obuf_puts(b, agg->fdefs[f].set.labels[ls[k]].id);
	}
}

int dhr_output_csv_recommendations(char **out, size_t *len, const cJSON *scan, dhr_error *err)
{
	dhr_agg *agg = NULL;
	dhr_obuf b = {0}, pages = {0}, themes = {0}, extra = {0};
	const char **row = NULL;
	int error;
	*out = NULL;
	*len = 0;
	if ((error = dhr_agg_new(&agg, scan, err)) < 0)
		goto cleanup;
	static const char *const header[] = {"document",  "id",     "number",      "section",
	                                     "pages",     "agency", "agency_text", "scope",
	                                     "case_type", "themes", "text",        "ocr"};
	size_t nh = sizeof header / sizeof header[0], n_extra = 0;
	for (size_t f = 0; f < agg->n_fdefs; f++)
		n_extra += own_column(agg, f);
	if (!(row = calloc(nh + n_extra + 1, sizeof *row))) {
		error = dhr_error_set(err, DHR_ENOMEM, "out of memory");
		goto cleanup;
	}
	memcpy(row, header, sizeof header);
	for (size_t f = 0, k = nh; f < agg->n_fdefs; f++)
		if (own_column(agg, f))
			row[k++] = agg->fdefs[f].name;
	dhr_obuf_puts(&b, bom);
	csv_row(&b, row, nh + n_extra);
	/* the extra cells are NUL-separated in one buffer, pointed to once it stops growing */
	size_t *offs = NULL;
	if (n_extra && !(offs = calloc(n_extra, sizeof *offs))) {
		error = dhr_error_set(err, DHR_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < agg->n_recs; i++) {
		const dhr_agg_rec *r = &agg->recs[i];
		const dhr_agg_doc *d = &agg->docs[r->doc];
		dhr_obuf_reset(&pages);
		dhr_obuf_reset(&themes);
		dhr_obuf_reset(&extra);
		for (size_t f = 0, k = 0; f < agg->n_fdefs; f++)
			if (own_column(agg, f)) {
				offs[k++] = extra.len;
				labels_cell(&extra, agg, i, f);
				dhr_obuf_putc(&extra, '\0');
			}
		pages_cell(&pages, r->json);
		for (size_t k = 0; k < r->n_themes; k++) {
			if (k)
				dhr_obuf_putc(&themes, ';');
			dhr_obuf_puts(&themes, agg->themes.labels[agg->theme_refs[r->theme0 + k]].id);
		}
		const char *cells[] = {d->path,
		                       r->id,
		                       r->number,
		                       r->section,
		                       pages.data ? pages.data : "",
		                       agg->agencies.labels[r->agency].id,
		                       r->agency_text,
		                       r->scope,
		                       case_type_id(agg, d),
		                       themes.data ? themes.data : "",
		                       r->text,
		                       r->ocr ? "yes" : ""};
		memcpy(row, cells, sizeof cells);
		for (size_t k = 0; k < n_extra; k++)
			row[nh + k] = extra.failed ? "" : extra.data + offs[k];
		csv_row(&b, row, nh + n_extra);
	}
	free(offs);
	if (pages.failed || themes.failed || extra.failed)
		b.failed = 1;
	error = dhr_obuf_finish(&b, out, len, err);
cleanup:
	free(row);
	dhr_obuf_release(&b);
	dhr_obuf_release(&pages);
	dhr_obuf_release(&themes);
	dhr_obuf_release(&extra);
	dhr_agg_free(agg);
	return error;
}

int dhr_output_csv_themes(char **out, size_t *len, const cJSON *scan, dhr_error *err)
{
	dhr_agg *agg = NULL;
	dhr_obuf b = {0};
	int error;
	*out = NULL;
	*len = 0;
	if ((error = dhr_agg_new(&agg, scan, err)) < 0)
		goto cleanup;
	static const char *const header[] = {"document", "id",     "theme",     "theme_name",
	                                     "group",    "agency", "case_type", "facet"};
	dhr_obuf_puts(&b, bom);
	csv_row(&b, header, sizeof header / sizeof header[0]);
	/* the theme-like facet first, with its groups, as it always was; then every
	 * other multi recommendation facet, its rows told apart by the facet column */
	for (int pass = 0; pass < 2; pass++)
		for (size_t f = 0; f < agg->n_fdefs; f++) {
			const dhr_agg_fdef *x = &agg->fdefs[f];
			if (x->document || !x->multi || (pass == 0) != ((int)f == agg->theme_f))
				continue;
			for (size_t i = 0; i < agg->n_recs; i++) {
				const dhr_agg_rec *r = &agg->recs[i];
				const dhr_agg_doc *d = &agg->docs[r->doc];
				const char *agency = agg->agencies.labels[r->agency].id;
				size_t n;
				const int *ls = dhr_agg_rec_labels(agg, i, f, &n);
				if (n == 0) {
					const char *cells[] = {
					    d->path, r->id, "", "(no theme)", "", agency, case_type_id(agg, d), x->name};
					csv_row(&b, cells, sizeof cells / sizeof cells[0]);
					continue;
				}
				for (size_t k = 0; k < n; k++) {
					const dhr_agg_label *t = &x->set.labels[ls[k]];
					/* groups belong to the theme-like facet (scan.json "groups") */
					int g = (int)f == agg->theme_f ? agg->themes.labels[agg->theme_refs[r->theme0 + k]].group : -1;
					const char *cells[] = {d->path,
					                       r->id,
					                       t->id,
					                       t->name,
					                       g >= 0 ? agg->groups[g].id : "",
					                       agency,
					                       case_type_id(agg, d),
					                       x->name};
					csv_row(&b, cells, sizeof cells / sizeof cells[0]);
				}
			}
		}
	error = dhr_obuf_finish(&b, out, len, err);
cleanup:
	dhr_obuf_release(&b);
	dhr_agg_free(agg);
	return error;
}
