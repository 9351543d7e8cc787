#!/usr/bin/env python3
"""Benchmarks of the Python module (docs/PERFORMANCE.md, "Python module"). Not a test: run it
by hand, under the benchmark lock, with the module of a Release build on PYTHONPATH:

    PY="env PYTHONPATH=build/release/python /usr/bin/python3"
    flock /work/wt/.bench.lock $PY bench/python_bench.py threads  --index IDX --queries or.tsv \\
        --cli build/release/cli/scour
    flock /work/wt/.bench.lock $PY bench/python_bench.py overhead --index IDX --queries or.tsv \\
        --cli build/release/cli/scour
    flock /work/wt/.bench.lock $PY bench/python_bench.py memory --corpus real.jsonl \\
        --cli build/release/cli/scour
    head -200 or.tsv > or200.tsv   # valgrind is ~50x slower
    $PY bench/python_bench.py instructions --index IDX --queries or200.tsv \\
        --cli build/release/cli/scour

threads:  batch_search of the query log (bag of words, OR: what `scour bench --mode or` runs)
          with threads=1 and threads=2, rounds alternated; queries per second, the median of the
          per-round ratios, and the CPU seconds of the process. With --cli, each round also
          runs the CLI's own comparison on the same machine at the same time:
          `scour bench --threads 1` against `--threads 2`.
overhead: per-query time of batch_search(threads=1) against `scour bench --mode or
          --execute-only` (which times only the execution: no parsing, planning, ids or result
          columns), rounds
          alternated; wall time (medians of the rounds' means), and CPU time, which a busy
          machine disturbs less: for scour bench the CPU of a run with R timed passes minus a
          run with none (both start, open and plan alike), for Python the thread's CPU time.
instructions: the same comparison as `overhead`, in instructions and simulated cache misses
          (valgrind --tool=callgrind --cache-sim=yes), which a busy machine does not disturb:
          per query, the difference of a run with 2 passes (batches) and one with 1, divided by
          the queries; "cycles" is callgrind's estimate Ir + 10 (L1 misses) + 100 (LL misses).
memory:   peak RSS while a DataFrame of the corpus (id, title, text) is indexed (add_many, then
          commit), over the RSS just before (the DataFrame loaded), against the CLI's peak RSS
          indexing the same file with the same budget and threads. Each in a fresh process.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def load_topics(path):
    import scour

    return scour.read_topics(path)


def cli_qps(a, k, threads):
    """Queries per second of `scour bench --threads T` (its timed passes, after a warm-up)."""
    cmd = [a.cli, "bench", "--index", a.index, "--queries", a.queries, "--mode", "or", "-k",
           str(k), "--repeat", "2", "--warmup-secs", "0.5", "--threads", str(threads),
           "--json"]
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(p.stdout)["qps"]


def cmd_threads(a):
    import scour

    topics = load_topics(a.queries)
    n = len(topics)
    s = scour.Searcher(a.index)
    out = {"queries": n, "index": a.index, "rounds": a.rounds, "k": {}}
    for k in a.k:
        s.batch_search(topics, k=k, threads=2, syntax=False)  # warm: pages, id table
        qps = {1: [], 2: []}
        cpu = {1: [], 2: []}
        cli = {1: [], 2: []}
        for r in range(a.rounds):
            for threads in (1, 2) if r % 2 == 0 else (2, 1):
                c0, t0 = time.process_time(), time.perf_counter()
                s.batch_search(topics, k=k, threads=threads, syntax=False)
                t1, c1 = time.perf_counter(), time.process_time()
                qps[threads].append(n / (t1 - t0))
                cpu[threads].append(c1 - c0)
                if a.cli:
                    cli[threads].append(cli_qps(a, k, threads))
            log(f"k={k} round {r}: 1 thread {qps[1][-1]:.0f} qps, 2 threads {qps[2][-1]:.0f} "
                f"qps; cpu s {cpu[1][-1]:.2f} / {cpu[2][-1]:.2f}"
                + (f"; CLI 1 thread {cli[1][-1]:.0f} qps, 2 threads {cli[2][-1]:.0f} qps"
                   if a.cli else ""))
        ratios = [b / a_ for a_, b in zip(qps[1], qps[2])]
        out["k"][k] = {
            "qps_1": statistics.median(qps[1]), "qps_2": statistics.median(qps[2]),
            "ratio_median": statistics.median(ratios), "ratio_min": min(ratios),
            "ratio_max": max(ratios), "ratios": ratios,
            "cpu_s_1": statistics.median(cpu[1]), "cpu_s_2": statistics.median(cpu[2]),
        }
        if a.cli:
            cli_ratios = [b / a_ for a_, b in zip(cli[1], cli[2])]
            out["k"][k].update({
                "cli_qps_1": statistics.median(cli[1]), "cli_qps_2": statistics.median(cli[2]),
                "cli_ratio_median": statistics.median(cli_ratios), "cli_ratios": cli_ratios})
        try:
            out["loadavg"] = os.getloadavg()
        except OSError:
            pass
    print(json.dumps(out, indent=1))


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_bench(a, k, reps, warmup):
    c0 = child_cpu()
    p = subprocess.run([a.cli, "bench", "--index", a.index, "--queries", a.queries, "--mode",
                        "or", "-k", str(k), "--repeat", str(reps), "--warmup-secs", str(warmup),
                        "--threads", "1", "--execute-only", "--json"], capture_output=True,
                       text=True, check=True)
    return json.loads(p.stdout), child_cpu() - c0


def cmd_overhead(a):
    import scour

    topics = load_topics(a.queries)
    n = len(topics)
    s = scour.Searcher(a.index)
    out = {"queries": n, "index": a.index, "rounds": a.rounds, "passes": a.passes, "k": {}}
    for k in a.k:
        s.batch_search(topics, k=k, threads=1, syntax=False)  # warm
        wall_ratio, cpu_ratio, py_us, bench_us, py_cpu_us, bench_cpu_us = [], [], [], [], [], []
        for r in range(a.rounds):
            # scour bench: wall from its own report; CPU as the difference of two runs that
            # start, open and plan alike: R timed passes after >= 1 s of warm-up passes, and
            # one warm-up pass plus one timed pass. Every pass runs every query once.
            j, cpu_full = run_bench(a, k, a.passes, 1.0)
            _, cpu_small = run_bench(a, k, 1, 0.0)
            extra = a.passes + j["warmup_passes"] - 2
            b_cpu = (cpu_full - cpu_small) / (extra * j["queries"]) * 1e6
            walls, cpus = [], []
            for _ in range(a.passes):
                c0, t0 = time.thread_time(), time.perf_counter()
                s.batch_search(topics, k=k, threads=1, syntax=False)
                t1, c1 = time.perf_counter(), time.thread_time()
                walls.append((t1 - t0) / n * 1e6)
                cpus.append((c1 - c0) / n * 1e6)
            p_wall, p_cpu = statistics.mean(walls), statistics.mean(cpus)
            py_us.append(p_wall)
            bench_us.append(j["mean_us"])
            py_cpu_us.append(p_cpu)
            bench_cpu_us.append(b_cpu)
            wall_ratio.append(p_wall / j["mean_us"])
            cpu_ratio.append(p_cpu / b_cpu)
            log(f"k={k} round {r}: python {p_wall:.1f} us (cpu {p_cpu:.1f}), scour bench "
                f"{j['mean_us']:.1f} us (cpu {b_cpu:.1f}): wall x{wall_ratio[-1]:.3f}, "
                f"cpu x{cpu_ratio[-1]:.3f}")
        out["k"][k] = {
            "python_us": statistics.median(py_us), "bench_us": statistics.median(bench_us),
            "wall_ratio_median": statistics.median(wall_ratio), "wall_ratios": wall_ratio,
            "python_cpu_us": statistics.median(py_cpu_us),
            "bench_cpu_us": statistics.median(bench_cpu_us),
            "cpu_ratio_median": statistics.median(cpu_ratio), "cpu_ratios": cpu_ratio,
        }
    print(json.dumps(out, indent=1))


PY_BATCHES = r"""
import sys, scour
index, queries, k, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
topics = scour.read_topics(queries)
s = scour.Searcher(index)
for _ in range(n):
    s.batch_search(topics, k=k, threads=1, syntax=False)
