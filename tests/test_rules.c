/*
 * tests/test_rules.c: the rules language's parser and compiler: every kind of
 * error and warning with its exact file:line:col and caret line, all errors
 * of a file reported in one run, includes (relative, missing, cyclic), the
 * source hash, the built-in rules, and `dhr rules check` end to end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "dhr/common.h"
#include "dhr/rules.h"

/* ---------------------------------------------------------------- helpers */

typedef struct captured {
	GPtrArray *text; /* formatted diagnostics */
	int errors, warnings;
} captured;

static void capture(const dhr_diag *d, void *payload)
{
	captured *c = payload;
	char *s = dhr_diag_format(d);
	assert_non_null(s);
	g_ptr_array_add(c->text, g_strdup(s));
	free(s);
	if (d->level == DHR_DIAG_ERROR)
		c->errors++;
	else
		c->warnings++;
}

static captured *captured_new(void)
{
	captured *c = calloc(1, sizeof *c);
	c->text = g_ptr_array_new_with_free_func(g_free);
	return c;
}

static void captured_free(captured *c)
{
	g_ptr_array_free(c->text, TRUE);
	free(c);
}

/* Compile `src` as a buffer named "t.rules"; @return the status. */
static int compile_src(dhr_rules **out, const char *src, captured *cap, dhr_error *err)
{
	dhr_rules_opts opts;
	memset(&opts, 0, sizeof opts);
	opts.diag = capture;
	opts.diag_payload = cap;
	opts.includes = DHR_INCLUDE_NONE;
	return dhr_rules_compile_buffer(out, "t.rules", src, strlen(src), &opts, err);
}

/* The one diagnostic of `src`, formatted. Fails unless exactly one is reported. */
static char *only_diag(const char *src, int expect_status)
{
	captured *cap = captured_new();
	dhr_rules *r = NULL;
	dhr_error err;
	int rc = compile_src(&r, src, cap, &err);
	assert_int_equal(rc, expect_status);
	if (cap->text->len != 1) {
		for (guint i = 0; i < cap->text->len; i++)
			fprintf(stderr, "got: %s", (char *)g_ptr_array_index(cap->text, i));
	}
	assert_int_equal(cap->text->len, 1);
	char *s = g_strdup(g_ptr_array_index(cap->text, 0));
	dhr_rules_free(r);
	captured_free(cap);
	return s;
}

static void assert_diag(const char *src, int status, const char *expected)
{
	char *got = only_diag(src, status);
	assert_string_equal(got, expected);
	g_free(got);
}

static char *tmpdir_new(void)
{
	char tmpl[] = "/tmp/dhr-test-rules-XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return g_strdup(d);
}

static char *write_file(const char *dir, const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL);
	assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

static void rm_rf(const char *dir)
{
	char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	g_free(cmd);
}

#define HEAD "facet theme multi\nlabel a \"A\"\n"

/* ---------------------------------------------------------------- errors */

static void rules_should_report_unknown_keyword_with_a_suggestion(void **state)
{
	(void)state;
	assert_diag(HEAD "  mach /x/\n", DHR_ERULES,
		    "t.rules:3:3: error: unknown keyword 'mach' (did you mean 'match'?)\n"
		    "   mach /x/\n"
		    "   ^\n");
}

static void rules_should_report_unterminated_pattern_at_its_slash(void **state)
{
	(void)state;
	assert_diag(HEAD "  match /abc\n", DHR_ERULES,
		    "t.rules:3:9: error: unterminated pattern (missing closing '/')\n"
		    "   match /abc\n"
		    "         ^\n");
}

static void rules_should_report_unterminated_string(void **state)
{
	(void)state;
	assert_diag("facet theme multi\nlabel a \"A\n", DHR_ERULES,
		    "t.rules:2:9: error: unterminated string (missing closing '\"')\n"
		    " label a \"A\n"
		    "         ^\n");
}

static void rules_should_report_bad_flag_at_the_flag(void **state)
{
	(void)state;
	assert_diag(HEAD "  match /x/iq\n", DHR_ERULES,
		    "t.rules:3:13: error: unknown pattern flag 'q' (flags: i caseless, c or -i case-sensitive, x, s, m)\n"
		    "   match /x/iq\n"
		    "             ^\n");
}

