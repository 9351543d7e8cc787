"""The CLI's remaining ranking options in Python: pseudo-relevance feedback (expand=, fb_docs=,
fb_terms=, fb_weight=: `--expand --fb-docs --fb-terms --fb-weight`) and bm25f's field_b= with
weights= (`--field-b --weights`). search() and batch_search() give the CLI's ids, scores, parsed
(expanded) query and explanations; bad values raise ValueError with the engine's message."""

import json
import math

import pytest

import scour
from conftest import DEV_TOPICS, run_cli
from numpy_bm25 import Bm25

QUERIES = ["party committee 2008", '"united front" party', "+huawei -alibaba part*",
           "company:tencent subsidy^2"]

# (search()/batch_search() keyword arguments, the same as `scour search` flags)
OPTIONS = [
    ({"expand": "rm3"}, ["--expand", "rm3"]),
    ({"expand": "rm3", "fb_docs": 4, "fb_terms": 20, "fb_weight": 0.3},
     ["--expand", "rm3", "--fb-docs", "4", "--fb-terms", "20", "--fb-weight", "0.3"]),
    ({"expand": "bo1"}, ["--expand", "bo1"]),
    ({"expand": "bo1", "fb_docs": 6, "fb_terms": 5},
     ["--expand", "bo1", "--fb-docs", "6", "--fb-terms", "5"]),
    ({"expand": "none"}, ["--expand", "none"]),
    ({"weights": {"company": 2.5, "text": 0.5}}, ["--weights", "company=2.5,text=0.5"]),
    ({"ranker": "bm25f", "weights": {"company": 3.0}, "field_b": {"company": 0.1, "text": 0.75}},
     ["--ranker", "bm25f", "--weights", "company=3", "--field-b", "company=0.1,text=0.75"]),
    ({"ranker": "bm25f", "field_b": {"text": 0.9}, "expand": "rm3", "fb_terms": 5},
     ["--ranker", "bm25f", "--field-b", "text=0.9", "--expand", "rm3", "--fb-terms", "5"]),
    ({"ranker": "qld", "expand": "bo1"}, ["--ranker", "qld", "--expand", "bo1"]),
    ({"ranker": "bm25tp", "expand": "rm3", "fields": ["text"]},
     ["--ranker", "bm25tp", "--expand", "rm3", "--search-fields", "text"]),
]


def cli_json(index, *flags):
    out = run_cli("search", "--index", index, "--format", "json", *flags).stdout
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture(scope="module")
def searcher(home_index):
    with scour.Searcher(home_index) as s:
        yield s


@pytest.mark.parametrize("kwargs,flags", OPTIONS)
def test_options_equal_cli(searcher, home_index, kwargs, flags):
    for query in QUERIES:
        want = cli_json(home_index, "-k", "12", "--explain", *flags, "--", query)
        assert want, (flags, query)
        got = searcher.search(query, k=12, explain=True, **kwargs)
        assert [(h.id, h.score) for h in got] == [(j["id"], j["score"]) for j in want], query
        # The query as searched (with expand=: its weighted terms), as --explain shows it.
        assert got.parsed_query == want[0]["parsed_query"], query
        assert [h.explanation for h in got] == [j["explanation"] for j in want], query
        batch = searcher.batch_search({"q": query}, k=12, syntax=True, threads=2, format="dict",
                                      **kwargs)
        assert list(batch["q"].items()) == [(j["id"], j["score"]) for j in want], query


@pytest.mark.parametrize("kwargs,flags", [OPTIONS[1], OPTIONS[3], OPTIONS[6]])
def test_topics_equal_cli(searcher, home_index, dev_topics, kwargs, flags):
    """Plain-text topics (batch_search's default), as `scour search --queries` reads them."""
    want = {}
    for j in cli_json(home_index, "--queries", DEV_TOPICS, "-k", "30", *flags):
        want.setdefault(j["qid"], []).append((j["id"], j["score"]))
    for threads in (1, 2):
        run = searcher.batch_search(dev_topics, k=30, threads=threads, **kwargs)
        got = {qid: list(zip(g.docno, g.score)) for qid, g in run.groupby("qid", sort=False)}
        assert got == want


def test_feedback_changes_the_ranking(searcher):
    """Each option reaches the engine (a dropped one would still equal the CLI's default)."""
    q = "party committee 2008"

    def ranked(**kw):
        return [(h.id, h.score) for h in searcher.search(q, k=20, **kw)]

    plain, rm3 = ranked(), ranked(expand="rm3")
    assert rm3 != plain
    assert ranked(expand="bo1") not in (plain, rm3)
    assert ranked(expand="rm3", fb_docs=3) != rm3
    assert ranked(expand="rm3", fb_terms=3) != rm3
    assert ranked(expand="rm3", fb_weight=0.9) != rm3
    assert ranked(expand="none") == plain
    assert ranked(ranker="bm25f", field_b={"text": 1.0}) != ranked(ranker="bm25f")
    q = "huawei party"  # in both fields
    assert ranked(weights={"company": 4.0}) != ranked()
    # fields={f: w} and weights= weigh alike; weights= alone keeps every field searched.
    assert (ranked(fields=["company", "text"], weights={"company": 4.0})
            == ranked(fields={"company": 4.0, "text": 1.0}))


