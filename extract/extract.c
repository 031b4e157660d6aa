/*
 * extract/extract.c: entry points of the extraction stage (include/dhr/extract.h).
 * Checks the bytes, opens them with Poppler (errors mapped to dhr codes),
 * reads metadata and outline, runs the page layout builder on each page
 * (one PopplerPage, one cached TextPage), then the document-wide passes:
 * furniture, footnotes, paragraph starts and de-hyphenation.
 */
#include "dhr/extract.h"

#include <math.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhr/util.h"
#include "internal.h"

/* OCR line sizes this close (points) to the document's main size are that size. */
#define SIZE_SNAP_PT 0.5
/* Pages with fewer non-blank characters than this have no usable text layer. */
#define MIN_PAGE_CHARS 20
/* Outline walks stop here (hostile files can nest or loop). */
#define OUTLINE_MAX_DEPTH 16
#define OUTLINE_MAX_ENTRIES 10000
/* Page workers: at most this many, and only with this many pages each. */
#define MAX_THREADS 8
#define PAGES_PER_THREAD 8

/* ---- GLib/Poppler log messages ------------------------------------------ */

/* Process-wide, like GLib's handlers themselves: the last call's `verbose` wins. */
static gint log_verbose;

static void log_handler(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	(void)level;
	(void)data;
	if (g_atomic_int_get(&log_verbose))
		fprintf(stderr, "dhr: %s: %s\n", domain ? domain : "glib", message ? message : "");
}

static void install_log_handlers(int verbose)
{
	static gsize once = 0;
	g_atomic_int_set(&log_verbose, verbose ? 1 : 0);
	if (g_once_init_enter(&once)) {
		g_log_set_handler("Poppler", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION, log_handler,
				  NULL);
		g_log_set_default_handler(log_handler, NULL);
		g_once_init_leave(&once, 1);
	}
}

/* ---- helpers ---------------------------------------------------------------- */

/* Normalised, malloc'd copy of a Poppler string (freed here), or NULL if empty. */
static char *take_string(gchar *s, GString *buf, GString *tmp)
{
	if (!s)
		return NULL;
	g_string_truncate(buf, 0);
	extract_normalize(buf, s, strlen(s), tmp);
	g_free(s);
	return buf->len ? strdup(buf->str) : NULL;
}

static int dest_page(PopplerDocument *pd, PopplerDest *dest)
{
	if (!dest)
		return 0;
	if (dest->type == POPPLER_DEST_NAMED) {
		if (!dest->named_dest)
			return 0;
		PopplerDest *d = poppler_document_find_dest(pd, dest->named_dest);
		int page = d ? d->page_num : 0;
		poppler_dest_free(d);
		return page;
	}
	return dest->page_num;
}

static int walk_outline(PopplerDocument *pd, PopplerIndexIter *it, int level, dhr_doc *doc, int *budget,
			GString *buf, GString *tmp)
{
	do {
		PopplerAction *a = poppler_index_iter_get_action(it);
		if (a) {
			int page = a->type == POPPLER_ACTION_GOTO_DEST ? dest_page(pd, a->goto_dest.dest) : 0;
			g_string_truncate(buf, 0);
			if (a->any.title)
				extract_normalize(buf, a->any.title, strlen(a->any.title), tmp);
			poppler_action_free(a);
			if (page < 0 || page > (int)poppler_document_get_n_pages(pd))
				page = 0;
			if (dhr_doc_add_outline(doc, buf->str, level, page) < 0)
				return DHR_ENOMEM;
		}
		if (level + 1 < OUTLINE_MAX_DEPTH) {
			PopplerIndexIter *child = poppler_index_iter_get_child(it);
			if (child) {
				int rc = walk_outline(pd, child, level + 1, doc, budget, buf, tmp);
				poppler_index_iter_free(child);
				if (rc < 0)
					return rc;
			}
		}
	} while (--*budget > 0 && poppler_index_iter_next(it));
	return 0;
}

static int open_error(dhr_error *err, const char *name, const GError *gerr, int had_password)
{
	if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
		return dhr_error_set(err, DHR_EENCRYPTED, "%s: %s", name,
				     had_password ? "encrypted, and the password is wrong" : "encrypted: a password is required");
	if (gerr && gerr->domain == G_FILE_ERROR)
		return dhr_error_set(err, DHR_EIO, "%s: cannot open: %s", name, gerr->message);
	return dhr_error_set(err, DHR_ECORRUPT, "%s: corrupt or truncated PDF (%s)", name,
			     gerr && gerr->message ? gerr->message : "unknown error");
}