static void rules_should_report_pcre2_error_at_pattern_column_plus_offset(void **state)
{
	(void)state;
	/* PCRE2 reports "missing closing parenthesis" at offset 4 (the end) of "ab(c" */
	PCRE2_UCHAR msg[256];
	int errcode;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR) "ab(c", 4, PCRE2_UTF, &errcode, &off, NULL);
	assert_null(c);
	pcre2_get_error_message(errcode, msg, sizeof msg);
	char *expected = g_strdup_printf("t.rules:3:%d: error: %s\n"
					 "   match /ab(c/\n"
					 "   %*s^\n",
					 10 + (int)off, (char *)msg, 7 + (int)off, "");
	assert_diag(HEAD "  match /ab(c/\n", DHR_ERULES, expected);
	g_free(expected);
	/* an error in the middle: "a{2,1}" is out of order at offset 5 */
	char *got = only_diag(HEAD "  match /a{2,1}b/\n", DHR_ERULES);
	assert_non_null(strstr(got, "t.rules:3:15: error: numbers out of order in {} quantifier\n"));
	g_free(got);
}

static void rules_should_map_pcre2_columns_through_accented_patterns(void **state)
{
	(void)state;
	/* "é" is 2 bytes in the file and 1 after folding; the column must count file bytes */
	char *got = only_diag(HEAD "  match /é(x/\n", DHR_ERULES);
	assert_non_null(strstr(got, "t.rules:3:14: error: missing closing parenthesis\n"));
	g_free(got);
}

static void rules_should_report_unknown_label_in_default(void **state)
{
	(void)state;
	assert_diag("facet agency single default nobody\nlabel police \"Police\"\n  match /police/\n", DHR_ERULES,
		    "t.rules:1:29: error: unknown label 'nobody' in 'default' (declare it with 'label nobody \"Name\"')\n"
		    " facet agency single default nobody\n"
		    "                             ^\n");
}

static void rules_should_report_unknown_facet_and_label_references(void **state)
{
	(void)state;
	assert_diag(HEAD "  match label nosuch.x\n", DHR_ERULES,
		    "t.rules:3:15: error: unknown facet 'nosuch'\n"
		    "   match label nosuch.x\n"
		    "               ^\n");
	assert_diag(HEAD "  match /x/\nlabel b \"B\"\n  unless label zz\n", DHR_ERULES,
		    "t.rules:5:16: error: unknown label 'zz' (a label of facet 'theme' defined above this one)\n"
		    "   unless label zz\n"
		    "                ^\n");
	assert_diag(HEAD "  match /x/\n  match label a\n", DHR_ERULES,
		    "t.rules:4:15: error: unknown label 'a' (a label of facet 'theme' defined above this one)\n"
		    "   match label a\n"
		    "               ^\n");
	assert_diag(HEAD "  match /x/ group zz\n", DHR_ERULES,
		    "t.rules:3:13: error: unexpected 'group' after the rule\n"
		    "   match /x/ group zz\n"
		    "             ^\n");
	assert_diag("facet theme multi\nlabel a \"A\" group nogroup\n  match /x/\n", DHR_ERULES,
		    "t.rules:2:19: error: unknown group 'nogroup' (define it with 'group' above)\n"
		    " label a \"A\" group nogroup\n"
		    "                   ^\n");
}

static void rules_should_report_bad_numbers_for_near_before_and_min(void **state)
{
	(void)state;
	assert_diag(HEAD "  match /a/ near x /b/\n", DHR_ERULES,
		    "t.rules:3:18: error: expected a number of words (0-200), found 'x'\n"
		    "   match /a/ near x /b/\n"
		    "                  ^\n");
	assert_diag(HEAD "  match /a/ before 201 /b/\n", DHR_ERULES,
		    "t.rules:3:20: error: expected a number of words (0-200), found '201'\n"
		    "   match /a/ before 201 /b/\n"
		    "                    ^\n");
	assert_diag(HEAD "  match /a/ min 0\n", DHR_ERULES,
		    "t.rules:3:17: error: expected a number of hits (1-1000), found '0'\n"
		    "   match /a/ min 0\n"
		    "                 ^\n");
	assert_diag(HEAD "  match /a/\n  min\n", DHR_ERULES,
		    "t.rules:4:6: error: expected a number of hits (1-1000), found end of line\n"
		    "   min\n"
		    "      ^\n");
}

static void rules_should_report_label_outside_a_facet(void **state)
{
	(void)state;
	assert_diag("label a \"A\"\n", DHR_ERULES,
		    "t.rules:1:1: error: label outside a facet (write 'facet NAME multi|single' first)\n"
		    " label a \"A\"\n"
		    " ^\n");
	assert_diag("facet theme multi\n\tmatch /x/\n", DHR_ERULES,
		    "t.rules:2:2: error: 'match' outside a label (write 'label ID \"Name\"' first)\n"
		    " \tmatch /x/\n"
		    " \t^\n");
}

