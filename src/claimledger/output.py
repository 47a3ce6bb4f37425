"""Rows out: ``--format text|jsonl|csv`` for every listing command.

CSV cells that a spreadsheet would run as a formula (starting with ``= + - @``, or a tab or
carriage return) are neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell that cannot start a formula; numbers are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, (list, dict)):
        return safe_cell(json.dumps(value, ensure_ascii=False))
    return value


def _plain(value: Any) -> Any:
    return value.hex() if isinstance(value, bytes) else value


_MAX_CELL = 70


def _cell(column: str, value: Any) -> str:
    """A readable terminal cell: whole numbers without ".0", ids shortened, long text cut."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:g}"
    text = str(value)
    if column in ("doc_id", "document") and len(text) == 64:
        return text[:12]
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def write_rows(
    rows: Iterable[Mapping[str, Any]],
    fmt: str,
    out: TextIO,
    columns: Sequence[str] | None = None,
    title: str | None = None,
) -> int:
    """Write rows in ``fmt``; returns how many. ``columns`` picks and orders fields."""
    rows = [{k: _plain(v) for k, v in r.items() if columns is None or k in columns} for r in rows]
    cols = list(columns) if columns else (list(rows[0]) if rows else [])
    if fmt == "jsonl":
        for r in rows:
            out.write(json.dumps({c: r.get(c) for c in cols}, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        w = csv.writer(out)
        w.writerow(cols)
        for r in rows:
            w.writerow([safe_cell(r.get(c)) for c in cols])
    else:
        table = Table(title=title, show_lines=False, expand=False)
        for c in cols:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*[_cell(c, r.get(c)) for c in cols])
        Console(file=out, soft_wrap=False, width=160).print(table)
    return len(rows)
