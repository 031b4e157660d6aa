/*
 * cli/eval.h: the parts of 'dhr eval' that do not scan PDFs (cli/eval_tsv.c):
 * the check of a gold file's labels against the rules, the scoring of a TSV
 * of labelled recommendation texts, and the --min-* thresholds that make a
 * test fail when a figure drops.
 */
#ifndef DHR_CLI_EVAL_H
#define DHR_CLI_EVAL_H

#include <cJSON.h>
#include <glib.h>

#include "dhr/gold.h"
#include "dhr/rules.h"

/* Counts of one label: true positives, false positives, false negatives. */
typedef struct prf {
	long tp, fp, fn;
} prf;

/* a / b, or 0 when b is 0 */
static inline double ratio(long a, long b)
{
	return b ? (double)a / (double)b : 0.0;
}

static inline double f1(prf p)
{
	double pr = ratio(p.tp, p.tp + p.fp), rc = ratio(p.tp, p.tp + p.fn);
	return pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0.0;
}

/** The --min-* options; a negative value is unset. */
typedef struct dhr_eval_min {
	double macro_f1; /**< --min-macro-f1: theme macro-F1 */
	double agency;   /**< --min-agency: agency accuracy */
	struct {
		char *label; /**< a theme id */
		double min;
	} *f1;           /**< --min-f1 LABEL=X, repeatable */
	size_t n_f1;
} dhr_eval_min;

/** Parse --min-f1 "LABEL=X" into the thresholds; 0 or -1 (message printed). */
int dhr_eval_min_add_f1(dhr_eval_min *m, const char *arg);
/** Parse a figure in [0, 1] for --min-macro-f1 / --min-agency into *out; 0 or -1 (message printed). */
int dhr_eval_min_parse(double *out, const char *option, const char *arg);
void dhr_eval_min_clear(dhr_eval_min *m);

/**
 * Every label of the gold must be a label of the rules (themes of facet
 * theme, agencies of facet agency, extra TSV columns of the facet they name);
 * and every --min-f1 label a theme. Prints the error. @return 0 or -1.
 */
int dhr_eval_check_gold(const dhr_gold *gold, const dhr_rules *rules, const dhr_eval_min *m);

/**
 * Score the rules on a TSV gold set: classify each row (text, and agency_text
 * for the agency facet), keep only rows of `split` when it is not NULL, and
 * fill `out` with the same figures as a gold.json evaluation ("themes",
 * "averages", "agency") plus "gold", "segmentation": {"measured": false} and
 * "facets" for extra facet columns. Prints the readable report unless `json`;
 * `details` receives the --verbose lines. @return 0, or -1 (message printed).
 */
int dhr_eval_tsv(cJSON *out, const dhr_gold *gold, const dhr_rules *rules, const char *split, int verbose, int json,
		 GString *details);

/**
 * Compare the figures of an evaluation (`out`, as filled by either form) with
 * the thresholds; prints one line to stderr for each one not met, naming the
 * figure, and adds "thresholds" to `out`. @return the number not met.
 */
int dhr_eval_thresholds(cJSON *out, const dhr_eval_min *m);

/*
 * One label's figures: appends {KEY: id, precision, recall, f1, support, tp,
 * fp, fn} to the JSON array `arr` and, when `print`, prints the table row.
 */
void dhr_eval_label_row(cJSON *arr, const char *key, const char *id, prf p, int print);

/*
 * dhr_gold_check()'s callback with the rules as payload: is `label` a label of
 * recommendation facet `facet` (or, with label NULL, is there such a facet)?
 */
int dhr_eval_known_label(const char *facet, const char *label, int *single, void *payload);

#endif
