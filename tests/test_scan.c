/*
 * tests/test_scan.c: end-to-end tests of `dhr scan`, the main job, on real
 * PDFs written by tests/support/pdfgen: bad files are each their own error
 * while the batch goes on, crashing and hanging workers, the cache (a rerun
 * reads no PDF; a rules edit reclassifies with the PDFs gone), identical
 * files, symlink loops, and outputs that are whole or untouched.
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
#include <sys/wait.h>
#include <signal.h>
#include <fcntl.h>

#include "dhr/util.h"
#include "support/pdfgen.h"

typedef struct fixture {
	char *dir;  /* temp folder */
	char *in;   /* dir/in: the PDFs */
	char *out;  /* dir/out: the outputs */
} fixture;

static const char *dhr_bin(void)
{
	const char *b = getenv("DHR_BIN");
	return b ? b : "./dhr";
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = pdfgen_tmpdir();
	f->in = pdfgen_path(f->dir, "in");
	f->out = pdfgen_path(f->dir, "out");
	mkdir(f->in, 0755);
	char *p = pdfgen_path(f->in, "good-one.pdf");
	assert_int_equal(pdfgen_write_report(p, 6), 0);
	free(p);
	p = pdfgen_path(f->in, "good-two.pdf");
	assert_int_equal(pdfgen_write_report(p, 5), 0);
	free(p);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	pdfgen_rmtree(f->dir);
	free(f->dir);
	free(f->in);
	free(f->out);
	free(f);
	return 0;
}

/* Run dhr with the arguments that follow (NULL-terminated); capture stdout and stderr. */
static int run_dhr(char **out, char **err, ...)
{
	char *argv[32] = {(char *)dhr_bin()};
	int n = 1;
	va_list ap;
	va_start(ap, err);
	const char *a;
	while (n < 31 && (a = va_arg(ap, const char *)))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	return pdfgen_run(argv, out, err);
}

static cJSON *load_scan(const char *out_dir)
{
	char *p = pdfgen_path(out_dir, "scan.json"), *buf = NULL;
	size_t len = 0;
	int rc = dhr_read_file(&buf, &len, p, NULL);
	free(p);
	if (rc < 0)
		return NULL;
	cJSON *root = cJSON_ParseWithLength(buf, len);
	free(buf);
	return root;
}

static const cJSON *doc_by_name(const cJSON *scan, const char *name)
{
	const cJSON *d;
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(scan, "documents"))
	{
		const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "path"));
		const char *base = path ? strrchr(path, '/') : NULL;
		if (base && strcmp(base + 1, name) == 0)
			return d;
	}
	return NULL;
}

static const char *error_code(const cJSON *doc)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc, "error");
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code"));
}

static double number_at(const cJSON *o, const char *a, const char *b)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
	if (b)
		x = cJSON_GetObjectItemCaseSensitive(x, b);
	return cJSON_IsNumber(x) ? x->valuedouble : -1;
}

static void assert_good_doc(const cJSON *scan, const char *name, int pages)
{
	const cJSON *d = doc_by_name(scan, name);
	assert_non_null(d);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "status")), "ok");
	assert_int_equal((int)number_at(d, "pages", NULL), pages);
	assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d, "recommendations")) > 0);
}

static void file_exists(const char *dir, const char *name)
{
	char *p = pdfgen_path(dir, name);
	struct stat st;
	int rc = stat(p, &st);
	if (rc != 0)
		fail_msg("%s was not written", p);
	assert_true(st.st_size > 0);
	free(p);
}

