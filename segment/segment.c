/*
 * segment/segment.c: the segmentation stage's entry point (dhr_segment). It
 * builds the line stream, finds the recommendations sections, reads each
 * one's tables and prose into candidates, merges the copies and hands back
 * the unique recommendations in document order.
 */
#include "dhr/segment.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void seg_cand_clear(seg_cand *c)
{
	free(c->number);
	free(c->text);
	free(c->pages);
	free(c->agency);
	free(c->scope);
	seg_words_free(&c->words);
	memset(c, 0, sizeof *c);
}

int seg_cands_push(seg_cands *c, seg_cand *cand)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		seg_cand *v = realloc(c->v, cap * sizeof *v);
		if (!v) {
			seg_cand_clear(cand);
			return DHR_ENOMEM;
		}
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = *cand;
	memset(cand, 0, sizeof *cand);
	return 0;
}

void seg_cands_free(seg_cands *c)
{
	for (size_t i = 0; i < c->n; i++)
		seg_cand_clear(&c->v[i]);
	free(c->v);
	memset(c, 0, sizeof *c);
}

int seg_cand_add_page(seg_cand *c, int page)
{
	size_t at = 0;
	while (at < c->n_pages && c->pages[at] < page)
		at++;
	if (at < c->n_pages && c->pages[at] == page)
		return 0;
	int *v = realloc(c->pages, (c->n_pages + 1) * sizeof *v);
	if (!v)
		return DHR_ENOMEM;
	memmove(v + at + 1, v + at, (c->n_pages - at) * sizeof *v);
	v[at] = page;
	c->pages = v;
	c->n_pages++;
	return 0;
}

static const char *section_name(seg_kind k)
{
	switch (k) {
	case SEG_SEC_RECS:
		return "recommendations";
	case SEG_SEC_SINGLE:
		return "single_agency";
	case SEG_SEC_EXEC:
		return "executive_summary";
	case SEG_SEC_PLAN:
		return "action_plan";
	}
	return "recommendations";
}

void dhr_recs_free(dhr_recs *recs)
{
	if (!recs)
		return;
	for (size_t i = 0; i < recs->n; i++) {
		dhr_rec *r = &recs->items[i];
		free(r->id);
		free(r->number);
		free(r->text);
		free(r->pages);
		free(r->section);
		free(r->agency_text);
		free(r->scope);
	}
	free(recs->items);
	free(recs->warning);
	free(recs);
}

static int cmp_pos(const void *a, const void *b)
{
	const seg_cand *x = *(const seg_cand *const *)a, *y = *(const seg_cand *const *)b;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Move the kept candidates into the public list. */
static int publish(dhr_recs *recs, seg_cands *c, const dhr_doc *doc)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].merged_into < 0 && !c->v[i].dropped)
			n++;
	if (n == 0)
		return 0;
	seg_cand **order = malloc(n * sizeof *order);
	recs->items = calloc(n, sizeof *recs->items);
	if (!order || !recs->items) {
		free(order);
		return DHR_ENOMEM;
	}
	size_t k = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].merged_into < 0 && !c->v[i].dropped)
			order[k++] = &c->v[i];
	qsort(order, n, sizeof *order, cmp_pos);
	for (k = 0; k < n; k++) {
		seg_cand *s = order[k];
		dhr_rec *r = &recs->items[k];
		char id[48];
		if (doc->sha256[0])
			snprintf(id, sizeof id, "%.8s-%zu", doc->sha256, k + 1);
		else
			snprintf(id, sizeof id, "r%zu", k + 1);
		recs->n = k + 1;
		r->id = strdup(id);
		r->section = strdup(section_name(s->kind));
		r->number = s->number;
		r->text = s->text;
		r->pages = s->pages;
		r->n_pages = s->n_pages;
		r->agency_text = s->agency;
		r->scope = s->scope;
		s->number = s->text = s->agency = s->scope = NULL;
		s->pages = NULL;
		if (!r->id || !r->section) {
			free(order);
			return DHR_ENOMEM;
		}
	}
	free(order);
	return 0;
}

int dhr_segment(dhr_recs **out, const dhr_doc *doc, dhr_error *err)
{
	seg_stream st = {0};
	seg_section *secs = NULL;
	size_t n_secs = 0;
	seg_cands cands = {0};
	unsigned char *mask = NULL;
	dhr_recs *recs = NULL;
	int rc;

	*out = NULL;
	if (!(recs = calloc(1, sizeof *recs))) {
		rc = DHR_ENOMEM;
		goto cleanup;
	}
	if ((rc = seg_stream_build(&st, doc)) < 0)
		goto cleanup;
	if ((rc = seg_find_sections(&secs, &n_secs, &st)) < 0)
		goto cleanup;
	for (size_t s = 0; s < n_secs; s++) {
		const seg_section *sec = &secs[s];
		size_t len = sec->end > sec->begin ? sec->end - sec->begin : 0;
		free(mask);
		if (!(mask = calloc(len + 1, 1))) {
			rc = DHR_ENOMEM;
			goto cleanup;
		}
		int tables = seg_items_from_table(&cands, &st, sec, (int)s, mask);
		if (tables < 0) {
			rc = tables;
			goto cleanup;
		}
		if (sec->kind == SEG_SEC_PLAN && tables > 0)
			continue; /* the plan's own prose is its introduction */
		if ((rc = seg_items_from_prose(&cands, &st, sec, (int)s, mask)) < 0)
			goto cleanup;
	}
	if ((rc = seg_merge(&cands)) < 0)
		goto cleanup;
	if ((rc = publish(recs, &cands, doc)) < 0)
		goto cleanup;
	if (n_secs == 0)
		recs->warning = strdup("no recommendations section found");
	else if (recs->n == 0)
		recs->warning = strdup("recommendations section found but no recommendations in it");
	if ((n_secs == 0 || recs->n == 0) && !recs->warning) {
		rc = DHR_ENOMEM;
		goto cleanup;
	}
	*out = recs;
	recs = NULL;
	rc = 0;
cleanup:
	if (rc == DHR_ENOMEM)
		dhr_error_set(err, DHR_ENOMEM, "%s: out of memory while segmenting", doc->path ? doc->path : "document");
	free(mask);
	free(secs);
	seg_cands_free(&cands);
	seg_stream_free(&st);
	dhr_recs_free(recs);
	return rc;
}
