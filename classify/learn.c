/*
 * classify/learn.c: `dhr learn`, rule lines proposed from labelled examples
 * (include/dhr/learn.h). Three steps per label:
 *
 *  1. an index, built once, of every example's normalised words (the
 *     matcher's normalisation, word and sentence boundaries): word n-grams
 *     (1-3 words, the last one also as a stem with `*`) and pairs of content
 *     words in one sentence with the fewest words between them, each with
 *     the examples it occurs in;
 *  2. from the index alone, each n-gram or pair found in a false negative
 *     (a `match` candidate) or a false positive (an `unless` or `except`
 *     candidate) is scored on every fold at once, and the best are
 *     shortlisted;
 *  3. each shortlisted line is inserted into a copy of its label's rules
 *     (the label's block, or the whole facet for a single-label facet, or the
 *     whole rules when the label alone does not behave as in the whole set),
 *     compiled by the rules compiler and run by the matcher on the examples
 *     whose text holds its words (the others cannot change); the figures
 *     reported are from that run.
 *
 * Cross-validation: the examples' groups (documents, reports) are dealt into
 * k folds. A candidate counts in fold f when, on the other folds, it puts at
 * least one example right and raises the label's F1 (so the training part
 * alone would have proposed it); its held-out changes on fold f are then
 * added up over the folds, and the CV gain is the F1 those changes give on
 * all the examples minus the F1 now.
 */
#include "dhr/learn.h"
#include "internal.h"

#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NGRAM 3
#define MAX_GAP 8 /* words between the two words of a pair */
#define NO_GAP 255
#define AGENCY_SENT_BASE 1000000u

/* ---------------------------------------------------------------- words */

static const char *const stopwords[] = {"a",
                                        "about",
                                        "above",
                                        "across",
                                        "after",
                                        "again",
                                        "all",
                                        "also",
                                        "am",
                                        "an",
                                        "and",
                                        "any",
                                        "are",
                                        "as",
                                        "at",
                                        "be",
                                        "been",
                                        "before",
                                        "being",
                                        "both",
                                        "but",
                                        "by",
                                        "can",
                                        "could",
                                        "did",
                                        "do",
                                        "does",
                                        "doing",
                                        "done",
                                        "during",
                                        "each",
                                        "either",
                                        "etc",
                                        "for",
                                        "from",
                                        "further",
                                        "had",
                                        "has",
                                        "have",
                                        "having",
                                        "he",
                                        "her",
                                        "here",
                                        "hers",
                                        "him",
                                        "his",
                                        "how",
                                        "i",
                                        "if",
                                        "in",
                                        "into",
                                        "is",
                                        "it",
                                        "its",
                                        "itself",
                                        "may",
                                        "me",
                                        "might",
                                        "more",
                                        "most",
                                        "must",
                                        "my",
                                        "no",
                                        "nor",
                                        "not",
                                        "of",
                                        "on",
                                        "once",
                                        "only",
                                        "or",
                                        "other",
                                        "our",
                                        "out",
                                        "over",
                                        "own",
                                        "same",
                                        "shall",
                                        "she",
                                        "should",
                                        "so",
                                        "some",
                                        "such",
                                        "than",
                                        "that",
                                        "the",
                                        "their",
                                        "theirs",
                                        "them",
                                        "then",
                                        "there",
                                        "these",
                                        "they",
                                        "this",
                                        "those",
                                        "through",
                                        "to",
                                        "too",
                                        "under",
                                        "until",
                                        "up",
                                        "upon",
                                        "us",
                                        "very",
                                        "was",
                                        "we",
                                        "were",
                                        "what",
                                        "when",
                                        "where",
                                        "whether",
                                        "which",
                                        "while",
                                        "who",
                                        "whom",
                                        "why",
                                        "will",
                                        "with",
                                        "within",
                                        "would",
                                        "you",
                                        "your",
                                        "ensure",
                                        "ensures",
                                        "ensuring",
                                        "recommended",
                                        "recommends",
                                        "recommendation",
                                        "recommendations",
                                        "review",
                                        "that",
                                        "consider",
                                        "considers",
                                        "considered",
                                        "way",
                                        "ways",
                                        "make",
                                        "made",
                                        "use",
                                        "used",
                                        "including",
                                        "include",
                                        "includes",
                                        "s",
                                        "e",
                                        "g",
                                        "ie",
                                        "eg",
                                        "per",
                                        "via",
                                        "new",
                                        "one",
                                        "two",
                                        "three"};

typedef struct tok {
	uint32_t s, e;   /* byte offsets in the field's normalised text */
	uint32_t os, oe; /* the same in the field's original text (for evidence spans) */
	uint32_t sent;   /* sentence number (agency_text's from AGENCY_SENT_BASE) */
	uint32_t word;   /* word number within its field */
	char *w;         /* lower-cased word */
	char *stem;      /* its stem (without the `*`), or NULL */
	uint8_t field;   /* DHR_FIELD_TEXT or DHR_FIELD_AGENCY_TEXT */
	uint8_t join;    /* only spaces or hyphens before the next word: a phrase may go on */
	uint8_t stop;    /* a stop word: no phrase starts or ends with it */
	uint8_t skip;    /* digits or one letter: never part of a candidate */
	uint8_t acro;    /* written in capitals (GP, CCG, IDVA): short, but a word of its own */
} tok;

typedef struct exlex {
	tok *t;
	size_t n;
	char *low; /* the normalised text and agency text, ASCII lower-cased, for the literal check */
	DHR_VEC(uint32_t) feats;
} exlex;

enum { FT_PHRASE = 0, FT_PAIR = 1 };

typedef struct feat {
	int type;
	char *key; /* phrase: words joined by spaces (the last may end with `*`); pair: "A\tB", A < B */
	int nw;
	int acro;             /* a one-word phrase seen written in capitals */
	DHR_VEC(uint32_t) ex; /* examples, ascending */
	DHR_VEC(uint8_t) gab; /* pairs: fewest words between A then B in that example, or NO_GAP */
	DHR_VEC(uint8_t) gba; /* the same for B then A */
} feat;

typedef struct windex {
	GHashTable *by_key; /* key -> feat index + 1 */
	DHR_VEC(feat) f;
	GHashTable *stop;
} windex;

static int has_digit_or_short(const char *w)
{
	size_t n = 0;
	for (const char *p = w; *p; p++) {
		if (*p >= '0' && *p <= '9')
			return 1;
		n++;
	}
	return n < 2;
}

/* A stem for `word*`: common English endings off, at least 4 letters left. */
static char *stem_of(const char *w)
{
	static const char *const suf[] = {"ations", "ation", "ments", "ment", "ings",
	                                  "ing",    "ers",   "ed",    "s"};
	size_t n = strlen(w);
	for (const char *p = w; *p; p++)
		if ((unsigned char)*p >= 0x80 || *p == '\'')
			return NULL;
	if (n >= 3 && strcmp(w + n - 3, "ies") == 0)
		return NULL;
	for (size_t i = 0; i < sizeof suf / sizeof suf[0]; i++) {
		size_t sl = strlen(suf[i]);
		if (n < sl + 4 || strcmp(w + n - sl, suf[i]) != 0)
			continue;
		if (sl == 1 && (w[n - 2] == 's' || w[n - 2] == 'u' || w[n - 2] == 'i'))
			return NULL; /* "access", "status", "analysis" */
		return g_strndup(w, n - sl);
	}
	return NULL;
}

static int lex_field(exlex *L, windex *W, const char *s, uint8_t field, GString *low)
{
	dhr_ntext nt;
	memset(&nt, 0, sizeof nt);
	int rc = 0;
	if (!s || !*s)
		return 0;
	if ((rc = dhr_ntext_set(&nt, s, strlen(s))) < 0 || (rc = dhr_ntext_index(&nt)) < 0)
		goto cleanup;
	g_string_append_len(low, nt.low, (gssize)nt.nlen);
	g_string_append_c(low, '\n');
	size_t i = 0;
	uint32_t word = 0;
	while (i < nt.nlen) {
		if (!dhr_ntext_is_word(&nt, i)) {
			i++;
			continue;
		}
		size_t st = i;
		while (i < nt.nlen &&
		       (dhr_ntext_is_word(&nt, i) || ((unsigned char)nt.norm[i] & 0xC0) == 0x80))
			i++;
		tok *t = g_renew(tok, L->t, L->n + 1);
		L->t = t;
		t = &L->t[L->n++];
		memset(t, 0, sizeof *t);
		t->s = (uint32_t)st;
		t->e = (uint32_t)i;
		t->os = (uint32_t)dhr_ntext_ostart(&nt, st);
		t->oe = (uint32_t)dhr_ntext_oend(&nt, i);
		t->field = field;
		t->word = word++;
		t->sent = nt.sc[st] + (field == DHR_FIELD_AGENCY_TEXT ? AGENCY_SENT_BASE : 0);
		t->w = g_utf8_strdown(nt.norm + st, (gssize)(i - st));
		t->stem = stem_of(t->w);
		t->stop = g_hash_table_contains(W->stop, t->w);
		t->skip = (uint8_t)has_digit_or_short(t->w);
		t->acro = 1;
		for (size_t q = st; q < i; q++)
			if (!g_ascii_isupper(nt.norm[q]))
				t->acro = 0;
		/* the separator to the next word: a phrase ([\s-]+ between words) may cross it? */
		size_t j = i;
		while (j < nt.nlen &&
		       (nt.norm[j] == ' ' || nt.norm[j] == '-' || nt.norm[j] == '\n' || nt.norm[j] == '\t'))
			j++;
		t->join = j > i && j < nt.nlen && dhr_ntext_is_word(&nt, j);
	}
cleanup:
	dhr_ntext_release(&nt);
	return rc;
}

