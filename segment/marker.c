/*
 * segment/marker.c: reads the numbering marker at the start of a paragraph:
 * every style seen in published DHRs ("Recommendation 1:", "1.", "1)", "7.1",
 * "7.1.2", "10.1.1.1", "9.1 a", "10.3b", "R1", "(a)", "ii)", bullets), with
 * the guards that keep dates, quantities and ordinary words from passing as
 * list numbers.
 */
#include "internal.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

/* Bullet characters, including Symbol/Wingdings private-use code points that
 * Word documents leave in the text; dashes count only when a space follows. */
static const struct {
	const char *s;
	int need_space;
} bullets[] = {
	{"\u2022", 0}, {"\u25CF", 0}, {"\u25AA", 0}, {"\u25A0", 0}, {"\u25E6", 0}, {"\u2023", 0},
	{"\u2043", 0}, {"\u2219", 0}, {"\u00B7", 0}, {"\u27A2", 0}, {"\u2713", 0}, {"\u2714", 0},
	{"\u25BA", 0}, {"\u27A4", 0}, {"\u2756", 0}, {"\u25C6", 0}, {"\u25C7", 0}, {"\u25A1", 0},
	{"\u25CB", 0}, {"\u2192", 1}, {"\u2013", 1}, {"\u2014", 1}, {"\uF0B7", 0}, {"\uF0A7", 0},
	{"\uF0D8", 0}, {"\uF076", 0}, {"\uF0FC", 0}, {"\uF0A8", 0}, {"\u2666", 0}, {"\u25B6", 0},
	{"\u2605", 0}, {"\u2212", 1},
};

static const char *const number_words[] = {"one", "two", "three", "four", "five", "six", "seven",
					   "eight", "nine", "ten", "eleven", "twelve", "thirteen",
					   "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
					   "nineteen", "twenty"};

static const char *const months[] = {"january", "february", "march", "april", "may", "june", "july",
				     "august", "september", "october", "november", "december",
				     "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
				     "oct", "nov", "dec"};

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

static int starts_upper(const char *s)
{
	unsigned char c = (unsigned char)*s;
	if (c < 0x80)
		return g_ascii_isupper(c) || c == '"' || c == '\'' || c == '(' || c == '[';
	gunichar u = g_utf8_get_char_validated(s, -1);
	if (u == (gunichar)-1 || u == (gunichar)-2)
		return 0;
	/* curly quotes open quoted recommendations */
	return g_unichar_isupper(u) || u == 0x2018 || u == 0x201C;
}

static int is_month(const char *s)
{
	for (size_t i = 0; i < G_N_ELEMENTS(months); i++) {
		const char *e = seg_prefix(s, months[i]);
		if (e && !g_ascii_isalpha(*e))
			return 1;
	}
	return 0;
}

static size_t skip_spaces(const char *s, size_t i)
{
	while (is_space(s[i]))
		i++;
	return i;
}

/* Digits-and-dots number "7.1.2" at s[i]: fills comps, returns the end or 0. */
static size_t parse_dotted(const char *s, size_t i, int *comps, int *depth, int *first_digits)
{
	*depth = 0;
	*first_digits = 0;
	for (;;) {
		size_t d = 0;
		int v = 0;
		while (g_ascii_isdigit(s[i + d]) && d < 4) {
			v = v * 10 + (s[i + d] - '0');
			d++;
		}
		if (d == 0 || d > 3 || g_ascii_isdigit(s[i + d]))
			return 0;
		if (*depth == 0)
			*first_digits = (int)d;
		else if (d > 2)
			return 0; /* "1.500": a quantity, not a paragraph number */
		if (*depth < 6)
			comps[*depth] = v;
		(*depth)++;
		i += d;
		if (s[i] == '.' && g_ascii_isdigit(s[i + 1]) && *depth < 6) {
			i++;
			continue;
		}
		return i;
	}
}

static void set_label_number(seg_marker *m, const char *s, size_t from, size_t to)
{
	size_t n = to - from;
	if (n >= sizeof m->label)
		n = sizeof m->label - 1;
	memcpy(m->label, s + from, n);
	m->label[n] = '\0';
}

static int roman_value(const char *s, size_t n)
{
	static const char *const romans[] = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
					     "xi", "xii", "xiii", "xiv", "xv"};
	for (size_t k = 0; k < G_N_ELEMENTS(romans); k++)
		if (strlen(romans[k]) == n && strncmp(s, romans[k], n) == 0)
			return (int)k + 1;
	return 0;
}

