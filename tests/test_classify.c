/*
 * tests/test_classify.c: the matcher on real PCRE2: caseless and
 * case-sensitive patterns, proximity (near/before in words, never across a
 * sentence end), unless/except/require/min, accents folded with offsets into
 * the original text, single facets (file order, earliest, prefer, stated
 * agency first), document scope, PCRE2 limits, the built-in rules on a table
 * of recommendations written for these tests, and `dhr classify`/`dhr explain`.
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
#include <sys/wait.h>
#include <unistd.h>

#include "dhr/common.h"
#include "dhr/rules.h"

/* ---------------------------------------------------------------- fixture */

typedef struct fx {
	dhr_rules *r;
	dhr_classifier *c;
	dhr_result *res;
	GPtrArray *diags; /* formatted classifier warnings */
	char buf[512];
} fx;

static void keep_diag(const dhr_diag *d, void *payload)
{
	fx *f = payload;
	char *s = dhr_diag_format(d);
	g_ptr_array_add(f->diags, g_strdup(s));
	free(s);
}

static void print_diag(const dhr_diag *d, void *payload)
{
	(void)payload;
	dhr_diag_print(stderr, d);
}

/* Compile `src` (must be clean of errors) and make a classifier. */
static fx *fx_new_opts(const char *src, unsigned long match_limit)
{
	fx *f = calloc(1, sizeof *f);
	f->diags = g_ptr_array_new_with_free_func(g_free);
	dhr_rules_opts opts;
	memset(&opts, 0, sizeof opts);
	opts.diag = print_diag;
	opts.includes = DHR_INCLUDE_NONE;
	opts.match_limit = match_limit;
	dhr_error err;
	int rc = dhr_rules_compile_buffer(&f->r, "t.rules", src, strlen(src), &opts, &err);
	if (rc != 0)
		fail_msg("rules did not compile: %s", err.message);
	assert_int_equal(dhr_classifier_new(&f->c, f->r, keep_diag, f), 0);
	f->res = dhr_result_new();
	assert_non_null(f->res);
	return f;
}

static fx *fx_new(const char *src)
{
	return fx_new_opts(src, 0);
}

static fx *fx_default(void)
{
	fx *f = calloc(1, sizeof *f);
	f->diags = g_ptr_array_new_with_free_func(g_free);
	dhr_error err;
	assert_int_equal(dhr_rules_compile_default(&f->r, NULL, &err), 0);
	assert_int_equal(dhr_classifier_new(&f->c, f->r, keep_diag, f), 0);
	f->res = dhr_result_new();
	return f;
}

static void fx_free(fx *f)
{
	dhr_result_free(f->res);
	dhr_classifier_free(f->c);
	dhr_rules_free(f->r);
	g_ptr_array_free(f->diags, TRUE);
	free(f);
}

/* The labels of facet `name` after the last classification, comma-joined ("" if none). */
static const char *labels(fx *f, const char *name)
{
	int fi = dhr_rules_facet_find(f->r, name);
	assert_true(fi >= 0);
	f->buf[0] = '\0';
	for (size_t i = 0; i < dhr_result_label_count(f->res, (size_t)fi); i++) {
		if (i)
			g_strlcat(f->buf, ",", sizeof f->buf);
		g_strlcat(f->buf, dhr_rules_label(f->r, dhr_result_label_at(f->res, (size_t)fi, i))->id, sizeof f->buf);
	}
	return f->buf;
}

/* Classify a recommendation and return the labels of facet "t". */
static const char *rec(fx *f, const char *text)
{
	assert_int_equal(dhr_classify_rec(f->res, f->c, text, NULL), 0);
	return labels(f, "t");
}

/* The first evidence of label `id` (and kind), or NULL. */
static const dhr_evidence *evidence_of(fx *f, const char *id, dhr_rule_kind kind)
{
	for (size_t i = 0; i < dhr_result_evidence_count(f->res); i++) {
		const dhr_evidence *e = dhr_result_evidence(f->res, i);
		if (strcmp(e->label_id, id) == 0 && e->kind == kind)
			return e;
	}
	return NULL;
}

/* ---------------------------------------------------------------- case */

static void classify_should_be_caseless_unless_asked(void **state)
{
	(void)state;
	fx *f = fx_new("facet t multi\n"
		       "label any \"Any\"\n  match /dash/\n"
		       "label exact \"Exact\"\n  match /DASH/c\n"
		       "label minus \"Minus\"\n  match /DASH/-i\n"
		       "label phrase \"Phrase\"\n  match \"Dash checklist\"\n");
	assert_string_equal(rec(f, "complete the dash"), "any");
	assert_string_equal(rec(f, "complete the DASH Checklist"), "any,exact,minus,phrase");
	assert_string_equal(rec(f, "complete the Dash"), "any");
	fx_free(f);
}

/* ---------------------------------------------------------------- proximity */

static void near_should_hold_within_n_words_in_either_order(void **state)
{
	(void)state;
	fx *f = fx_new("facet t multi\nlabel r \"R\"\n  match /\\brisk\\b/ near 3 /\\bassess\\w*/\n");
	assert_string_equal(rec(f, "the risk assessment"), "r");
	assert_string_equal(rec(f, "risk of serious harm assessment"), "r");       /* 3 words between */
	assert_string_equal(rec(f, "risk of serious harm to her assessment"), ""); /* 5 words between */
	assert_string_equal(rec(f, "assess the level of risk"), "r");              /* the other order */
	assert_string_equal(rec(f, "the risk. Assessment follows"), "");          /* a sentence end between */
	assert_string_equal(rec(f, "the risk (e.g. Assessment) was"), "r");       /* "e.g." is no sentence end */
	assert_string_equal(rec(f, "the risk\n\nassessment"), "");                /* a paragraph break */
	assert_string_equal(rec(f, "the risk \xe2\x80\xa2 assessment"), "");        /* a bullet starts a new item */
	const dhr_evidence *e;
	rec(f, "Their risk was high; assess it.");
	e = evidence_of(f, "r", DHR_RULE_MATCH);
	assert_non_null(e);
	assert_int_equal(e->n_parts, 2);
	assert_int_equal(e->part_start[0], 6); /* "risk" */
	assert_int_equal(e->part_end[0], 10);
	assert_int_equal(e->part_start[1], 21); /* "assess" */
	assert_int_equal(e->start, 6);
	assert_int_equal(e->end, 27);
	assert_string_equal(e->match, "risk was high; assess");
	fx_free(f);
}