static int feat_add(windex *W, exlex *L, uint32_t ex, int type, const char *key, int nw, int swapped, int gap)
{
	gpointer hit = g_hash_table_lookup(W->by_key, key);
	size_t fi;
	if (hit) {
		fi = (size_t)GPOINTER_TO_SIZE(hit) - 1;
	} else {
		if (DHR_VEC_RESERVE(W->f, 1) < 0)
			return DHR_ENOMEM;
		fi = W->f.n++;
		feat *f = &W->f.v[fi];
		memset(f, 0, sizeof *f);
		f->type = type;
		f->key = g_strdup(key);
		f->nw = nw;
		g_hash_table_insert(W->by_key, f->key, GSIZE_TO_POINTER(fi + 1));
	}
	feat *f = &W->f.v[fi];
	if (f->ex.n == 0 || f->ex.v[f->ex.n - 1] != ex) {
		if (DHR_VEC_RESERVE(f->ex, 1) < 0 || DHR_VEC_RESERVE(L->feats, 1) < 0)
			return DHR_ENOMEM;
		f->ex.v[f->ex.n++] = ex;
		L->feats.v[L->feats.n++] = (uint32_t)fi;
		if (type == FT_PAIR) {
			if (DHR_VEC_RESERVE(f->gab, 1) < 0 || DHR_VEC_RESERVE(f->gba, 1) < 0)
				return DHR_ENOMEM;
			f->gab.v[f->gab.n++] = NO_GAP;
			f->gba.v[f->gba.n++] = NO_GAP;
		}
	}
	if (type == FT_PAIR) {
		uint8_t *g = swapped ? &f->gba.v[f->gba.n - 1] : &f->gab.v[f->gab.n - 1];
		if (gap < *g)
			*g = (uint8_t)gap;
	}
	return 0;
}

/* the form of a word as a pair operand: its stem with `*`, or the word */
static void form_of(GString *g, const tok *t)
{
	if (t->stem) {
		g_string_append(g, t->stem);
		g_string_append_c(g, '*');
	} else {
		g_string_append(g, t->w);
	}
}

/* a short word not in capitals ("non", "aid"): no pair is made of it */
static int weak(const tok *t)
{
	return strlen(t->w) < 4 && !t->acro;
}

/* Called with each phrase key that phrase_keys() makes: its last token and whether it is the stem
 * form; a nonzero return stops the walk and is passed on. */
typedef int (*phrase_fn)(void *payload, const char *key, size_t last, int stem);

/*
 * The phrase keys of the index that start at token `a` of L (not a stop word): words a..b, at
 * most MAX_NGRAM, in one field, joined only by spaces or hyphens, no digits-or-one-letter token,
 * not ending in a stop word; each also with its last word cut to the stem and `*`. The one place
 * keys are made, so that the index and the checks against it agree. `k` is scratch.
 */
static int phrase_keys(const exlex *L, size_t a, GString *k, phrase_fn fn, void *payload)
{
	int rc = 0;
	g_string_truncate(k, 0);
	for (size_t b = a; b < L->n && b < a + MAX_NGRAM && rc == 0; b++) {
		const tok *t = &L->t[b];
		if (t->skip || (b > a && (!L->t[b - 1].join || t->field != L->t[a].field)))
			break;
		if (b > a)
			g_string_append_c(k, ' ');
		size_t before_last = k->len;
		g_string_append(k, t->w);
		if (t->stop)
			continue;
		rc = fn(payload, k->str, b, 0);
		if (rc == 0 && t->stem) {
			GString *v = g_string_new_len(k->str, (gssize)before_last);
			g_string_append(v, t->stem);
			g_string_append_c(v, '*');
			rc = fn(payload, v->str, b, 1);
			g_string_free(v, TRUE);
		}
	}
	return rc;
}

typedef struct index_at {
	windex *W;
	exlex *L;
	uint32_t ex;
	size_t a;
} index_at;

static int index_phrase(void *payload, const char *key, size_t last, int stem)
{
	index_at *x = payload;
	int rc = feat_add(x->W, x->L, x->ex, FT_PHRASE, key, (int)(last - x->a + 1), 0, 0);
	if (rc == 0 && last == x->a && !stem && x->L->t[x->a].acro)
		x->W->f.v[GPOINTER_TO_SIZE(g_hash_table_lookup(x->W->by_key, key)) - 1].acro = 1;
	return rc;
}

static int index_example(windex *W, exlex *L, uint32_t ex)
{
	GString *k = g_string_new(NULL), *a = g_string_new(NULL), *b = g_string_new(NULL);
	int rc = 0;
	for (size_t i = 0; i < L->n && rc == 0; i++) {
		const tok *t0 = &L->t[i];
		if (t0->stop || t0->skip)
			continue;
		/* n-grams starting here */
		index_at x = {W, L, ex, i};
		rc = phrase_keys(L, i, k, index_phrase, &x);
		/* pairs with the words that follow in the same sentence */
		for (size_t j = i + 1; j < L->n && rc == 0; j++) {
			const tok *t1 = &L->t[j];
			if (t1->field != t0->field || t1->sent != t0->sent ||
			    t1->word - t0->word - 1 > MAX_GAP)
				break;
			if (t1->stop || t1->skip || weak(t1) || weak(t0))
				continue;
			g_string_truncate(a, 0);
			g_string_truncate(b, 0);
			form_of(a, t0);
			form_of(b, t1);
			int c = strcmp(a->str, b->str);
			if (c == 0)
				continue;
			g_string_truncate(k, 0);
			g_string_append_printf(k, "%s\t%s", c < 0 ? a->str : b->str, c < 0 ? b->str : a->str);
			rc = feat_add(W, L, ex, FT_PAIR, k->str, 2, c > 0, (int)(t1->word - t0->word - 1));
		}
	}
	g_string_free(k, TRUE);
	g_string_free(a, TRUE);
	g_string_free(b, TRUE);
	return rc;
}

/* ---------------------------------------------------------------- the flattened rules, line by line */

enum { KW_NONE = 0, KW_FACET, KW_GROUP, KW_LABEL, KW_RULE, KW_OTHER };

typedef struct fline {
	const char *s;
	size_t len;
	int kw;
} fline;

typedef struct fblock {
	char *facet, *label;
	size_t start, end; /* lines [start, end) */
	size_t last_rule;  /* the last statement line of the block */
} fblock;

typedef struct flatmodel {
	DHR_VEC(fline) lines;
	DHR_VEC(fblock) blocks;
	GHashTable *facet_def; /* facet name -> line index + 1 of its definition */
	GHashTable *groups;    /* facet name -> GPtrArray of line indices + 1 (as pointers) */
} flatmodel;

static char *word_at(const char *s, size_t len, size_t *pos)
{
	size_t i = *pos;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	size_t st = i;
	while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '#')
		i++;
	*pos = i;
	return i > st ? g_strndup(s + st, i - st) : NULL;
}

static void flatmodel_free(flatmodel *M)
{
	for (size_t i = 0; i < M->blocks.n; i++) {
		g_free(M->blocks.v[i].facet);
		g_free(M->blocks.v[i].label);
	}
	free(M->blocks.v);
	free(M->lines.v);
	if (M->facet_def)
		g_hash_table_destroy(M->facet_def);
	if (M->groups)
		g_hash_table_destroy(M->groups);
}

static int flatmodel_build(flatmodel *M, const char *text)
{
	memset(M, 0, sizeof *M);
	M->facet_def = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	M->groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
	char *facet = NULL;
	fblock *cur = NULL;
	size_t len = strlen(text), pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		if (DHR_VEC_RESERVE(M->lines, 1) < 0)
			return DHR_ENOMEM;
		size_t li = M->lines.n++;
		fline *L = &M->lines.v[li];
		L->s = text + pos;
		L->len = end - pos;
		size_t p = 0;
		char *kw = (L->len && memchr(L->s, '#', 1) == NULL) ? word_at(L->s, L->len, &p) : NULL;
		if (kw && kw[0] == '#') {
			g_free(kw);
			kw = NULL;
		}
		if (!kw) {
			L->kw = KW_NONE;
		} else if (strcmp(kw, "facet") == 0) {
			L->kw = KW_FACET;
			g_free(facet);
			facet = word_at(L->s, L->len, &p);
			size_t q = p;
			char *more = word_at(L->s, L->len, &q);
			if (facet && more && !g_hash_table_contains(M->facet_def, facet))
				g_hash_table_insert(M->facet_def, g_strdup(facet), GSIZE_TO_POINTER(li + 1));
			g_free(more);
			cur = NULL;
		} else if (strcmp(kw, "group") == 0) {
			L->kw = KW_GROUP;
			if (facet) {
				GPtrArray *a = g_hash_table_lookup(M->groups, facet);
				if (!a) {
					a = g_ptr_array_new();
					g_hash_table_insert(M->groups, g_strdup(facet), a);
				}
				g_ptr_array_add(a, GSIZE_TO_POINTER(li + 1));
			}
			cur = NULL;
		} else if (strcmp(kw, "label") == 0) {
			L->kw = KW_LABEL;
			if (DHR_VEC_RESERVE(M->blocks, 1) < 0) {
				g_free(kw);
				g_free(facet);
				return DHR_ENOMEM;
			}
			cur = &M->blocks.v[M->blocks.n++];
			memset(cur, 0, sizeof *cur);
			cur->facet = g_strdup(facet ? facet : "");
			cur->label = word_at(L->s, L->len, &p);
			cur->start = cur->last_rule = li;
		} else if (strcmp(kw, "include") == 0) {
			L->kw = KW_OTHER;
			cur = NULL;
		} else {
			L->kw = KW_RULE;
			if (cur)
				cur->last_rule = li;
		}
		g_free(kw);
		pos = nl ? end + 1 : len;
	}
	/* block ends: the next facet/group/label/include line, or the end */
	for (size_t b = 0; b < M->blocks.n; b++) {
		size_t e = M->blocks.v[b].start + 1;
		while (e < M->lines.n && (M->lines.v[e].kw == KW_NONE || M->lines.v[e].kw == KW_RULE))
			e++;
		M->blocks.v[b].end = e;
	}
	g_free(facet);
	return 0;
}

