/*
 * cli/cmd_diff.c: 'dhr diff', what a rules change does before it is
 * committed: the documents are scanned once (through the cache, so usually
 * no PDF is read) and classified with the old and the new rules; it prints
 * the per-label counts before and after and every recommendation that
 * gained or lost a label.
 */
#include "commands.h"
#include "dhr/extract.h"
#include "dhr/rules.h"
#include "dhr/scan.h"

#include <cJSON.h>
#include <getopt.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: dhr diff -r OLD.rules -r NEW.rules [--cache DIR] [--json] PATH...\n"
	      "\n"
	      "Show what a rules change does: per-label counts with the old and the new rules, and\n"
	      "every recommendation that gained (+) or lost (-) a label. PATHs are PDFs or folders;\n"
	      "extraction results are cached, so after the first run no PDF is read.\n"
	      "Use '-r default' for the built-in rules ('-r homeoffice', '-r combined' for the others).\n"
	      "\n"
	      "options:\n"
	      "  -r, --rules FILE   old rules (first -r), then new rules (second -r)\n"
	      "      --cache DIR    extraction cache (default: $XDG_CACHE_HOME/dhr or ~/.cache/dhr)\n"
	      "      --json         machine-readable output\n"
	      "  -j, --jobs N       worker processes for documents not yet cached\n"
	      "  -h, --help         this help\n"
	      "\n"
	      "example:\n"
	      "  cp my.rules new.rules && $EDITOR new.rules\n"
	      "  dhr diff -r my.rules -r new.rules corpus/\n"
	      "\n"
	      "exit status: 0 no change; 1 the labels changed; 2 usage or rules error.\n",
	      f);
}

static void warn_cb(const char *message, void *payload)
{
	(void)payload;
	fprintf(stderr, "dhr: warning: %s\n", message);
}

static int load(dhr_rules **out, const char *path)
{
	return dhr_cli_load_rules(out, strcmp(path, "default") == 0 ? NULL : path, NULL, NULL);
}

static char *default_cache(void)
{
	return g_build_filename(g_get_user_cache_dir(), "dhr", NULL);
}

/* The facets of a recommendation: its "labels" map (every facet of the rules, in rules order). */
static const cJSON *rec_labels(const cJSON *rec)
{
	return cJSON_GetObjectItemCaseSensitive(rec, "labels");
}

/* "theme:training" -> count, over every recommendation of a scan, for every facet. */
static void count_labels(GHashTable *counts, const cJSON *scan)
{
	const cJSON *d, *r, *f, *t;
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(scan, "documents"))
		cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(d, "recommendations"))
			cJSON_ArrayForEach(f, rec_labels(r))
	{
		const cJSON *first = cJSON_IsArray(f) ? f->child : f;
		for (t = first; t; t = cJSON_IsArray(f) ? t->next : NULL) {
			if (!cJSON_IsString(t))
				continue;
			char *k = g_strconcat(f->string, ":", t->valuestring, NULL);
			g_hash_table_insert(counts, k, GINT_TO_POINTER(GPOINTER_TO_INT(g_hash_table_lookup(counts, k)) + 1));
		}
	}
}

