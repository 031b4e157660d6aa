/*
 * segment/items.c: cuts the prose of a recommendations section into
 * recommendations. Lines become paragraphs (each with its numbering marker);
 * a lead-in that is itself the action ("The Panel invites X to:") keeps its
 * bullets or lettered parts; a quoted list of an earlier review's
 * recommendations is left out; the outermost numbering style present starts
 * the items, and everything after an item up to the next one (more
 * paragraphs, deeper numbering, a page break) belongs to it. A list's
 * introduction gives way to its items; agency sub-headings set the agency of
 * the items below them.
 */
#include "internal.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

enum {
	P_SUBHEAD = 1u << 0,  /* a minor heading inside the section */
	P_EXCLUDED = 1u << 1, /* quoted from an earlier review, or its introduction */
	P_QUOTED = 1u << 2,   /* opens with a quotation mark */
	P_HEADING = 1u << 3   /* a heading line (numbered: maybe an item's title) */
};

typedef struct para {
	size_t first;     /* stream index of its first line */
	seg_buf raw;      /* the whole paragraph, marker included */
	seg_marker m;
	int rank;         /* seg_marker_rank(), or 100 when unmarked */
	unsigned role;    /* P_* */
	int parent;       /* the action lead-in it belongs to, or -1 */
	int children;     /* for an action lead-in: how many parts it took */
	int agency;       /* for a sub-heading: it names an agency */
	int page_first, page_last;
	int pages[8];     /* distinct pages, in order (a paragraph spans few) */
	int n_pages;
} para;

typedef struct paras {
	para *v;
	size_t n, cap;
} paras;

typedef struct item {
	int top;          /* paragraph that starts it (its marker is the number) */
	int *members;     /* top-level paragraphs that make it up, top first */
	size_t n, cap;
	int agency_para;  /* sub-heading naming its agency, or -1 */
} item;

typedef struct items {
	item *v;
	size_t n, cap;
} items;

static const char *body_of(const para *p)
{
	return p->raw.s ? p->raw.s + (p->m.len <= p->raw.len ? p->m.len : p->raw.len) : "";
}

static para *paras_add(paras *ps)
{
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 32;
		para *v = realloc(ps->v, cap * sizeof *v);
		if (!v)
			return NULL;
		ps->v = v;
		ps->cap = cap;
	}
	para *p = &ps->v[ps->n++];
	memset(p, 0, sizeof *p);
	p->parent = -1;
	p->rank = 100;
	return p;
}

static void paras_free(paras *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		seg_buf_free(&ps->v[i].raw);
	free(ps->v);
}

static void para_page(para *p, int page)
{
	for (int k = 0; k < p->n_pages; k++)
		if (p->pages[k] == page)
			return;
	if (p->n_pages < (int)G_N_ELEMENTS(p->pages))
		p->pages[p->n_pages++] = page;
}

static int item_add_member(item *it, int m)
{
	if (it->n == it->cap) {
		size_t cap = it->cap ? it->cap * 2 : 4;
		int *v = realloc(it->members, cap * sizeof *v);
		if (!v)
			return DHR_ENOMEM;
		it->members = v;
		it->cap = cap;
	}
	it->members[it->n++] = m;
	return 0;
}

static item *items_add(items *is, int top, int agency_para)
{
	if (is->n == is->cap) {
		size_t cap = is->cap ? is->cap * 2 : 16;
		item *v = realloc(is->v, cap * sizeof *v);
		if (!v)
			return NULL;
		is->v = v;
		is->cap = cap;
	}
	item *it = &is->v[is->n++];
	memset(it, 0, sizeof *it);
	it->top = top;
	it->agency_para = agency_para;
	if (item_add_member(it, top) < 0) {
		is->n--;
		return NULL;
	}
	return it;
}

static void items_free(items *is)
{
	for (size_t i = 0; i < is->n; i++)
		free(is->v[i].members);
	free(is->v);
	memset(is, 0, sizeof *is);
}

/* Skip an opening quotation mark: ‘ “ " ' */
static const char *skip_quote(const char *t, int *quoted)
{
	*quoted = 0;
	if (*t == '"' || *t == '\'') {
		*quoted = 1;
		return t + 1;
	}
	if ((unsigned char)t[0] == 0xE2 && (unsigned char)t[1] == 0x80 &&
	    ((unsigned char)t[2] == 0x98 || (unsigned char)t[2] == 0x9C)) {
		*quoted = 1;
		return t + 3;
	}
	return t;
}

