/*
 * extract/layout.c: turns one page's characters (Poppler's text, per-character
 * layout boxes and font runs) into dhr_lines in reading order: a vertical
 * gutter splits two-column pages, characters are grouped into physical lines
 * by vertical overlap, small raised digits glued to words are taken out as
 * footnote markers, and wide gaps split table rows into cells.
 */
#include "internal.h"

#include <math.h>
#include <poppler.h>
#include <stdlib.h>
#include <string.h>

#include "dhr/common.h"

/* Thresholds, in units of the line's dominant font size unless noted. */
#define WORD_GAP 0.15   /* a horizontal gap wider than this separates words */
#define CELL_GAP 0.9    /* ... and wider than this separates table cells */
#define MARK_SIZE 0.8   /* footnote markers are at most this size ... */
#define MARK_RAISE 0.15 /* ... and their bottom sits this far above the baseline */
#define BAND 0.08       /* top/bottom share of the page left out of gutter detection */
#define MIN_GUTTER 10.0 /* points */
#define MAX_CELLS 32    /* a line with more gaps than this is not a table row */

static int grow(void **items, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 256;
	while (ncap < need)
		ncap *= 2;
	void *p = realloc(*items, ncap * size);
	if (!p)
		return DHR_ENOMEM;
	*items = p;
	*cap = ncap;
	return 0;
}

void extract_ctx_clear(extract_ctx *ctx)
{
	free(ctx->chars);
	free(ctx->frags);
	free(ctx->lidx);
	free(ctx->words);
	free(ctx->segs);
	free(ctx->lines);
	free(ctx->cov);
	if (ctx->buf)
		g_string_free(ctx->buf, TRUE);
	if (ctx->tmp)
		g_string_free(ctx->tmp, TRUE);
	if (ctx->raw)
		g_string_free(ctx->raw, TRUE);
	if (ctx->marks)
		g_string_free(ctx->marks, TRUE);
	memset(ctx, 0, sizeof *ctx);
}

int extract_font_is_bold(const char *name)
{
	if (!name)
		return 0;
	return strcasestr(name, "bold") || strcasestr(name, "black") || strcasestr(name, "heavy") ||
	       strcasestr(name, "demi") || strcasestr(name, "semibold");
}

int extract_font_is_italic(const char *name)
{
	if (!name)
		return 0;
	if (strcasestr(name, "italic") || strcasestr(name, "oblique"))
		return 1;
	/* Adobe's short forms: "MinionPro-It", "MyriadPro-BoldIt" */
	size_t n = strlen(name);
	return n > 3 && strcmp(name + n - 2, "It") == 0 &&
	       (name[n - 3] == '-' || (n > 6 && strncmp(name + n - 6, "BoldIt", 6) == 0));
}

/* ---- characters and fragments ------------------------------------------ */

static float fmin_(float a, float b)
{
	return a < b ? a : b;
}

static float fmax_(float a, float b)
{
	return a > b ? a : b;
}

static float overlap(float a1, float a2, float b1, float b2)
{
	return fmin_(a2, b2) - fmax_(a1, b1);
}

/* A PDF can state any number as a font size or a position (1e77, inf, NaN, all seen from the
 * fuzzer): Poppler passes them on as doubles. Keep every coordinate and size within a range no
 * real page reaches (1e5 points is 35 m), so that the float steps below stay finite and their
 * conversions to int (size bins, coverage columns) stay defined. */
#define SANE_MAX 1e5

static float sane(double v)
{
	if (isnan(v))
		return 0;
	return (float)(v < -SANE_MAX ? -SANE_MAX : v > SANE_MAX ? SANE_MAX : v);
}

static int is_blank(gunichar c)
{
	if (c == ' ' || c == '\t')
		return 1;
	return c >= 0x80 && (g_unichar_isspace(c) || c == 0x200B || c == 0xFEFF);
}

