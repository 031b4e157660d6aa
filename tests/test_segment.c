/*
 * tests/test_segment.c: the segmentation stage. Numbering markers; every
 * presentation style of field-notes.md and every "not a recommendation" case
 * on hand-built documents; the same on small real PDFs made by LibreOffice
 * and groff (tests/fixtures/segment/, through real Poppler); the gold-file
 * matcher; and the acceptance check on the bundled corpus (precision and
 * recall against corpus/gold.json, per-report counts, printed as a table).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dhr/common.h"
#include "dhr/doc.h"
#include "dhr/extract.h"
#include "dhr/gold.h"
#include "dhr/segment.h"
#include "../segment/internal.h"

#ifndef DHR_SOURCE_DIR
#define DHR_SOURCE_DIR "."
#endif

/* assert_non_null() that the compiler knows stops the test (for -Wnull-dereference). */
#define REQUIRE(p)                                                                                                     \
	do {                                                                                                           \
		if (!(p)) {                                                                                            \
			print_error("%s:%d: %s is NULL\n", __FILE__, __LINE__, #p);                                     \
			abort();                                                                                       \
		}                                                                                                      \
	} while (0)

/* ---- building documents by hand ------------------------------------------ */

typedef struct bld {
	dhr_doc *doc;
	dhr_page *page;
	double y;
} bld;

static void b_page(bld *b)
{
	b->page = dhr_doc_add_page(b->doc, 595, 842);
	REQUIRE(b->page);
	char buf[32];
	snprintf(buf, sizeof buf, "Page %zu of 9", b->doc->n_pages);
	REQUIRE(dhr_doc_add_line(b->page, "DHR 2020/01 Overview Report", 56, 30, 200, 10, 8.5, DHR_LINE_HEADER));
	REQUIRE(dhr_doc_add_line(b->page, buf, 270, 800, 60, 10, 8.5, DHR_LINE_FOOTER));
	b->y = 72;
}

static void b_new(bld *b)
{
	memset(b, 0, sizeof *b);
	b->doc = dhr_doc_new("hand.pdf");
	REQUIRE(b->doc);
	b->doc->body_font_size = 11;
	memcpy(b->doc->sha256, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 65);
	b_page(b);
}

static dhr_line *b_line(bld *b, const char *t, double x, double size, unsigned flags)
{
	dhr_line *l = dhr_doc_add_line(b->page, t, x, b->y, (double)strlen(t) * size * 0.5, size * 1.3, size, flags);
	REQUIRE(l);
	b->y += size * 1.35;
	return l;
}

/* A heading: bold, `size` points, with space around it. */
static void b_h(bld *b, const char *t, double size)
{
	b->y += 10;
	b_line(b, t, 56, size, DHR_LINE_BOLD | DHR_LINE_PARA_START);
	b->y += 6;
}

/* A paragraph of body text; '\n' separates its lines. */
static void b_pf(bld *b, const char *text, unsigned flags)
{
	char *copy = strdup(text);
	REQUIRE(copy);
	int first = 1;
	for (char *s = copy, *e; s; s = e) {
		e = strchr(s, '\n');
		if (e)
			*e++ = '\0';
		b_line(b, s, first ? 56 : 56, 11, flags | (first ? DHR_LINE_PARA_START : 0));
		first = 0;
	}
	free(copy);
	b->y += 8;
}

static void b_p(bld *b, const char *text)
{
	b_pf(b, text, 0);
}

/* A table row (one text line) with `n` cells at the given x positions. */
static void b_row(bld *b, unsigned flags, size_t n, const double *xs, const char *const *texts)
{
	char line[1024] = "";
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(line, "\t");
		strncat(line, texts[i], sizeof line - strlen(line) - 2);
	}
	dhr_line *l = b_line(b, line, xs[0], 9, flags | DHR_LINE_TABLE);
	l->cells = calloc(n, sizeof *l->cells);
	REQUIRE(l->cells);
	for (size_t i = 0; i < n; i++) {
		l->cells[i].text = strdup(texts[i]);
		REQUIRE(l->cells[i].text);
		l->cells[i].x = xs[i];
		/* a cell ends before the next column starts, as on a real page */
		double w = (double)strlen(texts[i]) * 4.5;
		if (i + 1 < n && xs[i] + w > xs[i + 1] - 8)
			w = xs[i + 1] - 8 - xs[i];
		l->cells[i].width = w;
	}
	l->n_cells = (size_t)n;
}

static dhr_recs *segment_ok(const dhr_doc *doc)
{
	dhr_recs *r = NULL;
	dhr_error err;
	dhr_error_clear(&err);
	assert_int_equal(dhr_segment(&r, doc, &err), 0);
	REQUIRE(r);
	return r;
}

static const dhr_rec *rec_with(const dhr_recs *r, const char *needle)
{
	for (size_t i = 0; i < r->n; i++)
		if (strstr(r->items[i].text, needle))
			return &r->items[i];
	return NULL;
}

static int recs_mention(const dhr_recs *r, const char *needle)
{
	return rec_with(r, needle) != NULL;
}

static int has_page(const dhr_rec *r, int page)
{
	for (size_t i = 0; i < r->n_pages; i++)
		if (r->pages[i] == page)
			return 1;
	return 0;
}

/* ---- markers ----------------------------------------------------------------- */

static void markers_should_read_every_numbering_style_of_the_field_notes(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		seg_mkind kind;
		const char *label;
		int depth;
	} ok[] = {
		{"Recommendation 1: The police should", SEG_MK_WORD, "1", 1},
		{"Recommendation 12 – The CCG", SEG_MK_WORD, "12", 1},
		{"Recommendation one", SEG_MK_WORD, "1", 1},
		{"1. The police should", SEG_MK_NUMBER, "1", 1},
		{"1) The police should", SEG_MK_NUMBER, "1", 1},
		{"10 The police should", SEG_MK_NUMBER, "10", 1},
		{"7.1 The police should", SEG_MK_NUMBER, "7.1", 2},
		{"7.1.2 The police should", SEG_MK_NUMBER, "7.1.2", 3},
		{"10.1.1.1 ensure that", SEG_MK_NUMBER, "10.1.1.1", 4},
		{"9.1 a The police should", SEG_MK_NUMBER, "9.1 a", 2},
		{"10.3b The police should", SEG_MK_NUMBER, "10.3b", 2},
		{"R1 The police should", SEG_MK_RPREFIX, "R1", 1},
		{"R10: The police should", SEG_MK_RPREFIX, "R10", 1},
		{"(a) ensure that", SEG_MK_LETTER, "a", 0},
		{"b) review the", SEG_MK_LETTER, "b", 0},
		{"(ii) review the", SEG_MK_ROMAN, "ii", 0},
		{"\u2022 investigate", SEG_MK_BULLET, "", 0},
		{"\u25aa investigate", SEG_MK_BULLET, "", 0},
		{"- investigate", SEG_MK_BULLET, "", 0},
		{"\uf0b7 investigate", SEG_MK_BULLET, "", 0},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		seg_marker m;
		seg_mkind k = seg_marker_parse(&m, ok[i].text);
		if (k != ok[i].kind)
			fail_msg("'%s': kind %d, expected %d", ok[i].text, k, ok[i].kind);
		assert_string_equal(m.label, ok[i].label);
		if (ok[i].depth)
			assert_int_equal(m.depth, ok[i].depth);
	}
}

