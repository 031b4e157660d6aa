/*
 * scan/cache.c: the extraction cache. A worker extracts and segments one
 * document and stores the result under its SHA-256 and the pipeline version,
 * as a JSON entry (metadata, status, recommendations) and a text file (the
 * body text, for document-level facets). Both are written atomically, the
 * text first, so an entry that exists is always complete: a rules edit or a
 * rerun reads these and never the PDF.
 */
#include "internal.h"
#include "pipeline.h"
#include "dhr/extract.h"
#include "dhr/scan.h"
#include "dhr/segment.h"
#include "dhr/util.h"

#include <cJSON.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* The OCR mode of this process's scans and its identity (mode, Tesseract
 * version, language data), part of every entry's folder name: results read
 * with one OCR mode or language data are never served for another. */
static int cache_ocr_mode = DHR_OCR_OFF;
static char cache_pipeline[200] = DHR_PIPELINE_VERSION "-" DHR_PIPELINE_SOURCE_HASH "-ocr-off";

void dhr_cache_set_ocr(int mode, const char *tessdata)
{
	char id[160];
	dhr_ocr_identity(id, sizeof id, mode, tessdata);
	cache_ocr_mode = mode;
	/* the identity's file name parts are digits, letters, '.' and '-' */
	for (char *c = id; *c; c++)
		if (!g_ascii_isalnum(*c) && *c != '.' && *c != '-')
			*c = '_';
	snprintf(cache_pipeline, sizeof cache_pipeline, "%s-ocr-%s", DHR_PIPELINE_VERSION "-" DHR_PIPELINE_SOURCE_HASH,
		 id);
}

const char *dhr_cache_pipeline(void)
{
	return cache_pipeline;
}

char *dhr_cache_entry_path(const char *cache_dir, const char *sha256, const char *ext)
{
	char prefix[3] = {sha256[0], sha256[1], '\0'};
	char *name = g_strconcat(sha256, ext, NULL);
	char *p = g_build_filename(cache_dir, cache_pipeline, prefix, name, NULL);
	g_free(name);
	char *r = strdup(p);
	g_free(p);
	return r;
}

char *dhr_cache_memo_path(const char *cache_dir, const char *rules16, const char *sha256)
{
	/* "labels2": the memo holds every facet in a "labels" map and the role keys (a memo of the
	 * earlier format, without it, is never read) */
	char *dir = g_strconcat("labels2-", rules16, NULL);
	char *p = g_build_filename(cache_dir, cache_pipeline, dir, sha256, NULL);
	g_free(dir);
	char *r = strdup(p);
	g_free(p);
	return r;
}

/* 1 if any of the recommendation's pages was read by OCR. */
static int rec_from_ocr(const dhr_rec *r, const dhr_doc *doc)
{
	for (size_t p = 0; p < r->n_pages; p++)
		if (r->pages[p] >= 1 && (size_t)r->pages[p] <= doc->n_pages && doc->pages[r->pages[p] - 1].ocr)
			return 1;
	return 0;
}

