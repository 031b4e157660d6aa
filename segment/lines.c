/*
 * segment/lines.c: flattens a dhr_doc into the segmenter's line stream (body
 * lines only: running headers, footers and footnotes dropped), finds where
 * paragraphs start, and marks headings by font size, weight, numbering and
 * the PDF outline, with a level for each so a section can find its end.
 * Contents entries, letter salutations and the titles of well-known other
 * sections are marked too.
 */
#include "internal.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Titles of report sections that are never recommendations. */
static const char *const other_sections[] = {
	"glossary", "appendix", "appendices", "annex", "annexe", "references", "bibliography",
	"terms of reference", "panel membership", "membership", "contents", "table of contents",
	"acknowledgements", "acknowledgments", "chronology", "introduction", "background",
	"methodology", "conclusion", "conclusions", "lessons learned", "lessons learnt",
	"lessons to be learned", "good practice", "equality and diversity", "family involvement",
	"involvement of family", "feedback", "areas for final development", "quality assurance",
	"analysis", "summary", "the facts", "key findings", "findings", "preventability",
	"dissemination", "distribution", "abbreviations", "list of abbreviations",
	"definitions", "agency involvement", "scope of the review", "timescales", "confidentiality",
	"parallel reviews", "independence", "author", "the review process", "review process",
	"overview", "overview report", "executive summary", "closing remarks", "concluding remarks",
	"next steps", "sources of information", "contributors to the review", "statement of independence",
};

static double round_half(double v)
{
	return floor(v * 2.0 + 0.5) / 2.0;
}

/* Strip a leading section number, "Appendix A:", "Section 7", "Chapter 7", "Part 2". */
static const char *strip_numbering(const char *t)
{
	t = seg_skip_space(t);
	static const char *const words[] = {"section ", "chapter ", "part "};
	for (size_t k = 0; k < G_N_ELEMENTS(words); k++) {
		const char *e = seg_prefix(t, words[k]);
		if (e) {
			e = seg_skip_space(e);
			while (g_ascii_isalnum(*e) || *e == '.')
				e++;
			while (*e == ':' || *e == '.' || *e == ' ' || *e == '-')
				e++;
			return seg_skip_space(e);
		}
	}
	if (g_ascii_isdigit(*t)) {
		const char *e = t;
		while (g_ascii_isdigit(*e) || *e == '.')
			e++;
		if (*e == ')' || *e == ':')
			e++;
		if (*e == ' ' || *e == '\t')
			return seg_skip_space(e);
		return t;
	}
	return t;
}

int seg_title_is_other_section(const char *title)
{
	const char *t = strip_numbering(title);
	for (size_t k = 0; k < G_N_ELEMENTS(other_sections); k++) {
		const char *e = seg_prefix(t, other_sections[k]);
		if (e && !g_ascii_isalpha(*e))
			return 1;
	}
	return 0;
}

/* A contents entry: dot leaders, or a title followed by a page number on a contents page. */
static int has_leaders(const char *t)
{
	int dots = 0;
	for (const char *p = t; *p; p++) {
		if (*p == '.' || (*p == ' ' && dots > 0 && p[1] == '.')) {
			if (*p == '.')
				dots++;
			if (dots >= 4)
				return 1;
		} else if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0xA6) {
			dots += 3; /* U+2026 ellipsis */
			p += 2;
			if (dots >= 4)
				return 1;
		} else {
			dots = 0;
		}
	}
	return 0;
}

static int ends_with_page_number(const char *t)
{
	size_t n = strlen(t);
	while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
		n--;
	size_t d = 0;
	while (d < n && g_ascii_isdigit(t[n - 1 - d]))
		d++;
	if (d == 0 || d > 3 || d == n)
		return 0;
	char before = t[n - 1 - d];
	return before == ' ' || before == '\t' || before == '.';
}