static void before_should_hold_only_in_order(void **state)
{
	(void)state;
	fx *f = fx_new("facet t multi\nlabel s \"S\"\n  match /\\bsafety\\b/ before 1 /\\bplan\\w*/\n");
	assert_string_equal(rec(f, "a safety plan"), "s");
	assert_string_equal(rec(f, "safety and planning"), "s");
	assert_string_equal(rec(f, "safety for the plan"), "");
	assert_string_equal(rec(f, "plan for safety"), "");
	fx_free(f);
}

/* ---------------------------------------------------------------- unless, except, require, min */

static void unless_should_veto_the_label_and_explain_why(void **state)
{
	(void)state;
	fx *f = fx_new("facet t multi\nlabel tr \"Training\"\n  match /\\btraining\\b/\n  unless /\\bpublic\\b/\n");
	assert_string_equal(rec(f, "staff training"), "tr");
	assert_string_equal(rec(f, "public training"), "");
	assert_int_equal(dhr_result_evidence_count(f->res), 0); /* only firing evidence, normally */
	dhr_classifier_set_explain(f->c, 1);
	assert_string_equal(rec(f, "training for the public"), "");
	const dhr_evidence *m = evidence_of(f, "tr", DHR_RULE_MATCH);
	const dhr_evidence *u = evidence_of(f, "tr", DHR_RULE_UNLESS);
	assert_non_null(m);
	assert_non_null(u);
	assert_false(m->label_fired);
	assert_string_equal(u->rule, "t.rules:4");
	assert_string_equal(u->match, "public");
	assert_int_equal(u->start, 17);
	fx_free(f);
}

static void except_should_mask_only_overlapping_hits(void **state)
{
	(void)state;
	fx *f = fx_new("facet t multi\nlabel r \"R\"\n  match /\\brisk\\b/\n  except /\\breduce the risk\\b/\n");
	assert_string_equal(rec(f, "to reduce the risk to victims"), "");
	assert_string_equal(rec(f, "to reduce the risk, grade the risk"), "r");
	const dhr_evidence *e = evidence_of(f, "r", DHR_RULE_MATCH);
	assert_non_null(e);
	assert_int_equal(e->start, 30);
	assert_int_equal(e->count, 1);
	fx_free(f);
}

static void require_should_have_to_hold_too(void **state)
{
	(void)state;
	fx *f = fx_new("facet t multi\nlabel a \"A\"\n  match /apple/\n  require /pear/ min 2\n");
	assert_string_equal(rec(f, "apple pear"), "");
	assert_string_equal(rec(f, "apple pear pear"), "a");
	assert_string_equal(rec(f, "pear pear"), "");
	fx_free(f);
}

static void min_should_count_hits_per_rule_and_per_label(void **state)
{
	(void)state;
	fx *f = fx_new("facet t multi\n"
		       "label l \"Label min\"\n  match /\\bx\\b/\n  match /\\by\\b/\n  min 3\n"
		       "label r \"Rule min\"\n  match /\\bz\\b/ min 2\n");
	assert_string_equal(rec(f, "x y"), "");
	assert_string_equal(rec(f, "x y x"), "l");
	assert_string_equal(rec(f, "z"), "");
	assert_string_equal(rec(f, "z and z"), "r");
	assert_int_equal(evidence_of(f, "r", DHR_RULE_MATCH)->count, 2);
	fx_free(f);
}

static void label_references_should_see_earlier_labels(void **state)
{
	(void)state;
	fx *f = fx_new("facet t multi\n"
		       "label a \"A\"\n  match /apple/\n"
		       "label b \"B\"\n  match /banana/\n  unless label a\n"
		       "label c \"C\"\n  match label a\n  require /cherry/\n"
		       "facet u multi\n"
		       "label d \"D\"\n  match label t.b\n");
	assert_string_equal(rec(f, "banana"), "b");
	assert_string_equal(labels(f, "u"), "d");
	assert_string_equal(rec(f, "banana apple"), "a");
	assert_string_equal(labels(f, "u"), "");
	assert_string_equal(rec(f, "apple cherry"), "a,c");
	fx_free(f);
}

/* ---------------------------------------------------------------- normalisation */