/* Parse the marker of a paragraph's first line; returns the marker kind. */
static seg_mkind para_marker(para *p, const char *text, int para_start)
{
	int quoted;
	const char *t = skip_quote(text, &quoted);
	seg_mkind k = seg_marker_parse(&p->m, t);
	if (k == SEG_MK_NONE)
		return k;
	/* a bare integer ("3 The Panel ...") counts only where a paragraph starts */
	if (k == SEG_MK_NUMBER && p->m.delim == ' ' && p->m.depth == 1 && !p->m.suffix && !para_start) {
		memset(&p->m, 0, sizeof p->m);
		return SEG_MK_NONE;
	}
	p->m.len += (size_t)(t - text);
	if (quoted)
		p->role |= P_QUOTED;
	p->rank = seg_marker_rank(&p->m);
	return k;
}

static int ends_sentence(const char *t)
{
	char c = seg_last_char(t);
	return c == '.' || c == ':' || c == ';' || c == '!' || c == '?' || c == ')';
}

/* Lines of the section → paragraphs. */
static int build_paras(paras *ps, const seg_stream *st, const seg_section *sec, const unsigned char *mask)
{
	para *cur = NULL;
	const seg_line *prev = NULL;
	for (size_t i = sec->begin; i < sec->end; i++) {
		const seg_line *l = &st->lines[i];
		if ((mask && mask[i - sec->begin]) || (l->flags & SEG_L_TOC)) {
			cur = NULL;
			prev = NULL;
			continue;
		}
		if (l->flags & SEG_L_HEADING) {
			char *h = seg_heading_text(st, i);
			if (!h)
				return DHR_ENOMEM;
			para *p = paras_add(ps);
			if (!p) {
				free(h);
				return DHR_ENOMEM;
			}
			p->first = i;
			seg_buf_join(&p->raw, h);
			free(h);
			para_page(p, l->page);
			if (para_marker(p, p->raw.s ? p->raw.s : "", 1) == SEG_MK_NONE || p->m.kind == SEG_MK_BULLET) {
				memset(&p->m, 0, sizeof p->m);
				p->rank = 100;
				p->role |= P_SUBHEAD;
				p->agency = seg_looks_like_agency(p->raw.s ? p->raw.s : "");
				cur = NULL;
			} else {
				cur = p; /* "Recommendation 3" as a heading: its text follows */
				p->role |= P_HEADING;
				/* a larger numbered heading titles a sub-section, not an item */
				if (!(l->flags & SEG_L_SUBHEAD) && p->m.kind != SEG_MK_WORD)
					p->role |= P_SUBHEAD;
			}
			i += (size_t)l->n_joined;
			prev = &st->lines[i];
			if (p->raw.oom)
				return DHR_ENOMEM;
			continue;
		}
		int start = cur == NULL || (l->flags & SEG_L_PARA) || (cur->role & P_SUBHEAD);
		seg_marker m;
		seg_mkind k = seg_marker_parse(&m, l->text);
		if (!start && k != SEG_MK_NONE && !(k == SEG_MK_NUMBER && m.delim == ' ' && m.depth == 1) && prev &&
		    ends_sentence(prev->text))
			start = 1; /* a list item on the next line, with no gap */
		if (start && cur && prev && l->page != prev->page && k == SEG_MK_NONE && !ends_sentence(prev->text) &&
		    !(cur->role & P_SUBHEAD))
			start = 0; /* a paragraph carried over a page break */
		if (start) {
			if (!(cur = paras_add(ps)))
				return DHR_ENOMEM;
			cur->first = i;
			para_marker(cur, l->text, (l->flags & SEG_L_PARA) != 0 || prev == NULL);
		}
		/* table cells that reached the prose (hanging numbers, stray grids) read as text */
		if (l->src->flags & DHR_LINE_TABLE) {
			char *t = g_strdelimit(g_strdup(l->text), "\t", ' ');
			if (!t)
				return DHR_ENOMEM;
			seg_buf_join(&cur->raw, t);
			g_free(t);
		} else {
			seg_buf_join(&cur->raw, l->text);
		}
		if (cur->raw.oom)
			return DHR_ENOMEM;
		para_page(cur, l->page);
		prev = l;
	}
	return 0;
}

/* Does `label` continue `parent` ("9.1" → "9.1 a", "9.1.2", "9.1b")? */
static int extends_label(const char *label, const char *parent)
{
	size_t n = strlen(parent);
	if (n == 0 || strncmp(label, parent, n) != 0 || strlen(label) <= n)
		return 0;
	char c = label[n];
	return c == '.' || c == ' ' || g_ascii_islower(c);
}

