/*
 * classify/match.c: runs compiled rules over one recommendation (or one
 * document's text). Each input is normalised once; one Aho-Corasick pass
 * says which patterns can match; each pattern that can is run once by PCRE2
 * (JIT) and its hits are cached for every rule that uses it. Per-thread state
 * lives in the dhr_classifier; the dhr_rules stay read-only.
 */
#include "internal.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "dhr/common.h"

#define HITS_CAP 1000 /* hits kept per pattern per text (>= the largest `min`) */
#define NO_POS UINT32_MAX

typedef struct span {
	uint32_t s, e; /* normalised byte offsets */
} span;

/* One input field, prepared for matching. */
typedef struct fctx {
	dhr_ntext t;
	dhr_field field;
	const char *src;  /* the caller's text for this classification, or NULL */
	int prepared;
	uint32_t gen;     /* stamp of the current text */
	uint32_t *possible, *done, *hoff, *hn; /* per pattern */
	uint32_t *coff, *cn;                   /* per pattern: its anchor candidates in cand */
	uint32_t *lit_seen;                    /* per literal */
	DHR_VEC(span) hits;
	DHR_VEC(uint32_t) occ;                 /* (pattern, start) pairs from the literal scan */
	DHR_VEC(uint32_t) cand;                /* anchor positions grouped by pattern */
	DHR_VEC(uint32_t) touched;             /* patterns with candidates this text */
	struct lposs {
		uint32_t *v;
		size_t n, cap;
	} *lposs;                              /* per list: its entries the prefilter found possible */
} fctx;

struct dhr_classifier {
	const dhr_rules *r;
	dhr_diag_cb diag;
	void *payload;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	unsigned char *warned;  /* per pattern: limit warning given */
	signed char *lstate;    /* per label: conditions held on the current field */
	unsigned char *chosen;  /* per label: in the result */
	fctx f[3];
	DHR_VEC(span) masks;
	int explain;
};

struct dhr_result {
	const dhr_rules *rules;
	DHR_VEC(size_t) lab;       /* chosen labels, facet after facet */
	size_t *fstart, *fcount;   /* per facet slice of lab */
	size_t nf_cap;
	unsigned char *has;        /* per label */
	size_t has_cap;
	DHR_VEC(dhr_evidence) ev;
	size_t *ev_off;            /* arena offset of each evidence's match text */
	size_t ev_off_cap;
	DHR_VEC(char) arena;
};

/* ---------------------------------------------------------------- classifier */

void dhr_classifier_free(dhr_classifier *c)
{
	if (!c)
		return;
	pcre2_match_data_free(c->md);
	pcre2_match_context_free(c->mctx);
	pcre2_jit_stack_free(c->jit);
	free(c->warned);
	free(c->lstate);
	free(c->chosen);
	for (int i = 0; i < 3; i++) {
		dhr_ntext_release(&c->f[i].t);
		free(c->f[i].possible);
		free(c->f[i].done);
		free(c->f[i].hoff);
		free(c->f[i].hn);
		free(c->f[i].lit_seen);
		free(c->f[i].hits.v);
		free(c->f[i].coff);
		free(c->f[i].cn);
		free(c->f[i].occ.v);
		free(c->f[i].cand.v);
		free(c->f[i].touched.v);
		for (size_t li = 0; c->f[i].lposs && li < c->r->lists.n; li++)
			free(c->f[i].lposs[li].v);
		free(c->f[i].lposs);
	}
	free(c->masks.v);
	free(c);
}

int dhr_classifier_new(dhr_classifier **out, const dhr_rules *r, dhr_diag_cb diag, void *payload)
{
	*out = NULL;
	dhr_classifier *c = calloc(1, sizeof *c);
	if (!c)
		return DHR_ENOMEM;
	c->r = r;
	c->diag = diag;
	c->payload = payload;
	size_t nrx = r->rxs.n ? r->rxs.n : 1, nl = r->labels.n ? r->labels.n : 1, nlit = r->n_lits ? r->n_lits : 1;
	c->md = pcre2_match_data_create(1, NULL);
	c->mctx = pcre2_match_context_create(NULL);
	c->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	c->warned = calloc(nrx, 1);
	c->lstate = calloc(nl, 1);
	c->chosen = calloc(nl, 1);
	if (!c->md || !c->mctx || !c->warned || !c->lstate || !c->chosen)
		goto fail;
	pcre2_set_match_limit(c->mctx, (uint32_t)(r->match_limit > UINT32_MAX ? UINT32_MAX : r->match_limit));
	pcre2_set_depth_limit(c->mctx, (uint32_t)(r->depth_limit > UINT32_MAX ? UINT32_MAX : r->depth_limit));
	pcre2_set_heap_limit(c->mctx, (uint32_t)(r->heap_limit > UINT32_MAX ? UINT32_MAX : r->heap_limit));
	if (c->jit)
		pcre2_jit_stack_assign(c->mctx, NULL, c->jit);
	for (int i = 0; i < 3; i++) {
		fctx *f = &c->f[i];
		f->field = (dhr_field)i;
		f->possible = calloc(nrx, sizeof *f->possible);
		f->done = calloc(nrx, sizeof *f->done);
		f->hoff = calloc(nrx, sizeof *f->hoff);
		f->hn = calloc(nrx, sizeof *f->hn);
		f->lit_seen = calloc(nlit, sizeof *f->lit_seen);
		f->coff = calloc(nrx + 1, sizeof *f->coff);
		f->cn = calloc(nrx + 1, sizeof *f->cn);
		if (!f->possible || !f->done || !f->hoff || !f->hn || !f->lit_seen || !f->coff || !f->cn)
			goto fail;
		if (r->lists.n && !(f->lposs = calloc(r->lists.n, sizeof *f->lposs)))
			goto fail;
	}
	*out = c;
	return 0;
fail:
	dhr_classifier_free(c);
	return DHR_ENOMEM;
}

