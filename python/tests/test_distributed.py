"""The sharded-search protocol's Python entry points (scour._scour._Shard and the merge
functions, which scour.dask drives): the rounds run by hand over two shards give one index's
scores, and the calls into C++ that do real work release the GIL."""

import random

import pytest

import scour
from scour import _scour
from test_gil import Counter, assert_releases, words


def rounds(shards, queries, options):
    """Rounds 0-2 of docs/DISTRIBUTED.md, in this process."""
    collection = _scour._merge_shard_info([s.info() for s in shards])
    request = _scour._query_terms(queries, options, collection)
    coll = dict(collection, terms=[])
    for s in shards:
        coll = _scour._add_term_statistics(coll, s.term_statistics(request))
    parts = [s.search(i, queries, options, coll) for i, s in enumerate(shards)]
    return collection, _scour._merge_results(parts, options["k"])


@pytest.fixture(scope="module")
def two_shards(tmp_path_factory):
    rng = random.Random(3)
    docs = [{"id": f"d{i}", "text": words(rng, 30)} for i in range(3000)]
    d = tmp_path_factory.mktemp("protocol")
    for name, part in (("one", docs), ("s0", docs[:700]), ("s1", docs[700:])):
        with scour.IndexWriter(d / name, analyzer="none", merge=False, threads=1) as w:
            w.add_many(part)
    return d


@pytest.mark.parametrize("ranker", ["bm25", "bm25tp", "qld", "dfr-inb2"])
def test_rounds_give_one_index_scores(two_shards, ranker):
    shards = [_scour._Shard(str(two_shards / n)) for n in ("s0", "s1")]
    queries = ["w1 w2", "+w3 +w4", '"w5 w6"', "w7*", "w8^2 -w9"]
    collection, merged = rounds(shards, queries, {"k": 20, "syntax": True, "ranker": ranker})
    assert collection["bases"] == [0, 700]
    with scour.Searcher(two_shards / "one") as one:
        for q, query in enumerate(queries):
            full = {h.id: h.score for h in one.search(query, k=3000, ranker=ranker).hits}
            lo, hi = merged["offsets"][q], merged["offsets"][q + 1]
            assert merged["scores"][lo:hi] == sorted(full.values(), reverse=True)[:20], query
            # Global ids: shard 0's documents first; each hit has one index's score for its id
            # (among equal scores the order may differ: docs/DISTRIBUTED.md, "Ties").
            for doc, score in zip(merged["docs"][lo:hi], merged["scores"][lo:hi]):
                s, local = (0, doc) if doc < 700 else (1, doc - 700)
                assert full[shards[s].ids([local])[0]] == score, (query, doc)
    assert shards[1].ids([0, 1]) == ["d700", "d701"]


def test_protocol_errors(two_shards):
    s = _scour._Shard(str(two_shards / "s0"))
    info = s.info()
    with pytest.raises(ValueError, match="analysed"):
        other = dict(info, language="german")
        _scour._merge_shard_info([info, other])
    collection = _scour._merge_shard_info([info])
    stale = dict(collection, generations=[info["generation"] + 1])
    with pytest.raises(RuntimeError, match="generation"):
        s.search(0, ["w1"], {"k": 5}, stale)
    with pytest.raises(ValueError, match="answer"):
        c = dict(collection, terms=[["text", "w1", 1, 1]])
        _scour._add_term_statistics(c, [["text", "w2", 1, 1]])
    with pytest.raises(FileNotFoundError):
        _scour._Shard(str(two_shards / "missing"))
    with pytest.raises(ValueError, match="k must be"):
        s.search(0, ["w1"], {"k": 0}, collection)


def test_shard_calls_release_the_gil(two_shards):
    s = _scour._Shard(str(two_shards / "one"))
    collection = _scour._merge_shard_info([s.info()])
    queries = [f"w{i % 400} w{(7 * i) % 400} w{(13 * i) % 400}" for i in range(300)]
    options = {"k": 1000}
    request = _scour._query_terms(queries, options, collection)
    coll = _scour._add_term_statistics(dict(collection, terms=[]), s.term_statistics(request))
    with Counter() as c:
        assert_releases(c, lambda: s.search(0, queries, options, coll))
