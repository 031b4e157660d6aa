/*
 * classify/rules.c: read-only views of compiled rules (facets, labels,
 * groups, source, hash) and the GCC-style formatting of diagnostics
 * ("file:line:col: error: message", the source line, a caret under the spot).
 */
#include "internal.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

const char *dhr_rules_source(const dhr_rules *r)
{
	return r->source;
}

const char *dhr_rules_sha256(const dhr_rules *r)
{
	return r->sha256;
}

size_t dhr_rules_facet_count(const dhr_rules *r)
{
	return r->facets.n;
}

const dhr_facet_info *dhr_rules_facet(const dhr_rules *r, size_t i)
{
	return i < r->facets.n ? &r->facets.v[i].info : NULL;
}

int dhr_rules_facet_find(const dhr_rules *r, const char *name)
{
	for (size_t i = 0; i < r->facets.n; i++)
		if (strcmp(r->facets.v[i].name, name) == 0)
			return (int)i;
	return -1;
}

size_t dhr_rules_label_count(const dhr_rules *r)
{
	return r->labels.n;
}

const dhr_label_info *dhr_rules_label(const dhr_rules *r, size_t i)
{
	return i < r->labels.n ? &r->labels.v[i].info : NULL;
}

int dhr_rules_label_find(const dhr_rules *r, size_t facet, const char *id)
{
	if (facet >= r->facets.n)
		return -1;
	const dhr_facet *f = &r->facets.v[facet];
	for (size_t i = 0; i < f->labels.n; i++)
		if (strcmp(r->labels.v[f->labels.v[i]].id, id) == 0)
			return (int)f->labels.v[i];
	return -1;
}

size_t dhr_rules_group_count(const dhr_rules *r)
{
	return r->groups.n;
}

const dhr_group_info *dhr_rules_group(const dhr_rules *r, size_t i)
{
	return i < r->groups.n ? &r->groups.v[i].info : NULL;
}

int dhr_rules_group_find(const dhr_rules *r, size_t facet, const char *id)
{
	for (size_t i = 0; i < r->groups.n; i++)
		if (r->groups.v[i].info.facet == facet && strcmp(r->groups.v[i].id, id) == 0)
			return (int)i;
	return -1;
}

char *dhr_diag_format(const dhr_diag *d)
{
	GString *g = g_string_new(NULL);
	const char *level = d->level == DHR_DIAG_ERROR ? "error" : "warning";
	if (d->line > 0 && d->col > 0)
		g_string_append_printf(g, "%s:%d:%d: %s: %s\n", d->file, d->line, d->col, level, d->message);
	else if (d->line > 0)
		g_string_append_printf(g, "%s:%d: %s: %s\n", d->file, d->line, level, d->message);
	else
		g_string_append_printf(g, "%s: %s: %s\n", d->file ? d->file : "rules", level, d->message);
	if (d->source_line && d->line > 0) {
		g_string_append_printf(g, " %s\n ", d->source_line);
		/* the caret: copy tabs so it lines up, one space per character otherwise */
		size_t len = strlen(d->source_line);
		size_t upto = d->col > 0 ? (size_t)(d->col - 1) : 0;
		if (upto > len)
			upto = len;
		for (size_t i = 0; i < upto; i++) {
			unsigned char c = (unsigned char)d->source_line[i];
			if (c == '\t')
				g_string_append_c(g, '\t');
			else if ((c & 0xC0) != 0x80)
				g_string_append_c(g, ' ');
		}
		g_string_append(g, "^\n");
	}
	/* hand back malloc'd memory so callers use free() */
	char *out = malloc(g->len + 1);
	if (out)
		memcpy(out, g->str, g->len + 1);
	g_string_free(g, TRUE);
	return out;
}

void dhr_diag_print(FILE *f, const dhr_diag *d)
{
	char *s = dhr_diag_format(d);
	if (s) {
		fputs(s, f);
		free(s);
	}
}

const char *dhr_facet_band(const dhr_facet_info *f, long v)
{
	for (size_t i = 0; f && i < f->n_bands; i++)
		if (f->bands[i].lo <= v && v <= f->bands[i].hi)
			return f->bands[i].name;
	return NULL;
}
