/*
 * segment/sections.c: finds the recommendations sections of a report. A
 * section starts at a heading whose title marks recommendations
 * ("Recommendations", "Single agency recommendations", "Action plan", ...)
 * and ends at the next heading of the same or a higher level that is not one
 * (or at a known other section's title, or a letter). Sections inside the
 * executive summary are labelled as such; an action-plan table with no
 * heading of its own becomes a section by its header row.
 */
#include "internal.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Skip "7.", "7.1", "Appendix A:", "Section 7 -", "Annex 2." at the start of a title. */
static const char *title_core(const char *t)
{
	t = seg_skip_space(t);
	static const char *const words[] = {"appendix", "annex", "annexe", "section", "chapter", "part"};
	for (size_t k = 0; k < G_N_ELEMENTS(words); k++) {
		const char *e = seg_prefix(t, words[k]);
		if (e && (*e == ' ' || *e == ':')) {
			e = seg_skip_space(e);
			const char *s = e;
			while (g_ascii_isalnum(*e) || *e == '.')
				e++;
			if (e - s > 4)
				e = s; /* "Appendix Action Plan": no label */
			e = seg_skip_space(e);
			while (*e == ':' || *e == '-' || *e == '.' || *e == ' ')
				e++;
			if ((unsigned char)e[0] == 0xE2 && (unsigned char)e[1] == 0x80 &&
			    ((unsigned char)e[2] == 0x93 || (unsigned char)e[2] == 0x94))
				e += 3;
			return seg_skip_space(e);
		}
	}
	seg_marker m;
	if (seg_marker_parse(&m, t) == SEG_MK_NUMBER || seg_marker_parse(&m, t) == SEG_MK_LETTER)
		return t + m.len;
	return t;
}

int seg_title_is_recs(const char *title, seg_kind *kind, int *combined)
{
	const char *t = title_core(title);
	seg_marker m;
	*combined = 0;
	*kind = SEG_SEC_RECS;
	if (seg_marker_parse(&m, t) == SEG_MK_WORD)
		return 0; /* "Recommendation 3": an item, not a section */
	if (seg_word_count(t) > 12)
		return 0;
	/* a previous review's recommendations, or their progress, are not this review's */
	static const char *const not_ours[] = {"previous", "earlier", "prior", "past", "progress", "implementation",
					       "implemented", "monitoring", "tracking", "update", "response",
					       "responses", "other reviews", "status"};
	int plan = seg_contains(t, "action plan") || seg_contains(t, "action-plan") ||
		   seg_contains(t, "actions plan");
	int recs = seg_contains(t, "recommendation");
	int single_actions = (seg_contains(t, "single agency") || seg_contains(t, "single-agency") ||
			      seg_has_word(t, "imr") || seg_contains(t, "individual management review")) &&
			     (seg_has_word(t, "actions") || seg_has_word(t, "action"));
	if (!plan && !recs && !single_actions)
		return 0;
	for (size_t k = 0; k < G_N_ELEMENTS(not_ours); k++)
		if (seg_has_word(t, not_ours[k]))
			return 0;
	if (plan && !recs)
		*kind = SEG_SEC_PLAN;
	else if (seg_has_word(t, "summary") || seg_has_word(t, "summarised") || seg_has_word(t, "overview"))
		*kind = SEG_SEC_EXEC; /* "Summary of recommendations": a copy of the chapter's */
	else if (seg_contains(t, "single agency") || seg_contains(t, "single-agency") || seg_has_word(t, "imr") ||
		 seg_has_word(t, "imrs") || seg_contains(t, "individual management review") ||
		 seg_contains(t, "individual agency") || seg_contains(t, "agency specific") ||
		 seg_contains(t, "agency-specific"))
		*kind = SEG_SEC_SINGLE;
	*combined = seg_contains(t, "conclusion") || seg_contains(t, "lesson") || seg_contains(t, "learning") ||
		    seg_contains(t, "finding") || seg_contains(t, "analysis");
	return 1;
}