static void rules_should_report_invalid_utf8(void **state)
{
	(void)state;
	assert_diag(HEAD "  match /\xff/\n", DHR_ERULES,
		    "t.rules:3:10: error: invalid UTF-8 or NUL byte\n"
		    "   match /\xff/\n"
		    "          ^\n");
}

static void rules_should_report_every_error_of_a_file_then_count_them(void **state)
{
	(void)state;
	captured *cap = captured_new();
	dhr_rules *r = NULL;
	dhr_error err;
	const char *src = "facet theme multi\n"
			  "label a \"A\"\n"
			  "  mach /x/\n"            /* 3: unknown keyword */
			  "  match /(/\n"           /* 4: pcre2 error */
			  "  match /ok/\n"          /* fine */
			  "  match /x/ near 3\n"    /* 6: missing second pattern */
			  "  unless /y/z\n"         /* 7: bad flag */
			  "label b \"B\" group g\n"; /* 8: unknown group */
	assert_int_equal(compile_src(&r, src, cap, &err), DHR_ERULES);
	assert_null(r);
	assert_int_equal(cap->errors, 5);
	assert_string_equal(err.message, "5 errors");
	const char *lines[] = {"t.rules:3:3:", "t.rules:4:", "t.rules:6:19:", "t.rules:7:13:", "t.rules:8:19:"};
	for (int i = 0; i < 5; i++)
		assert_non_null(strstr(g_ptr_array_index(cap->text, i), lines[i]));
	captured_free(cap);
}

/* ---------------------------------------------------------------- values, bands and subjects */

#define NUM "facet age number on document\n"
#define SUBJ "subject v\n  name /(x)/\nfacet s single on document\nlabel a \"A\"\n"

static void rules_should_report_bad_and_overlapping_bands(void **state)
{
	(void)state;
	assert_diag(NUM "  bands 0-20 \"a\", 15-30 \"b\"\n  match /(\\d+)/\n", DHR_ERULES,
		    "t.rules:2:19: error: band 15-30 overlaps band \"a\"\n"
		    "   bands 0-20 \"a\", 15-30 \"b\"\n"
		    "                   ^\n");
	assert_diag(NUM "  bands 30-20 \"a\"\n  match /(\\d+)/\n", DHR_ERULES,
		    "t.rules:2:9: error: range 30-20 starts after it ends\n"
		    "   bands 30-20 \"a\"\n"
		    "         ^\n");
	assert_diag(NUM "  bands ten \"a\"\n  match /(\\d+)/\n", DHR_ERULES,
		    "t.rules:2:9: error: expected a range such as 21-30, or 61- for 61 and over, found 'ten'\n"
		    "   bands ten \"a\"\n"
		    "         ^\n");
	assert_diag(NUM "  bands 0-20 a\n  match /(\\d+)/\n", DHR_ERULES,
		    "t.rules:2:14: error: expected the band's name in quotes after 0-20, found 'a'\n"
		    "   bands 0-20 a\n"
		    "              ^\n");
	assert_diag(NUM "  bands 0-20 \"a\" 21- \"b\"\n  match /(\\d+)/\n", DHR_ERULES,
		    "t.rules:2:18: error: expected ',' or end of line after a band, found '21-'\n"
		    "   bands 0-20 \"a\" 21- \"b\"\n"
		    "                  ^\n");
	assert_diag("facet s single on document\n  bands 0-20 \"a\"\n", DHR_ERULES,
		    "t.rules:2:3: error: 'bands' outside a number facet (write 'facet NAME number' first)\n"
		    "   bands 0-20 \"a\"\n"
		    "   ^\n");
}

static void rules_should_report_labels_and_defaults_in_value_facets(void **state)
{
	(void)state;
	assert_diag("facet age number on document default unknown\n  match /(\\d+)/\n", DHR_ERULES,
		    "t.rules:1:30: error: 'default' does not apply to number facets (their value is unknown when "
		    "no rule holds)\n"
		    " facet age number on document default unknown\n"
		    "                              ^\n");
	assert_diag("facet e text on document\n  match /x/\nlabel x \"X\"\n", DHR_ERULES,
		    "t.rules:3:1: error: a text facet has no labels: its rule lines follow the facet line\n"
		    " label x \"X\"\n"
		    " ^\n");
	assert_diag(NUM, 0,
		    "t.rules:1:7: warning: facet 'age' has no match rules: its value is always unknown\n"
		    " facet age number on document\n"
		    "       ^\n");
}

