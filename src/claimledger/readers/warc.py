"""WARC and WARC.gz archives with warcio: one document per HTML ``response`` record, streamed.

Requests, metadata, redirects, errors and non-HTML responses (images, scripts, PDFs) are skipped.
Each record's payload is read through a cap (``max_decoded_bytes``, and the decompression ratio once
past 1 MiB), so a record that inflates from a kilobyte to hundreds of megabytes never sits in memory.
A record whose declared Content-Length does not match what follows is kept as ``partial``; damage
that stops the archive (truncation, garbage) ends it with a ``failed`` record at that offset.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParserException

from .. import errors
from ..settings import Settings
from .capped import RATIO_FREE_BYTES
from .record import Record, display_name

_CHUNK = 64 * 1024
#: Content types read as HTML (a response without one is sniffed from its first bytes).
HTML_TYPES = ("text/html", "application/xhtml+xml")


class _Counting:
    """Counts the raw (compressed) bytes warcio has read, for the decompression-ratio cap."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw, self.pos = raw, 0

    def read(self, n: int = -1) -> bytes:
        data = self._raw.read(n)
        self.pos += len(data)
        return data

    def readline(self, n: int = -1) -> bytes:
        data = self._raw.readline(n)
        self.pos += len(data)
        return data

    def tell(self) -> int:
        """Bytes read so far: warcio computes record offsets from it (stdin cannot ``tell``)."""
        return self.pos


class _Loader(ArcWarcRecordLoader):
    """warcio's record loader, for records whose HTTP part is missing or damaged too.

    warcio decides whether a record has HTTP headers by the scheme of its target URI and, with
    none, calls a string method on ``None``; HTTP headers it cannot parse raise. Either way the
    archive would end there. Such a record gets no HTTP headers here (``damage`` says why, for
    the last record loaded), and :func:`read_warc_stream` reports it and reads on.
    """

    damage: str | None = None

    def load_http_headers(
        self, rec_type: str, uri: str | None, stream: BinaryIO, length: int
    ) -> StatusAndHeaders | None:
        self.damage = None
        try:
            return super().load_http_headers(rec_type, uri or "", stream, length)
        except StatusAndHeadersParserException as exc:
            self.damage = f"HTTP headers that cannot be read: {str(exc)[:120]}"
            return None


