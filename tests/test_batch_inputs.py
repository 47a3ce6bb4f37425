"""Batch inputs found by the readers' walker, and `load` refusing a folder that is no batch output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.batch.load import NotBatchOutput, load_shards
from claimledger.batch.partitions import PlanError, plan
from claimledger.cli import cli
from claimledger.readers import walk as walk_module
from claimledger.settings import Settings

PAGE = "The harbour master said 14 boats stayed in port on Tuesday.\n"


def test_load_of_a_folder_that_is_no_batch_output_is_a_usage_error(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(PAGE)
    db = tmp_path / "l.db"
    res = CliRunner().invoke(cli, ["load", str(pages), "--db", str(db)])
    assert res.exit_code == 2, res.output
    assert "CL-E055" in res.stderr and "no manifest.json" in res.stderr and "claimledger ingest" in res.stderr
    assert "loaded 0 partition(s)" not in res.stderr
    assert not db.exists()  # refused before the ledger is opened


def test_load_shards_refuses_a_folder_without_manifest(tmp_path):
    with pytest.raises(NotBatchOutput, match="CL-E055"):
        load_shards(tmp_path, ledger=None)  # type: ignore[arg-type]  # refused before it is used


def test_plan_walks_folders_like_the_readers(tmp_path):
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(PAGE)
    (folder / "sub" / "b.txt").write_text(PAGE)
    (folder / "up").symlink_to("..")
    (folder / "sub" / "top").symlink_to("../..")
    (folder / "sub" / "again.txt").symlink_to(folder / "a.txt")
    inputs, parts = plan([str(folder)], Settings())
    assert inputs[0].files == 2
    assert [Path(f).relative_to(folder).as_posix() for p in parts for f in p.files] == ["a.txt", "sub/b.txt"]


def test_plan_refuses_a_folder_it_cannot_list(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "a.txt").write_text(PAGE)
    real = os.scandir

    def scandir(path="."):
        if Path(path) == tmp_path / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(walk_module.os, "scandir", scandir)
    with pytest.raises(PlanError) as info:
        plan([str(tmp_path)], Settings())
    assert info.value.source == str(tmp_path / "locked") and info.value.reason == "Permission denied"