static seg_mkind parse_word(seg_marker *m, const char *s)
{
	const char *p = seg_prefix(s, "recommendation");
	if (!p) {
		p = seg_prefix(s, "rec");
		if (!p || (*p != '.' && *p != ' '))
			return SEG_MK_NONE;
		if (*p == '.')
			p++;
	}
	if (!is_space(*p) && *p != '\xc2')
		return SEG_MK_NONE;
	p = seg_skip_space(p);
	const char *q;
	if ((q = seg_prefix(p, "no.")) || (q = seg_prefix(p, "number ")))
		p = seg_skip_space(q);
	int comps[6], depth = 0, fd = 0;
	size_t end = parse_dotted(p, 0, comps, &depth, &fd);
	if (end > 0) {
		set_label_number(m, p, 0, end);
		m->ordinal = comps[depth < 6 ? depth - 1 : 5];
		if (g_ascii_islower(p[end]) && !g_ascii_isalpha(p[end + 1])) {
			m->suffix = p[end];
			size_t l = strlen(m->label);
			if (l + 1 < sizeof m->label) {
				m->label[l] = p[end];
				m->label[l + 1] = '\0';
			}
			end++;
		}
		m->depth = depth;
	} else {
		for (size_t k = 0; k < G_N_ELEMENTS(number_words); k++) {
			const char *e = seg_prefix(p, number_words[k]);
			if (e && !g_ascii_isalpha(*e)) {
				end = (size_t)(e - p);
				m->ordinal = (int)k + 1;
				snprintf(m->label, sizeof m->label, "%d", (int)k + 1);
				m->depth = 1;
				break;
			}
		}
		if (end == 0)
			return SEG_MK_NONE;
	}
	size_t i = end;
	if (g_ascii_isalnum(p[i]))
		return SEG_MK_NONE;
	i = skip_spaces(p, i);
	if (p[i] == ':' || p[i] == '.' || p[i] == ')') {
		m->delim = p[i];
		i++;
	} else if ((unsigned char)p[i] == 0xE2 && (unsigned char)p[i + 1] == 0x80 &&
		   ((unsigned char)p[i + 2] == 0x93 || (unsigned char)p[i + 2] == 0x94)) {
		m->delim = '-';
		i += 3;
	} else if (p[i] == '-') {
		m->delim = '-';
		i++;
	} else {
		m->delim = ' ';
	}
	i = skip_spaces(p, i);
	m->kind = SEG_MK_WORD;
	m->len = (size_t)(p - s) + i;
	return m->kind;
}

