/*
 * segment/merge.c: one recommendation, however many times the report states
 * it. The copies in the executive summary, the recommendations chapter and
 * the action plan are paired section by section, one to one, best pairs
 * first, on their number and the overlap of their words; the chapter's
 * wording is kept, and the action plan supplies the agency and scope the
 * chapter leaves out. Similar wording alone is not enough when the numbers
 * say they are different recommendations.
 */
#include "internal.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Which copy's wording wins: the chapter, then single-agency, summary, plan. */
static int priority(seg_kind k)
{
	switch (k) {
	case SEG_SEC_RECS:
		return 0;
	case SEG_SEC_SINGLE:
		return 1;
	case SEG_SEC_EXEC:
		return 2;
	case SEG_SEC_PLAN:
		return 3;
	}
	return 4;
}

/* "R3", "3", "Recommendation 3" → "3"; "10.3 b" → "10.3b". */
static void number_key(char *out, size_t cap, const char *num)
{
	size_t w = 0;
	if (num && (num[0] == 'R' || num[0] == 'r') && g_ascii_isdigit(num[1]))
		num++;
	for (const char *p = num ? num : ""; *p && w + 1 < cap; p++)
		if (g_ascii_isalnum(*p) || *p == '.')
			out[w++] = g_ascii_tolower(*p);
	out[w] = '\0';
}

/*
 * Similarity of two copies, or a negative value when they are not the same
 * recommendation. `same_size`: their sections hold as many recommendations,
 * so equal places in them count like equal numbers (a chapter numbered 8.2,
 * 8.3, ... after an introduction, and a plan numbered 1, 2, ...).
 */
static double pair_score(const seg_cand *a, const seg_cand *b, int same_size)
{
	size_t common = seg_words_common(&a->words, &b->words);
	size_t uni = a->words.n + b->words.n - common;
	size_t small = a->words.n < b->words.n ? a->words.n : b->words.n;
	if (uni == 0 || small == 0)
		return -1;
	double j = (double)common / (double)uni;
	double contain = (double)common / (double)small;
	int num_eq = 0, ord_eq = 0, both = a->number && b->number;
	if (both) {
		char ka[32], kb[32];
		number_key(ka, sizeof ka, a->number);
		number_key(kb, sizeof kb, b->number);
		num_eq = strcmp(ka, kb) == 0;
		ord_eq = a->ordinal > 0 && a->ordinal == b->ordinal;
	}
	int rank_eq = same_size && a->rank == b->rank;
	int ok;
	if (num_eq || ord_eq || rank_eq)
		ok = j >= 0.3 || (contain >= 0.6 && small >= 4);
	else if (both)
		ok = j >= 0.7 || (contain >= 0.9 && small >= 8);
	else
		ok = j >= 0.45 || (contain >= 0.8 && small >= 6);
	if (!ok)
		return -1;
	return j + 0.1 * contain + (num_eq ? 0.3 : ord_eq ? 0.15 : 0.0) + (rank_eq ? 0.1 : 0.0);
}

typedef struct pair {
	double score;
	size_t a, b; /* a: kept copy; b: the copy from the section being merged */
} pair;

static int cmp_pair(const void *x, const void *y)
{
	const pair *p = x, *q = y;
	if (p->score != q->score)
		return p->score > q->score ? -1 : 1;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : p->b > q->b;
}

static int merge_into(seg_cand *dst, seg_cand *src)
{
	for (size_t k = 0; k < src->n_pages; k++)
		if (seg_cand_add_page(dst, src->pages[k]) < 0)
			return DHR_ENOMEM;
	if (!dst->agency && src->agency) {
		dst->agency = src->agency;
		src->agency = NULL;
	}
	if (!dst->scope && src->scope) {
		dst->scope = src->scope;
		src->scope = NULL;
	}
	if (!dst->number && src->number) {
		dst->number = src->number;
		dst->ordinal = src->ordinal;
		src->number = NULL;
	}
	return 0;
}

typedef struct sec_ref {
	int id;
	int prio;
	size_t pos;
	size_t size; /* candidates in it */
} sec_ref;

static size_t section_size(const sec_ref *secs, size_t n, int id)
{
	for (size_t s = 0; s < n; s++)
		if (secs[s].id == id)
			return secs[s].size;
	return 0;
}

static int cmp_sec(const void *x, const void *y)
{
	const sec_ref *p = x, *q = y;
	if (p->prio != q->prio)
		return p->prio - q->prio;
	return p->pos < q->pos ? -1 : p->pos > q->pos;
}

