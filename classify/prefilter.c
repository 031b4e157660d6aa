/*
 * classify/prefilter.c: the cheap first pass that makes classification fast.
 * From each pattern we derive a set of literals one of which every match must
 * contain (as YARA derives "atoms"); one Aho-Corasick pass over a text then
 * tells which patterns can match at all, and only those are run by PCRE2.
 * The analysis is conservative: anything it does not understand makes the
 * pattern "always run", never "never run".
 */
#include "internal.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "dhr/common.h"

/* ---------------------------------------------------------------- alphabet */

/* a-z 1..26, 0-9 27..36, space 37, '-' 38, '\'' 39, '&' 40, '.' 41; 0: not literal */
#define AC_CLASSES 42
const unsigned char dhr_ac_class[256] = {
	[' '] = 37, ['-'] = 38, ['\''] = 39, ['&'] = 40, ['.'] = 41,
	['0'] = 27, ['1'] = 28, ['2'] = 29, ['3'] = 30, ['4'] = 31,
	['5'] = 32, ['6'] = 33, ['7'] = 34, ['8'] = 35, ['9'] = 36,
	['a'] = 1, ['b'] = 2, ['c'] = 3, ['d'] = 4, ['e'] = 5, ['f'] = 6, ['g'] = 7,
	['h'] = 8, ['i'] = 9, ['j'] = 10, ['k'] = 11, ['l'] = 12, ['m'] = 13, ['n'] = 14,
	['o'] = 15, ['p'] = 16, ['q'] = 17, ['r'] = 18, ['s'] = 19, ['t'] = 20, ['u'] = 21,
	['v'] = 22, ['w'] = 23, ['x'] = 24, ['y'] = 25, ['z'] = 26,
};

/* ---------------------------------------------------------------- literal analysis */

/* A set of literals (any one must occur); n == 0 with ok == 0 means "unknown". */
typedef struct litset {
	GPtrArray *s; /* char* (owned) */
} litset;

typedef struct lparser {
	const char *p, *end;
	int bail; /* met something we do not model: the whole pattern always runs */
	int depth;
} lparser;

static void litset_clear(litset *ls)
{
	if (ls->s)
		g_ptr_array_free(ls->s, TRUE);
	ls->s = NULL;
}

static size_t litset_minlen(const litset *ls)
{
	size_t m = (size_t)-1;
	for (guint i = 0; i < ls->s->len; i++) {
		size_t l = strlen(g_ptr_array_index(ls->s, i));
		if (l < m)
			m = l;
	}
	return m;
}

/* Is candidate `a` better than `b` (longer shortest literal, then fewer)? */
static int litset_better(const litset *a, const litset *b)
{
	if (!b->s)
		return 1;
	size_t ma = litset_minlen(a), mb = litset_minlen(b);
	if (ma != mb)
		return ma > mb;
	return a->s->len < b->s->len;
}

static void consider(litset *best, litset *cand)
{
	if (cand->s && cand->s->len > 0 && litset_better(cand, best)) {
		litset_clear(best);
		*best = *cand;
		cand->s = NULL;
	} else {
		litset_clear(cand);
	}
}

static void run_flush(GString *run, litset *best)
{
	if (run->len == 0)
		return;
	litset c = {g_ptr_array_new_with_free_func(g_free)};
	g_ptr_array_add(c.s, g_strndup(run->str, run->len));
	consider(best, &c);
	g_string_truncate(run, 0);
}

