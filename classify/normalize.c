/*
 * classify/normalize.c: prepares text for the rules. One pass folds what
 * extraction folds (NFKD compatibility forms such as ligatures and NBSP,
 * non-spacing marks dropped so "Rōma" reads "Roma", "ß" to "ss", curly quotes
 * and dashes to ASCII, whitespace runs collapsed) while keeping a map from
 * every output byte to its original offset, so evidence points into the
 * caller's text. Case is kept: case-insensitivity is PCRE2's job, which lets
 * an analyst ask for a case-sensitive pattern.
 */
#include "internal.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "dhr/common.h"

int dhr_vec_reserve(void **v, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need)
		ncap *= 2;
	void *nv = realloc(*v, ncap * elem);
	if (!nv)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

/* Decode one UTF-8 character at s[0..len). @return its length (1-4), or 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, size_t len, gunichar *out)
{
	unsigned char c = s[0];
	size_t n;
	gunichar u;
	if (c < 0x80) {
		*out = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		u = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		u = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		u = c & 0x07;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		u = (u << 6) | (s[i] & 0x3F);
	}
	/* overlongs, surrogates, beyond U+10FFFF */
	if ((n == 3 && u < 0x800) || (n == 4 && (u < 0x10000 || u > 0x10FFFF)) || (u >= 0xD800 && u <= 0xDFFF))
		return 0;
	*out = u;
	return n;
}

/* Characters folded by hand: typographic punctuation that NFKD keeps. */
static gunichar fold_punct(gunichar u)
{
	switch (u) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC: case 0x0060: case 0x00B4:
		return '\'';
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB: case 0x00BB:
		return '"';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212: case 0x2043:
		return '-';
	default:
		return 0;
	}
}

static int is_space_u(gunichar u)
{
	return u == ' ' || u == '\t' || u == '\n' || u == '\r' || u == '\v' || u == '\f' || u == 0x00A0 ||
	       (u >= 0x2000 && u <= 0x200A) || u == 0x202F || u == 0x205F || u == 0x3000 || u == 0x2028 ||
	       u == 0x2029 || u == 0x0085;
}

/* Dropped outright: soft hyphen, zero-width characters, BOM. */
static int is_dropped_u(gunichar u)
{
	return u == 0x00AD || (u >= 0x200B && u <= 0x200D) || u == 0x2060 || u == 0xFEFF;
}

/* Grow t so that `extra` more bytes fit. */
static int ntext_grow(dhr_ntext *t, size_t extra)
{
	size_t need = t->nlen + extra + 1;
	if (need <= t->cap)
		return 0;
	size_t ncap = t->cap ? t->cap : 256;
	while (ncap < need)
		ncap *= 2;
	char *n = realloc(t->norm, ncap);
	if (!n)
		return DHR_ENOMEM;
	t->norm = n;
	char *l = realloc(t->low, ncap);
	if (!l)
		return DHR_ENOMEM;
	t->low = l;
	uint32_t *m = realloc(t->map, ncap * sizeof *m);
	if (!m)
		return DHR_ENOMEM;
	t->map = m;
	/* PCRE2's JIT reads ahead in wide words past the subject's end: keep those bytes defined */
	memset(t->norm + t->cap, 0, ncap - t->cap);
	memset(t->low + t->cap, 0, ncap - t->cap);
	t->cap = ncap;
	return 0;
}

static void emit_byte(dhr_ntext *t, unsigned char b, size_t from)
{
	t->norm[t->nlen] = (char)b;
	t->low[t->nlen] = (char)((b >= 'A' && b <= 'Z') ? b + 32 : b);
	t->map[t->nlen] = (uint32_t)from;
	t->nlen++;
}

static void emit_char(dhr_ntext *t, gunichar u, size_t from)
{
	char buf[6];
	int n = g_unichar_to_utf8(u, buf);
	for (int i = 0; i < n; i++)
		emit_byte(t, (unsigned char)buf[i], from);
}