static void scan_should_give_each_bad_file_its_own_error_and_finish_the_rest(void **state)
{
	fixture *f = *state;
	char *p = pdfgen_path(f->in, "empty.pdf");
	assert_int_equal(pdfgen_write_bytes(p, "", 0), 0);
	free(p);
	p = pdfgen_path(f->in, "webpage.pdf");
	const char *html = "<!DOCTYPE html><html><body><p>Not a PDF</p></body></html>\n";
	assert_int_equal(pdfgen_write_bytes(p, html, strlen(html)), 0);
	free(p);
	char *good = pdfgen_path(f->in, "good-one.pdf");
	p = pdfgen_path(f->in, "truncated.pdf");
	assert_int_equal(pdfgen_truncate_copy(good, p, 40), 0);
	free(p);
	p = pdfgen_path(f->in, "locked.pdf");
	char *qpdf[] = {(char *)"qpdf", (char *)"--encrypt", (char *)"user-pw", (char *)"owner-pw", (char *)"256", (char *)"--", good, p, NULL};
	assert_int_equal(pdfgen_run(qpdf, NULL, NULL), 0);
	free(p);
	free(good);
	p = pdfgen_path(f->in, "scanned.PDF");
	assert_int_equal(pdfgen_write_image_only(p, 2), 0);
	free(p);

	char *out = NULL, *err = NULL;
	int rc = run_dhr(&out, &err, "scan", "-q", "-o", f->out, f->in, NULL);
	if (rc != 1)
		fail_msg("dhr scan exited %d, not 1: %s", rc, err);
	cJSON *scan = load_scan(f->out);
	assert_non_null(scan);
	assert_int_equal((int)number_at(scan, "totals", "documents"), 7);
	assert_int_equal((int)number_at(scan, "totals", "documents_failed"), 5);
	assert_string_equal(error_code(doc_by_name(scan, "empty.pdf")), "not_pdf");
	assert_string_equal(error_code(doc_by_name(scan, "webpage.pdf")), "not_pdf");
	assert_string_equal(error_code(doc_by_name(scan, "truncated.pdf")), "corrupt");
	assert_string_equal(error_code(doc_by_name(scan, "locked.pdf")), "encrypted");
	assert_string_equal(error_code(doc_by_name(scan, "scanned.PDF")), "no_text");
	/* each message names its file */
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc_by_name(scan, "locked.pdf"), "error");
	assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "message")), "locked.pdf"));
	assert_good_doc(scan, "good-one.pdf", 6);
	assert_good_doc(scan, "good-two.pdf", 5);
	file_exists(f->out, "scan.json");
	file_exists(f->out, "scan.schema.json");
	file_exists(f->out, "recommendations.csv");
	file_exists(f->out, "themes.csv");
	file_exists(f->out, "report.html");
	cJSON_Delete(scan);

	/* with the password the encrypted one opens */
	free(out);
	free(err);
	rc = run_dhr(&out, &err, "scan", "-q", "--password", "user-pw", "-o", f->out, f->in, NULL);
	scan = load_scan(f->out);
	assert_good_doc(scan, "locked.pdf", 6);
	cJSON_Delete(scan);
	free(out);
	free(err);
}

static void scan_should_survive_a_crashing_and_a_hanging_worker(void **state)
{
	fixture *f = *state;
	char *out = NULL, *err = NULL;
	setenv("DHR_FAULT_INJECT", "crash:good-two", 1);
	int rc = run_dhr(&out, &err, "scan", "-q", "--no-cache", "-o", f->out, f->in, NULL);
	unsetenv("DHR_FAULT_INJECT");
	assert_int_equal(rc, 1);
	cJSON *scan = load_scan(f->out);
	assert_string_equal(error_code(doc_by_name(scan, "good-two.pdf")), "crashed");
	assert_good_doc(scan, "good-one.pdf", 6);
	cJSON_Delete(scan);
	free(out);
	free(err);

	setenv("DHR_FAULT_INJECT", "hang:good-one", 1);
	/* long enough for a good report, even under valgrind; the hanging one never ends */
	const char *limit = getenv("DHR_UNDER_VALGRIND") ? "60" : "3";
	rc = run_dhr(&out, &err, "scan", "-q", "--no-cache", "--timeout", limit, "-o", f->out, f->in, NULL);
	unsetenv("DHR_FAULT_INJECT");
	assert_int_equal(rc, 1);
	scan = load_scan(f->out);
	assert_string_equal(error_code(doc_by_name(scan, "good-one.pdf")), "timeout");
	assert_good_doc(scan, "good-two.pdf", 5);
	cJSON_Delete(scan);
	free(out);
	free(err);
}

/* A folder of reports for the worker tests: NAME:PAGES (4 or more; reports of the same
 * length are the same bytes, hence one document), or NAME:0 for a file that is not a PDF. */