int seg_merge(seg_cands *c)
{
	int rc = 0;
	size_t *kept = NULL, n_kept = 0;
	pair *pairs = NULL;
	sec_ref *secs = NULL;
	size_t n_secs = 0;
	unsigned char *used = NULL;
	if (c->n == 0)
		return 0;
	for (size_t i = 0; i < c->n; i++) {
		if ((rc = seg_words_of(&c->v[i].words, c->v[i].text)) < 0)
			return rc;
		c->v[i].merged_into = -1;
	}

	/* action-plan rows that give only a number lend their details to the
	 * recommendation with that number, and are not recommendations themselves */
	for (size_t i = 0; i < c->n; i++) {
		seg_cand *st = &c->v[i];
		if (!st->stub)
			continue;
		char ks[32];
		number_key(ks, sizeof ks, st->number);
		st->dropped = 1;
		for (size_t k = 0; k < c->n && ks[0]; k++) {
			seg_cand *t = &c->v[k];
			char kt[32];
			if (t->stub || t->merged_into >= 0 || !t->number || t->kind == SEG_SEC_PLAN)
				continue;
			number_key(kt, sizeof kt, t->number);
			if (strcmp(ks, kt) == 0) {
				if ((rc = merge_into(t, st)) < 0)
					goto cleanup;
				st->merged_into = (int)k;
				break;
			}
		}
	}

	/* copies repeated within one section (an action plan row per agency) */
	for (size_t i = 0; i < c->n; i++)
		for (size_t k = i + 1; k < c->n; k++) {
			seg_cand *a = &c->v[i], *b = &c->v[k];
			if (a->section_id != b->section_id || b->merged_into >= 0 || a->merged_into >= 0 || a->stub ||
			    b->stub)
				continue;
			int same_num = (!a->number && !b->number) || (a->number && b->number && !strcmp(a->number, b->number));
			if (same_num && seg_words_jaccard(&a->words, &b->words) >= 0.9) {
				if ((rc = merge_into(a, b)) < 0)
					goto cleanup;
				b->merged_into = (int)i;
			}
		}

	/* sections, best wording first */
	secs = calloc(c->n, sizeof *secs);
	kept = calloc(c->n, sizeof *kept);
	used = calloc(c->n, 1);
	size_t cap_pairs = 64;
	pairs = malloc(sizeof *pairs * cap_pairs);
	if (!secs || !kept || !used || !pairs) {
		rc = DHR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < c->n; i++) {
		int found = 0;
		if (c->v[i].stub)
			continue;
		for (size_t s = 0; s < n_secs; s++)
			if (secs[s].id == c->v[i].section_id)
				found = 1;
		if (!found) {
			secs[n_secs].id = c->v[i].section_id;
			secs[n_secs].prio = priority(c->v[i].kind);
			secs[n_secs].pos = c->v[i].pos;
			secs[n_secs].size = 0;
			n_secs++;
		}
	}
	/* places within sections, and section sizes */
	for (size_t s = 0; s < n_secs; s++)
		for (size_t i = 0; i < c->n; i++)
			if (c->v[i].section_id == secs[s].id && !c->v[i].stub && c->v[i].merged_into < 0)
				c->v[i].rank = (int)++secs[s].size;
	qsort(secs, n_secs, sizeof *secs, cmp_sec);

	for (size_t s = 0; s < n_secs; s++) {
		size_t n_pairs = 0;
		size_t first_new = n_kept;
		for (size_t b = 0; b < c->n; b++) {
			if (c->v[b].section_id != secs[s].id || c->v[b].merged_into >= 0 || c->v[b].stub)
				continue;
			for (size_t k = 0; k < first_new; k++) {
				size_t ka = section_size(secs, n_secs, c->v[kept[k]].section_id);
				double sc = pair_score(&c->v[kept[k]], &c->v[b], ka == secs[s].size && ka > 1);
				if (sc >= 0) {
					if (n_pairs == cap_pairs) {
						pair *np = realloc(pairs, sizeof *pairs * cap_pairs * 2);
						if (!np) {
							rc = DHR_ENOMEM;
							goto cleanup;
						}
						pairs = np;
						cap_pairs *= 2;
					}
					pairs[n_pairs].score = sc;
					pairs[n_pairs].a = k;
					pairs[n_pairs].b = b;
					n_pairs++;
				}
			}
		}
		qsort(pairs, n_pairs, sizeof *pairs, cmp_pair);
		memset(used, 0, c->n);
		for (size_t p = 0; p < n_pairs; p++) {
			size_t k = pairs[p].a, b = pairs[p].b;
			if (used[k] || c->v[b].merged_into >= 0)
				continue;
			used[k] = 1;
			seg_cand *a = &c->v[kept[k]], *x = &c->v[b];
			if (priority(a->kind) == priority(x->kind) && x->words.n * 5 > a->words.n * 6) {
				/* two copies of equal standing (a summary under a heading of its
				 * own rank): the fuller wording is the chapter's */
				char *t = a->text;
				a->text = x->text;
				x->text = t;
				seg_words w = a->words;
				a->words = x->words;
				x->words = w;
				if (x->number) {
					char *nm = a->number;
					int o = a->ordinal;
					a->number = x->number;
					a->ordinal = x->ordinal;
					x->number = nm;
					x->ordinal = o;
				}
			}
			if ((rc = merge_into(a, x)) < 0)
				goto cleanup;
			c->v[b].merged_into = (int)kept[k];
		}
		for (size_t b = 0; b < c->n; b++)
			if (c->v[b].section_id == secs[s].id && c->v[b].merged_into < 0 && !c->v[b].stub)
				kept[n_kept++] = b;
	}
cleanup:
	free(kept);
	free(pairs);
	free(secs);
	free(used);
	return rc;
}