"""


def callgrind(cmd, tmp):
    """{event: count} of one run of cmd under callgrind with the cache simulator."""
    out = os.path.join(tmp, "callgrind.out")
    subprocess.run(["valgrind", "--tool=callgrind", "--cache-sim=yes",
                    f"--callgrind-out-file={out}", *cmd], check=True, capture_output=True)
    events, totals = None, None
    with open(out) as f:
        for line in f:
            if line.startswith("events:"):
                events = line.split()[1:]
            elif line.startswith(("totals:", "summary:")):
                totals = [int(x) for x in line.split()[1:]]
    return dict(zip(events, totals))


def cmd_instructions(a):
    import scour

    n = len(scour.read_topics(a.queries))
    out = {"queries": n, "index": a.index, "k": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for k in a.k:
            per = {}
            for name, make in (
                ("bench", lambda r: [a.cli, "bench", "--index", a.index, "--queries", a.queries,
                                     "--mode", "or", "-k", str(k), "--repeat", str(r),
                                     "--warmup-secs", "0", "--threads", "1",
                                     "--execute-only"]),
                ("python", lambda r: [sys.executable, "-c", PY_BATCHES, a.index, a.queries,
                                      str(k), str(r)])):
                one, two = callgrind(make(1), tmp), callgrind(make(2), tmp)
                per[name] = {e: (two[e] - one[e]) / n for e in one}
                m = per[name]
                m["cycles"] = (m["Ir"] + 10 * (m["I1mr"] + m["D1mr"] + m["D1mw"])
                               + 100 * (m["ILmr"] + m["DLmr"] + m["DLmw"]))
            out["k"][k] = {"per_query": per,
                           "instructions_ratio": per["python"]["Ir"] / per["bench"]["Ir"],
                           "cycles_ratio": per["python"]["cycles"] / per["bench"]["cycles"]}
            log(f"k={k}: instructions x{out['k'][k]['instructions_ratio']:.3f}, "
                f"estimated cycles x{out['k'][k]['cycles_ratio']:.3f}")
    print(json.dumps(out, indent=1))


MEMORY_CHILD = r"""
import json, os, sys, threading, time
import pandas as pd
import scour
corpus, ram_mb, threads, index = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def rss_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
df = pd.read_json(corpus, lines=True, dtype=False)[["id", "title", "text"]]
import ctypes, gc
gc.collect()
ctypes.CDLL("libc.so.6").malloc_trim(0)  # give back what loading freed: measure the writer's own
before = rss_kb("VmRSS:")
with open("/proc/self/clear_refs", "w") as f:  # resets VmHWM to the current RSS
    f.write("5")
