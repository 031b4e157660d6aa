/*
 * tests/test_gazetteer.c: list files in the rules language (`match list
 * "FILE"`) and the agency gazetteer under rules/gazetteer/: an entry matches
 * as a phrase, an acronym only in its case; lists as near/before operands and
 * with prefer; lists read from disk and from the embedded files; the errors
 * (missing, unreadable, empty entry, bad byte, no entries) with file:line:col;
 * `explain` names the entry; and every name of every gazetteer file, read
 * from the file, classifies to the agency id its header names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhr/common.h"
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

typedef struct diags {
	GString *text;
	int errors;
} diags;

static void collect(const dhr_diag *d, void *payload)
{
	diags *c = payload;
	char *s = dhr_diag_format(d);
	g_string_append(c->text, s);
	free(s);
	c->errors += d->level == DHR_DIAG_ERROR;
}

/* Compile DIR/name (written from `src`) and keep the diagnostics. */
static int compile_rules(dhr_rules **out, const char *name, const char *src, diags *d)
{
	char *p = put(name, src);
	dhr_rules_opts o;
	memset(&o, 0, sizeof o);
	o.diag = collect;
	o.diag_payload = d;
	dhr_error err;
	dhr_error_clear(&err);
	int rc = dhr_rules_compile_file(out, p, &o, &err);
	free(p);
	return rc;
}

/* The agency a text gets (facet "agency"), as a new string. */
static char *agency_of(const dhr_rules *r, const char *text, const char *agency_text)
{
	dhr_classifier *c = NULL;
	dhr_result *res = dhr_result_new();
	assert_int_equal(dhr_classifier_new(&c, r, NULL, NULL), 0);
	assert_int_equal(dhr_classify_rec(res, c, text, agency_text), 0);
	int f = dhr_rules_facet_find(r, "agency");
	assert_true(f >= 0);
	const char *id = dhr_result_single(res, (size_t)f);
	char *out = g_strdup(id ? id : "(none)");
	dhr_result_free(res);
	dhr_classifier_free(c);
	return out;
}

static void assert_agency(const dhr_rules *r, const char *text, const char *want)
{
	char *got = agency_of(r, text, NULL);
	if (strcmp(got, want) != 0)
		fail_msg("\"%s\": agency %s, wanted %s", text, got, want);
	g_free(got);
}

static const char *list_rules = "facet agency single on agency_text, text pick earliest default unknown\n"
				"label police \"Police\"\n"
				"  match list \"forces.txt\" before 3 /\\b(?:should|must)\\b/ prefer\n"
				"  match list \"forces.txt\"\n"
				"label mental_health_services \"Mental health\"\n"
				"  match list \"trusts.txt\" before 3 /\\b(?:should|must)\\b/ prefer\n"
				"  match list \"trusts.txt\"\n"
				"label unknown \"Not stated\"\n";

static void write_lists(void)
{
	free(put("forces.txt", "# police forces\n\nKent Police\nGMP   # Greater Manchester Police\n"
			       "Devon and Cornwall Police\nthe Met\nDyfed-Powys Police\n"));
	free(put("trusts.txt", "KMPT\nSLaM\nOxleas\nOxleas NHS Foundation Trust\n"
			       "Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust\n"
			       "Tees, Esk and Wear Valleys NHS Foundation Trust\nNHS Highland\n"));
}

/* ---- matching ---------------------------------------------------------------------- */

static void a_list_entry_should_match_as_a_phrase(void **state)
{
	(void)state;
	write_lists();
	dhr_rules *r = NULL;
	diags d = {g_string_new(NULL), 0};
	assert_int_equal(compile_rules(&r, "lists.rules", list_rules, &d), 0);
	assert_string_equal(d.text->str, "");
	assert_agency(r, "We ask KENT   police to act.", "police");
	assert_agency(r, "We ask kent-police to act.", "police");
	assert_agency(r, "Devon & Cornwall Police to review this.", "police");         /* "and" = "&" */
	assert_agency(r, "Dyfed Powys police to review this.", "police");              /* "Dyfed-Powys" */
	assert_agency(r, "Cumbria Northumberland Tyne and Wear NHS Foundation Trust", "mental_health_services");
	assert_agency(r, "Kentish Police; Kent Policemen", "unknown");                /* whole words only */
	assert_agency(r, "Oxleasowes", "unknown");
	/* "NHS" between two words of a name may be left out; a name's first word may not */
	assert_agency(r, "Tees Esk and Wear Valleys Foundation Trust should review", "mental_health_services");
	assert_agency(r, "Tees, Esk & Wear Valleys NHS Foundation Trust should review", "mental_health_services");
	assert_agency(r, "NHS Highland should review", "mental_health_services");
	assert_agency(r, "Highland should review", "unknown");
	dhr_rules_free(r);
	g_string_free(d.text, TRUE);
}

