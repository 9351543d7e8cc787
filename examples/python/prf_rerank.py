#!/usr/bin/env python3
"""A ranking change written in Python: pseudo-relevance feedback (RM3-style query expansion),
evaluated against plain BM25 on the dev topics.

    python3 examples/python/prf_rerank.py [INDEX_DIR]

For each topic: take BM25's top documents, weigh their terms by frequency times the document's
normalised score, add the best terms to the query with boosts, and search again. The expansion
terms are written as the words they came from (the analyser's character offsets give them), so
the query parser analyses them back to the same terms."""

import math
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import scour

ROOT = Path(__file__).resolve().parents[2]
TOPICS = ROOT / "corpus" / "dev" / "topics.tsv"
QRELS = ROOT / "corpus" / "dev" / "qrels.txt"
index = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "home"


def expand(searcher, query, fb_docs=5, fb_terms=8, original_weight=0.6):
    hits = searcher.search(query, k=fb_docs, syntax=False)
    if not hits:
        return None
    top = max(h.score for h in hits)
    weights, surface = Counter(), defaultdict(Counter)
    for h in hits:
        text = " ".join(h.fields.values())
        tokens = searcher.analyze(text)
        tf = Counter(t.term for t in tokens)
        doc_weight = math.exp(h.score - top)  # P(d|q), up to a constant
        for t in tokens:
            surface[t.term][text[t.start:t.end].lower()] += 1
        for term, count in tf.items():
            weights[term] += doc_weight * count / len(tokens)
    query_terms = {t.term for t in searcher.analyze(query)}
    total = sum(weights.values())
    parts = []
    for word in query.split():
        word = word.replace('"', "").replace("\\", "")
        if word:
            parts.append(f'"{word}"^{original_weight:.3f}')
    for term, w in weights.most_common(fb_terms + len(query_terms)):
        if term in query_terms or len(parts) >= fb_terms + len(query.split()):
            continue
        word = surface[term].most_common(1)[0][0].replace('"', "").replace("\\", "")
        parts.append(f'"{word}"^{(1 - original_weight) * w / total:.4f}')
    return " ".join(parts)


if not (index / "MANIFEST").exists():
    import json

    with scour.IndexWriter(index) as w, open(ROOT / "corpus" / "party_state.jsonl") as f:
        w.add_many(json.loads(line) for line in f)

topics = scour.read_topics(TOPICS)
with scour.Searcher(index) as searcher:
    baseline = searcher.batch_search(topics, k=1000, syntax=False)
    expanded = {}
    for qid, query in zip(topics.qid, topics["query"]):
        expanded[qid] = expand(searcher, query) or query
    print("D1 expanded:", expanded[topics.qid.iloc[0]])
    prf = searcher.batch_search(expanded, k=1000)  # the expanded queries use the syntax

comparison = scour.compare({"bm25": baseline, "bm25+prf": prf}, QRELS, "map,ndcg_cut.10,P.10")
print(comparison)
