#!/usr/bin/env python3
"""Cost of a scoring model written in Python (docs/PYTHON.md, "Scoring models in Python")
against the same model built in: Lucene's BM25 in numpy float32 (examples/python/numpy_bm25.py,
equal bit for bit: python/tests/test_model.py) vs ranker="bm25". Not a test: run it by hand,
under the benchmark lock, with the module of a Release build on PYTHONPATH:

    flock /work/wt/.bench.lock env PYTHONPATH=build/ci/python /usr/bin/python3 \\
        bench/python_model_bench.py --index IDX --queries or.tsv [--operator and] [-k 10]

batch_search(threads=1) over the query log (bag of words), built-in and Python rounds
alternated; per query: wall time (median of the rounds) and the calling thread's CPU time
(threads=1 searches on the calling thread). Also: the one-off contract check of the model, and
that both runs are identical."""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples" / "python"))

import scour  # noqa: E402
from numpy_bm25 import Bm25  # noqa: E402  (the model python/tests/test_model.py checks)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--index", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--operator", default="or")
    p.add_argument("--rounds", type=int, default=3)
    a = p.parse_args()
    topics = scour.read_topics(a.queries)
    n = len(topics)
    s = scour.Searcher(a.index)
    model = Bm25()
    t0 = time.perf_counter()
    s.search("the", ranker=model)
    check = time.perf_counter() - t0
    runs = {}
    times = {"bm25": [], "python": []}
    cpu = {"bm25": [], "python": []}
    s.batch_search(topics, k=a.k, threads=1, operator=a.operator)  # warm the page cache
    for r in range(a.rounds):
        for name, ranker in (("bm25", "bm25"), ("python", model)):
            w, c = time.perf_counter(), time.thread_time()
            runs[name] = s.batch_search(topics, k=a.k, threads=1, ranker=ranker,
                                        operator=a.operator)
            c, w = time.thread_time() - c, time.perf_counter() - w
            times[name].append(w / n * 1e6)
            cpu[name].append(c / n * 1e6)
            print(f"round {r} {name}: {w / n * 1e6:.0f} us/query wall, {c / n * 1e6:.0f} cpu",
                  file=sys.stderr, flush=True)
    same = runs["bm25"].equals(runs["python"])
    wall = {k: statistics.median(v) for k, v in times.items()}
    cpus = {k: statistics.median(v) for k, v in cpu.items()}
    ratios = [p_ / b_ for p_, b_ in zip(cpu["python"], cpu["bm25"])]
    print(f"{n} queries, k={a.k}, operator={a.operator}, {a.rounds} rounds; runs identical: {same}")
    print(f"contract check (first use): {check:.2f} s")
    print(f"built-in bm25: {wall['bm25']:.0f} us/query wall, {cpus['bm25']:.0f} us cpu")
    print(f"python bm25:   {wall['python']:.0f} us/query wall, {cpus['python']:.0f} us cpu")
    print(f"python / built-in: wall {wall['python'] / wall['bm25']:.2f}x, "
          f"cpu {cpus['python'] / cpus['bm25']:.2f}x (per-round cpu ratios "
          f"{', '.join(f'{r:.2f}' for r in ratios)})")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
