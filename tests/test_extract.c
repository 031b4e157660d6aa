/*
 * tests/test_extract.c: the extraction stage on real PDFs through real
 * Poppler: fixtures are written at test time by tests/support/pdfgen.c
 * (cairo), encrypted with qpdf, truncated, or replaced by non-PDF bytes; the
 * `dhr extract` command is run end to end when DHR_BIN is set.
 *
 * `test_extract --write-report FILE [PAGES]` writes the generated report
 * (default 100 pages) and exits: the benchmark uses it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhr/doc.h"
#include "dhr/extract.h"
#include "dhr/util.h"
#include "support/pdfgen.h"

#define REPORT_PAGES 6

/* Fixtures shared by every test of the group, made once. */
static struct {
	char *dir;
	char *report, *two_col, *scanned, *mixed, *empty, *textfile, *truncated, *encrypted, *missing;
	char *hyphens, *two_page, *big;
	dhr_doc *doc; /* report.pdf, extracted once */
} fx;

/* ---- helpers ------------------------------------------------------------------ */

static const dhr_line *find_line(const dhr_doc *doc, const char *needle, int *page_out, size_t *index_out)
{
	for (size_t p = 0; p < doc->n_pages; p++)
		for (size_t l = 0; l < doc->pages[p].n_lines; l++)
			if (strstr(doc->pages[p].lines[l].text, needle)) {
				if (page_out)
					*page_out = (int)p + 1;
				if (index_out)
					*index_out = l;
				return &doc->pages[p].lines[l];
			}
	return NULL;
}

/* The first line containing `needle`; fails the test when there is none. */
static const dhr_line *must_find(const dhr_doc *doc, const char *needle)
{
	const dhr_line *l = find_line(doc, needle, NULL, NULL);
	if (!l) {
		fail_msg("no line contains '%s'", needle);
		abort(); /* not reached: fail_msg leaves the test */
	}
	return l;
}

static dhr_doc *extract_ok(const char *path)
{
	dhr_doc *doc = NULL;
	dhr_error err = {0};
	int rc = dhr_extract_file(&doc, path, NULL, &err);
	if (rc != 0)
		fprintf(stderr, "extract %s: %d %s\n", path, rc, err.message);
	assert_int_equal(rc, 0);
	assert_non_null(doc);
	return doc;
}

