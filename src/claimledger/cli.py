"""The ``claimledger`` command: a thin shell over the library.

Exit codes: 0 all good, 1 fatal, 2 usage, 3 some documents failed (the rest were done), 130
interrupted (Ctrl-C). JSON goes to stdout; progress and summaries go to stderr, progress only on a
terminal. Extraction (spaCy) is imported inside the commands that extract, so that ``--help`` and
the listing commands start without loading the language pipeline.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from . import errors
from ._version import __version__
from .model import Document, ErrorItem
from .output import write_rows
from .render import render_text
from .settings import Settings, SettingsError

if TYPE_CHECKING:
    from .ledger.store import Ledger, LedgerError

EXIT_FATAL = 1
EXIT_USAGE = 2
EXIT_FAILED_DOCS = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C

#: Commands whose re-run finishes an interrupted run without redoing what was done.
_RESUMABLE = {"ingest", "batch", "load"}


class CliError(click.ClickException):
    """A coded error on stderr as one line (``claimledger: CL-E0NN: …``), then ``exit_code``."""

    def __init__(self, item: ErrorItem, exit_code: int = EXIT_FATAL) -> None:
        super().__init__(f"{item.code}: {item.message}")
        # click declares exit_code a ClassVar, yet reads it per instance: a CliError's code is its own
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        click.echo(f"claimledger: {self.format_message()}", err=True)


def _documents(
    paths: tuple[str, ...], settings: Settings, published: str | None = None
) -> Iterator[Document]:
    """Every document of PATHS (files, folders, globs, ``-``, URLs), extracted, in input order."""
    from .extract import extract_many
    from .readers import read_inputs

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


def count_documents(paths: Sequence[str]) -> int | None:
    """How many documents PATHS hold, counted cheaply (file names and first bytes), or ``None``
    when that cannot be known before reading: stdin, or a WARC, JSON Lines or gzip file (a stream
    of documents). Used only as the progress bar's total."""
    import glob

    from .readers.files import FOLDER_SKIP_SUFFIXES
    from .readers.sniff import HEAD_BYTES, sniff

    def kind(f: Path) -> str:
        try:
            with f.open("rb") as fh:
                return sniff(fh.read(HEAD_BYTES))
        except OSError:
            return "unreadable"  # still one (failed) document

    def in_folder(folder: Path) -> Iterator[Path]:
        for f in sorted(folder.rglob("*")):
            hidden = any(part.startswith(".") for part in f.relative_to(folder).parts)
            if f.is_file() and not hidden and f.suffix.lower() not in FOLDER_SKIP_SUFFIXES:
                yield f

    total = 0
    for p in paths:
        if p == "-":
            return None
        if p[:8].lower().startswith(("http://", "https://")):
            total += 1
            continue
        path = Path(p)
        if path.is_dir():
            files, folder = list(in_folder(path)), True
        elif not path.exists() and set("*?[") & set(p):
            matched = [Path(m) for m in sorted(glob.glob(p, recursive=True))]
            files = [f for m in matched for f in (in_folder(m) if m.is_dir() else [m])]
            folder = False
        elif path.is_file():
            files, folder = [path], False
        else:
            total += 1  # missing or unreadable: one failed document
            continue
        for f in files:
            k = kind(f)
            if k in ("warc", "jsonl", "gzip"):
                return None
            total += not (folder and k == "binary")  # a folder's binary files are left out
    return total


def _progress(enabled: bool, total: int | None, description: str) -> tuple[Progress, Any]:
    """A progress bar on stderr, shown only on a terminal (and not with -q): a bar with the total and
    the time remaining when the number of documents is known, a spinner and a count when not."""
    known = total is not None
    columns: list[ProgressColumn] = [
        SpinnerColumn() if not known else TextColumn(""),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    ]
    if known:
        columns += [TextColumn("ETA"), TimeRemainingColumn()]
    progress = Progress(*columns, console=Console(stderr=True), disable=not enabled, transient=True)
    return progress, progress.add_task(description, total=total)


def _show_progress(ctx: click.Context) -> bool:
    return sys.stderr.isatty() and not ctx.obj["quiet"]


def _configure_logging(verbose: int) -> None:
    level = max(logging.WARNING - 10 * verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)


def _verbose_option(ctx: click.Context, _param: click.Parameter, value: int) -> None:
    """``-v`` given after the subcommand: the same as before it."""
    if value:
        obj = ctx.ensure_object(dict)
        obj["verbose"] = obj.get("verbose", 0) + value
        _configure_logging(obj["verbose"])


