/*
 * output/internal.h: what the files of the output stage share and nothing
 * else sees: a growable text buffer with the escapers (HTML, CSV), safe
 * getters for the cJSON tree, and dhr_agg, the counted view of a scan that
 * the summary, the CSV writers and the HTML report all draw from.
 */
#ifndef DHR_OUTPUT_INTERNAL_H
#define DHR_OUTPUT_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "dhr/common.h"

struct cJSON;

/* ---- text buffer ---- */

/**
 * A growable, always NUL-terminated byte buffer. Out of memory is sticky:
 * after the first failed allocation every append is a no-op and
 * dhr_obuf_finish() reports DHR_ENOMEM, so writers need no check per call.
 * Zero-initialise (`dhr_obuf b = {0};`) before use.
 */
typedef struct dhr_obuf {
	char *data; /**< malloc'd; NULL until the first append */
	size_t len; /**< bytes used, without the NUL */
	size_t cap; /**< bytes allocated */
	int failed; /**< an allocation failed */
} dhr_obuf;

void dhr_obuf_put(dhr_obuf *b, const char *s, size_t n);
void dhr_obuf_puts(dhr_obuf *b, const char *s);
void dhr_obuf_putc(dhr_obuf *b, char c);
void dhr_obuf_printf(dhr_obuf *b, const char *fmt, ...) DHR_PRINTF_LIKE(2, 3);

/**
 * Append `n` bytes of text with each ASCII byte c replaced by ascii[c] when
 * that is not NULL, and every byte sequence that is not UTF-8 (and, with
 * `c1_bad`, every C1 control) replaced by U+FFFD. The one escaping loop of
 * the HTML, CSV and JSON writers, which differ only in their table.
 */
void dhr_obuf_escaped(dhr_obuf *b, const char *s, size_t n, const char *const ascii[128], int c1_bad);

/** Append `n` bytes of UTF-8 text HTML-escaped (safe in text and in quoted attributes). */
void dhr_obuf_html_n(dhr_obuf *b, const char *s, size_t n);
/** As dhr_obuf_html_n() for a NUL-terminated string; NULL appends nothing. */
void dhr_obuf_html(dhr_obuf *b, const char *s);

/**
 * Append one CSV field: neutralised against formulas (a leading ' before
 * = + - @ TAB CR), quoted when it holds a comma, quote, CR or LF, quotes
 * doubled, invalid UTF-8 replaced. NULL is an empty field.
 */
void dhr_obuf_csv(dhr_obuf *b, const char *s);

/**
 * Append `item` as JSON, indented with tabs (objects one member a line,
 * arrays of scalars on one line). Integral numbers print as integers, others
 * with 17 significant digits (exact round trip); NaN and infinities, which
 * JSON lacks, as null. Strings are escaped per RFC 8259 and bytes that are
 * not UTF-8 become U+FFFD, so the file is always valid JSON and UTF-8. The
 * scan writer's replacement for cJSON_Print (which checks every number with
 * sscanf; this needs about a third fewer instructions on a 200-report
 * scan.json).
 */
void dhr_obuf_json(dhr_obuf *b, const struct cJSON *item);

/**
 * Hand the bytes to the caller. @param out receives the malloc'd buffer
 * (an empty string if nothing was appended), @param len its length.
 * @return 0, or DHR_ENOMEM (then the buffer is freed and *out is NULL).
 */
int dhr_obuf_finish(dhr_obuf *b, char **out, size_t *len, dhr_error *err);

/** Empty the buffer, keeping its memory. */
void dhr_obuf_reset(dhr_obuf *b);

/** Free the buffer (for error paths); the struct can be reused afterwards. */
void dhr_obuf_release(dhr_obuf *b);

/**
 * Decode one UTF-8 character of `s` (at most `n` bytes). Invalid or truncated
 * sequences, overlong forms and surrogates decode as U+FFFD and advance one
 * byte. @param adv receives the bytes consumed (>= 1 when n > 0).
 */
unsigned dhr_utf8_decode(const char *s, size_t n, size_t *adv);

/** Number of characters (code points) in the UTF-8 string, counting invalid bytes as one each. */
size_t dhr_utf8_width(const char *s);

/* ---- cJSON getters that never fail: wrong type or missing key gives the fallback ---- */

const char *dhr_json_str(const struct cJSON *obj, const char *key);
double dhr_json_num(const struct cJSON *obj, const char *key, double fallback);
const struct cJSON *dhr_json_arr(const struct cJSON *obj, const char *key);
const struct cJSON *dhr_json_obj(const struct cJSON *obj, const char *key);
/** The first element of the array at `key` (iterate with ->next), or NULL. */
const struct cJSON *dhr_json_items(const struct cJSON *obj, const char *key);

/* ---- the counted view of a scan ---- */

/** The homicide / suicide split of every figure. */
enum {
	DHR_SPLIT_HOMICIDE = 0, /**< case_type homicide or homicide_suicide */
	DHR_SPLIT_SUICIDE = 1,  /**< case_type suicide */
	DHR_SPLIT_UNKNOWN = 2,  /**< no case type, or another one */
	DHR_SPLIT_N = 3
};

