"""The ranking options beyond BM25 (qld with mu, the DFR models with c) and the synonym switches
give the CLI's hits and scores, in search() and batch_search(); bad values raise."""

import math
import shutil

import pytest

import scour
from conftest import SOURCE_DIR, cli_search, run_cli

SYNONYMS = SOURCE_DIR / "corpus" / "synonyms.txt"
QUERIES = ["party committee 2008", '"united front" party', "+huawei -alibaba part*",
           "company:tencent subsidy^2"]

MODELS = [
    ("qld", {}, []),
    ("qld", {"mu": 250.0}, ["--mu", "250"]),
    ("dfr-inb2", {}, []),
    ("dfr-inb2", {"c": 4.5}, ["--c", "4.5"]),
    ("dfr-inexpb2", {"c": 0.5}, ["--c", "0.5"]),
    ("dfr-inl2", {"c": 2.0}, ["--c", "2"]),
]


@pytest.fixture(scope="module")
def searcher(home_index):
    with scour.Searcher(home_index) as s:
        yield s


@pytest.fixture(scope="module")
def synonym_index(home_index, tmp_path_factory):
    """The home index with corpus/synonyms.txt stored in it (`scour synonyms set`)."""
    path = tmp_path_factory.mktemp("syn") / "index"
    shutil.copytree(home_index, path)
    run_cli("synonyms", "set", "-q", "--index", path, SYNONYMS)
    return path


@pytest.mark.parametrize("ranker,kwargs,flags", MODELS)
def test_models_equal_cli(searcher, home_index, ranker, kwargs, flags):
    for query in QUERIES:
        want = cli_search(home_index, query, "-k", "15", "--ranker", ranker, *flags)
        got = searcher.search(query, k=15, ranker=ranker, **kwargs)
        assert want, query
        assert [(h.id, h.score) for h in got] == want, (ranker, kwargs, query)
        batch = searcher.batch_search({"q": query}, k=15, ranker=ranker, syntax=True, threads=2,
                                      format="dict", **kwargs)
        assert list(batch["q"].items()) == want


def test_parameters_change_the_scores(searcher):
    """mu and c reach the model (a wrong default would still equal the CLI's defaults)."""
    q = "party committee 2008"
    assert ([h.score for h in searcher.search(q, ranker="qld", mu=100.0)]
            != [h.score for h in searcher.search(q, ranker="qld")])
    assert ([h.score for h in searcher.search(q, ranker="dfr-inl2", c=7.0)]
            != [h.score for h in searcher.search(q, ranker="dfr-inl2")])


@pytest.mark.parametrize("kwargs,match", [
    ({"ranker": "qld", "mu": 0.0}, "mu"),
    ({"ranker": "qld", "mu": -3.0}, "mu"),
    ({"ranker": "qld", "mu": math.nan}, "mu"),
    ({"ranker": "qld", "mu": math.inf}, "mu"),
    ({"ranker": "dfr-inb2", "c": -1.0}, "c >= 0"),
    ({"ranker": "dfr-inl2", "c": math.nan}, "c must be finite"),
    ({"ranker": "dfr-in"}, "dfr-in"),
    ({"k1": math.nan}, "k1"),
    ({"k1": math.inf}, "k1"),
    ({"b": -math.inf}, "b"),
    ({"b": 1.5}, "b <= 1"),
    ({"ranker": "bm25+", "delta": math.nan}, "delta"),
    ({"ranker": "bm25l", "delta": math.inf}, "delta"),
    ({"ranker": "bm25", "k1": -0.5}, "k1 >= 0"),
])
def test_bad_model_parameters(searcher, kwargs, match):
    with pytest.raises(ValueError, match=match):
        searcher.search("party", **kwargs)
    with pytest.raises(ValueError, match=match):
        searcher.batch_search({"q": "party"}, **kwargs)


def test_synonym_switches_equal_cli(searcher, home_index, synonym_index):
    with scour.Searcher(synonym_index) as syn:
        for query in ["CCP", "PLA reform", '"MSS" security']:
            with_set = cli_search(synonym_index, query, "-k", "20")
            without = cli_search(synonym_index, query, "-k", "20", "--no-synonyms")
            assert with_set != without, query
            assert [(h.id, h.score) for h in syn.search(query, k=20)] == with_set
            assert [(h.id, h.score) for h in syn.search(query, k=20, synonyms=False)] == without
            # A file instead of the index's set (here: on an index without one).
            from_file = cli_search(home_index, query, "-k", "20", "--synonyms", SYNONYMS)
            assert from_file == with_set
            for path in (SYNONYMS, str(SYNONYMS)):
                got = searcher.search(query, k=20, synonyms=path)
                assert [(h.id, h.score) for h in got] == from_file
        topics = {"a": "CCP", "b": "PLA reform"}
        plain = syn.batch_search(topics, k=20, format="dict", synonyms=False)
        expanded = syn.batch_search(topics, k=20, format="dict")
        assert plain != expanded
        assert searcher.batch_search(topics, k=20, format="dict", synonyms=SYNONYMS) == expanded
        for qid, q in topics.items():
            want = syn.search(q, k=20, syntax=False, synonyms=False)
            assert list(plain[qid].items()) == [(h.id, h.score) for h in want]


def test_bad_synonyms(searcher, tmp_path):
    with pytest.raises(FileNotFoundError):
        searcher.search("party", synonyms=tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("a, b\nc => \n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt:2"):
        searcher.search("party", synonyms=bad)
    for value in (1, None, 2.5, [SYNONYMS], b"x"):
        with pytest.raises(TypeError, match="synonyms"):
            searcher.search("party", synonyms=value)
        with pytest.raises(TypeError, match="synonyms"):
            searcher.batch_search({"q": "party"}, synonyms=value)
    with pytest.raises(ValueError, match="empty"):
        searcher.search("party", synonyms="")
