"""``claimledger batch`` and ``claimledger load``: thin shells over ``run_batch`` and ``load_shards``.

Heavy modules (pyarrow, SQLAlchemy, Dask) are imported inside the commands, so registering
them costs the other commands nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from .partitions import Partition
    from .run import BatchSummary
    from .worker import PartitionResult

EXIT_FATAL, EXIT_USAGE, EXIT_FAILED = 1, 2, 3

# The same convention as the ledger commands' --db (cli._DB_OPTION); defined here because cli.py
# imports this module while it is itself being imported.
_DB_OPTION = click.option(
    "--db",
    default="claimledger.db",
    show_default=True,
    envvar="CLAIMLEDGER_DB",
    help="SQLite file path or a postgresql+psycopg:// URL.",
)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _quiet(ctx: click.Context) -> bool:
    return bool((ctx.obj or {}).get("quiet"))


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder: one Parquet shard per table and partition, and manifest.json.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 1024),
    default=None,
    help="Worker processes (default: the number of cores; with --cluster local: Dask workers).",
)
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="Run the partitions on this Dask scheduler.")
@click.option(
    "--cluster",
    type=click.Choice(["local"]),
    help="Start a Dask LocalCluster of --workers processes and run on it.",
)
@click.option(
    "--partition-bytes",
    type=click.IntRange(1),
    default=None,
    help="Input bytes per partition (default: the partition_bytes setting, 64 MiB).",
)
@click.pass_context
def batch_cmd(
    ctx: click.Context,
    inputs: tuple[str, ...],
    out_dir: Path,
    workers: int | None,
    scheduler: str | None,
    cluster: str | None,
    partition_bytes: int | None,
) -> None:
    """Extract INPUTS (WARC, JSON Lines, folders of pages) into Parquet shards in --out, in parallel.

    Finished partitions are skipped, so re-running a killed run completes the rest.
    """
    from dataclasses import replace

    from .. import errors
    from ..nlp.load import PipelineError, check_package
    from ..settings import Settings
    from .engines import DaskEngine, EngineMissing, LocalEngine
    from .manifest import ManifestError
    from .partitions import PlanError
    from .run import BatchBusy, run_batch

    if scheduler and cluster:
        raise click.UsageError("use either --scheduler or --cluster, not both")
    settings = Settings.from_env()
    if partition_bytes:
        settings = replace(settings, partition_bytes=partition_bytes)
    n = workers or _cores()

    if not (scheduler or cluster):
        try:  # fail early and clearly when the pipeline package is missing (metadata only, no load)
            check_package(settings.pipeline, settings.pipeline_version)
        except PipelineError as exc:
            click.echo(f"claimledger: {exc}", err=True)
            sys.exit(EXIT_FATAL)

    def engine():  # created only when some partition needs running
        if scheduler or cluster:
            return DaskEngine(n, settings, scheduler)
        return LocalEngine(n, settings)

    display = _Display(enabled=sys.stderr.isatty() and not _quiet(ctx))
    try:
        with display:
            summary = run_batch(inputs, out_dir, settings, engine, display.start, display.advance)
    except PlanError as exc:
        item = errors.INPUT_UNREADABLE.item(source=exc.source, reason=exc.reason)
        click.echo(f"claimledger: {item.code}: {item.message}", err=True)
        sys.exit(EXIT_FATAL)
    except (BatchBusy, ManifestError, EngineMissing, PipelineError) as exc:
        click.echo(f"claimledger: {exc}", err=True)
        sys.exit(EXIT_FATAL)
    if not _quiet(ctx):
        _print_summary(summary, out_dir)
    sys.exit(summary.exit_code)


def _print_summary(summary: BatchSummary, out_dir: Path) -> None:
    docs = ", ".join(f"{k} {v}" for k, v in sorted(summary.documents.items())) or "none"
    click.echo(
        f"partitions: {summary.written} written, {summary.skipped} skipped, {summary.failed} failed "
        f"(of {summary.partitions}); documents: {docs}; {summary.docs_per_s:.1f} docs/s in "
        f"{summary.seconds:.1f} s — {out_dir}",
        err=True,
    )
    for e in summary.errors[:20]:
        click.echo(f"  {e['partition']}: {e['code']} {e['message']}", err=True)
    if summary.fatal:
        click.echo(f"claimledger: {summary.fatal}", err=True)


class _Display:
    """Per-partition progress on stderr (a TTY only): partitions, docs/s and ETA by input bytes."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> _Display:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[parts]}"),
                TextColumn("{task.fields[docs]} docs, {task.fields[rate]:.1f} docs/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)

    def start(self, todo: list[Partition], skipped: list[Partition]) -> None:
        if self._progress is None:
            return
        self._n = len(todo)
        self._done = 0
        self._task = self._progress.add_task(
            f"batch ({len(skipped)} skipped)",
            total=sum(p.size for p in todo) or 1,
            parts=f"0/{self._n} partitions",
            docs=0,
            rate=0.0,
        )

    def advance(self, partition: Partition, result: PartitionResult, summary: BatchSummary) -> None:
        if self._progress is None or self._task is None:
            return
        self._done += 1
        elapsed = self._progress.tasks[0].elapsed or 0.0
        docs = sum(summary.documents.values())
        self._progress.update(
            self._task,
            advance=partition.size,
            parts=f"{self._done}/{self._n} partitions",
            docs=docs,
            rate=docs / elapsed if elapsed else 0.0,
        )


@click.command("load")
@click.argument("out_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_DB_OPTION
@click.pass_context
def load_cmd(ctx: click.Context, out_dir: Path, db: str) -> None:
    """Load the Parquet shards of a batch output folder DIR into the ledger (idempotent)."""
    from ..ledger.store import Ledger
    from .load import NotBatchOutput, check_batch_output, load_shards
    from .manifest import ManifestError

    try:  # before the ledger is opened: a mistaken folder must not create one
        check_batch_output(out_dir)
    except NotBatchOutput as exc:
        click.echo(f"claimledger: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    try:
        ledger = Ledger(db)
    except Exception as exc:  # a bad URL or an unreachable server: say so, no traceback
        raise click.ClickException(f"cannot open the ledger at {db}: {exc}") from exc
    try:
        summary = load_shards(out_dir, ledger)
    except ManifestError as exc:
        click.echo(f"claimledger: {exc}", err=True)
        sys.exit(EXIT_FATAL)
    if not _quiet(ctx):
        t = summary.outcomes
        click.echo(
            f"loaded {summary.partitions} partition(s): ingested {t['ingested']}, "
            f"new versions {t['version']}, "
            f"unchanged {t['unchanged']}, failed {t['failed']} — {ledger.url}",
            err=True,
        )
        if summary.missing:
            click.echo(
                f"  {len(summary.missing)} unfinished partition(s) not loaded (re-run `claimledger batch`): "
                + ", ".join(summary.missing[:10]),
                err=True,
            )
        for e in summary.errors:
            click.echo(f"  {e['partition']}: {e['code']} {e['message']}", err=True)
    sys.exit(summary.exit_code)
