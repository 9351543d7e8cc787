"""index_files and read_documents: what `scour index` reads (docs/INGEST.md), from Python."""

import os

import pytest

import scour
from conftest import HOME_CORPUS, cli_search, run_cli


def test_index_files_equals_cli(tmp_path, home_index):
    path = tmp_path / "idx"
    report = scour.index_files(path, HOME_CORPUS, threads=2)
    assert report == {"documents": 109, "skipped": 0, "errors": []}
    for q in ['"united front"', "company:tencent", "subsid*"]:
        with scour.Searcher(path) as s:
            assert [(h.id, h.score) for h in s.search(q, k=20)] == \
                cli_search(home_index, q, "-k", "20"), q


def test_formats_and_read_documents(tmp_path):
    tsv = tmp_path / "docs.tsv"
    tsv.write_text("id\ttitle\tbody\na\tRed fox\tquick\\tjump\nb\tLazy dog\tsleeps\n")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "one.txt").write_text("plain text file about foxes")
    (notes / "two.md").write_text("First paragraph.\n\nSecond paragraph about dogs.\n")
    docs = list(scour.read_documents(tsv))
    assert docs == [{"id": "a", "title": "Red fox", "body": "quick\tjump"},
                    {"id": "b", "title": "Lazy dog", "body": "sleeps"}]
    assert len(list(scour.read_documents(notes))) == 3  # one text file, two paragraphs
    path = tmp_path / "idx"
    r = scour.index_files(path, [tsv, notes], analyzer="english")
    assert r["documents"] == 5
    with scour.Searcher(path) as s:
        assert {h.id for h in s.search("dogs")} >= {"b"}
        assert len(s.search("fox OR foxes")) == 2


def test_bad_records(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "good"}\n{"id": 2, "text": "bad id"}\n'
                   '{"id": "3", "text": "good too"}\n{"id": "1", "text": "again"}\n')
    path = tmp_path / "idx"
    with pytest.raises(ValueError, match=r"bad.jsonl:2.*nothing was committed"):
        scour.index_files(path, bad)
    assert not (path / "MANIFEST").exists() or scour.Searcher(path).num_docs == 0
    r = scour.index_files(path, bad, skip_bad=True)
    assert r["documents"] == 2 and r["skipped"] == 2
    assert "bad.jsonl:2" in r["errors"][0] and "bad.jsonl:4" in r["errors"][1]
    it = scour.read_documents(bad)
    assert next(it)["id"] == "1"
    with pytest.raises(ValueError, match="bad.jsonl:2"):
        next(it)
    assert next(it)["id"] == "3"  # a bad record does not end the source
    with pytest.raises(FileNotFoundError):
        scour.index_files(tmp_path / "other", [HOME_CORPUS, tmp_path / "missing.jsonl"])
    assert not (tmp_path / "other" / "MANIFEST").exists() or \
        scour.Searcher(tmp_path / "other").num_docs == 0
    with pytest.raises(ValueError, match="format"):
        scour.read_documents(bad, format="xml")
