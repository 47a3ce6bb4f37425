"""Opaque keyset cursors: the sort key of a page's last row, as URL-safe base64 JSON.

Keyset pagination ("rows after this key") costs the same on page 1 and page 1,000, unlike
OFFSET, and stays consistent while documents are ingested. Clients pass the ``next`` value back
unchanged; a cursor that does not decode to the expected shape, or holds a value no key of
the listing can have (an integer outside SQL's 64-bit range, a string the database cannot
take), is rejected (CL-E049) before it reaches SQL.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from typing import Any

#: Longest cursor accepted; real ones are well under 200 characters.
MAX_CURSOR_CHARS = 512
#: The range of a SQL BIGINT (and of a SQLite INTEGER): a key integer outside it is no row's key,
#: and the database driver would fail to bind it (OverflowError) rather than find nothing.
MIN_INT, MAX_INT = -(2**63), 2**63 - 1
#: Longest string in a key (document ids are 64 characters, speaker ids at most 200).
MAX_KEY_CHARS = 300
# Characters no stored key holds and that a database may refuse in a parameter: control
# characters (PostgreSQL rejects NUL) and lone surrogates (not encodable as UTF-8).
_UNSTORABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


class BadCursor(ValueError):
    """A cursor that was not made by :func:`encode` for this listing."""


def encode(kind: str, key: list[Any]) -> str:
    """The cursor after a row whose sort key is ``key`` in the listing ``kind``."""
    raw = json.dumps([kind, *key], separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(kind: str, cursor: str, types: tuple[type | tuple[type, ...], ...]) -> list[Any]:
    """The key of ``cursor``; each element must be an instance of the matching entry of ``types``."""
    if len(cursor) > MAX_CURSOR_CHARS:
        raise BadCursor("cursor too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise BadCursor("not a cursor") from exc
    if not isinstance(value, list) or len(value) != len(types) + 1 or value[0] != kind:
        raise BadCursor("not a cursor of this listing")
    key = value[1:]
    for v, t in zip(key, types, strict=True):
        # bool is an int in Python; a cursor never holds booleans.
        if isinstance(v, bool) or not isinstance(v, t):
            raise BadCursor("cursor of the wrong shape")
        _check_range(v)
    return key


def _check_range(v: Any) -> None:
    """Refuse a key value that SQL cannot bind, so that it is a 400 and not a driver error."""
    if isinstance(v, float) and not math.isfinite(v):
        raise BadCursor("cursor number not finite")
    if isinstance(v, int) and not MIN_INT <= v <= MAX_INT:
        raise BadCursor("cursor integer out of range")
    if isinstance(v, str) and (len(v) > MAX_KEY_CHARS or _UNSTORABLE.search(v)):
        raise BadCursor("cursor string not storable")
