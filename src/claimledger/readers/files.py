"""Paths to records: files, folders (recursive), globs and ``-`` for stdin, each sniffed by content.

A file is read by what its first bytes say it is, not by its name: text and HTML become one record,
a WARC many, JSON Lines one per line; gzip is decompressed through the capped reader and sniffed
again. Reading never raises: a missing, unreadable or damaged input is a ``failed`` record.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .. import errors
from ..settings import Settings
from ..text import BINARY_MAGIC
from .capped import CappedGzipReader, DecompressionLimit, TruncatedGzip, read_capped
from .jsonl import read_jsonl, read_jsonl_stream
from .record import Record, display_name
from .sniff import HEAD_BYTES, sniff
from .walk import GLOB_CHARS, Entry, Seen, expand, files_under
from .warc import read_warc, read_warc_stream

log = logging.getLogger(__name__)
#: In a folder, files of these formats are not pages (notes, code, configuration, data) and are left
#: out without sniffing; a file named explicitly is read whatever its name.
FOLDER_SKIP_SUFFIXES = frozenset(
    ".md .rst .py .js .css .json .yaml .yml .toml .ini .cfg .csv .tsv .log .lock .sh .db .sqlite".split()
)
#: Files named in a CL-E033 error (the rest are counted).
MAX_LISTED_SKIPPED = 10
#: ``ftp://``, ``file://`` …: a URL of a scheme that is never fetched (checked on the first 40 chars).
_OTHER_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]{1,20}://")


def read_inputs(paths: Iterable[str], settings: Settings) -> Iterator[Record]:
    """Every document of every input, in order: files, folders, globs, ``-`` (stdin) and URLs.

    Never raises for a bad input: it becomes a Record with ``data=None``, status failed (or
    skipped) and a coded error.
    """
    for p in paths:
        yield from _guarded(_read_one(p, settings), p)


def _read_one(p: str, settings: Settings) -> Iterator[Record]:
    if p == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:  # started with stdin closed (``<&-``): there is nothing to read
            yield _unreadable("<stdin>", OSError(errno.EBADF, "standard input is closed"))
            return
        try:
            yield from _read_stream(stdin, "<stdin>", settings)
        except OSError as exc:  # e.g. a descriptor closed under us, or an I/O error of a device
            yield _unreadable("<stdin>", exc)
    elif _is_url(p):
        from .url import fetch  # httpx is imported only when a URL is given

        yield fetch(p, settings)
    elif _OTHER_SCHEME.match(p[:40]):
        name = display_name(p)
        item = errors.URL_REFUSED.item(url=name, reason="only http and https URLs are fetched")
        yield Record(name, None, url=name, status="failed", errors=[item])
    else:
        yield from _read_path(p, settings)


def _guarded(records: Iterator[Record], p: str) -> Iterator[Record]:
    """The records of one input; a reader that breaks on it ends that input only (CL-E099).

    Readers turn every known kind of bad input into a coded record; this is the net for the
    unknown ones, so that one input can never stop the others of the run.
    """
    try:
        yield from records
    except Exception as exc:
        name = display_name(p)
        log.exception("reading %s failed", name)
        item = errors.INTERNAL.item(reason=f"reading {name}: {type(exc).__name__}: {str(exc)[:160]}")
        yield Record(name, None, status="failed", errors=[item])


def _is_url(p: str) -> bool:
    low = p[:8].lower()
    return low.startswith(("http://", "https://"))


def _read_path(p: str, settings: Settings) -> Iterator[Record]:
    if "\x00" in p:  # no file system takes it; open() would raise ValueError
        yield _unreadable(p, OSError(errno.EINVAL, "a path cannot hold a NUL character"))
    elif not os.path.lexists(p) and GLOB_CHARS & set(p):
        yield from _read_glob(p, settings)
    elif os.path.isdir(p):
        yield from _read_dir(p, settings)
    else:
        yield from read_file(p, settings)


def _read_glob(pattern: str, settings: Settings) -> Iterator[Record]:
    """What a pattern matches: folders as folders, files as named files; each file once."""
    seen, tally = Seen(), _Tally()
    matched = False
    for entry in expand(pattern):
        matched = True
        if entry.is_dir and entry.error is None:
            yield from _read_found(files_under(entry.path, seen), settings, tally)
        elif seen.first(entry):  # a file the pattern names is read whatever it is
            tally.found += 1
            if entry.error:
                yield _unreadable(entry.path, entry.error)
            else:
                yield from read_file(entry.path, settings)
    if not matched:
        name = display_name(pattern)
        yield Record(name, None, status="failed", errors=[errors.NO_MATCH.item(pattern=name)])
    elif not tally.found:
        yield _nothing_readable(pattern, tally.skipped)


def _read_dir(folder: str, settings: Settings) -> Iterator[Record]:
    """Files under ``folder``; hidden files, :data:`FOLDER_SKIP_SUFFIXES` and binary files are left out.

    A folder that cannot be listed is a failed record (CL-E006), and so is a folder in which
    nothing could be read (CL-E033, listing what was left out and why): never silence.
    """
    tally = _Tally()
    yield from _read_found(files_under(folder, Seen()), settings, tally)
    if not tally.found:
        yield _nothing_readable(folder, tally.skipped)


@dataclass
class _Tally:
    """What a folder or a glob gave: inputs read or reported, and files left out with the reason."""

    found: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _read_found(entries: Iterable[Entry], settings: Settings, tally: _Tally) -> Iterator[Record]:
    for entry in entries:
        why = None if entry.error else _left_out(entry)
        if why:
            tally.skipped.append((entry.path, why))
            continue
        tally.found += 1
        if entry.error:
            yield _unreadable(entry.path, entry.error)
        else:
            yield from read_file(entry.path, settings)


def _left_out(entry: Entry) -> str | None:
    """Why a file found in a folder is not read (its suffix, or binary content), or None."""
    suffix = Path(entry.path).suffix.lower()
    if suffix in FOLDER_SKIP_SUFFIXES:
        return f"a {suffix} file"
    try:
        with open(entry.path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return None  # read_file reports it (CL-E006)
    if sniff(head) != "binary":
        return None
    return next((what for magic, what in BINARY_MAGIC if head.startswith(magic)), "binary data")


def _nothing_readable(where: str, skipped: list[tuple[str, str]]) -> Record:
    name = display_name(where)
    if skipped:
        shown = ", ".join(f"{display_name(p)} ({why})" for p, why in skipped[:MAX_LISTED_SKIPPED])
        more = len(skipped) - MAX_LISTED_SKIPPED
        found = f"{len(skipped)} file(s) left out: {shown}{f' and {more} more' if more > 0 else ''}"
    else:
        found = "no file in it"
    item = errors.NOTHING_READABLE.item(where=name, found=found)
    return Record(name, None, status="failed", errors=[item])


def read_file(p: str, settings: Settings) -> Iterator[Record]:
    """The records of one file, by its content: text/HTML (one), WARC, JSON Lines, or gzip of these.

    Records name the file by :func:`~claimledger.readers.record.display_name` (a valid string
    whatever the bytes of the name); the file is opened by ``p`` itself.
    """
    name = display_name(p)
    try:
        fh = open(p, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        yield _unreadable(p, exc)
        return
    with fh:
        head = fh.read(HEAD_BYTES)
        kind = sniff(head)
        if kind == "warc":
            fh.close()
            yield from read_warc(p, settings)
        elif kind == "jsonl":
            fh.close()
            yield from read_jsonl(p, settings)
        elif kind == "gzip":
            yield from _read_gzip(fh, name, settings)
        else:
            rest = fh.read(max(0, settings.max_input_bytes + 1 - len(head)))
            yield _document(name, head + rest, kind)


def _read_gzip(fh: BinaryIO, name: str, settings: Settings) -> Iterator[Record]:
    """Sniff the decompressed head; WARC and JSON Lines stream, anything else is one document."""
    fh.seek(0)
    probe = CappedGzipReader(fh, settings.max_decoded_bytes, settings.max_decompression_ratio)
    try:
        inner: str = sniff(probe.read(HEAD_BYTES))
    except (TruncatedGzip, DecompressionLimit) as exc:
        inner = "damaged: " + str(exc)
    fh.seek(0)
    if inner == "warc":
        yield from read_warc_stream(fh, name, settings)
    elif inner == "jsonl":
        reader = CappedGzipReader(fh, None, settings.max_decompression_ratio)
        yield from read_jsonl_stream(io.BufferedReader(reader, 1024 * 1024), name, settings)
    else:
        yield _decompressed(fh, name, settings)


def _decompressed(fh: BinaryIO, name: str, settings: Settings) -> Record:
    try:
        data = read_capped(fh, settings.max_decoded_bytes, settings.max_decompression_ratio)
    except DecompressionLimit as exc:
        item = errors.DECOMPRESSION_LIMIT.item(source=name, reason=exc.reason)
        return Record(name, None, status="failed", errors=[item])
    except TruncatedGzip as exc:
        rec = _document(name, exc.partial, None)
        rec.status = "partial" if exc.partial else "failed"
        if not exc.partial:
            rec.data = None
        rec.errors.append(errors.CORRUPT_ARCHIVE.item(source=name, reason=str(exc)))
        return rec
    kind = sniff(data[:HEAD_BYTES])
    return _document(name, data, kind)


def _decompressed_stream(inner: BinaryIO, name: str, settings: Settings) -> Record:
    """One document from an already-decompressing stream (stdin), capped at ``max_decoded_bytes``."""
    try:
        data = inner.read(settings.max_decoded_bytes + 1)
    except DecompressionLimit as exc:
        item = errors.DECOMPRESSION_LIMIT.item(source=name, reason=exc.reason)
        return Record(name, None, status="failed", errors=[item])
    except TruncatedGzip as exc:
        return Record(
            name, None, status="failed", errors=[errors.CORRUPT_ARCHIVE.item(source=name, reason=str(exc))]
        )
    if len(data) > settings.max_decoded_bytes:
        reason = f"produced more than max_decoded_bytes={settings.max_decoded_bytes:,} bytes"
        return Record(
            name, None, status="failed", errors=[errors.DECOMPRESSION_LIMIT.item(source=name, reason=reason)]
        )
    return _document(name, data, sniff(data[:HEAD_BYTES]))


def _document(name: str, data: bytes, kind: str | None) -> Record:
    """One text or HTML document; its bytes are decoded (and refused if binary) by extraction."""
    return Record(name, data, kind="html" if kind == "html" else "text" if kind == "text" else None)


def _read_stream(stream: io.BufferedIOBase | io.RawIOBase, name: str, settings: Settings) -> Iterator[Record]:
    """stdin: sniffed like a file; WARC and JSON Lines stream, one document is read up to the cap."""
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # peek()
    head = buffered.peek(HEAD_BYTES)[:HEAD_BYTES]
    kind = sniff(head)
    if kind == "warc" or (kind == "gzip" and _gzip_is_warc(head)):
        yield from read_warc_stream(buffered, name, settings)
    elif kind == "jsonl":
        yield from read_jsonl_stream(buffered, name, settings)
    elif kind == "gzip":
        inner = io.BufferedReader(CappedGzipReader(buffered, None, settings.max_decompression_ratio), 1 << 20)
        try:
            jsonl = sniff(inner.peek(HEAD_BYTES)[:HEAD_BYTES]) == "jsonl"
        except (TruncatedGzip, DecompressionLimit):
            jsonl = False
        if jsonl:
            yield from read_jsonl_stream(inner, name, settings)
        else:
            yield _decompressed_stream(inner, name, settings)
    else:
        yield _document(name, buffered.read(settings.max_input_bytes + 1), kind)


def _gzip_is_warc(head: bytes) -> bool:
    try:
        return sniff(CappedGzipReader(io.BytesIO(head), HEAD_BYTES, 1000).read(16)) == "warc"
    except (TruncatedGzip, DecompressionLimit):
        return False


def _unreadable(p: str, exc: OSError) -> Record:
    name = display_name(p)
    item = errors.UNREADABLE.item(source=name, reason=exc.strerror or type(exc).__name__)
    return Record(name, None, status="failed", errors=[item])
