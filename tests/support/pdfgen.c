/*
 * tests/support/pdfgen.c: fixture PDFs for the tests, written with cairo's
 * PDF surface at test time (see pdfgen.h), and small file helpers.
 */
#include "pdfgen.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct pdfgen {
	cairo_surface_t *surface;
	cairo_t *cr;
	double w, h;
	int page;
};

pdfgen *pdfgen_new(const char *path, double w, double h)
{
	pdfgen *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->surface = cairo_pdf_surface_create(path, w, h);
	if (cairo_surface_status(g->surface) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(g->surface);
		free(g);
		return NULL;
	}
	g->cr = cairo_create(g->surface);
	g->w = w;
	g->h = h;
	g->page = 1;
	cairo_set_source_rgb(g->cr, 0, 0, 0);
	pdfgen_font(g, "DejaVu Sans", 0, 0, 11);
	return g;
}

void pdfgen_font(pdfgen *g, const char *family, int bold, int italic, double size)
{
	cairo_select_font_face(g->cr, family, italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(g->cr, size);
}

void pdfgen_text(pdfgen *g, double x, double y, const char *utf8)
{
	cairo_move_to(g->cr, x, y);
	cairo_show_text(g->cr, utf8);
}

double pdfgen_text_width(pdfgen *g, const char *utf8)
{
	cairo_text_extents_t te;
	cairo_text_extents(g->cr, utf8, &te);
	return te.x_advance;
}

double pdfgen_paragraph(pdfgen *g, double x, double y, double width, double leading, const char *utf8)
{
	GString *line = g_string_new(NULL);
	const char *p = utf8;
	while (*p) {
		/* next word, up to a space or a forced break */
		const char *e = p;
		while (*e && *e != ' ' && *e != '\n')
			e++;
		char *word = g_strndup(p, (gsize)(e - p));
		size_t keep = line->len;
		if (line->len)
			g_string_append_c(line, ' ');
		g_string_append(line, word);
		if (keep && pdfgen_text_width(g, line->str) > width) {
			g_string_truncate(line, keep);
			pdfgen_text(g, x, y, line->str);
			y += leading;
			g_string_assign(line, word);
		}
		g_free(word);
		if (*e == '\n') {
			pdfgen_text(g, x, y, line->str);
			y += leading;
			g_string_truncate(line, 0);
		}
		p = *e ? e + 1 : e;
	}
	if (line->len) {
		pdfgen_text(g, x, y, line->str);
		y += leading;
	}
	g_string_free(line, TRUE);
	return y;
}

void pdfgen_image(pdfgen *g, double x, double y, double w, double h)
{
	int iw = 120, ih = 160;
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, iw, ih);
	unsigned char *data = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	guint32 seed = 12345;
	cairo_surface_flush(img);
	for (int r = 0; r < ih; r++) {
		guint32 *row = (guint32 *)(void *)(data + r * stride);
		for (int c = 0; c < iw; c++) {
			seed = seed * 1103515245u + 12345u;
			guint32 v = 160 + ((seed >> 16) & 0x5f);
			/* dark "text lines" on light paper */
			if ((r / 6) % 2 == 0 && c > 10 && c < iw - 10)
				v /= 3;
			row[c] = (v << 16) | (v << 8) | v;
		}
	}
	cairo_surface_mark_dirty(img);
	cairo_save(g->cr);
	cairo_translate(g->cr, x, y);
	cairo_scale(g->cr, w / iw, h / ih);
	cairo_set_source_surface(g->cr, img, 0, 0);
	cairo_paint(g->cr);
	cairo_restore(g->cr);
	cairo_surface_destroy(img);
}

void pdfgen_rule(pdfgen *g, double x1, double y1, double x2, double y2)
{
	cairo_save(g->cr);
	cairo_set_line_width(g->cr, 0.5);
	cairo_move_to(g->cr, x1, y1);
	cairo_line_to(g->cr, x2, y2);
	cairo_stroke(g->cr);
	cairo_restore(g->cr);
}

