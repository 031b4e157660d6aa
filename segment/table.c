/*
 * segment/table.c: reads recommendations tables (action plans). The header
 * row ("Recommendation | Scope | Action | Lead agency | ...") gives the
 * columns; each later line's cells go to the column they overlap most; lines
 * are gathered into rows (a new row where the number column fills, where the
 * Recommendation cell starts with a number, or after a row gap), and a row
 * broken by a page break continues after the repeated header row. The
 * Recommendation, Lead agency and Scope cells of each row become a candidate.
 */
#include "internal.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 16

typedef enum col_kind { COL_OTHER = 0, COL_NUM, COL_REC, COL_SCOPE, COL_AGENCY } col_kind;

typedef struct col {
	double x0, x1; /* header cell extent */
	double left;   /* left edge of the cells under it, learnt from the rows; 0 if unknown */
	col_kind kind;
	seg_buf label;
} col;

typedef struct row {
	seg_buf cell[MAX_COLS];
	size_t first;  /* stream index of its first line */
	int pages[16];
	int n_pages;
	int open;
	int has_num;   /* its number cell has been read */
	int has_rec;   /* its Recommendation cell has text */
} row;

static void row_reset(row *r)
{
	for (int k = 0; k < MAX_COLS; k++) {
		r->cell[k].len = 0;
		if (r->cell[k].s)
			r->cell[k].s[0] = '\0';
		r->cell[k].oom = 0;
	}
	r->n_pages = 0;
	r->open = 0;
	r->has_num = 0;
	r->has_rec = 0;
}

static void row_free(row *r)
{
	for (int k = 0; k < MAX_COLS; k++)
		seg_buf_free(&r->cell[k]);
}

static void row_page(row *r, int page)
{
	for (int k = 0; k < r->n_pages; k++)
		if (r->pages[k] == page)
			return;
	if (r->n_pages < 16)
		r->pages[r->n_pages++] = page;
}

static col_kind classify_label(const char *t, int have_rec)
{
	t = seg_skip_space(t);
	if (seg_prefix(t, "no.") || seg_prefix(t, "no ") || seg_prefix(t, "number") || seg_prefix(t, "ref") ||
	    seg_prefix(t, "#") || (seg_prefix(t, "no") && strlen(t) == 2) || seg_prefix(t, "rec no") ||
	    seg_prefix(t, "rec. no") || seg_prefix(t, "recommendation no") || seg_prefix(t, "recommendation number") ||
	    seg_prefix(t, "recommendation ref") || seg_prefix(t, "item"))
		return COL_NUM;
	if (seg_prefix(t, "recommendation") && !have_rec)
		return COL_REC;
	if (seg_prefix(t, "scope"))
		return COL_SCOPE;
	if (seg_contains(t, "lead") || seg_has_word(t, "agency") || seg_has_word(t, "agencies") ||
	    seg_has_word(t, "owner") || seg_contains(t, "responsib") || seg_contains(t, "by whom") ||
	    seg_contains(t, "organisation"))
		return COL_AGENCY;
	return COL_OTHER;
}

/*
 * Where column k ends and k+1 begins: halfway across the gap between their
 * header cells. Headers may be centred over their columns (Word, tbl "c",
 * HTML th) while the cells under them are left-aligned, so a header's left
 * edge is not its column's.
 */
static double boundary(const col *cols, int k)
{
	if (cols[k + 1].left > 0)
		return cols[k + 1].left - 2;
	double gap_start = cols[k].x1 < cols[k + 1].x0 ? cols[k].x1 : cols[k + 1].x0;
	return (gap_start + cols[k + 1].x0) / 2;
}

/* The column a cell [x, x+w] overlaps most. */
static int column_of(const col *cols, int n, double x, double w)
{
	int best = -1;
	double best_ov = -1e9;
	if (w < 1)
		w = 1;
	for (int k = 0; k < n; k++) {
		double a = k == 0 ? -1e9 : boundary(cols, k - 1);
		double b = k + 1 < n ? boundary(cols, k) : 1e9;
		double ov = fmin(x + w, b) - fmax(x, a);
		if (ov > best_ov) {
			best_ov = ov;
			best = k;
		}
	}
	return best;
}

static int cmp_col(const void *a, const void *b)
{
	double x = ((const col *)a)->x0, y = ((const col *)b)->x0;
	return x < y ? -1 : x > y;
}

static int same_header(const dhr_line *a, const dhr_line *b)
{
	if (a->n_cells != b->n_cells)
		return 0;
	for (size_t k = 0; k < a->n_cells; k++)
		if (strcmp(a->cells[k].text, b->cells[k].text) != 0)
			return 0;
	return 1;
}

