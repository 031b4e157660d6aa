# tests/fuzz/fuzz.mk: libFuzzer harnesses (clang from Debian), built with
# ASan + UBSan over the library sources. `make fuzz` runs each harness for
# FUZZ_SECONDS on its committed seed corpus (new inputs go to a scratch
# folder, so the committed seeds only change when someone copies them in);
# `make fuzz-smoke` is the short run that `make check` always does.
#
#   make fuzz FUZZ_SECONDS=900          # 15 minutes each
#   make fuzz FUZZERS=rules             # one harness

CLANG        ?= clang
FUZZ_SECONDS ?= 60
FUZZERS      ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_DIR     := build/fuzz
PKGS         := poppler-glib gio-2.0 glib-2.0 libpcre2-8 libcjson cairo tesseract lept
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=undefined -Iinclude -I$(FUZZ_DIR)/gen \
                $(shell pkg-config --cflags $(PKGS))
FUZZ_LIBS    := $(shell pkg-config --libs $(PKGS)) -lm
LIB_SRC      := $(wildcard util/*.c extract/*.c segment/*.c classify/*.c output/*.c)
EMBED_IN     := $(sort $(wildcard rules/*.rules)) $(wildcard output/scan.schema.json)

.PHONY: fuzz fuzz-build fuzz-smoke
fuzz: fuzz-build
	@for f in $(FUZZERS); do \
		mkdir -p tests/fuzz/seeds/$$f $(FUZZ_DIR)/corpus-$$f; \
		echo "fuzz: $$f for $(FUZZ_SECONDS) s"; \
		if ! $(FUZZ_DIR)/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=2048 \
			-print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crash-$$f- \
			$(FUZZ_DIR)/corpus-$$f tests/fuzz/seeds/$$f > $(FUZZ_DIR)/$$f.log 2>&1; then \
			tail -n 40 $(FUZZ_DIR)/$$f.log; echo "fuzz: $$f FAILED (input in $(FUZZ_DIR)/crash-$$f-*)"; exit 1; \
		fi; \
		grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' $(FUZZ_DIR)/$$f.log | tr '\n' ' '; echo; \
	done

fuzz-smoke: FUZZ_SECONDS = 30
fuzz-smoke: fuzz

fuzz-build: $(foreach f,$(FUZZERS),$(FUZZ_DIR)/fuzz_$(f))

$(FUZZ_DIR)/gen/embedded.c: $(EMBED_IN) tools/embed.sh
	@mkdir -p $(dir $@)
	@sh tools/embed.sh $(EMBED_IN) > $@

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) $(FUZZ_DIR)/gen/embedded.c
	@mkdir -p $(dir $@)
	@echo "  CLANG  $@"
	@$(CLANG) $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(FUZZ_DIR)/gen/embedded.c $(FUZZ_LIBS)