static char *make_batch(const fixture *f, const char *const *spec)
{
	char *dir = pdfgen_path(f->dir, "batch");
	mkdir(dir, 0755);
	for (; *spec; spec++) {
		char name[64];
		int pages = 0;
		assert_int_equal(sscanf(*spec, "%63[^:]:%d", name, &pages), 2);
		char *p = pdfgen_path(dir, name);
		if (pages > 0) {
			assert_int_equal(pdfgen_write_report(p, pages), 0);
		} else {
			FILE *fp = fopen(p, "w");
			assert_non_null(fp);
			fputs("this is not a PDF\n", fp);
			fclose(fp);
		}
		free(p);
	}
	return dir;
}

/* The workers are long-lived: one takes a whole batch. A crash, a bad file,
 * a hang and each retirement cost a fresh worker, and lose no document. */
static void one_worker_should_take_the_batch_and_be_replaced_after_each_failure(void **state)
{
	fixture *f = *state;
	static const char *const good[] = {"a.pdf:4", "b.pdf:5", "c.pdf:6", "e.pdf:7", "g.pdf:8", "h.pdf:9", NULL};
	char *dir = make_batch(f, good), *out = NULL, *err = NULL;
	int rc = run_dhr(&out, &err, "scan", "-q", "-j", "1", "--no-cache", "-o", f->out, dir, NULL);
	assert_int_equal(rc, 0);
	cJSON *scan = load_scan(f->out);
	assert_int_equal((int)number_at(scan, "run", "documents_extracted"), 6);
	assert_int_equal((int)number_at(scan, "run", "workers_started"), 1);
	for (int i = 0; good[i]; i++) {
		char name[16];
		int pages;
		sscanf(good[i], "%15[^:]:%d", name, &pages);
		assert_good_doc(scan, name, pages);
	}
	cJSON_Delete(scan);
	free(out);
	free(err);

	/* a crash (b), a file that is not a PDF (d) and a lifetime of two documents */
	static const char *const bad[] = {"d.pdf:0", NULL};
	free(make_batch(f, bad));
	setenv("DHR_FAULT_INJECT", "crash:/b.pdf", 1);
	setenv("DHR_WORKER_DOCS", "2", 1);
	rc = run_dhr(&out, &err, "scan", "-q", "-j", "1", "--no-cache", "-o", f->out, dir, NULL);
	unsetenv("DHR_FAULT_INJECT");
	unsetenv("DHR_WORKER_DOCS");
	assert_int_equal(rc, 1);
	scan = load_scan(f->out);
	assert_string_equal(error_code(doc_by_name(scan, "b.pdf")), "crashed");
	assert_string_equal(error_code(doc_by_name(scan, "d.pdf")), "not_pdf");
	assert_good_doc(scan, "a.pdf", 4);
	assert_good_doc(scan, "c.pdf", 6);
	assert_good_doc(scan, "e.pdf", 7);
	assert_good_doc(scan, "g.pdf", 8);
	assert_good_doc(scan, "h.pdf", 9);
	/* a, b (crashed), c + d (retires after the bad file), e + g, h */
	assert_int_equal((int)number_at(scan, "run", "workers_started"), 4);
	cJSON_Delete(scan);
	free(out);
	free(err);

	/* a hang (c): the worker is killed at the deadline, the next one goes on */
	setenv("DHR_FAULT_INJECT", "hang:/c.pdf", 1);
	const char *limit = getenv("DHR_UNDER_VALGRIND") ? "60" : "3";
	rc = run_dhr(&out, &err, "scan", "-q", "-j", "1", "--no-cache", "--timeout", limit, "-o", f->out, dir, NULL);
	unsetenv("DHR_FAULT_INJECT");
	assert_int_equal(rc, 1);
	scan = load_scan(f->out);
	assert_string_equal(error_code(doc_by_name(scan, "c.pdf")), "timeout");
	assert_good_doc(scan, "b.pdf", 5);
	assert_good_doc(scan, "h.pdf", 9);
	/* a b c (killed), d (not a PDF: retires), e g h */
	assert_int_equal((int)number_at(scan, "run", "workers_started"), 3);
	cJSON_Delete(scan);
	free(out);
	free(err);
	free(dir);
}

/* The state letter of a process in /proc (R, S, Z, ...), or 0 when it is gone. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	const char *end = strrchr(buf, ')'); /* after the command name, which may hold spaces */
	return end && end[1] == ' ' ? end[2] : 0;
}

/* A worker never outlives its scan: with the parent killed outright (no
 * one left to enforce the deadline), a worker stuck on a document dies too. */
