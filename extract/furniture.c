/*
 * extract/furniture.c: document-wide passes over the extracted lines: running
 * headers, footers and page numbers (repetition across pages, keyed by band
 * and by text with digits folded), the footnote block at the foot of each
 * page, and paragraph starts from vertical gaps and changes of typography.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dhr/common.h"

#define TOP_BAND 0.12    /* share of the page height holding running headers */
#define BOTTOM_BAND 0.88 /* ... and where the footer band starts */

/* 'T' top band, 'B' bottom band, 0 neither. */
static char band_of(const dhr_line *l, const dhr_page *page)
{
	if (page->height <= 0)
		return 0;
	if (l->y + l->height <= page->height * TOP_BAND)
		return 'T';
	if (l->y >= page->height * BOTTOM_BAND)
		return 'B';
	return 0;
}

/* Fold a line for comparison: lower-case, digit runs -> '#', blanks collapsed. */
static void fold(GString *out, const char *s)
{
	g_string_truncate(out, 0);
	int space = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == ' ' || c == '\t') {
			space = out->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(out, ' ');
		space = 0;
		if (g_ascii_isdigit(c)) {
			if (out->len == 0 || out->str[out->len - 1] != '#')
				g_string_append_c(out, '#');
			continue;
		}
		g_string_append_c(out, (char)g_ascii_tolower(c));
	}
}

static int is_roman(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 6)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("ivxlc", s[i]))
			return 0;
	return 1;
}

/* A folded text that is only a page number: "#", "page # of #", "- # -", ... */
static int is_page_number(const char *f)
{
	static const char *const forms[] = {
		"#", "page #", "page # of #", "# of #", "- # -", "\xe2\x80\x93 # \xe2\x80\x93", "\xe2\x80\x94 # \xe2\x80\x94",
		"-#-", "p. #", "p #", "pg #", "pg. #", "[#]", "(#)", "#/#", "page #/#", "page: #", "page | #", "# | page",
	};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		if (strcmp(f, forms[i]) == 0)
			return 1;
	if (strncmp(f, "page ", 5) == 0 && is_roman(f + 5))
		return 1;
	return is_roman(f);
}

typedef struct seen {
	int pages;
	int last_page;
} seen;

/* Two table lines share a column start. */
static int cells_align(const dhr_line *a, const dhr_line *b)
{
	int n = 0;
	for (size_t i = 0; i < a->n_cells; i++)
		for (size_t j = 0; j < b->n_cells; j++)
			if (fabs(a->cells[i].x - b->cells[j].x) <= 3)
				n++;
	return n >= (a->n_cells < 2 ? 1 : 2);
}

/*
 * A table line that belongs to a real table: a neighbouring line close above
 * or below is a table row with cells in the same columns. Such lines are never
 * furniture, even when they repeat (a table header row on every page).
 */
static int in_table(const dhr_page *page, size_t l)
{
	const dhr_line *line = &page->lines[l];
	if (!(line->flags & DHR_LINE_TABLE))
		return 0;
	for (int d = -1; d <= 1; d += 2) {
		if ((d < 0 && l == 0) || (d > 0 && l + 1 >= page->n_lines))
			continue;
		const dhr_line *o = &page->lines[(size_t)((long)l + d)];
		if (!(o->flags & DHR_LINE_TABLE))
			continue;
		const dhr_line *top = d < 0 ? o : line, *bottom = d < 0 ? line : o;
		double gap = bottom->y - (top->y + top->height);
		if (gap < 1.5 * line->font_size && cells_align(line, o))
			return 1;
	}
	return 0;
}

static int line_is_page_number(const dhr_line *line, GString *f)
{
	fold(f, line->text);
	if (is_page_number(f->str))
		return 1;
	for (size_t c = 0; c < line->n_cells; c++) {
		fold(f, line->cells[c].text);
		if (is_page_number(f->str))
			return 1;
	}
	return 0;
}

int extract_mark_furniture(dhr_doc *doc)
{
	GHashTable *counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GString *f = g_string_new(NULL);
	int n = (int)doc->n_pages;

	for (size_t p = 0; p < doc->n_pages; p++) {
		const dhr_page *page = &doc->pages[p];
		for (size_t l = 0; l < page->n_lines; l++) {
			char band = band_of(&page->lines[l], page);
			if (!band || in_table(page, l))
				continue;
			fold(f, page->lines[l].text);
			g_string_prepend_c(f, band);
			seen *s = g_hash_table_lookup(counts, f->str);
			if (!s) {
				s = g_new0(seen, 1);
				s->last_page = -1;
				g_hash_table_insert(counts, g_strdup(f->str), s);
			}
			if (s->last_page != (int)p) {
				s->pages++;
				s->last_page = (int)p;
			}
		}
	}
	for (size_t p = 0; p < doc->n_pages; p++) {
		dhr_page *page = &doc->pages[p];
		for (size_t l = 0; l < page->n_lines; l++) {
			dhr_line *line = &page->lines[l];
			char band = band_of(line, page);
			if (!band || in_table(page, l))
				continue;
			int furniture = line_is_page_number(line, f);
			if (!furniture) {
				fold(f, line->text);
				g_string_prepend_c(f, band);
				const seen *s = g_hash_table_lookup(counts, f->str);
				furniture = s && s->pages >= 3 && 2 * s->pages >= n;
			}
			if (furniture)
				line->flags |= band == 'T' ? DHR_LINE_HEADER : DHR_LINE_FOOTER;
		}
	}
	g_string_free(f, TRUE);
	g_hash_table_destroy(counts);
	return 0;
}