/* Read Poppler's text, boxes and attribute runs into ctx->chars and ctx->frags. */
static int read_chars(extract_ctx *ctx, const char *text, const PopplerRectangle *rects, size_t n_rects,
		      GList *attrs)
{
	const char *s = text;
	GList *an = attrs;
	PopplerTextAttributes *cur = NULL;
	float cur_size = 0;
	uint8_t cur_flags = 0, pending = XC_SPACE;
	long open = -1; /* index of the open fragment */

	ctx->n_chars = 0;
	ctx->n_frags = 0;
	/* at most one character and one fragment per rectangle */
	if (grow((void **)&ctx->chars, &ctx->cap_chars, n_rects + 1, sizeof *ctx->chars) < 0 ||
	    grow((void **)&ctx->frags, &ctx->cap_frags, n_rects + 1, sizeof *ctx->frags) < 0)
		return DHR_ENOMEM;
	for (size_t i = 0; *s && i < n_rects; i++) {
		const char *next = g_utf8_next_char(s);
		unsigned char b = (unsigned char)*s;
		gunichar c = b < 0x80 ? b : g_utf8_get_char(s);
		const PopplerRectangle *r = &rects[i];
		if (c == '\n' || c == '\r') {
			open = -1;
			pending |= XC_SPACE;
		} else if (is_blank(c)) {
			pending |= XC_SPACE;
		} else if (c < 0x20 || c == 0x7f || (c >= 0xFFFE && c <= 0xFFFF)) {
			/* control characters carry no text */
		} else {
			while (an && ((PopplerTextAttributes *)an->data)->end_index < (int)i)
				an = an->next;
			if (an && an->data != cur) {
				cur = an->data;
				cur_size = sane(cur->font_size);
				cur_flags = (uint8_t)((extract_font_is_bold(cur->font_name) ? XC_BOLD : 0) |
						      (extract_font_is_italic(cur->font_name) ? XC_ITALIC : 0));
			}
			int in_run = cur && cur->start_index <= (int)i && (int)i <= cur->end_index;
			xchar *x = &ctx->chars[ctx->n_chars];
			float rx1 = sane(r->x1), rx2 = sane(r->x2), ry1 = sane(r->y1), ry2 = sane(r->y2);
			x->x1 = rx1 < rx2 ? rx1 : rx2;
			x->x2 = rx1 < rx2 ? rx2 : rx1;
			x->y1 = ry1 < ry2 ? ry1 : ry2;
			x->y2 = ry1 < ry2 ? ry2 : ry1;
			if (x->y2 - x->y1 < 0.5f)
				x->y2 = x->y1 + 0.5f;
			x->size = in_run && cur_size > 0 ? cur_size : (x->y2 - x->y1) / 1.15f;
			x->off = (uint32_t)(s - text);
			x->len = (uint8_t)(next - s);
			x->flags = (uint8_t)((in_run ? cur_flags : 0) | pending);
			x->pad = 0;
			pending = 0;
			if (open >= 0) {
				/* a character that leaves the fragment's band, or jumps back
				 * a long way, starts a new fragment */
				xfrag *f = &ctx->frags[open];
				float h = fmin_(f->y2 - f->y1, x->y2 - x->y1);
				if (overlap(f->y1, f->y2, x->y1, x->y2) < 0.3f * h || x->x1 < f->x2 - 2 * x->size)
					open = -1;
			}
			if (open < 0) {
				open = (long)ctx->n_frags++;
				xfrag *f = &ctx->frags[open];
				f->start = (uint32_t)ctx->n_chars;
				f->x1 = x->x1;
				f->y1 = x->y1;
				f->x2 = x->x2;
				f->y2 = x->y2;
				f->zone = 1;
				f->col = 0;
				x->flags |= XC_SPACE;
			}
			xfrag *f = &ctx->frags[open];
			f->end = (uint32_t)ctx->n_chars + 1;
			f->x1 = fmin_(f->x1, x->x1);
			f->x2 = fmax_(f->x2, x->x2);
			f->y1 = fmin_(f->y1, x->y1);
			f->y2 = fmax_(f->y2, x->y2);
			ctx->n_chars++;
		}
		s = next;
	}
	return 0;
}

/* ---- columns ----------------------------------------------------------------- */

/*
 * Find a vertical gutter that splits the page into two columns of text and
 * set each fragment's zone and column. A gutter qualifies when it is the only
 * empty vertical band inside the text area (several mean a table), lies near
 * the middle, both sides hold several lines that fill their side, and any
 * fragment that crosses it lies wholly above or below the columns.
 */
