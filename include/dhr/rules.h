/*
 * include/dhr/rules.h: the third stage. A readable rules language on PCRE2
 * (facets, labels, groups, match/require/unless/except lines, proximity in
 * words) is compiled once into an immutable dhr_rules shared by every
 * document and thread; a dhr_classifier holds one thread's matching state and
 * turns a recommendation (or a whole document) into labels with evidence.
 *
 * The language in one screen (the top of rules/themes.rules has more). One
 * statement a line; `#` starts a comment; every included file starts with
 * no current facet (write `facet NAME` alone to add labels to one).
 *
 *   include "other.rules"                     # relative to this file; each file read once
 *   facet theme multi                         # every label that fires
 *   group pathways "DA referral pathways, ..."
 *   label risk_assessment "Risk and needs assessment" group pathways
 *     match  /\b(?:DASH|DARA|RIC)\b/c           # c: case-sensitive (default: caseless)
 *     match  /\brisk\b/ near 6 /\bassess/       # within 6 words, same sentence, any order
 *     match  /\bsafety\b/ before 2 /\bplan/     # in this order, at most 2 words between
 *     match  "needs assessment*"                # a phrase: whole words, any spacing, * = word rest
 *     match  list "gazetteer/police-forces.txt" # any name of a list file (one a line), as phrases
 *     except /\breduc\w* (?:the )?risk/         # hits inside this span do not count
 *     unless /\bpublic\b/                       # if this matches, the label does not fire
 *     require /x/ min 2                         # must also hold (at least twice)
 *     min 2                                     # label needs 2 hits over its match lines
 *   facet agency single on agency_text, text pick earliest default unknown
 *   label police "Police"
 *     match /\bpolice\b/ before 3 /\bshould\b/ prefer  # subject hits beat mere mentions
 *   facet case_type single on document default homicide
 *
 * Text is matched after normalisation (NFKD compatibility forms, combining
 * marks dropped so "Rōma" reads "Roma", typographic quotes and dashes folded,
 * whitespace runs collapsed); patterns are normalised the same way. Offsets
 * in evidence are byte offsets into the caller's original text.
 */
#ifndef DHR_RULES_H
#define DHR_RULES_H

#include <stddef.h>
#include <stdio.h>

#include "dhr/common.h"

typedef struct dhr_rules dhr_rules;           /**< compiled rules: immutable, shareable */
typedef struct dhr_classifier dhr_classifier; /**< one thread's matching state */
typedef struct dhr_result dhr_result;         /**< reusable classification result */

/* ---------------------------------------------------------------- diagnostics */

typedef enum dhr_diag_level { DHR_DIAG_WARNING = 1, DHR_DIAG_ERROR = 2 } dhr_diag_level;

/** One diagnostic about a rules file (all strings borrowed for the call only). */
typedef struct dhr_diag {
	dhr_diag_level level;
	const char *file;        /**< file name as opened ("rules/themes.rules") */
	int line;                /**< 1-based; 0 if not about a line */
	int col;                 /**< 1-based byte column; 0 if not about a column */
	const char *message;     /**< one line, lower-case, no "error:" prefix */
	const char *source_line; /**< the text of that line (no newline), or NULL */
} dhr_diag;

/** Receives each diagnostic; `payload` is the caller's. */
typedef void (*dhr_diag_cb)(const dhr_diag *d, void *payload);

/**
 * Format a diagnostic GCC-style:
 *   "FILE:LINE:COL: error: MESSAGE\n SOURCE\n CARET\n"
 * (the source and caret lines only when known; the caret line copies the
 * tabs of the source line so that it lines up). @return a malloc'd string
 * (free()), or NULL on out of memory.
 */
char *dhr_diag_format(const dhr_diag *d);

/** Print dhr_diag_format(d) to `f`. */
void dhr_diag_print(FILE *f, const dhr_diag *d);

/* ---------------------------------------------------------------- compiling */

/** Where `include "x"` looks for x. */
typedef enum dhr_include_mode {
	DHR_INCLUDE_FILES = 0, /**< the file system, relative to the including file */
	DHR_INCLUDE_EMBEDDED,  /**< the files built into the binary (dhr_embedded_find) */
	DHR_INCLUDE_NONE       /**< includes are an error (fuzzing, untrusted buffers) */
} dhr_include_mode;

/** Options of the compile functions. Zero-initialise, then set what you need. */
typedef struct dhr_rules_opts {
	dhr_diag_cb diag;          /**< receives errors and warnings, or NULL to drop them */
	void *diag_payload;
	dhr_include_mode includes; /**< for dhr_rules_compile_buffer() only */
	unsigned long match_limit; /**< PCRE2 match limit per match call; 0: 10,000,000 */
	unsigned long depth_limit; /**< PCRE2 depth limit; 0: 100,000 */
	unsigned long heap_limit;  /**< PCRE2 heap limit in KiB; 0: 20,000 */
	int no_jit;                /**< never JIT-compile patterns (by default the matcher JIT-compiles those that run often) */
} dhr_rules_opts;