/** One label of a facet (a theme, an agency or a case type), with its counts. */
typedef struct dhr_agg_label {
	const char *id;            /**< borrowed from the tree */
	const char *name;          /**< borrowed; the id when the facet gives no name */
	int group;                 /**< index in dhr_agg.groups, or -1 */
	int declared;              /**< listed in the facet (else met only in a recommendation) */
	size_t count;              /**< recommendations (themes, agencies) or documents (case types) */
	size_t split[DHR_SPLIT_N]; /**< count by DHR_SPLIT_* */
	size_t docs;               /**< recommendation facets: documents tagged with it (any of their recommendations has it) */
} dhr_agg_label;

typedef struct dhr_agg_facet {
	dhr_agg_label *labels;
	size_t n, cap;
} dhr_agg_facet;

/**
 * One facet of the scan as the rules defined it (scan.json "facets"), with
 * its labels counted: recommendations per label for a recommendation facet
 * (and documents tagged per label), documents per label for a document
 * facet. Every output is driven by these, so that any rules work: the
 * "theme-like" and "agency-like" facets below are chosen from them, never
 * assumed.
 */
typedef struct dhr_agg_fdef {
	const char *name;       /**< borrowed */
	int multi;              /**< every label that fires (else one label) */
	int document;           /**< document scope (else recommendation) */
	const char *default_id; /**< the label given when none fires, or NULL */
	dhr_agg_facet set;      /**< its labels, in facet order, then any met only in the documents */
	size_t none;            /**< recommendations without any label of it (recommendation facets) */
	size_t none_split[DHR_SPLIT_N];
} dhr_agg_fdef;

typedef struct dhr_agg_group {
	const char *id, *name; /**< borrowed */
	size_t count;          /**< recommendations with at least one theme of the group */
	size_t split[DHR_SPLIT_N];
	size_t n_themes; /**< themes that belong to it */
} dhr_agg_group;

typedef struct dhr_agg_rec {
	const struct cJSON *json;
	size_t doc; /**< index in dhr_agg.docs */
	const char *id, *number, *text, *section, *agency_text, *scope;
	int agency;              /**< index in dhr_agg.agencies (never -1: "unknown" is added) */
	size_t theme0, n_themes; /**< its distinct themes: dhr_agg.theme_refs[theme0 .. theme0+n_themes) */
	int ocr;                 /**< read from a page read by OCR ("ocr": true) */
} dhr_agg_rec;

typedef struct dhr_agg_doc {
	const struct cJSON *json;
	const char *path;                       /**< never NULL (checked) */
	const char *title;                      /**< NULL when unknown */
	int ok;                                 /**< status "ok" */
	const char *error_code, *error_message; /**< of a failed document, else NULL */
	int case_type;                          /**< index in dhr_agg.case_types, or -1 */
	int split;                              /**< DHR_SPLIT_* */
	long pages;                             /**< -1 when unknown */
	size_t rec0, n_recs;                    /**< its recommendations: dhr_agg.recs[rec0 .. rec0+n_recs) */
	size_t n_warnings;
	size_t n_ocr_pages;                     /**< pages read by OCR (its "ocr" object) */
	double ocr_min_confidence;              /**< the lowest of their confidences, when n_ocr_pages */
} dhr_agg_doc;

typedef struct dhr_agg {
	const struct cJSON *scan;
	const char *generated, *version, *rules_source, *rules_sha256; /**< borrowed, may be NULL */
	dhr_agg_facet themes, agencies, case_types;
	/* which facets play the roles the figures need (indexes in fdefs, or -1): the theme-like one
	 * is "theme" when the rules have it, else their first multi recommendation facet; the
	 * agency-like one "agency", else the first single recommendation facet; the case type
	 * "case_type", else the first single document facet */
	int theme_f, agency_f, case_f;
	dhr_agg_fdef *fdefs; /**< every facet of the scan */
	size_t n_fdefs;
	int *frefs;      /**< label indexes (in fdefs[f].set) of every recommendation and facet */
	size_t *fref0;   /**< n_recs x n_fdefs: where recommendation r's labels of facet f start in frefs */
	size_t *frefn;   /**< n_recs x n_fdefs: how many */
	dhr_agg_group *groups;
	size_t n_groups;
	dhr_agg_doc *docs;
	size_t n_docs, n_failed;
	dhr_agg_rec *recs;
	size_t n_recs;
	int *theme_refs; /**< theme indexes of all recommendations, see dhr_agg_rec */
	size_t n_theme_refs;
	size_t no_theme; /**< recommendations without a theme */
	size_t no_theme_split[DHR_SPLIT_N];
	size_t recs_split[DHR_SPLIT_N]; /**< recommendations by split */
	size_t docs_split[DHR_SPLIT_N]; /**< documents that were read (status ok) by split */
	size_t *matrix;                 /**< agencies.n x themes.n: [agency * themes.n + theme] */
	size_t *theme_case;             /**< themes.n x case_types.n: [theme * case_types.n + case] */
	size_t unknown_agency;          /**< index of the "unknown" agency */
} dhr_agg;

