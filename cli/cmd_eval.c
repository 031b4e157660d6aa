/*
 * cli/cmd_eval.c: 'dhr eval', the rules and segmenter measured against
 * labelled truth. Scans the PDFs a gold file names (through the cache, so a
 * rules edit costs no extraction), pairs predicted with gold
 * recommendations by DESIGN.md's rule (include/dhr/gold.h), and reports
 * segmentation precision/recall, per-theme precision/recall/F1 with
 * support, micro and macro averages, agency and case-type accuracy, and
 * the same for every facet the gold labels in its "labels" map
 * (cli/eval_facets.c: e.g. ho_theme and ho_agency of rules/homeoffice.rules).
 * A TSV gold file (labelled texts, no reports) is scored by cli/eval_tsv.c;
 * the --min-* thresholds apply to both.
 */
#include "commands.h"
#include "eval.h"
#include "eval_facets.h"
#include "eval_profile.h"
#include "dhr/extract.h"
#include "dhr/gold.h"
#include "dhr/rules.h"
#include "dhr/scan.h"

#include <cJSON.h>
#include <getopt.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: dhr eval [-r RULES] [--verbose] [--json] [--cache DIR] [--ocr MODE] [--split NAME]\n"
	      "                [--min-macro-f1 X] [--min-f1 LABEL=X]... [--min-agency X] GOLD.json|GOLD.tsv\n"
	      "\n"
	      "Measure the segmenter and the rules against labelled recommendations. GOLD.json is\n"
	      "{\"documents\": [{\"file\": \"reports/x.pdf\", \"case_type\": \"homicide\",\n"
	      "  \"recommendations\": [{\"text\": ..., \"themes\": [...], \"agency\": ...}]}]}\n"
	      "with files relative to GOLD.json's folder. A found recommendation matches a gold one\n"
	      "when their lower-cased word sets overlap with Jaccard >= 0.5, one to one. Themes and\n"
	      "agency are scored on the matched pairs; unmatched ones count against segmentation.\n"
	      "Any other facet of the rules that the gold labels in a recommendation's \"labels\"\n"
	      "map ({\"ho_theme\": [...], \"ho_agency\": \"police\"}) is scored too.\n"
	      "\n"
	      "GOLD.tsv (told from JSON by its content) holds labelled recommendation texts, one a row,\n"
	      "under a header naming the columns: text, themes (ids separated by , or ;), agency (an id\n"
	      "or unknown), and optionally agency_text, report, split, source, number, notes and columns\n"
	      "named after further facets. The old headerless form text<TAB>themes<TAB>agency is read\n"
	      "too. Each row is classified as 'dhr classify' would; segmentation is not measured, and\n"
	      "agency accuracy counts the rows whose gold agency is not unknown. An id in the gold that\n"
	      "the rules do not define is an error naming FILE:LINE.\n"
	      "\n"
	      "options:\n"
	      "  -r, --rules FILE   rules to evaluate (default: the built-in rules; or a built-in set by\n"
	      "                     name: default, homeoffice, combined)\n"
	      "  -v, --verbose      list every false positive (with the rule that fired) and every\n"
	      "                     false negative (with its text), and segmentation misses\n"
	      "      --json         machine-readable output\n"
	      "      --cache DIR    extraction cache (default: $XDG_CACHE_HOME/dhr or ~/.cache/dhr)\n"
	      "      --ocr MODE     OCR as in 'dhr scan': auto (default), off or force\n"
	      "      --split NAME   TSV: only the rows whose split column is NAME (e.g. test)\n"
	      "      --min-macro-f1 X, --min-f1 LABEL=X (repeatable), --min-agency X\n"
	      "                     exit 1, naming the figure, when theme macro-F1, a theme's F1 or\n"
	      "                     agency accuracy is below X (0 to 1)\n"
	      "  -h, --help         this help\n"
	      "\n"
	      "example:\n"
	      "  dhr eval corpus/gold.json\n"
	      "  dhr eval -r my.rules --verbose corpus/gold.json | less\n"
	      "  dhr eval --split test --min-macro-f1 0.85 --min-f1 training=0.85 --min-agency 0.85 dev.tsv\n"
	      "\n"
	      "exit status: 0 done (every threshold met); 1 a threshold not met; 2 usage, rules or gold error\n",
	      f);
}


