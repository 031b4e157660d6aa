/*
 * cli/cmd_scan.c: 'dhr scan', the main job. Parses options, compiles the
 * rules, runs the scan engine (include/dhr/scan.h), writes every output
 * atomically under OUT and prints the analyst's summary table.
 */
#include "commands.h"
#include "dhr/extract.h"
#include "dhr/output.h"
#include "dhr/rules.h"
#include "dhr/scan.h"
#include "dhr/util.h"

#include <cJSON.h>
#include <getopt.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile int interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void usage(FILE *f)
{
	fputs("usage: dhr scan [OPTIONS] PATH...\n"
	      "       dhr scan [OPTIONS] -o OUT          (no PATH: rescan OUT's previous documents)\n"
	      "\n"
	      "Find the recommendations in every PDF under PATH (files, or folders searched\n"
	      "recursively for *.pdf), classify them with the rules, and write under OUT:\n"
	      "  scan.json            every document, recommendation, label and the evidence for it\n"
	      "  scan.schema.json     the JSON Schema of scan.json\n"
	      "  recommendations.csv  one row per recommendation (UTF-8 with BOM, for Excel)\n"
	      "  themes.csv           one row per recommendation x theme (for pivot tables)\n"
	      "  report.html          a self-contained report with charts\n"
	      "and print the theme table. Results are cached by file content: a rerun reads only new\n"
	      "or changed PDFs, and a rerun with edited rules reads no PDF at all.\n"
	      "\n"
	      "options:\n"
	      "  -r, --rules FILE      rules file (default: the built-in rules; see 'dhr rules check'); or\n"
	      "                        a built-in set by name: default, homeoffice, combined\n"
	      "  -o, --out DIR         output folder (default: out)\n"
	      "  -j, --jobs N          worker processes (default: number of cores)\n"
	      "      --timeout S       seconds allowed per document (default: 300), plus --ocr-timeout\n"
	      "                        for each page it must OCR\n"
	      "      --ocr MODE        read pages by OCR (Tesseract): auto (default) pages with images\n"
	      "                        but no text layer; off never (such documents are no_text);\n"
	      "                        force every page\n"
	      "      --ocr-timeout S   seconds added to a document's time for each page to OCR\n"
	      "                        (default: 60; OCR takes 1-3 s a page on one core)\n"
	      "      --max-memory MB   memory allowed per worker (default: 2048)\n"
	      "      --cache DIR       cache folder (default: OUT/.cache); share one between outputs\n"
	      "      --no-cache        neither read nor keep cached results\n"
	      "      --password PW     password tried on encrypted PDFs\n"
	      "      --no-report       do not write report.html\n"
	      "  -q, --quiet           no progress bar and no table\n"
	      "  -h, --help            this help\n"
	      "\n"
	      "example:\n"
	      "  dhr scan -o out reports/            # then open out/report.html\n"
	      "  dhr scan -r my.rules -o out         # reclassify the same reports with edited rules\n"
	      "\n"
	      "exit status: 0 every document scanned; 1 outputs written but some documents failed;\n"
	      "2 usage, rules or output error (nothing written); 130 interrupted (rerun to finish).\n",
	      f);
}

typedef struct progress {
	int enabled;
	double start;
	int drawn;
	size_t done, total; /* documents, as last drawn */
} progress;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A worker's OCR of one document: the bar as it was, and the pages read so far. */
static void on_ocr_progress(const char *path, int done, int total, void *payload)
{
	progress *p = payload;
	if (!p->enabled)
		return;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	/* the documents' count is known from the first one that finishes */
	if (p->total)
		fprintf(stderr, "\r\033[K%zu/%zu documents  %.0fs  OCR %.30s: page %d of %d", p->done, p->total,
			now_s() - p->start, base, done, total);
	else
		fprintf(stderr, "\r\033[K%.0fs  OCR %.30s: page %d of %d", now_s() - p->start, base, done, total);
	p->drawn = 1;
}

