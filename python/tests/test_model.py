"""Scoring models written in Python (docs/PYTHON.md, "Scoring models in Python"): a BM25 in
numpy float32 gives the built-in bm25's hits and scores bit for bit, for every query kind, in
search() and batch_search(); a model that breaks the contract is refused; an exception raised
in the model surfaces as itself; threads share a Searcher and a model."""

import numpy as np
import pytest

import numpy_bm25  # examples/python (conftest.py puts it on sys.path)
import scour
from conftest import run_threads
from test_search import QUERIES


class Bm25(numpy_bm25.Bm25):
    """examples/python/numpy_bm25.py's model, counting prepare() calls and checking the grid's
    dtype."""

    def __init__(self, k1=0.9, b=0.4):
        super().__init__(k1, b)
        self.prepared = 0

    def prepare(self, field, terms, boost):
        self.prepared += 1
        score = super().prepare(field, terms, boost)

        def checked(freq, length):
            assert freq.dtype == np.float32 and length.dtype == np.float32
            return score(freq, length)

        return checked


@pytest.fixture(scope="module")
def searcher(home_index):
    with scour.Searcher(home_index) as s:
        yield s


@pytest.fixture(scope="module")
def bm25():
    return Bm25()


def hits(results):
    return [(h.id, h.score) for h in results]


@pytest.mark.parametrize("query", QUERIES)
def test_numpy_bm25_equals_builtin(searcher, bm25, query):
    want = hits(searcher.search(query, k=20, count=True))
    got = searcher.search(query, k=20, ranker=bm25, count=True)
    assert want and hits(got) == want
    assert got.total_hits == searcher.search(query, k=20, count=True).total_hits


def test_numpy_bm25_parameters_and_fields(searcher):
    model = Bm25(k1=1.2, b=0.75)
    for kwargs in [{}, {"fields": {"company": 3.0, "text": 1.0}}, {"operator": "and"}]:
        q = "huawei party committee"
        want = hits(searcher.search(q, k=12, k1=1.2, b=0.75, **kwargs))
        assert hits(searcher.search(q, k=12, ranker=model, **kwargs)) == want, kwargs


def test_numpy_bm25_batch_equals_builtin(searcher, bm25, dev_topics):
    want = searcher.batch_search(dev_topics, k=100, threads=2)
    got = searcher.batch_search(dev_topics, k=100, threads=2, ranker=bm25)
    assert len(want) > 0
    assert want.equals(got)


def test_the_model_is_checked_once_and_prepared_per_term(home_index):
    model = Bm25()
    with scour.Searcher(home_index) as s:
        s.search("party", ranker=model)
        checked = model.prepared
        assert checked > 100  # the contract check's grid of statistics
        fields = len(s.fields)  # unqualified terms search every field
        s.search("party committee", ranker=model)
        assert model.prepared == checked + 2 * fields  # one call per term and field
        s.search('"united front"', ranker=model)
        assert model.prepared == checked + 3 * fields  # a phrase is one scorer


def test_a_plain_prepare_function(searcher):
    def tf(field, terms, boost):
        return lambda freq, length: np.log1p(freq) * boost  # a scalar of length is fine too

    r = searcher.search("party committee", k=5, ranker=tf, count=True)
    assert len(r) == 5
    assert r[0].score >= r[-1].score > 0


class NotMonotone:
    def prepare(self, field, terms, boost):
        return lambda freq, length: 10 / freq  # decreases with the frequency


def test_a_model_breaking_the_contract_is_refused(searcher):
    for call in (lambda m: searcher.search("party", ranker=m),
                 lambda m: searcher.batch_search({"q": "party"}, ranker=m)):
        with pytest.raises(ValueError, match=r'"NotMonotone" breaks the contract: .*'
                                             r"must not decrease with freq"):
            call(NotMonotone())

    def grows_with_length(field, terms, boost):
        return lambda freq, length: freq + length
    with pytest.raises(ValueError, match="must not increase with length"):
        searcher.search("party", ranker=grows_with_length)

    def negative(field, terms, boost):
        return lambda freq, length: freq - 2
    with pytest.raises(ValueError, match="must be finite and >= 0"):
        searcher.search("party", ranker=negative)

    def nan(field, terms, boost):
        return lambda freq, length: np.full(freq.shape, np.nan)
    with pytest.raises(ValueError, match="must be finite"):
        searcher.search("party", ranker=nan)


class Boom(Exception):
    pass


