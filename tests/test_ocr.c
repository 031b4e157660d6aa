/*
 * tests/test_ocr.c: scanned reports read by OCR (Tesseract), end to end
 * through `dhr scan`. The fixtures are made here, not committed: a DHR-like
 * report written by tests/support/pdfgen is rasterised with pdftoppm
 * (greyscale, 150-200 dpi) and wrapped back into a PDF of images with
 * img2pdf, so no text layer is left. From it: the whole report scanned, its
 * recommendations page scanned and rotated 2 degrees (ImageMagick), a
 * two-column page scanned, a mixed document (text pages and one scanned
 * page, joined with qpdf) and a page rasterised at 36 dpi (low confidence, about 40).
 * OCR is slow (1-3 s a page), so one scan in the group setup reads them
 * all, and the tests look at its scan.json and cached body texts; the tests
 * of --ocr off, the cache key, missing language data and the deadline add
 * only fast runs or one page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dhr/util.h"
#include "support/pdfgen.h"

typedef struct fixture {
	char *dir;
	char *text;     /* dir/text: the report with its text layer */
	char *in;       /* dir/in: the scanned documents */
	char *out;      /* dir/out: the OCR scan's outputs (and cache) */
	char *text_out; /* dir/text-out: the text layer's scan */
	cJSON *scan, *text_scan;
	int skipped;    /* a tool to make the fixtures is missing */
} fixture;

static const char *dhr_bin(void)
{
	const char *b = getenv("DHR_BIN");
	return b ? b : "./dhr";
}

/* Run argv[0..] (NULL-terminated); capture stdout and stderr. */
static int run_v(char **out, char **err, const char *first, va_list ap)
{
	char *argv[40] = {(char *)first};
	int n = 1;
	const char *a;
	while (n < 39 && (a = va_arg(ap, const char *)))
		argv[n++] = (char *)a;
	argv[n] = NULL;
	return pdfgen_run(argv, out, err);
}

static int run(char **out, char **err, const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	int rc = run_v(out, err, first, ap);
	va_end(ap);
	return rc;
}

static int have(const char *cmd)
{
	char *c = g_find_program_in_path(cmd);
	g_free(c);
	return c != NULL;
}

