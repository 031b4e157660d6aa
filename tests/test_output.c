/*
 * tests/test_output.c: the output stage's files other than the HTML report:
 * the two CSV tables (RFC 4180 quoting, BOM, CRLF, formula neutralising, tidy
 * row counts), the totals, the stdout summary, the JSON schema (checked with
 * Python's jsonschema against the hand-made sample and, once `dhr scan`
 * works, against a real scan) and the writing of the output folder.
 *
 * Expected numbers are never typed in: they are counted here from the
 * sample's documents, independently of output/model.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the four above first */
#include <cmocka.h>

#include <cJSON.h>
#include <math.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dhr/common.h"
#include "dhr/embedded.h"
#include "dhr/output.h"
#include "dhr/util.h"
#include "support/pdfgen.h"

#define SAMPLE "tests/data/scan-sample.json"
#define SCHEMA "output/scan.schema.json"
#define PYTHON "/usr/bin/python3"

/* ---- fixtures and helpers ---- */

static gint strcmp_indirect(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

static cJSON *load_sample(void)
{
	cJSON *scan = NULL;
	dhr_error err;
	int rc = dhr_output_load(&scan, SAMPLE, &err);
	if (rc < 0)
		fail_msg("cannot load %s: %s", SAMPLE, err.message);
	return scan;
}

static int setup_sample(void **state)
{
	*state = load_sample();
	return *state ? 0 : -1;
}

static int teardown_sample(void **state)
{
	cJSON_Delete(*state);
	return 0;
}

/* The recommendation with this "number" in the sample (numbers are unique there). */
static cJSON *rec_by_number(cJSON *scan, const char *number)
{
	cJSON *d, *r;
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(scan, "documents"))
	{
		cJSON_ArrayForEach(r, cJSON_GetObjectItem(d, "recommendations"))
		{
			const char *n = cJSON_GetStringValue(cJSON_GetObjectItem(r, "number"));
			if (n && strcmp(n, number) == 0)
				return r;
		}
	}
	fail_msg("no recommendation %s in the sample", number);
	return NULL;
}

static void set_string(cJSON *obj, const char *key, const char *value)
{
	cJSON *v = cJSON_CreateString(value);
	assert_non_null(v);
	if (cJSON_GetObjectItem(obj, key))
		assert_true(cJSON_ReplaceItemInObjectCaseSensitive(obj, key, v));
	else
		assert_true(cJSON_AddItemToObject(obj, key, v));
}

static int has_theme(const cJSON *rec, const char *theme)
{
	const cJSON *t;
	cJSON_ArrayForEach(t, cJSON_GetObjectItem(rec, "themes"))
	{
		if (cJSON_IsString(t) && strcmp(t->valuestring, theme) == 0)
			return 1;
	}
	return 0;
}

static const char *case_type(const cJSON *doc)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(doc, "case_type"));
}

static int is_homicide(const cJSON *doc)
{
	const char *c = case_type(doc);
	return c && (strcmp(c, "homicide") == 0 || strcmp(c, "homicide_suicide") == 0);
}

static int is_suicide(const cJSON *doc)
{
	const char *c = case_type(doc);
	return c && strcmp(c, "suicide") == 0;
}

/* A strict RFC 4180 reader: CRLF record ends, quotes doubled inside quoted
 * fields, and a bare CR or LF outside quotes is an error (returns NULL).
 * Returns a GPtrArray of rows, each a GPtrArray of g_malloc'd strings. */
static GPtrArray *csv_parse(const char *s, size_t len)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	GPtrArray *row = g_ptr_array_new_with_free_func(g_free);
	GString *field = g_string_new(NULL);
	size_t i = 0;
	int quoted = 0, ok = 1;
	while (i < len && ok) {
		char c = s[i];
		if (quoted) {
			if (c == '"' && i + 1 < len && s[i + 1] == '"') {
				g_string_append_c(field, '"');
				i += 2;
			} else if (c == '"') {
				quoted = 0;
				i++;
				if (i < len && s[i] != ',' && s[i] != '\r')
					ok = 0; /* text after a closing quote */
			} else {
				g_string_append_c(field, c);
				i++;
			}
		} else if (c == '"' && field->len == 0) {
			quoted = 1;
			i++;
		} else if (c == ',') {
			g_ptr_array_add(row, g_string_free(field, FALSE));
			field = g_string_new(NULL);
			i++;
		} else if (c == '\r' && i + 1 < len && s[i + 1] == '\n') {
			g_ptr_array_add(row, g_string_free(field, FALSE));
			field = g_string_new(NULL);
			g_ptr_array_add(rows, row);
			row = g_ptr_array_new_with_free_func(g_free);
			i += 2;
		} else if (c == '\r' || c == '\n' || c == '"') {
			ok = 0;
		} else {
			g_string_append_c(field, c);
			i++;
		}
	}
	/* the last record must have ended with CRLF */
	if (quoted || field->len || row->len)
		ok = 0;
	g_string_free(field, TRUE);
	g_ptr_array_unref(row);
	if (!ok) {
		g_ptr_array_unref(rows);
		return NULL;
	}
	return rows;
}

static const char *cell(GPtrArray *rows, size_t r, size_t c)
{
	GPtrArray *row = g_ptr_array_index(rows, r);
	assert_true(c < row->len);
	return g_ptr_array_index(row, c);
}

static size_t column(GPtrArray *rows, const char *name)
{
	GPtrArray *head = g_ptr_array_index(rows, 0);
	for (size_t i = 0; i < head->len; i++)
		if (strcmp(g_ptr_array_index(head, i), name) == 0)
			return i;
	fail_msg("no column %s", name);
	return 0;
}

typedef int (*csv_fn)(char **out, size_t *len, const struct cJSON *scan, dhr_error *err);

/* Render a CSV, check BOM and strict syntax, return its rows. */
static GPtrArray *render_csv(csv_fn fn, const cJSON *scan)
{
	char *csv = NULL;
	size_t len = 0;
	dhr_error err;
	assert_int_equal(fn(&csv, &len, scan, &err), 0);
	assert_non_null(csv);
	assert_int_equal(strlen(csv), len);
	assert_true(len >= 3);
	assert_memory_equal(csv, "\xef\xbb\xbf", 3);
	assert_true(g_utf8_validate(csv, (gssize)len, NULL));
	GPtrArray *rows = csv_parse(csv + 3, len - 3);
	if (!rows)
		fail_msg("not strict RFC 4180 CSV with CRLF line ends:\n%s", csv);
	free(csv);
	return rows;
}

