#!/usr/bin/env python3
"""Agreement between the two blind labelling passes: per theme, Cohen's kappa; exact theme sets; agency."""
import csv, os

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    with open(os.path.join(HERE, name), newline='') as f:
        return {r['id']: r for r in csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE)}


def themes(r):
    return set(t for t in r['themes'].split(',') if t)


a, b = load('labels-L1.tsv'), load('labels-L2.tsv')
ids = sorted(set(a) & set(b))
n = len(ids)
kappas = []
for t in sorted({t for d in (a, b) for r in d.values() for t in themes(r)}):
    pa = sum(t in themes(a[i]) for i in ids) / n
    pb = sum(t in themes(b[i]) for i in ids) / n
    po = sum((t in themes(a[i])) == (t in themes(b[i])) for i in ids) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    k = (po - pe) / (1 - pe) if pe < 1 else 1.0
    kappas.append(k)
    print(f'{t:24s} L1 {round(pa * n):3d}  L2 {round(pb * n):3d}  agreement {po:.3f}  kappa {k:.3f}')
print(f'mean kappa over themes   {sum(kappas) / len(kappas):.3f}')
print(f'identical theme sets     {sum(themes(a[i]) == themes(b[i]) for i in ids)} of {n}')
print(f'same agency              {sum(a[i]["agency"] == b[i]["agency"] for i in ids)} of {n}')
