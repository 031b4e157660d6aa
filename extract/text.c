/*
 * extract/text.c: text clean-up of the extraction stage: Unicode
 * normalisation of each line (NFKC, spaces, soft hyphens) and the
 * document-wide joining of words broken at a line end, decided by evidence
 * from the document itself and a small lexicon (poppler-notes §2.3).
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dhr/common.h"

/* Common words (mostly long ones, which are the ones that get hyphenated)
 * seen in review reports. Sorted for bsearch. Deliberately without real
 * compounds such as "multiagency", whose hyphen must stay. */
static const char *const lexicon[] = {
	"abuse", "abusive", "accommodation", "accordance", "according", "accountability", "acknowledged",
	"addiction", "additional", "address", "addressed", "administration", "adolescent", "adult",
	"adults", "advice", "advocacy", "advocate", "affected", "aftermath", "agencies", "agency",
	"aggravated", "agree", "agreement", "alcohol", "allegations", "allocate", "allocated",
	"allocation", "alongside", "amend", "amended", "analysis", "announcement", "anonymised",
	"another", "antidepressant", "anyone", "apparent", "appear", "appeared", "appointment",
	"appointments", "approach", "appropriate", "appropriately", "approximately", "arrangement",
	"arrangements", "assault", "assessment", "assessments", "assistance", "associated", "attempt",
	"attempted", "attendance", "attended", "author", "authorise", "authorised", "authorities",
	"authority", "availability", "available", "awareness", "background", "behaviour", "behaviours",
	"believed", "beneficial", "benefit", "benefits", "between", "boundaries", "breach", "briefing",
	"capability", "capable", "capacity", "career", "carefully", "carer", "carers", "caseworker",
	"categories", "certificate", "challenges", "champion", "change", "changes", "characteristics",
	"children", "circulate", "circulated", "circumstances", "clinical", "coercive", "collaboration",
	"colleague", "colleagues", "combined", "comment", "commission", "commissioned", "commissioning",
	"commitment", "committee", "communicated", "communication", "communications", "community",
	"complaint", "complete", "completed", "completion", "complexity", "compliance", "comply",
	"comprehensive", "concern", "concerning", "concerns", "conclusion", "conclusions", "condition",
	"conducted", "conference", "confidence", "confidential", "confidentiality", "consent",
	"consequences", "consider", "consideration", "considered", "consistent", "constabulary",
	"consult", "consultation", "contact", "contacted", "contemporaneous", "continued", "continuing",
	"control", "controlling", "conversation", "conversations", "convicted", "coordinated",
	"coordination", "coordinator", "counsel", "counselling", "criminal", "critical", "cultural",
	"currently", "custody", "dangerous", "daughter", "decision", "decisions", "delivered",
	"department", "dependency", "deprivation", "describe", "described", "designated", "detective",
	"determine", "develop", "developed", "development", "diagnosis", "different", "difficult",
	"difficulties", "disability", "discharge", "disclose", "disclosed", "disclosure", "disclosures",
	"discussed", "discussion", "district", "divorce", "document", "documentation", "documented",
	"domestic", "education", "effective", "effectively", "emergency", "employment", "encounter",
	"encouraged", "engagement", "enquiries", "enquiry", "ensure", "environment", "episode",
	"escalate", "escalation", "established", "evaluate", "evaluated", "evaluation", "everything",
	"evidence", "examination", "examine", "example", "expand", "expanded", "expectations",
	"experience", "experienced", "explanation", "explore", "explored", "families", "family",
	"financial", "following", "frequent", "frequently", "functioning", "general", "generally",
	"government", "guidance", "guideline", "harassment", "headteacher", "healthcare", "highlighted",
	"homelessness", "homicide", "hospital", "household", "housing", "husband", "identification",
	"identified", "identify", "immediately", "implement", "implementation", "implemented",
	"important", "improve", "improvement", "improvements", "incidence", "incident", "incidents",
	"included", "including", "increase", "independent", "indicate", "indicated", "individual",
	"individuals", "inform", "information", "informed", "injunction", "injuries", "injury",
	"inspection", "instance", "institution", "instructions", "insufficient", "integrated",
	"intelligence", "interpret", "interpreter", "intervention", "interventions", "interview",
	"investigation", "investigations", "involve", "involvement", "isolate", "isolation", "knowledge",
	"learning", "legislation", "likelihood", "manage", "management", "manager", "material",
	"medication", "meeting", "meetings", "member", "members", "membership", "mention", "methodology",
	"midwife", "minimum", "ministry", "monitoring", "mother", "narrative", "national", "necessary",
	"neglect", "neighbourhood", "neighbours", "network", "nevertheless", "nominate", "normal",
	"notification", "notify", "number", "numbers", "obligations", "observations", "observe",
	"occasion", "occasions", "occurred", "offence", "offender", "offenders", "officer", "officers",
	"operational", "opportunities", "opportunity", "organisation", "organisational", "organisations",
	"organise", "outcome", "outcomes", "overview", "particular", "particularly", "partner",
	"partners", "partnership", "partnerships", "pathway", "patient", "patients", "pattern",
	"perceive", "period", "permanent", "perpetrator", "perpetrators", "person", "personal",
	"personnel", "perspective", "pharmacist", "pharmacy", "physical", "police", "policy",
	"population", "possibility", "possible", "potential", "practice", "practise", "practitioner",
	"practitioners", "pregnancy", "pregnant", "prepare", "prescribed", "present", "presented",
	"pressure", "prevent", "previous", "previously", "primary", "principles", "prioritised",
	"priority", "prison", "probation", "problem", "procedure", "procedures", "process", "processes",
	"produce", "professional", "professionals", "programme", "programmes", "pronounce", "property",
	"prosecution", "protect", "protection", "protective", "provide", "provided", "provision",
	"pseudonym", "psychiatric", "psychiatry", "psychological", "publish", "purpose", "question",
	"questions", "reasonable", "reasonably", "receive", "recognised", "recognition", "recommend",
	"recommendation", "recommendations", "record", "recorded", "refer", "reference", "referral",
	"referrals", "refuge", "regard", "regarding", "registered", "regular", "regularly", "relate",
	"related", "relationship", "relationships", "relative", "relevant", "remain", "remind", "repeat",
	"report", "reported", "represent", "representative", "represented", "request", "require",
	"requirements", "research", "resident", "resources", "respond", "responded", "response",
	"responses", "responsibilities", "responsibility", "restraining", "result", "retain", "return",
	"review", "reviewed", "safeguarding", "schedule", "scheduled", "screening", "secondary",
	"section", "sentence", "separate", "separation", "service", "services", "session", "several",
	"significant", "sister", "situation", "social", "society", "specialist", "specific", "standard",
	"statement", "statements", "statutory", "strangle", "strangulation", "strategic", "strategy",
	"subject", "submit", "subsequent", "subsequently", "substance", "sufficient", "summary",
	"supervise", "supervision", "support", "supported", "surrounding", "survey", "suspect",
	"suspected", "system", "telephone", "template", "temporary", "tenancy", "tenant", "therapeutic",
	"therapy", "threat", "threaten", "threatening", "throughout", "together", "training", "transfer",
	"transferred", "transition", "transport", "treat", "treatment", "understand", "understanding",
	"understood", "unfortunately", "unit", "universal", "unsuccessful", "update", "various", "verbal",
	"victim", "victims", "violence", "violent", "visit", "vulnerabilities", "vulnerability",
	"vulnerable", "warning", "weapon", "welfare", "wellbeing", "whether", "without", "witness",
	"witnesses", "worker", "workers", "younger",
};

