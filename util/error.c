/*
 * util/error.c: status names and the dhr_error helpers used by every stage.
 */
#include "dhr/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#ifndef DHR_VERSION
#define DHR_VERSION "0.1.0"
#endif

static const struct {
	int status;
	const char *code;
} status_names[] = {
	{DHR_OK, "ok"},
	{DHR_ERROR, "error"},
	{DHR_ENOMEM, "nomem"},
	{DHR_EIO, "io"},
	{DHR_ENOTPDF, "not_pdf"},
	{DHR_ECORRUPT, "corrupt"},
	{DHR_EENCRYPTED, "encrypted"},
	{DHR_ENOTEXT, "no_text"},
	{DHR_ETIMEOUT, "timeout"},
	{DHR_ECRASHED, "crashed"},
	{DHR_EMEMORY, "memory"},
	{DHR_ERULES, "rules"},
	{DHR_EUSAGE, "usage"},
	{DHR_ELIMIT, "limit"},
	{DHR_EINTERRUPTED, "interrupted"},
	{DHR_EOCR, "ocr_unavailable"},
};

const char *dhr_status_code(int status)
{
	for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++)
		if (status_names[i].status == status)
			return status_names[i].code;
	return "error";
}

int dhr_status_from_code(const char *code)
{
	for (size_t i = 0; code && i < sizeof status_names / sizeof status_names[0]; i++)
		if (strcmp(status_names[i].code, code) == 0)
			return status_names[i].status;
	return DHR_ERROR;
}

int dhr_error_set(dhr_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof err->message, fmt, ap);
		va_end(ap);
	}
	return code;
}

void dhr_error_clear(dhr_error *err)
{
	if (err) {
		err->code = DHR_OK;
		err->message[0] = '\0';
	}
}

const char *dhr_version(void)
{
	return DHR_VERSION;
}
