"""The scripts of examples/python run as a newcomer would run them."""

import os
import subprocess
import sys

import pytest

from conftest import SOURCE_DIR, UNDER_ASAN

EXAMPLES = {
    "quickstart.py": "QuerySyntaxError at column 1",
    "evaluate_dev.py": "ndcg_cut_10",
    "feedback.py": "bm25+rm3-5x20",
    "python_model.py": "pivoted",
}


@pytest.mark.skipif(UNDER_ASAN, reason="the same calls as the other tests; slow under ASan")
@pytest.mark.parametrize("script", sorted(EXAMPLES))
def test_example_runs(tmp_path, script):
    p = subprocess.run([sys.executable, SOURCE_DIR / "examples" / "python" / script,
                        tmp_path / "index"], capture_output=True, text=True, cwd=tmp_path,
                       timeout=600)
    assert p.returncode == 0, p.stderr
    assert EXAMPLES[script] in p.stdout