/* Read a quantifier at p; @return its minimum (0 or 1: "at least one"), or -1 if none. */
static int quantifier(lparser *lp)
{
	const char *p = lp->p;
	if (p >= lp->end)
		return -1;
	int min;
	if (*p == '*' || *p == '?') {
		min = 0;
		p++;
	} else if (*p == '+') {
		min = 1;
		p++;
	} else if (*p == '{') {
		const char *q = p + 1;
		long lo = -1;
		if (q < lp->end && g_ascii_isdigit(*q)) {
			lo = 0;
			while (q < lp->end && g_ascii_isdigit(*q)) {
				if (lo < 100000)
					lo = lo * 10 + (*q - '0');
				q++;
			}
		}
		while (q < lp->end && (*q == ' '))
			q++;
		if (q < lp->end && *q == ',') {
			q++;
			while (q < lp->end && (g_ascii_isdigit(*q) || *q == ' '))
				q++;
		}
		if (q >= lp->end || *q != '}' || (lo < 0 && q == p + 2))
			return -1; /* a literal brace */
		min = lo > 0 ? 1 : 0;
		p = q + 1;
	} else {
		return -1;
	}
	if (p < lp->end && (*p == '?' || *p == '+'))
		p++; /* lazy or possessive */
	lp->p = p;
	return min;
}

static void parse_alt(lparser *lp, litset *out, litset *prefix);

/* Skip a character class starting at '['. */
static void skip_class(lparser *lp)
{
	const char *p = lp->p + 1;
	if (p < lp->end && *p == '^')
		p++;
	if (p < lp->end && *p == ']')
		p++;
	while (p < lp->end && *p != ']') {
		if (*p == '\\') {
			if (p + 1 < lp->end && (p[1] == 'Q' || p[1] == 'x' || p[1] == 'o' || p[1] == 'p' || p[1] == 'P' ||
						p[1] == 'N'))
				lp->bail = 1;
			p += 2;
			continue;
		}
		if (*p == '[' && p + 1 < lp->end && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			char close = p[1];
			const char *q = p + 2;
			while (q + 1 < lp->end && !(q[0] == close && q[1] == ']'))
				q++;
			p = q + 2;
			continue;
		}
		p++;
	}
	if (p >= lp->end)
		lp->bail = 1;
	lp->p = p < lp->end ? p + 1 : lp->end;
}

/*
 * The state of one branch: `best` is the strongest required literal set seen
 * so far; `prefix` the literals every match of the branch starts with.
 * pstate: 0 nothing consumed yet, 1 the first literal run is being read,
 * 2 the prefix is decided (found or impossible).
 */
typedef struct branch {
	GString *run;
	litset *best, *prefix;
	int pstate;
} branch;

static void br_flush(branch *b)
{
	if (b->pstate == 1) {
		if (b->run->len > 0) {
			b->prefix->s = g_ptr_array_new_with_free_func(g_free);
			g_ptr_array_add(b->prefix->s, g_strndup(b->run->str, b->run->len));
		}
		b->pstate = 2;
	}
	run_flush(b->run, b->best);
}

/* A consuming atom that is not a literal: no prefix if it comes first. */
static void br_opaque(branch *b)
{
	br_flush(b);
	if (b->pstate == 0)
		b->pstate = 2;
}

