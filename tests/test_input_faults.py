"""Careless and hostile inputs: each is a coded record, the rest of the run goes on, nothing loops.

Damaged WARC records, JSON nested past the parser's depth, a closed stdin, file names that are not
UTF-8, folders that cannot be listed or hold nothing readable, and symbolic links that lead a
recursive glob out of its tree or round it.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimledger.cli import cli
from claimledger.readers import read_inputs
from claimledger.readers import walk as walk_module
from claimledger.settings import Settings

PAGE_TEXT = "The harbour master said 14 boats stayed in port on Tuesday.\n"
PAGE_HTML = (
    "<!DOCTYPE html><html><head><title>Boats stay in port</title></head><body><article>"
    "<h1>Boats stay in port</h1><p>The harbour master said 14 boats stayed in port on Tuesday.</p>"
    "</article></body></html>"
)
#: The smallest WARC that broke warcio: a response record with neither target URI nor length.
NO_URI_WARC = b"WARC/1.0\r\nWARC-Type: response\r\n"


def _read(*paths: object, settings: Settings | None = None) -> list:
    return list(read_inputs([str(p) for p in paths], settings or Settings()))


def _codes(rec) -> list[str]:
    return [e.code for e in rec.errors]


def _raw_record(headers: dict[str, str], block: bytes = b"") -> bytes:
    """One uncompressed WARC record written by hand (warcio's writer adds what these tests leave out)."""
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return b"WARC/1.0\r\n" + head.encode() + b"\r\n" + block + b"\r\n\r\n"


def _html_response(url: str) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(url, "response", payload=io.BytesIO(PAGE_HTML.encode()), http_headers=http)
    )
    return buf.getvalue()


# -- WARC -------------------------------------------------------------------------------------------


def test_warc_response_without_target_uri_is_a_coded_record_and_the_run_goes_on(tmp_path):
    bad, good = tmp_path / "x.warc", tmp_path / "good.txt"
    bad.write_bytes(NO_URI_WARC)
    good.write_text(PAGE_TEXT)
    first, second = _read(bad, good)
    assert first.status == "failed" and _codes(first) == ["CL-E021"]
    assert second.source == str(good) and second.status == "ok"


def test_warc_response_without_target_uri_is_reported_and_the_next_record_is_read(tmp_path):
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE_HTML.encode()
    no_uri = _raw_record(
        {"WARC-Type": "response", "WARC-Record-ID": "<urn:uuid:1>", "Content-Length": str(len(block))}, block
    )
    path = tmp_path / "mixed.warc"
    path.write_bytes(no_uri + _html_response("https://news.example/boats"))
    first, second = _read(path)
    assert first.status == "failed" and "WARC-Target-URI" in first.errors[0].message
    assert second.status == "ok" and second.url == "https://news.example/boats" and second.data


def test_empty_warc_response_is_reported_not_dropped(tmp_path):
    empty = _raw_record(
        {
            "WARC-Type": "response",
            "WARC-Target-URI": "https://news.example/empty",
            "WARC-Record-ID": "<urn:uuid:2>",
            "Content-Length": "0",
        }
    )
    path = tmp_path / "empty.warc"
    path.write_bytes(empty + _html_response("https://news.example/boats"))
    first, second = _read(path)
    assert first.status == "skipped" and _codes(first) == ["CL-E001"]
    assert first.url == "https://news.example/empty" and first.source == f"{path}@0"
    assert second.status == "ok"


def test_ingest_stores_the_good_input_after_a_broken_warc(nlp, tmp_path):
    bad, good, db = tmp_path / "x.warc", tmp_path / "good.txt", tmp_path / "l.db"
    bad.write_bytes(NO_URI_WARC)
    good.write_text(PAGE_TEXT)
    res = CliRunner().invoke(cli, ["ingest", str(bad), str(good), "--db", str(db)])
    assert res.exit_code == 3, res.output
    assert "Traceback" not in res.output and "CL-E021" in res.stderr
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("SELECT source FROM documents")] == [str(good)]


# -- JSON Lines -------------------------------------------------------------------------------------


def test_jsonl_line_nested_too_deep_fails_alone(tmp_path):
    deep = '{"text": "x", "a": ' + "[" * 1000 + "]" * 1000 + "}"
    fine = '{"text": "x", "a": ' + "[" * 200 + "]" * 200 + "}"
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join([deep, json.dumps({"text": PAGE_TEXT}), fine, deep]) + "\n")
    recs = _read(path)
    assert [r.status for r in recs] == ["failed", "ok", "ok", "failed"]
    assert _codes(recs[0]) == ["CL-E023"] and "nested too deep" in recs[0].errors[0].message
    assert recs[1].data == PAGE_TEXT


# -- stdin ------------------------------------------------------------------------------------------


def test_closed_stdin_is_a_coded_record(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)  # what Python sets when started with fd 0 closed
    (rec,) = _read("-")
    assert rec.source == "<stdin>" and rec.status == "failed" and _codes(rec) == ["CL-E006"]
    assert "closed" in rec.errors[0].message


