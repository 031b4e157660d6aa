/*
 * segment/internal.h: private data model of the segmentation stage. The
 * segmenter flattens a dhr_doc into one stream of body lines (seg_line),
 * marks the headings, cuts the stream into recommendations sections
 * (seg_section), turns each section into candidate recommendations (seg_cand)
 * from prose or from an action-plan table, and merges the copies.
 */
#ifndef DHR_SEGMENT_INTERNAL_H
#define DHR_SEGMENT_INTERNAL_H

#include "dhr/doc.h"
#include "dhr/segment.h"

#include <stddef.h>

/* ---- text helpers (segment/text.c) ------------------------------------- */

/** A growable byte string (NUL-terminated). */
typedef struct seg_buf {
	char *s;
	size_t len, cap;
	int oom; /**< an append failed: the content is incomplete */
} seg_buf;

void seg_buf_put(seg_buf *b, const char *s, size_t n);
void seg_buf_puts(seg_buf *b, const char *s);
/** Append `s` after a single space (none at the start), joining a line-end hyphen. */
void seg_buf_join(seg_buf *b, const char *s);
void seg_buf_free(seg_buf *b);

/** Skip ASCII and Unicode spaces (NBSP, tabs). */
const char *seg_skip_space(const char *s);

/** ASCII case-insensitive prefix test; returns the end of the prefix or NULL. */
const char *seg_prefix(const char *s, const char *prefix);

/** Does `s` contain `word` as a whole word (ASCII case-insensitive)? */
int seg_has_word(const char *s, const char *word);

/** Does `s` contain `sub` (ASCII case-insensitive)? */
int seg_contains(const char *s, const char *sub);

/**
 * The first place in the first `limit` bytes of `s` where any of the
 * lower-case `phrases` occurs (ASCII case-insensitive), or NULL.
 */
const char *seg_find_any(const char *s, size_t limit, const char *const *phrases, size_t n);

/** Number of words (runs of non-space) in `s`. */
size_t seg_word_count(const char *s);

/** Last non-space byte of s, or 0. */
char seg_last_char(const char *s);

/** A malloc'd copy of s with whitespace runs collapsed and ends trimmed. NULL on OOM. */
char *seg_normalise_space(const char *s);

/**
 * A word set: the distinct lower-cased alphanumeric words of a text, sorted
 * (as 64-bit hashes) so that two sets intersect in linear time.
 */
typedef struct seg_words {
	unsigned long long *h;
	size_t n;
} seg_words;

int seg_words_of(seg_words *out, const char *text);
void seg_words_free(seg_words *w);
size_t seg_words_common(const seg_words *a, const seg_words *b);
double seg_words_jaccard(const seg_words *a, const seg_words *b);

/* ---- numbering markers (segment/marker.c) ------------------------------ */

typedef enum seg_mkind {
	SEG_MK_NONE = 0,
	SEG_MK_WORD,    /* "Recommendation 3", "Rec. 3" */
	SEG_MK_RPREFIX, /* "R3" */
	SEG_MK_NUMBER,  /* "3.", "3)", "7.1", "10.1.1.1", "9.1 a", "10.3b" */
	SEG_MK_LETTER,  /* "(a)", "a)", "a." */
	SEG_MK_ROMAN,   /* "(iv)", "ii)" */
	SEG_MK_BULLET   /* "•", "-", "▪", ... */
} seg_mkind;

/** What a paragraph's first characters say about its place in a list. */
typedef struct seg_marker {
	seg_mkind kind;
	int depth;        /* number of numeric components (SEG_MK_NUMBER, WORD) */
	int delim;        /* '.', ')', ':', ' ' after the marker; '(' for "(a)" */
	int suffix;       /* letter suffix ("10.3b" -> 'b'), 0 if none */
	int ordinal;      /* last numeric component, or letter/roman index; 0 if none */
	size_t len;       /* bytes of marker, punctuation and spaces to skip */
	char label[24];   /* the number as printed, normalised ("7.1", "R3", "10.3b", "a") */
} seg_marker;

/** Parse a marker at the start of `s` (already space-trimmed). Returns kind. */
seg_mkind seg_marker_parse(seg_marker *m, const char *s);

/**
 * Nesting rank of a marker style: smaller is further out (WORD/R-prefix,
 * then numbers by depth, then letters, roman numerals, bullets).
 */
int seg_marker_rank(const seg_marker *m);

/** Do two markers belong to the same list style (kind, depth, delimiter)? */
int seg_marker_same_style(const seg_marker *a, const seg_marker *b);

/* ---- the line stream and headings (segment/lines.c) -------------------- */

enum {
	SEG_L_HEADING = 1u << 0,    /* a heading (by size, weight, outline) */
	SEG_L_SUBHEAD = 1u << 1,    /* a minor bold heading at body size (agency sub-heading) */
	SEG_L_PARA = 1u << 2,       /* starts a paragraph */
	SEG_L_TOC = 1u << 3,        /* a contents entry (dot leaders, or on a contents page) */
	SEG_L_LETTER = 1u << 4,     /* a letter's salutation/closing ("Dear", "Yours sincerely") */
	SEG_L_HARDSTOP = 1u << 5    /* a short title line of a known non-recommendations section */
};

typedef struct seg_line {
	const dhr_line *src;
	const char *text; /* borrowed, leading spaces skipped */
	int page;         /* 1-based */
	unsigned flags;   /* SEG_L_* */
	double size;      /* font size */
	int bold;
	int level;        /* heading level (1 = top); 0 if not a heading */
	int n_joined;     /* a heading continued on the next n lines */
} seg_line;