static size_t count_recs(const cJSON *scan)
{
	size_t n = 0;
	const cJSON *d;
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(scan, "documents"))
	{
		n += (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(d, "recommendations"));
	}
	return n;
}

/* ---- CSV ---- */

static void recommendations_csv_should_have_a_bom_crlf_lines_and_one_row_per_recommendation(void **state)
{
	cJSON *scan = *state;
	GPtrArray *rows = render_csv(dhr_output_csv_recommendations, scan);
	assert_int_equal(rows->len, 1 + count_recs(scan));
	const char *head[] = {"document",    "id",    "number",    "section", "pages", "agency",
	                      "agency_text", "scope", "case_type", "themes",  "text",  "ocr"};
	GPtrArray *h = g_ptr_array_index(rows, 0);
	assert_int_equal(h->len, sizeof head / sizeof head[0]);
	for (size_t i = 0; i < h->len; i++)
		assert_string_equal(g_ptr_array_index(h, i), head[i]);
	for (size_t r = 1; r < rows->len; r++)
		assert_int_equal(((GPtrArray *)g_ptr_array_index(rows, r))->len, h->len);
	g_ptr_array_unref(rows);
}

static void recommendations_csv_should_join_pages_and_themes_with_semicolons(void **state)
{
	cJSON *scan = *state;
	const cJSON *rec = rec_by_number(scan, "6.1");
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "id"));
	GPtrArray *rows = render_csv(dhr_output_csv_recommendations, scan);
	size_t r;
	for (r = 1; r < rows->len; r++)
		if (strcmp(cell(rows, r, column(rows, "id")), id) == 0)
			break;
	assert_true(r < rows->len);
	/* build the expected cells from the JSON */
	GString *pages = g_string_new(NULL), *themes = g_string_new(NULL);
	const cJSON *x;
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(rec, "pages"))
	{
		g_string_append_printf(pages, "%s%d", pages->len ? ";" : "", x->valueint);
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(rec, "themes"))
	{
		g_string_append_printf(themes, "%s%s", themes->len ? ";" : "", x->valuestring);
	}
	assert_non_null(strchr(pages->str, ';'));
	assert_non_null(strchr(themes->str, ';'));
	assert_string_equal(cell(rows, r, column(rows, "pages")), pages->str);
	assert_string_equal(cell(rows, r, column(rows, "themes")), themes->str);
	assert_string_equal(cell(rows, r, column(rows, "agency")),
	                    cJSON_GetStringValue(cJSON_GetObjectItem(rec, "agency")));
	assert_string_equal(cell(rows, r, column(rows, "text")),
	                    cJSON_GetStringValue(cJSON_GetObjectItem(rec, "text")));
	assert_string_equal(cell(rows, r, column(rows, "case_type")), "homicide");
	g_string_free(pages, TRUE);
	g_string_free(themes, TRUE);
	g_ptr_array_unref(rows);
}

static void csv_should_quote_commas_quotes_and_newlines_so_they_round_trip(void **state)
{
	cJSON *scan = *state;
	const char *tricky = "Police, health and \"partners\" should meet\r\nmonthly;\nand\rreport";
	const char *agency_text = "Constabulary, \"North\"";
	cJSON *rec = rec_by_number(scan, "6.1");
	set_string(rec, "text", tricky);
	set_string(rec, "agency_text", agency_text);
	GPtrArray *rows = render_csv(dhr_output_csv_recommendations, scan);
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "id"));
	int found = 0;
	for (size_t r = 1; r < rows->len; r++)
		if (strcmp(cell(rows, r, column(rows, "id")), id) == 0) {
			assert_string_equal(cell(rows, r, column(rows, "text")), tricky);
			assert_string_equal(cell(rows, r, column(rows, "agency_text")), agency_text);
			found = 1;
		}
	assert_true(found);
	g_ptr_array_unref(rows);
}

static void csv_should_neutralise_cells_that_begin_a_formula(void **state)
{
	cJSON *scan = *state;
	const char *triggers[] = {"=", "+", "-", "@", "\t", "\r"};
	cJSON *rec = rec_by_number(scan, "6.1");
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "id"));
	for (size_t k = 0; k < sizeof triggers / sizeof triggers[0]; k++) {
		char text[64], want[80];
		snprintf(text, sizeof text, "%sHYPERLINK(\"http://x\",\"y\")", triggers[k]);
		snprintf(want, sizeof want, "'%s", text);
		set_string(rec, "text", text);
		set_string(rec, "agency_text", text);
		GPtrArray *rows = render_csv(dhr_output_csv_recommendations, scan);
		for (size_t r = 1; r < rows->len; r++)
			if (strcmp(cell(rows, r, column(rows, "id")), id) == 0) {
				assert_string_equal(cell(rows, r, column(rows, "text")), want);
				assert_string_equal(cell(rows, r, column(rows, "agency_text")), want);
			}
		g_ptr_array_unref(rows);
	}
	/* harmless text is left alone, even with '=' later on */
	set_string(rec, "text", "a = b + c");
	GPtrArray *rows = render_csv(dhr_output_csv_recommendations, scan);
	for (size_t r = 1; r < rows->len; r++)
		if (strcmp(cell(rows, r, column(rows, "id")), id) == 0)
			assert_string_equal(cell(rows, r, column(rows, "text")), "a = b + c");
	/* and the sample's own "-The Safeguarding Adults Board..." is neutralised */
	const char *dash = cJSON_GetStringValue(cJSON_GetObjectItem(rec_by_number(scan, "10.2a"), "text"));
	assert_int_equal(dash[0], '-');
	int seen = 0;
	for (size_t r = 1; r < rows->len; r++)
		if (strcmp(cell(rows, r, column(rows, "number")), "10.2a") == 0) {
			const char *t = cell(rows, r, column(rows, "text"));
			assert_int_equal(t[0], '\'');
			assert_string_equal(t + 1, dash);
			seen = 1;
		}
	assert_true(seen);
	g_ptr_array_unref(rows);
}

