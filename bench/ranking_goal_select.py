#!/usr/bin/python3
# Usage: bench/ranking_goal_select.py OUTDIR/results.tsv (written by bench/ranking_goal.sh)
# Leave-one-collection-out: for each held-back collection, the configuration with the best mean
# nDCG@10 over the other two (dev) collections, then its value on the held-back one; against
# Lucene 8.8.1's best built-in similarity there (defaults, measured by the Lucene harness,
# docs/COLLECTIONS.md), and the oracle (best in hindsight) of the Lucene-expressible grid.
import collections, sys
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1])]
res = collections.defaultdict(dict)
for c, name, m, nd, *_ in rows:
    res[name][c] = (float(m), float(nd))
colls = ['cranfield', 'cisi', 'scifact']
names = [n for n in res if all(c in res[n] for c in colls)]
lucene = {'cranfield': ('dfr-inb2', 0.3282, 0.3879), 'cisi': ('dfr-inb2', 0.1898, 0.3300),
          'scifact': ('dfr-inexpb2', 0.6751, 0.7110)}
lucene_like = [n for n in names if n.endswith('+none') and not n.startswith(('bm25f', 'bm25-2f'))]
for metric, k in (('nDCG@10', 1), ('MAP', 0)):
    print(f'== selected by mean {metric} on the dev pair')
    for held in colls:
        dev = [c for c in colls if c != held]
        best = max(names, key=lambda n: sum(res[n][c][k] for c in dev))
        oracle = max(names, key=lambda n: res[n][held][k])
        lo = max(lucene_like, key=lambda n: res[n][held][k])
        lu = lucene[held]
        print(f'{held}: chosen {best} (dev mean {sum(res[best][c][k] for c in dev)/2:.4f}) -> '
              f'MAP {res[best][held][0]:.4f} nDCG@10 {res[best][held][1]:.4f} | Lucene best default '
              f'{lu[0]} MAP {lu[1]:.4f} nDCG@10 {lu[2]:.4f} | Lucene-grid oracle {lo} '
              f'{res[lo][held][0]:.4f}/{res[lo][held][1]:.4f} | scour oracle {oracle} '
              f'{res[oracle][held][0]:.4f}/{res[oracle][held][1]:.4f}')