static int has(const cJSON *arr, const char *id)
{
	const cJSON *t;
	cJSON_ArrayForEach(t, arr) if (cJSON_IsString(t) && strcmp(t->valuestring, id) == 0) return 1;
	return 0;
}

static int gold_has(const dhr_gold_rec *g, const char *id)
{
	for (size_t i = 0; i < g->n_themes; i++)
		if (strcmp(g->themes[i], id) == 0)
			return 1;
	return 0;
}

static const cJSON *find_doc(const cJSON *scan, const char *path)
{
	const cJSON *d, *p;
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(scan, "documents"))
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(d, "paths")) if (strcmp(p->valuestring, path) == 0) return d;
	return NULL;
}

/* the rule(s) that gave `label` to a predicted recommendation */
static void rules_for(GString *s, const cJSON *rec, const char *label)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(rec, "evidence"))
	{
		const char *l = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "label"));
		if (l && strcmp(l, label) == 0)
			g_string_append_printf(s, " %s \"%s\"",
					       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "rule")),
					       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "match")));
	}
}

static const char *str_or(const cJSON *o, const char *key, const char *dflt)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
	return s ? s : dflt;
}

static void warn_cb(const char *message, void *payload)
{
	(void)payload;
	fprintf(stderr, "dhr: warning: %s\n", message);
}

