"""IndexWriter: dicts and DataFrames in, the same index as the CLI builds; commit, rollback,
delete, replace, merge; the context manager."""

import json

import pandas as pd
import pytest

import scour
from conftest import HOME_CORPUS, cli_search, run_cli


def hits(path, query, k=20, **kw):
    with scour.Searcher(path) as s:
        return [(h.id, h.score) for h in s.search(query, k=k, **kw)]


QUERIES = ['"united front"', "party committee 2008", "company:tencent", "subsid*"]


@pytest.mark.parametrize("threads", [1, 2])
def test_dataframe_index_equals_cli_index(tmp_path, home_index, home_frame, threads):
    path = tmp_path / "py"
    with scour.IndexWriter(path, threads=threads, ram_mb=1) as w:  # small budget: segments
        assert w.add_many(home_frame) == len(home_frame)
    for q in QUERIES:
        assert hits(path, q) == cli_search(home_index, q, "-k", "20"), q
    with scour.Searcher(path) as s:
        assert s.num_docs == 109
        assert s.document("alibaba-1") == {
            k: v for k, v in home_frame.set_index("id").loc["alibaba-1"].items()}


def test_dicts_and_single_adds(tmp_path, home_index, home_docs):
    path = tmp_path / "py"
    w = scour.IndexWriter(path, analyzer="english")
    assert w.add_many(iter(home_docs[:50])) == 50   # any iterable of dicts
    for d in home_docs[50:]:
        w.add(d)
    w.commit()
    w.close()
    for q in QUERIES:
        assert hits(path, q) == cli_search(home_index, q, "-k", "20"), q


def test_fields_and_store_like_the_cli(tmp_path, home_docs):
    py, cli = tmp_path / "py", tmp_path / "cli"
    with scour.IndexWriter(py, fields=["text"], store=["company"]) as w:
        w.add_many(home_docs)
    run_cli("index", "-q", "--index", cli, "--fields", "text", "--store", "company", HOME_CORPUS)
    for q in ["huawei", "company:huawei", "party"]:
        assert hits(py, q) == cli_search(cli, q, "-k", "20"), q
    with scour.Searcher(py) as s:
        assert s.search("huawei", k=1)[0].fields.keys() == {"company"}


def test_commit_rollback_delete_replace_merge(tmp_path):
    path = tmp_path / "idx"
    w = scour.IndexWriter(path, analyzer="none", merge=False)
    w.add({"id": "a", "t": "red fox"})
    w.commit()
    w.add({"id": "b", "t": "red dog"})
    w.rollback()
    w.add({"id": "a", "t": "blue fox"})  # replaces
    w.add({"id": "c", "t": "red hen", "n": None, "x": float("nan")})  # missing values
    w.commit()
    with scour.Searcher(path) as s:
        assert [h.id for h in s.search("red")] == ["c"]
        assert [h.id for h in s.search("blue")] == ["a"]
        assert s.document("c") == {"t": "red hen"}
    w.delete("c")
    w.delete("never-there")
    w.commit()
    assert hits(path, "red") == []
    for i in range(5):
        w.add({"id": f"x{i}", "t": "fox"})
        w.commit()
    w.merge(1)
    with scour.Searcher(path) as s:
        assert s.stats()["segments"] == 1 and s.num_docs == 6
    st = w.stats()
    assert st["docs_added"] == 9 and st["deletes_requested"] == 2  # the rolled-back one too
    w.close()
    w.close()  # idempotent
    assert w.closed
    with pytest.raises(ValueError, match="closed"):
        w.add({"id": "z", "t": "x"})


def test_context_manager_commits_or_rolls_back(tmp_path):
    path = tmp_path / "idx"
    with scour.IndexWriter(path) as w:
        w.add({"id": "1", "text": "kept"})
    with pytest.raises(RuntimeError, match="boom"):
        with scour.IndexWriter(path) as w:
            w.add({"id": "2", "text": "dropped"})
            raise RuntimeError("boom")
    with scour.Searcher(path) as s:
        assert s.num_docs == 1 and s.document("1") == {"text": "kept"}
    assert w.closed  # and the lock is free again:
    scour.IndexWriter(path).close()


def test_ids_ints_index_and_dtypes(tmp_path):
    df = pd.DataFrame({"docno": [10, 11, 12], "body": ["alpha beta", "beta", "gamma"],
                       "year": [2001, 2002, 2003]})
    path = tmp_path / "idx"
    with scour.IndexWriter(path, id_field="docno", fields=["body"]) as w:  # year ignored
        w.add_many(df)
    with scour.Searcher(path) as s:
        assert [h.id for h in s.search("beta")] == ["11", "10"]
        assert s.fields == ["body"]
    # Without fields=, a non-text column is an error naming it and the row.
    with scour.IndexWriter(tmp_path / "other", id_field="docno") as w:
        with pytest.raises(TypeError, match=r"row 0: field 'year' is int"):
            w.add_many(df)