static void themes_csv_should_have_one_row_per_recommendation_and_theme(void **state)
{
	cJSON *scan = *state;
	GPtrArray *rows = render_csv(dhr_output_csv_themes, scan);
	/* the first schema's columns, then "facet" (an addition: which multi facet the row is of) */
	const char *head[] = {"document", "id", "theme", "theme_name", "group", "agency", "case_type", "facet"};
	GPtrArray *h = g_ptr_array_index(rows, 0);
	assert_int_equal(h->len, 8);
	for (size_t i = 0; i < h->len; i++)
		assert_string_equal(g_ptr_array_index(h, i), head[i]);

	/* count from the sample's documents: theme labels, and recommendations without one */
	size_t labels = 0, unthemed = 0;
	const cJSON *d, *r;
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(scan, "documents"))
	{
		cJSON_ArrayForEach(r, cJSON_GetObjectItem(d, "recommendations"))
		{
			size_t n = (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(r, "themes"));
			labels += n;
			unthemed += n == 0;
		}
	}
	assert_true(unthemed > 0);
	size_t themed_rows = 0, blank_rows = 0;
	GHashTable *ids = g_hash_table_new(g_str_hash, g_str_equal);
	for (size_t i = 1; i < rows->len; i++) {
		const char *theme = cell(rows, i, 2);
		if (*theme)
			themed_rows++;
		else {
			blank_rows++;
			assert_string_equal(cell(rows, i, 3), "(no theme)");
		}
		g_hash_table_add(ids, (gpointer)cell(rows, i, 1));
	}
	assert_int_equal(themed_rows, labels);
	assert_int_equal(blank_rows, unthemed);
	/* a pivot's distinct count of id is the number of recommendations */
	assert_int_equal(g_hash_table_size(ids), count_recs(scan));

	/* rows per theme (what a pivot table counts) equal the sample's totals.themes */
	size_t sum = 0;
	const cJSON *t;
	cJSON_ArrayForEach(t, cJSON_GetObjectItem(cJSON_GetObjectItem(scan, "totals"), "themes"))
	{
		size_t n = 0;
		for (size_t i = 1; i < rows->len; i++)
			n += strcmp(cell(rows, i, 2), t->string) == 0;
		assert_int_equal(n, (size_t)t->valueint);
		sum += (size_t)t->valueint;
	}
	assert_int_equal(themed_rows, sum);
	/* the group column follows the facet: risk_assessment belongs to pathways */
	for (size_t i = 1; i < rows->len; i++)
		if (strcmp(cell(rows, i, 2), "risk_assessment") == 0)
			assert_string_equal(cell(rows, i, 4), "pathways");
		else if (strcmp(cell(rows, i, 2), "training") == 0)
			assert_string_equal(cell(rows, i, 4), "");
	g_hash_table_destroy(ids);
	g_ptr_array_unref(rows);
}

static void csv_should_replace_invalid_utf8(void **state)
{
	cJSON *scan = *state;
	cJSON *rec = rec_by_number(scan, "6.1");
	set_string(rec, "text", "bad \xff\xfe bytes \xe2\x80");
	GPtrArray *rows = render_csv(dhr_output_csv_recommendations, scan); /* validates UTF-8 */
	g_ptr_array_unref(rows);
}

/* ---- totals ---- */

static void totals_should_equal_the_sample_totals_counted_by_hand(void **state)
{
	cJSON *scan = *state, *totals = NULL;
	dhr_error err;
	assert_int_equal(dhr_output_totals(&totals, scan, &err), 0);
	const cJSON *want = cJSON_GetObjectItem(scan, "totals");
	if (!cJSON_Compare(totals, want, 1)) {
		char *a = cJSON_PrintUnformatted(totals), *b = cJSON_PrintUnformatted(want);
		print_error("computed %s\nsample   %s\n", a, b);
		cJSON_free(a);
		cJSON_free(b);
		fail();
	}
	cJSON_Delete(totals);
}

static void totals_should_count_a_repeated_theme_once_and_a_missing_agency_as_unknown(void **state)
{
	cJSON *scan = *state, *before = NULL, *after = NULL;
	assert_int_equal(dhr_output_totals(&before, scan, NULL), 0);
	cJSON *rec = rec_by_number(scan, "6.2");
	assert_true(has_theme(rec, "training"));
	cJSON_AddItemToArray(cJSON_GetObjectItem(rec, "themes"), cJSON_CreateString("training"));
	cJSON_DeleteItemFromObject(rec, "agency");
	assert_int_equal(dhr_output_totals(&after, scan, NULL), 0);
	const cJSON *bt = cJSON_GetObjectItem(before, "themes"), *at = cJSON_GetObjectItem(after, "themes");
	assert_int_equal(cJSON_GetObjectItem(at, "training")->valueint,
	                 cJSON_GetObjectItem(bt, "training")->valueint);
	const cJSON *ba = cJSON_GetObjectItem(before, "agencies"),
	            *aa = cJSON_GetObjectItem(after, "agencies");
	assert_int_equal(cJSON_GetObjectItem(aa, "unknown")->valueint,
	                 cJSON_GetObjectItem(ba, "unknown")->valueint + 1);
	assert_int_equal(cJSON_GetObjectItem(aa, "primary_care")->valueint,
	                 cJSON_GetObjectItem(ba, "primary_care")->valueint - 1);
	cJSON_Delete(before);
	cJSON_Delete(after);
}

/* ---- summary ---- */

static char *summary_of(const cJSON *scan)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(dhr_output_summary(f, scan), 0);
	fclose(f);
	return text;
}

/* The line of `text` whose label (after indentation) starts with `label`. */
static const char *summary_line(const char *text, const char *label)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		const char *q = p;
		while (*q == ' ')
			q++;
		if (strncmp(q, label, strlen(label)) == 0)
			return p;
	}
	return NULL;
}