static void an_acronym_entry_should_match_only_in_its_case(void **state)
{
	(void)state;
	write_lists();
	dhr_rules *r = NULL;
	diags d = {g_string_new(NULL), 0};
	assert_int_equal(compile_rules(&r, "lists.rules", list_rules, &d), 0);
	assert_agency(r, "KMPT to review discharge.", "mental_health_services");
	assert_agency(r, "Kmpt to review discharge.", "unknown");
	assert_agency(r, "kmpt to review discharge.", "unknown");
	assert_agency(r, "KMPTS to review discharge.", "unknown");
	assert_agency(r, "SLaM should review discharge.", "mental_health_services");
	assert_agency(r, "Do not slam the door.", "unknown");
	assert_agency(r, "GMP should review.", "police");
	assert_agency(r, "gmp should review.", "unknown");
	dhr_rules_free(r);
	g_string_free(d.text, TRUE);
}

static void a_list_should_work_with_before_and_prefer(void **state)
{
	(void)state;
	write_lists();
	dhr_rules *r = NULL;
	diags d = {g_string_new(NULL), 0};
	assert_int_equal(compile_rules(&r, "lists.rules", list_rules, &d), 0);
	/* the subject (a list hit before "should") beats a list mention earlier in the text */
	assert_agency(r, "After contact with Kent Police in May 2019, KMPT should review its discharge policy.",
		      "mental_health_services");
	assert_agency(r, "After contact with KMPT in May 2019, Kent Police should review its response.", "police");
	/* no subject: the earliest mention */
	assert_agency(r, "Contact between KMPT and Kent Police needs review.", "mental_health_services");
	/* the longest entry at a start wins, and is the evidence */
	dhr_classifier *c = NULL;
	dhr_result *res = dhr_result_new();
	assert_int_equal(dhr_classifier_new(&c, r, NULL, NULL), 0);
	const char *t = "The Oxleas NHS Foundation Trust should act.";
	assert_int_equal(dhr_classify_rec(res, c, t, NULL), 0);
	int found = 0;
	for (size_t i = 0; i < dhr_result_evidence_count(res); i++) {
		const dhr_evidence *e = dhr_result_evidence(res, i);
		if (strcmp(e->label_id, "mental_health_services") == 0 && e->n_parts == 2) {
			assert_int_equal(e->part_start[0], strlen("The "));
			assert_int_equal(e->part_end[0], strlen("The Oxleas NHS Foundation Trust"));
			found = 1;
		}
	}
	assert_true(found);
	dhr_result_free(res);
	dhr_classifier_free(c);
	dhr_rules_free(r);
	g_string_free(d.text, TRUE);
}

static void explain_should_name_the_list_entry(void **state)
{
	(void)state;
	write_lists();
	dhr_rules *r = NULL;
	diags d = {g_string_new(NULL), 0};
	assert_int_equal(compile_rules(&r, "lists.rules", list_rules, &d), 0);
	dhr_classifier *c = NULL;
	dhr_result *res = dhr_result_new();
	assert_int_equal(dhr_classifier_new(&c, r, NULL, NULL), 0);
	dhr_classifier_set_explain(c, 1);
	assert_int_equal(dhr_classify_rec(res, c, "Greater Manchester's GMP should review.", NULL), 0);
	char *forces = pdfgen_path(pdfgen_dir, "forces.txt");
	char *want = g_strdup_printf("%s:4", forces); /* "GMP" is line 4 of forces.txt */
	int n = 0;
	for (size_t i = 0; i < dhr_result_evidence_count(res); i++) {
		const dhr_evidence *e = dhr_result_evidence(res, i);
		if (strcmp(e->label_id, "police") != 0)
			continue;
		assert_non_null(e->entry);
		assert_string_equal(e->entry, want);
		assert_string_equal(e->entry_text, "GMP");
		n++;
	}
	assert_int_equal(n, 2); /* the prefer rule and the plain one */
	/* without explain mode no entry is looked up */
	dhr_classifier_set_explain(c, 0);
	assert_int_equal(dhr_classify_rec(res, c, "Greater Manchester's GMP should review.", NULL), 0);
	for (size_t i = 0; i < dhr_result_evidence_count(res); i++)
		assert_null(dhr_result_evidence(res, i)->entry);
	dhr_result_free(res);
	dhr_classifier_free(c);
	dhr_rules_free(r);

	/* and the command prints it */
	char *rules = pdfgen_path(pdfgen_dir, "lists.rules");
	char *argv[] = {(char *)bin(), (char *)"explain", (char *)"-r", rules, (char *)"GMP should review.", NULL};
	char *so = NULL, *se = NULL;
	assert_int_equal(pdfgen_run(argv, &so, &se), 0);
	char *line = g_strdup_printf("(list entry %s: GMP)", want);
	if (!strstr(so, line))
		fail_msg("no '%s' in:\n%s", line, so);
	g_free(line);
	free(so);
	free(se);
	free(rules);
	g_free(want);
	free(forces);
	g_string_free(d.text, TRUE);
}

