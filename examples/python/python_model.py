#!/usr/bin/env python3
"""A ranking change written in Python: pivoted length normalisation (Singhal, Buckley & Mitra,
SIGIR 1996, in the log-tf form of Singhal's "Modern information retrieval: a brief overview",
2001) as a scour scoring model, compared with BM25 on the dev topics.

    python3 examples/python/python_model.py [INDEX_DIR]

The model is numpy code evaluated once per query term over the (frequency, length) grid the
engine tabulates (docs/PYTHON.md, "Scoring models in Python"); the search itself runs in C++,
pruned exactly as for the built-in models. Builds the home-corpus index first if INDEX_DIR does
not hold one."""

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import scour

ROOT = Path(__file__).resolve().parents[2]
TOPICS = ROOT / "corpus" / "dev" / "topics.tsv"
QRELS = ROOT / "corpus" / "dev" / "qrels.txt"
index = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "home"


class PivotedNormalisation:
    """score = (1 + ln(1 + ln tf)) / ((1 - s) + s dl / avdl) x ln((N + 1) / df), x the boost.
    Non-decreasing in tf and non-increasing in dl, as the scoring API requires."""

    name = "pivoted"

    def __init__(self, s=0.2):
        self.s = s

    def prepare(self, field, terms, boost):
        n = field.docs_with_field
        idf = sum(np.log((n + 1) / max(t.doc_freq, 1)) for t in terms)  # a phrase: its words'
        avdl = field.average_length or 1.0
        s = self.s

        def score(tf, dl):  # float32 arrays of one shape: the grid
            # float64 inside: ln(ln(FLT_MAX)) is fine, and the engine keeps float32.
            # A sloppy phrase's frequency may be below 1: linear there, continuous at 1.
            tf, dl = tf.astype(np.float64), dl.astype(np.float64)
            w = np.where(tf >= 1, 1 + np.log1p(np.log(np.maximum(tf, 1))), tf)
            return boost * idf * w / ((1 - s) + s * dl / avdl)

        return score


if not (index / "MANIFEST").exists():
    import json

    with scour.IndexWriter(index) as w, open(ROOT / "corpus" / "party_state.jsonl") as f:
        w.add_many(json.loads(line) for line in f)

topics = scour.read_topics(TOPICS)
model = PivotedNormalisation()
with scour.Searcher(index) as searcher:
    start = time.perf_counter()
    searcher.search("party", ranker=model)  # the first use checks the model's contract
    print(f"contract check: {time.perf_counter() - start:.2f} s")
    runs = {"bm25": searcher.batch_search(topics, k=1000),
            "pivoted": searcher.batch_search(topics, k=1000, ranker=model)}
    for h in searcher.search("state subsidies semiconductor", k=3, ranker=model):
        print(f"{h.score:8.4f}  {h.id}")

comparison = scour.compare(runs, QRELS, "map,ndcg_cut.10,P.10")
print(comparison.means)
print(comparison.tests[["system", "measure", "delta", "p_randomization"]])