static void a_worker_should_not_outlive_a_killed_scan(void **state)
{
	fixture *f = *state;
	setenv("DHR_FAULT_INJECT", "hang:good-one", 1);
	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 1);
		dup2(devnull, 2);
		execl(dhr_bin(), dhr_bin(), "scan", "-q", "-j", "1", "--no-cache", "-o", f->out, f->in, (char *)NULL);
		_exit(127);
	}
	unsetenv("DHR_FAULT_INJECT");
	/* find the worker: the scan's child, once it has one */
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
	pid_t worker = 0;
	for (int i = 0; i < 600 && worker <= 0; i++) {
		FILE *fp = fopen(path, "r");
		if (fp) {
			int w = 0;
			if (fscanf(fp, "%d", &w) == 1)
				worker = (pid_t)w;
			fclose(fp);
		}
		if (worker <= 0)
			usleep(50 * 1000);
	}
	if (worker <= 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		skip(); /* no /proc/.../children on this kernel */
	}
	kill(pid, SIGKILL);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	char st = 1;
	for (int i = 0; i < 100 && st && st != 'Z' && st != 'X'; i++) {
		usleep(50 * 1000);
		st = proc_state(worker);
	}
	if (st && st != 'Z' && st != 'X') {
		kill(worker, SIGKILL);
		fail_msg("worker %d still running (state %c) after its scan was killed", (int)worker, st);
	}
}

static void scan_rerun_should_read_no_pdf_and_give_the_same_result(void **state)
{
	fixture *f = *state;
	char *out = NULL, *err = NULL;
	assert_int_equal(run_dhr(&out, &err, "scan", "-q", "-o", f->out, f->in, NULL), 0);
	cJSON *first = load_scan(f->out);
	assert_int_equal((int)number_at(first, "run", "documents_extracted"), 2);
	free(out);
	free(err);
	assert_int_equal(run_dhr(&out, &err, "scan", "-q", "-o", f->out, f->in, NULL), 0);
	cJSON *second = load_scan(f->out);
	assert_int_equal((int)number_at(second, "run", "documents_extracted"), 0);
	assert_int_equal((int)number_at(second, "run", "files_hashed"), 0);
	assert_int_equal((int)number_at(second, "run", "documents_from_cache"), 2);
	char *a = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(first, "totals"));
	char *b = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(second, "totals"));
	assert_string_equal(a, b);
	cJSON_free(a);
	cJSON_free(b);
	cJSON_Delete(first);
	cJSON_Delete(second);
	free(out);
	free(err);

	/* a new report is the only one extracted */
	char *p = pdfgen_path(f->in, "new.pdf");
	assert_int_equal(pdfgen_write_report(p, 4), 0);
	free(p);
	assert_int_equal(run_dhr(&out, &err, "scan", "-q", "-o", f->out, f->in, NULL), 0);
	cJSON *third = load_scan(f->out);
	assert_int_equal((int)number_at(third, "run", "documents_extracted"), 1);
	assert_int_equal((int)number_at(third, "totals", "documents"), 3);
	cJSON_Delete(third);
	free(out);
	free(err);
}

static void identical_files_should_be_one_document_with_both_paths(void **state)
{
	fixture *f = *state;
	char *src = pdfgen_path(f->in, "good-one.pdf");
	char *sub = pdfgen_path(f->in, "copies");
	mkdir(sub, 0755);
	char *dst = pdfgen_path(sub, "same-as-one.pdf");
	char *buf = NULL;
	size_t len = 0;
	assert_int_equal(dhr_read_file(&buf, &len, src, NULL), 0);
	assert_int_equal(pdfgen_write_bytes(dst, buf, len), 0);
	free(buf);
	/* a symlink loop is reported, not fatal */
	char *loop = pdfgen_path(sub, "loop");
	assert_int_equal(symlink(f->in, loop), 0);
	char *out = NULL, *err = NULL;
	assert_int_equal(run_dhr(&out, &err, "scan", "-q", "-o", f->out, f->in, NULL), 0);
	assert_non_null(strstr(err, "loop"));
	cJSON *scan = load_scan(f->out);
	assert_int_equal((int)number_at(scan, "totals", "documents"), 2);
	const cJSON *d = doc_by_name(scan, "same-as-one.pdf");
	if (!d)
		d = doc_by_name(scan, "good-one.pdf");
	assert_non_null(d);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d, "paths")), 2);
	cJSON_Delete(scan);
	free(out);
	free(err);
	free(src);
	free(sub);
	free(dst);
	free(loop);
}

