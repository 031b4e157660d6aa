/*
 * tests/test_badinput.c: the bad-input suite. tests/badinput/make-bad-inputs.py
 * writes hostile, broken and odd PDFs with their documented outcome in
 * EXPECTED; this test scans them all in one batch and checks every outcome,
 * that the batch finishes, and that hostile text comes out escaped in the
 * HTML report and neutralised in the CSV.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhr/util.h"
#include "support/pdfgen.h"

static char *dir, *in, *out;

static int setup(void **state)
{
	(void)state;
	dir = pdfgen_tmpdir();
	in = pdfgen_path(dir, "in");
	out = pdfgen_path(dir, "out");
	char *argv[] = {(char *)"python3", (char *)"tests/badinput/make-bad-inputs.py", in, NULL};
	return pdfgen_run(argv, NULL, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	pdfgen_rmtree(dir);
	free(dir);
	free(in);
	free(out);
	return 0;
}

static char *slurp(const char *d, const char *name)
{
	char *p = pdfgen_path(d, name), *buf = NULL;
	size_t len = 0;
	if (dhr_read_file(&buf, &len, p, NULL) < 0)
		fail_msg("cannot read %s", p);
	free(p);
	return buf;
}

static const cJSON *doc_named(const cJSON *scan, const char *name)
{
	const cJSON *d;
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(scan, "documents"))
	{
		const char *p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "path"));
		const char *b = p ? strrchr(p, '/') : NULL;
		if (b && strcmp(b + 1, name) == 0)
			return d;
	}
	return NULL;
}

/* "ok" or the error code of a document */
static const char *outcome(const cJSON *d)
{
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "status"));
	if (status && strcmp(status, "ok") == 0)
		return "ok";
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(d, "error"), "code"));
}

static int outcome_allowed(const char *got, const char *expect)
{
	/* EXPECTED may list alternatives ("ok|corrupt") where Poppler's repair decides */
	char buf[64];
	snprintf(buf, sizeof buf, "|%s|", expect);
	char want[64];
	snprintf(want, sizeof want, "|%s|", got ? got : "(none)");
	return strstr(buf, want) != NULL;
}

static void every_bad_input_should_have_its_documented_outcome(void **state)
{
	(void)state;
	const char *bin = getenv("DHR_BIN");
	char *argv[] = {(char *)(bin ? bin : (char *)"./dhr"), (char *)"scan", (char *)"-q", (char *)"--timeout", (char *)"120", (char *)"-o", out, in, NULL};
	char *so = NULL, *se = NULL;
	int rc = pdfgen_run(argv, &so, &se);
	assert_int_equal(rc, 1); /* outputs written, some documents failed */
	char *buf = slurp(out, "scan.json");
	cJSON *scan = cJSON_Parse(buf);
	free(buf);
	assert_non_null(scan);
	char *expected = slurp(in, "EXPECTED");
	int n = 0;
	for (char *line = strtok(expected, "\n"); line; line = strtok(NULL, "\n")) {
		char *tab = strchr(line, '\t');
		assert_non_null(tab);
		*tab = '\0';
		const cJSON *d = doc_named(scan, line);
		if (!d)
			fail_msg("%s is missing from scan.json", line);
		const char *got = outcome(d);
		if (!outcome_allowed(got, tab + 1))
			fail_msg("%s: expected %s, got %s", line, tab + 1, got ? got : "(none)");
		n++;
	}
	assert_true(n >= 15);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(scan, "documents")), n);

	/* hostile text: escaped in the report, neutralised in the CSV, intact in the JSON */
	const cJSON *h = doc_named(scan, "hostile-text.pdf");
	char *hs = cJSON_PrintUnformatted(h);
	assert_non_null(strstr(hs, "<script>alert(1)</script>"));
	cJSON_free(hs);
	char *html = slurp(out, "report.html");
	assert_null(strstr(html, "<script>alert(1)"));
	assert_null(strstr(html, "<img src=x"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	free(html);
	char *csv = slurp(out, "recommendations.csv");
	assert_null(strstr(csv, ",=cmd"));
	assert_null(strstr(csv, ",\"=cmd"));
	free(csv);
	free(expected);
	cJSON_Delete(scan);
	free(so);
	free(se);
}

static void the_user_password_should_open_the_encrypted_report(void **state)
{
	(void)state;
	const char *bin = getenv("DHR_BIN");
	char *pdf = pdfgen_path(in, "user-password.pdf");
	char *argv[] = {(char *)(bin ? bin : (char *)"./dhr"), (char *)"extract", (char *)"--password", (char *)"user-secret", pdf, NULL};
	char *so = NULL, *se = NULL;
	assert_int_equal(pdfgen_run(argv, &so, &se), 0);
	assert_non_null(strstr(so, "Recommendations"));
	free(so);
	free(se);
	char *argv2[] = {(char *)(bin ? bin : (char *)"./dhr"), (char *)"extract", pdf, NULL};
	assert_int_equal(pdfgen_run(argv2, &so, &se), 1);
	assert_non_null(strstr(se, "user-password.pdf"));
	free(so);
	free(se);
	free(pdf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_bad_input_should_have_its_documented_outcome),
		cmocka_unit_test(the_user_password_should_open_the_encrypted_report),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