static gint cmp_path(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Rasterise pages first..last of src at dpi (greyscale), optionally rotate each page image by
 * `rotate` degrees, and write them as a PDF of images at dst. @return 0 or -1. */
static int make_scan(const char *dir, const char *src, int first, int last, int dpi, double rotate,
		     const char *dst)
{
	char *pages = g_build_filename(dir, "pages", NULL);
	char *prefix = g_build_filename(pages, "p", NULL);
	char f[16], l[16], r[16], size[32], deg[32];
	snprintf(f, sizeof f, "%d", first);
	snprintf(l, sizeof l, "%d", last);
	snprintf(r, sizeof r, "%d", dpi);
	snprintf(size, sizeof size, "%ddpi", dpi);
	snprintf(deg, sizeof deg, "%.1f", rotate);
	pdfgen_rmtree(pages);
	mkdir(pages, 0755);
	int rc = run(NULL, NULL, "pdftoppm", "-gray", "-r", r, "-f", f, "-l", l, src, prefix, NULL);
	GDir *d = rc == 0 ? g_dir_open(pages, 0, NULL) : NULL;
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	while (d && (name = g_dir_read_name(d)))
		g_ptr_array_add(files, g_build_filename(pages, name, NULL));
	if (d)
		g_dir_close(d);
	g_ptr_array_sort(files, cmp_path);
	for (guint i = 0; rc == 0 && rotate != 0 && i < files->len; i++)
		rc = run(NULL, NULL, "convert", files->pdata[i], "-background", "white", "-rotate", deg, "+repage",
			 files->pdata[i], NULL);
	if (rc == 0 && files->len > 0) {
		char *argv[64] = {(char *)"img2pdf", (char *)"--imgsize", size};
		int n = 3;
		for (guint i = 0; i < files->len && n < 60; i++)
			argv[n++] = files->pdata[i];
		argv[n++] = (char *)"-o";
		argv[n++] = (char *)dst;
		argv[n] = NULL;
		rc = pdfgen_run(argv, NULL, NULL);
	} else if (files->len == 0) {
		rc = -1;
	}
	g_ptr_array_free(files, TRUE);
	pdfgen_rmtree(pages);
	g_free(pages);
	g_free(prefix);
	return rc == 0 ? 0 : -1;
}

static int write_report(void *arg)
{
	return pdfgen_write_report(arg, 4);
}

static int write_two_column(void *arg)
{
	return pdfgen_write_two_column(arg);
}

static cJSON *load_json(const char *path)
{
	gchar *buf = NULL;
	gsize len = 0;
	if (!g_file_get_contents(path, &buf, &len, NULL))
		return NULL;
	cJSON *j = cJSON_ParseWithLength(buf, len);
	g_free(buf);
	return j;
}

static int group_setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	*state = f;
	f->dir = pdfgen_tmpdir();
	f->text = pdfgen_path(f->dir, "text");
	f->in = pdfgen_path(f->dir, "in");
	f->out = pdfgen_path(f->dir, "out");
	f->text_out = pdfgen_path(f->dir, "text-out");
	mkdir(f->text, 0755);
	mkdir(f->in, 0755);
	if (!have("pdftoppm") || !have("img2pdf") || !have("convert") || !have("qpdf")) {
		/* tools/deps.sh installs them; say so rather than pass quietly */
		fprintf(stderr, "test_ocr: pdftoppm, img2pdf, convert (imagemagick) and qpdf are needed\n");
		return -1;
	}
	char *report = pdfgen_path(f->text, "report.pdf");
	char *twocol = pdfgen_path(f->dir, "twocol-text.pdf");
	assert_int_equal(pdfgen_in_child(write_report, report), 0);
	assert_int_equal(pdfgen_in_child(write_two_column, twocol), 0);
	char *p;
	p = pdfgen_path(f->in, "scanned-report.pdf");
	assert_int_equal(make_scan(f->dir, report, 1, 4, 150, 0, p), 0);
	char *scan_copy = strdup(p);
	free(p);
	p = pdfgen_path(f->in, "skewed.pdf");
	assert_int_equal(make_scan(f->dir, report, 3, 3, 200, 2.0, p), 0);
	free(p);
	p = pdfgen_path(f->in, "two-column.pdf");
	assert_int_equal(make_scan(f->dir, twocol, 1, 1, 150, 0, p), 0);
	free(p);
	p = pdfgen_path(f->in, "low-resolution.pdf");
	assert_int_equal(make_scan(f->dir, report, 2, 2, 36, 0, p), 0);
	free(p);
	/* text pages 1, 2 and 4 around the scanned page 3 (the recommendations) */
	p = pdfgen_path(f->in, "mixed.pdf");
	assert_int_equal(run(NULL, NULL, "qpdf", "--empty", "--pages", report, "1-2", scan_copy, "3", report, "4",
			     "--", p, NULL),
			 0);
	free(p);
	free(scan_copy);
	free(twocol);
	free(report);

	/* one OCR run for the whole file: a 2 s base timeout, which only the
	 * per-page OCR budget lets the 4-page scan meet */
	char *err = NULL;
	int rc = run(NULL, &err, dhr_bin(), "scan", "-q", "-j", "2", "--timeout", "2", "--ocr-timeout", "60", "-o",
		     f->out, f->in, NULL);
	if (rc != 0)
		fprintf(stderr, "test_ocr: dhr scan exited %d: %s\n", rc, err ? err : "");
	free(err);
	assert_int_equal(rc, 0);
	rc = run(NULL, NULL, dhr_bin(), "scan", "-q", "--ocr", "off", "-o", f->text_out, f->text, NULL);
	assert_int_equal(rc, 0);
	p = pdfgen_path(f->out, "scan.json");
	f->scan = load_json(p);
	free(p);
	p = pdfgen_path(f->text_out, "scan.json");
	f->text_scan = load_json(p);
	free(p);
	assert_non_null(f->scan);
	assert_non_null(f->text_scan);
	return 0;
}