static int is_letter_line(const char *t)
{
	static const char *const starts[] = {"dear ", "yours sincerely", "yours faithfully", "kind regards",
					     "with best wishes"};
	unsigned char c = (unsigned char)(t[0] | 0x20);
	if (c == 'd' || c == 'y' || c == 'k' || c == 'w') /* cheap first test: most lines are neither */
		for (size_t k = 0; k < G_N_ELEMENTS(starts); k++)
			if (seg_prefix(t, starts[k]))
				return 1;
	/* letterhead of the Home Office's quality-assurance letters */
	if (strlen(t) < 60 && seg_word_count(t) <= 6 &&
	    (seg_contains(t, "marsham street") || (seg_prefix(t, "home office") && seg_word_count(t) <= 3) ||
	     seg_contains(t, "quality assurance panel")))
		return 1;
	return 0;
}

/* Compare heading text with an outline title: letters and digits only, case-folded. */
static int same_title(const char *a, const char *b)
{
	a = strip_numbering(a);
	b = strip_numbering(b);
	for (;;) {
		while (*a && !g_ascii_isalnum(*a) && (unsigned char)*a < 0x80)
			a++;
		while (*b && !g_ascii_isalnum(*b) && (unsigned char)*b < 0x80)
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (g_ascii_tolower(*a) != g_ascii_tolower(*b))
			return 0;
		a++;
		b++;
	}
}

static double modal_size(const dhr_doc *doc)
{
	/* sizes weighted by characters, in half points up to 72 pt */
	double hist[145] = {0};
	for (size_t p = 0; p < doc->n_pages; p++)
		for (size_t l = 0; l < doc->pages[p].n_lines; l++) {
			const dhr_line *ln = &doc->pages[p].lines[l];
			if (ln->flags & (DHR_LINE_FURNITURE | DHR_LINE_FOOTNOTE))
				continue;
			double s = round_half(ln->font_size);
			if (!(s > 0 && s <= 72))
				continue;
			hist[(int)(s * 2)] += (double)strlen(ln->text);
		}
	int best = 0;
	for (int i = 1; i < 145; i++)
		if (hist[i] > hist[best])
			best = i;
	return best / 2.0;
}

static int numbering_depth(const char *t)
{
	seg_marker m;
	if (seg_marker_parse(&m, t) == SEG_MK_NUMBER)
		return m.depth;
	return 1;
}

/* "RECOMMENDATIONS", "7. ACTION PLAN": letters, all upper case. */
static int all_capitals(const char *t)
{
	int upper = 0;
	for (const char *p = t; *p; p++) {
		if (g_ascii_islower(*p))
			return 0;
		if (g_ascii_isupper(*p))
			upper++;
	}
	return upper >= 4;
}

static int is_heading_shape(const char *t)
{
	size_t w = seg_word_count(t);
	if (w == 0 || w > 18 || strlen(t) > 180)
		return 0;
	char last = seg_last_char(t);
	if (last == ',' || last == ';')
		return 0;
	int alpha = 0;
	for (const char *p = t; *p; p++)
		if (g_ascii_isalpha(*p))
			alpha++;
	return alpha >= 2;
}