static int extract_fails(const char *path, const char *password, dhr_error *err)
{
	dhr_doc *doc = (dhr_doc *)&fx; /* must be reset to NULL */
	dhr_extract_opts opts = {0};
	opts.password = password;
	int rc = dhr_extract_file(&doc, path, &opts, err);
	assert_null(doc);
	return rc;
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

/* Two pages of body text, footers with bare page numbers "1" and "- 2 -". */
static int write_two_page(const char *path)
{
	pdfgen *g = pdfgen_new(path, PDFGEN_A4_W, PDFGEN_A4_H);
	if (!g)
		return -1;
	pdfgen_paragraph(g, 72, 100, 451, 14,
			 "The first page of a short letter. It has enough words to make a paragraph of body text "
			 "that runs over more than one line.");
	pdfgen_font(g, "DejaVu Sans", 0, 0, 9);
	pdfgen_text(g, 295, 805, "1");
	pdfgen_page_break(g);
	pdfgen_font(g, "DejaVu Sans", 0, 0, 11);
	pdfgen_paragraph(g, 72, 100, 451, 14, "The second page ends the letter with a few more words of text.");
	pdfgen_font(g, "DejaVu Sans", 0, 0, 9);
	pdfgen_text(g, 290, 805, "- 2 -");
	return pdfgen_close(g);
}

/* One text page and one scanned page. */
static int write_mixed(const char *path)
{
	pdfgen *g = pdfgen_new(path, PDFGEN_A4_W, PDFGEN_A4_H);
	if (!g)
		return -1;
	pdfgen_paragraph(g, 72, 100, 451, 14,
			 "A covering page with real text, followed by a page that was scanned and carries only an image.");
	pdfgen_page_break(g);
	pdfgen_image(g, 0, 0, PDFGEN_A4_W, PDFGEN_A4_H);
	return pdfgen_close(g);
}

/* Write every fixture (runs in a child process: see pdfgen_in_child). */
static int write_fixtures(void *arg)
{
	(void)arg;
	static const char *const hyphen_pages[] = {
		"The panel looked at the frobnication of records, a word made up for this test.\n"
		"The delay in the frobni-\ncation of the records was noted by the panel.\n"
		"The zorbu-\nlation step has no evidence anywhere else in this document.\n"
		"Staff were trained in the co-ordinate approach and then asked to co-\nordinate their work.",
	};
	static const char text[] = "This is a plain text file that happens to end in .pdf\n";
	if (pdfgen_write_report(fx.report, REPORT_PAGES) < 0 || pdfgen_write_two_column(fx.two_col) < 0 ||
	    pdfgen_write_image_only(fx.scanned, 3) < 0 || write_mixed(fx.mixed) < 0 ||
	    pdfgen_write_bytes(fx.empty, "", 0) < 0 || pdfgen_write_bytes(fx.textfile, text, sizeof text - 1) < 0 ||
	    pdfgen_truncate_copy(fx.report, fx.truncated, 40) < 0 ||
	    pdfgen_write_text_pages(fx.hyphens, hyphen_pages, 1) < 0 || write_two_page(fx.two_page) < 0 ||
	    pdfgen_write_report(fx.big, 100) < 0)
		return -1;
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	fx.dir = pdfgen_tmpdir();
	if (!fx.dir)
		return -1;
	fx.report = pdfgen_path(fx.dir, "report.pdf");
	fx.two_col = pdfgen_path(fx.dir, "two-column.pdf");
	fx.scanned = pdfgen_path(fx.dir, "scanned.pdf");
	fx.mixed = pdfgen_path(fx.dir, "mixed.pdf");
	fx.empty = pdfgen_path(fx.dir, "empty.pdf");
	fx.textfile = pdfgen_path(fx.dir, "notes.pdf");
	fx.truncated = pdfgen_path(fx.dir, "truncated.pdf");
	fx.encrypted = pdfgen_path(fx.dir, "encrypted.pdf");
	fx.missing = pdfgen_path(fx.dir, "no-such-file.pdf");
	fx.hyphens = pdfgen_path(fx.dir, "hyphens.pdf");
	fx.two_page = pdfgen_path(fx.dir, "two-page.pdf");
	fx.big = pdfgen_path(fx.dir, "big.pdf");
	if (pdfgen_in_child(write_fixtures, NULL) < 0)
		return -1;
	char *argv[] = {(char *)"qpdf", (char *)"--encrypt", (char *)"userpw", (char *)"ownerpw", (char *)"256",
			(char *)"--",   fx.report,             fx.encrypted,        NULL};
	if (pdfgen_run(argv, NULL, NULL) != 0)
		return -1;
	dhr_error err = {0};
	if (dhr_extract_file(&fx.doc, fx.report, NULL, &err) < 0) {
		fprintf(stderr, "setup: %s\n", err.message);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	dhr_doc_free(fx.doc);
	pdfgen_rmtree(fx.dir);
	char **paths[] = {&fx.dir,       &fx.report,    &fx.two_col,   &fx.scanned, &fx.mixed,
			  &fx.empty,     &fx.textfile,  &fx.truncated, &fx.encrypted, &fx.missing,
			  &fx.hyphens,   &fx.two_page,  &fx.big};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		free(*paths[i]);
		*paths[i] = NULL;
	}
	return 0;
}

/* ---- reading order and text ------------------------------------------------------- */

static void extract_should_read_lines_top_to_bottom(void **state)
{
	(void)state;
	assert_int_equal(fx.doc->n_pages, REPORT_PAGES);
	size_t ititle, ibody, imeeting;
	int p1, p2, p3;
	assert_non_null(find_line(fx.doc, "1. Introduction", &p1, &ititle));
	assert_non_null(find_line(fx.doc, "This review was commissioned", &p2, &ibody));
	assert_non_null(find_line(fx.doc, "meeting before the homicide", &p3, &imeeting));
	assert_int_equal(p1, 1);
	assert_true(ititle < ibody && ibody < imeeting);
	/* body lines of a single-column page go down the page */
	const dhr_page *page = &fx.doc->pages[1];
	for (size_t l = 1; l < page->n_lines; l++)
		if (!(page->lines[l].flags & DHR_LINE_FURNITURE) && !(page->lines[l - 1].flags & DHR_LINE_FURNITURE))
			assert_true(page->lines[l].y > page->lines[l - 1].y);
}

static void extract_should_read_two_columns_one_after_the_other(void **state)
{
	(void)state;
	dhr_doc *doc = extract_ok(fx.two_col);
	char *text = dhr_doc_text(doc);
	const char *l30 = strstr(text, "Left column line 30 of the text.");
	const char *r1 = strstr(text, "Right column line 1 of the text.");
	assert_non_null(l30);
	assert_non_null(r1);
	assert_true(l30 < r1);
	assert_null(strstr(text, "text. Right")); /* no line runs across the gutter */
	const dhr_line *left = must_find(doc, "Left column line 5 ");
	const dhr_line *right = must_find(doc, "Right column line 5 ");
	assert_int_equal(left->column, 0);
	assert_int_equal(right->column, 1);
	free(text);
	dhr_doc_free(doc);
}

static void extract_should_normalise_ligatures_and_no_break_spaces(void **state)
{
	(void)state;
	char *text = dhr_doc_text(fx.doc);
	assert_non_null(strstr(text, "the finding of each agency"));
	assert_null(strstr(text, "\xef\xac\x81")); /* U+FB01 */
	assert_non_null(strstr(text, "with Mr Smith and"));
	assert_null(strstr(text, "\xc2\xa0")); /* U+00A0 */
	assert_null(strstr(text, "\xc2\xad")); /* U+00AD */
	free(text);
}

static void extract_should_join_a_word_broken_at_a_line_end(void **state)
{
	(void)state;
	int page;
	const dhr_line *l = find_line(fx.doc, "completed a risk assessment", &page, NULL);
	assert_non_null(l);
	assert_null(find_line(fx.doc, "assess-", NULL, NULL));
	/* the continuation line lost the moved half and keeps sane geometry */
	const dhr_line *next = must_find(fx.doc, "on the night of the first incident");
	assert_non_null(next);
	assert_true(strncmp(next->text, "on the night", 12) == 0);
	assert_true(next->x >= 72 && next->x + next->width <= PDFGEN_A4_W);
}

static void extract_should_keep_the_hyphen_of_a_real_compound(void **state)
{
	(void)state;
	char *text = dhr_doc_text(fx.doc);
	assert_non_null(strstr(text, "did not arrange a multi-agency\nmeeting"));
	assert_null(strstr(text, "multiagency"));
	free(text);
}

static void extract_should_join_hyphenation_only_with_evidence(void **state)
{
	(void)state;
	dhr_doc *doc = extract_ok(fx.hyphens);
	char *text = dhr_doc_text(doc);
	/* "frobnication" occurs unhyphenated elsewhere: joined */
	assert_non_null(strstr(text, "The delay in the frobnication\nof the records"));
	/* no evidence and not in the lexicon: the hyphen stays */
	assert_non_null(strstr(text, "The zorbu-lation\nstep"));
	/* "co-ordinate" occurs hyphenated mid-line: stays hyphenated */
	assert_non_null(strstr(text, "asked to co-ordinate\ntheir work"));
	free(text);
	dhr_doc_free(doc);
}

/* ---- furniture, typography, footnotes, tables -------------------------------------------- */

static void extract_should_mark_running_headers_and_page_footers(void **state)
{
	(void)state;
	for (size_t p = 0; p < fx.doc->n_pages; p++) {
		const dhr_page *page = &fx.doc->pages[p];
		int header = 0, footer = 0;
		char want[32];
		snprintf(want, sizeof want, "Page %zu of %d", p + 1, REPORT_PAGES);
		for (size_t l = 0; l < page->n_lines; l++) {
			const dhr_line *line = &page->lines[l];
			if (strstr(line->text, "Overview Report") && (line->flags & DHR_LINE_HEADER))
				header = 1;
			if (strcmp(line->text, want) == 0 && (line->flags & DHR_LINE_FOOTER))
				footer = 1;
		}
		assert_true(header);
		assert_true(footer);
	}
	char *text = dhr_doc_text(fx.doc);
	assert_null(strstr(text, "Page 3 of"));
	assert_null(strstr(text, "OFFICIAL"));
	assert_int_equal(count_char(text, '\f'), REPORT_PAGES - 1);
	free(text);
}

static void extract_should_mark_bare_page_numbers_in_a_two_page_document(void **state)
{
	(void)state;
	dhr_doc *doc = extract_ok(fx.two_page);
	assert_int_equal(doc->n_pages, 2);
	const dhr_line *one = &doc->pages[0].lines[doc->pages[0].n_lines - 1];
	const dhr_line *two = &doc->pages[1].lines[doc->pages[1].n_lines - 1];
	assert_string_equal(one->text, "1");
	assert_string_equal(two->text, "- 2 -");
	assert_true(one->flags & DHR_LINE_FOOTER);
	assert_true(two->flags & DHR_LINE_FOOTER);
	/* a body line is never furniture */
	assert_false(doc->pages[0].lines[0].flags & DHR_LINE_FURNITURE);
	dhr_doc_free(doc);
}

static void extract_should_record_font_size_and_bold(void **state)
{
	(void)state;
	const dhr_line *h = must_find(fx.doc, "1. Introduction");
	const dhr_line *b = must_find(fx.doc, "This review was commissioned");
	assert_true(h->flags & DHR_LINE_BOLD);
	assert_true(h->font_size > 12.9 && h->font_size < 13.1);
	assert_false(b->flags & DHR_LINE_BOLD);
	assert_true(b->font_size > 10.9 && b->font_size < 11.1);
	assert_true(fx.doc->body_font_size > 10.9 && fx.doc->body_font_size < 11.1);
}

static void extract_should_take_footnote_markers_out_of_the_text(void **state)
{
	(void)state;
	const dhr_line *l = must_find(fx.doc, "was delayed.");
	assert_non_null(l);
	assert_string_equal(l->footnote_marks, "1");
	assert_non_null(strstr(l->text, "was delayed. Nobody followed it up."));
	assert_null(strstr(l->text, "delayed.1"));
	assert_null(strstr(l->text, "delayed. 1"));
}

static void extract_should_flag_footnote_text_at_the_page_foot(void **state)
{
	(void)state;
	const dhr_line *l1 = must_find(fx.doc, "1 Home Office (2016)");
	const dhr_line *l2 = must_find(fx.doc, "Domestic Homicide Reviews.");
	assert_non_null(l1);
	assert_non_null(l2);
	assert_true(l1->flags & DHR_LINE_FOOTNOTE);
	assert_true(l2->flags & DHR_LINE_FOOTNOTE);
	assert_false(l1->flags & DHR_LINE_FURNITURE);
	const dhr_line *body = must_find(fx.doc, "was delayed.");
	assert_false(body->flags & DHR_LINE_FOOTNOTE);
}

static void extract_should_split_table_rows_into_cells(void **state)
{
	(void)state;
	static const char *const head[] = {"Recommendation", "Scope", "Action", "Lead agency", "Target date", "Outcome"};
	const dhr_line *h = must_find(fx.doc, "Recommendation\tScope");
	assert_non_null(h);
	assert_true(h->flags & DHR_LINE_TABLE);
	assert_int_equal(h->n_cells, 6);
	for (size_t c = 0; c < 6; c++) {
		assert_string_equal(h->cells[c].text, head[c]);
		if (c)
			assert_true(h->cells[c].x > h->cells[c - 1].x + h->cells[c - 1].width);
	}
	assert_string_equal(h->text, "Recommendation\tScope\tAction\tLead agency\tTarget date\tOutcome");
	const dhr_line *r = must_find(fx.doc, "1. Police to review\tLocal");
	assert_non_null(r);
	assert_int_equal(r->n_cells, 6);
	assert_string_equal(r->cells[3].text, "Police");
	assert_true(r->cells[3].x > h->cells[3].x - 1 && r->cells[3].x < h->cells[3].x + 1);
}

static void extract_should_keep_each_line_of_a_multi_line_row(void **state)
{
	(void)state;
	const dhr_line *h = must_find(fx.doc, "Recommendation\tScope");
	/* the second physical line of row 1: cells in columns 1, 3 and 6 */
	const dhr_line *l = must_find(fx.doc, "DASH training");
	assert_true(l->flags & DHR_LINE_TABLE);
	assert_int_equal(l->n_cells, 3);
	assert_string_equal(l->cells[0].text, "DASH training");
	assert_string_equal(l->cells[1].text, "training to all");
	assert_string_equal(l->cells[2].text, "delivered");
	assert_true(fabs(l->cells[1].x - h->cells[2].x) < 1);
	assert_true(fabs(l->cells[2].x - h->cells[5].x) < 1);
	const dhr_line *r = must_find(fx.doc, "response officers");
	assert_true(r->flags & DHR_LINE_TABLE);
	assert_int_equal(r->n_cells, 1);
	assert_true(fabs(r->cells[0].x - h->cells[2].x) < 1);
	/* a continuation with text in one column only is still part of the table */
	const dhr_line *e = NULL;
	int page = 0;
	for (size_t p = 0; p < fx.doc->n_pages && !e; p++)
		for (size_t i = 0; i < fx.doc->pages[p].n_lines; i++)
			if (strcmp(fx.doc->pages[p].lines[i].text, "enquiry") == 0) {
				e = &fx.doc->pages[p].lines[i];
				page = (int)p + 1;
				break;
			}
	if (!e)
		fail_msg("no line 'enquiry'");
	assert_int_equal(page, REPORT_PAGES);
	assert_true(e->flags & DHR_LINE_TABLE);
	assert_int_equal(e->n_cells, 1);
	assert_true(e->cells[0].x < h->cells[1].x);
}

static void extract_should_mark_paragraph_starts(void **state)
{
	(void)state;
	const dhr_line *a = must_find(fx.doc, "6.2 Thames Valley Police");
	const dhr_line *b = must_find(fx.doc, "reviewed by a supervisor");
	const dhr_line *c = must_find(fx.doc, "6.3 The CCG");
	assert_true(a->flags & DHR_LINE_PARA_START);
	assert_false(b->flags & DHR_LINE_PARA_START);
	assert_true(c->flags & DHR_LINE_PARA_START);
}

/* ---- metadata, outline, hash ------------------------------------------------------------- */

static void extract_should_read_metadata_and_outline(void **state)
{
	(void)state;
	assert_string_equal(fx.doc->title, "Overview Report into the death of Adult A");
	assert_string_equal(fx.doc->author, "Independent Chair");
	assert_string_equal(fx.doc->creator, "pdfgen");
	assert_non_null(fx.doc->producer);
	assert_non_null(fx.doc->created);
	assert_true(strncmp(fx.doc->created, "2021-03-04T10:20:30", 19) == 0);
	assert_true(fx.doc->n_outline >= 4);
	assert_string_equal(fx.doc->outline[0].title, "1. Introduction");
	assert_int_equal(fx.doc->outline[0].page, 1);
	assert_int_equal(fx.doc->outline[0].level, 0);
	int found = 0;
	for (size_t i = 0; i + 1 < fx.doc->n_outline; i++)
		if (strcmp(fx.doc->outline[i].title, "3. Recommendations") == 0) {
			assert_int_equal(fx.doc->outline[i].page, REPORT_PAGES - 1);
			assert_string_equal(fx.doc->outline[i + 1].title, "Summary of recommendations");
			assert_int_equal(fx.doc->outline[i + 1].level, 1);
			assert_int_equal(fx.doc->outline[i + 1].page, REPORT_PAGES - 1);
			found = 1;
		}
	assert_true(found);
}

static void extract_should_hash_the_file_bytes(void **state)
{
	(void)state;
	gchar *data = NULL;
	gsize len = 0;
	assert_true(g_file_get_contents(fx.report, &data, &len, NULL));
	gchar *want = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
	assert_string_equal(fx.doc->sha256, want);
	assert_string_equal(fx.doc->path, fx.report);
	/* the same bytes from memory give the same document */
	dhr_doc *doc = NULL;
	dhr_error err = {0};
	assert_int_equal(dhr_extract_buffer(&doc, "mem.pdf", data, len, NULL, &err), 0);
	assert_string_equal(doc->sha256, want);
	assert_string_equal(doc->path, "mem.pdf");
	char *a = dhr_doc_text(doc), *b = dhr_doc_text(fx.doc);
	assert_string_equal(a, b);
	free(a);
	free(b);
	dhr_doc_free(doc);
	g_free(want);
	g_free(data);
}

static void extract_should_handle_a_100_page_report(void **state)
{
	(void)state;
	dhr_doc *doc = extract_ok(fx.big);
	assert_int_equal(doc->n_pages, 100);
	for (size_t p = 0; p < doc->n_pages; p++) {
		const dhr_page *page = &doc->pages[p];
		assert_true(page->n_lines > 3);
		assert_true(page->lines[0].flags & DHR_LINE_HEADER);
		assert_true(page->lines[page->n_lines - 1].flags & DHR_LINE_FOOTER);
	}
	char *text = dhr_doc_text(doc);
	assert_null(strstr(text, "of 100"));
	assert_int_equal(count_char(text, '\f'), 99);
	free(text);
	dhr_doc_free(doc);
}

static void extract_should_give_the_same_document_on_several_threads(void **state)
{
	(void)state;
	dhr_extract_opts one = {0}, four = {0};
	one.threads = 1;
	four.threads = 4;
	dhr_doc *a = NULL, *b = NULL;
	dhr_error err = {0};
	assert_int_equal(dhr_extract_file(&a, fx.big, &one, &err), 0);
	assert_int_equal(dhr_extract_file(&b, fx.big, &four, &err), 0);
	assert_int_equal(a->n_pages, b->n_pages);
	for (size_t p = 0; p < a->n_pages; p++) {
		assert_int_equal(a->pages[p].n_lines, b->pages[p].n_lines);
		assert_true(a->pages[p].width == b->pages[p].width && a->pages[p].height == b->pages[p].height);
		for (size_t l = 0; l < a->pages[p].n_lines; l++) {
			assert_string_equal(a->pages[p].lines[l].text, b->pages[p].lines[l].text);
			assert_int_equal(a->pages[p].lines[l].flags, b->pages[p].lines[l].flags);
		}
	}
	assert_true(a->body_font_size == b->body_font_size);
	dhr_doc_free(a);
	dhr_doc_free(b);
}

/* Keeping Poppler warm opens the built-in one-page document; documents
 * extracted while it is held are the same as without it, and one left open
 * by two handles at once is no problem. */
static void extract_should_give_the_same_document_while_poppler_is_kept_warm(void **state)
{
	(void)state;
	dhr_extract_opts opts = {0};
	opts.threads = 1;
	dhr_doc *cold = NULL, *warm = NULL;
	dhr_error err = {0};
	assert_int_equal(dhr_extract_file(&cold, fx.report, &opts, &err), 0);
	dhr_extract_warm *w = dhr_extract_warm_up(), *w2 = dhr_extract_warm_up();
	assert_non_null(w);
	assert_non_null(w2);
	assert_int_equal(dhr_extract_file(&warm, fx.report, &opts, &err), 0);
	dhr_extract_warm_free(w2);
	char *a = dhr_doc_text(cold), *b = dhr_doc_text(warm);
	assert_non_null(strstr(a, "This review was commissioned"));
	assert_string_equal(a, b);
	free(a);
	free(b);
	dhr_doc_free(warm);
	warm = NULL;
	assert_int_equal(dhr_extract_file(&warm, fx.report, &opts, &err), 0);
	assert_int_equal(warm->n_pages, cold->n_pages);
	dhr_extract_warm_free(w);
	dhr_extract_warm_free(NULL);
	dhr_doc_free(cold);
	dhr_doc_free(warm);
}

/* ---- bad input ---------------------------------------------------------------------------- */

static void extract_should_report_a_missing_file_as_io(void **state)
{
	(void)state;
	dhr_error err = {0};
	assert_int_equal(extract_fails(fx.missing, NULL, &err), DHR_EIO);
	assert_int_equal(err.code, DHR_EIO);
	assert_string_equal(dhr_status_code(err.code), "io");
	assert_true(strncmp(err.message, fx.missing, strlen(fx.missing)) == 0);
	assert_non_null(strstr(err.message, "no such file"));
	/* a folder is not a file either */
	assert_int_equal(extract_fails(fx.dir, NULL, &err), DHR_EIO);
}

static void extract_should_report_an_empty_file_as_not_pdf(void **state)
{
	(void)state;
	dhr_error err = {0};
	assert_int_equal(extract_fails(fx.empty, NULL, &err), DHR_ENOTPDF);
	assert_string_equal(dhr_status_code(err.code), "not_pdf");
	assert_non_null(strstr(err.message, fx.empty));
	assert_non_null(strstr(err.message, "empty"));
}

static void extract_should_report_a_text_file_as_not_pdf(void **state)
{
	(void)state;
	dhr_error err = {0};
	assert_int_equal(extract_fails(fx.textfile, NULL, &err), DHR_ENOTPDF);
	assert_non_null(strstr(err.message, fx.textfile));
	assert_non_null(strstr(err.message, "not a PDF"));
}

static void extract_should_report_a_truncated_pdf_as_corrupt(void **state)
{
	(void)state;
	dhr_error err = {0};
	assert_int_equal(extract_fails(fx.truncated, NULL, &err), DHR_ECORRUPT);
	assert_string_equal(dhr_status_code(err.code), "corrupt");
	assert_non_null(strstr(err.message, fx.truncated));
	assert_null(strchr(err.message, '\n'));
}

static void extract_should_refuse_an_encrypted_pdf_without_its_password(void **state)
{
	(void)state;
	dhr_error err = {0};
	assert_int_equal(extract_fails(fx.encrypted, NULL, &err), DHR_EENCRYPTED);
	assert_string_equal(dhr_status_code(err.code), "encrypted");
	assert_non_null(strstr(err.message, "password"));
	assert_int_equal(extract_fails(fx.encrypted, "wrong", &err), DHR_EENCRYPTED);
	assert_non_null(strstr(err.message, "wrong"));
}

static void extract_should_open_an_encrypted_pdf_with_its_password(void **state)
{
	(void)state;
	const char *pws[] = {"userpw", "ownerpw"};
	for (size_t i = 0; i < 2; i++) {
		dhr_doc *doc = NULL;
		dhr_error err = {0};
		dhr_extract_opts opts = {0};
		opts.password = pws[i];
		assert_int_equal(dhr_extract_file(&doc, fx.encrypted, &opts, &err), 0);
		assert_int_equal(doc->n_pages, REPORT_PAGES);
		assert_non_null(find_line(doc, "completed a risk assessment", NULL, NULL));
		dhr_doc_free(doc);
	}
}

static void extract_should_report_a_scanned_pdf_as_no_text(void **state)
{
	(void)state;
	dhr_error err = {0};
	assert_int_equal(extract_fails(fx.scanned, NULL, &err), DHR_ENOTEXT);
	assert_string_equal(dhr_status_code(err.code), "no_text");
	assert_non_null(strstr(err.message, fx.scanned));
	assert_non_null(strstr(err.message, "no text layer on pages 1-3"));
}

static void extract_should_flag_an_image_only_page_among_text_pages(void **state)
{
	(void)state;
	dhr_doc *doc = extract_ok(fx.mixed);
	assert_int_equal(doc->n_pages, 2);
	assert_false(doc->pages[0].image_only);
	assert_true(doc->pages[1].image_only);
	assert_int_equal(doc->pages[1].n_lines, 0);
	dhr_doc_free(doc);
}

/* ---- the command line ------------------------------------------------------------------------ */

static const char *dhr_bin(void)
{
	const char *b = getenv("DHR_BIN");
	if (!b || !*b)
		skip();
	return b;
}

static int run_dhr(char **out, char **errout, const char *a1, const char *a2, const char *a3, const char *a4)
{
	char *argv[] = {(char *)dhr_bin(), (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL};
	return pdfgen_run(argv, out, errout);
}

static void extract_cli_should_print_body_text_with_form_feeds(void **state)
{
	(void)state;
	char *out = NULL, *err = NULL;
	assert_int_equal(run_dhr(&out, &err, "extract", fx.report, NULL, NULL), 0);
	assert_string_equal(err, "");
	assert_int_equal(count_char(out, '\f'), REPORT_PAGES - 1);
	assert_non_null(strstr(out, "completed a risk assessment\n"));
	assert_null(strstr(out, "Page 2 of"));
	free(out);
	free(err);
}

static void extract_cli_should_print_json_with_pages_lines_and_cells(void **state)
{
	(void)state;
	char *out = NULL, *err = NULL;
	assert_int_equal(run_dhr(&out, &err, "extract", "--json", fx.report, NULL), 0);
	cJSON *root = cJSON_Parse(out);
	assert_non_null(root);
	static const char *const keys[] = {"path", "sha256", "title", "author", "producer", "created", "outline", "pages"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		assert_non_null(cJSON_GetObjectItemCaseSensitive(root, keys[i]));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(root, "sha256")->valuestring, fx.doc->sha256);
	const cJSON *outline = cJSON_GetObjectItemCaseSensitive(root, "outline");
	assert_int_equal(cJSON_GetArraySize(outline), (int)fx.doc->n_outline);
	const cJSON *o0 = cJSON_GetArrayItem(outline, 0);
	assert_non_null(cJSON_GetObjectItemCaseSensitive(o0, "level"));
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(o0, "page")->valueint, 1);
	const cJSON *pages = cJSON_GetObjectItemCaseSensitive(root, "pages");
	assert_int_equal(cJSON_GetArraySize(pages), REPORT_PAGES);
	int headers = 0, footers = 0, cells = 0, footnotes = 0, marks = 0;
	const cJSON *page;
	cJSON_ArrayForEach(page, pages)
	{
		assert_non_null(cJSON_GetObjectItemCaseSensitive(page, "number"));
		assert_non_null(cJSON_GetObjectItemCaseSensitive(page, "width"));
		assert_non_null(cJSON_GetObjectItemCaseSensitive(page, "height"));
		const cJSON *line;
		cJSON_ArrayForEach(line, cJSON_GetObjectItemCaseSensitive(page, "lines"))
		{
			static const char *const lk[] = {"text", "x", "y", "width", "height", "font_size", "bold"};
			for (size_t i = 0; i < sizeof lk / sizeof lk[0]; i++)
				assert_non_null(cJSON_GetObjectItemCaseSensitive(line, lk[i]));
			const cJSON *f = cJSON_GetObjectItemCaseSensitive(line, "furniture");
			if (f && strcmp(f->valuestring, "header") == 0)
				headers++;
			if (f && strcmp(f->valuestring, "footer") == 0)
				footers++;
			footnotes += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(line, "footnote"));
			marks += cJSON_GetObjectItemCaseSensitive(line, "footnote_marks") != NULL;
			const cJSON *c = cJSON_GetObjectItemCaseSensitive(line, "cells");
			if (c) {
				const cJSON *c0 = cJSON_GetArrayItem(c, 0);
				assert_non_null(cJSON_GetObjectItemCaseSensitive(c0, "text"));
				assert_non_null(cJSON_GetObjectItemCaseSensitive(c0, "x"));
				assert_non_null(cJSON_GetObjectItemCaseSensitive(c0, "width"));
				cells++;
			}
		}
	}
	assert_true(headers >= REPORT_PAGES);
	assert_int_equal(footers, REPORT_PAGES);
	assert_true(cells >= 3);
	assert_int_equal(footnotes, 2);
	assert_int_equal(marks, 1);
	cJSON_Delete(root);
	free(out);
	free(err);
}