void pdfgen_page_break(pdfgen *g)
{
	cairo_show_page(g->cr);
	g->page++;
}

int pdfgen_page(const pdfgen *g)
{
	return g->page;
}

int pdfgen_outline(pdfgen *g, int parent, const char *title, int page)
{
	char attrs[32];
	snprintf(attrs, sizeof attrs, "page=%d", page);
	return cairo_pdf_surface_add_outline(g->surface, parent, title, attrs, CAIRO_PDF_OUTLINE_FLAG_OPEN);
}

void pdfgen_metadata(pdfgen *g, const char *title, const char *author, const char *creator,
		     const char *created)
{
	if (title)
		cairo_pdf_surface_set_metadata(g->surface, CAIRO_PDF_METADATA_TITLE, title);
	if (author)
		cairo_pdf_surface_set_metadata(g->surface, CAIRO_PDF_METADATA_AUTHOR, author);
	if (creator)
		cairo_pdf_surface_set_metadata(g->surface, CAIRO_PDF_METADATA_CREATOR, creator);
	if (created)
		cairo_pdf_surface_set_metadata(g->surface, CAIRO_PDF_METADATA_CREATE_DATE, created);
}

int pdfgen_close(pdfgen *g)
{
	if (!g)
		return -1;
	cairo_show_page(g->cr);
	cairo_destroy(g->cr);
	cairo_surface_finish(g->surface);
	int rc = cairo_surface_status(g->surface) == CAIRO_STATUS_SUCCESS ? 0 : -1;
	cairo_surface_destroy(g->surface);
	free(g);
	return rc;
}

/* LeakSanitizer's hook: fontconfig (loaded by cairo's toy font API) keeps a
 * few blocks from parsing its configuration that no call can free. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

void pdfgen_cleanup(void)
{
	cairo_debug_reset_static_data();
}

/* ---- the DHR-like report --------------------------------------------------- */

#define MARGIN_L 72.0
#define TEXT_W 451.0
#define BODY_TOP 100.0
#define BODY_BOTTOM 740.0
#define LEADING 14.0

static const char *const sentences[] = {
	"The panel examined the contact that each agency had with the victim and the perpetrator.",
	"Information about previous incidents of domestic abuse was held by the police but was not shared with the GP practice.",
	"The risk assessment completed by the officer recorded a standard level of risk although several high risk factors were present.",
	"Housing officers were aware of repeated requests for a transfer but did not ask about the reasons for those requests.",
	"The review found that practitioners did not always consider coercive and controlling behaviour.",
	"Referrals to the MARAC were made late and the IDVA service was not able to make contact before the homicide.",
	"Training on domestic abuse had been offered to staff in most agencies but attendance was not monitored.",
	"The children's school recorded concerns about their wellbeing that were not linked to the wider picture.",
	"Substance misuse services worked with the perpetrator for two years and recorded his jealousy and anger.",
	"The family told the panel that they had not known where to seek help or who to tell about their worries.",
	"Mental health services assessed the perpetrator twice and on both occasions discharged him back to his GP.",
	"The Community Safety Partnership has since reviewed its commissioning of specialist support services.",
	"Adult social care received a safeguarding concern that was closed without a conversation with the victim.",
	"Probation records show that the perpetrator's history of abuse in earlier relationships was known.",
	"Agencies worked in isolation and the panel saw few examples of professional curiosity.",
	"Policies on routine enquiry were in place but were not followed in the cases examined by the review.",
};

static const char *const headings[] = {
	"Introduction", "Terms of reference", "The facts", "Chronology", "Analysis", "Information sharing",
	"Risk assessment", "Family involvement", "Equality and diversity", "Conclusions", "Lessons learned",
};

static void report_furniture(pdfgen *g, int n_pages)
{
	char buf[64];
	pdfgen_font(g, "DejaVu Sans", 0, 0, 9);
	pdfgen_text(g, MARGIN_L, 40, "Domestic Homicide Review - Overview Report");
	pdfgen_text(g, 470, 40, "OFFICIAL");
	snprintf(buf, sizeof buf, "Page %d of %d", g->page, n_pages);
	pdfgen_text(g, 270, 805, buf);
}

