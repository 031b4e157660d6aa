/*
 * include/dhr/util.h: small file helpers shared by the stages: whole-file
 * reads, SHA-256 of bytes, and atomic writes (temp file in the same folder,
 * fsync, rename) so an interrupted run never leaves a half-written output.
 */
#ifndef DHR_UTIL_H
#define DHR_UTIL_H

#include <stddef.h>

#include "dhr/common.h"

/**
 * Read a whole file. @param out receives a malloc'd buffer with a NUL after
 * the last byte (free with free()); @param len its length.
 * @return 0, DHR_EIO (message names the file) or DHR_ENOMEM.
 */
int dhr_read_file(char **out, size_t *len, const char *path, dhr_error *err);

/**
 * Hex SHA-256 of a buffer into `hex` (65 bytes with the NUL). Uses the CPU's
 * SHA instructions where it has them (see dhr_sha256_hardware()), GLib
 * otherwise; the digest is the same.
 */
void dhr_sha256_hex(char hex[65], const void *data, size_t len);

/** As dhr_sha256_hex(), always on GLib's portable code (for tests and comparisons). */
void dhr_sha256_hex_portable(char hex[65], const void *data, size_t len);

/** 1 when dhr_sha256_hex() uses the CPU's SHA instructions (x86 SHA-NI), else 0.
 *  DHR_SHA256_PORTABLE set in the environment turns them off. */
int dhr_sha256_hardware(void);

/**
 * Write `len` bytes to `path` atomically: a temporary file beside it, flushed
 * and renamed over the target. Either the old or the new content survives.
 * @return 0 or DHR_EIO.
 */
int dhr_write_atomic(const char *path, const void *data, size_t len, dhr_error *err);

/**
 * As dhr_write_atomic() but without the fsync: the file is whole after a
 * crash or kill of the process, but not necessarily after a crash of the
 * machine. For caches, whose damaged entries are simply rebuilt; it saves
 * a disk flush per document.
 */
int dhr_write_atomic_nosync(const char *path, const void *data, size_t len, dhr_error *err);

/** mkdir -p. @return 0 or DHR_EIO. */
int dhr_mkdirs(const char *path, dhr_error *err);

/** rm -rf: remove a folder and everything below it (symlinks are not followed). @return 0 or DHR_EIO. */
int dhr_remove_tree(const char *path);

#endif
