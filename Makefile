# Makefile for dhr: one binary (./dhr), a static library of the pipeline
# stages (build/libdhr.a) that the tests link, and the test, sanitizer,
# valgrind, fuzz and bench targets. Plain GNU make; dependencies via pkg-config.
#
#   make            build ./dhr            make check      build + run every test
#   make demo       scan the bundled corpus make asan       tests under ASan+UBSan
#   make valgrind   tests under valgrind    make bench      benchmark vs pdftotext
#   make fuzz       libFuzzer harnesses     make deps       install missing Debian packages
#   make deps-build what make/demo need     make deps-test  what check/asan/fuzz/bench need
#   make fresh-check  make demo + make check in a clean clone on a fresh Debian 12 chroot (root)
#   make install    PREFIX=/usr/local DESTDIR=

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
CC        ?= cc
PKG_CONFIG ?= pkg-config
BUILD     ?= build
WERROR    ?= 1
SANITIZE  ?=

PKGS      := poppler-glib gio-2.0 glib-2.0 libpcre2-8 libcjson cairo tesseract lept
TEST_PKGS := cmocka cairo

# Dependency include paths are -isystem so that our strict warnings judge only our code.
PKG_CFLAGS  = $(patsubst -I%,-isystem %,$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null))
PKG_LIBS    = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS = $(patsubst -I%,-isystem %,$(shell $(PKG_CONFIG) --cflags $(TEST_PKGS) 2>/dev/null))
TEST_LIBS   = $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)

STD   := -std=c11 -D_GNU_SOURCE
WARN  := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
         -Wwrite-strings -Wformat=2 -Wundef -Wvla -Wnull-dereference -Wno-format-nonliteral
OPT   ?= -O2 -g
ifeq ($(WERROR),1)
WARN  += -Werror
endif
ifneq ($(SANITIZE),)
OPT   := -O1 -g -fno-omit-frame-pointer
SAN   := -fsanitize=$(SANITIZE) -fno-sanitize-recover=all
endif

# `make V=1` shows the full commands.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
endif

ALL_CFLAGS  = $(STD) $(WARN) $(OPT) $(SAN) -Iinclude -I$(BUILD)/gen -DDHR_VERSION='"$(VERSION)"' \
              $(PKG_CFLAGS) -MMD -MP $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

# The library: every stage folder. cli/ is only the command line.
LIB_SRC  := $(wildcard util/*.c extract/*.c segment/*.c classify/*.c output/*.c scan/*.c)
CLI_SRC  := $(wildcard cli/*.c)
TEST_SRC := $(wildcard tests/test_*.c)
TESTSUPPORT_SRC := $(wildcard tests/support/*.c)
EMBED_IN := $(sort $(wildcard rules/*.rules)) $(sort $(wildcard rules/gazetteer/*.txt)) $(wildcard output/scan.schema.json)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TESTSUPPORT_OBJ := $(TESTSUPPORT_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libdhr.a
BIN      := dhr

.PHONY: all check test headertest fuzz-smoke asan valgrind bench fuzz demo deps deps-build deps-test \
        fresh-check install uninstall clean help
.DEFAULT_GOAL := all

all: $(BIN)

help:
	@sed -n '1,14p' Makefile | sed 's/^# \{0,1\}//'

# tools/deps.sh probes each dependency by use and installs what fails (see its lists).
deps:
	@sh tools/deps.sh all
deps-build:
	@sh tools/deps.sh build
deps-test:
	@sh tools/deps.sh test

# A clean clone of this repository's committed HEAD, `make demo` then `make check`,
# in a fresh Debian 12 chroot (root; see tools/fresh-check.sh).
fresh-check:
	@sh tools/fresh-check.sh

# Rebuild everything when the flags change (Redis's .make-settings habit).
# Every object depends on it, so a machine without the libraries hears which command installs them.
$(BUILD)/.flags: FORCE
	@$(PKG_CONFIG) --exists $(PKGS) 2>/dev/null || { echo "missing build dependencies ($(PKGS)):" \
		"run make deps-build (tools/deps.sh build)" >&2; exit 1; }
	@mkdir -p $(BUILD)
	@echo '$(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || echo '$(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@
FORCE:

$(BUILD)/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/gen/embedded.c: $(EMBED_IN) tools/embed.sh
	@mkdir -p $(dir $@)
	$(call say,EMBED,$(EMBED_IN))
	$(Q)sh tools/embed.sh $(EMBED_IN) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c $(BUILD)/.flags
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

# The cache key includes a hash of the extraction and segmentation sources,
# so a changed extractor never reads results cached by an older one.
PIPELINE_SRC := $(sort $(wildcard extract/*.c extract/*.h segment/*.c segment/*.h)) \
                include/dhr/doc.h include/dhr/extract.h include/dhr/segment.h util/doc.c
$(BUILD)/gen/pipeline.h: $(PIPELINE_SRC)
	@mkdir -p $(dir $@)
	$(Q)printf '#define DHR_PIPELINE_SOURCE_HASH "%s"\n' \
		"$$(cat $(PIPELINE_SRC) | sha256sum | cut -c1-12)" > $@.tmp && mv $@.tmp $@
$(BUILD)/scan/cache.o: $(BUILD)/gen/pipeline.h

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(call say,AR,$@)
	$(Q)ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(PKG_LIBS) -lm

$(BUILD)/tests/support/%.o: tests/support/%.c $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -c $< -o $@

# (kept after the build: otherwise make deletes them as intermediates, after the test summary)
.SECONDARY: $(TESTSUPPORT_OBJ)
$(BUILD)/tests/%: tests/%.c $(LIB) $(TESTSUPPORT_OBJ) $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(call say,CCLD,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(TESTSUPPORT_OBJ) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) $(TEST_LIBS) -lm

# `make check`: install what is missing (both groups), build, run every test binary.
# The fuzz smoke runs come first so that the test summary is the last line.
check: deps
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk fuzz-smoke
	@$(MAKE) --no-print-directory test

test: $(BIN) $(TEST_BIN) headertest
	@DHR_BIN=$(CURDIR)/$(BIN) sh tests/run.sh $(TEST_BIN)

# Each public header compiles on its own, strictly (libgit2's headertest).
HEADERS := $(wildcard include/dhr/*.h)
headertest: $(HEADERS:include/dhr/%.h=$(BUILD)/headertest/%.o)
$(BUILD)/headertest/%.o: include/dhr/%.h
	@mkdir -p $(dir $@)
	@printf '#include "dhr/%s.h"\n' $* | $(CC) $(STD) $(WARN) -Werror -Iinclude -x c -c - -o $@

asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=address,undefined BIN=build/asan/dhr test

valgrind: deps
	@$(MAKE) --no-print-directory $(BIN) $(TEST_BIN)
	@DHR_BIN=$(CURDIR)/$(BIN) DHR_VALGRIND=1 sh tests/run.sh $(TEST_BIN)

demo: deps-build
	@$(MAKE) --no-print-directory $(BIN)
	./$(BIN) scan -o out corpus/

bench: deps
	@$(MAKE) --no-print-directory $(BIN)
	sh bench/run.sh

fuzz: deps
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk fuzz

fuzz-smoke: deps
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk fuzz-smoke

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/$(BIN)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/$(BIN)

clean:
	rm -rf build $(BIN) out

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