def test_exceptions_in_the_model_surface_as_themselves(searcher):
    def prepare_raises(field, terms, boost):
        raise Boom("in prepare")
    with pytest.raises(Boom, match="in prepare"):
        searcher.search("party", ranker=prepare_raises)
    with pytest.raises(Boom, match="in prepare"):
        searcher.batch_search({"a": "party", "b": "committee"}, ranker=prepare_raises, threads=2)

    def score_raises(field, terms, boost):
        def score(freq, length):
            raise KeyError("in score")
        return score
    with pytest.raises(KeyError, match="in score"):
        searcher.search("party", ranker=score_raises)


def test_a_row_computed_during_the_search_raises_too(searcher):
    """A sloppy phrase's fractional frequencies are not on the grid: their rows are computed
    while searching. A model that fails there fails the search (not a silent 0)."""
    class FailsLate(Bm25):
        searching = False

        def prepare(self, field, terms, boost):
            inner = super().prepare(field, terms, boost)

            def score(freq, length):
                fractional = freq.shape[0] == 1 and freq[0, 0] != np.round(freq[0, 0])
                if self.searching and fractional:
                    raise Boom("late")
                return inner(freq, length)
            return score

    model = FailsLate()
    searcher.search("party", ranker=model)  # passes the check
    model.searching = True
    assert searcher.search('"party committee"', ranker=model)  # integer frequencies only
    with pytest.raises(Boom, match="late"):
        searcher.search('"party committee"~3', ranker=model)


@pytest.mark.parametrize("fn,error,match", [
    (lambda field, terms, boost: 3, TypeError, "must return a function"),
    (lambda field, terms, boost: (lambda f, l: "x"), ValueError, "array of numbers"),
    (lambda field, terms, boost: (lambda f, l: np.zeros(3)), ValueError, r"shape \(80, 256\)"),
    (lambda field, terms, boost: (lambda f, l: None), ValueError, "array of numbers"),
    (lambda field: None, TypeError, "positional argument"),
])
def test_bad_models(searcher, fn, error, match):
    with pytest.raises(error, match=match):
        searcher.search("party", ranker=fn)


@pytest.mark.parametrize("value", [3, None, 2.5, b"bm25", ["bm25"], object()])
def test_a_ranker_that_is_no_model(searcher, value):
    with pytest.raises(TypeError, match="ranker must be"):
        searcher.search("party", ranker=value)


def test_threads_share_a_searcher_and_a_model(searcher, bm25, dev_topics):
    queries = list(dev_topics.values()) + QUERIES
    want = {q: hits(searcher.search(q, k=10, syntax=False)) for q in queries}

    def work(n):
        for i in range(3 * len(queries)):
            q = queries[(i + n * 7) % len(queries)]
            assert hits(searcher.search(q, k=10, syntax=False, ranker=bm25)) == want[q]

    run_threads(work, 4)


def test_statistics_given_to_prepare(searcher):
    seen = []

    def record(field, terms, boost):
        seen.append((field, list(terms), boost))
        return lambda freq, length: freq / (freq + 1)

    searcher.search('party^2 "united front"', ranker=record)
    seen.clear()
    searcher.search('party^2 "united front"', ranker=record)
    stats = searcher.stats()["fields"]
    assert seen and {f.name for f, _, _ in seen} <= set(stats)
    for field, terms, boost in seen:
        s = stats[field.name]
        assert (field.docs_with_field, field.sum_total_term_freq) == (s["docs_with_field"],
                                                                      s["tokens"])
        assert field.average_length == pytest.approx(s["tokens"] / s["docs_with_field"])
        assert all(t.field == field.name and t.doc_freq <= field.docs_with_field for t in terms)
        words = [t.term for t in terms]
        assert words in (["parti"], ["unit", "front"])
        assert boost == (2.0 if words == ["parti"] else 1.0)
    assert "FieldStatistics(name=" in repr(seen[0][0])


def test_frequencies_beyond_the_grid(tmp_path):
    """Frequencies above the tabulated 64 (blocks of 32 rows to 4160, a row each above) and
    fractional ones (sloppy phrases) score as the built-in does, for every document."""
    path = tmp_path / "tf"
    with scour.IndexWriter(path) as w:
        for i, tf in enumerate([1, 2, 15, 16, 17, 63, 64, 65, 96, 97, 300, 4160, 4161, 5000]):
            w.add({"id": f"d{i}", "text": " ".join(["zebra"] * tf + ["filler"] * (i * 37 % 50))})
            w.add({"id": f"p{i}", "text": " ".join([["lion tiger", "lion x tiger"][i % 2]] * tf)})
    model = Bm25()
    with scour.Searcher(path) as s:
        for q in ["zebra", "zebra filler", '"lion tiger"~2', '"lion tiger"']:
            want = hits(s.search(q, k=100))
            assert len(want) >= 7
            assert hits(s.search(q, k=100, ranker=model)) == want, q