/*
 * The fold of one non-ASCII character into `out` (up to 20 chars).
 * @return the number of chars; 0 drops the character. A returned ' ' means
 * whitespace.
 */
static size_t fold_char(gunichar u, gunichar *out)
{
	gunichar p = fold_punct(u);
	if (p) {
		out[0] = p;
		return 1;
	}
	if (is_space_u(u)) {
		out[0] = ' ';
		return 1;
	}
	if (is_dropped_u(u))
		return 0;
	if (u == 0x00DF || u == 0x1E9E) { /* sharp s: full case folding gives "ss" */
		out[0] = u == 0x00DF ? 's' : 'S';
		out[1] = out[0];
		return 2;
	}
	if (u >= 0xAC00 && u <= 0xD7A3) { /* keep Hangul syllables composed */
		out[0] = u;
		return 1;
	}
	gunichar dec[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
	gsize nd = g_unichar_fully_decompose(u, TRUE, dec, G_N_ELEMENTS(dec));
	size_t n = 0;
	for (gsize i = 0; i < nd && n < 20; i++) {
		GUnicodeType ty = g_unichar_type(dec[i]);
		if (ty == G_UNICODE_NON_SPACING_MARK || ty == G_UNICODE_ENCLOSING_MARK)
			continue;
		gunichar q = fold_punct(dec[i]);
		out[n++] = q ? q : is_space_u(dec[i]) ? ' ' : dec[i];
	}
	return n;
}

int dhr_ntext_set(dhr_ntext *t, const char *s, size_t len)
{
	t->orig = s;
	t->olen = len;
	t->nlen = 0;
	t->idx_ready = 0;
	if (ntext_grow(t, len + 16) < 0)
		return DHR_ENOMEM;
	const unsigned char *us = (const unsigned char *)s;
	size_t i = 0;
	/* whitespace run state: start offset and whether it held a paragraph break */
	int in_ws = 0, ws_break = 0, newlines = 0;
	size_t ws_from = 0;
	while (i < len) {
		unsigned char c = us[i];
		gunichar folded[20];
		size_t nf;
		size_t clen;
		if (c < 0x80) {
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
				if (!in_ws) {
					in_ws = 1;
					ws_from = i;
					ws_break = 0;
					newlines = 0;
				}
				if (c == '\n' && ++newlines >= 2)
					ws_break = 1;
				if (c == '\f')
					ws_break = 1;
				i++;
				continue;
			}
			if (in_ws) {
				if (ntext_grow(t, 1) < 0)
					return DHR_ENOMEM;
				emit_byte(t, ws_break ? '\n' : ' ', ws_from);
				in_ws = 0;
			}
			if (t->nlen + 2 > t->cap && ntext_grow(t, 1) < 0)
				return DHR_ENOMEM;
			emit_byte(t, c, i);
			i++;
			continue;
		}
		gunichar u;
		clen = utf8_decode(us + i, len - i, &u);
		if (clen == 0) {
			u = 0xFFFD; /* invalid byte: a replacement character, mapped to that byte */
			clen = 1;
			folded[0] = u;
			nf = 1;
		} else {
			nf = fold_char(u, folded);
		}
		if (nf == 1 && folded[0] == ' ') {
			if (!in_ws) {
				in_ws = 1;
				ws_from = i;
				ws_break = 0;
				newlines = 0;
			}
			if (u == 0x2029)
				ws_break = 1;
			i += clen;
			continue;
		}
		if (nf == 0) {
			i += clen;
			continue;
		}
		if (ntext_grow(t, 1 + nf * 4) < 0)
			return DHR_ENOMEM;
		if (in_ws) {
			emit_byte(t, ws_break ? '\n' : ' ', ws_from);
			in_ws = 0;
		}
		for (size_t k = 0; k < nf; k++) {
			if (folded[k] == ' ')
				emit_byte(t, ' ', i);
			else
				emit_char(t, folded[k], i);
		}
		i += clen;
	}
	if (in_ws) {
		if (ntext_grow(t, 1) < 0)
			return DHR_ENOMEM;
		emit_byte(t, ws_break ? '\n' : ' ', ws_from);
	}
	t->norm[t->nlen] = '\0';
	t->low[t->nlen] = '\0';
	t->map[t->nlen] = (uint32_t)len;
	return 0;
}

