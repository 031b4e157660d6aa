/*
 * classify/parse.c: parses rules files into an immutable dhr_rules. The
 * language is line-oriented (one statement a line), so after a bad line the
 * parser simply goes on with the next: every error of every file is reported
 * through the caller's callback as file:line:col, and the compile fails with
 * "N errors" at the end. Patterns are compiled with PCRE2 (+JIT) here, once.
 */
#include "internal.h"

#include <errno.h>
#include <glib.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhr/common.h"
#include "dhr/embedded.h"
#include "dhr/util.h"

#define MAX_INCLUDE_DEPTH 32
#define MAX_NEAR 200
#define MAX_MIN 1000

/* ---------------------------------------------------------------- tokens */

enum { T_END = 0, T_WORD, T_STRING, T_PATTERN, T_COMMA, T_SUBJECT };

typedef struct token {
	int type;
	int col;          /* 1-based column of the token's first byte */
	const char *s;    /* T_WORD: the word; T_PATTERN: the body between the slashes */
	size_t len;
	char *str;        /* T_STRING: unescaped content (owned by the token list) */
	int body_col;     /* T_PATTERN: column of the body's first byte */
	const char *flags;/* T_PATTERN: flag letters after the closing slash */
	size_t flen;
	int flags_col;
} token;

#define MAX_TOKENS 64
#define TOKEN_SLOTS (MAX_TOKENS + 4) /* slots past the end read as T_END */

typedef struct parser {
	dhr_rules *r;
	dhr_rules_opts opts;
	dhr_include_mode mode;
	int n_errors, n_warnings;
	GChecksum *sum;
	GPtrArray *stack;     /* identity keys of the files being read (include chain) */
	GPtrArray *stack_names;
	GHashTable *seen;     /* identity keys of every file read (include once) */
	GHashTable *rx_dedup; /* "flags:source" -> pattern index + 1 */
	GHashTable *list_dedup; /* identity key of a list file -> its pattern index + 2 (1: it failed) */
	DHR_VEC(dhr_litset) litsets;
	pcre2_match_data *md;
	int cur_facet, cur_label;
	int cur_subject; /* inside `subject NAME`: its index, else -1 */
	int depth;
	/* the line being parsed */
	const char *file;
	int line;
	const char *line_text;
	token toks[TOKEN_SLOTS];
	int ntok;
	int oom;
} parser;

/* ---------------------------------------------------------------- diagnostics */

static void diag_at(parser *P, dhr_diag_level level, const char *file, int line, int col, const char *line_text,
		    const char *fmt, va_list ap) DHR_PRINTF_LIKE(7, 0);

static void diag_at(parser *P, dhr_diag_level level, const char *file, int line, int col, const char *line_text,
		    const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (level == DHR_DIAG_ERROR)
		P->n_errors++;
	else
		P->n_warnings++;
	if (P->opts.diag) {
		dhr_diag d = {level, file, line, col, msg, line_text};
		P->opts.diag(&d, P->opts.diag_payload);
	}
}

static void perr(parser *P, int col, const char *fmt, ...) DHR_PRINTF_LIKE(3, 4);
static void perr(parser *P, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_at(P, DHR_DIAG_ERROR, P->file, P->line, col, P->line_text, fmt, ap);
	va_end(ap);
	if (P->cur_label >= 0)
		P->r->labels.v[P->cur_label].had_error = 1;
}

static void pwarn(parser *P, int col, const char *fmt, ...) DHR_PRINTF_LIKE(3, 4);
static void pwarn(parser *P, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_at(P, DHR_DIAG_WARNING, P->file, P->line, col, P->line_text, fmt, ap);
	va_end(ap);
}

static void diag_loc(parser *P, dhr_diag_level level, const char *file, int line, int col, const char *line_text,
		     const char *fmt, ...) DHR_PRINTF_LIKE(7, 8);
static void diag_loc(parser *P, dhr_diag_level level, const char *file, int line, int col, const char *line_text,
		     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_at(P, level, file, line, col, line_text, fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------- lexer */

static int is_ident_start(char c)
{
	return g_ascii_isalpha(c) || c == '_';
}

static int is_word_char(char c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '-' || c == '.';
}

static void tokens_release(parser *P)
{
	for (int i = 0; i < P->ntok; i++)
		g_free(P->toks[i].str);
	P->ntok = 0;
}

/*
 * Split one line into tokens. @return 0, or -1 after reporting a lexical
 * error (the line is then skipped).
 */
static int lex_line(parser *P, const char *s, size_t len)
{
	size_t i = 0;
	P->ntok = 0;
	while (i < len) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\r') {
			i++;
			continue;
		}
		if (c == '#')
			break;
		if (P->ntok == MAX_TOKENS - 1) {
			perr(P, (int)i + 1, "too many words on one line (at most %d)", MAX_TOKENS - 1);
			return -1;
		}
		token *t = &P->toks[P->ntok];
		memset(t, 0, sizeof *t);
		t->col = (int)i + 1;
		if (c == '@') {
			size_t j = i + 1;
			while (j < len && is_word_char(s[j]))
				j++;
			if (j == i + 1 || !is_ident_start(s[i + 1])) {
				perr(P, t->col, "expected a subject name after '@'");
				return -1;
			}
			t->type = T_SUBJECT;
			t->s = s + i + 1;
			t->len = j - i - 1;
			i = j;
		} else if (c == ',') {
			t->type = T_COMMA;
			t->s = s + i;
			t->len = 1;
			i++;
		} else if (c == '"') {
			GString *g = g_string_new(NULL);
			size_t j = i + 1;
			while (j < len && s[j] != '"') {
				if (s[j] == '\\' && j + 1 < len && (s[j + 1] == '"' || s[j + 1] == '\\'))
					j++;
				g_string_append_c(g, s[j]);
				j++;
			}
			if (j >= len) {
				g_string_free(g, TRUE);
				perr(P, t->col, "unterminated string (missing closing '\"')");
				return -1;
			}
			t->type = T_STRING;
			t->s = s + i;
			t->len = j + 1 - i;
			t->str = g_string_free(g, FALSE);
			i = j + 1;
		} else if (c == '/') {
			size_t j = i + 1;
			int in_class = 0; /* a '/' inside [...] does not end the pattern */
			while (j < len) {
				if (s[j] == '\\' && j + 1 < len) {
					j += 2;
					continue;
				}
				if (!in_class && s[j] == '[') {
					in_class = 1;
					j++;
					if (j < len && s[j] == '^')
						j++;
					if (j < len && s[j] == ']')
						j++;
					continue;
				}
				if (in_class && s[j] == ']')
					in_class = 0;
				else if (!in_class && s[j] == '/')
					break;
				j++;
			}
			if (j >= len) {
				/* maybe a '[' was never closed: end at the first '/' and let PCRE2 say so */
				for (j = i + 1; j < len && s[j] != '/'; j++)
					if (s[j] == '\\' && j + 1 < len)
						j++;
			}
			if (j >= len) {
				perr(P, t->col, "unterminated pattern (missing closing '/')");
				return -1;
			}
			t->type = T_PATTERN;
			t->s = s + i + 1;
			t->len = j - i - 1;
			t->body_col = (int)i + 2;
			size_t f = j + 1;
			while (f < len && s[f] != ' ' && s[f] != '\t' && s[f] != '\r' && s[f] != ',' && s[f] != '#')
				f++;
			t->flags = s + j + 1;
			t->flen = f - j - 1;
			t->flags_col = (int)j + 2;
			i = f;
		} else if (is_word_char(c)) {
			size_t j = i;
			while (j < len && is_word_char(s[j]))
				j++;
			t->type = T_WORD;
			t->s = s + i;
			t->len = j - i;
			i = j;
		} else {
			if ((unsigned char)c >= 0x80) {
				gunichar u = g_utf8_get_char(s + i);
				perr(P, t->col, "unexpected character U+%04X", (unsigned)u);
			} else if (g_ascii_isprint(c)) {
				perr(P, t->col, "unexpected character '%c'", c);
			} else {
				perr(P, t->col, "unexpected control character 0x%02x", (unsigned char)c);
			}
			return -1;
		}
		P->ntok++;
	}
	for (int k = P->ntok; k < TOKEN_SLOTS; k++) {
		memset(&P->toks[k], 0, sizeof P->toks[k]);
		P->toks[k].type = T_END;
		P->toks[k].col = (int)len + 1;
	}
	return 0;
}

static int tok_is(const token *t, const char *w)
{
	return t->type == T_WORD && t->len == strlen(w) && memcmp(t->s, w, t->len) == 0;
}

static const char *tok_desc(const token *t, char *buf, size_t n)
{
	switch (t->type) {
	case T_END:
		return "end of line";
	case T_COMMA:
		return "','";
	case T_STRING:
		return "a string";
	case T_PATTERN:
		return "a pattern";
	case T_SUBJECT:
		snprintf(buf, n, "'@%.*s'", (int)(t->len > 40 ? 40 : t->len), t->s);
		return buf;
	default:
		snprintf(buf, n, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->s);
		return buf;
	}
}

static int valid_ident(const token *t)
{
	if (t->type != T_WORD || !is_ident_start(t->s[0]))
		return 0;
	for (size_t i = 0; i < t->len; i++)
		if (!(g_ascii_isalnum(t->s[i]) || t->s[i] == '_' || t->s[i] == '-'))
			return 0;
	return 1;
}