static void summary_should_show_counts_shares_and_the_homicide_suicide_split(void **state)
{
	cJSON *scan = *state;
	char *text = summary_of(scan);
	/* every line fits in 100 columns */
	gchar **lines = g_strsplit(text, "\n", -1);
	for (gchar **l = lines; *l; l++)
		if (g_utf8_strlen(*l, -1) > 100)
			fail_msg("line longer than 100 columns: %s", *l);
	g_strfreev(lines);

	/* count each theme's figures from the documents, then find them on its line */
	size_t all = 0, hom = 0, sui = 0;
	const cJSON *d, *r, *f, *l;
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(scan, "documents"))
	{
		size_t n = (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(d, "recommendations"));
		all += n;
		hom += is_homicide(d) ? n : 0;
		sui += is_suicide(d) ? n : 0;
	}
	size_t checked = 0;
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(scan, "facets"))
	{
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(f, "name")), "theme") != 0)
			continue;
		cJSON_ArrayForEach(l, cJSON_GetObjectItem(f, "labels"))
		{
			const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(l, "id"));
			const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(l, "name"));
			size_t n = 0, nh = 0, ns = 0;
			cJSON_ArrayForEach(d, cJSON_GetObjectItem(scan, "documents"))
			{
				cJSON_ArrayForEach(r, cJSON_GetObjectItem(d, "recommendations"))
				{
					if (!has_theme(r, id))
						continue;
					n++;
					nh += is_homicide(d);
					ns += is_suicide(d);
				}
			}
			char want[128];
			snprintf(want, sizeof want, "%5zu %5.1f%% %5zu %5.1f%% %5zu %5.1f%%", n,
			         100.0 * n / all, nh, 100.0 * nh / hom, ns, 100.0 * ns / sui);
			const char *line = summary_line(text, name);
			if (!line)
				fail_msg("no line for %s in:\n%s", name, text);
			const char *eol = strchr(line, '\n');
			char *copy = g_strndup(line, eol ? (size_t)(eol - line) : strlen(line));
			if (!strstr(copy, want))
				fail_msg("line %s\nlacks %s", copy, want);
			g_free(copy);
			checked++;
		}
	}
	assert_int_equal(checked, 16);
	/* the group total, from the sample's hand-counted totals */
	const cJSON *g = cJSON_GetObjectItem(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(scan, "totals"), "groups"), "pathways");
	char want[64];
	snprintf(want, sizeof want, "%5d %5.1f%%", g->valueint, 100.0 * g->valueint / all);
	const char *line = summary_line(text, "any of its 4 themes:");
	assert_non_null(line);
	char *copy = g_strndup(line, (size_t)(strchr(line, '\n') - line));
	if (!strstr(copy, want))
		fail_msg("group line %s\nlacks %s", copy, want);
	g_free(copy);
	assert_non_null(
	    strstr(text, "DA referral pathways, processes, risk assessment and information sharing\n"));
	free(text);
}

static void summary_should_list_failed_documents_with_their_reasons(void **state)
{
	cJSON *scan = *state;
	char *text = summary_of(scan);
	const cJSON *d;
	size_t failed = 0;
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(scan, "documents"))
	{
		const cJSON *e = cJSON_GetObjectItem(d, "error");
		if (!cJSON_IsObject(e))
			continue;
		failed++;
		const char *line = strstr(text, cJSON_GetStringValue(cJSON_GetObjectItem(d, "path")));
		assert_non_null(line);
		assert_non_null(strstr(text, cJSON_GetStringValue(cJSON_GetObjectItem(e, "message"))));
		assert_non_null(strstr(text, cJSON_GetStringValue(cJSON_GetObjectItem(e, "code"))));
	}
	char head[64];
	snprintf(head, sizeof head, "FAILED DOCUMENTS (%zu)", failed);
	assert_true(failed > 0);
	assert_non_null(strstr(text, head));
	free(text);
}

static void summary_should_not_pass_control_characters_to_the_terminal(void **state)
{
	cJSON *scan = *state;
	cJSON *docs = cJSON_GetObjectItem(scan, "documents"), *d;
	cJSON_ArrayForEach(d, docs)
	{
		if (cJSON_IsObject(cJSON_GetObjectItem(d, "error"))) {
			set_string(d, "path", "evil\x1b]0;pwned\x07\x1b[31m.pdf");
			set_string(cJSON_GetObjectItem(d, "error"), "message",
			           "bad \x1b[2J\x9b"
			           "31m");
		}
	}
	set_string(
	    cJSON_GetArrayItem(
	        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(scan, "facets"), 0), "labels"), 0),
	    "name", "Risk\x1b[5m");
	char *text = summary_of(scan);
	assert_null(strchr(text, '\x1b'));
	assert_null(strchr(text, '\x07'));
	assert_null(strstr(text, "\xc2\x9b"));
	assert_non_null(strstr(text, "evil?]0;pwned??[31m.pdf"));
	free(text);
}

/* ---- schema ---- */

static int python_has_jsonschema(void)
{
	const char *argv[] = {PYTHON, "-c", "import jsonschema", NULL};
	return access(PYTHON, X_OK) == 0 && pdfgen_run((char *const *)argv, NULL, NULL) == 0;
}

/* Validate a JSON file against the schema; 0 valid, 1 invalid (message in *why). */
static int validate(const char *path, char **why)
{
	const char *argv[] = {
	    PYTHON,
	    "-c",
	    "import json,sys,jsonschema\n"
	    "schema=json.load(open(sys.argv[1]))\n"
	    "jsonschema.Draft202012Validator.check_schema(schema)\n"
	    "v=jsonschema.Draft202012Validator(schema)\n"
	    "errs=sorted(v.iter_errors(json.load(open(sys.argv[2]))),key=lambda e:list(e.path))\n"
	    "for e in errs[:5]: print(e.json_path, e.message)\n"
	    "sys.exit(1 if errs else 0)\n",
	    SCHEMA,
	    path,
	    NULL};
	char *out = NULL, *errs = NULL;
	int rc = pdfgen_run((char *const *)argv, &out, &errs);
	if (rc != 0 && rc != 1)
		fail_msg("python failed (%d): %s", rc, errs ? errs : "");
	if (why)
		*why = g_strdup_printf("%s%s", out ? out : "", errs ? errs : "");
	free(out);
	free(errs);
	return rc;
}

static void schema_should_accept_the_sample_scan(void **state)
{
	(void)state;
	if (!python_has_jsonschema()) {
		print_message("skipped: %s has no jsonschema module (apt-get install python3-jsonschema)\n",
		              PYTHON);
		skip();
	}
	char *why = NULL;
	int rc = validate(SAMPLE, &why);
	if (rc != 0)
		fail_msg("%s does not match %s:\n%s", SAMPLE, SCHEMA, why);
	g_free(why);
}

