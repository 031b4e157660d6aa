#!/usr/bin/env python3
"""tests/check_facet_outputs.py OUT [FACET ...]: check a `dhr scan` output folder for any facet set,
from the files alone (stdlib only; jsonschema when installed).  Used by tests/test_homeoffice.c.

Checks, every number recounted here from scan.json's documents (not from its totals):
  - scan.json is valid against scan.schema.json (when python3-jsonschema is installed);
  - every recommendation has a "labels" entry for every recommendation facet of "facets";
  - totals.facets[F][label] = recommendations with the label; totals.tags[F][label] = documents
    with a recommendation with it; documents[].tags[F] = the union of their recommendations'
    labels, the facet's default left out;
  - themes.csv: per multi facet (column "facet"), one row per recommendation x label, or one
    "(no theme)" row for a recommendation without any; the first schema's columns first;
  - recommendations.csv: the first schema's columns first, then one column per recommendation
    facet other than the theme- and agency-like ones, holding its labels (";"-separated);
  - report.html: a "Report tags" table per recommendation facet with the recounted numbers, a
    figure per further facet, and a crosswalk table per pair of multi facets whose every cell is
    the recounted co-occurrence count.
The FACETs named on the command line must be among the scan's facets.  Exit 0 when all hold.
"""
import collections
import csv
import html
import json
import os
import re
import sys

FIRST_RECS = ["document", "id", "number", "section", "pages", "agency", "agency_text", "scope", "case_type",
              "themes", "text", "ocr"]
FIRST_THEMES = ["document", "id", "theme", "theme_name", "group", "agency", "case_type"]
problems = []