def read_warc(path: str | Path, settings: Settings) -> Iterator[Record]:
    """One :class:`Record` per HTML response in the WARC (or WARC.gz) file at ``path``."""
    name = display_name(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is exhausted
    except OSError as exc:
        yield Record(
            name,
            None,
            status="failed",
            errors=[errors.UNREADABLE.item(source=name, reason=exc.strerror or type(exc).__name__)],
        )
        return
    with fh:
        yield from read_warc_stream(fh, name, settings)


def read_warc_stream(fh: BinaryIO, name: str, settings: Settings) -> Iterator[Record]:
    """Records of a WARC read from an open binary stream (a file or stdin); ``name`` labels them."""
    counting = _Counting(fh)
    it = ArchiveIterator(counting, arc2warc=False)
    it.loader = loader = _Loader(arc2warc=False)  # the iterator's generator uses it from the first record on
    pending: Record | None = None
    seen_errors = 0
    offset = 0
    try:
        for rec in it:
            offset = it.offset  # get_record_offset() would read the record to its end first
            if pending is not None:
                yield _flag_length(pending, it.err_count > seen_errors)
                pending = None
            seen_errors = it.err_count
            if rec.rec_headers.get_header("Content-Length") is None:  # a header cut short
                yield _broken(name, offset, "a record header without Content-Length (truncated?)")
            elif rec.rec_type == "response" and not rec.rec_headers.get_header("WARC-Target-URI"):
                yield _broken(name, offset, "a response record without WARC-Target-URI")
            elif rec.rec_type == "response" and loader.damage:
                yield _broken(name, offset, loader.damage)
            elif rec.rec_type == "response" and _is_empty_page(rec):
                yield _empty(rec, name, offset)
            elif rec.rec_type == "response" and _is_html(rec):
                pending = _record(rec, name, offset, counting, settings)
            elif _drained_short(rec):  # a skipped record cut short: the archive ends here
                yield _broken(name, offset, "the archive ends inside a record")
        if pending is not None:
            yield _flag_length(pending, it.err_count > seen_errors)
        if counting.pos > it.offset:  # bytes after the last record that warcio could not parse
            yield _broken(
                name, it.offset, f"{counting.pos - it.offset:,} bytes at the end are no WARC record"
            )
    except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as exc:
        if pending is not None:
            yield pending
        yield _broken(name, offset, f"{type(exc).__name__} after offset {offset}: {str(exc)[:160]}")


def _broken(name: str, offset: int, reason: str) -> Record:
    return Record(
        f"{name}@{offset}",
        None,
        provenance={"warc_file": name, "offset": offset},
        status="failed",
        errors=[errors.CORRUPT_ARCHIVE.item(source=f"{name}@{offset}", reason=reason)],
    )


def _is_empty_page(rec) -> bool:
    """A response to a web page (http or https) whose record holds nothing, not even HTTP headers."""
    uri = (rec.rec_headers.get_header("WARC-Target-URI") or "").lower()
    declared = (rec.rec_headers.get_header("Content-Length") or "").strip()
    return rec.http_headers is None and declared == "0" and uri.startswith(("http:", "https:"))


def _empty(rec, name: str, offset: int) -> Record:
    """A response record of Content-Length 0: a document without content, reported, not dropped."""
    return Record(
        f"{name}@{offset}",
        None,
        url=rec.rec_headers.get_header("WARC-Target-URI"),
        provenance={
            "warc_file": name,
            "offset": offset,
            "record_id": rec.rec_headers.get_header("WARC-Record-ID") or "",
            "length": 0,
        },
        status="skipped",
        errors=[errors.EMPTY.item()],
    )


def _drained_short(rec) -> bool:
    """Read a skipped record to its end; True when fewer bytes follow than it declares."""
    declared = int(rec.rec_headers.get_header("Content-Length") or 0)
    while rec.raw_stream.read(_CHUNK):
        pass
    got = rec.raw_stream.tell() if hasattr(rec.raw_stream, "tell") else declared
    return got < declared


def _is_html(rec) -> bool:
    http = rec.http_headers
    if http is None:
        return False
    status = http.get_statuscode() or ""
    if not status.startswith("2"):
        return False
    ctype = (http.get_header("Content-Type") or "").lower()
    return any(t in ctype for t in HTML_TYPES) or not ctype


def _record(rec, name: str, offset: int, counting: _Counting, settings: Settings) -> Record:
    headers = rec.rec_headers
    url = headers.get_header("WARC-Target-URI")
    date = headers.get_header("WARC-Date") or ""
    ctype = (rec.http_headers.get_header("Content-Type") or "").lower()
    out = Record(
        f"{name}@{offset}",
        None,
        kind="html" if ctype else None,  # without a Content-Type the payload is sniffed
        url=url,
        published=date[:10] if len(date) >= 10 and date[4:5] == "-" else None,
        provenance={
            "warc_file": name,
            "offset": offset,
            "record_id": headers.get_header("WARC-Record-ID") or "",
        },
    )
    declared = int(headers.get_header("Content-Length") or 0)
    out.provenance["length"] = declared
    if declared > settings.max_input_bytes:
        out.status = "failed"
        out.errors.append(errors.TOO_LARGE.item(size=declared, limit=settings.max_input_bytes))
        return out
    stream = rec.content_stream()
    parts: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        parts.append(chunk)
        size += len(chunk)
        raw = max(1, counting.pos - offset)
        over_ratio = size > RATIO_FREE_BYTES and size > settings.max_decompression_ratio * raw
        if size > settings.max_decoded_bytes or over_ratio:
            reason = (
                f"inflated {raw:,} bytes to over {size:,}, beyond max_decompression_ratio="
                f"{settings.max_decompression_ratio}"
                if over_ratio
                else f"produced more than max_decoded_bytes={settings.max_decoded_bytes:,} bytes"
            )
            out.status = "failed"
            out.errors.append(errors.DECOMPRESSION_LIMIT.item(source=out.source, reason=reason))
            return out
    out.data = b"".join(parts)
    # warcio reads exactly Content-Length bytes of the block; fewer means the archive ends early.
    got = rec.raw_stream.tell() if hasattr(rec.raw_stream, "tell") else declared
    if 0 <= got < declared and not out.data:
        out.data, out.status = None, "failed"
        out.errors.append(errors.CORRUPT_ARCHIVE.item(source=out.source, reason="the archive ends inside it"))
    elif 0 <= got < declared:
        out.status = "partial"
        out.errors.append(
            errors.WARC_LENGTH.item(source=out.source, declared=declared, reason=f"only {got:,} bytes follow")
        )
    return out


def _flag_length(rec: Record, lied: bool) -> Record:
    """warcio counts a record followed by unexpected bytes: its Content-Length was wrong."""
    if lied and rec.data is not None and not rec.errors:
        rec.status = "partial"
        rec.errors.append(
            errors.WARC_LENGTH.item(
                source=rec.source,
                declared=int(rec.provenance.get("length", 0)),
                reason="more data follows the record than it declares",
            )
        )
    return rec