/* ---- errors ------------------------------------------------------------------------ */

static void list_errors_should_name_file_line_and_column(void **state)
{
	(void)state;
	dhr_rules *r = NULL;
	diags d = {g_string_new(NULL), 0};
	free(put("bad.txt", "Kent Police\n  ---  # no letter\n\"\"\nok \xC3\x28 bad\n"));
	free(put("none.txt", "# only a comment\n\n"));
	char *sub = pdfgen_path(pdfgen_dir, "sub");
	assert_int_equal(dhr_mkdirs(sub, NULL), 0);
	const char *src = "facet agency single default unknown\n"
			  "label police \"Police\"\n"
			  "  match list \"missing.txt\"\n"
			  "  match /x/ near 2 list \"bad.txt\"\n"
			  "  match list \"none.txt\"\n"
			  "  match list \"sub\"\n"
			  "  match list\n"
			  "label unknown \"x\"\n";
	assert_int_equal(compile_rules(&r, "errs.rules", src, &d), DHR_ERULES);
	assert_null(r);
	char *rules = pdfgen_path(pdfgen_dir, "errs.rules"), *bad = pdfgen_path(pdfgen_dir, "bad.txt");
	char *want[] = {
		g_strdup_printf("%s:3:14: error: cannot read list '%s/missing.txt'", rules, pdfgen_dir),
		g_strdup("   match list \"missing.txt\"\n              ^\n"),
		g_strdup_printf("%s:2:3: error: empty entry (a name needs a letter or a digit)\n   ---  # no letter\n   ^\n", bad),
		g_strdup_printf("%s:3:1: error: empty entry", bad),
		g_strdup_printf("%s:4:4: error: invalid UTF-8 or NUL byte in a list entry", bad),
		g_strdup_printf("%s:5:14: error: list '%s/none.txt' has no entries", rules, pdfgen_dir),
		g_strdup_printf("%s:6:14: error: cannot read list '%s/sub'", rules, pdfgen_dir),
		g_strdup_printf("%s:7:13: error: expected a file name in quotes after 'list'", rules),
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (!strstr(d.text->str, want[i]))
			fail_msg("no\n%s\nin\n%s", want[i], d.text->str);
		g_free(want[i]);
	}
	assert_int_equal(d.errors, 7);
	/* the bad list is read once, though two rules could use it */
	free(rules);
	free(bad);
	free(sub);
	g_string_free(d.text, TRUE);

	/* untrusted buffers may not read files */
	dhr_rules_opts o;
	memset(&o, 0, sizeof o);
	d.text = g_string_new(NULL);
	d.errors = 0;
	o.diag = collect;
	o.diag_payload = &d;
	o.includes = DHR_INCLUDE_NONE;
	const char *s2 = "facet a multi\nlabel x \"x\"\n  match list \"forces.txt\"\n";
	dhr_error err;
	assert_int_equal(dhr_rules_compile_buffer(&r, "t.rules", s2, strlen(s2), &o, &err), DHR_ERULES);
	assert_non_null(strstr(d.text->str, "t.rules:3:14: error: list files are not allowed here"));
	g_string_free(d.text, TRUE);
}