static void markers_should_not_mistake_dates_quantities_or_words_for_numbers(void **state)
{
	(void)state;
	static const char *const not_markers[] = {
		"2015 was the year", "15 April 2016 the police", "1.5% of cases", "3 times a week", "12 months later",
		"0.5 of a post", "Review of the policy", "a number of agencies", "e.g. the police", "I. Smith said",
		"Rasa lived", "-5 degrees", "R2D2 unit", "Recommendations 1 to 5 are",
	};
	for (size_t i = 0; i < sizeof not_markers / sizeof not_markers[0]; i++) {
		seg_marker m;
		seg_mkind k = seg_marker_parse(&m, not_markers[i]);
		if (k != SEG_MK_NONE && k != SEG_MK_BULLET)
			fail_msg("'%s' read as a marker (kind %d, label '%s')", not_markers[i], k, m.label);
		assert_int_equal(k, SEG_MK_NONE);
	}
}

/* ---- presentation styles (hand-built documents) ------------------------------ */

static void segment_should_find_numbered_items_under_a_recommendations_heading(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "6. Conclusions", 16);
	b_p(&b, "The Panel concluded that the death could not have been predicted.");
	b_h(&b, "7. Recommendations", 16);
	b_p(&b, "The Panel makes the following recommendations:");
	b_p(&b, "7.1 The Constabulary should review its training on coercive\ncontrol for response officers.");
	b_p(&b, "7.2 It is recommended that the CCG reminds GP practices to ask\nabout domestic abuse when a patient presents with injuries.");
	b_p(&b, "7.3 That the Council reviews its housing allocations policy.");
	b_h(&b, "8. Glossary", 16);
	b_p(&b, "8.1 DASH: Domestic Abuse, Stalking and Harassment checklist.");
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 3);
	assert_null(r->warning);
	assert_string_equal(r->items[0].number, "7.1");
	assert_string_equal(r->items[0].text,
			    "The Constabulary should review its training on coercive control for response officers.");
	assert_string_equal(r->items[0].section, "recommendations");
	assert_string_equal(r->items[0].agency_text, "The Constabulary");
	assert_string_equal(r->items[0].id, "01234567-1");
	assert_string_equal(r->items[1].number, "7.2");
	assert_string_equal(r->items[1].agency_text, "the CCG");
	assert_string_equal(r->items[2].number, "7.3");
	assert_string_equal(r->items[2].agency_text, "the Council");
	assert_false(recs_mention(r, "DASH"));
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

static void segment_should_keep_bullets_under_an_action_lead_in_as_one_recommendation(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "Panel recommendations", 16);
	b_p(&b, "The Panel invites the Clinical Commissioning Group to:");
	b_p(&b, "\u2022 investigate how GP practices record disclosures;");
	b_p(&b, "\u2022 consider funding an IRIS programme;");
	b_p(&b, "\u2022 forge links with the specialist domestic abuse service.");
	b_p(&b, "The Constabulary should brief officers on the new stalking offences.");
	b_h(&b, "Glossary", 16);
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 2);
	const dhr_rec *a = rec_with(r, "invites");
	REQUIRE(a);
	REQUIRE(strstr(a->text, "IRIS"));
	REQUIRE(strstr(a->text, "forge links"));
	assert_string_equal(a->agency_text, "the Clinical Commissioning Group");
	REQUIRE(rec_with(r, "stalking"));
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

static void a_short_lead_in_with_a_duty_and_colon_should_not_pass_for_an_agency_sub_heading(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "Recommendations", 16);
	b_h(&b, "Recommendation 1", 12);
	b_p(&b, "The IDVA service should:");
	b_p(&b, "a) make clear in its leaflets that support is available to men;");
	b_p(&b, "b) arrange training for its staff on working with male victims.");
	b_h(&b, "Recommendation 2", 12);
	b_p(&b, "The Constabulary should review how counter-allegations are recorded.");
	b_h(&b, "Glossary", 16);
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 2);
	const dhr_rec *a = rec_with(r, "leaflets");
	REQUIRE(a);
	REQUIRE(strstr(a->text, "male victims"));
	const dhr_rec *c = rec_with(r, "counter-allegations");
	REQUIRE(c);
	/* the first recommendation's subject does not become the second's agency */
	REQUIRE(c->agency_text);
	REQUIRE(strstr(c->agency_text, "Constabulary"));
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

static void segment_should_split_items_under_agency_sub_headings_and_give_them_that_agency(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "Single agency recommendations", 16);
	b_h(&b, "Constabulary", 11);
	b_p(&b, "\u2022 Ensure that DASH risk assessments are completed at every incident.");
	b_p(&b, "\u2022 Review the supervision of high-risk cases.");
	b_h(&b, "Clinical Commissioning Group", 11);
	b_p(&b, "\u2022 Deliver training to practice staff on routine enquiry.");
	b_h(&b, "Appendix A: Panel membership", 16);
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 3);
	for (size_t i = 0; i < 2; i++) {
		assert_string_equal(r->items[i].agency_text, "Constabulary");
		assert_string_equal(r->items[i].section, "single_agency");
		assert_null(r->items[i].number);
	}
	assert_string_equal(r->items[2].agency_text, "Clinical Commissioning Group");
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

static void segment_should_carry_an_item_over_paragraphs_and_a_page_break(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "9. Recommendations", 16);
	b_p(&b, "1. The Safeguarding Partnership should commission an audit of\nMARAC referrals made by health agencies, and");
	b_page(&b);
	b_pf(&b, "report its findings to the Board within six months.", 0);
	b_p(&b, "This has been a previous recommendation and should now be\nprioritised.");
	b_p(&b, "2. The IDVA service should publish its referral criteria.");
	b_h(&b, "10. Appendix", 16);
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 2);
	const dhr_rec *a = rec_with(r, "MARAC");
	REQUIRE(a);
	REQUIRE(strstr(a->text, "within six months"));
	REQUIRE(strstr(a->text, "should now be prioritised"));
	assert_int_equal(a->n_pages, 2);
	assert_int_equal(a->pages[0], 1);
	assert_int_equal(a->pages[1], 2);
	assert_null(strstr(a->text, "Page 1 of"));
	assert_null(strstr(a->text, "Overview Report"));
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

