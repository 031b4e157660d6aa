/*
 * include/dhr/output.h: the last stage of the pipeline. Turns the scan.json
 * tree (built by dhr_scan_run(), or read back by `dhr report`) into what
 * analysts use: the CSV tables, the summary table on stdout and the
 * self-contained HTML report, and writes them all into the output folder.
 *
 * Every function here reads the tree and never changes it, so `dhr scan` and
 * `dhr report OUT/scan.json` share one code path. The counts they show are
 * computed from "documents" (see dhr_output_totals()), so a hand-edited
 * scan.json cannot make the charts and the tables disagree.
 *
 * Case types: the homicide / suicide split of every figure puts
 * "homicide_suicide" documents with the homicides, as the reference review
 * does ("included in the intimate partner homicide typology"); documents
 * without a case type make a third, "unknown", column only when there are any.
 */
#ifndef DHR_OUTPUT_H
#define DHR_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "dhr/common.h"

struct cJSON;

/** The scan.json schema_version this code reads and writes. */
#define DHR_SCAN_SCHEMA_VERSION 1

/** Files written by dhr_output_write(); OR them together. */
enum {
	DHR_OUTPUT_JSON = 1u << 0,   /**< scan.json */
	DHR_OUTPUT_SCHEMA = 1u << 1, /**< scan.schema.json (the embedded copy) */
	DHR_OUTPUT_CSV = 1u << 2,    /**< recommendations.csv, themes.csv and cases.csv */
	DHR_OUTPUT_HTML = 1u << 3,   /**< report.html */
	DHR_OUTPUT_ALL = 0xfu
};

/**
 * Check that a tree is a scan.json this version can read: an object with
 * schema_version 1 and a "documents" array of objects that each have a
 * "path" string. Everything else is optional to the readers here (a missing
 * title shows as the file name, a missing facet list is rebuilt from the
 * labels the recommendations use). The full contract is
 * output/scan.schema.json.
 *
 * @return 0, or DHR_ERROR with a message naming the first problem.
 */
int dhr_output_check(const struct cJSON *scan, dhr_error *err);

/**
 * Read and parse a scan.json file and dhr_output_check() it.
 *
 * @param out  receives the tree (free with cJSON_Delete()); NULL on error
 * @return 0, DHR_EIO (missing or unreadable file), DHR_ENOMEM, or DHR_ERROR
 *         (not JSON, or not a scan: the message names the file and the problem)
 */
int dhr_output_load(struct cJSON **out, const char *path, dhr_error *err);

/**
 * Compute the "totals" object of scan.json from the documents and facets of
 * `scan`: documents, documents_failed, recommendations, themes (every theme
 * of the facet, 0 included), groups (recommendations with at least one theme
 * of the group), agencies (every agency label, 0 included; a recommendation
 * without one counts as "unknown"), case_types (documents) and
 * themes_by_case_type. Each recommendation counts once per theme, even if its
 * "themes" array repeats one. The scan stage can use this to fill in totals.
 *
 * @param out  receives a new cJSON object (free with cJSON_Delete())
 * @return 0, DHR_ERROR (not a scan) or DHR_ENOMEM
 */
int dhr_output_totals(struct cJSON **out, const struct cJSON *scan, dhr_error *err);

/**
 * recommendations.csv: one row per recommendation, columns
 * document, id, number, section, pages ("31;44"), agency, agency_text, scope,
 * case_type, themes ("training;policy"), text.
 *
 * CSV format (both CSV functions): RFC 4180 (fields with a comma, quote, CR
 * or LF are quoted, quotes doubled, CRLF line ends), UTF-8 with a byte-order
 * mark so Excel reads it as UTF-8, and any cell that begins with '=', '+',
 * '-', '@', a tab or a CR gets a leading apostrophe so that no spreadsheet
 * treats text from a PDF as a formula.
 *
 * @param out  receives a malloc'd buffer, NUL-terminated (free with free())
 * @param len  receives its length without the NUL
 * @return 0, DHR_ERROR (not a scan) or DHR_ENOMEM; *out is NULL on error
 */
int dhr_output_csv_recommendations(char **out, size_t *len, const struct cJSON *scan, dhr_error *err);

/**
 * themes.csv: the tidy table, one row per recommendation x theme, columns
 * document, id, theme, theme_name, group, agency, case_type. A recommendation
 * with no theme has one row with an empty theme and the theme_name
 * "(no theme)", so that in a pivot table a count of rows per theme gives the
 * theme counts, the blank theme gives the unthemed recommendations, and a
 * distinct count of id gives the number of recommendations (the denominator
 * of every share). Format as dhr_output_csv_recommendations().
 */
int dhr_output_csv_themes(char **out, size_t *len, const struct cJSON *scan, dhr_error *err);

/**
 * cases.csv: one row per document, columns document, title, case_type, then
 * one per attribute of the documents' profiles in rules order (a number
 * attribute with bands has two: the value and NAME_band); "unknown" where a
 * report does not say, empty for a document that failed. Format as
 * dhr_output_csv_recommendations().
 */
int dhr_output_csv_cases(char **out, size_t *len, const struct cJSON *scan, dhr_error *err);

/**
 * Print the summary table that `dhr scan` shows at the end: headline counts,
 * recommendations per theme (the pathways group first with its group total,
 * then the other themes, most frequent first), each with its share of all
 * recommendations and split homicide / suicide, then lead agencies, then the
 * failed documents with their reasons. Plain text, at most 100 columns.
 *
 * @return 0, DHR_ERROR (not a scan), DHR_ENOMEM or DHR_EIO (write error)
 */
int dhr_output_summary(FILE *f, const struct cJSON *scan);

/**
 * The self-contained HTML report (one file; inline CSS, SVG charts and a
 * little JavaScript; no external requests): headline figures, the themes
 * chart split homicide / suicide, lead agencies, the agency x theme heat map,
 * the sortable table of documents and every recommendation with its matched
 * spans highlighted, filterable by theme, agency and document. All text from
 * the scan is HTML-escaped; a Content-Security-Policy allows only the
 * report's own script (by hash).
 *
 * @param out  receives a malloc'd NUL-terminated buffer (free with free())
 * @param len  receives its length without the NUL
 * @return 0, DHR_ERROR (not a scan) or DHR_ENOMEM; *out is NULL on error
 */
int dhr_output_report(char **out, size_t *len, const struct cJSON *scan, dhr_error *err);

/**
 * Write the outputs chosen by `what` (DHR_OUTPUT_*) into the folder `dir`
 * (created if missing): scan.json, scan.schema.json, recommendations.csv,
 * themes.csv and report.html. Each file is written atomically
 * (dhr_write_atomic), so an interrupted run leaves old or new files, never
 * half of one.
 *
 * @return 0, DHR_EIO (the message names the file), DHR_ERROR (not a scan)
 *         or DHR_ENOMEM
 */
int dhr_output_write(const char *dir, const struct cJSON *scan, unsigned what, dhr_error *err);

#endif