static void rules_should_report_subject_errors_where_they_are(void **state)
{
	(void)state;
	assert_diag("subject v\n  name /no group/\n", DHR_ERULES,
		    "t.rules:2:8: error: a name pattern needs a capture group: the name is what group 1 matches\n"
		    "   name /no group/\n"
		    "        ^\n");
	assert_diag("name /(x)/\n", DHR_ERULES,
		    "t.rules:1:1: error: 'name' outside a subject (write 'subject NAME' first)\n"
		    " name /(x)/\n"
		    " ^\n");
	assert_diag("subject v\nsubject v\n", DHR_ERULES,
		    "t.rules:2:9: error: subject 'v' is already defined at t.rules:1\n"
		    " subject v\n"
		    "         ^\n");
	assert_diag("subject v\n  name /(x)/ /(y)/\n", DHR_ERULES,
		    "t.rules:2:14: error: expected end of line after the name pattern (one pattern a line), found a "
		    "pattern\n"
		    "   name /(x)/ /(y)/\n"
		    "              ^\n");
	assert_diag(SUBJ "  match @nobody before 2 /x/\n", DHR_ERULES,
		    "t.rules:5:9: error: unknown subject 'nobody' (declare it with 'subject nobody' above)\n"
		    "   match @nobody before 2 /x/\n"
		    "         ^\n");
	assert_diag(SUBJ "  match /x/ within nobody\n", DHR_ERULES,
		    "t.rules:5:20: error: unknown subject 'nobody' (declare it with 'subject nobody' above)\n"
		    "   match /x/ within nobody\n"
		    "                    ^\n");
	assert_diag(SUBJ "  match /x/ near 2 /y/ within v\n", DHR_ERULES,
		    "t.rules:5:24: error: only one near/before/within per rule\n"
		    "   match /x/ near 2 /y/ within v\n"
		    "                        ^\n");
	assert_diag(SUBJ "  match @v within v\n", DHR_ERULES,
		    "t.rules:5:12: error: 'within' needs a pattern before it, not a subject\n"
		    "   match @v within v\n"
		    "            ^\n");
	assert_diag(SUBJ "  match @ /x/\n", DHR_ERULES,
		    "t.rules:5:9: error: expected a subject name after '@'\n"
		    "   match @ /x/\n"
		    "         ^\n");
	assert_diag(SUBJ "  except /x/ within v\n", DHR_ERULES,
		    "t.rules:5:14: error: 'except' takes one pattern (no within)\n"
		    "   except /x/ within v\n"
		    "              ^\n");
}

static void rules_should_expose_value_facets_bands_and_subjects(void **state)
{
	(void)state;
	captured *cap = captured_new();
	dhr_rules *r = NULL;
	dhr_error err;
	assert_int_equal(compile_src(&r,
				     "subject victim \"The person who died\"\n  name /pseudonym '([^']+)'/\n"
				     "  match /the victim/\n"
				     "facet age number on document pick earliest\n"
				     "  bands 0-20 \"under 20\", 21- \"21+\"\n"
				     "  match @victim before 1 /was (\\d+)/\n"
				     "  match /aged (\\d+)/ within victim\n"
				     "facet eth text on document\n  match /of (\\w+) heritage/\n",
				     cap, &err),
			 0);
	assert_int_equal(cap->text->len, 0);
	const dhr_facet_info *age = dhr_rules_facet(r, (size_t)dhr_rules_facet_find(r, "age"));
	assert_int_equal(age->value, DHR_VALUE_NUMBER);
	assert_int_equal(age->scope, DHR_SCOPE_DOCUMENT);
	assert_true(age->single && age->pick_earliest);
	assert_int_equal(age->n_labels, 1);
	assert_string_equal(dhr_rules_label(r, age->labels[0])->id, "age");
	assert_int_equal(age->n_bands, 2);
	assert_int_equal(age->bands[0].lo, 0);
	assert_int_equal(age->bands[0].hi, 20);
	assert_string_equal(age->bands[1].name, "21+");
	assert_true(age->bands[1].hi > 1000000);
	assert_null(dhr_facet_band(age, -1));
	const dhr_facet_info *eth = dhr_rules_facet(r, (size_t)dhr_rules_facet_find(r, "eth"));
	assert_int_equal(eth->value, DHR_VALUE_TEXT);
	assert_int_equal(eth->n_bands, 0);
	dhr_rules_free(r);
	captured_free(cap);
}

/* ---------------------------------------------------------------- warnings */

