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

import errno
import math
import os
from collections.abc import Iterable, Mapping

from . import _scour
from ._scour import (  # noqa: F401  (re-exported)
    Analyzer,
    CorruptIndexError,
    Error,
    FieldStatistics,
    Hit,
    LockedError,
    QuerySyntaxError,
    SearchResults,
    TermStatistics,
    Token,
    index_set_shards,
    languages,
    shard_of,
)

__all__ = [
    "Analyzer", "Comparison", "CorruptIndexError", "Error", "FieldStatistics", "Hit", "IndexWriter", "LockedError",
    "QuerySyntaxError", "SearchResults", "Searcher", "TermStatistics", "Token", "compare", "evaluate", "fuse",
    "languages",
    "read_qrels", "read_run", "read_topics", "write_run", "index_files", "read_documents",
    "index_set_shards", "shard_of",
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
                     delta=None, mu=1000.0, c=1.0, weights=None, field_b=None, expand=None,
                     fb_docs=None, fb_terms=None, fb_weight=None, fields=None, operator="or",
                     syntax=False, synonyms=True, format="frame"):
        """Searches many queries on `threads` threads (0 = one per core), without the GIL.

        queries: a dict {qid: query}, a DataFrame with columns qid and query, or (qid, query)
        pairs. As `scour search --queries` reads a topics file, each query is plain text by
        default: a bag of words (its analysed terms, OR-ed; AND-ed with operator="and"), so
        "?" or "-" in a topic mean nothing; syntax=True parses the query language.
        ranker, k1, b, delta, mu, c, weights, field_b, expand, fb_docs, fb_terms, fb_weight,
        fields, operator and synonyms are search()'s (the CLI's --ranker, --k1, --b, --delta,
        --mu, --c, --weights, --field-b, --expand, --fb-docs, --fb-terms, --fb-weight,
        --search-fields, --and, --synonyms/--no-synonyms).

        Returns a DataFrame with columns qid, docno, score, rank (rank from 0, as PyTerrier),
        best first within each query, queries in input order; or, with format="dict",
        {qid: {docno: score}} (ir_measures' and ranx's run form). Every query is ranked exactly
        as search(query, syntax=...) ranks it. The first failing query (in input order) raises,
        with its qid in the message."""
        if format not in ("frame", "dict"):
            raise ValueError(f"format must be 'frame' or 'dict', got {format!r}")
        qids, texts = _query_pairs(queries)
        offsets, docnos, scores = self._batch(
            qids, texts, k, ranker=ranker, k1=k1, b=b, delta=delta, mu=mu, c=c, weights=weights,
            field_b=field_b, expand=expand, fb_docs=fb_docs, fb_terms=fb_terms,
            fb_weight=fb_weight, fields=fields, operator=operator, syntax=syntax,
            synonyms=synonyms, threads=threads)
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
        # copy=False: the columns are fresh arrays, so pandas may keep them as they are
        # instead of consolidating them into 2-D blocks (a copy of every column: ~20 us a
        # query at k=1000).
        return pd.DataFrame({"qid": qid_col, "docno": docnos, "score": scores, "rank": rank},
                            copy=False)

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


# ------------------------------------------------------------------ evaluation

# Column names accepted for runs and qrels given as DataFrames: PyTerrier's first, then
# ir_measures'.
_QID_COLUMNS = ("qid", "query_id")
_DOC_COLUMNS = ("docno", "doc_id", "docid")
_SCORE_COLUMNS = ("score",)
_LABEL_COLUMNS = ("label", "relevance", "rel")


def _column(df, names, what):
    for n in names:
        if n in df.columns:
            return df[n].tolist()
    raise ValueError(f"the {what} DataFrame has none of the columns {', '.join(names)} "
                     f"(it has {list(df.columns)})")


def _input_file(path):
    """os.fspath(path), refusing a directory (a reader would see it as an empty file)."""
    path = os.fspath(path)
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, "a directory, not a file", path)
    return path