static void segment_should_keep_lettered_and_sub_numbered_parts_inside_their_recommendation(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "10. Recommendations", 16);
	b_p(&b, "10.1.1 The NHS Foundation Trust should:");
	b_p(&b, "10.1.1.1 ensure that assessments ask about abuse by a partner;");
	b_p(&b, "10.1.1.2 notify the GP when a patient discloses abuse;");
	b_p(&b, "10.1.2 The Council should:");
	b_p(&b, "a) review its homelessness assessment form;");
	b_p(&b, "b) train housing officers on coercive control.");
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 2);
	assert_string_equal(r->items[0].number, "10.1.1");
	REQUIRE(strstr(r->items[0].text, "notify the GP"));
	assert_string_equal(r->items[1].number, "10.1.2");
	REQUIRE(strstr(r->items[1].text, "b) train housing officers"));
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

static void segment_should_read_r_numbers_letter_suffixes_and_recommendation_headings(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "Recommendations", 16);
	b_p(&b, "R1 The Constabulary should refresh its guidance on stalking.");
	b_p(&b, "R2 The CCG should fund a specialist IDVA in the hospital.");
	b_h(&b, "Conclusions and recommendations", 16);
	b_p(&b, "9.1 a The Council should review its tenancy sustainment service.");
	b_p(&b, "9.1 b The Council should publish its domestic abuse housing policy.");
	b_h(&b, "Lessons learned and recommendations", 16);
	b_p(&b, "5.1 Practitioners did not always see the victim alone.");
	b_h(&b, "Recommendation 1", 11);
	b_p(&b, "Health visitors should see mothers alone at every contact.");
	b_p(&b, "5.2 The assessment was not shared with the GP.");
	b_h(&b, "Recommendation 2", 11);
	b_p(&b, "That the GP practice records who accompanies a patient.");
	b_h(&b, "Glossary", 16);
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 6);
	assert_string_equal(r->items[0].number, "R1");
	assert_string_equal(r->items[2].number, "9.1 a");
	assert_string_equal(r->items[3].number, "9.1 b");
	assert_string_equal(r->items[4].number, "1");
	assert_string_equal(r->items[4].text, "Health visitors should see mothers alone at every contact.");
	assert_string_equal(r->items[5].number, "2");
	assert_false(recs_mention(r, "did not always"));
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

static void segment_should_keep_only_recommendations_in_a_section_shared_with_conclusions(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "9. Conclusions and recommendations", 16);
	b_p(&b, "9.1 The Panel concluded that the homicide could not have been predicted.");
	b_p(&b, "9.2 Agencies knew about the earlier incidents but did not share them.");
	b_p(&b, "9.3 Northmere Constabulary should share incident logs with the GP within\nthree days.");
	b_p(&b, "9.4 Ensure that every housing officer is trained to ask about abuse.");
	b_p(&b, "9.5 The Panel thanks the family for their contribution.");
	b_h(&b, "10. Glossary", 16);
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 2);
	assert_string_equal(r->items[0].number, "9.3");
	assert_string_equal(r->items[1].number, "9.4");
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

static void segment_should_read_unnumbered_paragraphs_with_word_bullets_and_their_continuations(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "RECOMMENDATIONS", 14);
	b_p(&b, "The Panel has made the following recommendations.");
	b_p(&b, "That the Safeguarding Partnership commissions a review of MARAC\nattendance by health agencies.");
	b_p(&b, "This has been a previous recommendation and the Panel is concerned\nthat it has not been implemented.");
	b_p(&b, "The Clinical Commissioning Group should ensure that GP practices:");
	b_p(&b, "\uf0b7 ask about domestic abuse at new patient checks;");
	b_p(&b, "o record the name of anyone who accompanies a patient.");
	b_h(&b, "APPENDIX 1", 14);
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 2);
	assert_non_null(strstr(r->items[0].text, "has not been implemented"));
	assert_non_null(strstr(r->items[1].text, "accompanies a patient"));
	assert_string_equal(r->items[1].agency_text, "The Clinical Commissioning Group");
	assert_false(recs_mention(r, "has made the following"));
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

/* ---- action plans -------------------------------------------------------------- */

static const double plan_x[] = {56, 260, 330, 500, 620};

static void plan_header(bld *b)
{
	static const char *const h[] = {"Recommendation", "Scope", "Action to take", "Lead agency", "Target date"};
	b_row(b, DHR_LINE_BOLD | DHR_LINE_PARA_START, 5, plan_x, h);
}

static void segment_should_read_an_action_plan_across_a_page_break_with_its_header_repeated(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "Appendix A: Action Plan", 16);
	plan_header(&b);
	const char *r1[] = {"1. The Constabulary should review", "Local and regional", "Audit cases", "Northmere",
			    "March 2021"};
	b_row(&b, DHR_LINE_PARA_START, 5, plan_x, r1);
	const char *r1b[] = {"its DASH training for call", "Brief staff", "Constabulary"};
	const double x1b[] = {56, 330, 500};
	b_row(&b, 0, 3, x1b, r1b);
	const char *r2[] = {"2. The CCG should fund an IRIS", "National", "Business case", "CCG", "2022"};
	b_row(&b, DHR_LINE_PARA_START, 5, plan_x, r2);
	b_page(&b);
	plan_header(&b); /* repeated on the new page */
	const char *r2b[] = {"programme for every GP practice", "Commission"};
	const double x2b[] = {56, 330};
	b_row(&b, DHR_LINE_PARA_START, 2, x2b, r2b);
	const char *r3[] = {"3. The Council should train housing", "Local", "Training", "Council", "2021"};
	b_row(&b, DHR_LINE_PARA_START, 5, plan_x, r3);
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 3);
	assert_string_equal(r->items[0].text, "The Constabulary should review its DASH training for call");
	assert_string_equal(r->items[0].number, "1");
	assert_string_equal(r->items[0].agency_text, "Northmere Constabulary");
	assert_string_equal(r->items[0].scope, "local");
	assert_string_equal(r->items[0].section, "action_plan");
	assert_string_equal(r->items[1].text, "The CCG should fund an IRIS programme for every GP practice");
	assert_string_equal(r->items[1].scope, "national");
	assert_int_equal(r->items[1].n_pages, 2);
	assert_string_equal(r->items[2].agency_text, "Council");
	assert_false(recs_mention(r, "Action to take"));
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

