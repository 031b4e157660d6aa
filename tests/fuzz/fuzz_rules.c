/*
 * tests/fuzz/fuzz_rules.c: libFuzzer harness for the rules compiler. Any bytes
 * are compiled as a rules buffer (includes resolve against the embedded
 * rules, never the file system); when they compile, the rules classify a
 * recommendation made of the same bytes and a fixed one, in explain mode,
 * so the matcher, the prefilter and the offset map are fuzzed too.
 */
// Build and run (one process; ASan + UBSan), from the top of the tree:
//   make build/gen/embedded.c
//   clang -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -Iinclude -Ibuild/gen
//     tests/fuzz/fuzz_rules.c classify/*.c util/*.c build/gen/embedded.c
//     $(pkg-config --cflags --libs libpcre2-8 glib-2.0 libcjson) -o build/fuzz_rules
//   mkdir -p tests/fuzz/work/rules
//   build/fuzz_rules -max_len=4096 -max_total_time=600 tests/fuzz/work/rules tests/fuzz/seeds/rules
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhr/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore_diag(const dhr_diag *d, void *payload)
{
	/* format every diagnostic: the caret code reads the source line */
	char *s = dhr_diag_format(d);
	free(s);
	(void)payload;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dhr_rules_opts opts;
	memset(&opts, 0, sizeof opts);
	opts.diag = ignore_diag;
	opts.includes = DHR_INCLUDE_EMBEDDED;
	opts.match_limit = 20000; /* pathological patterns must stay quick */
	opts.no_jit = 1;          /* JIT compiling every pattern would make each run 10x slower */
	dhr_rules *r = NULL;
	dhr_error err;
	if (dhr_rules_compile_buffer(&r, "rules/fuzz.rules", (const char *)data, size, &opts, &err) < 0)
		return 0;
	dhr_classifier *c = NULL;
	dhr_result *res = dhr_result_new();
	if (res && dhr_classifier_new(&c, r, ignore_diag, NULL) == 0) {
		char *text = malloc(size + 1);
		if (text) {
			memcpy(text, data, size);
			text[size] = '\0';
			dhr_classifier_set_explain(c, 1);
			dhr_classify_rec(res, c, text, "Police");
			for (size_t i = 0; i < dhr_result_evidence_count(res); i++) {
				const dhr_evidence *e = dhr_result_evidence(res, i);
				if (e->start > e->end || (e->field == DHR_FIELD_TEXT && e->end > strlen(text)))
					abort();
			}
			dhr_classifier_set_explain(c, 0);
			dhr_classify_rec(res, c, "The Constabulary should train staff in DASH risk assessment. "
						 "Rōma families – “seen alone” ﬁnally.", NULL);
			dhr_classify_doc(res, c, text);
			free(text);
		}
	}
	dhr_classifier_free(c);
	dhr_result_free(res);
	dhr_rules_free(r);
	return 0;
}
