/*
 * extract/internal.h: private interfaces between the files of the extraction
 * stage: the per-page layout builder (layout.c: characters -> lines, columns,
 * footnote markers, table cells), text normalisation and de-hyphenation
 * (text.c), and the document-wide passes over the finished lines
 * (furniture.c: running headers/footers, footnotes, paragraph starts).
 * Not installed; GLib and Poppler types may appear here.
 */
#ifndef DHR_EXTRACT_INTERNAL_H
#define DHR_EXTRACT_INTERNAL_H

#include <glib.h>
#include <poppler.h>
#include <stddef.h>
#include <stdint.h>

#include "dhr/common.h"
#include "dhr/doc.h"

/** Flags of one character (xchar.flags). */
enum {
	XC_BOLD = 1u << 0,
	XC_ITALIC = 1u << 1,
	XC_SPACE = 1u << 2, /**< Poppler put a space or a line break before it */
	XC_MARK = 1u << 3,  /**< part of a footnote marker (small raised digits) */
	XC_DROP = 1u << 4,  /**< left out of the line's text */
	XC_JOIN = 1u << 5   /**< no space before it (punctuation after a removed marker) */
};

/**
 * One non-blank character of a page with its layout box (top-left origin,
 * points) and typography. Whitespace is not stored: it only sets XC_SPACE on
 * the next character. Stored by value in one array per page, no mallocs.
 */
typedef struct xchar {
	float x1, y1, x2, y2;
	float size;   /**< font size from the text attributes */
	uint32_t off; /**< byte offset in the page's UTF-8 text */
	uint8_t len;  /**< UTF-8 length in bytes */
	uint8_t flags;
	uint16_t pad;
} xchar;

/** A run of characters Poppler put on one line (between two '\n'). */
typedef struct xfrag {
	uint32_t start, end; /**< [start, end) in the char array */
	float x1, y1, x2, y2;
	int zone; /**< 0 above the columns, 1 in them, 2 below */
	int col;  /**< column within zone 1 */
} xfrag;

/** A word of a line: characters without a space or gap between them. */
typedef struct xword {
	uint32_t start, end; /**< [start, end) in extract_ctx.lidx */
	float x1, x2;
} xword;

/** A cell of a line: consecutive words between two column gaps. */
typedef struct xseg {
	uint32_t wstart, wend; /**< [wstart, wend) in extract_ctx.words */
	float x1, x2;
} xseg;

/** A physical line of the page being built, before it becomes a dhr_line. */
typedef struct xline {
	uint32_t wstart, wend; /**< its words */
	uint32_t sstart, send; /**< its cells */
	uint32_t mstart, mlen; /**< footnote markers removed, in extract_ctx.marks */
	float x1, y1, x2, y2;
	float dom;             /**< dominant font size */
	uint32_t kept, nbold, nital;
	int zone, col;
	int table;             /**< cells follow the columns of a table */
} xline;

/**
 * Working memory of the extractor, reused from page to page so that a page
 * costs a handful of allocations, not one per character.
 */
typedef struct extract_ctx {
	xchar *chars;
	size_t n_chars, cap_chars;
	xfrag *frags;
	size_t n_frags, cap_frags;
	uint32_t *lidx; /**< character indices of the page's lines, each line in x order */
	size_t n_lidx, cap_lidx;
	xword *words;
	size_t n_words, cap_words;
	xseg *segs;
	size_t n_segs, cap_segs;
	xline *lines;
	size_t n_lines, cap_lines;
	GString *marks; /**< footnote markers of the page's lines */
	GString *buf;  /**< text assembly */
	GString *tmp;  /**< normalisation scratch */
	GString *raw;  /**< one cell or line before normalisation */
	/** characters per font size in 0.5 pt steps (0..199.5 pt): body size = mode */
	unsigned long size_hist[400];
	size_t total_chars; /**< non-blank characters in the whole document */
	int *cov;      /**< x coverage histogram for gutter detection */
	size_t cap_cov;
} extract_ctx;

/** Free the buffers of a context (not the struct itself). */
void extract_ctx_clear(extract_ctx *ctx);

/**
 * Build the lines of one page from Poppler's page text, its per-character
 * layout rectangles and text-attribute runs (all of one PopplerPage), and
 * append them to `page` in reading order.
 * @param rects  one layout rectangle per character of `text`
 * @param attrs  GList of PopplerTextAttributes
 * @return number of non-blank characters on the page, or DHR_ENOMEM
 */
long extract_layout_page(extract_ctx *ctx, dhr_page *page, const char *text, const PopplerRectangle *rects,
			 size_t n_rects, GList *attrs);

/**
 * Start the process's OCR engine with the language data in `tessdata` (NULL:
 * $TESSDATA_PREFIX or the Debian default), or keep the one already running.
 * @return 0, or DHR_EOCR (the message names `name`, the missing file and the
 * package to install), DHR_ENOMEM.
 */
int extract_ocr_start(const char *tessdata, const char *name, dhr_error *err);

/**
 * Read one page by OCR (the engine started): render at DHR_OCR_DPI, recognise,
 * and build its lines with extract_layout_page(). `dp` has its size set.
 * @param confidence receives the mean word confidence (0-100)
 * @param n_words    receives the number of words recognised
 * @return number of non-blank characters, DHR_ENOMEM, or DHR_EOCR if
 *         recognition failed.
 */
long extract_ocr_page(extract_ctx *ctx, PopplerPage *page, dhr_page *dp, double *confidence, long *n_words);

/**
 * Normalise a line or cell of text: NFKC (ligatures), NBSP and other spaces
 * to ' ', soft hyphens and zero-width characters dropped (a soft hyphen that
 * ends the text is kept for de-hyphenation), whitespace collapsed and
 * trimmed. Pure-ASCII input skips Unicode normalisation. Appends to `out`.
 */
void extract_normalize(GString *out, const char *s, size_t len, GString *tmp);

/** Font-name test: 1 if the PostScript/family name denotes a bold face. */
int extract_font_is_bold(const char *name);

/** Font-name test: 1 if italic or oblique. */
int extract_font_is_italic(const char *name);

/** Mark running headers, footers and page numbers (DHR_LINE_HEADER/FOOTER). */
int extract_mark_furniture(dhr_doc *doc);

/** Mark the footnote block at the foot of each page (DHR_LINE_FOOTNOTE). */
void extract_mark_footnotes(dhr_doc *doc);

/** Mark lines that start a paragraph or block (DHR_LINE_PARA_START). */
void extract_mark_paragraphs(dhr_doc *doc);

/**
 * Join words broken at a line end ("assess-" / "ment") where the joined word
 * occurs unhyphenated in the document or is in the built-in lexicon; keep the
 * hyphen otherwise ("multi-" / "agency" -> "multi-agency"). The continuation
 * moves to the first line. @return 0 or DHR_ENOMEM.
 */
int extract_dehyphenate(dhr_doc *doc);

/** 1 if `word` (lower-case ASCII) is in the built-in lexicon of common words. */
int extract_lexicon_has(const char *word);

#endif