/* Parse a number token within [lo, hi]. @return 0 or -1 (after an error naming `what`). */
static int tok_number(parser *P, const token *t, int lo, int hi, const char *what, int *out)
{
	long v = 0;
	int ok = t->type == T_WORD && t->len > 0 && t->len <= 9;
	for (size_t i = 0; ok && i < t->len; i++) {
		if (!g_ascii_isdigit(t->s[i]))
			ok = 0;
		else
			v = v * 10 + (t->s[i] - '0');
	}
	if (!ok || v < lo || v > hi) {
		char b[64];
		perr(P, t->col, "expected %s (%d-%d), found %s", what, lo, hi, tok_desc(t, b, sizeof b));
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* ---------------------------------------------------------------- small helpers */

static char *where_str(const char *file, int line)
{
	return g_strdup_printf("%s:%d", file, line);
}

static int find_facet(const dhr_rules *r, const char *name, size_t len)
{
	for (size_t i = 0; i < r->facets.n; i++)
		if (strlen(r->facets.v[i].name) == len && memcmp(r->facets.v[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

static int find_label(const dhr_rules *r, int facet, const char *id, size_t len)
{
	const dhr_facet *f = &r->facets.v[facet];
	for (size_t i = 0; i < f->labels.n; i++) {
		const dhr_label *l = &r->labels.v[f->labels.v[i]];
		if (strlen(l->id) == len && memcmp(l->id, id, len) == 0)
			return (int)f->labels.v[i];
	}
	return -1;
}

static int find_group(const dhr_rules *r, int facet, const char *id, size_t len)
{
	for (size_t i = 0; i < r->groups.n; i++) {
		const dhr_group *g = &r->groups.v[i];
		if ((int)g->info.facet == facet && strlen(g->id) == len && memcmp(g->id, id, len) == 0)
			return (int)i;
	}
	return -1;
}

/* Levenshtein distance, for "did you mean". */
static size_t edit_distance(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b);
	if (la > 32 || lb > 32)
		return 99;
	size_t d[33][33];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t c = d[i - 1][j - 1] + (g_ascii_tolower(a[i - 1]) != b[j - 1]);
			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			d[i][j] = c;
		}
	return d[la][lb];
}

static const char *const keywords[] = {"include", "facet",  "group",   "label", "match", "require",
				       "unless",  "except", "min",     "bands", "subject", "name"};

/* ---------------------------------------------------------------- patterns */

/* Turn a quoted phrase into a regex: whole words, any whitespace or hyphen between, `*` = rest of word. */
static char *phrase_to_regex(const char *s)
{
	GString *g = g_string_new(NULL);
	const char *p = s;
	while (*p == ' ' || *p == '\t')
		p++;
	int first = 1;
	while (*p) {
		const char *w = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (!first)
			g_string_append(g, "[\\s\\-]+");
		size_t wl = (size_t)(p - w);
		int star = wl > 0 && w[wl - 1] == '*';
		if (star)
			wl--;
		if (first && wl > 0 && (g_ascii_isalnum(w[0]) || (unsigned char)w[0] >= 0x80))
			g_string_append(g, "\\b");
		for (size_t i = 0; i < wl; i++) {
			unsigned char c = (unsigned char)w[i];
			if (c < 0x80 && !g_ascii_isalnum(c) && c != '_' && c != ' ')
				g_string_append_c(g, '\\');
			g_string_append_c(g, (char)c);
		}
		if (star)
			g_string_append(g, "\\w*");
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p && (star || (wl > 0 && (g_ascii_isalnum(w[wl - 1]) || (unsigned char)w[wl - 1] >= 0x80))))
			g_string_append(g, "\\b");
		first = 0;
	}
	return g_string_free(g, FALSE);
}

/*
 * Compile a pattern body (already a regex: a /pattern/'s source, or what a
 * phrase or a list entry became) with PCRE2, derive its prefilter literals
 * and add it to the rules, or reuse an identical one. Errors are reported at
 * `col` (phrases) or body_col + PCRE2's offset (patterns), on P's current
 * file and line. @return the pattern index, or -1 after reporting the error.
 */
static int compile_body(parser *P, const char *body, size_t blen, uint32_t options, int extended, int is_phrase,
			int body_col, int col, int flag_error, int entry)
{
	char *norm = NULL, *pre = NULL;
	size_t n_pre = 0;
	int pp = 0;
	uint32_t *map = NULL;
	size_t nlen = 0;
	int idx = -1;
	char *key = NULL;
	if (dhr_normalize_pattern(&norm, &nlen, &map, body, blen) < 0) {
		P->oom = 1;
		goto cleanup;
	}
	key = g_strdup_printf("%08x:%s", (unsigned)options, norm);
	gpointer hit = g_hash_table_lookup(P->rx_dedup, key);
	if (hit && !flag_error) {
		idx = GPOINTER_TO_INT(hit) - 1;
		goto cleanup;
	}
	int errcode = 0;
	PCRE2_SIZE erroff = 0;
	/* a list entry is compiled once, anchored, when every match starts with a literal (it runs
	 * only there); its words cannot match the empty string */
	if (entry && (pp = dhr_prefilter_prefixes(&pre, &n_pre, norm, nlen, extended)) < 0)
		P->oom = 1;
	uint32_t copts = options | (entry && pp == 1 ? PCRE2_ANCHORED : 0);
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)norm, nlen, copts, &errcode, &erroff, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof msg);
		if (erroff > nlen)
			erroff = nlen;
		int ecol = is_phrase ? body_col : body_col + (int)map[erroff];
		perr(P, ecol, "%s", (const char *)msg);
		goto cleanup;
	}
	if (flag_error) {
		pcre2_code_free(code);
		goto cleanup;
	}
	/* JIT compiling is left to the matcher, for the patterns that run often */
	if (!entry && pcre2_match(code, (PCRE2_SPTR) "", 0, 0, 0, P->md, NULL) >= 0)
		pwarn(P, col, "pattern matches the empty string");
	if (DHR_VEC_RESERVE(P->r->rxs, 1) < 0 || DHR_VEC_RESERVE(P->litsets, 1) < 0) {
		pcre2_code_free(code);
		P->oom = 1;
		goto cleanup;
	}
	dhr_rx *rx = &P->r->rxs.v[P->r->rxs.n];
	memset(rx, 0, sizeof *rx);
	rx->code = code;
	rx->where = where_str(P->file, P->line);
	rx->file = g_strdup(P->file);
	rx->line = P->line;
	rx->line_text = g_strdup(P->line_text);
	rx->col = col;
	dhr_litset *ls = &P->litsets.v[P->litsets.n];
	memset(ls, 0, sizeof *ls);
	int pf = dhr_prefilter_literals(&ls->lits, &ls->n, norm, nlen, extended);
	if (pf < 0)
		P->oom = 1;
	rx->always = pf != 1;
	rx->interp = entry;
	if (entry && pp == 1) {
		rx->anch = code; /* and no unanchored form: the matcher never needs it */
		rx->code = NULL;
		ls->prefixes = pre;
		ls->n_prefixes = n_pre;
		pre = NULL;
	} else if (!entry && (pp = dhr_prefilter_prefixes(&ls->prefixes, &ls->n_prefixes, norm, nlen, extended)) < 0) {
		P->oom = 1;
	}
	/* every match starts with one of a few literals: run it anchored there only */
	if (!entry && pp == 1) {
		rx->anch = pcre2_compile((PCRE2_SPTR)norm, nlen, options | PCRE2_ANCHORED, &errcode, &erroff, NULL);
		if (!rx->anch)
			ls->n_prefixes = 0; /* no anchored form: the pattern runs everywhere */
	}
	idx = (int)P->r->rxs.n;
	P->r->rxs.n++;
	P->litsets.n++;
	g_hash_table_insert(P->rx_dedup, key, GINT_TO_POINTER(idx + 1));
	key = NULL;
cleanup:
	g_free(key);
	free(norm);
	free(pre);
	free(map);
	return idx;
}

/*
 * Compile the pattern or phrase of token t. @return the pattern index, or -1
 * after reporting the error.
 */
static int compile_pat(parser *P, const token *t)
{
	uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS;
	int extended = 0;
	const char *body;
	size_t blen;
	char *phrase = NULL;
	int body_col;
	int is_phrase = t->type == T_STRING;
	int flag_error = 0;
	if (is_phrase) {
		if (t->str[strspn(t->str, " \t")] == '\0') {
			perr(P, t->col, "empty phrase");
			return -1;
		}
		phrase = phrase_to_regex(t->str);
		body = phrase;
		blen = strlen(phrase);
		body_col = t->col;
	} else {
		body = t->s;
		blen = t->len;
		body_col = t->body_col;
		for (size_t i = 0; i < t->flen; i++) {
			char f = t->flags[i];
			if (f == 'i')
				options |= PCRE2_CASELESS;
			else if (f == 'c')
				options &= ~(uint32_t)PCRE2_CASELESS;
			else if (f == 'x') {
				options |= PCRE2_EXTENDED;
				extended = 1;
			} else if (f == 's')
				options |= PCRE2_DOTALL;
			else if (f == 'm')
				options |= PCRE2_MULTILINE;
			else if (f == '-' && i + 1 < t->flen && t->flags[i + 1] == 'i') {
				options &= ~(uint32_t)PCRE2_CASELESS;
				i++;
			} else {
				if ((unsigned char)f >= 0x20 && (unsigned char)f < 0x7f)
					perr(P, t->flags_col + (int)i,
					     "unknown pattern flag '%c' (flags: i caseless, c or -i case-sensitive, x, s, m)",
					     f);
				else
					perr(P, t->flags_col + (int)i, "unknown pattern flag byte 0x%02x",
					     (unsigned char)f);
				flag_error = 1;
				break;
			}
		}
		if (blen == 0) {
			perr(P, t->col, "empty pattern");
			return -1;
		}
	}
	int idx = compile_body(P, body, blen, options, extended, is_phrase, body_col, t->col, flag_error, 0);
	g_free(phrase);
	return idx;
}

/* ---------------------------------------------------------------- statements */

static int compile_list(parser *P, const token *path);

