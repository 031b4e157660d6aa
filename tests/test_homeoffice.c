/*
 * tests/test_homeoffice.c: the Home Office DHR Library vocabulary through the
 * real binary on the bundled corpus: `dhr eval -r homeoffice` meets the
 * acceptance thresholds of issue 18 (ho_theme macro-F1 >= 0.90, ho_agency
 * accuracy >= 0.90), `-r combined` scores both vocabularies, `dhr scan` with
 * the standalone, the combined and a user's own rules that include
 * homeoffice.rules writes every output right for its facets (checked from
 * the files by tests/check_facet_outputs.py), and `-r NAME` resolves
 * built-in rules without shadowing a file of that name.
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

#include "dhr/util.h"
#include "support/pdfgen.h"

#define PYTHON "/usr/bin/python3"

static char *dir, *cache;

static const char *bin(void)
{
	return pdfgen_bin();
}

static int setup(void **state)
{
	(void)state;
	dir = pdfgen_tmpdir();
	cache = dir ? pdfgen_path(dir, "cache") : NULL;
	return cache ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	pdfgen_rmtree(dir);
	free(dir);
	free(cache);
	return 0;
}

static double num(const cJSON *o, const char *path)
{
	/* "a.b.c" */
	gchar **keys = g_strsplit(path, ".", -1);
	const cJSON *x = o;
	for (gchar **k = keys; *k && x; k++)
		x = cJSON_GetObjectItemCaseSensitive(x, *k);
	g_strfreev(keys);
	if (!cJSON_IsNumber(x))
		fail_msg("no number at %s", path);
	return x->valuedouble;
}

/* `dhr eval --json` with these rules, parsed. */
static cJSON *eval_json(const char *rules)
{
	char *argv[] = {(char *)bin(), (char *)"eval", (char *)"-r", (char *)rules, (char *)"--json",
			(char *)"--cache", cache, (char *)"corpus/gold.json", NULL};
	char *so = NULL, *se = NULL;
	int rc = pdfgen_run(argv, &so, &se);
	if (rc != 0)
		fail_msg("dhr eval -r %s exited %d: %s", rules, rc, se);
	cJSON *ev = cJSON_Parse(so);
	assert_non_null(ev);
	free(so);
	free(se);
	return ev;
}

static void print_facet(const cJSON *ev, const char *facet)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ev, "facets"), facet), *l;
	printf("%s: macro-F1 %.3f", facet, num(f, "macro_f1"));
	if (cJSON_GetObjectItemCaseSensitive(f, "accuracy"))
		printf(", accuracy %.3f", num(f, "accuracy"));
	printf("\n");
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(f, "labels"))
		printf("  %-30s P %.3f R %.3f F1 %.3f (%g)\n",
		       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(l, "label")), num(l, "precision"),
		       num(l, "recall"), num(l, "f1"), num(l, "support"));
}

static void homeoffice_eval_should_meet_the_thresholds(void **state)
{
	(void)state;
	cJSON *ev = eval_json("homeoffice");
	print_facet(ev, "ho_theme");
	print_facet(ev, "ho_agency");
	/* every gold recommendation found and scored in both facets */
	assert_int_equal((int)num(ev, "segmentation.matched"), 153);
	assert_int_equal((int)num(ev, "facets.ho_theme.pairs"), 153);
	assert_int_equal((int)num(ev, "facets.ho_agency.pairs"), 153);
	double macro = num(ev, "facets.ho_theme.macro_f1"), acc = num(ev, "facets.ho_agency.accuracy");
	if (macro < 0.90)
		fail_msg("ho_theme macro-F1 %.3f < 0.90", macro);
	if (acc < 0.90)
		fail_msg("ho_agency accuracy %.3f < 0.90", acc);
	/* all eight themes are scored (each has gold support) */
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
			     cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ev, "facets"), "ho_theme"),
			     "labels")),
			 8);
	/* these rules have no facet theme or agency: nothing is scored as if they had */
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ev, "themes")), 0);
	assert_null(cJSON_GetObjectItemCaseSensitive(ev, "agency"));
	assert_int_equal((int)num(ev, "case_type.correct"), 18);
	cJSON_Delete(ev);
}

static void combined_eval_should_score_both_vocabularies(void **state)
{
	(void)state;
	cJSON *ev = eval_json("combined");
	double ours = num(ev, "averages.macro_f1"), agency = num(ev, "agency.accuracy");
	double ho = num(ev, "facets.ho_theme.macro_f1"), ho_agency = num(ev, "facets.ho_agency.accuracy");
	printf("combined: theme macro-F1 %.3f, agency %.3f; ho_theme macro-F1 %.3f, ho_agency %.3f\n", ours, agency,
	       ho, ho_agency);
	assert_true(ours >= 0.90);
	assert_true(agency >= 0.90);
	assert_true(ho >= 0.90);
	assert_true(ho_agency >= 0.90);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ev, "themes")), 16);
	cJSON_Delete(ev);
}

