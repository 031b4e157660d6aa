/*
 * tests/support/pdfgen.h: writes small fixture PDFs for the tests with cairo's
 * PDF surface (toy text API, DejaVu/Liberation fonts), so every test runs real
 * PDFs through real Poppler without committed binaries. Primitives (text at a
 * position, wrapped paragraphs, images, outline, metadata) plus ready-made
 * documents (a DHR-like report, a two-column page, a scanned page) and a few
 * file helpers (temp folders, truncation, running a command).
 *
 * Coordinates are PDF points with the origin at the top-left; text is placed
 * by its baseline. Fonts: family "DejaVu Sans", "Liberation Sans", ...
 */
#ifndef DHR_TESTS_PDFGEN_H
#define DHR_TESTS_PDFGEN_H

#include <stddef.h>

#define PDFGEN_A4_W 595.0
#define PDFGEN_A4_H 842.0

typedef struct pdfgen pdfgen;

/** Start a PDF at `path` with pages of w x h points. NULL on failure. */
pdfgen *pdfgen_new(const char *path, double w, double h);

/** Select the font for the following text. */
void pdfgen_font(pdfgen *g, const char *family, int bold, int italic, double size);

/** Draw UTF-8 text with its baseline at (x, y). */
void pdfgen_text(pdfgen *g, double x, double y, const char *utf8);

/** Advance width of `utf8` in the current font. */
double pdfgen_text_width(pdfgen *g, const char *utf8);

/**
 * Draw a paragraph wrapped into lines of at most `width` points, first
 * baseline at y, `leading` points apart. Words are split at spaces only.
 * @return the baseline y after the last line (y + n_lines * leading).
 */
double pdfgen_paragraph(pdfgen *g, double x, double y, double width, double leading, const char *utf8);

/** Paint a grey noise image (no text) into the rectangle. */
void pdfgen_image(pdfgen *g, double x, double y, double w, double h);

/** Draw a thin rule from (x1,y1) to (x2,y2) (table borders). */
void pdfgen_rule(pdfgen *g, double x1, double y1, double x2, double y2);

/** Finish the current page and start the next one (same size). */
void pdfgen_page_break(pdfgen *g);

/** 1-based number of the current page. */
int pdfgen_page(const pdfgen *g);

/**
 * Add an outline (bookmark) entry pointing at `page` (1-based). parent is 0
 * for a top-level entry, or the id returned for the parent. @return its id.
 */
int pdfgen_outline(pdfgen *g, int parent, const char *title, int page);

/** Set the info dictionary. Any argument may be NULL. `created`: "2021-03-04T10:20:30". */
void pdfgen_metadata(pdfgen *g, const char *title, const char *author, const char *creator,
		     const char *created);

/** Finish the file and free `g`. @return 0, or -1 if cairo reported an error. */
int pdfgen_close(pdfgen *g);

/**
 * Release cairo's process-wide font caches (call once, after the last PDF is
 * written) so that valgrind's leak check sees only the program's own memory.
 */
void pdfgen_cleanup(void);

/* ---- ready-made documents ------------------------------------------------ */

/**
 * A DHR-like report of `n_pages` A4 pages: running header "Domestic Homicide
 * Review - Overview Report", footer "Page N of M", numbered bold headings,
 * body paragraphs (about 2,500 characters a page), a footnote marker with its
 * footnote, a recommendations section, an action-plan table with multi-line
 * cells, outline and metadata. With the words the extraction tests look for:
 * "assess-"/"ment" broken at a line end, "multi-"/"agency" broken where
 * "multi-agency" also occurs, the ligature U+FB01 in "ﬁnding", an NBSP in
 * "Mr\u00a0Smith". n_pages >= 4. @return 0 or -1.
 */
int pdfgen_write_report(const char *path, int n_pages);

/** One page with a title line and two columns of text ("Left column ..." / "Right column ..."). */
int pdfgen_write_two_column(const char *path);

/** `n_pages` pages that each carry only an image: a scanned report. */
int pdfgen_write_image_only(const char *path, int n_pages);

/** One page per string in `pages` (n of them), each drawn as a wrapped paragraph. */
int pdfgen_write_text_pages(const char *path, const char *const *pages, size_t n);

/**
 * Run fn(arg) in a child process and return its result (0 or -1; -1 also when
 * the child could not run or died). Test programs write their fixtures this
 * way: cairo's toy font API initialises fontconfig, whose process-lifetime
 * allocations would otherwise show in the leak check of the code under test.
 */
int pdfgen_in_child(int (*fn)(void *arg), void *arg);

/* ---- file helpers -------------------------------------------------------- */

/** Create a fresh temporary folder; returns a malloc'd path (free it) or NULL. */
char *pdfgen_tmpdir(void);

/** Remove a folder created by pdfgen_tmpdir() and the files in it. */
void pdfgen_rmtree(const char *dir);

/** Join a folder and a file name; malloc'd. */
char *pdfgen_path(const char *dir, const char *name);

/** The dhr binary the end-to-end tests run: $DHR_BIN (tests/run.sh sets it), else ./dhr. */
const char *pdfgen_bin(void);

/**
 * A test group's temporary folder: made by pdfgen_group_setup() and removed,
 * with its files, by pdfgen_group_teardown() (cmocka group fixtures).
 */
extern char *pdfgen_dir;
int pdfgen_group_setup(void **state);
int pdfgen_group_teardown(void **state);

/** Write `text` to pdfgen_dir/name. @return the path (free it), or NULL if it cannot be written. */
char *pdfgen_put(const char *name, const char *text);

/** Write bytes to a file. @return 0 or -1. */
int pdfgen_write_bytes(const char *path, const void *data, size_t len);

/** Copy the first `percent`% of src's bytes to dst. @return 0 or -1. */
int pdfgen_truncate_copy(const char *src, const char *dst, int percent);

/**
 * Run a command (argv, NULL-terminated) and capture stdout/stderr into
 * malloc'd strings (either pointer may be NULL to discard). @return the exit
 * status, or -1 if it could not run or died on a signal.
 */
int pdfgen_run(char *const argv[], char **out, char **errout);

#endif
