/*
 * classify/flatten.c: a rules file and everything it includes as one
 * standalone text (for `dhr learn --apply`, whose output must compile
 * anywhere, even when the rules were the built-in ones). Each `include` line
 * is replaced by the included text, each file once as the compiler reads
 * them; since an included file starts with no current facet and the
 * includer's facet and label come back after it, the includer's are reopened
 * after the inlined text. `list "FILE"` names are rewritten to name the same
 * file from the entry file's folder (absolute paths on disk), so the text
 * compiles as the entry file would; dhr_rules_relocate_lists() copies the
 * built-in lists beside a file written for them.
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

/*
 * Call fn(rel, payload) for each `list "REL"` of a statement line and copy the
 * line to `out` with REL replaced by what fn returns (a new string, or NULL
 * to keep REL). Patterns, phrases and comments are skipped as the lexer does.
 */
typedef char *(*list_fn)(const char *rel, void *payload);

static void rewrite_lists(GString *out, const char *s, size_t len, list_fn fn, void *payload)
{
	size_t i = 0;
	int after_list = 0;
	while (i < len) {
		char c = s[i];
		if (c == ' ' || c == '\t') {
			g_string_append_c(out, c);
			i++;
			continue;
		}
		if (c == '#') {
			g_string_append_len(out, s + i, (gssize)(len - i));
			return;
		}
		size_t st = i;
		if (c == '"' || c == '/') {
			for (i++; i < len && s[i] != c; i++)
				if (s[i] == '\\' && i + 1 < len)
					i++;
			if (i < len)
				i++;
			if (c == '"' && after_list) {
				size_t ce =
				    i > st + 1 && s[i - 1] == '"' ? i - 1 : i; /* the content: (st, ce) */
				char *rel = g_strndup(s + st + 1, ce - st - 1);
				GString *un = g_string_new(NULL);
				for (const char *p = rel; *p; p++) {
					if (*p == '\\' && p[1])
						p++;
					g_string_append_c(un, *p);
				}
				char *nw = fn(un->str, payload);
				if (nw) {
					g_string_append_c(out, '"');
					for (const char *p = nw; *p; p++) {
						if (*p == '"' || *p == '\\')
							g_string_append_c(out, '\\');
						g_string_append_c(out, *p);
					}
					g_string_append_c(out, '"');
				} else {
					g_string_append_len(out, s + st, (gssize)(i - st));
				}
				g_free(nw);
				g_string_free(un, TRUE);
				g_free(rel);
				after_list = 0;
				continue;
			}
			if (c == '/')
				while (i < len && s[i] != ' ' && s[i] != '\t')
					i++; /* flags */
			g_string_append_len(out, s + st, (gssize)(i - st));
			after_list = 0;
			continue;
		}
		while (i < len && s[i] != ' ' && s[i] != '\t')
			i++;
		after_list = i - st == 4 && memcmp(s + st, "list", 4) == 0;
		g_string_append_len(out, s + st, (gssize)(i - st));
	}
}

/* a list named in file `from`, as the entry file would name it: absolute on disk, from the entry's folder
 * when embedded */
typedef struct list_ctx {
	flat *F;
	const char *from;
} list_ctx;

static char *list_from_entry(const char *rel, void *payload)
{
	list_ctx *L = payload;
	char *dir = g_path_get_dirname(L->from), *out = NULL;
	if (L->F->embedded) {
		/* embedded files are all under rules/, the entry's folder */
		char *joined = rel[0] == '/' ? g_strdup(rel) : g_build_filename("/", dir, rel, NULL);
		char *canon = g_canonicalize_filename(joined, "/");
		const char *p = canon[0] == '/' ? canon + 1 : canon;
		out = g_str_has_prefix(p, "rules/") ? g_strdup(p + 6) : NULL;
		g_free(canon);
		g_free(joined);
	} else if (rel[0] != '/') {
		char *joined = g_build_filename(dir, rel, NULL);
		char *rp = realpath(joined, NULL);
		out = g_strdup(rp ? rp : joined);
		free(rp);
		g_free(joined);
	}
	g_free(dir);
	return out;
}

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
			list_ctx lc = {F, name};
			rewrite_lists(F->out, s, l, list_from_entry, &lc);
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

typedef struct reloc {
	const char *dir; /* folder of the rules file being written */
	const char *sub; /* the folder for the lists, relative to dir */
	dhr_error *err;
	int rc;
} reloc;

static char *relocate_one(const char *rel, void *payload)
{
	reloc *R = payload;
	if (rel[0] == '/' || R->rc < 0)
		return NULL;
	char *name = g_build_filename("rules", rel, NULL);
	const dhr_embedded_file *ef = dhr_embedded_find(name);
	char *out = NULL;
	if (!ef) {
		R->rc = dhr_error_set(R->err, DHR_EIO, "%s: no such embedded list", name);
	} else {
		char *dst = g_build_filename(R->dir, R->sub, rel, NULL), *d = g_path_get_dirname(dst);
		if ((R->rc = dhr_mkdirs(d, R->err)) == 0 &&
		    (R->rc = dhr_write_atomic(dst, ef->data, ef->len, R->err)) == 0)
			out = g_build_filename(R->sub, rel, NULL);
		g_free(d);
		g_free(dst);
	}
	g_free(name);
	return out;
}

int dhr_rules_relocate_lists(char **out, const char *text, const char *rules_path, dhr_error *err)
{
	reloc R = {NULL, NULL, err, 0};
	char *dir = g_path_get_dirname(rules_path), *base = g_path_get_basename(rules_path);
	char *dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = '\0';
	char *sub = g_strconcat(base, ".lists", NULL);
	R.dir = dir;
	R.sub = sub;
	GString *g = g_string_new(NULL);
	size_t len = strlen(text), pos = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		rewrite_lists(g, text + pos, end - pos, relocate_one, &R);
		if (nl)
			g_string_append_c(g, '\n');
		pos = nl ? end + 1 : len;
	}
	*out = NULL;
	if (R.rc == 0 && !(*out = malloc(g->len + 1)))
		R.rc = dhr_error_set(err, DHR_ENOMEM, "out of memory");
	if (R.rc == 0)
		memcpy(*out, g->str, g->len + 1);
	g_string_free(g, TRUE);
	g_free(sub);
	g_free(base);
	g_free(dir);
	return R.rc;
}