@pytest.mark.parametrize("kwargs,error,match", [
    ({"expand": "rm4"}, ValueError, r'unknown expansion "rm4" \(expansions: rm3, bo1, none\)'),
    ({"expand": ""}, ValueError, "no method"),
    ({"expand": 3}, TypeError, "expand"),
    ({"expand": "rm3", "fb_docs": 0}, ValueError, "need fb_docs >= 1"),
    ({"expand": "rm3", "fb_docs": -2}, ValueError, "need fb_docs >= 1"),
    ({"expand": "bo1", "fb_terms": 0}, ValueError, "fb_terms >= 1"),
    ({"expand": "rm3", "fb_docs": 2**40}, ValueError, "fb_docs must be at most"),
    ({"expand": "rm3", "fb_docs": 2.5}, TypeError, "fb_docs"),
    ({"expand": "rm3", "fb_docs": True}, TypeError, "fb_docs"),
    ({"fb_docs": 3}, ValueError, "need --expand"),
    ({"fb_weight": 0.5}, ValueError, "need --expand"),
    ({"expand": "rm3", "fb_weight": 1.5}, ValueError, "fb_weight <= 1"),
    ({"expand": "rm3", "fb_weight": -0.5}, ValueError, r"fb_weight must be in \[0, 1\]"),
    ({"expand": "rm3", "fb_weight": math.nan}, ValueError, r"fb_weight must be in \[0, 1\]"),
    ({"expand": "rm3", "fb_weight": "0.5"}, TypeError, "fb_weight"),
    ({"expand": "bo1", "fb_weight": 0.5}, ValueError, "bo1 adds its weights"),
    ({"weights": {"text": -1.0}}, ValueError, "must be finite and >= 0"),
    ({"weights": {"text": math.nan}}, ValueError, "must be finite and >= 0"),
    ({"weights": {"text": math.inf}}, ValueError, "must be finite and >= 0"),
    ({"weights": {"nope": 1.0}}, ValueError, '--weights: unknown field "nope"'),
    ({"weights": {"text": "2"}}, TypeError, "must be a number"),
    ({"weights": {1: 2.0}}, TypeError, "field names are str"),
    ({"weights": [("text", 2.0)]}, TypeError, "weights must be a dict"),
    ({"weights": {"text": 2.0}, "fields": {"text": 1.0}}, ValueError, "give it once"),
    ({"ranker": "bm25f", "field_b": {"text": 1.5}}, ValueError, r"must be in \[0, 1\]"),
    ({"ranker": "bm25f", "field_b": {"text": -0.1}}, ValueError, r"must be in \[0, 1\]"),
    ({"ranker": "bm25f", "field_b": {"text": math.nan}}, ValueError, r"must be in \[0, 1\]"),
    ({"ranker": "bm25f", "field_b": {"nope": 0.5}}, ValueError, '--field-b: unknown field "nope"'),
    ({"field_b": {"text": 0.5}}, ValueError, "use --ranker bm25f"),
])
def test_bad_values(searcher, kwargs, error, match):
    with pytest.raises(error, match=match):
        searcher.search("party", **kwargs)
    with pytest.raises(error, match=match):
        searcher.batch_search({"q": "party"}, **kwargs)


def test_cli_refuses_alike(home_index):
    """The messages above are the CLI's for the same flags."""
    for flags, message in [(["--expand", "rm4"], 'unknown expansion "rm4"'),
                           (["--expand", "rm3", "--fb-docs", "0"], "need fb_docs >= 1"),
                           (["--weights", "nope=1"], '--weights: unknown field "nope"'),
                           (["--ranker", "bm25f", "--field-b", "text=1.5"], "must be in [0, 1]")]:
        p = run_cli("search", "--index", home_index, *flags, "--", "party", check=False)
        assert p.returncode != 0 and message in p.stderr, (flags, p.stderr)


def test_python_model_with_feedback(searcher):
    """expand= applies to a scoring model written in Python as to a built-in (its first and
    second pass both scored by the model)."""
    q = "party committee 2008"
    want = searcher.search(q, k=15, expand="rm3")
    got = searcher.search(q, k=15, expand="rm3", ranker=Bm25())
    assert got.parsed_query == want.parsed_query
    assert [(h.id, h.score) for h in got] == [(h.id, h.score) for h in want]
