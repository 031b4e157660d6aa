/*
 * tests/test_learn.c: `dhr learn` (classify/learn.c, cli/cmd_learn.c) on the
 * real rules engine and real files: a phrase taken out of the default rules
 * comes back from the bundled gold (corpus/gold.json); a candidate that adds
 * false positives ranks below one that does not; repeated false positives
 * give an except/unless line; the flattened default rules behave as the
 * default rules; bad input (empty gold, unknown label, unreadable file, a
 * label no example has) exits 2 with a clear message; and --apply writes
 * rules that `dhr rules check` accepts, that `dhr eval` scores at the
 * figures learn claimed (higher than before), and that `dhr diff` compares;
 * rules from disk with includes and list files in other folders, and the
 * built-in rules with their gazetteer lists, give an --apply output that
 * stands alone; --json carries the same figures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the four above first */
#include <cmocka.h>

#include <cJSON.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhr/gold.h"
#include "dhr/learn.h"
#include "dhr/rules.h"
#include "dhr/util.h"
#include "support/pdfgen.h"

static const char *bin(void)
{
	return pdfgen_bin();
}

/* Write `text` to the group's folder and return the path (free it). */
static char *put(const char *name, const char *text)
{
	char *p = pdfgen_put(name, text);
	if (!p)
		fail_msg("cannot write %s", name);
	return p;
}

/*
 * Copy the built-in rules files (rules/ in the source tree) into DIR/sub/,
 * leaving out of themes.rules every line that starts with one of `drop`
 * (NULL-terminated), and return the path of the copy's default.rules.
 */
static char *rules_without(const char *sub, const char *const *drop)
{
	static const char *const files[] = {"default.rules", "themes.rules", "agencies.rules",
	                                    "case_type.rules", "profile.rules"};
	char *d = pdfgen_path(pdfgen_dir, sub);
	g_mkdir_with_parents(d, 0700);
	/* the list files the rules name (rules/gazetteer/), as they are */
	char *gsrc = g_build_filename("rules", "gazetteer", NULL), *gdst = g_build_filename(d, "gazetteer", NULL);
	GDir *gd = g_dir_open(gsrc, 0, NULL);
	g_mkdir_with_parents(gdst, 0700);
	for (const char *e; gd && (e = g_dir_read_name(gd));) {
		char *src = g_build_filename(gsrc, e, NULL), *dst = g_build_filename(gdst, e, NULL), *buf = NULL;
		size_t len = 0;
		dhr_error err;
		assert_int_equal(dhr_read_file(&buf, &len, src, &err), 0);
		assert_int_equal(dhr_write_atomic(dst, buf, len, &err), 0);
		free(buf);
		g_free(src);
		g_free(dst);
	}
	if (gd)
		g_dir_close(gd);
	g_free(gsrc);
	g_free(gdst);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *src = g_build_filename("rules", files[i], NULL), *buf = NULL;
		size_t len = 0;
		dhr_error err;
		if (dhr_read_file(&buf, &len, src, &err) < 0)
			fail_msg("%s", err.message);
		GString *g = g_string_new(NULL);
		size_t dropped = 0;
		gchar **lines = g_strsplit(buf, "\n", -1);
		for (gchar **l = lines; *l; l++) {
			int skip = 0;
			for (const char *const *d2 = drop; strcmp(files[i], "themes.rules") == 0 && *d2; d2++)
				skip |= g_str_has_prefix(*l, *d2);
			dropped += (size_t)skip;
			if (!skip)
				g_string_append_printf(g, "%s%s", *l, l[1] ? "\n" : "");
		}
		if (strcmp(files[i], "themes.rules") == 0) {
			size_t want = 0;
			while (drop[want])
				want++;
			assert_int_equal(dropped, want); /* the lines taken out are really in the rules */
		}
		char *dst = g_build_filename(d, files[i], NULL);
		assert_int_equal(dhr_write_atomic(dst, g->str, g->len, &err), 0);
		g_free(dst);
		g_strfreev(lines);
		g_string_free(g, TRUE);
		free(buf);
		g_free(src);
	}
	char *entry = g_build_filename(d, "default.rules", NULL);
	free(d);
	return entry;
}

/* The examples of a gold set, borrowing its strings. */
typedef struct exs {
	dhr_learn_example *ex;
	dhr_learn_labels *lab;
	size_t n;
} exs;