def _quiet_option(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``-q`` given after the subcommand: the same as before it."""
    if value:
        ctx.ensure_object(dict)["quiet"] = True


def _verbosity_params() -> list[click.Option]:
    return [
        click.Option(
            ["-v", "--verbose"],
            count=True,
            expose_value=False,
            callback=_verbose_option,
            help="More log output on stderr (-vv for debug); also before the command.",
        ),
        click.Option(
            ["-q", "--quiet"],
            is_flag=True,
            expose_value=False,
            callback=_quiet_option,
            help="No summary or progress on stderr; also before the command.",
        ),
    ]


#: One or more examples per command, shown at the end of its --help.
EXAMPLES: dict[str, list[str]] = {
    "extract": [
        "claimledger extract page.html",
        "claimledger extract examples/ --format text",
        "claimledger extract crawl.warc.gz feed.jsonl > docs.jsonl",
        "cat story.txt | claimledger extract -",
    ],
    "eval": ["claimledger eval ../shared/gold --per-doc"],
    "ingest": ["claimledger ingest examples/ --db claimledger-demo.db"],
    "speakers": ["claimledger speakers drobnin --db claimledger-demo.db"],
    "quotes": ["claimledger quotes --speaker Drobnin --since 2030-03-01 --db claimledger-demo.db"],
    "numbers": [
        "claimledger numbers --category killed --since 2030-03-01 --db claimledger-demo.db",
        "claimledger numbers --value 80000 --db claimledger-demo.db",
        "claimledger numbers --value 80,000 --claimant ministry --until 2030-03-31 --format csv",
    ],
    "search": ['claimledger search "evacuation centres" --limit 5 --db claimledger-demo.db'],
    "export": ["claimledger export --format parquet --out export/ --db claimledger-demo.db"],
    "track": ["claimledger track flood-displacement --chart flood.svg --db claimledger-demo.db"],
    "upgrade": ["claimledger upgrade --db claimledger.db"],
    "batch": ["claimledger batch crawl/*.warc.gz pages/ --out shards/ --workers 4"],
    "load": ["claimledger load shards/ --db claimledger.db"],
    "serve": ["claimledger serve --db claimledger-demo.db --port 8000"],
}


def _restore_stdout() -> None:
    """After a failed write, point stdout at /dev/null so that the interpreter's own flush at exit
    cannot fail again (and print "Exception ignored")."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, AttributeError, ValueError):  # not a real file (tests) or no stdout at all
        pass


def _database_error(exc: BaseException) -> bool:
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, sa_exc.SQLAlchemyError)


class _Cli(click.Group):
    """The command group: verbosity options and examples on every command, and one place where
    an interruption, a failed write or a database error becomes one line and an exit code."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        names = {p.name for p in cmd.params}
        cmd.params.extend(p for p in _verbosity_params() if p.name not in names)
        lines = EXAMPLES.get(name or cmd.name or "")
        if lines and not cmd.epilog:
            cmd.epilog = "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:
                if sys.stdout is not None:
                    sys.stdout.flush()  # a write error surfaces here, not in the interpreter's exit
        except KeyboardInterrupt:
            command = ctx.invoked_subcommand or ""
            if command in _RESUMABLE:
                hint = (
                    f"run the same `claimledger {command}` command again to finish; "
                    "finished documents are kept and not redone"
                )
            elif command == "extract":
                hint = "the documents written before the interruption are whole; run again to redo the rest"
            else:
                hint = "nothing was changed"
            _restore_stdout()
            item = errors.INTERRUPTED.item(hint=hint)
            click.echo(f"\nclaimledger: {item.code}: {item.message}", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            _restore_stdout()  # the reader went away (`| head`): stop quietly, as Unix tools do
            raise click.exceptions.Exit(EXIT_FATAL) from None
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS):
                raise
            _restore_stdout()
            where = f"{exc.filename}: " if exc.filename else ""
            item = errors.OUTPUT_FAILED.item(reason=f"{where}{exc.strerror or exc}")
            raise CliError(item) from None
        except Exception as exc:
            if not _database_error(exc):
                raise
            from .ledger.store import reason

            logging.getLogger(__name__).debug("database error", exc_info=True)
            db = (ctx.obj or {}).get("db", "--db")
            raise CliError(errors.LEDGER_FAILED.item(db=db, reason=reason(exc))) from None


@click.group(
    cls=_Cli,
    epilog="\b\nExamples:\n  claimledger ingest examples/ --db claimledger-demo.db\n"
    "  claimledger numbers --value 80000 --db claimledger-demo.db\n"
    "  claimledger COMMAND --help",
)
@click.version_option(__version__, "--version", prog_name="claimledger", message="%(prog)s %(version)s")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """claimledger: who said what, how many, and according to whom."""
    _configure_logging(verbose)
    ctx.obj = {"quiet": quiet, "verbose": verbose}
    try:  # every command reads the settings: a bad one is a usage error, said once, before any work
        Settings.from_env()
    except SettingsError as exc:
        click.echo(f"claimledger: {exc}", err=True)
        sys.exit(EXIT_USAGE)


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
    from .nlp.load import PipelineError

    settings = _settings(no_fetch)
    tally = _Tally()
    out = sys.stdout
    console = Console(file=out, highlight=False, soft_wrap=True)
    first = True
    show = _show_progress(ctx)
    progress, task = _progress(show, count_documents(paths) if show else None, "extracting")
    with progress:
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
            sys.exit(EXIT_FATAL)
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
    from .extract import extract_many

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

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOOSE_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


class IsoDate(click.ParamType):
    """A date written YYYY-MM-DD (what the ledger stores); anything else is refused with a hint,
    because comparing "2030-3-1" with stored dates as text silently matches nothing."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if _ISO_DATE.fullmatch(text):
            try:
                return date.fromisoformat(text).isoformat()
            except ValueError:
                pass
        hint = ""
        if m := _LOOSE_DATE.fullmatch(text):
            try:
                hint = f"; did you mean {date(*map(int, m.groups())).isoformat()}?"
            except ValueError:
                hint = "; that day does not exist"
        item = errors.BAD_DATE.item(value=text, hint=hint)
        self.fail(f"{item.code}: {item.message}", param, ctx)