static int group_teardown(void **state)
{
	fixture *f = *state;
	if (!f)
		return 0;
	cJSON_Delete(f->scan);
	cJSON_Delete(f->text_scan);
	if (f->dir)
		pdfgen_rmtree(f->dir);
	free(f->dir);
	free(f->text);
	free(f->in);
	free(f->out);
	free(f->text_out);
	free(f);
	pdfgen_cleanup();
	return 0;
}

/* ---- helpers over scan.json ---- */

static const cJSON *doc_named(const cJSON *scan, const char *base)
{
	const cJSON *d;
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(scan, "documents"))
	{
		const char *p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "path"));
		const char *b = p ? strrchr(p, '/') : NULL;
		if (p && strcmp(b ? b + 1 : p, base) == 0)
			return d;
	}
	fail_msg("no document %s in scan.json", base);
	return NULL;
}

static const char *str(const cJSON *o, const char *k)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static const cJSON *rec_numbered(const cJSON *doc, const char *number)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "recommendations"))
	{
		const char *n = str(r, "number");
		if (n && strcmp(n, number) == 0)
			return r;
	}
	return NULL;
}

/* Share of the words of `want` (lower-cased, 3+ letters) that occur in `got`. */
static double word_cover(const char *want, const char *got)
{
	gchar *w = g_ascii_strdown(want, -1), *g = g_ascii_strdown(got, -1);
	gchar **words = g_strsplit_set(w, " ,.;:()", -1);
	int n = 0, hit = 0;
	for (gchar **x = words; *x; x++) {
		if (strlen(*x) < 3)
			continue;
		n++;
		hit += strstr(g, *x) != NULL;
	}
	g_strfreev(words);
	g_free(w);
	g_free(g);
	return n ? (double)hit / n : 0;
}

/* Themes of a recommendation joined with ',' (sorted as scan.json has them). */
static char *themes_of(const cJSON *rec)
{
	GString *s = g_string_new(NULL);
	const cJSON *t;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(rec, "themes"))
	{
		if (s->len)
			g_string_append_c(s, ',');
		g_string_append(s, t->valuestring);
	}
	return g_string_free(s, FALSE);
}

/* The cached body text of a document of the OCR scan. */
static char *body_text(const fixture *f, const cJSON *doc)
{
	const char *sha = str(doc, "sha256");
	assert_non_null(sha);
	char *cache = pdfgen_path(f->out, ".cache");
	GDir *d = g_dir_open(cache, 0, NULL);
	assert_non_null(d);
	const char *name;
	char *text = NULL;
	while ((name = g_dir_read_name(d)) && !text) {
		if (!strstr(name, "-ocr-auto-"))
			continue;
		char prefix[3] = {sha[0], sha[1], '\0'}, file[80];
		snprintf(file, sizeof file, "%s.txt", sha);
		char *p = g_build_filename(cache, name, prefix, file, NULL);
		gsize len;
		if (!g_file_get_contents(p, &text, &len, NULL))
			text = NULL;
		g_free(p);
	}
	g_dir_close(d);
	free(cache);
	assert_non_null(text);
	return text;
}

/* The recommendations of `doc` match the text layer's: same numbers, the words found, the same themes. */
static void assert_recs_like_text(const fixture *f, const cJSON *doc, int want_ocr)
{
	const cJSON *tdoc = doc_named(f->text_scan, "report.pdf");
	const cJSON *tr;
	int n = 0;
	cJSON_ArrayForEach(tr, cJSON_GetObjectItemCaseSensitive(tdoc, "recommendations"))
	{
		const char *number = str(tr, "number");
		if (!number || strcmp(str(tr, "section"), "recommendations") != 0)
			continue;
		n++;
		const cJSON *r = rec_numbered(doc, number);
		if (!r)
			fail_msg("%s: recommendation %s not found", str(doc, "path"), number);
		double cover = word_cover(str(tr, "text"), str(r, "text"));
		if (cover < 0.9)
			fail_msg("%s: %s read as \"%s\" (%.0f%% of the words)", str(doc, "path"), number, str(r, "text"),
				 100 * cover);
		char *a = themes_of(tr), *b = themes_of(r);
		assert_string_equal(b, a);
		assert_true(*a); /* classified */
		free(a);
		free(b);
		assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ocr")), want_ocr);
	}
	assert_int_equal(n, 3);
}