static int find_col(const col *cols, int n, col_kind kind)
{
	for (int k = 0; k < n; k++)
		if (cols[k].kind == kind)
			return k;
	return -1;
}

/* Emit a finished row as a candidate. */
static int emit_row(seg_cands *out, row *r, const col *cols, int n_cols, const seg_section *sec, int section_id)
{
	int krec = find_col(cols, n_cols, COL_REC), knum = find_col(cols, n_cols, COL_NUM);
	int kag = find_col(cols, n_cols, COL_AGENCY), ksc = find_col(cols, n_cols, COL_SCOPE);
	if (!r->open || krec < 0)
		return 0;
	const char *rec = r->cell[krec].s ? seg_skip_space(r->cell[krec].s) : "";
	seg_marker m = {0};
	seg_mkind k = seg_marker_parse(&m, rec);
	if (k == SEG_MK_BULLET)
		memset(&m, 0, sizeof m);
	if (k == SEG_MK_NUMBER || k == SEG_MK_WORD || k == SEG_MK_RPREFIX || k == SEG_MK_LETTER)
		rec += m.len;
	const char *num0 = knum >= 0 && r->cell[knum].s ? seg_skip_space(r->cell[knum].s) : "";
	int stub = 0;
	if (seg_word_count(rec) < 3) {
		/* "7.1" alone: the row refers to the chapter's recommendation 7.1 */
		int has_number = *num0 || (m.kind != SEG_MK_NONE && m.label[0]);
		int has_detail = (kag >= 0 && r->cell[kag].s && *seg_skip_space(r->cell[kag].s)) ||
				 (ksc >= 0 && r->cell[ksc].s && *seg_skip_space(r->cell[ksc].s));
		if (!has_number || !has_detail)
			return 0;
		stub = 1;
	}
	seg_cand c = {0};
	c.merged_into = -1;
	c.stub = stub;
	c.kind = sec->kind; /* a table in the chapter is the chapter's wording */
	c.section_id = section_id;
	c.pos = r->first;
	if (!(c.text = seg_normalise_space(rec)))
		goto oom;
	const char *num = knum >= 0 && r->cell[knum].s ? seg_skip_space(r->cell[knum].s) : "";
	if (*num) {
		seg_marker nm;
		char buf[24];
		size_t n = 0;
		while (num[n] && num[n] != ' ' && n + 1 < sizeof buf)
			n++;
		memcpy(buf, num, n);
		buf[n] = '\0';
		while (n > 0 && (buf[n - 1] == '.' || buf[n - 1] == ')' || buf[n - 1] == ':'))
			buf[--n] = '\0';
		if (!(c.number = strdup(buf)))
			goto oom;
		c.ordinal = seg_marker_parse(&nm, num) != SEG_MK_NONE ? nm.ordinal : 0;
	} else if (m.kind != SEG_MK_NONE && m.label[0]) {
		if (!(c.number = strdup(m.label)))
			goto oom;
		c.ordinal = m.ordinal;
	}
	if (kag >= 0 && r->cell[kag].s && *seg_skip_space(r->cell[kag].s)) {
		if (!(c.agency = seg_normalise_space(r->cell[kag].s)))
			goto oom;
	} else if (!stub) {
		c.agency = seg_subject_agency(c.text);
	}
	if (ksc >= 0 && r->cell[ksc].s)
		c.scope = seg_normalise_scope(r->cell[ksc].s);
	for (int p = 0; p < r->n_pages; p++)
		if (seg_cand_add_page(&c, r->pages[p]) < 0)
			goto oom;
	return seg_cands_push(out, &c);
oom:
	free(c.text);
	free(c.number);
	free(c.agency);
	free(c.scope);
	free(c.pages);
	return DHR_ENOMEM;
}

/*
 * Where a cell runs on into the next column (two cells the extraction could
 * not tell apart because the gap between them was narrow: "... Part- Local"),
 * the byte offset at which to split it: the word boundary nearest to where
 * the next column starts, estimated from the cell's mean character width.
 * 0 when the cell stays in its column.
 */
static size_t split_point(const dhr_cell *cell, double next_x0)
{
	double over = cell->x + cell->width - next_x0;
	if (over < 3 || cell->width <= 0)
		return 0;
	glong chars = g_utf8_strlen(cell->text, -1);
	if (chars < 4)
		return 0;
	double per = cell->width / (double)chars;
	glong at = (glong)((next_x0 - cell->x) / per + 0.5);
	if (at <= 0 || at >= chars)
		return 0;
	/* the nearest space to that character */
	const char *target = g_utf8_offset_to_pointer(cell->text, at);
	const char *best = NULL;
	for (const char *p = cell->text; *p; p++)
		if (*p == ' ' && (!best || labs((long)(p - target)) < labs((long)(best - target))))
			best = p;
	if (!best || labs((long)(best - target)) > 8)
		return 0;
	return (size_t)(best - cell->text);
}

