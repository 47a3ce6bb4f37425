"""Shards into the ledger: one writer, idempotent like ``claimledger ingest``.

Documents are rebuilt from their rows (``Document.from_dict`` through ``shards.unflatten``),
partition by partition and row group by row group, and stored with ``Ledger.ingest_many``
(idempotent by content hash). A failed or skipped document is recorded once in the ledger's
failures table: a failure already there for the same source and code is not added again, so
loading the same shards twice changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import errors
from ..model import Document
from .manifest import MANIFEST, Manifest, ManifestError
from .shards import TABLES, iter_documents, shard_path

if TYPE_CHECKING:
    from ..ledger.store import Ledger

#: Documents per ledger transaction while loading (whole documents only, as in ``ingest``): a
#: bulk load, whose transactions are written (by the ledger's writer process) while the next is
#: prepared.
PER_TRANSACTION = 500
#: Documents handed to the ledger at a time; each is reported (``on_document``) once its
#: transaction is committed.
PER_CALL = 4 * PER_TRANSACTION


@dataclass(slots=True)
class LoadSummary:
    """Outcomes of a load (``ingested``, ``version``, ``unchanged``, ``failed``) and problems."""

    outcomes: Counter[str] = field(default_factory=Counter)
    partitions: int = 0
    missing: list[str] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 3 if self.errors or self.missing or self.outcomes.get("failed") else 0


class NotBatchOutput(ManifestError):
    """The folder given to load has no batch manifest (CL-E055): a usage error, nothing is loaded."""


def check_batch_output(out_dir: Path) -> None:
    """Raise :class:`NotBatchOutput` unless ``out_dir`` holds a batch run's manifest."""
    if not (Path(out_dir) / MANIFEST).is_file():
        item = errors.NOT_BATCH_OUTPUT.item(path=out_dir)
        raise NotBatchOutput(f"{item.code}: {item.message}")


def finished_partitions(out_dir: Path) -> tuple[list[str], list[str]]:
    """Ids of partitions whose shards are complete, and of those that are not (not loaded)."""
    manifest = Manifest.load(out_dir)
    done: list[str] = []
    other: list[str] = []
    for pid, entry in manifest.partitions.items():
        complete = entry.get("status") == "done" and all(
            shard_path(out_dir, t, pid).is_file() for t in TABLES
        )
        (done if complete else other).append(pid)
    return done, other


def load_shards(
    out_dir: Path, ledger: Ledger, on_document: Callable[[Document, str], None] | None = None
) -> LoadSummary:
    """Store every finished partition's documents of ``out_dir`` in ``ledger``; returns the tally.

    Raises :class:`NotBatchOutput` for a folder that is not a batch run's output.
    """
    check_batch_output(out_dir)
    summary = LoadSummary()
    done, summary.missing = finished_partitions(out_dir)
    known = {(r["source"], r["code"]) for r in ledger.table("failures")}
    for pid in done:
        summary.partitions += 1
        try:
            _ingest(ledger, iter_documents(out_dir, pid), known, summary, on_document)
        except (OSError, ValueError) as exc:  # a damaged shard: the other partitions still load
            item = errors.SHARDS_UNREADABLE.item(partition=pid, path=out_dir, reason=str(exc)[:300])
            summary.errors.append({"partition": pid, **item.to_dict()})
    return summary


def _ingest(
    ledger: Ledger,
    docs: Iterator[Document],
    known: set[tuple[str, str]],
    summary: LoadSummary,
    on_document: Callable[[Document, str], None] | None,
) -> None:
    """Ingest in transactions of ``PER_TRANSACTION`` documents, ``PER_CALL`` at a time; failures
    are recorded once per (source, code)."""
    pending: list[Document] = []

    def commit() -> None:
        for doc, res in zip(
            pending, ledger.ingest_many(pending, per_transaction=PER_TRANSACTION), strict=True
        ):
            summary.outcomes[res.outcome] += 1
            if on_document:
                on_document(doc, res.outcome)
        pending.clear()

    for doc in docs:
        if doc.status in ("failed", "skipped") or not doc.text:
            err = doc.errors[0] if doc.errors else None
            code, message = (err.code, err.message) if err else ("CL-E099", doc.status)
            if (doc.source, code) not in known:
                ledger.record_failure(doc.source, code, message)
                known.add((doc.source, code))
            summary.outcomes["failed"] += 1
            if on_document:
                on_document(doc, "failed")
            continue
        pending.append(doc)
        if len(pending) >= PER_CALL:
            commit()
    commit()
