"""Lucene 8's BM25 written in Python as a scour scoring model (docs/PYTHON.md, "Scoring models
in Python"): numpy float32, operation by operation as the built-in `bm25` (engine/ranker.cc:
idf in double, then float; a phrase's idf the float sum of its words'), so it gives the
built-in's hits and scores bit for bit.

    import sys; sys.path.insert(0, "examples/python")
    from numpy_bm25 import Bm25
    searcher.search("party committee", ranker=Bm25(k1=1.2, b=0.75))

A module to import (python/tests/test_model.py checks it against the built-in;
bench/python_model_bench.py measures what it costs), and a template for a model of your own."""

import numpy as np

F32 = np.float32


class Bm25:
    name = "py-bm25"

    def __init__(self, k1=0.9, b=0.4):
        self.k1, self.b = F32(k1), F32(b)

    def prepare(self, field, terms, boost):
        """Called once per query term (or phrase) and field; returns its score function."""
        n = field.docs_with_field
        idf = F32(0)
        for t in terms:
            idf = F32(idf + F32(np.log(1.0 + (n - t.doc_freq + 0.5) / (t.doc_freq + 0.5))))
        avgdl = F32(field.average_length) if n > 0 and field.sum_total_term_freq > 0 else F32(1)
        weight = F32(F32(boost) * idf)
        k1, b = self.k1, self.b

        def score(freq, length):  # float32 arrays of one shape (the grid) -> scores
            inv = F32(1) / (k1 * ((F32(1) - b) + b * length / avgdl))
            with np.errstate(over="ignore"):  # freq = FLT_MAX: as C++, inf, then weight
                return weight - weight / (F32(1) + freq * inv)

        return score