seg_mkind seg_marker_parse(seg_marker *m, const char *s)
{
	memset(m, 0, sizeof *m);
	if (!s || !*s)
		return SEG_MK_NONE;

	/* "Recommendation 3:" / "Rec 3" */
	if ((s[0] == 'R' || s[0] == 'r') && parse_word(m, s) != SEG_MK_NONE)
		return m->kind;
	memset(m, 0, sizeof *m);

	/* bullets */
	for (size_t k = 0; k < G_N_ELEMENTS(bullets); k++) {
		size_t n = strlen(bullets[k].s);
		if (strncmp(s, bullets[k].s, n) == 0) {
			size_t i = n;
			if (bullets[k].need_space && !is_space(s[i]))
				return SEG_MK_NONE;
			m->kind = SEG_MK_BULLET;
			m->delim = 0;
			m->len = (size_t)(seg_skip_space(s + i) - s);
			return m->kind;
		}
	}
	if ((s[0] == '-' || s[0] == '*' || s[0] == 'o') && is_space(s[1])) {
		m->kind = SEG_MK_BULLET;
		m->len = (size_t)(seg_skip_space(s + 1) - s);
		return m->kind;
	}

	/* "R3", "R10a" */
	if (s[0] == 'R' && g_ascii_isdigit(s[1])) {
		size_t i = 1;
		int v = 0;
		while (g_ascii_isdigit(s[i]) && i < 4)
			v = v * 10 + (s[i++] - '0');
		if (g_ascii_isdigit(s[i]))
			return SEG_MK_NONE;
		if (s[i] == '.' && g_ascii_isdigit(s[i + 1])) { /* "R1.2" */
			i++;
			while (g_ascii_isdigit(s[i]))
				i++;
		}
		if (g_ascii_islower(s[i]) && !g_ascii_isalnum(s[i + 1])) {
			m->suffix = s[i];
			i++;
		}
		if (g_ascii_isalnum(s[i]))
			return SEG_MK_NONE;
		set_label_number(m, s, 0, i);
		if (s[i] == ':' || s[i] == '.' || s[i] == ')') {
			m->delim = s[i];
			i++;
		} else if (s[i] == '\0' || is_space(s[i])) {
			m->delim = ' ';
		} else {
			return SEG_MK_NONE;
		}
		i = skip_spaces(s, i);
		if ((unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94))
			i = skip_spaces(s, i + 3);
		else if (s[i] == '-' && is_space(s[i + 1]))
			i = skip_spaces(s, i + 1);
		m->kind = SEG_MK_RPREFIX;
		m->depth = 1;
		m->ordinal = v;
		m->len = i;
		return m->kind;
	}

	/* "(a)", "(iv)", "(1)" */
	size_t i = 0;
	int paren = 0;
	if (s[0] == '(') {
		paren = 1;
		i = 1;
	}

	/* letters and roman numerals */
	if (g_ascii_isalpha(s[i])) {
		size_t j = i;
		while (g_ascii_isalpha(s[j]) && j - i < 5)
			j++;
		size_t n = j - i;
		int close = s[j] == ')' || (!paren && s[j] == '.');
		if (!close || (paren && s[j] != ')'))
			return SEG_MK_NONE;
		if (s[j + 1] != '\0' && !is_space(s[j + 1]))
			return SEG_MK_NONE;
		int rv = g_ascii_islower(s[i]) ? roman_value(s + i, n) : 0;
		if (n == 1 && !(rv && (s[i] == 'i' || s[i] == 'v' || s[i] == 'x'))) {
			/* a single letter: lower case, or upper case in brackets "A)" */
			if (g_ascii_isupper(s[i]) && s[j] == '.')
				return SEG_MK_NONE;
			m->kind = SEG_MK_LETTER;
			m->ordinal = g_ascii_tolower(s[i]) - 'a' + 1;
			m->label[0] = s[i];
			m->label[1] = '\0';
		} else if (rv) {
			m->kind = SEG_MK_ROMAN;
			m->ordinal = rv;
			set_label_number(m, s, i, j);
		} else {
			return SEG_MK_NONE;
		}
		m->delim = paren ? '(' : s[j];
		m->len = skip_spaces(s, j + 1);
		return m->kind;
	}

	/* numbers */
	int comps[6], depth = 0, fd = 0;
	size_t end = parse_dotted(s, i, comps, &depth, &fd);
	if (end == 0)
		return SEG_MK_NONE;
	if (comps[0] == 0 && depth <= 2)
		return SEG_MK_NONE; /* "0.5" */
	if (depth == 1 && fd > 2)
		return SEG_MK_NONE; /* "2015", "100" */
	m->depth = depth;
	m->ordinal = comps[depth < 6 ? depth - 1 : 5];
	size_t lab_end = end;
	size_t k = end;
	if (paren) {
		if (s[k] != ')')
			return SEG_MK_NONE;
		m->delim = '(';
		k++;
	} else if (g_ascii_islower(s[k]) && !g_ascii_isalnum(s[k + 1]) && depth >= 1 &&
		   (s[k + 1] == ')' || s[k + 1] == '.' || s[k + 1] == ':' || is_space(s[k + 1]) || !s[k + 1])) {
		/* "10.3b", "1a)" */
		m->suffix = s[k];
		k++;
		lab_end = k;
		if (s[k] == ')' || s[k] == '.' || s[k] == ':') {
			m->delim = s[k];
			k++;
		} else {
			m->delim = ' ';
		}
	} else if (s[k] == '.' || s[k] == ')' || s[k] == ':') {
		m->delim = s[k];
		k++;
		if (s[k] != '\0' && !is_space(s[k]))
			return SEG_MK_NONE; /* "3.x", "1.5%" */
	} else if (s[k] == '\0' || is_space(s[k])) {
		m->delim = ' ';
	} else {
		return SEG_MK_NONE;
	}
	k = skip_spaces(s, k);
	/* "9.1 a The ..." : a letter suffix after a space */
	if (!m->suffix && m->delim == ' ' && g_ascii_islower(s[k]) &&
	    (s[k + 1] == ')' || s[k + 1] == '.' || is_space(s[k + 1]))) {
		size_t after = skip_spaces(s, k + 1 + !is_space(s[k + 1]));
		if (starts_upper(s + after) || s[after] == '\0') {
			m->suffix = s[k];
			lab_end = k + 1;
			k = after;
		}
	}
	if (m->delim == ' ' && depth == 1 && !m->suffix) {
		/* a bare integer: "3 The Panel ..." but not "15 April" or "3 times" */
		if (!starts_upper(s + k) || is_month(s + k))
			return SEG_MK_NONE;
	}
	if (depth <= 2 && !m->suffix && is_month(s + k))
		return SEG_MK_NONE; /* "12. March 2016" is a date */
	set_label_number(m, s, i, lab_end);
	m->kind = SEG_MK_NUMBER;
	m->len = k;
	return m->kind;
}

int seg_marker_rank(const seg_marker *m)
{
	switch (m->kind) {
	case SEG_MK_WORD:
		return 0;
	case SEG_MK_RPREFIX:
		return 1;
	case SEG_MK_NUMBER:
		return 2 + (m->depth > 6 ? 6 : m->depth); /* "9.1 a" ranks with "9.1": its own item */
	case SEG_MK_LETTER:
		return 10;
	case SEG_MK_ROMAN:
		return 11;
	case SEG_MK_BULLET:
		return 12;
	case SEG_MK_NONE:
		break;
	}
	return 100;
}

int seg_marker_same_style(const seg_marker *a, const seg_marker *b)
{
	if (a->kind != b->kind)
		return 0;
	if (a->kind == SEG_MK_NUMBER)
		return a->depth == b->depth && (a->delim == '(') == (b->delim == '(');
	if (a->kind == SEG_MK_LETTER || a->kind == SEG_MK_ROMAN)
		return (a->delim == '(') == (b->delim == '(');
	return 1;
}
