/*
 * segment/gold_tsv.c: the TSV form of labelled recommendations (a
 * spreadsheet of real recommendation texts with their themes and lead
 * agency) read into a dhr_gold of rows, and the check of every gold label
 * against the rules' vocabulary, so a typo in the gold is an error with
 * FILE:LINE instead of a silent miss. `dhr eval` scores the rules on it.
 */
#include "dhr/gold.h"
#include "internal.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* The columns a header may name; anything else is a facet's labels. */
typedef enum tsv_col {
	COL_TEXT,
	COL_THEMES,
	COL_AGENCY,
	COL_AGENCY_TEXT,
	COL_REPORT,
	COL_SPLIT,
	COL_SOURCE,
	COL_NUMBER,
	COL_NOTES,
	COL_FACET
} tsv_col;

static const struct {
	const char *name;
	tsv_col col;
} known_cols[] = {
	{"text", COL_TEXT},     {"themes", COL_THEMES}, {"theme", COL_THEMES},
	{"agency", COL_AGENCY}, {"agency_text", COL_AGENCY_TEXT}, {"report", COL_REPORT},
	{"split", COL_SPLIT},   {"source", COL_SOURCE}, {"number", COL_NUMBER},
	{"notes", COL_NOTES},
};

int seg_gold_is_json(const char *buf, size_t len)
{
	size_t i = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	return i < len && buf[i] == '{';
}

/* One record of the file: its fields (malloc'd strings) and the line it starts on. */
typedef struct tsv_rec {
	char **f;
	size_t n, cap;
	int line;
} tsv_rec;

static void tsv_rec_clear(tsv_rec *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->f[i]);
	r->n = 0;
}

static int tsv_rec_add(tsv_rec *r, const char *s, size_t n)
{
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 8;
		char **nf = realloc(r->f, nc * sizeof *nf);
		if (!nf)
			return DHR_ENOMEM;
		r->f = nf;
		r->cap = nc;
	}
	char *c = malloc(n + 1);
	if (!c)
		return DHR_ENOMEM;
	memcpy(c, s, n);
	c[n] = '\0';
	r->f[r->n++] = c;
	return 0;
}

/*
 * A quoted field as spreadsheets write it: "..." with "" for a quote, ending
 * at a tab, a line end or the end of the file. Returns its end (after the
 * closing quote) and the unquoted text in *val, or NULL when the field does
 * not have that shape (a text that only starts with a quotation: '"Think
 * Family" should...'), which is then read as it stands.
 */
static const char *tsv_quoted(const char *p, const char *end, GString *val)
{
	g_string_truncate(val, 0);
	for (const char *q = p + 1; q < end; q++) {
		if (*q != '"') {
			g_string_append_c(val, *q);
			continue;
		}
		if (q + 1 < end && q[1] == '"') {
			g_string_append_c(val, '"');
			q++;
			continue;
		}
		const char *after = q + 1;
		if (after < end && *after == '\r')
			after++;
		if (after == end || *after == '\t' || *after == '\n')
			return q + 1;
		return NULL;
	}
	return NULL;
}

/* Read the record at *pos into r; advances *pos and *line. Returns 0 or DHR_ENOMEM. */
static int tsv_next(tsv_rec *r, const char **pos, const char *end, int *line, GString *tmp)
{
	const char *p = *pos;
	tsv_rec_clear(r);
	r->line = *line;
	for (;;) {
		const char *q = NULL;
		int rc;
		if (p < end && *p == '"' && (q = tsv_quoted(p, end, tmp))) {
			rc = tsv_rec_add(r, tmp->str, tmp->len);
			for (const char *c = p; c < q; c++)
				*line += *c == '\n';
			p = q;
			if (p < end && *p == '\r')
				p++;
		} else {
			q = p;
			while (q < end && *q != '\t' && *q != '\n')
				q++;
			size_t n = (size_t)(q - p);
			if (q < end && *q == '\n' && n > 0 && p[n - 1] == '\r')
				n--;
			rc = tsv_rec_add(r, p, n);
			p = q;
		}
		if (rc < 0)
			return rc;
		if (p < end && *p == '\t') {
			p++;
			continue;
		}
		if (p < end && *p == '\n') {
			p++;
			(*line)++;
		}
		break;
	}
	*pos = p;
	return 0;
}

