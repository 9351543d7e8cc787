#!/usr/bin/python3
"""Medians over the rounds of bench/tvec_rounds.sh's build.tsv and query.tsv, with per-round ratios."""
import statistics as st, sys
from collections import defaultdict
out = sys.argv[1]
b = defaultdict(list)
for line in open(f"{out}/build.tsv"):
    r, tv, u, s, e, m, size, tsize, segs = line.split("\t")
    b[tv].append(dict(cpu_s=float(u) + float(s), wall_s=float(e), rss_mb=int(m) / 1024,
                      size_mb=int(size) / 1e6, tvec_mb=int(tsize) / 1e6, segs=int(segs)))
for tv, rows in b.items():
    print("build", tv, {k: round(st.median(x[k] for x in rows), 2) for k in rows[0]}, len(rows), "rounds")
q = defaultdict(lambda: defaultdict(dict))
for line in open(f"{out}/query.tsv"):
    r, tv, k, ex, u, s, e = line.split("\t")
    q[(int(k), ex)][r][tv] = (float(u) + float(s), float(e))
nq = 1000
for k in (10, 1000):
    none = q[(k, "none")]
    for ex in ("none", "rm3", "bo1"):
        rounds = q[(k, ex)]
        for i, what in ((0, "cpu"), (1, "wall")):
            p = [rr["plain"][i] * 1e3 / nq for rr in rounds.values()]
            t = [rr["tvec"][i] * 1e3 / nq for rr in rounds.values()]
            ratio = [rr["tvec"][i] / rr["plain"][i] for rr in rounds.values()]
            line = (f"k={k} {ex} {what} ms/query: reanalysis {st.median(p):.3f} vectors "
                    f"{st.median(t):.3f} ratio {st.median(ratio):.3f} {[round(x, 3) for x in ratio]}")
            if ex != "none":  # the expansion's own cost: minus the same run without --expand
                pe = [(rr["plain"][i] - none[r]["plain"][i]) * 1e3 / nq for r, rr in rounds.items()]
                te = [(rr["tvec"][i] - none[r]["tvec"][i]) * 1e3 / nq for r, rr in rounds.items()]
                line += f" | over none: reanalysis {st.median(pe):.3f} vectors {st.median(te):.3f}"
            print(line)
