/*
 * util/embedded.c: lookup in the table of files embedded at build time.
 */
#include "dhr/embedded.h"

#include <string.h>

const dhr_embedded_file *dhr_embedded_find(const char *name)
{
	for (const dhr_embedded_file *f = dhr_embedded_files; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}
