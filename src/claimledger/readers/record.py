"""What every reader yields: one input document with its provenance, not yet extracted."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

from ..model import ErrorItem

Kind = Literal["text", "html"]


@dataclass(slots=True)
class Record:
    """One document read from a file, an archive record, a JSON line or a URL.

    ``data`` is ``None`` when the record could not be read; ``errors`` then says why and
    ``status`` is what the document's status will be (``failed`` or ``skipped``). A record cut
    short by a limit keeps what was read, with ``status="partial"`` and a coded error.
    """

    #: Where it came from, for people: a path, ``file.warc.gz@offset``, ``file.jsonl:line`` or a URL.
    source: str
    data: bytes | str | None
    #: ``html`` or ``text`` when the reader knows (WARC responses, JSON ``html``), else sniffed later.
    kind: Kind | None = None
    url: str | None = None
    #: ISO date (``YYYY-MM-DD``) from the container (WARC-Date, JSON ``published``), if any.
    published: str | None = None
    #: Machine-readable provenance: e.g. ``{"warc_file": ..., "offset": ..., "record_id": ...}``.
    provenance: dict[str, str | int] = field(default_factory=dict)
    status: Literal["ok", "partial", "failed", "skipped"] = "ok"
    errors: list[ErrorItem] = field(default_factory=list)


def display_name(path: str | os.PathLike[str]) -> str:
    """``path`` as a valid string for a Record's source and messages, whatever its bytes.

    A file name that is not UTF-8 reaches Python with its undecodable bytes as lone surrogates
    (``surrogateescape``), which no UTF-8 output, JSON consumer or database can take; they are
    written as ``\\xNN`` escapes instead, and so is NUL. Open the file with the original
    ``path``, never with this.
    """
    name = os.fspath(path)
    if not name.isascii():
        try:
            name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate that no file system made (from Python code)
            name = name.encode("utf-8", "backslashreplace").decode("utf-8")
    # NUL never names a file, and some databases refuse it in text (a path given from Python).
    return name.replace("\x00", "\\x00")
