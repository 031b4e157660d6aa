/*
 * output/write.c: writes the files of a scan into its output folder
 * (scan.json, scan.schema.json, the CSV tables, report.html), each one
 * atomically so an interrupted run never leaves half a file.
 */
#include "dhr/embedded.h"
#include "dhr/output.h"
#include "dhr/util.h"
#include "internal.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

typedef int (*render_fn)(char **out, size_t *len, const cJSON *scan, dhr_error *err);

static int render_json(char **out, size_t *len, const cJSON *scan, dhr_error *err)
{
	dhr_obuf b = {0};
	dhr_obuf_json(&b, scan);
	dhr_obuf_putc(&b, '\n');
	return dhr_obuf_finish(&b, out, len, err);
}

static int render_schema(char **out, size_t *len, const cJSON *scan, dhr_error *err)
{
	(void)scan;
	*out = NULL;
	*len = 0;
	const dhr_embedded_file *f = dhr_embedded_find("output/scan.schema.json");
	if (!f)
		return dhr_error_set(err, DHR_ERROR, "scan.schema.json is not embedded in this build");
	char *copy = malloc(f->len + 1);
	if (!copy)
		return dhr_error_set(err, DHR_ENOMEM, "out of memory");
	memcpy(copy, f->data, f->len + 1);
	*out = copy;
	*len = f->len;
	return 0;
}

int dhr_output_write(const char *dir, const cJSON *scan, unsigned what, dhr_error *err)
{
	static const struct {
		unsigned flag;
		const char *name;
		render_fn render;
	} files[] = {
	    {DHR_OUTPUT_JSON, "scan.json", render_json},
	    {DHR_OUTPUT_SCHEMA, "scan.schema.json", render_schema},
	    {DHR_OUTPUT_CSV, "recommendations.csv", dhr_output_csv_recommendations},
	    {DHR_OUTPUT_CSV, "themes.csv", dhr_output_csv_themes},
	    {DHR_OUTPUT_CSV, "cases.csv", dhr_output_csv_cases},
	    {DHR_OUTPUT_HTML, "report.html", dhr_output_report},
	};
	char *data = NULL, *path = NULL;
	size_t len = 0;
	int error;
	if ((error = dhr_output_check(scan, err)) < 0 || (error = dhr_mkdirs(dir, err)) < 0)
		return error;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (!(what & files[i].flag))
			continue;
		if ((error = files[i].render(&data, &len, scan, err)) < 0)
			goto cleanup;
		size_t n = strlen(dir) + strlen(files[i].name) + 2;
		if (!(path = malloc(n))) {
			error = dhr_error_set(err, DHR_ENOMEM, "out of memory");
			goto cleanup;
		}
		snprintf(path, n, "%s/%s", dir, files[i].name);
		if ((error = dhr_write_atomic(path, data, len, err)) < 0)
			goto cleanup;
		free(path);
		free(data);
		path = data = NULL;
	}
cleanup:
	free(path);
	free(data);
	return error;
}