/* A new label `id` in the current facet, made the current label. @return its index or -1 (out of memory). */
static int new_label(parser *P, const char *id, size_t idlen, const char *name, int col, int group)
{
	dhr_facet *f = &P->r->facets.v[P->cur_facet];
	if (DHR_VEC_RESERVE(P->r->labels, 1) < 0 || DHR_VEC_RESERVE(f->labels, 1) < 0) {
		P->oom = 1;
		P->cur_label = -2;
		return -1;
	}
	dhr_label *l = &P->r->labels.v[P->r->labels.n];
	memset(l, 0, sizeof *l);
	l->id = g_strndup(id, idlen);
	l->name = name ? g_strdup(name) : g_strdup(l->id);
	l->where = where_str(P->file, P->line);
	l->file = g_strdup(P->file);
	l->line = P->line;
	l->line_text = g_strdup(P->line_text);
	l->col = col;
	l->min = 1;
	l->info.facet = (size_t)P->cur_facet;
	l->info.group = group;
	f->labels.v[f->labels.n++] = P->r->labels.n;
	P->cur_label = (int)P->r->labels.n++;
	return P->cur_label;
}

static void st_facet(parser *P)
{
	token *t = P->toks;
	char b[64];
	P->cur_subject = -1;
	if (!valid_ident(&t[1])) {
		perr(P, t[1].col, "expected a facet name after 'facet', found %s", tok_desc(&t[1], b, sizeof b));
		return;
	}
	int existing = find_facet(P->r, t[1].s, t[1].len);
	if (existing >= 0 && t[2].type == T_END) { /* `facet theme` reopens it */
		P->cur_facet = existing;
		P->cur_label = -1;
		return;
	}
	if (existing >= 0) {
		perr(P, t[1].col, "facet '%.*s' is already defined at %s:%d (write 'facet %.*s' alone to add labels to it)",
		     (int)t[1].len, t[1].s, P->r->facets.v[existing].def_file, P->r->facets.v[existing].def_line,
		     (int)t[1].len, t[1].s);
		return;
	}
	int single = 1;
	dhr_value_kind value = DHR_VALUE_LABEL;
	if (tok_is(&t[2], "multi"))
		single = 0;
	else if (tok_is(&t[2], "single"))
		single = 1;
	else if (tok_is(&t[2], "number"))
		value = DHR_VALUE_NUMBER;
	else if (tok_is(&t[2], "text"))
		value = DHR_VALUE_TEXT;
	else {
		perr(P, t[2].col, "expected 'multi', 'single', 'number' or 'text' after the facet name, found %s",
		     tok_desc(&t[2], b, sizeof b));
		return;
	}
	dhr_facet f;
	memset(&f, 0, sizeof f);
	f.fields[0] = DHR_FIELD_TEXT;
	f.info.n_fields = 1;
	f.info.single = single;
	f.info.default_label = -1;
	int i = 3, bad = 0;
	while (t[i].type != T_END && !bad) {
		if (tok_is(&t[i], "on")) {
			size_t nf = 0;
			int doc = 0;
			i++;
			for (;;) {
				dhr_field fld;
				if (tok_is(&t[i], "text"))
					fld = DHR_FIELD_TEXT;
				else if (tok_is(&t[i], "agency_text"))
					fld = DHR_FIELD_AGENCY_TEXT;
				else if (tok_is(&t[i], "document")) {
					fld = DHR_FIELD_DOCUMENT;
					doc = 1;
				} else {
					perr(P, t[i].col, "unknown input %s (expected text, agency_text or document)",
					     tok_desc(&t[i], b, sizeof b));
					bad = 1;
					break;
				}
				for (size_t k = 0; k < nf; k++)
					if (f.fields[k] == fld) {
						perr(P, t[i].col, "input named twice");
						bad = 1;
					}
				if (bad)
					break;
				if (nf == 3) {
					perr(P, t[i].col, "too many inputs");
					bad = 1;
					break;
				}
				f.fields[nf++] = fld;
				i++;
				if (t[i].type != T_COMMA)
					break;
				i++;
			}
			if (!bad && doc && nf > 1) {
				perr(P, t[i - 1].col, "'document' cannot be combined with other inputs");
				bad = 1;
			}
			f.info.n_fields = nf;
			f.info.scope = doc ? DHR_SCOPE_DOCUMENT : DHR_SCOPE_RECOMMENDATION;
		} else if (tok_is(&t[i], "pick")) {
			if (!single) {
				perr(P, t[i].col, "'pick' applies to single facets only");
				bad = 1;
			} else if (tok_is(&t[i + 1], "first")) {
				f.info.pick_earliest = 0;
			} else if (tok_is(&t[i + 1], "earliest")) {
				f.info.pick_earliest = 1;
			} else {
				perr(P, t[i + 1].col, "expected 'first' or 'earliest' after 'pick', found %s",
				     tok_desc(&t[i + 1], b, sizeof b));
				bad = 1;
			}
			i += 2;
		} else if (tok_is(&t[i], "default")) {
			if (value != DHR_VALUE_LABEL) {
				perr(P, t[i].col, "'default' does not apply to %s facets (their value is unknown when "
						  "no rule holds)",
				     value == DHR_VALUE_NUMBER ? "number" : "text");
				bad = 1;
			} else if (!single) {
				perr(P, t[i].col, "'default' applies to single facets only");
				bad = 1;
			} else if (!valid_ident(&t[i + 1])) {
				perr(P, t[i + 1].col, "expected a label id after 'default', found %s",
				     tok_desc(&t[i + 1], b, sizeof b));
				bad = 1;
			} else {
				g_free(f.default_id);
				f.default_id = g_strndup(t[i + 1].s, t[i + 1].len);
				f.def_col = t[i + 1].col;
			}
			i += 2;
		} else {
			perr(P, t[i].col, "unexpected %s in facet (expected on, pick or default)",
			     tok_desc(&t[i], b, sizeof b));
			bad = 1;
		}
	}
	if (bad) {
		g_free(f.default_id);
		if (value != DHR_VALUE_LABEL) {
			P->cur_facet = -1;
			P->cur_label = -2; /* its rule lines follow: reported once, here */
		}
		return;
	}
	if (DHR_VEC_RESERVE(P->r->facets, 1) < 0) {
		g_free(f.default_id);
		P->oom = 1;
		return;
	}
	f.name = g_strndup(t[1].s, t[1].len);
	f.def_file = g_strdup(P->file);
	f.def_line = P->line;
	f.def_line_text = g_strdup(P->line_text);
	f.info.value = value;
	P->r->facets.v[P->r->facets.n] = f;
	P->cur_facet = (int)P->r->facets.n++;
	P->cur_label = -1;
	/* a number or text facet has one label, named as the facet: its rule lines follow directly */
	if (value != DHR_VALUE_LABEL)
		new_label(P, t[1].s, t[1].len, NULL, t[1].col, -1);
}

/* `21-30` or `61-` (open): @return 0, or -1 after an error. */
static int parse_range(parser *P, const token *t, long *lo, long *hi)
{
	char b[64];
	const char *dash = t->type == T_WORD ? memchr(t->s, '-', t->len) : NULL;
	int ok = dash != NULL && dash > t->s && (size_t)(dash - t->s) <= 9 && t->len - (size_t)(dash - t->s) - 1 <= 9;
	long a = 0, z = 0;
	for (const char *p = t->s; ok && p < dash; p++) {
		if (!g_ascii_isdigit(*p))
			ok = 0;
		else
			a = a * 10 + (*p - '0');
	}
	int open = ok && dash == t->s + t->len - 1;
	for (const char *p = dash ? dash + 1 : NULL; ok && !open && p < t->s + t->len; p++) {
		if (!g_ascii_isdigit(*p))
			ok = 0;
		else
			z = z * 10 + (*p - '0');
	}
	if (!ok) {
		perr(P, t->col, "expected a range such as 21-30, or 61- for 61 and over, found %s",
		     tok_desc(t, b, sizeof b));
		return -1;
	}
	if (open)
		z = LONG_MAX;
	if (a > z) {
		perr(P, t->col, "range %.*s starts after it ends", (int)t->len, t->s);
		return -1;
	}
	*lo = a;
	*hi = z;
	return 0;
}

/* `bands 0-20 "under 20", 21-30 "21-30", 61- "61+"`: the bands of the current number facet. */
static void st_bands(parser *P)
{
	token *t = P->toks;
	char b[64];
	if (P->cur_facet < 0 || P->r->facets.v[P->cur_facet].info.value != DHR_VALUE_NUMBER) {
		perr(P, t[0].col, "'bands' outside a number facet (write 'facet NAME number' first)");
		return;
	}
	dhr_facet *f = &P->r->facets.v[P->cur_facet];
	if (f->bands.n > 0) {
		perr(P, t[0].col, "facet '%s' already has bands", f->name);
		return;
	}
	DHR_VEC(dhr_band) v = {0};
	int i = 1, bad = 0;
	for (;;) {
		long lo, hi;
		if (parse_range(P, &t[i], &lo, &hi) < 0) {
			bad = 1;
			break;
		}
		if (t[i + 1].type != T_STRING) {
			perr(P, t[i + 1].col, "expected the band's name in quotes after %.*s, found %s", (int)t[i].len,
			     t[i].s, tok_desc(&t[i + 1], b, sizeof b));
			bad = 1;
			break;
		}
		for (size_t k = 0; k < v.n; k++)
			if (lo <= v.v[k].hi && v.v[k].lo <= hi) {
				perr(P, t[i].col, "band %.*s overlaps band \"%s\"", (int)t[i].len, t[i].s, v.v[k].name);
				bad = 1;
			}
		if (bad)
			break;
		if (DHR_VEC_RESERVE(v, 1) < 0) {
			P->oom = 1;
			bad = 1;
			break;
		}
		v.v[v.n++] = (dhr_band){lo, hi, g_strdup(t[i + 1].str)};
		i += 2;
		if (t[i].type == T_END)
			break;
		if (t[i].type != T_COMMA) {
			perr(P, t[i].col, "expected ',' or end of line after a band, found %s", tok_desc(&t[i], b, sizeof b));
			bad = 1;
			break;
		}
		i++;
	}
	if (bad) {
		for (size_t k = 0; k < v.n; k++)
			g_free((char *)v.v[k].name);
		free(v.v);
		return;
	}
	f->bands.v = v.v;
	f->bands.n = v.n;
	f->bands.cap = v.cap;
}