def _table(obj, what, value_columns):
    """A run or qrels for the extension: a path (str), a dict {qid: {docid: value}}, or the
    three columns of a DataFrame as lists."""
    if isinstance(obj, (str, os.PathLike)):
        return _input_file(obj)
    if isinstance(obj, Mapping):
        return obj if isinstance(obj, dict) else dict(obj)
    if _is_frame(obj):
        return (_column(obj, _QID_COLUMNS, what), _column(obj, _DOC_COLUMNS, what),
                _column(obj, value_columns, what))
    raise TypeError(f"{what}: expected a file path, a DataFrame or a dict "
                    f"{{qid: {{docid: value}}}}, not {type(obj).__name__}")


def evaluate(run, qrels, measures=None, *, per_query=False, cutoffs=None, relevance_level=1,
             max_retrieved=None, complete=False, num_docs_in_coll=0):
    """Evaluates a run against relevance judgments exactly as trec_eval 9.0.7 does
    (`scour eval`, docs/EVAL.md).

    run: a DataFrame (qid, docno, score: batch_search's output; or ir_measures' query_id,
    doc_id, score), a dict {qid: {docno: score}}, or a TREC run file. qrels: a DataFrame (qid,
    docno, label; or query_id, doc_id, relevance), a dict {qid: {docno: relevance}}, or a qrels
    file. measures: trec_eval -m names, "map,P.10,ndcg_cut.10" or a list (default: trec_eval's
    official set); a cut measure without ".k" gets `cutoffs`. max_retrieved (-M): None = every
    retrieved document, as trec_eval. Returns a DataFrame indexed by qid with one column per
    measure (trec_eval's output names: map, P_10, ndcg_cut_10, ...): one row per evaluated query
    when per_query=True, and always the row "all". A measure trec_eval prints only per query
    (relstring) or only in "all" (num_q, runid, gm_map) is missing (NA) elsewhere."""
    import numpy as np

    pd = _pandas()
    out = _scour._evaluate(_table(run, "run", _SCORE_COLUMNS),
                           _table(qrels, "qrels", _LABEL_COLUMNS), measures,
                           list(cutoffs or []), relevance_level, max_retrieved, complete,
                           num_docs_in_coll)
    qids = list(out["qids"]) if per_query else []
    index = pd.Index(qids + ["all"], name="qid")
    columns = {}
    for m, name in enumerate(out["measures"]):
        if out["text"][m]:
            cells = (list(out["relstrings"]) if out["per_query"][m] else [None] * len(qids))
            cells = cells if per_query else []
            cells.append(out["run_tag"] if out["summarized"][m] else None)
            columns[name] = pd.Series(cells, index=index, dtype=object)
            continue
        cells = np.empty(len(qids) + 1)
        cells[:-1] = out["values"][:, m] if per_query else []
        if not out["per_query"][m]:
            cells[:-1] = np.nan
        cells[-1] = out["summary"][m] if out["summarized"][m] else np.nan
        col = pd.Series(cells, index=index)
        if out["integral"][m]:
            col = col.astype("Int64" if col.isna().any() else np.int64)
        columns[name] = col
    return pd.DataFrame(columns, index=index)


