"""Bad Python inputs raise (TypeError / ValueError / KeyError), never crash the interpreter:
random values of many types fed to every entry point, with a fixed seed."""

import math
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


def test_huge_k_and_many_threads(tmp_path):
    path = tmp_path / "idx"
    with scour.IndexWriter(path) as w:
        w.add_many([{"id": str(i), "text": f"word{i % 7} common"} for i in range(300)])
    with scour.Searcher(path) as s:
        assert len(s.search("common", k=2**62)) == 300
        run = s.batch_search({str(i): "common" for i in range(50)}, k=10**12, threads=64)
        assert len(run) == 50 * 300
        assert not math.isnan(run.score.sum())
