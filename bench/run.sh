#!/bin/sh
# bench/run.sh: `make bench`. Times dhr against Poppler's own pdftotext on
# the same files, side by side in one run, and prints one table. Every timed
# figure is the median of BENCH_RUNS runs (default 5) with min and max, from
# hyperfine; memory from /usr/bin/time -v. Public tools only.
#
#   BENCH_RUNS=5 BENCH_REPORTS=200 sh bench/run.sh
#   sh bench/run.sh ocr      # only the OCR row (8), which also ends the full table
set -eu
cd "$(dirname "$0")/.."
DHR=$(pwd)/dhr
W=$(pwd)/bench/work
RUNS=${BENCH_RUNS:-5}
N=${BENCH_REPORTS:-200}
for t in hyperfine pdftotext qpdf python3; do
	command -v $t >/dev/null || { echo "bench: needs $t (make deps)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

# 8. OCR: a scanned copy of a corpus report (pdftoppm 150 dpi greyscale, img2pdf), read
# on one core (one worker, one OpenMP thread); BENCH_OCR_RUNS runs (default 3: 1-3 s a page)
ocr_bench() {
	for t in pdftoppm img2pdf; do
		command -v $t >/dev/null || { echo "bench: needs $t (make deps)" >&2; exit 2; }
	done
	mkdir -p "$W/ocr-pages"
	pdftoppm -r 150 -gray -f 1 -l 8 corpus/reports/dhr-02-fenmoor-2012.pdf "$W/ocr-pages/p"
	img2pdf --imgsize 150dpi "$W/ocr-pages"/p-*.pgm -o "$W/scan8.pdf"
	hyperfine --style none --runs "${BENCH_OCR_RUNS:-3}" --warmup 0 --export-json "$W/ocr.json" \
		"OMP_THREAD_LIMIT=1 $DHR extract -j 1 --ocr auto $W/scan8.pdf" >/dev/null 2>&1 || {
		echo "bench: hyperfine failed for ocr" >&2
		exit 1
	}
	python3 - "$W" <<'PY'
import json, sys
r = json.load(open(sys.argv[1] + "/ocr.json"))["results"][0]
t = (r["median"], r["min"], r["max"])
print(f"{'8 OCR, 8-page scan (150 dpi), one core':40} {t[0]:8.3f} s  ({t[1]:.3f}-{t[2]:.3f})  {8 / t[0]:7.2f} pages/s"
      f"  CPU {r['user'] + r['system']:.2f} s")
PY
}
if [ "${1:-}" = ocr ]; then
	rm -rf "$W"
	mkdir -p "$W"
	ocr_bench
	exit 0
fi

rm -rf "$W"
mkdir -p "$W"

# The machine every figure below belongs to: CPU model, cores, kernel, Debian, Poppler.
cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n 1)
[ -n "$cpu" ] || cpu=$(LC_ALL=C lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
# a VM's model name can be as vague as "AMD EPYC": the family and model numbers name the generation
fam=$(sed -n 's/^cpu family[[:space:]]*: *//p' /proc/cpuinfo | head -n 1)
mod=$(sed -n 's/^model[[:space:]]*: *//p' /proc/cpuinfo | head -n 1)
[ -z "$fam" ] || cpu="$cpu (family $fam, model $mod)"
machine="CPU ${cpu:-unknown}, $(getconf _NPROCESSORS_ONLN) cores; kernel $(uname -r);"
machine="$machine Debian $(cat /etc/debian_version 2>/dev/null || echo '?');"
machine="$machine Poppler $(pkg-config --modversion poppler-glib 2>/dev/null || echo '?') (poppler-glib),"
machine="$machine pdftotext $(pdftotext -v 2>&1 | sed -n 's/^pdftotext version //p' | head -n 1)"
echo "bench: $machine" >&2

# The bench set: copies of the corpus, each made distinct by a trailing PDF
# comment (so the cache and the de-duplication cannot treat them as one).
make_set() { # N DIR
	mkdir -p "$2"
	i=0
	while [ $i -lt "$1" ]; do
		for f in corpus/reports/*.pdf; do
			[ $i -lt "$1" ] || break
			out=$(printf '%s/%04d-%s' "$2" $i "$(basename "$f")")
			cp "$f" "$out"
			printf '\n%%dhr-bench-copy-%d\n' $i >> "$out"
			i=$((i + 1))
		done
	done
}
make_set "$N" "$W/set"
for n in 25 50 100; do
	[ $n -lt "$N" ] && make_set $n "$W/set$n"
done
pages=$(for f in "$W"/set/*.pdf; do pdfinfo "$f" | awk '/^Pages:/ {print $2}'; done | awk '{s += $1} END {print s}')

cat > "$W/pdftotext-all.sh" <<'SH'
#!/bin/sh
# pdftotext over every file of a folder, one after another
for f in "$2"/*.pdf; do pdftotext $1 "$f" /dev/null; done
SH
cat > "$W/pdftotext-par.sh" <<'SH'
#!/bin/sh
# pdftotext over every file of a folder, $1 at a time: what this machine's cores give Poppler itself
ls "$2"/*.pdf | xargs -P "$1" -I{} pdftotext {} /dev/null
SH

hf() { # NAME COMMAND... : hyperfine one or more commands, JSON to $W/NAME.json
	name=$1
	shift
	hyperfine --style none --runs "$RUNS" --warmup 1 --export-json "$W/$name.json" "$@" >/dev/null 2>&1 || {
		echo "bench: hyperfine failed for $name" >&2
		hyperfine --runs 1 "$@" >&2 || true
		exit 1
	}
}

echo "bench: $N reports, $pages pages; $RUNS runs each (this takes a few minutes)" >&2
# 0. extraction alone on a generated 100-page report (tests/support/pdfgen), one thread and default
make --no-print-directory build/tests/test_extract >/dev/null
build/tests/test_extract --write-report "$W/report100.pdf" 100 >/dev/null 2>&1
hf extract "pdftotext $W/report100.pdf -" \
	"$DHR extract -j 1 $W/report100.pdf" \
	"$DHR extract $W/report100.pdf"
hf cold "$DHR scan -q -j 1 --no-cache -o $W/o1 $W/set" \
	"sh $W/pdftotext-all.sh '' $W/set" \
	"sh $W/pdftotext-all.sh -layout $W/set" \
	"$DHR scan -q -j 2 --no-cache -o $W/o2 $W/set" \
	"sh $W/pdftotext-par.sh 2 $W/set"
# warm: a cache from one run, then reruns over the unchanged folder
$DHR scan -q -j 2 -o "$W/warm" "$W/set" >/dev/null
hf warm "$DHR scan -q -o $W/warm $W/set"
# rules edit: the built-in rules with one rule changed, reclassified from the cache
mkdir -p "$W/rules"
cp rules/*.rules "$W/rules/" && cp -r rules/gazetteer "$W/rules/"
sed -i '0,/^ *match /s//  match \/\\bbench-edit\\b\/\n  match /' "$W/rules/themes.rules"
# (the remembered classification by the edited rules is deleted before each run, so every run
# reclassifies everything: recommendations and whole-document facets)
hf reclassify --prepare "rm -rf $W/warm/.cache/*/facets-*" "$DHR scan -q -r $W/rules/default.rules -o $W/warm $W/set"
# classification alone: 100,000 recommendation lines
python3 - "$W/recs.txt" <<'PY'
import json, sys
texts = [r["text"].replace("\n", " ") for d in json.load(open("corpus/gold.json"))["documents"] for r in d["recommendations"]]
with open(sys.argv[1], "w") as f:
    for i in range(100000):
        f.write(texts[i % len(texts)] + "\n")
PY
hf classify "$DHR classify < $W/recs.txt > /dev/null"
# scaling: cold, one worker, at growing sizes
for n in 25 50 100; do
	[ $n -lt "$N" ] && hf "scale$n" "$DHR scan -q -j 1 --no-cache -o $W/s$n $W/set$n"
done
# memory: one worker's work on a 300-page report; the parent on the whole set (warm: no workers)
big=$(ls corpus/reports/*.pdf)
qpdf --empty --pages $big $big -- "$W/big-all.pdf" # the corpus twice: over 300 pages
qpdf --empty --pages "$W/big-all.pdf" 1-300 -- "$W/big300.pdf" 2>/dev/null || cp "$W/big-all.pdf" "$W/big300.pdf"
bigpages=$(pdfinfo "$W/big300.pdf" | awk '/^Pages:/ {print $2}')
/usr/bin/time -v "$DHR" recs "$W/big300.pdf" >/dev/null 2>"$W/mem-worker.txt" || true
/usr/bin/time -v "$DHR" scan -q -o "$W/warm" "$W/set" >/dev/null 2>"$W/mem-parent.txt" || true
# a cold run: the largest of the parent and its long-lived workers
/usr/bin/time -v "$DHR" scan -q -j 1 --no-cache -o "$W/o1" "$W/set" >/dev/null 2>"$W/mem-cold.txt" || true
for n in 25 50 100; do
	[ $n -lt "$N" ] || continue
	$DHR scan -q -j 2 -o "$W/m$n" "$W/set$n" >/dev/null || true
	/usr/bin/time -v "$DHR" scan -q -o "$W/m$n" "$W/set$n" >/dev/null 2>"$W/mem-parent$n.txt" || true
done

python3 - "$W" "$N" "$pages" "$bigpages" "$machine" <<'PY'
import json, os, re, sys, platform
W, N, pages, bigpages, machine = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
def res(name, i=0):
    r = json.load(open(f"{W}/{name}.json"))["results"][i]
    return r["median"], r["min"], r["max"]
def rss(name):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{W}/{name}").read())
    return int(m.group(1)) / 1024 if m else float("nan")
def fmt(t): return f"{t[0]:8.3f} s  ({t[1]:.3f}-{t[2]:.3f})"
def cpu_s(name, i=0):
    r = json.load(open(f"{W}/{name}.json"))["results"][i]
    return r["user"] + r["system"]
print(f"dhr bench on {machine}")
print(f"dhr bench: {N} reports, {pages} pages; median of runs (min-max)")
x0, x1, xn = res("extract", 0), res("extract", 1), res("extract", 2)
print(f"{'0 extract, 100-page report: pdftotext':40} {fmt(x0)}")
print(f"{'  dhr extract -j 1 (one thread)':40} {fmt(x1)}  {x0[0] / x1[0]:5.2f}x pdftotext's speed")
print(f"{'  dhr extract (threads: one per core)':40} {fmt(xn)}  {x0[0] / xn[0]:5.2f}x pdftotext's speed")
j1, pt, ptl, j2, pt2 = res("cold", 0), res("cold", 1), res("cold", 2), res("cold", 3), res("cold", 4)
print(f"{'1 cold scan -j 1 --no-cache':40} {fmt(j1)}  {pages / j1[0]:7.0f} pages/s  CPU {cpu_s('cold', 0):.2f} s")
print(f"{'  pdftotext, same files':40} {fmt(pt)}  {pages / pt[0]:7.0f} pages/s  CPU {cpu_s('cold', 1):.2f} s")
print(f"{'  pdftotext -layout, same files':40} {fmt(ptl)}  {pages / ptl[0]:7.0f} pages/s")
print(f"{'  dhr / pdftotext (pages/s ratio)':40} {pt[0] / j1[0]:8.2f}x   (vs -layout {ptl[0] / j1[0]:.2f}x;"
      f" CPU time {cpu_s('cold', 1) / cpu_s('cold', 0):.2f}x)")
print(f"{'2 cold scan -j 2 --no-cache':40} {fmt(j2)}  {pages / j2[0]:7.0f} pages/s  speed-up {j1[0] / j2[0]:.2f}x"
      f"  CPU {cpu_s('cold', 3):.2f} s")
print(f"{'  pdftotext, 2 at a time (xargs -P 2)':40} {fmt(pt2)}  {pages / pt2[0]:7.0f} pages/s  speed-up {pt[0] / pt2[0]:.2f}x"
      f"  CPU {cpu_s('cold', 4):.2f} s")
print(f"{'  CPU time, two at once / one at a time':40} dhr {cpu_s('cold', 3) / cpu_s('cold', 0):.2f}x, "
      f"pdftotext {cpu_s('cold', 4) / cpu_s('cold', 1):.2f}x  (1.00x: the two cores do not slow each other)")
w = res("warm")
print(f"{'3 warm rerun (cache present)':40} {fmt(w)}  {100 * w[0] / j1[0]:6.1f}% of cold -j 1")
rc = res("reclassify")
print(f"{'4 rerun after a rules edit':40} {fmt(rc)}")
c = res("classify")
print(f"{'5 classify 100,000 lines':40} {fmt(c)}  {100000 / c[0]:9.0f} recs/s")
print(f"{'6 peak RSS, worker, ' + bigpages + '-page report':40} {rss('mem-worker.txt'):8.1f} MB")
for n in (25, 50, 100):
    if os.path.exists(f"{W}/mem-parent{n}.txt"):
        print(f"{'  peak RSS, parent, %d reports' % n:40} {rss('mem-parent%d.txt' % n):8.1f} MB")
print(f"{'  peak RSS, parent, %d reports' % N:40} {rss('mem-parent.txt'):8.1f} MB")
print(f"{'  peak RSS, any process, cold -j 1, %d' % N:40} {rss('mem-cold.txt'):8.1f} MB")
print("7 scaling, cold -j 1: time per report")
for n in (25, 50, 100):
    if os.path.exists(f"{W}/scale{n}.json"):
        t = res(f"scale{n}")
        print(f"{'  %d reports' % n:40} {fmt(t)}  {1000 * t[0] / n:7.1f} ms/report")
print(f"{'  %d reports' % N:40} {fmt(j1)}  {1000 * j1[0] / N:7.1f} ms/report")
PY
ocr_bench