static void put_line(GString *g, const fline *L)
{
	g_string_append_len(g, L->s, (gssize)L->len);
	g_string_append_c(g, '\n');
}

/* is block b the first block of label (facet, label)? */
static int first_block_of(const flatmodel *M, size_t b, const char *facet, const char *label)
{
	for (size_t i = 0; i < M->blocks.n; i++)
		if (strcmp(M->blocks.v[i].facet, facet) == 0 && M->blocks.v[i].label &&
		    strcmp(M->blocks.v[i].label, label) == 0)
			return i == b;
	return 0;
}

/*
 * The rules text for checking lines of label (facet, label): `scope` 0 the
 * label's own blocks under its facet line, 1 every block of its facet, 2 the
 * whole rules; `ins` (NULL-terminated lines) go after the last rule line of
 * the label's first block; `cov` (or NULL) is one more rule line, alone in
 * a label of its own facet, to see where its pattern matches.
 */
static char *scoped_text(const flatmodel *M, const char *facet, const char *label, int scope,
                         const char *const *ins, const char *cov, const char *cov_fields)
{
	GString *g = g_string_new(NULL);
	if (scope < 2) {
		size_t def = GPOINTER_TO_SIZE(g_hash_table_lookup(M->facet_def, facet));
		if (def)
			put_line(g, &M->lines.v[def - 1]);
		GPtrArray *gr = g_hash_table_lookup(M->groups, facet);
		for (guint i = 0; gr && i < gr->len; i++)
			put_line(g, &M->lines.v[GPOINTER_TO_SIZE(g_ptr_array_index(gr, i)) - 1]);
		for (size_t b = 0; b < M->blocks.n; b++) {
			const fblock *B = &M->blocks.v[b];
			if (strcmp(B->facet, facet) != 0 || !B->label)
				continue;
			int mine = strcmp(B->label, label) == 0;
			if (scope == 0 && !mine)
				continue;
			for (size_t l = B->start; l < B->end; l++) {
				put_line(g, &M->lines.v[l]);
				if (l == B->last_rule && mine && first_block_of(M, b, facet, label))
					for (size_t k = 0; ins && ins[k]; k++)
						g_string_append_printf(g, "%s\n", ins[k]);
			}
		}
	} else {
		for (size_t l = 0; l < M->lines.n; l++) {
			put_line(g, &M->lines.v[l]);
			for (size_t b = 0; b < M->blocks.n; b++) {
				const fblock *B = &M->blocks.v[b];
				if (B->last_rule == l && B->label && strcmp(B->facet, facet) == 0 &&
				    strcmp(B->label, label) == 0 && first_block_of(M, b, facet, label))
					for (size_t k = 0; ins && ins[k]; k++)
						g_string_append_printf(g, "%s\n", ins[k]);
			}
		}
	}
	if (cov)
		g_string_append_printf(g, "facet __learn multi on %s\nlabel __cand\n  %s\n", cov_fields, cov);
	return g_string_free(g, FALSE);
}

/* ---------------------------------------------------------------- scoring */

typedef struct counts {
	long tp, fp, fn;
} counts;

static double f1_of(counts c)
{
	double d = (double)(2 * c.tp + c.fp + c.fn);
	return d > 0 ? 2.0 * (double)c.tp / d : 0.0;
}

/* what a change from `was` to `now` (label given or not) does on an example with gold `y` */
static int flip_kind(int y, int was, int now)
{
	if (was == now)
		return -1;
	if (now)
		return y ? DHR_FLIP_GAINED : DHR_FLIP_NEW_FP;
	return y ? DHR_FLIP_LOST : DHR_FLIP_FIXED_FP;
}

static void apply_flip(counts *c, int kind, int sign)
{
	switch (kind) {
	case DHR_FLIP_GAINED:
		c->tp += sign;
		c->fn -= sign;
		break;
	case DHR_FLIP_NEW_FP:
		c->fp += sign;
		break;
	case DHR_FLIP_LOST:
		c->tp -= sign;
		c->fn += sign;
		break;
	case DHR_FLIP_FIXED_FP:
		c->fp -= sign;
		break;
	default:
		break;
	}
}

typedef struct foldstat {
	long d[4]; /* flips by kind in the fold */
} foldstat;

/* the figures of a set of flips: fit gain, CV gain (see the top of this file) */
typedef struct score {
	long d[4];
	double fit, cv;
	long cvd[4];
	int cv_folds;
} score;

typedef struct lctx {
	/* per label */
	const char *facet, *label;
	int single;
	uint8_t *y, *base; /* gold has it, the rules give it */
	counts all;
	counts *fold_base; /* per fold */
	/* shared */
	int k;
	const int *fold; /* example -> fold */
	size_t n;
	const uint8_t *mask; /* examples labelled for this facet (NULL: all) */
} lctx;

static void score_flips(score *S, const lctx *X, foldstat *fs, int match_kind)
{
	memset(S, 0, sizeof *S);
	for (int f = 0; f < X->k; f++)
		for (int q = 0; q < 4; q++)
			S->d[q] += fs[f].d[q];
	counts after = X->all;
	for (int q = 0; q < 4; q++)
		apply_flip(&after, q, (int)S->d[q]);
	S->fit = f1_of(after) - f1_of(X->all);
	counts cv = X->all;
	int good = match_kind ? DHR_FLIP_GAINED : DHR_FLIP_FIXED_FP;
	for (int f = 0; X->k > 1 && f < X->k; f++) {
		counts tb = {X->all.tp - X->fold_base[f].tp, X->all.fp - X->fold_base[f].fp,
		             X->all.fn - X->fold_base[f].fn};
		counts ta = tb;
		long train[4];
		for (int q = 0; q < 4; q++) {
			train[q] = S->d[q] - fs[f].d[q];
			apply_flip(&ta, q, (int)train[q]);
		}
		if (train[good] < 1 || f1_of(ta) - f1_of(tb) <= 1e-12)
			continue;
		S->cv_folds++;
		for (int q = 0; q < 4; q++) {
			S->cvd[q] += fs[f].d[q];
			apply_flip(&cv, q, (int)fs[f].d[q]);
		}
	}
	S->cv = f1_of(cv) - f1_of(X->all);
}

/* ---------------------------------------------------------------- candidates */

enum { OP_PHRASE = 0, OP_BEFORE_AB, OP_BEFORE_BA, OP_NEAR };

typedef struct cand {
	size_t feat;
	int op, dist;
	dhr_rule_kind kind;
	score est;
	guint64 sig; /* hash of the flipped examples, to drop look-alikes */
	int cost;    /* length of the line: shorter wins ties */
	char *line;
	char *lits; /* NUL-separated ASCII literals, all of which a text must hold; NULL: run on all */
} cand;

static int pair_hits(const feat *F, size_t p, int op, int dist)
{
	switch (op) {
	case OP_BEFORE_AB:
		return F->gab.v[p] <= dist;
	case OP_BEFORE_BA:
		return F->gba.v[p] <= dist;
	case OP_NEAR:
		return F->gab.v[p] <= dist || F->gba.v[p] <= dist;
	default:
		return 1;
	}
}

/* quote a word list (phrase) for the rules language */
static void quote_phrase(GString *g, const char *s)
{
	g_string_append_c(g, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			g_string_append_c(g, '\\');
		g_string_append_c(g, *s);
	}
	g_string_append_c(g, '"');
}

static void cand_text(cand *c, const feat *F)
{
	GString *g = g_string_new(NULL);
	const char *kw = c->kind == DHR_RULE_MATCH    ? "match"
	                 : c->kind == DHR_RULE_UNLESS ? "unless"
	                                              : "except";
	g_string_append_printf(g, "  %s ", kw);
	GString *lits = g_string_new(NULL);
	int ascii = 1;
	for (const char *p = F->key; *p; p++)
		if ((unsigned char)*p >= 0x80)
			ascii = 0;
	if (F->type == FT_PHRASE) {
		quote_phrase(g, F->key);
		/* the first word is enough for the check (the others follow it) */
		const char *sp = strchr(F->key, ' ');
		size_t l = sp ? (size_t)(sp - F->key) : strlen(F->key);
		if (l && F->key[l - 1] == '*')
			l--;
		g_string_append_len(lits, F->key, (gssize)l);
		g_string_append_c(lits, '\0');
	} else {
		const char *tab = strchr(F->key, '\t');
		char *a = g_strndup(F->key, (gsize)(tab - F->key)), *b = g_strdup(tab + 1);
		const char *x = c->op == OP_BEFORE_BA ? b : a, *y = c->op == OP_BEFORE_BA ? a : b;
		quote_phrase(g, x);
		g_string_append_printf(g, " %s %d ", c->op == OP_NEAR ? "near" : "before", c->dist);
		quote_phrase(g, y);
		for (int i = 0; i < 2; i++) {
			const char *w = i ? b : a;
			size_t l = strlen(w);
			if (l && w[l - 1] == '*')
				l--;
			g_string_append_len(lits, w, (gssize)l);
			g_string_append_c(lits, '\0');
		}
		g_free(a);
		g_free(b);
	}
	g_string_append_c(lits, '\0');
	c->cost = (int)g->len;
	c->line = g_string_free(g, FALSE);
	if (ascii) {
		c->lits = g_malloc(lits->len);
		memcpy(c->lits, lits->str, lits->len);
	}
	g_string_free(lits, TRUE);
}

