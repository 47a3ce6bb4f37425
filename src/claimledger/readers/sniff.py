"""Content sniffing: what an input is, from its first bytes (the file name is only a hint)."""

from __future__ import annotations

from typing import Literal

from ..html import looks_like_html
from ..text import DecodeError, decode

Sniffed = Literal["gzip", "warc", "jsonl", "html", "text", "binary"]

#: Bytes of an input's head that sniffing looks at.
HEAD_BYTES = 8192

GZIP_MAGIC = b"\x1f\x8b"


def sniff(head: bytes) -> Sniffed:
    """Classify an input from its first bytes: gzip, warc, jsonl, html, text or binary.

    Gzip is recognised by its magic bytes (the caller decompresses and sniffs again), WARC by
    its version line, JSON Lines by an opening ``{``; text is decoded the way documents are
    (BOMs, BOM-less UTF-16, legacy encodings) before looking for an opening HTML tag.
    """
    head = head[:HEAD_BYTES]
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(b"WARC/"):
        return "warc"
    try:
        text, _ = decode(head, max_bytes=HEAD_BYTES)
    except DecodeError:
        return "binary"
    stripped = text.lstrip("\ufeff \t\r\n")
    first_line, newline, _ = stripped.partition("\n")
    # One JSON object per line: the first line closes its object (or is longer than the head).
    if stripped.startswith("{") and (first_line.rstrip().endswith("}") or not newline):
        return "jsonl"
    if looks_like_html(stripped):
        return "html"
    return "text"
