#!/usr/bin/python3
# bench/latency_growth.py SMALL/stats.txt LARGE/stats.txt (two runs of bench/latency_rounds.sh,
# e.g. the 285k and the 1M corpus; docs/PERFORMANCE.md, "A million documents"): per row, the
# ratio scour / Lucene of p50 and p99 at each size (median of the per-round ratios, range in
# brackets), scour's CPU per query (median over rounds of `bench`'s cpu_s / (reps * queries))
# at each size and its growth, and both engines' p50 growth (medians over rounds).
import json, re, sys, statistics as st, collections


def load(path):
    rows = collections.defaultdict(dict)  # mode -> (round, engine) -> (p50, p99, cpu_us or None)
    for line in open(path):
        m = re.match(r"round=(\d+) mode=(\w+) engine=(\S+) (.*)", line.strip())
        if not m: continue
        r, mode, eng, rest = m.groups()
        if rest.startswith("{"):
            j = json.loads(rest)
            v = (j["p50_us"], j["p99_us"], j["cpu_s"] / (j["reps"] * j["queries"]) * 1e6)
        else:
            kv = dict(x.split("=", 1) for x in rest.split() if "=" in x)
            v = (float(kv["p50_us"]), float(kv["p99_us"]), None)
        rows[mode][(r, eng)] = v
    return rows


def ratio(rows, i):
    rs = sorted({r for r, e in rows if (r, "scour") in rows and (r, "lucene") in rows})
    x = [rows[(r, "scour")][i] / rows[(r, "lucene")][i] for r in rs]
    return "%.2f (%.2f-%.2f)" % (st.median(x), min(x), max(x))


def med(rows, eng, i):
    return st.median(v[i] for (r, e), v in rows.items() if e == eng)


a, b = load(sys.argv[1]), load(sys.argv[2])
print("| row | small: ratio p50 / p99 | large: ratio p50 / p99 | scour CPU per query small -> "
      "large (us) | growth | p50 growth scour / Lucene |")
print("|---|---|---|---|---|---|")
for mode in a:
    if mode not in b: continue
    ca, cb = med(a[mode], "scour", 2), med(b[mode], "scour", 2)
    g = [med(b[mode], e, 0) / med(a[mode], e, 0) for e in ("scour", "lucene")]
    print("| %s | %s / %s | %s / %s | %.1f -> %.1f | %.2fx | %.2fx / %.2fx |" % (
        mode, ratio(a[mode], 0), ratio(a[mode], 1), ratio(b[mode], 0), ratio(b[mode], 1),
        ca, cb, cb / ca, g[0], g[1]))