def test_stdin_that_fails_to_read_is_a_coded_record(monkeypatch):
    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Broken())))
    (rec,) = _read("-")
    assert rec.status == "failed" and _codes(rec) == ["CL-E006"]
    assert "Input/output error" in rec.errors[0].message


def test_cli_with_stdin_closed_says_so():
    exe = Path(sys.executable).with_name("claimledger")
    res = subprocess.run(
        ["bash", "-c", f"exec {exe} extract - <&-"], capture_output=True, text=True, timeout=300
    )
    assert res.returncode == 3, res.stderr
    assert "Traceback" not in res.stderr and "CL-E006" in res.stderr
    assert json.loads(res.stdout)["errors"][0]["message"] == "cannot read <stdin>: standard input is closed"


# -- file names that are not UTF-8 ------------------------------------------------------------------


def test_file_name_that_is_not_utf8_is_stored_and_printed_escaped(nlp, tmp_path):
    raw = os.fsencode(tmp_path) + b"/bad-\xff.txt"
    with open(raw, "wb") as fh:
        fh.write(PAGE_TEXT.encode())
    name = os.fsdecode(raw)  # what the command line hands over: a lone surrogate for the byte
    shown = f"{tmp_path}/bad-\\xff.txt"
    (rec,) = _read(name)
    assert rec.source == shown and rec.data
    res = CliRunner().invoke(cli, ["extract", name])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["source"] == shown
    db = tmp_path / "l.db"
    res = CliRunner().invoke(cli, ["ingest", name, "--db", str(db)])
    assert res.exit_code == 0, res.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT source FROM documents").fetchall() == [(shown,)]


def test_unreadable_file_with_an_undecodable_name_is_reported_with_a_valid_name(tmp_path):
    name = os.fsdecode(os.fsencode(tmp_path) + b"/missing-\xfe.txt")
    (rec,) = _read(name)
    assert _codes(rec) == ["CL-E006"] and "\\xfe" in rec.source and "\\xfe" in rec.errors[0].message
    rec.source.encode("utf-8")  # strict: no surrogate left anywhere
    rec.errors[0].message.encode("utf-8")


def test_path_with_nul_is_a_coded_record():
    (rec,) = _read("page\x00.txt")
    assert rec.status == "failed" and _codes(rec) == ["CL-E006"] and rec.source == "page\\x00.txt"


# -- folders ----------------------------------------------------------------------------------------


def _deny(monkeypatch, denied: Path) -> None:
    """os.scandir raises PermissionError on ``denied``, as for a chmod 000 folder without root."""
    real = os.scandir

    def scandir(path="."):
        if Path(path) == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(walk_module.os, "scandir", scandir)