static void on_progress(size_t done, size_t total, const char *path, void *payload)
{
	progress *p = payload;
	p->done = done;
	p->total = total;
	if (!p->enabled || total == 0)
		return;
	double el = now_s() - p->start;
	double eta = done ? el / (double)done * (double)(total - done) : 0;
	int width = 30, fill = (int)((double)width * (double)done / (double)total);
	char bar[64];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	fprintf(stderr, "\r\033[K[%s] %zu/%zu %3d%%  %.0fs  ETA %.0fs  %.30s", bar, done, total,
		(int)(100.0 * (double)done / (double)total), el, eta, base);
	p->drawn = 1;
}

static void on_warn(const char *message, void *payload)
{
	progress *p = payload;
	if (p->drawn) {
		fputs("\r\033[K", stderr);
		p->drawn = 0;
	}
	fprintf(stderr, "dhr: warning: %s\n", message);
}

int dhr_cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"rules", required_argument, NULL, 'r'},  {"out", required_argument, NULL, 'o'},
		{"jobs", required_argument, NULL, 'j'},   {"timeout", required_argument, NULL, 'T'},
		{"max-memory", required_argument, NULL, 'M'}, {"cache", required_argument, NULL, 'C'},
		{"no-cache", no_argument, NULL, 'N'},     {"password", required_argument, NULL, 'P'},
		{"no-report", no_argument, NULL, 'R'},    {"quiet", no_argument, NULL, 'q'},
		{"ocr", required_argument, NULL, 'O'},    {"ocr-timeout", required_argument, NULL, 'X'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	/* first, so that a signal at any moment is an orderly stop */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	const char *rules_path = NULL, *out_dir = "out", *cache_dir = NULL, *password = NULL;
	int jobs = 0, no_cache = 0, quiet = 0, with_report = 1, c;
	double timeout_s = 300, ocr_timeout_s = 60;
	int ocr = DHR_OCR_AUTO;
	long max_mem = 2048;
	char *end;
	while ((c = getopt_long(argc, argv, "r:o:j:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': rules_path = optarg; break;
		case 'o': out_dir = optarg; break;
		case 'j':
			jobs = (int)strtol(optarg, &end, 10);
			if (*end || jobs < 1 || jobs > 256) {
				dhr_cli_errorf("scan: -j takes a number from 1 to 256, not '%s'", optarg);
				return DHR_EXIT_FATAL;
			}
			break;
		case 'T':
			timeout_s = strtod(optarg, &end);
			if (*end || timeout_s <= 0) {
				dhr_cli_errorf("scan: --timeout takes a positive number of seconds, not '%s'", optarg);
				return DHR_EXIT_FATAL;
			}
			break;
		case 'M':
			max_mem = strtol(optarg, &end, 10);
			if (*end || max_mem < 64) {
				dhr_cli_errorf("scan: --max-memory takes megabytes (at least 64), not '%s'", optarg);
				return DHR_EXIT_FATAL;
			}
			break;
		case 'O':
			if ((ocr = dhr_ocr_mode_parse(optarg)) < 0) {
				dhr_cli_errorf("scan: --ocr takes auto, off or force, not '%s'", optarg);
				return DHR_EXIT_FATAL;
			}
			break;
		case 'X':
			ocr_timeout_s = strtod(optarg, &end);
			if (*end || ocr_timeout_s <= 0) {
				dhr_cli_errorf("scan: --ocr-timeout takes a positive number of seconds, not '%s'", optarg);
				return DHR_EXIT_FATAL;
			}
			break;
		case 'C': cache_dir = optarg; break;
		case 'N': no_cache = 1; break;
		case 'P': password = optarg; break;
		case 'R': with_report = 0; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return DHR_EXIT_OK;
		default: usage(stderr); return DHR_EXIT_FATAL;
		}
	}

	int rc = DHR_EXIT_FATAL;
	dhr_rules *rules = NULL;
	cJSON *scan = NULL;
	char *tmp_cache = NULL, *own_cache = NULL;
	cJSON *prev = NULL;
	dhr_error err;
	dhr_error_clear(&err);

	if (dhr_cli_load_rules(&rules, rules_path, NULL, NULL) < 0)
		goto cleanup;
	const char *const *paths = (const char *const *)argv + optind;
	size_t n_paths = (size_t)(argc - optind);
	if (n_paths == 0) {
		char *p = g_build_filename(out_dir, "scan.json", NULL);
		int lrc = dhr_output_load(&prev, p, &err);
		g_free(p);
		if (lrc < 0) {
			dhr_cli_errorf("scan: no PATH given and no previous scan to redo (%s); try 'dhr scan --help'",
				       err.message);
			goto cleanup;
		}
	}
	if (dhr_mkdirs(out_dir, &err) < 0) {
		dhr_cli_errorf("%s", err.message);
		goto cleanup;
	}
	if (no_cache) {
		tmp_cache = g_build_filename(g_get_tmp_dir(), "dhr-nocache-XXXXXX", NULL);
		if (!g_mkdtemp(tmp_cache)) {
			dhr_cli_errorf("scan: cannot create a temporary folder");
			goto cleanup;
		}
		cache_dir = tmp_cache;
	} else if (!cache_dir) {
		own_cache = g_build_filename(out_dir, ".cache", NULL);
		cache_dir = own_cache;
	}


	progress prog = {!quiet && isatty(2), now_s(), 0, 0, 0};
	dhr_scan_opts so = {0};
	so.cache_dir = cache_dir;
	so.jobs = jobs;
	so.timeout_s = timeout_s;
	so.max_memory_mb = (size_t)max_mem;
	so.password = password;
	so.rules = rules;
	so.progress = on_progress;
	so.progress_payload = &prog;
	so.warn = on_warn;
	so.warn_payload = &prog;
	so.interrupted = &interrupted;
	so.previous = prev;
	so.ocr = ocr;
	so.ocr_timeout_s = ocr_timeout_s;
	so.ocr_progress = on_ocr_progress;
	dhr_scan_stats stats;
	int src = dhr_scan_run(&scan, &stats, paths, n_paths, &so, &err);
	if (prog.drawn)
		fputs("\r\033[K", stderr);
	if (src == DHR_EINTERRUPTED || interrupted) {
		dhr_cli_errorf("scan: interrupted; the previous outputs in %s are untouched, and the %zu documents "
			       "finished are cached: rerun the same command to finish",
			       out_dir, stats.extracted);
		rc = 130;
		goto cleanup;
	}
	if (src < 0) {
		dhr_cli_errorf("scan: %s", err.message);
		goto cleanup;
	}
	/* Each file is written atomically; holding SIGINT/SIGTERM back while they
	 * are written makes the set atomic too: all old files, or all new ones. */
	sigset_t block, oldmask;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &oldmask);
	int wrc = dhr_output_write(out_dir, scan, with_report ? DHR_OUTPUT_ALL : DHR_OUTPUT_ALL & ~DHR_OUTPUT_HTML, &err);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	if (wrc < 0) {
		dhr_cli_errorf("scan: %s", err.message);
		goto cleanup;
	}
	if (!quiet) {
		dhr_output_summary(stdout, scan);
		printf("\n%zu documents (%zu from cache, %zu extracted), %zu recommendations; outputs in %s/\n",
		       stats.documents, stats.cached, stats.extracted, stats.recommendations, out_dir);
	}
	rc = stats.failed ? DHR_EXIT_PARTIAL : DHR_EXIT_OK;
cleanup:
	if (tmp_cache)
		dhr_remove_tree(tmp_cache);
	g_free(tmp_cache);
	g_free(own_cache);
	cJSON_Delete(prev);
	cJSON_Delete(scan);
	dhr_rules_free(rules);
	return rc;
}