/* `dhr scan -r RULES corpus/` into dir/NAME; returns its stdout (free it). */
static char *scan_into(const char *rules, const char *name)
{
	char *out = pdfgen_path(dir, name);
	char *argv[] = {(char *)bin(), (char *)"scan", (char *)"-r", (char *)rules, (char *)"--cache", cache,
			(char *)"-o", out, (char *)"corpus/reports/", NULL}; /* the 18 reports (not corpus/scanned/) */
	char *so = NULL, *se = NULL;
	int rc = pdfgen_run(argv, &so, &se);
	if (rc != 0)
		fail_msg("dhr scan -r %s exited %d: %s", rules, rc, se);
	free(se);
	free(out);
	return so;
}

/* tests/check_facet_outputs.py on dir/NAME: every output recounted from scan.json. */
static void check_outputs(const char *name, const char *facet1, const char *facet2)
{
	char *out = pdfgen_path(dir, name);
	char *argv[] = {(char *)PYTHON, (char *)"tests/check_facet_outputs.py", out, (char *)facet1, (char *)facet2,
			NULL};
	char *so = NULL, *se = NULL;
	int rc = pdfgen_run(argv, &so, &se);
	printf("%s", so);
	if (rc != 0)
		fail_msg("outputs of %s are wrong:\n%s%s", name, so, se);
	free(so);
	free(se);
	free(out);
}

static cJSON *load_scan(const char *name)
{
	char *p = g_build_filename(dir, name, "scan.json", NULL), *buf = NULL;
	size_t len = 0;
	assert_int_equal(dhr_read_file(&buf, &len, p, NULL), 0);
	cJSON *j = cJSON_ParseWithLength(buf, len);
	assert_non_null(j);
	free(buf);
	g_free(p);
	return j;
}

static char *read_out(const char *name, const char *file)
{
	char *p = g_build_filename(dir, name, file, NULL), *buf = NULL;
	size_t len = 0;
	assert_int_equal(dhr_read_file(&buf, &len, p, NULL), 0);
	g_free(p);
	return buf;
}

static void homeoffice_scan_should_write_every_output_for_its_facets(void **state)
{
	(void)state;
	char *so = scan_into("homeoffice", "ho");
	/* the summary: the multi facet in the themes role, named; report tags; the case-type split */
	assert_non_null(strstr(so, "THEMES (facet ho_theme)"));
	assert_non_null(strstr(so, "LEAD AGENCIES (facet ho_agency)"));
	assert_non_null(strstr(so, "REPORT TAGS"));
	assert_non_null(strstr(so, "Identification of risk"));
	assert_non_null(strstr(so, "12 homicide, 1 homicide-suicide, 5 suicide"));
	assert_null(strstr(so, "Risk and needs assessment")); /* none of our own themes */
	check_outputs("ho", "ho_theme", "ho_agency");
	cJSON *scan = load_scan("ho");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(scan, "rules"), "source")),
			    "embedded:rules/homeoffice.rules");
	/* every report has some recommendation that needs working across agencies */
	assert_int_equal((int)num(scan, "totals.tags.ho_theme.multi_agency_working"), 18);
	assert_int_equal((int)num(scan, "totals.recommendations"), 153);
	cJSON_Delete(scan);
	char *page = read_out("ho", "report.html");
	assert_non_null(strstr(page, "id=\"tags\""));
	assert_null(strstr(page, "id=\"crosswalk\"")); /* one multi facet: nothing to cross */
	assert_null(strstr(page, "id=\"facets\""));    /* both facets are drawn in the main figures */
	assert_non_null(strstr(page, "(facet <code>ho_theme</code>)"));
	free(page);
	free(so);
}

static void combined_scan_should_write_both_vocabularies_and_the_crosswalk(void **state)
{
	(void)state;
	char *so = scan_into("combined", "both");
	assert_non_null(strstr(so, "\nTHEMES "));
	assert_non_null(strstr(so, "FACET ho_theme (multi)"));
	assert_non_null(strstr(so, "FACET ho_agency (single)"));
	check_outputs("both", "theme", "ho_theme");
	char *page = read_out("both", "report.html");
	assert_non_null(strstr(page, "id=\"crosswalk\""));
	assert_non_null(strstr(page, "data-rows=\"theme\" data-cols=\"ho_theme\""));
	assert_non_null(strstr(page, "id=\"facets\""));
	free(page);
	/* the default rules' figures are those of the default rules alone */
	char *so_def = scan_into("default", "def");
	cJSON *a = load_scan("both"), *b = load_scan("def");
	const cJSON *ta = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(a, "totals"), "themes");
	const cJSON *tb = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(b, "totals"), "themes");
	assert_true(cJSON_Compare(ta, tb, 1));
	check_outputs("def", "theme", "agency");
	cJSON_Delete(a);
	cJSON_Delete(b);
	free(so_def);
	free(so);
}

