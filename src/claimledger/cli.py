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
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .extract import extract_many
from .model import Document
from .nlp.load import PipelineError
from .readers import read_inputs

if TYPE_CHECKING:
    from .ledger.store import Ledger
from .output import write_rows
from .render import render_text
from .settings import Settings

EXIT_FAILED_DOCS = 3


def _documents(
    paths: tuple[str, ...], settings: Settings, published: str | None = None
) -> Iterator[Document]:
    """Every document of PATHS (files, folders, globs, ``-``, URLs), extracted, in input order."""
    return extract_many(read_inputs(paths, settings), settings, published=published)


def _settings(no_fetch: bool) -> Settings:
    settings = Settings.from_env()
    return replace(settings, fetch_urls=False) if no_fetch else settings


_NO_FETCH_OPTION = click.option(
    "--no-fetch", is_flag=True, help="Do not fetch http(s) URLs given as inputs (same as fetch_urls=false)."
)


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A YYYY-MM-DD option value, or a usage error (exit 2) with a hint."""
    if value is None:
        return None
    from datetime import date

    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise click.BadParameter(f"{value!r} is not a date; write it YYYY-MM-DD, e.g. 2024-03-03", ctx, param)


_PUBLISHED_OPTION = click.option(
    "--published",
    metavar="YYYY-MM-DD",
    callback=_iso_date,
    help="Publication date for inputs that give none of their own (a page's own date wins, with a warning).",
)


@dataclass
class _Tally:
    """Counts per status and per error code, for the summary on stderr."""

    statuses: Counter[str] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)

    def add(self, doc: Document) -> None:
        self.statuses[doc.status] += 1
        self.codes.update(e.code for e in doc.errors)

    def summary(self) -> str:
        total = sum(self.statuses.values())
        order = ("ok", "partial", "failed", "skipped")
        parts = [f"{self.statuses[s]} {s}" for s in order if self.statuses[s]]
        line = f"{total} document(s): {', '.join(parts) or 'none'}"
        if self.codes:
            line += " — errors: " + ", ".join(f"{c}×{n}" for c, n in sorted(self.codes.items()))
        return line


def _progress(enabled: bool) -> Progress:
    """A progress bar on stderr, shown only on a terminal (and not with -q)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=True,
    )


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
@_NO_FETCH_OPTION
@_PUBLISHED_OPTION
@click.pass_context
def extract_cmd(
    ctx: click.Context, paths: tuple[str, ...], fmt: str, no_fetch: bool, published: str | None
) -> None:
    """Extract quotes, speakers, anonymous sources and numbers from PATHS.

    PATHS are files (text, HTML, WARC, JSON Lines, or gzip of these, recognised by content),
    folders, globs, - for stdin, and http(s) URLs.
    """
    settings = _settings(no_fetch)
    tally = _Tally()
    out = sys.stdout
    console = Console(file=out, highlight=False, soft_wrap=True)
    first = True
    show = sys.stderr.isatty() and not ctx.obj["quiet"]
    with _progress(show) as progress:
        task = progress.add_task("extracting", total=None)
        try:
            if fmt == "json":
                out.write("[")
            for doc in _documents(paths, settings, published):
                tally.add(doc)
                if fmt == "jsonl":
                    out.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
                elif fmt == "json":
                    obj = json.dumps(doc.to_dict(), ensure_ascii=False, indent=1)
                    out.write(("" if first else ",\n") + obj)
                else:
                    render_text(doc, console)
                first = False
                progress.advance(task)
            if fmt == "json":
                out.write("]\n")
        except PipelineError as exc:
            click.echo(f"claimledger: {exc}", err=True)
            sys.exit(1)
    out.flush()
    if not ctx.obj["quiet"]:
        click.echo(tally.summary(), err=True)
    if tally.statuses["failed"]:
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


# -- the ledger ------------------------------------------------------------------------------------

# The ledger commands import storage lazily: `extract` needs neither SQLAlchemy nor matplotlib.
DEFAULT_DB = "claimledger.db"
_DB_OPTION = click.option(
    "--db",
    default=DEFAULT_DB,
    show_default=True,
    envvar="CLAIMLEDGER_DB",
    help="SQLite file path or a postgresql+psycopg:// URL.",
)
_FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "jsonl", "csv"]),
    default="text",
    show_default=True,
    help="Output format.",
)


def _open_ledger(db: str) -> Ledger:
    from .ledger.store import Ledger

    try:
        return Ledger(db)
    except Exception as exc:  # a bad URL or an unreachable server: say so, no traceback
        raise click.ClickException(f"cannot open the ledger at {db}: {exc}") from exc


@cli.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@_DB_OPTION
@_NO_FETCH_OPTION
@_PUBLISHED_OPTION
@click.pass_context
def ingest_cmd(
    ctx: click.Context, paths: tuple[str, ...], db: str, no_fetch: bool, published: str | None
) -> None:
    """Extract PATHS (any input extract takes) and store them in the ledger.

    One transaction per document; re-runs are idempotent.
    """
    settings = _settings(no_fetch)
    ledger = _open_ledger(db)
    tally: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    docs = _Tally()
    show = sys.stderr.isatty() and not ctx.obj["quiet"]
    with _progress(show) as progress:
        task = progress.add_task("ingesting", total=None)
        try:
            for doc in _documents(paths, settings, published):
                docs.add(doc)
                res = ledger.ingest(doc)
                tally[res.outcome] += 1
                if res.code:
                    codes[res.code] += 1
                progress.advance(task)
        except PipelineError as exc:
            click.echo(f"claimledger: {exc}", err=True)
            sys.exit(1)
    if not ctx.obj["quiet"]:
        failed = ", ".join(f"{c}×{n}" for c, n in sorted(codes.items()))
        click.echo(
            f"ingested {tally['ingested']}, new versions {tally['version']}, unchanged {tally['unchanged']}, "
            f"failed {tally['failed']}{f' ({failed})' if failed else ''} — {ledger.url}",
            err=True,
        )
        click.echo(docs.summary(), err=True)
    if tally["failed"]:
        sys.exit(EXIT_FAILED_DOCS)