static void scan_should_fail_cleanly_on_bad_usage_and_write_nothing(void **state)
{
	fixture *f = *state;
	char *out = NULL, *err = NULL;
	char *missing = pdfgen_path(f->dir, "no-such-folder");
	assert_int_equal(run_dhr(&out, &err, "scan", "-q", "-o", f->out, missing, NULL), 2);
	assert_non_null(strstr(err, "no-such-folder"));
	free(out);
	free(err);
	assert_int_equal(run_dhr(&out, &err, "scan", "-j", "zero", "-o", f->out, f->in, NULL), 2);
	free(out);
	free(err);
	char *scan_json = pdfgen_path(f->out, "scan.json");
	struct stat st;
	assert_int_not_equal(stat(scan_json, &st), 0);
	free(scan_json);
	free(missing);
}

/* Where a scan into f->out remembers its classification by the rules of
 * `scan`: OUT/.cache/<pipeline>/facets-<rules hash>/ (a file per document). */
static char *memo_dir_of(const fixture *f, const cJSON *scan)
{
	const char *rules_sha = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(scan, "rules"), "sha256"));
	assert_non_null(rules_sha);
	char *cache = pdfgen_path(f->out, ".cache"), *memo_dir = NULL;
	GDir *gd = g_dir_open(cache, 0, NULL);
	assert_non_null(gd);
	const char *name;
	while ((name = g_dir_read_name(gd)))
		if (strcmp(name, "index.json") != 0) {
			char sub[128];
			snprintf(sub, sizeof sub, "%s/labels2-%.16s", name, rules_sha);
			free(memo_dir);
			memo_dir = pdfgen_path(cache, sub);
		}
	g_dir_close(gd);
	free(cache);
	assert_non_null(memo_dir);
	return memo_dir;
}

/* The themes of a document's first recommendation, as one string ("a;b"). */
static char *first_themes(const cJSON *scan, const char *name)
{
	const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItem(doc_by_name(scan, name), "recommendations"), 0);
	assert_non_null(r);
	GString *g = g_string_new("");
	const cJSON *t;
	cJSON_ArrayForEach(t, cJSON_GetObjectItem(r, "themes")) g_string_append_printf(g, "%s;", t->valuestring);
	return g_string_free(g, FALSE);
}

/* A rerun with the same rules reads the remembered classification instead
 * of classifying again (an edited memo shows through), and a damaged memo
 * is ignored and classified afresh. */
static void a_rerun_should_read_the_remembered_classification(void **state)
{
	fixture *f = *state;
	char *out = NULL, *err = NULL;
	assert_int_equal(run_dhr(&out, &err, "scan", "-q", "-o", f->out, f->in, NULL), 0);
	free(out);
	free(err);
	cJSON *scan = load_scan(f->out);
	char *real = first_themes(scan, "good-one.pdf");
	char *dir = memo_dir_of(f, scan);
	char *memo = pdfgen_path(dir, cJSON_GetStringValue(cJSON_GetObjectItem(doc_by_name(scan, "good-one.pdf"), "sha256")));
	cJSON_Delete(scan);

	char *buf = NULL;
	size_t len = 0;
	assert_int_equal(dhr_read_file(&buf, &len, memo, NULL), 0);
	cJSON *m = cJSON_Parse(buf);
	free(buf);
	cJSON *r0 = cJSON_GetArrayItem(cJSON_GetObjectItem(m, "recs"), 0);
	assert_non_null(r0);
	cJSON *marked = cJSON_CreateArray();
	cJSON_AddItemToArray(marked, cJSON_CreateString("from_the_memo"));
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(r0, "labels"), "theme", cJSON_Duplicate(marked, 1));
	cJSON_ReplaceItemInObject(r0, "themes", marked);
	char *text = cJSON_PrintUnformatted(m);
	assert_int_equal(pdfgen_write_bytes(memo, text, strlen(text)), 0);
	cJSON_free(text);
	cJSON_Delete(m);
	assert_int_equal(run_dhr(&out, &err, "scan", "-q", "-o", f->out, f->in, NULL), 0);
	free(out);
	free(err);
	scan = load_scan(f->out);
	char *seen = first_themes(scan, "good-one.pdf");
	assert_string_equal(seen, "from_the_memo;");
	g_free(seen);
	cJSON_Delete(scan);

	assert_int_equal(pdfgen_write_bytes(memo, "{\"doc\":", 7), 0);
	assert_int_equal(run_dhr(&out, &err, "scan", "-q", "-o", f->out, f->in, NULL), 0);
	free(out);
	free(err);
	scan = load_scan(f->out);
	seen = first_themes(scan, "good-one.pdf");
	assert_string_equal(seen, real);
	g_free(seen);
	cJSON_Delete(scan);
	g_free(real);
	free(memo);
	free(dir);
}