static void rules_should_warn_about_a_label_defined_twice_and_merge_it(void **state)
{
	(void)state;
	captured *cap = captured_new();
	dhr_rules *r = NULL;
	dhr_error err;
	assert_int_equal(compile_src(&r, HEAD "  match /x/\nlabel a \"Again\"\n  match /y/\n", cap, &err), 0);
	assert_int_equal(cap->warnings, 1);
	assert_string_equal(g_ptr_array_index(cap->text, 0),
			    "t.rules:4:7: warning: label 'a' is already defined at t.rules:2; these rules are added to it\n"
			    " label a \"Again\"\n"
			    "       ^\n");
	assert_int_equal(dhr_rules_label_count(r), 1);
	dhr_rules_free(r);
	captured_free(cap);
}

static void rules_should_warn_about_a_pattern_matching_the_empty_string(void **state)
{
	(void)state;
	assert_diag(HEAD "  match /x*/\n", 0,
		    "t.rules:3:9: warning: pattern matches the empty string\n"
		    "   match /x*/\n"
		    "         ^\n");
}

static void rules_should_warn_about_a_label_without_match_rules(void **state)
{
	(void)state;
	assert_diag("facet theme multi\nlabel lonely \"No rules\"\n", 0,
		    "t.rules:2:7: warning: label 'lonely' has no match rules: it never fires\n"
		    " label lonely \"No rules\"\n"
		    "       ^\n");
	/* the default label of a single facet needs no rules */
	captured *cap = captured_new();
	dhr_rules *r = NULL;
	dhr_error err;
	assert_int_equal(compile_src(&r, "facet a single default unknown\nlabel unknown \"?\"\n", cap, &err), 0);
	assert_int_equal(cap->text->len, 0);
	dhr_rules_free(r);
	captured_free(cap);
}

/* ---------------------------------------------------------------- includes */

static void rules_should_resolve_includes_relative_to_the_including_file(void **state)
{
	(void)state;
	char *dir = tmpdir_new();
	char *sub = g_build_filename(dir, "sub", NULL);
	assert_int_equal(g_mkdir(sub, 0755), 0);
	const char *main_text = "include \"sub/a.rules\"\nfacet theme\nlabel b \"B\"\n  match /b/\n";
	const char *a_text = "facet theme multi\ninclude \"b.rules\"\n";
	const char *b_text = "facet theme\nlabel a \"A\"\n  match /a/\n"; /* each file opens its facet */
	char *main_path = write_file(dir, "main.rules", main_text);
	char *a = write_file(sub, "a.rules", a_text);
	char *b = write_file(sub, "b.rules", b_text);
	captured *cap = captured_new();
	dhr_rules_opts opts;
	memset(&opts, 0, sizeof opts);
	opts.diag = capture;
	opts.diag_payload = cap;
	dhr_rules *r = NULL;
	dhr_error err;
	assert_int_equal(dhr_rules_compile_file(&r, main_path, &opts, &err), 0);
	assert_int_equal(cap->errors, 0);
	assert_int_equal(dhr_rules_label_count(r), 2);
	assert_string_equal(dhr_rules_source(r), main_path);
	/* the hash covers every file in include order */
	char *all = g_strconcat(main_text, a_text, b_text, NULL);
	char *want = g_compute_checksum_for_string(G_CHECKSUM_SHA256, all, -1);
	assert_string_equal(dhr_rules_sha256(r), want);
	/* evidence names the included file */
	const dhr_label_info *la = dhr_rules_label(r, 0);
	assert_string_equal(la->id, "a");
	assert_true(g_str_has_suffix(la->where, "sub/b.rules:2"));
	g_free(want);
	g_free(all);
	dhr_rules_free(r);
	captured_free(cap);
	rm_rf(dir);
	g_free(main_path);
	g_free(a);
	g_free(b);
	g_free(sub);
	g_free(dir);
}

static void rules_should_report_an_include_of_a_missing_file(void **state)
{
	(void)state;
	char *dir = tmpdir_new();
	char *main_path = write_file(dir, "main.rules", "facet theme multi\n  include \"nope.rules\"\n");
	captured *cap = captured_new();
	dhr_rules_opts opts;
	memset(&opts, 0, sizeof opts);
	opts.diag = capture;
	opts.diag_payload = cap;
	dhr_rules *r = NULL;
	dhr_error err;
	assert_int_equal(dhr_rules_compile_file(&r, main_path, &opts, &err), DHR_ERULES);
	assert_int_equal(cap->errors, 1);
	char *want = g_strdup_printf("%s:2:11: error: cannot include '%s/nope.rules': No such file or directory\n"
				     "   include \"nope.rules\"\n"
				     "           ^\n",
				     main_path, dir);
	assert_string_equal(g_ptr_array_index(cap->text, 0), want);
	g_free(want);
	captured_free(cap);
	rm_rf(dir);
	g_free(main_path);
	g_free(dir);
}