/**
 * Compile a rules file and everything it includes. Every line is parsed and
 * every pattern compiled, so one run reports all errors of all files through
 * opts->diag; warnings do not stop compilation.
 *
 * @param out  receives the rules (free with dhr_rules_free()); NULL on error
 * @param path the entry file; its directory anchors its includes
 * @param opts options, or NULL for defaults
 * @param err  on DHR_ERULES the message is "N errors"
 * @return 0, DHR_ERULES (errors were reported), DHR_EIO (entry file
 *         unreadable) or DHR_ENOMEM
 */
int dhr_rules_compile_file(dhr_rules **out, const char *path, const dhr_rules_opts *opts, dhr_error *err);

/**
 * Compile rules from memory. `name` is used in diagnostics and evidence and
 * anchors relative includes (see opts->includes). `buf` need not be
 * NUL-terminated and may hold any bytes. Returns as dhr_rules_compile_file().
 */
int dhr_rules_compile_buffer(dhr_rules **out, const char *name, const char *buf, size_t len,
			     const dhr_rules_opts *opts, dhr_error *err);

/**
 * Compile the default rules built into the binary ("rules/default.rules",
 * which includes themes, agencies and case_type). Returns as above.
 */
int dhr_rules_compile_default(dhr_rules **out, const dhr_rules_opts *opts, dhr_error *err);

/**
 * The usual entry point of the commands: compile `path` (the -r option), or
 * the built-in defaults when `path` is NULL. Returns as above.
 */
int dhr_rules_compile(dhr_rules **out, const char *path, const dhr_rules_opts *opts, dhr_error *err);

/** Free compiled rules. NULL is allowed. Every classifier on them must be freed first. */
void dhr_rules_free(dhr_rules *rules);

/** Where the rules came from: the entry path, or "embedded:rules/default.rules". Borrowed. */
const char *dhr_rules_source(const dhr_rules *rules);

/** Hex SHA-256 of the source text of every file read, in include order. Borrowed. */
const char *dhr_rules_sha256(const dhr_rules *rules);

/* ---------------------------------------------------------------- what the rules define */

typedef enum dhr_scope { DHR_SCOPE_RECOMMENDATION = 0, DHR_SCOPE_DOCUMENT = 1 } dhr_scope;

/** The text a rule matched in. */
typedef enum dhr_field { DHR_FIELD_TEXT = 0, DHR_FIELD_AGENCY_TEXT = 1, DHR_FIELD_DOCUMENT = 2 } dhr_field;

/** A facet: a set of labels and how they are chosen. Borrowed from the rules. */
typedef struct dhr_facet_info {
	const char *name;        /**< "theme", "agency", "case_type" */
	dhr_scope scope;         /**< recommendation or document */
	int single;              /**< 1: exactly one label (or the default); 0: every label that fires */
	int pick_earliest;       /**< single facets: 1 = label whose hit starts first, 0 = first in file order */
	int default_label;       /**< label index used when none fires, or -1 */
	const dhr_field *fields; /**< inputs, in the order they are tried */
	size_t n_fields;
	const size_t *labels;    /**< label indices, file order */
	size_t n_labels;
} dhr_facet_info;

/** A label. Borrowed from the rules. */
typedef struct dhr_label_info {
	const char *id;    /**< stable id, e.g. "risk_assessment" */
	const char *name;  /**< human name, e.g. "Risk and needs assessment" */
	size_t facet;      /**< index of its facet */
	int group;         /**< group index, or -1 */
	const char *where; /**< "file:line" of its definition */
} dhr_label_info;

/** A group of labels within a facet. Borrowed from the rules. */
typedef struct dhr_group_info {
	const char *id;
	const char *name;
	size_t facet;
} dhr_group_info;

size_t dhr_rules_facet_count(const dhr_rules *rules);
const dhr_facet_info *dhr_rules_facet(const dhr_rules *rules, size_t i);
/** Index of the facet called `name`, or -1. */
int dhr_rules_facet_find(const dhr_rules *rules, const char *name);

size_t dhr_rules_label_count(const dhr_rules *rules);
const dhr_label_info *dhr_rules_label(const dhr_rules *rules, size_t i);
/** Index of label `id` in facet `facet` (a facet index), or -1. */
int dhr_rules_label_find(const dhr_rules *rules, size_t facet, const char *id);

