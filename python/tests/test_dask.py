"""scour.dask (docs/PYTHON.md, docs/DISTRIBUTED.md): an index set built by one Dask task per
shard and searched with the protocol's rounds as Dask tasks, on a LocalCluster of 2 worker
processes and 3 shards. Results must equal `scour search` on the set (ShardedSearcher) line for
line, and one index holding the same documents score for score; a worker killed in the middle of
a batch must change nothing; a build task run twice leaves exactly one shard."""

import json
import os
import random
import signal
import threading
import time

import pytest

pytest.importorskip("distributed")

import scour  # noqa: E402
from scour import dask as sdask  # noqa: E402

from conftest import UNDER_ASAN, run_cli  # noqa: E402

if UNDER_ASAN:
    pytest.skip("spawned Dask workers under the preloaded sanitizers take minutes",
                allow_module_level=True)

WORDS = ("apple apply april banana band bank cherry chess delta dance eagle early fable fact "
         "garden gate harbor hat island iron").split()
QUERIES = ["apple", "apple banana", "+apple +banana", "apple -banana", '"apple banana"',
           '"banana apple"~3', "ba*", "title:cherry body:chess", "apple^2 delta", "zephyr",
           "+(apple band) +(cherry zephyr)", "nosuchword"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    rng = random.Random(18)
    path = tmp_path_factory.mktemp("dask") / "docs.jsonl"
    with open(path, "w") as f:
        for i in range(240):
            body = " ".join(WORDS[int(len(WORDS) * rng.random() ** 2)]
                            for _ in range(rng.randint(3, 25)))
            if rng.random() < 0.1:
                body += " zephyr"
            doc = {"id": f"d{i}", "title": " ".join(rng.sample(WORDS, 2)), "body": body}
            f.write(json.dumps(doc) + "\n")
    return path


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def index_set(corpus, client, tmp_path_factory):
    out = tmp_path_factory.mktemp("set") / "set"
    paths = sdask.build([corpus], out, 3, client)
    assert [os.path.basename(p) for p in paths] == ["shard-0000", "shard-0001", "shard-0002"]
    return out


def reference_lines(index_set, tmp_path, k):
    queries = tmp_path / "queries.tsv"
    queries.write_text("".join(f"{i + 1}\t{q}\n" for i, q in enumerate(QUERIES)))
    out = run_cli("search", "--index", index_set, "--queries", queries, "--syntax",
                  "--format", "trec", "-k", k).stdout
    return out.splitlines()


def test_build_routes_every_document_once(index_set, corpus):
    ids = {json.loads(line)["id"] for line in open(corpus)}
    seen = set()
    for i, path in enumerate(scour.index_set_shards(str(index_set))):
        with scour.Searcher(path) as s:
            n = s.num_docs
        seen_here = {d for d in ids if scour.shard_of(d, 3) == i}
        assert n == len(seen_here)
        seen |= seen_here
    assert seen == ids
    assert not [p for p in os.listdir(index_set) if p.startswith(".tmp-")]


def test_search_equals_the_cli_and_one_index(index_set, corpus, client, tmp_path):
    s = sdask.DaskSearcher(index_set, client, batch_size=5)
    results = s.search(QUERIES, k=10, syntax=True)
    qids = [str(i + 1) for i in range(len(QUERIES))]
    assert sdask.run_lines(qids, results) == reference_lines(index_set, tmp_path, 10)
    # One index holding the same documents: the same score for every id, bit for bit.
    one = tmp_path / "one"
    scour.index_files(one, [corpus])
    with scour.Searcher(one) as single:
        for q, (ids, scores) in zip(QUERIES, results):
            full = {h.id: h.score for h in single.search(q, k=1000).hits}
            top = sorted(full.values(), reverse=True)[:10]
            assert scores == top, q
            for i, sc in zip(ids, scores):
                assert full[i] == sc, (q, i)
        # Every model, the re-ranking bm25tp included (the merge picks one index's candidates).
        for ranker in ("bm25tp", "qld", "dfr-inl2"):
            for q, (ids, scores) in zip(QUERIES, s.search(QUERIES, k=10, syntax=True,
                                                         ranker=ranker)):
                full = {h.id: h.score for h in single.search(q, k=1000, ranker=ranker).hits}
                assert scores == sorted(full.values(), reverse=True)[:10], (ranker, q)


def test_worker_killed_mid_batch(index_set, client, tmp_path):
    expected = reference_lines(index_set, tmp_path, 10)
    s = sdask.DaskSearcher(index_set, client, batch_size=len(QUERIES))
    out = {}

    def run():
        out["results"] = s.search(QUERIES, k=10, syntax=True, _delay_s=2.0)

    t = threading.Thread(target=run)
    t.start()
    time.sleep(1.0)  # the search round's tasks are sleeping on both workers
    pids = client.run(os.getpid)
    victim = sorted(pids.values())[0]
    os.kill(victim, signal.SIGKILL)
    t.join(timeout=120)
    assert not t.is_alive()
    qids = [str(i + 1) for i in range(len(QUERIES))]
    assert sdask.run_lines(qids, out["results"]) == expected
    assert victim not in client.run(os.getpid).values()


def test_build_task_twice_leaves_one_shard(corpus, tmp_path):
    kwargs = ({"format": "auto", "id_field": "id", "fields": None, "store": None},
              {"threads": 1, "ram_mb": 64, "stopwords": False})
    first = sdask._build_shard(str(tmp_path), 1, 3, [str(corpus)], *kwargs)
    mtime = os.path.getmtime(tmp_path / first / "MANIFEST")
    again = sdask._build_shard(str(tmp_path), 1, 3, [str(corpus)], *kwargs)
    assert first == again == "shard-0001"
    assert sorted(os.listdir(tmp_path)) == ["shard-0001"]
    assert os.path.getmtime(tmp_path / first / "MANIFEST") == mtime


def test_errors(index_set, client):
    s = sdask.DaskSearcher(index_set, client)
    with pytest.raises(ValueError, match="query 1"):
        s.search(['"unclosed'], k=5, syntax=True)
    with pytest.raises(FileNotFoundError):
        sdask.DaskSearcher(str(index_set) + "-missing", client)
    with pytest.raises(FileExistsError):
        sdask.build([], index_set, 3, client)