/* Each bad input: exit 1 and exactly one line "dhr: FILE: ..." on stderr, nothing on stdout. */
static void extract_cli_should_fail_with_one_line_naming_the_file(void **state)
{
	(void)state;
	const char *files[] = {fx.missing, fx.empty, fx.textfile, fx.truncated, fx.encrypted, fx.scanned};
	const char *words[] = {"no such file", "not a PDF", "not a PDF", "corrupt", "password", "scanned"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *out = NULL, *err = NULL, want[1200];
		assert_int_equal(run_dhr(&out, &err, "extract", files[i], NULL, NULL), 1);
		snprintf(want, sizeof want, "dhr: %s: ", files[i]);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("stderr for %s: %s", files[i], err);
		assert_int_equal(count_char(err, '\n'), 1);
		assert_non_null(strstr(err, words[i]));
		assert_string_equal(out, "");
		free(out);
		free(err);
	}
}

static void extract_cli_should_open_an_encrypted_pdf_with_password(void **state)
{
	(void)state;
	char *out = NULL, *err = NULL;
	assert_int_equal(run_dhr(&out, &err, "extract", "--password", "userpw", fx.encrypted), 0);
	assert_non_null(strstr(out, "completed a risk assessment"));
	free(out);
	free(err);
}

static void extract_cli_should_teach_its_usage(void **state)
{
	(void)state;
	char *out = NULL, *err = NULL;
	assert_int_equal(run_dhr(&out, &err, "extract", "--help", NULL, NULL), 0);
	assert_non_null(strstr(out, "usage: dhr extract"));
	assert_non_null(strstr(out, "--json"));
	assert_non_null(strstr(out, "--password"));
	assert_non_null(strstr(out, "example"));
	free(out);
	free(err);
	assert_int_equal(run_dhr(&out, &err, "extract", NULL, NULL, NULL), 2);
	assert_non_null(strstr(err, "dhr: "));
	free(out);
	free(err);
	assert_int_equal(run_dhr(&out, &err, "extract", "--bogus", fx.report, NULL), 2);
	assert_non_null(strstr(err, "--bogus"));
	free(out);
	free(err);
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "--write-report") == 0)
		return pdfgen_write_report(argv[2], argc > 3 ? atoi(argv[3]) : 100) == 0 ? 0 : 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(extract_should_read_lines_top_to_bottom),
		cmocka_unit_test(extract_should_give_the_same_document_while_poppler_is_kept_warm),
		cmocka_unit_test(extract_should_read_two_columns_one_after_the_other),
		cmocka_unit_test(extract_should_normalise_ligatures_and_no_break_spaces),
		cmocka_unit_test(extract_should_join_a_word_broken_at_a_line_end),
		cmocka_unit_test(extract_should_keep_the_hyphen_of_a_real_compound),
		cmocka_unit_test(extract_should_join_hyphenation_only_with_evidence),
		cmocka_unit_test(extract_should_mark_running_headers_and_page_footers),
		cmocka_unit_test(extract_should_mark_bare_page_numbers_in_a_two_page_document),
		cmocka_unit_test(extract_should_record_font_size_and_bold),
		cmocka_unit_test(extract_should_take_footnote_markers_out_of_the_text),
		cmocka_unit_test(extract_should_flag_footnote_text_at_the_page_foot),
		cmocka_unit_test(extract_should_split_table_rows_into_cells),
		cmocka_unit_test(extract_should_keep_each_line_of_a_multi_line_row),
		cmocka_unit_test(extract_should_mark_paragraph_starts),
		cmocka_unit_test(extract_should_read_metadata_and_outline),
		cmocka_unit_test(extract_should_hash_the_file_bytes),
		cmocka_unit_test(extract_should_handle_a_100_page_report),
		cmocka_unit_test(extract_should_give_the_same_document_on_several_threads),
		cmocka_unit_test(extract_should_report_a_missing_file_as_io),
		cmocka_unit_test(extract_should_report_an_empty_file_as_not_pdf),
		cmocka_unit_test(extract_should_report_a_text_file_as_not_pdf),
		cmocka_unit_test(extract_should_report_a_truncated_pdf_as_corrupt),
		cmocka_unit_test(extract_should_refuse_an_encrypted_pdf_without_its_password),
		cmocka_unit_test(extract_should_open_an_encrypted_pdf_with_its_password),
		cmocka_unit_test(extract_should_report_a_scanned_pdf_as_no_text),
		cmocka_unit_test(extract_should_flag_an_image_only_page_among_text_pages),
		cmocka_unit_test(extract_cli_should_print_body_text_with_form_feeds),
		cmocka_unit_test(extract_cli_should_print_json_with_pages_lines_and_cells),
		cmocka_unit_test(extract_cli_should_fail_with_one_line_naming_the_file),
		cmocka_unit_test(extract_cli_should_open_an_encrypted_pdf_with_password),
		cmocka_unit_test(extract_cli_should_teach_its_usage),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