/**
 * Build the counted view of `scan` (which must outlive it: strings are
 * borrowed). @param out receives it (free with dhr_agg_free()).
 * @return 0, DHR_ERROR (not a scan, see dhr_output_check()) or DHR_ENOMEM.
 */
int dhr_agg_new(dhr_agg **out, const struct cJSON *scan, dhr_error *err);
void dhr_agg_free(dhr_agg *agg);

/** One row of a themes figure: a group heading or a theme. */
typedef struct dhr_agg_row {
	int is_group;
	size_t index; /**< in groups or themes.labels */
} dhr_agg_row;

/**
 * The display order of themes: each group heading followed by its themes,
 * then the themes without a group; within each, most frequent first (ties in
 * facet order). @param rows must hold n_groups + themes.n rows.
 * @return the number of rows written.
 */
size_t dhr_agg_theme_rows(const dhr_agg *agg, dhr_agg_row *rows);

/**
 * The labels of facet `f` of recommendation `r` (indexes in fdefs[f].set.labels).
 * @param n receives how many; @return the first, or NULL when none
 */
const int *dhr_agg_rec_labels(const dhr_agg *agg, size_t r, size_t f, size_t *n);

/** Does document `d` carry label `l` of recommendation facet `f` (does any of its recommendations)? */
int dhr_agg_doc_tagged(const dhr_agg *agg, size_t d, size_t f, int l);

/** Labels of facet f, most frequent first (ties in facet order), its default last. @param order holds set.n. */
void dhr_agg_fdef_order(const dhr_agg *agg, size_t f, size_t *order);

/** Agencies, most frequent first, "unknown" last. @param order holds agencies.n. */
void dhr_agg_agency_order(const dhr_agg *agg, size_t *order);

/** Documents of case type `id` ("homicide", ...); 0 when the facet has no such label. */
size_t dhr_agg_case_docs(const dhr_agg *agg, const char *id);

/** The display name of a document: its title, else its file name. */
const char *dhr_agg_doc_name(const dhr_agg_doc *d);

/** Percentage a/b, 0 when b is 0. */
double dhr_pct(size_t a, size_t b);

/* ---- case profiles (output/profile.c) ---- */

/** The documents' profiles counted per attribute and value, split by case type. */
typedef struct dhr_prof dhr_prof;

/** Count the profiles of `agg`'s documents (status ok). @return 0 or DHR_ENOMEM. */
int dhr_prof_new(dhr_prof **out, const dhr_agg *agg);
void dhr_prof_free(dhr_prof *p);

/** The value of one profile attribute as counted: its band if it has one, else its value. */
const char *dhr_prof_key(const struct cJSON *attr, char buf[32]);

/** Add totals.profiles (per attribute: "all", "homicide", "suicide" value counts). @return 0 or DHR_ENOMEM. */
int dhr_prof_totals(struct cJSON *totals, const dhr_agg *agg);

/** The CASE PROFILES table of the summary (nothing when no document has a profile). */
void dhr_prof_summary(dhr_obuf *b, const dhr_agg *agg);

/** The report's "Case profiles" section (nothing when no document has a profile). @return 0 or DHR_ENOMEM. */
int dhr_prof_report(dhr_obuf *b, const dhr_agg *agg);

/* ---- SVG charts (output/chart.c) ---- */

/** How a chart row is drawn. */
enum {
	DHR_ROW_PLAIN = 0,  /**< a label with its bar */
	DHR_ROW_GROUP = 1,  /**< a group total: bold label, outlined bar, bracket over its members */
	DHR_ROW_MEMBER = 2, /**< a theme of the group above: indented */
	DHR_ROW_MUTED = 3   /**< "(no theme)" and the like: grey */
};

typedef struct dhr_chart_row {
	const char *label;
	int style; /**< DHR_ROW_* */
	size_t total;
	size_t split[DHR_SPLIT_N];
	const char *filter_attr; /**< e.g. "data-filter-theme": clicking the row filters the list; or NULL */
	const char *filter_value;
} dhr_chart_row;

typedef struct dhr_chart {
	const char *id;                       /**< prefix of the SVG's element ids */
	const char *title;                    /**< the SVG <title> */
	const char *desc;                     /**< the SVG <desc>: the text alternative */
	const char *split_names[DHR_SPLIT_N]; /**< legend names of the splits */
	size_t denom;                         /**< denominator of the shares */
	int show_unknown;                     /**< draw the "unknown" split */
	const dhr_chart_row *rows;
	size_t n_rows;
} dhr_chart;

/** Horizontal bars of counts, stacked by split, labelled "count · share". */
void dhr_svg_stacked_bars(dhr_obuf *b, const dhr_chart *c);

/** Paired bars: each row's homicide and suicide counts as a share of `denom_split` of that split. */
void dhr_svg_compare_bars(dhr_obuf *b, const dhr_chart *c, const size_t denom_split[DHR_SPLIT_N]);

/** Heat-map colour of t in [0,1] as "#rrggbb"; *dark is set when white text is needed on it. */
void dhr_heat_colour(double t, char out[8], int *dark);

#endif
