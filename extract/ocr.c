/*
 * extract/ocr.c: reading pages without a text layer with Tesseract (its C
 * API). A page is rendered with Poppler and cairo at DHR_OCR_DPI, turned
 * into 8-bit grey and recognised; the symbols Tesseract finds, with their
 * boxes, are written out as a page text with one layout rectangle per
 * character and one font run per line, exactly what Poppler gives for a
 * page with a text layer, and handed to the same layout builder
 * (extract_layout_page). Lines, columns, tables, footnote markers and
 * everything after are therefore built by one path for both kinds of page.
 *
 * What the OCR side adds: the page is deskewed (the median slope of the
 * text lines' baselines, so a page scanned 2 degrees off still gives level
 * lines), every character of a line gets the line's top and bottom (as
 * Poppler's font boxes do), superscripts get a small raised box, and the
 * line's font size is estimated from the height of its tall letters.
 *
 * The engine is started once per process, on the first page that needs it,
 * and kept (Init reads 4-15 MB of language data, about 0.3 s). One engine
 * serves one thread at a time: a mutex guards it.
 */
#include "internal.h"

#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tesseract/capi.h>

#include "dhr/extract.h"

/* Cap height of common text faces, as a share of the font size (Liberation
 * Serif/Sans and Times 0.66-0.73): tall letters' height / this = font size. */
#define CAP_SHARE 0.70
/* A line with no tall letter: its height / this. */
#define LINE_SHARE 0.95
/* Superscripts: this share of the line's size. */
#define SUP_SHARE 0.6
/* Only lines at least this wide (pixels) vote on the page's skew. */
#define SKEW_MIN_WIDTH 150
/* A skew beyond this (radians, about 10 degrees) is not believed. */
#define SKEW_MAX 0.18
/* A word with no letter or digit and a confidence below this is a speck, not text. */
#define NOISE_CONF 60
/* Line sizes within this many points of the page's main size are that size. */
#define SIZE_SNAP 0.5f
/* A word with this many times the page's median ink per letter is bold. */
#define BOLD_INK 1.3f
/* Rendered pixels of one page at most: A3 at 300 dpi. */
#define MAX_PIXELS (17.6e6)

static GMutex engine_lock;
static TessBaseAPI *engine;
static char engine_path[4096];
static char engine_name[64];

const char *dhr_ocr_engine(void)
{
	if (!engine_name[0])
		snprintf(engine_name, sizeof engine_name, "tesseract %s", TessVersion());
	return engine_name;
}

int dhr_ocr_mode_parse(const char *s)
{
	if (!s)
		return -1;
	if (strcmp(s, "auto") == 0)
		return DHR_OCR_AUTO;
	if (strcmp(s, "off") == 0)
		return DHR_OCR_OFF;
	if (strcmp(s, "force") == 0)
		return DHR_OCR_FORCE;
	return -1;
}

const char *dhr_ocr_mode_name(int mode)
{
	return mode == DHR_OCR_AUTO ? "auto" : mode == DHR_OCR_FORCE ? "force" : "off";
}

/* The folder holding the language data. */
static const char *tessdata_dir(const char *tessdata)
{
	if (tessdata && *tessdata)
		return tessdata;
	const char *env = getenv("TESSDATA_PREFIX");
	return env && *env ? env : DHR_TESSDATA_DEFAULT;
}

void dhr_ocr_identity(char *buf, size_t size, int mode, const char *tessdata)
{
	if (mode != DHR_OCR_AUTO && mode != DHR_OCR_FORCE) {
		snprintf(buf, size, "off");
		return;
	}
	char file[4200];
	snprintf(file, sizeof file, "%s/eng.traineddata", tessdata_dir(tessdata));
	struct stat st;
	if (stat(file, &st) == 0)
		snprintf(buf, size, "%s-tesseract%s-eng%lld-%lld", dhr_ocr_mode_name(mode), TessVersion(),
			 (long long)st.st_size, (long long)st.st_mtime);
	else
		snprintf(buf, size, "%s-tesseract%s-nodata", dhr_ocr_mode_name(mode), TessVersion());
}