typedef struct seg_stream {
	seg_line *lines;
	size_t n;
	double body;      /* body font size */
	double right;     /* typical right edge of body text (for short-line tests) */
} seg_stream;

int seg_stream_build(seg_stream *out, const dhr_doc *doc);
void seg_stream_free(seg_stream *st);

/** The heading text of line i (joined with its continuation lines); malloc'd. */
char *seg_heading_text(const seg_stream *st, size_t i);

/** Is `title` (a heading) one of the well-known sections that are not recommendations? */
int seg_title_is_other_section(const char *title);

/* ---- sections (segment/sections.c) ------------------------------------- */

typedef enum seg_kind {
	SEG_SEC_RECS = 0,   /* "recommendations" */
	SEG_SEC_SINGLE,     /* "single_agency" */
	SEG_SEC_EXEC,       /* "executive_summary" */
	SEG_SEC_PLAN        /* "action_plan" */
} seg_kind;

typedef struct seg_section {
	size_t head;      /* index of the heading line */
	size_t begin, end;/* body lines [begin, end) */
	seg_kind kind;
	int combined;     /* title also names conclusions/lessons/learning: filter narrative */
	int nested;       /* recommendations sub-sections follow: this part is their introduction */
} seg_section;

/** Classify a heading title: 1 (recommendations heading, *kind set), else 0. */
int seg_title_is_recs(const char *title, seg_kind *kind, int *combined);

int seg_find_sections(seg_section **out, size_t *n, const seg_stream *st);

/* ---- candidates (segment/items.c, segment/table.c) --------------------- */

typedef struct seg_cand {
	char *number;      /* label, or NULL */
	char *text;
	int *pages;
	size_t n_pages;
	char *agency;      /* stated agency, or NULL */
	char *scope;       /* normalised scope, or NULL */
	seg_kind kind;
	int section_id;    /* index of the section it came from */
	size_t pos;        /* stream index of its first line (document order) */
	int ordinal;       /* last numeric component of the number, 0 if none */
	int rank;          /* 1-based place among its section's candidates */
	seg_words words;
	int merged_into;   /* -1, or index of the candidate it was merged into */
	int stub;          /* an action-plan row that gives only a number ("7.1"): it
			    * lends its pages, agency and scope to that recommendation */
	int dropped;       /* left out of the result (a stub with no recommendation) */
} seg_cand;

typedef struct seg_cands {
	seg_cand *v;
	size_t n, cap;
	int oom;
} seg_cands;

/** Append a candidate; takes ownership of its malloc'd members (freed on failure too). */
int seg_cands_push(seg_cands *c, seg_cand *cand);
void seg_cands_free(seg_cands *c);
/** Free the members of one candidate (not the candidate itself). */
void seg_cand_clear(seg_cand *c);
int seg_cand_add_page(seg_cand *c, int page);

/**
 * Prose recommendations of a section: paragraphs split by their numbering,
 * lead-ins joined with their parts, intros and quoted lists left out. Lines
 * with mask[i - sec->begin] set (table rows already read) are skipped.
 */
int seg_items_from_prose(seg_cands *out, const seg_stream *st, const seg_section *sec, int section_id,
			 const unsigned char *mask);

/**
 * Recommendations tables of a section (action plans): rows rebuilt, repeated
 * header rows skipped, the Recommendation, Lead agency and Scope cells kept.
 * Sets mask[i - sec->begin] for every line that belongs to a table.
 * @return the number of tables read (>= 0) or DHR_ENOMEM.
 */
int seg_items_from_table(seg_cands *out, const seg_stream *st, const seg_section *sec, int section_id,
			 unsigned char *mask);

/** A two-cell "table row" whose first cell is only a number: a hanging-indent paragraph. */
int seg_is_marker_row(const dhr_line *ln);

/** Is this table line the header row of a recommendations table? */
int seg_is_recs_header_row(const dhr_line *ln);

/** Does a short heading name an agency ("Constabulary", "Clinical Commissioning Group")? */
int seg_looks_like_agency(const char *t);

/** The agency named as the subject of a recommendation ("The Constabulary should"), malloc'd or NULL. */
char *seg_subject_agency(const char *text);

/** Lower-case first word of a Scope cell ("Local and regional" -> "local"), malloc'd, or NULL. */
char *seg_normalise_scope(const char *cell);

enum { SEG_LIKE_NONE = 0, SEG_LIKE_WEAK = 1, SEG_LIKE_STRONG = 2 };

/**
 * Does the text read like a recommendation? STRONG: the review asks someone
 * to act ("It is recommended that", "That <agency>", "<Agency> should",
 * an instruction, "Consideration should be given"); WEAK: a modal verb
 * with no named actor ("the wording should be used"); NONE otherwise.
 */
int seg_rec_judge(const char *text);

/** "should", "must", "to ensure", "invites", ...: someone is asked to act. */
int seg_has_modal(const char *text);

/** Does the text open with an instruction ("Ensure", "Review", "Develop", ...)? */
int seg_starts_imperative(const char *text);

/** Does the text mention an earlier review ("the previous DHR", "a review in 2012")? */
int seg_mentions_previous_review(const char *text);

/** A list's introduction ("the following recommendations:") rather than an action lead-in. */
int seg_is_list_intro(const char *text);

/** A sentence about the recommendations ("They are set out in the action plan") rather than one. */
int seg_is_meta_statement(const char *text);

/* ---- merging (segment/merge.c) ------------------------------------------ */

int seg_merge(seg_cands *c);

/* ---- gold files (segment/gold.c, segment/gold_tsv.c) ------------------ */

/** 1 when a gold file's first non-blank byte (after a UTF-8 BOM) is `{`: the JSON form. */
int seg_gold_is_json(const char *buf, size_t len);

#endif