class Comparison:
    """The comparison of several runs over the same queries (scour compare): means, per-query
    values and paired tests as DataFrames; str() is the CLI's text report; in a notebook it
    shows as the Markdown report. `report` is the parsed --format json document."""

    def __init__(self, json_text, text, markdown):
        import json

        self.report = json.loads(json_text)
        self.text = text
        self.markdown = markdown

    @property
    def systems(self):
        return [s["name"] for s in self.report["systems"]]

    @property
    def measures(self):
        return list(self.report["measures"])

    @property
    def means(self):
        """DataFrame: one row per system, one column per measure."""
        pd = _pandas()
        return pd.DataFrame([s["means"] for s in self.report["systems"]],
                            index=pd.Index(self.systems, name="system"))[self.measures]

    @property
    def per_query(self):
        """DataFrame in long form: system, qid, measure, value."""
        pd = _pandas()
        qids = self.report["queries"]
        rows = []
        for s in self.report["systems"]:
            for measure, values in s["per_query"].items():
                rows.extend((s["name"], q, measure, v) for q, v in zip(qids, values))
        return pd.DataFrame(rows, columns=["system", "qid", "measure", "value"])

    @property
    def tests(self):
        """DataFrame: one row per (system, baseline, measure) with the delta, its interval,
        d_z, wins/ties/losses, and the raw and adjusted p-value of every test run."""
        pd = _pandas()
        rows = []
        for p in self.report["pairs"]:
            row = {k: v for k, v in p.items() if not isinstance(v, (dict, list))}
            if isinstance(p.get("ci"), list) and len(p["ci"]) == 2:
                row["ci_low"], row["ci_high"] = p["ci"]
            for key in ("p", "p_adjusted"):
                for test, value in (p.get(key) or {}).items():
                    row[f"{key}_{test}"] = value
            rows.append(row)
        return pd.DataFrame(rows)

    def __str__(self):
        return self.text

    def __repr__(self):
        return f"<scour.Comparison of {', '.join(self.systems)} on {', '.join(self.measures)}>"

    def _repr_markdown_(self):
        return self.markdown


def compare(runs, qrels, measures="map,ndcg_cut.10,P.10,recall.1000", *, cutoffs=None,
            relevance_level=1, max_retrieved=1000, all_pairs=False, tests=None,
            correction=None, alpha=0.05, judged_k=10):
    """Compares runs over the same queries as `scour compare` does: the first run is the
    baseline (all_pairs=True: every pair), paired randomisation, t and Wilcoxon tests (`tests`,
    e.g. "rand,t") with Holm correction over pairs x measures (`correction`: holm, bonferroni,
    none), bootstrap intervals, d_z, wins/ties/losses, judged@k. runs: a dict {name: run} or
    (name, run) pairs, each run in any form evaluate() takes. Returns a Comparison."""
    if isinstance(runs, Mapping):
        runs = list(runs.items())
    named = []
    for item in runs:
        if not isinstance(item, (tuple, list)) or len(item) != 2 or not isinstance(item[0], str):
            raise TypeError("runs: a dict {name: run} or (name, run) pairs")
        named.append((item[0], _table(item[1], f"run {item[0]}", _SCORE_COLUMNS)))
    if len(named) < 2:
        raise ValueError("compare needs at least two runs")
    json_text, text, markdown = _scour._compare(
        named, _table(qrels, "qrels", _LABEL_COLUMNS), measures, list(cutoffs or []),
        relevance_level, max_retrieved, all_pairs, tests or "", correction or "", alpha, judged_k)
    return Comparison(json_text, text, markdown)


def fuse(runs, method="rrf", *, k=60, norm=None, weights=None, input_depth=0, depth=1000):
    """Fuses runs as `scour fuse` does (docs/FUSION.md): method rrf (weight / (k + rank)),
    combsum, combmnz or linear (weights required); norm minmax (the default for the score
    methods), sum, zscore or none; each run read in trec_eval's order, a document missing from a
    run adds 0. runs: a dict {name: run} or a list of runs (or (name, run) pairs), each in any
    form evaluate() takes. Returns a DataFrame qid, docno, score, rank (from 0), in qid order,
    then trec_eval's order; at most `depth` rows per qid (0 = all)."""
    if isinstance(runs, Mapping):
        runs = list(runs.items())
    named = []
    for i, item in enumerate(runs):
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            name, run = item
        else:
            name, run = f"run {i + 1}", item
        named.append((name, _table(run, name, _SCORE_COLUMNS)))
    qids, docs, scores = _scour._fuse(named, method, float(k), norm or "",
                                      [float(w) for w in (weights or [])], input_depth, depth)
    pd = _pandas()
    df = pd.DataFrame({"qid": qids, "docno": docs, "score": scores})
    df["rank"] = df.groupby("qid", sort=False).cumcount()
    return df


def read_qrels(path):
    """A qrels file as a DataFrame: qid, docno, label (rows in file order)."""
    pd = _pandas()
    qids, docs, labels = _scour._read_qrels(_input_file(path))
    return pd.DataFrame({"qid": qids, "docno": docs, "label": labels})


