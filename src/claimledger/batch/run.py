"""The coordinator: plan, skip what is finished, run the rest on an engine, keep the manifest.

The coordinator is the only writer of the manifest and never sees document text: workers
write shards themselves and send back counts. One run at a time per output folder (a lock file).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..settings import Settings
from .engines import Engine
from .manifest import Manifest
from .partitions import Partition, plan
from .shards import TABLES
from .worker import PartitionResult, PartitionTask


@dataclass(slots=True)
class BatchSummary:
    """What one run did: partitions written, skipped and failed, documents by status, speed."""

    partitions: int = 0
    written: int = 0
    skipped: int = 0
    failed: int = 0
    documents: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    errors: list[dict[str, str]] = field(default_factory=list)
    #: A fatal problem (the pipeline cannot load): the run stopped.
    fatal: str | None = None

    @property
    def docs_per_s(self) -> float:
        return sum(self.documents.values()) / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        """0 all good, 1 fatal, 3 some documents or partitions failed."""
        if self.fatal:
            return 1
        return 3 if self.failed or self.documents.get("failed") else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "partitions": self.partitions,
            "written": self.written,
            "skipped": self.skipped,
            "failed": self.failed,
            "documents": dict(sorted(self.documents.items())),
            "seconds": round(self.seconds, 2),
            "docs_per_s": round(self.docs_per_s, 2),
            "fatal": self.fatal,
        }


#: Progress callback, after each partition: (partition, its result, the summary so far).
OnProgress = Callable[[Partition, PartitionResult, BatchSummary], None]


def run_batch(
    paths: Iterable[str],
    out_dir: Path,
    settings: Settings,
    engine: Callable[[], Engine],
    on_start: Callable[[list[Partition], list[Partition]], None] | None = None,
    on_progress: OnProgress | None = None,
) -> BatchSummary:
    """Run every unfinished partition of ``paths`` into ``out_dir``; returns the run's summary.

    ``engine`` is a factory, called only when some partition needs running (a re-run of a
    finished output starts no processes and no cluster).
    """
    started = time.perf_counter()
    began = _now()
    out_dir.mkdir(parents=True, exist_ok=True)
    inputs, parts = plan(paths, settings)
    summary = BatchSummary(partitions=len(parts))
    engine_name: str | None = None
    with _locked(out_dir):
        manifest = Manifest.load(out_dir)
        manifest.begin(settings, inputs, parts)
        _remove_stale(out_dir, {p.id for p in parts})
        todo = [p for p in parts if not manifest.is_complete(p)]
        skipped = [p for p in parts if manifest.is_complete(p)]
        for p in skipped:
            manifest.partitions[p.id]["last_run"] = "skipped"
            summary.skipped += 1
        for p in todo:
            manifest.partitions[p.id]["status"] = "pending"
        manifest.save()
        if on_start:
            on_start(todo, skipped)
        if todo:
            eng = engine()
            engine_name = eng.name
            try:
                for task, result, attempts in eng.run(
                    [PartitionTask(p, str(out_dir), settings) for p in todo]
                ):
                    _account(summary, result)
                    manifest.record(result, attempts)
                    manifest.partitions[result.id]["last_run"] = (
                        "written" if result.status == "done" else "failed"
                    )
                    manifest.save()
                    if on_progress:
                        on_progress(task.partition, result, summary)
                    if result.fatal:
                        summary.fatal = (result.error or {}).get("message", "the pipeline cannot load")
                        break
            finally:
                eng.close()
        summary.seconds = time.perf_counter() - started
        manifest.add_run({"started": began, "finished": _now(), "engine": engine_name, **summary.to_dict()})
        manifest.save()
    return summary


def _account(summary: BatchSummary, result: PartitionResult) -> None:
    summary.documents.update(result.documents)
    if result.status == "done":
        summary.written += 1
    else:
        summary.failed += 1
        if result.error:
            summary.errors.append({"partition": result.id, **result.error})


def _remove_stale(out_dir: Path, current: set[str]) -> None:
    """Temporary files of a killed run, and shards of partitions no longer in the plan."""
    for t in TABLES:
        folder = out_dir / t
        if not folder.is_dir():
            continue
        for f in folder.iterdir():
            tmp = f.name.startswith(".part-") and f.name.endswith(".tmp")
            orphan = f.name.startswith("part-") and f.name.endswith(".parquet") and f.name[:-8] not in current
            if tmp or orphan:
                f.unlink(missing_ok=True)


@contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """One coordinator per output folder: a second concurrent run fails at once instead of racing."""
    fh = (out_dir / ".lock").open("w")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BatchBusy(f"another claimledger batch is writing to {out_dir}") from None
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fh.close()


class BatchBusy(RuntimeError):
    """Another run holds the output folder's lock."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