static void segment_should_merge_the_summary_chapter_and_plan_copies_of_a_recommendation(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "Executive Summary", 16);
	b_p(&b, "The review found missed opportunities to share information.");
	b_h(&b, "Summary of recommendations", 13);
	b_p(&b, "1. The Constabulary should review its DASH training for call handlers.");
	b_p(&b, "2. The CCG should fund an IRIS programme in every practice.");
	b_h(&b, "1. Introduction", 16);
	b_p(&b, "This review was commissioned by the Community Safety Partnership.");
	b_page(&b);
	b_h(&b, "7. Recommendations", 16);
	b_p(&b, "7.1 The Constabulary should review its DASH training for call handlers\nand response officers.");
	b_p(&b, "7.2 The CCG should fund an IRIS programme in every practice in the\ncounty.");
	b_p(&b, "7.3 The CCG should fund an IRIS programme in every practice in the\ncity.");
	b_page(&b);
	b_h(&b, "Appendix A: Action Plan", 16);
	plan_header(&b);
	const char *r1[] = {"1. The Constabulary should review its DASH training", "Local", "Audit",
			    "Northmere Constabulary", "2021"};
	b_row(&b, DHR_LINE_PARA_START, 5, plan_x, r1);
	const char *r3[] = {"3. The CCG should fund an IRIS programme in every practice in the city", "Regional",
			    "Bid", "CCG", "2022"};
	b_row(&b, DHR_LINE_PARA_START, 5, plan_x, r3);
	const char *r2[] = {"2. The CCG should fund an IRIS programme in every practice in the county", "Local",
			    "Bid", "CCG", "2022"};
	b_row(&b, DHR_LINE_PARA_START, 5, plan_x, r2);
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 3);
	const dhr_rec *a = rec_with(r, "call handlers and response officers");
	REQUIRE(a);
	assert_string_equal(a->section, "recommendations");
	assert_string_equal(a->number, "7.1");
	assert_int_equal(a->n_pages, 3);
	assert_true(has_page(a, 1) && has_page(a, 2) && has_page(a, 3));
	assert_string_equal(a->agency_text, "The Constabulary");
	assert_string_equal(a->scope, "local");
	/* two recommendations worded alike stay two, each with its own plan row */
	const dhr_rec *county = rec_with(r, "in the county"), *city = rec_with(r, "in the city");
	REQUIRE(county);
	REQUIRE(city);
	assert_ptr_not_equal(county, city);
	assert_string_equal(county->scope, "local");
	assert_string_equal(city->scope, "regional");
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

static void segment_should_attach_plan_rows_that_give_only_a_number_to_that_recommendation(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "7. Recommendations", 16);
	/* the chapter as a two-column table: number | recommendation */
	static const double x2[] = {56, 100};
	static const char *const h2[] = {"No.", "Recommendation"};
	b_row(&b, DHR_LINE_BOLD | DHR_LINE_PARA_START, 2, x2, h2);
	static const char *const r1[] = {"7.1", "The Constabulary should audit its DASH forms."};
	b_row(&b, DHR_LINE_PARA_START, 2, x2, r1);
	static const char *const r2[] = {"7.2", "The CCG should fund an IRIS programme."};
	b_row(&b, DHR_LINE_PARA_START, 2, x2, r2);
	b_page(&b);
	b_h(&b, "Appendix B: Action Plan", 16);
	static const double x4[] = {56, 150, 330, 480};
	static const char *const h4[] = {"Recommendation", "Action", "Lead agency", "Scope"};
	b_row(&b, DHR_LINE_BOLD | DHR_LINE_PARA_START, 4, x4, h4);
	static const char *const p2[] = {"7.2", "Write a business case", "NHS Northmere CCG", "Regional"};
	b_row(&b, DHR_LINE_PARA_START, 4, x4, p2);
	static const char *const p1[] = {"7.1", "Dip-sample forms", "Northmere Police", "Local"};
	b_row(&b, DHR_LINE_PARA_START, 4, x4, p1);
	static const char *const p9[] = {"7.9", "Not in the chapter", "Somebody", "Local"};
	b_row(&b, DHR_LINE_PARA_START, 4, x4, p9);
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 2);
	assert_string_equal(r->items[0].number, "7.1");
	assert_string_equal(r->items[0].text, "The Constabulary should audit its DASH forms.");
	assert_string_equal(r->items[0].scope, "local");
	assert_true(has_page(&r->items[0], 2));
	assert_string_equal(r->items[1].number, "7.2");
	assert_string_equal(r->items[1].scope, "regional");
	assert_string_equal(r->items[1].agency_text, "The CCG");
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

/* ---- not recommendations --------------------------------------------------------- */

static void segment_should_ignore_contents_lines_and_narrative_that_says_recommend(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "Contents", 16);
	b_p(&b, "1. Introduction ........................ 3");
	b_p(&b, "7. Recommendations ................... 12");
	b_p(&b, "Appendix A: Action Plan ............. 14");
	b_page(&b);
	b_h(&b, "5. Analysis", 16);
	b_p(&b, "5.1 The IMR author recommended that the practice should review its\nprocedures, and the Panel agrees.");
	b_p(&b, "5.2 NICE guidance recommends that staff ask about domestic abuse.");
	b_h(&b, "7. Recommendations", 16);
	b_p(&b, "7.1 The recommendations below are also set out in the action plan.");
	b_p(&b, "7.2 The Council should appoint a domestic abuse housing lead.");
	b_h(&b, "8. Glossary", 16);
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 1);
	assert_string_equal(r->items[0].number, "7.2");
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

static void segment_should_ignore_a_quoted_list_of_an_earlier_reviews_recommendations(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "Recommendations", 16);
	b_p(&b, "The previous review in 2014 made the following recommendations:");
	b_p(&b, "a) The Constabulary should train officers on coercive control.");
	b_p(&b, "b) The CCG should audit GP referrals to MARAC.");
	b_p(&b, "The Panel found that these had been implemented. This review recommends:");
	b_p(&b, "1. The Council should review its homelessness assessment form.");
	b_p(&b, "2. The IDVA service should publish its referral criteria.");
	b_h(&b, "Glossary", 16);
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 2);
	assert_false(recs_mention(r, "coercive control"));
	assert_false(recs_mention(r, "audit GP referrals"));
	REQUIRE(rec_with(r, "homelessness"));
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

static void segment_should_ignore_terms_of_reference_footnotes_and_the_home_office_letter(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "2. Terms of Reference", 16);
	b_p(&b, "2.1 To establish whether agencies should have shared information.");
	b_p(&b, "2.2 To make recommendations to improve practice.");
	b_h(&b, "7. Recommendations", 16);
	b_p(&b, "7.1 The Constabulary should review its call handling scripts.");
	b_line(&b, "1 Home Office (2016) Statutory Guidance should be followed.", 56, 8, DHR_LINE_FOOTNOTE);
	b_page(&b);
	b_line(&b, "Home Office", 400, 11, DHR_LINE_PARA_START);
	b_line(&b, "2 Marsham Street", 400, 11, 0);
	b_p(&b, "Dear Ms Smith,");
	b_p(&b, "The Panel would like to see the following areas for final development:");
	b_p(&b, "1. The action plan should include target dates.");
	b_p(&b, "2. The report should be anonymised further.");
	b_p(&b, "Yours sincerely,");
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 1);
	assert_string_equal(r->items[0].text, "The Constabulary should review its call handling scripts.");
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

