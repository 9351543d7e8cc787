"""Index sets built and searched on a Dask cluster (docs/DISTRIBUTED.md, docs/PYTHON.md).

    python3 -m scour.dask build  --in FILES... --out SET --shards N [--scheduler tcp://HOST:8786]
    python3 -m scour.dask search --index SET (--topics T | --query Q) [-k 1000] [--scheduler ...]
    python3 -m scour.dask eval   --index SET --topics T --qrels Q [-m MEASURES] [--scheduler ...]

Without --scheduler a LocalCluster is started (--workers processes, one thread each). The rounds
of the protocol run as Dask tasks over shards: statistics (once per set), term statistics per
batch of queries, search per batch, merge, then the external ids of the final hits only. Tasks
take shard *paths*: a worker opens a shard on first use and keeps it (Dask never ships index
bytes), so every machine must see the set at the same path (a shared file system). Every C++
call releases the GIL. Runs are identical to `scour search --queries` / `scour eval --index` on
the set, and to one index holding the same documents (docs/DISTRIBUTED.md, "Ties").

Tasks may run twice (a worker lost mid-task is replaced and its tasks re-run): search tasks only
read; a build task writes its shard under a temporary name and renames it into place, so a re-run
leaves exactly one complete shard.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import uuid

from . import _scour

# ------------------------------------------------------------------ worker side

_SHARDS = {}  # path -> _scour._Shard, per worker process: opened lazily, kept


def _shard(path):
    s = _SHARDS.get(path)
    if s is None:
        s = _SHARDS[path] = _scour._Shard(path)
    return s


def _info(path):
    return _shard(path).info()


def _term_statistics(path, request):
    return _shard(path).term_statistics(request)


def _search(path, index, queries, options, collection, delay_s=0.0):
    if delay_s:  # tests: keep the task running while a worker is killed
        time.sleep(delay_s)
    return _shard(path).search(index, queries, options, collection, 1)


def _ids(path, local_docs):
    return _shard(path).ids(local_docs)


def _build_shard(out, index, num_shards, inputs, reader_kwargs, writer_kwargs):
    """Writes shard `index` of `num_shards` from the documents of `inputs` routed to it, under a
    temporary name, then renames it into place. If the shard is already there (this task ran
    before), the new copy is discarded: exactly one complete shard either way."""
    from . import IndexWriter, read_documents

    name = f"shard-{index:04d}"
    final = os.path.join(out, name)
    if os.path.exists(os.path.join(final, "MANIFEST")):
        return name
    tmp = os.path.join(out, f".tmp-{name}-{uuid.uuid4().hex}")
    try:
        docs = 0
        with IndexWriter(tmp, **writer_kwargs) as w:
            batch = []
            for path in inputs:
                for doc in read_documents(path, **reader_kwargs):
                    if _scour.shard_of(doc[reader_kwargs.get("id_field", "id")],
                                       num_shards) != index:
                        continue
                    batch.append(doc)
                    if len(batch) == 1024:
                        docs += w.add_many(batch)
                        batch = []
            docs += w.add_many(batch)
        try:
            os.rename(tmp, final)  # atomic; fails if another run put the shard there first
        except OSError:
            if not os.path.exists(os.path.join(final, "MANIFEST")):
                raise
        return name
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------ client side


def _client(scheduler=None, workers=2):
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster), cluster


def build(inputs, out, num_shards, client, *, format="auto", id_field="id", fields=None,
          store=None, analyzer=None, stopwords=False, ram_mb=256):
    """One task per shard; then INDEXSET is written, last, so the set appears complete or not at
    all. Returns the shard paths."""
    if num_shards < 1:
        raise ValueError("num_shards must be at least 1")
    if os.path.exists(os.path.join(out, "INDEXSET")):
        raise FileExistsError(f"{out}: already an index set (update it with `scour index`)")
    os.makedirs(out, exist_ok=True)
    inputs = [os.path.abspath(os.fspath(p)) for p in inputs]
    out = os.path.abspath(os.fspath(out))
    reader_kwargs = {"format": format, "id_field": id_field, "fields": fields, "store": store}
    writer_kwargs = {"threads": 1, "ram_mb": ram_mb, "stopwords": stopwords}
    if analyzer:
        writer_kwargs["analyzer"] = analyzer
    futures = [client.submit(_build_shard, out, i, num_shards, inputs, reader_kwargs,
                             writer_kwargs, pure=False, retries=2)
               for i in range(num_shards)]
    names = client.gather(futures)
    _scour._write_index_set(out, names)
    return [os.path.join(out, n) for n in names]


class DaskSearcher:
    """The protocol's rounds as Dask tasks over the shards of an index set."""

    def __init__(self, path, client, *, batch_size=64):
        self.client = client
        self.paths = [os.path.abspath(p) for p in _scour.index_set_shards(os.fspath(path))]
        self.batch_size = batch_size
        infos = client.gather([client.submit(_info, p, pure=False) for p in self.paths])
        self.collection = _scour._merge_shard_info(infos)

    def _locate(self, doc):
        bases = self.collection["bases"]
        s = len(bases) - 1
        while bases[s] > doc:
            s -= 1
        return s, doc - bases[s]

    def search(self, queries, *, k=1000, _delay_s=0.0, **options):
        """[(ids, scores)] per query, as ShardedSearcher.SearchBatch ranks them. options: ranker,
        k1, b, delta, operator, syntax, count, fields."""
        options = dict(options, k=k)
        out = []
        for start in range(0, len(queries), self.batch_size):
            out += self._batch(list(queries[start:start + self.batch_size]), options, _delay_s)
        return out

    def _batch(self, queries, options, delay_s):
        c = self.client
        # Round 1: the terms every query scores, counted in every shard, summed.
        request = _scour._query_terms(queries, options, self.collection)
        answers = c.gather([c.submit(_term_statistics, p, request, pure=False)
                            for p in self.paths])
        coll = dict(self.collection, terms=[])
        for a in answers:
            coll = _scour._add_term_statistics(coll, a)
        # Round 2: each shard's top k under the global statistics; merged.
        parts = c.gather([c.submit(_search, p, i, queries, options, coll, delay_s, pure=False)
                          for i, p in enumerate(self.paths)])
        # k capped at the collection's size, as the shards and one index cap it
        k_set = min(options["k"], max(self.collection["max_doc"], 1))
        merged = _scour._merge_results(parts, k_set, bool(options.get("count")))
        # Round 3: the external ids of the final hits only, fetched from their shards.
        want = {}
        for d in merged["docs"]:
            s, local = self._locate(d)
            want.setdefault(s, []).append(local)
        fetched = dict(zip(want, c.gather([c.submit(_ids, self.paths[s], docs, pure=False)
                                           for s, docs in want.items()])))
        cursor = {s: 0 for s in want}
        results = []
        off = merged["offsets"]
        for q in range(len(queries)):
            err = merged["errors"][q]
            if err is not None:
                raise ValueError(f"query {q + 1} ({queries[q]!r}): {err[1]}")
            ids, scores = [], []
            for i in range(off[q], off[q + 1]):
                s, _ = self._locate(merged["docs"][i])
                ids.append(fetched[s][cursor[s]])
                cursor[s] += 1
                scores.append(merged["scores"][i])
            results.append((ids, scores))
        return results


