/*
 * tests/test_eval.c: the TSV form of labelled recommendations (segment/gold_tsv.c)
 * and 'dhr eval' on it (cli/eval_tsv.c): the header and the old headerless
 * form, quoting, bad ids named by FILE:LINE, empty files, the --split filter,
 * the --min-* thresholds (exit 1 against 0) and the JSON figures against a
 * confusion worked out by hand on a small TSV scored by small rules written
 * here, so that the expected figures follow from the rules on the page.
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

#include "dhr/gold.h"
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

static int load_text(dhr_gold **g, const char *name, const char *text, dhr_error *err)
{
	char *p = put(name, text);
	dhr_error_clear(err);
	int rc = dhr_gold_load(g, p, err);
	free(p);
	return rc;
}

/* ---- the reader -------------------------------------------------------------------- */

static void tsv_with_a_header_should_read_every_column(void **state)
{
	(void)state;
	dhr_gold *g = NULL;
	dhr_error err;
	/* BOM, CRLF line ends, columns in any order, a quoted field with "" and a tab, a blank line */
	const char *tsv = "\xEF\xBB\xBFsplit\treport\ttext\tthemes\tagency\tagency_text\tsource\tho_theme\tnotes\r\n"
			  "tune\tdhr-a\tPolice should train officers.\ttraining, policy ;\tpolice\t\thttps://x.invalid/a\tho_training\tok\r\n"
			  "\r\n"
			  "# a comment line\r\n"
			  "test\tdhr-b\t\"The \"\"Think Family\"\" model\tis used.\"\t\tunknown\tKMPT\t\t\t\r\n"
			  "test\tdhr-b\t\"Think Family\" should be reviewed.\tpolicy\tunknown\t\t\t\t\n";
	assert_int_equal(load_text(&g, "h.tsv", tsv, &err), 0);
	assert_int_equal(g->format, DHR_GOLD_TSV);
	assert_int_equal(g->tsv_header, 1);
	assert_int_equal(g->n_docs, 0);
	assert_int_equal(g->n_rows, 3);
	const dhr_gold_rec *r = &g->rows[0];
	assert_string_equal(r->text, "Police should train officers.");
	assert_int_equal(r->n_themes, 2);
	assert_string_equal(r->themes[0], "training");
	assert_string_equal(r->themes[1], "policy");
	assert_string_equal(r->agency, "police");
	assert_null(r->agency_text);
	assert_string_equal(r->report, "dhr-a");
	assert_string_equal(r->split, "tune");
	assert_string_equal(r->source, "https://x.invalid/a");
	assert_int_equal(r->line, 2);
	assert_int_equal(r->n_labels, 1);
	assert_string_equal(r->labels[0].facet, "ho_theme");
	assert_int_equal(r->labels[0].n_values, 1);
	assert_string_equal(r->labels[0].values[0], "ho_training");
	r = &g->rows[1];
	assert_string_equal(r->text, "The \"Think Family\" model\tis used.");
	assert_int_equal(r->n_themes, 0);
	assert_string_equal(r->agency_text, "KMPT");
	assert_int_equal(r->line, 5);
	assert_int_equal(r->labels[0].n_values, 0);
	/* a text that only begins with a quotation is read as it stands */
	assert_string_equal(g->rows[2].text, "\"Think Family\" should be reviewed.");
	assert_int_equal(g->rows[2].line, 6);
	dhr_gold_free(g);
}

static void old_three_column_form_should_still_be_read(void **state)
{
	(void)state;
	dhr_gold *g = NULL;
	dhr_error err;
	dhr_error_clear(&err);
	assert_int_equal(dhr_gold_load(&g, "tests/data/heldout-recommendations.tsv", &err), 0);
	assert_int_equal(g->tsv_header, 0);
	/* as many rows as the file has lines; the first is a row, not a header */
	char *buf = NULL;
	size_t len = 0;
	assert_int_equal(dhr_read_file(&buf, &len, "tests/data/heldout-recommendations.tsv", NULL), 0);
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	assert_int_equal(g->n_rows, lines);
	char *tab = strchr(buf, '\t');
	assert_non_null(tab);
	assert_int_equal(strlen(g->rows[0].text), (size_t)(tab - buf));
	assert_int_equal(g->rows[0].line, 1);
	assert_int_equal(g->rows[1].n_themes, 2); /* "training,referral_pathways" */
	assert_string_equal(g->rows[1].agency, "primary_care");
	free(buf);
	dhr_gold_free(g);
}

