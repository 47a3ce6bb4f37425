"""Assembly of a Russian or Ukrainian document: paragraphs → quotes and speakers → numbers."""

from __future__ import annotations

from ..claims import claimant_for
from ..model import Document, NumberClaim
from .numbers import find_numbers
from .tokens import Paragraph, paragraphs


def _numbers(doc: Document, paras: list[Paragraph]) -> list[NumberClaim]:
    out = []
    for p in paras:
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
                        claimant=claimant_for(doc.text, n.start, n.end, doc.quotes, section),
                        hedge=n.hedge,
                        section=section,
                    )
                )
    return out


def analyse(doc: Document) -> None:
    """Fill ``doc`` (language ru or uk, sections split) with its claims."""
    paras = paragraphs(doc.text, doc.sections, doc.language)
    doc.numbers = _numbers(doc, paras)