/* "1-3, 7" from the 1-based numbers of image-only pages. */
static void page_ranges(GString *out, const dhr_doc *doc)
{
	size_t p = 0;
	while (p < doc->n_pages) {
		if (!doc->pages[p].image_only) {
			p++;
			continue;
		}
		size_t q = p;
		while (q + 1 < doc->n_pages && doc->pages[q + 1].image_only)
			q++;
		if (out->len)
			g_string_append(out, ", ");
		if (q > p)
			g_string_append_printf(out, "%zu-%zu", p + 1, q + 1);
		else
			g_string_append_printf(out, "%zu", p + 1);
		p = q + 1;
	}
}

/* The page carries images over a good part of it (a scan). Costs a render pass: call only for textless pages. */
static int page_has_images(PopplerPage *page, double w, double h)
{
	GList *map = poppler_page_get_image_mapping(page);
	double area = 0;
	for (GList *l = map; l; l = l->next) {
		const PopplerImageMapping *m = l->data;
		area += (m->area.x2 - m->area.x1) * (m->area.y2 - m->area.y1);
	}
	poppler_page_free_image_mapping(map);
	return map != NULL && area >= 0.3 * w * h;
}

static void read_metadata(PopplerDocument *pd, dhr_doc *doc, GString *buf, GString *tmp)
{
	doc->title = take_string(poppler_document_get_title(pd), buf, tmp);
	doc->author = take_string(poppler_document_get_author(pd), buf, tmp);
	doc->producer = take_string(poppler_document_get_producer(pd), buf, tmp);
	doc->creator = take_string(poppler_document_get_creator(pd), buf, tmp);
	GDateTime *dt = poppler_document_get_creation_date_time(pd);
	if (dt) {
		gchar *iso = g_date_time_format_iso8601(dt);
		doc->created = iso ? strdup(iso) : NULL;
		g_free(iso);
		g_date_time_unref(dt);
	}
}

/*
 * Open PDF bytes with Poppler. Without a password: poppler_document_new_from_bytes.
 * With one, Poppler 22.12's from_bytes and from_data crash on a wrong password
 * (their retry with the UTF-8 form of the password copies a stream that is no
 * longer valid) and from_fd reads freed memory; from_stream over a GIO memory
 * stream retries safely.
 */
static PopplerDocument *open_pdf(const void *data, size_t len, const char *password, GError **gerr)
{
	if (!password) {
		GBytes *bytes = g_bytes_new_static(data, len);
		PopplerDocument *pd = poppler_document_new_from_bytes(bytes, NULL, gerr);
		g_bytes_unref(bytes);
		return pd;
	}
	GInputStream *in = g_memory_input_stream_new_from_data(data, (gssize)len, NULL);
	PopplerDocument *pd = poppler_document_new_from_stream(in, (goffset)len, password, NULL, gerr);
	g_object_unref(in);
	return pd;
}

/* ---- keeping Poppler warm between documents -------------------------------- */

struct dhr_extract_warm {
	GString *pdf; /* the bytes Poppler reads from, alive as long as the document */
	PopplerDocument *pd;
};

