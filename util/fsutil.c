/*
 * util/fsutil.c: whole-file reads and atomic writes (include/dhr/util.h).
 * The write path is our own so that it can fsync before the rename.
 * (SHA-256 is in util/sha256.c.)
 */
#include "dhr/util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int dhr_read_file(char **out, size_t *len, const char *path, dhr_error *err)
{
	*out = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dhr_error_set(err, DHR_EIO, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int e = errno;
		close(fd);
		return dhr_error_set(err, DHR_EIO, "%s: %s", path,
				     S_ISDIR(st.st_mode) ? "is a directory" : e ? strerror(e) : "not a regular file");
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		return dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", path);
	}
	for (;;) {
		if (n + 1 == cap) {
			/* the file grew while we read it */
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				close(fd);
				return dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", path);
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			close(fd);
			return dhr_error_set(err, DHR_EIO, "%s: %s", path, strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int write_atomic(const char *path, const void *data, size_t len, int durable, dhr_error *err)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	if (!tmp)
		return dhr_error_set(err, DHR_ENOMEM, "%s: out of memory", path);
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmp.XXXXXX", 12);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int e = errno;
		free(tmp);
		return dhr_error_set(err, DHR_EIO, "%s: cannot create temporary file: %s", path, strerror(e));
	}
	if (write_all(fd, data, len) < 0 || fchmod(fd, 0644) < 0 || (durable && fsync(fd) < 0)) {
		int e = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		return dhr_error_set(err, DHR_EIO, "%s: %s", path, strerror(e));
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		return dhr_error_set(err, DHR_EIO, "%s: %s", path, strerror(e));
	}
	free(tmp);
	return 0;
}

int dhr_write_atomic(const char *path, const void *data, size_t len, dhr_error *err)
{
	return write_atomic(path, data, len, 1, err);
}

int dhr_write_atomic_nosync(const char *path, const void *data, size_t len, dhr_error *err)
{
	return write_atomic(path, data, len, 0, err);
}

int dhr_mkdirs(const char *path, dhr_error *err)
{
	if (g_mkdir_with_parents(path, 0755) < 0)
		return dhr_error_set(err, DHR_EIO, "%s: cannot create folder: %s", path, strerror(errno));
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

int dhr_remove_tree(const char *path)
{
	return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0 ? DHR_EIO : 0;
}
