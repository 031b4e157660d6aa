#!/usr/bin/env python3
"""Inter-labeller agreement of the two blind Home Office labelling passes (pass-A.tsv, pass-B.tsv):
per ho_theme label percent agreement and Cohen's kappa (label given or not), ho_agency percent
agreement and kappa, and every recommendation on which the passes differ.  Stdlib only.

    python3 corpus/src/homeoffice/agreement.py
"""
import collections
import os

HERE = os.path.dirname(os.path.abspath(__file__))
THEMES = ["technology_systems", "identification_of_risk", "training", "policy", "multi_agency_working",
          "record_keeping", "awareness_raising", "other"]


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    head, out = rows[0], {}
    for r in rows[1:]:
        d = dict(zip(head, r))
        themes = {x.strip() for x in d["ho_theme"].replace(";", ",").split(",") if x.strip()}
        out[(d["file"], int(d["index"]))] = (themes, d["ho_agency"].strip(), d["text"])
    return out


def kappa(pairs):
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    ca = collections.Counter(a for a, _ in pairs)
    cb = collections.Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / n / n
    return po, (po - pe) / (1 - pe) if pe < 1 else 1.0


def main():
    a, b = load("pass-A.tsv"), load("pass-B.tsv")
    assert set(a) == set(b)
    keys = sorted(a)
    print(f"{'label':26} {'agree':>6} {'kappa':>6} {'A':>4} {'B':>4}")
    for t in THEMES:
        pairs = [(t in a[k][0], t in b[k][0]) for k in keys]
        po, k = kappa(pairs)
        print(f"{t:26} {po:6.3f} {k:6.3f} {sum(x for x, _ in pairs):4} {sum(y for _, y in pairs):4}")
    po, k = kappa([(a[k][1], b[k][1]) for k in keys])
    print(f"{'ho_agency':26} {po:6.3f} {k:6.3f}")
    same = sum(a[k][0] == b[k][0] for k in keys)
    print(f"identical theme sets: {same} of {len(keys)}")
    for i, k in enumerate(keys, 1):
        if a[k][:2] != b[k][:2]:
            print(f"{k[0]} #{k[1]}: A {sorted(a[k][0])} {a[k][1]} | B {sorted(b[k][0])} {b[k][1]}")


if __name__ == "__main__":
    main()
