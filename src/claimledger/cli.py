"""The ``claimledger`` command: a thin shell over the library.

Exit codes: 0 all good, 1 fatal, 2 usage, 3 some documents failed (the rest were done).
JSON goes to stdout; progress and summaries go to stderr, and only on a terminal.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click
from rich.console import Console

from . import errors
from .extract import extract_many
from .model import Document
from .nlp.load import PipelineError
from .render import render_text
from .settings import Settings

EXIT_FAILED_DOCS = 3
_TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".xhtml"}


def _inputs(paths: tuple[str, ...], settings: Settings) -> Iterator[tuple[str, str | bytes]]:
    """(source, bytes) for each input; an unreadable path yields an error marker, not an exception."""
    for p in paths:
        if p == "-":
            yield "<stdin>", sys.stdin.buffer.read(settings.max_input_bytes + 1)
            continue
        path = Path(p)
        files = (
            sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in _TEXT_SUFFIXES)
            if path.is_dir()
            else [path]
        )
        for f in files:
            try:
                with f.open("rb") as fh:
                    yield str(f), fh.read(settings.max_input_bytes + 1)
            except OSError as exc:
                yield str(f), _Unreadable(exc.strerror or type(exc).__name__)


class _Unreadable(bytes):
    """Marker for an input that could not be read; carries the reason."""

    def __new__(cls, reason: str) -> _Unreadable:
        obj = super().__new__(cls, b"")
        obj.reason = reason  # type: ignore[attr-defined]
        return obj


def _documents(paths: tuple[str, ...], settings: Settings) -> Iterator[Document]:
    readable: list[tuple[str, str | bytes]] = []
    order: list[Document | int] = []
    for source, data in _inputs(paths, settings):
        if isinstance(data, _Unreadable):
            d = Document(id="", source=source, text="", status="failed")
            d.errors.append(errors.UNREADABLE.item(source=source, reason=data.reason))  # type: ignore[attr-defined]
            order.append(d)
        else:
            order.append(len(readable))
            readable.append((source, data))
    done = extract_many(readable, settings)
    for slot in order:
        yield slot if isinstance(slot, Document) else next(done)


@click.group()
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """claimledger: who said what, how many, and according to whom."""
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = {"quiet": quiet}


@cli.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json", "text"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one JSON object per document; json: one array; text: a readable ledger.",
)
@click.pass_context
def extract_cmd(ctx: click.Context, paths: tuple[str, ...], fmt: str) -> None:
    """Extract quotes, speakers, anonymous sources and numbers from PATHS (files, folders, or - for stdin)."""
    settings = Settings.from_env()
    failed = total = 0
    out = sys.stdout
    console = Console(file=out, highlight=False, soft_wrap=True)
    first = True
    try:
        if fmt == "json":
            out.write("[")
        for doc in _documents(paths, settings):
            total += 1
            failed += doc.status == "failed"
            if fmt == "jsonl":
                out.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
            elif fmt == "json":
                out.write(("" if first else ",\n") + json.dumps(doc.to_dict(), ensure_ascii=False, indent=1))
            else:
                render_text(doc, console)
            first = False
        if fmt == "json":
            out.write("]\n")
    except PipelineError as exc:
        click.echo(f"claimledger: {exc}", err=True)
        sys.exit(1)
    if not ctx.obj["quiet"] and sys.stderr.isatty():
        click.echo(f"{total} document(s), {failed} failed", err=True)
    if failed:
        sys.exit(EXIT_FAILED_DOCS)


@cli.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--scorer",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The scoring script (default: score.py next to GOLD_DIR).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--per-doc", is_flag=True, help="Also print the counts of each document.")
def eval_cmd(gold_dir: Path, scorer: Path | None, as_json: bool, per_doc: bool) -> None:
    """Extract every NN.txt in GOLD_DIR and print the scorer's figures against NN.json."""
    scorer = scorer or gold_dir.resolve().parent / "score.py"
    if not scorer.is_file():
        raise click.UsageError(f"no scorer at {scorer}; pass --scorer PATH")
    texts = sorted(gold_dir.glob("*.txt"))
    if not texts:
        raise click.UsageError(f"no *.txt pages in {gold_dir}")
    settings = Settings.from_env()
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for doc in extract_many(((str(p), p.read_bytes()) for p in texts), settings):
            fh.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
        pred = fh.name
    args = (
        [sys.executable, str(scorer), str(gold_dir), pred]
        + (["--json"] if as_json else [])
        + (["--per-doc"] if per_doc else [])
    )
    res = subprocess.run(args, capture_output=True, text=True, check=False)
    Path(pred).unlink(missing_ok=True)
    sys.stdout.write(res.stdout)
    if res.returncode:
        sys.stderr.write(res.stderr)
        sys.exit(1)


def main() -> None:
    cli(prog_name="claimledger")


if __name__ == "__main__":
    main()