/* A one-page PDF with a line of Helvetica text, its xref offsets computed. */
static GString *tiny_pdf(void)
{
	static const char *const objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R"
		" /Resources << /Font << /F1 5 0 R >> >> >>",
		NULL, /* the content stream, below */
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	};
	static const char content[] = "BT /F1 12 Tf 20 50 Td (dhr) Tj ET";
	GString *g = g_string_new("%PDF-1.4\n");
	long off[5];
	for (int i = 0; i < 5; i++) {
		off[i] = (long)g->len;
		if (objs[i])
			g_string_append_printf(g, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
		else
			g_string_append_printf(g, "%d 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n", i + 1,
					       sizeof content - 1, content);
	}
	long xref = (long)g->len;
	g_string_append(g, "xref\n0 6\n0000000000 65535 f \n");
	for (int i = 0; i < 5; i++)
		g_string_append_printf(g, "%010ld 00000 n \n", off[i]);
	g_string_append_printf(g, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", xref);
	return g;
}

dhr_extract_warm *dhr_extract_warm_up(void)
{
	dhr_extract_warm *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->pdf = tiny_pdf();
	w->pd = open_pdf(w->pdf->str, w->pdf->len, NULL, NULL);
	if (!w->pd) {
		dhr_extract_warm_free(w);
		return NULL;
	}
	/* one page's text, so the text path's own tables are built too */
	PopplerPage *page = poppler_document_get_page(w->pd, 0);
	if (page) {
		g_free(poppler_page_get_text(page));
		g_object_unref(page);
	}
	return w;
}

void dhr_extract_warm_free(dhr_extract_warm *w)
{
	if (!w)
		return;
	if (w->pd)
		g_object_unref(w->pd);
	dhr_ocr_end();
	if (w->pdf)
		g_string_free(w->pdf, TRUE);
	free(w);
}

/* ---- pages, on one or more threads ------------------------------------------ */

/* Work shared by the page workers. */
typedef struct page_job {
	const void *data;
	size_t len;
	const char *password;
	dhr_doc *doc;
	long *nchars; /* non-blank characters per page */
	int n_pages;
	gint next;    /* next page index to take (atomic) */
	gint stop;    /* a worker failed: the others stop (atomic) */
} page_job;

/* One worker: its own PopplerDocument (Poppler objects are not shared between threads) and buffers. */
typedef struct page_worker {
	page_job *job;
	PopplerDocument *pd;
	int own_pd;
	extract_ctx ctx;
	int rc;       /* 0, DHR_ECORRUPT, DHR_ENOMEM or the open error */
	int bad_page; /* 0-based page of the failure */
	GError *gerr; /* when opening failed */
} page_worker;

/* Extract page i into job->doc: one PopplerPage, whose cached TextPage serves all three calls. */
static int extract_page(page_worker *w, int i)
{
	PopplerPage *page = poppler_document_get_page(w->pd, i);
	if (!page)
		return DHR_ECORRUPT;
	dhr_page *dp = &w->job->doc->pages[i];
	poppler_page_get_size(page, &dp->width, &dp->height);
	char *text = poppler_page_get_text(page);
	PopplerRectangle *rects = NULL;
	guint n_rects = 0;
	if (!text || !poppler_page_get_text_layout(page, &rects, &n_rects))
		n_rects = 0;
	GList *attrs = n_rects ? poppler_page_get_text_attributes(page) : NULL;
	long nch = extract_layout_page(&w->ctx, dp, text ? text : "", rects, n_rects, attrs);
	poppler_page_free_text_attributes(attrs);
	g_free(rects);
	g_free(text);
	g_object_unref(page);
	if (nch < 0)
		return DHR_ENOMEM;
	w->job->nchars[i] = nch;
	return 0;
}

static gpointer page_worker_run(gpointer data)
{
	page_worker *w = data;
	page_job *j = w->job;
	if (!w->pd) {
		w->pd = open_pdf(j->data, j->len, j->password, &w->gerr);
		if (!w->pd) {
			w->rc = DHR_ECORRUPT;
			g_atomic_int_set(&j->stop, 1);
			return NULL;
		}
		w->own_pd = 1;
	}
	while (!g_atomic_int_get(&j->stop)) {
		int i = g_atomic_int_add(&j->next, 1);
		if (i >= j->n_pages)
			break;
		int rc = extract_page(w, i);
		if (rc < 0) {
			w->rc = rc;
			w->bad_page = i;
			g_atomic_int_set(&j->stop, 1);
			break;
		}
	}
	return NULL;
}

/*
 * Extract every page of `doc` (pages already allocated). With threads > 1 and
 * a long document, up to `threads` workers take pages from a shared counter;
 * each opens its own PopplerDocument on the same bytes. The workers'
 * font-size counts are added into `ctx`. Results do not depend on the number
 * of threads.
 */
static int run_pages(PopplerDocument *pd, const void *data, size_t len, const char *password, dhr_doc *doc,
		     long *nchars, int threads, extract_ctx *ctx, dhr_error *err, const char *name)
{
	page_job job = {data, len, password, doc, nchars, (int)doc->n_pages, 0, 0};
	int n = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
	if (n > job.n_pages / PAGES_PER_THREAD)
		n = job.n_pages / PAGES_PER_THREAD;
	if (n < 1)
		n = 1;
	page_worker w[MAX_THREADS];
	GThread *t[MAX_THREADS] = {NULL};
	memset(w, 0, sizeof w);
	for (int k = 0; k < n; k++) {
		w[k].job = &job;
		w[k].pd = k == 0 ? pd : NULL;
	}
	for (int k = 1; k < n; k++)
		t[k] = g_thread_new("dhr-extract", page_worker_run, &w[k]);
	page_worker_run(&w[0]);
	/* report the failure of the earliest page (an open failure only if nothing else failed) */
	int rc = 0;
	const page_worker *failed = NULL;
	for (int k = 0; k < n; k++) {
		if (t[k])
			g_thread_join(t[k]);
		if (w[k].rc < 0 && (!failed || (!w[k].gerr && (failed->gerr || w[k].bad_page < failed->bad_page))))
			failed = &w[k];
	}
	if (failed) {
		if (failed->gerr)
			rc = open_error(err, name, failed->gerr, password != NULL);
		else if (failed->rc == DHR_ENOMEM)
			rc = dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", name);
		else
			rc = dhr_error_set(err, DHR_ECORRUPT, "%s: corrupt or truncated PDF (page %d cannot be read)", name,
					   failed->bad_page + 1);
	}
	for (int k = 0; k < n; k++) {
		for (int b = 0; b < 400; b++)
			ctx->size_hist[b] += w[k].ctx.size_hist[b];
		ctx->total_chars += w[k].ctx.total_chars;
		extract_ctx_clear(&w[k].ctx);
		if (w[k].own_pd)
			g_object_unref(w[k].pd);
		if (w[k].gerr)
			g_error_free(w[k].gerr);
	}
	return rc;
}

/* ---- OCR of pages without a text layer ---------------------------------------- */

static void page_clear_lines(dhr_page *p)
{
	for (size_t l = 0; l < p->n_lines; l++) {
		dhr_line *line = &p->lines[l];
		free(line->text);
		free(line->footnote_marks);
		for (size_t c = 0; c < line->n_cells; c++)
			free(line->cells[c].text);
		free(line->cells);
	}
	free(p->lines);
	p->lines = NULL;
	p->n_lines = 0;
}

/*
 * OCR sizes are estimates that waver by half a point from page to page; the
 * body text of a document is one size. Lines of OCR pages within half a point of the
 * size most of the document's text has become that size (each page was
 * snapped to its own main size already; this makes the pages agree, and a
 * mixed document's scanned page agree with its text pages).
 */
static void snap_ocr_sizes(dhr_doc *doc)
{
	unsigned long hist[400] = {0};
	/* the main size of all the text (a mixed document's OCR pages take its text pages' size) */
	for (size_t p = 0; p < doc->n_pages; p++)
		for (size_t l = 0; l < doc->pages[p].n_lines; l++) {
			int b = (int)(doc->pages[p].lines[l].font_size * 2 + 0.5);
			if (b >= 0 && b < 400)
				hist[b] += strlen(doc->pages[p].lines[l].text);
		}
	int best = 0;
	for (int b = 1; b < 400; b++)
		if (hist[b] > hist[best])
			best = b;
	double main_size = best / 2.0;
	if (hist[best] == 0)
		return;
	for (size_t p = 0; p < doc->n_pages; p++)
		for (size_t l = 0; doc->pages[p].ocr && l < doc->pages[p].n_lines; l++) {
			dhr_line *line = &doc->pages[p].lines[l];
			if (fabs(line->font_size - main_size) <= SIZE_SNAP_PT)
				line->font_size = main_size;
		}
}

/*
 * Read pages by OCR: in DHR_OCR_FORCE every page (the text layer's lines and
 * font counts are dropped), in DHR_OCR_AUTO the image-only ones. Language
 * data that is missing is the document's error (DHR_EOCR) when OCR was forced
 * or the document has no text otherwise, else a warning: the pages with text
 * are still read. Low confidence is a warning naming the page.
 */
static int ocr_pages(PopplerDocument *pd, dhr_doc *doc, long *nchars, int mode, const dhr_extract_opts *opts,
		     extract_ctx *ctx, int pages_with_text, GString *buf, dhr_error *err, const char *name)
{
	int n = 0;
	for (size_t i = 0; i < doc->n_pages; i++)
		n += mode == DHR_OCR_FORCE || doc->pages[i].image_only;
	if (n == 0)
		return 0;
	dhr_error oerr;
	dhr_error_clear(&oerr);
	int rc = extract_ocr_start(opts->tessdata, name, &oerr);
	if (rc == DHR_EOCR && mode == DHR_OCR_AUTO && pages_with_text > 0) {
		g_string_printf(buf, "%d page%s without a text layer not read: %s", n, n > 1 ? "s" : "", oerr.message);
		return dhr_doc_add_warning(doc, buf->str) < 0 ? dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", name)
							       : 0;
	}
	if (rc < 0) {
		if (err)
			*err = oerr;
		return rc;
	}
	if (mode == DHR_OCR_FORCE) {
		memset(ctx->size_hist, 0, sizeof ctx->size_hist);
		ctx->total_chars = 0;
	}
	if (!(doc->ocr_engine = strdup(dhr_ocr_engine())))
		return dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", name);
	if (opts->ocr_progress)
		opts->ocr_progress(0, n, opts->ocr_payload);
	int done = 0;
	for (size_t i = 0; i < doc->n_pages; i++) {
		dhr_page *dp = &doc->pages[i];
		if (!(mode == DHR_OCR_FORCE || dp->image_only))
			continue;
		PopplerPage *page = poppler_document_get_page(pd, (int)i);
		if (!page)
			return dhr_error_set(err, DHR_ECORRUPT, "%s: corrupt or truncated PDF (page %zu cannot be read)",
					     name, i + 1);
		page_clear_lines(dp);
		double conf = 0;
		long words = 0;
		long nch = extract_ocr_page(ctx, page, dp, &conf, &words);
		g_object_unref(page);
		if (nch == DHR_ENOMEM)
			return dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", name);
		if (nch < 0)
			return dhr_error_set(err, DHR_EOCR, "%s: OCR failed on page %zu", name, i + 1);
		nchars[i] = nch;
		dp->ocr = 1;
		dp->ocr_confidence = round(conf * 10) / 10;
		if (words >= 5 && dp->ocr_confidence < DHR_OCR_LOW_CONFIDENCE) {
			g_string_printf(buf,
					"page %zu: OCR confidence %.1f is below %.0f: check the text read from it against "
					"the PDF",
					i + 1, dp->ocr_confidence, DHR_OCR_LOW_CONFIDENCE);
			if (dhr_doc_add_warning(doc, buf->str) < 0)
				return dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", name);
		}
		if (opts->ocr_progress)
			opts->ocr_progress(++done, n, opts->ocr_payload);
	}
	snap_ocr_sizes(doc);
	return 0;
}

/* ---- public API ------------------------------------------------------------------- */

int dhr_extract_buffer(dhr_doc **out, const char *name, const void *data, size_t len,
		       const dhr_extract_opts *opts, dhr_error *err)
{
	int rc = 0;
	dhr_doc *doc = NULL;
	PopplerDocument *pd = NULL;
	PopplerPage *page = NULL;
	GError *gerr = NULL;
	long *nchars = NULL;
	extract_ctx ctx;
	GString *buf = g_string_new(NULL), *tmp = g_string_new(NULL);
	const char *password = opts ? opts->password : NULL;

	memset(&ctx, 0, sizeof ctx);
	*out = NULL;
	if (!name)
		name = "(buffer)";
	install_log_handlers(opts && opts->verbose);

	if (len == 0) {
		rc = dhr_error_set(err, DHR_ENOTPDF, "%s: not a PDF (empty file)", name);
		goto cleanup;
	}
	if (!memmem(data, len < 1024 ? len : 1024, "%PDF-", 5)) {
		rc = dhr_error_set(err, DHR_ENOTPDF, "%s: not a PDF (no %%PDF- header)", name);
		goto cleanup;
	}
	if (!(doc = dhr_doc_new(name))) {
		rc = dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", name);
		goto cleanup;
	}
	if (opts && opts->sha256 && strlen(opts->sha256) == 64)
		memcpy(doc->sha256, opts->sha256, 65);
	else
		dhr_sha256_hex(doc->sha256, data, len);

	/* Poppler borrows `data` while the document lives; both end in this call. */
	pd = open_pdf(data, len, password, &gerr);
	if (!pd) {
		rc = open_error(err, name, gerr, password != NULL);
		goto cleanup;
	}
	read_metadata(pd, doc, buf, tmp);
	PopplerIndexIter *it = poppler_index_iter_new(pd);
	if (it) {
		int budget = OUTLINE_MAX_ENTRIES;
		rc = walk_outline(pd, it, 0, doc, &budget, buf, tmp);
		poppler_index_iter_free(it);
		if (rc < 0) {
			rc = dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", name);
			goto cleanup;
		}
	}

	int n_pages = poppler_document_get_n_pages(pd);
	if (n_pages <= 0) {
		rc = dhr_error_set(err, DHR_ECORRUPT, "%s: corrupt or truncated PDF (no pages)", name);
		goto cleanup;
	}
	/* all pages first: the workers fill them in place, so the array must not move */
	for (int i = 0; i < n_pages; i++)
		if (!dhr_doc_add_page(doc, 0, 0)) {
			rc = dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", name);
			goto cleanup;
		}
	if (!(nchars = calloc((size_t)n_pages, sizeof *nchars))) {
		rc = dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", name);
		goto cleanup;
	}
	rc = run_pages(pd, data, len, password, doc, nchars, opts ? opts->threads : 1, &ctx, err, name);
	if (rc < 0)
		goto cleanup;
	int pages_with_text = 0, image_pages = 0;
	for (int i = 0; i < n_pages; i++) {
		if (nchars[i] >= MIN_PAGE_CHARS) {
			pages_with_text++;
			continue;
		}
		/* textless: a scan? (a render pass, so only here, and on this thread) */
		if (!(page = poppler_document_get_page(pd, i)))
			continue;
		if (page_has_images(page, doc->pages[i].width, doc->pages[i].height)) {
			doc->pages[i].image_only = 1;
			image_pages++;
		}
		g_object_unref(page);
		page = NULL;
	}
	int ocr_mode = opts ? opts->ocr : DHR_OCR_OFF;
	if (ocr_mode == DHR_OCR_FORCE || (ocr_mode == DHR_OCR_AUTO && image_pages > 0)) {
		rc = ocr_pages(pd, doc, nchars, ocr_mode, opts, &ctx, pages_with_text, buf, err, name);
		if (rc < 0)
			goto cleanup;
		pages_with_text = 0;
		for (int i = 0; i < n_pages; i++)
			pages_with_text += nchars[i] >= MIN_PAGE_CHARS;
	}
	if (ctx.total_chars == 0 || (pages_with_text == 0 && image_pages > 0)) {
		g_string_truncate(buf, 0);
		page_ranges(buf, doc);
		if (buf->len && doc->ocr_engine)
			rc = dhr_error_set(err, DHR_ENOTEXT, "%s: no text layer on page%s %s, and OCR found no text in %s",
					   name, image_pages > 1 ? "s" : "", buf->str, image_pages > 1 ? "them" : "it");
		else if (buf->len)
			rc = dhr_error_set(err, DHR_ENOTEXT, "%s: no text layer on page%s %s (scanned?%s)", name,
					   image_pages > 1 ? "s" : "", buf->str,
					   ocr_mode == DHR_OCR_OFF ? " OCR is off: try --ocr auto" : "");
		else
			rc = dhr_error_set(err, DHR_ENOTEXT, "%s: no text on any page", name);
		goto cleanup;
	}

	/* body font size: the mode of the character counts by size */
	unsigned long best = 0;
	for (int b = 0; b < 400; b++)
		if (ctx.size_hist[b] > best) {
			best = ctx.size_hist[b];
			doc->body_font_size = b / 2.0;
		}
	extract_mark_furniture(doc);
	extract_mark_footnotes(doc);
	extract_mark_paragraphs(doc);
	if (extract_dehyphenate(doc) < 0) {
		rc = dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", name);
		goto cleanup;
	}
	*out = doc;
	doc = NULL;

cleanup:
	if (page)
		g_object_unref(page);
	if (pd)
		g_object_unref(pd);
	if (gerr)
		g_error_free(gerr);
	extract_ctx_clear(&ctx);
	free(nchars);
	g_string_free(buf, TRUE);
	g_string_free(tmp, TRUE);
	dhr_doc_free(doc);
	return rc;
}

int dhr_extract_file(dhr_doc **out, const char *path, const dhr_extract_opts *opts, dhr_error *err)
{
	char *data = NULL;
	size_t len = 0;
	*out = NULL;
	install_log_handlers(opts && opts->verbose);
	int rc = dhr_read_file(&data, &len, path, err);
	if (rc < 0) {
		/* "path: No such file" -> "path: no such file": messages are lower-case */
		if (err) {
			size_t n = strlen(path);
			if (strncmp(err->message, path, n) == 0 && err->message[n] == ':' && err->message[n + 1] == ' ')
				err->message[n + 2] = (char)g_ascii_tolower(err->message[n + 2]);
		}
		return rc;
	}
	rc = dhr_extract_buffer(out, path, data, len, opts, err);
	free(data);
	return rc;
}
