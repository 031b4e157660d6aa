#!/bin/sh
# Rebuild corpus/scanned/: a scanned copy of report 08 (every page rasterised at
# 200 dpi, 1 bit, CCITT G4 as a fax or office scanner would store it: about
# 350 KB for 11 pages), so that `make demo` shows a report read by OCR, and its
# gold entry (scanned/gold.json, the same recommendations as report 08's).
# Needs: pdftoppm (poppler-utils), convert (imagemagick), img2pdf, python3.
set -eu
cd "$(dirname "$0")"
for tool in pdftoppm convert img2pdf python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "make-scanned.sh: $tool not found" >&2; exit 2; }
done
src=reports/dhr-08-east-fenmoor-2016.pdf
dst=scanned/dhr-08-east-fenmoor-2016-scanned.pdf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p scanned
pdftoppm -r 200 -mono "$src" "$tmp/p"
for f in "$tmp"/p-*.pbm; do convert "$f" -compress Group4 "${f%.pbm}.tif"; done
img2pdf --imgsize 200dpi "$tmp"/p-*.tif -o "$dst"
python3 - "$src" "$dst" <<'PY'
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
gold = json.load(open("gold.json"))
doc = dict(next(d for d in gold["documents"] if d["file"] == src))
doc["file"] = os.path.basename(dst)
with open("scanned/gold.json", "w") as f:
    json.dump({"documents": [doc]}, f, indent=1, ensure_ascii=False)
    f.write("\n")
PY
echo "wrote $dst ($(wc -c < "$dst") bytes) and scanned/gold.json"
