/*
 * segment/phrases.c: how recommendations are phrased. Tells a recommendation
 * ("It is recommended that…", "That <agency>…", "<Agency> should…", "<Agency>
 * to ensure…", bare imperatives) from narrative, a list's introduction from
 * a lead-in that is itself the action, finds the agency named as the subject
 * and normalises a Scope cell.
 */
#include "internal.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Verbs that open a recommendation written as an instruction. */
static const char *const imperatives[] = {
	"ensure", "review", "develop", "improve", "consider", "provide", "establish", "raise", "create",
	"undertake", "update", "introduce", "promote", "deliver", "commission", "implement", "embed",
	"share", "seek", "explore", "audit", "assure", "strengthen", "reinforce", "identify", "publish",
	"amend", "produce", "include", "continue", "work", "make", "agree", "clarify", "refresh",
	"remind", "disseminate", "set", "put", "give", "take", "carry", "circulate", "evaluate",
	"monitor", "report", "train", "engage", "enable", "encourage", "support", "extend", "expand",
	"facilitate", "incorporate", "maintain", "use", "adopt", "appoint", "build", "check", "collect",
	"conduct", "design", "devise", "examine", "formalise", "formalize", "highlight", "increase",
	"inform", "investigate", "issue", "lead", "offer", "plan", "prioritise", "prioritize", "reduce",
	"refer", "require", "revise", "scope", "test", "urge", "write", "map", "re-launch", "relaunch",
	"reissue", "re-issue", "request", "invite", "arrange", "look", "bring", "hold", "convene",
	"procure", "fund", "align", "confirm", "record", "follow", "liaise", "contact", "recognise",
	"recognize", "respond", "reconsider", "restate", "distribute", "signpost", "standardise",
	"standardize", "streamline", "enhance", "integrate", "learn", "obtain", "pilot", "undertake",
	"utilise", "utilize", "widen",
};

/* Phrases that ask someone to act. */
static const char *const modals[] = {
	" should ", " must ", " shall ", " ought to ", " needs to ", " need to ", " is to ", " are to ",
	" to ensure ", " will ensure ", " will review ", " is asked to ", " are asked to ", " invites ",
	" is invited to ", " are invited to ", " is requested to ", " are requested to ", " is encouraged to ",
	" are encouraged to ", " to consider ", " to review ", " to develop ", " to provide ", " to undertake ",
	" to work ", " to raise ", " to establish ", " to improve ", " to share ", " to introduce ",
	" to update ", " to deliver ", " to produce ", " to seek ", " to write ", " to commission ",
	" to reinforce ", " to strengthen ", " to promote ", " to create ", " to implement ", " to audit ",
	/* a lead-in that is the action: "The IDVA service should:" above its lettered parts */
	" should:", " must:", " shall:", " needs to:", " is asked to:", " are asked to:",
};

/* Subject ends: "<Agency> should ...", "<Agency> to ensure ...". */
static const char *const subject_ends[] = {
	" should ", " must ", " shall ", " ought to ", " needs to ", " need to ", " is to ", " are to ",
	" will ", " is asked to ", " are asked to ", " is invited to ", " are invited to ",
	" is requested to ", " are requested to ", " is encouraged to ", " are encouraged to ",
	" to ", " reviews ", " ensures ", " develops ", " considers ", " provides ", " undertakes ",
	" works ", " raises ", " establishes ", " improves ", " shares ", " introduces ", " updates ",
	" delivers ", " produces ", " seeks ", " writes ", " commissions ", " reinforces ", " promotes ",
	" creates ", " implements ", " audits ", " continues ", " explores ", " issues ", " amends ",
	" makes ", " adopts ", " embeds ", " revises ", " publishes ", " agrees ", " leads ", " takes ",
	" should:", " must:", " shall:", " to:", " will:", " needs to:", " is asked to:", " are asked to:",
};

static int first_word_is(const char *s, const char *const *list, size_t n)
{
	s = seg_skip_space(s);
	for (size_t k = 0; k < n; k++) {
		const char *e = seg_prefix(s, list[k]);
		if (e && !g_ascii_isalpha(*e) && *e != '-')
			return 1;
	}
	return 0;
}

int seg_has_modal(const char *text)
{
	if (seg_find_any(text, (size_t)-1, modals, G_N_ELEMENTS(modals)))
		return 1;
	/* a modal opening the text ("Should the ...") */
	for (size_t k = 0; k < G_N_ELEMENTS(modals); k++)
		if (seg_prefix(text, modals[k] + 1))
			return 1;
	return 0;
}

