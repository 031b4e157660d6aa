/*
 * classify/internal.h: the private data structures of the rules engine,
 * shared by the parser (parse.c), the literal prefilter (prefilter.c), the
 * text normaliser (normalize.c) and the matcher (match.c). Nothing here is
 * part of the public API (include/dhr/rules.h).
 */
#ifndef DHR_CLASSIFY_INTERNAL_H
#define DHR_CLASSIFY_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "dhr/rules.h"

/* ---------------------------------------------------------------- growable arrays */

/* A typed growable array without GLib in the hot path: `DHR_VEC(T) v = {0}`. */
#define DHR_VEC(T)                                                                                           \
	struct {                                                                                             \
		T *v;                                                                                        \
		size_t n, cap;                                                                               \
	}

/* Make room for one more element; evaluates to 0 or -1 (out of memory). */
#define DHR_VEC_RESERVE(vec, extra) dhr_vec_reserve((void **)&(vec).v, &(vec).cap, (vec).n + (extra), sizeof *(vec).v)

int dhr_vec_reserve(void **v, size_t *cap, size_t need, size_t elem);

/* ---------------------------------------------------------------- text normalisation */

/**
 * One input text prepared for matching. `norm` is the normalised text (NFKD
 * compatibility forms, non-spacing marks dropped, quotes/dashes folded,
 * whitespace runs collapsed; case kept so that case-sensitive patterns
 * work), `low` the same bytes with ASCII letters lower-cased (for the
 * literal prefilter), and map[i] the byte offset in the original text of the
 * character that produced norm[i] (map[nlen] = olen).
 */
typedef struct dhr_ntext {
	const char *orig;
	size_t olen;
	char *norm, *low;
	uint32_t *map;
	size_t nlen, cap;
	/* word/sentence index, built on first use by proximity rules */
	uint32_t *wc; /* number of word starts in norm[0..i] (inclusive) */
	uint32_t *sc; /* number of sentence breaks in norm[0..i] (inclusive) */
	size_t idx_cap;
	int idx_ready;
} dhr_ntext;

/** Normalise `s` (len bytes) into t, reusing t's buffers. @return 0 or DHR_ENOMEM. */
int dhr_ntext_set(dhr_ntext *t, const char *s, size_t len);

/** Build t->wc and t->sc if not done yet. @return 0 or DHR_ENOMEM. */
int dhr_ntext_index(dhr_ntext *t);

/**
 * 1 if the character at norm[i] (a lead byte) is a word character as the
 * proximity index counts words: a letter, digit or underscore, or an
 * apostrophe inside a word ("children's"). For `dhr learn`'s word index.
 */
int dhr_ntext_is_word(const dhr_ntext *t, size_t i);

/** Release t's buffers (t itself is the caller's). */
void dhr_ntext_release(dhr_ntext *t);

/** Original byte offset of normalised start offset `s`. */
size_t dhr_ntext_ostart(const dhr_ntext *t, size_t s);

/** Original byte offset just past the character that produced norm[e-1]. */
size_t dhr_ntext_oend(const dhr_ntext *t, size_t e);

/**
 * Normalise a pattern's source the same way as text, except that ASCII is
 * left alone (escapes such as \W must keep their case) and whitespace is not
 * collapsed. map[i] = offset in `src` of the char that produced out[i].
 * @return 0 or DHR_ENOMEM; *out and *map are malloc'd.
 */
int dhr_normalize_pattern(char **out, size_t *outlen, uint32_t **map, const char *src, size_t len);

/* ---------------------------------------------------------------- literal prefilter */

/** A multi-string matcher (Aho-Corasick DFA over lower-case ASCII). */
typedef struct dhr_ac dhr_ac;

/**
 * Derive from a PCRE2 pattern (already normalised) a set of lower-case
 * literals of which every match must contain at least one. @param out
 * receives a NUL-separated list ("a\0b\0") with *n_out strings, malloc'd.
 * @return 1 if a useful set was found, 0 if the pattern must always run,
 * -1 on out of memory.
 */