static void exs_from_gold(exs *E, const dhr_gold *g)
{
	size_t n = g->n_rows;
	for (size_t d = 0; d < g->n_docs; d++)
		n += g->docs[d].n_recs;
	E->ex = calloc(n + 1, sizeof *E->ex);
	E->lab = calloc(2 * n + 1, sizeof *E->lab);
	E->n = 0;
	for (size_t d = 0; d <= g->n_docs; d++) {
		const dhr_gold_rec *recs = d < g->n_docs ? g->docs[d].recs : g->rows;
		size_t nr = d < g->n_docs ? g->docs[d].n_recs : g->n_rows;
		for (size_t i = 0; i < nr; i++) {
			const dhr_gold_rec *r = &recs[i];
			dhr_learn_labels *lab = &E->lab[2 * E->n];
			lab[0] = (dhr_learn_labels){"theme", (const char *const *)r->themes, r->n_themes};
			lab[1] =
			    (dhr_learn_labels){"agency", (const char *const *)&r->agency, r->agency ? 1 : 0};
			E->ex[E->n++] = (dhr_learn_example){
			    r->text, r->agency_text, lab, 2, d < g->n_docs ? g->docs[d].file : r->report,
			    NULL};
		}
	}
}

static void exs_free(exs *E)
{
	free(E->ex);
	free(E->lab);
}

static const dhr_learn_label *find_label(const dhr_learn_result *r, const char *facet, const char *id)
{
	for (size_t i = 0; i < r->n_labels; i++)
		if (strcmp(r->labels[i].facet, facet) == 0 && strcmp(r->labels[i].id, id) == 0)
			return &r->labels[i];
	return NULL;
}

static dhr_learn_result *learn_on(const char *gold_path, const char *rules, const char *label)
{
	dhr_gold *g = NULL;
	dhr_error err;
	dhr_error_clear(&err);
	if (dhr_gold_load(&g, gold_path, &err) < 0)
		fail_msg("%s", err.message);
	exs E;
	exs_from_gold(&E, g);
	dhr_learn_opts o;
	memset(&o, 0, sizeof o);
	o.rules_path = rules;
	o.label = label;
	dhr_learn_result *res = NULL;
	int rc = dhr_learn_run(&res, E.ex, E.n, &o, &err);
	if (rc != 0)
		fail_msg("dhr_learn_run: %s", err.message);
	exs_free(&E);
	dhr_gold_free(g);
	return res;
}

/* ---------------------------------------------------------------- proposals */

static void a_phrase_taken_out_of_the_default_rules_should_come_back(void **state)
{
	(void)state;
	/* the phrase and the proximity rule that also finds "risk ... assessed" */
	const char *drop[] = {"  match \"risk assess*\"", "  match /\\brisks?\\b/ near 4", NULL};
	char *rules = rules_without("ra", drop);
	dhr_learn_result *res = learn_on("corpus/gold.json", rules, "risk_assessment");
	const dhr_learn_label *L = find_label(res, "theme", "risk_assessment");
	assert_non_null(L);
	assert_true(L->fn >= 2); /* the corpus needs the phrase */
	assert_true(L->n_cands >= 1);
	assert_string_equal(L->cands[0].line, "  match \"risk assess*\"");
	assert_int_equal(L->cands[0].new_fp, 0);
	assert_true(L->cands[0].gained <= L->fn);
	assert_true(L->cands[0].gained >= 2);
	assert_true(L->cands[0].cv_gain > 0);
	assert_true(L->cands[0].fit_gain > 0);
	assert_true(fabs(L->cands[0].f1_after - L->f1 - L->cands[0].fit_gain) < 1e-9);
	/* each gained flip is a false negative of the reduced rules that the line puts right */
	for (size_t i = 0; i < L->cands[0].n_flips; i++)
		assert_int_equal(L->cands[0].flips[i].kind, DHR_FLIP_GAINED);
	dhr_learn_result_free(res);
	free(rules);
}

static void a_word_taken_out_should_come_back_as_a_word(void **state)
{
	(void)state;
	const char *drop[] = {"  match /\\bchampions?\\b/", NULL};
	char *rules = rules_without("ch", drop);
	dhr_learn_result *res = learn_on("corpus/gold.json", rules, "theme.training");
	const dhr_learn_label *L = find_label(res, "theme", "training");
	assert_non_null(L);
	assert_true(L->n_cands >= 1);
	assert_string_equal(L->cands[0].line, "  match \"champion*\"");
	assert_int_equal(L->cands[0].new_fp, 0);
	assert_true(L->cands[0].gained >= 3);
	assert_true(L->cands[0].precision > 0.99);
	dhr_learn_result_free(res);
	free(rules);
}