static int has_label(const cJSON *rec, const char *facet, const char *id)
{
	const cJSON *t, *v = cJSON_GetObjectItemCaseSensitive(rec_labels(rec), facet);
	cJSON_ArrayForEach(t, v) if (cJSON_IsString(t) && strcmp(t->valuestring, id) == 0) return 1;
	return 0;
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int dhr_cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"rules", required_argument, NULL, 'r'}, {"cache", required_argument, NULL, 'C'},
		{"json", no_argument, NULL, 'J'},        {"jobs", required_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
	};
	const char *rules_path[2] = {NULL, NULL}, *cache = NULL;
	int n_rules = 0, json = 0, jobs = 0, c;
	while ((c = getopt_long(argc, argv, "r:j:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (n_rules == 2) {
				dhr_cli_errorf("diff: give -r exactly twice (old, then new)");
				return DHR_EXIT_FATAL;
			}
			rules_path[n_rules++] = optarg;
			break;
		case 'C': cache = optarg; break;
		case 'J': json = 1; break;
		case 'j': jobs = atoi(optarg); break;
		case 'h': usage(stdout); return DHR_EXIT_OK;
		default: usage(stderr); return DHR_EXIT_FATAL;
		}
	}
	if (n_rules != 2 || optind >= argc) {
		usage(stderr);
		return DHR_EXIT_FATAL;
	}
	int rc = DHR_EXIT_FATAL;
	dhr_rules *rules[2] = {NULL, NULL};
	cJSON *scan[2] = {NULL, NULL};
	char *own_cache = cache ? NULL : default_cache();
	GHashTable *counts[2] = {g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
				 g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
	cJSON *out = cJSON_CreateObject();
	dhr_error err;
	dhr_error_clear(&err);
	for (int i = 0; i < 2; i++) {
		if (load(&rules[i], rules_path[i]) < 0)
			goto cleanup;
		dhr_scan_opts so = {0};
		so.cache_dir = cache ? cache : own_cache;
		so.jobs = jobs;
		so.rules = rules[i];
		so.warn = warn_cb;
		so.ocr = DHR_OCR_AUTO; /* as 'dhr scan' reads them */
		if (dhr_scan_run(&scan[i], NULL, (const char *const *)argv + optind, (size_t)(argc - optind), &so, &err) < 0) {
			dhr_cli_errorf("diff: %s", err.message);
			goto cleanup;
		}
		count_labels(counts[i], scan[i]);
	}

	/* the counts table, every label seen on either side */
	GHashTable *all = g_hash_table_new(g_str_hash, g_str_equal);
	for (int i = 0; i < 2; i++) {
		GHashTableIter it;
		gpointer k;
		g_hash_table_iter_init(&it, counts[i]);
		while (g_hash_table_iter_next(&it, &k, NULL))
			g_hash_table_add(all, k);
	}
	guint nk = 0;
	const char **keys = (const char **)g_hash_table_get_keys_as_array(all, &nk);
	qsort(keys, nk, sizeof *keys, cmp_keys);
	cJSON *jcounts = cJSON_AddArrayToObject(out, "counts");
	if (!json)
		printf("%-40s %8s %8s %8s\n", "label", "old", "new", "change");
	int changed = 0;
	for (guint i = 0; i < nk; i++) {
		int a = GPOINTER_TO_INT(g_hash_table_lookup(counts[0], keys[i]));
		int b = GPOINTER_TO_INT(g_hash_table_lookup(counts[1], keys[i]));
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "label", keys[i]);
		cJSON_AddNumberToObject(o, "old", a);
		cJSON_AddNumberToObject(o, "new", b);
		cJSON_AddItemToArray(jcounts, o);
		if (!json)
			printf("%-40s %8d %8d %+8d%s\n", keys[i], a, b, b - a, a != b ? "  *" : "");
	}
	g_free(keys);
	g_hash_table_destroy(all);

	/* each recommendation that gained or lost a label (same document order on both sides) */
	cJSON *jchanges = cJSON_AddArrayToObject(out, "changes");
	if (!json)
		printf("\nchanged recommendations:\n");
	const cJSON *d0 = cJSON_GetObjectItemCaseSensitive(scan[0], "documents")->child;
	const cJSON *d1 = cJSON_GetObjectItemCaseSensitive(scan[1], "documents")->child;
	for (; d0 && d1; d0 = d0->next, d1 = d1->next) {
		const cJSON *r0 = cJSON_GetObjectItemCaseSensitive(d0, "recommendations")->child;
		const cJSON *r1 = cJSON_GetObjectItemCaseSensitive(d1, "recommendations")->child;
		for (; r0 && r1; r0 = r0->next, r1 = r1->next) {
			GString *delta = g_string_new(NULL);
			cJSON *gained = cJSON_CreateArray(), *lost = cJSON_CreateArray(), *moved = cJSON_CreateArray();
			const cJSON *t, *f;
			/* every facet: multi facets gain and lose labels ("+training"; another than the
			 * first multi facet's prefixed: "+ho_theme:training"), single facets move
			 * ("agency police->housing"; the first one also as agency_old / agency_new) */
			int first_multi = 1, first_single = 1;
			const char *a0 = NULL, *a1 = NULL;
			cJSON_ArrayForEach(f, rec_labels(r1))
			{
				const cJSON *f0 = cJSON_GetObjectItemCaseSensitive(rec_labels(r0), f->string);
				if (cJSON_IsArray(f)) {
					const char *pre = first_multi ? "" : f->string, *colon = first_multi ? "" : ":";
					first_multi = 0;
					cJSON_ArrayForEach(t, f) if (cJSON_IsString(t) && !has_label(r0, f->string, t->valuestring))
					{
						g_string_append_printf(delta, " +%s%s%s", pre, colon, t->valuestring);
						char *v = g_strconcat(pre, colon, t->valuestring, NULL);
						cJSON_AddItemToArray(gained, cJSON_CreateString(v));
						g_free(v);
					}
					cJSON_ArrayForEach(t, f0) if (cJSON_IsString(t) && !has_label(r1, f->string, t->valuestring))
					{
						g_string_append_printf(delta, " -%s%s%s", pre, colon, t->valuestring);
						char *v = g_strconcat(pre, colon, t->valuestring, NULL);
						cJSON_AddItemToArray(lost, cJSON_CreateString(v));
						g_free(v);
					}
					continue;
				}
				const char *v0 = cJSON_GetStringValue(f0), *v1 = cJSON_GetStringValue(f);
				int first = first_single;
				first_single = 0;
				if (!v0 || !v1 || strcmp(v0, v1) == 0)
					continue;
				g_string_append_printf(delta, " %s %s->%s", f->string, v0, v1);
				if (first) {
					a0 = v0;
					a1 = v1;
				}
				cJSON *m = cJSON_CreateObject();
				cJSON_AddStringToObject(m, "facet", f->string);
				cJSON_AddStringToObject(m, "old", v0);
				cJSON_AddStringToObject(m, "new", v1);
				cJSON_AddItemToArray(moved, m);
			}
			if (delta->len) {
				changed = 1;
				const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d1, "path"));
				const char *num = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r1, "number"));
				const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r1, "text"));
				cJSON *o = cJSON_CreateObject();
				cJSON_AddStringToObject(o, "document", path);
				cJSON_AddStringToObject(o, "id", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r1, "id")));
				cJSON_AddItemToObject(o, "gained", gained);
				cJSON_AddItemToObject(o, "lost", lost);
				if (a0 && a1) {
					cJSON_AddStringToObject(o, "agency_old", a0);
					cJSON_AddStringToObject(o, "agency_new", a1);
				}
				cJSON_AddItemToObject(o, "moved", moved);
				cJSON_AddStringToObject(o, "text", text ? text : "");
				cJSON_AddItemToArray(jchanges, o);
				if (!json)
					printf("%s %s:%s\n    %.160s%s\n", path, num ? num : "-", delta->str, text ? text : "",
					       text && strlen(text) > 160 ? "..." : "");
			} else {
				cJSON_Delete(gained);
				cJSON_Delete(lost);
				cJSON_Delete(moved);
			}
			g_string_free(delta, TRUE);
		}
	}
	if (json) {
		char *s = cJSON_PrintUnformatted(out);
		puts(s);
		cJSON_free(s);
	} else if (!changed) {
		printf("  (none)\n");
	}
	rc = changed ? 1 : 0;
cleanup:
	cJSON_Delete(out);
	for (int i = 0; i < 2; i++) {
		cJSON_Delete(scan[i]);
		dhr_rules_free(rules[i]);
		g_hash_table_destroy(counts[i]);
	}
	g_free(own_cache);
	return rc;
}
