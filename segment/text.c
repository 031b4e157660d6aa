/*
 * segment/text.c: small text helpers of the segmentation stage: a growable
 * string, case-insensitive word tests, whitespace normalisation and the
 * lower-cased word sets used to compare two recommendations.
 */
#include "internal.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

void seg_buf_put(seg_buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 128;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void seg_buf_puts(seg_buf *b, const char *s)
{
	seg_buf_put(b, s, strlen(s));
}

/* Words that form hyphenated compounds ("multi-agency", "self-harm"): a line
 * ending in one of these keeps its hyphen when the next line continues it. */
static int compound_prefix(const char *w, size_t n)
{
	static const char *const prefixes[] = {
		"multi", "non", "pre", "co", "re", "cross", "inter", "self", "well", "long", "short", "high",
		"low", "sub", "post", "anti", "semi", "over", "under", "part", "full", "face", "risk", "case",
		"age", "up", "follow", "out", "half", "step", "ex", "mid", "so", "one", "two", "three", "four",
		"five", "six", "seven", "eight", "nine", "ten", "twenty", "first", "second", "third", "front",
		"back", "day", "year", "month", "week", "in", "on", "off", "all", "child", "family", "e", "x",
		"de", "mis", "decision", "problem", "evidence", "trauma", "domestic", "joint", "single", "large",
		"small", "wide", "county", "city", "health", "top", "time", "cost", "peer", "role", "hard",
		"open", "close", "closed", "honour", "gender", "female", "male", "user", "value", "older",
		"young", "adult", "near", "far", "fast", "slow",
	};

	for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++)
		if (strlen(prefixes[k]) == n && g_ascii_strncasecmp(w, prefixes[k], n) == 0)
			return 1;
	return 0;
}

void seg_buf_join(seg_buf *b, const char *s)
{
	s = seg_skip_space(s);
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	if (b->len > 0) {
		/* "multi-" + "agency": a line-end hyphen after a letter joins without a space */
		int hyphen = b->len >= 2 && b->s[b->len - 1] == '-' && g_ascii_isalpha(b->s[b->len - 2]) &&
			     g_ascii_islower(s[0]);
		if (hyphen) {
			/* a word broken at the line end: "indic-" + "ator" is "indicator",
			 * but "multi-" + "agency" stays "multi-agency" */
			size_t w = b->len - 1;
			while (w > 0 && g_ascii_isalpha(b->s[w - 1]))
				w--;
			if (!compound_prefix(b->s + w, b->len - 1 - w)) {
				b->len--;
				b->s[b->len] = '\0';
			}
		} else if (b->s[b->len - 1] != ' ') {
			seg_buf_put(b, " ", 1);
		}
	}
	seg_buf_put(b, s, n);
}

void seg_buf_free(seg_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof *b);
}

const char *seg_skip_space(const char *s)
{
	for (;;) {
		unsigned char c = (unsigned char)*s;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			s++;
		} else if (c == 0xC2 && (unsigned char)s[1] == 0xA0) { /* NBSP */
			s += 2;
		} else if (c == 0xE2 && (unsigned char)s[1] == 0x80 &&
			   ((unsigned char)s[2] >= 0x80 && (unsigned char)s[2] <= 0x8B)) { /* U+2000..U+200B */
			s += 3;
		} else {
			return s;
		}
	}
}

const char *seg_prefix(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (g_ascii_tolower(*s) != g_ascii_tolower(*prefix))
			return NULL;
	return s;
}

static int is_word_byte(unsigned char c)
{
	return g_ascii_isalnum(c) || c >= 0x80;
}

static inline unsigned char lc(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Length of the case-insensitive match of `sub` at `p` if complete, else 0. */
static inline size_t match_at(const unsigned char *p, const unsigned char *sub)
{
	size_t k = 0;
	while (sub[k] && lc(p[k]) == lc(sub[k]))
		k++;
	return sub[k] ? 0 : k;
}

int seg_has_word(const char *s, const char *word)
{
	const unsigned char *w = (const unsigned char *)word;
	unsigned char c0 = lc(w[0]);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (lc(*p) != c0 || (p != (const unsigned char *)s && is_word_byte(p[-1])))
			continue;
		size_t n = match_at(p, w);
		if (n && !is_word_byte(p[n]))
			return 1;
	}
	return 0;
}