def check(cond, what):
    if not cond:
        problems.append(what)


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def main():
    out = sys.argv[1]
    scan = json.load(open(os.path.join(out, "scan.json"), encoding="utf-8"))
    try:
        import jsonschema
        schema = json.load(open(os.path.join(out, "scan.schema.json"), encoding="utf-8"))
        errs = list(jsonschema.Draft202012Validator(schema).iter_errors(scan))
        check(not errs, "schema: " + "; ".join(e.message[:200] for e in errs[:3]))
    except ImportError:
        print("jsonschema not installed: schema not checked")
    facets = scan["facets"]
    names = [f["name"] for f in facets]
    for want in sys.argv[2:]:
        check(want in names, f"facet {want} not in {names}")
    recf = [f for f in facets if f["scope"] == "recommendation"]
    multi = [f for f in recf if f["multi"]]
    theme_like = next((f for f in recf if f["multi"] and f["name"] == "theme"), multi[0] if multi else None)
    singles = [f for f in recf if not f["multi"]]
    agency_like = next((f for f in singles if f["name"] == "agency"), singles[0] if singles else None)
    docs = [d for d in scan["documents"] if d["status"] == "ok"]
    recs = [(d, r) for d in docs for r in d["recommendations"]]

    def values(r, f):
        v = r["labels"].get(f["name"])
        return v if isinstance(v, list) else ([] if v is None else [v])

    # labels, totals, tags
    for d, r in recs:
        for f in recf:
            check(f["name"] in r.get("labels", {}), f"{d['path']} {r['id']}: no labels.{f['name']}")
        if theme_like:
            check(r["themes"] == values(r, theme_like), f"{r['id']}: themes differ from labels.{theme_like['name']}")
        if agency_like:
            check([r["agency"]] == values(r, agency_like), f"{r['id']}: agency differs from labels.{agency_like['name']}")
    tags_count = {}
    for f in recf:
        n = collections.Counter(x for _, r in recs for x in values(r, f))
        for lab in f["labels"]:
            check(scan["totals"]["facets"][f["name"]].get(lab["id"]) == n[lab["id"]],
                  f"totals.facets.{f['name']}.{lab['id']} = {scan['totals']['facets'][f['name']].get(lab['id'])}, "
                  f"counted {n[lab['id']]}")
        t = collections.Counter()
        for d in docs:
            union = {x for r in d["recommendations"] for x in values(r, f)} - {f.get("default")}
            want = [lab["id"] for lab in f["labels"] if lab["id"] in union]
            check(d["tags"][f["name"]] == want, f"{d['path']}: tags.{f['name']} {d['tags'][f['name']]} != {want}")
            t.update(union)
        tags_count[f["name"]] = t
        for lab in f["labels"]:
            if lab["id"] != f.get("default"):
                check(scan["totals"]["tags"][f["name"]][lab["id"]] == t[lab["id"]],
                      f"totals.tags.{f['name']}.{lab['id']}")

    # themes.csv
    rows = read_csv(os.path.join(out, "themes.csv"))
    check(rows[0] == FIRST_THEMES + ["facet"], f"themes.csv header {rows[0]}")
    per = collections.Counter((r[1], r[7], r[2]) for r in rows[1:])
    for f in multi:
        want = collections.Counter()
        for _, r in recs:
            for x in values(r, f) or [""]:
                want[(r["id"], f["name"], x)] += 1
        got = collections.Counter({k: v for k, v in per.items() if k[1] == f["name"]})
        check(got == want, f"themes.csv rows of facet {f['name']}: {sum(got.values())} rows, want {sum(want.values())}")
    check({r[7] for r in rows[1:]} <= {f["name"] for f in multi}, "themes.csv: a facet that is not multi")

    # recommendations.csv
    rows = read_csv(os.path.join(out, "recommendations.csv"))
    extra = [f for f in recf if f is not theme_like and f is not agency_like]
    check(rows[0] == FIRST_RECS + [f["name"] for f in extra], f"recommendations.csv header {rows[0]}")
    check(len(rows) - 1 == len(recs), "recommendations.csv: one row per recommendation")
    for row, (_, r) in zip(rows[1:], recs):
        check(row[1] == r["id"], f"recommendations.csv order at {r['id']}")
        for i, f in enumerate(extra):
            check(row[len(FIRST_RECS) + i] == ";".join(values(r, f)), f"recommendations.csv {r['id']} {f['name']}")

    # report.html
    page = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    for f in recf:
        m = re.search(r'<table class="t tags-table" data-facet="%s">(.*?)</table>' % re.escape(f["name"]), page, re.S)
        check(m is not None, f"report: no tags table for {f['name']}")
        if m:
            for lab, n in re.findall(r'<th scope="row" data-label="([^"]+)">.*?</th><td class="n">(\d+)</td>', m.group(1)):
                check(int(n) == tags_count[f["name"]][html.unescape(lab)], f"report tags {f['name']}.{lab} = {n}")
    for f in extra:
        check(re.search(r'<h3 class="facet" id="facet-\d+">Facet <code>%s</code>' % re.escape(f["name"]), page),
              f"report: no figure for facet {f['name']}")
    pairs = [(a, b) for i, a in enumerate(multi) for b in multi[i + 1:]]
    tables = re.findall(r'<table class="heat crosswalk" data-rows="([^"]+)" data-cols="([^"]+)">(.*?)</table>', page, re.S)
    check(len(tables) == len(pairs), f"report: {len(tables)} crosswalk tables, want {len(pairs)}")
    for (ra, cb, body), (a, b) in zip(tables, pairs):
        check((ra, cb) == (a["name"], b["name"]), f"crosswalk {ra} x {cb}")
        cols = re.findall(r'<th scope="col" class="rot" data-label="([^"]+)"', body)
        co = collections.Counter((x, y) for _, r in recs for x in values(r, a) for y in values(r, b))
        for tr in re.findall(r'<tr><th scope="row".*?</tr>', body, re.S):
            lab = re.search(r'data-label="([^"]+)"', tr).group(1)
            cells = [int(c) for c in re.findall(r'<td[^>]*>(\d+)</td>', tr)]
            check(cells[:-1] == [co[(lab, c)] for c in cols], f"crosswalk row {lab}: {cells[:-1]}")
            check(cells[-1] == sum(1 for _, r in recs if lab in values(r, a)), f"crosswalk row {lab}: total")
    if problems:
        print("\n".join(problems[:40]))
        print(f"{len(problems)} problems")
        return 1
    print(f"ok: {len(recs)} recommendations, facets {names}, {len(pairs)} crosswalk tables")
    return 0


if __name__ == "__main__":
    sys.exit(main())