/* small rules and a TSV where "workshop" and "seminar" each put two texts right, "seminar" one wrong */
static const char *small_rules = "facet theme multi\n"
                                 "label training \"Training\"\n"
                                 "  match \"training\"\n"
                                 "label risk_assessment \"Risk\"\n"
                                 "  match \"risk\"\n"
                                 "facet agency single default unknown\n"
                                 "label police \"Police\"\n"
                                 "  match \"police\"\n"
                                 "label unknown \"Unknown\"\n";

static const char *small_tsv =
    "text\tthemes\tagency\treport\n"
    "Hold a workshop on coercive control for call handlers.\ttraining\tunknown\tr1\n"
    "Run a workshop about stalking for ward nurses.\ttraining\tunknown\tr2\n"
    "A seminar on economic abuse for housing officers.\ttraining\tunknown\tr3\n"
    "Offer a seminar on honour-based violence to health visitors.\ttraining\tunknown\tr4\n"
    "The seminar room at the station should be made accessible.\t\tunknown\tr5\n"
    "Deliver training on coercive control to all officers.\ttraining\tpolice\tr6\n"
    "Police should review the bail conditions policy.\t\tpolice\tr7\n"
    "Partners should reduce the risk to children at home.\t\tunknown\tr8\n"
    "Agencies should reduce the risk faced by older people.\t\tunknown\tr9\n"
    "Police should complete a risk assessment with every victim.\trisk_assessment\tpolice\tr10\n"
    "Assess the risk to the children of the household.\trisk_assessment\tunknown\tr11\n";

static int index_of(const dhr_learn_label *L, const char *line)
{
	for (size_t i = 0; i < L->n_cands; i++)
		if (strcmp(L->cands[i].line, line) == 0)
			return (int)i;
	return -1;
}

static void a_candidate_with_false_positives_should_rank_below_one_without(void **state)
{
	(void)state;
	char *rules = put("small.rules", small_rules), *tsv = put("small.tsv", small_tsv);
	dhr_learn_result *res = learn_on(tsv, rules, "training");
	const dhr_learn_label *L = find_label(res, "theme", "training");
	assert_non_null(L);
	assert_int_equal(L->fn, 4);
	int w = index_of(L, "  match \"workshop\""), s = index_of(L, "  match \"seminar\"");
	assert_true(w >= 0);
	assert_true(s >= 0);
	assert_true(w < s);
	assert_int_equal(L->cands[w].gained, 2);
	assert_int_equal(L->cands[w].new_fp, 0);
	assert_int_equal(L->cands[s].gained, 2);
	assert_int_equal(L->cands[s].new_fp, 1);
	assert_true(L->cands[w].fit_gain > L->cands[s].fit_gain);
	assert_true(fabs(L->cands[s].precision - 2.0 / 3.0) < 1e-9);
	dhr_learn_result_free(res);
	free(rules);
	free(tsv);
}

static void repeated_false_positives_should_give_an_except_or_unless_line(void **state)
{
	(void)state;
	char *rules = put("small.rules", small_rules), *tsv = put("small.tsv", small_tsv);
	dhr_learn_result *res = learn_on(tsv, rules, "risk_assessment");
	const dhr_learn_label *L = find_label(res, "theme", "risk_assessment");
	assert_non_null(L);
	assert_int_equal(L->fp, 2);
	assert_true(L->n_cands >= 1);
	const dhr_learn_cand *c = &L->cands[0];
	assert_true(c->kind == DHR_RULE_EXCEPT || c->kind == DHR_RULE_UNLESS);
	assert_non_null(strstr(c->line, "reduce"));
	assert_int_equal(c->fixed_fp, 2);
	assert_int_equal(c->lost, 0);
	assert_true(fabs(c->f1_after - 1.0) < 1e-9);
	dhr_learn_result_free(res);
	free(rules);
	free(tsv);
}

