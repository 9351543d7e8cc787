#!/usr/bin/env python3
"""Pseudo-relevance feedback from Python: RM3 and Bo1 query expansion (expand=), compared with
plain BM25 on the dev topics.

    python3 examples/python/feedback.py [INDEX_DIR]

expand="rm3" (Anserini's RM3) or "bo1" (Terrier's Bo1) re-writes each query from the top
documents of a first retrieval and searches the re-written query: in C++, without the GIL, on
every core in batch_search (docs/FEEDBACK.md). fb_docs, fb_terms and fb_weight are the CLI's
--fb-docs, --fb-terms and --fb-weight. search() returns the re-written query as parsed_query,
as `scour search --expand rm3 --explain` prints it. Builds the home-corpus index first if
INDEX_DIR does not hold one."""

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
    qid, query = topics.qid.iloc[0], topics["query"].iloc[0]
    r = searcher.search(query, k=3, syntax=False, expand="rm3")
    print(f"{qid} {query!r}, as rm3 re-wrote it:\n  {r.parsed_query}")
    for hit in r:
        print(f"  {hit.id} {hit.score:.4f}")

    # syntax=False (batch_search's default): each topic is a bag of words.
    runs = {
        "bm25": searcher.batch_search(topics, k=1000),
        "bm25+rm3": searcher.batch_search(topics, k=1000, expand="rm3"),
        "bm25+rm3-5x20": searcher.batch_search(topics, k=1000, expand="rm3", fb_docs=5,
                                               fb_terms=20, fb_weight=0.7),
        "bm25+bo1": searcher.batch_search(topics, k=1000, expand="bo1"),
    }

comparison = scour.compare(runs, QRELS, "map,ndcg_cut.10,P.10,recall.1000")
print(comparison)  # the `scour compare` report: deltas, intervals, paired tests