static void rules_should_report_an_include_cycle(void **state)
{
	(void)state;
	char *dir = tmpdir_new();
	char *a = write_file(dir, "a.rules", "include \"b.rules\"\n");
	char *b = write_file(dir, "b.rules", "facet theme multi\ninclude \"a.rules\"\n");
	captured *cap = captured_new();
	dhr_rules_opts opts;
	memset(&opts, 0, sizeof opts);
	opts.diag = capture;
	opts.diag_payload = cap;
	dhr_rules *r = NULL;
	dhr_error err;
	assert_int_equal(dhr_rules_compile_file(&r, a, &opts, &err), DHR_ERULES);
	assert_int_equal(cap->errors, 1);
	char *want = g_strdup_printf("%s:2:9: error: include cycle: %s -> %s -> %s\n", b, a, b, a);
	assert_true(g_str_has_prefix(g_ptr_array_index(cap->text, 0), want));
	g_free(want);
	captured_free(cap);
	rm_rf(dir);
	g_free(a);
	g_free(b);
	g_free(dir);
}

static void rules_should_refuse_includes_when_disabled(void **state)
{
	(void)state;
	char *got = only_diag("include \"x.rules\"\n", DHR_ERULES);
	assert_true(g_str_has_prefix(got, "t.rules:1:9: error: includes are not allowed here\n"));
	g_free(got);
}

/* ---------------------------------------------------------------- the model */

static void rules_should_expose_facets_groups_and_labels(void **state)
{
	(void)state;
	captured *cap = captured_new();
	dhr_rules *r = NULL;
	dhr_error err;
	const char *src = "facet theme multi\n"
			  "group pathways \"Pathways\"\n"
			  "label risk \"Risk\" group pathways\n  match /risk/\n"
			  "label other \"Other\"\n  match /x/\n"
			  "facet agency single on agency_text, text pick earliest default unknown\n"
			  "label police \"Police\"\n  match /police/\n"
			  "label unknown \"Not stated\"\n"
			  "facet case_type single on document default homicide\n"
			  "label homicide \"Homicide\"\n  match /killed/\n";
	assert_int_equal(compile_src(&r, src, cap, &err), 0);
	assert_int_equal(cap->text->len, 0);
	assert_int_equal(dhr_rules_facet_count(r), 3);
	const dhr_facet_info *theme = dhr_rules_facet(r, 0), *agency = dhr_rules_facet(r, 1),
			     *ct = dhr_rules_facet(r, 2);
	assert_string_equal(theme->name, "theme");
	assert_false(theme->single);
	assert_int_equal(theme->scope, DHR_SCOPE_RECOMMENDATION);
	assert_int_equal(theme->n_labels, 2);
	assert_true(agency->single);
	assert_true(agency->pick_earliest);
	assert_int_equal(agency->n_fields, 2);
	assert_int_equal(agency->fields[0], DHR_FIELD_AGENCY_TEXT);
	assert_int_equal(agency->fields[1], DHR_FIELD_TEXT);
	assert_string_equal(dhr_rules_label(r, (size_t)agency->default_label)->id, "unknown");
	assert_int_equal(ct->scope, DHR_SCOPE_DOCUMENT);
	assert_int_equal(dhr_rules_group_count(r), 1);
	assert_string_equal(dhr_rules_group(r, 0)->name, "Pathways");
	int risk = dhr_rules_label_find(r, 0, "risk");
	assert_true(risk >= 0);
	assert_string_equal(dhr_rules_label(r, (size_t)risk)->name, "Risk");
	assert_int_equal(dhr_rules_label(r, (size_t)risk)->group, dhr_rules_group_find(r, 0, "pathways"));
	assert_int_equal(dhr_rules_label(r, (size_t)dhr_rules_label_find(r, 0, "other"))->group, -1);
	assert_int_equal(dhr_rules_label_find(r, 1, "risk"), -1);
	assert_int_equal(dhr_rules_facet_find(r, "agency"), 1);
	assert_string_equal(dhr_rules_source(r), "t.rules");
	char *want = g_compute_checksum_for_string(G_CHECKSUM_SHA256, src, -1);
	assert_string_equal(dhr_rules_sha256(r), want);
	g_free(want);
	dhr_rules_free(r);
	captured_free(cap);
}

