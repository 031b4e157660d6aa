/*
 * scan/internal.h: the parts of the scan engine shared between its files:
 * input discovery, the file-identity hash index, the extraction cache and
 * the worker pool. Not part of the public API.
 */
#ifndef DHR_SCAN_INTERNAL_H
#define DHR_SCAN_INTERNAL_H

#include <stddef.h>
#include <sys/types.h>

#include "dhr/common.h"

struct cJSON;

/* ---- discovery ---- */

/** Callback for non-fatal problems met while walking folders. */
typedef void (*dhr_warn_fn)(const char *message, void *payload);

/**
 * Collect the PDF files named by `paths` (files as given; folders searched
 * recursively for *.pdf in any case, symlinked folders followed once, loops
 * and unreadable folders reported through `warn`). Results are sorted and
 * de-duplicated. @param out receives a NULL-terminated malloc'd array of
 * malloc'd paths (free with dhr_strv_free()).
 * @return 0, DHR_EIO for a named path that does not exist, or DHR_ENOMEM.
 */
int dhr_discover(char ***out, size_t *n_out, const char *const *paths, size_t n_paths, dhr_warn_fn warn,
		 void *payload, dhr_error *err);

void dhr_strv_free(char **v);

/* ---- hash index: file identity -> SHA-256, so unchanged files are not re-read ---- */

typedef struct dhr_hash_index dhr_hash_index;

/** Load the index in `cache_dir` (a missing or damaged index is an empty one). */
int dhr_hash_index_load(dhr_hash_index **out, const char *cache_dir);

/**
 * The SHA-256 of the file at `path`: from the index when its device, inode,
 * size and modification time are unchanged, else by reading the file (and
 * `*was_read` is set). @return 0 or DHR_EIO.
 */
int dhr_hash_index_get(dhr_hash_index *idx, const char *path, char hex[65], int *was_read, dhr_error *err);

/** Write the index back atomically (only the entries used this run). */
int dhr_hash_index_save(dhr_hash_index *idx, dhr_error *err);
void dhr_hash_index_free(dhr_hash_index *idx);

/* ---- cache of extraction + segmentation results ---- */

/**
 * Set the OCR mode (DHR_OCR_*) of the entries this process builds and reads;
 * the mode's identity (dhr_ocr_identity) becomes part of the cache folder's
 * name. Before the workers fork; the default is DHR_OCR_OFF.
 */
void dhr_cache_set_ocr(int mode, const char *tessdata);

/** The pipeline identity of the entries (versions, source hash, OCR identity). */
const char *dhr_cache_pipeline(void);

/**
 * Path of the cache entry for a document (malloc'd): CACHE/<pipeline>/<sha[0..1]>/<sha>.json,
 * and with ext ".txt" the document's body text.
 */
char *dhr_cache_entry_path(const char *cache_dir, const char *sha256, const char *ext);

/**
 * Extract and segment one PDF and store the result as a cache entry (JSON
 * and text), atomically. Document errors (not_pdf, corrupt, ...) are stored
 * as results too (status "error"). Runs in a worker process; `ocr_progress`
 * (may be NULL) hears of the pages to OCR (see dhr_extract_opts). @return 0
 * when an entry was written, and *stored is then that entry (cJSON_Delete()
 * it), or a negative status when even that failed.
 */
int dhr_cache_build_entry(const char *cache_dir, const char *path, const char *sha256, const char *password,
			  void (*ocr_progress)(int done, int total, void *payload), void *ocr_payload,
			  struct cJSON **stored, dhr_error *err);

/** Path of the remembered classification of document `sha256` by rules whose hash starts `rules16`. */
char *dhr_cache_memo_path(const char *cache_dir, const char *rules16, const char *sha256);

/** Read a cache entry. @return 0, or DHR_EIO when it is missing or unreadable. */
int dhr_cache_load_entry(struct cJSON **out, const char *cache_dir, const char *sha256);

/* ---- worker pool ---- */

typedef struct dhr_job {
	const char *path;   /**< the PDF (borrowed) */
	const char *sha256; /**< its hash (borrowed) */
	int status;         /**< after the run: 0 entry written; DHR_ETIMEOUT, DHR_ECRASHED, DHR_EMEMORY, DHR_EINTERRUPTED */
	char message[256];  /**< the reason for a non-zero status */
} dhr_job;

struct dhr_rules;
typedef struct dhr_pool_opts {
	const struct dhr_rules *rules; /**< NULL, or the rules workers classify each document with (for the cache) */
	const char *cache_dir;
	int jobs;
	double timeout_s;
	size_t max_memory_mb;
	const char *password;
	void (*done)(const dhr_job *job, void *payload);
	void *payload;
	const volatile int *interrupted;
	size_t workers_started; /**< out: worker processes forked */
	/** Seconds added to a document's deadline for each page it must OCR (<= 0: 60). */
	double ocr_timeout_s;
	/** Called in the parent when a worker reports OCR progress on a job, or NULL. */
	void (*ocr_note)(const dhr_job *job, int done, int total, void *payload);
} dhr_pool_opts;

/**
 * Run every job on opts->jobs worker processes, one document at a time
 * each. A document whose worker dies on a signal, overruns its time or its
 * memory gets that status; a fresh worker takes the next one and the others
 * go on. opts->done is called for each finished job in the parent, while
 * the workers go on with the next ones. @return 0, DHR_ENOMEM, DHR_EIO (no
 * pipe or worker could be made), or DHR_EINTERRUPTED if *opts->interrupted
 * was set or SIGINT/SIGTERM arrived (the unfinished jobs are marked
 * DHR_EINTERRUPTED).
 */
int dhr_pool_run(dhr_job *jobs, size_t n_jobs, dhr_pool_opts *opts);

/* ---- classification and assembly of the scan.json tree ---- */

typedef struct dhr_scan_tree dhr_scan_tree;

/** Start a scan.json tree classified with `rules` (borrowed); `warn` gets rule-limit warnings. */
int dhr_scan_tree_new(dhr_scan_tree **out, const struct dhr_rules *rules, const char *cache_dir, dhr_warn_fn warn,
		      void *payload, dhr_error *err);

/**
 * Classify one document's recommendations in place (themes, agency and
 * evidence) and compute its document-scope facets (case type) from its
 * cached body text, handed back in `*doc_labels` for dhr_scan_tree_add_doc().
 * The whole result is remembered in the cache per rules hash and document,
 * so a rerun with the same rules only reads it back. A document whose
 * status is not "ok" is left as it is. Workers call this right after they
 * extract a document, so a cold run classifies in parallel and the parent
 * only reads the results; a result cut short by a PCRE2 limit is not
 * remembered, so the parent does that one itself and warns.
 * @return 0 or DHR_ENOMEM.
 */
int dhr_scan_tree_classify(dhr_scan_tree *t, struct cJSON *doc, const char *sha256, struct cJSON **doc_labels);

/**
 * Add a classified document object (taken over by the tree, as is
 * `doc_labels`, which may be NULL) at the end of the documents array.
 */
void dhr_scan_tree_add_doc(dhr_scan_tree *t, struct cJSON *doc, struct cJSON *doc_labels);

/**
 * Compute the totals and hand back the finished tree (the tree object is
 * freed). @param failed, @param recs receive counts.
 */
struct cJSON *dhr_scan_tree_finish(dhr_scan_tree *t, size_t *failed, size_t *recs);
void dhr_scan_tree_free(dhr_scan_tree *t);

#endif