/* A paragraph of `n` sentences chosen by an LCG seeded with `seed`. */
static char *prose(guint32 seed, int n)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; i < n; i++) {
		seed = seed * 1664525u + 1013904223u;
		if (i)
			g_string_append_c(s, ' ');
		g_string_append(s, sentences[(seed >> 8) % (sizeof sentences / sizeof sentences[0])]);
	}
	return g_string_free(s, FALSE);
}

static double body_paragraph(pdfgen *g, double y, const char *text)
{
	pdfgen_font(g, "DejaVu Sans", 0, 0, 11);
	return pdfgen_paragraph(g, MARGIN_L, y, TEXT_W, LEADING, text) + 6;
}

static double heading(pdfgen *g, double y, int num, const char *title, int *outline_parent)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%d. %s", num, title);
	pdfgen_font(g, "DejaVu Sans", 1, 0, 13);
	pdfgen_text(g, MARGIN_L, y + 6, buf);
	int id = pdfgen_outline(g, 0, buf, g->page);
	if (outline_parent)
		*outline_parent = id;
	return y + 26;
}

/* The action-plan table: 6 columns, multi-line cells, header row in bold. */
static double action_plan(pdfgen *g, double y)
{
	static const double colx[] = {72, 162, 222, 312, 392, 462, 535};
	static const char *const head[] = {"Recommendation", "Scope", "Action", "Lead agency", "Target date", "Outcome"};
	static const char *const rows[][6] = {
		{"1. Police to review DASH training", "Local", "Deliver refresher training to all response officers", "Police",
		 "March 2022", "Training delivered"},
		{"2. GP practices to adopt routine enquiry", "Regional", "Issue guidance and audit its use", "CCG", "June 2022",
		 "Audit completed"},
	};
	double top = y - 10;
	pdfgen_font(g, "DejaVu Sans", 1, 0, 8);
	pdfgen_rule(g, colx[0], top, colx[6], top);
	for (int c = 0; c < 6; c++)
		pdfgen_text(g, colx[c] + 3, y, head[c]);
	y += 6;
	pdfgen_rule(g, colx[0], y, colx[6], y);
	y += 12;
	pdfgen_font(g, "DejaVu Sans", 0, 0, 8);
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		double bottom = y;
		for (int c = 0; c < 6; c++) {
			double yy = pdfgen_paragraph(g, colx[c] + 3, y, colx[c + 1] - colx[c] - 10, 10, rows[r][c]);
			if (yy > bottom)
				bottom = yy;
		}
		y = bottom - 4;
		pdfgen_rule(g, colx[0], y, colx[6], y);
		y += 14;
	}
	for (int c = 0; c < 7; c++)
		pdfgen_rule(g, colx[c], top, colx[c], y - 14);
	return y;
}

