"""search() and batch_search() give the CLI's hits and scores, for every query kind and
ranker; batch_search's DataFrame and dict shapes."""

import numpy as np
import pandas as pd
import pytest

import scour
from conftest import DEV_TOPICS, cli_search, run_cli

# One of each kind of the query language (docs/QUERY.md).
QUERIES = [
    "party",                                  # term
    "party committee 2008",                   # OR
    "+party +committee",                      # AND
    "party -alibaba",                         # NOT
    '"united front"',                         # phrase
    '"party committee"~3',                    # sloppy phrase
    "commun*",                                # prefix
    "company:huawei",                         # field-qualified
    "party^2 subsidy",                        # boost
    "(party OR communist) AND (tencent OR baidu)",  # groups
    '+huawei -"ren zhengfei" part*',          # mixed
    "Xi Jinping’s",                           # analysis (curly apostrophe)
]

RANKINGS = [
    ("bm25", []),
    ("bm25-robertson", ["--ranker", "bm25-robertson"]),
    ("bm25+", ["--ranker", "bm25+"]),
    ("bm25l", ["--ranker", "bm25l"]),
    ("bm25tp", ["--ranker", "bm25tp"]),
]


@pytest.fixture(scope="module")
def searcher(home_index):
    with scour.Searcher(home_index) as s:
        yield s


@pytest.mark.parametrize("query", QUERIES)
def test_search_equals_cli_for_every_query_kind(searcher, home_index, query):
    want = cli_search(home_index, query, "-k", "20")
    got = searcher.search(query, k=20)
    assert [(h.id, h.score) for h in got] == want
    assert want, "every query of the list matches something"


@pytest.mark.parametrize("ranker,flags", RANKINGS)
def test_rankers_equal_cli(searcher, home_index, ranker, flags):
    for query in ["party committee 2008", '"united front" party']:
        want = cli_search(home_index, query, "-k", "15", *flags)
        got = searcher.search(query, k=15, ranker=ranker)
        assert [(h.id, h.score) for h in got] == want, (ranker, query)


def test_parameters_equal_cli(searcher, home_index):
    cases = [
        ({"k1": 1.2, "b": 0.75}, ["--k1", "1.2", "--b", "0.75"]),
        ({"ranker": "bm25+", "delta": 0.5}, ["--ranker", "bm25+", "--delta", "0.5"]),
        ({"operator": "and"}, ["--and"]),
        ({"fields": ["company"]}, ["--search-fields", "company"]),
        ({"fields": {"company": 3.0, "text": 1.0}}, ["--weights", "company=3,text=1"]),
    ]
    for kwargs, flags in cases:
        want = cli_search(home_index, "huawei party committee", "-k", "12", *flags)
        got = searcher.search("huawei party committee", k=12, **kwargs)
        assert [(h.id, h.score) for h in got] == want, kwargs


def test_hit_fields_snippets_explanations(searcher):
    r = searcher.search('"united front"', k=3, snippets=True, explain=True, count=True)
    assert isinstance(r, scour.SearchResults)
    assert len(r) == 3 and r.total_is_exact and r.total_hits >= 3
    h = r[0]
    assert set(h.fields) == {"company", "text"}
    assert "[united front]" in h.snippet.lower()
    assert h.explanation.startswith(f"{h.score:.4f}"[:5])
    # Highlights are character ranges of the snippet field's text.
    for start, end in h.highlights:
        assert h.fields["text"][start:end].lower() == "united front"
    only = searcher.search('"united front"', k=3, stored=["company"])
    assert set(only[0].fields) == {"company"}
    none = searcher.search('"united front"', k=3, stored=False)
    assert none[0].fields == {} and none[0].id == h.id
    frame = r.to_frame()
    assert list(frame.columns[:3]) == ["id", "score", "rank"]
    assert frame["rank"].tolist() == [0, 1, 2]


def test_notes_and_empty(searcher):
    r = searcher.search("?!", count=True)
    assert len(r) == 0 and r.total_hits == 0 and r.note
    assert searcher.search("zzzznotaword").hits == []