/* ---- tests ---- */

static void ocr_should_find_and_classify_the_recommendations_of_a_scanned_report(void **state)
{
	fixture *f = *state;
	const cJSON *d = doc_named(f->scan, "scanned-report.pdf");
	assert_string_equal(str(d, "status"), "ok");
	const cJSON *ocr = cJSON_GetObjectItemCaseSensitive(d, "ocr");
	assert_non_null(ocr);
	assert_true(strncmp(str(ocr, "engine"), "tesseract ", 10) == 0);
	const cJSON *pages = cJSON_GetObjectItemCaseSensitive(ocr, "pages"), *p;
	assert_int_equal(cJSON_GetArraySize(pages), 4);
	int want = 1;
	cJSON_ArrayForEach(p, pages)
	{
		assert_int_equal(cJSON_GetObjectItemCaseSensitive(p, "page")->valueint, want++);
		assert_true(cJSON_GetObjectItemCaseSensitive(p, "confidence")->valuedouble >= 80);
	}
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d, "warnings")), 0);
	/* as many recommendations as the text layer gives, with the same words and themes */
	const cJSON *td = doc_named(f->text_scan, "report.pdf");
	assert_null(cJSON_GetObjectItemCaseSensitive(td, "ocr"));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d, "recommendations")),
			 cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(td, "recommendations")));
	assert_recs_like_text(f, d, 1);
	/* the action plan's ruled table: its vertical rules are not read as '|' into the cells */
	char *text = body_text(f, d);
	assert_non_null(strstr(text, "Action plan"));
	assert_null(strchr(text, '|'));
	g_free(text);
}

static void ocr_should_read_a_skewed_page_line_by_line(void **state)
{
	fixture *f = *state;
	const cJSON *d = doc_named(f->scan, "skewed.pdf");
	assert_string_equal(str(d, "status"), "ok");
	/* a page turned 2 degrees: lines 20 pt apart drift 15 pt over their width;
	 * without deskewing, lines run into each other and the numbers are lost */
	assert_recs_like_text(f, d, 1);
	char *text = body_text(f, d);
	assert_non_null(strstr(text, "6.1 The Community Safety Partnership should commission training on coercive"));
	g_free(text);
}

static void ocr_should_read_a_two_column_page_column_by_column(void **state)
{
	fixture *f = *state;
	const cJSON *d = doc_named(f->scan, "two-column.pdf");
	assert_string_equal(str(d, "status"), "ok");
	char *text = body_text(f, d);
	/* all of the left column, then all of the right one */
	const char *last_left = strstr(text, "Left column line 30 ");
	const char *first_right = strstr(text, "Right column line 1 ");
	assert_non_null(last_left);
	assert_non_null(first_right);
	assert_true(last_left < first_right);
	int left = 0, right = 0;
	for (const char *s = text; (s = strstr(s, "column line")); s++) {
		left += s >= text + 5 && strncmp(s - 5, "Left ", 5) == 0;
		right += s >= text + 6 && strncmp(s - 6, "Right ", 6) == 0;
	}
	assert_true(left >= 28);
	assert_true(right >= 28);
	g_free(text);
}

static void ocr_should_read_only_the_scanned_page_of_a_mixed_document(void **state)
{
	fixture *f = *state;
	const cJSON *d = doc_named(f->scan, "mixed.pdf");
	assert_string_equal(str(d, "status"), "ok");
	const cJSON *pages = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(d, "ocr"), "pages");
	assert_int_equal(cJSON_GetArraySize(pages), 1);
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(pages->child, "page")->valueint, 3);
	/* the recommendations (page 3) come from OCR; the action plan's (page 4) from the text layer */
	assert_recs_like_text(f, d, 1);
	const cJSON *r;
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(d, "recommendations"))
	{
		const cJSON *pg;
		int on3 = 0;
		cJSON_ArrayForEach(pg, cJSON_GetObjectItemCaseSensitive(r, "pages")) on3 |= pg->valueint == 3;
		assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ocr")), on3);
	}
	/* and the text pages are as the text layer gives them: the intro is read, no OCR noise */
	char *text = body_text(f, d);
	assert_non_null(strstr(text, "multi-agency safeguarding hub"));
	g_free(text);
}