/* Does a minor heading name an agency ("Constabulary", "Clinical Commissioning Group")? */
int seg_looks_like_agency(const char *t)
{
	static const char *const words[] = {
		"police", "constabulary", "council", "service", "services", "trust", "nhs", "ccg", "icb",
		"commissioning", "hospital", "gp", "gps", "practice", "practices", "probation", "housing",
		"partnership", "csp", "health", "care", "social", "children", "adult", "adults", "idva",
		"refuge", "ambulance", "mental", "prison", "prisons", "crc", "agency", "agencies", "office",
		"government", "department", "board", "authority", "school", "schools", "university",
		"foundation", "association", "national", "local", "multi-agency", "safeguarding", "panel",
		"team", "unit", "marac", "mash", "landlord", "landlords", "commissioner", "dwp", "jobcentre",
		"college", "charity", "women's", "aid", "victim", "victims", "organisations", "partners",
		"surgery", "clinic", "centre", "medical", "ccgs", "icbs", "prison", "cps", "court", "courts",
		"housing association", "provider", "providers", "commissioners", "nhs england", "dhsc",
	};
	if (seg_word_count(t) > 10)
		return 0;
	for (size_t k = 0; k < G_N_ELEMENTS(words); k++)
		if (seg_has_word(t, words[k]))
			return 1;
	return 0;
}

/*
 * A "table row" that is really a hanging-indent paragraph or heading: two
 * cells, the first only a number ("7." | "Recommendations").
 */
int seg_is_marker_row(const dhr_line *ln)
{
	if (!(ln->flags & DHR_LINE_TABLE) || ln->n_cells != 2)
		return 0;
	seg_marker m;
	const char *t = seg_skip_space(ln->cells[0].text);
	seg_mkind k = seg_marker_parse(&m, t);
	return k != SEG_MK_NONE && *seg_skip_space(t + m.len) == '\0';
}

/* Is this table line the header row of a recommendations table? */
int seg_is_recs_header_row(const dhr_line *ln)
{
	if (!(ln->flags & DHR_LINE_TABLE) || ln->n_cells < 2)
		return 0;
	int rec = 0, other = 0;
	for (size_t c = 0; c < ln->n_cells && !rec; c++)
		if (seg_prefix(seg_skip_space(ln->cells[c].text), "recommendation"))
			rec = 1;
	if (!rec)
		return 0;
	for (size_t c = 0; c < ln->n_cells; c++) {
		const char *t = seg_skip_space(ln->cells[c].text);
		if (seg_word_count(t) > 12)
			return 0;
		if (seg_prefix(t, "recommendation"))
			rec = 1;
		else if (seg_contains(t, "action") || seg_contains(t, "lead") || seg_contains(t, "agency") ||
			 seg_contains(t, "scope") || seg_contains(t, "target") || seg_contains(t, "date") ||
			 seg_contains(t, "milestone") || seg_contains(t, "outcome") || seg_contains(t, "owner") ||
			 seg_contains(t, "responsib") || seg_contains(t, "by whom") || seg_contains(t, "progress") ||
			 seg_prefix(t, "no") || seg_prefix(t, "ref") || seg_prefix(t, "#") || seg_prefix(t, "number"))
			other = 1;
	}
	return rec && other;
}

/* Does the first paragraph under heading j ask someone to act? */
static int content_reads_like_recs(int *out, const seg_stream *st, size_t j)
{
	seg_buf b = {0};
	*out = 0;
	size_t i = j + 1 + (size_t)st->lines[j].n_joined;
	for (size_t k = i; k < st->n && k < i + 12; k++) {
		const seg_line *l = &st->lines[k];
		if ((l->flags & SEG_L_HEADING) || (k > i && (l->flags & SEG_L_PARA)))
			break;
		const char *t = l->text;
		if (k == i) {
			seg_marker m;
			if (seg_marker_parse(&m, t) != SEG_MK_NONE)
				t += m.len;
		}
		seg_buf_join(&b, t);
	}
	if (b.oom) {
		seg_buf_free(&b);
		return DHR_ENOMEM;
	}
	*out = b.s && seg_rec_judge(b.s) == SEG_LIKE_STRONG;
	seg_buf_free(&b);
	return 0;
}

typedef struct secs {
	seg_section *v;
	size_t n, cap;
} secs;

static int secs_push(secs *s, const seg_section *sec)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		seg_section *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return DHR_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = *sec;
	return 0;
}