static int cmp_word(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

int extract_lexicon_has(const char *word)
{
	return bsearch(word, lexicon, sizeof lexicon / sizeof lexicon[0], sizeof lexicon[0], cmp_word) != NULL;
}

/* ---- normalisation ---------------------------------------------------------- */

static int is_space_like(gunichar c)
{
	return c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000 ||
	       c == 0x1680;
}

static int is_invisible(gunichar c)
{
	return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
}

void extract_normalize(GString *out, const char *s, size_t len, GString *tmp)
{
	int ascii = 1;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] & 0x80) {
			ascii = 0;
			break;
		}
	gchar *norm = NULL;
	if (!ascii) {
		/* the last non-blank character: a soft hyphen there marks a broken word */
		const char *end = s + len, *last = NULL;
		for (const char *p = s; p < end; p = g_utf8_next_char(p))
			if (*p != ' ')
				last = p;
		g_string_truncate(tmp, 0);
		for (const char *p = s; p < end;) {
			gunichar c = g_utf8_get_char_validated(p, end - p);
			if (c == (gunichar)-1 || c == (gunichar)-2) {
				p++;
				continue;
			}
			const char *next = g_utf8_next_char(p);
			if (is_space_like(c))
				g_string_append_c(tmp, ' ');
			else if ((c == 0xAD && p != last) || is_invisible(c))
				; /* dropped */
			else
				g_string_append_len(tmp, p, next - p);
			p = next;
		}
		norm = g_utf8_normalize(tmp->str, (gssize)tmp->len, G_NORMALIZE_NFKC);
		if (norm) {
			s = norm;
			len = strlen(norm);
		} else {
			s = tmp->str;
			len = tmp->len;
		}
	}
	int space = 0;
	size_t start = out->len;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			space = out->len > start;
			continue;
		}
		if (space)
			g_string_append_c(out, ' ');
		space = 0;
		g_string_append_c(out, c);
	}
	g_free(norm);
}

