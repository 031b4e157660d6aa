/*
 * include/dhr/segment.h: the second stage. Finds each unique recommendation of
 * a report in its dhr_doc: recommendations sections found by heading, items
 * split by their numbering, action-plan table rows rebuilt, and the copies in
 * the executive summary, the chapter and the action plan merged into one.
 */
#ifndef DHR_SEGMENT_H
#define DHR_SEGMENT_H

#include "dhr/common.h"
#include "dhr/doc.h"

/** One recommendation. All strings owned by the enclosing dhr_recs. */
typedef struct dhr_rec {
	char *id;          /**< stable within the document: "<sha256 prefix>-<n>" or "r<n>" */
	char *number;      /**< as printed ("6.2", "R3", "10.3b"), or NULL */
	char *text;        /**< the recommendation's text, whitespace normalised */
	int *pages;        /**< 1-based pages where it (or a copy) appears, ascending */
	size_t n_pages;
	char *section;     /**< "recommendations", "executive_summary", "single_agency", "action_plan" */
	char *agency_text; /**< stated lead agency (table cell or sub-heading or subject), or NULL */
	char *scope;       /**< "local", "regional", "national", or NULL */
} dhr_rec;

/** The recommendations of one document. */
typedef struct dhr_recs {
	dhr_rec *items;
	size_t n;
	char *warning; /**< why the list is empty or doubtful, or NULL */
} dhr_recs;

/**
 * Find the recommendations of a document.
 *
 * Sections are found by their headings (font size, weight, numbering, the
 * outline); items by their numbering ("Recommendation 1:", "1.", "7.1",
 * "10.1.1.1", "9.1 a", "10.3b", "R1", "(a)", bullets), with a lead-in's parts,
 * paragraphs and page breaks kept inside one item; action-plan tables row by
 * row. Contents entries, terms of reference, quoted recommendations of an
 * earlier review, narrative, footnotes, running headers and footers and a
 * bound Home Office letter are left out. Copies in the executive summary,
 * chapter and action plan become one item listing all their pages, with the
 * chapter's wording and the plan's agency and scope where the chapter has none.
 * Items come in document order of the kept copy. Pure function of `doc`:
 * thread-safe, no I/O.
 *
 * @param out receives the list (free with dhr_recs_free()); never NULL on success,
 *            possibly empty with `warning` set ("no recommendations section found",
 *            "recommendations section found but no recommendations in it")
 * @param doc the document (not modified)
 * @param err receives the message on failure; may be NULL
 * @return 0 or DHR_ENOMEM (then *out is NULL)
 */
int dhr_segment(dhr_recs **out, const dhr_doc *doc, dhr_error *err);

/**
 * Version of the segmenter's output; part of the scan cache key. Bump on any change of output.
 * 2: first implementation (sections, prose items, action-plan tables, merging).
 */
#define DHR_SEGMENT_VERSION 2

/** Free a list from dhr_segment(). NULL is allowed. */
void dhr_recs_free(dhr_recs *recs);

#endif
