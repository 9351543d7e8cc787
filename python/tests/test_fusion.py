"""fuse() gives `scour fuse`'s run (docs/FUSION.md) from DataFrames, dicts or files."""

import pandas as pd
import pytest

import scour
from conftest import run_cli

A = "1 Q0 d3 1 1.0 a\n1 Q0 d1 7 3.0 a\n1 Q0 d2 2 2.0 a\n"
B = "1 Q0 d2 1 10 b\n1 Q0 d4 2 5 b\n2 Q0 x 1 4 b\n"


@pytest.fixture
def files(tmp_path):
    a, b = tmp_path / "a.run", tmp_path / "b.run"
    a.write_text(A)
    b.write_text(B)
    return str(a), str(b)


@pytest.mark.parametrize("flags,kwargs", [
    ([], {}),
    (["--method", "combmnz", "--norm", "zscore"], {"method": "combmnz", "norm": "zscore"}),
    (["--method", "linear", "--weights", "0.25,0.75", "--depth", "2"],
     {"method": "linear", "weights": [0.25, 0.75], "depth": 2}),
    (["--k", "10", "--input-depth", "1"], {"k": 10, "input_depth": 1}),
])
def test_fuse_equals_cli(files, flags, kwargs):
    cli = run_cli("fuse", *flags, *files).stdout.splitlines()
    got = scour.fuse(list(files), **kwargs)
    assert list(got.columns) == ["qid", "docno", "score", "rank"]
    assert len(got) == len(cli)
    for row, line in zip(got.itertuples(), cli):
        qid, _, docno, rank, score, _ = line.split()
        assert (row.qid, row.docno, row.rank + 1) == (qid, docno, int(rank))
        assert row.score == pytest.approx(float(score), rel=1e-8)


def test_fuse_tables_and_dicts(files):
    a = scour.read_run(files[0])
    b = {"1": {"d2": 10.0, "d4": 5.0}, "2": {"x": 4.0}}
    got = scour.fuse({"a": a, "b": b}, "combsum")
    assert list(got.docno) == ["d2", "d1", "d4", "d3", "x"]
    assert list(got.score) == [1.5, 1.0, 0.0, 0.0, 1.0]
    assert list(got["rank"]) == [0, 1, 2, 3, 0]


def test_fuse_errors(files):
    with pytest.raises(ValueError, match="linear fusion needs weights"):
        scour.fuse(list(files), "linear")
    with pytest.raises(ValueError, match="3 weights for 2 runs"):
        scour.fuse(list(files), weights=[1, 2, 3])
    with pytest.raises(ValueError, match="rrf reads ranks"):
        scour.fuse(list(files), norm="minmax")
    with pytest.raises(ValueError, match="at least two runs"):
        scour.fuse([files[0]])
    with pytest.raises(ValueError, match="twice in query 1"):
        scour.fuse([files[0], pd.DataFrame({"qid": ["1", "1"], "docno": ["d1", "d1"],
                                            "score": [1.0, 2.0]})])