/* ---- de-hyphenation ------------------------------------------------------------ */

#define SOFT_HYPHEN "\xc2\xad"
#define HYPHEN_U2010 "\xe2\x80\x90"
#define WORD_MAX 96

/*
 * State of the de-hyphenation pass. It runs twice over the same pairs of
 * lines: first to collect the words whose counts decide the joins (the joined
 * word, the hyphenated compound and inflected forms), then, after one count
 * over the document of just those words, to apply the decisions. Counting a
 * handful of candidates costs no allocation per word of the document.
 */
typedef struct dehyph {
	GHashTable *plain;    /**< lower-case word -> unsigned * count in the document */
	GHashTable *compound; /**< lower-case hyphenated compound -> count (inside lines) */
	int collect;          /**< first pass: only register candidates */
	int failed;
} dehyph;

static int is_alpha_at(const char *p)
{
	unsigned char b = (unsigned char)*p;
	if (b < 0x80)
		return g_ascii_isalpha(b);
	return g_unichar_isalpha(g_utf8_get_char(p));
}

/* Kind of line ending: 0 none, 1 hyphen, 2 soft hyphen; *cut = byte offset of the hyphen. */
static int hyphen_end(const char *t, size_t *cut)
{
	size_t n = strlen(t);
	size_t h;
	int kind;
	if (n >= 2 && memcmp(t + n - 2, SOFT_HYPHEN, 2) == 0) {
		h = n - 2;
		kind = 2;
	} else if (n >= 3 && memcmp(t + n - 3, HYPHEN_U2010, 3) == 0) {
		h = n - 3;
		kind = 1;
	} else if (n >= 1 && t[n - 1] == '-') {
		h = n - 1;
		kind = 1;
	} else {
		return 0;
	}
	if (h == 0)
		return 0;
	const char *prev = g_utf8_find_prev_char(t, t + h);
	if (!prev || !is_alpha_at(prev))
		return 0;
	*cut = h;
	return kind;
}

/* Lower-case s[0..len) into buf (WORD_MAX bytes). @return 0, or -1 if it does not fit. */
static int lower_into(char *buf, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] & 0x80) {
			gchar *d = g_utf8_strdown(s, (gssize)len);
			size_t n = strlen(d);
			int ok = n < WORD_MAX;
			if (ok)
				memcpy(buf, d, n + 1);
			g_free(d);
			return ok ? 0 : -1;
		}
	if (len >= WORD_MAX)
		return -1;
	for (size_t i = 0; i < len; i++)
		buf[i] = g_ascii_tolower(s[i]);
	buf[len] = '\0';
	return 0;
}

