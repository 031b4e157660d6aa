#!/bin/sh
# tools/deps.sh [build|test|all] [--check]: make sure this machine has what dhr
# needs, judged by use (a program that compiles and links, a tool that runs),
# not by a file or a name on PATH. Installs what fails its probe with apt-get
# (--no-install-recommends, so every package needed is named below), probes
# again, and exits 1 naming what is still missing. Fast and silent when all
# is present: `make check` calls it every time.
#
#   build  what `make` and `make demo` need: the compiler and the libraries
#   test   what `make check`, asan, valgrind, fuzz and bench need on top
#   all    both (the default; `make deps`)
#   --check  probe and report only, install nothing (exit 1 if anything fails)
#
# Adding a dependency is one line in the lists below:
#   need GROUP "DEBIAN PACKAGES" PROBE ARGS...
# with PROBE one of
#   runs  COMMAND...             the command runs and exits 0
#   lib   PKG-CONFIG-MODULES C   pkg-config knows the modules, and the C program
#                                compiles, links (with their --cflags --libs) and runs
#   cc_links FLAGS C             the C program compiles, links (with $CC FLAGS) and runs
#   clang_links FLAGS C          the same with clang (a libFuzzer program: run once)
#   exists PATH                  the file exists (data files: fonts, models)
# C programs are one string; "\n" separates lines.
set -eu

group=all
install=1
for a in "$@"; do
	case $a in
	build | test | all) group=$a ;;
	--check) install=0 ;;
	*)
		echo "usage: $0 [build|test|all] [--check]" >&2
		exit 2
		;;
	esac
done

CC=${CC:-cc}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dhr-deps-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

here=$(cd "$(dirname "$0")/.." && pwd)

# ---- probes: each returns 0 when the dependency works; it works in its own folder $d
runs() { "$@"; }
lib() { # modules, C source
	$PKG_CONFIG --exists "$1" || { echo "pkg-config: no module $1"; return 1; }
	printf '%b\n' "$2" > "$d/p.c"
	# shellcheck disable=SC2046
	$CC -o "$d/p" "$d/p.c" $($PKG_CONFIG --cflags --libs "$1") && "$d/p"
}
cc_links() { # flags, C source
	printf '%b\n' "$2" > "$d/p.c"
	# shellcheck disable=SC2086
	$CC $1 -o "$d/p" "$d/p.c" && "$d/p"
}
clang_links() { # flags, C source
	printf '%b\n' "$2" > "$d/p.c"
	# shellcheck disable=SC2086
	clang $1 -o "$d/p" "$d/p.c" && "$d/p" -runs=1
}
exists() { [ -e "$1" ] || { echo "no file $1"; return 1; }; }
browser() { # a page whose script writes into it, through the tests' own launcher
	printf '%s\n' '<html><body><script>document.body.textContent = "ran-" + 6 * 7;</script></body></html>' > "$d/p.html"
	sh "$here/tests/report/chromium.sh" "$d/p.html" "$d/dom" || { echo "chromium.sh exit $?"; return 1; }
	grep -q 'ran-42' "$d/dom" || { echo "the page's script did not run"; return 1; }
}

why() { # a probe's log: its first error, else its last line
	grep -m 1 -iE 'error|undefined|not found|no module|no such' "$1" || tail -n 1 "$1"
}

# need GROUP PACKAGES PROBE...: run the probe (in the background: the probes
# take a few seconds together, so they run at once); probe_all waits for them
# and leaves the packages of every probe that did not succeed in $missing, and why in $failed.
n=0
need() {
	[ "$group" = all ] || [ "$group" = "$1" ] || return 0
	n=$((n + 1))
	d=$tmp/$n
	mkdir -p "$d"
	echo "$2" > "$d/packages"
	(
		shift 2
		if (set +e; "$@") > "$d/log" 2>&1 < /dev/null; then
			: > "$d/ok"
		else
			case $1 in
			runs) what=$* ;;
			*) what="$1 ${2:-}" ;; # not the C program
			esac
			printf '\n  %s (probe: %s): %s' "$(cat "$d/packages")" "$what" "$(why "$d/log")" > "$d/failed"
		fi
	) &
}

