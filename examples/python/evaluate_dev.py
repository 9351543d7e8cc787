#!/usr/bin/env python3
"""Search the dev topics on every core, evaluate the run, compare two rankers.

    python3 examples/python/evaluate_dev.py [INDEX_DIR]

Builds the home-corpus index first if INDEX_DIR does not hold one."""

import sys
import tempfile
from pathlib import Path

import scour

ROOT = Path(__file__).resolve().parents[2]
TOPICS = ROOT / "corpus" / "dev" / "topics.tsv"
QRELS = ROOT / "corpus" / "dev" / "qrels.txt"
index = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "home"

if not (index / "MANIFEST").exists():
    import json

    with scour.IndexWriter(index) as w, open(ROOT / "corpus" / "party_state.jsonl") as f:
        w.add_many(json.loads(line) for line in f)

topics = scour.read_topics(TOPICS)  # DataFrame: qid, query
with scour.Searcher(index) as searcher:
    # syntax=False: each topic is a bag of words (as `scour eval --index`), so "?" or "-" in a
    # topic mean nothing. threads=0: one per core, the GIL released.
    runs = {ranker: searcher.batch_search(topics, k=1000, ranker=ranker, syntax=False)
            for ranker in ("bm25", "bm25tp")}
print(runs["bm25"].head())  # qid, docno, score, rank: PyTerrier's shape

print(scour.evaluate(runs["bm25"], QRELS, "map,ndcg_cut.10,P.10,recall.100"))
per_query = scour.evaluate(runs["bm25"], QRELS, "map", per_query=True)
print("hardest topics:\n", per_query.drop(index="all").nsmallest(3, "map"))

comparison = scour.compare(runs, QRELS, "map,ndcg_cut.10")
print(comparison.means)
print(comparison.tests[["system", "measure", "delta", "ci_low", "ci_high", "p_randomization",
                        "p_adjusted_randomization"]])
scour.write_run(runs["bm25tp"], Path(tempfile.mkdtemp()) / "bm25tp.run", tag="bm25tp")
