"""The command line: formats, exit codes, stdin, eval."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.cli import cli
from conftest import EXAMPLES, GOLD, SHARED


def test_extract_jsonl_one_object_per_input_in_order(nlp, tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("“The wells are dry,” said farmer Jonas Ek.\n", encoding="utf-8")
    b.write_text("Officials said about 20 villages were cut off.\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["extract", str(a), str(b)])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [x["source"] for x in lines] == [str(a), str(b)]
    assert lines[0]["quotes"][0]["speaker"]["name"] == "Jonas Ek"


def test_extract_text_format_is_a_readable_ledger(nlp):
    res = CliRunner().invoke(cli, ["extract", str(EXAMPLES / "02-blog-repost.txt"), "--format", "text"])
    assert res.exit_code == 0, res.output
    for heading in ("Sections", "Quotes", "Numbers", "Anonymous sources"):
        assert heading in res.output


def test_extract_json_and_stdin(nlp):
    res = CliRunner().invoke(cli, ["extract", "-", "--format", "json"], input="He said nothing.\n")
    assert res.exit_code == 0, res.output
    docs = json.loads(res.stdout)
    assert docs[0]["source"] == "<stdin>"


def test_failed_documents_exit_3_and_the_rest_is_output(nlp, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Police said 12 people were hurt.\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["extract", str(tmp_path / "missing.txt"), str(good)])
    assert res.exit_code == 3
    out = [json.loads(x) for x in res.stdout.splitlines()]
    assert out[0]["status"] == "failed" and out[0]["errors"][0]["code"] == "CL-E006"
    assert out[1]["status"] == "ok"
    assert "2 document(s): 1 ok, 1 failed — errors: CL-E006×1" in res.stderr


def test_usage_error_exit_2():
    assert CliRunner().invoke(cli, ["extract"]).exit_code == 2


@pytest.mark.requires_shared
def test_eval_prints_scorer_figures(nlp):
    res = CliRunner().invoke(cli, ["eval", str(GOLD), "--scorer", str(SHARED / "score.py"), "--json"])
    assert res.exit_code == 0, res.output
    figures = json.loads(res.output)
    assert figures["docs_predicted"] == figures["docs"] == len(list(GOLD.glob("*.txt")))


# -- start-up, options anywhere, examples ----------------------------------------------------------


def _python(code: str, *args: str, **kw) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-c", code, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)


def test_help_and_listing_commands_do_not_load_the_language_pipeline(tmp_path):
    code = """
import sys
from click.testing import CliRunner
import claimledger
from claimledger.cli import cli
from claimledger.ledger.store import Ledger
db, out = sys.argv[1], sys.argv[2]
Ledger(db).close()
for args in (
    ["--help"], ["--version"], ["numbers", "--help"], ["extract", "--help"], ["serve", "--help"],
    ["quotes", "--db", db], ["numbers", "--value", "5", "--db", db], ["speakers", "--db", db],
    ["search", "x", "--db", db], ["export", "--out", out, "--db", db],
    ["track", "flood-displacement", "--chart", out + ".svg", "--db", db],
):
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, (args, res.output)
print(sorted({m.split(".")[0] for m in sys.modules} & {"spacy", "thinc", "claimledger.extract"}))
print("claimledger.extract" in sys.modules)
"""
    res = _python(code, str(tmp_path / "l.db"), str(tmp_path / "out"))
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["[]", "False"]


def test_the_ledger_and_the_web_app_do_not_load_the_language_pipeline(tmp_path):
    # Reading a ledger (Python API or web) must not pay for spaCy; extraction loads it lazily.
    code = """
