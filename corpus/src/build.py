#!/usr/bin/env python3
"""Rebuild every corpus PDF and corpus/gold.json from corpus/src/cases/*.json.

Usage: python3 corpus/src/build.py [--only 01,02] [--keep DIR]
Needs LibreOffice (soffice) and groff; stdlib only otherwise.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from dhrgen import fodt, groff, labels, report  # noqa: E402
from dhrgen import profile as case_profile  # noqa: E402

LO_FILTER = ('pdf:writer_pdf_Export:{"ExportBookmarks":{"type":"boolean","value":"true"},'
             '"UseTaggedPDF":{"type":"boolean","value":"true"}}')


def pdf_pages(path):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return pages


def find_pages(pdf, entries):
    """Physical page number of each contents entry (searched after the contents page)."""
    pages = pdf_pages(pdf)
    norm = lambda s: re.sub(r"\s+", " ", s).strip()
    start = 0
    for i, pg in enumerate(pages):
        if any(norm(l) == "Contents" for l in pg.splitlines()):
            start = i + 1
            break
    res = []
    cur = start
    for lvl, text in entries:
        t = norm(text)
        found = None
        for i in range(cur, len(pages)):
            lines = [norm(l) for l in pages[i].splitlines()]
            if t in lines or any(l.startswith(t) for l in lines if len(t) > 12):
                found = i
                break
        if found is None:
            for i in range(cur, len(pages)):
                if t in norm(pages[i]):
                    found = i
                    break
        if found is None:
            print(f"  warning: contents entry not found: {text!r}", file=sys.stderr)
            found = cur
        res.append(found + 1)
        cur = found
    return res, len(pages)


def lo_convert(fodts, outdir, profile):
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", LO_FILTER, "--outdir", outdir] + fodts
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def groff_convert(ms, pdf):
    with open(pdf, "wb") as f:
        subprocess.run(["groff", "-k", "-ms", "-t", "-Tpdf", "-dpaper=a4", "-P-pa4", ms], stdout=f, check=True,
                       stderr=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--keep", default="")
    a = ap.parse_args()
    only = set(x for x in a.only.split(",") if x)
    cases = []
    for path in sorted(glob.glob(os.path.join(HERE, "cases", "*.json"))):
        with open(path, encoding="utf-8") as f:
            c = json.load(f)
        cases.append(c)
    work = a.keep or tempfile.mkdtemp(prefix="dhr-corpus-")
    os.makedirs(work, exist_ok=True)
    profile = os.path.join(work, "lo-profile")
    built = {}
    for c in cases:
        if only and c["id"] not in only:
            continue
        b = report.Builder(c)
        doc = b.build()
        name = f"dhr-{c['id']}-{c['district']}-{c['year']}"
        built[c["id"]] = (c, b, doc, name)
    # pass 1 and pass 2
    for pass_no in (1, 2):
        lo = []
        for cid, (c, b, doc, name) in built.items():
            toc_entries = next(x for x in doc["blocks"] if x["kind"] == "toc")["entries"]
            pages = c.get("_toc_pages")
            if c["producer"] == "lo":
                src = os.path.join(work, name + ".fodt")
                with open(src, "w", encoding="utf-8") as f:
                    f.write(fodt.finish(fodt.render(doc, pages)))
                lo.append(src)
            else:
                src = os.path.join(work, name + ".ms")
                with open(src, "w", encoding="utf-8") as f:
                    f.write(groff.render(doc, pages, c.get("_total")))
                groff_convert(src, os.path.join(work, name + ".pdf"))
        if lo:
            lo_convert(lo, work, profile)
        for cid, (c, b, doc, name) in built.items():
            toc_entries = next(x for x in doc["blocks"] if x["kind"] == "toc")["entries"]
            pg, total = find_pages(os.path.join(work, name + ".pdf"), toc_entries)
            c["_toc_pages"] = pg
            c["_total"] = total
    os.makedirs(os.path.join(CORPUS, "reports"), exist_ok=True)
    for cid, (c, b, doc, name) in built.items():
        shutil.copyfile(os.path.join(work, name + ".pdf"), os.path.join(CORPUS, "reports", name + ".pdf"))
        print(f"{name}.pdf: {c['_total']} pages, {len(b.recs)} recommendations ({c['producer']})")
    # gold.json (always for all cases, from the sources)
    docs = []
    for c in cases:
        b = report.Builder(c)
        b.build()
        name = f"dhr-{c['id']}-{c['district']}-{c['year']}"
        docs.append({"file": f"reports/{name}.pdf", "title": b.title, "case_type": c["case_type"],
                     "producer": "LibreOffice" if c["producer"] == "lo" else "groff",
                     "recommendations": b.gold(), "profile": case_profile.gold(c)})
    labels.merge(docs)   # the other vocabularies' labels: corpus/src/*-labels.tsv
    with open(os.path.join(CORPUS, "gold.json"), "w", encoding="utf-8") as f:
        json.dump({"documents": docs}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
