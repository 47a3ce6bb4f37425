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
from rich.text import Text

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


# A cell this short never wraps: dates, figures and ids stay on one line while text columns wrap.
_SHORT_CELL = 12


def _readable(value: Any) -> str:
    """A list or mapping as people write it: ``a, b``, ``role (2030-03-17)``, ``k: v``; never JSON."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_readable(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_item(v) for v in value)
    return "" if value is None else str(value)


def _item(value: Any) -> str:
    """One item of a list; a pair such as ``[role, first date]`` reads ``role (first date)``."""
    if isinstance(value, (list, tuple)) and value:
        rest = [_readable(v) for v in value[1:] if v not in (None, "")]
        return _readable(value[0]) + (f" ({', '.join(rest)})" if rest else "")
    return _readable(value)


def _cell(column: str, value: Any) -> str:
    """A readable terminal cell: whole numbers without ".0", lists as text, document ids shortened.

    Text is never cut: a quote is shown whole (the table wraps it to the terminal's width).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:g}"
    if isinstance(value, (list, tuple, Mapping)):
        return _readable(value)
    text = str(value)
    if column in ("doc_id", "document", "copy_of") and len(text) == 64:
        return text[:12]
    return text


def columns_of(rows: Iterable[Mapping[str, Any]]) -> list[str] | None:
    """The column names a query result carries even when it has no rows (see :class:`QueryRows`)."""
    return list(rows.columns) if isinstance(rows, QueryRows) else None


class QueryRows(list):
    """Rows of a query, with the names of its columns (so that an empty result still has a CSV header)."""

    def __init__(self, rows: Iterable[Mapping[str, Any]] = (), columns: Sequence[str] = ()) -> None:
        super().__init__(rows)
        self.columns = list(columns)


def table(rows: Sequence[Mapping[str, Any]], cols: Sequence[str], title: str | None = None) -> Table:
    """A rich table of ``rows``: every cell a :class:`~rich.text.Text`, so that nothing in a quote,
    a name or a category (``[sic]``, ``[bold]``, ``:emoji:``) is read as console markup."""
    cells = [[_cell(c, r.get(c)) for c in cols] for r in rows]
    tab = Table(title=Text(title) if title else None, show_lines=False, expand=False)
    for i, c in enumerate(cols):
        short = all(len(row[i]) <= _SHORT_CELL for row in cells)
        tab.add_column(Text(c), overflow="fold", no_wrap=short)
    for row in cells:
        tab.add_row(*(Text(v) for v in row))
    return tab


# A word longer than this may be folded inside a table cell (ids, URLs); shorter words never are.
_FOLDABLE_WORD = 16


def _narrowest(rows: Sequence[Mapping[str, Any]], cols: Sequence[str]) -> int:
    """The width of the narrowest table that breaks no word shorter than ``_FOLDABLE_WORD``:
    each column its longest word or header, plus padding and a border."""
    width = 1
    for c in cols:
        words = [len(c)] + [len(w) for r in rows for w in _cell(c, r.get(c)).split()]
        width += min(max(words), max(_FOLDABLE_WORD, len(c))) + 3
    return width


def print_table(
    console: Console, rows: Sequence[Mapping[str, Any]], cols: Sequence[str], title: str | None = None
) -> None:
    """A table as wide as the console (the terminal's width; COLUMNS, or 80 when the output is not a
    terminal), long cells wrapped. When even the narrowest table (each column as wide as its
    longest word) does not fit, each row is printed as a block of ``column  value`` lines instead:
    squeezing would fold every word, and a column narrower than its header hides it. A column
    empty in every row is left out (it would only take width)."""
    if rows:
        cols = [c for c in cols if any(_cell(c, r.get(c)) for r in rows)]
    if _narrowest(rows, cols) <= console.width:
        console.print(table(rows, cols, title))
        return
    if title:
        console.print(Text(title, style="bold"))
    width = max((len(c) for c in cols), default=0)
    for i, r in enumerate(rows, 1):
        block = Table.grid(padding=(0, 2))
        block.add_column(no_wrap=True, style="bold")
        block.add_column(overflow="fold")
        for c in cols:
            block.add_row(Text(c.ljust(width)), Text(_cell(c, r.get(c))))
        console.rule(Text(f"{i}"), align="left", style="dim")
        console.print(block)
    if not rows:
        console.print(Text("(no rows)"))


def write_rows(
    rows: Iterable[Mapping[str, Any]],
    fmt: str,
    out: TextIO,
    columns: Sequence[str] | None = None,
    title: str | None = None,
) -> int:
    """Write rows in ``fmt``; returns how many. ``columns`` picks and orders fields.

    Without ``columns`` the fields are those of the first row, or, with no rows, the column names
    of a :class:`QueryRows` result, so that an empty CSV still has its header.
    """
    known = columns_of(rows)
    rows = [{k: _plain(v) for k, v in r.items() if columns is None or k in columns} for r in rows]
    cols = list(columns) if columns else (list(rows[0]) if rows else known or [])
    if fmt == "jsonl":
        for r in rows:
            out.write(json.dumps({c: r.get(c) for c in cols}, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        w = csv.writer(out)
        w.writerow(cols)
        for r in rows:
            w.writerow([safe_cell(r.get(c)) for c in cols])
    else:
        print_table(Console(file=out, soft_wrap=False), rows, cols, title)
    return len(rows)
