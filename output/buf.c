/*
 * output/buf.c: the growable text buffer every writer of the output stage
 * appends to, with the two escapers that keep text from a PDF inert: HTML
 * (text and attributes) and CSV (RFC 4180 quoting, formula neutralising).
 * Both also replace invalid UTF-8, so every file we write is valid UTF-8.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int obuf_reserve(dhr_obuf *b, size_t more)
{
	if (b->failed)
		return -1;
	if (b->len + more + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1) {
		if (cap > (size_t)-1 / 2) {
			b->failed = 1;
			return -1;
		}
		cap *= 2;
	}
	char *d = realloc(b->data, cap);
	if (!d) {
		b->failed = 1;
		return -1;
	}
	b->data = d;
	b->cap = cap;
	return 0;
}

void dhr_obuf_put(dhr_obuf *b, const char *s, size_t n)
{
	if (obuf_reserve(b, n) < 0)
		return;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void dhr_obuf_puts(dhr_obuf *b, const char *s)
{
	if (s)
		dhr_obuf_put(b, s, strlen(s));
}

void dhr_obuf_putc(dhr_obuf *b, char c)
{
	dhr_obuf_put(b, &c, 1);
}

void dhr_obuf_printf(dhr_obuf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		dhr_obuf_put(b, small, (size_t)n);
		return;
	}
	if (obuf_reserve(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

int dhr_obuf_finish(dhr_obuf *b, char **out, size_t *len, dhr_error *err)
{
	*out = NULL;
	if (len)
		*len = 0;
	if (!b->failed && !b->data)
		obuf_reserve(b, 0);
	if (b->failed) {
		dhr_obuf_release(b);
		return dhr_error_set(err, DHR_ENOMEM, "out of memory");
	}
	b->data[b->len] = '\0';
	*out = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return 0;
}

void dhr_obuf_reset(dhr_obuf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void dhr_obuf_release(dhr_obuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

unsigned dhr_utf8_decode(const char *s, size_t n, size_t *adv)
{
	const unsigned char *p = (const unsigned char *)s;
	*adv = n ? 1 : 0;
	if (n == 0)
		return 0;
	unsigned c = p[0];
	if (c < 0x80)
		return c;
	size_t need;
	unsigned min;
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		min = 0x80;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		min = 0x800;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		min = 0x10000;
		c &= 0x07;
	} else {
		return 0xfffd;
	}
	if (n < need + 1)
		return 0xfffd;
	for (size_t i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0xfffd;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0xfffd;
	*adv = need + 1;
	return c;
}

size_t dhr_utf8_width(const char *s)
{
	size_t n = strlen(s), w = 0, adv;
	for (size_t i = 0; i < n; i += adv) {
		dhr_utf8_decode(s + i, n - i, &adv);
		w++;
	}
	return w;
}

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

void dhr_obuf_escaped(dhr_obuf *b, const char *s, size_t n, const char *const ascii[128], int c1_bad)
{
	size_t i = 0, run = 0, adv;
	/* copy runs of harmless bytes in one go: this is the hot loop of the report */
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		const char *rep;
		if (c < 0x80) {
			adv = 1;
			rep = ascii[c];
		} else {
			unsigned cp = dhr_utf8_decode(s + i, n - i, &adv);
			/* undecodable bytes (and C1 controls, where asked) become U+FFFD */
			int bad = (cp == 0xfffd && !(adv == 3 && memcmp(s + i, replacement, 3) == 0)) ||
				  (c1_bad && cp >= 0x80 && cp < 0xa0);
			rep = bad ? replacement : NULL;
		}
		if (rep) {
			dhr_obuf_put(b, s + i - run, run);
			run = 0;
			dhr_obuf_puts(b, rep);
		} else {
			run += adv;
		}
		i += adv;
	}
	dhr_obuf_put(b, s + n - run, run);
}

#define R replacement
/* HTML text and attribute values: the five specials as entities, CR as a
 * newline, other C0 controls but tab and newline as U+FFFD */
static const char *const html_ascii[128] = {
    R, R, R, R, R, R, R, R, R, NULL, NULL, R, R, "\n", R, R,
    R, R, R, R, R, R, R, R, R, R, R, R, R, R, R, R,
    ['"'] = "&quot;", ['&'] = "&amp;", ['\''] = "&#39;", ['<'] = "&lt;", ['>'] = "&gt;", [0x7f] = R,
};
#undef R

void dhr_obuf_html_n(dhr_obuf *b, const char *s, size_t n)
{
	dhr_obuf_escaped(b, s, n, html_ascii, 1);
}

void dhr_obuf_html(dhr_obuf *b, const char *s)
{
	if (s)
		dhr_obuf_html_n(b, s, strlen(s));
}

/* CSV inside double quotes: a quote is doubled, everything else is itself */
static const char *const csv_ascii[128] = {['"'] = "\"\""};

void dhr_obuf_csv(dhr_obuf *b, const char *s)
{
	if (!s || !*s)
		return;
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	int neutral = strchr("=+-@\t\r", s[0]) != NULL;
	if (quote)
		dhr_obuf_putc(b, '"');
	if (neutral)
		dhr_obuf_putc(b, '\'');
	dhr_obuf_escaped(b, s, strlen(s), csv_ascii, 0);
	if (quote)
		dhr_obuf_putc(b, '"');
}