static int find_subject(const dhr_rules *r, const char *name, size_t len)
{
	for (size_t i = 0; i < r->subjects.n; i++)
		if (strlen(r->subjects.v[i].name) == len && memcmp(r->subjects.v[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

/* `subject NAME ["description"]`: the `name` and `match` lines that follow say how a text mentions it. */
static void st_subject(parser *P)
{
	token *t = P->toks;
	char b[64];
	P->cur_facet = -1;
	P->cur_label = -1;
	P->cur_subject = -2; /* a bad subject line swallows its name/match lines */
	if (!valid_ident(&t[1])) {
		perr(P, t[1].col, "expected a subject name after 'subject', found %s", tok_desc(&t[1], b, sizeof b));
		return;
	}
	int i = 2;
	const char *desc = NULL;
	if (t[i].type == T_STRING)
		desc = t[i++].str;
	if (t[i].type != T_END) {
		perr(P, t[i].col, "unexpected %s in subject (expected: subject NAME [\"description\"])",
		     tok_desc(&t[i], b, sizeof b));
		return;
	}
	int existing = find_subject(P->r, t[1].s, t[1].len);
	if (existing >= 0) {
		perr(P, t[1].col, "subject '%.*s' is already defined at %s", (int)t[1].len, t[1].s,
		     P->r->subjects.v[existing].where);
		return;
	}
	if (DHR_VEC_RESERVE(P->r->subjects, 1) < 0) {
		P->oom = 1;
		return;
	}
	dhr_subject *su = &P->r->subjects.v[P->r->subjects.n];
	memset(su, 0, sizeof *su);
	su->name = g_strndup(t[1].s, t[1].len);
	su->desc = desc ? g_strdup(desc) : NULL;
	su->where = where_str(P->file, P->line);
	P->cur_subject = (int)P->r->subjects.n++;
}

/* `name /pattern with (a group)/` inside a subject, or `match /pattern/` there (no group needed). */
static void st_subject_pattern(parser *P, int is_name)
{
	token *t = P->toks;
	char b[64];
	if (P->cur_subject == -2)
		return;
	if (P->cur_subject < 0) {
		perr(P, t[0].col, "'name' outside a subject (write 'subject NAME' first)");
		return;
	}
	if (t[1].type != T_PATTERN && t[1].type != T_STRING) {
		perr(P, t[1].col, "expected a /pattern/ or a \"phrase\" after '%.*s', found %s", (int)t[0].len, t[0].s,
		     tok_desc(&t[1], b, sizeof b));
		return;
	}
	if (t[2].type != T_END) {
		perr(P, t[2].col, "expected end of line after the %s pattern (one pattern a line), found %s",
		     is_name ? "name" : "subject's", tok_desc(&t[2], b, sizeof b));
		return;
	}
	int rx = compile_pat(P, &t[1]);
	if (rx < 0)
		return;
	if (is_name) {
		uint32_t groups = 0;
		pcre2_pattern_info(P->r->rxs.v[rx].code, PCRE2_INFO_CAPTURECOUNT, &groups);
		if (groups < 1) {
			perr(P, t[1].col, "a name pattern needs a capture group: the name is what group 1 matches");
			return;
		}
	}
	dhr_subject *su = &P->r->subjects.v[P->cur_subject];
	if (is_name ? DHR_VEC_RESERVE(su->names, 1) < 0 : DHR_VEC_RESERVE(su->refs, 1) < 0) {
		P->oom = 1;
		return;
	}
	if (is_name)
		su->names.v[su->names.n++] = rx;
	else
		su->refs.v[su->refs.n++] = rx;
}

static void st_group(parser *P)
{
	token *t = P->toks;
	char b[64];
	if (P->cur_facet < 0) {
		perr(P, t[0].col, "group outside a facet (write 'facet NAME multi|single' first)");
		return;
	}
	if (!valid_ident(&t[1])) {
		perr(P, t[1].col, "expected a group id after 'group', found %s", tok_desc(&t[1], b, sizeof b));
		return;
	}
	if (t[2].type != T_STRING) {
		perr(P, t[2].col, "expected the group's name in quotes, found %s", tok_desc(&t[2], b, sizeof b));
		return;
	}
	if (t[3].type != T_END) {
		perr(P, t[3].col, "unexpected %s after the group's name", tok_desc(&t[3], b, sizeof b));
		return;
	}
	if (find_group(P->r, P->cur_facet, t[1].s, t[1].len) >= 0) {
		perr(P, t[1].col, "group '%.*s' is already defined", (int)t[1].len, t[1].s);
		return;
	}
	if (DHR_VEC_RESERVE(P->r->groups, 1) < 0) {
		P->oom = 1;
		return;
	}
	dhr_group *g = &P->r->groups.v[P->r->groups.n++];
	memset(g, 0, sizeof *g);
	g->id = g_strndup(t[1].s, t[1].len);
	g->name = g_strdup(t[2].str);
	g->info.facet = (size_t)P->cur_facet;
}

static void st_label(parser *P)
{
	token *t = P->toks;
	char b[64];
	P->cur_subject = -1;
	if (P->cur_facet >= 0 && P->r->facets.v[P->cur_facet].info.value != DHR_VALUE_LABEL) {
		perr(P, t[0].col, "a %s facet has no labels: its rule lines follow the facet line",
		     P->r->facets.v[P->cur_facet].info.value == DHR_VALUE_NUMBER ? "number" : "text");
		P->cur_label = -2;
		return;
	}
	if (P->cur_facet < 0) {
		perr(P, t[0].col, "label outside a facet (write 'facet NAME multi|single' first)");
		return;
	}
	if (!valid_ident(&t[1])) {
		perr(P, t[1].col, "expected a label id after 'label', found %s", tok_desc(&t[1], b, sizeof b));
		P->cur_label = -2; /* swallow its rule lines without more errors */
		return;
	}
	int i = 2;
	const char *name = NULL;
	if (t[i].type == T_STRING)
		name = t[i++].str;
	int group = -1;
	if (tok_is(&t[i], "group")) {
		if (!valid_ident(&t[i + 1])) {
			perr(P, t[i + 1].col, "expected a group id after 'group', found %s",
			     tok_desc(&t[i + 1], b, sizeof b));
		} else {
			group = find_group(P->r, P->cur_facet, t[i + 1].s, t[i + 1].len);
			if (group < 0)
				perr(P, t[i + 1].col, "unknown group '%.*s' (define it with 'group' above)",
				     (int)t[i + 1].len, t[i + 1].s);
		}
		i += 2;
	}
	if (t[i].type != T_END)
		perr(P, t[i].col, "unexpected %s in label (expected: label ID \"Name\" [group GROUP])",
		     tok_desc(&t[i], b, sizeof b));
	int existing = find_label(P->r, P->cur_facet, t[1].s, t[1].len);
	if (existing >= 0) {
		pwarn(P, t[1].col, "label '%.*s' is already defined at %s; these rules are added to it", (int)t[1].len,
		      t[1].s, P->r->labels.v[existing].where);
		P->cur_label = existing;
		return;
	}
	new_label(P, t[1].s, t[1].len, name, t[1].col, group);
}

/* `label X` inside a rule: a label of this facet defined above, or FACET.LABEL of an earlier facet. */
static int parse_label_ref(parser *P, const token *t, int *same_facet)
{
	char b[64];
	if (t->type != T_WORD) {
		perr(P, t->col, "expected a label id after 'label', found %s", tok_desc(t, b, sizeof b));
		return -1;
	}
	const char *dot = memchr(t->s, '.', t->len);
	if (!dot) {
		int l = find_label(P->r, P->cur_facet, t->s, t->len);
		if (l < 0 || l >= P->cur_label) {
			perr(P, t->col, "unknown label '%.*s' (a label of facet '%s' defined above this one)", (int)t->len,
			     t->s, P->r->facets.v[P->cur_facet].name);
			return -1;
		}
		*same_facet = 1;
		return l;
	}
	size_t fl = (size_t)(dot - t->s);
	int f = find_facet(P->r, t->s, fl);
	if (f < 0) {
		perr(P, t->col, "unknown facet '%.*s'", (int)fl, t->s);
		return -1;
	}
	if (f >= P->cur_facet) {
		perr(P, t->col, "facet '%.*s' must be defined before facet '%s' to be referred to", (int)fl, t->s,
		     P->r->facets.v[P->cur_facet].name);
		return -1;
	}
	if (P->r->facets.v[f].info.scope != P->r->facets.v[P->cur_facet].info.scope) {
		perr(P, t->col, "facet '%.*s' classifies another scope (recommendation vs document)", (int)fl, t->s);
		return -1;
	}
	int l = find_label(P->r, f, dot + 1, t->len - fl - 1);
	if (l < 0) {
		perr(P, (int)(t->col + (int)fl + 1), "unknown label '%.*s' in facet '%.*s'", (int)(t->len - fl - 1),
		     dot + 1, (int)fl, t->s);
		return -1;
	}
	*same_facet = 0;
	return l;
}

/*
 * The operand at t[*i]: a /pattern/, a "phrase", `list "FILE"` or @subject.
 * Advances *i past it. @return its operand code (a pattern index, or a
 * subject's DHR_SUBJECT_OPERAND), or INT_MIN after reporting the error.
 */
static int parse_operand(parser *P, int *i)
{
	token *t = P->toks;
	char b[64];
	if (tok_is(&t[*i], "list")) {
		if (t[*i + 1].type != T_STRING || t[*i + 1].str[0] == '\0') {
			perr(P, t[*i + 1].col, "expected a file name in quotes after 'list', found %s",
			     tok_desc(&t[*i + 1], b, sizeof b));
			*i += t[*i + 1].type == T_END ? 1 : 2;
			return INT_MIN;
		}
		int idx = compile_list(P, &t[*i + 1]);
		*i += 2;
		return idx < 0 ? INT_MIN : idx;
	}
	const token *o = &t[(*i)++];
	if (o->type == T_SUBJECT) {
		int s = find_subject(P->r, o->s, o->len);
		if (s < 0) {
			perr(P, o->col, "unknown subject '%.*s' (declare it with 'subject %.*s' above)", (int)o->len, o->s,
			     (int)o->len, o->s);
			return INT_MIN;
		}
		return DHR_SUBJECT_OPERAND(s);
	}
	int rx = compile_pat(P, o);
	return rx < 0 ? INT_MIN : rx;
}

static int is_operand(const token *t)
{
	return t->type == T_PATTERN || t->type == T_STRING || t->type == T_SUBJECT || tok_is(t, "list");
}

static void st_rule(parser *P, dhr_rule_kind kind)
{
	token *t = P->toks;
	char b[64];
	if (kind == DHR_RULE_MATCH && P->cur_label == -1 && P->cur_subject != -1) {
		st_subject_pattern(P, 0); /* `match` inside a subject: a fixed way of mentioning it */
		return;
	}
	if (P->cur_label == -2)
		return; /* the label line was bad and has been reported */
	if (P->cur_label < 0) {
		perr(P, t[0].col, "'%.*s' outside a label (write 'label ID \"Name\"' first)", (int)t[0].len, t[0].s);
		return;
	}
	dhr_rule ru;
	memset(&ru, 0, sizeof ru);
	ru.kind = kind;
	ru.min = 1;
	ru.a = ru.b = ru.ref_label = -1;
	int i = 1, bad = 0;
	if (tok_is(&t[1], "label")) {
		if (kind == DHR_RULE_EXCEPT) {
			perr(P, t[1].col, "'except' takes a pattern, not a label");
			return;
		}
		ru.op = DHR_OP_LABEL;
		ru.ref_label = parse_label_ref(P, &t[2], &ru.ref_same_facet);
		if (ru.ref_label < 0)
			bad = 1;
		i = 3;
	} else if (is_operand(&t[1])) {
		ru.op = DHR_OP_ONE;
		i = 1;
		ru.a = parse_operand(P, &i);
		if (ru.a == INT_MIN)
			bad = 1;
		if (tok_is(&t[i], "near") || tok_is(&t[i], "before")) {
			ru.op = tok_is(&t[i], "near") ? DHR_OP_NEAR : DHR_OP_BEFORE;
			if (kind == DHR_RULE_EXCEPT) {
				perr(P, t[i].col, "'except' takes one pattern (no near/before)");
				bad = 1;
			}
			if (tok_number(P, &t[i + 1], 0, MAX_NEAR, "a number of words", &ru.dist) < 0)
				bad = 1;
			if (!is_operand(&t[i + 2])) {
				perr(P, t[i + 2].col, "expected a pattern after '%.*s %.*s', found %s", (int)t[i].len,
				     t[i].s, (int)t[i + 1].len, t[i + 1].s, tok_desc(&t[i + 2], b, sizeof b));
				bad = 1;
				i += 2;
			} else {
				i += 2;
				ru.b = parse_operand(P, &i);
				if (ru.b == INT_MIN)
					bad = 1;
			}
		} else if (tok_is(&t[i], "within")) {
			/* `within S`: the hit's sentence mentions subject S (near S, at any distance) */
			if (kind == DHR_RULE_EXCEPT) {
				perr(P, t[i].col, "'except' takes one pattern (no within)");
				bad = 1;
			} else if (t[i + 1].type != T_WORD) {
				perr(P, t[i + 1].col, "expected a subject name after 'within', found %s",
				     tok_desc(&t[i + 1], b, sizeof b));
				bad = 1;
			} else {
				int sj = find_subject(P->r, t[i + 1].s, t[i + 1].len);
				if (sj < 0) {
					perr(P, t[i + 1].col, "unknown subject '%.*s' (declare it with 'subject %.*s' above)",
					     (int)t[i + 1].len, t[i + 1].s, (int)t[i + 1].len, t[i + 1].s);
					bad = 1;
				} else if (DHR_IS_SUBJECT(ru.a)) {
					perr(P, t[i].col, "'within' needs a pattern before it, not a subject");
					bad = 1;
				} else {
					ru.op = DHR_OP_NEAR;
					ru.b = DHR_SUBJECT_OPERAND(sj);
					ru.dist = DHR_WITHIN_DIST;
				}
			}
			i += t[i + 1].type == T_END ? 1 : 2;
		}
	} else {
		perr(P, t[1].col, "expected a /pattern/, a \"phrase\", 'list \"FILE\"', @subject or 'label ID' after '%.*s', found %s",
		     (int)t[0].len, t[0].s, tok_desc(&t[1], b, sizeof b));
		return;
	}
	while (t[i].type != T_END) {
		if (tok_is(&t[i], "min") && kind != DHR_RULE_EXCEPT) {
			if (tok_number(P, &t[i + 1], 1, MAX_MIN, "a number of hits", &ru.min) < 0)
				bad = 1;
			i += t[i + 1].type == T_END ? 1 : 2;
		} else if (tok_is(&t[i], "prefer") && kind == DHR_RULE_MATCH) {
			ru.prefer = 1;
			i++;
		} else {
			if (tok_is(&t[i], "near") || tok_is(&t[i], "before") || tok_is(&t[i], "within"))
				perr(P, t[i].col, "only one near/before/within per rule");
			else
				perr(P, t[i].col, "unexpected %s after the rule", tok_desc(&t[i], b, sizeof b));
			bad = 1;
			break;
		}
	}
	if (bad || P->cur_label < 0)
		return;
	if (DHR_VEC_RESERVE(P->r->rules, 1) < 0) {
		P->oom = 1;
		return;
	}
	dhr_label *l = &P->r->labels.v[P->cur_label];
	if (DHR_VEC_RESERVE(l->rules, 1) < 0) {
		P->oom = 1;
		return;
	}
	ru.where = where_str(P->file, P->line);
	P->r->rules.v[P->r->rules.n] = ru;
	l->rules.v[l->rules.n++] = (int)P->r->rules.n++;
	switch (kind) {
	case DHR_RULE_MATCH:
		l->n_match++;
		l->has_prefer |= ru.prefer;
		break;
	case DHR_RULE_REQUIRE:
		l->n_require++;
		break;
	case DHR_RULE_UNLESS:
		l->n_unless++;
		break;
	case DHR_RULE_EXCEPT:
		l->n_except++;
		break;
	}
}

static void st_min(parser *P)
{
	token *t = P->toks;
	char b[64];
	if (P->cur_label == -2)
		return;
	if (P->cur_label < 0) {
		perr(P, t[0].col, "'min' outside a label (write 'label ID \"Name\"' first)");
		return;
	}
	int v;
	if (tok_number(P, &t[1], 1, MAX_MIN, "a number of hits", &v) < 0)
		return;
	if (t[2].type != T_END) {
		perr(P, t[2].col, "unexpected %s after 'min N'", tok_desc(&t[2], b, sizeof b));
		return;
	}
	P->r->labels.v[P->cur_label].min = v;
}

static int parse_source(parser *P, const char *name, const char *key, const char *text, size_t len);

/* Join `dir` and `rel` and fold "." and ".." segments (for embedded names). */
static char *path_join_clean(const char *dir, const char *rel)
{
	char *joined = (rel[0] == '/' || strcmp(dir, ".") == 0) ? g_strdup(rel) : g_build_filename(dir, rel, NULL);
	gchar **parts = g_strsplit(joined, "/", -1);
	GPtrArray *keep = g_ptr_array_new();
	for (gchar **p = parts; *p; p++) {
		if (**p == '\0' || strcmp(*p, ".") == 0)
			continue;
		if (strcmp(*p, "..") == 0 && keep->len > 0 && strcmp(g_ptr_array_index(keep, keep->len - 1), "..") != 0)
			g_ptr_array_remove_index(keep, keep->len - 1);
		else
			g_ptr_array_add(keep, *p);
	}
	g_ptr_array_add(keep, NULL);
	char *out = g_strjoinv("/", (gchar **)keep->pdata);
	if (joined[0] == '/') {
		char *abs = g_strconcat("/", out, NULL);
		g_free(out);
		out = abs;
	}
	g_ptr_array_free(keep, TRUE);
	g_strfreev(parts);
	g_free(joined);
	return out;
}

/* ---------------------------------------------------------------- lists */

#define MAX_ENTRY 300

/* A word written with two or more capitals (an acronym: KMPT, SLaM, NHS, MoJ) is case-sensitive. */
static int word_is_acronym(const char *w, size_t len)
{
	int caps = 0;
	for (const char *p = w; p < w + len; p = g_utf8_next_char(p))
		caps += g_unichar_isupper(g_utf8_get_char(p)) != 0;
	return caps >= 2;
}

/*
 * A list entry as a regex: a phrase (whole words, any run of spaces or
 * hyphens between words, whether the entry has a space or a hyphen there,
 * `*` ending a word = the rest of the word, caseless),
 * except that a word written with two or more capitals matches only in that
 * case; with three freedoms real names need: a comma after a word may be left
 * out ("Cumbria, Northumberland, Tyne and Wear"), an apostrophe may be left
 * out ("Women's Aid", "Womens Aid") and "and" also matches "&"; and a fourth:
 * "NHS" between two words may be left out ("North Tees and Hartlepool
 * Foundation Trust" for "... NHS Foundation Trust").
 */
static char *entry_to_regex(const char *s)
{
	GString *g = g_string_new(NULL);
	const char *p = s;
	int first = 1;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '-')
			p++;
		if (!*p)
			break;
		const char *w = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '-') /* "Stoke-on-Trent" = "Stoke on Trent" */
			p++;
		size_t wl = (size_t)(p - w);
		int comma = wl > 1 && w[wl - 1] == ',';
		if (comma)
			wl--;
		int star = wl > 1 && w[wl - 1] == '*';
		if (star)
			wl--;
		while (*p == ' ' || *p == '\t' || *p == '-')
			p++;
		int last = !*p;
		/* "X NHS Foundation Trust" is also written "X Foundation Trust": an NHS between two words
		 * may be left out */
		if (!first && !last && !comma && !star && wl == 3 && strncmp(w, "NHS", 3) == 0) {
			g_string_append(g, "(?:[\\s\\-]+(?-i:NHS))?");
			continue;
		}
		if (!first)
			g_string_append(g, "[\\s\\-]+");
		if (first && (g_ascii_isalnum(w[0]) || (unsigned char)w[0] >= 0x80))
			g_string_append(g, "\\b");
		int cs = word_is_acronym(w, wl);
		if ((wl == 3 && g_ascii_strncasecmp(w, "and", 3) == 0) || (wl == 1 && w[0] == '&')) {
			g_string_append(g, "(?:and|&)");
		} else {
			if (cs)
				g_string_append(g, "(?-i:");
			for (size_t i = 0; i < wl; i++) {
				unsigned char c = (unsigned char)w[i];
				if (c == '\'') {
					g_string_append(g, "'?");
					continue;
				}
				if (c < 0x80 && !g_ascii_isalnum(c) && c != '_')
					g_string_append_c(g, '\\');
				g_string_append_c(g, (char)c);
			}
			if (cs)
				g_string_append_c(g, ')');
		}
		if (star)
			g_string_append(g, "\\w*");
		if (comma)
			g_string_append(g, ",?");
		if (last && !comma && (star || g_ascii_isalnum(w[wl - 1]) || (unsigned char)w[wl - 1] >= 0x80))
			g_string_append(g, "\\b");
		first = 0;
	}
	return g_string_free(g, FALSE);
}

/* Parse the entries of list L (text, len: the file's bytes), each compiled at its own file:line. */
static void list_entries(parser *P, int li, const char *text, size_t len)
{
	const char *saved_file = P->file, *saved_text = P->line_text;
	int saved_line = P->line;
	char *fname = g_strdup(P->r->lists.v[li].file);
	size_t pos = 0;
	int line = 0;
	P->file = fname;
	while (pos < len && !P->oom) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - pos;
		line++;
		if (l > 0 && text[pos + l - 1] == '\r')
			l--;
		char *copy = g_strndup(text + pos, l);
		P->line = line;
		P->line_text = copy;
		const char *bad = NULL;
		if (!g_utf8_validate(text + pos, (gssize)l, &bad)) {
			perr(P, (int)(bad - (text + pos)) + 1, "invalid UTF-8 or NUL byte in a list entry");
			goto next;
		}
		/* `#` to the end of the line is a comment; blanks around the name do not count */
		size_t a = 0, e = l;
		const char *hash = memchr(text + pos, '#', l);
		if (hash)
			e = (size_t)(hash - (text + pos));
		while (a < e && (text[pos + a] == ' ' || text[pos + a] == '\t'))
			a++;
		while (e > a && (text[pos + e - 1] == ' ' || text[pos + e - 1] == '\t'))
			e--;
		if (a == e)
			goto next;
		int col = (int)a + 1;
		if (e - a >= 2 && text[pos + a] == '"' && text[pos + e - 1] == '"') {
			a++; /* a name written in quotes, as in a rules file */
			e--;
		}
		int has_alnum = 0;
		for (const char *q = text + pos + a; q < text + pos + e; q = g_utf8_next_char(q))
			has_alnum |= g_unichar_isalnum(g_utf8_get_char(q)) != 0;
		if (!has_alnum) {
			perr(P, col, "empty entry (a name needs a letter or a digit)");
			goto next;
		}
		if (e - a > MAX_ENTRY) {
			perr(P, col, "entry longer than %d bytes", MAX_ENTRY);
			goto next;
		}
		char *name = g_strndup(text + pos + a, e - a);
		char *rx = entry_to_regex(name);
		int idx = compile_body(P, rx, strlen(rx), PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, 0, 1, col, col, 0, 1);
		g_free(rx);
		dhr_list *L = &P->r->lists.v[li];
		if (idx < 0 || DHR_VEC_RESERVE(L->entries, 1) < 0 || DHR_VEC_RESERVE(L->members, 1) < 0) {
			if (idx >= 0)
				P->oom = 1;
			g_free(name);
			goto next;
		}
		dhr_list_entry *en = &L->entries.v[L->entries.n++];
		en->rx = idx;
		en->line = line;
		en->where = where_str(fname, line);
		en->text = name;
		int dup = 0;
		for (size_t k = 0; k < L->members.n && !dup; k++)
			dup = L->members.v[k] == idx;
		if (!dup)
			L->members.v[L->members.n++] = idx;
	next:
		g_free(copy);
		pos = nl ? end + 1 : len;
	}
	g_free(fname);
	P->file = saved_file;
	P->line = saved_line;
	P->line_text = saved_text;
}

