/*
 * include/dhr/extract.h: the first stage. Reads a PDF with Poppler and builds
 * a dhr_doc: lines in reading order with font size and weight, running
 * headers/footers and page numbers marked as furniture, footnote markers
 * separated, table rows split into cells, Unicode normalised (NFKC, ligatures,
 * NBSP, soft hyphens) and line-end hyphenation joined where the word is real.
 */
#ifndef DHR_EXTRACT_H
#define DHR_EXTRACT_H

#include "dhr/common.h"
#include "dhr/doc.h"

/** Options for dhr_extract_file(). Zero-initialise, then set what you need. */
typedef struct dhr_extract_opts {
	const char *password; /**< tried as owner and user password; NULL for none */
	int verbose;          /**< non-zero: let Poppler/GLib warnings reach stderr */
	/**
	 * Threads for the pages of one document: 0 or 1 extract on the calling
	 * thread (the default, right for a pool of worker processes); N > 1 lets
	 * up to N threads (8 at most, one per 8 pages) share the pages, each with
	 * its own Poppler document. The result is the same either way.
	 */
	int threads;
	/**
	 * The hex SHA-256 of the bytes when the caller already knows it (the scan
	 * hashes every file to look it up in its cache), so it is not computed
	 * twice; NULL to compute it.
	 */
	const char *sha256;
} dhr_extract_opts;

/**
 * Extract a PDF file into a document model.
 *
 * @param out   receives the document (free with dhr_doc_free()); NULL on error
 * @param path  file system path of the PDF (not a URI)
 * @param opts  options, or NULL for defaults
 * @param err   receives the code and a one-line message naming the file
 * @return 0, or DHR_EIO, DHR_ENOTPDF, DHR_ECORRUPT, DHR_EENCRYPTED,
 *         DHR_ENOTEXT (scanned: the message names the image-only pages), DHR_ENOMEM
 */
int dhr_extract_file(dhr_doc **out, const char *path, const dhr_extract_opts *opts, dhr_error *err);

/**
 * Same as dhr_extract_file() for a PDF already in memory (`data` is borrowed
 * for the duration of the call). `name` is used in messages and as doc->path.
 */
int dhr_extract_buffer(dhr_doc **out, const char *name, const void *data, size_t len,
		       const dhr_extract_opts *opts, dhr_error *err);

/**
 * Keep Poppler's process-wide state (its GlobalParams: encodings, built-in
 * font tables) alive between documents. Poppler builds it when the first
 * document opens and throws it away when the last one closes, so a process
 * that extracts documents one after another rebuilds it every time (about
 * 1 ms); holding one tiny built-in document open avoids that. For a process
 * that extracts many documents (the scan's workers). Thread-safe like any
 * other open. @return a handle for dhr_extract_warm_free(), or NULL if the
 * document could not be opened (nothing is lost: the next open rebuilds it).
 */
typedef struct dhr_extract_warm dhr_extract_warm;
dhr_extract_warm *dhr_extract_warm_up(void);
void dhr_extract_warm_free(dhr_extract_warm *w);

/** Version of the extractor's output; part of the scan cache key. Bump on any change of output. */
#define DHR_EXTRACT_VERSION 1

#endif