/* Put the cells of a table line (or a plain line read as one cell) into a scratch row. */
static void split_line(seg_buf *cells, const seg_line *l, const col *cols, int n_cols)
{
	for (int k = 0; k < n_cols; k++) {
		cells[k].len = 0;
		if (cells[k].s)
			cells[k].s[0] = '\0';
	}
	const dhr_line *ln = l->src;
	if ((ln->flags & DHR_LINE_TABLE) && ln->n_cells > 0) {
		for (size_t c = 0; c < ln->n_cells; c++) {
			const dhr_cell *cell = &ln->cells[c];
			int k = column_of(cols, n_cols, cell->x, cell->width);
			if (k < 0)
				continue;
			size_t split = k + 1 < n_cols ? split_point(cell, cols[k + 1].x0) : 0;
			if (split) {
				char *left = g_strndup(cell->text, split);
				if (left) {
					seg_buf_join(&cells[k], left);
					seg_buf_join(&cells[k + 1], cell->text + split);
				} else {
					cells[k].oom = 1;
				}
				g_free(left);
				continue;
			}
			seg_buf_join(&cells[k], cell->text);
		}
	} else {
		int k = column_of(cols, n_cols, ln->x, ln->width);
		if (k >= 0)
			seg_buf_join(&cells[k], l->text);
	}
}

static int starts_lower(const char *s)
{
	s = seg_skip_space(s);
	return g_ascii_islower(*s);
}

/* Does a plain (non-table) line sit inside one column of the table (at least 80% of it)? */
static int fits_a_column(const seg_line *l, const col *cols, int n_cols)
{
	double x = l->src->x, w = l->src->width > 1 ? l->src->width : 1;
	for (int k = 0; k < n_cols; k++) {
		double a = k == 0 ? -1e9 : boundary(cols, k - 1);
		double b = k + 1 < n_cols ? boundary(cols, k) : 1e9;
		double ov = fmin(x + w, b) - fmax(x, a);
		if (ov >= 0.8 * w)
			return 1;
	}
	return 0;
}

/*
 * Is line l (right after `prev`) more of a wrapped header row? Bold like the
 * header, or, in a plain header, short cells with nothing yet under
 * "Recommendation" (a first row has its text there).
 */
static int is_header_continuation(const seg_line *l, const seg_line *prev, const col *cols, int n_cols, int krec)
{
	if (l->page != prev->page || (l->flags & SEG_L_HEADING) || (l->bold && (l->flags & SEG_L_PARA)))
		return 0;
	if (!l->bold) {
		if (krec < 0)
			return 0;
		const dhr_line *ln = l->src;
		if ((ln->flags & DHR_LINE_TABLE) && ln->n_cells > 0) {
			for (size_t c = 0; c < ln->n_cells; c++)
				if (column_of(cols, n_cols, ln->cells[c].x, ln->cells[c].width) == krec)
					return 0;
		} else if (column_of(cols, n_cols, ln->x, ln->width) == krec) {
			return 0;
		}
	}
	const dhr_line *ln = l->src;
	if (!(ln->flags & DHR_LINE_TABLE) && !fits_a_column(l, cols, n_cols))
		return 0;
	if (seg_word_count(l->text) > 12)
		return 0;
	if ((ln->flags & DHR_LINE_TABLE) && ln->n_cells > 0) {
		for (size_t c = 0; c < ln->n_cells; c++) {
			seg_marker m;
			const char *t = seg_skip_space(ln->cells[c].text);
			if (seg_word_count(t) > 5 || seg_marker_parse(&m, t) != SEG_MK_NONE)
				return 0;
		}
	} else {
		seg_marker m;
		if (seg_word_count(l->text) > 5 || seg_marker_parse(&m, l->text) != SEG_MK_NONE)
			return 0;
	}
	return 1;
}

/*
 * Where the cells under each header start: the leftmost cell edge between the
 * end of the previous header and this header's own left edge. A header centred
 * over its column starts to the right of the column's cells.
 */
