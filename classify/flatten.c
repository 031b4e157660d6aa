/*
 * classify/flatten.c: a rules file and everything it includes as one
 * standalone text (for `dhr learn --apply`, whose output must compile
 * anywhere, even when the rules were the built-in ones). Each `include` line
 * is replaced by the included text, each file once as the compiler reads
 * them; since an included file starts with no current facet and the
 * includer's facet and label come back after it, the includer's are reopened
 * after the inlined text.
 */
#include "dhr/embedded.h"
#include "dhr/learn.h"
#include "dhr/util.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#define FLATTEN_MAX_DEPTH 32

typedef struct flat {
	GString *out;
	GHashTable *seen; /* identity of every file read */
	int embedded;
	int depth;
	dhr_error *err;
} flat;

/* The first word of a statement line and the rest, or 0 for a blank or comment line. */
static int first_word(const char *s, size_t len, const char **w, size_t *wl, const char **rest)
{
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= len || s[i] == '#')
		return 0;
	size_t st = i;
	while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '#')
		i++;
	*w = s + st;
	*wl = i - st;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	*rest = s + i;
	return 1;
}

/* The quoted name of an include line ("\"" and "\\" unescaped), or NULL. */
static char *quoted(const char *s, const char *end)
{
	if (s >= end || *s != '"')
		return NULL;
	GString *g = g_string_new(NULL);
	for (s++; s < end && *s != '"'; s++) {
		if (*s == '\\' && s + 1 < end)
			s++;
		g_string_append_c(g, *s);
	}
	if (s >= end) {
		g_string_free(g, TRUE);
		return NULL;
	}
	return g_string_free(g, FALSE);
}

/* an identifier word after a keyword (facet or label name) */
static char *ident_after(const char *rest, const char *end)
{
	const char *p = rest;
	while (p < end && *p != ' ' && *p != '\t' && *p != '#')
		p++;
	return p > rest ? g_strndup(rest, (gsize)(p - rest)) : NULL;
}

static int flat_text(flat *F, const char *name, const char *text, size_t len);

static int flat_include(flat *F, const char *from, const char *rel)
{
	char *dir = g_path_get_dirname(from), *path, *key;
	int rc = 0;
	if (F->embedded) {
		/* embedded names are relative paths: fold "." and ".." under a fake root */
		char *joined = rel[0] == '/' ? g_strdup(rel) : g_build_filename("/", dir, rel, NULL);
		char *canon = g_canonicalize_filename(joined, "/");
		path = g_strdup(canon[0] == '/' ? canon + 1 : canon);
		key = g_strdup(path);
		g_free(canon);
		g_free(joined);
	} else {
		path = (rel[0] == '/' || strcmp(dir, ".") == 0) ? g_strdup(rel)
		                                                : g_build_filename(dir, rel, NULL);
		char *rp = realpath(path, NULL);
		key = g_strdup(rp ? rp : path);
		free(rp);
	}
	if (g_hash_table_contains(F->seen, key)) {
		g_string_append_printf(F->out, "# include \"%s\": inlined above\n", rel);
		goto cleanup;
	}
	if (F->depth >= FLATTEN_MAX_DEPTH) {
		rc = dhr_error_set(F->err, DHR_ERULES, "%s: includes nested more than %d deep", from,
		                   FLATTEN_MAX_DEPTH);
		goto cleanup;
	}
	g_hash_table_add(F->seen, g_strdup(key));
	g_string_append_printf(F->out, "# ---- include \"%s\" (%s), inlined ----\n", rel, path);
	F->depth++;
	if (F->embedded) {
		const dhr_embedded_file *ef = dhr_embedded_find(path);
		if (!ef)
			rc = dhr_error_set(F->err, DHR_EIO, "%s: no such embedded file", path);
		else
			rc = flat_text(F, path, (const char *)ef->data, ef->len);
	} else {
		char *buf = NULL;
		size_t blen = 0;
		rc = dhr_read_file(&buf, &blen, path, F->err);
		if (rc == 0)
			rc = flat_text(F, path, buf, blen);
		free(buf);
	}
	F->depth--;
	if (F->out->len && F->out->str[F->out->len - 1] != '\n')
		g_string_append_c(F->out, '\n');
	g_string_append_printf(F->out, "# ---- end of \"%s\" ----\n", rel);
cleanup:
	g_free(dir);
	g_free(path);
	g_free(key);
	return rc;
}

static int flat_text(flat *F, const char *name, const char *text, size_t len)
{
	char *facet = NULL, *label = NULL;
	size_t pos = 0;
	int rc = 0;
	while (pos < len && rc == 0) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *s = text + pos, *w, *rest;
		size_t l = end - pos, wl;
		if (first_word(s, l, &w, &wl, &rest) && wl == 7 && memcmp(w, "include", 7) == 0) {
			char *rel = quoted(rest, s + l);
			if (!rel) {
				g_string_append_len(F->out, s, (gssize)l);
				g_string_append_c(F->out, '\n');
			} else {
				rc = flat_include(F, name, rel);
				/* back in this file: its facet and label hold again */
				if (facet)
					g_string_append_printf(F->out, "facet %s\n", facet);
				if (facet && label)
					g_string_append_printf(F->out, "label %s\n", label);
				g_free(rel);
			}
		} else {
			if (first_word(s, l, &w, &wl, &rest) && wl == 5 && memcmp(w, "facet", 5) == 0) {
				g_free(facet);
				facet = ident_after(rest, s + l);
				g_free(label);
				label = NULL;
			} else if (first_word(s, l, &w, &wl, &rest) && wl == 5 &&
			           memcmp(w, "label", 5) == 0) {
				g_free(label);
				label = ident_after(rest, s + l);
			}
			g_string_append_len(F->out, s, (gssize)l);
			g_string_append_c(F->out, '\n');
		}
		pos = nl ? end + 1 : len;
	}
	g_free(facet);
	g_free(label);
	return rc;
}

int dhr_rules_flatten(char **out, const char *path, dhr_error *err)
{
	flat F = {0};
	char *buf = NULL;
	size_t len = 0;
	int rc;
	*out = NULL;
	F.out = g_string_new(NULL);
	F.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	F.err = err;
	if (path) {
		if ((rc = dhr_read_file(&buf, &len, path, err)) < 0)
			goto cleanup;
		char *rp = realpath(path, NULL);
		g_hash_table_add(F.seen, g_strdup(rp ? rp : path));
		free(rp);
		rc = flat_text(&F, path, buf, len);
	} else {
		const dhr_embedded_file *ef = dhr_embedded_find("rules/default.rules");
		if (!ef) {
			rc = dhr_error_set(err, DHR_EIO, "the default rules are not built into this binary");
			goto cleanup;
		}
		F.embedded = 1;
		g_hash_table_add(F.seen, g_strdup("rules/default.rules"));
		rc = flat_text(&F, "rules/default.rules", (const char *)ef->data, ef->len);
	}
	if (rc == 0) {
		if (!(*out = malloc(F.out->len + 1))) {
			rc = dhr_error_set(err, DHR_ENOMEM, "out of memory");
			goto cleanup;
		}
		memcpy(*out, F.out->str, F.out->len + 1);
	}
cleanup:
	free(buf);
	g_hash_table_destroy(F.seen);
	g_string_free(F.out, TRUE);
	return rc;
}
