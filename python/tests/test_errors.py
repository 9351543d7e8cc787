"""Errors are Python exceptions with the C++ message; the index is left as at its last commit."""

import os
import subprocess
import sys
import textwrap

import pytest

import scour


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "idx"
    with scour.IndexWriter(path, analyzer="none") as w:
        w.add({"id": "a", "title": "red fox", "text": "the quick red fox"})
        w.add({"id": "b", "title": "lazy dog", "text": "over the lazy dog"})
    return path


def test_syntax_error_is_value_error_with_column_and_caret(small):
    with scour.Searcher(small) as s:
        with pytest.raises(ValueError) as e:
            s.search("title:(red fox")
        assert isinstance(e.value, scour.QuerySyntaxError)
        msg = str(e.value)
        assert "column" in msg and "^" in msg and "title:(red fox" in msg
        assert e.value.column == 7 and "column 7" in msg
        with pytest.raises(scour.QuerySyntaxError, match=r"query 2: query: column"):
            s.batch_search([("1", "red"), ("2", '"unclosed'), ("3", "(")], syntax=True)
        with pytest.raises(ValueError, match="unknown field"):
            s.search("color:red")
        with pytest.raises(ValueError, match="unknown field 'body'"):
            s.search("red", fields=["body"])
        with pytest.raises(ValueError, match="unknown ranker"):
            s.search("red", ranker="tfidf")
        with pytest.raises(ValueError, match="k1"):
            s.batch_search({"1": "red"}, k1=-1)


def test_missing_index_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        scour.Searcher(tmp_path / "nope")
    with pytest.raises(OSError):
        scour.Searcher(tmp_path / "nope")


def test_corrupt_index_is_corrupt_index_error(small):
    with scour.Searcher(small) as s:
        assert len(s.search("red")) == 1
    victim = sorted(f for f in os.listdir(small) if f.endswith(".tdict"))[0]
    p = small / victim
    data = bytearray(p.read_bytes())
    data[len(data) // 2] ^= 0xFF
    p.write_bytes(bytes(data))
    with pytest.raises(scour.CorruptIndexError, match=victim):
        scour.Searcher(small, verify=True)
    assert issubclass(scour.CorruptIndexError, OSError)
    p.write_bytes(p.read_bytes()[:20])  # truncated: caught without verify
    with pytest.raises(scour.CorruptIndexError):
        scour.Searcher(small)


def test_second_writer_is_locked_error(small):
    with scour.IndexWriter(small):
        with pytest.raises(scour.LockedError, match="locked"):
            scour.IndexWriter(small)
        # Another process too.
        code = textwrap.dedent(f"""
            import scour, sys
            try:
                scour.IndexWriter({str(small)!r})
            except scour.LockedError as e:
                print("locked:", e)
                sys.exit(3)
        """)
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert p.returncode == 3, p.stderr
    scour.IndexWriter(small).close()  # free again


def test_writer_errors_leave_the_last_commit(small):
    w = scour.IndexWriter(small)
    w.add({"id": "c", "title": "new"})
    with pytest.raises(ValueError, match="_id"):
        w.add({"id": "d", "_id": "x"})
    with pytest.raises(ValueError, match="id"):
        w.add({"id": "", "title": "x"})
    with pytest.raises(ValueError, match="analyzer|language"):
        scour.IndexWriter(small.parent / "new", analyzer="klingon")
    w.rollback()
    w.close()
    with scour.Searcher(small) as s:
        assert s.num_docs == 2
    with pytest.raises(ValueError, match="language none"):
        scour.IndexWriter(small, analyzer="english")  # the index was made with "none"


def test_closed_searcher(small):
    s = scour.Searcher(small)
    s.close()
    with pytest.raises(ValueError, match="closed"):
        s.search("red")


def test_bad_values_name_what_was_wrong(small, tmp_path):
    import math

    import pandas as pd

    with scour.IndexWriter(small) as w:
        with pytest.raises(ValueError, match=r"row 1: field 'text': UnicodeEncodeError"):
            w.add_many(pd.DataFrame({"id": ["x", "y"], "text": ["ok", "\ud800"]}))
        with pytest.raises(ValueError, match=r"row 0: the id: UnicodeEncodeError"):
            w.add_many(pd.DataFrame({"id": ["\udcff"], "text": ["ok"]}))
        with pytest.raises(TypeError, match=r"row 0: the id .* not float \(an int column with"):
            w.add_many(pd.DataFrame({"id": [1, None], "text": ["a", "b"]}))
        with pytest.raises(ValueError, match="max_segments"):
            w.merge(-1)
        w.rollback()
    for kwargs in ({"threads": 10**6}, {"threads": -1}, {"ram_mb": 0}, {"ram_mb": 2**40}):
        with pytest.raises(ValueError, match=next(iter(kwargs))):
            scour.IndexWriter(tmp_path / "w", **kwargs)
    with scour.Searcher(small) as s:
        with pytest.raises(ValueError, match="finite"):
            s.search("red", fields={"text": math.inf})
        with pytest.raises(ValueError, match="snippet_bytes"):
            s.search("red", snippets=True, snippet_bytes=0)
        with pytest.raises(ValueError, match="threads"):
            s.batch_search({"1": "red"}, threads=10**6)
    run = pd.DataFrame({"qid": ["1"], "docno": ["a"], "score": [1.0]})
    with pytest.raises(ValueError, match="row 0: relevance 1180591620717411303424 is out"):
        scour.evaluate(run, pd.DataFrame({"qid": ["1"], "docno": ["a"], "label": [2**70]}))
    with pytest.raises(IsADirectoryError):
        scour.evaluate(str(tmp_path), run.rename(columns={"score": "label"}))
    with pytest.raises(IsADirectoryError):
        scour.read_topics(tmp_path)
    out = tmp_path / "out.run"
    with pytest.raises(ValueError, match="row 1: the score nan is not finite"):
        scour.write_run(pd.DataFrame({"qid": ["1", "1"], "docno": ["a", "b"],
                                      "score": [1.0, math.nan]}), out)
    assert not out.exists()  # checked before anything is written