static void classify_should_fold_accents_and_report_original_offsets(void **state)
{
	(void)state;
	fx *f = fx_new("facet t multi\n"
		       "label roma \"Roma\"\n  match /\\broma\\b/\n"
		       "label fin \"Fin\"\n  match /\\bfin/\n"
		       "label child \"Child\"\n  match /children's/\n"
		       "label acc \"Accented pattern\"\n  match /\\bRōma\\b/\n");
	const dhr_evidence *e;
	/* precomposed: "ō" is 2 bytes */
	assert_string_equal(rec(f, "Gypsy, Rōma and Traveller"), "roma,acc");
	e = evidence_of(f, "roma", DHR_RULE_MATCH);
	assert_int_equal(e->start, 7);
	assert_int_equal(e->end, 12);
	assert_string_equal(e->match, "Rōma");
	/* decomposed: o + U+0304 COMBINING MACRON (3 bytes in all) */
	assert_string_equal(rec(f, "Gypsy, Ro\xcc\x84ma and Traveller"), "roma,acc");
	e = evidence_of(f, "roma", DHR_RULE_MATCH);
	assert_int_equal(e->end, 13);
	assert_string_equal(e->match, "Ro\xcc\x84ma");
	/* plain text, accented pattern */
	assert_string_equal(rec(f, "ROMA"), "roma,acc");
	/* a ligature: the match covers the whole "ﬁ" */
	assert_string_equal(rec(f, "\xef\xac\x81nancial abuse"), "fin");
	e = evidence_of(f, "fin", DHR_RULE_MATCH);
	assert_int_equal(e->start, 0);
	assert_int_equal(e->end, 4); /* "fin" is the ligature's "fi" and the "n" */
	assert_string_equal(e->match, "\xef\xac\x81n");
	/* a curly apostrophe matches a straight one */
	assert_string_equal(rec(f, "the children\xe2\x80\x99s centre"), "child");
	e = evidence_of(f, "child", DHR_RULE_MATCH);
	assert_int_equal(e->start, 4);
	assert_int_equal(e->end, 16);
	/* invalid UTF-8 is tolerated and offsets still point into the input */
	assert_string_equal(rec(f, "\xff roma \xfe"), "roma,acc");
	e = evidence_of(f, "roma", DHR_RULE_MATCH);
	assert_int_equal(e->start, 2);
	assert_int_equal(e->end, 6);
	/* whitespace runs are one space for patterns */
	fx *g = fx_new("facet t multi\nlabel p \"P\"\n  match /risk assessment/\n");
	assert_string_equal(rec(g, "risk \t  assessment"), "p");
	assert_string_equal(evidence_of(g, "p", DHR_RULE_MATCH)->match, "risk \t  assessment");
	fx_free(g);
	fx_free(f);
}

static void phrases_should_match_whole_words_with_any_spacing(void **state)
{
	(void)state;
	fx *f = fx_new("facet t multi\nlabel n \"N\"\n  match \"needs assess*\"\n");
	assert_string_equal(rec(f, "a needs assessment"), "n");
	assert_string_equal(rec(f, "a needs-assessing visit"), "n");
	assert_string_equal(rec(f, "needs\nassess"), "n");
	assert_string_equal(rec(f, "needsassessment"), "");
	assert_string_equal(rec(f, "his needs reassessment"), "");
	fx_free(f);
}

/* ---------------------------------------------------------------- single facets */

#define AGENCY_RULES(pick)                                                                                   \
	"facet t single on agency_text, text " pick " default unknown\n"                                     \
	"label police \"Police\"\n  match /\\bpolice\\b/\n"                                                   \
	"label gp \"GP\"\n  match /\\bGPs?\\b/\n  match /\\bGPs?\\b/ before 2 /\\bshould\\b/ prefer\n"         \
	"label unknown \"Not stated\"\n"

static void single_facet_should_take_the_first_label_in_file_order(void **state)
{
	(void)state;
	fx *f = fx_new(AGENCY_RULES(""));
	assert_string_equal(rec(f, "the GP and the police"), "police");
	assert_string_equal(rec(f, "nobody at all"), "unknown");
	assert_string_equal(dhr_result_single(f->res, 0), "unknown");
	fx_free(f);
}

static void single_facet_should_prefer_the_subject_then_the_earliest(void **state)
{
	(void)state;
	fx *f = fx_new(AGENCY_RULES("pick earliest"));
	assert_string_equal(rec(f, "tell the GP and the police"), "gp");
	assert_string_equal(rec(f, "After the police call the GP should visit"), "gp"); /* prefer wins */
	assert_string_equal(rec(f, "the police and the GP"), "police");
	fx_free(f);
}

static void single_facet_should_read_the_stated_agency_first(void **state)
{
	(void)state;
	fx *f = fx_new(AGENCY_RULES("pick earliest"));
	assert_int_equal(dhr_classify_rec(f->res, f->c, "The police should visit", "GP practice"), 0);
	assert_string_equal(labels(f, "t"), "gp");
	const dhr_evidence *e = evidence_of(f, "gp", DHR_RULE_MATCH);
	assert_int_equal(e->field, DHR_FIELD_AGENCY_TEXT);
	assert_int_equal(e->start, 0);
	assert_int_equal(e->end, 2);
	assert_string_equal(e->match, "GP");
	/* a stated agency that names nobody: the text decides */
	assert_int_equal(dhr_classify_rec(f->res, f->c, "The police should visit", "TBC"), 0);
	assert_string_equal(labels(f, "t"), "police");
	assert_int_equal(evidence_of(f, "police", DHR_RULE_MATCH)->field, DHR_FIELD_TEXT);
	assert_int_equal(dhr_classify_rec(f->res, f->c, "The police should visit", "  "), 0);
	assert_string_equal(labels(f, "t"), "police");
	fx_free(f);
}

/* ---------------------------------------------------------------- document scope */

static void document_facets_should_count_hits_in_the_whole_text(void **state)
{
	(void)state;
	fx *f = fx_new("facet theme multi\nlabel x \"X\"\n  match /suicide/\n"
		       "facet case_type single on document default homicide\n"
		       "label both \"Both\"\n  match /\\bkilled\\b/ min 2\n  require /took his own life/\n"
		       "label suicide \"Suicide\"\n  match /\\bsuicide\\b/ min 3\n"
		       "label homicide \"Homicide\"\n");
	/* a recommendation does not touch the document facet */
	assert_int_equal(dhr_classify_rec(f->res, f->c, "suicide suicide suicide", NULL), 0);
	assert_string_equal(labels(f, "theme"), "x");
	assert_string_equal(labels(f, "case_type"), "");
	assert_int_equal(dhr_classify_doc(f->res, f->c, "suicide. suicide.\n\nsuicide."), 0);
	assert_string_equal(labels(f, "case_type"), "suicide");
	assert_string_equal(labels(f, "theme"), "");
	assert_int_equal(dhr_classify_doc(f->res, f->c, "He killed her. She was killed. He took his own life. "
							  "suicide suicide suicide"),
			 0);
	assert_string_equal(labels(f, "case_type"), "both");
	assert_int_equal(dhr_classify_doc(f->res, f->c, "suicide. suicide."), 0);
	assert_string_equal(labels(f, "case_type"), "homicide");
	fx_free(f);
}

