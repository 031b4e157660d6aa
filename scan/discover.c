/*
 * scan/discover.c: turns the scan's PATH arguments into the list of PDF
 * files to process, and keeps the hash index that lets a rerun skip reading
 * files that have not changed since they were last hashed.
 */
#include "internal.h"
#include "dhr/util.h"

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void dhr_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

static int has_pdf_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && g_ascii_strcasecmp(name + n - 4, ".pdf") == 0;
}

typedef struct walk {
	GPtrArray *files;    /* char * (malloc) */
	GHashTable *visited; /* "dev:ino" of folders already entered */
	dhr_warn_fn warn;
	void *payload;
} walk;

static void walk_warn(walk *w, const char *fmt, const char *path, const char *why)
{
	if (!w->warn)
		return;
	char *msg = g_strdup_printf(fmt, path, why);
	w->warn(msg, w->payload);
	g_free(msg);
}

static void walk_dir(walk *w, const char *dir, const struct stat *st)
{
	char *key = g_strdup_printf("%ju:%ju", (uintmax_t)st->st_dev, (uintmax_t)st->st_ino);
	if (g_hash_table_contains(w->visited, key)) {
		walk_warn(w, "%s: %s, skipped", dir, "folder already visited (symlink loop?)");
		g_free(key);
		return;
	}
	g_hash_table_add(w->visited, key);
	DIR *d = opendir(dir);
	if (!d) {
		walk_warn(w, "%s: cannot read folder: %s", dir, strerror(errno));
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *child = g_build_filename(dir, e->d_name, NULL);
		struct stat cst;
		if (stat(child, &cst) < 0) {
			if (has_pdf_suffix(e->d_name))
				walk_warn(w, "%s: %s, skipped", child, strerror(errno));
		} else if (S_ISDIR(cst.st_mode)) {
			walk_dir(w, child, &cst);
		} else if (S_ISREG(cst.st_mode) && has_pdf_suffix(e->d_name)) {
			g_ptr_array_add(w->files, strdup(child));
		}
		g_free(child);
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dhr_discover(char ***out, size_t *n_out, const char *const *paths, size_t n_paths, dhr_warn_fn warn,
		 void *payload, dhr_error *err)
{
	*out = NULL;
	*n_out = 0;
	int rc = 0;
	walk w = {g_ptr_array_new(), g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL), warn, payload};
	for (size_t i = 0; i < n_paths; i++) {
		struct stat st;
		if (stat(paths[i], &st) < 0) {
			rc = dhr_error_set(err, DHR_EIO, "%s: %s", paths[i], strerror(errno));
			goto cleanup;
		}
		if (S_ISDIR(st.st_mode))
			walk_dir(&w, paths[i], &st);
		else
			/* a file named explicitly is scanned whatever its name */
			g_ptr_array_add(w.files, strdup(paths[i]));
	}
	qsort(w.files->pdata, w.files->len, sizeof(char *), cmp_str);
	char **v = calloc(w.files->len + 1, sizeof *v);
	if (!v) {
		rc = dhr_error_set(err, DHR_ENOMEM, "out of memory");
		goto cleanup;
	}
	size_t n = 0;
	for (guint i = 0; i < w.files->len; i++) {
		char *f = w.files->pdata[i];
		if (n > 0 && strcmp(v[n - 1], f) == 0)
			free(f);
		else
			v[n++] = f;
	}
	g_ptr_array_set_size(w.files, 0);
	*out = v;
	*n_out = n;
cleanup:
	for (guint i = 0; i < w.files->len; i++)
		free(w.files->pdata[i]);
	g_ptr_array_free(w.files, TRUE);
	g_hash_table_destroy(w.visited);
	return rc;
}

/* ---- hash index ---- */

struct dhr_hash_index {
	char *path;        /* CACHE/index.json */
	cJSON *old_files;  /* object: abs path -> {dev, ino, size, mtime_s, mtime_nsec, ctime_s, sha256} */
	cJSON *new_files;  /* the entries seen this run */
	cJSON *old_root;
};

static double num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

int dhr_hash_index_load(dhr_hash_index **out, const char *cache_dir)
{
	dhr_hash_index *idx = calloc(1, sizeof *idx);
	if (!idx)
		return DHR_ENOMEM;
	idx->path = g_build_filename(cache_dir, "index.json", NULL);
	char *buf = NULL;
	size_t len = 0;
	if (dhr_read_file(&buf, &len, idx->path, NULL) == 0) {
		idx->old_root = cJSON_ParseWithLength(buf, len);
		free(buf);
	}
	/* version 1 kept the mtime in one number, not exact: hash those files again */
	if (num(idx->old_root, "version") == 2)
		idx->old_files = cJSON_GetObjectItemCaseSensitive(idx->old_root, "files");
	idx->new_files = cJSON_CreateObject();
	*out = idx;
	return 0;
}

int dhr_hash_index_get(dhr_hash_index *idx, const char *path, char hex[65], int *was_read, dhr_error *err)
{
	*was_read = 0;
	struct stat st;
	if (stat(path, &st) < 0)
		return dhr_error_set(err, DHR_EIO, "%s: %s", path, strerror(errno));
	char *abs = realpath(path, NULL);
	if (!abs)
		return dhr_error_set(err, DHR_EIO, "%s: %s", path, strerror(errno));
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(idx->old_files, abs);
	const cJSON *sha = cJSON_GetObjectItemCaseSensitive(e, "sha256");
	int rc = 0;
	if (e && cJSON_IsString(sha) && strlen(sha->valuestring) == 64 && num(e, "dev") == (double)st.st_dev &&
	    num(e, "ino") == (double)st.st_ino && num(e, "size") == (double)st.st_size && num(e, "mtime_s") == (double)st.st_mtim.tv_sec &&
	    num(e, "mtime_nsec") == (double)st.st_mtim.tv_nsec &&
	    num(e, "ctime_s") == (double)st.st_ctim.tv_sec) {
		memcpy(hex, sha->valuestring, 65);
	} else {
		char *buf = NULL;
		size_t len = 0;
		if ((rc = dhr_read_file(&buf, &len, path, err)) < 0)
			goto cleanup;
		dhr_sha256_hex(hex, buf, len);
		free(buf);
		*was_read = 1;
	}
	cJSON *ne = cJSON_CreateObject();
	cJSON_AddNumberToObject(ne, "dev", (double)st.st_dev);
	cJSON_AddNumberToObject(ne, "ino", (double)st.st_ino);
	cJSON_AddNumberToObject(ne, "size", (double)st.st_size);
	/* seconds and nanoseconds apart: each is exact in a JSON number, while
	 * their sum in nanoseconds is not (cJSON prints 15 digits when they
	 * come within 1e-16 of the value, which loses up to ~400 ns) */
	cJSON_AddNumberToObject(ne, "mtime_s", (double)st.st_mtim.tv_sec);
	cJSON_AddNumberToObject(ne, "mtime_nsec", (double)st.st_mtim.tv_nsec);
	cJSON_AddNumberToObject(ne, "ctime_s", (double)st.st_ctim.tv_sec);
	cJSON_AddStringToObject(ne, "sha256", hex);
	cJSON_DeleteItemFromObjectCaseSensitive(idx->new_files, abs);
	cJSON_AddItemToObject(idx->new_files, abs, ne);
cleanup:
	free(abs);
	return rc;
}

int dhr_hash_index_save(dhr_hash_index *idx, dhr_error *err)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "version", 2);
	cJSON_AddItemReferenceToObject(root, "files", idx->new_files);
	char *s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (!s)
		return dhr_error_set(err, DHR_ENOMEM, "out of memory");
	int rc = dhr_write_atomic_nosync(idx->path, s, strlen(s), err);
	cJSON_free(s);
	return rc;
}

void dhr_hash_index_free(dhr_hash_index *idx)
{
	if (!idx)
		return;
	g_free(idx->path);
	cJSON_Delete(idx->old_root);
	cJSON_Delete(idx->new_files);
	free(idx);
}