static void bad_tsv_files_should_be_errors_naming_the_line(void **state)
{
	(void)state;
	dhr_gold *g = NULL;
	dhr_error err;
	assert_int_equal(load_text(&g, "empty.tsv", "", &err), DHR_ERROR);
	assert_null(g);
	assert_non_null(strstr(err.message, "empty.tsv: empty file"));
	assert_int_equal(load_text(&g, "blank.tsv", "\n \n\n", &err), DHR_ERROR);
	assert_non_null(strstr(err.message, "empty file"));
	assert_int_equal(load_text(&g, "hdr.tsv", "text\tthemes\tagency\n", &err), DHR_ERROR);
	assert_non_null(strstr(err.message, "hdr.tsv: a header but no rows"));
	assert_int_equal(load_text(&g, "noagency.tsv", "text\tthemes\nx\ty\n", &err), DHR_ERROR);
	assert_non_null(strstr(err.message, "noagency.tsv:1: the header names no \"agency\" column"));
	assert_int_equal(load_text(&g, "four.tsv", "a\tb\tc\td\n", &err), DHR_ERROR);
	assert_non_null(strstr(err.message, "four.tsv:1: the first line is neither a header"));
	assert_int_equal(load_text(&g, "wide.tsv", "text\tthemes\tagency\nx\t\tpolice\nx\t\tpolice\textra\n", &err),
			 DHR_ERROR);
	assert_non_null(strstr(err.message, "wide.tsv:3: 4 fields, but the header names 3 columns"));
	assert_int_equal(load_text(&g, "noag.tsv", "text\tthemes\tagency\nx\ttraining\tpolice\ny\ttraining\t \n", &err),
			 DHR_ERROR);
	assert_non_null(strstr(err.message, "noag.tsv:3: empty agency"));
	assert_int_equal(load_text(&g, "utf.tsv", "text\tthemes\tagency\nok\t\tpolice\nbad \xC3\x28 byte\t\tpolice\n", &err),
			 DHR_ERROR);
	assert_non_null(strstr(err.message, "utf.tsv:3: column text: not valid UTF-8"));
	assert_int_equal(load_text(&g, "twice.tsv", "text\tthemes\tagency\tthemes\nx\t\tpolice\t\n", &err), DHR_ERROR);
	assert_non_null(strstr(err.message, "twice.tsv:1: column \"themes\" named twice"));
	/* content, not the extension, decides: JSON named .tsv is JSON */
	assert_int_equal(load_text(&g, "json.tsv", "  {\"documents\": []}", &err), 0);
	assert_int_equal(g->format, DHR_GOLD_JSON);
	dhr_gold_free(g);
	g = NULL;
	assert_int_equal(load_text(&g, "bad.json", "{\"documents\": [", &err), DHR_ERROR);
	assert_non_null(strstr(err.message, "not valid JSON"));
}

static int known_from_rules(const char *facet, const char *label, int *single, void *payload)
{
	const dhr_rules *r = payload;
	int f = dhr_rules_facet_find(r, facet);
	if (f < 0)
		return 0;
	if (single)
		*single = dhr_rules_facet(r, (size_t)f)->single;
	return !label || dhr_rules_label_find(r, (size_t)f, label) >= 0;
}