/* One branch: a sequence of atoms up to '|' or ')' or the end. */
static void parse_branch(lparser *lp, litset *best, litset *prefix)
{
	branch b = {g_string_new(NULL), best, prefix, 0};
	best->s = NULL;
	prefix->s = NULL;
	while (lp->p < lp->end && !lp->bail) {
		char c = *lp->p;
		if (c == '|' || c == ')')
			break;
		if (c == '(') {
			const char *g = lp->p + 1;
			int zero_width = 0;
			if (g < lp->end && *g == '*') {
				lp->bail = 1;
				break;
			}
			if (g < lp->end && *g == '?') {
				g++;
				if (g >= lp->end) {
					lp->bail = 1;
					break;
				}
				if (*g == '#') {
					while (g < lp->end && *g != ')')
						g++;
					lp->p = g < lp->end ? g + 1 : lp->end;
					br_flush(&b);
					continue;
				}
				if (*g == ':' || *g == '|' || *g == '>') {
					g++;
				} else if (*g == '=' || *g == '!') {
					zero_width = 1;
					g++;
				} else if (*g == '<' && g + 1 < lp->end && (g[1] == '=' || g[1] == '!')) {
					zero_width = 1;
					g += 2;
				} else if (*g == '<' || *g == '\'' || (*g == 'P' && g + 1 < lp->end && g[1] == '<')) {
					char close = *g == '\'' ? '\'' : '>';
					while (g < lp->end && *g != close)
						g++;
					if (g >= lp->end) {
						lp->bail = 1;
						break;
					}
					g++;
				} else {
					/* option letters: (?i) (?-i) (?i:...) ; anything else we do not model */
					const char *q = g;
					while (q < lp->end && (g_ascii_isalpha(*q) || *q == '-' || *q == '^')) {
						/* x and n change what the pattern means to us; R, P, C...
						 * (recursion, named calls, callouts) are not options at all */
						if (!strchr("imsJU-^", *q))
							lp->bail = 1;
						q++;
					}
					if (lp->bail || q >= lp->end || q == g || (*q != ')' && *q != ':')) {
						lp->bail = 1;
						break;
					}
					if (*q == ')') {
						lp->p = q + 1;
						br_flush(&b);
						continue;
					}
					g = q + 1;
				}
			}
			br_flush(&b);
			lp->p = g;
			litset inner = {NULL}, inner_prefix = {NULL};
			if (++lp->depth > 200) {
				lp->bail = 1;
				break;
			}
			parse_alt(lp, &inner, &inner_prefix);
			lp->depth--;
			if (lp->bail || lp->p >= lp->end || *lp->p != ')') {
				litset_clear(&inner);
				litset_clear(&inner_prefix);
				lp->bail = 1;
				break;
			}
			lp->p++;
			int q = quantifier(lp);
			if (!zero_width && b.pstate == 0) {
				if (q != 0 && inner_prefix.s) {
					*b.prefix = inner_prefix;
					inner_prefix.s = NULL;
				}
				b.pstate = 2;
			}
			litset_clear(&inner_prefix);
			if (zero_width || q == 0)
				litset_clear(&inner);
			else
				consider(b.best, &inner);
			continue;
		}
		if (c == '[') {
			br_opaque(&b);
			skip_class(lp);
			quantifier(lp);
			continue;
		}
		if (c == '.') {
			br_opaque(&b);
			lp->p++;
			quantifier(lp);
			continue;
		}
		if (c == '^' || c == '$') {
			br_flush(&b);
			lp->p++;
			quantifier(lp);
			continue;
		}
		if (c == '*' || c == '+' || c == '?' || c == '{') {
			/* a quantifier with nothing before it, or a literal brace */
			if (c == '{') {
				br_opaque(&b);
				lp->p++;
				continue;
			}
			lp->bail = 1;
			break;
		}
		char lit = 0; /* a literal byte, if the atom is one */
		if (c == '\\') {
			if (lp->p + 1 >= lp->end) {
				lp->bail = 1;
				break;
			}
			char e = lp->p[1];
			if (!g_ascii_isalnum(e)) {
				lit = e;
				lp->p += 2;
			} else if (strchr("bBAzZGKE", e)) {
				lp->p += 2;
				br_flush(&b);
				continue;
			} else if (strchr("dDwWsShHvVRNXCnrtfea", e)) {
				lp->p += 2;
				br_opaque(&b);
				quantifier(lp);
				continue;
			} else if (e == 'p' || e == 'P') {
				lp->p += 2;
				if (lp->p < lp->end && *lp->p == '{') {
					while (lp->p < lp->end && *lp->p != '}')
						lp->p++;
					if (lp->p >= lp->end) {
						lp->bail = 1;
						break;
					}
				}
				lp->p++;
				br_opaque(&b);
				quantifier(lp);
				continue;
			} else {
				lp->bail = 1; /* \x \o \Q \k \g \c, back references, octal... */
				break;
			}
		} else {
			lit = c;
			lp->p++;
		}
		unsigned char lc = (unsigned char)g_ascii_tolower(lit);
		int in_alpha = dhr_ac_class[lc] != 0;
		if (in_alpha) {
			if (b.pstate == 0)
				b.pstate = 1;
			g_string_append_c(b.run, (char)lc);
		} else {
			br_opaque(&b);
		}
		int q = quantifier(lp);
		if (q == 0 && in_alpha) {
			g_string_truncate(b.run, b.run->len - 1);
			br_flush(&b);
		} else if (q == 1 && in_alpha) {
			br_flush(&b);
		}
	}
	br_flush(&b);
	if (b.pstate == 0) /* an empty branch starts with nothing */
		litset_clear(b.prefix);
	g_string_free(b.run, TRUE);
}

