"""Who claims each number: the quote that holds it, the commentary, or the article itself."""

from __future__ import annotations

import re
from collections.abc import Callable

from .model import Claimant, NumberClaim, Quote, SectionKind
from .spans import SpanIndex
from .units import Unit

_BACKGROUND = re.compile(r",\s+(?:which|where|who)\s")
#: What closes a relative clause: after it the reported clause speaks again.
_CLAUSE_CLOSE = re.compile(r"[,;—–(]")


def _in_background(text: str, quote_start: int, start: int) -> bool:
    """Is the number inside a relative clause (", which lies about 380 km from ...") of a reported
    clause? That is the reporter's background, not the speaker's claim; once the clause is closed
    by a comma ("The armory, which stood empty, will house up to 60 people") the speaker is back."""
    before = text[max(quote_start, start - MAX_BACKGROUND_CHARS) : start]
    opened = list(_BACKGROUND.finditer(before))
    return bool(opened) and not _CLAUSE_CLOSE.search(before, opened[-1].end())


#: How far back a relative clause is looked for (caps the regex work on long quotes).
MAX_BACKGROUND_CHARS = 400


def claimant_for(text: str, start: int, end: int, quotes: list[Quote], section: SectionKind) -> Claimant:
    """A number inside a quote (direct, mixed or the reported clause) is its speaker's claim;
    outside quotes it is the commentary's in a blogger's or reader's text, else the article's."""
    inner = [q for q in quotes if q.start <= start and end <= q.end and q.speaker is not None]
    # Background in a reported clause (", which lies about 380 km from …") is the article's.
    inner = [q for q in inner if q.kind == "direct" or not _in_background(text, q.start, start)]
    if inner:
        q = min(inner, key=lambda q: q.end - q.start)
        assert q.speaker is not None
        return Claimant(q.speaker.type, q.speaker)  # type: ignore[arg-type]
    if section in ("commentary", "comments"):
        return Claimant("commentary")
    return Claimant("article")


def assign_numbers(
    text: str, units: list[Unit], quotes: list[Quote], section_at: Callable[[int], SectionKind]
) -> list[NumberClaim]:
    """Number claims of a document, from the numbers component's mentions of each parsed unit."""
    out: list[NumberClaim] = []
    spans = SpanIndex(quotes, lambda q: q.start, lambda q: q.end)
    for u in units:
        if u.doc is None:
            continue
        for m in u.doc._.cl_numbers or []:
            start, end = u.start + m.start, u.start + m.end
            section = section_at(start)
            if section == "boilerplate":
                continue
            v = m.value
            out.append(
                NumberClaim(
                    text=m.text,
                    start=start,
                    end=end,
                    low=v.low,
                    high=v.high,
                    approximate=v.approximate,
                    unit=v.unit,
                    counts=m.counts,
                    category=m.category,
                    claimant=claimant_for(text, start, end, spans.containing(start, end), section),
                    hedge=v.hedge,
                    section=section,
                )
            )
    return out