/* The field trimmed of ASCII blanks, as a new string, or NULL (*oom set on failure) when empty. */
static char *trimmed(const char *s, int *oom)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if (n == 0)
		return NULL;
	char *c = malloc(n + 1);
	if (!c) {
		*oom = 1;
		return NULL;
	}
	memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

/* Split "a, b; c" into ids (trimmed, empty parts and repeats dropped). */
static int split_labels(char ***out, size_t *n_out, const char *s)
{
	char **v = NULL;
	size_t n = 0;
	const char *p = s;
	while (*p) {
		const char *q = p;
		while (*q && *q != ',' && *q != ';')
			q++;
		char *part = malloc((size_t)(q - p) + 1);
		if (!part)
			goto oom;
		memcpy(part, p, (size_t)(q - p));
		part[q - p] = '\0';
		int oom = 0;
		char *id = trimmed(part, &oom);
		free(part);
		if (oom)
			goto oom;
		int dup = 0;
		for (size_t i = 0; id && i < n && !dup; i++)
			dup = strcmp(v[i], id) == 0;
		if (id && !dup) {
			char **nv = realloc(v, (n + 1) * sizeof *nv);
			if (!nv) {
				free(id);
				goto oom;
			}
			v = nv;
			v[n++] = id;
		} else {
			free(id);
		}
		p = *q ? q + 1 : q;
	}
	*out = v;
	*n_out = n;
	return 0;
oom:
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return DHR_ENOMEM;
}

static int header_col(const char *name, tsv_col *col)
{
	for (size_t i = 0; i < sizeof known_cols / sizeof known_cols[0]; i++)
		if (strcmp(name, known_cols[i].name) == 0) {
			*col = known_cols[i].col;
			return 1;
		}
	*col = COL_FACET;
	return 0;
}

/* Fill one gold row from a record's fields. */
static int tsv_row(dhr_gold_rec *g, const tsv_rec *r, const tsv_col *cols, char *const *names, size_t n_cols,
		   const char *path, dhr_error *err)
{
	int oom = 0;
	g->line = r->line;
	if (r->n > n_cols)
		return dhr_error_set(err, DHR_ERROR, "%s:%d: %zu fields, but the header names %zu columns", path,
				     r->line, r->n, n_cols);
	for (size_t i = 0; i < r->n; i++) {
		const char *f = r->f[i];
		const gchar *bad = NULL;
		if (!g_utf8_validate(f, -1, &bad))
			return dhr_error_set(err, DHR_ERROR, "%s:%d: column %s: not valid UTF-8 (byte %zu of the field)",
					     path, r->line, names[i], (size_t)(bad - f) + 1);
		switch (cols[i]) {
		case COL_TEXT: g->text = trimmed(f, &oom); break;
		case COL_THEMES:
			if (split_labels(&g->themes, &g->n_themes, f) < 0)
				oom = 1;
			break;
		case COL_AGENCY: g->agency = trimmed(f, &oom); break;
		case COL_AGENCY_TEXT: g->agency_text = trimmed(f, &oom); break;
		case COL_REPORT: g->report = trimmed(f, &oom); break;
		case COL_SPLIT: g->split = trimmed(f, &oom); break;
		case COL_SOURCE: g->source = trimmed(f, &oom); break;
		case COL_NUMBER: g->number = trimmed(f, &oom); break;
		case COL_NOTES: break;
		case COL_FACET: {
			dhr_gold_facet_labels *fl = &g->facet_labels[g->n_facet_labels++];
			if (!(fl->facet = strdup(names[i])) || split_labels(&fl->labels, &fl->n_labels, f) < 0)
				oom = 1;
			break;
		}
		}
		if (oom)
			return DHR_ENOMEM;
	}
	if (!g->text)
		return dhr_error_set(err, DHR_ERROR, "%s:%d: empty text", path, r->line);
	if (!g->agency)
		return dhr_error_set(err, DHR_ERROR,
				     "%s:%d: empty agency (write unknown when the recommendation names none)", path,
				     r->line);
	return 0;
}

/* A blank line, or a comment: a line whose first field starts with `#`. */
static int blank_rec(const tsv_rec *r)
{
	if (r->n > 0 && r->f[0][0] == '#')
		return 1;
	for (size_t i = 0; i < r->n; i++)
		for (const char *s = r->f[i]; *s; s++)
			if (*s != ' ' && *s != '\r')
				return 0;
	return 1;
}

