"""Small text helpers shared by the pages: value ranges, safe links, speaker colours."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

#: Distinct speaker colours in the document view (classes ``sp-0`` … ``sp-9`` in style.css).
SPEAKER_COLOURS = 10


def value(v: float | None) -> str:
    """A figure for people: 13,000 and 1.2 million stay readable, whole numbers print without .0."""
    if v is None:
        return "?"
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def value_range(low: float | None, high: float | None) -> str:
    """``10–14``, ``45 or more``, ``up to 30``, ``13,000``, or ``no value``."""
    if low is None and high is None:
        return "no value"
    if high is None:
        return f"{value(low)} or more"
    if low is None:
        return f"up to {value(high)}"
    return value(low) if low == high else f"{value(low)}–{value(high)}"


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL (so it may become a link), else ``None``.

    ``javascript:``, ``data:`` and relative or malformed URLs are shown as text, never as links.
    """
    if not url or len(url) > 2048 or any(c in url for c in "\r\n\t\x00 "):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def path_id(value: str) -> str:
    """An id as one URL path segment (speaker ids hold ``#``, ``:`` and ``|``)."""
    return quote(value, safe="")


def context(text: str, start: int, end: int, reach: int = 400) -> tuple[int, int]:
    """Offsets of the passage around ``text[start:end]``: its paragraph, cut at most ``reach``
    characters either side (at a space), so that a claim is read with what surrounds it."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    if start - a > reach:
        cut = text.find(" ", start - reach, start)
        a = cut + 1 if cut >= 0 else start - reach
    if b - end > reach:
        cut = text.rfind(" ", end, end + reach)
        b = cut if cut >= 0 else end + reach
    return a, b