static int cmp_est(const void *pa, const void *pb)
{
	const cand *a = pa, *b = pb;
	if (a->est.cv != b->est.cv)
		return a->est.cv > b->est.cv ? -1 : 1;
	if (a->est.fit != b->est.fit)
		return a->est.fit > b->est.fit ? -1 : 1;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	return a->feat < b->feat ? -1 : a->feat > b->feat;
}

/* ---------------------------------------------------------------- the real engine */

typedef struct engine {
	dhr_rules *r;
	dhr_classifier *c;
	dhr_result *res;
	int facet, label, cov_facet, cov_label;
} engine;

static void engine_free(engine *E)
{
	dhr_result_free(E->res);
	dhr_classifier_free(E->c);
	dhr_rules_free(E->r);
	memset(E, 0, sizeof *E);
}

/*
 * Compile a flattened rules text as its entry file would compile: the name
 * and the place list files are read from (the built-in files, or the disk)
 * are the entry's; the text has no includes left.
 */
static int compile_flat(dhr_rules **out, const char *text, const char *rules_path, int no_jit, dhr_error *err)
{
	dhr_rules_opts o;
	memset(&o, 0, sizeof o);
	o.includes = rules_path ? DHR_INCLUDE_FILES : DHR_INCLUDE_EMBEDDED;
	o.no_jit = no_jit;
	return dhr_rules_compile_buffer(out, rules_path ? rules_path : "rules/learn.rules", text,
	                                strlen(text), &o, err);
}

static int engine_new(engine *E, const char *text, const char *rules_path, const char *facet,
                      const char *label, dhr_error *err)
{
	memset(E, 0, sizeof *E);
	/* each copy runs on a few texts: JIT compiling would cost more than it saves */
	int rc = compile_flat(&E->r, text, rules_path, 1, err);
	if (rc < 0)
		return rc;
	if ((rc = dhr_classifier_new(&E->c, E->r, NULL, NULL)) < 0 || !(E->res = dhr_result_new())) {
		engine_free(E);
		return dhr_error_set(err, DHR_ENOMEM, "out of memory");
	}
	E->facet = dhr_rules_facet_find(E->r, facet);
	E->label = E->facet >= 0 ? dhr_rules_label_find(E->r, (size_t)E->facet, label) : -1;
	E->cov_facet = dhr_rules_facet_find(E->r, "__learn");
	E->cov_label = E->cov_facet >= 0 ? dhr_rules_label_find(E->r, (size_t)E->cov_facet, "__cand") : -1;
	if (E->label < 0) {
		engine_free(E);
		return dhr_error_set(err, DHR_ERROR, "label %s.%s lost in a copy of the rules", facet, label);
	}
	return 0;
}