import sys
from claimledger.ledger.store import Ledger
from claimledger.web.app import create_app
Ledger(sys.argv[1]).close()
create_app(sys.argv[1])
print(sorted({m.split(".")[0] for m in sys.modules} & {"spacy", "thinc", "natasha"}))
"""
    res = _python(code, str(tmp_path / "l.db"))
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["[]"]


def test_extract_is_still_the_package_function():
    # Importing the submodule first must not replace the package's function of the same name.
    code = (
        "from claimledger.extract import extract_many as em; import claimledger;"
        "from claimledger import extract_many;"
        "print(callable(claimledger.extract), claimledger.extract.__module__, em is extract_many)"
    )
    res = _python(code)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["True", "claimledger.extract", "True"]


def test_version():
    from claimledger import __version__

    res = CliRunner().invoke(cli, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"claimledger {__version__}"


def test_version_is_the_packages():
    import tomllib

    from claimledger import __version__
    from conftest import ROOT

    with (ROOT / "pyproject.toml").open("rb") as fh:
        assert tomllib.load(fh)["project"]["version"] == __version__


def test_every_command_has_an_example_in_its_help():
    assert "claimledger numbers --value" in CliRunner().invoke(cli, ["--help"]).stdout
    for name in cli.commands:
        res = CliRunner().invoke(cli, [name, "--help"], terminal_width=200)
        assert res.exit_code == 0
        examples = res.stdout.split("Examples:", 1)
        assert len(examples) == 2 and f"claimledger {name}" in examples[1], name


def test_quiet_and_verbose_before_or_after_the_command(tmp_path):
    import logging

    from claimledger.ledger.store import Ledger

    db = str(tmp_path / "l.db")
    Ledger(db).close()
    loud = CliRunner().invoke(cli, ["quotes", "--db", db])
    assert "holds no quotes" in loud.stderr
    for args in (["-q", "quotes", "--db", db], ["quotes", "--db", db, "-q"], ["quotes", "--quiet"]):
        args += ["--db", db] if "--db" not in args else []
        res = CliRunner().invoke(cli, args)
        assert res.exit_code == 0 and res.stderr == "", args
    root = logging.getLogger()
    level = root.level
    try:
        assert CliRunner().invoke(cli, ["quotes", "--db", db, "-vv"]).exit_code == 0
        assert root.level == logging.DEBUG
    finally:
        root.setLevel(level)


def test_progress_total_is_counted_when_it_can_be(tmp_path):
    from claimledger.cli import count_documents

    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    for name in ("a.txt", "b.html", "sub/c.txt"):
        (pages / name).write_text("Police said 12 people were hurt.\n", encoding="utf-8")
    (pages / "notes.md").write_text("# notes\n", encoding="utf-8")
    (pages / ".hidden.txt").write_text("x\n", encoding="utf-8")
    (pages / "image.bin").write_bytes(bytes(range(256)) * 8)
    one = tmp_path / "one.txt"
    one.write_text("Text.\n", encoding="utf-8")
    assert count_documents([str(pages)]) == 3
    assert count_documents([str(pages), str(one), str(tmp_path / "missing.txt")]) == 5
    assert count_documents([str(pages / "*.txt")]) == 1
    assert count_documents(["https://example.org/a", str(one)]) == 2
    assert count_documents(["-"]) is None
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "a"}\n{"text": "b"}\n', encoding="utf-8")
    assert count_documents([str(one), str(feed)]) is None


# -- output errors and interruptions (real processes) ----------------------------------------------

_CLI = "import sys; from claimledger.cli import main; sys.argv[0] = 'claimledger'; main()"


def test_output_to_a_full_device_is_one_line_exit_1(nlp, tmp_path):
    page = tmp_path / "one.txt"
    page.write_text("Police said 12 people were hurt.\n" * 50, encoding="utf-8")
    with open("/dev/full", "w") as full:
        cmd = [sys.executable, "-c", _CLI, "extract", str(page)]
        res = subprocess.run(cmd, stdout=full, stderr=subprocess.PIPE, text=True)
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert lines == [
        "claimledger: CL-E076: cannot write the output: No space left on device; "
        "free some space or write somewhere else"
    ], res.stderr


def test_a_closed_pipe_ends_quietly(tmp_path):
    from claimledger.ledger.store import Ledger

    db = str(tmp_path / "l.db")
    Ledger(db).close()
    read, write = os.pipe()
    os.close(read)
    try:
        export = ["export", "--format", "csv", "--out", str(tmp_path / "x"), "--db", db]
        res = subprocess.run(
            [sys.executable, "-c", _CLI, *export],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert res.returncode == 0  # writes no stdout: nothing to fail
        res = subprocess.run(
            [sys.executable, "-c", _CLI, "quotes", "--format", "csv", "--db", db, "-q"],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        os.close(write)
    assert res.returncode == 1
    assert res.stderr == ""


def _html_pages(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        body = f"<p>Police said {i + 2} people were hurt in town {i}.</p><p>“Stay in,” said Mayor Berg.</p>"
        page = f"<html><head><title>Town {i}</title></head><body><article>{body}</article></body></html>"
        (folder / f"{i:03d}.html").write_text(page, encoding="utf-8")
    return folder


def _interrupt(args: list[str], started: Callable[[], bool]) -> tuple[int, str]:
    """Run the command in a process group of its own and press Ctrl-C (SIGINT to the whole group,
    as a terminal does) once ``started()`` is true."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _CLI, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # A command started from a terminal has Ctrl-C at its default; a test run started in the
        # background of a script without job control inherits it ignored, which would hide it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None and not started():
        time.sleep(0.2)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


