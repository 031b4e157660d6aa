/*
 * output/summary.c: the plain-text summary `dhr scan` prints at the end, laid
 * out like the figures of the reference review: recommendations per theme
 * (the pathways group with its total first) with their share of all
 * recommendations and the homicide / suicide split, then lead agencies, then
 * every other recommendation facet of the rules the same way, then the
 * report tags (documents carrying each label), then failed documents and why. At most 100 columns; control characters from
 * the scan are replaced so a PDF cannot send escape sequences to a terminal.
 */
#include "dhr/output.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define SUMMARY_WIDTH 100
#define NAME_WIDTH 49

/* Append `s` made safe for a terminal (controls and bad UTF-8 as '?'), cut
 * with "..." to at most `width` characters, padded with spaces when `pad`. */
static void put_plain(dhr_obuf *b, const char *s, size_t width, int pad)
{
	if (!s)
		s = "";
	size_t n = strlen(s), w = dhr_utf8_width(s), adv, used = 0;
	size_t keep = w > width ? (width > 3 ? width - 3 : 0) : w;
	for (size_t i = 0; i < n && used < keep; i += adv, used++) {
		unsigned cp = dhr_utf8_decode(s + i, n - i, &adv);
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    (cp == 0xfffd && !(adv == 3 && memcmp(s + i, "\xef\xbf\xbd", 3) == 0)))
			dhr_obuf_putc(b, cp == '\t' || cp == '\n' ? ' ' : '?');
		else
			dhr_obuf_put(b, s + i, adv);
	}
	if (w > width) {
		dhr_obuf_puts(b, width >= 3 ? "..." : "");
		used += width >= 3 ? 3 : 0;
	}
	while (pad && used++ < width)
		dhr_obuf_putc(b, ' ');
}

/* Word-wrap `s` at SUMMARY_WIDTH, every line starting with `indent` spaces. */
static void put_wrapped(dhr_obuf *b, const char *s, size_t indent)
{
	size_t room = SUMMARY_WIDTH - indent;
	char *copy = strdup(s ? s : "");
	if (!copy) {
		b->failed = 1;
		return;
	}
	char *p = copy;
	while (*p) {
		size_t w = 0, adv, cut = 0, i = 0, n = strlen(p);
		/* find the last space within `room` characters */
		for (i = 0; i < n && w < room; i += adv, w++) {
			dhr_utf8_decode(p + i, n - i, &adv);
			if (p[i] == ' ')
				cut = i;
		}
		if (i >= n)
			cut = n;
		else if (cut == 0)
			cut = i; /* one long word: hard break */
		char keep = p[cut];
		p[cut] = '\0';
		dhr_obuf_printf(b, "%*s", (int)indent, "");
		put_plain(b, p, room, 0);
		dhr_obuf_putc(b, '\n');
		p[cut] = keep;
		p += cut;
		while (*p == ' ')
			p++;
	}
	free(copy);
}

/* Columns: the name, then one "count share" group for all recommendations
 * and one per split: 49 + 12 + 3 x 13 = 100. */
static void put_group(dhr_obuf *b, int first, size_t n, size_t of)
{
	dhr_obuf_printf(b, "%s%5zu %5.1f%%", first ? "" : " ", n, dhr_pct(n, of));
}

static void put_group_head(dhr_obuf *b, int first, const char *text)
{
	dhr_obuf_printf(b, "%*s", first ? 12 : 13, text);
}

/* The header of a figure: name column, all, and the split columns. */
static void put_table_head(dhr_obuf *b, const dhr_agg *agg, const char *title, int unknown)
{
	char of[4][32];
	snprintf(of[0], sizeof of[0], "of %zu", agg->n_recs);
	for (int s = 0; s < DHR_SPLIT_N; s++)
		snprintf(of[s + 1], sizeof of[s + 1], "of %zu", agg->recs_split[s]);
	dhr_obuf_puts(b, "\n");
	put_plain(b, title, NAME_WIDTH, 1);
	put_group_head(b, 1, "All recs");
	put_group_head(b, 0, "Homicide*");
	put_group_head(b, 0, "Suicide");
	if (unknown)
		put_group_head(b, 0, "Unknown");
	dhr_obuf_puts(b, "\n");
	put_plain(b, "", NAME_WIDTH, 1);
	for (int g = 0; g < (unknown ? 4 : 3); g++)
		put_group_head(b, g == 0, of[g]);
	dhr_obuf_puts(b, "\n");
	for (size_t i = 0; i < NAME_WIDTH + 12 + (unknown ? 39u : 26u); i++)
		dhr_obuf_putc(b, '-');
	dhr_obuf_puts(b, "\n");
}

static void put_row(dhr_obuf *b, const dhr_agg *agg, const char *name, size_t indent, size_t count,
                    const size_t split[DHR_SPLIT_N], int unknown)
{
	dhr_obuf_printf(b, "%*s", (int)indent, "");
	put_plain(b, name, NAME_WIDTH - indent, 1);
	put_group(b, 1, count, agg->n_recs);
	for (int s = 0; s < DHR_SPLIT_N; s++)
		if (s != DHR_SPLIT_UNKNOWN || unknown)
			put_group(b, 0, split[s], agg->recs_split[s]);
	dhr_obuf_puts(b, "\n");
}