size_t dhr_ntext_ostart(const dhr_ntext *t, size_t s)
{
	return s >= t->nlen ? t->olen : t->map[s];
}

size_t dhr_ntext_oend(const dhr_ntext *t, size_t e)
{
	if (e == 0)
		return t->nlen ? t->map[0] : 0;
	if (e >= t->nlen)
		return t->olen;
	/* inside the expansion of one original character: round up to its end */
	uint32_t last = t->map[e - 1];
	size_t j = e;
	while (j < t->nlen && t->map[j] == last)
		j++;
	return j < t->nlen ? t->map[j] : t->olen;
}

static int is_word_byte(const char *s, size_t i, size_t len)
{
	unsigned char c = (unsigned char)s[i];
	if (c < 0x80) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
			return 1;
		/* an apostrophe inside a word ("children's") keeps the word whole */
		if (c == '\'' && i > 0 && i + 1 < len) {
			unsigned char p = (unsigned char)s[i - 1], n = (unsigned char)s[i + 1];
			return g_ascii_isalnum(p) && g_ascii_isalnum(n);
		}
		return 0;
	}
	/* continuation bytes belong to the character they continue */
	size_t st = i;
	while (st > 0 && ((unsigned char)s[st] & 0xC0) == 0x80)
		st--;
	gunichar u;
	if (utf8_decode((const unsigned char *)s + st, len - st, &u) == 0)
		return 0;
	return g_unichar_isalnum(u) || g_unichar_type(u) == G_UNICODE_SPACING_MARK;
}

/* Abbreviations after which a full stop does not end a sentence. */
static int is_abbrev(const char *w, size_t n)
{
	static const char *const abbr[] = {"e.g", "i.e", "eg", "ie", "etc", "mr", "mrs", "ms", "dr", "no", "st",
					   "vs", "cf", "para", "paras", "ref", "fig", "approx", "prof", "rev", "nos",
					   "sec", "ch", "vol", "p", "pp", "al"};
	for (size_t i = 0; i < sizeof abbr / sizeof abbr[0]; i++)
		if (strlen(abbr[i]) == n && g_ascii_strncasecmp(abbr[i], w, n) == 0)
			return 1;
	return 0;
}

/* Is the full stop/!/? at norm[i] the end of a sentence? */
static int ends_sentence(const dhr_ntext *t, size_t i)
{
	const char *s = t->norm;
	size_t n = t->nlen;
	if (i + 1 < n && s[i + 1] != ' ' && s[i + 1] != '\n' && s[i + 1] != '"' && s[i + 1] != ')' &&
	    s[i + 1] != '\'')
		return 0; /* "5.1", "gov.uk" */
	size_t j = i + 1;
	while (j < n && (s[j] == ' ' || s[j] == '"' || s[j] == ')' || s[j] == '\''))
		j++;
	if (j >= n)
		return 1;
	unsigned char c = (unsigned char)s[j];
	int upper = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '(' || c == '[' || c >= 0x80;
	if (!upper)
		return 0;
	if (s[i] != '.')
		return 1;
	/* the word before the full stop: an abbreviation does not end a sentence */
	size_t b = i;
	while (b > 0 && (g_ascii_isalnum(s[b - 1]) || s[b - 1] == '.'))
		b--;
	return !is_abbrev(s + b, i - b);
}

int dhr_ntext_is_word(const dhr_ntext *t, size_t i)
{
	return i < t->nlen && is_word_byte(t->norm, i, t->nlen);
}

