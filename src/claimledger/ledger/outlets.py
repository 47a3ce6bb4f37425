"""Outlet names: what a reader calls the source of a document."""

from __future__ import annotations

from urllib.parse import urlsplit

#: Longest URL read for its host (longer ones are no page address anyone links to).
MAX_URL_CHARS = 2048


def outlet_name(outlet: str | None, url: str | None) -> str | None:
    """The outlet's name, else the host of an http(s) URL (``www.`` dropped); never a file path."""
    if outlet:
        return outlet
    if not url or len(url) > MAX_URL_CHARS or any(c in url for c in "\r\n\t\x00 "):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return (parts.hostname or "").lower().removeprefix("www.") or None