/* policy fires on "guidance" in three texts about risk assessments that are not policy: the
 * proposals must not veto policy with another theme's own words ("unless risk assessment": the
 * codebook is multi-label) nor switch its rule off with the hit's own word ("except guidance");
 * the hit with a word of its context ("clear guidance") is what an analyst would write */
static void an_except_should_reach_beyond_the_hit_and_an_unless_avoid_other_labels_words(void **state)
{
	(void)state;
	char *rules = put("pol.rules", "facet theme multi\n"
	                               "label policy \"Policy\"\n"
	                               "  match \"guidance\"\n"
	                               "  match \"policy\"\n"
	                               "label risk_assessment \"Risk\"\n"
	                               "  match \"risk assessment\"\n"
	                               "facet agency single default unknown\n"
	                               "label unknown \"Unknown\"\n");
	char *tsv = put("pol.tsv",
	                "text\tthemes\tagency\treport\n"
	                "Issue guidance on stalking to all GPs.\tpolicy\tunknown\tr1\n"
	                "The council should publish guidance on economic abuse.\tpolicy\tunknown\tr2\n"
	                "Write a policy on missed appointments.\tpolicy\tunknown\tr3\n"
	                "Officers complete a risk assessment with clear guidance and prompts on the form.\t"
	                "risk_assessment\tunknown\tr4\n"
	                "Staff complete a risk assessment supported through guidance and supervision.\t"
	                "risk_assessment\tunknown\tr5\n"
	                "Nurses complete the risk assessment with clear guidance and prompts at triage.\t"
	                "risk_assessment\tunknown\tr6\n");
	dhr_learn_result *res = learn_on(tsv, rules, "policy");
	const dhr_learn_label *L = find_label(res, "theme", "policy");
	assert_non_null(L);
	assert_int_equal(L->fp, 3);
	int context = 0;
	for (size_t i = 0; i < L->n_cands; i++) {
		const char *line = L->cands[i].line;
		assert_null(strstr(line, "risk assess"));
		assert_string_not_equal(line, "  except \"guidance\"");
		if (L->cands[i].kind == DHR_RULE_EXCEPT && strstr(line, "guidance") && strchr(strstr(line, "\"") + 1, ' '))
			context = 1;
	}
	assert_true(context); /* e.g. except "clear guidance" */
	dhr_learn_result_free(res);
	free(rules);
	free(tsv);
}

static void a_label_that_refers_to_another_should_be_checked_on_the_whole_rules(void **state)
{
	(void)state;
	/* risk_assessment's block alone would not compile (it names training): the whole rules are used */
	char *rules = put("ref.rules", "facet theme multi\n"
	                               "label training \"Training\"\n"
	                               "  match \"training\"\n"
	                               "label risk_assessment \"Risk\"\n"
	                               "  match \"risk\"\n"
	                               "  unless label training\n"
	                               "facet agency single default unknown\n"
	                               "label police \"Police\"\n  match \"police\"\n"
	                               "label unknown \"Unknown\"\n");
	char *tsv = put("small.tsv", small_tsv);
	dhr_learn_result *res = learn_on(tsv, rules, "risk_assessment");
	const dhr_learn_label *L = find_label(res, "theme", "risk_assessment");
	assert_non_null(L);
	assert_int_equal(L->verified_full, 1);
	assert_int_equal(L->fp, 2);
	assert_true(L->n_cands >= 1);
	assert_non_null(strstr(L->cands[0].line, "reduce"));
	assert_int_equal(L->cands[0].fixed_fp, 2);
	dhr_learn_result_free(res);
	free(rules);
	free(tsv);
}