/* ---------------------------------------------------------------- values and subjects */

#define SUBJECTS                                                                                             \
	"subject victim\n  name /\\bpseudonym\\s+'([^']+)'/\n  name /\\bdeath\\s+of\\s+(Adult\\s+[A-Z])\\b/c\n" \
	"  match /\\bthe\\s+victim\\b/\n"

/* The value of number/text facet `name` as text ("?" when unknown). */
static const char *value(fx *f, const char *name)
{
	int fi = dhr_rules_facet_find(f->r, name);
	assert_true(fi >= 0);
	const dhr_evidence *e = dhr_result_value(f->res, (size_t)fi);
	return e && e->value ? e->value : "?";
}

static void number_facets_should_capture_group_1_and_band_it(void **state)
{
	(void)state;
	fx *f = fx_new(SUBJECTS "facet age number on document\n"
			       "  bands 0-20 \"under 20\", 21-30 \"21-30\", 31- \"31+\"\n"
			       "  match @victim before 1 /\\bwas\\s+(\\d+)\\s+years\\s+old\\b/\n");
	int fi = dhr_rules_facet_find(f->r, "age");
	const dhr_facet_info *info = dhr_rules_facet(f->r, (size_t)fi);
	assert_int_equal(info->value, DHR_VALUE_NUMBER);
	assert_int_equal(info->n_labels, 1);
	assert_int_equal(info->n_bands, 3);
	assert_string_equal(dhr_facet_band(info, 20), "under 20");
	assert_string_equal(dhr_facet_band(info, 25), "21-30");
	assert_string_equal(dhr_facet_band(info, 99), "31+");
	/* the sister's age is not the victim's: a possessive is not a mention */
	const char *text = "The family chose the pseudonym 'Ann'. Ann's sister was 41 years old. Ann was 34 years old.";
	assert_int_equal(dhr_classify_doc(f->res, f->c, text), 0);
	assert_string_equal(value(f, "age"), "34");
	long n = 0;
	assert_int_equal(dhr_result_number(f->res, (size_t)fi, &n), 0);
	assert_int_equal(n, 34);
	const dhr_evidence *e = dhr_result_value(f->res, (size_t)fi);
	assert_int_equal(e->value_start, strstr(text, "34") - text);
	assert_int_equal(e->value_end, e->value_start + 2);
	assert_string_equal(e->match, "Ann was 34 years old");
	/* nobody named: unknown, and no number */
	assert_int_equal(dhr_classify_doc(f->res, f->c, "Someone was 34 years old."), 0);
	assert_null(dhr_result_value(f->res, (size_t)fi));
	assert_int_equal(dhr_result_number(f->res, (size_t)fi, &n), -1);
	/* a name captured from the cover ("death of Adult A") works the same way */
	assert_int_equal(dhr_classify_doc(f->res, f->c, "Report into the death of Adult A. Adult A was 61 years old."), 0);
	assert_string_equal(value(f, "age"), "61");
	/* but "Adult AB" is another person */
	assert_int_equal(dhr_classify_doc(f->res, f->c, "Report into the death of Adult A. Adult AB was 61 years old."), 0);
	assert_string_equal(value(f, "age"), "?");
	fx_free(f);
}

static void within_should_keep_hits_to_sentences_that_mention_the_subject(void **state)
{
	(void)state;
	fx *f = fx_new(SUBJECTS "facet children single on document default unknown\n"
			       "label no \"No\"\n  match /\\bno\\s+children\\b/ within victim\n"
			       "label unknown \"Unknown\"\n");
	assert_int_equal(dhr_classify_doc(f->res, f->c, "The pseudonym 'Bo' was chosen. Her sister had no children."), 0);
	assert_string_equal(labels(f, "children"), "unknown");
	assert_int_equal(dhr_classify_doc(f->res, f->c, "The pseudonym 'Bo' was chosen. Bo had no children."), 0);
	assert_string_equal(labels(f, "children"), "no");
	/* a fixed reference ("the victim") is a mention too, and the name may be far away in the sentence */
	assert_int_equal(dhr_classify_doc(f->res, f->c, "Nobody is named here, but the victim, it seems, had no children."), 0);
	assert_string_equal(labels(f, "children"), "no");
	fx_free(f);
}

static void text_facets_should_give_the_capture_or_the_whole_hit(void **state)
{
	(void)state;
	fx *f = fx_new(SUBJECTS "facet eth text on document\n"
			       "  match @victim before 2 /\\ba\\s+((?:\\p{Lu}\\w+\\s+)*\\p{Lu}\\w+)\\s+woman\\b/c\n"
			       "facet word text on document pick earliest\n"
			       "  match /\\bbeta\\b/\n  match /\\balpha\\b/\n");
	assert_int_equal(dhr_classify_doc(f->res, f->c, "The pseudonym 'Mei' is used. Mei was a British Chinese woman."), 0);
	assert_string_equal(value(f, "eth"), "British Chinese");
	/* no capture group: the hit itself; pick earliest: the earliest hit of any rule */
	assert_int_equal(dhr_classify_doc(f->res, f->c, "alpha then beta"), 0);
	assert_string_equal(value(f, "word"), "alpha");
	fx_free(f);
	/* without pick earliest the first rule in file order that holds gives the value */
	f = fx_new("facet word text on document\n  match /\\bbeta\\b/\n  match /\\balpha\\b/\n");
	assert_int_equal(dhr_classify_doc(f->res, f->c, "alpha then beta"), 0);
	assert_string_equal(value(f, "word"), "beta");
	fx_free(f);
}

