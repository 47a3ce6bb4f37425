"""Batch building blocks without worker processes: the plan, the shard round trip, partition
errors, the manifest's skip rule and the Dask extra's absence."""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from claimledger.batch.manifest import Manifest
from claimledger.batch.partitions import plan
from claimledger.batch.shards import TABLES, ShardWriter, flatten, iter_documents, shard_path
from claimledger.batch.worker import PartitionTask, run_partition
from claimledger.readers.jsonl import read_jsonl
from claimledger.settings import Settings
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import make_document


def _jsonl(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(
                json.dumps({"url": f"https://x.example/{i}", "text": f"Line {i}. " + "word " * (i * 7 % 50)})
            )
            fh.write("\n")


def test_jsonl_ranges_start_at_lines_and_tile_the_file(tmp_path):
    path = tmp_path / "feed.jsonl"
    _jsonl(path, 200)
    settings = replace(Settings(), partition_bytes=1000)
    _, parts = plan([str(path)], settings)
    assert len(parts) > 10
    data = path.read_bytes()
    assert parts[0].start == 0 and parts[-1].end is None
    for a, b in itertools.pairwise(parts):
        assert a.end == b.start and data[b.start - 1 : b.start] == b"\n"
    whole = [r.source for r in read_jsonl(path, settings)]
    pieces = [r.source for p in parts for r in read_jsonl(path, settings, start=p.start, end=p.end)]
    assert pieces == whole and len(whole) == 200


def test_plan_groups_pages_and_is_deterministic(tmp_path):
    folder = tmp_path / "pages"
    (folder / ".hidden").mkdir(parents=True)
    for i in range(10):
        (folder / f"{i:02d}.txt").write_text("Some text. " * 40)
    (folder / ".hidden" / "x.txt").write_text("not read")
    (folder / "image.bin").write_bytes(bytes(range(256)) * 4)  # binary: left out, as the readers do
    _jsonl(folder / "feed.jsonl", 5)  # a JSON Lines file in a folder is its own partition
    settings = replace(Settings(), partition_bytes=1500)
    inputs, parts = plan([str(folder)], settings)
    assert inputs[0].kind == "folder" and inputs[0].files == 12
    kinds = [p.kind for p in parts]
    assert kinds.count("jsonl") == 1 and kinds.count("files") == 3
    assert sorted(f for p in parts for f in p.files) == [str(folder / f"{i:02d}.txt") for i in range(10)]
    assert [p.fingerprint for p in plan([str(folder)], settings)[1]] == [p.fingerprint for p in parts]
    (folder / "05.txt").write_text("Changed. " * 40)
    again = plan([str(folder)], settings)[1]
    changed = [a.id for a, b in zip(parts, again, strict=True) if a.fingerprint != b.fingerprint]
    assert changed == ["part-00001"]  # only the group holding the changed file is redone


def test_shards_round_trip_documents_in_bounded_row_groups(tmp_path):
    docs = [make_document(i) for i in range(25)]
    docs[3].status, docs[3].errors = "failed", []
    docs[4].provenance = {"warc_file": "a.warc.gz", "offset": 1234}
    writer = ShardWriter(tmp_path, "part-00007", rows_per_group=4)
    for seq, d in enumerate(docs):
        writer.add(flatten(d, 7, seq))
    counts = writer.commit()
    assert counts["documents"] == 25 and counts["quotes"] == sum(len(d.quotes) for d in docs)
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(shard_path(tmp_path, "quotes", "part-00007")).metadata
    assert meta.num_row_groups == 7  # 25 documents in groups of 4
    back = list(iter_documents(tmp_path, "part-00007", batch_rows=5))
    assert [d.to_dict() for d in back] == [d.to_dict() for d in docs]
    assert not list(tmp_path.rglob("*.tmp"))


def test_same_rows_give_the_same_bytes(tmp_path):
    for run in ("a", "b"):
        writer = ShardWriter(tmp_path / run, "part-00000")
        for seq in range(5):
            writer.add(flatten(make_document(seq), 0, seq))
        writer.commit()
    for t in TABLES:
        assert (
            shard_path(tmp_path / "a", t, "part-00000").read_bytes()
            == shard_path(tmp_path / "b", t, "part-00000").read_bytes()
        )


def test_a_reader_breaking_off_fails_the_partition_with_a_code_and_keeps_what_was_read(
    tmp_path, monkeypatch, nlp
):
    from claimledger.batch import worker
    from claimledger.readers.record import Record

    def records(_p, _settings):
        yield Record("a.txt", "“We will rebuild,” said Mayor Ana Ruiz. At least 45 homes were lost.")
        yield Record("b.txt", None, status="failed")
        raise OSError("disk went away")

    monkeypatch.setattr(worker, "_records", records)
    settings = Settings()
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text("x")
    _, (part,) = plan([str(folder)], settings)
    result = run_partition(PartitionTask(part, str(tmp_path / "out"), settings))
    assert result.status == "failed"
    assert result.error["code"] == "CL-E050" and "disk went away" in result.error["message"]
    assert result.documents == {"failed": 1, "ok": 1}
    assert result.failures == [
        {"source": "b.txt", "code": "CL-E006", "message": result.failures[0]["message"]}
    ]
    assert [d.source for d in iter_documents(tmp_path / "out", part.id)] == ["a.txt", "b.txt"]


def test_manifest_skips_only_complete_partitions_of_the_same_settings(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text("Some text.")
    settings = Settings()
    inputs, parts = plan([str(folder)], settings)
    out = tmp_path / "out"
    m = Manifest.load(out)
    m.begin(settings, inputs, parts)
    m.partitions[parts[0].id]["status"] = "done"
    m.save()
    assert not Manifest.load(out).is_complete(parts[0])  # no shard files yet
    writer = ShardWriter(out, parts[0].id)
    writer.commit()
    assert Manifest.load(out).is_complete(parts[0])
    other = Manifest.load(out)
    other.begin(replace(settings, max_text_chars=1000), inputs, parts)  # output-affecting change
    assert not other.is_complete(parts[0])
    same = Manifest.load(out)
    same.begin(replace(settings, batch_size=8), inputs, parts)  # batch_size does not change output
    assert same.is_complete(parts[0])


def test_dask_missing_names_the_extra(monkeypatch):
    from claimledger.batch.engines import DaskEngine, EngineMissing

    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(EngineMissing, match=r"^CL-E053: .*pip install 'claimledger\[dask\]'"):
        DaskEngine(2, Settings())


def test_a_missing_pipeline_is_fatal_before_any_work(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from claimledger.cli import cli

    (tmp_path / "a.txt").write_text("Some text.")
    monkeypatch.setenv("CLAIMLEDGER_PIPELINE", "no_such_pipeline")
    res = CliRunner().invoke(cli, ["batch", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out")])
    assert res.exit_code == 1 and "CL-E010" in res.output


def test_cluster_and_scheduler_together_are_a_usage_error(tmp_path):
    from click.testing import CliRunner

    from claimledger.cli import cli

    (tmp_path / "a.txt").write_text("Some text.")
    args = ["batch", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), "--cluster", "local"]
    res = CliRunner().invoke(cli, [*args, "--scheduler", "tcp://127.0.0.1:1"])
    assert res.exit_code == 2


def test_an_input_that_cannot_be_planned_is_fatal_with_a_code(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from claimledger.batch import partitions
    from claimledger.cli import cli

    def unreadable(folder):
        raise partitions.PlanError(str(folder), "Permission denied")

    monkeypatch.setattr(partitions, "_scan_folder", unreadable)
    res = CliRunner().invoke(cli, ["batch", str(tmp_path), "--out", str(tmp_path / "out")])
    assert res.exit_code == 1 and "CL-E052" in res.output and "Permission denied" in res.output