static void schema_should_reject_scans_with_mistakes(void **state)
{
	cJSON *scan = *state;
	if (!python_has_jsonschema())
		skip();
	/* each mistake is a path of keys/indexes (as JSON) and a bad value */
	static const struct {
		const char *what;
		const char *path[8];
		const char *value; /* JSON; NULL deletes the key */
	} cases[] = {
	    {"status outside its enum", {"documents", "0", "status", NULL}, "\"fine\""},
	    {"error code outside its enum", {"documents", "6", "error", "code", NULL}, "\"broken\""},
	    {"section outside its enum",
	     {"documents", "0", "recommendations", "0", "section", NULL},
	     "\"appendix\""},
	    {"scope outside its enum",
	     {"documents", "0", "recommendations", "0", "scope", NULL},
	     "\"county\""},
	    {"pages as a string", {"documents", "0", "recommendations", "0", "pages", NULL}, "\"31;44\""},
	    {"a failed document without its error", {"documents", "6", "error", NULL}, NULL},
	    {"no schema_version", {"schema_version", NULL}, NULL},
	    {"schema_version 2", {"schema_version", NULL}, "2"},
	    {"sha256 that is not hex", {"rules", "sha256", NULL}, "\"xyz\""},
	    {"evidence rule without a line",
	     {"documents", "0", "recommendations", "0", "evidence", "0", "rule", NULL},
	     NULL},
	};
	char *dir = pdfgen_tmpdir();
	assert_non_null(dir);
	char *path = pdfgen_path(dir, "bad.json");
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		cJSON *copy = cJSON_Duplicate(scan, 1);
		cJSON *node = copy, *parent = NULL;
		const char *key = NULL;
		for (size_t i = 0; i < 8 && cases[k].path[i]; i++) {
			parent = node;
			key = cases[k].path[i];
			node = cJSON_IsArray(parent) ? cJSON_GetArrayItem(parent, atoi(key))
			                             : cJSON_GetObjectItem(parent, key);
			assert_non_null(node);
		}
		if (strcmp(cases[k].what, "evidence rule without a line") == 0) {
			cJSON_SetValuestring(node, "rules/themes.rules");
		} else if (!cases[k].value) {
			cJSON_DeleteItemFromObject(parent, key);
		} else {
			cJSON *v = cJSON_Parse(cases[k].value);
			assert_true(cJSON_ReplaceItemInObject(parent, key, v));
		}
		char *text = cJSON_Print(copy);
		assert_int_equal(pdfgen_write_bytes(path, text, strlen(text)), 0);
		cJSON_free(text);
		cJSON_Delete(copy);
		if (validate(path, NULL) != 1)
			fail_msg("the schema accepts a scan with %s", cases[k].what);
	}
	free(path);
	pdfgen_rmtree(dir);
	free(dir);
}

static void schema_embedded_in_the_binary_should_be_the_file(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	assert_int_equal(dhr_read_file(&text, &len, SCHEMA, NULL), 0);
	const dhr_embedded_file *f = dhr_embedded_find("output/scan.schema.json");
	assert_non_null(f);
	assert_int_equal(f->len, len);
	assert_memory_equal(f->data, text, len);
	cJSON *schema = cJSON_Parse(text);
	assert_non_null(schema);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(schema, "$schema")),
	                    "https://json-schema.org/draft/2020-12/schema");
	cJSON_Delete(schema);
	free(text);
}

/* `dhr scan` on the bundled corpus, once it works: its scan.json must match
 * the schema, and its totals must agree with the counts made from its documents. */
static void real_scan_output_should_match_the_schema_and_its_own_counts(void **state)
{
	(void)state;
	const char *bin = getenv("DHR_BIN");
	if (!bin || access(bin, X_OK) != 0) {
		print_message("skipped: DHR_BIN is not set (run through make test)\n");
		skip();
	}
	if (!python_has_jsonschema())
		skip();
	/* a few of the bundled reports (sorted, so every run scans the same ones) keep this quick */
	GDir *reports = g_dir_open("corpus/reports", 0, NULL);
	GPtrArray *pdfs = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	while (reports && (name = g_dir_read_name(reports)))
		if (g_str_has_suffix(name, ".pdf"))
			g_ptr_array_add(pdfs, g_build_filename("corpus/reports", name, NULL));
	if (reports)
		g_dir_close(reports);
	g_ptr_array_sort(pdfs, (GCompareFunc)strcmp_indirect);
	if (pdfs->len == 0) {
		g_ptr_array_unref(pdfs);
		print_message("skipped: no PDFs in corpus/reports yet\n");
		skip();
	}
	char *dir = pdfgen_tmpdir();
	char *out = pdfgen_path(dir, "out");
	char *cache = pdfgen_path(dir, "cache");
	const char *argv[] = {"timeout", "50", bin,  "scan", "-o", out, NULL,
	                      NULL,      NULL, NULL, NULL,   NULL, NULL};
	for (guint i = 0; i < pdfs->len && i < 6; i++)
		argv[6 + i] = g_ptr_array_index(pdfs, i);
	char *sout = NULL, *serr = NULL;
	g_setenv("DHR_CACHE_DIR", cache, TRUE);
	g_setenv("XDG_CACHE_HOME", cache, TRUE);
	int rc = pdfgen_run((char *const *)argv, &sout, &serr);
	if (rc == 2 && serr && strstr(serr, "not implemented")) {
		print_message("skipped: 'dhr scan' is not implemented yet\n");
		g_ptr_array_unref(pdfs);
		free(sout);
		free(serr);
		pdfgen_rmtree(dir);
		free(dir);
		free(out);
		free(cache);
		skip();
	}
	if (rc != 0 && rc != 1)
		fail_msg("dhr scan failed (%d): %s", rc, serr ? serr : "");
	char *json = pdfgen_path(out, "scan.json");
	char *why = NULL;
	if (validate(json, &why) != 0)
		fail_msg("%s does not match the schema:\n%s", json, why);
	g_free(why);
	cJSON *scan = NULL, *mine = NULL;
	dhr_error err;
	assert_int_equal(dhr_output_load(&scan, json, &err), 0);
	assert_int_equal(dhr_output_totals(&mine, scan, &err), 0);
	/* every count the scan stage wrote equals the one made from its documents */
	const cJSON *theirs = cJSON_GetObjectItem(scan, "totals"), *item, *sub;
	cJSON_ArrayForEach(item, theirs)
	{
		const cJSON *m = cJSON_GetObjectItem(mine, item->string);
		if (!m)
			continue;
		if (cJSON_IsNumber(item)) {
			if (item->valuedouble != m->valuedouble)
				fail_msg("totals.%s: scan wrote %g, documents give %g", item->string,
				         item->valuedouble, m->valuedouble);
			continue;
		}
		cJSON_ArrayForEach(sub, item)
		{
			const cJSON *ms = cJSON_GetObjectItem(m, sub->string);
			if (cJSON_IsNumber(sub) && (!ms || sub->valuedouble != ms->valuedouble))
				fail_msg("totals.%s.%s: scan wrote %g, documents give %g", item->string,
				         sub->string, sub->valuedouble, ms ? ms->valuedouble : 0.0);
		}
	}
	/* and the other outputs are there */
	const char *files[] = {"scan.schema.json", "recommendations.csv", "themes.csv", "cases.csv", "report.html"};
	for (size_t i = 0; i < 5; i++) {
		char *p = pdfgen_path(out, files[i]);
		if (access(p, R_OK) != 0)
			fail_msg("dhr scan did not write %s", files[i]);
		free(p);
	}
	cJSON_Delete(mine);
	cJSON_Delete(scan);
	g_ptr_array_unref(pdfs);
	free(json);
	free(sout);
	free(serr);
	pdfgen_rmtree(dir);
	free(dir);
	free(out);
	free(cache);
}