/* Start the engine on `dir` (or keep the one running there). Caller holds engine_lock. */
static int engine_start(const char *dir, const char *name, dhr_error *err)
{
	if (engine && strcmp(engine_path, dir) == 0)
		return 0;
	if (engine) {
		TessBaseAPIEnd(engine);
		TessBaseAPIDelete(engine);
		engine = NULL;
	}
	char file[4200];
	snprintf(file, sizeof file, "%s/eng.traineddata", dir);
	FILE *f = fopen(file, "rb");
	if (!f)
		return dhr_error_set(err, DHR_EOCR,
				     "%s: pages need OCR, but Tesseract's English language data %s cannot be read (%s): "
				     "install the Debian package tesseract-ocr-eng, or set TESSDATA_PREFIX to the folder "
				     "that holds eng.traineddata, or use --ocr off",
				     name, file, strerror(errno));
	fclose(f);
	TessBaseAPI *api = TessBaseAPICreate();
	if (!api)
		return dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", name);
	if (TessBaseAPIInit3(api, dir, "eng") != 0) {
		TessBaseAPIDelete(api);
		return dhr_error_set(err, DHR_EOCR,
				     "%s: pages need OCR, but Tesseract cannot load %s (damaged or of another "
				     "version?): reinstall tesseract-ocr-eng, or use --ocr off",
				     name, file);
	}
	/* automatic page segmentation without orientation detection (which
	 * needs osd.traineddata); no second pass on inverted lines (slow, and
	 * report scans are dark on light) */
	TessBaseAPISetPageSegMode(api, PSM_AUTO);
	TessBaseAPISetVariable(api, "tessedit_do_invert", "0");
	/* its diagnostics ("Empty page!!", "Detected 12 diacritics") are not the user's business */
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	engine = api;
	g_strlcpy(engine_path, dir, sizeof engine_path);
	return 0;
}

int extract_ocr_start(const char *tessdata, const char *name, dhr_error *err)
{
	g_mutex_lock(&engine_lock);
	int rc = engine_start(tessdata_dir(tessdata), name, err);
	g_mutex_unlock(&engine_lock);
	return rc;
}

void dhr_ocr_end(void)
{
	g_mutex_lock(&engine_lock);
	if (engine) {
		TessBaseAPIEnd(engine);
		TessBaseAPIDelete(engine);
		engine = NULL;
	}
	engine_path[0] = '\0';
	g_mutex_unlock(&engine_lock);
}

/* ---- rendering ------------------------------------------------------------- */

/* Render the page at `dpi` into a malloc'd 8-bit grey image (white paper). */
static unsigned char *render_grey(PopplerPage *page, double pw, double ph, int dpi, int *w_out, int *h_out)
{
	double scale = dpi / 72.0;
	int w = (int)ceil(pw * scale), h = (int)ceil(ph * scale);
	if (w < 1 || h < 1 || w > 30000 || h > 30000)
		return NULL;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return NULL;
	}
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	poppler_page_render_for_printing(page, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	unsigned char *grey = malloc((size_t)w * (size_t)h);
	if (grey) {
		const unsigned char *data = cairo_image_surface_get_data(s);
		int stride = cairo_image_surface_get_stride(s);
		for (int y = 0; y < h; y++) {
			/* native-endian xRGB words */
			const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
			unsigned char *out = grey + (size_t)y * (size_t)w;
			for (int x = 0; x < w; x++) {
				uint32_t p = row[x];
				unsigned r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
				out[x] = (unsigned char)((r * 299 + g * 587 + b * 114 + 500) / 1000);
			}
		}
	}
	cairo_surface_destroy(s);
	*w_out = w;
	*h_out = h;
	return grey;
}

/* ---- recognised symbols ---------------------------------------------------- */