static void subject_operands_should_work_on_either_side_of_before(void **state)
{
	(void)state;
	fx *f = fx_new(SUBJECTS "facet rel single on document pick earliest default unknown\n"
			       "label husband \"Husband\"\n  match /\\bher\\s+husband\\b/ before 0 @victim\n"
			       "label unknown \"Unknown\"\n");
	/* the apposition names the victim right after: "her husband, Adult B" is about Adult B, not the victim */
	assert_int_equal(dhr_classify_doc(f->res, f->c, "The pseudonym 'Rasa'. She was killed by her husband, Rasa."), 0);
	assert_string_equal(labels(f, "rel"), "husband");
	assert_int_equal(dhr_classify_doc(f->res, f->c, "The pseudonym 'Rasa'. She was killed by her husband, then Rasa."), 0);
	assert_string_equal(labels(f, "rel"), "unknown");
	fx_free(f);
}

/* ---------------------------------------------------------------- limits */

static void match_limit_should_warn_once_per_rule_and_classification_go_on(void **state)
{
	(void)state;
	fx *f = fx_new_opts("facet t multi\n"
			    "label fast \"Fast\"\n  match /\\bpolice\\b/\n"
			    "label slow \"Slow\"\n  match /(a+)+$/\n",
			    10000);
	char text[200];
	memset(text, 'a', 60);
	strcpy(text + 60, "! police");
	for (int i = 0; i < 3; i++)
		assert_string_equal(rec(f, text), "fast");
	assert_int_equal(f->diags->len, 1);
	const char *w = g_ptr_array_index(f->diags, 0);
	assert_true(g_str_has_prefix(w, "t.rules:5:9: warning: pattern stopped by a PCRE2 limit ("));
	assert_non_null(strstr(w, "(reported once)"));
	/* a second classifier warns again: "once" is per classifier */
	dhr_classifier *c2 = NULL;
	assert_int_equal(dhr_classifier_new(&c2, f->r, keep_diag, f), 0);
	assert_int_equal(dhr_classify_rec(f->res, c2, text, NULL), 0);
	assert_int_equal(f->diags->len, 2);
	dhr_classifier_free(c2);
	fx_free(f);
}

/* ---------------------------------------------------------------- batch and reuse */

static void classify_count_should_add_up_labels_over_a_batch(void **state)
{
	(void)state;
	fx *f = fx_new(AGENCY_RULES("pick earliest") "facet th multi\nlabel tr \"T\"\n  match /training/\n");
	const char *texts[] = {"police training", "GP training", "nothing", "the police"};
	const char *agencies[] = {NULL, NULL, NULL, "GP"};
	size_t n = dhr_rules_label_count(f->r);
	size_t *counts = calloc(n, sizeof *counts);
	assert_int_equal(dhr_classify_count(counts, f->c, texts, agencies, 4), 0);
	assert_int_equal(counts[dhr_rules_label_find(f->r, 0, "police")], 1);
	assert_int_equal(counts[dhr_rules_label_find(f->r, 0, "gp")], 2);
	assert_int_equal(counts[dhr_rules_label_find(f->r, 0, "unknown")], 1);
	assert_int_equal(counts[dhr_rules_label_find(f->r, 1, "tr")], 2);
	free(counts);
	/* a result object is reused: nothing left over from before */
	assert_string_equal(rec(f, "police training"), "police");
	assert_true(dhr_result_evidence_count(f->res) > 0);
	assert_string_equal(rec(f, "nothing"), "unknown");
	assert_int_equal(dhr_result_evidence_count(f->res), 0);
	fx_free(f);
}

/* ---------------------------------------------------------------- the built-in rules */