static void unknown_ids_should_be_errors_with_file_and_line(void **state)
{
	(void)state;
	dhr_rules *rules = NULL;
	dhr_error err;
	dhr_error_clear(&err);
	assert_int_equal(dhr_rules_compile_default(&rules, NULL, &err), 0);
	dhr_gold *g = NULL;
	static const struct {
		const char *tsv, *want;
	} cases[] = {
		{"text\tthemes\tagency\na\ttraining\tpolice\nb\ttrainng\tpolice\n", "t.tsv:3: unknown theme \"trainng\""},
		{"a\ttraining\tpolice\nb\tpolicy\tpolise\n", "t.tsv:2: unknown agency \"polise\""},
		{"text\tthemes\tagency\tno_such_facet\na\t\tunknown\tx\n", "t.tsv:2: column \"no_such_facet\" is neither"},
		{"text\tthemes\tagency\tagency2\na\t\tunknown\t\n", "t.tsv:2: column \"agency2\" is neither"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(load_text(&g, "t.tsv", cases[i].tsv, &err), 0);
		dhr_error_clear(&err);
		assert_int_equal(dhr_gold_check(g, known_from_rules, rules, &err), DHR_ERROR);
		if (!strstr(err.message, cases[i].want))
			fail_msg("case %zu: %s (wanted %s)", i, err.message, cases[i].want);
		dhr_gold_free(g);
		g = NULL;
	}
	/* and the real files pass */
	assert_int_equal(dhr_gold_load(&g, "tests/data/heldout-recommendations.tsv", &err), 0);
	assert_int_equal(dhr_gold_check(g, known_from_rules, rules, &err), 0);
	dhr_gold_free(g);
	assert_int_equal(dhr_gold_load(&g, "corpus/gold.json", &err), 0);
	assert_int_equal(dhr_gold_check(g, known_from_rules, rules, &err), 0);
	dhr_gold_free(g);
	dhr_rules_free(rules);
}

/* Every labelled TSV under tests/data/ (the real development set once it is collected) reads
 * and uses only ids the default rules define: a typo in the data set fails here, with FILE:LINE. */
static void the_labelled_data_sets_should_use_only_the_rules_ids(void **state)
{
	(void)state;
	dhr_rules *rules = NULL;
	dhr_error err;
	dhr_error_clear(&err);
	assert_int_equal(dhr_rules_compile_default(&rules, NULL, &err), 0);
	GDir *d = g_dir_open("tests/data", 0, NULL);
	assert_non_null(d);
	const char *name;
	int n = 0;
	while ((name = g_dir_read_name(d))) {
		if (!g_str_has_suffix(name, ".tsv") || strstr(name, "homeoffice"))
			continue; /* the Home Office vocabulary is checked with its own rules */
		char *path = g_build_filename("tests/data", name, NULL);
		dhr_gold *g = NULL;
		if (dhr_gold_load(&g, path, &err) < 0 || dhr_gold_check(g, known_from_rules, rules, &err) < 0)
			fail_msg("%s", err.message);
		printf("%s: %zu rows\n", path, g->n_rows);
		dhr_gold_free(g);
		g_free(path);
		n++;
	}
	g_dir_close(d);
	assert_true(n >= 1);
	dhr_rules_free(rules);
}

/* ---- dhr eval on a TSV --------------------------------------------------------------- */

/* Small rules whose every decision can be read off the page. */
static const char *small_rules = "facet theme multi\n"
				 "label training \"Training\"\n"
				 "  match \"training\"\n"
				 "label policy \"Policy\"\n"
				 "  match \"policy\"\n"
				 "label assurance \"Assurance\"\n"
				 "  match \"audit\"\n"
				 "facet agency single on agency_text, text pick earliest default unknown\n"
				 "label police \"Police\"\n"
				 "  match \"police\"\n"
				 "label probation \"Probation\"\n"
				 "  match \"probation\"\n"
				 "label unknown \"Not stated\"\n"
				 "facet ho_theme multi\n"
				 "label ho_training \"Home Office: training\"\n"
				 "  match \"training\"\n";

/*
 * Row by row, what the rules give (P) against the gold (G):
 *  2 Police to deliver training.         P training, police     G training, police          ho P/G ho_training
 *  3 Review the policy and training.     P policy training, unk G policy, unknown           ho P ho_training
 *  4 Probation to audit cases.           P assurance, probation G assurance policy, probation
 *  5 Improve records. (stated: Police)   P -, police            G training, probation
 *  6 Police policy update.               P policy, police       G policy, unknown
 * training  tp 1 (2) fp 1 (3) fn 1 (5): P 0.5 R 0.5 F1 0.5
 * policy    tp 2 (3, 6) fn 1 (4):       P 1 R 2/3 F1 0.8
 * assurance tp 1 (4):                   F1 1
 * macro (0.5 + 0.8 + 1) / 3 = 0.7667; micro tp 4 fp 1 fn 2: P 0.8 R 0.6667 F1 0.7273
 * agency over rows 2, 4, 5 (gold not unknown): 2 of 3; unknown rows 3, 6: 1 given an agency (6)
 * ho_training tp 1 fp 1: F1 0.6667
 * split test (rows 5, 6): training fn 1, policy tp 1; agency 0 of 1; unknown rows 1, given 1.
 */
static const char *small_tsv = "text\tthemes\tagency\tagency_text\tsplit\tho_theme\n"
			       "Police to deliver training.\ttraining\tpolice\t\ttune\tho_training\n"
			       "Review the policy and training.\tpolicy\tunknown\t\ttune\t\n"
			       "Probation to audit cases.\tassurance;policy\tprobation\t\ttune\t\n"
			       "Improve records.\ttraining\tprobation\tPolice\ttest\t\n"
			       "Police policy update.\tpolicy\tunknown\t\ttest\t\n";

static cJSON *eval_json(int want_rc, const char *const *extra, char **err_out)
{
	char *rules = put("small.rules", small_rules), *tsv = put("small.tsv", small_tsv);
	char *argv[20];
	int n = 0;
	argv[n++] = (char *)bin();
	argv[n++] = (char *)"eval";
	argv[n++] = (char *)"--json";
	argv[n++] = (char *)"-r";
	argv[n++] = rules;
	for (; extra && *extra && n < 17; extra++)
		argv[n++] = (char *)*extra;
	argv[n++] = tsv;
	argv[n] = NULL;
	char *so = NULL, *se = NULL;
	int rc = pdfgen_run(argv, &so, &se);
	if (rc != want_rc)
		fail_msg("dhr eval exited %d, wanted %d: %s", rc, want_rc, se ? se : "");
	cJSON *j = cJSON_Parse(so ? so : "");
	if (err_out)
		*err_out = se;
	else
		free(se);
	free(so);
	free(rules);
	free(tsv);
	return j;
}

static double fig(const cJSON *o, const char *path)
{
	/* "a.b.c" through objects; "themes[training].f1" picks an array item by its first string member */
	char buf[256];
	g_strlcpy(buf, path, sizeof buf);
	const cJSON *x = o;
	for (char *tok = strtok(buf, "."); tok && x; tok = strtok(NULL, ".")) {
		char *br = strchr(tok, '[');
		if (!br) {
			x = cJSON_GetObjectItemCaseSensitive(x, tok);
			continue;
		}
		*br = '\0';
		char *id = br + 1;
		id[strcspn(id, "]")] = '\0';
		const cJSON *arr = cJSON_GetObjectItemCaseSensitive(x, tok), *it, *hit = NULL;
		cJSON_ArrayForEach(it, arr)
		{
			const cJSON *k = it->child;
			for (; k && !cJSON_IsString(k); k = k->next)
				;
			if (k && strcmp(k->valuestring, id) == 0)
				hit = it;
		}
		x = hit;
	}
	if (!cJSON_IsNumber(x))
		fail_msg("no number at %s", path);
	return x->valuedouble;
}

#define assert_fig(j, path, want) \
	do { \
		double got_ = fig((j), (path)); \
		if (fabs(got_ - (want)) > 1e-6) \
			fail_msg("%s: %.6f, wanted %.6f", (path), got_, (double)(want)); \
	} while (0)

static void eval_json_should_give_the_confusion_worked_out_by_hand(void **state)
{
	(void)state;
	cJSON *j = eval_json(0, NULL, NULL);
	assert_non_null(j);
	assert_fig(j, "gold.rows", 5);
	assert_fig(j, "gold.rows_evaluated", 5);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "segmentation"),
								   "measured")));
	assert_fig(j, "themes[training].tp", 1);
	assert_fig(j, "themes[training].fp", 1);
	assert_fig(j, "themes[training].fn", 1);
	assert_fig(j, "themes[training].f1", 0.5);
	assert_fig(j, "themes[policy].tp", 2);
	assert_fig(j, "themes[policy].fp", 0);
	assert_fig(j, "themes[policy].fn", 1);
	assert_fig(j, "themes[policy].precision", 1.0);
	assert_fig(j, "themes[policy].recall", 2.0 / 3);
	assert_fig(j, "themes[policy].f1", 0.8);
	assert_fig(j, "themes[assurance].f1", 1.0);
	assert_fig(j, "themes[assurance].support", 1);
	assert_fig(j, "averages.macro_f1", (0.5 + 0.8 + 1.0) / 3);
	assert_fig(j, "averages.micro_precision", 0.8);
	assert_fig(j, "averages.micro_recall", 4.0 / 6);
	assert_fig(j, "averages.micro_f1", 2 * 0.8 * (4.0 / 6) / (0.8 + 4.0 / 6));
	assert_fig(j, "agency.correct", 2);
	assert_fig(j, "agency.total", 3);
	assert_fig(j, "agency.accuracy", 2.0 / 3);
	assert_fig(j, "agency.default_rows", 2);
	assert_fig(j, "agency.default_rows_given_a_label", 1);
	assert_fig(j, "facets[ho_theme].labels[ho_training].tp", 1);
	assert_fig(j, "facets[ho_theme].labels[ho_training].fp", 1);
	assert_fig(j, "facets[ho_theme].averages.macro_f1", 2.0 / 3);
	cJSON_Delete(j);
}