static void flattened_default_rules_should_classify_as_the_default_rules(void **state)
{
	(void)state;
	char *flat = NULL;
	dhr_error err;
	assert_int_equal(dhr_rules_flatten(&flat, NULL, &err), 0);
	assert_null(strstr(flat, "\ninclude "));
	dhr_rules *a = NULL, *b = NULL;
	dhr_rules_opts o;
	memset(&o, 0, sizeof o);
	o.includes = DHR_INCLUDE_EMBEDDED; /* no include is left; list files are the built-in ones */
	assert_int_equal(dhr_rules_compile_default(&a, NULL, &err), 0);
	assert_int_equal(dhr_rules_compile_buffer(&b, "rules/flat.rules", flat, strlen(flat), &o, &err), 0);
	assert_int_equal(dhr_rules_label_count(a), dhr_rules_label_count(b));
	assert_int_equal(dhr_rules_facet_count(a), dhr_rules_facet_count(b));
	dhr_gold *g = NULL;
	assert_int_equal(dhr_gold_load(&g, "corpus/gold.json", &err), 0);
	dhr_classifier *ca = NULL, *cb = NULL;
	dhr_result *ra = dhr_result_new(), *rb = dhr_result_new();
	assert_int_equal(dhr_classifier_new(&ca, a, NULL, NULL), 0);
	assert_int_equal(dhr_classifier_new(&cb, b, NULL, NULL), 0);
	size_t n = 0;
	for (size_t d = 0; d < g->n_docs; d++)
		for (size_t i = 0; i < g->docs[d].n_recs; i++, n++) {
			const char *t = g->docs[d].recs[i].text;
			assert_int_equal(dhr_classify_rec(ra, ca, t, NULL), 0);
			assert_int_equal(dhr_classify_rec(rb, cb, t, NULL), 0);
			for (size_t l = 0; l < dhr_rules_label_count(a); l++)
				assert_int_equal(dhr_result_has(ra, l), dhr_result_has(rb, l));
		}
	assert_true(n > 100);
	dhr_result_free(ra);
	dhr_result_free(rb);
	dhr_classifier_free(ca);
	dhr_classifier_free(cb);
	dhr_gold_free(g);
	dhr_rules_free(a);
	dhr_rules_free(b);
	free(flat);
}

/* ---------------------------------------------------------------- the command */

static int run(char **out, char **errout, const char *const *args)
{
	char *argv[24];
	int n = 0;
	argv[n++] = (char *)bin();
	for (; *args && n < 23; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	return pdfgen_run(argv, out, errout);
}

static void expect_error(const char *const *args, const char *msg)
{
	char *so = NULL, *se = NULL;
	int rc = run(&so, &se, args);
	if (rc != 2 || !se || !strstr(se, msg))
		fail_msg("wanted exit 2 and \"%s\", got %d: %s", msg, rc, se ? se : "");
	free(so);
	free(se);
}

static void bad_input_should_exit_2_with_a_clear_message(void **state)
{
	(void)state;
	char *empty = put("empty.tsv", "text\tthemes\tagency\n"), *zero = put("zero.tsv", "");
	char *nodocs = put("nodocs.json", "{\"documents\": []}\n");
	char *tsv = put("small.tsv", small_tsv);
	char *missing = pdfgen_path(pdfgen_dir, "no-such-gold.tsv");
	char *rules = put("small.rules", small_rules);
	expect_error((const char *[]){"learn", empty, NULL}, "empty.tsv: a header but no rows");
	expect_error((const char *[]){"learn", zero, NULL}, "zero.tsv");
	expect_error((const char *[]){"learn", nodocs, NULL}, "no labelled recommendations");
	expect_error((const char *[]){"learn", missing, NULL}, "no-such-gold.tsv");
	expect_error((const char *[]){"learn", "--label", "nosuch", tsv, NULL}, "unknown label 'nosuch'");
	expect_error((const char *[]){"learn", "--label", "public_awareness", tsv, NULL},
	             "no example is labelled public_awareness");
	expect_error((const char *[]){"learn", "--split", "tune", "corpus/gold.json", NULL},
	             "--split needs a TSV");
	expect_error((const char *[]){"learn", "--split", "nosuch", tsv, NULL}, "no row has split 'nosuch'");
	expect_error((const char *[]){"learn", "--min-precision", "2", tsv, NULL}, "--min-precision");
	expect_error((const char *[]){"learn", "-r", rules, "--label", "theme.police", tsv, NULL},
	             "unknown label 'theme.police'");
	free(empty);
	free(zero);
	free(nodocs);
	free(tsv);
	free(missing);
	free(rules);
}

/* corpus/gold.json's texts as a TSV (text, themes, agency, report), so that eval scores exactly the texts
 * learnt on */
static char *corpus_as_tsv(void)
{
	dhr_gold *g = NULL;
	dhr_error err;
	assert_int_equal(dhr_gold_load(&g, "corpus/gold.json", &err), 0);
	GString *s = g_string_new("text\tthemes\tagency\treport\n");
	for (size_t d = 0; d < g->n_docs; d++)
		for (size_t i = 0; i < g->docs[d].n_recs; i++) {
			const dhr_gold_rec *r = &g->docs[d].recs[i];
			g_string_append_printf(s, "%s\t", r->text);
			for (size_t t = 0; t < r->n_themes; t++)
				g_string_append_printf(s, "%s%s", t ? "," : "", r->themes[t]);
			g_string_append_printf(s, "\t%s\t%s\n", r->agency ? r->agency : "unknown",
			                       g->docs[d].file);
		}
	char *p = put("corpus.tsv", s->str);
	g_string_free(s, TRUE);
	dhr_gold_free(g);
	return p;
}

static double eval_macro(const char *rules, const char *tsv)
{
	char *so = NULL, *se = NULL;
	int rc = run(&so, &se, (const char *[]){"eval", "--json", "-r", rules, tsv, NULL});
	if (rc != 0)
		fail_msg("dhr eval: %d %s", rc, se ? se : "");
	cJSON *j = cJSON_Parse(so);
	assert_non_null(j);
	double m = cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "averages"), "macro_f1"));
	cJSON_Delete(j);
	free(so);
	free(se);
	return m;
}