def read_run(path):
    """A TREC run file as a DataFrame: qid, docno, score, rank (from 0, by score within each
    qid, as trec_eval ranks: ties by docno descending)."""
    pd = _pandas()
    qids, docs, scores = _scour._read_run(_input_file(path))
    df = pd.DataFrame({"qid": qids, "docno": docs, "score": scores})
    df = df.sort_values(["qid", "score", "docno"], ascending=[True, False, False], kind="stable")
    df["rank"] = df.groupby("qid", sort=False).cumcount()
    return df.reset_index(drop=True)


def read_topics(path):
    """A topics file (qid<TAB>query lines, or TREC <top> blocks: their titles) as a DataFrame:
    qid, query, in file order; ready for Searcher.batch_search."""
    pd = _pandas()
    qids, queries = _scour._read_topics(_input_file(path))
    return pd.DataFrame({"qid": qids, "query": queries})


def write_run(run, path, tag="scour"):
    """Writes a run DataFrame (qid, docno, score[, rank]) as a TREC run file: `qid Q0 docno
    rank score tag`, ranks from 1, scores with 9 significant digits (floats read back exactly);
    rows in the frame's order, so sort it first if needed."""
    if not _is_frame(run):
        raise TypeError("write_run takes a DataFrame with columns qid, docno, score")
    qids, docs, scores = (_column(run, _QID_COLUMNS, "run"), _column(run, _DOC_COLUMNS, "run"),
                          _column(run, _SCORE_COLUMNS, "run"))
    ranks = (run["rank"] + 1).tolist() if "rank" in run.columns else None
    lines, last, n = [], None, 0
    for i, (q, d, s) in enumerate(zip(qids, docs, scores)):
        n = n + 1 if q == last else 1
        last = q
        for x, what in ((q, "qid"), (d, "docno")):
            if isinstance(x, bool) or not isinstance(x, (str, int)):
                raise TypeError(f"row {i}: a {what} is a str or an int, not {type(x).__name__}")
            if str(x) == "" or any(c.isspace() for c in str(x)):
                raise ValueError(f"row {i}: the {what} {x!r} is empty or has whitespace")
        if isinstance(s, bool) or not isinstance(s, (int, float)):
            raise TypeError(f"row {i}: a score is a number, not {type(s).__name__}")
        if not math.isfinite(s):
            raise ValueError(f"row {i}: the score {s!r} is not finite")
        lines.append(f"{q} Q0 {d} {ranks[i] if ranks else n} {s:.9g} {tag}\n")
    with open(path, "w", encoding="utf-8") as f:  # checked first: no half-written file
        f.writelines(lines)


# ------------------------------------------------------------------ input files


def index_files(path, files, *, format="auto", id_field="id", fields=None, store=None,
                skip_bad=False, analyzer=None, stopwords=False, threads=0, ram_mb=256,
                merge=True):
    """What `scour index` does: reads documents from files (JSONL, TSV, text, paragraphs;
    directories; "-" for stdin; docs/INGEST.md), adds them to the index at `path` (created if
    missing; an existing id is replaced) and commits once. Every input is opened first, so a
    missing file fails before any work. A bad record (or an id repeated within the call) raises
    ValueError naming file:line, with nothing committed, unless skip_bad=True: then it is
    skipped and reported. The GIL is released throughout. Returns {"documents": n, "skipped": m,
    "errors": [messages of the skipped records]}."""
    if isinstance(files, (str, os.PathLike)):
        files = [files]
    return _scour._index_files(os.fspath(path), [os.fspath(f) for f in files], format, id_field,
                               fields, store, skip_bad, analyzer, stopwords, threads, ram_mb,
                               merge)


def read_documents(path, *, format="auto", id_field="id", fields=None, store=None):
    """The documents of an input as `scour index` reads them, one dict (id_field -> id, field ->
    text) at a time. A bad record raises ValueError naming file:line; iterating on continues with
    the next record."""
    return _scour._DocumentIterator(os.fspath(path), format, id_field, fields, store)
