"""Assembly of a Russian or Ukrainian document: paragraphs → quotes and speakers → numbers."""

from __future__ import annotations

from .. import errors
from ..claims import Claimants
from ..deadline import Deadline
from ..model import Document, NumberClaim
from .anonymity import anonymous_sources
from .numbers import find_numbers
from .quotes import QuoteFinder
from .speakers import Registry
from .tokens import Paragraph, paragraphs


def _numbers(doc: Document, paras: list[Paragraph], deadline: Deadline | None) -> list[NumberClaim]:
    out = []
    claimant = Claimants(doc.text, doc.quotes, doc.sections)
    for p in paras:
        if deadline is not None and deadline.expired():
            break
        for s in p.sentences:
            for n in find_numbers(doc.text, s, doc.language):
                section = doc.section_at(n.start)
                out.append(
                    NumberClaim(
                        text=doc.text[n.start : n.end],
                        start=n.start,
                        end=n.end,
                        low=n.low,
                        high=n.high,
                        approximate=n.approximate,
                        unit=n.unit,
                        counts=n.counts,
                        category=n.category,
                        claimant=claimant(n.start, n.end, section),
                        hedge=n.hedge,
                        section=section,
                    )
                )
    return out


def analyse(doc: Document, deadline: Deadline | None = None) -> None:
    """Fill ``doc`` (language ru or uk, sections split) with its claims. Past ``deadline`` the passes
    stop between paragraphs, what they found is kept and the document is marked partial (CL-E009)."""
    paras = paragraphs(doc.text, doc.sections, doc.language)
    registry = Registry(doc.text, doc.language, [s for p in paras for s in p.sentences])
    finder = QuoteFinder(doc.text, doc.language, paras, registry, doc.section_at, deadline)
    doc.quotes = finder.find()
    doc.numbers = _numbers(doc, paras, deadline)
    if deadline is not None and deadline.expired():
        where = f"after {finder.done:,} of {len(paras):,} paragraphs"
        kept = "the claims found in those are kept" if finder.done else "nothing was kept"
        doc.errors.append(errors.DOC_TIMEOUT.item(limit=deadline.limit_s, where=where, kept=kept))
        doc.status = "partial" if finder.done else "failed"
    doc.anonymous_sources = anonymous_sources(doc, paras, registry, finder.acts)
    used: set[int | str] = {id(q.speaker) for q in doc.quotes}  # speaker objects, then speaker ids
    used |= {id(n.claimant.speaker) for n in doc.numbers}
    used |= {a.speaker_id for a in doc.anonymous_sources}
    doc.speakers = [s for s in registry.speakers if id(s) in used or s.id in used]
