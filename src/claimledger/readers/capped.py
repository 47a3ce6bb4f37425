"""A gzip decompressor with caps on output size and ratio: the guard against decompression bombs.

Multi-member streams (``.warc.gz``, concatenated ``.gz``) are read member after member. The output
is produced in small steps (``max_length``), so a bomb never inflates more than one step past a cap.
"""

from __future__ import annotations

import io
import zlib
from typing import Protocol

#: The ratio cap applies once the output has passed this many bytes (small files compress well).
RATIO_FREE_BYTES = 1024 * 1024
_STEP = 64 * 1024


class Readable(Protocol):
    """What the reader needs of its compressed input: a file, a socket's body (``read`` only)."""

    def read(self, n: int = -1, /) -> bytes: ...


class DecompressionLimit(Exception):
    """The output passed ``max_bytes`` or the ratio cap; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TruncatedGzip(Exception):
    """The compressed stream ended inside a member, or is not valid deflate data.

    ``partial`` holds what was decompressed before the damage (set by :func:`read_capped`).
    """

    partial: bytes = b""


class CappedGzipReader(io.RawIOBase):
    """A readable binary stream of the decompressed content of ``raw`` (gzip, one or more members).

    Raises :class:`DecompressionLimit` when more than ``max_bytes`` would be produced (``None``: no
    total cap) or when, past :data:`RATIO_FREE_BYTES`, output exceeds ``max_ratio`` times the input
    consumed; :class:`TruncatedGzip` when the input is cut short or damaged.
    """

    def __init__(self, raw: Readable, max_bytes: int | None, max_ratio: int) -> None:
        super().__init__()
        self._raw = raw
        self.max_bytes, self.max_ratio = max_bytes, max_ratio
        self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._pending = b""  # compressed input not yet handed to the decompressor
        self.consumed = 0  # compressed bytes read from ``raw``
        self.produced = 0
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        want = min(len(buffer), _STEP)
        while True:
            chunk = self._step(want)
            if chunk or self._eof:
                break
        n = len(chunk)
        buffer[:n] = chunk
        return n

    def _step(self, want: int) -> bytes:
        """Decompress at most ``want`` bytes; b"" means 'call again' unless at end of stream."""
        if self._z.eof:
            rest = self._z.unused_data
            if not rest.strip(b"\x00"):  # trailing padding after the last member is allowed
                more = self._raw.read(_STEP)
                self.consumed += len(more)
                if not more:
                    self._eof = True
                    return b""
                rest += more
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
            self._pending = rest
        if not self._pending:
            self._pending = self._raw.read(_STEP)
            self.consumed += len(self._pending)
            if not self._pending:
                raise TruncatedGzip("the compressed data ends in the middle of a gzip member")
        try:
            out = self._z.decompress(self._pending, want)
        except zlib.error as exc:
            raise TruncatedGzip(f"invalid gzip data: {exc}") from None
        self._pending = self._z.unconsumed_tail
        self.produced += len(out)
        self._check()
        return out

    def _check(self) -> None:
        if self.max_bytes is not None and self.produced > self.max_bytes:
            raise DecompressionLimit(f"produced more than max_decoded_bytes={self.max_bytes:,} bytes")
        if self.produced > RATIO_FREE_BYTES and self.produced > self.max_ratio * max(1, self.consumed):
            raise DecompressionLimit(
                f"inflated {self.consumed:,} bytes to over {self.produced:,}, "
                f"beyond max_decompression_ratio={self.max_ratio}"
            )


def read_capped(raw: Readable, max_bytes: int, max_ratio: int) -> bytes:
    """The whole decompressed content of a gzip stream, within the caps (see :class:`CappedGzipReader`)."""
    reader = CappedGzipReader(raw, max_bytes, max_ratio)
    parts = []
    try:
        while chunk := reader.read(_STEP):
            parts.append(chunk)
    except TruncatedGzip as exc:
        exc.partial = b"".join(parts)
        raise
    return b"".join(parts)