int seg_find_sections(seg_section **out, size_t *n_out, const seg_stream *st)
{
	secs s = {0};
	int rc = 0;
	size_t n = st->n;
	char *title = NULL;
	*out = NULL;
	*n_out = 0;

	/* executive summary and letter regions */
	unsigned char *exec = calloc(n + 1, 1), *letter = calloc(n + 1, 1);
	if (!exec || !letter) {
		rc = DHR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		const seg_line *h = &st->lines[i];
		if ((h->flags & SEG_L_HEADING) && seg_contains(h->text, "executive summary") &&
		    seg_word_count(h->text) <= 8) {
			size_t j = i + 1 + (size_t)h->n_joined;
			for (; j < n; j++) {
				const seg_line *x = &st->lines[j];
				if ((x->flags & SEG_L_HEADING) && x->level <= h->level)
					break;
			}
			memset(exec + i, 1, j - i);
			i = j - 1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!(st->lines[i].flags & SEG_L_LETTER) || !seg_prefix(st->lines[i].text, "dear "))
			continue;
		size_t j = i;
		for (; j < n; j++) {
			letter[j] = 1;
			if (seg_prefix(st->lines[j].text, "yours "))
				break;
		}
		i = j;
	}

	for (size_t i = 0; i < n; i++) {
		const seg_line *h = &st->lines[i];
		if (!(h->flags & SEG_L_HEADING) || letter[i])
			continue;
		free(title);
		if (!(title = seg_heading_text(st, i))) {
			rc = DHR_ENOMEM;
			goto cleanup;
		}
		seg_section sec = {0};
		if (!seg_title_is_recs(title, &sec.kind, &sec.combined))
			continue;
		if (exec[i] && sec.kind != SEG_SEC_PLAN)
			sec.kind = SEG_SEC_EXEC;
		sec.head = i;
		sec.begin = i + 1 + (size_t)h->n_joined;
		size_t j = sec.begin;
		for (; j < n; j++) {
			const seg_line *x = &st->lines[j];
			if (x->flags & (SEG_L_LETTER | SEG_L_HARDSTOP))
				break;
			if (!(x->flags & SEG_L_HEADING))
				continue;
			char *t2 = seg_heading_text(st, j);
			if (!t2) {
				rc = DHR_ENOMEM;
				goto cleanup;
			}
			seg_kind k2;
			int c2;
			int is_recs = seg_title_is_recs(t2, &k2, &c2);
			int agency = seg_looks_like_agency(t2);
			int other = seg_title_is_other_section(t2);
			free(t2);
			if (is_recs) {
				sec.nested = x->level > h->level;
				break;
			}
			if (other || x->level < h->level)
				break;
			/* a heading of the same rank goes on with the section when it
			 * names an agency or the text under it asks someone to act */
			if (x->level == h->level && !agency) {
				int recs_below = 0;
				if ((rc = content_reads_like_recs(&recs_below, st, j)) < 0)
					goto cleanup;
				if (!recs_below)
					break;
			}
		}
		sec.end = j;
		if ((rc = secs_push(&s, &sec)) < 0)
			goto cleanup;
		i = j - 1;
	}

	/* action-plan tables under a heading that does not name them */
	for (size_t i = 0; i < n; i++) {
		if (!seg_is_recs_header_row(st->lines[i].src) || letter[i])
			continue;
		int inside = 0;
		for (size_t k = 0; k < s.n; k++)
			if (i >= s.v[k].begin && i < s.v[k].end)
				inside = 1;
		if (inside)
			continue;
		seg_section sec = {0};
		sec.kind = SEG_SEC_PLAN;
		sec.head = i;
		sec.begin = i;
		size_t j = i + 1;
		for (; j < n; j++) {
			const seg_line *x = &st->lines[j];
			if (x->flags & (SEG_L_LETTER | SEG_L_HARDSTOP))
				break;
			if ((x->flags & SEG_L_HEADING) && !(x->flags & SEG_L_SUBHEAD))
				break;
			int in_other = 0;
			for (size_t k = 0; k < s.n; k++)
				if (j >= s.v[k].begin && j < s.v[k].end)
					in_other = 1;
			if (in_other)
				break;
		}
		sec.end = j;
		if ((rc = secs_push(&s, &sec)) < 0)
			goto cleanup;
		i = j - 1;
	}

	*out = s.v;
	*n_out = s.n;
	s.v = NULL;
cleanup:
	free(title);
	free(exec);
	free(letter);
	free(s.v);
	return rc;
}