static void rules_should_build_in_defaults_covering_every_codebook_id(void **state)
{
	(void)state;
	captured *cap = captured_new();
	dhr_rules_opts opts;
	memset(&opts, 0, sizeof opts);
	opts.diag = capture;
	opts.diag_payload = cap;
	dhr_rules *r = NULL;
	dhr_error err;
	assert_int_equal(dhr_rules_compile_default(&r, &opts, &err), 0);
	for (guint i = 0; i < cap->text->len; i++)
		fprintf(stderr, "%s", (char *)g_ptr_array_index(cap->text, i));
	assert_int_equal(cap->text->len, 0); /* no errors, no warnings */
	assert_string_equal(dhr_rules_source(r), "embedded:rules/default.rules");
	assert_int_equal(strlen(dhr_rules_sha256(r)), 64);
	int theme = dhr_rules_facet_find(r, "theme"), agency = dhr_rules_facet_find(r, "agency"),
	    ct = dhr_rules_facet_find(r, "case_type");
	assert_true(theme >= 0 && agency >= 0 && ct >= 0);
	const char *themes[] = {"risk_assessment", "information_sharing", "referral_pathways", "record_keeping",
				"training", "policy", "professional_curiosity", "multi_agency_working",
				"public_awareness", "language_culture", "mental_health", "substance_misuse",
				"specialist_services", "vulnerable_adults", "perpetrator_management", "assurance"};
	for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++) {
		int l = dhr_rules_label_find(r, (size_t)theme, themes[i]);
		if (l < 0)
			fail_msg("theme %s missing", themes[i]);
		int in_pathways = i < 4;
		assert_int_equal(dhr_rules_label(r, (size_t)l)->group >= 0, in_pathways);
	}
	assert_int_equal(dhr_rules_facet(r, (size_t)theme)->n_labels, 16);
	int g = dhr_rules_group_find(r, (size_t)theme, "pathways");
	assert_true(g >= 0);
	assert_string_equal(dhr_rules_group(r, (size_t)g)->name,
			    "DA referral pathways, processes, risk assessment and information sharing");
	const char *agencies[] = {"police",     "probation",   "primary_care",       "acute_health",
				  "mental_health_services", "ambulance", "health_commissioners",
				  "adult_social_care", "childrens_services", "housing", "specialist_da",
				  "substance_services", "partnership", "national", "other", "unknown"};
	for (size_t i = 0; i < sizeof agencies / sizeof agencies[0]; i++)
		if (dhr_rules_label_find(r, (size_t)agency, agencies[i]) < 0)
			fail_msg("agency %s missing", agencies[i]);
	assert_int_equal(dhr_rules_facet(r, (size_t)agency)->n_labels, 16);
	assert_string_equal(dhr_rules_label(r, (size_t)dhr_rules_facet(r, (size_t)agency)->default_label)->id,
			    "unknown");
	const char *cases[] = {"homicide", "suicide", "homicide_suicide"};
	for (size_t i = 0; i < 3; i++)
		assert_true(dhr_rules_label_find(r, (size_t)ct, cases[i]) >= 0);
	assert_int_equal(dhr_rules_facet(r, (size_t)ct)->scope, DHR_SCOPE_DOCUMENT);
	dhr_rules_free(r);
	captured_free(cap);
}

static void rules_should_format_diagnostics_without_a_line(void **state)
{
	(void)state;
	dhr_diag d = {DHR_DIAG_ERROR, "x.rules", 0, 0, "cannot read", NULL};
	char *s = dhr_diag_format(&d);
	assert_string_equal(s, "x.rules: error: cannot read\n");
	free(s);
}

/* ---------------------------------------------------------------- dhr rules check */

