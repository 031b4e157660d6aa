/*
 * output/csv.c: the two CSV tables of a scan, for spreadsheets and BI tools:
 * recommendations.csv (one row per recommendation) and themes.csv (tidy, one
 * row per recommendation x theme). Formats and columns: include/dhr/output.h.
 */
#include "dhr/output.h"
#include "internal.h"

#include <cJSON.h>
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

int dhr_output_csv_recommendations(char **out, size_t *len, const cJSON *scan, dhr_error *err)
{
	dhr_agg *agg = NULL;
	dhr_obuf b = {0}, pages = {0}, themes = {0};
	int error;
	*out = NULL;
	*len = 0;
	if ((error = dhr_agg_new(&agg, scan, err)) < 0)
		goto cleanup;
	static const char *const header[] = {"document",  "id",     "number",      "section",
	                                     "pages",     "agency", "agency_text", "scope",
	                                     "case_type", "themes", "text",        "ocr"};
	dhr_obuf_puts(&b, bom);
	csv_row(&b, header, sizeof header / sizeof header[0]);
	for (size_t i = 0; i < agg->n_recs; i++) {
		const dhr_agg_rec *r = &agg->recs[i];
		const dhr_agg_doc *d = &agg->docs[r->doc];
		dhr_obuf_reset(&pages);
		dhr_obuf_reset(&themes);
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
		csv_row(&b, cells, sizeof cells / sizeof cells[0]);
	}
	if (pages.failed || themes.failed)
		b.failed = 1;
	error = dhr_obuf_finish(&b, out, len, err);
cleanup:
	dhr_obuf_release(&b);
	dhr_obuf_release(&pages);
	dhr_obuf_release(&themes);
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
	static const char *const header[] = {"document", "id",     "theme",    "theme_name",
	                                     "group",    "agency", "case_type"};
	dhr_obuf_puts(&b, bom);
	csv_row(&b, header, sizeof header / sizeof header[0]);
	for (size_t i = 0; i < agg->n_recs; i++) {
		const dhr_agg_rec *r = &agg->recs[i];
		const dhr_agg_doc *d = &agg->docs[r->doc];
		const char *agency = agg->agencies.labels[r->agency].id;
		if (r->n_themes == 0) {
			const char *cells[] = {
			    d->path, r->id, "", "(no theme)", "", agency, case_type_id(agg, d)};
			csv_row(&b, cells, sizeof cells / sizeof cells[0]);
			continue;
		}
		for (size_t k = 0; k < r->n_themes; k++) {
			const dhr_agg_label *t = &agg->themes.labels[agg->theme_refs[r->theme0 + k]];
			const char *cells[] = {d->path,
			                       r->id,
			                       t->id,
			                       t->name,
			                       t->group >= 0 ? agg->groups[t->group].id : "",
			                       agency,
			                       case_type_id(agg, d)};
			csv_row(&b, cells, sizeof cells / sizeof cells[0]);
		}
	}
	error = dhr_obuf_finish(&b, out, len, err);
cleanup:
	dhr_obuf_release(&b);
	dhr_agg_free(agg);
	return error;
}
