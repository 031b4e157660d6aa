/*
 * include/dhr/scan.h: the main job's engine. Finds the PDFs under the given
 * paths, hashes them (remembering hashes by file identity so an unchanged
 * file is never read twice), extracts and segments the documents the cache
 * does not hold in a pool of forked worker processes (each under a wall-clock
 * and memory limit, so one hostile PDF is that document's error), then
 * classifies every recommendation in the parent and builds the scan.json tree.
 */
#ifndef DHR_SCAN_H
#define DHR_SCAN_H

#include <stddef.h>

#include "dhr/common.h"
#include "dhr/rules.h"

struct cJSON;

/** Options of dhr_scan_run(). Zero-initialise, then set what you need. */
typedef struct dhr_scan_opts {
	const char *cache_dir;  /**< where extraction results live; required */
	int jobs;               /**< worker processes; <= 0 means the number of cores */
	double timeout_s;       /**< wall-clock limit per document; <= 0: 300 s */
	size_t max_memory_mb;   /**< address-space limit per worker; 0: 2048 MB */
	const char *password;   /**< tried on encrypted PDFs, or NULL */
	const dhr_rules *rules; /**< compiled rules (borrowed); required */
	/** Called after each document finishes (done of total), or NULL. */
	void (*progress)(size_t done, size_t total, const char *path, void *payload);
	void *progress_payload;
	/** Called with each non-fatal warning (unreadable folder, symlink loop, rule limit), or NULL. */
	void (*warn)(const char *message, void *payload);
	void *warn_payload;
	const volatile int *interrupted; /**< set non-zero (e.g. by a signal handler) to stop early */
	/**
	 * A previous scan.json tree (borrowed), used when no PATH is given: its
	 * documents (paths and SHA-256) are scanned again without looking at the
	 * files at all, so a rules edit is reclassified from the cache alone.
	 */
	const struct cJSON *previous;
	/**
	 * When to OCR pages (DHR_OCR_OFF, the zero default; DHR_OCR_AUTO;
	 * DHR_OCR_FORCE: see dhr_extract_opts). Part of the cache key, with the
	 * Tesseract version and language data.
	 */
	int ocr;
	/** Seconds added to a document's timeout for each page it must OCR; <= 0: 60 s. */
	double ocr_timeout_s;
	/** Called when a worker has OCRed `done` of a document's `total` pages (done = 0: starting), or NULL. */
	void (*ocr_progress)(const char *path, int done, int total, void *payload); /* gets progress_payload */
} dhr_scan_opts;

/** What a finished scan did, for the caller's exit status and messages. */
typedef struct dhr_scan_stats {
	size_t documents;   /**< unique documents (by SHA-256) */
	size_t failed;      /**< documents with status "error" */
	size_t extracted;   /**< documents sent to a worker this run (cache misses) */
	size_t cached;      /**< documents served from the cache */
	size_t hashed;      /**< files whose bytes were read to hash them */
	size_t recommendations;
	size_t pdf_reads;   /**< PDFs opened by workers this run (= extracted) */
	size_t workers;     /**< worker processes started (each takes many documents) */
	int interrupted;    /**< the run was stopped early; the tree is not complete */
} dhr_scan_stats;

/**
 * Scan `n_paths` PDFs or folders (searched recursively for *.pdf, any case).
 *
 * @param out   receives the scan.json tree (cJSON_Delete() it); NULL on error
 *              or interruption
 * @param stats receives counts (may be NULL)
 * @return 0 when the tree was built (some documents may have failed: see
 *         stats->failed); DHR_EINTERRUPTED when stopped early (finished
 *         documents are in the cache); DHR_EIO, DHR_EUSAGE or DHR_ENOMEM.
 */
int dhr_scan_run(struct cJSON **out, dhr_scan_stats *stats, const char *const *paths, size_t n_paths,
		 const dhr_scan_opts *opts, dhr_error *err);

/** Version of what a worker stores in the cache (extractor and segmenter together). */
#define DHR_PIPELINE_VERSION "e" DHR_STR(DHR_EXTRACT_VERSION) "s" DHR_STR(DHR_SEGMENT_VERSION)
#define DHR_STR_(x) #x
#define DHR_STR(x) DHR_STR_(x)

#endif