static void rules_check_should_show_a_missing_list_with_a_caret(void **state)
{
	(void)state;
	char *p = put("m.rules", "facet a multi\nlabel x \"x\"\n  match list \"gazetteer/none.txt\" prefer\n");
	char *argv[] = {(char *)bin(), (char *)"rules", (char *)"check", p, NULL};
	char *so = NULL, *se = NULL;
	assert_int_equal(pdfgen_run(argv, &so, &se), 2);
	char *want = g_strdup_printf("%s:3:14: error: cannot read list '%s/gazetteer/none.txt': ", p, pdfgen_dir);
	if (!strstr(se, want) || !strstr(se, "\n   match list \"gazetteer/none.txt\" prefer\n              ^\n"))
		fail_msg("stderr:\n%s", se);
	g_free(want);
	free(so);
	free(se);
	free(p);
}

/* ---- embedded lists and the built-in gazetteer ------------------------------------- */

static void a_list_in_an_embedded_rules_file_should_load(void **state)
{
	(void)state;
	/* a buffer named like a built-in file reads its lists from the embedded files */
	const char *src = "facet agency single pick earliest default unknown\n"
			  "label police \"Police\"\n"
			  "  match list \"gazetteer/police-forces.txt\"\n"
			  "label unknown \"x\"\n";
	dhr_rules_opts o;
	memset(&o, 0, sizeof o);
	diags d = {g_string_new(NULL), 0};
	o.diag = collect;
	o.diag_payload = &d;
	o.includes = DHR_INCLUDE_EMBEDDED;
	dhr_rules *r = NULL;
	dhr_error err;
	dhr_error_clear(&err);
	assert_int_equal(dhr_rules_compile_buffer(&r, "rules/test.rules", src, strlen(src), &o, &err), 0);
	assert_agency(r, "Kent Police should act.", "police");
	dhr_rules_free(r);
	const char *missing = "facet a multi\nlabel x \"x\"\n  match list \"gazetteer/no-such.txt\"\n";
	assert_int_equal(dhr_rules_compile_buffer(&r, "rules/test.rules", missing, strlen(missing), &o, &err),
			 DHR_ERULES);
	assert_non_null(strstr(d.text->str, "rules/test.rules:3:14: error: cannot read list "
					    "'rules/gazetteer/no-such.txt': no such embedded file"));
	g_string_free(d.text, TRUE);
	/* the built-in rules use them, and a list's bytes are part of the rules' hash */
	assert_int_equal(dhr_rules_compile_default(&r, NULL, &err), 0);
	assert_agency(r, "KMPT should review its discharge policy.", "mental_health_services");
	dhr_rules_free(r);
	/* `dhr rules print` prints a list file, `dhr rules files` names it */
	char *argv[] = {(char *)bin(), (char *)"rules", (char *)"print", (char *)"gazetteer/police-forces.txt", NULL};
	char *so = NULL, *se = NULL;
	assert_int_equal(pdfgen_run(argv, &so, &se), 0);
	char *buf = NULL;
	size_t len = 0;
	assert_int_equal(dhr_read_file(&buf, &len, "rules/gazetteer/police-forces.txt", NULL), 0);
	assert_string_equal(so, buf);
	free(buf);
	free(so);
	free(se);
	char *argv2[] = {(char *)bin(), (char *)"rules", (char *)"files", NULL};
	assert_int_equal(pdfgen_run(argv2, &so, &se), 0);
	assert_non_null(strstr(so, "agencies.rules\n"));
	assert_non_null(strstr(so, "gazetteer/police-forces.txt\n"));
	free(so);
	free(se);
}

static void a_list_edit_should_change_the_rules_hash(void **state)
{
	(void)state;
	write_lists();
	dhr_rules *a = NULL, *b = NULL;
	diags d = {g_string_new(NULL), 0};
	assert_int_equal(compile_rules(&a, "lists.rules", list_rules, &d), 0);
	free(put("forces.txt", "Kent Police\nGMP\nDevon and Cornwall Police\nthe Met\nEssex Police\n"));
	assert_int_equal(compile_rules(&b, "lists.rules", list_rules, &d), 0);
	assert_string_not_equal(dhr_rules_sha256(a), dhr_rules_sha256(b));
	assert_agency(a, "Essex Police should act.", "unknown");
	assert_agency(b, "Essex Police should act.", "police");
	dhr_rules_free(a);
	dhr_rules_free(b);
	g_string_free(d.text, TRUE);
}

