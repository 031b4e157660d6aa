/*
 * include/dhr/gold.h: the labelled truth (corpus/gold.json) and the rule that
 * pairs predicted recommendations with gold ones (DESIGN.md): lower-cased
 * word sets, Jaccard >= 0.5, one to one, best pairs first. Used by the
 * segmenter's tests and by `dhr eval`.
 */
#ifndef DHR_GOLD_H
#define DHR_GOLD_H

#include <stddef.h>

#include "dhr/common.h"

/** The Jaccard threshold of DESIGN.md's matching rule. */
#define DHR_GOLD_MATCH_THRESHOLD 0.5

/**
 * The labels of one facet of a gold recommendation, from its generic
 * "labels" map ({"ho_theme": ["training"], "ho_agency": "police"}): a list
 * (multi facet) or one string (single facet; null gives no value).
 */
typedef struct dhr_gold_labels {
	char *facet;   /**< the facet name, as the rules spell it */
	char **values; /**< label ids */
	size_t n_values;
	int is_list;   /**< given as a JSON array (a multi facet) */
} dhr_gold_labels;

/** One labelled recommendation. Strings owned by the enclosing dhr_gold; NULL when absent. */
typedef struct dhr_gold_rec {
	char *text;
	char *number;
	char *agency; /**< codebook agency id ("police") */
	char *scope;  /**< "local", "regional", "national", or NULL */
	char **themes;/**< codebook theme ids */
	size_t n_themes;
	dhr_gold_labels *labels; /**< the "labels" map, one entry per facet, in file order */
	size_t n_labels;
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

/** A whole gold file. */
typedef struct dhr_gold {
	dhr_gold_doc *docs;
	size_t n_docs;
} dhr_gold;

/**
 * Load a gold file ({"documents": [{"file", "title", "case_type",
 * "recommendations": [{"text", "themes", "agency", "scope", "number",
 * "labels": {FACET: [ids] | id}}]}]}).
 *
 * @param out  receives the gold set (free with dhr_gold_free()); NULL on error
 * @param path the JSON file; documents' `file` members are resolved against its folder
 * @return 0, DHR_EIO (unreadable), DHR_ERROR (not valid gold JSON; the message
 *         says where) or DHR_ENOMEM
 */
int dhr_gold_load(dhr_gold **out, const char *path, dhr_error *err);

/** The gold labels of facet `facet` of a recommendation, or NULL when it has none. Borrowed. */
const dhr_gold_labels *dhr_gold_rec_labels(const dhr_gold_rec *rec, const char *facet);

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