void dhr_classifier_set_explain(dhr_classifier *c, int on)
{
	c->explain = on != 0;
}

/* ---------------------------------------------------------------- preparing a field */

typedef struct mark_ctx {
	const dhr_rules *r;
	fctx *f;
	int oom;
} mark_ctx;

static void mark_lit(uint32_t lit, size_t end, void *payload)
{
	mark_ctx *m = payload;
	fctx *f = m->f;
	const dhr_rules *r = m->r;
	if (f->lit_seen[lit] != f->gen) {
		f->lit_seen[lit] = f->gen;
		for (uint32_t k = r->lit_rx_off[lit]; k < r->lit_rx_off[lit + 1]; k++) {
			uint32_t rx = r->lit_rx[k];
			if (f->possible[rx] == f->gen)
				continue;
			f->possible[rx] = f->gen;
			for (uint32_t q = r->mem_off[rx]; q < r->mem_off[rx + 1]; q++) { /* an entry of a list */
				struct lposs *lp = &f->lposs[r->mem_list[q]];
				if (lp->n == lp->cap && DHR_VEC_RESERVE(*lp, 1) < 0) {
					m->oom = 1;
					return;
				}
				lp->v[lp->n++] = rx;
			}
		}
	}
	if (r->lit_pre_off[lit + 1] == r->lit_pre_off[lit])
		return;
	/* (literal, start): expanded to the patterns it starts once the scan has said which can match */
	if (f->occ.n + 2 > f->occ.cap && DHR_VEC_RESERVE(f->occ, 2) < 0) {
		m->oom = 1;
		return;
	}
	f->occ.v[f->occ.n++] = lit;
	f->occ.v[f->occ.n++] = (uint32_t)(end - dhr_ac_lit_len(r->ac, lit));
}

/*
 * Group the anchor candidates by pattern (counting sort), each group ascending
 * and unique: every occurrence of a prefix literal is a candidate start of each
 * pattern it begins, but only of the patterns the scan found possible (or that
 * always run); the others are never run on this text.
 */
static int group_candidates(const dhr_rules *r, fctx *f)
{
	size_t nocc = f->occ.n / 2, npairs = 0;
	f->touched.n = 0;
	for (size_t i = 0; i < nocc; i++) {
		uint32_t lit = f->occ.v[2 * i];
		for (uint32_t k = r->lit_pre_off[lit]; k < r->lit_pre_off[lit + 1]; k++) {
			uint32_t rx = r->lit_pre[k];
			if (!r->rx_always[rx] && f->possible[rx] != f->gen)
				continue;
			npairs++;
			if (f->cn[rx]++ == 0) {
				if (DHR_VEC_RESERVE(f->touched, 1) < 0)
					return DHR_ENOMEM;
				f->touched.v[f->touched.n++] = rx;
			}
		}
	}
	uint32_t acc = 0;
	for (size_t k = 0; k < f->touched.n; k++) {
		uint32_t rx = f->touched.v[k];
		f->coff[rx] = acc;
		acc += f->cn[rx];
		f->cn[rx] = 0;
	}
	f->cand.n = 0;
	if (DHR_VEC_RESERVE(f->cand, npairs + 1) < 0)
		return DHR_ENOMEM;
	for (size_t i = 0; i < nocc; i++) {
		uint32_t lit = f->occ.v[2 * i], start = f->occ.v[2 * i + 1];
		for (uint32_t k = r->lit_pre_off[lit]; k < r->lit_pre_off[lit + 1]; k++) {
			uint32_t rx = r->lit_pre[k];
			if (!r->rx_always[rx] && f->possible[rx] != f->gen)
				continue;
			f->cand.v[f->coff[rx] + f->cn[rx]++] = start;
		}
	}
	f->cand.n = npairs;
	for (size_t k = 0; k < f->touched.n; k++) {
		uint32_t rx = f->touched.v[k];
		uint32_t *v = f->cand.v + f->coff[rx];
		uint32_t n = f->cn[rx], w = 0;
		for (uint32_t a = 1; a < n; a++) { /* insertion sort: groups are small and nearly sorted */
			uint32_t x = v[a];
			uint32_t b = a;
			while (b > 0 && v[b - 1] > x) {
				v[b] = v[b - 1];
				b--;
			}
			v[b] = x;
		}
		for (uint32_t a = 0; a < n; a++)
			if (w == 0 || v[w - 1] != v[a])
				v[w++] = v[a];
		f->cn[rx] = w;
	}
	return 0;
}