static int assign_columns(extract_ctx *ctx, double pw, double ph)
{
	xfrag *fr = ctx->frags;
	size_t n = ctx->n_frags, nb = 0;
	float ax1 = 1e9f, ax2 = -1e9f;
	for (size_t i = 0; i < n; i++) {
		fr[i].zone = 1;
		fr[i].col = 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (fr[i].y2 < ph * BAND || fr[i].y1 > ph * (1 - BAND))
			continue;
		ax1 = fmin_(ax1, fr[i].x1);
		ax2 = fmax_(ax2, fr[i].x2);
		nb++;
	}
	(void)pw;
	float aw = ax2 - ax1;
	if (nb < 8 || aw < 100)
		return 0;
	size_t bins = (size_t)aw + 3;
	if (grow((void **)&ctx->cov, &ctx->cap_cov, bins, sizeof *ctx->cov) < 0)
		return DHR_ENOMEM;
	int *cov = ctx->cov;
	memset(cov, 0, bins * sizeof *cov);
	for (size_t i = 0; i < n; i++) {
		const xfrag *f = &fr[i];
		if (f->y2 < ph * BAND || f->y1 > ph * (1 - BAND) || f->x2 - f->x1 > 0.6f * aw)
			continue;
		size_t a = (size_t)(f->x1 - ax1), b = (size_t)ceilf(f->x2 - ax1);
		if (b >= bins)
			b = bins - 1;
		cov[a]++;
		cov[b]--;
	}
	/* runs of zero coverage strictly inside the text area */
	int runs = 0, sum = 0;
	size_t best_a = 0, best_w = 0, run_a = 0;
	int in_gap = 0;
	for (size_t k = 0; k + 1 < bins; k++) {
		sum += cov[k];
		if (sum <= 0 && !in_gap) {
			in_gap = 1;
			run_a = k;
		} else if (sum > 0 && in_gap) {
			in_gap = 0;
			size_t w = k - run_a;
			if (run_a > 0 && w >= 6) {
				runs++;
				double c = (double)run_a + w / 2.0;
				if (w >= MIN_GUTTER && c > 0.3 * aw && c < 0.7 * aw && w > best_w) {
					best_w = w;
					best_a = run_a;
				}
			}
		}
	}
	if (runs != 1 || best_w == 0)
		return 0;
	float gx = ax1 + (float)best_a + (float)best_w / 2;
	float gl = ax1 + (float)best_a, gr = gl + (float)best_w;
	size_t nl = 0, nr = 0;
	double wl = 0, wr = 0;
	float top = 1e9f, bottom = -1e9f, ly1 = 1e9f, ly2 = -1e9f, ry1 = 1e9f, ry2 = -1e9f;
	for (size_t i = 0; i < n; i++) {
		const xfrag *f = &fr[i];
		if (f->y2 < ph * BAND || f->y1 > ph * (1 - BAND))
			continue;
		if (f->x2 <= gl + 0.5f) {
			nl++;
			wl += f->x2 - f->x1;
			ly1 = fmin_(ly1, f->y1);
			ly2 = fmax_(ly2, f->y2);
		} else if (f->x1 >= gr - 0.5f) {
			nr++;
			wr += f->x2 - f->x1;
			ry1 = fmin_(ry1, f->y1);
			ry2 = fmax_(ry2, f->y2);
		}
	}
	if (nl < 4 || nr < 4 || wl / (double)nl < 0.45 * (gl - ax1) || wr / (double)nr < 0.45 * (ax2 - gr))
		return 0;
	if (overlap(ly1, ly2, ry1, ry2) < 0.3f * fmin_(ly2 - ly1, ry2 - ry1))
		return 0;
	top = fmin_(ly1, ry1);
	bottom = fmax_(ly2, ry2);
	/* fragments that cross the gutter must lie above or below the columns */
	for (size_t i = 0; i < n; i++) {
		const xfrag *f = &fr[i];
		if (f->x1 < gx && f->x2 > gx && f->y2 > top + 2 && f->y1 < bottom - 2)
			return 0;
	}
	for (size_t i = 0; i < n; i++) {
		xfrag *f = &fr[i];
		float cy = (f->y1 + f->y2) / 2;
		if (cy < top)
			f->zone = 0;
		else if (cy > bottom)
			f->zone = 2;
		else
			f->col = (f->x1 + f->x2) / 2 < gx ? 0 : 1;
	}
	return 0;
}

