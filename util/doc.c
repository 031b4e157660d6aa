/*
 * util/doc.c: construction, text joining and destruction of the dhr_doc
 * document model (include/dhr/doc.h).
 */
#include "dhr/doc.h"
#include "dhr/common.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Grow *items (of *cap elements of `size` bytes) to hold at least `need`. */
static int grow(void **items, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	void *p = realloc(*items, ncap * size);
	if (!p)
		return DHR_ENOMEM;
	memset((char *)p + *cap * size, 0, (ncap - *cap) * size);
	*items = p;
	*cap = ncap;
	return 0;
}

/* Arrays grow in powers of two from 16, so an array's capacity follows from
 * its count and the public structs need no capacity fields. */
static size_t cap_of(size_t n)
{
	if (n == 0)
		return 0;
	size_t c = 16;
	while (c < n)
		c *= 2;
	return c;
}

dhr_doc *dhr_doc_new(const char *path)
{
	dhr_doc *doc = calloc(1, sizeof *doc);
	if (!doc)
		return NULL;
	if (path && !(doc->path = strdup(path))) {
		free(doc);
		return NULL;
	}
	return doc;
}

static void line_clear(dhr_line *line)
{
	free(line->text);
	free(line->footnote_marks);
	for (size_t i = 0; i < line->n_cells; i++)
		free(line->cells[i].text);
	free(line->cells);
}

void dhr_doc_free(dhr_doc *doc)
{
	if (!doc)
		return;
	for (size_t p = 0; p < doc->n_pages; p++) {
		dhr_page *page = &doc->pages[p];
		for (size_t l = 0; l < page->n_lines; l++)
			line_clear(&page->lines[l]);
		free(page->lines);
	}
	free(doc->pages);
	for (size_t i = 0; i < doc->n_outline; i++)
		free(doc->outline[i].title);
	free(doc->outline);
	free(doc->path);
	free(doc->title);
	free(doc->author);
	free(doc->producer);
	free(doc->creator);
	free(doc->created);
	free(doc->ocr_engine);
	for (size_t i = 0; i < doc->n_warnings; i++)
		free(doc->warnings[i]);
	free(doc->warnings);
	free(doc);
}

dhr_page *dhr_doc_add_page(dhr_doc *doc, double width, double height)
{
	size_t cap = cap_of(doc->n_pages);
	if (grow((void **)&doc->pages, &cap, doc->n_pages + 1, sizeof *doc->pages) < 0)
		return NULL;
	dhr_page *page = &doc->pages[doc->n_pages];
	memset(page, 0, sizeof *page);
	page->number = (int)doc->n_pages + 1;
	page->width = width;
	page->height = height;
	doc->n_pages++;
	return page;
}

dhr_line *dhr_doc_add_line(dhr_page *page, const char *text, double x, double y, double width,
			   double height, double font_size, unsigned flags)
{
	size_t cap = cap_of(page->n_lines);
	if (grow((void **)&page->lines, &cap, page->n_lines + 1, sizeof *page->lines) < 0)
		return NULL;
	dhr_line *line = &page->lines[page->n_lines];
	memset(line, 0, sizeof *line);
	if (!(line->text = strdup(text ? text : "")))
		return NULL;
	line->x = x;
	line->y = y;
	line->width = width;
	line->height = height;
	line->font_size = font_size;
	line->flags = flags;
	page->n_lines++;
	return line;
}

int dhr_doc_add_warning(dhr_doc *doc, const char *message)
{
	size_t cap = cap_of(doc->n_warnings);
	if (grow((void **)&doc->warnings, &cap, doc->n_warnings + 1, sizeof *doc->warnings) < 0)
		return DHR_ENOMEM;
	if (!(doc->warnings[doc->n_warnings] = strdup(message ? message : "")))
		return DHR_ENOMEM;
	doc->n_warnings++;
	return 0;
}

int dhr_doc_add_outline(dhr_doc *doc, const char *title, int level, int page)
{
	size_t cap = cap_of(doc->n_outline);
	if (grow((void **)&doc->outline, &cap, doc->n_outline + 1, sizeof *doc->outline) < 0)
		return DHR_ENOMEM;
	dhr_outline_entry *e = &doc->outline[doc->n_outline];
	if (!(e->title = dup_or_null(title ? title : "")))
		return DHR_ENOMEM;
	e->level = level;
	e->page = page;
	doc->n_outline++;
	return 0;
}

char *dhr_doc_text(const dhr_doc *doc)
{
	size_t len = 1;
	for (size_t p = 0; p < doc->n_pages; p++) {
		len += 1;
		for (size_t l = 0; l < doc->pages[p].n_lines; l++)
			len += strlen(doc->pages[p].lines[l].text) + 1;
	}
	char *out = malloc(len), *w = out;
	if (!out)
		return NULL;
	for (size_t p = 0; p < doc->n_pages; p++) {
		const dhr_page *page = &doc->pages[p];
		if (p > 0)
			*w++ = '\f';
		int first = 1;
		for (size_t l = 0; l < page->n_lines; l++) {
			const dhr_line *line = &page->lines[l];
			if (line->flags & DHR_LINE_FURNITURE)
				continue;
			if (!first)
				*w++ = '\n';
			size_t n = strlen(line->text);
			memcpy(w, line->text, n);
			w += n;
			first = 0;
		}
	}
	*w = '\0';
	return out;
}