static void want(GHashTable *set, const char *w)
{
	if (!g_hash_table_contains(set, w))
		g_hash_table_insert(set, g_strdup(w), g_new0(unsigned, 1));
}

static unsigned count_of(GHashTable *set, const char *w)
{
	const unsigned *n = g_hash_table_lookup(set, w);
	return n ? *n : 0;
}

static void count_token(GHashTable *set, const char *s, size_t len)
{
	char buf[WORD_MAX];
	if (lower_into(buf, s, len) < 0)
		return;
	unsigned *n = g_hash_table_lookup(set, buf);
	if (n)
		(*n)++;
}

/* Count, in every line but furniture, the candidate words and compounds registered in `d`. */
static void count_words(const dhr_doc *doc, dehyph *d)
{
	for (size_t p = 0; p < doc->n_pages; p++)
		for (size_t l = 0; l < doc->pages[p].n_lines; l++) {
			const dhr_line *line = &doc->pages[p].lines[l];
			if (line->flags & DHR_LINE_FURNITURE)
				continue;
			const char *t = line->text;
			while (*t) {
				if (!is_alpha_at(t)) {
					t = g_utf8_next_char(t);
					continue;
				}
				/* a token: letters, with single hyphens between letters */
				const char *a = t, *part = t;
				int hyphens = 0;
				for (;;) {
					while (*t && is_alpha_at(t))
						t = g_utf8_next_char(t);
					count_token(d->plain, part, (size_t)(t - part));
					if (t[0] == '-' && t[1] && is_alpha_at(t + 1)) {
						hyphens++;
						t++;
						part = t;
						continue;
					}
					break;
				}
				if (hyphens)
					count_token(d->compound, a, (size_t)(t - a));
			}
		}
}

static const char *const endings[] = {"s", "es", "ed", "d", "ing", "er", "ers", "ly", "al", "ally"};

/*
 * The joined word is known in another form: the document or the lexicon has
 * it with a common ending added ("commission" -> "commissioned") or removed.
 * In the collecting pass, register those forms instead.
 */
static int inflection_known(dehyph *d, const char *w)
{
	size_t n = strlen(w);
	char buf[WORD_MAX + 8];
	if (n >= WORD_MAX)
		return 0;
	for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++) {
		size_t e = strlen(endings[i]);
		memcpy(buf, w, n);
		memcpy(buf + n, endings[i], e + 1);
		if (d->collect)
			want(d->plain, buf);
		else if (count_of(d->plain, buf) || extract_lexicon_has(buf))
			return 1;
		if (n > e + 3 && strcmp(w + n - e, endings[i]) == 0) {
			memcpy(buf, w, n - e);
			buf[n - e] = '\0';
			if (d->collect)
				want(d->plain, buf);
			else if (count_of(d->plain, buf) || extract_lexicon_has(buf))
				return 1;
		}
	}
	return 0;
}

/* Remove line `l` of `page`. */
static void remove_line(dhr_page *page, size_t l)
{
	dhr_line *line = &page->lines[l];
	free(line->text);
	free(line->footnote_marks);
	for (size_t c = 0; c < line->n_cells; c++)
		free(line->cells[c].text);
	free(line->cells);
	memmove(line, line + 1, (page->n_lines - l - 1) * sizeof *line);
	page->n_lines--;
}

/*
 * Decide and apply one join of text *a (ending in a hyphen at `cut`) with the
 * text *b that continues it. The first token of *b moves to the end of *a,
 * without the hyphen when the joined word is attested (in the document, the
 * lexicon, or in an inflected form) and the hyphenated compound is not more
 * common; with it otherwise. In the collecting pass nothing changes.
 * @return 1 if *b became empty.
 */