static void eval_split_should_keep_only_that_split(void **state)
{
	(void)state;
	const char *args[] = {"--split", "test", NULL};
	cJSON *j = eval_json(0, args, NULL);
	assert_non_null(j);
	assert_fig(j, "gold.rows", 5);
	assert_fig(j, "gold.rows_evaluated", 2);
	assert_fig(j, "themes[training].fn", 1);
	assert_fig(j, "themes[training].tp", 0);
	assert_fig(j, "themes[policy].tp", 1);
	assert_fig(j, "themes[assurance].support", 0);
	assert_fig(j, "agency.total", 1);
	assert_fig(j, "agency.correct", 0);
	assert_fig(j, "agency.default_rows_given_a_label", 1);
	cJSON_Delete(j);
	char *se = NULL;
	const char *none[] = {"--split", "final", NULL};
	j = eval_json(2, none, &se);
	assert_null(j);
	assert_non_null(strstr(se, "no row of"));
	assert_non_null(strstr(se, "splits: tune, test"));
	free(se);
}

static void eval_thresholds_should_exit_1_naming_the_figure_and_0_when_met(void **state)
{
	(void)state;
	char *se = NULL;
	const char *met[] = {"--min-macro-f1", "0.76", "--min-f1", "training=0.5", "--min-f1", "policy=0.8",
			     "--min-agency", "0.66", NULL};
	cJSON *j = eval_json(0, met, &se);
	assert_non_null(j);
	assert_string_equal(se, "");
	const cJSON *t;
	int n = 0;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(j, "thresholds"))
	{
		assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "met")));
		n++;
	}
	assert_int_equal(n, 4);
	cJSON_Delete(j);
	free(se);

	const char *macro[] = {"--min-macro-f1", "0.77", NULL};
	j = eval_json(1, macro, &se);
	assert_non_null(j); /* the figures are still written */
	assert_non_null(strstr(se, "theme macro-F1 0.767 is below --min-macro-f1 0.770"));
	cJSON_Delete(j);
	free(se);
	const char *f1[] = {"--min-f1", "policy=0.8", "--min-f1", "training=0.51", NULL};
	j = eval_json(1, f1, &se);
	assert_non_null(strstr(se, "training F1 0.500 is below --min-f1 training=0.510"));
	assert_null(strstr(se, "policy F1"));
	cJSON_Delete(j);
	free(se);
	const char *ag[] = {"--min-agency", "0.67", NULL};
	j = eval_json(1, ag, &se);
	assert_non_null(strstr(se, "agency accuracy 0.667 (2 of 3) is below --min-agency 0.670"));
	cJSON_Delete(j);
	free(se);
	/* bad threshold arguments are usage errors */
	const char *bad[] = {"--min-f1", "nosuch=0.5", NULL};
	j = eval_json(2, bad, &se);
	assert_non_null(strstr(se, "--min-f1 nosuch: not a theme of the rules"));
	free(se);
	const char *range[] = {"--min-agency", "85", NULL};
	j = eval_json(2, range, &se);
	assert_non_null(strstr(se, "expected a figure from 0 to 1"));
	free(se);
}

