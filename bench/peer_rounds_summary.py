#!/usr/bin/python3
# peer_rounds_summary.py STATS: per mode and engine (lines `round=R mode=M engine=E <STATS or
# JSON>`, as bench/count_rounds.sh writes), the median over rounds of p50/p99 (us), and each
# scour binary's ratio to Lucene's in the same round (median of the per-round ratios, their
# range in brackets).
import json, re, sys, statistics, collections
rows = collections.defaultdict(dict)  # (round, mode) -> engine -> (p50, p99)
for line in open(sys.argv[1]):
    m = re.match(r"round=(\d+) mode=(\w+) engine=(\S+) (.*)", line.strip())
    if not m: continue
    r, mode, eng, rest = m.groups()
    if rest.startswith("{"):
        j = json.loads(rest); p50, p99 = j["p50_us"], j["p99_us"]
    else:
        kv = dict(x.split("=", 1) for x in rest.split() if "=" in x)
        p50, p99 = float(kv["p50_us"]), float(kv["p99_us"])
    rows[(r, mode)][eng] = (p50, p99)
engines = sorted({e for v in rows.values() for e in v if e != "lucene"})
modes = list(dict.fromkeys(k[1] for k in rows))  # in the order the rounds ran them
for mode in modes:
    keys = [k for k in rows if k[1] == mode]
    if not keys: continue
    out = [mode]
    luc = [rows[k]["lucene"] for k in keys if "lucene" in rows[k]]
    out.append("lucene p50 %.1f p99 %.0f" % (statistics.median(x[0] for x in luc), statistics.median(x[1] for x in luc)))
    for e in engines:
        v = [rows[k][e] for k in keys if e in rows[k]]
        r50 = [rows[k][e][0] / rows[k]["lucene"][0] for k in keys if e in rows[k] and "lucene" in rows[k]]
        r99 = [rows[k][e][1] / rows[k]["lucene"][1] for k in keys if e in rows[k] and "lucene" in rows[k]]
        out.append("%s p50 %.1f p99 %.0f (x%.3f [%.2f-%.2f] / x%.3f [%.2f-%.2f])" % (
            e, statistics.median(x[0] for x in v), statistics.median(x[1] for x in v),
            statistics.median(r50), min(r50), max(r50), statistics.median(r99), min(r99), max(r99)))
    print(" | ".join(out))
