/*
 * include/dhr/learn.h: rules proposed from labelled examples (`dhr learn`).
 * For each label of the facets the examples label (themes, agency), the
 * false negatives of the current rules give candidate `match` lines (a word,
 * a 2-3 word phrase, a pair of words with near/before) and the false
 * positives candidate `unless` and `except` lines. Candidates are found in an
 * index of the normalised word n-grams and word pairs of every example (the
 * matcher's own normalisation and word/sentence boundaries), and the
 * shortlisted ones are compiled, each inserted into a copy of its label's
 * rules, by the real rules compiler and run by the real matcher: every figure
 * reported is what that rule line would do. Candidates are ranked by a
 * held-out measure, k-fold cross-validation by document (or report): a
 * candidate counts in a fold only if the training folds alone would have
 * proposed it, and its held-out gain is what it does to the held-out fold.
 */
#ifndef DHR_LEARN_H
#define DHR_LEARN_H

#include <stddef.h>

#include "dhr/common.h"
#include "dhr/rules.h"

/** The gold labels of one example for one facet (borrowed). */
typedef struct dhr_learn_labels {
	const char *facet;      /**< "theme", "agency", or another recommendation facet of the rules */
	const char *const *ids; /**< label ids; none: labelled with no label (multi), not labelled (single) */
	size_t n;
} dhr_learn_labels;

/** One labelled recommendation (all strings borrowed for the call). */
typedef struct dhr_learn_example {
	const char *text;               /**< the recommendation */
	const char *agency_text;        /**< the stated lead agency, or NULL */
	const dhr_learn_labels *labels; /**< one entry per facet it is labelled for */
	size_t n_labels;
	const char *group; /**< cross-validation unit (document, report), or NULL: the example alone */
	const char *where; /**< for display ("reports/x.pdf #3", "dev.tsv:12"), or NULL */
} dhr_learn_example;

/** Options of dhr_learn_run(). Zero-initialise, then set what you need. */
typedef struct dhr_learn_opts {
	const char *rules_path; /**< the rules to improve (a file), or NULL for the built-in rules */
	const char *label;      /**< only this label ("id" or "facet.id"), or NULL for every label */
	double min_precision;   /**< drop candidates whose precision on the examples is below this */
	double apply_precision; /**< opts.apply takes only lines at least this precise (0: 0.75, or
	                             min_precision when that is higher) */
	int top;                /**< candidates kept per label (0: 5) */
	int folds;              /**< cross-validation folds (0: 5; fewer when there are fewer groups) */
	int min_support;        /**< examples a candidate must put right (0: 2) */
	int apply; /**< also choose lines and write the rules with them (dhr_learn_result.applied) */
	const char *gold_name; /**< named in the comments of the chosen lines */
} dhr_learn_opts;

/** What a candidate does to one example. */
typedef enum dhr_learn_flip_kind {
	DHR_FLIP_GAINED = 0, /**< a false negative becomes a true positive */
	DHR_FLIP_NEW_FP,     /**< a true negative becomes a false positive */
	DHR_FLIP_LOST,       /**< a true positive is lost */
	DHR_FLIP_FIXED_FP    /**< a false positive is removed */
} dhr_learn_flip_kind;

typedef struct dhr_learn_flip {
	size_t example; /**< index into the examples given to dhr_learn_run() */
	dhr_learn_flip_kind kind;
	dhr_field field;   /**< where the candidate's pattern matched: text or agency_text */
	size_t start, end; /**< byte offsets of that match in the field (start == end: not known) */
} dhr_learn_flip;

