/*
 * include/dhr/embedded.h: files built into the binary by tools/embed.sh
 * (the default rules under "rules/", the scan JSON schema), so that dhr works
 * with no data files installed.
 */
#ifndef DHR_EMBEDDED_H
#define DHR_EMBEDDED_H

#include <stddef.h>

typedef struct dhr_embedded_file {
	const char *name;          /**< path in the source tree, e.g. "rules/themes.rules" */
	const unsigned char *data; /**< the bytes, followed by a NUL */
	size_t len;                /**< length without the NUL */
} dhr_embedded_file;

/** All embedded files; the list ends with an entry whose name is NULL. */
extern const dhr_embedded_file dhr_embedded_files[];

/** Look up an embedded file by name. @return NULL if there is none. */
const dhr_embedded_file *dhr_embedded_find(const char *name);

#endif