/* classify example i; *fires: the label is given; *cov: the extra line matched (its span in *fl) */
static int engine_run(engine *E, const dhr_learn_example *x, int single, int *fires, int *cov,
                      dhr_learn_flip *fl)
{
	int rc = dhr_classify_rec(E->res, E->c, x->text, x->agency_text);
	if (rc < 0)
		return rc;
	if (single) {
		const char *id = dhr_result_single(E->res, (size_t)E->facet);
		*fires = id && strcmp(id, dhr_rules_label(E->r, (size_t)E->label)->id) == 0;
	} else {
		*fires = dhr_result_has(E->res, (size_t)E->label);
	}
	*cov = E->cov_label >= 0 && dhr_result_has(E->res, (size_t)E->cov_label);
	if (fl) {
		fl->start = fl->end = 0;
		fl->field = DHR_FIELD_TEXT;
		for (size_t i = 0; *cov && i < dhr_result_evidence_count(E->res); i++) {
			const dhr_evidence *ev = dhr_result_evidence(E->res, i);
			if (ev->label == (size_t)E->cov_label) {
				fl->start = ev->start;
				fl->end = ev->end;
				fl->field = ev->field;
				break;
			}
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- the learner */

typedef struct learner {
	const dhr_learn_example *ex;
	size_t n;
	exlex *lex;
	windex W;
	int *fold;
	int k;
	size_t n_groups;
	flatmodel M;
	char *flat;
	dhr_learn_opts o;
	size_t n_verified;
	GHashTable *inserts; /* "facet\tlabel" -> GString of the lines chosen for it (opts.apply) */
	dhr_classifier *cls; /* on the whole rules: evidence of the false positives */
	dhr_result *res;
} learner;

static int lits_in(const char *lits, const char *low)
{
	if (!lits)
		return 1;
	for (const char *l = lits; *l; l += strlen(l) + 1)
		if (!strstr(low, l))
			return 0;
	return 1;
}

static const char *fields_spec(const dhr_facet_info *fi)
{
	int at = 0;
	for (size_t i = 0; i < fi->n_fields; i++)
		at |= fi->fields[i] == DHR_FIELD_AGENCY_TEXT;
	return at ? "agency_text, text" : "text";
}

/*
 * Run `ins` (lines for the label, NULL-terminated) through the engine at
 * `scope`, on the examples whose text holds `lits`: now[] gets the label's
 * new state, flips the changes. @return 0 or a negative status.
 */
static const dhr_learn_labels *labels_for(const dhr_learn_example *x, const char *facet);

/*
 * (`correct`, when not NULL, receives for a single facet how many examples
 * get their gold label of the facet, whichever it is: a line that gives one
 * label texts of another must not pass for a gain.)
 */
static int verify(learner *Ln, lctx *X, int scope, const char *const *ins, const char *cov, const char *lits,
                  const char *cov_fields, uint8_t *now, GArray *flips, int veto, long *hits, long *hits_right,
                  long *correct, dhr_error *err)
{
	char *text = scoped_text(&Ln->M, X->facet, X->label, scope, ins, cov, cov_fields);
	engine E;
	int rc = engine_new(&E, text, Ln->o.rules_path, X->facet, X->label, err);
	g_free(text);
	if (rc < 0)
		return rc;
	Ln->n_verified++;
	*hits = *hits_right = 0;
	if (correct)
		*correct = 0;
	for (size_t i = 0; i < X->n; i++) {
		now[i] = X->base[i];
		if ((X->mask && !X->mask[i]) || !lits_in(lits, Ln->lex[i].low))
			continue;
		int fires = 0, c = 0;
		dhr_learn_flip fl;
		memset(&fl, 0, sizeof fl);
		if ((rc = engine_run(&E, &Ln->ex[i], X->single, &fires, &c, &fl)) < 0)
			break;
		now[i] = (uint8_t)fires;
		if (correct && X->single) {
			const dhr_learn_labels *ls = labels_for(&Ln->ex[i], X->facet);
			const char *got = dhr_result_single(E.res, (size_t)E.facet);
			*correct += ls && ls->n && got && strcmp(ls->ids[0], got) == 0;
		}
		if (c && !veto) { /* a match line: the texts it matches, those that have the label */
			(*hits)++;
			*hits_right += X->y[i];
		} else if (c &&
		           X->base[i]) { /* a veto: the labelled texts it touches, those labelled wrongly */
			(*hits)++;
			*hits_right += !X->y[i];
		}
		int kind = flip_kind(X->y[i], X->base[i], fires);
		if (kind >= 0 && flips) {
			fl.example = i;
			fl.kind = (dhr_learn_flip_kind)kind;
			g_array_append_val(flips, fl);
		}
	}
	engine_free(&E);
	return rc;
}

static void fold_stats(foldstat *fs, const lctx *X, const dhr_learn_flip *fl, size_t n)
{
	memset(fs, 0, (size_t)X->k * sizeof *fs);
	for (size_t i = 0; i < n; i++)
		fs[X->fold[fl[i].example]].d[fl[i].kind]++;
}

static void cand_result_free(dhr_learn_cand *c)
{
	g_free(c->line);
	g_free(c->flips);
}

static int cmp_final(const void *pa, const void *pb)
{
	const dhr_learn_cand *a = pa, *b = pb;
	if (a->cv_gain != b->cv_gain)
		return a->cv_gain > b->cv_gain ? -1 : 1;
	if (a->fit_gain != b->fit_gain)
		return a->fit_gain > b->fit_gain ? -1 : 1;
	if (a->precision != b->precision)
		return a->precision > b->precision ? -1 : 1;
	if (a->hits != b->hits && a->kind == DHR_RULE_MATCH && b->kind == DHR_RULE_MATCH)
		return a->hits > b->hits ? -1 : 1; /* as right, on more texts: more general */
	if (a->kind != b->kind)
		return a->kind == DHR_RULE_EXCEPT   ? -1
		       : b->kind == DHR_RULE_EXCEPT ? 1
		                                    : 0; /* except is local */
	/* shorter first, not counting the `*`: "champion*" over "champions" (the same texts, and any plural)
	 */
	int sa = strchr(a->line, '*') != NULL, sb = strchr(b->line, '*') != NULL;
	size_t la = strlen(a->line) - (size_t)sa, lb = strlen(b->line) - (size_t)sb;
	if (la != lb)
		return la < lb ? -1 : 1;
	if (sa != sb)
		return sa ? -1 : 1;
	return strcmp(a->line, b->line);
}

/* does `b` put right only examples that `a` puts right already (so it adds nothing next to a)? */
static int adds_nothing(const dhr_learn_cand *b, const dhr_learn_cand *a)
{
	size_t j = 0;
	for (size_t i = 0; i < b->n_flips; i++) {
		const dhr_learn_flip *f = &b->flips[i];
		if (f->kind != DHR_FLIP_GAINED && f->kind != DHR_FLIP_FIXED_FP)
			continue;
		while (j < a->n_flips && a->flips[j].example < f->example)
			j++;
		if (j >= a->n_flips || a->flips[j].example != f->example || a->flips[j].kind != f->kind)
			return 0;
	}
	return 1;
}

/* estimate the candidate over the posting list of its feature */
static void estimate(cand *c, const feat *F, const lctx *X, foldstat *fs)
{
	memset(fs, 0, (size_t)X->k * sizeof *fs);
	guint64 h = 1469598103934665603ULL;
	for (size_t p = 0; p < F->ex.n; p++) {
		if (F->type == FT_PAIR && !pair_hits(F, p, c->op, c->dist))
			continue;
		uint32_t i = F->ex.v[p];
		if (X->mask && !X->mask[i])
			continue;
		int now = c->kind == DHR_RULE_MATCH ? 1 : 0;
		if (c->kind != DHR_RULE_MATCH && !X->base[i])
			continue;
		int kind =
		    flip_kind(X->y[i], X->base[i], c->kind == DHR_RULE_MATCH ? (X->base[i] | now) : now);
		if (kind < 0)
			continue;
		fs[X->fold[i]].d[kind]++;
		h = (h ^ ((guint64)i * 4 + (guint64)kind)) * 1099511628211ULL;
	}
	c->sig = h;
	score_flips(&c->est, X, fs, c->kind == DHR_RULE_MATCH);
}

/* F1 of the label on the examples with the label's state `now` */
static double f1_now(const lctx *X, const uint8_t *now)
{
	counts c = {0, 0, 0};
	for (size_t i = 0; i < X->n; i++) {
		if (X->mask && !X->mask[i])
			continue;
		c.tp += X->y[i] && now[i];
		c.fp += !X->y[i] && now[i];
		c.fn += X->y[i] && !now[i];
	}
	return f1_of(c);
}

/* opts.apply: the lines that gain held out and raise the F1 together, in rank order */
static int choose(learner *Ln, lctx *X, dhr_learn_label *L, int scope, uint8_t *now, dhr_error *err)
{
	GPtrArray *ins = g_ptr_array_new();
	double f1 = L->f1;
	long correct = 0, h = 0, hr = 0;
	int rc = 0;
	if (X->single && L->n_cands) { /* how many get their gold label of the facet now */
		g_ptr_array_add(ins, NULL);
		rc = verify(Ln, X, scope, (const char *const *)ins->pdata, NULL, NULL, "text", now, NULL, 0,
		            &h, &hr, &correct, err);
		g_ptr_array_remove_index(ins, ins->len - 1);
	}
	for (size_t i = 0; i < L->n_cands && rc == 0; i++) {
		dhr_learn_cand *c = &L->cands[i];
		/* held-out gain, and right on most of what it matches: on a small gold a line right on
		   half its texts gains on paper and costs on the next texts (README: --apply) */
		if (c->cv_gain <= 1e-12 || c->precision + 1e-12 < Ln->o.apply_precision)
			continue;
		g_ptr_array_add(ins, c->line);
		g_ptr_array_add(ins, NULL);
		long ok = 0;
		rc = verify(Ln, X, scope, (const char *const *)ins->pdata, NULL, NULL, "text", now, NULL, 0,
		            &h, &hr, &ok, err);
		g_ptr_array_remove_index(ins, ins->len - 1);
		double f = rc == 0 ? f1_now(X, now) : f1;
		if (rc == 0 && f > f1 + 1e-12 && (!X->single || ok >= correct)) {
			f1 = f;
			correct = ok;
			c->applied = 1;
			L->n_applied++;
		} else {
			g_ptr_array_remove_index(ins, ins->len - 1);
		}
	}
	L->f1_applied = f1;
	if (rc == 0 && L->n_applied) {
		GString *g = g_string_new(NULL);
		for (size_t i = 0; i < L->n_cands; i++) {
			const dhr_learn_cand *c = &L->cands[i];
			if (!c->applied)
				continue;
			if (c->kind == DHR_RULE_MATCH)
				g_string_append_printf(g,
				                       "  # dhr learn from %s: puts %ld right, %ld wrong; "
				                       "precision %.2f (%ld of %ld)",
				                       Ln->o.gold_name ? Ln->o.gold_name : "the examples",
				                       c->gained, c->new_fp, c->precision, c->hits_right,
				                       c->hits);
			else
				g_string_append_printf(g,
				                       "  # dhr learn from %s: removes %ld wrong, loses %ld "
				                       "right; precision %.2f (%ld of %ld)",
				                       Ln->o.gold_name ? Ln->o.gold_name : "the examples",
				                       c->fixed_fp, c->lost, c->precision, c->hits_right,
				                       c->hits);
			g_string_append_printf(g, "; F1 %+.3f, held out %+.3f\n%s\n", c->fit_gain, c->cv_gain,
			                       c->line);
		}
		/* one insert, so the lines go in together */
		if (g->len && g->str[g->len - 1] == '\n')
			g_string_truncate(g, g->len - 1);
		g_hash_table_insert(Ln->inserts, g_strdup_printf("%s\t%s", X->facet, X->label), g);
	}
	g_ptr_array_free(ins, TRUE);
	return rc;
}

typedef struct foreign_at {
	GHashTable *set;
	const uint8_t *on;
	size_t a;
} foreign_at;

static int foreign_phrase(void *payload, const char *key, size_t last, int stem)
{
	(void)stem;
	foreign_at *x = payload;
	for (size_t b = x->a; b <= last; b++)
		if (x->on[b]) {
			g_hash_table_add(x->set, g_strdup(key));
			break;
		}
	return 0;
}

/* The phrase keys (as the index makes them: 1-3 words, the last also as a stem) of example `i`
 * that lie on a hit by which another label of facet `facet` holds there. Such a phrase is that
 * label's own vocabulary ("risk assessment" for risk_assessment): a multi-label codebook gives a
 * text every theme that fits, so another theme's words are no evidence against this one, and an
 * `unless` on them is not proposed. @return a set (free with g_hash_table_destroy) or NULL. */
static GHashTable *foreign_keys(learner *Ln, const dhr_rules *full, size_t facet, size_t label, size_t i)
{
	if (dhr_classify_rec(Ln->res, Ln->cls, Ln->ex[i].text, Ln->ex[i].agency_text) < 0)
		return NULL;
	const exlex *E = &Ln->lex[i];
	uint8_t *on = g_new0(uint8_t, E->n ? E->n : 1);
	int any = 0;
	for (size_t v = 0; v < dhr_result_evidence_count(Ln->res); v++) {
		const dhr_evidence *ev = dhr_result_evidence(Ln->res, v);
		if (ev->label == label || ev->kind != DHR_RULE_MATCH || !ev->label_fired ||
		    dhr_rules_label(full, ev->label)->facet != facet)
			continue;
		for (size_t a = 0; a < E->n; a++) {
			const tok *t = &E->t[a];
			if (t->field != ev->field)
				continue;
			int hit = t->os < ev->end && ev->start < t->oe;
			for (int p = 0; p < ev->n_parts && !hit; p++)
				hit = t->os < ev->part_end[p] && ev->part_start[p] < t->oe;
			if (hit)
				on[a] = 1, any = 1;
		}
	}
	GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GString *k = g_string_new(NULL);
	foreign_at x = {set, on, 0};
	for (size_t a = 0; any && a < E->n; a++) {
		if (E->t[a].stop || E->t[a].skip)
			continue;
		x.a = a;
		phrase_keys(E, a, k, foreign_phrase, &x);
	}
	g_string_free(k, TRUE);
	g_free(on);
	return set;
}

typedef struct except_at {
	learner *Ln;
	const lctx *X;
	foldstat *fs;
	GArray *cands;
	uint8_t *seen;
	const exlex *E;
	const dhr_evidence *ev;
	size_t a;
	int min_support;
} except_at;

/* An except candidate: a phrase of the index on the hit a false positive fired on, with a word of
 * its context beyond the hit (an except on the hit's own words, "except guidance" under policy,
 * would switch the rule off everywhere). */
static int except_phrase(void *payload, const char *key, size_t last, int stem)
{
	except_at *x = payload;
	if (stem)
		return 0;
	int in = 0, beyond = 0;
	for (size_t b = x->a; b <= last; b++) {
		const tok *t = &x->E->t[b];
		if (t->os < x->ev->end && x->ev->start < t->oe)
			in = 1;
		else if (!t->stop)
			beyond = 1;
	}
	gpointer hit = in && beyond ? g_hash_table_lookup(x->Ln->W.by_key, key) : NULL;
	if (!hit)
		return 0;
	size_t fi = GPOINTER_TO_SIZE(hit) - 1;
	if (x->seen[fi] & 4)
		return 0;
	x->seen[fi] |= 4;
	cand c;
	memset(&c, 0, sizeof c);
	c.feat = fi;
	c.kind = DHR_RULE_EXCEPT;
	estimate(&c, &x->Ln->W.f.v[fi], x->X, x->fs);
	if (c.est.d[DHR_FLIP_FIXED_FP] < x->min_support)
		return 0;
	c.cost = 2 * (int)strlen(key) - 1;
	g_array_append_val(x->cands, c);
	return 0;
}

static int learn_label(learner *Ln, const dhr_rules *full, size_t facet, size_t label, const uint8_t *y,
                       const uint8_t *base, const uint8_t *mask, dhr_learn_label *out, dhr_error *err)
{
	const dhr_facet_info *fi = dhr_rules_facet(full, facet);
	const dhr_label_info *li = dhr_rules_label(full, label);
	lctx X;
	memset(&X, 0, sizeof X);
	X.facet = fi->name;
	X.label = li->id;
	X.single = fi->single;
	X.y = (uint8_t *)y;
	X.base = (uint8_t *)base;
	X.k = Ln->k;
	X.fold = Ln->fold;
	X.n = Ln->n;
	X.mask = mask;
	X.fold_base = g_new0(counts, (gsize)Ln->k);
	for (size_t i = 0; i < Ln->n; i++) {
		if (mask && !mask[i])
			continue;
		counts *c = &X.fold_base[Ln->fold[i]];
		c->tp += y[i] && base[i];
		c->fp += !y[i] && base[i];
		c->fn += y[i] && !base[i];
		X.all.tp += y[i] && base[i];
		X.all.fp += !y[i] && base[i];
		X.all.fn += y[i] && !base[i];
	}
	out->tp = X.all.tp;
	out->fp = X.all.fp;
	out->fn = X.all.fn;
	out->f1 = f1_of(X.all);
	int rc = 0;
	foldstat *fs = g_new0(foldstat, (gsize)Ln->k);
	GArray *cands = g_array_new(FALSE, TRUE, sizeof(cand));
	GArray *done = g_array_new(FALSE, TRUE, sizeof(dhr_learn_cand));
	uint8_t *now = g_new0(uint8_t, Ln->n ? Ln->n : 1), *seen = g_new0(uint8_t, Ln->W.f.n ? Ln->W.f.n : 1);
	GArray *flips = g_array_new(FALSE, TRUE, sizeof(dhr_learn_flip));
	const char *cov_fields = fields_spec(fi);
	int top = Ln->o.top, min_support = Ln->o.min_support;

	/* 1. candidates from the index: match lines from false negatives, unless lines from false positives
	 */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < Ln->n; i++) {
			int want = pass == 0 ? (y[i] && !base[i]) : (!y[i] && base[i]);
			if (!want || (mask && !mask[i]))
				continue;
			GHashTable *foreign = pass == 1 ? foreign_keys(Ln, full, facet, label, i) : NULL;
			for (size_t q = 0; q < Ln->lex[i].feats.n; q++) {
				uint32_t fi2 = Ln->lex[i].feats.v[q];
				if (seen[fi2] & (1 << pass))
					continue;
				seen[fi2] |= (uint8_t)(1 << pass);
				const feat *F = &Ln->W.f.v[fi2];
				if (pass == 1 && (F->type != FT_PHRASE || F->nw < 2))
					continue; /* a lone word vetoing a label is rarely what a reader means
					           */
				if (foreign && g_hash_table_contains(foreign, F->key)) {
					seen[fi2] &= (uint8_t) ~(1 << pass); /* it may still be no other label's elsewhere */
					continue;
				}
				if (F->type == FT_PHRASE && F->nw == 1 && strlen(F->key) < 4 && !F->acro)
					continue; /* "non", "aid": a fragment, not a term (acronyms such as GP
					             stay) */
				static const int dists[] = {2, 4, 8};
				int nvar = F->type == FT_PHRASE ? 1 : 9;
				for (int v = 0; v < nvar; v++) {
					cand c;
					memset(&c, 0, sizeof c);
					c.feat = fi2;
					c.kind = pass == 0 ? DHR_RULE_MATCH : DHR_RULE_UNLESS;
					c.op = F->type == FT_PHRASE ? OP_PHRASE : 1 + v / 3;
					c.dist = F->type == FT_PHRASE ? 0 : dists[v % 3];
					estimate(&c, F, &X, fs);
					long good =
					    pass == 0 ? c.est.d[DHR_FLIP_GAINED] : c.est.d[DHR_FLIP_FIXED_FP];
					if (good < min_support || c.est.fit <= 0)
						continue;
					c.cost =
					    2 * ((int)strlen(F->key) +
					         (F->type == FT_PAIR ? 12 + (c.op == OP_NEAR ? 0 : 2) + c.dist
					                             : 0)) -
					    3 * (strchr(F->key, '*') != NULL);
					g_array_append_val(cands, c);
				}
			}
			if (foreign)
				g_hash_table_destroy(foreign);
		}
	}
	/* except lines: a phrase around the hit a false positive was labelled on (the hit and a word of
	 * context). The index cannot tell which hits an except span would remove, so its estimate (the
	 * label gone wherever the phrase occurs) is a floor: they are shortlisted on the false
	 * positives they are found in and judged on the engine. */
	GString *k = g_string_new(NULL);
	for (size_t i = 0; i < Ln->n && rc == 0; i++) {
		if (!(!y[i] && base[i]) || (mask && !mask[i]))
			continue;
		if ((rc = dhr_classify_rec(Ln->res, Ln->cls, Ln->ex[i].text, Ln->ex[i].agency_text)) < 0)
			break;
		const exlex *E = &Ln->lex[i];
		for (size_t v = 0; v < dhr_result_evidence_count(Ln->res); v++) {
			const dhr_evidence *ev = dhr_result_evidence(Ln->res, v);
			if (ev->label != label || ev->kind != DHR_RULE_MATCH || ev->label_ref)
				continue;
			except_at x = {Ln, &X, fs, cands, seen, E, ev, 0, min_support};
			for (size_t a = 0; a < E->n; a++) {
				if (E->t[a].stop || E->t[a].field != ev->field)
					continue;
				x.a = a;
				phrase_keys(E, a, k, except_phrase, &x);
			}
		}
	}
	g_string_free(k, TRUE);
	if (cands->len > 1)
		qsort(cands->data, cands->len, sizeof(cand), cmp_est);

	/* 2. a shortlist per kind, one per set of flipped examples */
	GHashTable *sigs = g_hash_table_new(g_int64_hash, g_int64_equal);
	int n_match = 0, n_unless = 0;
	int max_match = top * 3 + 5, max_unless = top * 2 + 4;
	GArray *sl = g_array_new(FALSE, TRUE, sizeof(cand));
	for (guint i = 0; i < cands->len; i++) {
		cand *c = &g_array_index(cands, cand, i);
		if (g_hash_table_contains(sigs, &c->sig))
			continue;
		if (c->kind == DHR_RULE_MATCH ? n_match >= max_match : n_unless >= max_unless)
			continue;
		/* the same flips by an unless and an except: the except (it is local) sorts first on cost */
		g_hash_table_add(sigs, &c->sig);
		*(c->kind == DHR_RULE_MATCH ? &n_match : &n_unless) += 1;
		g_array_append_val(sl, *c);
	}
	g_hash_table_destroy(sigs);

	/* 3. the label alone (or its facet) must behave as in the whole rules, else check on the whole */
	int scope = fi->single ? 1 : 0;
	if (sl->len > 0) {
		long h = 0, hr = 0;
		rc = verify(Ln, &X, scope, NULL, NULL, NULL, cov_fields, now, NULL, 0, &h, &hr, NULL, err);
		if (rc == 0 && memcmp(now, base, Ln->n) != 0)
			rc = -1;
		if (rc < 0) {
			dhr_error_clear(err);
			scope = 2;
			out->verified_full = 1;
			rc = 0;
		}
	}
	for (guint s = 0; s < sl->len && rc == 0; s++) {
		cand *c = &g_array_index(sl, cand, s);
		cand_text(c, &Ln->W.f.v[c->feat]);
		const char *ins[2] = {c->line, NULL};
		char *covline = NULL;
		if (c->kind == DHR_RULE_MATCH) {
			covline = g_strdup(c->line + 2);
		} else {
			const char *sp = strchr(c->line + 2, ' ');
			covline = g_strconcat("match", sp, NULL);
		}
		g_array_set_size(flips, 0);
		long hits = 0, right = 0;
		rc = verify(Ln, &X, scope, ins, covline, c->lits, cov_fields, now, flips,
		            c->kind != DHR_RULE_MATCH, &hits, &right, NULL, err);
		g_free(covline);
		if (rc < 0)
			break;
		dhr_learn_cand r;
		memset(&r, 0, sizeof r);
		fold_stats(fs, &X, (dhr_learn_flip *)flips->data, flips->len);
		score S;
		score_flips(&S, &X, fs, c->kind == DHR_RULE_MATCH);
		r.kind = c->kind;
		r.gained = S.d[DHR_FLIP_GAINED];
		r.new_fp = S.d[DHR_FLIP_NEW_FP];
		r.lost = S.d[DHR_FLIP_LOST];
		r.fixed_fp = S.d[DHR_FLIP_FIXED_FP];
		r.hits = hits;
		/* match: of the texts it matches, the share with the label; unless/except: of the labelled
		   texts it touches (whether or not it removes the label there), the share labelled wrongly,
		   so that a word common in the label's own texts ("guidance" for policy) is not taken for a
		   mark of the wrong ones */
		r.hits_right = right;
		r.precision = hits ? (double)right / (double)hits : 0;
		r.fit_gain = S.fit;
		r.f1_after = out->f1 + S.fit;
		r.cv_gain = S.cv;
		r.cv_gained = S.cvd[DHR_FLIP_GAINED];
		r.cv_new_fp = S.cvd[DHR_FLIP_NEW_FP];
		r.cv_lost = S.cvd[DHR_FLIP_LOST];
		r.cv_fixed_fp = S.cvd[DHR_FLIP_FIXED_FP];
		r.cv_folds = S.cv_folds;
		long good = c->kind == DHR_RULE_MATCH ? r.gained : r.fixed_fp;
		if (good < min_support || r.fit_gain <= 1e-12 || r.precision + 1e-12 < Ln->o.min_precision)
			continue;
		r.line = g_strdup(c->line);
		r.n_flips = flips->len;
		r.flips = g_memdup2(flips->data, flips->len * sizeof(dhr_learn_flip));
		g_array_append_val(done, r);
	}
	if (rc == 0) {
		if (done->len > 1)
			qsort(done->data, done->len, sizeof(dhr_learn_cand), cmp_final);
		/* drop a line whose every correction a better-ranked line makes already, then keep the top */
		GArray *keep = g_array_new(FALSE, TRUE, sizeof(dhr_learn_cand));
		for (guint i = 0; i < done->len; i++) {
			dhr_learn_cand *c = &g_array_index(done, dhr_learn_cand, i);
			int dup = 0;
			for (guint j = 0; j < keep->len && !dup; j++)
				dup = adds_nothing(c, &g_array_index(keep, dhr_learn_cand, j));
			if (dup || (int)keep->len >= top)
				cand_result_free(c);
			else
				g_array_append_val(keep, *c);
		}
		out->n_cands = keep->len;
		out->cands = (dhr_learn_cand *)(void *)g_array_free(keep, FALSE);
		g_array_set_size(done, 0);
	}
	out->f1_applied = out->f1;
	if (rc == 0 && Ln->o.apply)
		rc = choose(Ln, &X, out, scope, now, err);
	for (guint i = 0; i < done->len; i++)
		cand_result_free(&g_array_index(done, dhr_learn_cand, i));
	for (guint i = 0; i < cands->len; i++) {
		g_free(g_array_index(cands, cand, i).line);
		g_free(g_array_index(cands, cand, i).lits);
	}
	for (guint i = 0; i < sl->len; i++) {
		g_free(g_array_index(sl, cand, i).line);
		g_free(g_array_index(sl, cand, i).lits);
	}
	g_array_free(sl, TRUE);
	g_array_free(cands, TRUE);
	g_array_free(done, TRUE);
	g_array_free(flips, TRUE);
	g_free(now);
	g_free(seen);
	g_free(fs);
	g_free(X.fold_base);
	return rc;
}

/* ---------------------------------------------------------------- the run */

void dhr_learn_result_free(dhr_learn_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->n_labels; i++) {
		dhr_learn_label *l = &res->labels[i];
		for (size_t c = 0; c < l->n_cands; c++)
			cand_result_free(&l->cands[c]);
		g_free(l->cands);
		g_free(l->facet);
		g_free(l->id);
		g_free(l->where);
	}
	g_free(res->labels);
	g_free(res->flat);
	g_free(res->applied);
	g_free(res->source);
	g_free(res);
}