@pytest.mark.parametrize("syntax", [False, True])
def test_batch_equals_search_and_cli_trec_run(searcher, home_index, dev_topics, syntax):
    run = searcher.batch_search(dev_topics, k=50, threads=2, syntax=syntax)
    # One by one, exactly.
    for qid, query in dev_topics.items():
        rows = run[run.qid == qid]
        hits = searcher.search(query, k=50, stored=False, syntax=syntax)
        assert rows.docno.tolist() == [h.id for h in hits]
        assert rows.score.tolist() == [h.score for h in hits]
    # The CLI's TREC run of the same topics (scores printed with 6 decimals): plain text by
    # default, the query language with --syntax.
    out = run_cli("search", "--index", home_index, "--queries", DEV_TOPICS, "--format", "trec",
                  "-k", "50", *(["--syntax"] if syntax else [])).stdout
    cli = [line.split() for line in out.splitlines()]
    assert [(q, d) for q, _, d, *_ in cli] == list(zip(run.qid, run.docno))
    assert np.allclose([float(x[4]) for x in cli], run.score, rtol=0, atol=5e-7)


def test_bag_of_words_equals_cli_eval_run(searcher, home_index, dev_topics, tmp_path):
    # `scour eval --index` reads topics as bags of words; syntax=False is the same.
    run_file = tmp_path / "run.txt"
    run_cli("eval", "--index", home_index, "--topics", DEV_TOPICS, "--qrels",
            DEV_TOPICS.parent / "qrels.txt", "--run-out", run_file)
    want = [line.split() for line in run_file.read_text().splitlines()]
    got = searcher.batch_search(dev_topics, k=1000, syntax=False)
    got = got.sort_values(["qid", "rank"], kind="stable")  # the CLI writes qids sorted
    assert [(q, d) for q, _, d, *_ in want] == list(zip(got.qid, got.docno))
    assert [np.float32(x[4]) for x in want] == got.score.astype(np.float32).tolist()
    # Query-language characters mean nothing there.
    weird = searcher.batch_search({"1": 'party" (committee -', "2": "?"}, syntax=False)
    assert set(weird.qid) == {"1"}


def test_batch_frame_shape(searcher):
    queries = pd.DataFrame({"qid": ["b", "a", "c"],
                            "query": ["huawei", "party committee", "zzzznotaword"]})
    run = searcher.batch_search(queries, k=5, syntax=True)
    assert list(run.columns) == ["qid", "docno", "score", "rank"]
    assert run.dtypes.tolist() == [object, object, np.float64, np.int64]
    assert run.qid.tolist() == ["b"] * 5 + ["a"] * 5  # input order; "c" has no hit
    assert run["rank"].tolist() == list(range(5)) * 2
    for _, g in run.groupby("qid"):
        assert g.score.is_monotonic_decreasing
    # Other input forms give the same run.
    pairs = list(zip(queries.qid, queries["query"]))
    pd.testing.assert_frame_equal(searcher.batch_search(pairs, k=5, syntax=True), run)
    pd.testing.assert_frame_equal(
        searcher.batch_search(dict(pairs), k=5, threads=1, syntax=True), run)
    as_dict = searcher.batch_search(dict(pairs), k=5, format="dict", syntax=True)
    assert list(as_dict) == ["b", "a", "c"] and as_dict["c"] == {}
    assert as_dict["a"] == dict(zip(run[run.qid == "a"].docno, run[run.qid == "a"].score))
    # int qids become str; no queries, an empty run with the same columns and dtypes.
    assert searcher.batch_search({7: "huawei"}, k=1).qid.tolist() == ["7"]
    empty = searcher.batch_search({}, k=5)
    assert list(empty.columns) == ["qid", "docno", "score", "rank"] and len(empty) == 0
    assert empty.dtypes.tolist() == [object, object, np.float64, np.int64]


def test_analyze_and_stats(searcher):
    toks = searcher.analyze("Xi Jinping’s party-state")
    assert [t.term for t in toks] == ["xi", "jinp", "parti", "state"]
    text = "Xi Jinping’s party-state"
    assert [text[t.start:t.end] for t in toks] == ["Xi", "Jinping’s", "party", "state"]
    assert scour.Analyzer("none").terms("Running dogs") == ["running", "dogs"]
    assert "english" in scour.languages()
    st = searcher.stats()
    assert st["documents"] == 109 and st["language"] == "english"
    assert set(st["fields"]) == {"company", "text"}
    assert searcher.num_docs == len(searcher) == 109
    assert searcher.document("alibaba-1")["company"] == "Alibaba"
    with pytest.raises(KeyError):
        searcher.document("no-such-id")