def _trec_id(doc_id):
    return "".join("_" if ch in " \t\n\r" else ch for ch in doc_id)


def run_lines(qids, results, tag="scour"):
    """TREC run lines, as `scour search --format trec` / `scour eval --run-out` print them."""
    lines = []
    for qid, (ids, scores) in zip(qids, results):
        for rank, (i, s) in enumerate(zip(ids, scores), 1):
            lines.append(f"{qid} Q0 {_trec_id(i)} {rank} {s:.6f} {tag}")
    return lines


# ------------------------------------------------------------------ command line


def _options(a):
    # As `scour search`: a QUERY argument is the query language, topics are plain text.
    o = {"ranker": a.ranker, "k1": a.k1, "b": a.b, "mu": a.mu, "c": a.c,
         "syntax": a.syntax or a.query is not None,
         "operator": "and" if a.and_ else "or"}
    if a.fields:
        o["fields"] = a.fields.split(",")
    return o


def _topics(a):
    from . import read_topics

    if a.query is not None:
        return ["1"], [a.query]
    t = read_topics(a.topics)
    return list(t["qid"]), list(t["query"])


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m scour.dask", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)

    def cluster_args(sp):
        sp.add_argument("--scheduler", help="address of a Dask scheduler (default: a LocalCluster)")
        sp.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")

    b = sub.add_parser("build", help="write an index set, one task per shard")
    b.add_argument("--in", dest="inputs", nargs="+", required=True, help="input files")
    b.add_argument("--out", required=True, help="the index set directory to create")
    b.add_argument("--shards", type=int, required=True)
    b.add_argument("--format", default="auto")
    b.add_argument("--id-field", default="id")
    b.add_argument("--fields", help="comma-separated fields to index (default: all)")
    b.add_argument("--language", help="stemming language of the new shards")
    b.add_argument("--ram-mb", type=int, default=256)
    cluster_args(b)

    for name in ("search", "eval"):
        s = sub.add_parser(name, help=f"{name} an index set, the rounds as Dask tasks")
        s.add_argument("--index", required=True, help="index set directory")
        s.add_argument("--topics", help="topic file (as `scour eval`)")
        if name == "search":
            s.add_argument("--query", help="one query (instead of --topics)")
            s.add_argument("-k", type=int, default=10)
        else:
            s.add_argument("--qrels", required=True)
            s.add_argument("-m", "--measures", default="map,ndcg_cut.10,P.10,recall.1000")
            s.add_argument("--depth", type=int, default=1000)
            s.set_defaults(query=None)
        s.add_argument("--ranker", default="bm25")
        s.add_argument("--k1", type=float, default=0.9)
        s.add_argument("--b", type=float, default=0.4)
        s.add_argument("--mu", type=float, default=1000.0, help="qld's Dirichlet mu")
        s.add_argument("--c", type=float, default=1.0, help="dfr-*'s normalisation c")
        s.add_argument("--and", dest="and_", action="store_true")
        s.add_argument("--syntax", action="store_true", help="topics in the query language")
        s.add_argument("--fields", help="default fields, comma-separated")
        s.add_argument("--batch", type=int, default=64, help="queries per task")
        s.add_argument("--run-out", help="also write the run to this file")
        s.add_argument("--tag", default="scour")
        cluster_args(s)

    a = p.parse_args(argv)
    if a.cmd != "build" and (a.query is None) == (a.topics is None):
        p.error("give --topics or --query")
    client, cluster = _client(a.scheduler, a.workers)
    try:
        if a.cmd == "build":
            t0 = time.time()
            paths = build(a.inputs, a.out, a.shards, client, format=a.format,
                          id_field=a.id_field, fields=a.fields.split(",") if a.fields else None,
                          analyzer=a.language, ram_mb=a.ram_mb)
            print(f"index set {a.out}: {len(paths)} shards in {time.time() - t0:.2f} s",
                  file=sys.stderr)
            return 0
        qids, queries = _topics(a)
        searcher = DaskSearcher(a.index, client, batch_size=a.batch)
        k = a.k if a.cmd == "search" else a.depth
        t0 = time.time()
        results = searcher.search(queries, k=k, **_options(a))
        secs = time.time() - t0
        if a.cmd == "search":
            text = "".join(line + "\n" for line in run_lines(qids, results, a.tag))
            sys.stdout.write(text)
            if a.run_out:
                with open(a.run_out, "w") as f:
                    f.write(text)
        else:
            from . import evaluate, read_qrels, write_run

            run = run_frame(qids, results)
            if a.run_out:
                write_run(run, a.run_out, a.tag)
            print(evaluate(run, read_qrels(a.qrels), a.measures).to_string())
        print(f"{len(queries)} queries in {secs:.2f} s ({len(queries) / max(secs, 1e-9):.1f} "
              f"queries/s) over {len(searcher.paths)} shards", file=sys.stderr)
        return 0
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_frame(qids, results):
    """A run DataFrame (qid, docno, score), as Searcher.batch_search gives one."""
    import pandas as pd

    q, d, s = [], [], []
    for qid, (ids, scores) in zip(qids, results):
        q += [qid] * len(ids)
        d += ids
        s += scores
    return pd.DataFrame({"qid": q, "docno": d, "score": s})


if __name__ == "__main__":
    sys.exit(main())