static const struct {
	const char *text, *themes, *agency;
} table[] = {
	/* written for these tests from rules/CODEBOOK.md; not taken from any report */
	{"Thames Valley Police should ensure that all officers attending domestic abuse incidents complete a DASH risk assessment with the victim and record the outcome on Niche.",
	 "risk_assessment,record_keeping", "police"},
	{"The CCG should work with GP practices to introduce routine enquiry about domestic abuse and provide training for practice staff on asking the question safely.",
	 "professional_curiosity,training", "health_commissioners"},
	{"Adult Social Care should ensure that a carer's assessment is offered whenever an older person is caring for a spouse with dementia.",
	 "risk_assessment,vulnerable_adults", "adult_social_care"},
	{"The Community Safety Partnership should run a campaign in local media and on social media to raise awareness among friends, family and neighbours of how to recognise coercive control and where to get help.",
	 "public_awareness", "partnership"},
	{"It is recommended that the acute trust reviews its safeguarding policy so that patients attending the Emergency Department with injuries are seen alone and asked directly about abuse.",
	 "policy,professional_curiosity", "acute_health"},
	{"Probation should ensure offender managers share information about perpetrators with the police and refer high risk cases to MARAC.",
	 "information_sharing,referral_pathways,perpetrator_management", "probation"},
	{"The Home Office should amend the statutory guidance for Domestic Homicide Reviews to include suicides following domestic abuse.",
	 "policy,mental_health", "national"},
	{"Housing providers should record disclosures of domestic abuse on tenancy files and place an alert on the property.",
	 "record_keeping", "housing"},
	/* reminding staff is workforce learning: both labellers of tests/data/real-dev.tsv label it training */
	{"All agencies should remind staff of the importance of professional curiosity and of challenging explanations given by partners who attend appointments.",
	 "professional_curiosity,training", "partnership"},
	{"GP practices should use professional interpreters and not family members when the patient's first language is not English.",
	 "language_culture", "primary_care"},
	{"The drug and alcohol treatment provider should screen all service users for domestic abuse and refer victims to the specialist domestic abuse service.",
	 "substance_misuse,referral_pathways,professional_curiosity", "substance_services"},
	{"Police should consider applying for a Domestic Violence Protection Order and make use of Clare's Law where a perpetrator has a history of abuse.",
	 "perpetrator_management", "police"},
	{"The Partnership should commission an IDVA based in the hospital to support patients disclosing abuse.",
	 "specialist_services", "partnership"},
	{"Children's Social Care should improve joint working with schools and ensure that they attend strategy meetings.",
	 "multi_agency_working", "childrens_services"},
	{"The CSP should monitor the implementation of this action plan and seek assurance from agencies that the recommendations have been embedded.",
	 "assurance", "partnership"},
	{"Share the learning from this review with all staff through a seven minute briefing.",
	 "training", "unknown"},
	{"The mental health trust should ensure that the risk of suicide is assessed when patients disclose domestic abuse.",
	 "risk_assessment,mental_health", "mental_health_services"},
	{"To reduce the risk of harm, agencies should improve communication between teams.",
	 "information_sharing", "unknown"},
	{"The ambulance service should ensure that crews pass on safeguarding concerns to the GP following attendance at domestic incidents.",
	 "information_sharing", "ambulance"},
	{"The Safeguarding Adults Board should seek assurance that section 42 enquiries consider domestic abuse.",
	 "assurance,vulnerable_adults", "partnership"},
	{"NHS England should fund health IDVAs in every acute trust.",
	 "specialist_services", "health_commissioners"},
	{"Cheshire Constabulary should review its policy on the arrest of suspects in domestic abuse cases and audit compliance.",
	 "policy,perpetrator_management,assurance", "police"},
	{"Agencies should ensure that the needs of victims from Gypsy, Roma and Traveller communities are understood, including access to interpreters.",
	 "language_culture", "unknown"},
	{"The DWP should ensure that work coaches know how to respond to disclosures of domestic abuse and signpost claimants to support.",
	 "referral_pathways", "other"},
	{"Schools should deliver healthy relationships education to pupils.",
	 "public_awareness", "childrens_services"},
	{"The hospital trust should ensure that the name of anyone accompanying a patient is recorded in the clinical notes.",
	 "record_keeping", "acute_health"},
	{"Greater Manchester Police should introduce a process for supervisors to review all domestic abuse cases closed with no further action.",
	 "assurance,perpetrator_management,policy", "police"},
	{"The Safer Somewhere Partnership should write to the Department of Health and Social Care asking for clearer guidance on routine enquiry in mental health services.",
	 "policy,professional_curiosity,mental_health", "partnership"},
	{"Substance misuse services and adult safeguarding should hold a joint case conference when a client with care and support needs is experiencing domestic abuse.",
	 "multi_agency_working,substance_misuse,vulnerable_adults", "substance_services"},
	{"Midwives should ask every pregnant woman about domestic abuse at least once when she is seen alone.",
	 "professional_curiosity", "acute_health"},
	{"The Council should ensure that homelessness officers complete the DASH with applicants fleeing abuse and refer to MARAC where appropriate.",
	 "risk_assessment,referral_pathways", "housing"},
	{"A domestic abuse champion should be identified in each team.",
	 "training", "unknown"},
	/* phrase families of the real development set's tune part, written anew for these tests */
	{"Custody sergeants should consider the safety of the public, including the suspect's PNC record, when deciding whether to grant bail.",
	 "risk_assessment,perpetrator_management", "unknown"},
	{"The Partnership should introduce a high risk register for repeat victims.",
	 "risk_assessment", "partnership"},
	{"Mental health teams should assess the capacity of family members to care for the patient at home.",
	 "risk_assessment,mental_health,vulnerable_adults", "mental_health_services"},
	{"GPs should explore the reasons behind repeated presentations with injuries.",
	 "professional_curiosity", "primary_care"},
	{"The CSP should review the effectiveness of the local MARAC.",
	 "assurance,multi_agency_working", "partnership"},
	{"The police should share the outcome of the MARAC with the victim's GP.",
	 "information_sharing", "police"},
	{"Hospital staff should be trained to recognise the signs of coercive and controlling behaviour.",
	 "training", "acute_health"},
	{"Safer Cornwall should commission a review of refuge provision.",
	 "specialist_services", "partnership"},
};

/* Sort a comma list so that set comparison is string comparison. */
static char *sorted_list(const char *s)
{
	gchar **parts = g_strsplit(s, ",", -1);
	guint n = g_strv_length(parts);
	for (guint i = 0; i < n; i++)
		for (guint k = i + 1; k < n; k++)
			if (strcmp(parts[i], parts[k]) > 0) {
				gchar *t = parts[i];
				parts[i] = parts[k];
				parts[k] = t;
			}
	char *out = g_strjoinv(",", parts);
	g_strfreev(parts);
	return out;
}

static void default_rules_should_label_recommendations_per_the_codebook(void **state)
{
	(void)state;
	fx *f = fx_default();
	int failures = 0;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		assert_int_equal(dhr_classify_rec(f->res, f->c, table[i].text, NULL), 0);
		char *got = sorted_list(labels(f, "theme"));
		char *want = sorted_list(table[i].themes);
		const char *agency = dhr_result_single(f->res, (size_t)dhr_rules_facet_find(f->r, "agency"));
		if (strcmp(got, want) != 0 || strcmp(agency, table[i].agency) != 0) {
			fprintf(stderr, "%s\n  want %s | %s\n  got  %s | %s\n", table[i].text, want, table[i].agency,
				got, agency);
			failures++;
		}
		g_free(got);
		g_free(want);
	}
	assert_int_equal(failures, 0);
	fx_free(f);
}

static void default_rules_should_take_the_lead_agency_cell_first(void **state)
{
	(void)state;
	fx *f = fx_default();
	assert_int_equal(dhr_classify_rec(f->res, f->c, "Police should share DASH forms with GPs.", "CCG / ICB"), 0);
	assert_string_equal(labels(f, "agency"), "health_commissioners");
	assert_int_equal(dhr_classify_rec(f->res, f->c, "Police should share DASH forms with GPs.", "Lead: all"), 0);
	assert_string_equal(labels(f, "agency"), "police");
	fx_free(f);
}