/*
 * A numbered heading ("9.2 Police") whose number the items below continue
 * ("9.2 a", "9.2.1") titles a group of items: a sub-heading, not an item.
 */
static void demote_group_headings(paras *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		para *h = &ps->v[i];
		if (!(h->role & P_HEADING) || (h->role & P_SUBHEAD) || h->m.kind == SEG_MK_WORD || !h->m.label[0])
			continue;
		int group = 0;
		for (size_t q = i + 1; q < ps->n; q++) {
			const para *x = &ps->v[q];
			if ((x->role & P_HEADING) && x->rank <= h->rank && !extends_label(x->m.label, h->m.label))
				break;
			if (x->m.kind != SEG_MK_NONE && extends_label(x->m.label, h->m.label)) {
				group = 1;
				break;
			}
		}
		if (group)
			h->role |= P_SUBHEAD;
	}
	for (size_t i = 0; i < ps->n; i++) {
		para *h = &ps->v[i];
		if ((h->role & P_SUBHEAD) && (h->role & P_HEADING)) {
			h->agency = seg_looks_like_agency(body_of(h));
			h->rank = 100;
		}
	}
}

/* Mark a quoted list of an earlier review's recommendations, and its introduction. */
static void mark_quoted_lists(paras *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		para *p = &ps->v[i];
		if (p->role & (P_SUBHEAD | P_EXCLUDED))
			continue;
		const char *b = body_of(p);
		if (!(seg_last_char(b) == ':' ||
		      ((seg_contains(b, "following") || seg_contains(b, "these were") || seg_contains(b, "as follows")) &&
		       seg_contains(b, "recommend"))))
			continue;
		if (!seg_mentions_previous_review(b))
			continue;
		/* "...endorses the previous review's recommendations and recommends
		 * that the CCG:" asks for action itself: not a quotation */
		if (seg_rec_judge(b) == SEG_LIKE_STRONG)
			continue;
		p->role |= P_EXCLUDED;
		const para *style = NULL;
		int last_ord = 0;
		size_t q = i + 1;
		for (; q < ps->n; q++) {
			para *x = &ps->v[q];
			if (x->role & P_SUBHEAD)
				break;
			if (x->m.kind == SEG_MK_NONE) {
				if (x->role & P_QUOTED) {
					x->role |= P_EXCLUDED;
					continue;
				}
				break;
			}
			if (style == NULL) {
				if (x->rank <= p->rank && p->m.kind != SEG_MK_NONE)
					break; /* the next item of the outer list */
				style = x;
			} else if (x->rank < style->rank) {
				break;
			} else if (seg_marker_same_style(&x->m, &style->m) && x->m.ordinal == 1 && last_ord >= 1 &&
				   !(x->role & P_QUOTED)) {
				break; /* numbering starts again: the review's own list */
			}
			if (seg_marker_same_style(&x->m, &style->m))
				last_ord = x->m.ordinal;
			x->role |= P_EXCLUDED;
		}
		i = q - 1;
	}
}

/*
 * A lead-in that is itself the action ("The Panel invites the CCG to:",
 * "7.1 The Constabulary should:") keeps the parts listed under it.
 */
static void absorb_lead_ins(paras *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		para *p = &ps->v[i];
		if (p->role & (P_SUBHEAD | P_EXCLUDED) || p->parent >= 0)
			continue;
		const char *b = body_of(p);
		if (seg_last_char(b) != ':' || seg_is_list_intro(b))
			continue;
		if (p->m.kind == SEG_MK_NONE && seg_word_count(b) <= 6 && !seg_has_modal(b) && seg_looks_like_agency(b)) {
			/* "Constabulary:" above its recommendations: an agency label */
			p->role |= P_SUBHEAD;
			p->agency = 1;
			continue;
		}
		int prank = p->m.kind == SEG_MK_NONE ? -1 : p->rank;
		int child = -1;
		size_t q = i + 1;
		for (; q < ps->n; q++) {
			para *x = &ps->v[q];
			if (x->role & (P_SUBHEAD | P_EXCLUDED) || x->m.kind == SEG_MK_NONE)
				break;
			if (prank >= 0 && x->rank <= prank)
				break;
			if (prank < 0 && x->m.kind != SEG_MK_BULLET && x->m.kind != SEG_MK_LETTER &&
			    x->m.kind != SEG_MK_ROMAN)
				break; /* numbered items after an unnumbered lead-in are a list of their own */
			if (child < 0)
				child = x->rank;
			else if (x->rank < child)
				break;
			x->parent = (int)i;
			p->children++;
		}
		i = q - 1;
	}
}