def test_ctrl_c_during_ingest_exits_130_and_a_rerun_finishes(nlp, tmp_path):
    pages = _html_pages(tmp_path / "pages", 60)
    db = tmp_path / "l.db"

    def stored() -> bool:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                return conn.execute("SELECT count(*) FROM documents").fetchone()[0] >= 1
        except sqlite3.Error:
            return False

    code, err = _interrupt(["ingest", str(pages), "--db", str(db)], stored)
    assert code == 130, err
    assert "CL-E077" in err and "run the same `claimledger ingest` command again to finish" in err
    assert "Traceback" not in err  # neither the command nor its HTML worker
    rerun = subprocess.run(
        [sys.executable, "-c", _CLI, "ingest", str(pages), "--db", str(db)], capture_output=True, text=True
    )
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 60


def test_ctrl_c_during_batch_exits_130_without_worker_tracebacks(nlp, tmp_path):
    pages = _html_pages(tmp_path / "pages", 200)
    out = tmp_path / "shards"
    code, err = _interrupt(["batch", str(pages), "--out", str(out), "--workers", "2"], out.exists)
    assert code == 130, err
    assert "run the same `claimledger batch` command again to finish" in err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


def test_ledger_write_failure_is_one_line(nlp, tmp_path):
    import resource

    def small_files() -> None:  # files may not grow past 150 KiB: the ledger's writes fail
        resource.setrlimit(resource.RLIMIT_FSIZE, (150 * 1024, 150 * 1024))

    res = subprocess.run(
        [sys.executable, "-c", _CLI, "ingest", str(EXAMPLES), "--db", str(tmp_path / "l.db")],
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        timeout=300,
    )
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("claimledger: CL-E079: the ledger at"), res.stderr


def test_who_claimed_a_figure_of_the_example_articles(nlp, tmp_path):
    db = str(tmp_path / "demo.db")
    assert CliRunner().invoke(cli, ["ingest", str(EXAMPLES), "--db", db]).exit_code == 0
    res = CliRunner().invoke(cli, ["numbers", "--value", "80000", "--db", db, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    by_file = {r["source"].rsplit("/", 1)[-1]: r for r in rows}
    first = rows[0]
    assert first["role"] == "first claim" and first["source"].endswith("01-wire-evacuation.txt")
    assert first["claimant"] == "Interior Ministry"
    copy = by_file["05-syndicated-copy.txt"]
    assert copy["role"] == "syndicated copy" and copy["copy_of"] == first["doc_id"]
    text = CliRunner().invoke(cli, ["numbers", "--value", "80,000", "--db", db], env={"COLUMNS": "250"})
    assert "80,000: first claimed by Interior Ministry" in text.stdout
    assert "first claim" in text.stdout and "syndicated copy" in text.stdout