int dhr_gold_load_tsv(dhr_gold **out, const char *path, const char *buf, size_t len, dhr_error *err)
{
	const char *p = buf, *end = buf + len;
	int line = 1, rc;
	tsv_rec rec = {0};
	GString *tmp = g_string_new(NULL);
	dhr_gold *gold = NULL;
	tsv_col *cols = NULL;
	char **names = NULL;
	size_t n_cols = 0, cap = 0, n_facets = 0;

	*out = NULL;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		p += 3; /* a byte-order mark, as spreadsheets write */
	if (!(gold = calloc(1, sizeof *gold)) || !(gold->file = strdup(path))) {
		rc = DHR_ENOMEM;
		goto cleanup;
	}
	gold->format = DHR_GOLD_TSV;
	/* the first non-blank line: a header, or the first row of the old 3-column form */
	do {
		if (p >= end) {
			rc = dhr_error_set(err, DHR_ERROR, "%s: empty file (no header and no rows)", path);
			goto cleanup;
		}
		if ((rc = tsv_next(&rec, &p, end, &line, tmp)) < 0)
			goto cleanup;
	} while (blank_rec(&rec));
	const char *old_names[] = {"text", "themes", "agency"};
	int header = 0;
	for (size_t i = 0; i < rec.n && !header; i++) {
		int oom = 0;
		char *name = trimmed(rec.f[i], &oom);
		header = name && strcmp(name, "text") == 0;
		free(name);
	}
	n_cols = header ? rec.n : 3;
	if (!(cols = calloc(n_cols, sizeof *cols)) || !(names = calloc(n_cols, sizeof *names))) {
		rc = DHR_ENOMEM;
		goto cleanup;
	}
	if (header) {
		int seen[COL_FACET] = {0};
		for (size_t i = 0; i < n_cols; i++) {
			int oom = 0;
			names[i] = trimmed(rec.f[i], &oom);
			if (oom) {
				rc = DHR_ENOMEM;
				goto cleanup;
			}
			if (!names[i]) {
				rc = dhr_error_set(err, DHR_ERROR, "%s:%d: column %zu of the header has no name", path,
						   rec.line, i + 1);
				goto cleanup;
			}
			for (size_t j = 0; j < i; j++)
				if (strcmp(names[j], names[i]) == 0) {
					rc = dhr_error_set(err, DHR_ERROR, "%s:%d: column \"%s\" named twice", path,
							   rec.line, names[i]);
					goto cleanup;
				}
			header_col(names[i], &cols[i]);
			if (cols[i] == COL_FACET)
				n_facets++;
			else if (seen[cols[i]]++) {
				rc = dhr_error_set(err, DHR_ERROR, "%s:%d: column \"%s\" repeats another column", path,
						   rec.line, names[i]);
				goto cleanup;
			}
		}
		for (size_t k = 0; k < 3; k++) {
			tsv_col want = k == 0 ? COL_TEXT : k == 1 ? COL_THEMES : COL_AGENCY;
			if (!seen[want]) {
				rc = dhr_error_set(err, DHR_ERROR,
						   "%s:%d: the header names no \"%s\" column (required: text, themes, agency)",
						   path, rec.line, old_names[k]);
				goto cleanup;
			}
		}
		gold->tsv_header = 1;
	} else {
		if (rec.n != 3) {
			rc = dhr_error_set(err, DHR_ERROR,
					   "%s:%d: the first line is neither a header naming the columns (text, themes, "
					   "agency, ...) nor a row of the 3-column form text, themes, agency (it has %zu fields)",
					   path, rec.line, rec.n);
			goto cleanup;
		}
		for (size_t i = 0; i < 3; i++) {
			cols[i] = i == 0 ? COL_TEXT : i == 1 ? COL_THEMES : COL_AGENCY;
			if (!(names[i] = strdup(old_names[i]))) {
				rc = DHR_ENOMEM;
				goto cleanup;
			}
		}
	}
	for (int first = !header;; first = 0) {
		if (!first) {
			if (p >= end)
				break;
			if ((rc = tsv_next(&rec, &p, end, &line, tmp)) < 0)
				goto cleanup;
			if (blank_rec(&rec))
				continue;
		}
		if (gold->n_rows == cap) {
			size_t nc = cap ? cap * 2 : 64;
			dhr_gold_rec *nr = realloc(gold->rows, nc * sizeof *nr);
			if (!nr) {
				rc = DHR_ENOMEM;
				goto cleanup;
			}
			memset(nr + cap, 0, (nc - cap) * sizeof *nr);
			gold->rows = nr;
			cap = nc;
		}
		dhr_gold_rec *g = &gold->rows[gold->n_rows++];
		if (n_facets && !(g->facet_labels = calloc(n_facets, sizeof *g->facet_labels))) {
			rc = DHR_ENOMEM;
			goto cleanup;
		}
		if ((rc = tsv_row(g, &rec, cols, names, n_cols, path, err)) < 0)
			goto cleanup;
	}
	if (gold->n_rows == 0) {
		rc = dhr_error_set(err, DHR_ERROR, "%s: a header but no rows", path);
		goto cleanup;
	}
	*out = gold;
	gold = NULL;
	rc = 0;
cleanup:
	if (rc == DHR_ENOMEM)
		dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", path);
	tsv_rec_clear(&rec);
	free(rec.f);
	for (size_t i = 0; names && i < n_cols; i++)
		free(names[i]);
	free(names);
	free(cols);
	g_string_free(tmp, TRUE);
	dhr_gold_free(gold);
	return rc;
}

