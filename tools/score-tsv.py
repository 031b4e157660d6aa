#!/usr/bin/env python3
"""tools/score-tsv.py RULES MULTI_FACET SINGLE_FACET FILE.tsv: score `dhr classify -r RULES` against a
labelled TSV (text <TAB> labels of MULTI_FACET, comma-separated <TAB> label of SINGLE_FACET; lines
starting with # are comments): micro precision / recall / F1 of the multi facet, accuracy of the
single one, and every recommendation where they differ.  Stdlib only; DHR_BIN or ./dhr.

    python3 tools/score-tsv.py homeoffice ho_theme ho_agency tests/data/heldout-homeoffice.tsv
"""
import json
import os
import subprocess
import sys


def main():
    rules, multi, single, path = sys.argv[1:5]
    rows = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8") if not line.startswith("#")]
    dhr = os.environ.get("DHR_BIN", "./dhr")
    out = subprocess.run([dhr, "classify", "-r", rules, "--json"], input="\n".join(r[0] for r in rows) + "\n",
                         capture_output=True, text=True, check=True).stdout.splitlines()
    tp = fp = fn = ok = 0
    for i, (row, line) in enumerate(zip(rows, out), 1):
        p = json.loads(line)
        got = set(p.get(multi) or p.get("labels", {}).get(multi, []))
        want = {x for x in row[1].split(",") if x}
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        agency = p.get(single)
        ok += agency == row[2]
        if got != want or agency != row[2]:
            print(f"{i}: +{sorted(got - want)} -{sorted(want - got)} {single} {agency} (gold {row[2]}): {row[0][:100]}")
    pr, rc = tp / (tp + fp or 1), tp / (tp + fn or 1)
    print(f"{multi}: micro precision {pr:.3f} recall {rc:.3f} F1 {2 * pr * rc / (pr + rc or 1):.3f}; "
          f"{single}: {ok} of {len(rows)}")


if __name__ == "__main__":
    main()