/*
 * `list "FILE"`: read the list file (relative to the rules file, like
 * include; from the embedded files for the built-in rules), compile each
 * entry as its own pattern, and make the list's pattern, whose literal set
 * is the union of its entries'. A list used by several rules is read once.
 * @return the list's pattern index, or -1 after reporting the error.
 */
/*
 * The file an include or list path names, relative to the folder `dir` of the
 * rules file it is written in: *path to read it by, *key to know it again
 * (the real path on disk; the cleaned path among the embedded files).
 */
static void resolve_path(const parser *P, const char *dir, const char *rel, char **path, char **key)
{
	if (P->mode == DHR_INCLUDE_EMBEDDED) {
		*path = path_join_clean(dir, rel);
		*key = g_strdup(*path);
		return;
	}
	*path = (rel[0] == '/' || strcmp(dir, ".") == 0) ? g_strdup(rel) : g_build_filename(dir, rel, NULL);
	char *rp = realpath(*path, NULL);
	*key = rp ? g_strdup(rp) : g_strdup(*path);
	free(rp);
}

static int compile_list(parser *P, const token *t)
{
	const char *rel = t->str;
	char *dir = NULL, *path = NULL, *key = NULL, *text = NULL;
	const char *data = NULL;
	size_t len = 0;
	int idx = -1;
	if (P->mode == DHR_INCLUDE_NONE) {
		perr(P, t->col, "list files are not allowed here");
		return -1;
	}
	dir = g_path_get_dirname(P->file);
	resolve_path(P, dir, rel, &path, &key);
	gpointer hit = g_hash_table_lookup(P->list_dedup, key);
	if (hit) { /* read before: its pattern, or -1 if it failed (and was reported then) */
		idx = GPOINTER_TO_INT(hit) - 2;
		g_free(key);
		key = NULL;
		goto cleanup;
	}
	if (P->mode == DHR_INCLUDE_EMBEDDED) {
		const dhr_embedded_file *ef = dhr_embedded_find(path);
		if (!ef) {
			perr(P, t->col, "cannot read list '%s': no such embedded file", path);
			goto cleanup;
		}
		data = (const char *)ef->data;
		len = ef->len;
	} else {
		dhr_error e;
		dhr_error_clear(&e);
		if (dhr_read_file(&text, &len, path, &e) < 0) {
			const char *why = e.message;
			size_t pl = strlen(path);
			if (strncmp(why, path, pl) == 0 && why[pl] == ':')
				why += pl + 2;
			perr(P, t->col, "cannot read list '%s': %s", path, why);
			goto cleanup;
		}
		data = text;
	}
	g_checksum_update(P->sum, (const guchar *)data, (gssize)len); /* a list edit changes the rules' hash */
	if (DHR_VEC_RESERVE(P->r->lists, 1) < 0) {
		P->oom = 1;
		goto cleanup;
	}
	int li = (int)P->r->lists.n++;
	dhr_list *L = &P->r->lists.v[li];
	memset(L, 0, sizeof *L);
	L->file = g_strdup(path);
	L->rx = -1;
	int errors_before = P->n_errors;
	list_entries(P, li, data, len);
	L = &P->r->lists.v[li];
	if (P->oom || P->n_errors > errors_before)
		goto cleanup;
	if (L->entries.n == 0) {
		perr(P, t->col, "list '%s' has no entries", path);
		goto cleanup;
	}
	if (DHR_VEC_RESERVE(P->r->rxs, 1) < 0 || DHR_VEC_RESERVE(P->litsets, 1) < 0) {
		P->oom = 1;
		goto cleanup;
	}
	/* the list's literal set: the union of its entries' (any one of them unlocks it) */
	int always = 0;
	GString *lits = g_string_new(NULL);
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	size_t n_lits = 0;
	for (size_t k = 0; k < L->members.n && !always; k++) {
		const dhr_litset *ms = &P->litsets.v[L->members.v[k]];
		if (P->r->rxs.v[L->members.v[k]].always) {
			always = 1;
			break;
		}
		const char *s = ms->lits;
		for (size_t q = 0; q < ms->n; q++, s += strlen(s) + 1)
			if (g_hash_table_add(seen, (gpointer)s)) {
				g_string_append_len(lits, s, (gssize)strlen(s) + 1);
				n_lits++;
			}
	}
	g_hash_table_destroy(seen);
	dhr_rx *rx = &P->r->rxs.v[P->r->rxs.n];
	memset(rx, 0, sizeof *rx);
	rx->where = where_str(P->file, P->line);
	rx->file = g_strdup(P->file);
	rx->line = P->line;
	rx->line_text = g_strdup(P->line_text);
	rx->col = t->col;
	rx->list = li + 1;
	rx->always = always;
	dhr_litset *ls = &P->litsets.v[P->litsets.n];
	memset(ls, 0, sizeof *ls);
	if (!always) {
		ls->n = n_lits;
		ls->lits = malloc(lits->len + 1);
		if (!ls->lits)
			P->oom = 1;
		else
			memcpy(ls->lits, lits->str, lits->len + 1);
	}
	g_string_free(lits, TRUE);
	idx = (int)P->r->rxs.n++;
	P->litsets.n++;
	L->rx = idx;
cleanup:
	if (key)
		g_hash_table_insert(P->list_dedup, key, GINT_TO_POINTER(idx + 2));
	key = NULL;
	free(text);
	g_free(dir);
	g_free(path);
	g_free(key);
	return idx;
}