def test_unreadable_folder_named_directly_is_a_failed_record(monkeypatch, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(PAGE_TEXT)
    _deny(monkeypatch, folder)
    (rec,) = _read(folder)
    assert rec.source == str(folder) and rec.status == "failed" and _codes(rec) == ["CL-E006"]
    assert "Permission denied" in rec.errors[0].message


def test_unreadable_subfolder_is_reported_and_the_rest_read(monkeypatch, tmp_path):
    (tmp_path / "a.txt").write_text(PAGE_TEXT)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(PAGE_TEXT)
    (tmp_path / "z.txt").write_text(PAGE_TEXT)
    _deny(monkeypatch, tmp_path / "locked")
    recs = _read(tmp_path)
    assert [(Path(r.source).name, r.status) for r in recs] == [
        ("a.txt", "ok"),
        ("locked", "failed"),
        ("z.txt", "ok"),
    ]
    assert _codes(recs[1]) == ["CL-E006"]


def test_unreadable_subfolder_fails_the_cli_run(monkeypatch, nlp, tmp_path):
    (tmp_path / "a.txt").write_text(PAGE_TEXT)
    (tmp_path / "locked").mkdir()
    _deny(monkeypatch, tmp_path / "locked")
    res = CliRunner().invoke(cli, ["extract", str(tmp_path)])
    assert res.exit_code == 3 and "1 ok, 1 failed" in res.stderr and "CL-E006" in res.stderr


@pytest.mark.skipif(
    not (hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("setpriv")),
    reason="needs root and setpriv to run the command as an unprivileged user",
)
def test_unreadable_folders_as_an_unprivileged_user():
    """chmod 000 does not stop root: run the command line as nobody (uid 65534)."""
    base = Path(tempfile.mkdtemp(prefix="claimledger-perm-"))
    try:
        (base / "in").mkdir()
        (base / "in" / "a.txt").write_text(PAGE_TEXT)
        (base / "tree" / "locked").mkdir(parents=True)
        (base / "tree" / "ok.txt").write_text(PAGE_TEXT)
        (base / "tree" / "locked" / "b.txt").write_text(PAGE_TEXT)
        for p in (base, base / "tree", base / "tree" / "ok.txt"):
            p.chmod(0o755)
        (base / "in").chmod(0)
        (base / "tree" / "locked").chmod(0)
        exe = Path(sys.executable).with_name("claimledger")
        as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", str(exe), "extract"]
        env = {**os.environ, "HOME": str(base)}
        res = subprocess.run(
            [*as_nobody, "in"], cwd=base, capture_output=True, text=True, timeout=300, env=env
        )
        assert res.returncode == 3, res.stderr
        (doc,) = map(json.loads, res.stdout.splitlines())
        assert doc["source"] == "in" and doc["errors"][0]["code"] == "CL-E006"
        res = subprocess.run(
            [*as_nobody, "tree"], cwd=base, capture_output=True, text=True, timeout=300, env=env
        )
        assert res.returncode == 3, res.stderr
        docs = [json.loads(line) for line in res.stdout.splitlines()]
        found = [(d["source"], d["status"]) for d in docs]
        assert found == [("tree/locked", "failed"), ("tree/ok.txt", "ok")]
    finally:
        for p in (base / "in", base / "tree" / "locked"):
            p.chmod(0o755)
        shutil.rmtree(base)


def test_folder_with_nothing_readable_says_what_was_left_out(nlp, tmp_path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    (folder / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "notes.md").write_text("# notes\n")
    (rec,) = _read(folder)
    assert rec.source == str(folder) and rec.status == "failed" and _codes(rec) == ["CL-E033"]
    message = rec.errors[0].message
    assert "3 file(s) left out" in message
    assert f"{folder}/a.pdf (PDF document)" in message and "b.png (PNG image)" in message
    assert "notes.md (a .md file)" in message
    res = CliRunner().invoke(cli, ["extract", str(folder)])
    assert res.exit_code == 3 and "CL-E033" in res.stderr and "0 document(s)" not in res.stderr


def test_empty_folder_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    (rec,) = _read(tmp_path / "empty")
    assert _codes(rec) == ["CL-E033"] and "no file in it" in rec.errors[0].message


def test_skipped_files_beside_pages_stay_silent(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    (tmp_path / "page.txt").write_text(PAGE_TEXT)
    (rec,) = _read(tmp_path)
    assert rec.status == "ok" and rec.source.endswith("page.txt")


# -- symbolic links ---------------------------------------------------------------------------------


def _linked_tree(root: Path, links: int) -> Path:
    """root/sl/{a.txt, sub/b.txt} with ``links`` links to a parent folder (``up -> ..``)."""
    sl = root / "sl"
    (sl / "sub").mkdir(parents=True)
    (sl / "a.txt").write_text(PAGE_TEXT)
    (sl / "sub" / "b.txt").write_text(PAGE_TEXT)
    (root / "outside.txt").write_text(PAGE_TEXT)
    targets = [(sl / "up", ".."), (sl / "sub" / "up", ".."), (sl / "sub" / "top", "../..")]
    for link, target in targets[:links]:
        link.symlink_to(target)
    return sl


def test_recursive_glob_reads_each_file_once_and_stays_in_its_tree(tmp_path):
    sl = _linked_tree(tmp_path, 1)
    for pattern in (f"{sl}/**/*.txt", f"{sl}/**", f"{tmp_path}/sl/**/a.txt"):
        names = [Path(r.source).relative_to(tmp_path).as_posix() for r in _read(pattern)]
        expected = ["sl/a.txt", "sl/sub/b.txt"] if not pattern.endswith("a.txt") else ["sl/a.txt"]
        assert names == expected, pattern
    assert [Path(r.source).name for r in _read(sl)] == ["a.txt", "b.txt"]


def test_recursive_glob_ends_with_links_that_loop(tmp_path):
    sl = _linked_tree(tmp_path, 3)
    found: list = []
    reader = threading.Thread(target=lambda: found.extend(_read(f"{sl}/**/*.txt")), daemon=True)
    reader.start()
    reader.join(60)
    assert not reader.is_alive(), "the glob did not end"
    assert sorted(Path(r.source).name for r in found) == ["a.txt", "b.txt"]


def test_relative_recursive_glob_names_files_as_glob_does(tmp_path, monkeypatch):
    _linked_tree(tmp_path, 1)
    monkeypatch.chdir(tmp_path)
    assert [r.source for r in _read("**/*.txt")] == ["outside.txt", "sl/a.txt", "sl/sub/b.txt"]


def test_link_to_a_file_is_read_once(tmp_path):
    (tmp_path / "a.txt").write_text(PAGE_TEXT)
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    assert len(_read(tmp_path)) == 1
    assert len(_read(f"{tmp_path}/**/*.txt")) == 1


def test_link_to_itself_is_left_out_like_a_broken_link(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "a" / "b" / "gone.txt").symlink_to("missing.txt")
    (tmp_path / "a" / "page.txt").write_text(PAGE_TEXT)
    for given in (tmp_path, f"{tmp_path}/**", f"{tmp_path}/**/*.txt"):
        assert [Path(r.source).name for r in _read(given)] == ["page.txt"], given


def test_glob_reports_an_unlistable_folder_once(monkeypatch, tmp_path):
    (tmp_path / "a" / "locked").mkdir(parents=True)
    (tmp_path / "a" / "page.txt").write_text(PAGE_TEXT)
    _deny(monkeypatch, tmp_path / "a" / "locked")
    recs = _read(f"{tmp_path}/**")
    assert [(Path(r.source).name, _codes(r)) for r in recs] == [("locked", ["CL-E006"]), ("page.txt", [])]