/* ---- loading and writing ---- */

/* scan.json's writer: strings with every kind of character that needs
 * escaping, bytes that are not UTF-8, and numbers of every shape come back
 * from a JSON parser as they went in (bad bytes as U+FFFD, NaN as null). */
static void scan_json_should_round_trip_escapes_bad_bytes_and_numbers(void **state)
{
	cJSON *scan = *state;
	cJSON *rec = rec_by_number(scan, "6.1");
	const char *tricky = "quote \" backslash \\ tab\t nl\n cr\r bell\a esc\x1b del\x7f \xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x98\x80 /";
	set_string(rec, "text", tricky);
	set_string(rec, "scope", "bad \xff\xfe tail \xe2\x80");
	cJSON *nums = cJSON_AddArrayToObject(rec, "x_numbers");
	const double v[] = {0, -3, 42, 1234567890123.0, 9007199254740993.0, 1e20, 0.1, -2.5e-7, 1.0 / 3};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		cJSON_AddItemToArray(nums, cJSON_CreateNumber(v[i]));
	cJSON_AddItemToObject(rec, "x_nan", cJSON_CreateNumber(NAN));
	cJSON_AddItemToObject(rec, "x_empty", cJSON_CreateObject());
	cJSON_AddItemToObject(rec, "x_mixed", cJSON_CreateArray());
	cJSON_AddItemToArray(cJSON_GetObjectItem(rec, "x_mixed"), cJSON_CreateObject());
	cJSON_AddItemToArray(cJSON_GetObjectItem(rec, "x_mixed"), cJSON_CreateTrue());

	char *dir = pdfgen_tmpdir(), *p = pdfgen_path(dir, "scan.json"), *text = NULL;
	size_t len = 0;
	dhr_error err;
	assert_int_equal(dhr_output_write(dir, scan, DHR_OUTPUT_JSON, &err), 0);
	assert_int_equal(dhr_read_file(&text, &len, p, &err), 0);
	assert_true(g_utf8_validate(text, (gssize)len, NULL));
	cJSON *back = cJSON_Parse(text);
	assert_non_null(back);
	const cJSON *r = NULL, *d, *x;
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(back, "documents"))
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(d, "recommendations"))
	if (cJSON_IsString(cJSON_GetObjectItem(x, "number")) &&
	    strcmp(cJSON_GetObjectItem(x, "number")->valuestring, "6.1") == 0)
		r = x;
	assert_non_null(r);
	assert_string_equal(cJSON_GetObjectItem(r, "text")->valuestring, tricky);
	assert_string_equal(cJSON_GetObjectItem(r, "scope")->valuestring, "bad \xef\xbf\xbd\xef\xbf\xbd tail \xef\xbf\xbd\xef\xbf\xbd");
	size_t i = 0;
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(r, "x_numbers"))
	{
		assert_true(cJSON_IsNumber(x));
		if (x->valuedouble != v[i])
			fail_msg("number %zu: wrote %.17g, read %.17g", i, v[i], x->valuedouble);
		i++;
	}
	assert_int_equal(i, sizeof v / sizeof v[0]);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "x_nan")));
	assert_true(cJSON_IsObject(cJSON_GetObjectItem(r, "x_empty")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r, "x_mixed")), 2);
	/* and everything else as it was */
	cJSON_DeleteItemFromObject(rec, "x_nan");
	cJSON_DeleteItemFromObject((cJSON *)r, "x_nan");
	set_string(rec, "scope", "bad \xef\xbf\xbd\xef\xbf\xbd tail \xef\xbf\xbd\xef\xbf\xbd");
	assert_true(cJSON_Compare(back, scan, 1));
	cJSON_Delete(back);
	free(text);
	free(p);
	pdfgen_rmtree(dir);
	free(dir);
}

static void write_should_create_every_output_and_leave_no_temporary_file(void **state)
{
	cJSON *scan = *state;
	char *dir = pdfgen_tmpdir();
	char *out = pdfgen_path(dir, "out/nested");
	dhr_error err;
	assert_int_equal(dhr_output_write(out, scan, DHR_OUTPUT_ALL, &err), 0);
	const char *names[] = {"scan.json",  "scan.schema.json", "recommendations.csv", "themes.csv",
	                       "cases.csv", "report.html"};
	csv_fn fns[] = {NULL, NULL, dhr_output_csv_recommendations, dhr_output_csv_themes, dhr_output_csv_cases,
	                dhr_output_report};
	for (size_t i = 0; i < 6; i++) {
		char *p = pdfgen_path(out, names[i]), *text = NULL, *want = NULL;
		size_t len = 0, want_len = 0;
		assert_int_equal(dhr_read_file(&text, &len, p, &err), 0);
		assert_true(len > 0);
		if (fns[i]) {
			assert_int_equal(fns[i](&want, &want_len, scan, &err), 0);
			assert_int_equal(len, want_len);
			assert_memory_equal(text, want, len);
		}
		if (i == 0) {
			cJSON *back = cJSON_Parse(text);
			assert_true(cJSON_Compare(back, scan, 1));
			cJSON_Delete(back);
		}
		free(want);
		free(text);
		free(p);
	}
	GDir *d = g_dir_open(out, 0, NULL);
	const char *name;
	size_t n = 0;
	while ((name = g_dir_read_name(d))) {
		assert_null(strstr(name, ".tmp"));
		n++;
	}
	g_dir_close(d);
	assert_int_equal(n, 6); /* scan.json, scan.schema.json, three CSV files, report.html */
	pdfgen_rmtree(dir);
	free(out);
	free(dir);
}