int seg_starts_imperative(const char *text)
{
	return first_word_is(text, imperatives, G_N_ELEMENTS(imperatives));
}

/* "It is recommended that", "The Panel recommends that", "We recommend": the review asking. */
static int performative_recommend(const char *t)
{
	static const char *const forms[] = {"is recommended that", "is recommended to", "are recommended to",
					    "recommends that", "recommend that", "recommends:", "recommends the ",
					    "recommends a ", "recommends an ", "recommends all ", "recommends each ",
					    "recommends further", "is further recommended", "recommendation is that",
					    "recommends to ", "recommends:"};
	for (size_t k = 0; k < G_N_ELEMENTS(forms); k++)
		if (seg_contains(t, forms[k]))
			return 1;
	return 0;
}

/* Names for people and bodies asked to act, beyond agency names. */
static int names_actor(const char *subject)
{
	static const char *const actors[] = {"officers", "staff", "practitioners", "professionals", "clinicians",
					     "nurses", "midwives", "workers", "managers", "commissioners", "leads",
					     "employers", "chair", "chairs", "authors", "providers", "partners",
					     "members", "organisations", "bodies", "teams", "government"};
	/* a clause, not a name: "The Panel considered whether further recommendations" */
	static const char *const clause[] = {"whether", "that", "which", "who", "if", "when", "where", "because",
					     "recommendation", "recommendations", "it", "this", "these"};
	for (size_t k = 0; k < G_N_ELEMENTS(clause); k++)
		if (seg_has_word(subject, clause[k]))
			return 0;
	static const char *const participles[] = {"named", "commissioned", "designated", "specialised", "integrated",
						  "related", "based", "accredited", "trained", "qualified",
						  "registered", "funded", "led", "shared", "specialized", "dedicated",
						  "involved", "concerned", "affected", "allocated", "assigned"};
	for (const char *p = subject; *p; p++) {
		if (p != subject && p[-1] != ' ')
			continue;
		const char *e = p;
		while (g_ascii_isalpha(*e))
			e++;
		size_t n = (size_t)(e - p);
		if (n > 3 && g_ascii_islower(*p) && p[n - 2] == 'e' && p[n - 1] == 'd') {
			int ok = 0;
			for (size_t k = 0; k < G_N_ELEMENTS(participles); k++)
				if (strlen(participles[k]) == n && strncmp(p, participles[k], n) == 0)
					ok = 1;
			if (!ok)
				return 0; /* "considered", "decided": a verb in the past tense */
		}
	}
	if (seg_looks_like_agency(subject))
		return 1;
	for (size_t k = 0; k < G_N_ELEMENTS(actors); k++)
		if (seg_has_word(subject, actors[k]))
			return 1;
	/* a proper name: every word capitalised but for small words ("Linton Fields Surgery") */
	int words = 0, caps = 0;
	const char *p = subject;
	while (*p) {
		p = seg_skip_space(p);
		if (!*p)
			break;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		size_t n = (size_t)(e - p);
		int small = (n == 2 && (!g_ascii_strncasecmp(p, "of", 2) || !g_ascii_strncasecmp(p, "in", 2))) ||
			    (n == 3 && (!g_ascii_strncasecmp(p, "and", 3) || !g_ascii_strncasecmp(p, "the", 3) ||
					!g_ascii_strncasecmp(p, "for", 3)));
		if (!small) {
			words++;
			if (g_ascii_isupper(*p) || (unsigned char)*p >= 0x80)
				caps++;
		}
		p = e;
	}
	return words > 0 && caps == words;
}

int seg_rec_judge(const char *text)
{
	const char *t = seg_skip_space(text);
	if (performative_recommend(t) || seg_prefix(t, "that ") || seg_starts_imperative(t))
		return SEG_LIKE_STRONG;
	if (seg_contains(t, "consideration should be given") || seg_contains(t, "consideration to be given") ||
	    seg_contains(t, "consideration is given") || seg_prefix(t, "there is a need") ||
	    seg_prefix(t, "there should be") || seg_contains(t, " invites "))
		return SEG_LIKE_STRONG;
	if (!seg_has_modal(t))
		return 0;
	char *subject = seg_subject_agency(t);
	int strong = subject && !strchr(subject, ',') && names_actor(subject);
	free(subject);
	return strong ? SEG_LIKE_STRONG : SEG_LIKE_WEAK;
}

