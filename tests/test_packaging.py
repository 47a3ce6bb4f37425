"""Packaging: the package is marked typed (PEP 561), and the built wheel carries the marker and the
data files that the code reads at run time."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_installed_package_is_marked_typed():
    marker = resources.files("claimledger").joinpath("py.typed")
    assert marker.is_file() and marker.read_text() == ""


def test_the_wheel_carries_py_typed_and_the_data_files(tmp_path):
    # Built from a copy, so that the build leaves nothing in the work tree; offline, with the
    # setuptools of this environment.
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, tmp_path / name)
    skip = shutil.ignore_patterns("*.egg-info", "__pycache__")
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=skip)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--wheel-dir", str(tmp_path / "dist"), str(tmp_path)],
        check=True,
        timeout=300,
    )  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("claimledger-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "claimledger/py.typed" in names
    assert "claimledger/ledger/migrations/script.py.mako" in names
    for folder in ("trackers/", "lexicons/ru/", "lexicons/uk/", "web/templates/", "web/static/"):
        assert any(n.startswith("claimledger/" + folder) for n in names), folder