static void write_should_write_only_the_files_asked_for(void **state)
{
	cJSON *scan = *state;
	char *dir = pdfgen_tmpdir();
	dhr_error err;
	assert_int_equal(dhr_output_write(dir, scan, DHR_OUTPUT_CSV, &err), 0);
	char *json = pdfgen_path(dir, "scan.json"), *csv = pdfgen_path(dir, "themes.csv");
	assert_int_not_equal(access(json, F_OK), 0);
	assert_int_equal(access(csv, F_OK), 0);
	free(json);
	free(csv);
	pdfgen_rmtree(dir);
	free(dir);
}

static void write_should_fail_with_eio_when_the_folder_cannot_be_made(void **state)
{
	cJSON *scan = *state;
	char *dir = pdfgen_tmpdir();
	char *file = pdfgen_path(dir, "file");
	assert_int_equal(pdfgen_write_bytes(file, "x", 1), 0);
	char *sub = pdfgen_path(file, "out");
	dhr_error err;
	assert_int_equal(dhr_output_write(sub, scan, DHR_OUTPUT_ALL, &err), DHR_EIO);
	assert_non_null(strstr(err.message, sub));
	free(sub);
	free(file);
	pdfgen_rmtree(dir);
	free(dir);
}

static void load_should_explain_what_is_wrong_with_a_file(void **state)
{
	(void)state;
	char *dir = pdfgen_tmpdir();
	char *path = pdfgen_path(dir, "scan.json");
	cJSON *scan = (cJSON *)1;
	dhr_error err;

	assert_int_equal(dhr_output_load(&scan, path, &err), DHR_EIO);
	assert_null(scan);
	assert_non_null(strstr(err.message, path));

	const char *broken =
	    "{\n  \"schema_version\": 1,\n  \"documents\": [\n    {\"path\": \"a.pdf\",,}\n  ]\n}\n";
	assert_int_equal(pdfgen_write_bytes(path, broken, strlen(broken)), 0);
	assert_int_equal(dhr_output_load(&scan, path, &err), DHR_ERROR);
	char want[512];
	snprintf(want, sizeof want, "%s:4: not valid JSON", path);
	assert_string_equal(err.message, want);

	const char *future = "{\"schema_version\": 2, \"documents\": []}";
	assert_int_equal(pdfgen_write_bytes(path, future, strlen(future)), 0);
	assert_int_equal(dhr_output_load(&scan, path, &err), DHR_ERROR);
	assert_non_null(strstr(err.message, "schema_version 2 is not supported"));

	const char *no_path = "{\"schema_version\": 1, \"documents\": [{\"title\": \"x\"}]}";
	assert_int_equal(pdfgen_write_bytes(path, no_path, strlen(no_path)), 0);
	assert_int_equal(dhr_output_load(&scan, path, &err), DHR_ERROR);
	assert_non_null(strstr(err.message, "documents[0]"));

	const char *empty = "{\"schema_version\": 1, \"documents\": []}";
	assert_int_equal(pdfgen_write_bytes(path, empty, strlen(empty)), 0);
	assert_int_equal(dhr_output_load(&scan, path, &err), 0);
	/* an empty scan still renders everything */
	char *csv = NULL;
	size_t len;
	assert_int_equal(dhr_output_csv_themes(&csv, &len, scan, &err), 0);
	free(csv);
	char *sum = summary_of(scan);
	assert_non_null(strstr(sum, "Recommendations  0"));
	free(sum);
	cJSON_Delete(scan);
	free(path);
	pdfgen_rmtree(dir);
	free(dir);
}

/* ---- case profiles ---- */

/* Give document `path` of the sample a profile attribute. */
static void put_attr(cJSON *scan, const char *path, const char *name, const char *value, double number,
		     const char *band, const char *sentence)
{
	cJSON *d;
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(scan, "documents"))
	{
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(d, "path")), path) != 0)
			continue;
		cJSON *prof = cJSON_GetObjectItem(d, "profile");
		if (!prof)
			prof = cJSON_AddObjectToObject(d, "profile");
		cJSON *a = cJSON_AddObjectToObject(prof, name);
		if (value)
			cJSON_AddStringToObject(a, "value", value);
		else
			cJSON_AddNumberToObject(a, "value", number);
		if (band)
			cJSON_AddStringToObject(a, "band", band);
		if (sentence) {
			cJSON *e = cJSON_AddObjectToObject(a, "evidence");
			cJSON_AddStringToObject(e, "rule", "profile.rules:7");
			cJSON_AddStringToObject(e, "match", "34-year-old");
			cJSON_AddStringToObject(e, "sentence", sentence);
		} else {
			cJSON_AddNullToObject(a, "evidence");
		}
		return;
	}
	fail_msg("no document %s in the sample", path);
}