static void segment_should_warn_and_return_nothing_when_there_is_no_recommendations_section(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_h(&b, "1. Introduction", 16);
	b_p(&b, "The Constabulary should have shared the information earlier.");
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 0);
	REQUIRE(r->warning);
	assert_string_equal(r->warning, "no recommendations section found");
	dhr_recs_free(r);
	dhr_doc_free(b.doc);

	dhr_doc *empty = dhr_doc_new(NULL);
	REQUIRE(empty);
	r = segment_ok(empty);
	assert_int_equal(r->n, 0);
	REQUIRE(r->warning);
	dhr_recs_free(r);
	dhr_doc_free(empty);
	dhr_recs_free(NULL);
}

static void segment_should_use_the_outline_to_find_an_unemphasised_heading(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_p(&b, "Background");
	b_p(&b, "The family lived in the town for twenty years.");
	/* a plain heading with no space under it: only the outline says what it is */
	b_line(&b, "Recommendations", 56, 11, DHR_LINE_PARA_START);
	b_line(&b, "1. The Council should publish its domestic abuse policy.", 56, 11, 0);
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 0);
	dhr_recs_free(r);
	assert_int_equal(dhr_doc_add_outline(b.doc, "Recommendations", 0, 1), 0);
	r = segment_ok(b.doc);
	assert_int_equal(r->n, 1);
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

static void segment_should_find_headings_in_capitals_or_with_a_tabbed_number(void **state)
{
	(void)state;
	bld b;
	b_new(&b);
	b_p(&b, "CONCLUSIONS");
	b_p(&b, "The Panel found that the Constabulary should have shared the information.");
	b_p(&b, "RECOMMENDATIONS");
	b_p(&b, "1. The Council should publish its domestic abuse policy.");
	/* Word: "8.<tab>Glossary", which extraction reads as a two-cell row */
	static const double xs[] = {56, 92};
	static const char *const cells[] = {"8.", "Glossary"};
	b.y += 10;
	dhr_line *l = b_line(&b, "8.\tGlossary", 56, 16, DHR_LINE_BOLD | DHR_LINE_PARA_START | DHR_LINE_TABLE);
	l->cells = calloc(2, sizeof *l->cells);
	REQUIRE(l->cells);
	for (int i = 0; i < 2; i++) {
		l->cells[i].text = strdup(cells[i]);
		REQUIRE(l->cells[i].text);
		l->cells[i].x = xs[i];
		l->cells[i].width = 30;
	}
	l->n_cells = 2;
	b_p(&b, "1. The IDVA service: Independent Domestic Violence Advisor service should be listed.");
	dhr_recs *r = segment_ok(b.doc);
	assert_int_equal(r->n, 1);
	assert_string_equal(r->items[0].text, "The Council should publish its domestic abuse policy.");
	dhr_recs_free(r);
	dhr_doc_free(b.doc);
}

/* ---- phrasing helpers ------------------------------------------------------------ */