static void ocr_should_warn_of_low_confidence(void **state)
{
	fixture *f = *state;
	const cJSON *d = doc_named(f->scan, "low-resolution.pdf");
	const cJSON *pages = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(d, "ocr"), "pages");
	assert_int_equal(cJSON_GetArraySize(pages), 1);
	double conf = cJSON_GetObjectItemCaseSensitive(pages->child, "confidence")->valuedouble;
	assert_true(conf < 60);
	/* one warning on confidence (the page has no recommendations section: that is another) */
	const cJSON *w;
	int n = 0;
	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(d, "warnings"))
	{
		if (!strstr(w->valuestring, "OCR confidence"))
			continue;
		n++;
		assert_non_null(strstr(w->valuestring, "page 1: OCR confidence"));
		assert_non_null(strstr(w->valuestring, "below 60"));
	}
	assert_int_equal(n, 1);
}

static void ocr_scan_json_should_follow_the_schema(void **state)
{
	fixture *f = *state;
	if (access("/usr/bin/python3", X_OK) != 0 ||
	    run(NULL, NULL, "/usr/bin/python3", "-c", "import jsonschema", NULL) != 0) {
		fprintf(stderr, "test_ocr: python3-jsonschema missing: schema not checked\n");
		fail();
	}
	char *scan = pdfgen_path(f->out, "scan.json"), *schema = pdfgen_path(f->out, "scan.schema.json");
	char *err = NULL;
	int rc = run(NULL, &err, "/usr/bin/python3", "-c",
		     "import json,sys,jsonschema\n"
		     "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))\n",
		     scan, schema, NULL);
	if (rc != 0)
		fail_msg("scan.json does not follow its schema: %s", err ? err : "");
	free(err);
	free(scan);
	free(schema);
	/* the CSV and the report say which recommendations came from OCR */
	char *csv = pdfgen_path(f->out, "recommendations.csv"), *html = pdfgen_path(f->out, "report.html");
	gchar *c = NULL, *h = NULL;
	assert_true(g_file_get_contents(csv, &c, NULL, NULL));
	assert_true(g_file_get_contents(html, &h, NULL, NULL));
	assert_non_null(strstr(c, ",text,ocr\r\n"));
	assert_non_null(strstr(c, ",yes\r\n"));
	assert_non_null(strstr(h, "4 pages read by OCR"));
	assert_non_null(strstr(h, "class=\"tag ocr\" title=\"read by OCR"));
	g_free(c);
	g_free(h);
	free(csv);
	free(html);
}

static void ocr_off_should_give_no_text_and_not_reuse_the_ocr_results(void **state)
{
	fixture *f = *state;
	char *out = pdfgen_path(f->dir, "off-out"), *cache = pdfgen_path(f->out, ".cache");
	char *doc = pdfgen_path(f->in, "scanned-report.pdf");
	/* the cache that holds the OCR results: --ocr off must not be served them */
	int rc = run(NULL, NULL, dhr_bin(), "scan", "-q", "--ocr", "off", "--cache", cache, "-o", out, doc, NULL);
	assert_int_equal(rc, 1);
	char *p = pdfgen_path(out, "scan.json");
	cJSON *s = load_json(p);
	assert_non_null(s);
	const cJSON *d = doc_named(s, "scanned-report.pdf");
	assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(d, "error"), "code"), "no_text");
	assert_non_null(strstr(str(cJSON_GetObjectItemCaseSensitive(d, "error"), "message"), "pages 1-4"));
	const cJSON *runinfo = cJSON_GetObjectItemCaseSensitive(s, "run");
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(runinfo, "documents_extracted")->valueint, 1);
	cJSON_Delete(s);
	/* and back with auto: the OCR results come from the cache, no OCR again */
	rc = run(NULL, NULL, dhr_bin(), "scan", "-q", "--ocr", "auto", "--cache", cache, "-o", out, doc, NULL);
	assert_int_equal(rc, 0);
	s = load_json(p);
	runinfo = cJSON_GetObjectItemCaseSensitive(s, "run");
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(runinfo, "documents_from_cache")->valueint, 1);
	assert_string_equal(str(doc_named(s, "scanned-report.pdf"), "status"), "ok");
	cJSON_Delete(s);
	free(p);
	free(doc);
	free(cache);
	free(out);
}