int dhr_cmd_eval(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"rules", required_argument, NULL, 'r'}, {"verbose", no_argument, NULL, 'v'},
		{"json", no_argument, NULL, 'J'},        {"cache", required_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},        {"split", required_argument, NULL, 'S'},
		{"min-macro-f1", required_argument, NULL, 'M'}, {"min-f1", required_argument, NULL, 'F'},
		{"min-agency", required_argument, NULL, 'A'},   {"ocr", required_argument, NULL, 'O'},
		{NULL, 0, NULL, 0},
	};
	const char *split = NULL;
	dhr_eval_min mins = {.macro_f1 = -1, .agency = -1};
	const char *rules_path = NULL, *cache = NULL;
	int verbose = 0, json = 0, c, ocr = DHR_OCR_AUTO;
	while ((c = getopt_long(argc, argv, "r:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': rules_path = optarg; break;
		case 'v': verbose = 1; break;
		case 'J': json = 1; break;
		case 'C': cache = optarg; break;
		case 'S': split = optarg; break;
		case 'O':
			if ((ocr = dhr_ocr_mode_parse(optarg)) < 0) {
				dhr_cli_errorf("eval: --ocr takes auto, off or force, not '%s'", optarg);
				goto usage_error;
			}
			break;
		case 'M':
			if (dhr_eval_min_parse(&mins.macro_f1, "--min-macro-f1", optarg) < 0)
				goto usage_error;
			break;
		case 'F':
			if (dhr_eval_min_add_f1(&mins, optarg) < 0)
				goto usage_error;
			break;
		case 'A':
			if (dhr_eval_min_parse(&mins.agency, "--min-agency", optarg) < 0)
				goto usage_error;
			break;
		case 'h': dhr_eval_min_clear(&mins); usage(stdout); return DHR_EXIT_OK;
		default: usage(stderr); goto usage_error;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		goto usage_error;
	}
	int rc = DHR_EXIT_FATAL;
	dhr_gold *gold = NULL;
	dhr_rules *rules = NULL;
	cJSON *scan = NULL, *out = cJSON_CreateObject();
	dhr_eval_facets *ef = NULL;
	char *own_cache = NULL;
	const char **paths = NULL;
	GString *details = g_string_new(NULL);
	dhr_error err;
	dhr_error_clear(&err);

	if (dhr_gold_load(&gold, argv[optind], &err) < 0) {
		dhr_cli_errorf("eval: %s", err.message);
		goto cleanup;
	}
	if (dhr_cli_load_rules(&rules, rules_path, NULL, NULL) < 0)
		goto cleanup;
	if (dhr_eval_check_gold(gold, rules, &mins) < 0)
		goto cleanup;
	if (gold->format == DHR_GOLD_TSV) {
		if (dhr_eval_tsv(out, gold, rules, split, verbose, json, details) < 0)
			goto cleanup;
		rc = dhr_eval_thresholds(out, &mins) ? DHR_EXIT_PARTIAL : DHR_EXIT_OK;
		if (json) {
			if (verbose)
				cJSON_AddStringToObject(out, "details", details->str);
			char *s = cJSON_Print(out);
			puts(s);
			cJSON_free(s);
		} else if (verbose && details->len) {
			printf("\n%s", details->str);
		}
		goto cleanup;
	}
	if (split) {
		dhr_cli_errorf("eval: --split needs a TSV gold file (%s is gold.json)", argv[optind]);
		goto cleanup;
	}
	if (!cache)
		cache = own_cache = g_build_filename(g_get_user_cache_dir(), "dhr", NULL);
	paths = calloc(gold->n_docs + 1, sizeof *paths);
	for (size_t i = 0; i < gold->n_docs; i++)
		paths[i] = gold->docs[i].path;
	dhr_scan_opts so = {0};
	so.cache_dir = cache;
	so.rules = rules;
	so.warn = warn_cb;
	so.ocr = ocr;
	if (dhr_scan_run(&scan, NULL, paths, gold->n_docs, &so, &err) < 0) {
		dhr_cli_errorf("eval: %s", err.message);
		goto cleanup;
	}

	ef = dhr_eval_facets_new(rules, gold);
	int theme_facet = dhr_rules_facet_find(rules, "theme");
	int agency_facet = dhr_rules_facet_find(rules, "agency");
	const dhr_facet_info *tf = theme_facet >= 0 ? dhr_rules_facet(rules, (size_t)theme_facet) : NULL;
	size_t n_themes = tf ? tf->n_labels : 0;
	prf seg = {0, 0, 0}, *themes = calloc(n_themes + 1, sizeof *themes);
	long agency_ok = 0, pairs_total = 0, case_ok = 0, case_n = 0, exact_docs = 0;
	cJSON *jdocs = cJSON_AddArrayToObject(out, "documents");

	for (size_t di = 0; di < gold->n_docs; di++) {
		const dhr_gold_doc *gd = &gold->docs[di];
		const cJSON *sd = find_doc(scan, gd->path);
		const cJSON *recs = cJSON_GetObjectItemCaseSensitive(sd, "recommendations");
		size_t n_pred = (size_t)cJSON_GetArraySize(recs);
		const char **pred = calloc(n_pred + 1, sizeof *pred), **gt = calloc(gd->n_recs + 1, sizeof *gt);
		const cJSON **prec = calloc(n_pred + 1, sizeof *prec);
		size_t k = 0;
		const cJSON *r;
		cJSON_ArrayForEach(r, recs)
		{
			prec[k] = r;
			pred[k++] = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "text"));
		}
		for (size_t g = 0; g < gd->n_recs; g++)
			gt[g] = gd->recs[g].text;
		size_t *p2g = calloc(n_pred + 1, sizeof *p2g), *g2p = calloc(gd->n_recs + 1, sizeof *g2p);
		long pairs = dhr_gold_match(p2g, g2p, pred, n_pred, gt, gd->n_recs, DHR_GOLD_MATCH_THRESHOLD);
		if (pairs < 0)
			pairs = 0;
		seg.tp += pairs;
		seg.fp += (long)n_pred - pairs;
		seg.fn += (long)gd->n_recs - pairs;
		exact_docs += n_pred == gd->n_recs;
		const char *ct = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sd, "case_type"));
		if (gd->case_type) {
			case_n++;
			case_ok += ct && strcmp(ct, gd->case_type) == 0;
			if (verbose && !(ct && strcmp(ct, gd->case_type) == 0))
				g_string_append_printf(details, "CASE TYPE %s: predicted %s, gold %s\n", gd->file,
						       ct ? ct : "(none)", gd->case_type);
		}
		cJSON *jd = cJSON_CreateObject();
		cJSON_AddStringToObject(jd, "file", gd->file);
		cJSON_AddNumberToObject(jd, "gold", (double)gd->n_recs);
		cJSON_AddNumberToObject(jd, "found", (double)n_pred);
		cJSON_AddNumberToObject(jd, "matched", (double)pairs);
		if (ct)
			cJSON_AddStringToObject(jd, "case_type", ct);
		else
			cJSON_AddNullToObject(jd, "case_type");
		cJSON_AddStringToObject(jd, "gold_case_type", gd->case_type ? gd->case_type : "");
		cJSON_AddItemToArray(jdocs, jd);
		for (size_t p = 0; p < n_pred; p++) {
			if (p2g[p] == (size_t)-1) {
				if (verbose)
					g_string_append_printf(details, "SEGMENT extra %s #%s: %.200s\n", gd->file,
							       str_or(prec[p], "number", "-"),
							       pred[p]);
				continue;
			}
			const dhr_gold_rec *g = &gd->recs[p2g[p]];
			const cJSON *pt = cJSON_GetObjectItemCaseSensitive(prec[p], "themes");
			pairs_total++;
			if (ef)
				dhr_eval_facets_pair(ef, prec[p], g, verbose ? details : NULL, gd->file);
			for (size_t t = 0; t < n_themes; t++) {
				const char *id = dhr_rules_label(rules, tf->labels[t])->id;
				int in_p = has(pt, id), in_g = gold_has(g, id);
				themes[t].tp += in_p && in_g;
				themes[t].fp += in_p && !in_g;
				themes[t].fn += !in_p && in_g;
				if (verbose && in_p != in_g) {
					GString *why = g_string_new(NULL);
					if (in_p)
						rules_for(why, prec[p], id);
					g_string_append_printf(details, "%s %-24s %s #%s:%s\n    %.240s\n", in_p ? "FP" : "FN", id,
							       gd->file, g->number ? g->number : "-", why->str, pred[p]);
					g_string_free(why, TRUE);
				}
			}
			const char *pa = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(prec[p], "agency"));
			int aok = pa && g->agency && strcmp(pa, g->agency) == 0;
			agency_ok += aok;
			if (verbose && !aok && agency_facet >= 0)
				g_string_append_printf(details, "AGENCY %s #%s: predicted %s, gold %s (stated: %s)\n    %.200s\n",
						       gd->file, g->number ? g->number : "-", pa ? pa : "(none)",
						       g->agency ? g->agency : "(none)",
						       str_or(prec[p], "agency_text", "-"),
						       pred[p]);
		}
		for (size_t g = 0; verbose && g < gd->n_recs; g++)
			if (g2p[g] == (size_t)-1)
				g_string_append_printf(details, "SEGMENT missed %s #%s: %.200s\n", gd->file,
						       gd->recs[g].number ? gd->recs[g].number : "-", gd->recs[g].text);
		free(pred);
		free(gt);
		free(prec);
		free(p2g);
		free(g2p);
	}

	/* the report */
	cJSON *js = cJSON_AddObjectToObject(out, "segmentation");
	cJSON_AddBoolToObject(js, "measured", 1);
	double sp = ratio(seg.tp, seg.tp + seg.fp), sr = ratio(seg.tp, seg.tp + seg.fn);
	cJSON_AddNumberToObject(js, "precision", sp);
	cJSON_AddNumberToObject(js, "recall", sr);
	cJSON_AddNumberToObject(js, "f1", f1(seg));
	cJSON_AddNumberToObject(js, "documents_exact", (double)exact_docs);
	cJSON_AddNumberToObject(js, "documents", (double)gold->n_docs);
	cJSON_AddNumberToObject(js, "matched", (double)seg.tp);
	cJSON_AddNumberToObject(js, "found", (double)(seg.tp + seg.fp));
	cJSON_AddNumberToObject(js, "gold", (double)(seg.tp + seg.fn));
	cJSON *jt = cJSON_AddArrayToObject(out, "themes");
	prf micro = {0, 0, 0};
	double macro = 0;
	size_t macro_n = 0;
	if (!json) {
		printf("Segmentation: precision %.3f  recall %.3f  F1 %.3f  (%ld matched, %ld found, %ld gold; "
		       "exact count in %ld of %zu reports)\n\n",
		       sp, sr, f1(seg), seg.tp, seg.tp + seg.fp, seg.tp + seg.fn, exact_docs, gold->n_docs);
		if (tf)
			printf("%-26s %9s %9s %9s %8s   (on the %ld matched recommendations)\n", "theme", "precision",
			       "recall", "F1", "support", pairs_total);
	}
	for (size_t t = 0; t < n_themes; t++) {
		const char *id = dhr_rules_label(rules, tf->labels[t])->id;
		prf p = themes[t];
		micro.tp += p.tp;
		micro.fp += p.fp;
		micro.fn += p.fn;
		long support = p.tp + p.fn;
		if (support > 0 || p.fp > 0) {
			macro += f1(p);
			macro_n++;
		}
		dhr_eval_label_row(jt, "theme", id, p, !json);
	}
	macro = macro_n ? macro / (double)macro_n : 0;
	cJSON *jm = cJSON_AddObjectToObject(out, "averages");
	cJSON_AddNumberToObject(jm, "micro_precision", ratio(micro.tp, micro.tp + micro.fp));
	cJSON_AddNumberToObject(jm, "micro_recall", ratio(micro.tp, micro.tp + micro.fn));
	cJSON_AddNumberToObject(jm, "micro_f1", f1(micro));
	cJSON_AddNumberToObject(jm, "macro_f1", macro);
	double acc = ratio(agency_ok, pairs_total);
	if (agency_facet >= 0) {
		cJSON *ja = cJSON_AddObjectToObject(out, "agency");
		cJSON_AddNumberToObject(ja, "accuracy", acc);
		cJSON_AddNumberToObject(ja, "correct", (double)agency_ok);
		cJSON_AddNumberToObject(ja, "total", (double)pairs_total);
	}
	cJSON *jc = cJSON_AddObjectToObject(out, "case_type");
	cJSON_AddNumberToObject(jc, "accuracy", ratio(case_ok, case_n));
	cJSON_AddNumberToObject(jc, "correct", (double)case_ok);
	cJSON_AddNumberToObject(jc, "total", (double)case_n);
	if (ef)
		dhr_eval_facets_report(ef, out, !json);
	if (!json && ef && dhr_eval_facets_count(ef))
		printf("\n");
	cJSON *jr = cJSON_AddObjectToObject(out, "rules");
	cJSON_AddStringToObject(jr, "source", dhr_rules_source(rules));
	cJSON_AddStringToObject(jr, "sha256", dhr_rules_sha256(rules));
	int unmet = dhr_eval_thresholds(out, &mins);
	if (json) {
		dhr_eval_profiles(out, details, argv[optind], gold, scan, verbose, 1);
		if (verbose)
			cJSON_AddStringToObject(out, "details", details->str);
		char *s = cJSON_Print(out);
		puts(s);
		cJSON_free(s);
	} else {
		if (tf) {
			printf("%-26s %9.3f %9.3f %9.3f\n", "micro average", ratio(micro.tp, micro.tp + micro.fp),
			       ratio(micro.tp, micro.tp + micro.fn), f1(micro));
			printf("%-26s %29.3f\n\n", "macro average (F1)", macro);
		}
		if (agency_facet >= 0)
			printf("Agency accuracy:    %.3f (%ld of %ld)\n", acc, agency_ok, pairs_total);
		printf("Case-type accuracy: %.3f (%ld of %ld)\n", ratio(case_ok, case_n), case_ok, case_n);
		dhr_eval_profiles(out, details, argv[optind], gold, scan, verbose, 0);
		printf("Rules: %s (sha256 %.12s)\n", dhr_rules_source(rules), dhr_rules_sha256(rules));
		if (verbose && details->len)
			printf("\n%s", details->str);
	}
	free(themes);
	rc = unmet ? DHR_EXIT_PARTIAL : DHR_EXIT_OK;
cleanup:
	dhr_eval_min_clear(&mins);
	dhr_eval_facets_free(ef);
	g_string_free(details, TRUE);
	free(paths);
	g_free(own_cache);
	cJSON_Delete(out);
	cJSON_Delete(scan);
	dhr_rules_free(rules);
	dhr_gold_free(gold);
	return rc;
usage_error:
	dhr_eval_min_clear(&mins);
	return DHR_EXIT_FATAL;
}