/* Forget the previous text's candidates (cn must be all zero before grouping). */
static void clear_candidates(fctx *f)
{
	for (size_t k = 0; k < f->touched.n; k++)
		f->cn[f->touched.v[k]] = 0;
	f->touched.n = 0;
}

static int field_prepare(dhr_classifier *c, fctx *f)
{
	if (f->prepared)
		return 0;
	if (dhr_ntext_set(&f->t, f->src, strlen(f->src)) < 0)
		return DHR_ENOMEM;
	if (++f->gen == UINT32_MAX) { /* stamps wrapped: start again from clean arrays */
		size_t nrx = c->r->rxs.n ? c->r->rxs.n : 1, nlit = c->r->n_lits ? c->r->n_lits : 1;
		memset(f->possible, 0, nrx * sizeof *f->possible);
		memset(f->done, 0, nrx * sizeof *f->done);
		memset(f->lit_seen, 0, nlit * sizeof *f->lit_seen);
		f->gen = 1;
	}
	f->hits.n = 0;
	f->occ.n = 0;
	for (size_t li = 0; li < c->r->lists.n; li++)
		f->lposs[li].n = 0;
	clear_candidates(f);
	if (c->r->ac) {
		mark_ctx m = {c->r, f, 0};
		dhr_ac_scan(c->r->ac, f->t.low, f->t.nlen, mark_lit, &m);
		if (m.oom || group_candidates(c->r, f) < 0) {
			clear_candidates(f);
			return DHR_ENOMEM;
		}
	}
	f->prepared = 1;
	return 0;
}

static void limit_warning(dhr_classifier *c, int rxi, int rc)
{
	if (c->warned[rxi])
		return;
	c->warned[rxi] = 1;
	if (!c->diag)
		return;
	const dhr_rx *rx = &c->r->rxs.v[rxi];
	PCRE2_UCHAR pm[160];
	pcre2_get_error_message(rc, pm, sizeof pm);
	char msg[320];
	snprintf(msg, sizeof msg,
		 "pattern stopped by a PCRE2 limit (%s); it counts as not matching where this happens "
		 "(reported once)",
		 (const char *)pm);
	dhr_diag d = {DHR_DIAG_WARNING, rx->file, rx->line, rx->col, msg, rx->line_text};
	c->diag(&d, c->payload);
}

/* Runs of a pattern before the matcher JIT-compiles it. JIT compiling costs
 * about as much as a few hundred interpreted runs on a short text, and most
 * patterns of a rules file run on few texts; the ones that keep running are
 * compiled early in a batch. */
#define JIT_AFTER_RUNS 8

/* The code to run for a pattern (anchored form or not): its JIT copy once
 * made, else the interpreted one, making the JIT copy when the pattern has
 * run often enough. The rules stay shareable between threads: a copy is
 * made whole, then published with one atomic compare-and-swap, and never
 * changed; a thread that loses the race frees its own. */
static const pcre2_code *pattern_code(const dhr_rules *r, dhr_rx *rx, int anchored)
{
	pcre2_code **slot = anchored ? &rx->jit_anch : &rx->jit_code;
	pcre2_code *jit = g_atomic_pointer_get(slot);
	if (jit)
		return jit;
	const pcre2_code *base = anchored ? rx->anch : rx->code;
	if (r->no_jit || rx->interp || g_atomic_int_get(&rx->jit_failed) ||
	    g_atomic_int_add(&rx->uses, 1) < JIT_AFTER_RUNS)
		return base;
	pcre2_code *copy = pcre2_code_copy(base);
	if (!copy || pcre2_jit_compile(copy, PCRE2_JIT_COMPLETE) != 0) {
		/* no JIT here (or no memory for it): the interpreter does the work */
		pcre2_code_free(copy);
		g_atomic_int_set(&rx->jit_failed, 1);
		return base;
	}
	if (!g_atomic_pointer_compare_and_exchange(slot, NULL, copy)) {
		pcre2_code_free(copy);
		return g_atomic_pointer_get(slot);
	}
	return copy;
}

static int get_hits(dhr_classifier *c, fctx *f, int rxi, uint32_t *off, uint32_t *n);

static int cmp_span(const void *x, const void *y)
{
	const span *a = x, *b = y;
	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	return a->e > b->e ? -1 : a->e < b->e; /* the longer first */
}