static void default_rules_should_tell_homicide_from_suicide_in_a_report(void **state)
{
	(void)state;
	fx *f = fx_default();
	const char *homicide =
	    "Domestic Homicide Review. Overview report. This domestic homicide review examines the death of Ann, "
	    "who was killed by her husband in 2019. He stabbed her at their home. He was convicted of her murder "
	    "and sentenced to life imprisonment. Ann had told her GP that he had threatened to kill himself if "
	    "she left him. The review panel considered the murder and the agencies' contact with the couple.";
	const char *suicide =
	    "Domestic Homicide Review into the death of Beth. This review was commissioned following the suicide "
	    "of Beth, who took her own life in March 2020 after years of coercive control by her partner. The "
	    "coroner recorded that Beth died by suicide. Her family believe her suicide followed the abuse. Beth "
	    "had made previous suicide attempts, which the GP knew about.";
	const char *both =
	    "This domestic homicide review concerns Carol, who was killed by her partner Dan, who then took his "
	    "own life. Dan stabbed Carol and fatally injured her. Police found that the perpetrator had then "
	    "killed himself. The inquest found that Carol was unlawfully killed and that the perpetrator died by "
	    "suicide. The homicide-suicide was the first in the area; this homicide-suicide review asks what "
	    "agencies knew.";
	assert_int_equal(dhr_classify_doc(f->res, f->c, homicide), 0);
	assert_string_equal(labels(f, "case_type"), "homicide");
	assert_int_equal(dhr_classify_doc(f->res, f->c, suicide), 0);
	assert_string_equal(labels(f, "case_type"), "suicide");
	assert_int_equal(dhr_classify_doc(f->res, f->c, both), 0);
	assert_string_equal(labels(f, "case_type"), "homicide_suicide");
	assert_int_equal(dhr_classify_doc(f->res, f->c, "Minutes of the panel meeting."), 0);
	assert_string_equal(labels(f, "case_type"), "unknown");
	fx_free(f);
}

/* ---------------------------------------------------------------- the commands */

/* Run `cmd` with `input` on stdin; capture stdout (and stderr if merge). @return exit status. */
static int run_io(const char *cmd, const char *input, size_t input_len, char **out)
{
	char in_path[] = "/tmp/dhr-test-in-XXXXXX";
	int fd = mkstemp(in_path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, input, input_len), (ssize_t)input_len);
	close(fd);
	char *full = g_strdup_printf("%s < '%s' 2>&1", cmd, in_path);
	FILE *p = popen(full, "r");
	assert_non_null(p);
	GString *g = g_string_new(NULL);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		g_string_append_len(g, buf, (gssize)n);
	int st = pclose(p);
	unlink(in_path);
	g_free(full);
	*out = g_string_free(g, FALSE);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void classify_command_should_write_one_json_line_per_input_line_in_order(void **state)
{
	(void)state;
	const char *bin = getenv("DHR_BIN");
	if (!bin)
		skip();
	GString *in = g_string_new(NULL);
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		g_string_append_printf(in, "%s\n", table[i].text);
	g_string_append(in, "\n");                                              /* an empty line */
	g_string_append(in, "Share DASH forms with the GP.\tThames Valley Police\n"); /* lead agency after a tab */
	g_string_append(in, "bad \xff byte police\r\n");                          /* invalid UTF-8, CRLF */
	g_string_append(in, "no newline at the end");
	char *cmd = g_strdup_printf("'%s' classify --json", bin);
	char *out = NULL;
	assert_int_equal(run_io(cmd, in->str, in->len, &out), 0);
	gchar **lines = g_strsplit(out, "\n", -1);
	size_t n_in = sizeof table / sizeof table[0] + 4;
	assert_int_equal(g_strv_length(lines), n_in + 1); /* + the empty string after the last \n */
	for (size_t i = 0; i < n_in; i++) {
		cJSON *o = cJSON_Parse(lines[i]);
		if (!o)
			fail_msg("line %zu is not JSON: %s", i, lines[i]);
		cJSON *text = cJSON_GetObjectItem(o, "text");
		assert_true(cJSON_IsString(text));
		assert_true(cJSON_IsArray(cJSON_GetObjectItem(o, "themes")));
		assert_true(cJSON_IsString(cJSON_GetObjectItem(o, "agency")));
		cJSON *ev = cJSON_GetObjectItem(o, "evidence");
		assert_true(cJSON_IsArray(ev));
		if (i < sizeof table / sizeof table[0]) {
			assert_string_equal(text->valuestring, table[i].text);
			assert_string_equal(cJSON_GetObjectItem(o, "agency")->valuestring, table[i].agency);
			/* every evidence span is the quoted text */
			cJSON *e;
			cJSON_ArrayForEach(e, ev)
			{
				int s = cJSON_GetObjectItem(e, "start")->valueint, en = cJSON_GetObjectItem(e, "end")->valueint;
				const char *m = cJSON_GetObjectItem(e, "match")->valuestring;
				assert_int_equal(strlen(m), (size_t)(en - s));
				assert_memory_equal(table[i].text + s, m, strlen(m));
				assert_true(g_str_has_prefix(cJSON_GetObjectItem(e, "rule")->valuestring, "rules/"));
			}
		} else if (i == n_in - 4) {
			assert_string_equal(text->valuestring, "");
			assert_string_equal(cJSON_GetObjectItem(o, "agency")->valuestring, "unknown");
		} else if (i == n_in - 3) {
			assert_string_equal(text->valuestring, "Share DASH forms with the GP.");
			assert_string_equal(cJSON_GetObjectItem(o, "agency_text")->valuestring, "Thames Valley Police");
			assert_string_equal(cJSON_GetObjectItem(o, "agency")->valuestring, "police");
		} else if (i == n_in - 2) {
			assert_string_equal(text->valuestring, "bad \xef\xbf\xbd byte police");
			assert_string_equal(cJSON_GetObjectItem(o, "agency")->valuestring, "police");
		} else {
			assert_string_equal(text->valuestring, "no newline at the end");
		}
		cJSON_Delete(o);
	}
	g_strfreev(lines);
	g_free(out);
	g_free(cmd);
	/* the readable form: THEMES  AGENCY  | TEXT */
	cmd = g_strdup_printf("'%s' classify", bin);
	const char *one = "Probation should refer high risk cases to MARAC.\n";
	assert_int_equal(run_io(cmd, one, strlen(one), &out), 0);
	assert_string_equal(out, "referral_pathways  probation  | Probation should refer high risk cases to MARAC.\n");
	g_free(out);
	g_free(cmd);
	g_string_free(in, TRUE);
}