int dhr_ntext_index(dhr_ntext *t)
{
	if (t->idx_ready)
		return 0;
	if (t->idx_cap < t->nlen + 1) {
		size_t cap = t->nlen + 1;
		uint32_t *wc = realloc(t->wc, cap * sizeof *wc);
		if (!wc)
			return DHR_ENOMEM;
		t->wc = wc;
		uint32_t *sc = realloc(t->sc, cap * sizeof *sc);
		if (!sc)
			return DHR_ENOMEM;
		t->sc = sc;
		t->idx_cap = cap;
	}
	uint32_t words = 0, sents = 0;
	int prev_word = 0;
	int pending_break = 0;
	for (size_t i = 0; i < t->nlen; i++) {
		unsigned char c = (unsigned char)t->norm[i];
		int w;
		if (c < 0x80) {
			w = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
			if (!w && c == '\'')
				w = is_word_byte(t->norm, i, t->nlen);
		} else if ((c & 0xC0) == 0x80) {
			w = prev_word; /* continuation byte */
		} else {
			w = is_word_byte(t->norm, i, t->nlen);
			/* a bullet starts a new sentence: each bullet is its own action */
			if (!w && (unsigned char)t->norm[i] == 0xE2 && i + 2 < t->nlen &&
			    (unsigned char)t->norm[i + 1] == 0x80 && (unsigned char)t->norm[i + 2] == 0xA2)
				sents++;
		}
		if (pending_break && (c == ' ' || c == '\n')) {
			sents++;
			pending_break = 0;
		} else if (pending_break && c != '"' && c != ')' && c != '\'') {
			pending_break = 0;
		}
		if (c == '\n')
			sents++;
		if ((c == '.' || c == '!' || c == '?') && ends_sentence(t, i))
			pending_break = 1;
		if (w && !prev_word)
			words++;
		prev_word = w;
		t->wc[i] = words;
		t->sc[i] = sents;
	}
	t->wc[t->nlen] = words;
	t->sc[t->nlen] = sents + (pending_break ? 1 : 0);
	t->idx_ready = 1;
	return 0;
}

void dhr_ntext_release(dhr_ntext *t)
{
	free(t->norm);
	free(t->low);
	free(t->map);
	free(t->wc);
	free(t->sc);
	memset(t, 0, sizeof *t);
}

int dhr_normalize_pattern(char **out, size_t *outlen, uint32_t **map, const char *src, size_t len)
{
	*out = NULL;
	*map = NULL;
	*outlen = 0;
	size_t cap = len * 4 + 16;
	char *o = malloc(cap);
	uint32_t *m = malloc(cap * sizeof *m);
	if (!o || !m) {
		free(o);
		free(m);
		return DHR_ENOMEM;
	}
	size_t n = 0;
	const unsigned char *us = (const unsigned char *)src;
	for (size_t i = 0; i < len;) {
		if (n + 90 > cap) {
			cap *= 2;
			char *no = realloc(o, cap);
			if (!no) {
				free(o);
				free(m);
				return DHR_ENOMEM;
			}
			o = no;
			uint32_t *nm = realloc(m, cap * sizeof *nm);
			if (!nm) {
				free(o);
				free(m);
				return DHR_ENOMEM;
			}
			m = nm;
		}
		if (us[i] < 0x80) {
			m[n] = (uint32_t)i;
			o[n++] = (char)us[i++];
			continue;
		}
		gunichar u;
		size_t clen = utf8_decode(us + i, len - i, &u);
		if (clen == 0) { /* the caller validated UTF-8; copy the byte as is */
			m[n] = (uint32_t)i;
			o[n++] = (char)us[i++];
			continue;
		}
		gunichar folded[20];
		size_t nf = fold_char(u, folded);
		for (size_t k = 0; k < nf; k++) {
			char buf[6];
			int bl = g_unichar_to_utf8(folded[k], buf);
			for (int b = 0; b < bl; b++) {
				m[n] = (uint32_t)i;
				o[n++] = buf[b];
			}
		}
		i += clen;
	}
	o[n] = '\0';
	m[n] = (uint32_t)len;
	*out = o;
	*map = m;
	*outlen = n;
	return 0;
}