static void st_include(parser *P)
{
	token *t = P->toks;
	char b[64];
	if (t[1].type != T_STRING || t[1].str[0] == '\0') {
		perr(P, t[1].col, "expected a file name in quotes after 'include', found %s", tok_desc(&t[1], b, sizeof b));
		return;
	}
	if (t[2].type != T_END) {
		perr(P, t[2].col, "unexpected %s after the include", tok_desc(&t[2], b, sizeof b));
		return;
	}
	if (P->mode == DHR_INCLUDE_NONE) {
		perr(P, t[1].col, "includes are not allowed here");
		return;
	}
	if (P->depth >= MAX_INCLUDE_DEPTH) {
		perr(P, t[1].col, "includes nested more than %d deep", MAX_INCLUDE_DEPTH);
		return;
	}
	const char *rel = t[1].str;
	char *dir = g_path_get_dirname(P->file);
	char *path = NULL, *key = NULL, *text = NULL;
	size_t len = 0;
	resolve_path(P, dir, rel, &path, &key);
	for (guint i = 0; i < P->stack->len; i++) {
		if (strcmp(g_ptr_array_index(P->stack, i), key) == 0) {
			GString *chain = g_string_new(NULL);
			for (guint k = i; k < P->stack_names->len; k++)
				g_string_append_printf(chain, "%s -> ", (const char *)g_ptr_array_index(P->stack_names, k));
			g_string_append(chain, path);
			perr(P, t[1].col, "include cycle: %s", chain->str);
			g_string_free(chain, TRUE);
			goto cleanup;
		}
	}
	if (g_hash_table_contains(P->seen, key))
		goto cleanup; /* each file is read once */
	if (P->mode == DHR_INCLUDE_EMBEDDED) {
		const dhr_embedded_file *ef = dhr_embedded_find(path);
		if (!ef) {
			perr(P, t[1].col, "cannot include '%s': no such embedded file", path);
			goto cleanup;
		}
		int saved_facet = P->cur_facet, saved_label = P->cur_label;
		P->depth++;
		parse_source(P, path, key, (const char *)ef->data, ef->len);
		P->depth--;
		P->cur_facet = saved_facet;
		P->cur_label = saved_label;
	} else {
		dhr_error e;
		dhr_error_clear(&e);
		if (dhr_read_file(&text, &len, path, &e) < 0) {
			const char *why = e.message;
			size_t pl = strlen(path);
			if (strncmp(why, path, pl) == 0 && why[pl] == ':')
				why += pl + 2;
			perr(P, t[1].col, "cannot include '%s': %s", path, why);
			goto cleanup;
		}
		int saved_facet = P->cur_facet, saved_label = P->cur_label;
		P->depth++;
		parse_source(P, path, key, text, len);
		P->depth--;
		P->cur_facet = saved_facet;
		P->cur_label = saved_label;
	}
cleanup:
	free(text);
	g_free(dir);
	g_free(path);
	g_free(key);
}