@cli.command("quotes")
@click.option("--speaker", help="Name, alias or speaker id.")
@click.option("--since", help="Only documents published on or after YYYY-MM-DD.")
@click.option("--limit", type=click.IntRange(1, 100_000), default=1000, show_default=True)
@_DB_OPTION
@_FORMAT_OPTION
def quotes_cmd(speaker: str | None, since: str | None, limit: int, db: str, fmt: str) -> None:
    """List quotes with their speakers and documents."""
    rows = _open_ledger(db).quotes(speaker=speaker, since=since, limit=limit)
    cols = ["published", "speaker", "speaker_type", "kind", "quote", "cue", "doc_id"]
    write_rows(rows, fmt, sys.stdout, cols if fmt == "text" else None, title="Quotes")


@cli.command("numbers")
@click.option(
    "--category",
    help="killed, wounded, missing, casualties, prisoners, recruits, troops, refugees, "
    "equipment, money, duration, other",
)
@click.option("--since", help="Only documents published on or after YYYY-MM-DD.")
@click.option("--limit", type=click.IntRange(1, 100_000), default=1000, show_default=True)
@_DB_OPTION
@_FORMAT_OPTION
def numbers_cmd(category: str | None, since: str | None, limit: int, db: str, fmt: str) -> None:
    """List numeric claims with their ranges, what they count, and who claims them."""
    rows = _open_ledger(db).numbers(category=category, since=since, limit=limit)
    cols = [
        "published",
        "expression",
        "low",
        "high",
        "counts",
        "category",
        "claimant",
        "claimant_type",
        "title",
    ]
    write_rows(rows, fmt, sys.stdout, cols if fmt == "text" else None, title="Numbers")


@cli.command("speakers")
@click.argument("query", required=False)
@_DB_OPTION
@_FORMAT_OPTION
def speakers_cmd(query: str | None, db: str, fmt: str) -> None:
    """List speakers across documents, with aliases, roles and affiliations."""
    rows = _open_ledger(db).speakers(query)
    cols = ["id", "name", "type", "aliases", "roles", "documents", "quotes"]
    write_rows(rows, fmt, sys.stdout, cols if fmt == "text" else None, title="Speakers")


@cli.command("search")
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@_DB_OPTION
@_FORMAT_OPTION
def search_cmd(query: str, limit: int, db: str, fmt: str) -> None:
    """Full-text search over the ledger's documents."""
    write_rows(_open_ledger(db).search(query, limit), fmt, sys.stdout, title=f"Search: {query}")


@cli.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write one file per table into.",
)
@_DB_OPTION
def export_cmd(fmt: str, out_dir: Path, db: str) -> None:
    """Export every table and view of the ledger."""
    from .ledger.export import export_ledger

    written = export_ledger(_open_ledger(db), out_dir, fmt)
    for path, n in written:
        click.echo(f"{path}\t{n} rows", err=True)


@cli.command("track")
@click.argument("name")
@click.option(
    "--chart",
    "chart_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the timeline chart here (.svg or .png; default NAME.svg).",
)
@click.option(
    "--trackers",
    "tracker_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder with tracker TOML files (default: ./trackers, then the bundled ones).",
)
@_DB_OPTION
@_FORMAT_OPTION
def track_cmd(name: str, chart_path: Path | None, tracker_dirs: tuple[Path, ...], db: str, fmt: str) -> None:
    """Print the timeline of one tracked quantity and write its chart."""
    from .ledger.export import track
    from .ledger.trackers import BUNDLED_TRACKERS, TrackerError, chart, find_tracker

    try:
        tracker = find_tracker(name, [*tracker_dirs, Path("trackers"), BUNDLED_TRACKERS])
    except TrackerError as exc:
        raise click.ClickException(str(exc)) from exc
    points = track(_open_ledger(db), tracker)
    rows = [
        {
            "date": p.date,
            "low": p.low,
            "high": p.high,
            "claimant": p.claimant,
            "outlet": p.outlet,
            "expression": p.text,
            "counts": p.counts,
            "document": p.document,
            "copies": len(p.copies),
        }
        for p in points
    ]
    write_rows(rows, fmt, sys.stdout, None, title=tracker.title)
    path = chart(tracker, points, chart_path or Path(f"{tracker.name}.svg"))
    click.echo(f"chart: {path}", err=True)


from .batch.command import batch_cmd, load_cmd  # noqa: E402

cli.add_command(batch_cmd)
cli.add_command(load_cmd)


from .web.command import serve_cmd  # noqa: E402

cli.add_command(serve_cmd)


def main() -> None:
    cli(prog_name="claimledger")


if __name__ == "__main__":
    main()