/* Add the strings of `from` to `to` (both non-NULL sets). */
static void litset_union(litset *to, const litset *from)
{
	for (guint i = 0; i < from->s->len; i++)
		g_ptr_array_add(to->s, g_strdup(g_ptr_array_index(from->s, i)));
}

static void parse_alt(lparser *lp, litset *out, litset *prefix)
{
	out->s = NULL;
	prefix->s = NULL;
	int first = 1, unknown = 0, no_prefix = 0;
	for (;;) {
		litset b = {NULL}, bp = {NULL};
		parse_branch(lp, &b, &bp);
		if (lp->bail) {
			litset_clear(&b);
			litset_clear(&bp);
			break;
		}
		if (!b.s)
			unknown = 1;
		if (!bp.s)
			no_prefix = 1;
		if (unknown) {
			litset_clear(out);
		} else if (first) {
			*out = b;
			b.s = NULL;
		} else {
			litset_union(out, &b);
		}
		if (no_prefix) {
			litset_clear(prefix);
		} else if (first) {
			*prefix = bp;
			bp.s = NULL;
		} else {
			litset_union(prefix, &bp);
		}
		litset_clear(&b);
		litset_clear(&bp);
		first = 0;
		if (lp->p < lp->end && *lp->p == '|') {
			lp->p++;
			continue;
		}
		break;
	}
	if (unknown || lp->bail)
		litset_clear(out);
	if (no_prefix || lp->bail)
		litset_clear(prefix);
}

/* Flatten a set into "a\0b\0" (malloc'd). @return 1, or -1 on out of memory. */
static int litset_export(char **out, size_t *n_out, litset *ls)
{
	size_t total = 0;
	for (guint i = 0; i < ls->s->len; i++)
		total += strlen(g_ptr_array_index(ls->s, i)) + 1;
	char *buf = malloc(total);
	if (!buf)
		return -1;
	size_t off = 0;
	for (guint i = 0; i < ls->s->len; i++) {
		size_t l = strlen(g_ptr_array_index(ls->s, i)) + 1;
		memcpy(buf + off, g_ptr_array_index(ls->s, i), l);
		off += l;
	}
	*out = buf;
	*n_out = ls->s->len;
	return 1;
}

static int analyse(char **out, size_t *n_out, const char *pat, size_t len, int extended, int want_prefix)
{
	*out = NULL;
	*n_out = 0;
	if (extended)
		return 0;
	lparser lp = {pat, pat + len, 0, 0};
	litset ls = {NULL}, pre = {NULL};
	parse_alt(&lp, &ls, &pre);
	litset *pick = want_prefix ? &pre : &ls;
	int rc = 0;
	if (!lp.bail && lp.p == lp.end && pick->s && pick->s->len > 0 && litset_minlen(pick) >= 2)
		rc = litset_export(out, n_out, pick);
	litset_clear(&ls);
	litset_clear(&pre);
	return rc;
}

int dhr_prefilter_literals(char **out, size_t *n_out, const char *pat, size_t len, int extended)
{
	return analyse(out, n_out, pat, len, extended, 0);
}

int dhr_prefilter_prefixes(char **out, size_t *n_out, const char *pat, size_t len, int extended)
{
	return analyse(out, n_out, pat, len, extended, 1);
}

