/*
 * output/json.c: the JSON writer of scan.json (dhr_obuf_json). A cJSON tree
 * printed into a dhr_obuf: strings copied in runs of bytes that need no
 * escaping, integers without a printf round trip, the buffer grown by
 * doubling. The format is ordinary pretty JSON with tab indentation.
 */
#include "internal.h"

#include <cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* JSON strings: quote and backslash escaped, C0 controls as their short
 * escapes or \u00XX */
static const char *const json_ascii[128] = {
    "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
    "\\b",     "\\t",     "\\n",     "\\u000b", "\\f",     "\\r",     "\\u000e", "\\u000f",
    "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
    "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
    ['"'] = "\\\"",    ['\\'] = "\\\\",
};

static void put_string(dhr_obuf *b, const char *s)
{
	dhr_obuf_putc(b, '"');
	if (s)
		dhr_obuf_escaped(b, s, strlen(s), json_ascii, 0);
	dhr_obuf_putc(b, '"');
}

static void put_number(dhr_obuf *b, double v)
{
	if (!isfinite(v)) {
		dhr_obuf_put(b, "null", 4);
		return;
	}
	if (v == floor(v) && fabs(v) < 9007199254740992.0) { /* 2^53: every integer below is exact */
		char digits[24];
		int k = sizeof digits;
		int64_t x = (int64_t)v;
		uint64_t u = x < 0 ? (uint64_t)(-x) : (uint64_t)x;
		do {
			digits[--k] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (x < 0)
			digits[--k] = '-';
		dhr_obuf_put(b, digits + k, sizeof digits - (size_t)k);
		return;
	}
	dhr_obuf_printf(b, "%.17g", v);
}

static void indent(dhr_obuf *b, int depth)
{
	static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
	while (depth > 0) {
		int k = depth < 16 ? depth : 16;
		dhr_obuf_put(b, tabs, (size_t)k);
		depth -= k;
	}
}

static int is_scalar(const cJSON *x)
{
	return !cJSON_IsArray(x) && !cJSON_IsObject(x);
}

static void put_value(dhr_obuf *b, const cJSON *x, int depth)
{
	if (cJSON_IsString(x)) {
		put_string(b, x->valuestring);
	} else if (cJSON_IsNumber(x)) {
		put_number(b, x->valuedouble);
	} else if (cJSON_IsTrue(x)) {
		dhr_obuf_put(b, "true", 4);
	} else if (cJSON_IsFalse(x)) {
		dhr_obuf_put(b, "false", 5);
	} else if (cJSON_IsObject(x)) {
		if (!x->child) {
			dhr_obuf_put(b, "{}", 2);
			return;
		}
		dhr_obuf_put(b, "{\n", 2);
		for (const cJSON *m = x->child; m; m = m->next) {
			indent(b, depth + 1);
			put_string(b, m->string);
			dhr_obuf_put(b, ": ", 2);
			put_value(b, m, depth + 1);
			dhr_obuf_put(b, m->next ? ",\n" : "\n", m->next ? 2 : 1);
		}
		indent(b, depth);
		dhr_obuf_putc(b, '}');
	} else if (cJSON_IsArray(x)) {
		if (!x->child) {
			dhr_obuf_put(b, "[]", 2);
			return;
		}
		int flat = 1;
		for (const cJSON *e = x->child; e && flat; e = e->next)
			flat = is_scalar(e);
		if (flat) {
			dhr_obuf_putc(b, '[');
			for (const cJSON *e = x->child; e; e = e->next) {
				put_value(b, e, depth);
				if (e->next)
					dhr_obuf_put(b, ", ", 2);
			}
			dhr_obuf_putc(b, ']');
			return;
		}
		dhr_obuf_put(b, "[\n", 2);
		for (const cJSON *e = x->child; e; e = e->next) {
			indent(b, depth + 1);
			put_value(b, e, depth + 1);
			dhr_obuf_put(b, e->next ? ",\n" : "\n", e->next ? 2 : 1);
		}
		indent(b, depth);
		dhr_obuf_putc(b, ']');
	} else if (cJSON_IsRaw(x)) {
		dhr_obuf_puts(b, x->valuestring);
	} else {
		dhr_obuf_put(b, "null", 4); /* cJSON_NULL and cJSON_Invalid */
	}
}

void dhr_obuf_json(dhr_obuf *b, const cJSON *item)
{
	put_value(b, item, 0);
}
