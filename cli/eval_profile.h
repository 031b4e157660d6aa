/*
 * cli/eval_profile.h: the case-profile part of 'dhr eval' (cli/eval_profile.c).
 */
#ifndef DHR_CLI_EVAL_PROFILE_H
#define DHR_CLI_EVAL_PROFILE_H

#include <cJSON.h>
#include <glib.h>

#include "dhr/gold.h"

/**
 * Score the profiles of `scan` against the "profile" objects of the gold file
 * at `gold_path` (already loaded as `gold`): per attribute accuracy,
 * precision (correct / answered) and coverage (answered / total). Adds
 * out["profile"]; prints the table unless `json`; with `verbose` appends
 * every wrong value (rule and sentence) to `details`.
 * @return 0, or -1 when the gold file cannot be read again.
 */
int dhr_eval_profiles(cJSON *out, GString *details, const char *gold_path, const dhr_gold *gold,
		      const cJSON *scan, int verbose, int json);

#endif