static void parse_line(parser *P, const char *s, size_t len)
{
	if (lex_line(P, s, len) < 0 || P->ntok == 0) {
		tokens_release(P);
		return;
	}
	token *t = P->toks;
	if (t[0].type != T_WORD) {
		char b[64];
		perr(P, t[0].col, "expected a keyword (include, facet, group, label, match, require, unless, except, "
				  "min, bands, subject, name), found %s",
		     tok_desc(&t[0], b, sizeof b));
	} else if (tok_is(t, "include"))
		st_include(P);
	else if (tok_is(t, "facet"))
		st_facet(P);
	else if (tok_is(t, "group"))
		st_group(P);
	else if (tok_is(t, "label"))
		st_label(P);
	else if (tok_is(t, "match"))
		st_rule(P, DHR_RULE_MATCH);
	else if (tok_is(t, "require"))
		st_rule(P, DHR_RULE_REQUIRE);
	else if (tok_is(t, "unless"))
		st_rule(P, DHR_RULE_UNLESS);
	else if (tok_is(t, "except"))
		st_rule(P, DHR_RULE_EXCEPT);
	else if (tok_is(t, "min"))
		st_min(P);
	else if (tok_is(t, "bands"))
		st_bands(P);
	else if (tok_is(t, "subject"))
		st_subject(P);
	else if (tok_is(t, "name"))
		st_subject_pattern(P, 1);
	else {
		const char *best = NULL;
		size_t bd = 3;
		for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
			size_t d = edit_distance(t[0].s, t[0].len, keywords[k]);
			if (d < bd) {
				bd = d;
				best = keywords[k];
			}
		}
		if (best)
			perr(P, t[0].col, "unknown keyword '%.*s' (did you mean '%s'?)", (int)(t[0].len > 40 ? 40 : t[0].len),
			     t[0].s, best);
		else
			perr(P, t[0].col, "unknown keyword '%.*s'", (int)(t[0].len > 40 ? 40 : t[0].len), t[0].s);
	}
	tokens_release(P);
}

static int parse_source(parser *P, const char *name, const char *key, const char *text, size_t len)
{
	const char *saved_file = P->file;
	int saved_line = P->line;
	const char *saved_text = P->line_text;
	g_checksum_update(P->sum, (const guchar *)text, (gssize)len);
	g_hash_table_add(P->seen, g_strdup(key));
	g_ptr_array_add(P->stack, g_strdup(key));
	g_ptr_array_add(P->stack_names, g_strdup(name));
	P->cur_facet = -1;
	P->cur_label = -1;
	int saved_subject = P->cur_subject;
	P->cur_subject = -1;
	/* tokens of the including line are still live: keep a copy of them */
	token saved_toks[TOKEN_SLOTS];
	int saved_ntok = P->ntok;
	memcpy(saved_toks, P->toks, sizeof saved_toks);
	P->ntok = 0;
	char *fname = g_strdup(name);
	P->file = fname;
	size_t pos = 0;
	int line = 0;
	while (pos < len && !P->oom) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - pos;
		line++;
		if (l > 0 && text[pos + l - 1] == '\r')
			l--;
		char *copy = g_strndup(text + pos, l); /* stops at a NUL byte, which validation reports */
		P->line = line;
		P->line_text = copy;
		const char *bad = NULL;
		if (!g_utf8_validate(text + pos, (gssize)l, &bad))
			perr(P, (int)(bad - (text + pos)) + 1, "invalid UTF-8 or NUL byte");
		else
			parse_line(P, text + pos, l);
		g_free(copy);
		pos = nl ? end + 1 : len;
	}
	P->ntok = saved_ntok;
	memcpy(P->toks, saved_toks, sizeof saved_toks);
	g_free(fname);
	g_free(g_ptr_array_steal_index(P->stack, P->stack->len - 1));
	g_free(g_ptr_array_steal_index(P->stack_names, P->stack_names->len - 1));
	P->file = saved_file;
	P->line = saved_line;
	P->line_text = saved_text;
	P->cur_subject = saved_subject;
	return 0;
}

/* ---------------------------------------------------------------- finishing */

void dhr_rules_free(dhr_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->facets.n; i++) {
		dhr_facet *f = &r->facets.v[i];
		g_free(f->name);
		free(f->labels.v);
		g_free(f->default_id);
		g_free(f->def_file);
		g_free(f->def_line_text);
		for (size_t k = 0; k < f->bands.n; k++)
			g_free((char *)f->bands.v[k].name);
		free(f->bands.v);
	}
	free(r->facets.v);
	for (size_t i = 0; i < r->subjects.n; i++) {
		g_free(r->subjects.v[i].name);
		g_free(r->subjects.v[i].desc);
		g_free(r->subjects.v[i].where);
		free(r->subjects.v[i].names.v);
		free(r->subjects.v[i].refs.v);
	}
	free(r->subjects.v);
	for (size_t i = 0; i < r->labels.n; i++) {
		dhr_label *l = &r->labels.v[i];
		g_free(l->id);
		g_free(l->name);
		g_free(l->where);
		g_free(l->file);
		g_free(l->line_text);
		free(l->rules.v);
	}
	free(r->labels.v);
	for (size_t i = 0; i < r->groups.n; i++) {
		g_free(r->groups.v[i].id);
		g_free(r->groups.v[i].name);
	}
	free(r->groups.v);
	for (size_t i = 0; i < r->rules.n; i++)
		g_free(r->rules.v[i].where);
	free(r->rules.v);
	for (size_t i = 0; i < r->rxs.n; i++) {
		pcre2_code_free(r->rxs.v[i].code);
		pcre2_code_free(r->rxs.v[i].anch);
		pcre2_code_free(r->rxs.v[i].jit_code);
		pcre2_code_free(r->rxs.v[i].jit_anch);
		g_free(r->rxs.v[i].where);
		g_free(r->rxs.v[i].file);
		g_free(r->rxs.v[i].line_text);
	}
	free(r->rxs.v);
	for (size_t i = 0; i < r->lists.n; i++) {
		dhr_list *L = &r->lists.v[i];
		for (size_t k = 0; k < L->entries.n; k++) {
			g_free(L->entries.v[k].where);
			g_free(L->entries.v[k].text);
		}
		free(L->entries.v);
		free(L->members.v);
		free(L->always.v);
		g_free(L->file);
	}
	free(r->lists.v);
	free(r->mem_off);
	free(r->mem_list);
	free(r->rx_always);
	dhr_ac_free(r->ac);
	free(r->lit_rx_off);
	free(r->lit_rx);
	free(r->lit_pre_off);
	free(r->lit_pre);
	g_free(r->source);
	free(r);
}