static void subject_agency_should_name_who_is_asked_to_act(void **state)
{
	(void)state;
	static const struct {
		const char *text, *agency;
	} cases[] = {
		{"The Constabulary should review its policy.", "The Constabulary"},
		{"That Northmere CCG reminds GP practices to ask.", NULL},
		{"It is recommended that the Safer Petersford Partnership works with schools.", NULL},
		{"Northmere Constabulary to ensure that DASH is completed.", "Northmere Constabulary"},
		{"The Panel invites the Clinical Commissioning Group to: review", "the Clinical Commissioning Group"},
		{"Ensure that all staff are trained.", NULL},
		{"There is a need to ensure that records are kept.", NULL},
		{"All agencies should adopt the protocol.", "All agencies"},
		{"Police: review the use of body-worn video.", "Police"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *a = seg_subject_agency(cases[i].text);
		if (cases[i].agency) {
			if (!a || strcmp(a, cases[i].agency) != 0)
				fail_msg("'%s': agency '%s', expected '%s'", cases[i].text, a ? a : "(null)", cases[i].agency);
		} else if (a && strstr(cases[i].text, "recommended") == NULL && strstr(cases[i].text, "That") == NULL) {
			fail_msg("'%s': unexpected agency '%s'", cases[i].text, a);
		}
		free(a);
	}
	char *s = seg_normalise_scope("Local and regional");
	assert_string_equal(s, "local");
	free(s);
	s = seg_normalise_scope("  National ");
	assert_string_equal(s, "national");
	free(s);
	assert_null(seg_normalise_scope(""));
	assert_null(seg_normalise_scope("N/A"));
}

static void judge_should_tell_recommendations_from_narrative(void **state)
{
	(void)state;
	static const char *const strong[] = {
		"It is recommended that the CCG reviews its policy.", "That the Council appoints a lead.",
		"The Constabulary should review its training.", "Review the sudden death procedure.",
		"Consideration should be given to a joint protocol.", "The Review recommends that GPs ask.",
		"Linton Fields Surgery should record who attends.",
	};
	static const char *const not_strong[] = {
		"The Panel considered whether further recommendations should be made.",
		"Where the wording differs, the wording in this chapter should be used.",
		"All agencies confirmed their acceptance.", "The family lived in the town for twenty years.",
	};
	for (size_t i = 0; i < sizeof strong / sizeof strong[0]; i++)
		if (seg_rec_judge(strong[i]) != SEG_LIKE_STRONG)
			fail_msg("'%s' should read as a recommendation", strong[i]);
	for (size_t i = 0; i < sizeof not_strong / sizeof not_strong[0]; i++)
		if (seg_rec_judge(not_strong[i]) == SEG_LIKE_STRONG)
			fail_msg("'%s' should not read as a recommendation", not_strong[i]);
	assert_true(seg_is_meta_statement("Each recommendation has an owner and progress will be monitored."));
	assert_false(seg_is_meta_statement("The CCG should implement the recommendation of its IMR."));
}

/* ---- gold matching ---------------------------------------------------------------- */

static void gold_match_should_pair_one_to_one_best_pairs_first(void **state)
{
	(void)state;
	assert_true(dhr_text_jaccard("The Police SHOULD review", "the police should review") == 1.0);
	assert_true(dhr_text_jaccard("a b c d", "a b x y") > 0.33 && dhr_text_jaccard("a b c d", "a b x y") < 0.34);
	assert_true(dhr_text_jaccard("", "") == 0.0);
	const char *pred[] = {"police should review training on stalking",
			      "police should review training on stalking and harassment", "unrelated words here"};
	const char *gold[] = {"police should review training on stalking and harassment",
			      "police should review training on stalking", "council should publish policy"};
	size_t p2g[3], g2p[3];
	assert_int_equal(dhr_gold_match(p2g, g2p, pred, 3, gold, 3, DHR_GOLD_MATCH_THRESHOLD), 2);
	assert_int_equal(p2g[0], 1);
	assert_int_equal(p2g[1], 0);
	assert_int_equal(p2g[2], (size_t)-1);
	assert_int_equal(g2p[2], (size_t)-1);
	/* one gold text cannot be matched twice */
	const char *dup[] = {"a b c", "a b c"};
	const char *one[] = {"a b c"};
	assert_int_equal(dhr_gold_match(NULL, NULL, dup, 2, one, 1, 0.5), 1);
}

static void gold_load_should_read_documents_and_report_bad_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/dhr-gold-XXXXXX";
	REQUIRE(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/gold.json", dir);
	FILE *f = fopen(path, "w");
	REQUIRE(f);
	fputs("{\"documents\":[{\"file\":\"reports/a.pdf\",\"title\":\"A\",\"case_type\":\"homicide\","
	      "\"recommendations\":[{\"text\":\"The police should act.\",\"themes\":[\"policy\",\"training\"],"
	      "\"agency\":\"police\",\"scope\":null,\"number\":\"1\"}]}]}",
	      f);
	fclose(f);
	dhr_gold *g = NULL;
	dhr_error err;
	dhr_error_clear(&err);
	assert_int_equal(dhr_gold_load(&g, path, &err), 0);
	assert_int_equal(g->n_docs, 1);
	assert_int_equal(g->docs[0].n_recs, 1);
	assert_string_equal(g->docs[0].recs[0].agency, "police");
	assert_null(g->docs[0].recs[0].scope);
	assert_int_equal(g->docs[0].recs[0].n_themes, 2);
	assert_ptr_equal(dhr_gold_find(g, "elsewhere/a.pdf"), &g->docs[0]);
	assert_null(dhr_gold_find(g, "b.pdf"));
	dhr_gold_free(g);

	f = fopen(path, "w");
	REQUIRE(f);
	fputs("{\"documents\":[{\"title\":\"no file\"}]}", f);
	fclose(f);
	assert_int_equal(dhr_gold_load(&g, path, &err), DHR_ERROR);
	assert_null(g);
	REQUIRE(strstr(err.message, "no \"file\""));
	unlink(path);
	rmdir(dir);
	assert_int_equal(dhr_gold_load(&g, path, &err), DHR_EIO);
}

/* ---- real PDFs: fixtures made by LibreOffice and groff --------------------------- */

static dhr_recs *segment_pdf(const char *name, dhr_doc **doc_out)
{
	char path[512];
	snprintf(path, sizeof path, "%s/tests/fixtures/segment/%s", DHR_SOURCE_DIR, name);
	dhr_doc *doc = NULL;
	dhr_error err;
	dhr_error_clear(&err);
	if (dhr_extract_file(&doc, path, NULL, &err) < 0)
		fail_msg("%s: %s", path, err.message);
	dhr_recs *r = segment_ok(doc);
	if (doc_out)
		*doc_out = doc;
	else
		dhr_doc_free(doc);
	return r;
}


static void pdf_should_read_every_numbering_style_of_a_groff_report(void **state)
{
	(void)state;
	dhr_recs *r = segment_pdf("numbering.pdf", NULL);
	static const char *const numbers[] = {"10.1.1", "10.1.2", "9.1 a", "9.1 b", "9.2 a", "10.3b", "a",
					      "b",      "1",      "2",     "1",     "2",     "R3",     "R4"};
	if (r->n != sizeof numbers / sizeof numbers[0])
		fail_msg("found %zu recommendations, expected %zu", r->n, sizeof numbers / sizeof numbers[0]);
	for (size_t i = 0; i < r->n; i++) {
		REQUIRE(r->items[i].number);
		assert_string_equal(r->items[i].number, numbers[i]);
	}
	/* sub-items ending in ';' and lettered parts stay inside their recommendation */
	assert_non_null(strstr(r->items[0].text, "10.1.1.2 notify the GP"));
	assert_string_equal(r->items[0].agency_text, "The Mental Health Trust");
	assert_non_null(strstr(r->items[9].text, "b) record every report"));
	/* a numbered group heading gives its agency to the items under it */
	assert_string_equal(r->items[2].agency_text, "Police");
	assert_string_equal(r->items[5].agency_text, "Health");
	assert_string_equal(r->items[8].section, "single_agency");
	/* a lead-in keeps its bullets */
	assert_non_null(strstr(r->items[10].text, "consider funding an IRIS programme"));
	assert_string_equal(r->items[10].agency_text, "the Clinical Commissioning Group");
	assert_string_equal(r->items[11].agency_text, "Northmere Constabulary");
	assert_false(recs_mention(r, "Clinical Commissioning Group."));
	dhr_recs_free(r);
}

static void pdf_should_leave_out_what_is_not_a_recommendation_in_a_groff_report(void **state)
{
	(void)state;
	dhr_recs *r = segment_pdf("noise.pdf", NULL);
	assert_int_equal(r->n, 3);
	assert_string_equal(r->items[0].number, "7.1");
	assert_string_equal(r->items[1].number, "7.2");
	assert_string_equal(r->items[2].number, "7.3");
	assert_string_equal(r->items[1].text, "The IDVA service should publish its referral criteria for professionals.");
	assert_false(recs_mention(r, "coercive control"));   /* an earlier review's, quoted */
	assert_false(recs_mention(r, "target dates"));       /* the Home Office letter */
	assert_false(recs_mention(r, "anonymised"));
	assert_false(recs_mention(r, "Safeguarding Adults Board")); /* a footnote */
	assert_false(recs_mention(r, "national guidance"));  /* narrative */
	assert_false(recs_mention(r, "MARAC"));               /* terms of reference */
	dhr_recs_free(r);
}

static void pdf_should_merge_copies_and_read_a_groff_action_plan_over_a_page_break(void **state)
{
	(void)state;
	dhr_recs *r = segment_pdf("plan.pdf", NULL);
	assert_int_equal(r->n, 4);
	const dhr_rec *a = &r->items[0];
	assert_string_equal(a->number, "7.1");
	assert_string_equal(a->section, "recommendations");
	assert_non_null(strstr(a->text, "audit a sample of completed risk assessments"));
	assert_int_equal(a->n_pages, 3);
	assert_string_equal(a->scope, "local");
	const dhr_rec *county = rec_with(r, "in the county"), *city = rec_with(r, "in the city");
	REQUIRE(county);
	REQUIRE(city);
	assert_ptr_not_equal(county, city);
	assert_string_equal(county->scope, "national");
	assert_string_equal(city->scope, "regional");
	const dhr_rec *housing = rec_with(r, "Housing Service");
	REQUIRE(housing);
	assert_true(has_page(housing, 2) && has_page(housing, 4)); /* its plan row is after the page break */
	assert_string_equal(housing->scope, "local");
	assert_false(recs_mention(r, "Theme 2"));
	dhr_recs_free(r);
}

static void pdf_should_read_agency_sub_headings_and_labelled_items_in_a_libreoffice_report(void **state)
{
	(void)state;
	dhr_recs *r = segment_pdf("agencies.pdf", NULL);
	assert_int_equal(r->n, 7);
	const dhr_rec *one = rec_with(r, "see mothers alone");
	REQUIRE(one);
	assert_string_equal(one->number, "1");
	assert_string_equal(one->section, "recommendations");
	assert_non_null(strstr(one->text, "record that they have done so")); /* the chapter's wording */
	assert_true(has_page(one, 2) && has_page(one, 3) && has_page(one, 5));
	assert_string_equal(one->scope, "local");
	assert_false(recs_mention(r, "did not always see the victim alone")); /* numbered narrative */
	const dhr_rec *lead = rec_with(r, "invites");
	REQUIRE(lead);
	assert_non_null(strstr(lead->text, "forge links"));
	size_t police = 0, council = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (r->items[i].agency_text && !strcmp(r->items[i].agency_text, "Northmere Constabulary"))
			police++;
		if (r->items[i].agency_text && !strcmp(r->items[i].agency_text, "Petersford City Council"))
			council++;
	}
	assert_int_equal(police, 2);
	assert_int_equal(council, 2);
	const dhr_rec *long_one = rec_with(r, "homelessness assessment form");
	REQUIRE(long_one);
	assert_true(has_page(long_one, 3) && has_page(long_one, 4));
	assert_non_null(strstr(long_one->text, "housing teams can adopt it"));
	assert_false(recs_mention(r, "Independent Domestic Violence Advisor"));
	dhr_recs_free(r);
}

