"""``claimledger batch`` and ``load`` end to end on a small invented corpus: a WARC.gz, a JSON Lines
file and a folder of pages, with a few bad documents among them.

Every run is compared, row by row, with single-process ``extract_many`` over the same records.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimledger.batch.shards import TABLES, flatten
from claimledger.batch.worker import CRASH_ENV
from claimledger.cli import cli
from claimledger.settings import Settings
from conftest import EXAMPLES, ROOT

sys.path.insert(0, str(ROOT / "bench"))
from batch import as_html, as_text, make_article

SHORT = (120, 260)  # words per page: enough paragraphs for quotes and numbers, quick to extract


def _warc(path: Path, n: int) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(n):
            a = make_article(200 + i, seed=3, words=SHORT)
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            body = as_html(a).encode()
            rec = writer.create_warc_record(
                a["url"],
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": f"{a['published']}T08:00:00Z"},
            )
            writer.write_record(rec)
        # Not a page: an image response is no document.
        http = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/logo.png",
                "response",
                payload=io.BytesIO(b"\x89PNG..."),
                http_headers=http,
            )
        )


def _jsonl(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            a = make_article(300 + i, seed=4, words=SHORT)
            body = {"html": as_html(a)} if i % 2 else {"text": as_text(a)}
            fh.write(json.dumps({"url": a["url"], **body, "published": a["published"]}) + "\n")
            if i == 3:
                fh.write(
                    '{"url": "https://news.example/broken", "html": \n'
                )  # a bad line: one failed document
            if i == 6:
                fh.write('{"url": "https://news.example/nobody"}\n')  # neither html nor text


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    """Inputs of about 30 documents: 8 in a WARC.gz, 12 JSON lines, 12 page files; 4 bad ones."""
    root = tmp_path_factory.mktemp("corpus")
    pages = root / "pages"
    (pages / "more").mkdir(parents=True)
    for i in range(8):
        a = make_article(100 + i, seed=2, words=SHORT)
        (pages / ("more" if i % 3 == 0 else "") / f"page-{i:02d}.txt").write_text(
            as_text(a), encoding="utf-8"
        )
    for ex in sorted(EXAMPLES.glob("0[1-3]*.txt")):
        shutil.copy(ex, pages / ex.name)
    (pages / "empty.txt").write_text("", encoding="utf-8")  # skipped (CL-E001)
    (pages / "script-only.html").write_text(  # failed: no main text
        "<!doctype html><html><body><script>var x = 1;</script></body></html>", encoding="utf-8"
    )
    _warc(root / "crawl.warc.gz", 8)
    _jsonl(root / "feed.jsonl", 10)
    return [str(pages), str(root / "crawl.warc.gz"), str(root / "feed.jsonl")]


@pytest.fixture(scope="module")
def reference(corpus, nlp) -> dict[str, dict[str, list]]:
    """Rows of single-process ``extract_many`` over the same records, by source."""
    from claimledger import extract_many
    from claimledger.readers import read_inputs

    settings = Settings.from_env()
    out: dict[str, dict[str, list]] = {}
    for doc in extract_many(read_inputs(corpus, settings), settings, nlp):
        rows = flatten(doc, 0, 0)
        out[doc.source] = {t: [_strip(r) for r in rs] for t, rs in rows.items()}
    return out


def _strip(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("part", "seq")}


def shard_rows(out_dir: Path) -> dict[str, dict[str, list]]:
    """Rows of every shard in ``out_dir``, without partition keys, grouped by document source."""
    docs = pq.read_table(out_dir / "documents").to_pylist()
    source = {(d["part"], d["seq"]): d["source"] for d in docs}
    assert len(source) == len(docs) == len(set(source.values())), "one row per document"
    out: dict[str, dict[str, list]] = {s: {t: [] for t in TABLES} for s in source.values()}
    for t in TABLES:
        rows = pq.read_table(out_dir / t).to_pylist()
        for r in sorted(
            rows, key=lambda r: (r["part"], r["seq"], r.get("idx") or 0)
        ):  # stable: speakers keep order
            out[source[r["part"], r["seq"]]][t].append(_strip(r))
    return out


def _batch(args: list[str]) -> tuple[int, str]:
    res = CliRunner().invoke(cli, ["batch", *args], catch_exceptions=False)
    return res.exit_code, res.output


def _cli_subprocess(args: list[str], env: dict | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "claimledger.cli", *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def _files(out_dir: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(out_dir)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in out_dir.rglob("*.parquet")
    }


@pytest.fixture(scope="module")
def local_out(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    code, output = _batch([*corpus, "--out", str(out), "--workers", "2", "--partition-bytes", "6000"])
    assert code == 3, output  # bad documents among good ones
    return out


def test_local_processes_give_the_rows_of_extract_many(local_out, reference):
    assert shard_rows(local_out) == reference
    manifest = json.loads((local_out / "manifest.json").read_text())
    assert len(manifest["partitions"]) >= 4
    assert {p["status"] for p in manifest["partitions"]} == {"done"}
    assert all(
        p["worker"].rsplit(":", 1)[1].isdigit() and p["max_rss_mb"] > 0 for p in manifest["partitions"]
    )
    assert manifest["versions"]["pipeline_version"] == "3.8.0"
    assert {i["kind"] for i in manifest["inputs"]} == {"folder", "warc", "jsonl"}
    for p in manifest["partitions"]:  # counts per table agree with the shards
        for t in TABLES:
            assert pq.ParquetFile(local_out / t / f"{p['id']}.parquet").metadata.num_rows == p["counts"][t]


def test_bad_documents_do_not_lose_the_others(local_out, reference):
    docs = {d["source"]: d for d in pq.read_table(local_out / "documents").to_pylist()}
    bad = {s: (d["status"], [e["code"] for e in d["errors"]]) for s, d in docs.items() if d["status"] != "ok"}
    assert {s.rsplit("/", 1)[-1] for s in bad} == {
        "empty.txt",
        "script-only.html",
        "feed.jsonl:5",
        "feed.jsonl:9",
    }
    assert bad[next(s for s in bad if s.endswith("empty.txt"))] == ("skipped", ["CL-E001"])
    assert sum(d["status"] == "ok" for d in docs.values()) == len(reference) - 4 == 29
    manifest = json.loads((local_out / "manifest.json").read_text())
    listed = {f["source"].rsplit("/", 1)[-1] for p in manifest["partitions"] for f in p["failures"]}
    assert listed == {"script-only.html", "feed.jsonl:5", "feed.jsonl:9"}


def test_rerun_skips_everything_and_changes_nothing(corpus, local_out):
    before = _files(local_out)
    code, _ = _batch([*corpus, "--out", str(local_out), "--workers", "2", "--partition-bytes", "6000"])
    assert code == 0  # nothing failed in this run: nothing ran
    manifest = json.loads((local_out / "manifest.json").read_text())
    assert (
        manifest["runs"][-1]["skipped"] == len(manifest["partitions"])
        and manifest["runs"][-1]["written"] == 0
    )
    assert {p["last_run"] for p in manifest["partitions"]} == {"skipped"}
    assert _files(local_out) == before


def test_dask_local_cluster_survives_a_worker_dying_mid_partition(corpus, reference, local_out, tmp_path):
    pytest.importorskip("distributed")
    marker = tmp_path / "crashed"
    out = tmp_path / "out"
    args = ["batch", *corpus, "--out", str(out), "--cluster", "local", "--workers", "2"]
    proc = _cli_subprocess([*args, "--partition-bytes", "6000"], env={CRASH_ENV: f"part-00002:{marker}"})
    _, err = proc.communicate(timeout=240)
    assert proc.returncode == 3, err
    assert marker.exists(), "the worker did die on part-00002"
    assert shard_rows(out) == reference
    manifest = json.loads((out / "manifest.json").read_text())
    assert {p["status"] for p in manifest["partitions"]} == {"done"}
    assert manifest["runs"][-1]["engine"] == "dask"
    # Deterministic: the same partitions give byte-identical shards, whatever the engine.
    assert {k: v[1] for k, v in _files(out).items()} == {k: v[1] for k, v in _files(local_out).items()}


def test_killed_run_then_rerun_gives_the_same_rows(corpus, reference, tmp_path):
    out = tmp_path / "out"
    args = ["-q", "batch", *corpus, "--out", str(out), "--workers", "1", "--partition-bytes", "2500"]
    proc = _cli_subprocess(args, start_new_session=True)
    deadline = time.monotonic() + 120

    def finished() -> int:  # the manifest is replaced atomically: always whole when read
        path = out / "manifest.json"
        parts = json.loads(path.read_text())["partitions"] if path.exists() else []
        return sum(p["status"] == "done" for p in parts)

    while not finished():  # the first shard is written and recorded
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the coordinator and its workers, mid-run
    proc.communicate(timeout=30)
    manifest = json.loads((out / "manifest.json").read_text())
    assert any(p["status"] != "done" for p in manifest["partitions"]), "killed before the end"
    code, output = _batch(args[2:])
    assert code == 3, output
    assert shard_rows(out) == reference
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["runs"][-1]["skipped"] >= 1
    assert not list(out.rglob(".*.tmp"))


def test_load_gives_the_counts_of_ingest_and_is_idempotent(corpus, local_out, tmp_path):
    from claimledger.ledger.store import Ledger

    runner = CliRunner()
    ingested = tmp_path / "ingest.db"
    res = runner.invoke(cli, ["-q", "ingest", *corpus, "--db", str(ingested)], catch_exceptions=False)
    assert res.exit_code == 3, res.output
    loaded = tmp_path / "load.db"
    res = runner.invoke(cli, ["load", str(local_out), "--db", str(loaded)], catch_exceptions=False)
    assert res.exit_code == 3, res.output  # the failed documents are reported, as by ingest
    first = Ledger(str(loaded)).counts()
    assert first == Ledger(str(ingested)).counts()
    assert first["documents"] == 29 and first["failures"] == 4
    res = runner.invoke(cli, ["load", str(local_out), "--db", str(loaded)], catch_exceptions=False)
    assert "unchanged 29" in res.output
    assert Ledger(str(loaded)).counts() == first


def test_local_pool_retries_a_partition_whose_worker_died(tmp_path, monkeypatch):
    pages = tmp_path / "pages"
    pages.mkdir()
    for ex in sorted(EXAMPLES.glob("0[1-3]*.txt")):
        shutil.copy(ex, pages / ex.name)
    marker = tmp_path / "crashed"
    monkeypatch.setenv(CRASH_ENV, f"part-00001:{marker}")  # spawned workers inherit it
    out = tmp_path / "out"
    code, output = _batch([str(pages), "--out", str(out), "--workers", "1", "--partition-bytes", "100"])
    assert code == 0, output
    assert marker.exists()
    manifest = json.loads((out / "manifest.json").read_text())
    attempts = {p["id"]: p["attempts"] for p in manifest["partitions"]}
    assert attempts == {"part-00000": 1, "part-00001": 2, "part-00002": 1}
    assert {p["status"] for p in manifest["partitions"]} == {"done"}