int dhr_prefilter_literals(char **out, size_t *n_out, const char *pat, size_t len, int extended);

/**
 * Like dhr_prefilter_literals(), but the literals every match must START
 * with (after zero-width assertions such as \b), each at least 2 bytes. A
 * pattern with such a set is run anchored at their occurrences only.
 * @return 1 found, 0 none, -1 out of memory.
 */
int dhr_prefilter_prefixes(char **out, size_t *n_out, const char *pat, size_t len, int extended);

/** The alphabet class of a lower-case byte: 1..41, or 0 for "not in any literal". */
extern const unsigned char dhr_ac_class[256];

/* ---------------------------------------------------------------- compiled rules */

enum { DHR_OP_ONE = 0, DHR_OP_NEAR, DHR_OP_BEFORE, DHR_OP_LABEL };

/** One compiled pattern (shared by every rule line with the same source and flags). */
typedef struct dhr_rx {
	pcre2_code *code;
	pcre2_code *anch;   /* the same pattern compiled PCRE2_ANCHORED, when it has prefix literals */
	/* JIT-compiled copies of code and anch, made by the matcher once the
	 * pattern has run a few times (most patterns of a rules file run on few
	 * texts or none, and JIT compiling all of them cost more than they
	 * saved on a rerun); published atomically, never changed after */
	pcre2_code *jit_code, *jit_anch;
	int uses;           /* runs so far, counted atomically, until the JIT copies exist */
	int jit_failed;     /* JIT unavailable for this pattern: the interpreter runs it */
	int interp;         /* never JIT-compiled (list entries: short, anchored, many; compiling
			     * hundreds of them cost more than it saved, in time and code cache) */
	int always;         /* no literal prefilter: always run */
	char *where;        /* "file:line" of the first rule using it (for limit warnings) */
	char *file;         /* that rule's file and line, for the warning */
	int line;
	char *line_text;    /* that line, for the warning's source line */
	int col;            /* column of the pattern */
	int list;           /* a list's pattern (`list "x.txt"`): 1 + its index in rules->lists, and
			     * code is NULL: its hits are those of its entries' patterns; else 0 */
} dhr_rx;

/* One entry of a list file: a name, compiled as its own pattern. */
typedef struct dhr_list_entry {
	int rx;      /* pattern index (entries written alike share one) */
	int line;    /* 1-based line in the list file */
	char *where; /* "file:line" of the entry */
	char *text;  /* the entry as written (comment and blanks trimmed) */
} dhr_list_entry;

/*
 * A list file (`match list "gazetteer/police-forces.txt"`): each entry is its
 * own pattern, so each has its own literals in the prefilter and only the
 * entries whose words occur in a text are ever run; the list's own pattern
 * (dhr_rx.list) takes the union of their hits.
 */
typedef struct dhr_list {
	char *file;                     /* as opened ("rules/gazetteer/police-forces.txt") */
	DHR_VEC(dhr_list_entry) entries; /* file order */
	DHR_VEC(int) members;           /* the distinct entry patterns, file order */
	DHR_VEC(int) always;            /* members with no prefilter literal (always run) */
	int rx;                         /* the list's own pattern index */
} dhr_list;

/** One rule line of a label. */
typedef struct dhr_rule {
	dhr_rule_kind kind;
	int op;          /* DHR_OP_* */
	int a, b;        /* pattern indices (b for near/before) */
	int dist;        /* near/before: max words between */
	int min;         /* hits needed (default 1) */
	int prefer;      /* single facets: hits of this rule beat plain hits */
	int ref_label;   /* DHR_OP_LABEL: the label referred to */
	int ref_same_facet;
	char *where;     /* "file:line" */
} dhr_rule;

typedef struct dhr_label {
	dhr_label_info info;
	char *id, *name, *where;
	char *file;            /* for the no-rules warning */
	int line, col;
	char *line_text;
	int min;               /* label-level min (default 1) */
	DHR_VEC(int) rules;    /* indices into rules->rules, line order */
	int n_match, n_require, n_unless, n_except;
	int has_prefer;
	int had_error;         /* an error was reported inside it: no "no rules" warning */
} dhr_label;

