/*
 * include/dhr/gold.h: the labelled truth (corpus/gold.json) and the rule that
 * pairs predicted recommendations with gold ones (DESIGN.md): lower-cased
 * word sets, Jaccard >= 0.5, one to one, best pairs first. Used by the
 * segmenter's tests and by `dhr eval`. The same loader reads the TSV form of
 * labelled recommendation texts (segment/gold_tsv.c): rows, no documents.
 */
#ifndef DHR_GOLD_H
#define DHR_GOLD_H

#include <stddef.h>

#include "dhr/common.h"

/** The Jaccard threshold of DESIGN.md's matching rule. */
#define DHR_GOLD_MATCH_THRESHOLD 0.5

/** Labels of one more facet for a recommendation (a TSV column named after the facet). */
typedef struct dhr_gold_facet_labels {
	char *facet;   /**< the facet's name, as the column header wrote it ("ho_theme") */
	char **labels; /**< label ids, in the order written, no duplicates */
	size_t n_labels;
} dhr_gold_facet_labels;

/** One labelled recommendation. Strings owned by the enclosing dhr_gold; NULL when absent. */
typedef struct dhr_gold_rec {
	char *text;
	char *number;
	char *agency; /**< codebook agency id ("police") */
	char *scope;  /**< "local", "regional", "national", or NULL */
	char **themes;/**< codebook theme ids */
	size_t n_themes;
	/* TSV rows only (NULL / 0 from gold.json): */
	char *agency_text; /**< the stated lead agency cell, or NULL */
	char *report;      /**< id of the report the text comes from, or NULL */
	char *split;       /**< "tune", "test", ..., or NULL */
	char *source;      /**< URL, or NULL */
	int line;          /**< 1-based line of the row in the TSV file (0 for gold.json) */
	dhr_gold_facet_labels *facet_labels; /**< labels of further facets, one per extra column */
	size_t n_facet_labels;
} dhr_gold_rec;

/** One labelled document. */
typedef struct dhr_gold_doc {
	char *file;      /**< as written in gold.json, relative to the gold file's folder */
	char *path;      /**< `file` resolved against the gold file's folder */
	char *title;
	char *case_type;
	dhr_gold_rec *recs;
	size_t n_recs;
} dhr_gold_doc;

/** The form a gold file was written in (detected from its content). */
typedef enum dhr_gold_format {
	DHR_GOLD_JSON = 0, /**< gold.json: documents and their recommendations */
	DHR_GOLD_TSV = 1   /**< labelled recommendation texts, one a row: `rows`, no documents */
} dhr_gold_format;

/** A whole gold file. */
typedef struct dhr_gold {
	dhr_gold_doc *docs;
	size_t n_docs;
	dhr_gold_format format;
	char *file;         /**< the path it was loaded from */
	dhr_gold_rec *rows; /**< DHR_GOLD_TSV: every row, file order (NULL for JSON) */
	size_t n_rows;
	int tsv_header;     /**< DHR_GOLD_TSV: 1 if the first line named the columns, 0 for the old 3-column form */
} dhr_gold;

/**
 * Load a gold file: JSON ({"documents": [{"file", "title", "case_type",
 * "recommendations": [{"text", "themes", "agency", "scope", "number"}]}]})
 * or TSV (see dhr_gold_load_tsv()), told apart by the content: a file whose
 * first non-blank byte is `{` is JSON, anything else TSV.
 *
 * @param out  receives the gold set (free with dhr_gold_free()); NULL on error
 * @param path the file; documents' `file` members are resolved against its folder
 * @return 0, DHR_EIO (unreadable), DHR_ERROR (not valid gold; the message
 *         says where, for TSV as FILE:LINE) or DHR_ENOMEM
 */
int dhr_gold_load(dhr_gold **out, const char *path, dhr_error *err);

/**
 * Parse the TSV form from memory (`path` names it in messages). UTF-8,
 * tab-separated, one recommendation a line; a field may be quoted as
 * spreadsheets write it ("..." with "" for a quote; it may then hold tabs
 * and line breaks). The first line is a header naming the columns:
 * `text`, `themes` (ids separated by `,` or `;`, may be empty) and `agency`
 * (an id or `unknown`) are required; `agency_text`, `report`, `split`,
 * `source`, `number` and `notes` are optional; any other column is taken as
 * the labels of the facet it is named after (`ho_theme`), which
 * dhr_gold_check() verifies. A file whose first line names no `text` column
 * is read in the old headerless form: exactly 3 columns text, themes, agency.
 * Blank lines and lines starting with `#` (comments) are skipped. Errors name
 * FILE:LINE.
 * @return as dhr_gold_load()
 */
int dhr_gold_load_tsv(dhr_gold **out, const char *path, const char *buf, size_t len, dhr_error *err);

/**
 * Says whether `label` is a label id of facet `facet` (or, with label NULL,
 * whether a facet of that name exists, and whether it is single through
 * *single when single is not NULL). Returns 1 if known, 0 if not.
 */
typedef int (*dhr_gold_known_cb)(const char *facet, const char *label, int *single, void *payload);

/**
 * Check every label of a gold set against the rules' vocabulary: themes
 * against facet "theme", agencies against "agency", extra TSV columns against
 * the facet they are named after (which must exist; a single facet takes one
 * label a row). The first unknown id is an error naming FILE:LINE for TSV
 * rows, or the document and recommendation for JSON, so that a typo in the
 * gold is not silently scored as a miss.
 * @return 0 or DHR_ERROR
 */
int dhr_gold_check(const dhr_gold *gold, dhr_gold_known_cb known, void *payload, dhr_error *err);

/** Free a gold set. NULL is allowed. */
void dhr_gold_free(dhr_gold *gold);

/**
 * The gold document for a PDF path: matched on the resolved path, else on the
 * file name alone. @return a borrowed pointer, or NULL.
 */
const dhr_gold_doc *dhr_gold_find(const dhr_gold *gold, const char *path);

/**
 * Jaccard similarity of the lower-cased word sets of two texts (words are
 * runs of Unicode letters and digits). Two empty texts score 0.
 */
double dhr_text_jaccard(const char *a, const char *b);

/**
 * Pair predicted texts with gold texts: every pair scoring >= threshold, best
 * pairs first (ties: earlier prediction, then earlier gold), each text used
 * at most once.
 *
 * @param pred_to_gold receives for each prediction the gold index it matched,
 *                     or (size_t)-1; may be NULL; n_pred entries
 * @param gold_to_pred the same for gold texts; may be NULL; n_gold entries
 * @return the number of pairs (>= 0), or DHR_ENOMEM
 */
long dhr_gold_match(size_t *pred_to_gold, size_t *gold_to_pred, const char *const *pred, size_t n_pred,
		    const char *const *gold, size_t n_gold, double threshold);

#endif
