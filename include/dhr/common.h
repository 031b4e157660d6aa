/*
 * include/dhr/common.h: status codes and the caller-owned error record shared
 * by every stage of the dhr pipeline (extract, segment, classify, output).
 *
 * Conventions for the whole API (stated once, as libgit2 does):
 *  - fallible functions return int: 0 (DHR_OK) or a negative dhr_status;
 *  - results come back through a first parameter named `out`, owned by the
 *    caller and released with the matching dhr_x_free (which accepts NULL);
 *  - a `const T *` return value is borrowed from its parent;
 *  - error details go into a dhr_error that the caller passes in (may be NULL).
 */
#ifndef DHR_COMMON_H
#define DHR_COMMON_H

#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define DHR_PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define DHR_PRINTF_LIKE(fmt, args)
#endif

/** Every status code of the library. Keep in step with dhr_status_code(). */
typedef enum dhr_status {
	DHR_OK = 0,
	DHR_ERROR = -1,      /**< generic failure */
	DHR_ENOMEM = -2,     /**< out of memory */
	DHR_EIO = -3,        /**< file missing, unreadable or unwritable ("io") */
	DHR_ENOTPDF = -4,    /**< empty file or not a PDF ("not_pdf") */
	DHR_ECORRUPT = -5,   /**< truncated or damaged PDF ("corrupt") */
	DHR_EENCRYPTED = -6, /**< needs a password ("encrypted") */
	DHR_ENOTEXT = -7,    /**< pages carry images but no text ("no_text") */
	DHR_ETIMEOUT = -8,   /**< worker exceeded its wall-clock limit ("timeout") */
	DHR_ECRASHED = -9,   /**< worker died on a signal ("crashed") */
	DHR_EMEMORY = -10,   /**< worker exceeded its memory limit ("memory") */
	DHR_ERULES = -11,    /**< rules file has errors ("rules") */
	DHR_EUSAGE = -12,    /**< bad command-line usage ("usage") */
	DHR_ELIMIT = -13,    /**< a resource limit (e.g. PCRE2 match limit) was hit ("limit") */
	DHR_EINTERRUPTED = -14, /**< stopped by a signal ("interrupted") */
	DHR_EOCR = -15       /**< pages need OCR, but Tesseract's language data is missing ("ocr_unavailable") */
} dhr_status;

/** Process exit codes of the `dhr` command (DESIGN.md: command line). */
enum {
	DHR_EXIT_OK = 0,     /**< every document processed */
	DHR_EXIT_PARTIAL = 1,/**< outputs written, some documents failed */
	DHR_EXIT_FATAL = 2   /**< usage, rules or I/O error; nothing half-written */
};

#define DHR_ERROR_MESSAGE_MAX 1024

/** Error details, filled in by a failing call. Caller-owned; no cleanup needed. */
typedef struct dhr_error {
	int code;                            /**< a dhr_status */
	char message[DHR_ERROR_MESSAGE_MAX]; /**< one line, lower-case, no trailing newline */
} dhr_error;

/** Stable machine-readable name of a status ("io", "not_pdf", "corrupt", ...). */
const char *dhr_status_code(int status);

/** Parse a name from dhr_status_code() back into a status; DHR_ERROR if unknown. */
int dhr_status_from_code(const char *code);

/**
 * Record an error. `err` may be NULL (then nothing is recorded).
 * @return `code`, so that `return dhr_error_set(err, DHR_EIO, ...);` reads well.
 */
int dhr_error_set(dhr_error *err, int code, const char *fmt, ...) DHR_PRINTF_LIKE(3, 4);

/** Reset an error record to DHR_OK with an empty message. NULL is allowed. */
void dhr_error_clear(dhr_error *err);

/** The version string of dhr (e.g. "0.1.0"). */
const char *dhr_version(void);

#endif