/*
 * A list's hits: those of its entries (only the entries the prefilter found
 * possible are run), leftmost first, the longest at one start, none inside
 * another ("Oxleas NHS Foundation Trust" over "Oxleas").
 */
static int list_hits(dhr_classifier *c, fctx *f, int rxi)
{
	const dhr_rules *r = c->r;
	int li = r->rxs.v[rxi].list - 1;
	const dhr_list *L = &r->lists.v[li];
	const struct lposs *lp = &f->lposs[li];
	size_t total = 0;
	for (size_t k = 0; k < lp->n + L->always.n; k++) {
		int m = k < lp->n ? (int)lp->v[k] : L->always.v[k - lp->n];
		uint32_t moff, mn;
		if (get_hits(c, f, m, &moff, &mn) < 0)
			return DHR_ENOMEM;
		total += mn;
	}
	if (total == 0)
		return 0;
	if (DHR_VEC_RESERVE(f->hits, total) < 0)
		return DHR_ENOMEM;
	size_t start = f->hits.n;
	for (size_t k = 0; k < lp->n + L->always.n; k++) {
		int m = k < lp->n ? (int)lp->v[k] : L->always.v[k - lp->n];
		for (uint32_t i = 0; i < f->hn[m]; i++)
			f->hits.v[f->hits.n++] = f->hits.v[f->hoff[m] + i];
	}
	span *v = f->hits.v + start;
	size_t n = f->hits.n - start, w = 0;
	qsort(v, n, sizeof *v, cmp_span);
	for (size_t i = 0; i < n && w < HITS_CAP; i++)
		if (w == 0 || v[i].s >= v[w - 1].e)
			v[w++] = v[i];
	f->hits.n = start + w;
	f->hoff[rxi] = (uint32_t)start;
	f->hn[rxi] = (uint32_t)w;
	return 0;
}

/* Run pattern rxi over the field once; later calls reuse the hits. @return 0 or DHR_ENOMEM. */
static int get_hits(dhr_classifier *c, fctx *f, int rxi, uint32_t *off, uint32_t *n)
{
	if (f->done[rxi] == f->gen) {
		*off = f->hoff[rxi];
		*n = f->hn[rxi];
		return 0;
	}
	dhr_rx *rx = &c->r->rxs.v[rxi];
	f->done[rxi] = f->gen;
	f->hoff[rxi] = (uint32_t)f->hits.n;
	f->hn[rxi] = 0;
	*off = f->hoff[rxi];
	*n = 0;
	if (!rx->always && f->possible[rxi] != f->gen)
		return 0;
	if (rx->list) {
		if (list_hits(c, f, rxi) < 0)
			return DHR_ENOMEM;
		*off = f->hoff[rxi];
		*n = f->hn[rxi];
		return 0;
	}
	const char *s = f->t.norm;
	size_t len = f->t.nlen, pos = 0;
	uint32_t count = 0;
	if (rx->anch) {
		/* every match starts at an occurrence of a prefix literal: try only those */
		const pcre2_code *code = pattern_code(c->r, rx, 1);
		const uint32_t *cand = f->cand.v + f->coff[rxi];
		for (uint32_t i = 0; i < f->cn[rxi] && count < HITS_CAP; i++) {
			if (cand[i] < pos)
				continue;
			int rc = pcre2_match(code, (PCRE2_SPTR)s, len, cand[i], PCRE2_NO_UTF_CHECK, c->md, c->mctx);
			if (rc == PCRE2_ERROR_NOMATCH)
				continue;
			if (rc < 0) {
				limit_warning(c, rxi, rc);
				break;
			}
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
			if (ov[1] > ov[0]) {
				if (DHR_VEC_RESERVE(f->hits, 1) < 0)
					return DHR_ENOMEM;
				f->hits.v[f->hits.n++] = (span){(uint32_t)ov[0], (uint32_t)ov[1]};
				count++;
				pos = ov[1];
			}
		}
		f->hn[rxi] = count;
		*n = count;
		return 0;
	}
	const pcre2_code *code = pattern_code(c->r, rx, 0);
	while (pos <= len && count < HITS_CAP) {
		int rc = pcre2_match(code, (PCRE2_SPTR)s, len, pos, PCRE2_NO_UTF_CHECK, c->md, c->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0) {
			limit_warning(c, rxi, rc);
			break;
		}
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
		size_t ms = ov[0], me = ov[1];
		if (me > ms) { /* empty matches never count */
			if (DHR_VEC_RESERVE(f->hits, 1) < 0)
				return DHR_ENOMEM;
			f->hits.v[f->hits.n++] = (span){(uint32_t)ms, (uint32_t)me};
			count++;
		}
		size_t next = me > pos ? me : pos + 1;
		if (me <= ms && next <= ms)
			next = ms + 1;
		while (next < len && ((unsigned char)s[next] & 0xC0) == 0x80)
			next++;
		pos = next;
	}
	f->hn[rxi] = count;
	*n = count;
	return 0;
}