typedef struct osym {
	float x1, y1, x2, y2; /* pixels, deskewed */
	uint32_t off, len;     /* its text in the page's symbol text */
	int line;
	int word_start;
	int sup;    /* superscript */
	float conf; /* of its word */
	float ink;  /* share of dark pixels in its box: stroke weight */
	int bold;   /* its word looks bold */
} osym;

typedef struct oline {
	float top, bottom; /* deskewed, pixels, over its normal symbols */
	float size;        /* estimated font size, points */
	uint32_t first, end;
} oline;

static int float_cmp(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return x < y ? -1 : x > y;
}

/* Letters as tall as a capital ('t' is shorter: a line of "the"s would read small). */
static int is_tall(const char *s, uint32_t len)
{
	if (len != 1)
		return 0;
	char c = s[0];
	return (c >= 'A' && c <= 'Z' && c != 'Q' && c != 'J') || (c >= '0' && c <= '9') || strchr("bdfhkl", c);
}

/* Add one rectangle (points) for each character of s[0..len) split evenly over [x1, x2]. */
static void add_rects(GArray *rects, GString *text, const char *s, size_t len, double x1, double y1, double x2,
		      double y2)
{
	glong n = g_utf8_strlen(s, (gssize)len);
	if (n <= 0)
		return;
	double cw = (x2 - x1) / (double)n;
	g_string_append_len(text, s, (gssize)len);
	for (glong i = 0; i < n; i++) {
		PopplerRectangle r = {x1 + cw * (double)i, y1, x1 + cw * (double)(i + 1), y2};
		g_array_append_val(rects, r);
	}
}

static PopplerTextAttributes *new_run(int start, double size, int bold)
{
	PopplerTextAttributes *a = poppler_text_attributes_new();
	a->font_name = g_strdup(bold ? "OCR-Bold" : "OCR");
	a->font_size = size;
	a->start_index = start;
	a->end_index = start;
	return a;
}

/* Tesseract's vertical rule: '|', broken bar, box drawing. */
static int is_rule(const char *s, uint32_t len)
{
	return (len == 1 && s[0] == '|') || (len == 2 && memcmp(s, "\xc2\xa6", 2) == 0) ||
	       (len == 3 && memcmp(s, "\xe2\x94\x82", 3) == 0);
}

static int is_alnum_sym(const char *s, uint32_t len)
{
	for (const char *p = s; p < s + len; p = g_utf8_next_char(p))
		if (g_unichar_isalnum(g_utf8_get_char(p)))
			return 1;
	return 0;
}