/** One proposed rule line with its measured effect on the examples. */
typedef struct dhr_learn_cand {
	char *line;            /**< the rule line, ready to paste: `match "share* concerns"` */
	dhr_rule_kind kind;    /**< DHR_RULE_MATCH, DHR_RULE_UNLESS or DHR_RULE_EXCEPT */
	long gained, new_fp;   /**< examples it puts right / wrong (match) */
	long lost, fixed_fp;   /**< true positives lost / false positives removed (unless, except) */
	long hits, hits_right; /**< examples its pattern matches, and how many of those it is right on */
	double precision;      /**< hits_right / hits (match); fixed_fp / (fixed_fp + lost) otherwise */
	double f1_after;       /**< the label's F1 on the examples with this line added */
	double fit_gain;       /**< f1_after - the label's F1 now */
	double cv_gain;        /**< held-out F1 gain, summed over the folds (see the top of this file) */
	long cv_gained, cv_new_fp, cv_lost, cv_fixed_fp; /**< the held-out changes behind cv_gain */
	int cv_folds;                                    /**< folds whose training part proposes it */
	dhr_learn_flip *flips;                           /**< every example it changes, in example order */
	size_t n_flips;
	int applied; /**< chosen for opts.apply */
} dhr_learn_cand;

/** The candidates of one label. */
typedef struct dhr_learn_label {
	char *facet, *id; /**< "theme", "information_sharing" */
	char *where;      /**< "file:line" of its definition in the rules given */
	long tp, fp, fn;  /**< the current rules on the examples */
	double f1;
	int verified_full; /**< 1 when candidates were checked on the whole rules (not the label alone) */
	double f1_applied; /**< with opts.apply: the label's F1 with the chosen lines (checked together) */
	size_t n_applied;  /**< lines chosen for it */
	dhr_learn_cand *cands; /**< best first */
	size_t n_cands;
} dhr_learn_label;

/** The result of dhr_learn_run(). */
typedef struct dhr_learn_result {
	dhr_learn_label *labels;
	size_t n_labels;
	size_t n_examples;
	int folds;         /**< folds used */
	size_t n_groups;   /**< cross-validation units */
	size_t n_verified; /**< candidates compiled and run through the rules engine */
	char *flat;        /**< the rules as one standalone text (includes inlined) */
	char *applied;     /**< with opts.apply: that text with the chosen lines inserted, each
	                        at the end of its label's block under a comment with its figures:
	                        label by label, in rank order, each line that gains held out and
	                        raises the label's F1 together with those chosen before it */
	size_t n_applied;  /**< lines inserted */
	char *source;      /**< where the rules came from */
} dhr_learn_result;

/**
 * Propose rule lines for the labels of `ex`.
 *
 * @param out receives the result (free with dhr_learn_result_free()); NULL on error
 * @return 0; DHR_EUSAGE (no examples, unknown label, a label with no
 *         examples, no facet the examples label: the message says which);
 *         DHR_ERULES / DHR_EIO (the rules); DHR_ENOMEM
 */
int dhr_learn_run(dhr_learn_result **out, const dhr_learn_example *ex, size_t n, const dhr_learn_opts *opts,
                  dhr_error *err);

/** Free a result. NULL is allowed. */
void dhr_learn_result_free(dhr_learn_result *res);

/**
 * The rules at `path` (or the built-in rules when NULL) as one standalone
 * text: each `include` line replaced by the text of the file it names (each
 * file once, as the compiler reads them), so that it compiles on its own.
 * @param out receives a malloc'd, NUL-terminated text (free())
 * @return 0, DHR_EIO (a file is unreadable) or DHR_ENOMEM
 */
int dhr_rules_flatten(char **out, const char *path, dhr_error *err);

/**
 * For a rules text made by dhr_rules_flatten() from the built-in rules and
 * about to be written to `rules_path`: copy every built-in list file it
 * names (`list "FILE"`) into a folder beside it (for "x/learned.rules",
 * "x/learned.lists/FILE") and name them there, so the file stands alone.
 * @param out receives the text (free()); the same text when it names no list
 * @return 0, DHR_EIO (a list could not be written) or DHR_ENOMEM
 */
int dhr_rules_relocate_lists(char **out, const char *text, const char *rules_path, dhr_error *err);

#endif
