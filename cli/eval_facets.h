/*
 * cli/eval_facets.h: scoring of the facets a gold file labels in its generic
 * "labels" map, for 'dhr eval' (cli/eval_facets.c).
 */
#ifndef DHR_CLI_EVAL_FACETS_H
#define DHR_CLI_EVAL_FACETS_H

#include <glib.h>
#include <stddef.h>

#include "dhr/gold.h"
#include "dhr/rules.h"

struct cJSON;

typedef struct dhr_eval_facets dhr_eval_facets;

/**
 * The facets to score: every recommendation-scope facet of `rules` that at
 * least one gold recommendation labels. Both must outlive the result.
 * @return a new scorer (free with dhr_eval_facets_free()), or NULL when out of memory
 */
dhr_eval_facets *dhr_eval_facets_new(const dhr_rules *rules, const dhr_gold *gold);
void dhr_eval_facets_free(dhr_eval_facets *e);

/** How many facets are scored. */
size_t dhr_eval_facets_count(const dhr_eval_facets *e);

/**
 * Count one matched pair: the predicted recommendation of scan.json (its
 * "labels" map) against the gold one. Every mismatch is appended to
 * `details` when it is not NULL.
 */
void dhr_eval_facets_pair(dhr_eval_facets *e, const struct cJSON *pred, const dhr_gold_rec *gold,
                          GString *details, const char *file);

/** Add "facets": {NAME: {...}} to `out`, and print the tables when `print`. */
void dhr_eval_facets_report(const dhr_eval_facets *e, struct cJSON *out, int print);

#endif