static int top_rank(const paras *ps, const int *idx, size_t n)
{
	int best = 100;
	for (size_t k = 0; k < n; k++) {
		const para *p = &ps->v[idx[k]];
		if (p->role & (P_SUBHEAD | P_EXCLUDED) || p->parent >= 0 || p->m.kind == SEG_MK_NONE)
			continue;
		if (p->rank < best)
			best = p->rank;
	}
	return best;
}

static int build_items(items *out, const paras *ps, const int *idx, size_t n, int agency_para, int depth);

/* Items from a list of top-level paragraphs. */
static int build_items(items *out, const paras *ps, const int *idx, size_t n, int agency_para, int depth)
{
	int T = top_rank(ps, idx, n);
	items local = {0};
	item *cur = NULL;
	int rc = 0;
	int seen_item = 0;
	int last = -1; /* where nothing is numbered: the item a plain paragraph continues */
	for (size_t k = 0; k < n; k++) {
		int i = idx[k];
		const para *p = &ps->v[i];
		if (p->parent >= 0 || (p->role & P_EXCLUDED)) {
			continue;
		}
		if (p->role & P_SUBHEAD) {
			cur = NULL;
			last = -1;
			agency_para = p->agency ? i : -1;
			continue;
		}
		if (T <= 1 && p->m.kind == SEG_MK_NUMBER && !(cur && extends_label(p->m.label, ps->v[cur->top].m.label))) {
			/* "Recommendation 3" items among numbered paragraphs: the
			 * numbered ones are the report's narrative */
			cur = NULL;
			continue;
		}
		if (p->m.kind != SEG_MK_NONE && p->rank == T) {
			if (!(cur = items_add(&local, i, agency_para))) {
				rc = DHR_ENOMEM;
				goto cleanup;
			}
			seen_item = 1;
			continue;
		}
		if (cur) {
			if ((rc = item_add_member(cur, i)) < 0)
				goto cleanup;
			continue;
		}
		/* unnumbered text with no item open: the section's introduction, or
		 * (where nothing is numbered, or after a sub-heading) a recommendation */
		const char *b = body_of(p);
		if (T < 100 && !seen_item && agency_para < 0 && p->children == 0)
			continue;
		int judge = seg_rec_judge(b);
		if ((judge == SEG_LIKE_STRONG || (judge == SEG_LIKE_WEAK && !seg_is_meta_statement(b))) &&
		    !(seg_last_char(b) == ':' && seg_is_list_intro(b))) {
			if (!items_add(&local, i, agency_para)) {
				rc = DHR_ENOMEM;
				goto cleanup;
			}
			cur = T < 100 ? &local.v[local.n - 1] : NULL;
			last = (int)local.n - 1;
		} else if (T == 100 && last >= 0 && !(seg_last_char(b) == ':' && seg_is_list_intro(b))) {
			/* more of the recommendation above ("This has been a previous
			 * recommendation...") */
			if ((rc = item_add_member(&local.v[last], i)) < 0)
				goto cleanup;
		}
	}

	/* a list's introduction gives way to the items listed under it */
	for (size_t k = 0; k < local.n; k++) {
		item *it = &local.v[k];
		const char *b = body_of(&ps->v[it->top]);
		int intro = seg_last_char(b) == ':' && seg_is_list_intro(b);
		if (!intro && it->n > 1 && seg_is_meta_statement(b))
			intro = 1;
		if (intro && depth < 4) {
			if (it->n > 1 && (rc = build_items(out, ps, it->members + 1, it->n - 1, it->agency_para, depth + 1)) < 0)
				goto cleanup;
			continue;
		}
		if (!items_add(out, it->top, it->agency_para)) {
			rc = DHR_ENOMEM;
			goto cleanup;
		}
		item *o = &out->v[out->n - 1];
		for (size_t m = 1; m < it->n; m++)
			if ((rc = item_add_member(o, it->members[m])) < 0)
				goto cleanup;
	}
cleanup:
	items_free(&local);
	return rc;
}

static int add_pages(seg_cand *c, const para *p)
{
	for (int k = 0; k < p->n_pages; k++)
		if (seg_cand_add_page(c, p->pages[k]) < 0)
			return DHR_ENOMEM;
	return 0;
}