/* ---------------------------------------------------------------- Aho-Corasick */

struct dhr_ac {
	uint32_t *lens;   /* length of each literal */
	uint32_t *delta;  /* n_states * AC_CLASSES */
	uint16_t *delta16;/* the same in half the cache when there are < 65536 states */
	int32_t *out;     /* literal ending at the state, or -1 */
	uint32_t *dict;   /* next state on the suffix chain with an output, or 0 */
	size_t n_states;
};

void dhr_ac_free(dhr_ac *ac)
{
	if (!ac)
		return;
	free(ac->lens);
	free(ac->delta);
	free(ac->delta16);
	free(ac->out);
	free(ac->dict);
	free(ac);
}

/* Id of literal s (added if new). */
static uint32_t lit_id(GHashTable *ids, GPtrArray *lits, const char *s, size_t *total_chars)
{
	gpointer idp;
	if (g_hash_table_lookup_extended(ids, s, NULL, &idp))
		return GPOINTER_TO_UINT(idp);
	uint32_t id = lits->len;
	g_ptr_array_add(lits, (gpointer)s);
	g_hash_table_insert(ids, (gpointer)s, GUINT_TO_POINTER(id));
	*total_chars += strlen(s);
	return id;
}

/* Turn (literal, pattern) pairs into CSR offsets + values. @return 0 or -1. */
static int pairs_to_csr(GArray *pairs, size_t n_lits, uint32_t **off_out, uint32_t **val_out)
{
	uint32_t *off = calloc(n_lits + 1, sizeof *off);
	uint32_t *val = malloc((pairs->len + 1) * sizeof *val);
	uint32_t *fill = calloc(n_lits + 1, sizeof *fill);
	if (!off || !val || !fill) {
		free(off);
		free(val);
		free(fill);
		return -1;
	}
	for (guint i = 0; i < pairs->len; i++)
		off[g_array_index(pairs, uint32_t, 2 * i) + 1]++;
	for (size_t i = 0; i < n_lits; i++)
		off[i + 1] += off[i];
	for (guint i = 0; i < pairs->len; i++) {
		uint32_t lit = g_array_index(pairs, uint32_t, 2 * i);
		val[off[lit] + fill[lit]++] = g_array_index(pairs, uint32_t, 2 * i + 1);
	}
	free(fill);
	*off_out = off;
	*val_out = val;
	return 0;
}

