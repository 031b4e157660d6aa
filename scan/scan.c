/*
 * scan/scan.c: the main job (dhr_scan_run). Discovers the PDFs, hashes them
 * through the hash index, serves what it can from the cache, sends the rest
 * to the worker pool, then classifies every document in this process and
 * assembles the scan.json tree with its totals.
 */
#include "internal.h"
#include "dhr/scan.h"
#include "dhr/util.h"

#include <cJSON.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One unique document (by SHA-256), with every path it was found under. */
typedef struct udoc {
	char sha256[65];
	GPtrArray *paths;  /* char * (owned): every path with these bytes */
	cJSON *entry;      /* the cache entry, once loaded */
	cJSON *labels;     /* its document-scope labels, once classified */
	int classified;    /* entry's recommendations classified, labels set */
	int status;        /* 0, or the job's/hash's failure */
	char message[512];
} udoc;

typedef struct run {
	const dhr_scan_opts *opts;
	dhr_scan_tree *tree;
	GHashTable *by_sha;
	int failed; /* a classification ran out of memory */
	size_t done, total;
} run;

/* Read a document's cache entry (if not yet read) and classify it. */
static void load_and_classify(run *r, udoc *u)
{
	if (!u->entry && dhr_cache_load_entry(&u->entry, r->opts->cache_dir, u->sha256) < 0)
		return;
	if (u->classified)
		return;
	if (dhr_scan_tree_classify(r->tree, u->entry, u->sha256, &u->labels) < 0)
		r->failed = 1;
	u->classified = 1;
}

/* A worker finished: classify its document while the next workers run. */
static void pool_done(const dhr_job *job, void *payload)
{
	run *r = payload;
	if (job->status == 0)
		load_and_classify(r, g_hash_table_lookup(r->by_sha, job->sha256));
	r->done++;
	if (r->opts->progress)
		r->opts->progress(r->done, r->total, job->path, r->opts->progress_payload);
}

/* A worker's OCR progress, for the caller's display. */
static void pool_ocr_note(const dhr_job *job, int done, int total, void *payload)
{
	run *r = payload;
	if (r->opts->ocr_progress)
		r->opts->ocr_progress(job->path, done, total, r->opts->progress_payload);
}

static void udoc_free(gpointer p)
{
	udoc *u = p;
	g_ptr_array_free(u->paths, TRUE);
	cJSON_Delete(u->entry);
	cJSON_Delete(u->labels);
	g_free(u);
}

static cJSON *error_doc(const udoc *u, const char *code)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "status", "error");
	cJSON *e = cJSON_AddObjectToObject(d, "error");
	cJSON_AddStringToObject(e, "code", code);
	cJSON_AddStringToObject(e, "message", u->message);
	cJSON_AddArrayToObject(d, "recommendations");
	return d;
}

/* The document object of scan.json for one unique document, before classification. */
static cJSON *build_doc(udoc *u)
{
	cJSON *d;
	if (u->status < 0) {
		d = error_doc(u, dhr_status_code(u->status));
	} else {
		d = u->entry;
		u->entry = NULL;
		cJSON_DeleteItemFromObjectCaseSensitive(d, "pipeline");
		cJSON_DeleteItemFromObjectCaseSensitive(d, "sha256");
	}
	/* put path, paths and sha256 first, as a reader expects */
	cJSON *paths = cJSON_CreateArray();
	for (guint i = 0; i < u->paths->len; i++)
		cJSON_AddItemToArray(paths, cJSON_CreateString(u->paths->pdata[i]));
	cJSON *head = cJSON_CreateObject();
	cJSON_AddStringToObject(head, "path", u->paths->pdata[0]);
	cJSON_AddItemToObject(head, "paths", paths);
	if (u->sha256[0])
		cJSON_AddStringToObject(head, "sha256", u->sha256);
	else
		cJSON_AddNullToObject(head, "sha256");
	cJSON *item = d->child;
	d->child = NULL;
	cJSON_Delete(d);
	/* append the rest after the head fields */
	while (item) {
		cJSON *next = item->next;
		item->next = item->prev = NULL;
		/* cJSON copies the key before it frees the old one, so this is safe */
		cJSON_AddItemToObject(head, item->string, item);
		item = next;
	}
	if (!cJSON_HasObjectItem(head, "error"))
		cJSON_AddNullToObject(head, "error");
	if (!cJSON_HasObjectItem(head, "title"))
		cJSON_AddNullToObject(head, "title");
	if (!cJSON_HasObjectItem(head, "pages"))
		cJSON_AddNullToObject(head, "pages");
	if (!cJSON_HasObjectItem(head, "warnings"))
		cJSON_AddArrayToObject(head, "warnings");
	return head;
}

