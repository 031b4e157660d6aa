/*
 * include/dhr/doc.h: the document model that extraction produces and every
 * later stage reads. A dhr_doc is plain data: pages of positioned lines with
 * their typography, the outline, and the metadata. It is built by
 * dhr_extract_file() (or by hand in tests and fuzzers with dhr_doc_new() and
 * dhr_doc_add_*) and released with dhr_doc_free(), which frees every string
 * and array below it.
 */
#ifndef DHR_DOC_H
#define DHR_DOC_H

#include <stddef.h>

/** Line flags (bit set). */
enum {
	DHR_LINE_BOLD = 1u << 0,      /**< most of the line is in a bold face */
	DHR_LINE_ITALIC = 1u << 1,    /**< most of the line is italic */
	DHR_LINE_HEADER = 1u << 2,    /**< running header: not part of the text */
	DHR_LINE_FOOTER = 1u << 3,    /**< running footer or page number: not part of the text */
	DHR_LINE_FOOTNOTE = 1u << 4,  /**< footnote text at the foot of the page */
	DHR_LINE_TABLE = 1u << 5,     /**< a table row: `cells` holds its cells with their x (>= 2 cells,
	                                   or 1 on a line that continues multi-line cells of a table) */
	DHR_LINE_PARA_START = 1u << 6 /**< a vertical gap above: starts a new block/paragraph */
};

/** Lines flagged with any of these are furniture, left out of the body text. */
#define DHR_LINE_FURNITURE (DHR_LINE_HEADER | DHR_LINE_FOOTER)

/** One cell of a table row: the text between two column gaps. */
typedef struct dhr_cell {
	char *text;     /**< UTF-8, normalised */
	double x, width;/**< left edge and width in points */
} dhr_cell;

/** One line of text as laid out on the page (top-left origin, points). */
typedef struct dhr_line {
	char *text;        /**< UTF-8, normalised; table cells joined by '\t' */
	double x, y;       /**< left edge, top edge */
	double width, height;
	double font_size;  /**< dominant font size of the line */
	unsigned flags;    /**< DHR_LINE_* */
	int column;        /**< 0 for single-column text; 0,1,... on multi-column pages */
	char *footnote_marks; /**< superscript markers removed from the text ("1,2"), or NULL */
	dhr_cell *cells;   /**< table cells (DHR_LINE_TABLE), else NULL */
	size_t n_cells;
} dhr_line;

/** One page: lines in reading order. */
typedef struct dhr_page {
	int number;          /**< 1-based */
	double width, height;/**< points */
	dhr_line *lines;
	size_t n_lines;
	int image_only;      /**< the page has images but no text */
	int ocr;             /**< the lines were read by OCR */
	double ocr_confidence; /**< mean word confidence of OCR (0-100), when `ocr` */
} dhr_page;

/** One outline (bookmark) entry, in document order. */
typedef struct dhr_outline_entry {
	char *title;
	int level; /**< 0 for top level */
	int page;  /**< 1-based, 0 if unknown */
} dhr_outline_entry;

/** A whole document. All members owned by the doc. */
typedef struct dhr_doc {
	char *path;          /**< as given by the caller */
	char sha256[65];     /**< hex digest of the file bytes, "" if unknown */
	char *title, *author, *producer, *creator;
	char *created;       /**< ISO-8601, or NULL */
	dhr_page *pages;
	size_t n_pages;
	dhr_outline_entry *outline;
	size_t n_outline;
	double body_font_size; /**< modal font size of body text (0 if unknown) */
	char *ocr_engine;    /**< "tesseract 5.3.0" when some page was OCRed, else NULL */
	char **warnings;     /**< extraction warnings (low OCR confidence, ...) */
	size_t n_warnings;
} dhr_doc;

/** A new empty document. @return NULL on out of memory. Free with dhr_doc_free(). */
dhr_doc *dhr_doc_new(const char *path);

/** Free a document and everything it owns. NULL is allowed. */
void dhr_doc_free(dhr_doc *doc);

/**
 * Append an empty page numbered n_pages+1. @return a borrowed pointer to it,
 * valid until the next dhr_doc_add_page(), or NULL on out of memory.
 */
dhr_page *dhr_doc_add_page(dhr_doc *doc, double width, double height);

/**
 * Append a line to `page` (text is copied). @return a borrowed pointer to the
 * new line, valid until the next dhr_doc_add_line() on the same page, or NULL
 * on out of memory.
 */
dhr_line *dhr_doc_add_line(dhr_page *page, const char *text, double x, double y, double width,
			   double height, double font_size, unsigned flags);

/** Append a warning (copied). @return 0 or DHR_ENOMEM. */
int dhr_doc_add_warning(dhr_doc *doc, const char *message);

/** Append an outline entry (title copied). @return 0 or DHR_ENOMEM. */
int dhr_doc_add_outline(dhr_doc *doc, const char *title, int level, int page);

/**
 * Build the document's body text: the non-furniture lines of each page joined
 * by '\n', pages separated by '\f'. @return a malloc'd string the caller
 * frees with free(), or NULL on out of memory.
 */
char *dhr_doc_text(const dhr_doc *doc);

#endif