static void commands_should_exit_2_with_rule_errors_on_a_bad_rules_file(void **state)
{
	(void)state;
	const char *bin = getenv("DHR_BIN");
	if (!bin)
		skip();
	char path[] = "/tmp/dhr-test-bad-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *bad = "facet t multi\nlabel a \"A\"\n  match /[a/\n";
	assert_int_equal(write(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
	close(fd);
	const char *subs[] = {"classify", "explain 'some text'"};
	for (int i = 0; i < 2; i++) {
		char *cmd = g_strdup_printf("'%s' %s -r '%s'", bin, subs[i], path);
		char *out = NULL;
		assert_int_equal(run_io(cmd, "x\n", 2, &out), 2);
		char *want = g_strdup_printf("%s:3:", path);
		assert_non_null(strstr(out, want));
		assert_non_null(strstr(out, ": error: missing terminating ] for character class\n"));
		assert_non_null(strstr(out, "1 error\n"));
		g_free(want);
		g_free(out);
		g_free(cmd);
	}
	unlink(path);
}

static void explain_command_should_name_rules_and_mark_spans(void **state)
{
	(void)state;
	const char *bin = getenv("DHR_BIN");
	if (!bin)
		skip();
	char *out = NULL;
	char *cmd = g_strdup_printf("'%s' explain 'To reduce the risk, the police should deliver training to staff "
				    "and a public campaign.'",
				    bin);
	assert_int_equal(run_io(cmd, "", 0, &out), 0);
	/* stdout is a pipe: brackets, no colour */
	assert_null(strstr(out, "\033["));
	assert_non_null(strstr(out, "theme: training, public_awareness\n"));
	assert_non_null(strstr(out, "  training \"Training and workforce learning\": FIRES\n"));
	assert_non_null(strstr(out, "    match   rules/themes.rules:"));
	assert_non_null(strstr(out, "deliver [training] to staff"));
	assert_non_null(strstr(out, "    except  rules/themes.rules:"));
	assert_non_null(strstr(out, "To [reduce the risk], the police"));
	assert_non_null(strstr(out, "agency: police"));
	assert_non_null(strstr(out, "  police \"Police\": CHOSEN\n"));
	g_free(out);
	g_free(cmd);
	/* an unless veto is shown with the rule that vetoed */
	cmd = g_strdup_printf("'%s' explain -r /dev/stdin 'staff training for the public'", bin);
	const char *rules = "facet t multi\nlabel tr \"T\"\n  match /training/\n  unless /public/\n";
	assert_int_equal(run_io(cmd, rules, strlen(rules), &out), 0);
	assert_non_null(strstr(out, "  tr \"T\": vetoed by an unless rule\n"));
	assert_non_null(strstr(out, "    unless  /dev/stdin:4"));
	assert_non_null(strstr(out, "training for the [public]"));
	g_free(out);
	g_free(cmd);
	cmd = g_strdup_printf("'%s' explain --help", bin);
	assert_int_equal(run_io(cmd, "", 0, &out), 0);
	assert_non_null(strstr(out, "usage: dhr explain"));
	assert_non_null(strstr(out, "example:"));
	g_free(out);
	g_free(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classify_should_be_caseless_unless_asked),
		cmocka_unit_test(near_should_hold_within_n_words_in_either_order),
		cmocka_unit_test(before_should_hold_only_in_order),
		cmocka_unit_test(unless_should_veto_the_label_and_explain_why),
		cmocka_unit_test(except_should_mask_only_overlapping_hits),
		cmocka_unit_test(require_should_have_to_hold_too),
		cmocka_unit_test(min_should_count_hits_per_rule_and_per_label),
		cmocka_unit_test(label_references_should_see_earlier_labels),
		cmocka_unit_test(classify_should_fold_accents_and_report_original_offsets),
		cmocka_unit_test(phrases_should_match_whole_words_with_any_spacing),
		cmocka_unit_test(single_facet_should_take_the_first_label_in_file_order),
		cmocka_unit_test(single_facet_should_prefer_the_subject_then_the_earliest),
		cmocka_unit_test(single_facet_should_read_the_stated_agency_first),
		cmocka_unit_test(document_facets_should_count_hits_in_the_whole_text),
		cmocka_unit_test(number_facets_should_capture_group_1_and_band_it),
		cmocka_unit_test(within_should_keep_hits_to_sentences_that_mention_the_subject),
		cmocka_unit_test(text_facets_should_give_the_capture_or_the_whole_hit),
		cmocka_unit_test(subject_operands_should_work_on_either_side_of_before),
		cmocka_unit_test(match_limit_should_warn_once_per_rule_and_classification_go_on),
		cmocka_unit_test(classify_count_should_add_up_labels_over_a_batch),
		cmocka_unit_test(default_rules_should_label_recommendations_per_the_codebook),
		cmocka_unit_test(default_rules_should_take_the_lead_agency_cell_first),
		cmocka_unit_test(default_rules_should_tell_homicide_from_suicide_in_a_report),
		cmocka_unit_test(classify_command_should_write_one_json_line_per_input_line_in_order),
		cmocka_unit_test(commands_should_exit_2_with_rule_errors_on_a_bad_rules_file),
		cmocka_unit_test(explain_command_should_name_rules_and_mark_spans),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