static void eval_should_name_the_line_of_a_typo_in_the_gold(void **state)
{
	(void)state;
	char *tsv = put("typo.tsv", "text\tthemes\tagency\nPolice should train.\ttraining\tpolice\n"
				   "Police should train.\ttrainig\tpolice\n");
	char *argv[] = {(char *)bin(), (char *)"eval", tsv, NULL};
	char *so = NULL, *se = NULL;
	assert_int_equal(pdfgen_run(argv, &so, &se), 2);
	char want[600];
	snprintf(want, sizeof want, "%s:3: unknown theme \"trainig\"", tsv);
	if (!strstr(se, want))
		fail_msg("stderr: %s", se);
	assert_string_equal(so, "");
	free(so);
	free(se);
	free(tsv);
}

static void eval_text_report_should_say_segmentation_is_not_measured(void **state)
{
	(void)state;
	char *argv[] = {(char *)bin(), (char *)"eval", (char *)"tests/data/heldout-recommendations.tsv", NULL};
	char *so = NULL, *se = NULL;
	assert_int_equal(pdfgen_run(argv, &so, &se), 0);
	assert_non_null(strstr(so, "Segmentation: not measured"));
	assert_non_null(strstr(so, "macro average (F1)"));
	assert_non_null(strstr(so, "rows whose gold agency is not unknown"));
	free(so);
	free(se);
}