static void pdf_should_read_titled_items_and_a_plan_numbered_differently_in_a_libreoffice_report(void **state)
{
	(void)state;
	dhr_recs *r = segment_pdf("titled.pdf", NULL);
	assert_int_equal(r->n, 3);
	static const char *const numbers[] = {"8.2", "8.3", "8.4"};
	static const char *const scopes[] = {"local", "regional", "local"};
	static const char *const agencies[] = {"The Police", "The CCG", "The Council"};
	for (size_t i = 0; i < 3; i++) {
		const dhr_rec *x = &r->items[i];
		assert_string_equal(x->number, numbers[i]);
		assert_string_equal(x->section, "recommendations");
		assert_string_equal(x->scope, scopes[i]);
		assert_string_equal(x->agency_text, agencies[i]);
		/* the summary (page 1), the chapter (page 3) and the plan (page 4) */
		assert_int_equal(x->n_pages, 3);
		assert_true(has_page(x, 1) && has_page(x, 3) && has_page(x, 4));
		assert_true(strncmp(x->text, agencies[i], strlen(agencies[i])) == 0); /* no title line */
	}
	assert_false(recs_mention(r, "three recommendations"));
	dhr_recs_free(r);
}

static void pdf_should_read_capital_headings_and_a_plain_wrapped_plan_header_in_a_groff_report(void **state)
{
	(void)state;
	dhr_recs *r = segment_pdf("caps.pdf", NULL);
	assert_int_equal(r->n, 2);
	assert_string_equal(r->items[0].number, "1");
	assert_string_equal(r->items[0].agency_text, "Nottinghamshire Police");
	assert_string_equal(r->items[0].scope, "local");
	assert_int_equal(r->items[0].n_pages, 2);
	assert_string_equal(r->items[1].text,
			    "The Clinical Commissioning Group should remind practices about routine enquiry.");
	assert_false(recs_mention(r, "not predictable"));
	dhr_recs_free(r);
}

/* ---- the command line ---------------------------------------------------------------- */

#include <cJSON.h>

static char *run_dhr(const char *args, int *status)
{
	const char *bin = getenv("DHR_BIN");
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s %s 2>/dev/null", bin && *bin ? bin : "./dhr", args);
	FILE *f = popen(cmd, "r");
	REQUIRE(f);
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	REQUIRE(buf);
	size_t n;
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			REQUIRE(buf);
		}
	}
	buf[len] = '\0';
	int st = pclose(f);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return buf;
}

static void recs_command_should_print_json_documents_and_fail_soft_on_bad_files(void **state)
{
	(void)state;
	int status;
	char *out = run_dhr("recs --json tests/fixtures/segment/noise.pdf tests/fixtures/segment/noise.ms", &status);
	assert_int_equal(status, 1); /* one file is not a PDF */
	cJSON *root = cJSON_Parse(out);
	REQUIRE(root);
	cJSON *docs = cJSON_GetObjectItem(root, "documents");
	assert_int_equal(cJSON_GetArraySize(docs), 2);
	cJSON *ok = cJSON_GetArrayItem(docs, 0), *bad = cJSON_GetArrayItem(docs, 1);
	assert_string_equal(cJSON_GetObjectItem(ok, "status")->valuestring, "ok");
	assert_int_equal(strlen(cJSON_GetObjectItem(ok, "sha256")->valuestring), 64);
	cJSON *recs = cJSON_GetObjectItem(ok, "recommendations");
	assert_int_equal(cJSON_GetArraySize(recs), 3);
	cJSON *first = cJSON_GetArrayItem(recs, 0);
	const char *id = cJSON_GetObjectItem(first, "id")->valuestring;
	assert_int_equal(strncmp(id, cJSON_GetObjectItem(ok, "sha256")->valuestring, 8), 0);
	assert_string_equal(id + 8, "-1");
	assert_string_equal(cJSON_GetObjectItem(first, "number")->valuestring, "7.1");
	assert_string_equal(cJSON_GetObjectItem(first, "section")->valuestring, "recommendations");
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(first, "pages")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(first, "scope")));
	assert_string_equal(cJSON_GetObjectItem(bad, "status")->valuestring, "error");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(bad, "error"), "code")->valuestring, "not_pdf");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(bad, "recommendations")), 0);
	cJSON_Delete(root);
	free(out);

	out = run_dhr("recs tests/fixtures/segment/noise.pdf", &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "3 recommendations"));
	assert_non_null(strstr(out, "The Council should appoint a domestic abuse lead"));
	free(out);
	out = run_dhr("recs --help", &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "--json"));
	free(out);
	out = run_dhr("recs", &status);
	assert_int_equal(status, 2);
	free(out);
}