/* A symbol that is neither a letter, a digit nor the punctuation of ordinary prose: "©", "§", "_", "¢", "«", "=", "|". */
static int is_odd(const char *s, uint32_t len)
{
	if (is_alnum_sym(s, len))
		return 0;
	if (len == 1)
		return !strchr(".,;:()[]\"'-/%&?!$*+#", s[0]);
	/* quotes, dashes, pound, euro, bullet, ellipsis */
	static const char *const ok[] = {"\xe2\x80\x98", "\xe2\x80\x99", "\xe2\x80\x9c", "\xe2\x80\x9d",
					 "\xe2\x80\x93", "\xe2\x80\x94", "\xc2\xa3", "\xe2\x82\xac",
					 "\xe2\x80\xa2", "\xe2\x80\xa6"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (len == strlen(ok[i]) && memcmp(s, ok[i], len) == 0)
			return 0;
	return 1;
}

/*
 * Clean what Tesseract reads into marks of a scan that are not text. A
 * ruled table's vertical lines come out as '|' words (or glued to a cell's
 * first or last word), specks and wide gaps as "©", "§", "_", "=" or "«",
 * and list bullets as "¢", "«" or "©" (the English model has no good
 * bullet). So: a word of odd symbols that starts a line, with more after it,
 * is a bullet and becomes "•"; another word with no letter or digit goes
 * when it is only rules or odd symbols or has a confidence below NOISE_CONF
 * (dot leaders); odd symbols at the edges of a real word are cut off
 * ("©The", "10.2.1.1_"). The lines' symbol ranges are rebuilt.
 */
static void drop_noise(GArray *syms, GArray *lines, GString *stext)
{
	osym *a = (osym *)(void *)syms->data;
	guint n = syms->len, out = 0;
	uint32_t bullet_off = 0;
	int have_bullet = 0;
	for (guint i = 0; i < n;) {
		guint j = i + 1;
		while (j < n && !a[j].word_start && a[j].line == a[i].line)
			j++;
		int alnum = 0, odd = 1;
		for (guint k = i; k < j; k++) {
			alnum |= is_alnum_sym(stext->str + a[k].off, a[k].len);
			odd &= is_odd(stext->str + a[k].off, a[k].len);
		}
		int line_start = i == 0 || a[i - 1].line != a[i].line;
		int more = j < n && a[j].line == a[i].line;
		guint b = i, e = j;
		if (!alnum && odd && line_start && more && !is_rule(stext->str + a[i].off, a[i].len)) {
			/* a bullet: one "•" over the word's box */
			if (!have_bullet) {
				bullet_off = (uint32_t)stext->len;
				g_string_append(stext, "\xe2\x80\xa2");
				have_bullet = 1;
			}
			osym s = a[i];
			s.x2 = a[j - 1].x2;
			s.off = bullet_off;
			s.len = 3;
			s.word_start = 1;
			a[out++] = s;
			i = j;
			continue;
		}
		if (!alnum && (odd || a[i].conf < NOISE_CONF)) {
			b = e;
		} else if (alnum) {
			while (b < e && is_odd(stext->str + a[b].off, a[b].len))
				b++;
			while (e > b && is_odd(stext->str + a[e - 1].off, a[e - 1].len))
				e--;
		}
		for (guint k = b; k < e; k++) {
			osym s = a[k];
			s.word_start = k == b;
			a[out++] = s;
		}
		i = j;
	}
	g_array_set_size(syms, out);
	for (guint l = 0; l < lines->len; l++) {
		oline *ol = &g_array_index(lines, oline, l);
		ol->first = ol->end = 0;
	}
	for (guint k = 0; k < out; k++) {
		oline *ol = &g_array_index(lines, oline, a[k].line);
		if (ol->first == ol->end)
			ol->first = k;
		ol->end = k + 1;
	}
}

static int float_cmp(const void *a, const void *b);

/*
 * Bold faces have thicker strokes: a word whose letters' strokes (the mean
 * length of the dark runs along their rows, osym.ink) are clearly wider than
 * the page's typical word's is bold. Words of 3+ letters vote for the page's
 * median; a word above BOLD_INK times it is bold. On a 300 dpi rendering of
 * an 11 pt scan, body words measure 3.4-5.4 pixels and bold ones 6.4-7.0.
 * Tesseract 5 itself cannot tell (its WordFontAttributes is empty).
 */
static void mark_bold(GArray *syms, const GString *stext)
{
	osym *a = (osym *)(void *)syms->data;
	guint n = syms->len;
	GArray *inks = g_array_new(FALSE, FALSE, sizeof(float));
	for (guint i = 0; i < n;) {
		guint j = i + 1;
		while (j < n && !a[j].word_start && a[j].line == a[i].line)
			j++;
		float sum = 0;
		int letters = 0, glyphs = 0;
		for (guint k = i; k < j; k++)
			if (a[k].len == 1 && g_ascii_isalnum(stext->str[a[k].off])) {
				sum += a[k].ink;
				glyphs++; /* a heading's number is as bold as its words */
				letters += g_ascii_isalpha(stext->str[a[k].off]) != 0;
			}
		float ink = glyphs ? sum / (float)glyphs : 0;
		for (guint k = i; k < j; k++)
			a[k].ink = ink; /* the word's, from here on */
		if (letters >= 3)
			g_array_append_val(inks, ink);
		i = j;
	}
	if (inks->len >= 20) {
		g_array_sort(inks, float_cmp);
		float median = g_array_index(inks, float, inks->len / 2);
		for (guint k = 0; k < n; k++)
			a[k].bold = median > 0 && a[k].ink > BOLD_INK * median;
	}
	g_array_free(inks, TRUE);
}

/*
 * A line's size estimate wavers by half a point or so with the letters it
 * has; the body text of a page is one size, and a line that seems a point
 * smaller than its neighbours reads as a footnote or a new block. So sizes
 * within SIZE_SNAP points of the page's main size (the size of most symbols)
 * become it; headings and footnotes, a point or more off, keep theirs.
 */
static void snap_sizes(GArray *lines)
{
	float best = 0;
	unsigned long best_n = 0;
	for (guint k = 0; k < lines->len; k++) {
		const oline *a = &g_array_index(lines, oline, k);
		unsigned long n = 0;
		if (a->first >= a->end)
			continue;
		for (guint m = 0; m < lines->len; m++) {
			const oline *b = &g_array_index(lines, oline, m);
			if (b->first < b->end && b->size == a->size)
				n += b->end - b->first;
		}
		if (n > best_n) {
			best_n = n;
			best = a->size;
		}
	}
	for (guint k = 0; best > 0 && k < lines->len; k++) {
		oline *a = &g_array_index(lines, oline, k);
		if (fabsf(a->size - best) <= SIZE_SNAP)
			a->size = best;
	}
}

long extract_ocr_page(extract_ctx *ctx, PopplerPage *page, dhr_page *dp, double *confidence, long *n_words)
{
	int w = 0, h = 0;
	*confidence = 0;
	*n_words = 0;
	/* a page far larger than A3 is rendered at less than DHR_OCR_DPI, so
	 * that no page costs more than MAX_PIXELS (memory, and Tesseract's time) */
	int dpi = DHR_OCR_DPI;
	double inches2 = (dp->width / 72.0) * (dp->height / 72.0);
	if (inches2 > 0 && inches2 * dpi * dpi > MAX_PIXELS)
		dpi = (int)sqrt(MAX_PIXELS / inches2);
	if (dpi < 10)
		return 0; /* a page the size of a wall: nothing readable */
	unsigned char *grey = render_grey(page, dp->width, dp->height, dpi, &w, &h);
	if (!grey)
		return DHR_ENOMEM;

	GArray *syms = g_array_new(FALSE, FALSE, sizeof(osym));
	GArray *lines = g_array_new(FALSE, FALSE, sizeof(oline));
	GArray *slopes = g_array_new(FALSE, FALSE, sizeof(float));
	GString *stext = g_string_new(NULL);
	double conf_sum = 0;
	long words = 0;

	g_mutex_lock(&engine_lock);
	TessBaseAPISetImage(engine, grey, w, h, 1, w);
	TessBaseAPISetSourceResolution(engine, dpi);
	int rrc = TessBaseAPIRecognize(engine, NULL);
	TessResultIterator *ri = rrc == 0 ? TessBaseAPIGetIterator(engine) : NULL;
	if (ri) {
		const TessPageIterator *pi = TessResultIteratorGetPageIteratorConst(ri);
		int line = -1, word_open = 0;
		float word_conf = 0;
		do {
			char *t = TessResultIteratorGetUTF8Text(ri, RIL_SYMBOL);
			int l, tp, r, b;
			if (!t || !*t || !TessPageIteratorBoundingBox(pi, RIL_SYMBOL, &l, &tp, &r, &b)) {
				TessDeleteText(t);
				continue;
			}
			if (line < 0 || TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE)) {
				oline ol = {0, 0, 0, syms->len, syms->len};
				g_array_append_val(lines, ol);
				line = (int)lines->len - 1;
				int bx1, by1, bx2, by2;
				if (TessPageIteratorBaseline(pi, RIL_TEXTLINE, &bx1, &by1, &bx2, &by2) &&
				    bx2 - bx1 >= SKEW_MIN_WIDTH) {
					float s = (float)(by2 - by1) / (float)(bx2 - bx1);
					g_array_append_val(slopes, s);
				}
				word_open = 0;
			}
			int ws = !word_open || TessPageIteratorIsAtBeginningOf(pi, RIL_WORD);
			if (ws) {
				word_conf = TessResultIteratorConfidence(ri, RIL_WORD);
				conf_sum += word_conf;
				words++;
				word_open = 1;
			}
			osym sy = {(float)l, (float)tp, (float)r, (float)b, (uint32_t)stext->len, (uint32_t)strlen(t),
				   line, ws, TessResultIteratorSymbolIsSuperscript(ri) ? 1 : 0, word_conf, 0, 0};
			g_string_append(stext, t);
			g_array_append_val(syms, sy);
			g_array_index(lines, oline, line).end = syms->len;
			TessDeleteText(t);
		} while (TessResultIteratorNext(ri, RIL_SYMBOL));
		TessResultIteratorDelete(ri);
	}
	TessBaseAPIClear(engine);
	g_mutex_unlock(&engine_lock);
	for (guint i = 0; i < syms->len; i++) {
		osym *q = &g_array_index(syms, osym, i);
		int x1 = (int)q->x1, x2 = (int)q->x2, y1 = (int)q->y1, y2 = (int)q->y2;
		/* stroke width: the mean length of the dark runs along its rows */
		long dark = 0, runs = 0;
		for (int y = y1 < 0 ? 0 : y1; y < y2 && y < h; y++) {
			int in = 0;
			for (int x = x1 < 0 ? 0 : x1; x < x2 && x < w; x++) {
				int d = grey[(size_t)y * (size_t)w + (size_t)x] < 128;
				dark += d;
				runs += d && !in;
				in = d;
			}
		}
		q->ink = runs ? (float)dark / (float)runs : 0;
	}
	free(grey);
	mark_bold(syms, stext);
	if (getenv("DHR_OCR_DEBUG"))
		for (guint i = 0; i < syms->len; i++) {
			const osym *q = &g_array_index(syms, osym, i);
			if (q->word_start)
				fprintf(stderr, "\n%.0f %.2f %d ", q->conf, q->ink, q->bold);
			fprintf(stderr, "%.*s", (int)q->len, stext->str + q->off);
		}
	drop_noise(syms, lines, stext);
	/* the confidence of the words kept (dot leaders and specks would drag a contents page down) */
	conf_sum = 0;
	words = 0;
	for (guint i = 0; i < syms->len; i++) {
		const osym *q = &g_array_index(syms, osym, i);
		if (q->word_start) {
			conf_sum += q->conf;
			words++;
		}
	}

	/* deskew: rotate every box about the page centre by the median baseline slope */
	double theta = 0;
	if (slopes->len >= 3) {
		g_array_sort(slopes, float_cmp);
		theta = atan(g_array_index(slopes, float, slopes->len / 2));
		if (fabs(theta) > SKEW_MAX)
			theta = 0;
	}
	double cs = cos(theta), sn = sin(theta), cx = w / 2.0, cy = h / 2.0;
	for (guint i = 0; i < syms->len && theta != 0; i++) {
		osym *s = &g_array_index(syms, osym, i);
		double mx = (s->x1 + s->x2) / 2.0 - cx, my = (s->y1 + s->y2) / 2.0 - cy;
		double hw = (s->x2 - s->x1) / 2.0, hh = (s->y2 - s->y1) / 2.0;
		double nx = mx * cs + my * sn + cx, ny = -mx * sn + my * cs + cy;
		s->x1 = (float)(nx - hw);
		s->x2 = (float)(nx + hw);
		s->y1 = (float)(ny - hh);
		s->y2 = (float)(ny + hh);
	}

	/* each line's band and font size */
	double pt = 72.0 / dpi;
	GArray *tall = g_array_new(FALSE, FALSE, sizeof(float));
	for (guint k = 0; k < lines->len; k++) {
		oline *ol = &g_array_index(lines, oline, k);
		if (ol->first >= ol->end)
			continue;
		ol->top = 1e9f;
		ol->bottom = -1e9f;
		g_array_set_size(tall, 0);
		for (uint32_t i = ol->first; i < ol->end; i++) {
			const osym *s = &g_array_index(syms, osym, i);
			if (s->sup)
				continue;
			ol->top = fminf(ol->top, s->y1);
			ol->bottom = fmaxf(ol->bottom, s->y2);
			if (is_tall(stext->str + s->off, s->len)) {
				float th = s->y2 - s->y1;
				g_array_append_val(tall, th);
			}
		}
		if (ol->top > ol->bottom) { /* only superscripts */
			const osym *s = &g_array_index(syms, osym, ol->first);
			ol->top = s->y1;
			ol->bottom = s->y2;
		}
		if (tall->len) {
			g_array_sort(tall, float_cmp);
			ol->size = (float)(g_array_index(tall, float, tall->len / 2) * pt / CAP_SHARE);
		} else {
			ol->size = (float)((ol->bottom - ol->top) * pt / LINE_SHARE);
		}
		ol->size = roundf(ol->size * 2) / 2; /* the half-point steps of the size histogram */
	}
	g_array_free(tall, TRUE);
	snap_sizes(lines);

	/* the page as Poppler would give it: text, a rectangle per character, font runs */
	GString *text = g_string_new(NULL);
	GArray *rects = g_array_new(FALSE, FALSE, sizeof(PopplerRectangle));
	GList *attrs = NULL;
	for (guint k = 0; k < lines->len; k++) {
		const oline *ol = &g_array_index(lines, oline, k);
		if (ol->first >= ol->end)
			continue;
		PopplerTextAttributes *run = NULL;
		int run_bold = 0;
		double ly1 = ol->top * pt, ly2 = ol->bottom * pt;
		for (uint32_t i = ol->first; i < ol->end; i++) {
			const osym *s = &g_array_index(syms, osym, i);
			/* ink boxes leave gaps inside a word ("2 0 1 2"): a character
			 * reaches to the next one of its word, like an advance width */
			double x1 = s->x1 * pt, x2 = s->x2 * pt;
			if (i + 1 < ol->end && !g_array_index(syms, osym, i + 1).word_start) {
				double nx = g_array_index(syms, osym, i + 1).x1 * pt;
				if (nx > x2)
					x2 = nx;
			}
			if (i > ol->first && s->word_start) {
				const osym *p = &g_array_index(syms, osym, i - 1);
				PopplerRectangle r = {p->x2 * pt, ly1, x1 > p->x2 * pt ? x1 : p->x2 * pt, ly2};
				g_string_append_c(text, ' ');
				g_array_append_val(rects, r);
			}
			double size = s->sup ? ol->size * SUP_SHARE : ol->size;
			if (!run || run->font_size != size || run_bold != s->bold) {
				run = new_run((int)rects->len, size, s->bold);
				run_bold = s->bold;
				attrs = g_list_prepend(attrs, run);
			}
			if (s->sup)
				add_rects(rects, text, stext->str + s->off, s->len, x1, s->y1 * pt, x2, s->y2 * pt);
			else
				add_rects(rects, text, stext->str + s->off, s->len, x1, ly1, x2, ly2);
			run->end_index = (int)rects->len - 1;
		}
		const osym *last = &g_array_index(syms, osym, ol->end - 1);
		PopplerRectangle r = {last->x2 * pt, ly1, last->x2 * pt, ly2};
		g_string_append_c(text, '\n');
		g_array_append_val(rects, r);
	}
	attrs = g_list_reverse(attrs);
	long nch = extract_layout_page(ctx, dp, text->str, (const PopplerRectangle *)(void *)rects->data,
				       rects->len, attrs);
	poppler_page_free_text_attributes(attrs);
	g_array_free(rects, TRUE);
	g_string_free(text, TRUE);
	g_string_free(stext, TRUE);
	g_array_free(syms, TRUE);
	g_array_free(lines, TRUE);
	g_array_free(slopes, TRUE);
	if (rrc != 0)
		return DHR_EOCR;
	*confidence = words ? conf_sum / (double)words : 0;
	*n_words = words;
	return nch;
}
