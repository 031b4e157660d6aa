#!/bin/sh
# tools/deps.sh: install the Debian packages dhr needs to build and test, but
# only those that are missing, so that `make check` is fast and silent on a
# machine that has them all. Called by `make deps` (and so by check and demo).
set -eu

missing=""
need_pkgconfig() { # pkg-config module, Debian package
	if ! pkg-config --exists "$1" 2>/dev/null; then missing="$missing $2"; fi
}
need_cmd() { # command, Debian package
	if ! command -v "$1" >/dev/null 2>&1; then missing="$missing $2"; fi
}

need_cmd pkg-config pkg-config
need_cmd cc gcc
need_pkgconfig poppler-glib libpoppler-glib-dev
need_pkgconfig libpcre2-8 libpcre2-dev
need_pkgconfig libcjson libcjson-dev
need_pkgconfig cmocka libcmocka-dev
need_pkgconfig cairo libcairo2-dev
need_pkgconfig tesseract libtesseract-dev
need_pkgconfig lept libleptonica-dev
# OCR's English language data (dhr reads it at run time; TESSDATA_PREFIX may point elsewhere)
[ -f /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] || missing="$missing tesseract-ocr-eng"
need_cmd pdftotext poppler-utils
# the OCR tests and the demo's scanned report: PDFs of images, rotated pages
need_cmd img2pdf img2pdf
need_cmd convert imagemagick
need_cmd qpdf qpdf
need_cmd valgrind valgrind
need_cmd python3 python3
need_cmd hyperfine hyperfine
need_cmd chromium chromium
# the schema test uses Debian's python3 (a python3 earlier on PATH may lack the module)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null || missing="$missing python3-jsonschema"
need_cmd clang clang
[ -x /usr/bin/time ] || missing="$missing time"

if [ -n "$missing" ]; then
	echo "deps: installing$missing" >&2
	SUDO=""
	if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq >&2
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
fi