static void apply_should_write_rules_that_check_and_score_what_learn_claimed(void **state)
{
	(void)state;
	/* take out lines of several labels so there is something to learn back */
	const char *drop[] = {"  match \"risk assess*\"", "  match /\\brisks?\\b/ near 4",
	                      "  match /\\bchampions?\\b/",
	                      "  match /\\b(?:train(?:ing|ed|s)?|re-?train\\w*|trainers?)\\b/", NULL};
	char *rules = rules_without("ap", drop), *tsv = corpus_as_tsv(),
	     *out = pdfgen_path(pdfgen_dir, "learned.rules");
	char *so = NULL, *se = NULL;
	int rc = run(&so, &se, (const char *[]){"learn", "-r", rules, "--apply", out, tsv, NULL});
	if (rc != 0)
		fail_msg("dhr learn: %d %s", rc, se ? se : "");
	/* the claim: "theme macro-F1 A -> B" */
	const char *claim = strstr(so, "theme macro-F1 ");
	assert_non_null(claim);
	double before = 0, after = 0;
	assert_int_equal(sscanf(claim, "theme macro-F1 %lf -> %lf", &before, &after), 2);
	assert_true(after > before);
	assert_non_null(strstr(so, "# chosen for --apply"));
	free(so);
	free(se);

	assert_int_equal(run(&so, &se, (const char *[]){"rules", "check", out, NULL}), 0);
	free(so);
	free(se);
	char *text = NULL;
	size_t len = 0;
	dhr_error err;
	assert_int_equal(dhr_read_file(&text, &len, out, &err), 0);
	assert_non_null(strstr(text, "# dhr learn from"));
	assert_null(strstr(text, "\ninclude "));
	free(text);
	/* dhr eval on the same texts gives the figures learn claimed */
	assert_true(fabs(eval_macro(rules, tsv) - before) < 0.0005);
	assert_true(fabs(eval_macro(out, tsv) - after) < 0.0005);

	/* and dhr diff compares the two on the reports (exit 1: labels changed) */
	char *cache = pdfgen_path(pdfgen_dir, "cache");
	rc = run(&so, &se,
	         (const char *[]){"diff", "--cache", cache, "-r", rules, "-r", out, "corpus/reports", NULL});
	if (rc != 1)
		fail_msg("dhr diff: %d %s", rc, se ? se : "");
	assert_non_null(strstr(so, "theme:training"));
	free(so);
	free(se);
	free(cache);
	free(rules);
	free(tsv);
	free(out);
}

