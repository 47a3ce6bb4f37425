"""Exports of the ledger (JSON Lines, CSV, Parquet) and tracker timelines from it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Float, Integer, LargeBinary, Text
from sqlalchemy.types import TypeEngine

from ..output import QueryRows, write_rows
from .schema import VIEWS, metadata
from .store import Ledger
from .trackers import Point, Tracker, timeline

# Signatures are internal (near-duplicate detection): not worth exporting.
_SKIP_COLUMNS = {"signature", "tsv"}


def export_ledger(ledger: Ledger, out_dir: Path, fmt: str) -> list[tuple[Path, int]]:
    """One file per table and view in ``out_dir``; returns (path, rows) of each.

    An empty table is written with its columns: a CSV header, a typed Parquet schema.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in [*metadata.tables, *VIEWS]:
        columns = [c for c in ledger.columns(name) if c not in _SKIP_COLUMNS]
        rows = QueryRows(({k: r[k] for k in columns} for r in ledger.table(name)), columns)
        path = out_dir / f"{name}.{fmt}"
        if fmt == "parquet":
            _parquet(rows, arrow_schema(name, columns), path)
        else:
            with path.open("w", encoding="utf-8", newline="") as fh:
                write_rows(rows, fmt, fh)
        written.append((path, len(rows)))
    return written


# Columns of the views computed by an expression (no table column to take the type from).
_VIEW_EXPRESSIONS: dict[str, type[TypeEngine]] = {
    "claimant": Text,
    "sentence": Text,
    "text": Text,
    "documents": Integer,
    "quotes": Integer,
}


def _column_types(name: str) -> dict[str, TypeEngine]:
    """The SQL type of each column of a table or view: a view's columns take their types from the
    table columns they select (parsed from the view's SQL: ``alias.column [AS name]``)."""
    if name in metadata.tables:
        return {c.name: c.type for c in metadata.tables[name].columns}
    sql = VIEWS[name]
    found = re.findall(r"(?:FROM|JOIN)\s+(\w+)\s+(\w+)\b", sql)
    aliases = {a: metadata.tables[tb] for tb, a in found if tb in metadata.tables}
    types: dict[str, TypeEngine] = {n: kind() for n, kind in _VIEW_EXPRESSIONS.items()}
    select = sql.split("FROM", 1)[0]
    for alias, column, label in re.findall(r'\b(\w+)\.("?\w+"?)(?:\s+AS\s+(\w+))?\s*(?=,|$)', select):
        table = aliases.get(alias)
        column = column.strip('"')
        if table is not None and column in table.c:
            types[label or column] = table.c[column].type
    return types


def _arrow(sql_type: TypeEngine) -> Any:
    import pyarrow as pa  # imported on first use: only Parquet export needs it

    if isinstance(sql_type, Boolean):
        return pa.bool_()
    if isinstance(sql_type, Integer):
        return pa.int64()
    if isinstance(sql_type, Float):
        return pa.float64()
    if isinstance(sql_type, LargeBinary):
        return pa.binary()
    return pa.string()  # text, and JSON stored as JSON text so that every engine reads it alike


def arrow_schema(name: str, columns: list[str]) -> Any:
    """The Parquet schema of one exported table or view: the same whether it has rows or none."""
    import pyarrow as pa

    types = _column_types(name)
    missing = [c for c in columns if c not in types]
    if missing:
        raise ValueError(f"no type known for column(s) {missing} of {name}; add them to _VIEW_EXPRESSIONS")
    return pa.schema([(c, _arrow(types[c])) for c in columns])


def _parquet(rows: list[dict], schema: Any, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    def value(v: Any, kind: Any) -> Any:
        if isinstance(v, (list, dict)):
            return json.dumps(v, ensure_ascii=False)
        if v is not None and kind == pa.bool_():
            return bool(v)  # SQLite stores booleans as 0 and 1
        return v

    kinds = {f.name: f.type for f in schema}
    flat = [{k: value(v, kinds[k]) for k, v in r.items()} for r in rows]
    pq.write_table(pa.Table.from_pylist(flat, schema=schema), path)


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