size_t dhr_rules_group_count(const dhr_rules *rules);
const dhr_group_info *dhr_rules_group(const dhr_rules *rules, size_t i);
/** Index of group `id` in facet `facet`, or -1. */
int dhr_rules_group_find(const dhr_rules *rules, size_t facet, const char *id);

/* ---------------------------------------------------------------- classifying */

/** Kind of rule line. */
typedef enum dhr_rule_kind {
	DHR_RULE_MATCH = 0, /**< `match`: a hit counts toward the label */
	DHR_RULE_REQUIRE,   /**< `require`: must also hold */
	DHR_RULE_UNLESS,    /**< `unless`: a hit vetoes the label */
	DHR_RULE_EXCEPT     /**< `except`: match hits inside its spans do not count */
} dhr_rule_kind;

/**
 * Why a label fired (or, in explain mode, what else happened). Borrowed from
 * the dhr_result until its next classification or dhr_result_free().
 */
typedef struct dhr_evidence {
	size_t label;          /**< label index */
	const char *label_id;
	const char *rule;      /**< "file:line" of the rule line */
	dhr_rule_kind kind;
	dhr_field field;       /**< which input the offsets refer to */
	size_t start, end;     /**< byte offsets of the (first) hit in the original input */
	const char *match;     /**< the original bytes [start, end), NUL-terminated */
	size_t count;          /**< hits counted (stops early once the rule's need is met) */
	int needed;            /**< the rule's `min` (1 unless set); count < needed: did not hold */
	int n_parts;           /**< 2 for near/before: the two operands' spans below; else 0 */
	size_t part_start[2], part_end[2];
	int label_fired;       /**< the label is among the result's labels */
	int label_ref;         /**< the rule is `require/unless label X` (no span) */
	const char *entry;     /**< explain mode, a `list` rule: "file:line" of the list entry that
				    matched (of the first operand that is a list), else NULL; borrowed from the rules */
	const char *entry_text;/**< that entry as written in the list, or NULL */
} dhr_evidence;

/**
 * A new classifier on `rules` (borrowed: keep the rules alive longer). Use one
 * per thread. `diag` receives a warning, once per rule per classifier, when a
 * pattern hits the PCRE2 match limit (the rule then counts as not matching).
 * @return 0 or DHR_ENOMEM (then *out is NULL).
 */
int dhr_classifier_new(dhr_classifier **out, const dhr_rules *rules, dhr_diag_cb diag, void *payload);

/** Free a classifier. NULL is allowed. */
void dhr_classifier_free(dhr_classifier *c);

/**
 * Explain mode: record every rule that hit (also for labels that did not
 * fire), every veto and every except span, not only the firing evidence.
 */
void dhr_classifier_set_explain(dhr_classifier *c, int on);

/** A new, empty result for reuse across classifications. @return NULL on out of memory. */
dhr_result *dhr_result_new(void);

/** Free a result. NULL is allowed. */
void dhr_result_free(dhr_result *res);

/**
 * Classify one recommendation for every recommendation-scope facet. `text`
 * and `agency_text` (may be NULL) are UTF-8, NUL-terminated, borrowed for the
 * call; invalid UTF-8 bytes are tolerated. The previous content of `out` is
 * replaced. @return 0 or DHR_ENOMEM.
 */
int dhr_classify_rec(dhr_result *out, dhr_classifier *c, const char *text, const char *agency_text);

/**
 * Classify a whole document's text for every document-scope facet
 * (e.g. case_type). @return 0 or DHR_ENOMEM.
 */
int dhr_classify_doc(dhr_result *out, dhr_classifier *c, const char *text);

/** Labels chosen for facet `facet` (indices, file order). Single facets give one (or none). */
size_t dhr_result_label_count(const dhr_result *res, size_t facet);
size_t dhr_result_label_at(const dhr_result *res, size_t facet, size_t i);

/** The id of the chosen label of a single facet (the default if none fired), or NULL. */
const char *dhr_result_single(const dhr_result *res, size_t facet);

/** 1 if label `label` (an index) is in the result. */
int dhr_result_has(const dhr_result *res, size_t label);

size_t dhr_result_evidence_count(const dhr_result *res);
const dhr_evidence *dhr_result_evidence(const dhr_result *res, size_t i);

/**
 * Classify `n` recommendations and add, for every label, how many of them
 * got it (counts[label index] += 1; single facets count their chosen label,
 * including the default). `counts` has dhr_rules_label_count() entries.
 * `agency_texts` may be NULL, or hold NULLs. For evaluation and rule diffs.
 * @return 0 or DHR_ENOMEM.
 */
int dhr_classify_count(size_t *counts, dhr_classifier *c, const char *const *texts,
		       const char *const *agency_texts, size_t n);

#endif