static int frag_cmp(const void *a, const void *b)
{
	const xfrag *x = a, *y = b;
	if (x->zone != y->zone)
		return x->zone - y->zone;
	if (x->col != y->col)
		return x->col - y->col;
	if (x->y1 != y->y1)
		return x->y1 < y->y1 ? -1 : 1;
	if (x->x1 != y->x1)
		return x->x1 < y->x1 ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* ---- one physical line --------------------------------------------------------- */

static int is_mark_char(const char *p)
{
	unsigned char c = (unsigned char)*p;
	if (c >= '0' && c <= '9')
		return 1;
	if (c == '*' || c == ',')
		return 1;
	/* dagger, double dagger */
	return strncmp(p, "\xe2\x80\xa0", 3) == 0 || strncmp(p, "\xe2\x80\xa1", 3) == 0;
}

static int is_closing_punct(unsigned char c)
{
	return c == ',' || c == '.' || c == ';' || c == ':' || c == ')' || c == ']' || c == '!' || c == '?';
}

/* A short leading cell that numbers or bullets the text after it ("6.1", "a)", "(iv)", "R3", "•"). */
static int is_label(const char *s, size_t len)
{
	if (len == 0 || len > 12)
		return 0;
	static const char *const bullets[] = {"\xe2\x80\xa2", "\xe2\x96\xaa", "\xe2\x97\x8f", "\xe2\x97\x8b",
					      "\xe2\x96\xa0", "\xe2\x97\xa6", "\xc2\xb7",     "\xe2\x80\x93",
					      "\xe2\x80\x94", "-",            "*",            "\xe2\x9e\xa2",
					      "\xe2\x9c\x93", "\xef\x82\xb7", "o"};
	for (size_t i = 0; i < sizeof bullets / sizeof bullets[0]; i++)
		if (strlen(bullets[i]) == len && memcmp(bullets[i], s, len) == 0)
			return 1;
	size_t i = 0;
	if (s[i] == '(')
		i++;
	if (i < len && (s[i] == 'R' || s[i] == 'r') && i + 1 < len && g_ascii_isdigit(s[i + 1]))
		i++;
	size_t body = i;
	if (i < len && g_ascii_isdigit(s[i])) {
		while (i < len && (g_ascii_isdigit(s[i]) || (s[i] == '.' && i + 1 < len && g_ascii_isdigit(s[i + 1]))))
			i++;
		if (i < len && g_ascii_isalpha(s[i]) && i + 1 >= len - 1)
			i++; /* "10.2a" */
	} else {
		while (i < len && i - body < 4 && g_ascii_isalpha(s[i]))
			i++;
		if (i - body > 1) {
			/* roman numerals only */
			for (size_t k = body; k < i; k++)
				if (!strchr("ivxIVX", s[k]))
					return 0;
		}
	}
	if (i == body)
		return 0;
	if (i < len && (s[i] == '.' || s[i] == ')' || s[i] == ':'))
		i++;
	return i == len;
}

static void sort_idx_by_x(const xchar *ch, uint32_t *idx, size_t n)
{
	/* insertion sort: lines are almost always in order already */
	for (size_t i = 1; i < n; i++) {
		uint32_t v = idx[i];
		float x = ch[v].x1;
		size_t j = i;
		while (j > 0 && ch[idx[j - 1]].x1 > x) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = v;
	}
}

/*
 * Find small raised digits glued to the end of a word in idx[0..n): drop them
 * from the text and collect them in ctx->marks. Digits at the very start of a
 * line (a footnote's own number) stay, separated from the word after them.
 */
static void mark_footnotes(extract_ctx *ctx, const char *text, const uint32_t *idx, size_t n, float dom)
{
	xchar *ch = ctx->chars;
	GString *marks = ctx->marks;
	size_t mark0 = marks->len;
	double base = 0;
	size_t nb = 0;
	for (size_t k = 0; k < n; k++) {
		const xchar *c = &ch[idx[k]];
		if (fabsf(c->size - dom) <= 0.05f * dom) {
			base += c->y2;
			nb++;
		}
	}
	if (!nb)
		return;
	base /= (double)nb;
	size_t k = 0;
	while (k < n) {
		size_t a = k;
		while (k < n) {
			const xchar *c = &ch[idx[k]];
			if (!(is_mark_char(text + c->off) && c->size <= MARK_SIZE * dom && c->y2 < base - MARK_RAISE * dom))
				break;
			k++;
		}
		if (k == a) {
			k++;
			continue;
		}
		/* a run [a, k) of small raised marker characters; must hold a digit or symbol, not just commas */
		int real = 0;
		for (size_t j = a; j < k; j++)
			real |= text[ch[idx[j]].off] != ',';
		if (!real)
			continue;
		if (a == 0) {
			if (k < n)
				ch[idx[k]].flags |= XC_SPACE;
			continue;
		}
		const xchar *prev = &ch[idx[a - 1]];
		if (ch[idx[a]].x1 - prev->x2 > 0.6f * dom)
			continue;
		if (marks->len > mark0)
			g_string_append_c(marks, ',');
		for (size_t j = a; j < k; j++) {
			ch[idx[j]].flags |= XC_DROP | XC_MARK;
			if (text[ch[idx[j]].off] == ',') {
				if (marks->len > mark0 && marks->str[marks->len - 1] != ',')
					g_string_append_c(marks, ',');
			} else {
				g_string_append_len(marks, text + ch[idx[j]].off, ch[idx[j]].len);
			}
		}
		if (k < n) {
			xchar *nx = &ch[idx[k]];
			if (is_closing_punct((unsigned char)text[nx->off])) {
				nx->flags &= (uint8_t)~XC_SPACE;
				nx->flags |= XC_JOIN;
			} else {
				nx->flags |= XC_SPACE;
			}
		}
	}
	while (marks->len > mark0 && marks->str[marks->len - 1] == ',')
		g_string_truncate(marks, marks->len - 1);
}

/* Append the words [w0, w1) to ctx->raw, separated by spaces. */
static void assemble(extract_ctx *ctx, const char *text, uint32_t w0, uint32_t w1)
{
	for (uint32_t w = w0; w < w1; w++) {
		const xword *wd = &ctx->words[w];
		if (w > w0)
			g_string_append_c(ctx->raw, ' ');
		/* runs of characters that follow each other in Poppler's text: one copy each */
		uint32_t run = 0, run_len = 0;
		for (uint32_t k = wd->start; k < wd->end; k++) {
			const xchar *c = &ctx->chars[ctx->lidx[k]];
			if (c->flags & XC_DROP)
				continue;
			if (run_len && c->off == run + run_len) {
				run_len += c->len;
				continue;
			}
			if (run_len)
				g_string_append_len(ctx->raw, text + run, run_len);
			run = c->off;
			run_len = c->len;
		}
		if (run_len)
			g_string_append_len(ctx->raw, text + run, run_len);
	}
}

static int push_seg(extract_ctx *ctx, uint32_t w0, uint32_t w1)
{
	if (grow((void **)&ctx->segs, &ctx->cap_segs, ctx->n_segs + 1, sizeof *ctx->segs) < 0)
		return DHR_ENOMEM;
	xseg *s = &ctx->segs[ctx->n_segs++];
	s->wstart = w0;
	s->wend = w1;
	s->x1 = ctx->words[w0].x1;
	s->x2 = ctx->words[w1 - 1].x2;
	return 0;
}

/*
 * Turn the fragments ctx->frags[g0..g1) into an xline: characters in x order,
 * dominant size, footnote markers, words and gap-separated cells.
 */
static int prepare_line(extract_ctx *ctx, const char *text, size_t g0, size_t g1)
{
	xchar *ch = ctx->chars;
	const xfrag *fr = ctx->frags;
	size_t n = 0;
	for (size_t g = g0; g < g1; g++)
		n += fr[g].end - fr[g].start;
	if (n == 0)
		return 0;
	if (grow((void **)&ctx->lidx, &ctx->cap_lidx, ctx->n_lidx + n, sizeof *ctx->lidx) < 0 ||
	    grow((void **)&ctx->words, &ctx->cap_words, ctx->n_words + n, sizeof *ctx->words) < 0 ||
	    grow((void **)&ctx->lines, &ctx->cap_lines, ctx->n_lines + 1, sizeof *ctx->lines) < 0)
		return DHR_ENOMEM;
	uint32_t *idx = ctx->lidx + ctx->n_lidx;
	size_t m = 0;
	int sorted = 1;
	for (size_t g = g0; g < g1; g++)
		for (uint32_t c = fr[g].start; c < fr[g].end; c++) {
			if (m > 0 && ch[c].x1 < ch[idx[m - 1]].x1 - 0.01f)
				sorted = 0;
			idx[m++] = c;
		}
	if (!sorted)
		sort_idx_by_x(ch, idx, n);

	/* dominant font size by character count */
	float sizes[8];
	size_t counts[8], ns = 0;
	for (size_t k = 0; k < n; k++) {
		float sz = (float)(int)(ch[idx[k]].size * 10 + 0.5f) / 10;
		size_t j = 0;
		while (j < ns && sizes[j] != sz)
			j++;
		if (j == ns) {
			if (ns == 8)
				continue;
			sizes[ns] = sz;
			counts[ns++] = 0;
		}
		counts[j]++;
	}
	float dom = sizes[0];
	size_t best = counts[0];
	for (size_t j = 1; j < ns; j++)
		if (counts[j] > best || (counts[j] == best && sizes[j] > dom)) {
			best = counts[j];
			dom = sizes[j];
		}
	if (dom <= 0)
		dom = 1;
	for (size_t k = 0; k < n; k++) {
		xchar *c = &ch[idx[k]];
		c->flags &= (uint8_t)~(XC_MARK | XC_DROP | XC_JOIN);
		int bin = (int)(c->size * 2 + 0.5f);
		if (bin >= 0 && bin < 400)
			ctx->size_hist[bin]++;
	}
	ctx->total_chars += n;

	xline *L = &ctx->lines[ctx->n_lines];
	memset(L, 0, sizeof *L);
	L->mstart = (uint32_t)ctx->marks->len;
	mark_footnotes(ctx, text, idx, n, dom);
	L->mlen = (uint32_t)(ctx->marks->len - L->mstart);

	/* words and cells */
	uint32_t base = (uint32_t)ctx->n_lidx;
	L->wstart = L->wend = (uint32_t)ctx->n_words;
	L->x1 = L->y1 = 1e9f;
	L->x2 = L->y2 = -1e9f;
	long prev = -1;
	for (size_t k = 0; k < n; k++) {
		const xchar *c = &ch[idx[k]];
		if (c->flags & XC_DROP)
			continue;
		int brk = prev < 0;
		if (!brk) {
			const xchar *p = &ch[prev];
			brk = ((c->flags & XC_SPACE) || c->x1 - p->x2 > WORD_GAP * dom) && !(c->flags & XC_JOIN);
		}
		if (brk) {
			xword *w = &ctx->words[ctx->n_words++];
			w->start = w->end = base + (uint32_t)k;
			w->x1 = c->x1;
			w->x2 = c->x2;
		}
		xword *w = &ctx->words[ctx->n_words - 1];
		w->end = base + (uint32_t)k + 1;
		w->x2 = fmax_(w->x2, c->x2);
		L->kept++;
		L->nbold += (c->flags & XC_BOLD) != 0;
		L->nital += (c->flags & XC_ITALIC) != 0;
		L->x1 = fmin_(L->x1, c->x1);
		L->x2 = fmax_(L->x2, c->x2);
		L->y1 = fmin_(L->y1, c->y1);
		L->y2 = fmax_(L->y2, c->y2);
		prev = (long)idx[k];
	}
	ctx->n_lidx += n;
	L->wend = (uint32_t)ctx->n_words;
	if (L->kept == 0)
		return 0;
	L->dom = dom;
	L->zone = fr[g0].zone;
	L->col = fr[g0].col;
	L->sstart = (uint32_t)ctx->n_segs;
	uint32_t s0 = L->wstart;
	for (uint32_t w = L->wstart + 1; w <= L->wend; w++)
		if (w == L->wend || ctx->words[w].x1 - ctx->words[w - 1].x2 >= CELL_GAP * dom) {
			if (push_seg(ctx, s0, w) < 0)
				return DHR_ENOMEM;
			s0 = w;
		}
	L->send = (uint32_t)ctx->n_segs;
	/* a numbering label in its own cell is part of the text, not a table */
	if (L->send - L->sstart == 2) {
		xseg *sg = &ctx->segs[L->sstart];
		g_string_truncate(ctx->raw, 0);
		assemble(ctx, text, sg[0].wstart, sg[0].wend);
		if (is_label(ctx->raw->str, ctx->raw->len)) {
			sg[0].wend = sg[1].wend;
			sg[0].x2 = sg[1].x2;
			L->send--;
			ctx->n_segs--;
		}
	}
	ctx->n_lines++;
	return 0;
}

/* ---- tables ----------------------------------------------------------------------- */

#define MAX_COLS 32

typedef struct colstat {
	float x;   /* left edge (mean of the members) */
	int lines; /* how many lines start a cell here */
	int first; /* the region's first line starts a cell here */
} colstat;

/* Split line L's words into cells by the column starts cols[0..nc). */
static int resegment(extract_ctx *ctx, xline *L, const float *cols, size_t nc)
{
	L->sstart = (uint32_t)ctx->n_segs;
	uint32_t s0 = L->wstart;
	int c0 = -1;
	for (uint32_t w = L->wstart; w <= L->wend; w++) {
		int c = -1;
		if (w < L->wend) {
			c = 0;
			while ((size_t)c + 1 < nc && cols[c + 1] <= ctx->words[w].x1 + 2)
				c++;
		}
		if (w > L->wstart && (w == L->wend || c != c0)) {
			if (push_seg(ctx, s0, w) < 0)
				return DHR_ENOMEM;
			s0 = w;
		}
		c0 = c;
	}
	L->send = (uint32_t)ctx->n_segs;
	L->table = 1;
	return 0;
}

/* Does a word of L run across one of the column starts cols[from..nc)? Then L is not a table row. */
static int straddles(const extract_ctx *ctx, const xline *L, const float *cols, size_t nc, size_t from)
{
	for (uint32_t w = L->wstart; w < L->wend; w++)
		for (size_t c = from; c < nc; c++)
			if (ctx->words[w].x1 < cols[c] - 1.5f && ctx->words[w].x2 > cols[c] + 1.5f)
				return 1;
	return 0;
}

/*
 * Find tables among the page's lines and give their rows the table's
 * columns. A region is a run of lines of one size and close leading that
 * starts at a line with several cells. Its columns are the cell starts that
 * recur over its lines (or that the first, header, line has); words are then
 * given to the column they start in, so wide justified spaces inside a cell
 * do not split it and narrow gaps between two columns still do. A line whose
 * words run across a column start ends the table.
 */
static int find_tables(extract_ctx *ctx)
{
	xline *ls = ctx->lines;
	size_t n = ctx->n_lines, i = 0;
	while (i < n) {
		if (ls[i].send - ls[i].sstart < 2) {
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n && ls[j].zone == ls[i].zone && ls[j].col == ls[i].col && fabsf(ls[j].dom - ls[i].dom) < 0.5f &&
		       ls[j].y1 - ls[j - 1].y2 < 1.5f * ls[i].dom)
			j++;
		colstat cs[MAX_COLS];
		size_t ncs = 0, multi = 0;
		for (size_t k = i; k < j; k++) {
			if (ls[k].send - ls[k].sstart < 2)
				continue;
			multi++;
			for (uint32_t s = ls[k].sstart; s < ls[k].send; s++) {
				float x = ctx->segs[s].x1;
				size_t c = 0;
				while (c < ncs && fabsf(cs[c].x - x) > 3)
					c++;
				if (c == ncs) {
					if (ncs == MAX_COLS)
						continue;
					cs[ncs].x = x;
					cs[ncs].lines = 0;
					cs[ncs].first = 0;
					ncs++;
				}
				cs[c].x = (cs[c].x * (float)cs[c].lines + x) / (float)(cs[c].lines + 1);
				cs[c].lines++;
				cs[c].first |= k == i;
			}
		}
		float cols[MAX_COLS];
		size_t nc = 0;
		int first_counts = ls[i].send - ls[i].sstart >= 3;
		for (size_t c = 0; c < ncs; c++)
			if ((cs[c].lines >= 2 && (double)cs[c].lines >= 0.2 * (double)multi) || (first_counts && cs[c].first))
				cols[nc++] = cs[c].x;
		/* a start that a word of a certain table row (one with several cells) runs across is no column */
		size_t kept = 0;
		for (size_t c = 0; c < nc; c++) {
			int crossed = 0;
			for (size_t k = i; k < j && !crossed; k++)
				if (ls[k].send - ls[k].sstart >= 2)
					crossed = straddles(ctx, &ls[k], &cols[c], 1, 0);
			if (!crossed)
				cols[kept++] = cols[c];
		}
		nc = kept;
		if (nc < 2) {
			i++;
			continue;
		}
		for (size_t a = 1; a < nc; a++) /* ascending */
			for (size_t b = a; b > 0 && cols[b - 1] > cols[b]; b--) {
				float t = cols[b];
				cols[b] = cols[b - 1];
				cols[b - 1] = t;
			}
		size_t k = i;
		while (k < j && !straddles(ctx, &ls[k], cols, nc, 1)) {
			if (resegment(ctx, &ls[k], cols, nc) < 0)
				return DHR_ENOMEM;
			ls = ctx->lines;
			k++;
		}
		i = k > i ? k : i + 1;
	}
	return 0;
}

/* ---- output ----------------------------------------------------------------------- */

static double r2(double v)
{
	return round(v * 100) / 100;
}

/* Append the dhr_line for xline L to the page. */
static int emit_line(extract_ctx *ctx, dhr_page *page, const char *text, const xline *L)
{
	if (L->kept == 0)
		return 0;
	size_t nseg = L->send - L->sstart;
	int table = L->table || nseg >= 2;
	if (nseg > MAX_CELLS)
		table = 0;
	unsigned flags = 0;
	if (2 * L->nbold >= L->kept)
		flags |= DHR_LINE_BOLD;
	if (2 * L->nital >= L->kept)
		flags |= DHR_LINE_ITALIC;
	GString *out = ctx->buf;
	g_string_truncate(out, 0);
	size_t cell_at[MAX_CELLS], cell_end[MAX_CELLS];
	if (table) {
		for (size_t s = 0; s < nseg; s++) {
			const xseg *sg = &ctx->segs[L->sstart + s];
			g_string_truncate(ctx->raw, 0);
			assemble(ctx, text, sg->wstart, sg->wend);
			if (s)
				g_string_append_c(out, '\t');
			cell_at[s] = out->len;
			extract_normalize(out, ctx->raw->str, ctx->raw->len, ctx->tmp);
			cell_end[s] = out->len;
		}
		flags |= DHR_LINE_TABLE;
	} else {
		g_string_truncate(ctx->raw, 0);
		assemble(ctx, text, L->wstart, L->wend);
		extract_normalize(out, ctx->raw->str, ctx->raw->len, ctx->tmp);
	}
	if (out->len == 0 || (table && out->len == nseg - 1))
		return 0;
	dhr_line *line = dhr_doc_add_line(page, out->str, r2(L->x1), r2(L->y1), r2(L->x2 - L->x1), r2(L->y2 - L->y1),
					  r2(L->dom), flags);
	if (!line)
		return DHR_ENOMEM;
	line->column = L->zone == 1 ? L->col : 0;
	if (L->mlen && !(line->footnote_marks = strndup(ctx->marks->str + L->mstart, L->mlen)))
		return DHR_ENOMEM;
	if (table) {
		if (!(line->cells = calloc(nseg, sizeof *line->cells)))
			return DHR_ENOMEM;
		for (size_t c = 0; c < nseg; c++) {
			const xseg *sg = &ctx->segs[L->sstart + c];
			if (!(line->cells[c].text = strndup(out->str + cell_at[c], cell_end[c] - cell_at[c])))
				return DHR_ENOMEM;
			line->cells[c].x = r2(sg->x1);
			line->cells[c].width = r2(sg->x2 - sg->x1);
			line->n_cells = c + 1;
		}
	}
	return 0;
}

long extract_layout_page(extract_ctx *ctx, dhr_page *page, const char *text, const PopplerRectangle *rects,
			 size_t n_rects, GList *attrs)
{
	if (!ctx->buf) {
		ctx->buf = g_string_sized_new(512);
		ctx->tmp = g_string_sized_new(512);
		ctx->raw = g_string_sized_new(512);
		ctx->marks = g_string_sized_new(64);
	}
	ctx->n_lidx = ctx->n_words = ctx->n_segs = ctx->n_lines = 0;
	g_string_truncate(ctx->marks, 0);
	if (read_chars(ctx, text, rects, n_rects, attrs) < 0)
		return DHR_ENOMEM;
	if (assign_columns(ctx, page->width, page->height) < 0)
		return DHR_ENOMEM;
	if (ctx->n_frags > 1)
		qsort(ctx->frags, ctx->n_frags, sizeof *ctx->frags, frag_cmp);

	/* physical lines: fragments of one zone and column whose boxes overlap vertically */
	xfrag *fr = ctx->frags;
	size_t g0 = 0;
	while (g0 < ctx->n_frags) {
		float ly1 = fr[g0].y1, ly2 = fr[g0].y2;
		size_t g1 = g0 + 1;
		while (g1 < ctx->n_frags && fr[g1].zone == fr[g0].zone && fr[g1].col == fr[g0].col) {
			float h = fmin_(ly2 - ly1, fr[g1].y2 - fr[g1].y1);
			if (overlap(ly1, ly2, fr[g1].y1, fr[g1].y2) < 0.5f * h)
				break;
			ly1 = fmin_(ly1, fr[g1].y1);
			ly2 = fmax_(ly2, fr[g1].y2);
			g1++;
		}
		/* the line's fragments left to right */
		for (size_t i = g0 + 1; i < g1; i++) {
			xfrag v = fr[i];
			size_t j = i;
			while (j > g0 && fr[j - 1].x1 > v.x1) {
				fr[j] = fr[j - 1];
				j--;
			}
			fr[j] = v;
		}
		if (prepare_line(ctx, text, g0, g1) < 0)
			return DHR_ENOMEM;
		g0 = g1;
	}
	if (find_tables(ctx) < 0)
		return DHR_ENOMEM;
	for (size_t l = 0; l < ctx->n_lines; l++)
		if (emit_line(ctx, page, text, &ctx->lines[l]) < 0)
			return DHR_ENOMEM;
	return (long)ctx->n_chars;
}