static void put_headline(dhr_obuf *b, const dhr_agg *agg)
{
	size_t read = agg->n_docs - agg->n_failed, warned = 0, warnings = 0;
	for (size_t i = 0; i < agg->n_docs; i++) {
		warned += agg->docs[i].n_warnings > 0;
		warnings += agg->docs[i].n_warnings;
	}
	dhr_obuf_printf(
	    b, "Documents        %zu (%zu read, %zu failed): %zu homicide, %zu homicide-suicide, %zu suicide",
	    agg->n_docs, read, agg->n_failed, dhr_agg_case_docs(agg, "homicide"),
	    dhr_agg_case_docs(agg, "homicide_suicide"), dhr_agg_case_docs(agg, "suicide"));
	if (agg->docs_split[DHR_SPLIT_UNKNOWN])
		dhr_obuf_printf(b, ",\n                 %zu with no case type",
		                agg->docs_split[DHR_SPLIT_UNKNOWN]);
	dhr_obuf_printf(b, "\nRecommendations  %zu: %zu from homicides*, %zu from suicides", agg->n_recs,
	                agg->recs_split[DHR_SPLIT_HOMICIDE], agg->recs_split[DHR_SPLIT_SUICIDE]);
	if (agg->recs_split[DHR_SPLIT_UNKNOWN])
		dhr_obuf_printf(b, ", %zu from documents of unknown case type",
		                agg->recs_split[DHR_SPLIT_UNKNOWN]);
	dhr_obuf_puts(b, "\nRules            ");
	put_plain(b, agg->rules_source ? agg->rules_source : "(not recorded)", 50, 0);
	if (agg->rules_sha256)
		dhr_obuf_printf(b, "  sha256 %.12s", agg->rules_sha256);
	if (agg->generated) {
		dhr_obuf_puts(b, "\nMade             ");
		put_plain(b, agg->generated, 40, 0);
		if (agg->version) {
			dhr_obuf_puts(b, " by dhr ");
			put_plain(b, agg->version, 20, 0);
		}
	}
	if (warnings)
		dhr_obuf_printf(
		    b, "\nWarnings         %zu in %zu documents (listed in scan.json and report.html)",
		    warnings, warned);
	dhr_obuf_puts(b, "\n");
}

/* "THEMES", or "THEMES (facet ho_theme)" when the facet in that role has another name. */
static void role_title(char *out, size_t size, const char *title, const char *usual, const dhr_agg *agg, int f)
{
	if (f < 0 || strcmp(agg->fdefs[f].name, usual) == 0)
		snprintf(out, size, "%s", title);
	else
		snprintf(out, size, "%s (facet %s)", title, agg->fdefs[f].name);
}

/* A facet beyond the theme- and agency-like ones: its labels by count. */
static int put_facet_table(dhr_obuf *b, const dhr_agg *agg, size_t f, int unknown)
{
	const dhr_agg_fdef *x = &agg->fdefs[f];
	size_t *order = calloc(x->set.n + 1, sizeof *order);
	if (!order)
		return DHR_ENOMEM;
	char title[96];
	snprintf(title, sizeof title, "FACET %s (%s)", x->name, x->multi ? "multi" : "single");
	put_table_head(b, agg, title, unknown);
	dhr_agg_fdef_order(agg, f, order);
	for (size_t i = 0; i < x->set.n; i++) {
		const dhr_agg_label *l = &x->set.labels[order[i]];
		if (l->count || l->declared)
			put_row(b, agg, l->name, 0, l->count, l->split, unknown);
	}
	if (x->multi)
		put_row(b, agg, "(none)", 0, x->none, x->none_split, unknown);
	free(order);
	return 0;
}

/* The Library's way: a report carries a label when any of its recommendations does. */
static int put_tags(dhr_obuf *b, const dhr_agg *agg)
{
	size_t read = agg->n_docs - agg->n_failed;
	int any = 0;
	for (size_t f = 0; f < agg->n_fdefs; f++) {
		const dhr_agg_fdef *x = &agg->fdefs[f];
		if (x->document)
			continue;
		size_t *order = calloc(x->set.n + 1, sizeof *order);
		if (!order)
			return DHR_ENOMEM;
		if (!any)
			dhr_obuf_printf(b, "\nREPORT TAGS: reports (of %zu read) with at least one recommendation "
			                   "so labelled\n",
			                read);
		any = 1;
		dhr_obuf_puts(b, "  facet ");
		put_plain(b, x->name, SUMMARY_WIDTH - 8, 0);
		dhr_obuf_puts(b, "\n");
		dhr_agg_fdef_order(agg, f, order);
		/* most reports first (stable: ties keep the order by recommendations) */
		for (size_t i = 1; i < x->set.n; i++) {
			size_t v = order[i], j = i;
			while (j > 0 && x->set.labels[v].docs > x->set.labels[order[j - 1]].docs) {
				order[j] = order[j - 1];
				j--;
			}
			order[j] = v;
		}
		for (size_t i = 0; i < x->set.n; i++) {
			const dhr_agg_label *l = &x->set.labels[order[i]];
			if (x->default_id && strcmp(l->id, x->default_id) == 0)
				continue;
			if (!l->docs && !l->declared)
				continue;
			dhr_obuf_puts(b, "    ");
			put_plain(b, l->name, NAME_WIDTH - 4, 1);
			put_group(b, 1, l->docs, read);
			dhr_obuf_puts(b, "\n");
		}
		free(order);
	}
	return 0;
}