static int join_pair(dehyph *d, char **a, char **b, size_t cut, int kind)
{
	const char *t = *a;
	/* the letters before the hyphen */
	const char *w = t + cut;
	while (w > t) {
		const char *prev = g_utf8_find_prev_char(t, w);
		if (!prev || !is_alpha_at(prev))
			break;
		w = prev;
	}
	const char *s = *b, *se = s;
	while (*se && is_alpha_at(se))
		se = g_utf8_next_char(se);
	const char *tok_end = se;
	while (*tok_end && *tok_end != ' ')
		tok_end++;
	size_t plen = (size_t)(t + cut - w), slen = (size_t)(se - s);
	/* "Urdu- / and Punjabi-speaking": a suspended hyphen, not a broken word */
	static const char *const conj[] = {"and", "or", "to", "nor", "but"};
	for (size_t i = 0; kind != 2 && i < sizeof conj / sizeof conj[0]; i++)
		if (slen == strlen(conj[i]) && strncmp(s, conj[i], slen) == 0 && (*se == ' ' || *se == '\0'))
			return 0;
	int join = kind == 2;
	if (!join && plen + slen + 1 < WORD_MAX) {
		char joined[WORD_MAX], hyph[WORD_MAX], lj[WORD_MAX], lh[WORD_MAX];
		memcpy(joined, w, plen);
		memcpy(joined + plen, s, slen);
		memcpy(hyph, w, plen);
		hyph[plen] = '-';
		memcpy(hyph + plen + 1, s, slen);
		if (lower_into(lj, joined, plen + slen) < 0 || lower_into(lh, hyph, plen + slen + 1) < 0)
			return 0;
		if (d->collect) {
			want(d->plain, lj);
			want(d->compound, lh);
			inflection_known(d, lj);
			return 0;
		}
		unsigned nj = count_of(d->plain, lj), nh = count_of(d->compound, lh);
		if (nj > 0 && nj >= nh)
			join = 1;
		else if (nh == 0 && (extract_lexicon_has(lj) || inflection_known(d, lj)))
			join = 1;
	}
	if (d->collect)
		return 0;
	size_t tlen = (size_t)(tok_end - s);
	size_t keep = join ? cut : cut + 1;
	char *na = malloc(keep + tlen + 1);
	if (!na) {
		d->failed = 1;
		return 0;
	}
	memcpy(na, t, cut);
	if (!join)
		na[cut] = '-';
	memcpy(na + keep, s, tlen);
	na[keep + tlen] = '\0';
	free(*a);
	*a = na;

	const char *rest = tok_end;
	while (*rest == ' ')
		rest++;
	if (!*rest)
		return 1;
	/* the line of b keeps its box: the physical line still starts where it did */
	char *nb = strdup(rest);
	if (!nb) {
		d->failed = 1;
		return 0;
	}
	free(*b);
	*b = nb;
	return 0;
}

/* A line's text rebuilt from its cells, joined by tabs. @return 0 or DHR_ENOMEM. */
static int rebuild_from_cells(dhr_line *l)
{
	size_t n = 0;
	for (size_t c = 0; c < l->n_cells; c++)
		n += strlen(l->cells[c].text) + 1;
	char *t = malloc(n + 1), *w = t;
	if (!t)
		return DHR_ENOMEM;
	for (size_t c = 0; c < l->n_cells; c++) {
		if (c)
			*w++ = '\t';
		size_t k = strlen(l->cells[c].text);
		memcpy(w, l->cells[c].text, k);
		w += k;
	}
	*w = '\0';
	free(l->text);
	l->text = t;
	if (l->n_cells) {
		const dhr_cell *last = &l->cells[l->n_cells - 1];
		l->x = l->cells[0].x;
		l->width = last->x + last->width - l->x;
	}
	return 0;
}