/*
 * The frozen test part of the real development set (tests/data/real-dev/README.md): the
 * default rules must not fall below the figures they reached when they were last tuned on
 * the tune part. Raise these when the rules improve; never lower them to make a change pass.
 */
static void default_rules_should_hold_their_figures_on_the_frozen_real_test_part(void **state)
{
	(void)state;
	/* reached on the 29 rows of 8 reviews (0.793, 0.857, 0.947, 0.667, 0.857, 0.880), each
	 * given just under its printed figure so that rounding cannot fail it */
	const char *argv[] = {bin(), "eval", "--split", "test", "--min-macro-f1", "0.792", "--min-f1",
			      "training=0.856", "--min-f1", "policy=0.946", "--min-f1", "risk_assessment=0.666",
			      "--min-f1", "information_sharing=0.856", "--min-agency", "0.879",
			      "tests/data/real-dev.tsv", NULL};
	char *out = NULL, *errs = NULL;
	int status = 0;
	GError *ge = NULL;
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &errs, &status, &ge))
		fail_msg("cannot run %s: %s", bin(), ge->message);
	printf("%s", out);
	if (!g_spawn_check_wait_status(status, NULL))
		fail_msg("dhr eval --split test: %s", errs);
	assert_non_null(strstr(out, "(on the 29 rows)"));
	g_free(out);
	g_free(errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tsv_with_a_header_should_read_every_column),
		cmocka_unit_test(old_three_column_form_should_still_be_read),
		cmocka_unit_test(bad_tsv_files_should_be_errors_naming_the_line),
		cmocka_unit_test(unknown_ids_should_be_errors_with_file_and_line),
		cmocka_unit_test(the_labelled_data_sets_should_use_only_the_rules_ids),
		cmocka_unit_test(eval_json_should_give_the_confusion_worked_out_by_hand),
		cmocka_unit_test(eval_split_should_keep_only_that_split),
		cmocka_unit_test(eval_thresholds_should_exit_1_naming_the_figure_and_0_when_met),
		cmocka_unit_test(eval_should_name_the_line_of_a_typo_in_the_gold),
		cmocka_unit_test(eval_text_report_should_say_segmentation_is_not_measured),
		cmocka_unit_test(default_rules_should_hold_their_figures_on_the_frozen_real_test_part),
	};
	return cmocka_run_group_tests(tests, pdfgen_group_setup, pdfgen_group_teardown);
}
