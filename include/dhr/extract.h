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
	/**
	 * When to read pages by OCR (Tesseract): DHR_OCR_OFF (0, the library's
	 * default: image-only pages make the document DHR_ENOTEXT), DHR_OCR_AUTO
	 * (pages with images but no text layer; the CLI's default) or
	 * DHR_OCR_FORCE (every page, text layer or not).
	 */
	int ocr;
	/** Folder holding eng.traineddata; NULL: $TESSDATA_PREFIX, else DHR_TESSDATA_DEFAULT. */
	const char *tessdata;
	/**
	 * Called (on the extracting thread) with done = 0 once the pages to OCR
	 * are known, and after each OCR page; NULL for none. For a caller's
	 * deadline and progress display.
	 */
	void (*ocr_progress)(int done, int total, void *payload);
	void *ocr_payload;
} dhr_extract_opts;

/** OCR modes (dhr_extract_opts.ocr). */
enum { DHR_OCR_OFF = 0, DHR_OCR_AUTO = 1, DHR_OCR_FORCE = 2 };

/** Where Debian's tesseract-ocr-eng puts the language data. */
#define DHR_TESSDATA_DEFAULT "/usr/share/tesseract-ocr/5/tessdata"

/** Render resolution of OCR pages, dots per inch. */
#define DHR_OCR_DPI 300

/** A page whose mean word confidence (0-100) is below this gets a warning. */
#define DHR_OCR_LOW_CONFIDENCE 60.0

/** Parse "auto", "off" or "force". @return the DHR_OCR_* mode, or -1. */
int dhr_ocr_mode_parse(const char *s);

/** The name of a DHR_OCR_* mode ("auto", "off", "force"). */
const char *dhr_ocr_mode_name(int mode);

/**
 * An identity of what OCR in `mode` would produce here: the mode, the
 * Tesseract version and the language data file (path, size, modification
 * time), e.g. "off" or "auto-tesseract5.3.0-eng4113088-1671000000". For
 * cache keys. `tessdata` as in dhr_extract_opts. Written into `buf`.
 */
void dhr_ocr_identity(char *buf, size_t size, int mode, const char *tessdata);

/** "tesseract 5.3.0": the OCR engine and its version. */
const char *dhr_ocr_engine(void);

/**
 * Release the process's OCR engine (it is started on the first OCR page and
 * kept for the next documents, because starting it takes about 0.3 s).
 * Harmless when it was never started.
 */
void dhr_ocr_end(void);

/**
 * Extract a PDF file into a document model.
 *
 * @param out   receives the document (free with dhr_doc_free()); NULL on error
 * @param path  file system path of the PDF (not a URI)
 * @param opts  options, or NULL for defaults
 * @param err   receives the code and a one-line message naming the file
 * @return 0, or DHR_EIO, DHR_ENOTPDF, DHR_ECORRUPT, DHR_EENCRYPTED,
 *         DHR_ENOTEXT (scanned: the message names the image-only pages), DHR_EOCR (the
 *         pages need OCR but Tesseract or its language data is missing), DHR_ENOMEM
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
#define DHR_EXTRACT_VERSION 2

#endif