/* The text starts with a footnote number or symbol ("1 Home Office", "12Ibid", "* See"). */
static int starts_with_note_number(const char *t)
{
	if (strncmp(t, "\xe2\x80\xa0", 3) == 0 || strncmp(t, "\xe2\x80\xa1", 3) == 0 || *t == '*')
		return 1;
	size_t i = 0;
	while (g_ascii_isdigit(t[i]))
		i++;
	return i > 0 && i <= 3 && (t[i] == ' ' || g_ascii_isalpha(t[i]) || t[i] == '.');
}

void extract_mark_footnotes(dhr_doc *doc)
{
	double body = doc->body_font_size;
	if (body <= 0)
		return;
	for (size_t p = 0; p < doc->n_pages; p++) {
		dhr_page *page = &doc->pages[p];
		/* the block of small-print lines at the foot of the page */
		size_t top = page->n_lines;
		for (size_t l = page->n_lines; l-- > 0;) {
			const dhr_line *line = &page->lines[l];
			if (line->flags & DHR_LINE_FURNITURE)
				continue;
			if (line->font_size > 0.9 * body || line->font_size < 0.4 * body || (line->flags & DHR_LINE_TABLE) ||
			    line->y < 0.5 * page->height)
				break;
			top = l;
		}
		/* it is a footnote block from its first numbered line down */
		size_t first = page->n_lines;
		for (size_t l = top; l < page->n_lines; l++) {
			const dhr_line *line = &page->lines[l];
			if (!(line->flags & DHR_LINE_FURNITURE) && starts_with_note_number(line->text)) {
				first = l;
				break;
			}
		}
		for (size_t l = first; l < page->n_lines; l++)
			if (!(page->lines[l].flags & DHR_LINE_FURNITURE))
				page->lines[l].flags |= DHR_LINE_FOOTNOTE;
	}
}

static int ends_sentence(const char *t)
{
	size_t n = strlen(t);
	while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '"' || t[n - 1] == ')' || t[n - 1] == '\''))
		n--;
	return n > 0 && strchr(".:!?;", t[n - 1]) != NULL;
}

void extract_mark_paragraphs(dhr_doc *doc)
{
	/* the normal gap between the lines of a paragraph: median over lines of equal size */
	enum { BINS = 200 }; /* 0.25 pt steps from -10 pt */
	unsigned long hist[BINS] = {0}, total = 0;
	for (size_t p = 0; p < doc->n_pages; p++) {
		const dhr_page *page = &doc->pages[p];
		const dhr_line *prev = NULL;
		for (size_t l = 0; l < page->n_lines; l++) {
			const dhr_line *line = &page->lines[l];
			if (line->flags & DHR_LINE_FURNITURE)
				continue;
			if (prev && prev->column == line->column && fabs(prev->font_size - line->font_size) < 0.5) {
				double gap = line->y - (prev->y + prev->height);
				int bin = (int)floor((gap + 10) * 4);
				if (bin >= 0 && bin < BINS) {
					hist[bin]++;
					total++;
				}
			}
			prev = line;
		}
	}
	double normal = 2.0;
	if (total) {
		unsigned long acc = 0;
		for (int b = 0; b < BINS; b++) {
			acc += hist[b];
			if (2 * acc >= total) {
				normal = b / 4.0 - 10 + 0.125;
				break;
			}
		}
	}

	const dhr_line *last = NULL; /* the previous body line, across pages */
	for (size_t p = 0; p < doc->n_pages; p++) {
		dhr_page *page = &doc->pages[p];
		const dhr_line *prev = NULL;
		for (size_t l = 0; l < page->n_lines; l++) {
			dhr_line *line = &page->lines[l];
			if (line->flags & DHR_LINE_FURNITURE)
				continue;
			int para;
			if (!last) {
				para = 1;
			} else if (!prev || prev->column != line->column) {
				/* a new page or column continues the paragraph unless the last one ended */
				para = ends_sentence(last->text) || fabs(last->font_size - line->font_size) >= 1 ||
				       ((last->flags ^ line->flags) & (DHR_LINE_BOLD | DHR_LINE_TABLE | DHR_LINE_FOOTNOTE));
			} else {
				double gap = line->y - (prev->y + prev->height);
				double fs = line->font_size > 0 ? line->font_size : 10;
				para = gap > normal + fmax(2.0, 0.3 * fs) || fabs(prev->font_size - line->font_size) >= 1 ||
				       ((prev->flags ^ line->flags) & (DHR_LINE_BOLD | DHR_LINE_TABLE | DHR_LINE_FOOTNOTE)) ||
				       ((line->flags & DHR_LINE_FOOTNOTE) && starts_with_note_number(line->text));
			}
			if (para)
				line->flags |= DHR_LINE_PARA_START;
			prev = line;
			if (!(line->flags & DHR_LINE_FOOTNOTE))
				last = line;
		}
	}
}
