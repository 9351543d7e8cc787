"""scour: a full-text search engine (C++), from Python.

    import scour
    with scour.IndexWriter("/tmp/idx") as w:        # commits on leaving the block
        w.add_many(df)                              # a DataFrame (or dicts): id + text columns
    s = scour.Searcher("/tmp/idx")
    s.search('"united front" party', k=5)           # query language: docs/QUERY.md
    run = s.batch_search(topics, k=1000)            # every core; DataFrame qid, docno, score, rank
    scour.evaluate(run, "qrels.txt", "map,ndcg_cut.10")

The GIL is released while documents are indexed, queries searched and runs evaluated. Errors
are exceptions carrying the C++ message: ValueError (QuerySyntaxError for a query, with the
column and a caret), FileNotFoundError / OSError, CorruptIndexError, LockedError.
See docs/PYTHON.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from . import _scour
from ._scour import (  # noqa: F401  (re-exported)
    Analyzer,
    CorruptIndexError,
    Error,
    Hit,
    LockedError,
    QuerySyntaxError,
    SearchResults,
    Token,
    languages,
)

__all__ = [
    "Analyzer", "CorruptIndexError", "Error", "Hit", "IndexWriter", "LockedError",
    "QuerySyntaxError", "SearchResults", "Searcher", "Token", "languages",
]

# Rows of a DataFrame converted per call into the extension (bounds the lists it makes).
_CHUNK_ROWS = 16384


def _pandas():
    import pandas  # imported on first use: `import scour` stays quick without it

    return pandas


def _is_frame(obj) -> bool:
    pd = _pandas()
    return isinstance(obj, pd.DataFrame)


class IndexWriter(_scour.IndexWriter):
    __doc__ = _scour.IndexWriter.__doc__

    def add_many(self, docs) -> int:
        """Adds documents from a pandas DataFrame (one row per document: the id column and text
        columns) or from any iterable of dicts. Returns how many were added. The GIL is released
        while each batch is inverted. On an error (naming the row or document), the documents
        before it stay added but uncommitted: rollback() discards them."""
        if isinstance(docs, (str, bytes, Mapping)):
            raise TypeError("add_many takes a DataFrame or an iterable of dicts; "
                            "use add() for one document")
        if _is_frame(docs):
            return self._add_frame(docs)
        return self._add_iterable(docs)

    def _add_frame(self, df) -> int:
        names = list(df.columns)
        for n in names:
            if not isinstance(n, str):
                raise TypeError(f"column names must be str, got {type(n).__name__} {n!r}")
        if len(set(names)) != len(names):
            raise ValueError("the DataFrame has repeated column names")
        added = 0
        for start in range(0, len(df), _CHUNK_ROWS):
            part = df.iloc[start:start + _CHUNK_ROWS]
            columns = [part[n].tolist() for n in names]
            added += self._add_columns(names, columns, start)
        if len(df) == 0 and self._id_column not in names:
            raise ValueError(f"no '{self._id_column}' column")
        return added

    def __init__(self, path, **kwargs):
        super().__init__(os.fspath(path), **kwargs)
        self._id_column = kwargs.get("id_field", "id")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if not self.closed:
                if exc_type is None:
                    self.commit()
                else:
                    self.rollback()
        finally:
            self.close()
        return False

    def __repr__(self):
        return f"<scour.IndexWriter{' (closed)' if self.closed else ''}>"


def _query_pairs(queries):
    """(qids, texts) from a dict {qid: query}, a DataFrame with columns qid and query, or an
    iterable of (qid, query) pairs. qids become str; queries must be str."""
    if isinstance(queries, (str, bytes)):
        raise TypeError("batch_search takes many queries (a dict qid -> query, a DataFrame with "
                        "columns qid and query, or (qid, query) pairs); use search() for one")
    if _is_frame(queries):
        for col in ("qid", "query"):
            if col not in queries.columns:
                raise ValueError(f"the queries DataFrame has no '{col}' column "
                                 f"(it has {list(queries.columns)})")
        pairs = zip(queries["qid"].tolist(), queries["query"].tolist())
    elif isinstance(queries, Mapping):
        pairs = queries.items()
    elif isinstance(queries, Iterable):
        pairs = queries
    else:
        raise TypeError(f"queries: expected a dict, a DataFrame or (qid, query) pairs, "
                        f"not {type(queries).__name__}")
    qids, texts, seen = [], [], set()
    for i, pair in enumerate(pairs):
        if isinstance(pair, (str, bytes)) or not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"queries[{i}]: expected a (qid, query) pair, got {pair!r:.80}")
        qid, text = pair
        if isinstance(qid, bool) or not isinstance(qid, (str, int)):
            if not hasattr(qid, "__index__") or isinstance(qid, bool):
                raise TypeError(f"queries[{i}]: a qid is a str or an int, not "
                                f"{type(qid).__name__}")
        qid = str(qid)
        if not isinstance(text, str):
            raise TypeError(f"query {qid}: expected a str, not {type(text).__name__}")
        if qid in seen:
            raise ValueError(f"qid {qid} appears twice")
        seen.add(qid)
        qids.append(qid)
        texts.append(text)
    return qids, texts


class Searcher(_scour.Searcher):
    """Searches an index (a snapshot of its last commit: reopen to see later commits).

        Searcher(path, *, verify=False)

    verify=True checks every file's checksum while opening. Thread-safe: share one Searcher
    between Python threads; searches run without the GIL."""

    def __init__(self, path, **kwargs):
        super().__init__(os.fspath(path), **kwargs)

    def batch_search(self, queries, k=1000, *, threads=0, ranker="bm25", k1=0.9, b=0.4,
                     delta=None, fields=None, operator="or", syntax=True, format="frame"):
        """Searches many queries on `threads` threads (0 = one per core), without the GIL.

        queries: a dict {qid: query}, a DataFrame with columns qid and query, or (qid, query)
        pairs. syntax=False reads each query as a bag of words (its analysed terms, OR-ed), as
        `scour eval --index` reads topics. Returns a DataFrame with columns qid, docno, score,
        rank (rank from 0, as PyTerrier), best first within each query, queries in input order;
        or, with format="dict", {qid: {docno: score}} (ir_measures' and ranx's run form). Every
        query is ranked exactly as search() ranks it. The first failing query (in input order)
        raises, with its qid in the message."""
        if format not in ("frame", "dict"):
            raise ValueError(f"format must be 'frame' or 'dict', got {format!r}")
        qids, texts = _query_pairs(queries)
        offsets, docnos, scores = self._batch(
            qids, texts, k, ranker=ranker, k1=k1, b=b, delta=delta, fields=fields,
            operator=operator, syntax=syntax, threads=threads)
        if format == "dict":
            out = {}
            for i, qid in enumerate(qids):
                lo, hi = int(offsets[i]), int(offsets[i + 1])
                out[qid] = dict(zip(docnos[lo:hi].tolist(), scores[lo:hi].tolist()))
            return out
        import numpy as np

        pd = _pandas()
        counts = np.diff(offsets)
        qid_col = np.repeat(np.array(qids, dtype=object), counts)
        rank = np.arange(len(docnos), dtype=np.int64) - np.repeat(offsets[:-1], counts)
        return pd.DataFrame({"qid": qid_col, "docno": docnos, "score": scores, "rank": rank})

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()
        return False

    def __repr__(self):
        return f"<scour.Searcher{' (closed)' if self.closed else ''}>"


def _results_to_frame(self):
    """The hits as a DataFrame: id, score, rank (from 0), then the stored fields, snippet and
    explanation when present."""
    pd = _pandas()
    rows = []
    for rank, h in enumerate(self.hits):
        row = {"id": h.id, "score": h.score, "rank": rank}
        row.update(h.fields)
        if h.snippet:
            row["snippet"] = h.snippet
        if h.explanation:
            row["explanation"] = h.explanation
        rows.append(row)
    return pd.DataFrame(rows, columns=None if rows else ["id", "score", "rank"])


SearchResults.to_frame = _results_to_frame
