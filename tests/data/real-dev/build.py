#!/usr/bin/env python3
"""Rebuild ../real-dev.tsv from the texts and the two blind labelling passes of this folder.

texts.tsv        every text, verbatim, with its report, split and source address
labels-L1.tsv    first labeller (themes, agency) from the text and rules/CODEBOOK.md alone
labels-L2.tsv    second labeller, blind to the first
adjudication.tsv the decision, and why, for every text where the two passes differ

A text takes the passes' labels where they agree and the adjudicated ones where they do not;
a disagreement left undecided is an error.  Usage: python3 build.py  (writes ../real-dev.tsv)
"""
import csv, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    with open(os.path.join(HERE, name), newline='') as f:
        return {r['id']: r for r in csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE)}


def themes(r):
    return set(t for t in r['themes'].split(',') if t)


texts, a, b, adj = load('texts.tsv'), load('labels-L1.tsv'), load('labels-L2.tsv'), load('adjudication.tsv')
out_path = os.path.join(HERE, '..', 'real-dev.tsv')
with open(out_path, 'w') as out:
    out.write('text\tthemes\tagency\tagency_text\treport\tsplit\tsource\n')
    for i, t in texts.items():
        if i in adj:
            th, ag = themes(adj[i]), adj[i]['agency']
        elif themes(a[i]) == themes(b[i]) and a[i]['agency'] == b[i]['agency']:
            th, ag = themes(a[i]), a[i]['agency']
        else:
            sys.exit(f'{i}: the two passes differ and adjudication.tsv does not decide it')
        out.write('\t'.join([t['text'], ','.join(sorted(th)), ag, t['agency_text'], t['report'], t['split'],
                             t['source']]) + '\n')
print(f'{out_path}: {len(texts)} rows', file=sys.stderr)
