"""`cmake --install --component scour_python` gives a package that imports from anywhere; with
the default prefix it lands on Debian python3's own path (what scripts/run.sh relies on)."""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import HOME_CORPUS


def test_installed_package_imports_and_searches(tmp_path):
    build, cmake = os.environ.get("SCOUR_BUILD_DIR"), os.environ.get("SCOUR_CMAKE")
    if not build or not cmake:
        pytest.skip("run through ctest")
    rel = os.environ["SCOUR_PYTHON_INSTALL_DIR"]
    prefix = tmp_path / "prefix"
    subprocess.run([cmake, "--install", build, "--component", "scour_python", "--prefix", prefix],
                   check=True, capture_output=True)
    site = prefix / rel
    assert sorted(p.name for p in (site / "scour").iterdir() if p.suffix in (".py", ".so")) == [
        "__init__.py", f"_scour{sysconfig.get_config_var('EXT_SUFFIX')}", "dask.py"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    code = f"""
import scour, sys
assert scour.__file__.startswith({str(site)!r}), scour.__file__
with scour.IndexWriter({str(tmp_path / 'idx')!r}) as w:
    import json
    w.add_many(json.loads(l) for l in open({str(HOME_CORPUS)!r}))
print(scour.Searcher({str(tmp_path / 'idx')!r}).search('"united front"', k=1)[0].id)
"""
    p = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip()
    # With the default prefix (/usr/local) the package goes where this python3 looks by itself.
    if not os.path.isabs(rel):
        default = Path("/usr/local") / rel
        if sysconfig.get_path("platlib") == str(default):
            assert str(default) in sys.path
