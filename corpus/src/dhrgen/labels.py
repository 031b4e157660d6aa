"""Extra gold vocabularies kept apart from the case sources: label files merged into gold.json.

A label file is a TSV in corpus/src/ named *-labels.tsv, one row per gold recommendation:

    file <TAB> index <TAB> number <TAB> text <TAB> FACET[] <TAB> FACET ...

`file` and `index` (1-based position in that document's gold "recommendations") are the key;
`text` must equal the gold text (so a reordered or reworded case source is caught, not silently
mislabelled); every other column is a facet: a header ending in "[]" is multi (labels separated by
";", stored as a list), any other is single (stored as a string, "" as null). The labels go into
each gold recommendation as a generic map, "labels": {"ho_theme": [...], "ho_agency": "..."}, which
`dhr eval` scores for every facet the rules define.

build.py calls merge(); `python3 corpus/src/dhrgen/labels.py corpus/gold.json` patches an existing
gold.json in place with the same function (no LibreOffice needed).
"""
import csv
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # corpus/src


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    head, body = rows[0], rows[1:]
    if head[:4] != ["file", "index", "number", "text"]:
        raise SystemExit(f"{path}: header must start with file, index, number, text")
    facets = [(h[:-2], True) if h.endswith("[]") else (h, False) for h in head[4:]]
    out = {}
    for n, row in enumerate(body, 2):
        if len(row) != len(head):
            raise SystemExit(f"{path}:{n}: {len(row)} columns, expected {len(head)}")
        labels = {}
        for (name, multi), v in zip(facets, row[4:]):
            labels[name] = [x for x in v.split(";") if x] if multi else (v or None)
        out[(row[0], int(row[1]))] = (row[3], labels)
    return out


def merge(docs, src=HERE):
    """Add every label file's labels to the gold documents `docs` (in place)."""
    for path in sorted(glob.glob(os.path.join(src, "*-labels.tsv"))):
        table = read(path)
        seen = set()
        for d in docs:
            for i, r in enumerate(d["recommendations"], 1):
                key = (d["file"], i)
                if key not in table:
                    raise SystemExit(f"{path}: no row for {d['file']} recommendation {i}")
                text, labels = table[key]
                if text != r["text"]:
                    raise SystemExit(f"{path}: {d['file']} recommendation {i}: text differs from the gold text")
                r.setdefault("labels", {}).update(labels)
                seen.add(key)
        extra = set(table) - seen
        if extra:
            raise SystemExit(f"{path}: rows for recommendations not in the gold: {sorted(extra)[:3]}")


if __name__ == "__main__":
    gold_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(HERE), "gold.json")
    with open(gold_path, encoding="utf-8") as f:
        gold = json.load(f)
    merge(gold["documents"])
    with open(gold_path, "w", encoding="utf-8") as f:
        json.dump(gold, f, indent=1, ensure_ascii=False)
        f.write("\n")