t0 = time.perf_counter()
with scour.IndexWriter(index, ram_mb=ram_mb, threads=threads, merge=False) as w:
    w.add_many(df)
secs = time.perf_counter() - t0
print(json.dumps({"rows": len(df), "rss_before_kb": before, "peak_kb": rss_kb("VmHWM:"),
                  "seconds": secs}))
"""


def cmd_memory(a):
    out = []
    for ram_mb in a.ram_mb:
        for threads in a.threads:
            with tempfile.TemporaryDirectory(dir=a.tmp) as d:
                p = subprocess.run([sys.executable, "-c", MEMORY_CHILD, a.corpus, str(ram_mb),
                                    str(threads), os.path.join(d, "py")],
                                   capture_output=True, text=True, check=True)
                py = json.loads(p.stdout)
                t0 = time.perf_counter()
                c = subprocess.run(["/usr/bin/time", "-f", "%M", a.cli, "index", "-q",
                                    "--no-merge", "--ram-mb", str(ram_mb), "--threads",
                                    str(threads), "--index", os.path.join(d, "cli"), a.corpus],
                                   capture_output=True, text=True, check=True)
                cli_secs = time.perf_counter() - t0
                cli_peak = int(c.stderr.strip().splitlines()[-1])
            growth = (py["peak_kb"] - py["rss_before_kb"]) / 1024
            row = {"ram_mb": ram_mb, "threads": threads,
                   "python_rss_before_mib": py["rss_before_kb"] / 1024,
                   "python_peak_mib": py["peak_kb"] / 1024,
                   "python_growth_mib": growth, "python_seconds": py["seconds"],
                   "growth_over_budget": growth / ram_mb,
                   "cli_peak_mib": cli_peak / 1024, "cli_seconds": cli_secs}
            log(json.dumps(row))
            out.append(row)
    print(json.dumps(out, indent=1))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    ints = lambda s: [int(x) for x in s.split(",")]  # noqa: E731
    t = sub.add_parser("threads")
    t.add_argument("--index", required=True)
    t.add_argument("--queries", required=True)
    t.add_argument("--k", type=ints, default=[10, 1000])
    t.add_argument("--rounds", type=int, default=6)
    t.add_argument("--cli", default=None, help="also time `scour bench --threads 1` vs 2")
    o = sub.add_parser("overhead")
    o.add_argument("--index", required=True)
    o.add_argument("--queries", required=True)
    o.add_argument("--cli", required=True)
    o.add_argument("--k", type=ints, default=[10, 1000])
    o.add_argument("--rounds", type=int, default=5)
    o.add_argument("--passes", type=int, default=3)  # timed passes per round (>= 2)
    i = sub.add_parser("instructions")
    i.add_argument("--index", required=True)
    i.add_argument("--queries", required=True)
    i.add_argument("--cli", required=True)
    i.add_argument("--k", type=ints, default=[10, 1000])
    m = sub.add_parser("memory")
    m.add_argument("--corpus", required=True)
    m.add_argument("--cli", required=True)
    m.add_argument("--ram-mb", type=ints, default=[64, 256])
    m.add_argument("--threads", type=ints, default=[1, 2])
    m.add_argument("--tmp", default=None)
    a = ap.parse_args()
    {"threads": cmd_threads, "overhead": cmd_overhead, "instructions": cmd_instructions,
     "memory": cmd_memory}[a.cmd](a)


if __name__ == "__main__":
    main()
