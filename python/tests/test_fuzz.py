"""Bad Python inputs raise (TypeError / ValueError / KeyError), never crash the interpreter:
random values of many types fed to every entry point, with a fixed seed. The Python inputs are
converted by pybind11 code walking Python objects (no byte-level parser, so no libFuzzer
target): this randomized test is their fuzzer. DataFrames get random column names, dtypes
(object, int64, float64 with NaN, uint64, nullable Int64, string, category, bool, datetime)
and values; runs and qrels go to evaluate() and compare() as DataFrames and dicts."""

import math
import os
import random

import numpy as np
import pandas as pd
import pytest

import scour
from conftest import UNDER_ASAN

EXPECTED = (TypeError, ValueError, KeyError, OverflowError, IndexError)


def values(rng):
    """A random Python value: the types a user might pass by mistake, and odd strings."""
    pool = [
        None, True, 0, -1, 2**70, 1.5, float("nan"), float("inf"), "", "x", "\x00",
        "\ud800", "é" * 300, "a" * 100000, b"bytes", bytearray(b"x"), [], ["a"], [1, 2],
        ("a", "b"), {}, {"a": 1}, {1: "a"}, {"id": None}, set(), object(), np.int64(3),
        np.float32("nan"), np.array(["a", "b"]), pd.NA, pd.NaT, pd.Series(["a"]),
        pd.DataFrame({"x": [1]}), range(3), iter([1, 2]), lambda: 1, Ellipsis,
        complex(1, 2), "title:(", '"', "*", "\\", "a" + "(" * 300,
    ]
    return rng.choice(pool)


def random_doc(rng):
    if rng.random() < 0.2:
        return values(rng)
    doc = {}
    for _ in range(rng.randrange(4)):
        key = rng.choice(["id", "text", "title", "_id", 5, None, "", "\ud800"])
        doc[key] = values(rng) if rng.random() < 0.6 else rng.choice(["red fox", "a b c", "x1"])
    return doc