static void free_gstring(gpointer p)
{
	g_string_free(p, TRUE);
}

static void learner_release(learner *Ln)
{
	for (size_t i = 0; Ln->lex && i < Ln->n; i++) {
		for (size_t t = 0; t < Ln->lex[i].n; t++) {
			g_free(Ln->lex[i].t[t].w);
			g_free(Ln->lex[i].t[t].stem);
		}
		g_free(Ln->lex[i].t);
		g_free(Ln->lex[i].low);
		free(Ln->lex[i].feats.v);
	}
	g_free(Ln->lex);
	for (size_t i = 0; i < Ln->W.f.n; i++) {
		feat *f = &Ln->W.f.v[i];
		g_free(f->key);
		free(f->ex.v);
		free(f->gab.v);
		free(f->gba.v);
	}
	free(Ln->W.f.v);
	if (Ln->W.by_key)
		g_hash_table_destroy(Ln->W.by_key);
	if (Ln->W.stop)
		g_hash_table_destroy(Ln->W.stop);
	g_free(Ln->fold);
	if (Ln->inserts)
		g_hash_table_destroy(Ln->inserts);
	flatmodel_free(&Ln->M);
	g_free(Ln->flat);
}

typedef struct gsize_pair {
	size_t size;
	size_t id;
	const char *name;
} gsize_pair;