/* ---- the corpus: acceptance figures ------------------------------------------------- */

static void segment_should_find_the_gold_recommendations_of_the_corpus(void **state)
{
	(void)state;
	char gold_path[512];
	snprintf(gold_path, sizeof gold_path, "%s/corpus/gold.json", DHR_SOURCE_DIR);
	dhr_gold *gold = NULL;
	dhr_error err;
	dhr_error_clear(&err);
	if (dhr_gold_load(&gold, gold_path, &err) < 0)
		fail_msg("cannot load the corpus gold file: %s", err.message);
	assert_true(gold->n_docs > 0);
	size_t tp = 0, n_pred = 0, n_gold = 0, same_count = 0;
	double t_extract = 0, t_segment = 0;
	printf("%-44s %5s %5s %5s %4s %4s\n", "report", "gold", "found", "match", "fp", "fn");
	for (size_t d = 0; d < gold->n_docs; d++) {
		const dhr_gold_doc *gd = &gold->docs[d];
		dhr_doc *doc = NULL;
		struct timespec t0, t1, t2;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (dhr_extract_file(&doc, gd->path, NULL, &err) < 0)
			fail_msg("%s: %s", gd->path, err.message);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		dhr_recs *r = segment_ok(doc);
		clock_gettime(CLOCK_MONOTONIC, &t2);
		t_extract += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		t_segment += (double)(t2.tv_sec - t1.tv_sec) + (double)(t2.tv_nsec - t1.tv_nsec) / 1e9;
		const char **pt = calloc(r->n + 1, sizeof *pt), **gt = calloc(gd->n_recs + 1, sizeof *gt);
		REQUIRE(pt);
		REQUIRE(gt);
		for (size_t i = 0; i < r->n; i++)
			pt[i] = r->items[i].text;
		for (size_t i = 0; i < gd->n_recs; i++)
			gt[i] = gd->recs[i].text;
		long m = dhr_gold_match(NULL, NULL, pt, r->n, gt, gd->n_recs, DHR_GOLD_MATCH_THRESHOLD);
		assert_true(m >= 0);
		printf("%-44s %5zu %5zu %5ld %4zu %4zu%s\n", gd->file, gd->n_recs, r->n, m, r->n - (size_t)m,
		       gd->n_recs - (size_t)m, r->n == gd->n_recs ? "" : "   count differs");
		tp += (size_t)m;
		n_pred += r->n;
		n_gold += gd->n_recs;
		same_count += r->n == gd->n_recs;
		free(pt);
		free(gt);
		dhr_recs_free(r);
		dhr_doc_free(doc);
	}
	double p = n_pred ? (double)tp / (double)n_pred : 0, rc = n_gold ? (double)tp / (double)n_gold : 0;
	printf("precision %.3f (%zu/%zu), recall %.3f (%zu/%zu), count equal to gold in %zu of %zu reports\n", p, tp,
	       n_pred, rc, tp, n_gold, same_count, gold->n_docs);
	printf("time: extraction %.3f s, segmentation %.4f s (%.2f%% of extraction)\n", t_extract, t_segment,
	       t_extract > 0 ? 100.0 * t_segment / t_extract : 0.0);
	assert_true(p >= 0.97);
	assert_true(rc >= 0.97);
	/* the bar: 16 of 18 reports; scaled for a corpus of another size */
	assert_true(same_count * 18 >= 16 * gold->n_docs);
	dhr_gold_free(gold);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(markers_should_read_every_numbering_style_of_the_field_notes),
		cmocka_unit_test(markers_should_not_mistake_dates_quantities_or_words_for_numbers),
		cmocka_unit_test(segment_should_find_numbered_items_under_a_recommendations_heading),
		cmocka_unit_test(segment_should_keep_bullets_under_an_action_lead_in_as_one_recommendation),
		cmocka_unit_test(a_short_lead_in_with_a_duty_and_colon_should_not_pass_for_an_agency_sub_heading),
		cmocka_unit_test(segment_should_split_items_under_agency_sub_headings_and_give_them_that_agency),
		cmocka_unit_test(segment_should_carry_an_item_over_paragraphs_and_a_page_break),
		cmocka_unit_test(segment_should_keep_lettered_and_sub_numbered_parts_inside_their_recommendation),
		cmocka_unit_test(segment_should_read_r_numbers_letter_suffixes_and_recommendation_headings),
		cmocka_unit_test(segment_should_keep_only_recommendations_in_a_section_shared_with_conclusions),
		cmocka_unit_test(segment_should_read_unnumbered_paragraphs_with_word_bullets_and_their_continuations),
		cmocka_unit_test(segment_should_read_an_action_plan_across_a_page_break_with_its_header_repeated),
		cmocka_unit_test(segment_should_merge_the_summary_chapter_and_plan_copies_of_a_recommendation),
		cmocka_unit_test(segment_should_attach_plan_rows_that_give_only_a_number_to_that_recommendation),
		cmocka_unit_test(segment_should_ignore_contents_lines_and_narrative_that_says_recommend),
		cmocka_unit_test(segment_should_ignore_a_quoted_list_of_an_earlier_reviews_recommendations),
		cmocka_unit_test(segment_should_ignore_terms_of_reference_footnotes_and_the_home_office_letter),
		cmocka_unit_test(segment_should_warn_and_return_nothing_when_there_is_no_recommendations_section),
		cmocka_unit_test(segment_should_use_the_outline_to_find_an_unemphasised_heading),
		cmocka_unit_test(segment_should_find_headings_in_capitals_or_with_a_tabbed_number),
		cmocka_unit_test(subject_agency_should_name_who_is_asked_to_act),
		cmocka_unit_test(judge_should_tell_recommendations_from_narrative),
		cmocka_unit_test(gold_match_should_pair_one_to_one_best_pairs_first),
		cmocka_unit_test(gold_load_should_read_documents_and_report_bad_files),
		cmocka_unit_test(pdf_should_read_every_numbering_style_of_a_groff_report),
		cmocka_unit_test(pdf_should_leave_out_what_is_not_a_recommendation_in_a_groff_report),
		cmocka_unit_test(pdf_should_merge_copies_and_read_a_groff_action_plan_over_a_page_break),
		cmocka_unit_test(pdf_should_read_agency_sub_headings_and_labelled_items_in_a_libreoffice_report),
		cmocka_unit_test(pdf_should_read_titled_items_and_a_plan_numbered_differently_in_a_libreoffice_report),
		cmocka_unit_test(pdf_should_read_capital_headings_and_a_plain_wrapped_plan_header_in_a_groff_report),
		cmocka_unit_test(recs_command_should_print_json_documents_and_fail_soft_on_bad_files),
		cmocka_unit_test(segment_should_find_the_gold_recommendations_of_the_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