int dhr_prefilter_build(dhr_rules *r, const dhr_litset *sets, size_t n_sets)
{
	int error = DHR_ENOMEM;
	GHashTable *ids = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *lits = g_ptr_array_new();
	GArray *pairs = g_array_new(FALSE, FALSE, sizeof(uint32_t) * 2);     /* (lit, rx): unlocks */
	GArray *pre_pairs = g_array_new(FALSE, FALSE, sizeof(uint32_t) * 2); /* (lit, rx): starts */
	dhr_ac *ac = calloc(1, sizeof *ac);
	uint32_t *fail = NULL, *queue = NULL;
	if (!ac)
		goto cleanup;
	size_t total_chars = 1;
	for (size_t i = 0; i < n_sets; i++) {
		const char *s = sets[i].lits;
		for (size_t k = 0; k < sets[i].n; k++) {
			uint32_t pr[2] = {lit_id(ids, lits, s, &total_chars), (uint32_t)i};
			g_array_append_val(pairs, pr);
			s += strlen(s) + 1;
		}
		s = sets[i].prefixes;
		for (size_t k = 0; k < sets[i].n_prefixes; k++) {
			uint32_t pr[2] = {lit_id(ids, lits, s, &total_chars), (uint32_t)i};
			g_array_append_val(pre_pairs, pr);
			s += strlen(s) + 1;
		}
	}
	/* the trie */
	size_t cap = total_chars + 1;
	ac->delta = calloc(cap * AC_CLASSES, sizeof *ac->delta);
	ac->out = malloc(cap * sizeof *ac->out);
	ac->dict = calloc(cap, sizeof *ac->dict);
	ac->lens = calloc(lits->len + 1, sizeof *ac->lens);
	fail = calloc(cap, sizeof *fail);
	queue = malloc(cap * sizeof *queue);
	if (!ac->delta || !ac->out || !ac->dict || !ac->lens || !fail || !queue)
		goto cleanup;
	for (size_t i = 0; i < cap; i++)
		ac->out[i] = -1;
	ac->n_states = 1;
	for (guint id = 0; id < lits->len; id++) {
		const unsigned char *s = g_ptr_array_index(lits, id);
		ac->lens[id] = (uint32_t)strlen((const char *)s);
		uint32_t st = 0;
		for (; *s; s++) {
			unsigned cl = dhr_ac_class[*s];
			uint32_t *d = &ac->delta[st * AC_CLASSES + cl];
			if (!*d)
				*d = (uint32_t)ac->n_states++;
			st = *d;
		}
		ac->out[st] = (int32_t)id;
	}
	/* failure links and the full DFA, breadth first */
	size_t qh = 0, qt = 0;
	for (unsigned cl = 1; cl < AC_CLASSES; cl++) {
		uint32_t nx = ac->delta[cl];
		if (nx) {
			fail[nx] = 0;
			queue[qt++] = nx;
		}
	}
	while (qh < qt) {
		uint32_t st = queue[qh++];
		uint32_t f = fail[st];
		ac->dict[st] = ac->out[f] >= 0 ? f : ac->dict[f];
		for (unsigned cl = 0; cl < AC_CLASSES; cl++) {
			uint32_t *d = &ac->delta[st * AC_CLASSES + cl];
			uint32_t fd = ac->delta[f * AC_CLASSES + cl];
			if (*d && cl != 0) {
				fail[*d] = fd;
				queue[qt++] = *d;
			} else {
				*d = fd;
			}
		}
	}
	if (ac->n_states <= UINT16_MAX) {
		ac->delta16 = malloc(ac->n_states * AC_CLASSES * sizeof *ac->delta16);
		if (!ac->delta16)
			goto cleanup;
		for (size_t i = 0; i < ac->n_states * AC_CLASSES; i++)
			ac->delta16[i] = (uint16_t)ac->delta[i];
		free(ac->delta);
		ac->delta = NULL;
	}
	r->n_lits = lits->len;
	if (pairs_to_csr(pairs, lits->len, &r->lit_rx_off, &r->lit_rx) < 0 ||
	    pairs_to_csr(pre_pairs, lits->len, &r->lit_pre_off, &r->lit_pre) < 0)
		goto cleanup;
	r->ac = ac;
	ac = NULL;
	error = 0;
cleanup:
	dhr_ac_free(ac);
	free(fail);
	free(queue);
	g_array_free(pairs, TRUE);
	g_array_free(pre_pairs, TRUE);
	g_ptr_array_free(lits, TRUE);
	g_hash_table_destroy(ids);
	return error;
}

size_t dhr_ac_lit_len(const dhr_ac *ac, uint32_t lit)
{
	return ac->lens[lit];
}

void dhr_ac_scan(const dhr_ac *ac, const char *low, size_t len,
		 void (*mark)(uint32_t lit, size_t end, void *payload), void *payload)
{
	const unsigned char *s = (const unsigned char *)low;
	uint32_t st = 0;
	for (size_t i = 0; i < len; i++) {
		size_t cell = st * AC_CLASSES + dhr_ac_class[s[i]];
		st = ac->delta16 ? ac->delta16[cell] : ac->delta[cell];
		if (!st)
			continue;
		for (uint32_t t = ac->out[st] >= 0 ? st : ac->dict[st]; t; t = ac->dict[t])
			mark((uint32_t)ac->out[t], i + 1, payload);
	}
}