int pdfgen_write_report(const char *path, int n_pages)
{
	if (n_pages < 4)
		return -1;
	pdfgen *g = pdfgen_new(path, PDFGEN_A4_W, PDFGEN_A4_H);
	if (!g)
		return -1;
	pdfgen_metadata(g, "Overview Report into the death of Adult A", "Independent Chair", "pdfgen",
			"2021-03-04T10:20:30");
	int hnum = 1;
	for (int p = 1; p <= n_pages; p++) {
		if (p > 1)
			pdfgen_page_break(g);
		report_furniture(g, n_pages);
		double y = BODY_TOP;
		if (p == 1) {
			pdfgen_font(g, "DejaVu Sans", 1, 0, 18);
			pdfgen_text(g, MARGIN_L, y, "Domestic Homicide Review");
			y += 40;
			y = heading(g, y, hnum++, "Introduction", NULL);
			y = body_paragraph(g, y,
					   "This review was commissioned by the Community Safety Partnership after the "
					   "death of Adult A. It examines the contact that agencies had with Mr\u00a0Smith and "
					   "with Adult A, and the \ufb01nding of each agency's internal management review.");
			/* explicit line ends: a word broken by hyphenation and a real compound */
			pdfgen_font(g, "DejaVu Sans", 0, 0, 11);
			pdfgen_text(g, MARGIN_L, y, "The police completed a risk assess-");
			pdfgen_text(g, MARGIN_L, y + LEADING, "ment on the night of the first incident and shared it with the");
			pdfgen_text(g, MARGIN_L, y + 2 * LEADING, "multi-agency safeguarding hub, which did not arrange a multi-");
			pdfgen_text(g, MARGIN_L, y + 3 * LEADING, "agency meeting before the homicide.");
			y += 4 * LEADING + 6;
			/* a footnote marker glued to a word */
			pdfgen_text(g, MARGIN_L, y, "The referral to the specialist service was delayed.");
			double w = pdfgen_text_width(g, "The referral to the specialist service was delayed.");
			pdfgen_font(g, "DejaVu Sans", 0, 0, 7);
			pdfgen_text(g, MARGIN_L + w + 0.5, y - 4, "1");
			pdfgen_font(g, "DejaVu Sans", 0, 0, 11);
			pdfgen_text(g, MARGIN_L + w + 6, y, " Nobody followed it up.");
			y += LEADING + 6;
			char *t = prose(7, 6);
			y = body_paragraph(g, y, t);
			g_free(t);
			pdfgen_font(g, "DejaVu Sans", 0, 0, 8);
			pdfgen_text(g, MARGIN_L, 770, "1 Home Office (2016) Multi-agency Statutory Guidance for the Conduct of");
			pdfgen_text(g, MARGIN_L, 780, "Domestic Homicide Reviews.");
			continue;
		}
		if (p == n_pages - 1) {
			int parent = 0;
			y = heading(g, y, hnum++, "Recommendations", &parent);
			pdfgen_outline(g, parent, "Summary of recommendations", g->page);
			static const char *const recs[] = {
				"6.1 The Community Safety Partnership should commission training on coercive control for "
				"all frontline staff.",
				"6.2 Thames Valley Police should ensure that DASH risk assessments are reviewed by a supervisor "
				"within 24 hours.",
				"6.3 The CCG should promote routine enquiry about domestic abuse in GP practices.",
			};
			for (size_t i = 0; i < 3; i++)
				y = body_paragraph(g, y, recs[i]);
			continue;
		}
		if (p == n_pages) {
			y = heading(g, y, hnum++, "Action plan", NULL);
			y = action_plan(g, y + 10);
			continue;
		}
		if ((p % 3) == 2) {
			const char *h = headings[(size_t)(hnum - 1) % (sizeof headings / sizeof headings[0])];
			y = heading(g, y, hnum++, h, NULL);
		}
		for (int k = 0; y < BODY_BOTTOM - 80; k++) {
			char *t = prose((guint32)(p * 31 + k), 3 + (k % 3));
			y = body_paragraph(g, y, t);
			g_free(t);
		}
	}
	return pdfgen_close(g);
}

int pdfgen_write_two_column(const char *path)
{
	pdfgen *g = pdfgen_new(path, PDFGEN_A4_W, PDFGEN_A4_H);
	if (!g)
		return -1;
	pdfgen_font(g, "Liberation Sans", 0, 0, 10);
	double y = 80;
	for (int i = 1; i <= 30; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "Left column line %d of the text.", i);
		pdfgen_text(g, 60, y, buf);
		snprintf(buf, sizeof buf, "Right column line %d of the text.", i);
		pdfgen_text(g, 320, y, buf);
		y += 13;
	}
	return pdfgen_close(g);
}

int pdfgen_write_image_only(const char *path, int n_pages)
{
	pdfgen *g = pdfgen_new(path, PDFGEN_A4_W, PDFGEN_A4_H);
	if (!g)
		return -1;
	for (int p = 0; p < n_pages; p++) {
		if (p)
			pdfgen_page_break(g);
		pdfgen_image(g, 0, 0, PDFGEN_A4_W, PDFGEN_A4_H);
	}
	return pdfgen_close(g);
}