def call(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except EXPECTED:
        pass


def call_io(fn, *args, **kwargs):
    """call(), where a str may be taken as a file name (FileNotFoundError is right)."""
    try:
        fn(*args, **kwargs)
    except EXPECTED + (OSError,):
        pass


def random_column(rng, n):
    """A DataFrame column of n rows: a random dtype, values mostly of it, some odd ones."""
    kind = rng.choice(["str", "int", "float", "uint", "Int64", "string", "category", "bool",
                       "datetime", "object", "bytes"])
    if kind == "str":
        return [rng.choice(["red fox", "", "a b", "é ü", "x" * 500, "q1"]) for _ in range(n)]
    if kind == "int":
        return np.array([rng.choice([0, -1, 7, 2**62, -2**63]) for _ in range(n)], dtype=np.int64)
    if kind == "float":
        return np.array([rng.choice([1.0, 2.5, float("nan"), float("inf"), -0.0])
                         for _ in range(n)])
    if kind == "uint":
        return np.array([rng.choice([0, 2**64 - 1, 5]) for _ in range(n)], dtype=np.uint64)
    if kind == "Int64":
        return pd.array([rng.choice([1, None, -5, 2**40]) for _ in range(n)], dtype="Int64")
    if kind == "string":
        return pd.array([rng.choice(["a", None, "b c", "\x00"]) for _ in range(n)],
                        dtype="string")
    if kind == "category":
        return pd.Categorical([rng.choice(["x", "y", None]) for _ in range(n)])
    if kind == "bool":
        return [rng.random() < 0.5 for _ in range(n)]
    if kind == "datetime":
        return pd.to_datetime([rng.choice(["2020-01-01", None]) for _ in range(n)])
    if kind == "bytes":
        return [b"abc" for _ in range(n)]
    return [values(rng) for _ in range(n)]


def random_frame(rng, names):
    n = rng.randrange(5)
    cols = {}
    for _ in range(rng.randrange(1, 5)):
        cols[rng.choice(names)] = random_column(rng, n)
    return pd.DataFrame(cols)


def random_table(rng, kind):
    """A run or qrels in some form evaluate() takes, often broken."""
    r = rng.random()
    if r < 0.5:
        names = ["qid", "docno", "score", "label", "query_id", "doc_id", "relevance", "x"]
        return random_frame(rng, names)
    if r < 0.8:
        def key(choices):
            k = values(rng) if rng.random() < 0.3 else rng.choice(choices)
            return k if getattr(k, "__hash__", None) else "q"

        table = {}
        for _ in range(rng.randrange(3)):
            docs = {key(["d", 4, ""]): values(rng) if rng.random() < 0.5
                    else rng.choice([1, 0.5, 2, -1]) for _ in range(rng.randrange(3))}
            table[key(["D1", "q", 3])] = docs if rng.random() < 0.8 else values(rng)
        return table
    return values(rng)


@pytest.mark.parametrize("seed", range(2 if UNDER_ASAN else 4))
def test_random_inputs_raise_cleanly(tmp_path, seed):
    rng = random.Random(seed)
    path = tmp_path / "idx"
    rounds = 100 if UNDER_ASAN else 250
    with scour.IndexWriter(path, analyzer="none") as w:
        w.add({"id": "seed", "text": "red fox"})
        for _ in range(rounds):
            call(w.add, random_doc(rng))
            call(w.add_many, [random_doc(rng) for _ in range(rng.randrange(3))])
            call(w.add_many, values(rng))
            cols = {rng.choice(["id", "text", 3, "_id"]): [values(rng)] for _ in range(2)}
            call(w.add_many, pd.DataFrame(cols) if all(isinstance(k, str) for k in cols)
                 else cols)
            call(w.delete, values(rng))
    s = scour.Searcher(path)
    assert len(s.search("red")) >= 1
    for _ in range(rounds):
        v = values(rng)
        call(s.search, v)
        call(s.search, "red", k=rng.choice([v, 0, -1, 2**62, 1]))
        call(s.search, "red", fields=v)
        call(s.search, "red", stored=v)
        call(s.search, "red", snippets=v)
        call(s.search, "red", ranker=v)
        call(s.search, "red", operator=v)
        # The ranking options: random values, and numbers that are out of range or not finite.
        ranker = rng.choice(["bm25", "bm25+", "qld", "dfr-inb2", "dfr-inexpb2", "dfr-inl2", v])
        number = rng.choice([v, 0.0, -1.0, math.nan, math.inf, -math.inf, 1e38, 1e-45, 2**70])
        for name in ("k1", "b", "delta", "mu", "c"):
            call(s.search, "red", ranker=ranker, **{name: number})
            call(s.batch_search, {"q": "red fox"}, ranker=ranker, **{name: number})
        # Feedback and per-field options: random values, and dicts of odd names and numbers.
        field = rng.choice(["text", "nope", "", 3, "\ud800", v if isinstance(v, str) else None])
        count = rng.choice([v, 0, -1, 1, 2**31, 2**70, -2**70, 1.5, True, np.int64(2)])
        for kwargs in ({"expand": rng.choice(["rm3", "bo1", "none", "", v])},
                       {"expand": rng.choice(["rm3", "bo1", v]), "fb_docs": count,
                        "fb_terms": rng.choice([count, None]), "fb_weight": number},
                       {"fb_docs": count}, {"weights": v}, {"field_b": v},
                       {"weights": {field: number}}, {"field_b": {field: number}},
                       {"fields": {field: number}, "weights": {field: number}}):
            call(s.search, "red fox", ranker=rng.choice(["bm25", "bm25f", ranker]), **kwargs)
            call(s.batch_search, {"q": "red fox"}, ranker=rng.choice(["bm25f", ranker]), **kwargs)
        call_io(s.search, "red", synonyms=v)
        call_io(s.batch_search, {"q": "red"}, synonyms=v)
        call(s.batch_search, v)
        call(s.batch_search, [(values(rng), values(rng))])
        key = values(rng)
        call(s.batch_search, {key if key.__hash__ else "q": values(rng)})
        call(s.batch_search, {"q": "red"}, k=v)
        call(s.batch_search, {"q": "red"}, threads=rng.choice([v, -1, 0, 64]))
        call(s.batch_search, {"q": "red"}, format=v)
        call(s.analyze, v)
        call(s.document, v)
        call(scour.Analyzer, v)
        call(scour.IndexWriter, tmp_path / "w", analyzer=v)
        call(scour.IndexWriter, tmp_path / "w", fields=v)
        call(scour.IndexWriter, tmp_path / "w", ram_mb=rng.choice([v, 0, -5]))
    # Still working, and nothing bad was committed beyond what add() accepted.
    assert s.search("red", k=1)[0].id is not None
    s.close()


@pytest.mark.parametrize("seed", range(2))
def test_random_frames_raise_cleanly(tmp_path, seed):
    rng = random.Random(100 + seed)
    rounds = 50 if UNDER_ASAN else 150
    path = tmp_path / "idx"
    with scour.IndexWriter(path, analyzer="none") as w:
        w.add({"id": "seed", "text": "zebra"})
        w.commit()
        for _ in range(rounds):
            call(w.add_many, random_frame(rng, ["id", "text", "title", "_id", "id"]))
            w.rollback()  # keep only what was committed: the index stays small
        for _ in range(rounds // 4):  # some frames are accepted: they must be searchable
            df = random_frame(rng, ["id", "text"])
            try:
                w.add_many(df)
                w.commit()
            except EXPECTED:
                w.rollback()
    with scour.Searcher(path) as s:
        assert [h.id for h in s.search("zebra")] == ["seed"]
        for _ in range(rounds):
            call(s.batch_search, random_frame(rng, ["qid", "query", "x"]), k=3)
            call(s.batch_search, random_frame(rng, ["qid", "query"]), k=3, format="dict")
    qrels = pd.DataFrame({"qid": ["D1", "D1"], "docno": ["d", "e"], "label": [1, 0]})
    run = pd.DataFrame({"qid": ["D1", "D1"], "docno": ["d", "e"], "score": [2.0, 1.0]})
    out = tmp_path / "run"
    for _ in range(rounds):
        call_io(scour.evaluate, random_table(rng, "run"), qrels, "map,P.5")
        call_io(scour.evaluate, run, random_table(rng, "qrels"), "map")
        call_io(scour.evaluate, random_table(rng, "run"), random_table(rng, "qrels"),
             rng.choice(["map", values(rng), ["P.5", values(rng)]]))
        call_io(scour.compare, {"a": run, "b": random_table(rng, "run")}, qrels, "map",
             tests="t")
        call_io(scour.compare, [(values(rng), run), ("b", run)], qrels, "map", tests="t")
        call(scour.write_run, random_frame(rng, ["qid", "docno", "score", "rank"]), out)
    # The good inputs still give the right answer.
    assert scour.evaluate(run, qrels, "map").loc["all", "map"] == 1.0


def test_huge_k_and_many_threads(tmp_path):
    path = tmp_path / "idx"
    with scour.IndexWriter(path) as w:
        w.add_many([{"id": str(i), "text": f"word{i % 7} common"} for i in range(300)])
    with scour.Searcher(path) as s:
        assert len(s.search("common", k=2**62)) == 300
        run = s.batch_search({str(i): "common" for i in range(50)}, k=10**12, threads=64)
        assert len(run) == 50 * 300
        assert not math.isnan(run.score.sum())


def test_random_scoring_models_raise_cleanly(tmp_path):
    """Every value of the pool as what a model's prepare() or score() returns, and as the
    model itself: the search raises an expected exception or succeeds, never crashes."""
    path = tmp_path / "m"
    with scour.IndexWriter(path) as w:
        w.add_many({"id": f"d{i}", "text": "red fox " * (i % 7 + 1)} for i in range(20))
    rng = random.Random(3)
    pool = [values(rng) for _ in range(200)]
    seen = set()
    with scour.Searcher(path) as s:
        for v in pool:
            key = (type(v).__name__, repr(v)[:40])
            if key in seen:
                continue
            seen.add(key)
            call(s.search, "red", ranker=lambda field, terms, boost, v=v: v)
            call(s.search, "red", ranker=lambda field, terms, boost, v=v: (lambda f, l: v))
            call(s.search, "red fox", ranker=v, k=rng.choice([1, 10, 2**62]))
        assert len(s.search("red", k=3)) == 3