/* ---- the check against the rules' vocabulary ----------------------------------------- */

/* "FILE:LINE" for a TSV row, "FILE: DOC: recommendation N" for gold.json. */
static void rec_where(char *buf, size_t size, const dhr_gold *gold, const dhr_gold_doc *d, size_t r,
		      const dhr_gold_rec *g)
{
	if (g->line > 0)
		g_snprintf(buf, size, "%s:%d", gold->file ? gold->file : "gold", g->line);
	else
		g_snprintf(buf, size, "%s: %s: recommendation %zu", gold->file ? gold->file : "gold",
			   d && d->file ? d->file : "?", r + 1);
}

static int check_rec(const dhr_gold *gold, const dhr_gold_doc *d, size_t r, const dhr_gold_rec *g,
		     dhr_gold_known_cb known, void *payload, dhr_error *err)
{
	char where[512];
	for (size_t t = 0; t < g->n_themes; t++)
		if (!known("theme", g->themes[t], NULL, payload)) {
			rec_where(where, sizeof where, gold, d, r, g);
			return dhr_error_set(err, DHR_ERROR, "%s: unknown theme \"%s\" (not a label of facet theme)",
					     where, g->themes[t]);
		}
	if (g->agency && !known("agency", g->agency, NULL, payload)) {
		rec_where(where, sizeof where, gold, d, r, g);
		return dhr_error_set(err, DHR_ERROR, "%s: unknown agency \"%s\" (not a label of facet agency)", where,
				     g->agency);
	}
	for (size_t f = 0; f < g->n_facet_labels; f++) {
		const dhr_gold_facet_labels *fl = &g->facet_labels[f];
		int single = 0;
		if (!known(fl->facet, NULL, &single, payload)) {
			rec_where(where, sizeof where, gold, d, r, g);
			return dhr_error_set(err, DHR_ERROR,
					     "%s: column \"%s\" is neither a known column (text, themes, agency, "
					     "agency_text, report, split, source, number, notes) nor a facet of the rules",
					     where, fl->facet);
		}
		if (single && fl->n_labels > 1) {
			rec_where(where, sizeof where, gold, d, r, g);
			return dhr_error_set(err, DHR_ERROR, "%s: %zu labels for facet %s, which takes one", where,
					     fl->n_labels, fl->facet);
		}
		for (size_t l = 0; l < fl->n_labels; l++)
			if (!known(fl->facet, fl->labels[l], NULL, payload)) {
				rec_where(where, sizeof where, gold, d, r, g);
				return dhr_error_set(err, DHR_ERROR, "%s: unknown %s \"%s\" (not a label of facet %s)",
						     where, fl->facet, fl->labels[l], fl->facet);
			}
	}
	return 0;
}

int dhr_gold_check(const dhr_gold *gold, dhr_gold_known_cb known, void *payload, dhr_error *err)
{
	int rc;
	for (size_t i = 0; i < gold->n_rows; i++)
		if ((rc = check_rec(gold, NULL, i, &gold->rows[i], known, payload, err)) < 0)
			return rc;
	for (size_t d = 0; d < gold->n_docs; d++)
		for (size_t r = 0; r < gold->docs[d].n_recs; r++)
			if ((rc = check_rec(gold, &gold->docs[d], r, &gold->docs[d].recs[r], known, payload, err)) < 0)
				return rc;
	return 0;
}