/* Resolve defaults, fill the public views, warn about labels without rules. */
static void finish(parser *P)
{
	dhr_rules *r = P->r;
	for (size_t i = 0; i < r->facets.n; i++) {
		dhr_facet *f = &r->facets.v[i];
		if (f->default_id) {
			int l = find_label(r, (int)i, f->default_id, strlen(f->default_id));
			if (l < 0)
				diag_loc(P, DHR_DIAG_ERROR, f->def_file, f->def_line, f->def_col, f->def_line_text,
					 "unknown label '%s' in 'default' (declare it with 'label %s \"Name\"')",
					 f->default_id, f->default_id);
			f->info.default_label = l;
		}
	}
	for (size_t i = 0; i < r->labels.n; i++) {
		dhr_label *l = &r->labels.v[i];
		const dhr_facet *f = &r->facets.v[l->info.facet];
		if (l->n_match + l->n_require == 0 && !l->had_error && f->info.default_label != (int)i)
			diag_loc(P, DHR_DIAG_WARNING, l->file, l->line, l->col, l->line_text,
				 f->info.value != DHR_VALUE_LABEL ? "facet '%s' has no match rules: its value is always unknown"
								  : "label '%s' has no match rules: it never fires",
				 l->id);
		l->info.id = l->id;
		l->info.name = l->name;
		l->info.where = l->where;
	}
	for (size_t i = 0; i < r->facets.n; i++) {
		dhr_facet *f = &r->facets.v[i];
		f->info.name = f->name;
		f->info.fields = f->fields;
		f->info.labels = f->labels.v;
		f->info.n_labels = f->labels.n;
		f->info.bands = f->bands.v;
		f->info.n_bands = f->bands.n;
	}
	for (size_t i = 0; i < r->groups.n; i++) {
		r->groups.v[i].info.id = r->groups.v[i].id;
		r->groups.v[i].info.name = r->groups.v[i].name;
	}
}

/*
 * Index the patterns for the matcher: which are always run, which lists each
 * is an entry of, and each list's always-run entries. @return 0 or -1.
 */
static int lists_index(dhr_rules *r)
{
	size_t nrx = r->rxs.n, total = 0;
	if (!(r->mem_off = calloc(nrx + 1, sizeof *r->mem_off)) || !(r->rx_always = calloc(nrx + 1, 1)))
		return -1;
	for (size_t i = 0; i < nrx; i++)
		r->rx_always[i] = (unsigned char)(r->rxs.v[i].always != 0);
	for (size_t li = 0; li < r->lists.n; li++)
		for (size_t k = 0; k < r->lists.v[li].members.n; k++) {
			r->mem_off[r->lists.v[li].members.v[k] + 1]++;
			total++;
		}
	for (size_t i = 0; i < nrx; i++)
		r->mem_off[i + 1] += r->mem_off[i];
	uint32_t *fill = calloc(nrx + 1, sizeof *fill);
	if (!fill || !(r->mem_list = malloc((total + 1) * sizeof *r->mem_list))) {
		free(fill);
		return -1;
	}
	for (size_t li = 0; li < r->lists.n; li++) {
		dhr_list *L = &r->lists.v[li];
		for (size_t k = 0; k < L->members.n; k++) {
			int m = L->members.v[k];
			r->mem_list[r->mem_off[m] + fill[m]++] = (uint32_t)li;
			if (r->rxs.v[m].always) {
				if (DHR_VEC_RESERVE(L->always, 1) < 0) {
					free(fill);
					return -1;
				}
				L->always.v[L->always.n++] = m;
			}
		}
	}
	free(fill);
	return 0;
}

static int compile_main(dhr_rules **out, const char *name, const char *key, const char *source, const char *buf,
			size_t len, dhr_include_mode mode, const dhr_rules_opts *opts, dhr_error *err)
{
	int error = 0;
	parser P;
	memset(&P, 0, sizeof P);
	*out = NULL;
	if (opts)
		P.opts = *opts;
	/* DHR_NO_JIT=1 in the environment: valgrind cannot follow JIT-compiled
	 * code and reports false errors in it, so `make valgrind` sets this */
	const char *nojit = getenv("DHR_NO_JIT");
	if (nojit && *nojit && strcmp(nojit, "0") != 0)
		P.opts.no_jit = 1;
	P.mode = mode;
	P.r = calloc(1, sizeof *P.r);
	P.sum = g_checksum_new(G_CHECKSUM_SHA256);
	P.stack = g_ptr_array_new_with_free_func(g_free);
	P.stack_names = g_ptr_array_new_with_free_func(g_free);
	P.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	P.rx_dedup = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	P.list_dedup = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	P.md = pcre2_match_data_create(4, NULL);
	if (!P.r || !P.md) {
		error = dhr_error_set(err, DHR_ENOMEM, "out of memory");
		goto cleanup;
	}
	P.r->source = g_strdup(source);
	P.r->no_jit = P.opts.no_jit;
	P.r->match_limit = P.opts.match_limit ? P.opts.match_limit : 10000000UL;
	P.r->depth_limit = P.opts.depth_limit ? P.opts.depth_limit : 100000UL;
	P.r->heap_limit = P.opts.heap_limit ? P.opts.heap_limit : 20000UL;
	P.cur_facet = P.cur_label = P.cur_subject = -1;
	parse_source(&P, name, key, buf, len);
	if (P.oom) {
		error = dhr_error_set(err, DHR_ENOMEM, "out of memory");
		goto cleanup;
	}
	finish(&P);
	if (P.n_errors > 0) {
		error = dhr_error_set(err, DHR_ERULES, "%d error%s", P.n_errors, P.n_errors == 1 ? "" : "s");
		goto cleanup;
	}
	if (lists_index(P.r) < 0 || dhr_prefilter_build(P.r, P.litsets.v, P.litsets.n) < 0) {
		error = dhr_error_set(err, DHR_ENOMEM, "out of memory");
		goto cleanup;
	}
	g_strlcpy(P.r->sha256, g_checksum_get_string(P.sum), sizeof P.r->sha256);
	*out = P.r;
	P.r = NULL;
cleanup:
	dhr_rules_free(P.r);
	for (size_t i = 0; i < P.litsets.n; i++) {
		free(P.litsets.v[i].lits);
		free(P.litsets.v[i].prefixes);
	}
	free(P.litsets.v);
	tokens_release(&P);
	pcre2_match_data_free(P.md);
	g_hash_table_destroy(P.rx_dedup);
	g_hash_table_destroy(P.list_dedup);
	g_hash_table_destroy(P.seen);
	g_ptr_array_free(P.stack, TRUE);
	g_ptr_array_free(P.stack_names, TRUE);
	g_checksum_free(P.sum);
	return error;
}

int dhr_rules_compile_file(dhr_rules **out, const char *path, const dhr_rules_opts *opts, dhr_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	*out = NULL;
	int error = dhr_read_file(&buf, &len, path, err);
	if (error < 0)
		return error;
	char *rp = realpath(path, NULL);
	error = compile_main(out, path, rp ? rp : path, path, buf, len, DHR_INCLUDE_FILES, opts, err);
	free(rp);
	free(buf);
	return error;
}

int dhr_rules_compile_buffer(dhr_rules **out, const char *name, const char *buf, size_t len,
			     const dhr_rules_opts *opts, dhr_error *err)
{
	*out = NULL;
	dhr_include_mode mode = opts ? opts->includes : DHR_INCLUDE_FILES;
	const char *key = name;
	char *rp = NULL;
	if (mode == DHR_INCLUDE_FILES) {
		rp = realpath(name, NULL);
		if (rp)
			key = rp;
	}
	int error = compile_main(out, name, key, name, buf, len, mode, opts, err);
	free(rp);
	return error;
}

int dhr_rules_compile_default(dhr_rules **out, const dhr_rules_opts *opts, dhr_error *err)
{
	*out = NULL;
	if (!dhr_embedded_find("rules/default.rules"))
		return dhr_error_set(err, DHR_EIO, "the default rules are not built into this binary");
	return dhr_rules_compile_embedded(out, "default", opts, err);
}

/* "rules/NAME.rules" (or "rules/NAME" when NAME ends in ".rules") when that is built in, else NULL. */
static char *embedded_rules_name(const char *name)
{
	if (!name[0] || strchr(name, '/'))
		return NULL;
	size_t n = strlen(name);
	int has_ext = n > 6 && strcmp(name + n - 6, ".rules") == 0;
	char *path = g_strconcat("rules/", name, has_ext ? "" : ".rules", NULL);
	if (!dhr_embedded_find(path)) {
		g_free(path);
		return NULL;
	}
	return path;
}

int dhr_rules_compile_embedded(dhr_rules **out, const char *name, const dhr_rules_opts *opts, dhr_error *err)
{
	*out = NULL;
	char *path = embedded_rules_name(name);
	if (!path)
		return dhr_error_set(err, DHR_EIO, "%s: no such built-in rules", name);
	const dhr_embedded_file *f = dhr_embedded_find(path);
	char *source = g_strconcat("embedded:", path, NULL);
	int error = compile_main(out, path, path, source, (const char *)f->data, f->len, DHR_INCLUDE_EMBEDDED,
				 opts, err);
	g_free(source);
	g_free(path);
	return error;
}

int dhr_rules_compile(dhr_rules **out, const char *path, const dhr_rules_opts *opts, dhr_error *err)
{
	if (!path)
		return dhr_rules_compile_default(out, opts, err);
	/* a bare name that is no file here names built-in rules: -r homeoffice, -r default */
	char *emb = g_file_test(path, G_FILE_TEST_EXISTS) ? NULL : embedded_rules_name(path);
	if (emb) {
		g_free(emb);
		return dhr_rules_compile_embedded(out, path, opts, err);
	}
	return dhr_rules_compile_file(out, path, opts, err);
}