static void learn_left_edges(col *cols, int n_cols, const seg_stream *st, size_t from, size_t end)
{
	for (int k = 1; k < n_cols; k++) {
		double lo = cols[k - 1].x1 < cols[k].x0 ? cols[k - 1].x1 : cols[k - 1].x0 + 1;
		double hi = cols[k].x0 + 2, best = 0;
		for (size_t j = from; j < end; j++) {
			const dhr_line *ln = st->lines[j].src;
			if ((st->lines[j].flags & SEG_L_HEADING) && !(ln->flags & DHR_LINE_TABLE))
				break;
			if ((ln->flags & DHR_LINE_TABLE) && ln->n_cells > 0) {
				for (size_t c = 0; c < ln->n_cells; c++) {
					double x = ln->cells[c].x;
					if (x > lo && x <= hi && (best == 0 || x < best))
						best = x;
				}
			} else if (ln->x > lo && ln->x <= hi && (best == 0 || ln->x < best)) {
				best = ln->x;
			}
		}
		cols[k].left = best;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/*
 * The usual distance between one line of the table and the next (the
 * leading inside a cell), from the lines after the header: rows are set
 * apart by more than that (cell padding, rules).
 */
static double line_pitch(const seg_stream *st, size_t from, size_t end)
{
	double d[64];
	int n = 0;
	for (size_t j = from + 1; j < end && n < 64; j++) {
		const seg_line *a = &st->lines[j - 1], *b = &st->lines[j];
		if (a->page != b->page)
			continue;
		double dy = b->src->y - a->src->y;
		if (dy > 0.5)
			d[n++] = dy;
	}
	if (n == 0)
		return 0;
	qsort(d, (size_t)n, sizeof d[0], cmp_double);
	return d[n / 2];
}

int seg_items_from_table(seg_cands *out, const seg_stream *st, const seg_section *sec, int section_id,
			 unsigned char *mask)
{
	int found = 0, rc = 0;
	col cols[MAX_COLS];
	int n_cols = 0;
	row r;
	seg_buf cells[MAX_COLS];
	memset(&r, 0, sizeof r);
	memset(cells, 0, sizeof cells);
	memset(cols, 0, sizeof cols);

	size_t i = sec->begin;
	while (i < sec->end) {
		if (!seg_is_recs_header_row(st->lines[i].src)) {
			i++;
			continue;
		}
		const dhr_line *header = st->lines[i].src;
		for (int k = 0; k < n_cols; k++)
			seg_buf_free(&cols[k].label);
		memset(cols, 0, sizeof cols);
		n_cols = 0;
		for (size_t c = 0; c < header->n_cells && n_cols < MAX_COLS; c++) {
			cols[n_cols].x0 = header->cells[c].x;
			cols[n_cols].x1 = header->cells[c].x + header->cells[c].width;
			seg_buf_join(&cols[n_cols].label, header->cells[c].text);
			n_cols++;
		}
		qsort(cols, (size_t)n_cols, sizeof cols[0], cmp_col);
		mask[i - sec->begin] = 1;
		size_t j = i + 1;
		/* header cells wrapped over more lines: bold, short, unnumbered cells
		 * right under the header ("Scope of" / "recommendation") */
		int krec0 = -1;
		for (int k = 0; k < n_cols && krec0 < 0; k++)
			if (cols[k].label.s && seg_prefix(seg_skip_space(cols[k].label.s), "recommendation"))
				krec0 = k;
		while (j < sec->end && is_header_continuation(&st->lines[j], &st->lines[j - 1], cols, n_cols, krec0) &&
		       j - i < 6) {
			split_line(cells, &st->lines[j], cols, n_cols);
			for (int k = 0; k < n_cols; k++)
				if (cells[k].s && *cells[k].s)
					seg_buf_join(&cols[k].label, cells[k].s);
			mask[j - sec->begin] = 1;
			j++;
		}
		int have_rec = 0;
		for (int k = 0; k < n_cols; k++) {
			cols[k].kind = classify_label(cols[k].label.s ? cols[k].label.s : "", have_rec);
			if (cols[k].kind == COL_REC)
				have_rec = 1;
		}
		int krec = find_col(cols, n_cols, COL_REC), knum = find_col(cols, n_cols, COL_NUM);
		int after_header = 1; /* the next line is the first after a (repeated) header */
		size_t window = sec->end - j < 80 ? sec->end : j + 80;
		double pitch = line_pitch(st, j, window);
		learn_left_edges(cols, n_cols, st, j, window);
		row_reset(&r);
		const seg_line *prev = NULL;
		for (; j < sec->end; j++) {
			const seg_line *l = &st->lines[j];
			const dhr_line *ln = l->src;
			if ((l->flags & SEG_L_HEADING) && !(ln->flags & DHR_LINE_TABLE) && !(l->flags & SEG_L_SUBHEAD))
				break;
			if (l->flags & (SEG_L_LETTER | SEG_L_HARDSTOP))
				break;
			if ((ln->flags & DHR_LINE_TABLE) && (same_header(ln, header) || seg_is_recs_header_row(ln))) {
				/* the header repeated on a new page, maybe wrapped over lines */
				mask[j - sec->begin] = 1;
				size_t h = j;
				while (j + 1 < sec->end && st->lines[j + 1].bold && st->lines[j + 1].page == st->lines[h].page &&
				       j + 1 - h < 6 && !(st->lines[j + 1].flags & SEG_L_HEADING) &&
				       ((st->lines[j + 1].src->flags & DHR_LINE_TABLE) || fits_a_column(&st->lines[j + 1], cols, n_cols))) {
					j++;
					mask[j - sec->begin] = 1;
				}
				after_header = 1;
				prev = NULL;
				continue;
			}
			if (!(ln->flags & DHR_LINE_TABLE) &&
			    (!fits_a_column(l, cols, n_cols) || (l->bold && prev && !prev->bold))) {
				/* a group row ("Theme 2 – Processes") if the table goes on, else the end */
				int more = 0;
				for (size_t a = j + 1; a < sec->end && a <= j + 3; a++) {
					if (st->lines[a].flags & SEG_L_HEADING && !(st->lines[a].flags & SEG_L_SUBHEAD))
						break;
					if (st->lines[a].src->flags & DHR_LINE_TABLE) {
						more = 1;
						break;
					}
				}
				if (!more)
					break;
				if ((rc = emit_row(out, &r, cols, n_cols, sec, section_id)) < 0)
					goto cleanup;
				row_reset(&r);
				mask[j - sec->begin] = 1;
				prev = l;
				continue;
			}
			split_line(cells, l, cols, n_cols);
			const char *rec = krec >= 0 && cells[krec].s ? seg_skip_space(cells[krec].s) : "";
			const char *num = knum >= 0 && cells[knum].s ? seg_skip_space(cells[knum].s) : "";
			int new_row;
			seg_marker m;
			seg_mkind mk = seg_marker_parse(&m, rec);
			int numbered = mk == SEG_MK_NUMBER || mk == SEG_MK_WORD || mk == SEG_MK_RPREFIX;
			/* a wider gap than the leading inside a cell: the next row */
			int gap = prev && prev->page == l->page && pitch > 0 &&
				  l->src->y - prev->src->y > pitch + (pitch * 0.12 > 1.5 ? pitch * 0.12 : 1.5);
			if (!r.open) {
				new_row = 1;
			} else if (knum >= 0) {
				/* a number starts a row unless this row is still waiting for
				 * its own (cells centred vertically put it below the text) */
				new_row = *num ? r.has_num : gap && r.has_num && *rec;
			} else if (numbered) {
				new_row = r.has_rec;
			} else if (mk == SEG_MK_LETTER || mk == SEG_MK_ROMAN || mk == SEG_MK_BULLET) {
				new_row = 0; /* lettered parts of the recommendation above */
			} else if (after_header) {
				/* a row broken by the page break goes on after the repeated header */
				const char *pr = r.cell[krec >= 0 ? krec : 0].s;
				int cont = !*rec || starts_lower(rec) || (pr && !(seg_last_char(pr) == '.' ||
									     seg_last_char(pr) == '?' ||
									     seg_last_char(pr) == '!'));
				new_row = !cont;
			} else {
				new_row = gap && *rec;
			}
			if (new_row && r.open && krec >= 0 && !*rec && knum < 0)
				new_row = 0; /* another action for the same recommendation */
			if (new_row) {
				if ((rc = emit_row(out, &r, cols, n_cols, sec, section_id)) < 0)
					goto cleanup;
				row_reset(&r);
				r.first = j;
			}
			r.open = 1;
			if (*num)
				r.has_num = 1;
			if (*rec)
				r.has_rec = 1;
			for (int k = 0; k < n_cols; k++)
				if (cells[k].s && *cells[k].s)
					seg_buf_join(&r.cell[k], cells[k].s);
			for (int k = 0; k < n_cols; k++)
				if (r.cell[k].oom || cells[k].oom) {
					rc = DHR_ENOMEM;
					goto cleanup;
				}
			row_page(&r, l->page);
			mask[j - sec->begin] = 1;
			after_header = 0;
			prev = l;
		}
		if ((rc = emit_row(out, &r, cols, n_cols, sec, section_id)) < 0)
			goto cleanup;
		row_reset(&r);
		found++;
		i = j;
	}
	rc = found;
cleanup:
	for (int k = 0; k < MAX_COLS; k++) {
		seg_buf_free(&cols[k].label);
		seg_buf_free(&cells[k]);
	}
	row_free(&r);
	return rc;
}