/* ---------------------------------------------------------------- rules */

typedef struct hitinfo {
	size_t count;
	span sp;
	int nparts;
	span parts[2];
} hitinfo;

static int masked(const dhr_classifier *c, span h)
{
	for (size_t i = 0; i < c->masks.n; i++)
		if (h.s < c->masks.v[i].e && c->masks.v[i].s < h.e)
			return 1;
	return 0;
}

static int prox_ok(const dhr_ntext *t, span a, span b, int before, int dist)
{
	span first, second;
	if (before) {
		if (b.s < a.e)
			return 0;
		first = a;
		second = b;
	} else {
		if (a.s == b.s && a.e == b.e)
			return 0; /* one hit is not near itself */
		if (a.s <= b.s) {
			first = a;
			second = b;
		} else {
			first = b;
			second = a;
		}
	}
	long words = 0;
	if (second.s >= first.e)
		words = (long)t->wc[second.s] - (long)t->wc[first.e - 1] - 1;
	if (words < 0)
		words = 0;
	if (words > dist)
		return 0;
	uint32_t lo = a.s < b.s ? a.s : b.s, hi = a.e > b.e ? a.e : b.e;
	return t->sc[lo] == t->sc[hi - 1];
}

static int eval_rule(dhr_classifier *c, fctx *f, const dhr_rule *ru, size_t cap, int use_masks, hitinfo *hi)
{
	memset(hi, 0, sizeof *hi);
	if (ru->op == DHR_OP_LABEL) {
		int held = ru->ref_same_facet ? c->lstate[ru->ref_label] == 1 : c->chosen[ru->ref_label] != 0;
		hi->count = held ? 1 : 0;
		return 0;
	}
	uint32_t aoff, an;
	if (get_hits(c, f, ru->a, &aoff, &an) < 0)
		return DHR_ENOMEM;
	if (an == 0)
		return 0;
	if (ru->op == DHR_OP_ONE) {
		for (uint32_t i = 0; i < an && hi->count < cap; i++) {
			span h = f->hits.v[aoff + i];
			if (use_masks && masked(c, h))
				continue;
			if (hi->count++ == 0)
				hi->sp = h;
		}
		return 0;
	}
	uint32_t boff, bn;
	if (get_hits(c, f, ru->b, &boff, &bn) < 0)
		return DHR_ENOMEM;
	if (bn == 0)
		return 0;
	if (dhr_ntext_index(&f->t) < 0)
		return DHR_ENOMEM;
	int before = ru->op == DHR_OP_BEFORE;
	for (uint32_t i = 0; i < an && hi->count < cap; i++) {
		span a = f->hits.v[aoff + i];
		if (use_masks && masked(c, a))
			continue;
		for (uint32_t k = 0; k < bn; k++) {
			span b = f->hits.v[boff + k];
			if (use_masks && masked(c, b))
				continue;
			if (!prox_ok(&f->t, a, b, before, ru->dist))
				continue;
			if (hi->count == 0) {
				hi->sp.s = a.s < b.s ? a.s : b.s;
				hi->sp.e = a.e > b.e ? a.e : b.e;
				hi->nparts = 2;
				hi->parts[0] = a;
				hi->parts[1] = b;
			}
			hi->count++;
			break;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- results */

dhr_result *dhr_result_new(void)
{
	return calloc(1, sizeof(dhr_result));
}

void dhr_result_free(dhr_result *res)
{
	if (!res)
		return;
	free(res->lab.v);
	free(res->fstart);
	free(res->fcount);
	free(res->has);
	free(res->ev.v);
	free(res->ev_off);
	free(res->arena.v);
	free(res);
}

static int result_reset(dhr_result *res, const dhr_rules *r)
{
	res->rules = r;
	res->lab.n = 0;
	res->ev.n = 0;
	res->arena.n = 0;
	size_t nf = r->facets.n ? r->facets.n : 1;
	if (res->nf_cap < nf) {
		size_t *a = realloc(res->fstart, nf * sizeof *a);
		if (!a)
			return DHR_ENOMEM;
		res->fstart = a;
		size_t *b = realloc(res->fcount, nf * sizeof *b);
		if (!b)
			return DHR_ENOMEM;
		res->fcount = b;
		res->nf_cap = nf;
	}
	memset(res->fstart, 0, nf * sizeof *res->fstart);
	memset(res->fcount, 0, nf * sizeof *res->fcount);
	size_t nl = r->labels.n ? r->labels.n : 1;
	if (res->has_cap < nl) {
		unsigned char *h = realloc(res->has, nl);
		if (!h)
			return DHR_ENOMEM;
		res->has = h;
		res->has_cap = nl;
	}
	memset(res->has, 0, nl);
	return 0;
}

/* The entry of list pattern rxi that gave hit h (explain mode: the entries' hits are still cached). */
static const dhr_list_entry *list_entry_of(const dhr_classifier *c, const fctx *f, int rxi, span h)
{
	const dhr_list *L = &c->r->lists.v[c->r->rxs.v[rxi].list - 1];
	for (size_t k = 0; k < L->entries.n; k++) {
		int m = L->entries.v[k].rx;
		if (f->done[m] != f->gen)
			continue;
		for (uint32_t i = 0; i < f->hn[m]; i++) {
			span x = f->hits.v[f->hoff[m] + i];
			if (x.s == h.s && x.e == h.e)
				return &L->entries.v[k];
		}
	}
	return NULL;
}

static int add_evidence(dhr_result *res, const dhr_classifier *c, const fctx *f, size_t label, const dhr_rule *ru,
			const hitinfo *hi)
{
	if (DHR_VEC_RESERVE(res->ev, 1) < 0)
		return DHR_ENOMEM;
	if (res->ev_off_cap < res->ev.cap) {
		size_t *o = realloc(res->ev_off, res->ev.cap * sizeof *o);
		if (!o)
			return DHR_ENOMEM;
		res->ev_off = o;
		res->ev_off_cap = res->ev.cap;
	}
	const dhr_label *l = &c->r->labels.v[label];
	dhr_evidence *e = &res->ev.v[res->ev.n];
	memset(e, 0, sizeof *e);
	e->label = label;
	e->label_id = l->id;
	e->rule = ru->where;
	e->kind = ru->kind;
	e->field = f->field;
	e->count = hi->count;
	e->needed = ru->min;
	e->label_ref = ru->op == DHR_OP_LABEL;
	size_t os = 0, oe = 0;
	if (!e->label_ref) {
		os = dhr_ntext_ostart(&f->t, hi->sp.s);
		oe = dhr_ntext_oend(&f->t, hi->sp.e);
		if (oe < os)
			oe = os;
		e->n_parts = hi->nparts;
		for (int i = 0; i < hi->nparts; i++) {
			e->part_start[i] = dhr_ntext_ostart(&f->t, hi->parts[i].s);
			e->part_end[i] = dhr_ntext_oend(&f->t, hi->parts[i].e);
		}
		/* explain: which entry of a list matched (of the first operand that is a list) */
		const dhr_list_entry *en = NULL;
		if (c->explain && hi->count > 0 && c->r->rxs.v[ru->a].list)
			en = list_entry_of(c, f, ru->a, hi->nparts ? hi->parts[0] : hi->sp);
		else if (c->explain && hi->count > 0 && hi->nparts && c->r->rxs.v[ru->b].list)
			en = list_entry_of(c, f, ru->b, hi->parts[1]);
		if (en) {
			e->entry = en->where;
			e->entry_text = en->text;
		}
	}
	e->start = os;
	e->end = oe;
	if (DHR_VEC_RESERVE(res->arena, oe - os + 1) < 0)
		return DHR_ENOMEM;
	res->ev_off[res->ev.n] = res->arena.n;
	memcpy(res->arena.v + res->arena.n, f->t.orig + os, oe - os);
	res->arena.n += oe - os;
	res->arena.v[res->arena.n++] = '\0';
	res->ev.n++;
	return 0;
}

/* ---------------------------------------------------------------- labels and facets */

/*
 * Evaluate label li on field f. *fired: its conditions hold. *pos / *ppos:
 * earliest start of a counted hit / of a counted `prefer` hit (NO_POS if none).
 */
static int eval_label(dhr_classifier *c, dhr_result *res, fctx *f, size_t li, int *fired, uint32_t *pos,
		      uint32_t *ppos)
{
	const dhr_rules *r = c->r;
	const dhr_label *L = &r->labels.v[li];
	size_t ev_mark = res->ev.n;
	hitinfo hi;
	int error;
	*fired = 0;
	*pos = *ppos = NO_POS;
	c->masks.n = 0;
	if (L->n_except) {
		for (size_t k = 0; k < L->rules.n; k++) {
			const dhr_rule *ru = &r->rules.v[L->rules.v[k]];
			if (ru->kind != DHR_RULE_EXCEPT)
				continue;
			uint32_t off, n;
			if ((error = get_hits(c, f, ru->a, &off, &n)) < 0)
				return error;
			if (n == 0)
				continue;
			if (DHR_VEC_RESERVE(c->masks, n) < 0)
				return DHR_ENOMEM;
			memcpy(c->masks.v + c->masks.n, f->hits.v + off, n * sizeof(span));
			c->masks.n += n;
			if (c->explain && n > 0) {
				memset(&hi, 0, sizeof hi);
				hi.count = n;
				hi.sp = f->hits.v[off];
				if ((error = add_evidence(res, c, f, li, ru, &hi)) < 0)
					return error;
			}
		}
	}
	long total = 0;
	for (size_t k = 0; k < L->rules.n; k++) {
		const dhr_rule *ru = &r->rules.v[L->rules.v[k]];
		if (ru->kind != DHR_RULE_MATCH)
			continue;
		size_t cap = c->explain ? HITS_CAP : (size_t)(ru->min > L->min ? ru->min : L->min);
		if ((error = eval_rule(c, f, ru, cap, 1, &hi)) < 0)
			return error;
		if (hi.count == 0 || (hi.count < (size_t)ru->min && !c->explain))
			continue;
		if ((error = add_evidence(res, c, f, li, ru, &hi)) < 0)
			return error;
		if (hi.count < (size_t)ru->min)
			continue;
		total += (long)hi.count;
		uint32_t st = ru->op == DHR_OP_LABEL ? 0 : hi.sp.s;
		if (st < *pos)
			*pos = st;
		if (ru->prefer && st < *ppos)
			*ppos = st;
	}
	int ok = (L->n_match + L->n_require > 0) && (L->n_match == 0 || total >= L->min);
	if (ok || c->explain) {
		for (size_t k = 0; k < L->rules.n && (ok || c->explain); k++) {
			const dhr_rule *ru = &r->rules.v[L->rules.v[k]];
			if (ru->kind != DHR_RULE_REQUIRE)
				continue;
			if ((error = eval_rule(c, f, ru, (size_t)ru->min, 1, &hi)) < 0)
				return error;
			if (hi.count > 0 && (error = add_evidence(res, c, f, li, ru, &hi)) < 0)
				return error;
			if (hi.count < (size_t)ru->min)
				ok = 0;
		}
	}
	if (ok || c->explain) {
		for (size_t k = 0; k < L->rules.n && (ok || c->explain); k++) {
			const dhr_rule *ru = &r->rules.v[L->rules.v[k]];
			if (ru->kind != DHR_RULE_UNLESS)
				continue;
			if ((error = eval_rule(c, f, ru, (size_t)ru->min, 0, &hi)) < 0)
				return error;
			if (hi.count >= (size_t)ru->min) {
				ok = 0;
				if ((error = add_evidence(res, c, f, li, ru, &hi)) < 0)
					return error;
			}
		}
	}
	if (!ok && !c->explain)
		res->ev.n = ev_mark;
	*fired = ok;
	return 0;
}

static fctx *facet_field(dhr_classifier *c, dhr_field fld)
{
	fctx *f = &c->f[fld];
	if (!f->src)
		return NULL;
	return f;
}

static int eval_facet(dhr_classifier *c, dhr_result *res, size_t fi)
{
	const dhr_rules *r = c->r;
	const dhr_facet *F = &r->facets.v[fi];
	size_t ev_start = res->ev.n;
	int error, fired;
	uint32_t pos, ppos;
	res->fstart[fi] = res->lab.n;
	if (!F->info.single) {
		for (size_t k = 0; k < F->labels.n; k++)
			c->chosen[F->labels.v[k]] = 0;
		for (size_t fk = 0; fk < F->info.n_fields; fk++) {
			fctx *f = facet_field(c, F->fields[fk]);
			if (!f)
				continue;
			if ((error = field_prepare(c, f)) < 0)
				return error;
			for (size_t k = 0; k < F->labels.n; k++)
				c->lstate[F->labels.v[k]] = -1;
			for (size_t k = 0; k < F->labels.n; k++) {
				size_t li = F->labels.v[k];
				if ((error = eval_label(c, res, f, li, &fired, &pos, &ppos)) < 0)
					return error;
				c->lstate[li] = (signed char)fired;
				if (fired)
					c->chosen[li] = 1;
			}
		}
		for (size_t k = 0; k < F->labels.n; k++) {
			size_t li = F->labels.v[k];
			if (!c->chosen[li])
				continue;
			if (DHR_VEC_RESERVE(res->lab, 1) < 0)
				return DHR_ENOMEM;
			res->lab.v[res->lab.n++] = li;
		}
	} else {
		int any_prefer = 0;
		for (size_t k = 0; k < F->labels.n; k++)
			any_prefer |= r->labels.v[F->labels.v[k]].has_prefer;
		int winner = -1;
		for (size_t fk = 0; fk < F->info.n_fields && (winner < 0 || c->explain); fk++) {
			fctx *f = facet_field(c, F->fields[fk]);
			if (!f)
				continue;
			if ((error = field_prepare(c, f)) < 0)
				return error;
			for (size_t k = 0; k < F->labels.n; k++)
				c->lstate[F->labels.v[k]] = -1;
			int best = -1;
			uint64_t best_key = UINT64_MAX;
			for (size_t k = 0; k < F->labels.n; k++) {
				size_t li = F->labels.v[k];
				if ((error = eval_label(c, res, f, li, &fired, &pos, &ppos)) < 0)
					return error;
				c->lstate[li] = (signed char)fired;
				if (!fired)
					continue;
				/* key: preferred hits first, then the earliest hit (or file order) */
				uint64_t key = ppos != NO_POS ? 0 : (uint64_t)1 << 40;
				if (F->info.pick_earliest)
					key += ppos != NO_POS ? ppos : pos;
				else
					key += k;
				if (key < best_key) {
					best_key = key;
					best = (int)li;
				}
				if (!F->info.pick_earliest && !any_prefer && !c->explain)
					break; /* first in file order wins */
			}
			if (winner < 0 && best >= 0)
				winner = best;
		}
		if (winner < 0)
			winner = F->info.default_label;
		for (size_t k = 0; k < F->labels.n; k++)
			c->chosen[F->labels.v[k]] = 0;
		if (winner >= 0) {
			c->chosen[winner] = 1;
			if (DHR_VEC_RESERVE(res->lab, 1) < 0)
				return DHR_ENOMEM;
			res->lab.v[res->lab.n++] = (size_t)winner;
		}
	}
	res->fcount[fi] = res->lab.n - res->fstart[fi];
	/* mark the evidence of chosen labels; outside explain mode keep only that */
	size_t w = ev_start;
	for (size_t i = ev_start; i < res->ev.n; i++) {
		dhr_evidence *e = &res->ev.v[i];
		e->label_fired = c->chosen[e->label];
		int keep = c->explain ||
			   (e->label_fired && (e->kind == DHR_RULE_MATCH || e->kind == DHR_RULE_REQUIRE) &&
			    e->count >= (size_t)e->needed);
		if (!keep)
			continue;
		if (w != i) {
			res->ev.v[w] = *e;
			res->ev_off[w] = res->ev_off[i];
		}
		w++;
	}
	res->ev.n = w;
	for (size_t i = res->fstart[fi]; i < res->lab.n; i++)
		res->has[res->lab.v[i]] = 1;
	return 0;
}

static void finish_evidence(dhr_result *res)
{
	for (size_t i = 0; i < res->ev.n; i++)
		res->ev.v[i].match = res->arena.v + res->ev_off[i];
}

static int classify(dhr_result *out, dhr_classifier *c, dhr_scope scope)
{
	int error;
	if ((error = result_reset(out, c->r)) < 0)
		return error;
	memset(c->chosen, 0, c->r->labels.n);
	for (size_t fi = 0; fi < c->r->facets.n; fi++) {
		if (c->r->facets.v[fi].info.scope != scope)
			continue;
		if ((error = eval_facet(c, out, fi)) < 0)
			return error;
	}
	finish_evidence(out);
	return 0;
}

int dhr_classify_rec(dhr_result *out, dhr_classifier *c, const char *text, const char *agency_text)
{
	for (int i = 0; i < 3; i++) {
		c->f[i].src = NULL;
		c->f[i].prepared = 0;
	}
	c->f[DHR_FIELD_TEXT].src = text ? text : "";
	if (agency_text && agency_text[strspn(agency_text, " \t\r\n")] != '\0')
		c->f[DHR_FIELD_AGENCY_TEXT].src = agency_text;
	return classify(out, c, DHR_SCOPE_RECOMMENDATION);
}

int dhr_classify_doc(dhr_result *out, dhr_classifier *c, const char *text)
{
	for (int i = 0; i < 3; i++) {
		c->f[i].src = NULL;
		c->f[i].prepared = 0;
	}
	c->f[DHR_FIELD_DOCUMENT].src = text ? text : "";
	return classify(out, c, DHR_SCOPE_DOCUMENT);
}

size_t dhr_result_label_count(const dhr_result *res, size_t facet)
{
	if (!res->rules || facet >= res->rules->facets.n)
		return 0;
	return res->fcount[facet];
}

size_t dhr_result_label_at(const dhr_result *res, size_t facet, size_t i)
{
	return res->lab.v[res->fstart[facet] + i];
}

const char *dhr_result_single(const dhr_result *res, size_t facet)
{
	if (dhr_result_label_count(res, facet) == 0)
		return NULL;
	return res->rules->labels.v[dhr_result_label_at(res, facet, 0)].id;
}

int dhr_result_has(const dhr_result *res, size_t label)
{
	return res->rules && label < res->rules->labels.n && res->has[label];
}

size_t dhr_result_evidence_count(const dhr_result *res)
{
	return res->ev.n;
}

const dhr_evidence *dhr_result_evidence(const dhr_result *res, size_t i)
{
	return i < res->ev.n ? &res->ev.v[i] : NULL;
}

int dhr_classify_count(size_t *counts, dhr_classifier *c, const char *const *texts, const char *const *agency_texts,
		       size_t n)
{
	dhr_result *res = dhr_result_new();
	if (!res)
		return DHR_ENOMEM;
	int error = 0;
	for (size_t i = 0; i < n; i++) {
		if ((error = dhr_classify_rec(res, c, texts[i], agency_texts ? agency_texts[i] : NULL)) < 0)
			break;
		for (size_t l = 0; l < res->lab.n; l++)
			counts[res->lab.v[l]]++;
	}
	dhr_result_free(res);
	return error;
}