static void apply_on_the_built_in_rules_should_copy_their_list_files_beside_the_output(void **state)
{
	(void)state;
	char *tsv = put("small.tsv", small_tsv), *bi = pdfgen_path(pdfgen_dir, "bi");
	g_mkdir_with_parents(bi, 0700);
	char *out = g_build_filename(bi, "learned.rules", NULL);
	char *so = NULL, *se = NULL;
	int rc = run(&so, &se, (const char *[]){"learn", "--apply", out, tsv, NULL});
	if (rc != 0)
		fail_msg("dhr learn: %d %s", rc, se ? se : "");
	free(so);
	free(se);
	char *text = NULL;
	size_t len = 0;
	dhr_error err;
	assert_int_equal(dhr_read_file(&text, &len, out, &err), 0);
	int lists = 0;
	for (const char *p = text; (p = strstr(p, "list \"learned.lists/")); p++) {
		/* each list named is there, beside the output */
		const char *q = p + strlen("list \"");
		char *rel = g_strndup(q, (gsize)(strchr(q, '"') - q));
		char *path = g_build_filename(bi, rel, NULL);
		assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));
		g_free(path);
		g_free(rel);
		lists++;
	}
	assert_true(lists > 0); /* the built-in agencies read the gazetteer */
	assert_null(strstr(text, "list \"gazetteer/"));
	free(text);
	rc = run(&so, &se, (const char *[]){"rules", "check", out, NULL});
	if (rc != 0)
		fail_msg("dhr rules check: %d %s", rc, se ? se : "");
	free(so);
	free(se);
	rc = run(&so, &se, (const char *[]){"eval", "-r", out, tsv, NULL});
	if (rc != 0)
		fail_msg("dhr eval: %d %s", rc, se ? se : "");
	free(so);
	free(se);
	g_free(out);
	free(bi);
	free(tsv);
}

static void json_output_should_carry_the_candidates_and_the_examples_they_change(void **state)
{
	(void)state;
	char *rules = put("small.rules", small_rules), *tsv = put("small.tsv", small_tsv);
	char *so = NULL, *se = NULL;
	int rc = run(&so, &se, (const char *[]){"learn", "--json", "-r", rules, "--label", "training", tsv, NULL});
	if (rc != 0)
		fail_msg("dhr learn --json: %d %s", rc, se ? se : "");
	cJSON *j = cJSON_Parse(so);
	assert_non_null(j);
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "gold"), "examples")), 11);
	const cJSON *labels = cJSON_GetObjectItem(j, "labels");
	assert_int_equal(cJSON_GetArraySize(labels), 1);
	const cJSON *l = cJSON_GetArrayItem(labels, 0);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(l, "label")), "training");
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(l, "fn")), 4);
	const cJSON *c, *w = NULL;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(l, "candidates"))
	{
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(c, "rule")), "match \"workshop\"") == 0)
			w = c;
	}
	assert_non_null(w);
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(w, "gained")), 2);
	const cJSON *flips = cJSON_GetObjectItem(w, "flips");
	assert_int_equal(cJSON_GetArraySize(flips), 2);
	const cJSON *f0 = cJSON_GetArrayItem(flips, 0);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(f0, "kind")), "gained");
	assert_true(g_str_has_suffix(cJSON_GetStringValue(cJSON_GetObjectItem(f0, "example")), "small.tsv:2"));
	assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(f0, "excerpt")), "[workshop]"));
	cJSON_Delete(j);
	free(so);
	free(se);
	free(rules);
	free(tsv);
}

static void split_should_learn_from_its_rows_only(void **state)
{
	(void)state;
	/* the small TSV with a split column: rows 2-6 tune, the others test */
	GString *g = g_string_new(NULL);
	gchar **lines = g_strsplit(small_tsv, "\n", -1);
	for (gchar **l = lines; *l && **l; l++)
		g_string_append_printf(g, "%s\t%s\n", *l, l == lines ? "split" : (l - lines <= 5 ? "tune" : "test"));
	g_strfreev(lines);
	char *rules = put("small.rules", small_rules), *tsv = put("split.tsv", g->str);
	g_string_free(g, TRUE);
	char *so = NULL, *se = NULL;
	int rc = run(&so, &se,
	             (const char *[]){"learn", "--json", "--split", "tune", "-r", rules, "--label", "training", tsv, NULL});
	if (rc != 0)
		fail_msg("dhr learn --split: %d %s", rc, se ? se : "");
	cJSON *j = cJSON_Parse(so);
	assert_non_null(j);
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "gold"), "examples")), 5);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "gold"), "split")), "tune");
	/* every example a candidate changes is a tune row (lines 2 to 6) */
	const cJSON *l = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "labels"), 0), *c, *f;
	int n = 0;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(l, "candidates")) cJSON_ArrayForEach(f, cJSON_GetObjectItem(c, "flips"))
	{
		const char *e = cJSON_GetStringValue(cJSON_GetObjectItem(f, "example"));
		int line = atoi(strrchr(e, ':') + 1);
		assert_true(line >= 2 && line <= 6);
		n++;
	}
	assert_true(n >= 2); /* the workshop rows */
	cJSON_Delete(j);
	free(so);
	free(se);
	free(rules);
	free(tsv);
}

