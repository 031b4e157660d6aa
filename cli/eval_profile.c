/*
 * cli/eval_profile.c: the case-profile part of 'dhr eval'. Each gold document
 * may have a "profile" object (attribute -> true value, "unknown" where the
 * report does not say); each is scored against the "profile" the scan read:
 * accuracy (unknown = unknown counts as right), precision (right among the
 * values given) and coverage (values given among all). A gold attribute
 * NAME_band is scored against the band of the scan's number attribute NAME.
 */
#include "eval_profile.h"

#include "dhr/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pscore {
	const char *name; /* borrowed from the gold tree */
	long total, answered, correct_answered, correct;
} pscore;

/* A value as text, whitespace runs collapsed: "34", "White British", "unknown". */
static void value_text(char *buf, size_t n, const cJSON *v)
{
	if (cJSON_IsNumber(v))
		snprintf(buf, n, "%.0f", v->valuedouble);
	else if (cJSON_IsString(v) && v->valuestring[0])
		snprintf(buf, n, "%s", v->valuestring);
	else
		snprintf(buf, n, "unknown");
}

static int same(const char *a, const char *b)
{
	/* case and spacing do not matter ("White  British" = "white british") */
	for (;;) {
		while (*a == ' ' && a[1] == ' ')
			a++;
		while (*b == ' ' && b[1] == ' ')
			b++;
		if (!*a || !*b)
			return *a == *b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
}

/* The scan's value for gold attribute `key` of profile `prof` (and its evidence). */
static const cJSON *predicted(const cJSON *prof, const char *key, char *buf, size_t n)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(prof, key);
	if (cJSON_IsObject(a)) {
		value_text(buf, n, cJSON_GetObjectItemCaseSensitive(a, "value"));
		return a;
	}
	size_t kl = strlen(key);
	if (kl > 5 && strcmp(key + kl - 5, "_band") == 0) {
		char base[128];
		snprintf(base, sizeof base, "%.*s", (int)(kl - 5), key);
		a = cJSON_GetObjectItemCaseSensitive(prof, base);
		if (cJSON_IsObject(a)) {
			value_text(buf, n, cJSON_GetObjectItemCaseSensitive(a, "band"));
			return a;
		}
	}
	snprintf(buf, n, "unknown");
	return NULL;
}

static const cJSON *scan_doc(const cJSON *scan, const char *path)
{
	const cJSON *d, *p;
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(scan, "documents"))
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(d, "paths"))
			if (cJSON_IsString(p) && strcmp(p->valuestring, path) == 0)
				return d;
	return NULL;
}

static double ratio(long a, long b)
{
	return b ? (double)a / (double)b : 0.0;
}

int dhr_eval_profiles(cJSON *out, GString *details, const char *gold_path, const dhr_gold *gold,
		      const cJSON *scan, int verbose, int json)
{
	char *buf = NULL;
	size_t len = 0;
	dhr_error err;
	dhr_error_clear(&err);
	if (dhr_read_file(&buf, &len, gold_path, &err) < 0)
		return -1;
	cJSON *g = cJSON_ParseWithLength(buf, len);
	free(buf);
	if (!g)
		return -1;
	pscore *sc = NULL;
	size_t n_sc = 0;
	const cJSON *gd;
	cJSON_ArrayForEach(gd, cJSON_GetObjectItemCaseSensitive(g, "documents"))
	{
		const cJSON *gp = cJSON_GetObjectItemCaseSensitive(gd, "profile");
		const char *file = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(gd, "file"));
		if (!cJSON_IsObject(gp) || !file)
			continue;
		const dhr_gold_doc *doc = NULL;
		for (size_t i = 0; i < gold->n_docs && !doc; i++)
			if (strcmp(gold->docs[i].file, file) == 0)
				doc = &gold->docs[i];
		const cJSON *sd = doc ? scan_doc(scan, doc->path) : NULL;
		const cJSON *prof = cJSON_GetObjectItemCaseSensitive(sd, "profile");
		const cJSON *ga;
		cJSON_ArrayForEach(ga, gp)
		{
			if (!ga->string)
				continue;
			pscore *s = NULL;
			for (size_t i = 0; i < n_sc && !s; i++)
				if (strcmp(sc[i].name, ga->string) == 0)
					s = &sc[i];
			if (!s) {
				pscore *ns = realloc(sc, (n_sc + 1) * sizeof *ns);
				if (!ns) {
					free(sc);
					cJSON_Delete(g);
					return -1;
				}
				sc = ns;
				s = &sc[n_sc++];
				memset(s, 0, sizeof *s);
				s->name = ga->string;
			}
			char want[256], got[256];
			value_text(want, sizeof want, ga);
			const cJSON *pa = predicted(prof, ga->string, got, sizeof got);
			int answered = strcmp(got, "unknown") != 0, ok = same(got, want);
			s->total++;
			s->answered += answered;
			s->correct += ok;
			s->correct_answered += ok && answered;
			if (verbose && !ok) {
				const cJSON *ev = cJSON_GetObjectItemCaseSensitive(pa, "evidence");
				const char *rule = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "rule"));
				const char *snt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "sentence"));
				g_string_append_printf(details, "PROFILE %s %s: predicted %s, gold %s", file, ga->string, got,
						       want);
				if (rule)
					g_string_append_printf(details, " (%s)", rule);
				if (snt)
					g_string_append_printf(details, "\n    %.240s", snt);
				g_string_append_c(details, '\n');
			}
		}
	}
	cJSON *jp = cJSON_AddArrayToObject(out, "profile");
	if (!json && n_sc > 0)
		printf("\nprofile attribute           accuracy precision  coverage   correct   (of the documents' gold "
		       "profiles)\n");
	for (size_t i = 0; i < n_sc; i++) {
		const pscore *s = &sc[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "attribute", s->name);
		cJSON_AddNumberToObject(o, "accuracy", ratio(s->correct, s->total));
		if (s->answered > 0)
			cJSON_AddNumberToObject(o, "precision", ratio(s->correct_answered, s->answered));
		else
			cJSON_AddNullToObject(o, "precision"); /* nothing answered: no precision to speak of */
		cJSON_AddNumberToObject(o, "coverage", ratio(s->answered, s->total));
		cJSON_AddNumberToObject(o, "correct", (double)s->correct);
		cJSON_AddNumberToObject(o, "answered", (double)s->answered);
		cJSON_AddNumberToObject(o, "total", (double)s->total);
		cJSON_AddItemToArray(jp, o);
		if (!json && s->answered > 0)
			printf("%-26s %9.3f %9.3f %9.3f %5ld/%-3ld\n", s->name, ratio(s->correct, s->total),
			       ratio(s->correct_answered, s->answered), ratio(s->answered, s->total), s->correct,
			       s->total);
		else if (!json)
			printf("%-26s %9.3f %9s %9.3f %5ld/%-3ld\n", s->name, ratio(s->correct, s->total), "-",
			       ratio(s->answered, s->total), s->correct, s->total);
	}
	free(sc);
	cJSON_Delete(g);
	return 0;
}