static cJSON *recs_to_json(const dhr_recs *recs, const dhr_doc *doc)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < recs->n; i++) {
		const dhr_rec *r = &recs->items[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", r->id ? r->id : "");
		if (r->number)
			cJSON_AddStringToObject(o, "number", r->number);
		else
			cJSON_AddNullToObject(o, "number");
		cJSON_AddStringToObject(o, "text", r->text ? r->text : "");
		cJSON *pages = cJSON_AddArrayToObject(o, "pages");
		for (size_t p = 0; p < r->n_pages; p++)
			cJSON_AddItemToArray(pages, cJSON_CreateNumber(r->pages[p]));
		cJSON_AddStringToObject(o, "section", r->section ? r->section : "recommendations");
		if (r->agency_text)
			cJSON_AddStringToObject(o, "agency_text", r->agency_text);
		else
			cJSON_AddNullToObject(o, "agency_text");
		if (r->scope)
			cJSON_AddStringToObject(o, "scope", r->scope);
		else
			cJSON_AddNullToObject(o, "scope");
		if (rec_from_ocr(r, doc))
			cJSON_AddTrueToObject(o, "ocr");
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static void add_str_or_null(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

/* The "ocr" object of a document some of whose pages were read by OCR: the engine and each page's confidence. */
static void add_ocr_json(cJSON *root, const dhr_doc *doc)
{
	if (!doc->ocr_engine)
		return;
	cJSON *o = cJSON_AddObjectToObject(root, "ocr");
	cJSON_AddStringToObject(o, "engine", doc->ocr_engine);
	cJSON *pages = cJSON_AddArrayToObject(o, "pages");
	for (size_t i = 0; i < doc->n_pages; i++) {
		if (!doc->pages[i].ocr)
			continue;
		cJSON *p = cJSON_CreateObject();
		cJSON_AddNumberToObject(p, "page", doc->pages[i].number);
		cJSON_AddNumberToObject(p, "confidence", doc->pages[i].ocr_confidence);
		cJSON_AddItemToArray(pages, p);
	}
}

int dhr_cache_build_entry(const char *cache_dir, const char *path, const char *sha256, const char *password,
			  void (*ocr_progress)(int done, int total, void *payload), void *ocr_payload, cJSON **stored,
			  dhr_error *err)
{
	*stored = NULL;
	dhr_doc *doc = NULL;
	dhr_recs *recs = NULL;
	cJSON *root = NULL;
	char *json = NULL, *text = NULL, *entry = NULL, *txt_path = NULL, *dir = NULL;
	int rc;
	dhr_error derr;
	dhr_error_clear(&derr);

	entry = dhr_cache_entry_path(cache_dir, sha256, ".json");
	txt_path = dhr_cache_entry_path(cache_dir, sha256, ".txt");
	dir = g_path_get_dirname(entry);
	if ((rc = dhr_mkdirs(dir, err)) < 0)
		goto cleanup;

	dhr_extract_opts xo = {0};
	xo.password = password;
	xo.sha256 = sha256; /* hashed once, by the parent */
	xo.ocr = cache_ocr_mode;
	xo.ocr_progress = ocr_progress;
	xo.ocr_payload = ocr_payload;
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "pipeline", cache_pipeline);
	cJSON_AddStringToObject(root, "sha256", sha256);
	int xrc = dhr_extract_file(&doc, path, &xo, &derr);
	if (xrc == 0)
		xrc = dhr_segment(&recs, doc, &derr);
	if (xrc < 0) {
		if (xrc == DHR_ENOMEM)
			xrc = DHR_EMEMORY;
		cJSON_AddStringToObject(root, "status", "error");
		cJSON *e = cJSON_AddObjectToObject(root, "error");
		cJSON_AddStringToObject(e, "code", dhr_status_code(xrc));
		cJSON_AddStringToObject(e, "message", derr.message);
		if (doc)
			cJSON_AddNumberToObject(root, "pages", (double)doc->n_pages);
		cJSON_AddArrayToObject(root, "recommendations");
	} else {
		cJSON_AddStringToObject(root, "status", "ok");
		add_str_or_null(root, "title", doc->title && *doc->title ? doc->title : NULL);
		cJSON_AddNumberToObject(root, "pages", (double)doc->n_pages);
		cJSON *warnings = cJSON_AddArrayToObject(root, "warnings");
		for (size_t i = 0; i < doc->n_warnings; i++)
			cJSON_AddItemToArray(warnings, cJSON_CreateString(doc->warnings[i]));
		if (recs->warning)
			cJSON_AddItemToArray(warnings, cJSON_CreateString(recs->warning));
		add_ocr_json(root, doc);
		cJSON_AddItemToObject(root, "recommendations", recs_to_json(recs, doc));
		if (!(text = dhr_doc_text(doc))) {
			rc = dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", path);
			goto cleanup;
		}
		if ((rc = dhr_write_atomic_nosync(txt_path, text, strlen(text), err)) < 0)
			goto cleanup;
	}
	if (!(json = cJSON_PrintUnformatted(root))) {
		rc = dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", path);
		goto cleanup;
	}
	if ((rc = dhr_write_atomic_nosync(entry, json, strlen(json), err)) == 0) {
		*stored = root;
		root = NULL;
	}
cleanup:
	cJSON_free(json);
	cJSON_Delete(root);
	free(text);
	free(entry);
	free(txt_path);
	g_free(dir);
	dhr_recs_free(recs);
	dhr_doc_free(doc);
	return rc;
}

int dhr_cache_load_entry(cJSON **out, const char *cache_dir, const char *sha256)
{
	*out = NULL;
	char *entry = dhr_cache_entry_path(cache_dir, sha256, ".json");
	char *buf = NULL;
	size_t len = 0;
	int rc = dhr_read_file(&buf, &len, entry, NULL);
	free(entry);
	if (rc < 0)
		return DHR_EIO;
	cJSON *root = cJSON_ParseWithLength(buf, len);
	free(buf);
	const cJSON *pipe = cJSON_GetObjectItemCaseSensitive(root, "pipeline");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(root, "status");
	if (!cJSON_IsString(pipe) || strcmp(pipe->valuestring, cache_pipeline) != 0 || !cJSON_IsString(status)) {
		/* unreadable or from another version: a miss, rebuilt by a worker */
		cJSON_Delete(root);
		return DHR_EIO;
	}
	*out = root;
	return 0;
}
