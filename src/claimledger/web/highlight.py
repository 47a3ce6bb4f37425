"""The document view's text: every claim marked at its offsets, overlaps nested, every piece escaped.

Spans come from the ledger's offsets (sections, quotes, speaker mentions, anonymous sources,
numbers). They may overlap in any way (a number inside a quote, a quote running across a section
boundary), so :func:`nest` closes and reopens inner elements where an outer one ends: the HTML is
always well formed, and the text between tags is ``markupsafe.escape``-d, piece by piece.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..model import Document, NumberClaim
from .formatting import SPEAKER_COLOURS, path_id, value_range

# Layers: outer first when two spans start and end at the same place.
SECTION, QUOTE, MENTION, ANON, NUMBER = range(5)


@dataclass(frozen=True, slots=True)
class Span:
    """An element over ``text[start:end]``: ``open`` starts it, ``cont`` restarts it after a split."""

    start: int
    end: int
    layer: int
    open: Markup
    cont: Markup
    close: Markup


def nest(text: str, spans: list[Span], inserts: dict[int, list[Markup]] | None = None) -> Markup:
    """``text`` with ``spans`` as properly nested elements and ``inserts`` (leaf elements) at offsets."""
    n = len(text)
    inserts = inserts or {}
    starting: dict[int, list[Span]] = defaultdict(list)
    bounds = {0, n, *inserts}
    for s in spans:
        a, b = max(0, min(s.start, n)), max(0, min(s.end, n))
        if a < b:
            starting[a].append(Span(a, b, s.layer, s.open, s.cont, s.close))
            bounds.update((a, b))
    out: list[str] = []
    stack: list[Span] = []
    pos = 0
    for at in sorted(bounds):
        if at > pos:
            out.append(escape(text[pos:at]))
            pos = at
        ending = [i for i, s in enumerate(stack) if s.end <= at]
        reopen: list[Span] = []
        if ending:
            # Close everything above the outermost ending span; reopen the ones that go on.
            first = ending[0]
            out.extend(s.close for s in reversed(stack[first:]))
            reopen = [s for s in stack[first:] if s.end > at]
            del stack[first:]
        out.extend(inserts.get(at, ()))
        for s in reopen:
            out.append(s.cont)
            stack.append(s)
        for s in sorted(starting.get(at, ()), key=lambda s: (-s.end, s.layer)):
            out.append(s.open)
            stack.append(s)
    out.extend(s.close for s in reversed(stack))
    return Markup("".join(out))


def speaker_colours(doc: Document, canonical: dict[str, str]) -> dict[str, int]:
    """Colour index of each canonical speaker, in order of their first quote in the document."""
    colours: dict[str, int] = {}
    for q in doc.quotes:
        if q.speaker is not None:
            cid = canonical.get(q.speaker.id, q.speaker.id)
            colours.setdefault(cid, len(colours) % SPEAKER_COLOURS)
    for s in doc.speakers:
        colours.setdefault(canonical.get(s.id, s.id), len(colours) % SPEAKER_COLOURS)
    return colours


def number_tip(n: NumberClaim) -> str:
    """The tooltip of a number: its range, what it counts, and who claims it."""
    who = n.claimant.speaker
    name = (who.name or who.description) if who else None
    claimant = f"{name} ({n.claimant.type})" if name else n.claimant.type
    parts = [f"range: {value_range(n.low, n.high)}{' (approximate)' if n.approximate else ''}"]
    if n.counts:
        parts.append(f"counts: {n.counts}")
    if n.category:
        parts.append(f"category: {n.category}")
    parts.append(f"claimant: {claimant}")
    return " · ".join(parts)


def _mark(start: int, end: int, layer: int, anchor: str, attrs: Markup) -> Span:
    """A ``<mark>`` span; only its first piece carries the ``id`` that links point to."""
    return Span(
        start,
        end,
        layer,
        Markup('<mark id="{}" {}>').format(anchor, attrs),
        Markup("<mark {}>").format(attrs),
        Markup("</mark>"),
    )


def document_html(doc: Document, canonical: dict[str, str], *, link_speakers: bool = True) -> Markup:
    """The document's text marked up for the document view.

    After each attributed quote comes a speaker tag, a link to the speaker page when
    ``link_speakers`` (documents in the ledger), a plain tag otherwise (a pasted text). In the
    document view (``link_speakers``) a number or anonymous source is also described, for screen
    readers, by its entry in the side panel (``aria-describedby`` to ``ntN`` / ``atN``): the
    tooltip itself is CSS generated content, which they may not read.
    """
    colours = speaker_colours(doc, canonical)
    spans: list[Span] = []
    inserts: dict[int, list[Markup]] = defaultdict(list)
    end_span = Markup("</span>")
    for s in doc.sections:
        tag = Markup('<span class="sec sec-{0}" data-section="{0}">').format(s.kind)
        spans.append(Span(s.start, s.end, SECTION, tag, tag, end_span))
    for i, q in enumerate(doc.quotes):
        cid = canonical.get(q.speaker.id, q.speaker.id) if q.speaker else ""
        colour = colours.get(cid, 0) if cid else "none"
        attrs = Markup('class="quote sp-{}" data-quote="{}" data-speaker-id="{}" data-kind="{}"').format(
            colour, i, cid, q.kind
        )
        spans.append(_mark(q.start, q.end, QUOTE, f"q{i}", attrs))
        if q.speaker is not None:
            label = q.speaker.name or q.speaker.description or q.speaker.type
            tag = (
                Markup('<a class="who sp-{}" href="/speakers/{}" ').format(colour, path_id(cid))
                if link_speakers
                else Markup('<span class="who sp-{}" ').format(colour)
            )
            inserts[q.end].append(
                tag
                + Markup(
                    'data-speaker-id="{}" data-quote="{}" data-name="{}" aria-label="quote by {}"></{}>'
                ).format(cid, i, label, label, "a" if link_speakers else "span")
            )
    for sp in doc.speakers:  # not `s`, the sections' loop variable above
        cid = canonical.get(sp.id, sp.id)
        tag = Markup('<span class="mention sp-{}" data-speaker-id="{}">').format(colours.get(cid, 0), cid)
        spans.extend(Span(a, b, MENTION, tag, tag, end_span) for a, b in sp.mentions)
    for i, a in enumerate(doc.anonymous_sources):
        tip = f"anonymous source: {a.description}" + (
            f" · reason: {a.reason}" if a.reason else " · no reason given"
        )
        attrs = Markup('class="anon" tabindex="0" data-tip="{}"').format(tip)
        if link_speakers:
            attrs += Markup(' aria-describedby="at{}"').format(i)
        spans.append(_mark(a.start, a.end, ANON, f"a{i}", attrs))
    for i, n in enumerate(doc.numbers):
        attrs = Markup('class="number" tabindex="0" data-tip="{}" data-category="{}"').format(
            number_tip(n), n.category or ""
        )
        if link_speakers:
            attrs += Markup(' aria-describedby="nt{}"').format(i)
        spans.append(_mark(n.start, n.end, NUMBER, f"n{i}", attrs))
    return nest(doc.text, spans, inserts)