int dhr_scan_run(cJSON **out, dhr_scan_stats *stats, const char *const *paths, size_t n_paths,
		 const dhr_scan_opts *opts, dhr_error *err)
{
	char **files = NULL;
	size_t n_files = 0;
	dhr_hash_index *idx = NULL;
	GHashTable *by_sha = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *docs = g_ptr_array_new_with_free_func(udoc_free);
	dhr_job *jobs = NULL;
	dhr_scan_tree *tree = NULL;
	cJSON *root = NULL;
	dhr_scan_stats st = {0};
	int rc;

	*out = NULL;
	dhr_cache_set_ocr(opts->ocr, NULL);
	if ((rc = dhr_mkdirs(opts->cache_dir, err)) < 0)
		goto cleanup;
	if ((rc = dhr_hash_index_load(&idx, opts->cache_dir)) < 0)
		goto cleanup;
	if (n_paths == 0 && opts->previous) {
		/* a rescan: the documents of the previous scan, by their recorded hashes */
		const cJSON *d;
		cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(opts->previous, "documents"))
		{
			const cJSON *sha = cJSON_GetObjectItemCaseSensitive(d, "sha256"), *p;
			const cJSON *ps = cJSON_GetObjectItemCaseSensitive(d, "paths");
			if (!cJSON_IsString(sha) || strlen(sha->valuestring) != 64 || cJSON_GetArraySize(ps) < 1 ||
			    g_hash_table_contains(by_sha, sha->valuestring))
				continue;
			udoc *u = g_new0(udoc, 1);
			u->paths = g_ptr_array_new_with_free_func(free);
			memcpy(u->sha256, sha->valuestring, 65);
			cJSON_ArrayForEach(p, ps) if (cJSON_IsString(p)) g_ptr_array_add(u->paths, strdup(p->valuestring));
			if (u->paths->len == 0) {
				udoc_free(u);
				continue;
			}
			g_hash_table_insert(by_sha, u->sha256, u);
			g_ptr_array_add(docs, u);
		}
	} else {
		if ((rc = dhr_discover(&files, &n_files, paths, n_paths, opts->warn, opts->warn_payload, err)) < 0)
			goto cleanup;
		for (size_t i = 0; i < n_files; i++) {
			char sha[65] = "";
			int was_read = 0;
			dhr_error herr;
			dhr_error_clear(&herr);
			int hrc = dhr_hash_index_get(idx, files[i], sha, &was_read, &herr);
			st.hashed += (size_t)was_read;
			udoc *u = hrc == 0 ? g_hash_table_lookup(by_sha, sha) : NULL;
			if (!u) {
				u = g_new0(udoc, 1);
				u->paths = g_ptr_array_new_with_free_func(free);
				if (hrc < 0) {
					u->status = hrc;
					g_strlcpy(u->message, herr.message, sizeof u->message);
				} else {
					memcpy(u->sha256, sha, 65);
					g_hash_table_insert(by_sha, u->sha256, u);
				}
				g_ptr_array_add(docs, u);
			}
			g_ptr_array_add(u->paths, strdup(files[i]));
		}
	}

	/* cache lookups; misses become jobs */
	jobs = calloc(docs->len + 1, sizeof *jobs);
	size_t n_jobs = 0;
	for (guint i = 0; i < docs->len; i++) {
		udoc *u = docs->pdata[i];
		if (u->status < 0)
			continue;
		if (dhr_cache_load_entry(&u->entry, opts->cache_dir, u->sha256) == 0) {
			/* a cached "encrypted" may open with the password given now */
			const cJSON *e = cJSON_GetObjectItemCaseSensitive(u->entry, "error");
			const char *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code"));
			if (!(opts->password && code && strcmp(code, "encrypted") == 0)) {
				st.cached++;
				continue;
			}
			cJSON_Delete(u->entry);
			u->entry = NULL;
		}
		jobs[n_jobs].path = u->paths->pdata[0];
		jobs[n_jobs].sha256 = u->sha256;
		n_jobs++;
	}
	if ((rc = dhr_scan_tree_new(&tree, opts->rules, opts->cache_dir, opts->warn, opts->warn_payload, err)) < 0)
		goto cleanup;
	run r = {opts, tree, by_sha, 0, 0, n_jobs};
	dhr_pool_opts po = {opts->rules, opts->cache_dir, opts->jobs, opts->timeout_s, opts->max_memory_mb,
			    opts->password, pool_done, &r, opts->interrupted, 0, 0, NULL};
	if (po.jobs <= 0)
		po.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (po.max_memory_mb == 0)
		po.max_memory_mb = 2048;
	if (po.timeout_s <= 0)
		po.timeout_s = 300;
	po.ocr_timeout_s = opts->ocr_timeout_s > 0 ? opts->ocr_timeout_s : 60;
	po.ocr_note = pool_ocr_note;
	int prc = n_jobs ? dhr_pool_run(jobs, n_jobs, &po) : 0;
	st.workers = po.workers_started;
	st.extracted = st.pdf_reads = n_jobs;
	if (prc == DHR_EINTERRUPTED) {
		st.interrupted = 1;
		st.extracted = 0;
		for (size_t j = 0; j < n_jobs; j++)
			st.extracted += jobs[j].status == 0;
		dhr_hash_index_save(idx, NULL);
		rc = dhr_error_set(err, DHR_EINTERRUPTED, "interrupted: finished documents are cached; rerun to complete");
		goto cleanup;
	}
	for (size_t j = 0; j < n_jobs; j++) {
		udoc *u = g_hash_table_lookup(by_sha, jobs[j].sha256);
		if (jobs[j].status == 0 && (u->entry || dhr_cache_load_entry(&u->entry, opts->cache_dir, u->sha256) == 0))
			continue;
		u->status = jobs[j].status < 0 ? jobs[j].status : DHR_EIO;
		g_strlcpy(u->message, jobs[j].status < 0 ? jobs[j].message : "cache entry unreadable",
			  sizeof u->message);
	}

	/* classification of what the workers did not leave classified (cached
	 * documents), and assembly in discovery order */
	for (guint i = 0; i < docs->len; i++) {
		udoc *u = docs->pdata[i];
		if (u->status == 0 && u->entry && !u->classified)
			load_and_classify(&r, u);
	}
	if (r.failed) {
		rc = dhr_error_set(err, DHR_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (guint i = 0; i < docs->len; i++) {
		udoc *u = docs->pdata[i];
		dhr_scan_tree_add_doc(tree, build_doc(u), u->labels);
		u->labels = NULL;
	}
	root = dhr_scan_tree_finish(tree, &st.failed, &st.recommendations);
	tree = NULL;
	st.documents = docs->len;
	cJSON *runinfo = cJSON_AddObjectToObject(root, "run");
	cJSON_AddNumberToObject(runinfo, "documents_extracted", (double)st.extracted);
	cJSON_AddNumberToObject(runinfo, "documents_from_cache", (double)st.cached);
	cJSON_AddNumberToObject(runinfo, "files_hashed", (double)st.hashed);
	cJSON_AddNumberToObject(runinfo, "workers_started", (double)st.workers);
	if ((rc = dhr_hash_index_save(idx, err)) < 0)
		goto cleanup;
	*out = root;
	root = NULL;
	rc = 0;
cleanup:
	if (stats)
		*stats = st;
	cJSON_Delete(root);
	dhr_scan_tree_free(tree);
	free(jobs);
	g_ptr_array_free(docs, TRUE);
	g_hash_table_destroy(by_sha);
	dhr_hash_index_free(idx);
	dhr_strv_free(files);
	return rc;
}
