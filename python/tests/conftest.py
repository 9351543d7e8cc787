"""Fixtures of the Python module's tests: the CLI built beside the module (SCOUR_CLI, set by
ctest) and indexes of the home corpus built by that CLI."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("SCOUR_SOURCE_DIR", Path(__file__).resolve().parents[2]))
HOME_CORPUS = SOURCE_DIR / "corpus" / "party_state.jsonl"
DEV_TOPICS = SOURCE_DIR / "corpus" / "dev" / "topics.tsv"
DEV_QRELS = SOURCE_DIR / "corpus" / "dev" / "qrels.txt"
# examples/python's importable modules (numpy_bm25) are imported by the tests too.
sys.path.insert(0, str(SOURCE_DIR / "examples" / "python"))
UNDER_ASAN = os.environ.get("SCOUR_UNDER_ASAN") == "1"


def cli_path():
    cli = os.environ.get("SCOUR_CLI")
    if not cli:
        pytest.skip("SCOUR_CLI is not set (run through ctest)")
    return cli


def run_cli(*args, check=True):
    """Runs the scour CLI; returns stdout (str)."""
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)  # the CLI is linked with its sanitizers, not preloaded
    p = subprocess.run([cli_path(), *map(str, args)], capture_output=True, text=True, env=env)
    if check and p.returncode != 0:
        raise AssertionError(f"scour {' '.join(map(str, args))}: exit {p.returncode}\n{p.stderr}")
    return p


def run_threads(work, n):
    """Runs work(0) .. work(n - 1) on n threads at once; re-raises the first failure."""
    errors = []

    def run(i):
        try:
            work(i)
        except BaseException as e:  # noqa: BLE001 (raised below, in the test's thread)
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def cli_search(index, query, *flags):
    """Hits of `scour search --format json`: [(id, score)]."""
    out = run_cli("search", "--index", index, "--format", "json", *flags, "--", query).stdout
    return [(j["id"], j["score"]) for j in map(json.loads, out.splitlines())]


@pytest.fixture(scope="session")
def cli():
    return cli_path()


@pytest.fixture(scope="session")
def home_index(tmp_path_factory):
    """The home corpus indexed by the CLI (english stemming, every field)."""
    path = tmp_path_factory.mktemp("home") / "index"
    run_cli("index", "-q", "--index", path, HOME_CORPUS)
    return path


@pytest.fixture(scope="session")
def home_docs():
    with open(HOME_CORPUS, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="session")
def home_frame(home_docs):
    import pandas as pd

    return pd.DataFrame(home_docs)


@pytest.fixture(scope="session")
def dev_topics():
    with open(DEV_TOPICS, encoding="utf-8") as f:
        return dict(line.rstrip("\n").split("\t", 1) for line in f if line.strip())