static void a_named_subject_should_beat_bodies_mentioned_after_it(void **state)
{
	(void)state;
	dhr_rules *r = NULL;
	dhr_error err;
	dhr_error_clear(&err);
	assert_int_equal(dhr_rules_compile_default(&r, NULL, &err), 0);
	/* the addressee by the codebook: the body named as the subject */
	assert_agency(r, "Oxleas NHS Foundation Trust should ensure that its staff refer to the IDVA service and Adult Social Care.",
		      "mental_health_services");
	assert_agency(r, "Kent Police, in consultation with KSCS, should review the domestic abuse child referral matrix.",
		      "police");
	assert_agency(r, "KMPT, working with Kent Police, must set out when officers attend after a discharge.",
		      "mental_health_services");
	assert_agency(r, "GHC, together with Gloucestershire Constabulary, should agree a joint protocol.",
		      "mental_health_services");
	dhr_rules_free(r);
}

/* The agency id a gazetteer file's header names: "Feeds agency id `police`". */
static char *header_agency(const char *text)
{
	const char *p = strstr(text, "Feeds agency id `");
	if (!p)
		return NULL;
	p += strlen("Feeds agency id `");
	const char *q = strchr(p, '`');
	return q ? g_strndup(p, (gsize)(q - p)) : NULL;
}

static void every_gazetteer_name_should_classify_to_its_files_agency(void **state)
{
	(void)state;
	dhr_rules *r = NULL;
	dhr_error err;
	dhr_error_clear(&err);
	assert_int_equal(dhr_rules_compile_default(&r, NULL, &err), 0);
	GDir *gd = g_dir_open("rules/gazetteer", 0, NULL);
	assert_non_null(gd);
	const char *name;
	int files = 0, names = 0, bad = 0;
	while ((name = g_dir_read_name(gd))) {
		if (!g_str_has_suffix(name, ".txt"))
			continue;
		char *path = g_build_filename("rules/gazetteer", name, NULL), *buf = NULL;
		size_t len = 0;
		assert_int_equal(dhr_read_file(&buf, &len, path, NULL), 0);
		char *id = header_agency(buf);
		if (!id)
			fail_msg("%s: no \"Feeds agency id `ID`\" in its header", path);
		int f = dhr_rules_facet_find(r, "agency");
		if (dhr_rules_label_find(r, (size_t)f, id) < 0)
			fail_msg("%s: agency id %s is not a label of the rules", path, id);
		files++;
		gchar **lines = g_strsplit(buf, "\n", -1);
		for (int ln = 0; lines[ln]; ln++) {
			char *e = g_strdup(lines[ln]);
			char *hash = strchr(e, '#');
			if (hash)
				*hash = '\0';
			g_strstrip(e);
			size_t el = strlen(e);
			if (el > 0 && e[el - 1] == '*')
				e[el - 1] = 's'; /* "Team*": any ending */
			if (el > 0) {
				/* as the subject of a recommendation, and as an action plan's lead cell */
				char *text = g_strdup_printf("%s should review its procedures.", e);
				char *got = agency_of(r, text, NULL), *got_cell = agency_of(r, "To review referrals.", e);
				if (strcmp(got, id) != 0 || strcmp(got_cell, id) != 0) {
					printf("%s:%d: \"%s\": %s as subject, %s as lead cell, wanted %s\n", path, ln + 1, e,
					       got, got_cell, id);
					bad++;
				}
				names++;
				g_free(text);
				g_free(got);
				g_free(got_cell);
			}
			g_free(e);
		}
		g_strfreev(lines);
		printf("%s: agency %s\n", path, id);
		g_free(id);
		free(buf);
		g_free(path);
	}
	g_dir_close(gd);
	printf("%d names in %d files\n", names, files);
	assert_true(files >= 12);
	assert_true(names >= 500);
	assert_int_equal(bad, 0);
	dhr_rules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_list_entry_should_match_as_a_phrase),
		cmocka_unit_test(an_acronym_entry_should_match_only_in_its_case),
		cmocka_unit_test(a_list_should_work_with_before_and_prefer),
		cmocka_unit_test(explain_should_name_the_list_entry),
		cmocka_unit_test(list_errors_should_name_file_line_and_column),
		cmocka_unit_test(rules_check_should_show_a_missing_list_with_a_caret),
		cmocka_unit_test(a_list_in_an_embedded_rules_file_should_load),
		cmocka_unit_test(a_list_edit_should_change_the_rules_hash),
		cmocka_unit_test(a_named_subject_should_beat_bodies_mentioned_after_it),
		cmocka_unit_test(every_gazetteer_name_should_classify_to_its_files_agency),
	};
	return cmocka_run_group_tests(tests, pdfgen_group_setup, pdfgen_group_teardown);
}
