"""Exports of the ledger (JSON Lines, CSV, Parquet) and tracker timelines from it."""

from __future__ import annotations

import json
from pathlib import Path

from ..output import write_rows
from .schema import VIEWS, metadata
from .store import Ledger
from .trackers import Point, Tracker, timeline

# Signatures are internal (near-duplicate detection): not worth exporting.
_SKIP_COLUMNS = {"signature", "tsv"}


def export_ledger(ledger: Ledger, out_dir: Path, fmt: str) -> list[tuple[Path, int]]:
    """One file per table and view in ``out_dir``; returns (path, rows) of each."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in [*metadata.tables, *VIEWS]:
        rows = [{k: v for k, v in r.items() if k not in _SKIP_COLUMNS} for r in ledger.table(name)]
        path = out_dir / f"{name}.{fmt}"
        if fmt == "parquet":
            _parquet(rows, path)
        else:
            with path.open("w", encoding="utf-8", newline="") as fh:
                write_rows(rows, fmt, fh)
        written.append((path, len(rows)))
    return written


def _parquet(rows: list[dict], path: Path) -> None:
    import pyarrow as pa  # imported on first use: only Parquet export needs it
    import pyarrow.parquet as pq

    # JSON columns are stored as JSON text so that every engine reads them the same way.
    flat = [
        {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in r.items()}
        for r in rows
    ]
    pq.write_table(pa.Table.from_pylist(flat), path)


def track(ledger: Ledger, tracker: Tracker) -> list[Point]:
    """The tracker's timeline over the current documents of the ledger."""
    rows = [
        {
            "published": r["published"],
            "low": r["low"],
            "high": r["high"],
            "approximate": bool(r["approximate"]),
            "text": r["expression"],
            "counts": r["counts"],
            "category": r["category"],
            "claimant_name": r["claimant"],
            "claimant_type": r["claimant_type"],
            "outlet": r["outlet"] or r["source"],
            "document": r["doc_id"],
            "cluster": r["cluster_id"] or r["doc_id"],
            "sentence": r["sentence"],
        }
        for r in ledger.table("numbers_view")
    ]
    return timeline(tracker, rows)