int seg_items_from_prose(seg_cands *out, const seg_stream *st, const seg_section *sec, int section_id,
			 const unsigned char *mask)
{
	paras ps = {0};
	items its = {0};
	int *idx = NULL, *owner = NULL;
	seg_buf b = {0};
	int rc;

	if ((rc = build_paras(&ps, st, sec, mask)) < 0)
		goto cleanup;
	if (ps.n == 0)
		goto cleanup;
	demote_group_headings(&ps);
	mark_quoted_lists(&ps);
	absorb_lead_ins(&ps);

	idx = malloc(ps.n * sizeof *idx);
	owner = malloc(ps.n * sizeof *owner);
	if (!idx || !owner) {
		rc = DHR_ENOMEM;
		goto cleanup;
	}
	size_t n_top = 0;
	for (size_t i = 0; i < ps.n; i++)
		if (ps.v[i].parent < 0)
			idx[n_top++] = (int)i;
	if ((rc = build_items(&its, &ps, idx, n_top, -1, 0)) < 0)
		goto cleanup;

	for (size_t i = 0; i < ps.n; i++)
		owner[i] = -1;
	for (size_t k = 0; k < its.n; k++)
		for (size_t m = 0; m < its.v[k].n; m++)
			owner[its.v[k].members[m]] = (int)k;
	for (size_t i = 0; i < ps.n; i++)
		if (ps.v[i].parent >= 0)
			owner[i] = owner[ps.v[i].parent];

	for (size_t k = 0; k < its.n; k++) {
		const item *it = &its.v[k];
		const para *top = &ps.v[it->top];
		seg_cand c = {0};
		c.merged_into = -1;
		c.kind = sec->kind;
		c.section_id = section_id;
		c.pos = top->first;
		b.len = 0;
		if (b.s)
			b.s[0] = '\0';
		/* a numbered title line ("8.2 DASH risk assessment") above the text
		 * names the recommendation; the text under it is the recommendation */
		int titled = (top->role & P_HEADING) && it->n > 1 && seg_last_char(body_of(top)) != ':' &&
			     seg_word_count(body_of(top)) <= 10;
		if (!titled)
			seg_buf_join(&b, body_of(top));
		for (size_t i = (size_t)it->top + 1; i < ps.n; i++)
			if (owner[i] == (int)k)
				seg_buf_join(&b, ps.v[i].raw.s ? ps.v[i].raw.s : "");
		if (b.oom) {
			rc = DHR_ENOMEM;
			goto cleanup;
		}
		const char *text = b.s ? b.s : "";
		if (seg_word_count(text) < 3)
			continue;
		/* narrative kept out: in a section that also holds conclusions or
		 * lessons, and in the introduction to recommendations sub-sections,
		 * an item must ask someone to act; nowhere is a sentence about the
		 * recommendations one of them */
		int judge = seg_rec_judge(text);
		if (sec->nested && judge != SEG_LIKE_STRONG)
			continue;
		if (judge != SEG_LIKE_STRONG && seg_is_meta_statement(text))
			continue;
		if (sec->combined && judge == SEG_LIKE_NONE)
			continue;
		if (!(c.text = seg_normalise_space(text))) {
			rc = DHR_ENOMEM;
			goto cleanup;
		}
		if (top->m.kind != SEG_MK_NONE && top->m.kind != SEG_MK_BULLET && top->m.label[0]) {
			if (!(c.number = strdup(top->m.label))) {
				free(c.text);
				rc = DHR_ENOMEM;
				goto cleanup;
			}
			c.ordinal = top->m.ordinal;
		}
		if (it->agency_para >= 0) {
			c.agency = seg_normalise_space(body_of(&ps.v[it->agency_para]));
			if (c.agency) {
				size_t n = strlen(c.agency);
				while (n > 0 && (c.agency[n - 1] == ':' || c.agency[n - 1] == ' '))
					c.agency[--n] = '\0';
			}
		} else {
			c.agency = seg_subject_agency(c.text);
		}
		for (size_t i = (size_t)it->top; i < ps.n && rc == 0; i++)
			if ((int)i == it->top || owner[i] == (int)k)
				rc = add_pages(&c, &ps.v[i]);
		if (rc == 0)
			rc = seg_cands_push(out, &c);
		if (rc < 0)
			goto cleanup;
	}
cleanup:
	seg_buf_free(&b);
	free(idx);
	free(owner);
	items_free(&its);
	paras_free(&ps);
	return rc;
}