static void profiles_should_be_counted_split_and_written_to_every_output(void **state)
{
	cJSON *scan = *state;
	const char *alder = "corpus/reports/alder-csp-dhr-2019.pdf", *damson = "corpus/reports/damson-dhr-2018.pdf",
		   *cedar = "corpus/reports/cedar-dhr-2021.pdf", *fir = "corpus/reports/fir-dhr-2017.pdf";
	put_attr(scan, alder, "victim_sex", "female", 0, NULL, NULL);
	put_attr(scan, alder, "victim_age", NULL, 34, "31-40", "Ann <script>x</script> was a 34-year-old woman.");
	put_attr(scan, alder, "victim_ethnicity", "=HYPERLINK(\"x\")", 0, NULL, NULL);
	put_attr(scan, damson, "victim_sex", "female", 0, NULL, NULL);
	put_attr(scan, damson, "victim_age", "unknown", 0, "unknown", NULL);
	put_attr(scan, cedar, "victim_sex", "male", 0, NULL, NULL);
	put_attr(scan, fir, "victim_sex", "male", 0, NULL, NULL); /* a failed document is not counted */
	/* totals: per value, all and split (homicide-suicide with the homicides) */
	cJSON *totals = NULL;
	dhr_error err;
	assert_int_equal(dhr_output_totals(&totals, scan, &err), 0);
	const cJSON *sex = cJSON_GetObjectItem(cJSON_GetObjectItem(totals, "profiles"), "victim_sex");
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(sex, "all"), "female")->valueint, 2);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(sex, "all"), "male")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(sex, "homicide"), "female")->valueint, 2);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(sex, "suicide"), "female")->valueint, 0);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(sex, "suicide"), "male")->valueint, 1);
	const cJSON *age = cJSON_GetObjectItem(cJSON_GetObjectItem(totals, "profiles"), "victim_age");
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(age, "all"), "31-40")->valueint, 1); /* the band */
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(age, "all"), "unknown")->valueint, 1);
	cJSON_Delete(totals);
	/* cases.csv: one row per document, the band beside the number, formulas neutralised */
	GPtrArray *rows = render_csv(dhr_output_csv_cases, scan);
	assert_int_equal(rows->len, 1 + (guint)cJSON_GetArraySize(cJSON_GetObjectItem(scan, "documents")));
	GPtrArray *head = g_ptr_array_index(rows, 0);
	const char *want[] = {"document", "title", "case_type", "victim_sex", "victim_age", "victim_age_band",
			      "victim_ethnicity"};
	assert_int_equal(head->len, 7);
	for (guint i = 0; i < head->len; i++)
		assert_string_equal(g_ptr_array_index(head, i), want[i]);
	int seen_alder = 0, seen_fir = 0;
	for (guint r = 1; r < rows->len; r++) {
		GPtrArray *row = g_ptr_array_index(rows, r);
		const char *doc = g_ptr_array_index(row, 0);
		if (strcmp(doc, alder) == 0) {
			seen_alder = 1;
			assert_string_equal(g_ptr_array_index(row, 3), "female");
			assert_string_equal(g_ptr_array_index(row, 4), "34");
			assert_string_equal(g_ptr_array_index(row, 5), "31-40");
			assert_string_equal(g_ptr_array_index(row, 6), "'=HYPERLINK(\"x\")");
		}
		if (strcmp(doc, fir) == 0) {
			seen_fir = 1;
			assert_string_equal(g_ptr_array_index(row, 3), ""); /* failed: no values */
		}
	}
	assert_true(seen_alder && seen_fir);
	g_ptr_array_unref(rows);
	/* the summary table */
	char *sum = summary_of(scan);
	assert_non_null(strstr(sum, "CASE PROFILES (documents)"));
	const char *line = summary_line(sum, "female");
	assert_non_null(line);
	assert_true(strncmp(line, "  female", 8) == 0);
	free(sum);
	/* the report: a chart per attribute, each bar's documents linked to their evidence, text escaped */
	char *html = NULL;
	size_t len = 0;
	assert_int_equal(dhr_output_report(&html, &len, scan, &err), 0);
	assert_non_null(strstr(html, "<section class=\"panel\" id=\"profiles\""));
	assert_non_null(strstr(html, "<a href=\"#profiles\">Case profiles</a>"));
	assert_non_null(strstr(html, "href=\"#pd0-victim_age\""));
	assert_non_null(strstr(html, "<tr id=\"pd0-victim_age\">"));
	assert_non_null(strstr(html, "Ann &lt;script&gt;x&lt;/script&gt; was a <mark>34-year-old</mark> woman."));
	assert_null(strstr(html, "<script>x"));
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        recommendations_csv_should_have_a_bom_crlf_lines_and_one_row_per_recommendation, setup_sample,
	        teardown_sample),
	    cmocka_unit_test_setup_teardown(recommendations_csv_should_join_pages_and_themes_with_semicolons,
	                                    setup_sample, teardown_sample),
	    cmocka_unit_test_setup_teardown(csv_should_quote_commas_quotes_and_newlines_so_they_round_trip,
	                                    setup_sample, teardown_sample),
	    cmocka_unit_test_setup_teardown(csv_should_neutralise_cells_that_begin_a_formula, setup_sample,
	                                    teardown_sample),
	    cmocka_unit_test_setup_teardown(themes_csv_should_have_one_row_per_recommendation_and_theme,
	                                    setup_sample, teardown_sample),
	    cmocka_unit_test_setup_teardown(csv_should_replace_invalid_utf8, setup_sample, teardown_sample),
	    cmocka_unit_test_setup_teardown(scan_json_should_round_trip_escapes_bad_bytes_and_numbers, setup_sample,
					    teardown_sample),
	    cmocka_unit_test_setup_teardown(profiles_should_be_counted_split_and_written_to_every_output, setup_sample,
	                                    teardown_sample),
	    cmocka_unit_test_setup_teardown(totals_should_equal_the_sample_totals_counted_by_hand,
	                                    setup_sample, teardown_sample),
	    cmocka_unit_test_setup_teardown(
	        totals_should_count_a_repeated_theme_once_and_a_missing_agency_as_unknown, setup_sample,
	        teardown_sample),
	    cmocka_unit_test_setup_teardown(summary_should_show_counts_shares_and_the_homicide_suicide_split,
	                                    setup_sample, teardown_sample),
	    cmocka_unit_test_setup_teardown(summary_should_list_failed_documents_with_their_reasons,
	                                    setup_sample, teardown_sample),
	    cmocka_unit_test_setup_teardown(summary_should_not_pass_control_characters_to_the_terminal,
	                                    setup_sample, teardown_sample),
	    cmocka_unit_test(schema_should_accept_the_sample_scan),
	    cmocka_unit_test_setup_teardown(schema_should_reject_scans_with_mistakes, setup_sample,
	                                    teardown_sample),
	    cmocka_unit_test(schema_embedded_in_the_binary_should_be_the_file),
	    cmocka_unit_test(real_scan_output_should_match_the_schema_and_its_own_counts),
	    cmocka_unit_test_setup_teardown(write_should_create_every_output_and_leave_no_temporary_file,
	                                    setup_sample, teardown_sample),
	    cmocka_unit_test_setup_teardown(write_should_write_only_the_files_asked_for, setup_sample,
	                                    teardown_sample),
	    cmocka_unit_test_setup_teardown(write_should_fail_with_eio_when_the_folder_cannot_be_made,
	                                    setup_sample, teardown_sample),
	    cmocka_unit_test(load_should_explain_what_is_wrong_with_a_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