/* Does the text mention an earlier, quoted review? */
int seg_mentions_previous_review(const char *t)
{
	static const char *const when[] = {"previous", "earlier", "prior", "former", "last", "another",
					   "other", "past", "preceding"};
	static const char *const what[] = {"review", "reviews", "dhr", "dhrs", "scr", "scrs", "sar", "sars",
					   "inquiry", "report", "reports", "inspection"};
	int w1 = 0, w2 = 0;
	for (size_t k = 0; k < G_N_ELEMENTS(when); k++)
		if (seg_has_word(t, when[k]))
			w1 = 1;
	for (size_t k = 0; k < G_N_ELEMENTS(what); k++)
		if (seg_has_word(t, what[k]))
			w2 = 1;
	/* "a review in 2012", "DHR 3 (2015)" */
	int year = 0;
	for (const char *p = t; *p; p++)
		if ((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0'))
			if (g_ascii_isdigit(p[2]) && g_ascii_isdigit(p[3]) && !g_ascii_isdigit(p[4]) &&
			    (p == t || !g_ascii_isdigit(p[-1])))
				year = 1;
	return w2 && (w1 || year);
}

/*
 * A list's introduction ("The Panel makes the following recommendations:")
 * rather than a lead-in that is itself the action ("The Panel invites the
 * CCG to:", "The Constabulary should:").
 */
int seg_is_list_intro(const char *t)
{
	t = seg_skip_space(t);
	if (seg_has_modal(t) || seg_contains(t, " invite"))
		return 0;
	/* "It is recommended that the CCG:" names its subject: an action */
	const char *that = NULL;
	for (const char *p = t; *p; p++)
		if (g_ascii_strncasecmp(p, "recommend", 9) == 0) {
			const char *q = p;
			while (*q && *q != ' ')
				q++;
			q = seg_skip_space(q);
			const char *e = seg_prefix(q, "that ");
			if (e)
				that = seg_skip_space(e);
			break;
		}
	if (that && *that && *that != ':' && seg_word_count(that) >= 2)
		return 0;
	if (seg_contains(t, "recommend") || seg_contains(t, "following") || seg_contains(t, "as follows") ||
	    seg_has_word(t, "below") || seg_contains(t, "listed") || seg_contains(t, "set out") ||
	    seg_has_word(t, "these") || seg_has_word(t, "include") || seg_has_word(t, "are"))
		return 1;
	return 0;
}

/* A sentence about the recommendations ("They are set out in the action
 * plan", "Each recommendation has an owner") rather than one of them. */
int seg_is_meta_statement(const char *t)
{
	if (seg_rec_judge(t) == SEG_LIKE_STRONG)
		return 0;
	return seg_contains(t, "recommendation") || seg_contains(t, "action plan");
}

static char *dup_range(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == ',' || s[n - 1] == ':'))
		n--;
	char *r = malloc(n + 1);
	if (!r)
		return NULL;
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

/* Plural nouns that look like verbs of the lexicon ("safeguarding leads"). */
static const char *const s_nouns[] = {"leads", "plans", "records", "reports", "tests", "works", "maps",
				      "issues", "checks", "uses", "scopes", "sets", "puts", "takes", "looks",
				      "offers", "needs", "practices", "services", "supports", "teams"};

/* The first word in [t, end) that is a lexicon verb with -s/-es (" reminds "), or NULL. */
static const char *third_person_verb(const char *t, const char *end)
{
	for (const char *p = t; p < end && *p; p++) {
		if (p[0] != ' ' || !g_ascii_islower(p[1]))
			continue;
		const char *w = p + 1, *e = w;
		while (g_ascii_isalpha(*e) || *e == '-')
			e++;
		size_t n = (size_t)(e - w);
		if (n < 4 || w[n - 1] != 's' || (*e != ' ' && *e != ',' && *e != '\0'))
			continue;
		int noun = 0;
		for (size_t k = 0; k < G_N_ELEMENTS(s_nouns); k++)
			if (strlen(s_nouns[k]) == n && strncmp(w, s_nouns[k], n) == 0)
				noun = 1;
		if (noun)
			continue;
		for (size_t k = 0; k < G_N_ELEMENTS(imperatives); k++) {
			size_t m = strlen(imperatives[k]);
			if ((m == n - 1 || (m == n - 2 && w[n - 2] == 'e')) && strncmp(w, imperatives[k], m) == 0)
				return p;
		}
	}
	return NULL;
}

char *seg_subject_agency(const char *text)
{
	const char *t = seg_skip_space(text);
	const char *e;
	static const char *const leads[] = {"it is recommended that ", "it is further recommended that ",
					    "we recommend that ", "recommendation: ", "that "};
	/* "Agency: text" */
	const char *colon = strchr(t, ':');
	if (colon && colon > t) {
		size_t words = 0;
		int ok = 1;
		for (const char *p = t; p < colon; p++) {
			if (*p == ' ')
				words++;
			if (*p == '.' || *p == ',')
				ok = 0;
		}
		/* "The Trust should: ..." is a lead-in, not a label */
		for (const char *p = t; p < colon && ok; p++)
			if (*p == ' ' && seg_find_any(p, 1, subject_ends, G_N_ELEMENTS(subject_ends)) == p)
				ok = 0;
		if (ok && words <= 6 && colon[1] == ' ') {
			char *head = dup_range(t, (size_t)(colon - t));
			if (!head || seg_looks_like_agency(head))
				return head;
			free(head);
		}
	}
	for (size_t k = 0; k < G_N_ELEMENTS(leads); k++)
		if ((e = seg_prefix(t, leads[k])) != NULL) {
			t = seg_skip_space(e);
			break;
		}
	/* "The Review/Panel recommends that ..." */
	for (const char *p = t; *p && p - t < 80; p++) {
		if (g_ascii_strncasecmp(p, " recommends that ", 17) == 0 ||
		    g_ascii_strncasecmp(p, " recommend that ", 16) == 0) {
			t = seg_skip_space(strstr(p, "that ") + 5);
			break;
		}
		if (*p == '.')
			break;
	}
	/* "The Panel invites X to ..." */
	for (const char *p = t; *p && p - t < 60; p++)
		if (g_ascii_strncasecmp(p, " invites ", 9) == 0) {
			const char *s = p + 9;
			for (const char *to = strstr(s, " to"); to && to - s < 100; to = strstr(to + 3, " to"))
				if (to[3] == ' ' || to[3] == ':')
					return dup_range(s, (size_t)(to - s));
			break;
		}
	const char *best = seg_find_any(t, 160, subject_ends, G_N_ELEMENTS(subject_ends));
	/* "That the CCG reminds GP practices ...": a verb of the lexicon in its -s form */
	const char *verb = third_person_verb(t, best ? best : t + strlen(t));
	if (verb && (!best || verb < best))
		best = verb;
	if (!best || best == t)
		return NULL;
	size_t n = (size_t)(best - t);
	size_t words = 1;
	for (size_t i = 0; i < n; i++) {
		if (t[i] == ' ')
			words++;
		if (t[i] == '.' || t[i] == ';' || t[i] == '(')
			return NULL;
	}
	if (words > 12)
		return NULL;
	/* the subject starts like a name: capital letter, "the", "all", "each" */
	if (!(g_ascii_isupper(t[0]) || seg_prefix(t, "the ") || seg_prefix(t, "all ") ||
	      seg_prefix(t, "each ") || seg_prefix(t, "every ") || seg_prefix(t, "both ") ||
	      (unsigned char)t[0] >= 0x80))
		return NULL;
	/* "There is a need to", "For consideration to be given", imperatives: no subject */
	if (seg_prefix(t, "there ") || seg_prefix(t, "for ") || seg_prefix(t, "this ") || seg_prefix(t, "it ") ||
	    (seg_starts_imperative(t) && !seg_looks_like_agency(t)))
		return NULL;
	if (words == 1 && !seg_looks_like_agency(t) && !g_ascii_isupper(t[1]) && n < 4)
		return NULL;
	return dup_range(t, n);
}

char *seg_normalise_scope(const char *cell)
{
	const char *t = seg_skip_space(cell ? cell : "");
	size_t n = 0;
	while (g_ascii_isalpha(t[n]) || t[n] == '-')
		n++;
	if (n == 0)
		return NULL;
	char *r = malloc(n + 1);
	if (!r)
		return NULL;
	for (size_t i = 0; i < n; i++)
		r[i] = g_ascii_tolower(t[i]);
	r[n] = '\0';
	if (strcmp(r, "n") == 0 || strcmp(r, "na") == 0 || strcmp(r, "tbc") == 0 || strcmp(r, "none") == 0) {
		free(r);
		return NULL;
	}
	return r;
}