/* Body text and footnote text: each flow is joined with itself, across pages for the body. */
static void dehyphenate_flows(dhr_doc *doc, dehyph *d)
{
	dhr_line *prev[2] = {NULL, NULL};
	size_t prev_page[2] = {0, 0};
	for (size_t p = 0; p < doc->n_pages && !d->failed; p++) {
		dhr_page *page = &doc->pages[p];
		for (size_t l = 0; l < page->n_lines && !d->failed;) {
			dhr_line *line = &page->lines[l];
			if (line->flags & (DHR_LINE_FURNITURE | DHR_LINE_TABLE)) {
				l++;
				continue;
			}
			int f = (line->flags & DHR_LINE_FOOTNOTE) != 0;
			dhr_line *pv = prev[f] && (!f || prev_page[f] == p) ? prev[f] : NULL;
			size_t cut;
			int kind = pv ? hyphen_end(pv->text, &cut) : 0;
			if (kind && !(line->flags & DHR_LINE_PARA_START) && g_unichar_islower(g_utf8_get_char(line->text)) &&
			    join_pair(d, &pv->text, &line->text, cut, kind)) {
				remove_line(page, l);
				continue; /* `prev` stays: it now ends with the joined word */
			}
			prev[f] = line;
			prev_page[f] = p;
			l++;
		}
	}
}

/*
 * Inside tables: a cell ending in a hyphen continues in the cell of the same
 * column on the next table line ("Part-" / "nership").
 */
static void dehyphenate_cells(dhr_doc *doc, dehyph *d)
{
	for (size_t p = 0; p < doc->n_pages && !d->failed; p++) {
		dhr_page *page = &doc->pages[p];
		for (size_t l = 0; l + 1 < page->n_lines && !d->failed; l++) {
			dhr_line *a = &page->lines[l], *b = &page->lines[l + 1];
			if (!(a->flags & DHR_LINE_TABLE) || !(b->flags & DHR_LINE_TABLE) || (b->flags & DHR_LINE_FURNITURE) ||
			    a->column != b->column || b->y - (a->y + a->height) > 1.5 * a->font_size)
				continue;
			int changed = 0;
			for (size_t c = 0; c < a->n_cells; c++) {
				size_t cut;
				int kind = hyphen_end(a->cells[c].text, &cut);
				if (!kind)
					continue;
				size_t k = 0;
				while (k < b->n_cells && fabs(b->cells[k].x - a->cells[c].x) > 3)
					k++;
				if (k == b->n_cells || !g_unichar_islower(g_utf8_get_char(b->cells[k].text)))
					continue;
				changed = !d->collect;
				if (join_pair(d, &a->cells[c].text, &b->cells[k].text, cut, kind)) {
					free(b->cells[k].text);
					memmove(&b->cells[k], &b->cells[k + 1], (b->n_cells - k - 1) * sizeof *b->cells);
					b->n_cells--;
				}
			}
			if (!changed)
				continue;
			if (rebuild_from_cells(a) < 0) {
				d->failed = 1;
				return;
			}
			if (b->n_cells == 0)
				remove_line(page, l + 1);
			else if (rebuild_from_cells(b) < 0)
				d->failed = 1;
		}
	}
}

/* Drop a soft hyphen left at the end of a line. */
static void strip_soft_hyphens(dhr_doc *doc)
{
	for (size_t p = 0; p < doc->n_pages; p++)
		for (size_t l = 0; l < doc->pages[p].n_lines; l++) {
			char *t = doc->pages[p].lines[l].text;
			size_t n = strlen(t);
			if (n >= 2 && memcmp(t + n - 2, SOFT_HYPHEN, 2) == 0)
				t[n - 2] = '\0';
		}
}

int extract_dehyphenate(dhr_doc *doc)
{
	dehyph d = {0};
	d.plain = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	d.compound = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	d.collect = 1;
	dehyphenate_flows(doc, &d);
	dehyphenate_cells(doc, &d);
	if (g_hash_table_size(d.plain))
		count_words(doc, &d);
	d.collect = 0;
	dehyphenate_flows(doc, &d);
	dehyphenate_cells(doc, &d);
	g_hash_table_destroy(d.plain);
	g_hash_table_destroy(d.compound);
	strip_soft_hyphens(doc);
	return d.failed ? DHR_ENOMEM : 0;
}