int pdfgen_write_text_pages(const char *path, const char *const *pages, size_t n)
{
	pdfgen *g = pdfgen_new(path, PDFGEN_A4_W, PDFGEN_A4_H);
	if (!g)
		return -1;
	for (size_t p = 0; p < n; p++) {
		if (p)
			pdfgen_page_break(g);
		pdfgen_font(g, "DejaVu Sans", 0, 0, 11);
		pdfgen_paragraph(g, MARGIN_L, BODY_TOP, TEXT_W, LEADING, pages[p]);
	}
	return pdfgen_close(g);
}

/* ---- file helpers ------------------------------------------------------------ */

int pdfgen_in_child(int (*fn)(void *arg), void *arg)
{
	int fds[2];
	if (pipe(fds) < 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		char ok = fn(arg) == 0 ? 'y' : 'n';
		pdfgen_cleanup();
		/* the answer goes through the pipe: the exit status may be a leak checker's */
		if (write(fds[1], &ok, 1) != 1)
			_exit(2);
		_exit(0);
	}
	close(fds[1]);
	char ok = 'n';
	ssize_t r;
	do
		r = read(fds[0], &ok, 1);
	while (r < 0 && errno == EINTR);
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return r == 1 && ok == 'y' ? 0 : -1;
}

char *pdfgen_tmpdir(void)
{
	char *d = g_dir_make_tmp("dhr-test-XXXXXX", NULL);
	if (!d)
		return NULL;
	char *r = strdup(d);
	g_free(d);
	return r;
}

void pdfgen_rmtree(const char *dir)
{
	if (!dir)
		return;
	GDir *d = g_dir_open(dir, 0, NULL);
	if (d) {
		const char *name;
		while ((name = g_dir_read_name(d))) {
			char *p = g_build_filename(dir, name, NULL);
			if (g_file_test(p, G_FILE_TEST_IS_DIR))
				pdfgen_rmtree(p);
			else
				g_unlink(p);
			g_free(p);
		}
		g_dir_close(d);
	}
	g_rmdir(dir);
}

char *pdfgen_path(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = malloc(a + b + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

int pdfgen_write_bytes(const char *path, const void *data, size_t len)
{
	return g_file_set_contents(path, data, (gssize)len, NULL) ? 0 : -1;
}

int pdfgen_truncate_copy(const char *src, const char *dst, int percent)
{
	gchar *data = NULL;
	gsize len = 0;
	if (!g_file_get_contents(src, &data, &len, NULL))
		return -1;
	int rc = pdfgen_write_bytes(dst, data, len * (gsize)percent / 100);
	g_free(data);
	return rc;
}

int pdfgen_run(char *const argv[], char **out, char **errout)
{
	gchar *o = NULL, *e = NULL;
	gint status = 0;
	if (out)
		*out = NULL;
	if (errout)
		*errout = NULL;
	if (!g_spawn_sync(NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &o, &e, &status, NULL))
		return -1;
	if (out)
		*out = strdup(o ? o : "");
	if (errout)
		*errout = strdup(e ? e : "");
	g_free(o);
	g_free(e);
	if (!WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* ---- test group helpers -------------------------------------------------- */

char *pdfgen_dir;

const char *pdfgen_bin(void)
{
	const char *b = getenv("DHR_BIN");
	return b ? b : "./dhr";
}

int pdfgen_group_setup(void **state)
{
	(void)state;
	pdfgen_dir = pdfgen_tmpdir();
	return pdfgen_dir ? 0 : -1;
}

int pdfgen_group_teardown(void **state)
{
	(void)state;
	pdfgen_rmtree(pdfgen_dir);
	free(pdfgen_dir);
	pdfgen_dir = NULL;
	return 0;
}

char *pdfgen_put(const char *name, const char *text)
{
	char *p = pdfgen_path(pdfgen_dir, name);
	if (p && pdfgen_write_bytes(p, text, strlen(text)) < 0) {
		free(p);
		return NULL;
	}
	return p;
}