static void rules_with_includes_and_lists_in_other_folders_should_apply_standing_alone(void **state)
{
	(void)state;
	char *d = pdfgen_path(pdfgen_dir, "lr");
	char *sub = g_build_filename(d, "sub", NULL), *outd = pdfgen_path(pdfgen_dir, "elsewhere");
	g_mkdir_with_parents(sub, 0700);
	g_mkdir_with_parents(outd, 0700);
	free(put("lr/main.rules", "include \"sub/themes.rules\"\n"
	                          "facet agency single default unknown\n"
	                          "label police \"Police\"\n  match \"police\"\n"
	                          "label unknown \"Unknown\"\n"));
	free(put("lr/sub/themes.rules", "facet theme multi\n"
	                                "label training \"Training\"\n"
	                                "  match list \"names.txt\"   # the words of training\n"
	                                "label risk_assessment \"Risk\"\n  match \"risk\"\n"));
	free(put("lr/sub/names.txt", "training\ncourse\n"));
	char *rules = g_build_filename(d, "main.rules", NULL), *tsv = put("small.tsv", small_tsv);
	char *out = g_build_filename(outd, "learned.rules", NULL);
	char *so = NULL, *se = NULL;
	int rc = run(&so, &se, (const char *[]){"learn", "-r", rules, "--apply", out, tsv, NULL});
	if (rc != 0)
		fail_msg("dhr learn: %d %s", rc, se ? se : "");
	assert_non_null(strstr(so, "  match \"workshop\"   # chosen for --apply"));
	free(so);
	free(se);
	rc = run(&so, &se, (const char *[]){"rules", "check", out, NULL});
	if (rc != 0)
		fail_msg("dhr rules check: %d %s", rc, se ? se : "");
	free(so);
	free(se);
	char *text = NULL;
	size_t len = 0;
	dhr_error err;
	assert_int_equal(dhr_read_file(&text, &len, out, &err), 0);
	char *want = g_strdup_printf("match list \"%s/sub/names.txt\"", d);
	char *real = realpath(d, NULL);
	char *want_real = g_strdup_printf("match list \"%s/sub/names.txt\"", real);
	assert_true(strstr(text, want) || strstr(text, want_real));
	free(text);
	/* built-in rules name no list today: the text comes back as it was; an unknown built-in list is an
	 * error */
	char *t2 = NULL;
	assert_int_equal(dhr_rules_relocate_lists(&t2, "label x\n  match \"a\"\n", out, &err), 0);
	assert_string_equal(t2, "label x\n  match \"a\"\n");
	free(t2);
	assert_int_equal(dhr_rules_relocate_lists(&t2, "  match list \"no-such.txt\"\n", out, &err), DHR_EIO);
	assert_non_null(strstr(err.message, "no-such.txt"));
	g_free(want);
	g_free(want_real);
	free(real);
	g_free(rules);
	free(tsv);
	g_free(out);
	g_free(sub);
	free(outd);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_phrase_taken_out_of_the_default_rules_should_come_back),
	    cmocka_unit_test(a_word_taken_out_should_come_back_as_a_word),
	    cmocka_unit_test(a_candidate_with_false_positives_should_rank_below_one_without),
	    cmocka_unit_test(repeated_false_positives_should_give_an_except_or_unless_line),
	    cmocka_unit_test(an_except_should_reach_beyond_the_hit_and_an_unless_avoid_other_labels_words),
	    cmocka_unit_test(a_label_that_refers_to_another_should_be_checked_on_the_whole_rules),
	    cmocka_unit_test(flattened_default_rules_should_classify_as_the_default_rules),
	    cmocka_unit_test(bad_input_should_exit_2_with_a_clear_message),
	    cmocka_unit_test(apply_should_write_rules_that_check_and_score_what_learn_claimed),
	    cmocka_unit_test(rules_with_includes_and_lists_in_other_folders_should_apply_standing_alone),
	    cmocka_unit_test(json_output_should_carry_the_candidates_and_the_examples_they_change),
	    cmocka_unit_test(split_should_learn_from_its_rows_only),
	    cmocka_unit_test(apply_on_the_built_in_rules_should_copy_their_list_files_beside_the_output),
	};
	return cmocka_run_group_tests(tests, pdfgen_group_setup, pdfgen_group_teardown);
}
