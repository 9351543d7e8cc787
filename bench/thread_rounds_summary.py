#!/usr/bin/env python3
"""thread_rounds_summary.py LOG [max_foreign]: the rounds of bench/thread_rounds.py whose runs all
saw less than max_foreign (default 0.3) s of other processes' CPU, as a table; medians of the
per-round ratios and the ratio of the minima."""
import collections, statistics, sys

rows = [l.split("\t") for l in open(sys.argv[1]) if l.strip()]
limit = float(sys.argv[2]) if len(sys.argv) > 2 else 0.3
rounds = collections.OrderedDict()
for r, ts, name, t, wall, own, rss, foreign, steal, quiet in rows:
    rounds.setdefault(r, {})[(name, int(t))] = (float(wall), float(own), int(rss), float(foreign), ts)
names = []
for r in rounds.values():
    for n, _ in r:
        if n not in names:
            names.append(n)
kept = {r: v for r, v in rounds.items()
        if len(v) == 2 * len(names) and max(x[3] for x in v.values()) < limit}
print(f"{len(kept)} of {len(rounds)} rounds kept (foreign CPU < {limit} s in every run)")
hdr = ["round", "time"]
for n in names:
    hdr += [f"{n} 1 thr", f"{n} 2 thr", f"{n} ratio"]
if len(names) > 1:
    hdr += [f"1 thr speed-up {names[0]}/{names[-1]} time"]
print("| " + " | ".join(hdr) + " |")
print("|" + "---|" * len(hdr))
ratios = collections.defaultdict(list)
single = []
for r, v in kept.items():
    cells = [r, v[(names[0], 1)][4]]
    for n in names:
        a, b = v[(n, 1)][0], v[(n, 2)][0]
        ratios[n].append(a / b)
        cells += [f"{a:.2f} s", f"{b:.2f} s", f"{a / b:.2f}x"]
    if len(names) > 1:
        s = v[(names[0], 1)][0] / v[(names[-1], 1)][0]
        single.append(s)
        cells.append(f"{s:.3f}")
    print("| " + " | ".join(str(c) for c in cells) + " |")
for n in names:
    w1 = [v[(n, 1)][0] for v in kept.values()]
    w2 = [v[(n, 2)][0] for v in kept.values()]
    rr = ratios[n]
    print(f"{n}: median 1 thr {statistics.median(w1):.2f} s, 2 thr {statistics.median(w2):.2f} s, "
          f"median ratio {statistics.median(rr):.3f}x, ratio of minima {min(w1) / min(w2):.3f}x, "
          f"rounds >= 1.8x: {sum(x >= 1.8 for x in rr)}/{len(rr)}, "
          f"rss 1 thr {max(v[(n, 1)][2] for v in kept.values()) // 1024} MB, "
          f"2 thr {max(v[(n, 2)][2] for v in kept.values()) // 1024} MB (max)")
if single:
    print(f"1 thr old/new speed ({names[0]} time / {names[-1]} time): median {statistics.median(single):.3f}"
          f" (range {min(single):.3f}-{max(single):.3f})")
# Why the ratio is what it is: wall(1) / wall(2) = (u2 / u1) * (cpu1 / cpu2), with u = CPU / wall
# (at one thread the reading thread runs beside the inverting one, so u1 > 1).
for n in names:
    u1 = statistics.median(v[(n, 1)][1] / v[(n, 1)][0] for v in kept.values())
    u2 = statistics.median(v[(n, 2)][1] / v[(n, 2)][0] for v in kept.values())
    c = statistics.median(v[(n, 2)][1] / v[(n, 1)][1] for v in kept.values())
    print(f"{n}: CPU/wall u1 {u1:.3f}, u2 {u2:.3f} (u2/u1 {u2 / u1:.3f}); CPU 2 thr / 1 thr {c:.3f}")