typedef struct dhr_facet {
	dhr_facet_info info;
	char *name;
	DHR_VEC(dhr_band) bands; /* number facets; names owned (g_free) */
	dhr_field fields[3];
	DHR_VEC(size_t) labels;
	/* `default X` is resolved once every label is known */
	char *default_id, *def_file, *def_line_text;
	int def_line, def_col;
} dhr_facet;

/*
 * A subject (`subject victim`): the people a sentence can be about. Its
 * mentions in a text are every whole-word occurrence of a name its `name`
 * patterns capture (group 1) from that text, not followed by a possessive
 * 's, and every hit of its `match` patterns. Rules refer to it as an operand
 * (`@victim`, encoded as DHR_SUBJECT_OPERAND(i) in dhr_rule.a/b).
 */
typedef struct dhr_subject {
	char *name, *desc, *where;
	DHR_VEC(int) names; /* pattern indices with a capture group */
	DHR_VEC(int) refs;  /* pattern indices that always mean the subject */
} dhr_subject;

#define DHR_SUBJECT_OPERAND(i) (-2 - (int)(i))
#define DHR_IS_SUBJECT(x) ((x) <= -2)
#define DHR_SUBJECT_INDEX(x) ((size_t)(-2 - (x)))
#define DHR_WITHIN_DIST (1 << 24) /* `within S`: near S, any distance in the sentence */

typedef struct dhr_group {
	dhr_group_info info;
	char *id, *name;
} dhr_group;

struct dhr_rules {
	char *source;
	char sha256[65];
	DHR_VEC(dhr_facet) facets;
	DHR_VEC(dhr_label) labels;
	DHR_VEC(dhr_group) groups;
	DHR_VEC(dhr_rule) rules;
	DHR_VEC(dhr_rx) rxs;
	DHR_VEC(dhr_list) lists;
	/* per pattern: the lists it is an entry of (CSR: mem_off has rxs.n + 1 offsets into mem_list),
	 * so that the matcher hands each list only its entries the prefilter found possible */
	uint32_t *mem_off, *mem_list;
	unsigned char *rx_always; /* per pattern: rxs.v[i].always, packed for the matcher's hot loop */
	DHR_VEC(dhr_subject) subjects;
	/* prefilter: literal -> patterns it unlocks */
	dhr_ac *ac;
	uint32_t *lit_rx_off; /* n_lits + 1 offsets into lit_rx */
	uint32_t *lit_rx;
	uint32_t *lit_pre_off; /* n_lits + 1 offsets into lit_pre: patterns the literal starts */
	uint32_t *lit_pre;
	size_t n_lits;
	unsigned long match_limit, depth_limit, heap_limit;
	int no_jit; /* DHR_NO_JIT or opts.no_jit: never JIT */
};

/* prefilter.c: build the automaton over rules->rxs' literal sets */
typedef struct dhr_litset {
	char *lits; /* NUL-separated */
	size_t n;
	char *prefixes; /* NUL-separated; n_prefixes == 0: not anchored */
	size_t n_prefixes;
} dhr_litset;

/**
 * Build rules->ac, lit_rx_off, lit_rx from one literal set per pattern
 * (sets[i].n == 0 means pattern i always runs). @return 0 or DHR_ENOMEM.
 */
int dhr_prefilter_build(dhr_rules *rules, const dhr_litset *sets, size_t n_sets);

void dhr_ac_free(dhr_ac *ac);

/**
 * Scan `low` (len bytes) and call mark(lit, end, payload) for every
 * occurrence of every literal (`end` is the offset just past it).
 */
void dhr_ac_scan(const dhr_ac *ac, const char *low, size_t len,
		 void (*mark)(uint32_t lit, size_t end, void *payload), void *payload);

/** Length of literal `lit`. */
size_t dhr_ac_lit_len(const dhr_ac *ac, uint32_t lit);

#endif