/* Run a shell command; capture stdout+stderr into *out. @return the exit status. */
static int run(const char *cmd, char **out)
{
	char *full = g_strdup_printf("%s 2>&1", cmd);
	FILE *p = popen(full, "r");
	assert_non_null(p);
	GString *g = g_string_new(NULL);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		g_string_append_len(g, buf, (gssize)n);
	int st = pclose(p);
	g_free(full);
	*out = g_string_free(g, FALSE);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void rules_check_should_exit_0_on_clean_files_and_2_on_errors(void **state)
{
	(void)state;
	const char *bin = getenv("DHR_BIN");
	if (!bin)
		skip();
	char *dir = tmpdir_new();
	char *good = write_file(dir, "good.rules", "facet theme multi\nlabel a \"A\"\n  match /a/\n");
	char *warn = write_file(dir, "warn.rules", "facet theme multi\nlabel a \"A\"\n");
	char *bad = write_file(dir, "bad.rules", "facet theme multi\nlabel a \"A\"\n  match /(/\n  mach /x/\n");
	char *out = NULL;
	char *cmd = g_strdup_printf("'%s' rules check '%s'", bin, good);
	assert_int_equal(run(cmd, &out), 0);
	assert_non_null(strstr(out, "ok: 1 facets, 1 labels"));
	g_free(cmd);
	g_free(out);
	cmd = g_strdup_printf("'%s' rules check '%s'", bin, warn);
	assert_int_equal(run(cmd, &out), 0);
	assert_non_null(strstr(out, ":2:7: warning: label 'a' has no match rules"));
	assert_non_null(strstr(out, "1 warning\n"));
	g_free(cmd);
	g_free(out);
	cmd = g_strdup_printf("'%s' rules check '%s' '%s'", bin, good, bad);
	assert_int_equal(run(cmd, &out), 2);
	char *e1 = g_strdup_printf("%s:3:11: error: missing closing parenthesis\n   match /(/\n           ^\n", bad);
	char *e2 = g_strdup_printf("%s:4:3: error: unknown keyword 'mach' (did you mean 'match'?)\n", bad);
	assert_non_null(strstr(out, e1));
	assert_non_null(strstr(out, e2));
	assert_non_null(strstr(out, "\n2 errors\n"));
	g_free(e1);
	g_free(e2);
	g_free(cmd);
	g_free(out);
	/* the built-in rules are clean */
	cmd = g_strdup_printf("'%s' rules check", bin);
	assert_int_equal(run(cmd, &out), 0);
	assert_non_null(strstr(out, "embedded:rules/default.rules: ok"));
	g_free(cmd);
	g_free(out);
	/* a missing file is an error too */
	cmd = g_strdup_printf("'%s' rules check '%s/none.rules'", bin, dir);
	assert_int_equal(run(cmd, &out), 2);
	g_free(cmd);
	g_free(out);
	cmd = g_strdup_printf("'%s' rules --help", bin);
	assert_int_equal(run(cmd, &out), 0);
	assert_non_null(strstr(out, "usage: dhr rules check"));
	assert_non_null(strstr(out, "example:"));
	g_free(cmd);
	g_free(out);
	rm_rf(dir);
	g_free(good);
	g_free(warn);
	g_free(bad);
	g_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_should_report_unknown_keyword_with_a_suggestion),
		cmocka_unit_test(rules_should_report_unterminated_pattern_at_its_slash),
		cmocka_unit_test(rules_should_report_unterminated_string),
		cmocka_unit_test(rules_should_report_bad_flag_at_the_flag),
		cmocka_unit_test(rules_should_report_pcre2_error_at_pattern_column_plus_offset),
		cmocka_unit_test(rules_should_map_pcre2_columns_through_accented_patterns),
		cmocka_unit_test(rules_should_report_unknown_label_in_default),
		cmocka_unit_test(rules_should_report_unknown_facet_and_label_references),
		cmocka_unit_test(rules_should_report_bad_numbers_for_near_before_and_min),
		cmocka_unit_test(rules_should_report_label_outside_a_facet),
		cmocka_unit_test(rules_should_report_invalid_utf8),
		cmocka_unit_test(rules_should_report_bad_and_overlapping_bands),
		cmocka_unit_test(rules_should_report_labels_and_defaults_in_value_facets),
		cmocka_unit_test(rules_should_report_subject_errors_where_they_are),
		cmocka_unit_test(rules_should_expose_value_facets_bands_and_subjects),
		cmocka_unit_test(rules_should_report_every_error_of_a_file_then_count_them),
		cmocka_unit_test(rules_should_warn_about_a_label_defined_twice_and_merge_it),
		cmocka_unit_test(rules_should_warn_about_a_pattern_matching_the_empty_string),
		cmocka_unit_test(rules_should_warn_about_a_label_without_match_rules),
		cmocka_unit_test(rules_should_resolve_includes_relative_to_the_including_file),
		cmocka_unit_test(rules_should_report_an_include_of_a_missing_file),
		cmocka_unit_test(rules_should_report_an_include_cycle),
		cmocka_unit_test(rules_should_refuse_includes_when_disabled),
		cmocka_unit_test(rules_should_expose_facets_groups_and_labels),
		cmocka_unit_test(rules_should_build_in_defaults_covering_every_codebook_id),
		cmocka_unit_test(rules_should_format_diagnostics_without_a_line),
		cmocka_unit_test(rules_check_should_exit_0_on_clean_files_and_2_on_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