static void ocr_should_name_the_missing_language_data_and_the_package(void **state)
{
	fixture *f = *state;
	char *empty = pdfgen_path(f->dir, "empty-tessdata"), *out = pdfgen_path(f->dir, "nodata-out");
	mkdir(empty, 0755);
	char *env = g_strconcat("TESSDATA_PREFIX=", empty, NULL);
	char *scanned = pdfgen_path(f->in, "scanned-report.pdf"), *mixed = pdfgen_path(f->in, "mixed.pdf");
	int rc = run(NULL, NULL, "env", env, dhr_bin(), "scan", "-q", "--no-cache", "-o", out, scanned, mixed, NULL);
	assert_int_equal(rc, 1);
	char *p = pdfgen_path(out, "scan.json");
	cJSON *s = load_json(p);
	assert_non_null(s);
	/* a scanned document cannot be read at all: its error says what to install */
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc_named(s, "scanned-report.pdf"), "error");
	assert_string_equal(str(e, "code"), "ocr_unavailable");
	const char *m = str(e, "message");
	assert_non_null(strstr(m, "scanned-report.pdf"));
	assert_non_null(strstr(m, empty));
	assert_non_null(strstr(m, "eng.traineddata"));
	assert_non_null(strstr(m, "tesseract-ocr-eng"));
	/* a mixed one is read from its text pages, with a warning */
	const cJSON *d = doc_named(s, "mixed.pdf");
	assert_string_equal(str(d, "status"), "ok");
	assert_null(cJSON_GetObjectItemCaseSensitive(d, "ocr"));
	const cJSON *w = cJSON_GetObjectItemCaseSensitive(d, "warnings");
	assert_true(cJSON_GetArraySize(w) >= 1);
	assert_non_null(strstr(w->child->valuestring, "1 page without a text layer not read"));
	assert_non_null(strstr(w->child->valuestring, "tesseract-ocr-eng"));
	cJSON_Delete(s);
	free(p);
	free(scanned);
	free(mixed);
	g_free(env);
	free(out);
	free(empty);
}

static void ocr_deadline_should_grow_with_the_pages_to_ocr_only(void **state)
{
	fixture *f = *state;
	/* the setup's scan met a 2 s timeout with 4 pages to OCR (over 4 s of
	 * work); with almost no time a page, the same 4 pages overrun 2 s */
	char *out = pdfgen_path(f->dir, "deadline-out"), *doc = pdfgen_path(f->in, "scanned-report.pdf");
	int rc = run(NULL, NULL, dhr_bin(), "scan", "-q", "--no-cache", "--timeout", "2", "--ocr-timeout", "0.001",
		     "-o", out, doc, NULL);
	assert_int_equal(rc, 1);
	char *p = pdfgen_path(out, "scan.json");
	cJSON *s = load_json(p);
	assert_non_null(s);
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc_named(s, "scanned-report.pdf"), "error");
	assert_string_equal(str(e, "code"), "timeout");
	assert_non_null(strstr(str(e, "message"), "scanned-report.pdf"));
	assert_non_null(strstr(str(e, "message"), "4 pages to OCR"));
	const cJSON *setup_doc = doc_named(f->scan, "scanned-report.pdf");
	assert_string_equal(str(setup_doc, "status"), "ok");
	cJSON_Delete(s);
	free(p);
	free(doc);
	free(out);
}