int seg_stream_build(seg_stream *out, const dhr_doc *doc)
{
	memset(out, 0, sizeof *out);
	size_t total = 0;
	for (size_t p = 0; p < doc->n_pages; p++)
		total += doc->pages[p].n_lines;
	if (total == 0)
		return 0;
	out->lines = calloc(total, sizeof *out->lines);
	if (!out->lines)
		return DHR_ENOMEM;
	out->body = doc->body_font_size > 0 ? doc->body_font_size : modal_size(doc);
	double body = out->body;

	/* contents pages: a "Contents" title, or many lines ending in page numbers */
	int *toc_page = calloc(doc->n_pages + 1, sizeof *toc_page);
	unsigned char *toc_line = calloc(total + 1, 1); /* 1: leaders, 2: ends in a number */
	if (!toc_page || !toc_line) {
		free(toc_page);
		free(toc_line);
		free(out->lines);
		out->lines = NULL;
		return DHR_ENOMEM;
	}
	size_t li = 0;
	for (size_t p = 0; p < doc->n_pages; p++) {
		const dhr_page *pg = &doc->pages[p];
		int numbered = 0, title = 0, body_lines = 0;
		for (size_t l = 0; l < pg->n_lines; l++) {
			const dhr_line *ln = &pg->lines[l];
			if (ln->flags & DHR_LINE_FURNITURE)
				continue;
			body_lines++;
			const char *t = seg_skip_space(ln->text);
			unsigned char f = (unsigned char)((has_leaders(t) ? 1 : 0) | (ends_with_page_number(t) ? 2 : 0));
			toc_line[li + l] = f;
			if (f)
				numbered++;
			if ((seg_prefix(t, "contents") || seg_prefix(t, "table of contents")) && seg_word_count(t) <= 3)
				title = 1;
		}
		/* most lines end in a page number: a contents page without a title */
		toc_page[p] = title || (numbered >= 5 && numbered * 2 >= body_lines);
		li += pg->n_lines;
	}
	li = 0;

	size_t n = 0;
	double prev_bottom = 0;
	int prev_page = -1;
	for (size_t p = 0; p < doc->n_pages; p++) {
		const dhr_page *pg = &doc->pages[p];
		for (size_t l = 0; l < pg->n_lines; l++) {
			const dhr_line *ln = &pg->lines[l];
			unsigned char tocf = toc_line[li + l];
			if (ln->flags & (DHR_LINE_FURNITURE | DHR_LINE_FOOTNOTE))
				continue;
			const char *t = seg_skip_space(ln->text);
			if (!*t)
				continue;
			seg_line *sl = &out->lines[n];
			sl->src = ln;
			sl->text = t;
			sl->page = pg->number > 0 ? pg->number : (int)p + 1;
			sl->size = ln->font_size;
			sl->bold = (ln->flags & DHR_LINE_BOLD) != 0;
			unsigned f = 0;
			if (n == 0 || (ln->flags & DHR_LINE_PARA_START))
				f |= SEG_L_PARA;
			if ((int)p == prev_page) {
				double gap = ln->y - prev_bottom;
				double h = ln->height > 0 ? ln->height : ln->font_size;
				if (gap > 0.45 * h)
					f |= SEG_L_PARA;
			}
			if (n > 0) {
				const seg_line *pv = &out->lines[n - 1];
				if (pv->bold != sl->bold || fabs(pv->size - sl->size) >= 1.0)
					f |= SEG_L_PARA;
			}
			if ((tocf & 1) || (toc_page[p] && (tocf & 2)))
				f |= SEG_L_TOC;
			if (is_letter_line(t))
				f |= SEG_L_LETTER;
			sl->flags = f;
			prev_bottom = ln->y + (ln->height > 0 ? ln->height : ln->font_size);
			prev_page = (int)p;
			n++;
		}
		li += pg->n_lines;
	}
	free(toc_page);
	free(toc_line);
	out->n = n;

	/* headings */
	for (size_t i = 0; i < n; i++) {
		seg_line *sl = &out->lines[i];
		/* a heading starts a paragraph (most lines are cut here, cheaply) */
		if (!(sl->flags & SEG_L_PARA) || (sl->flags & SEG_L_TOC))
			continue;
		if ((sl->src->flags & DHR_LINE_TABLE) && !seg_is_marker_row(sl->src))
			continue;
		int next_para = i + 1 >= n || (out->lines[i + 1].flags & SEG_L_PARA) ||
				out->lines[i + 1].page != sl->page;
		int big = body > 0 && sl->size >= body + 1.0;
		if (!big && !next_para && doc->n_outline == 0)
			continue;
		if (!is_heading_shape(sl->text))
			continue;
		int heading = 0;
		char last = seg_last_char(sl->text);
		if (big && last != '.')
			heading = 1;
		else if (sl->bold && (sl->flags & SEG_L_PARA) && next_para && seg_word_count(sl->text) <= 14 &&
			 last != '.')
			heading = 1;
		else if ((sl->flags & SEG_L_PARA) && next_para && seg_word_count(sl->text) <= 8 && last != '.' &&
			 last != ':' && last != ',' && last != ';') {
			/* an unemphasised heading: a line of its own in capitals
			 * ("RECOMMENDATIONS"), or naming a known section ("7 Recommendations") */
			seg_kind k;
			int comb;
			if (all_capitals(sl->text) || seg_title_is_recs(sl->text, &k, &comb) ||
			    seg_title_is_other_section(sl->text))
				heading = 1;
		}
		if (!heading && doc->n_outline > 0 && (sl->flags & SEG_L_PARA)) {
			for (size_t o = 0; o < doc->n_outline; o++) {
				const dhr_outline_entry *e = &doc->outline[o];
				if ((e->page == 0 || e->page == sl->page) && e->title && same_title(e->title, sl->text)) {
					heading = 1;
					break;
				}
			}
		}
		if (!heading)
			continue;
		sl->flags |= SEG_L_HEADING;
		if (!big)
			sl->flags |= SEG_L_SUBHEAD;
		/* a heading wrapped over two or three lines */
		while (i + 1 < n && sl->n_joined < 3) {
			seg_line *nx = &out->lines[i + 1 + (size_t)sl->n_joined];
			if (i + 1 + (size_t)sl->n_joined >= n)
				break;
			if ((nx->flags & SEG_L_PARA) || nx->bold != sl->bold || fabs(nx->size - sl->size) > 0.5 ||
			    nx->page != sl->page || !big || !is_heading_shape(nx->text))
				break;
			sl->n_joined++;
		}
		i += (size_t)sl->n_joined;
	}

	/* heading levels: by size (bigger is higher), then numbering depth, then weight */
	double sizes[16];
	int n_sizes = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(out->lines[i].flags & SEG_L_HEADING))
			continue;
		double s = round_half(out->lines[i].size);
		int found = 0;
		for (int k = 0; k < n_sizes; k++)
			if (fabs(sizes[k] - s) < 0.75)
				found = 1;
		if (!found && n_sizes < 16)
			sizes[n_sizes++] = s;
	}
	for (size_t i = 0; i < n; i++) {
		seg_line *sl = &out->lines[i];
		if (!(sl->flags & SEG_L_HEADING))
			continue;
		double s = round_half(sl->size);
		int rank = 0;
		for (int k = 0; k < n_sizes; k++)
			if (sizes[k] > s + 0.75)
				rank++;
		int depth = numbering_depth(sl->text);
		if (depth > 4)
			depth = 4;
		sl->level = 1 + rank * 16 + (depth - 1) * 2 + (sl->bold ? 0 : 1);
	}

	/* short title lines of known other sections end a recommendations section */
	for (size_t i = 0; i < n; i++) {
		seg_line *sl = &out->lines[i];
		if (!(sl->flags & SEG_L_PARA) || strlen(sl->text) > 80 || seg_word_count(sl->text) > 6)
			continue;
		char last = seg_last_char(sl->text);
		if (last == '.' || last == ',' || last == ';')
			continue;
		int next_para = i + 1 >= n || (out->lines[i + 1].flags & SEG_L_PARA);
		if (next_para && seg_title_is_other_section(sl->text)) {
			seg_marker m;
			seg_mkind k = seg_marker_parse(&m, sl->text);
			if (k == SEG_MK_NONE || k == SEG_MK_NUMBER)
				sl->flags |= SEG_L_HARDSTOP;
		}
	}

	/* right edge of body text, for "the line ends short" tests */
	double right = 0;
	for (size_t i = 0; i < n; i++) {
		double r = out->lines[i].src->x + out->lines[i].src->width;
		if (r > right && !(out->lines[i].src->flags & DHR_LINE_TABLE))
			right = r;
	}
	out->right = right;
	return 0;
}

void seg_stream_free(seg_stream *st)
{
	if (!st)
		return;
	free(st->lines);
	st->lines = NULL;
	st->n = 0;
}

char *seg_heading_text(const seg_stream *st, size_t i)
{
	seg_buf b = {0};
	seg_buf_join(&b, st->lines[i].text);
	for (int k = 1; k <= st->lines[i].n_joined && i + (size_t)k < st->n; k++)
		seg_buf_join(&b, st->lines[i + (size_t)k].text);
	if (b.oom || !b.s) {
		seg_buf_free(&b);
		return b.oom ? NULL : strdup("");
	}
	return b.s;
}