int dhr_output_summary(FILE *f, const struct cJSON *scan)
{
	dhr_agg *agg = NULL;
	dhr_obuf b = {0};
	dhr_agg_row *rows = NULL;
	size_t *order = NULL;
	char *text = NULL;
	size_t len = 0;
	int error;
	if ((error = dhr_agg_new(&agg, scan, NULL)) < 0)
		goto cleanup;
	rows = calloc(agg->n_groups + agg->themes.n + 1, sizeof *rows);
	order = calloc(agg->agencies.n + 1, sizeof *order);
	if (!rows || !order) {
		error = DHR_ENOMEM;
		goto cleanup;
	}
	int unknown = agg->recs_split[DHR_SPLIT_UNKNOWN] > 0;

	put_headline(&b, agg);

	char title[96];
	role_title(title, sizeof title, "THEMES", "theme", agg, agg->theme_f);
	put_table_head(&b, agg, title, unknown);
	size_t n_rows = dhr_agg_theme_rows(agg, rows);
	for (size_t i = 0; i < n_rows; i++) {
		if (rows[i].is_group) {
			/* the group's name in full on its own line, its total below */
			const dhr_agg_group *g = &agg->groups[rows[i].index];
			char label[64];
			snprintf(label, sizeof label, "any of its %zu themes:", g->n_themes);
			put_plain(&b, g->name, SUMMARY_WIDTH, 0);
			dhr_obuf_puts(&b, "\n");
			put_row(&b, agg, label, 2, g->count, g->split, unknown);
		} else {
			const dhr_agg_label *t = &agg->themes.labels[rows[i].index];
			put_row(&b, agg, t->name, t->group >= 0 ? 2 : 0, t->count, t->split, unknown);
		}
	}
	put_row(&b, agg, "(no theme)", 0, agg->no_theme, agg->no_theme_split, unknown);

	role_title(title, sizeof title, "LEAD AGENCIES", "agency", agg, agg->agency_f);
	put_table_head(&b, agg, title, unknown);
	dhr_agg_agency_order(agg, order);
	for (size_t i = 0; i < agg->agencies.n; i++) {
		const dhr_agg_label *a = &agg->agencies.labels[order[i]];
		if (a->count || a->declared)
			put_row(&b, agg, a->name, 0, a->count, a->split, unknown);
	}
	dhr_prof_summary(&b, agg);
	dhr_obuf_printf(
	    &b,
	    "\n* Homicide includes homicide-suicide (%zu document%s). A recommendation can have several\n"
	    "  themes, so theme shares add up to more than 100%%.\n",
	    dhr_agg_case_docs(agg, "homicide_suicide"),
	    dhr_agg_case_docs(agg, "homicide_suicide") == 1 ? "" : "s");
	for (size_t k = 0; k < agg->n_fdefs; k++)
		if (!agg->fdefs[k].document && (int)k != agg->theme_f && (int)k != agg->agency_f &&
		    (error = put_facet_table(&b, agg, k, unknown)) < 0)
			goto cleanup;
	if ((error = put_tags(&b, agg)) < 0)
		goto cleanup;

	if (agg->n_failed) {
		dhr_obuf_printf(&b, "\nFAILED DOCUMENTS (%zu)\n", agg->n_failed);
		for (size_t i = 0; i < agg->n_docs; i++) {
			const dhr_agg_doc *d = &agg->docs[i];
			if (d->ok)
				continue;
			dhr_obuf_puts(&b, "  ");
			put_plain(&b, d->error_code ? d->error_code : "error", 12, 1);
			dhr_obuf_puts(&b, " ");
			put_plain(&b, d->path, SUMMARY_WIDTH - 17, 0);
			dhr_obuf_puts(&b, "\n");
			if (d->error_message)
				put_wrapped(&b, d->error_message, 17);
		}
	}
	if ((error = dhr_obuf_finish(&b, &text, &len, NULL)) < 0)
		goto cleanup;
	if (fwrite(text, 1, len, f) != len || fflush(f) != 0)
		error = DHR_EIO;
cleanup:
	free(text);
	free(rows);
	free(order);
	dhr_obuf_release(&b);
	dhr_agg_free(agg);
	return error;
}