/* A user's own rules: a copy of the built-in files, included into a file with a facet of its own. */
static void a_user_rules_file_should_include_homeoffice_rules(void **state)
{
	(void)state;
	char *rules_dir = pdfgen_path(dir, "my");
	assert_int_equal(g_mkdir_with_parents(rules_dir, 0755), 0);
	const char *files[] = {"homeoffice.rules", "case_type.rules"};
	for (size_t i = 0; i < 2; i++) {
		char *argv[] = {(char *)bin(), (char *)"rules", (char *)"print", (char *)files[i], NULL};
		char *so = NULL, *se = NULL;
		assert_int_equal(pdfgen_run(argv, &so, &se), 0);
		char *p = pdfgen_path(rules_dir, files[i]);
		assert_int_equal(pdfgen_write_bytes(p, so, strlen(so)), 0);
		free(p);
		free(so);
		free(se);
	}
	static const char mine[] = "include \"homeoffice.rules\"\n"
				   "facet interpreting multi\n"
				   "label interpreters \"Interpreters\"\n"
				   "  match /\\binterpret(?:er|ers|ing)\\b/\n";
	char *p = pdfgen_path(rules_dir, "mine.rules");
	assert_int_equal(pdfgen_write_bytes(p, mine, strlen(mine)), 0);
	char *so = scan_into(p, "mine");
	check_outputs("mine", "ho_theme", "interpreting");
	cJSON *scan = load_scan("mine");
	/* interpreters are asked for in some recommendations */
	assert_true(num(scan, "totals.facets.interpreting.interpreters") > 0);
	cJSON_Delete(scan);
	free(so);
	free(p);
	free(rules_dir);
}

/* -r NAME: built-in rules by name, an error naming an unknown one, a file of that name wins. */
static void rules_names_should_resolve_built_in_rules_and_files_first(void **state)
{
	(void)state;
	char *so = NULL, *se = NULL;
	char *a1[] = {(char *)bin(), (char *)"rules", (char *)"check", (char *)"homeoffice", (char *)"combined",
		      (char *)"default", NULL};
	assert_int_equal(pdfgen_run(a1, &so, &se), 0);
	assert_non_null(strstr(so, "homeoffice: ok: 3 facets"));
	/* combined = the default set's facets (themes, agencies, case type, the case profile) plus
	 * ho_theme and ho_agency; case_type is one facet, read once */
	const char *d = strstr(so, "default: ok: "), *c = strstr(so, "combined: ok: ");
	assert_non_null(d);
	assert_non_null(c);
	assert_int_equal(atoi(c + strlen("combined: ok: ")), atoi(d + strlen("default: ok: ")) + 2);
	free(so);
	free(se);
	char *a2[] = {(char *)bin(), (char *)"explain", (char *)"-r", (char *)"no-such-rules",
		      (char *)"The police should train officers.", NULL};
	assert_int_equal(pdfgen_run(a2, &so, &se), 2);
	assert_non_null(strstr(se, "no-such-rules"));
	free(so);
	free(se);
	/* a file called "homeoffice" in the working directory is read, not the built-in set */
	char *work = pdfgen_path(dir, "cwd");
	assert_int_equal(g_mkdir_with_parents(work, 0755), 0);
	char *f = pdfgen_path(work, "homeoffice");
	static const char one[] = "facet only multi\nlabel x \"X\"\n  match /police/\n";
	assert_int_equal(pdfgen_write_bytes(f, one, strlen(one)), 0);
	char *abs_bin = g_canonicalize_filename(bin(), NULL);
	char *a3[] = {(char *)"/bin/sh", (char *)"-c", (char *)"cd \"$0\" && \"$1\" rules check homeoffice", work,
		      abs_bin, NULL};
	assert_int_equal(pdfgen_run(a3, &so, &se), 0);
	assert_non_null(strstr(so, "homeoffice: ok: 1 facets"));
	free(so);
	free(se);
	g_free(abs_bin);
	free(f);
	free(work);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(homeoffice_eval_should_meet_the_thresholds),
		cmocka_unit_test(combined_eval_should_score_both_vocabularies),
		cmocka_unit_test(homeoffice_scan_should_write_every_output_for_its_facets),
		cmocka_unit_test(combined_scan_should_write_both_vocabularies_and_the_crosswalk),
		cmocka_unit_test(a_user_rules_file_should_include_homeoffice_rules),
		cmocka_unit_test(rules_names_should_resolve_built_in_rules_and_files_first),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