class Figure(click.ParamType):
    """A number as people write it: 80000, 80,000, 80 000, 1.5e6."""

    name = "NUMBER"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, (int, float)):
            return float(value)
        try:
            number = float(re.sub(r"[,_\s]", "", str(value)))
        except ValueError:
            number = float("nan")
        if number != number or number in (float("inf"), float("-inf")):
            item = errors.BAD_VALUE.item(value=str(value))
            self.fail(f"{item.code}: {item.message}", param, ctx)
        return number


def _category(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A category of the taxonomy (case-insensitive); an unknown one is refused with the list."""
    if value is None:
        return None
    from .numbers.categories import CATEGORIES

    if value.lower() in CATEGORIES:
        return value.lower()
    item = errors.UNKNOWN_CATEGORY.item(value=value, known=", ".join(CATEGORIES))
    raise click.BadParameter(f"{item.code}: {item.message}", ctx, param)


_SINCE_OPTION = click.option(
    "--since", type=IsoDate(), help="Only documents published on or after this date (YYYY-MM-DD)."
)
_UNTIL_OPTION = click.option(
    "--until", type=IsoDate(), help="Only documents published on or before this date (YYYY-MM-DD)."
)
_OUTLET_OPTION = click.option("--outlet", help="Only documents whose outlet or source contains this text.")


def _ledger_error(exc: LedgerError) -> CliError:
    return CliError(exc.item, EXIT_USAGE if exc.usage else EXIT_FATAL)


def _open_ledger(db: str) -> Ledger:
    """The ledger at ``db`` for writing: created when missing, its schema brought up to date."""
    from .ledger.store import Ledger, LedgerError, check_db, display_db, reason

    click.get_current_context().ensure_object(dict)["db"] = display_db(db)
    try:
        check_db(db)
        return Ledger(db)
    except LedgerError as exc:
        raise _ledger_error(exc) from None
    except Exception as exc:  # a bad URL, an unreachable server, a read-only file: say so, no traceback
        item = errors.LEDGER_UNAVAILABLE.item(db=display_db(db), reason=reason(exc))
        raise CliError(item) from None


@contextmanager
def _reading(db: str) -> Iterator[Ledger]:
    """An existing ledger, opened read-only: reading never creates, migrates or writes anything."""
    from .ledger.store import Ledger, LedgerError, display_db

    click.get_current_context().ensure_object(dict)["db"] = display_db(db)
    try:
        ledger = Ledger(db, readonly=True)
    except LedgerError as exc:
        raise _ledger_error(exc) from None
    try:
        yield ledger
    finally:
        ledger.close()


def _given(param: click.Parameter, value: Any) -> str:
    """A filter as the user gave it: ``--since 2030-03-01``, ``--value 13000``, ``'drobnin'``."""
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return repr(shown) if isinstance(param, click.Argument) else f"{param.opts[0]} {shown}"


def _explain_empty(ctx: click.Context, what: str, view: str, ledger: Ledger) -> None:
    """Say on stderr why nothing was listed: which filters matched nothing, or an empty ledger."""
    if ctx.obj["quiet"]:
        return
    db = ctx.obj["db"]
    used = [
        _given(p, ctx.params[p.name])
        for p in ctx.command.params
        if p.name in ctx.params and p.name not in ("db", "fmt", "limit") and ctx.params[p.name] is not None
    ]
    total = ledger.count(view)
    if total == 0:
        click.echo(
            f"claimledger: the ledger at {db} holds no {what}; "
            f"add pages with `claimledger ingest PAGES --db {db}`",
            err=True,
        )
    elif used:
        click.echo(
            f"claimledger: no {what} match {' '.join(used)} (the ledger at {db} holds {total} {what}); "
            "loosen or correct the filters",
            err=True,
        )


def _display(rows: list[dict[str, Any]], column: str, fallback: str) -> list[dict[str, Any]]:
    """Rows for a table with ``column`` filled from ``fallback`` where it is empty: an anonymous
    speaker shown by its description, a document without a known outlet by its source."""
    return [r | {column: r.get(column) or r.get(fallback)} for r in rows]


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

    One transaction per document; re-runs are idempotent, so an interrupted run is finished by
    running it again.
    """
    from .nlp.load import PipelineError

    settings = _settings(no_fetch)
    ledger = _open_ledger(db)
    tally: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    docs = _Tally()
    show = _show_progress(ctx)
    progress, task = _progress(show, count_documents(paths) if show else None, "ingesting")
    with progress:
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
            sys.exit(EXIT_FATAL)
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


@cli.command("upgrade")
@_DB_OPTION
@click.pass_context
def upgrade_cmd(ctx: click.Context, db: str) -> None:
    """Bring an existing ledger's schema up to this version of claimledger.

    Read commands open a ledger read-only and never change it; write commands (ingest, load)
    upgrade it as they open it; this does only that.
    """
    from .ledger.store import LedgerError, require_ledger

    try:
        require_ledger(db)
    except LedgerError as exc:
        raise _ledger_error(exc) from None
    ledger = _open_ledger(db)
    try:
        if not ctx.obj["quiet"]:
            click.echo(f"schema revision {ledger.schema_revision()} — {db}", err=True)
    finally:
        ledger.close()


@cli.command("quotes")
@click.option("--speaker", help="Name, alias or speaker id.")
@_SINCE_OPTION
@_UNTIL_OPTION
@_OUTLET_OPTION
@click.option("--limit", type=click.IntRange(1, 100_000), default=1000, show_default=True)
@_DB_OPTION
@_FORMAT_OPTION
@click.pass_context
def quotes_cmd(
    ctx: click.Context,
    speaker: str | None,
    since: str | None,
    until: str | None,
    outlet: str | None,
    limit: int,
    db: str,
    fmt: str,
) -> None:
    """List quotes with their speakers, outlets and documents, newest first."""
    with _reading(db) as ledger:
        rows = ledger.quotes(speaker=speaker, since=since, until=until, outlet=outlet, limit=limit)
        if not rows:
            _explain_empty(ctx, "quotes", "quotes_view", ledger)
    if fmt == "text":
        cols = ["published", "speaker", "speaker_type", "kind", "quote", "cue", "outlet", "doc_id"]
        shown = _display(_display(rows, "speaker", "speaker_description"), "outlet", "source")
        write_rows(shown, fmt, sys.stdout, cols, title="Quotes")
    else:
        write_rows(rows, fmt, sys.stdout)


_NUMBER_COLUMNS = ["published", "expression", "low", "high", "counts", "category", "claimant"]
_FIGURE_COLUMNS = ["role", "published", "expression", "low", "high", "claimant", "claimant_type"]


@cli.command("numbers")
@click.option(
    "--category",
    callback=_category,
    help="killed, wounded, missing, casualties, prisoners, recruits, refugees, troops, "
    "equipment, money, duration, other",
)
@click.option(
    "--value",
    type=Figure(),
    help="Follow one figure: the numbers whose range low–high contains it (both ends included; "
    "an open range such as 'at least 45' only when its bound equals it), oldest first, each "
    "marked first claim, repeated, syndicated copy (a near-duplicate of an earlier document) "
    "or same document.",
)
@click.option(
    "--claimant", help="Only numbers whose claimant's name contains this text, or of this claimant type."
)
@click.option("--speaker", help="Only numbers claimed by this speaker (name, alias or speaker id).")
@_OUTLET_OPTION
@_SINCE_OPTION
@_UNTIL_OPTION
@click.option("--limit", type=click.IntRange(1, 100_000), default=1000, show_default=True)
@_DB_OPTION
@_FORMAT_OPTION
@click.pass_context
def numbers_cmd(
    ctx: click.Context,
    category: str | None,
    value: float | None,
    claimant: str | None,
    speaker: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    db: str,
    fmt: str,
) -> None:
    """List numeric claims with their ranges, what they count, and who claims them.

    With --value, follow one figure across documents: who claimed it first (earliest published
    date, then ingestion order), who repeated it, and which copies are syndicated.
    """
    filters: dict[str, Any] = dict(
        category=category, since=since, until=until, claimant=claimant, speaker=speaker, outlet=outlet
    )
    with _reading(db) as ledger:
        if value is None:
            rows = ledger.numbers(limit=limit, **filters)
        else:
            rows = ledger.figure(value, limit=limit, **filters)
        if not rows:
            _explain_empty(ctx, "numbers", "numbers_view", ledger)
    if fmt != "text":
        write_rows(rows, fmt, sys.stdout)
    elif value is None:
        write_rows(rows, fmt, sys.stdout, [*_NUMBER_COLUMNS, "claimant_type", "outlet", "title"], "Numbers")
    else:
        cols = [*_FIGURE_COLUMNS, "outlet", "source", "doc_id", "copy_of"]
        write_rows(rows, fmt, sys.stdout, cols, title=_figure_title(value, rows))


def _figure_title(value: float, rows: list[dict[str, Any]]) -> str:
    """``13,000: first claimed by X (outlet, date); 1 repeated, 1 syndicated copy``."""
    shown = f"{value:,.0f}" if value.is_integer() else f"{value:g}"
    if not rows:
        return shown
    roles = Counter(r["role"] for r in rows)
    kinds = ("repeated", "syndicated copy", "same document", "within range")
    rest = [f"{roles[r]} {r}" for r in kinds if roles[r]]
    first = next((r for r in rows if r["role"] == "first claim"), None)
    if first is None:
        return f"{shown}: stated by no document; " + ", ".join(rest)
    place = (first.get("outlet") or first.get("source"), first.get("published"))
    where = ", ".join(str(x) for x in place if x)
    title = f"{shown}: first claimed by {first.get('claimant')} ({where})"
    return title + (f"; {', '.join(rest)}" if rest else "")


@cli.command("speakers")
@click.argument("query", required=False)
@_DB_OPTION
@_FORMAT_OPTION
@click.pass_context
def speakers_cmd(ctx: click.Context, query: str | None, db: str, fmt: str) -> None:
    """List speakers across documents, with aliases, roles and affiliations."""
    with _reading(db) as ledger:
        rows = ledger.speakers(query)
        if not rows:
            _explain_empty(ctx, "speakers", "speakers_view", ledger)
    if fmt == "text":
        cols = ["id", "name", "type", "aliases", "roles", "documents", "quotes"]
        write_rows(_display(rows, "name", "description"), fmt, sys.stdout, cols, title="Speakers")
    else:
        write_rows(rows, fmt, sys.stdout)


@cli.command("search")
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@_DB_OPTION
@_FORMAT_OPTION
@click.pass_context
def search_cmd(ctx: click.Context, query: str, limit: int, db: str, fmt: str) -> None:
    """Full-text search over the ledger's documents."""
    with _reading(db) as ledger:
        rows = ledger.search(query, limit)
        if not rows:
            _explain_empty(ctx, "documents", "documents", ledger)
    write_rows(rows, fmt, sys.stdout, title=f"Search: {query}")


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
    """Export every table and view of the ledger (an empty one with its columns)."""
    from .ledger.export import export_ledger

    with _reading(db) as ledger:
        written = export_ledger(ledger, out_dir, fmt)
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
    target = chart_path or Path(f"{tracker.name}.svg")
    if not target.parent.is_dir():  # say so before any work, and write nothing
        raise click.BadParameter(f"the folder {target.parent} does not exist", param_hint="'--chart'")
    with _reading(db) as ledger:
        points = track(ledger, tracker)
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
    path = chart(tracker, points, target)
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
