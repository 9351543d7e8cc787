"""evaluate() and compare() give `scour eval` / `scour compare`'s numbers, from DataFrames,
dicts or files; the TREC readers and writer round-trip."""

import json
import math

import numpy as np
import pandas as pd
import pytest

import scour
from conftest import DEV_QRELS, DEV_TOPICS, run_cli


@pytest.fixture(scope="module")
def runs(home_index, dev_topics):
    with scour.Searcher(home_index) as s:
        return {r: s.batch_search(dev_topics, k=1000, ranker=r, syntax=False)
                for r in ("bm25", "bm25tp", "bm25l")}


def same(a, b):
    return (a is None and b is None) or a == b or (
        isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def test_evaluate_equals_cli(runs, tmp_path):
    path = tmp_path / "bm25.run"
    scour.write_run(runs["bm25"], path)
    cli = json.loads(run_cli("eval", "--run", path, "--qrels", DEV_QRELS, "--json", "-q").stdout)
    got = scour.evaluate(path, DEV_QRELS, per_query=True)
    assert got.index[-1] == "all"
    assert list(got.columns) == list(cli["all"])
    for name, value in cli["all"].items():
        assert got.loc["all", name] == value, name
    for q in cli["queries"]:
        assert set(q["metrics"]) < set(got.columns)  # not num_q, runid, gm_map
        for name, value in q["metrics"].items():
            assert got.loc[q["qid"], name] == value, (q["qid"], name)
        assert pd.isna(got.loc[q["qid"], "num_q"]) and got.loc[q["qid"], "runid"] is None
    assert got.loc["all", "runid"] == "scour"
    assert str(got["num_q"].dtype) == "Int64" and got["map"].dtype == np.float64
    summary = scour.evaluate(path, DEV_QRELS, "num_q,map")
    assert summary["num_q"].dtype == np.int64
    # The file and dict forms give the same table.
    qrels = scour.read_qrels(DEV_QRELS)
    as_dict = {q: dict(zip(g.docno, g.score)) for q, g in runs["bm25"].groupby("qid")}
    qrels_dict = {q: dict(zip(g.docno, g.label)) for q, g in qrels.groupby("qid")}
    for run, qr in [(runs["bm25"], qrels), (as_dict, qrels_dict), (str(path), str(DEV_QRELS))]:
        other = scour.evaluate(run, qr, per_query=True)
        if not isinstance(run, str):  # runid is the file's tag, else "run"
            assert other.loc["all", "runid"] == "run"
            other.loc["all", "runid"] = "scour"
        pd.testing.assert_frame_equal(other, got)


def test_measures_and_options(runs):
    r = runs["bm25"]
    t = scour.evaluate(r, DEV_QRELS, "map,P.5,ndcg_cut.10,recall")
    assert list(t.index) == ["all"]
    # trec_eval's order; "recall" without a cutoff gets the default ones.
    assert list(t.columns) == ["map", "P_5", "recall_5", "recall_10", "recall_15", "recall_20",
                               "recall_30", "recall_100", "recall_200", "recall_500",
                               "recall_1000", "ndcg_cut_10"]
    t2 = scour.evaluate(r, DEV_QRELS, ["map", "P"], cutoffs=[3, 7])
    assert {"P_3", "P_7"} <= set(t2.columns)
    strict = scour.evaluate(r, DEV_QRELS, "map", relevance_level=2)
    assert strict.loc["all", "map"] != t.loc["all", "map"]
    short = scour.evaluate(r, DEV_QRELS, "num_ret", max_retrieved=5)
    per_qid = r.groupby("qid").size().clip(upper=5)
    assert short.loc["all", "num_ret"] == per_qid.sum()
    partial = r[r.qid != "D1"]
    assert scour.evaluate(partial, DEV_QRELS, "num_q", complete=True).loc["all", "num_q"] == \
        scour.evaluate(r, DEV_QRELS, "num_q").loc["all", "num_q"]


def test_compare_equals_cli(runs, tmp_path):
    files = []
    for name in ("bm25", "bm25tp", "bm25l"):
        files.append(tmp_path / name)
        scour.write_run(runs[name], files[-1])
    args = ["compare", "--qrels", DEV_QRELS, "--format", "json"]
    for f in files:
        args += ["--run", f]
    cli = json.loads(run_cli(*args).stdout)
    cmp = scour.compare(runs, DEV_QRELS)
    assert cmp.systems == ["bm25", "bm25tp", "bm25l"] == [s["name"] for s in cli["systems"]]
    assert cmp.measures == cli["measures"]
    for mine, theirs in zip(cmp.report["systems"], cli["systems"]):
        assert mine["means"] == theirs["means"] and mine["per_query"] == theirs["per_query"]
    assert len(cmp.report["pairs"]) == len(cli["pairs"]) == 2 * len(cmp.measures)
    for mine, theirs in zip(cmp.report["pairs"], cli["pairs"]):
        for key in theirs:
            assert same(mine[key], theirs[key]) or mine[key] == theirs[key], key
    means = cmp.means
    assert list(means.index) == cmp.systems and list(means.columns) == cmp.measures
    assert means.loc["bm25", "map"] == cli["systems"][0]["means"]["map"]
    pq = cmp.per_query
    assert set(pq.columns) == {"system", "qid", "measure", "value"}
    assert len(pq) == 3 * len(cmp.measures) * len(cli["queries"])
    tests = cmp.tests
    assert {"system", "baseline", "measure", "delta", "ci_low", "ci_high", "wins",
            "p_randomization", "p_adjusted_randomization"} <= set(tests.columns)
    assert "bm25tp" in str(cmp) and cmp._repr_markdown_().startswith("#")
    allp = scour.compare(list(runs.items()), DEV_QRELS, "map", all_pairs=True, tests="t",
                         correction="none")
    assert len(allp.tests) == 3 and "p_t-test" in allp.tests.columns


def test_read_write_round_trip(runs, tmp_path):
    path = tmp_path / "run.txt"
    run = runs["bm25"]
    scour.write_run(run, path, tag="mytag")
    assert path.read_text().splitlines()[0].split()[3:] == ["1", f"{run.score.iloc[0]:.9g}",
                                                           "mytag"]
    back = scour.read_run(path)
    ordered = run.sort_values(["qid", "score", "docno"], ascending=[True, False, False],
                              kind="stable").reset_index(drop=True)
    assert back.qid.tolist() == ordered.qid.tolist()
    assert back.docno.tolist() == ordered.docno.tolist()
    assert np.float32(back.score).tolist() == np.float32(ordered.score).tolist()
    topics = scour.read_topics(DEV_TOPICS)
    assert list(topics.columns) == ["qid", "query"] and topics.qid.iloc[0] == "D1"
    qrels = scour.read_qrels(DEV_QRELS)
    assert list(qrels.columns) == ["qid", "docno", "label"] and qrels.label.dtype == np.int64
    with open(DEV_QRELS) as f:
        first = f.readline().split()
    assert qrels.iloc[0].tolist() == [first[0], first[2], int(first[3])]


def test_evaluation_errors(runs, tmp_path):
    r = runs["bm25"]
    with pytest.raises(ValueError, match="nosuch"):
        scour.evaluate(r, DEV_QRELS, "map,nosuch")
    dup = pd.concat([r.head(2), r.head(1)])
    with pytest.raises(ValueError, match="twice|duplicate"):
        scour.evaluate(dup, DEV_QRELS)
    with pytest.raises(FileNotFoundError):
        scour.evaluate(r, tmp_path / "missing.qrels")
    bad = tmp_path / "bad.run"
    bad.write_text("D1 Q0 doc 1 notanumber tag\n")
    with pytest.raises(ValueError, match="bad.run:1"):
        scour.evaluate(bad, DEV_QRELS)
    with pytest.raises(ValueError, match="columns"):
        scour.evaluate(r.rename(columns={"score": "s"}), DEV_QRELS)
    with pytest.raises(TypeError, match="score"):
        scour.evaluate({"D1": {"a": "high"}}, DEV_QRELS)
    with pytest.raises(ValueError, match="finite"):
        scour.evaluate({"D1": {"a": float("nan")}}, DEV_QRELS)
    with pytest.raises(TypeError, match="relevance"):
        scour.evaluate(r, {"D1": {"a": 1.5}})
    with pytest.raises(TypeError):
        scour.evaluate(r, 42)
    with pytest.raises(ValueError, match="two runs"):
        scour.compare({"a": r}, DEV_QRELS)
    with pytest.raises(ValueError, match="correction|holm"):
        scour.compare({"a": r, "b": r}, DEV_QRELS, correction="sidak")