static int cmp_groups(const void *pa, const void *pb)
{
	const gsize_pair *a = pa, *b = pb;
	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Deal the groups into folds, largest first, each to the fold with the fewest examples. */
static void make_folds(learner *Ln)
{
	GHashTable *ids = g_hash_table_new(g_str_hash, g_str_equal);
	size_t *gid = g_new0(size_t, Ln->n ? Ln->n : 1);
	size_t ng = 0;
	for (size_t i = 0; i < Ln->n; i++) {
		const char *g = Ln->ex[i].group;
		if (!g)
			continue;
		gpointer v = g_hash_table_lookup(ids, g);
		if (!v) {
			v = GSIZE_TO_POINTER(++ng);
			g_hash_table_insert(ids, (gpointer)g, v);
		}
		gid[i] = GPOINTER_TO_SIZE(v) - 1;
	}
	int own = ng < 2; /* one report or none named: the examples themselves are the units */
	size_t n_units = own ? Ln->n : ng;
	for (size_t i = 0; i < Ln->n; i++) {
		if (own)
			gid[i] = i;
		else if (!Ln->ex[i].group)
			gid[i] = (size_t)-1;
	}
	/* examples without a group beside named ones: each its own unit */
	for (size_t i = 0; !own && i < Ln->n; i++)
		if (gid[i] == (size_t)-1)
			gid[i] = n_units++;
	gsize_pair *gs = g_new0(gsize_pair, n_units ? n_units : 1);
	char **names = g_new0(char *, n_units ? n_units : 1);
	for (size_t u = 0; u < n_units; u++) {
		gs[u].id = u;
		gs[u].name = "";
	}
	for (size_t i = 0; i < Ln->n; i++) {
		gs[gid[i]].size++;
		if (!names[gid[i]])
			names[gid[i]] = own || !Ln->ex[i].group ? g_strdup_printf("#%08zu", i)
			                                        : g_strdup(Ln->ex[i].group);
		gs[gid[i]].name = names[gid[i]];
	}
	Ln->n_groups = n_units;
	Ln->k = Ln->o.folds;
	if ((size_t)Ln->k > n_units)
		Ln->k = (int)n_units;
	if (Ln->k < 1)
		Ln->k = 1;
	if (n_units > 1)
		qsort(gs, n_units, sizeof *gs, cmp_groups);
	size_t *load = g_new0(size_t, (gsize)Ln->k), *ufold = g_new0(size_t, n_units ? n_units : 1);
	for (size_t u = 0; u < n_units; u++) {
		int best = 0;
		for (int f = 1; f < Ln->k; f++)
			if (load[f] < load[best])
				best = f;
		load[best] += gs[u].size;
		ufold[gs[u].id] = (size_t)best;
	}
	Ln->fold = g_new0(int, Ln->n ? Ln->n : 1);
	for (size_t i = 0; i < Ln->n; i++)
		Ln->fold[i] = (int)ufold[gid[i]];
	for (size_t u = 0; u < n_units; u++)
		g_free(names[u]);
	g_free(names);
	g_free(load);
	g_free(ufold);
	g_free(gs);
	g_free(gid);
	g_hash_table_destroy(ids);
}

static const dhr_learn_labels *labels_for(const dhr_learn_example *x, const char *facet)
{
	for (size_t i = 0; i < x->n_labels; i++)
		if (x->labels[i].facet && strcmp(x->labels[i].facet, facet) == 0)
			return &x->labels[i];
	return NULL;
}

/* gold of label `label` of facet `fi` on every example, and which examples are labelled for the facet */
static int label_truth(learner *Ln, const dhr_rules *full, const dhr_facet_info *fi, size_t label, uint8_t *y,
                       uint8_t *mask)
{
	const char *id = dhr_rules_label(full, label)->id;
	int any = 0;
	for (size_t i = 0; i < Ln->n; i++) {
		const dhr_learn_labels *ls = labels_for(&Ln->ex[i], fi->name);
		mask[i] = ls && (!fi->single || ls->n > 0);
		y[i] = 0;
		for (size_t k = 0; mask[i] && k < ls->n && !(fi->single && k > 0); k++)
			if (ls->ids[k] && strcmp(ls->ids[k], id) == 0)
				y[i] = 1;
		any |= y[i];
	}
	return any;
}

/* the flattened rules with the chosen lines of every label, checked to compile */
static int applied_text(learner *Ln, dhr_learn_result *R, dhr_error *err)
{
	GString *g = g_string_new(NULL);
	g_string_append_printf(
	    g,
	    "# %s with the lines chosen by dhr learn from %s (%zu examples), includes inlined.\n"
	    "# Each chosen line is marked '# dhr learn'. Check: dhr rules check FILE; "
	    "measure: dhr eval -r FILE GOLD.\n",
	    R->source, Ln->o.gold_name ? Ln->o.gold_name : "the examples", Ln->n);
	const flatmodel *M = &Ln->M;
	for (size_t l = 0; l < M->lines.n; l++) {
		put_line(g, &M->lines.v[l]);
		for (size_t b = 0; b < M->blocks.n; b++) {
			const fblock *B = &M->blocks.v[b];
			if (B->last_rule != l || !B->label || !first_block_of(M, b, B->facet, B->label))
				continue;
			char *key = g_strdup_printf("%s\t%s", B->facet, B->label);
			GString *ins = g_hash_table_lookup(Ln->inserts, key);
			g_free(key);
			if (ins)
				g_string_append_printf(g, "%s\n", ins->str);
		}
	}
	for (size_t i = 0; i < R->n_labels; i++)
		R->n_applied += R->labels[i].n_applied;
	dhr_rules *r = NULL;
	int rc = compile_flat(&r, g->str, Ln->o.rules_path, 1, err);
	dhr_rules_free(r);
	if (rc < 0) {
		g_string_free(g, TRUE);
		return dhr_error_set(err, DHR_ERULES, "the rules with the chosen lines do not compile: %s",
		                     err->message);
	}
	R->applied = g_string_free(g, FALSE);
	return 0;
}

int dhr_learn_run(dhr_learn_result **out, const dhr_learn_example *ex, size_t n, const dhr_learn_opts *opts,
                  dhr_error *err)
{
	learner Ln;
	memset(&Ln, 0, sizeof Ln);
	dhr_rules *orig = NULL, *full = NULL;
	dhr_classifier *cls = NULL;
	dhr_result *res1 = NULL;
	dhr_learn_result *R = NULL;
	uint8_t *base = NULL, *y = NULL, *mask = NULL;
	GPtrArray *facets = NULL;
	char *lbuf = NULL;
	int rc = 0;
	*out = NULL;
	if (opts)
		Ln.o = *opts;
	if (Ln.o.top <= 0)
		Ln.o.top = 5;
	if (Ln.o.folds <= 0)
		Ln.o.folds = 5;
	if (Ln.o.min_support <= 0)
		Ln.o.min_support = 2;
	if (Ln.o.apply_precision <= 0)
		Ln.o.apply_precision = 0.75;
	if (Ln.o.apply_precision < Ln.o.min_precision)
		Ln.o.apply_precision = Ln.o.min_precision;
	Ln.ex = ex;
	Ln.n = n;
	Ln.inserts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_gstring);
	if (n == 0) {
		rc = dhr_error_set(err, DHR_EUSAGE, "no labelled examples");
		goto cleanup;
	}
	dhr_rules_opts ro;
	memset(&ro, 0, sizeof ro);
	if ((rc = dhr_rules_compile(&orig, Ln.o.rules_path, &ro, err)) < 0)
		goto cleanup;
	if ((rc = dhr_rules_flatten(&Ln.flat, Ln.o.rules_path, err)) < 0)
		goto cleanup;
	if ((rc = compile_flat(&full, Ln.flat, Ln.o.rules_path, 0, err)) < 0) {
		dhr_error_set(err, DHR_ERULES, "the rules with their includes inlined do not compile: %s",
		              err->message);
		goto cleanup;
	}
	if ((rc = flatmodel_build(&Ln.M, Ln.flat)) < 0)
		goto cleanup;

	/* which facets: those of the rules that some example is labelled for, in the rules' order */
	facets = g_ptr_array_new();
	for (size_t f = 0; f < dhr_rules_facet_count(full); f++) {
		const dhr_facet_info *fi = dhr_rules_facet(full, f);
		int used = 0;
		for (size_t i = 0; i < n && !used; i++)
			used = labels_for(&ex[i], fi->name) != NULL;
		if (used && fi->scope == DHR_SCOPE_RECOMMENDATION)
			g_ptr_array_add(facets, (gpointer)fi->name);
	}
	const char *want_facet = NULL, *want_id = Ln.o.label;
	if (want_id && strchr(want_id, '.')) {
		lbuf = g_strdup(want_id);
		*strchr(lbuf, '.') = '\0';
		want_facet = lbuf;
		want_id = lbuf + strlen(lbuf) + 1;
	}
	int found_label = 0;
	GString *fnames = g_string_new(NULL);
	for (guint f = 0; f < facets->len; f++) {
		const char *fname = g_ptr_array_index(facets, f);
		int fx = dhr_rules_facet_find(full, fname);
		g_string_append_printf(fnames, "%s%s", f ? " or " : "", fname);
		if (want_id && (!want_facet || strcmp(want_facet, fname) == 0) &&
		    dhr_rules_label_find(full, (size_t)fx, want_id) >= 0)
			found_label = 1;
	}
	if (facets->len == 0) {
		rc = dhr_error_set(err, DHR_EUSAGE, "the examples label no facet of the rules (%s)",
		                   dhr_rules_source(orig));
	} else if (want_id && !found_label) {
		rc = dhr_error_set(err, DHR_EUSAGE, "unknown label '%s' (not a label of facet %s in %s)",
		                   Ln.o.label, want_facet ? want_facet : fnames->str, dhr_rules_source(orig));
	}
	g_string_free(fnames, TRUE);
	if (rc < 0)
		goto cleanup;

	/* the index */
	Ln.W.by_key = g_hash_table_new(g_str_hash, g_str_equal);
	Ln.W.stop = g_hash_table_new(g_str_hash, g_str_equal);
	for (size_t i = 0; i < sizeof stopwords / sizeof stopwords[0]; i++)
		g_hash_table_add(Ln.W.stop, (gpointer)stopwords[i]);
	Ln.lex = g_new0(exlex, n);
	for (size_t i = 0; i < n && rc == 0; i++) {
		GString *low = g_string_new(NULL);
		rc = lex_field(&Ln.lex[i], &Ln.W, ex[i].text, DHR_FIELD_TEXT, low);
		if (rc == 0)
			rc = lex_field(&Ln.lex[i], &Ln.W, ex[i].agency_text, DHR_FIELD_AGENCY_TEXT, low);
		Ln.lex[i].low = g_string_free(low, FALSE);
	}
	/* a word in most examples ("domestic", "abuse" in a set of DHR recommendations) tells no label
	   apart: it is a stop word here, as "the" is anywhere */
	GHashTable *df = g_hash_table_new(g_str_hash, g_str_equal);
	for (size_t i = 0; i < n && rc == 0; i++) {
		GHashTable *mine = g_hash_table_new(g_str_hash, g_str_equal);
		for (size_t t = 0; t < Ln.lex[i].n; t++)
			if (g_hash_table_add(mine, Ln.lex[i].t[t].w))
				g_hash_table_insert(
				    df, Ln.lex[i].t[t].w,
				    GSIZE_TO_POINTER(
				        GPOINTER_TO_SIZE(g_hash_table_lookup(df, Ln.lex[i].t[t].w)) + 1));
		g_hash_table_destroy(mine);
	}
	for (size_t i = 0; i < n && rc == 0 && n >= 20; i++)
		for (size_t t = 0; t < Ln.lex[i].n; t++)
			if ((double)GPOINTER_TO_SIZE(g_hash_table_lookup(df, Ln.lex[i].t[t].w)) >
			    0.4 * (double)n)
				Ln.lex[i].t[t].stop = 1;
	g_hash_table_destroy(df);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = index_example(&Ln.W, &Ln.lex[i], (uint32_t)i);
	if (rc < 0) {
		dhr_error_set(err, rc, "out of memory");
		goto cleanup;
	}
	make_folds(&Ln);

	/* the current rules on every example */
	size_t nl = dhr_rules_label_count(full);
	base = g_new0(uint8_t, n * nl);
	y = g_new0(uint8_t, n);
	mask = g_new0(uint8_t, n);
	if ((rc = dhr_classifier_new(&cls, full, NULL, NULL)) < 0 || !(res1 = dhr_result_new())) {
		rc = dhr_error_set(err, DHR_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		if ((rc = dhr_classify_rec(res1, cls, ex[i].text, ex[i].agency_text)) < 0)
			break;
		for (size_t l = 0; l < nl; l++) {
			const dhr_facet_info *fi = dhr_rules_facet(full, dhr_rules_label(full, l)->facet);
			if (fi->single) {
				const char *id = dhr_result_single(res1, dhr_rules_label(full, l)->facet);
				base[l * n + i] = id && strcmp(id, dhr_rules_label(full, l)->id) == 0;
			} else {
				base[l * n + i] = (uint8_t)dhr_result_has(res1, l);
			}
		}
	}
	Ln.cls = cls;
	Ln.res = res1;
	R = g_new0(dhr_learn_result, 1);
	R->n_examples = n;
	R->source = g_strdup(dhr_rules_source(orig));
	GArray *labels = g_array_new(FALSE, TRUE, sizeof(dhr_learn_label));
	for (guint f = 0; f < facets->len && rc == 0; f++) {
		const char *fname = g_ptr_array_index(facets, f);
		int fx = dhr_rules_facet_find(full, fname);
		if (want_facet && strcmp(want_facet, fname) != 0)
			continue;
		const dhr_facet_info *fi = dhr_rules_facet(full, (size_t)fx);
		for (size_t j = 0; j < fi->n_labels && rc == 0; j++) {
			size_t l = fi->labels[j];
			const char *id = dhr_rules_label(full, l)->id;
			if (want_id && strcmp(want_id, id) != 0)
				continue;
			int any = label_truth(&Ln, full, fi, l, y, mask);
			if (!want_id && (!any || (fi->single && fi->default_label == (int)l)))
				continue; /* nothing to learn from (or the facet's default: it has no rules to
				             grow) */
			if (want_id && !any) {
				rc = dhr_error_set(err, DHR_EUSAGE, "no example is labelled %s (facet %s)",
				                   id, fname);
				break;
			}
			dhr_learn_label L;
			memset(&L, 0, sizeof L);
			L.facet = g_strdup(fname);
			L.id = g_strdup(id);
			int ofx = dhr_rules_facet_find(orig, fname);
			int ol = ofx >= 0 ? dhr_rules_label_find(orig, (size_t)ofx, id) : -1;
			L.where = g_strdup(ol >= 0 ? dhr_rules_label(orig, (size_t)ol)->where : "?");
			rc = learn_label(&Ln, full, (size_t)fx, l, y, base + l * n, mask, &L, err);
			g_array_append_val(labels, L);
		}
	}
	R->n_labels = labels->len;
	R->labels = (dhr_learn_label *)(void *)g_array_free(labels, FALSE);
	R->folds = Ln.k;
	R->n_groups = Ln.n_groups;
	R->n_verified = Ln.n_verified;
	if (rc == 0 && Ln.o.apply)
		rc = applied_text(&Ln, R, err);
	R->flat = Ln.flat;
	Ln.flat = NULL;
	if (rc == 0) {
		*out = R;
		R = NULL;
	}
cleanup:
	if (facets)
		g_ptr_array_free(facets, TRUE);
	g_free(lbuf);
	dhr_learn_result_free(R);
	dhr_result_free(res1);
	dhr_classifier_free(cls);
	dhr_rules_free(full);
	dhr_rules_free(orig);
	g_free(base);
	g_free(y);
	g_free(mask);
	learner_release(&Ln);
	return rc;
}