int seg_contains(const char *s, const char *sub)
{
	const unsigned char *w = (const unsigned char *)sub;
	unsigned char c0 = lc(w[0]);
	if (!c0)
		return 1;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (lc(*p) == c0 && match_at(p, w))
			return 1;
	return 0;
}

const char *seg_find_any(const char *s, size_t limit, const char *const *phrases, size_t n)
{
	const unsigned char *start = (const unsigned char *)s;
	for (const unsigned char *p = start; *p && (size_t)(p - start) < limit; p++) {
		unsigned char c = lc(*p);
		for (size_t k = 0; k < n; k++)
			if ((unsigned char)phrases[k][0] == c && match_at(p, (const unsigned char *)phrases[k]))
				return (const char *)p;
	}
	return NULL;
}

size_t seg_word_count(const char *s)
{
	size_t n = 0;
	int in = 0;
	for (; *s; s++) {
		int sp = *s == ' ' || *s == '\t' || *s == '\n';
		if (!sp && !in)
			n++;
		in = !sp;
	}
	return n;
}

char seg_last_char(const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		n--;
	return n ? s[n - 1] : 0;
}

char *seg_normalise_space(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1), *w = out;
	if (!out)
		return NULL;
	int space = 0;
	s = seg_skip_space(s);
	while (*s) {
		const char *t = seg_skip_space(s);
		if (t != s) {
			space = 1;
			s = t;
			continue;
		}
		if (space && w != out)
			*w++ = ' ';
		space = 0;
		*w++ = *s++;
	}
	*w = '\0';
	return out;
}

/* ---- word sets ---------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
	return x < y ? -1 : x > y;
}

int seg_words_of(seg_words *out, const char *text)
{
	out->h = NULL;
	out->n = 0;
	size_t cap = 0;
	const char *p = text;
	while (*p) {
		gunichar c = g_utf8_get_char_validated(p, -1);
		if (c == (gunichar)-1 || c == (gunichar)-2) { /* invalid byte: skip it */
			p++;
			continue;
		}
		if (!g_unichar_isalnum(c)) {
			p = g_utf8_next_char(p);
			continue;
		}
		unsigned long long h = 1469598103934665603ULL;
		while (*p) {
			c = g_utf8_get_char_validated(p, -1);
			if (c == (gunichar)-1 || c == (gunichar)-2 || !g_unichar_isalnum(c))
				break;
			c = g_unichar_tolower(c);
			h = (h ^ (unsigned long long)c) * 1099511628211ULL;
			p = g_utf8_next_char(p);
		}
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			unsigned long long *nh = realloc(out->h, ncap * sizeof *nh);
			if (!nh) {
				seg_words_free(out);
				return DHR_ENOMEM;
			}
			out->h = nh;
			cap = ncap;
		}
		out->h[out->n++] = h;
	}
	if (out->n > 1) {
		qsort(out->h, out->n, sizeof *out->h, cmp_u64);
		size_t w = 1;
		for (size_t i = 1; i < out->n; i++)
			if (out->h[i] != out->h[w - 1])
				out->h[w++] = out->h[i];
		out->n = w;
	}
	return 0;
}

void seg_words_free(seg_words *w)
{
	free(w->h);
	w->h = NULL;
	w->n = 0;
}

size_t seg_words_common(const seg_words *a, const seg_words *b)
{
	size_t i = 0, j = 0, k = 0;
	while (i < a->n && j < b->n) {
		if (a->h[i] == b->h[j]) {
			k++;
			i++;
			j++;
		} else if (a->h[i] < b->h[j]) {
			i++;
		} else {
			j++;
		}
	}
	return k;
}

double seg_words_jaccard(const seg_words *a, const seg_words *b)
{
	size_t k = seg_words_common(a, b);
	size_t u = a->n + b->n - k;
	return u ? (double)k / (double)u : 0.0;
}