static void ocr_should_read_the_demo_corpus_scanned_report_as_its_gold_says(void **state)
{
	/* corpus/scanned: report 08 scanned at 200 dpi, 1 bit (corpus/make-scanned.sh), and its gold entry */
	fixture *f = *state;
	char *cache = pdfgen_path(f->dir, "demo-cache");
	char *out = NULL, *err = NULL;
	int rc = run(&out, &err, dhr_bin(), "eval", "--json", "--cache", cache, "corpus/scanned/gold.json", NULL);
	if (rc != 0)
		fail_msg("dhr eval corpus/scanned/gold.json exited %d: %s", rc, err ? err : "");
	cJSON *ev = cJSON_Parse(out);
	assert_non_null(ev);
	const cJSON *seg = cJSON_GetObjectItemCaseSensitive(ev, "segmentation");
	double recall = cJSON_GetObjectItemCaseSensitive(seg, "recall")->valuedouble;
	double precision = cJSON_GetObjectItemCaseSensitive(seg, "precision")->valuedouble;
	double macro = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ev, "averages"), "macro_f1")
			   ->valuedouble;
	printf("corpus/scanned: recall %.3f precision %.3f macro-F1 %.3f\n", recall, precision, macro);
	assert_true(recall >= 0.99);
	assert_true(precision >= 0.99);
	assert_true(macro >= 0.9);
	cJSON_Delete(ev);
	free(out);
	free(err);
	free(cache);
}

static void ocr_force_should_read_a_page_that_has_a_text_layer(void **state)
{
	fixture *f = *state;
	char *doc = pdfgen_path(f->dir, "twocol-text.pdf"), *out = NULL;
	/* auto leaves a page with a text layer alone */
	assert_int_equal(run(&out, NULL, dhr_bin(), "extract", "--json", "--ocr", "auto", doc, NULL), 0);
	cJSON *j = cJSON_Parse(out);
	assert_non_null(j);
	assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "pages"), 0),
						     "ocr"));
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "ocr_engine")));
	cJSON_Delete(j);
	free(out);
	/* force reads it by OCR, with the same words */
	assert_int_equal(run(&out, NULL, dhr_bin(), "extract", "--json", "--ocr", "force", doc, NULL), 0);
	j = cJSON_Parse(out);
	assert_non_null(j);
	const cJSON *page = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "pages"), 0);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(page, "ocr")));
	assert_true(cJSON_GetObjectItemCaseSensitive(page, "ocr_confidence")->valuedouble >= 80);
	const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(page, "lines"), 0);
	assert_non_null(first);
	assert_string_equal(str(first, "text"), "Left column line 1 of the text.");
	/* in points, where the text layer has it: baseline 80 at 10 pt, left edge 60 */
	double x = cJSON_GetObjectItemCaseSensitive(first, "x")->valuedouble;
	double y = cJSON_GetObjectItemCaseSensitive(first, "y")->valuedouble;
	double size = cJSON_GetObjectItemCaseSensitive(first, "font_size")->valuedouble;
	assert_true(x > 58 && x < 63);
	assert_true(y > 70 && y < 80);
	assert_true(size >= 9 && size <= 11);
	cJSON_Delete(j);
	free(out);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ocr_should_find_and_classify_the_recommendations_of_a_scanned_report),
		cmocka_unit_test(ocr_should_read_a_skewed_page_line_by_line),
		cmocka_unit_test(ocr_should_read_a_two_column_page_column_by_column),
		cmocka_unit_test(ocr_should_read_only_the_scanned_page_of_a_mixed_document),
		cmocka_unit_test(ocr_should_warn_of_low_confidence),
		cmocka_unit_test(ocr_scan_json_should_follow_the_schema),
		cmocka_unit_test(ocr_off_should_give_no_text_and_not_reuse_the_ocr_results),
		cmocka_unit_test(ocr_should_name_the_missing_language_data_and_the_package),
		cmocka_unit_test(ocr_deadline_should_grow_with_the_pages_to_ocr_only),
		cmocka_unit_test(ocr_should_read_the_demo_corpus_scanned_report_as_its_gold_says),
		cmocka_unit_test(ocr_force_should_read_a_page_that_has_a_text_layer),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