probe_all() {
	rm -rf "$tmp" && mkdir -p "$tmp"
	# ---- build: `make`, `make demo`
	need build "make" runs make --version
	need build "pkg-config" runs "$PKG_CONFIG" --version
	need build "gcc libc6-dev" cc_links "-std=c11" '#include <stdio.h>\nint main(void) { return printf("%s", "") != 0; }'
	need build "libglib2.0-dev" lib "glib-2.0 gio-2.0" '#include <gio/gio.h>\nint main(void) { GFile *f = g_file_new_for_path("/"); g_object_unref(f); return 0; }'
	need build "libpoppler-glib-dev" lib poppler-glib '#include <poppler.h>\nint main(void) { return poppler_get_version() == NULL; }'
	need build "libpcre2-dev" lib libpcre2-8 '#define PCRE2_CODE_UNIT_WIDTH 8\n#include <pcre2.h>\nint main(void) { uint32_t jit = 0; pcre2_config(PCRE2_CONFIG_JIT, &jit); return jit != 1; }'
	need build "libcjson-dev" lib libcjson '#include <cjson/cJSON.h>\nint main(void) { cJSON *j = cJSON_Parse("[1]"); int ok = cJSON_IsArray(j); cJSON_Delete(j); return !ok; }'
	# OCR of scanned pages (extract/ocr.c): Tesseract's C API and Leptonica, pages rendered with
	# cairo, and the English language data, checked by loading it
	need build "libcairo2-dev" lib cairo '#include <stddef.h>\n#include <cairo.h>\nint main(void) { cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, 8, 8); int bad = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS; cairo_surface_destroy(s); return bad; }'
	need build "libtesseract-dev libleptonica-dev tesseract-ocr-eng" lib "tesseract lept" '#include <stddef.h>\n#include <tesseract/capi.h>\nint main(void) { TessBaseAPI *a = TessBaseAPICreate(); int r = TessBaseAPIInit3(a, NULL, "eng"); TessBaseAPIDelete(a); return r != 0; }'

	# ---- test: `make check` (tests/*.c, tests/run.sh, tests/badinput, tests/fuzz,
	# tests/report/chromium.sh, corpus/check_gold.py), asan, valgrind, fuzz, bench
	need test "libcmocka-dev" lib cmocka '#include <stdarg.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <setjmp.h>\n#include <cmocka.h>\nstatic void t(void **s) { (void)s; assert_true(1); }\nint main(void) { const struct CMUnitTest ts[] = {cmocka_unit_test(t)}; return cmocka_run_group_tests(ts, NULL, NULL); }'
	need test "libcairo2-dev" lib cairo-pdf '#include <stddef.h>\n#include <cairo-pdf.h>\nint main(void) { cairo_surface_t *s = cairo_pdf_surface_create(NULL, 10, 10); int bad = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS; cairo_surface_destroy(s); return bad; }'
	# tests/support/pdfgen.c draws its fixture PDFs in DejaVu Sans
	need test "fonts-dejavu-core" exists /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
	need test "poppler-utils" runs sh -c 'pdftotext -v && pdfinfo -v'
	need test "qpdf" runs qpdf --version
	# tests/test_ocr.c and tests/ocr/accuracy.sh make scanned PDFs: images of pages, a rotated page
	need test "img2pdf" runs img2pdf --version
	need test "imagemagick" runs convert -version
	need test "python3" runs python3 -c 'import json, zlib, subprocess'
	# tests/test_output.c validates scan.json with Debian's own python3
	need test "python3-jsonschema" runs /usr/bin/python3 -c 'import jsonschema'
	need test "time" runs /usr/bin/time -v true
	need test "valgrind" runs valgrind --quiet --error-exitcode=99 true
	need test "hyperfine" runs hyperfine --version
	# tests/test_report.c opens reports in headless Chromium (tests/report/chromium.sh)
	need test "chromium" browser
	# make asan: gcc's sanitizer runtimes
	need test "libasan8 libubsan1" cc_links "-fsanitize=address,undefined -fno-sanitize-recover=all" '#include <stdlib.h>\nint main(void) { char *p = malloc(4); p[0] = 0; int r = p[0]; free(p); return r; }'
	# tests/fuzz (make check's fuzz smoke runs, make fuzz): clang with its sanitizer and libFuzzer runtime
	need test "clang libclang-rt-14-dev" clang_links "-fsanitize=fuzzer,address,undefined" '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }'
	wait
	# a probe that did not say ok failed, whatever happened to it
	missing=""
	failed=""
	for d in "$tmp"/*/; do
		if [ -e "$d/ok" ]; then continue; fi
		missing="$missing $(cat "$d/packages")"
		failed="$failed$(cat "$d/failed" 2> /dev/null || printf '\n  %s: its probe did not finish' "$(cat "$d/packages")")"
	done
}

probe_all
[ -n "$missing" ] || exit 0
if [ "$install" = 0 ]; then
	echo "deps: missing ($group):$failed" >&2
	exit 1
fi

# shellcheck disable=SC2086
list=$(printf '%s\n' $missing | sort -u | tr '\n' ' ')
echo "deps: installing $list" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo > /dev/null || { echo "deps: need root or sudo to install $list" >&2; exit 1; }
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq -o DPkg::Lock::Timeout=600 >&2 || { echo "deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends $list >&2 || { echo "deps: apt-get install failed: $list" >&2; exit 1; }

probe_all
if [ -n "$missing" ]; then
	echo "deps: still not working after installing $list:$failed" >&2
	exit 1
fi