static void a_catastrophic_rule_should_warn_once_naming_it_and_the_scan_should_finish(void **state)
{
	fixture *f = *state;
	/* text on which /(a+)+$/ backtracks without end, in two recommendations */
	const char *pages[] = {"1. Introduction. The review began in 2020 and the panel met six times.",
			       "10. Recommendations. Recommendation 1: The Constabulary should train staff "
			       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab. Recommendation 2: The Partnership should "
			       "review policy aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab. 11. Glossary"};
	char *p = pdfgen_path(f->in, "backtrack.pdf");
	assert_int_equal(pdfgen_write_text_pages(p, pages, 2), 0);
	free(p);
	char *rules = pdfgen_path(f->dir, "slow.rules");
	const char *src = "facet theme multi\n"
			  "label training \"Training\"\n"
			  "  match /\\btrain/\n"
			  "facet case_type single on document default unknown\n"
			  "label slow \"Catastrophic\"\n"
			  "  match /(a+)+$/\n"
			  "label unknown \"Not determined\"\n";
	assert_int_equal(pdfgen_write_bytes(rules, src, strlen(src)), 0);
	char *out = NULL, *err = NULL;
	int rc = run_dhr(&out, &err, "scan", "-q", "-r", rules, "-o", f->out, f->in, NULL);
	if (rc != 0)
		fail_msg("scan exited %d: %s", rc, err);
	/* one warning, naming the rule's file and line */
	char where[300];
	snprintf(where, sizeof where, "slow.rules:6");
	const char *first = strstr(err, where);
	if (!first)
		fail_msg("no warning naming %s in: %s", where, err);
	assert_null(strstr(first + 1, where));
	cJSON *scan = load_scan(f->out);
	assert_non_null(scan);
	assert_int_equal((int)number_at(scan, "totals", "documents"), 3);
	/* the workers remembered the document facets of the two good reports;
	 * the one cut short by the limit is not remembered (it is classified
	 * again, and warned about, by whoever meets it next) */
	char *memo_dir = memo_dir_of(f, scan);
	const cJSON *d;
	int remembered = 0;
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(scan, "documents"))
	{
		char *memo = pdfgen_path(memo_dir, cJSON_GetStringValue(cJSON_GetObjectItem(d, "sha256")));
		int exists = access(memo, F_OK) == 0;
		const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(d, "path"));
		if (strstr(path, "backtrack.pdf"))
			assert_false(exists);
		else
			remembered += exists;
		free(memo);
	}
	assert_int_equal(remembered, 2);
	free(memo_dir);
	cJSON_Delete(scan);
	free(out);
	free(err);
	free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(scan_should_give_each_bad_file_its_own_error_and_finish_the_rest, setup,
						teardown),
		cmocka_unit_test_setup_teardown(scan_should_survive_a_crashing_and_a_hanging_worker, setup, teardown),
		cmocka_unit_test_setup_teardown(one_worker_should_take_the_batch_and_be_replaced_after_each_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_worker_should_not_outlive_a_killed_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(scan_rerun_should_read_no_pdf_and_give_the_same_result, setup, teardown),
		cmocka_unit_test_setup_teardown(identical_files_should_be_one_document_with_both_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(scan_should_fail_cleanly_on_bad_usage_and_write_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(a_rerun_should_read_the_remembered_classification, setup, teardown),
		cmocka_unit_test_setup_teardown(a_catastrophic_rule_should_warn_once_naming_it_and_the_scan_should_finish,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
