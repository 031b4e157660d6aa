#!/bin/sh
# Rebuild every PDF in corpus/reports/ and corpus/gold.json from corpus/src/.
# Needs: python3 (stdlib only), LibreOffice (soffice), groff (with tbl), poppler-utils (pdftotext).
# On Debian: apt-get install -y libreoffice-writer-nogui groff poppler-utils hyphen-en-gb
set -eu
cd "$(dirname "$0")"
for tool in python3 soffice groff pdftotext; do
    command -v "$tool" >/dev/null 2>&1 || { echo "make-corpus.sh: $tool not found" >&2; exit 2; }
done
python3 src/build.py "$@"
python3 check_gold.py --pdf
