/*
 * tests/test_util.c: the shared helpers: status names, error records, the
 * document model, whole-file reads, SHA-256 and atomic writes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dhr/common.h"
#include "dhr/doc.h"
#include "dhr/util.h"

static void status_codes_should_round_trip(void **state)
{
	(void)state;
	const int all[] = {DHR_EIO, DHR_ENOTPDF, DHR_ECORRUPT, DHR_EENCRYPTED, DHR_ENOTEXT,
			   DHR_ETIMEOUT, DHR_ECRASHED, DHR_EMEMORY};
	const char *names[] = {"io", "not_pdf", "corrupt", "encrypted", "no_text", "timeout", "crashed", "memory"};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		assert_string_equal(dhr_status_code(all[i]), names[i]);
		assert_int_equal(dhr_status_from_code(names[i]), all[i]);
	}
	assert_int_equal(dhr_status_from_code("no-such-code"), DHR_ERROR);
}

static void error_set_should_format_and_return_the_code(void **state)
{
	(void)state;
	dhr_error err;
	dhr_error_clear(&err);
	assert_int_equal(dhr_error_set(&err, DHR_EIO, "%s: %d", "a.pdf", 3), DHR_EIO);
	assert_int_equal(err.code, DHR_EIO);
	assert_string_equal(err.message, "a.pdf: 3");
	assert_int_equal(dhr_error_set(NULL, DHR_ECORRUPT, "ignored"), DHR_ECORRUPT);
}

static void doc_text_should_skip_furniture_and_separate_pages(void **state)
{
	(void)state;
	dhr_doc *doc = dhr_doc_new("x.pdf");
	assert_non_null(doc);
	for (int p = 0; p < 3; p++) {
		dhr_page *page = dhr_doc_add_page(doc, 595, 842);
		assert_non_null(page);
		assert_non_null(dhr_doc_add_line(page, "Overview Report", 50, 20, 100, 10, 9, DHR_LINE_HEADER));
		/* enough lines to make the arrays grow more than once */
		for (int l = 0; l < 40; l++) {
			char buf[32];
			snprintf(buf, sizeof buf, "p%d l%d", p + 1, l);
			assert_non_null(dhr_doc_add_line(page, buf, 50, 60 + l * 12, 100, 10, 11, 0));
		}
		assert_non_null(dhr_doc_add_line(page, "Page 1 of 3", 50, 800, 100, 10, 9, DHR_LINE_FOOTER));
	}
	assert_int_equal(doc->n_pages, 3);
	assert_int_equal(doc->pages[2].number, 3);
	assert_int_equal(dhr_doc_add_outline(doc, "Recommendations", 0, 3), 0);
	char *text = dhr_doc_text(doc);
	assert_non_null(text);
	assert_null(strstr(text, "Overview Report"));
	assert_null(strstr(text, "Page 1 of 3"));
	assert_non_null(strstr(text, "p1 l39\fp2 l0\n"));
	assert_non_null(strstr(text, "p3 l39"));
	free(text);
	dhr_doc_free(doc);
	dhr_doc_free(NULL);
}

static void atomic_write_should_replace_whole_file_and_leave_no_temp(void **state)
{
	(void)state;
	char dir[] = "/tmp/dhr-test-util-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/sub/out.json", dir);
	char sub[256];
	snprintf(sub, sizeof sub, "%s/sub", dir);
	assert_int_equal(dhr_mkdirs(sub, NULL), 0);
	dhr_error err;
	assert_int_equal(dhr_write_atomic(path, "old", 3, &err), 0);
	assert_int_equal(dhr_write_atomic(path, "new content", 11, &err), 0);
	char *buf = NULL;
	size_t len = 0;
	assert_int_equal(dhr_read_file(&buf, &len, path, &err), 0);
	assert_int_equal(len, 11);
	assert_string_equal(buf, "new content");
	free(buf);
	/* nothing else left in the folder */
	char cmd[512];
	snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) -eq 1", sub);
	assert_int_equal(system(cmd), 0);
	/* a folder that does not exist is an io error naming the file */
	char bad[300];
	snprintf(bad, sizeof bad, "%s/missing/out.json", dir);
	assert_int_equal(dhr_write_atomic(bad, "x", 1, &err), DHR_EIO);
	assert_non_null(strstr(err.message, bad));
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void read_file_should_report_missing_files_and_folders(void **state)
{
	(void)state;
	char *buf = (char *)1;
	size_t len = 7;
	dhr_error err;
	assert_int_equal(dhr_read_file(&buf, &len, "/nonexistent/x.pdf", &err), DHR_EIO);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_non_null(strstr(err.message, "/nonexistent/x.pdf"));
	assert_int_equal(dhr_read_file(&buf, &len, "/tmp", &err), DHR_EIO);
	assert_non_null(strstr(err.message, "directory"));
}

static void sha256_should_match_the_known_digest(void **state)
{
	(void)state;
	char hex[65];
	dhr_sha256_hex(hex, "abc", 3);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	dhr_sha256_hex(hex, "", 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* FIPS 180-2 two-block message: the padding spills into a second block */
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	dhr_sha256_hex(hex, two, strlen(two));
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* The hardware path (where the CPU has one) and GLib's agree on every length
 * around the block and padding edges, at every alignment, and on a large
 * buffer; on a CPU without SHA instructions both calls are GLib's and the
 * test still checks the public function against the known digests above. */
static void sha256_hardware_and_portable_should_agree(void **state)
{
	(void)state;
	size_t big = (size_t)3 << 20;
	unsigned char *buf = malloc(big + 16);
	assert_non_null(buf);
	uint32_t seed = 12345;
	for (size_t i = 0; i < big + 16; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
	char a[65], b[65];
	for (size_t len = 0; len <= 300; len++)
		for (size_t off = 0; off < 8; off += (len < 140 ? 1 : 7)) {
			dhr_sha256_hex(a, buf + off, len);
			dhr_sha256_hex_portable(b, buf + off, len);
			if (strcmp(a, b) != 0)
				fail_msg("length %zu offset %zu: %s != %s", len, off, a, b);
		}
	dhr_sha256_hex(a, buf + 3, big);
	dhr_sha256_hex_portable(b, buf + 3, big);
	assert_string_equal(a, b);
	print_message("sha256: %s path\n", dhr_sha256_hardware() ? "SHA-NI" : "portable (GLib)");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_codes_should_round_trip),
		cmocka_unit_test(sha256_hardware_and_portable_should_agree),
		cmocka_unit_test(error_set_should_format_and_return_the_code),
		cmocka_unit_test(doc_text_should_skip_furniture_and_separate_pages),
		cmocka_unit_test(atomic_write_should_replace_whole_file_and_leave_no_temp),
		cmocka_unit_test(read_file_should_report_missing_files_and_folders),
		cmocka_unit_test(sha256_should_match_the_known_digest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
