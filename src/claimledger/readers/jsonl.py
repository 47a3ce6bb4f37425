"""JSON Lines: one document per line, ``{"url": …, "html" | "text": …, "published": …}``.

A big file can be read in partitions: :func:`read_jsonl` reads the lines that *start* in a byte
range, so ranges that tile the file read every line exactly once. A line over ``max_input_bytes``
is skipped without being held in memory; a bad line is a ``failed`` record and the file goes on.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .. import errors
from ..settings import Settings
from .capped import CappedGzipReader, DecompressionLimit, TruncatedGzip
from .record import Kind, Record, display_name

_CHUNK = 1024 * 1024
_ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d")


def read_jsonl(
    path: str | Path, settings: Settings, start: int = 0, end: int | None = None
) -> Iterator[Record]:
    """Records for the lines of ``path`` that start in the byte range ``[start, end)``.

    Sources read ``file.jsonl:LINE`` (1-based). A gzip-compressed file is read whole through the
    capped decompressor when ``start`` is 0, and yields nothing for a later partition.
    """
    name = display_name(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        yield Record(name, None, status="failed", errors=[errors.UNREADABLE.item(source=name, reason=reason)])
        return
    with fh:
        if fh.read(2) == b"\x1f\x8b":
            fh.seek(0)
            if start == 0:
                reader = CappedGzipReader(fh, None, settings.max_decompression_ratio)
                yield from read_jsonl_stream(io.BufferedReader(reader, _CHUNK), name, settings)
            return
        line_no = _count_lines(fh, start) if start > 0 else 0
        fh.seek(start)
        if start > 0:
            fh.seek(start - 1)
            if fh.read(1) != b"\n":  # ``start`` is inside a line that belongs to the previous range
                _skip_line(fh)
                line_no += 1
        yield from read_jsonl_stream(fh, name, settings, end=end, first_line=line_no + 1)


def read_jsonl_stream(
    fh: BinaryIO, name: str, settings: Settings, end: int | None = None, first_line: int = 1
) -> Iterator[Record]:
    """Records of JSON Lines read from an open binary stream (a file, stdin or a decompressor)."""
    line_no = first_line - 1
    pos = fh.tell() if end is not None else 0
    while end is None or pos < end:
        line_no += 1
        try:
            raw, size = _read_line(fh, settings.max_input_bytes)
        except DecompressionLimit as exc:
            yield _bad(name, line_no, errors.DECOMPRESSION_LIMIT.item(source=name, reason=exc.reason))
            return
        except (TruncatedGzip, gzip.BadGzipFile, EOFError) as exc:
            yield _bad(name, line_no, errors.CORRUPT_ARCHIVE.item(source=name, reason=str(exc)[:160]))
            return
        if size == 0:
            return
        pos += size
        if raw is None:
            yield _bad(name, line_no, errors.TOO_LARGE.item(size=size, limit=settings.max_input_bytes))
        elif raw.strip():
            yield _parse(raw, name, line_no)


def _parse(raw: bytes, name: str, line_no: int) -> Record:
    source = f"{name}:{line_no}"
    try:
        obj = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        return _bad(name, line_no, _line_error(name, line_no, f"invalid JSON: {str(exc)[:80]}"))
    except RecursionError:  # the JSON parser recurses per level: about a thousand is its limit
        return _bad(name, line_no, _line_error(name, line_no, "JSON nested too deep to read"))
    if not isinstance(obj, dict):
        return _bad(name, line_no, _line_error(name, line_no, f"a JSON {type(obj).__name__}, not an object"))
    html, text = obj.get("html"), obj.get("text")
    kind: Kind
    body, kind = (html, "html") if isinstance(html, str) else (text, "text")
    if not isinstance(body, str):
        return _bad(name, line_no, _line_error(name, line_no, 'no "html" or "text" string'))
    url = obj.get("url") if isinstance(obj.get("url"), str) else None
    published = obj.get("published")
    published = published[:10] if isinstance(published, str) and _ISO_DATE.match(published[:10]) else None
    return Record(
        source,
        body,
        kind=kind,
        url=url,
        published=published,
        provenance={"jsonl_file": name, "line": line_no},
    )


def _line_error(name: str, line_no: int, reason: str):
    return errors.BAD_JSON_LINE.item(line=line_no, path=name, reason=reason)


def _bad(name: str, line_no: int, item) -> Record:
    return Record(
        f"{name}:{line_no}",
        None,
        provenance={"jsonl_file": name, "line": line_no},
        status="failed",
        errors=[item],
    )


def _read_line(fh: BinaryIO, limit: int) -> tuple[bytes | None, int]:
    """(line, bytes consumed); the line is None when longer than ``limit`` (then skipped)."""
    line = fh.readline(limit + 1)
    if len(line) <= limit or line.endswith(b"\n"):
        return line, len(line)
    return None, len(line) + _skip_line(fh)


def _skip_line(fh: BinaryIO) -> int:
    """Read past the end of the current line; the bytes skipped."""
    n = 0
    while True:
        part = fh.readline(_CHUNK)
        n += len(part)
        if not part or part.endswith(b"\n"):
            return n


def _count_lines(fh: BinaryIO, upto: int) -> int:
    """Newlines in the first ``upto`` bytes: the line number a partition starts after."""
    fh.seek(0)
    n, left = 0, upto
    while left > 0:
        chunk = fh.read(min(_CHUNK, left))
        if not chunk:
            break
        n += chunk.count(b"\n")
        left -= len(chunk)
    return n
