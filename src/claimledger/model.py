"""The data model: typed dataclasses for a document and everything extracted from it.

Every extraction carries ``start``/``end``: Python ``str`` indexes into ``Document.text``, the
normalised text. ``to_dict()`` gives the JSON contract (one object per document).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SectionKind = Literal["headline", "body", "commentary", "comments", "boilerplate"]
SpeakerType = Literal["person", "organization", "anonymous", "document", "unknown"]
QuoteKind = Literal["direct", "indirect", "mixed"]
ClaimantType = Literal["article", "commentary", "person", "organization", "anonymous", "document", "unknown"]
Status = Literal["ok", "partial", "failed", "skipped"]


@dataclass(slots=True)
class ErrorItem:
    """A coded problem with one document; ``message`` says what went wrong and what to do."""

    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


@dataclass(slots=True)
class Section:
    """A contiguous part of the page: headline, reported body, commentary, comments or furniture."""

    kind: SectionKind
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Speaker:
    """Someone (or something) a quote or figure is attributed to, with every mention of it."""

    id: str
    name: str | None
    type: SpeakerType
    description: str | None = None
    role: str | None = None
    affiliation: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)

    def ref(self) -> dict[str, Any]:
        """The short form embedded in quotes and claimants."""
        return {"id": self.id, "name": self.name, "type": self.type, "description": self.description}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "description": self.description,
            "role": self.role,
            "affiliation": self.affiliation,
            "mentions": [list(m) for m in self.mentions],
        }


@dataclass(slots=True)
class Quote:
    """A direct, indirect or mixed quote. ``text`` is ``Document.text[start:end]``."""

    text: str
    start: int
    end: int
    kind: QuoteKind
    cue: str | None
    speaker: Speaker | None
    section: SectionKind

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "cue": self.cue,
            "speaker": self.speaker.ref() if self.speaker else None,
            "section": self.section,
        }


@dataclass(slots=True)
class Claimant:
    """Who asserts a number: the article's own voice, the commentary, or a speaker.

    A ``commentary`` claimant has no speaker; ``name`` and ``description`` then say whose text it
    is: a reader comment (``description="reader comment"``, the commenter's name or handle when the
    comment gives one) or the page's own author (``description="blogger"``, named when the page says).
    """

    type: ClaimantType
    speaker: Speaker | None = None
    name: str | None = None
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.speaker is None:
            return {"type": self.type, "id": None, "name": self.name, "description": self.description}
        return {"type": self.type, **{k: v for k, v in self.speaker.ref().items() if k != "type"}}

    def label(self) -> str:
        """How a person reads the claimant: "Jane Doe", "riverguy (reader comment)", "article"."""
        if self.speaker is not None:
            return self.speaker.name or self.speaker.description or self.type
        if self.name and self.description:
            return f"{self.name} ({self.description})"
        return self.name or self.description or self.type


@dataclass(slots=True)
class NumberClaim:
    """A number expression with its value range, what it counts, and who claims it."""

    text: str
    start: int
    end: int
    low: float | None
    high: float | None
    approximate: bool
    unit: str | None
    counts: str | None
    category: str | None
    claimant: Claimant
    hedge: str | None
    section: SectionKind

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "low": _num(self.low),
            "high": _num(self.high),
            "approximate": self.approximate,
            "unit": self.unit,
            "counts": self.counts,
            "category": self.category,
            "claimant": self.claimant.to_dict(),
            "hedge": self.hedge,
            "section": self.section,
        }


@dataclass(slots=True)
class AnonymousSource:
    """An unnamed source, the stated reason for anonymity (verbatim) and where it is described."""

    speaker_id: str
    description: str
    reason: str | None
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker_id": self.speaker_id,
            "description": self.description,
            "reason": self.reason,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class Document:
    """One input page and everything extracted from it."""

    id: str
    source: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    #: Language the page was analysed as: "en", "ru", "uk", or "und" (not detected).
    language: str = "und"
    status: Status = "ok"
    errors: list[ErrorItem] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    numbers: list[NumberClaim] = field(default_factory=list)
    anonymous_sources: list[AnonymousSource] = field(default_factory=list)
    #: Where the document came from beyond ``source``: WARC file and offset, JSONL line, fetched URL.
    provenance: dict[str, Any] = field(default_factory=dict)

    def section_at(self, offset: int) -> SectionKind:
        """The kind of the section holding ``offset`` (``body`` when none does)."""
        for s in self.sections:
            if s.start <= offset < s.end:
                return s.kind
        return "body"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        """The inverse of :meth:`to_dict` (speakers are shared objects again)."""
        speakers = {
            s["id"]: Speaker(
                s["id"],
                s.get("name"),
                s["type"],
                s.get("description"),
                s.get("role"),
                s.get("affiliation"),
                [tuple(m) for m in s.get("mentions", [])],
            )
            for s in d.get("speakers", [])
        }

        def who(ref: dict[str, Any] | None) -> Speaker | None:
            return speakers.get(ref["id"]) if ref and ref.get("id") else None

        return cls(
            id=d["id"],
            source=d["source"],
            text=d["text"],
            title=d.get("title"),
            url=d.get("url"),
            published=d.get("published"),
            language=d.get("language", "und"),
            status=d.get("status", "ok"),
            errors=[ErrorItem(e["code"], e["message"]) for e in d.get("errors", [])],
            sections=[Section(s["kind"], s["start"], s["end"], s["text"]) for s in d.get("sections", [])],
            speakers=list(speakers.values()),
            quotes=[
                Quote(
                    q["text"],
                    q["start"],
                    q["end"],
                    q["kind"],
                    q.get("cue"),
                    who(q.get("speaker")),
                    q.get("section", "body"),
                )
                for q in d.get("quotes", [])
            ],
            numbers=[
                NumberClaim(
                    n["text"],
                    n["start"],
                    n["end"],
                    n.get("low"),
                    n.get("high"),
                    n.get("approximate", False),
                    n.get("unit"),
                    n.get("counts"),
                    n.get("category"),
                    _claimant(n["claimant"], who(n["claimant"])),
                    n.get("hedge"),
                    n.get("section", "body"),
                )
                for n in d.get("numbers", [])
            ],
            anonymous_sources=[
                AnonymousSource(a["speaker_id"], a["description"], a.get("reason"), a["start"], a["end"])
                for a in d.get("anonymous_sources", [])
            ],
            provenance=dict(d.get("provenance") or {}),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "language": self.language,
            "status": self.status,
            "errors": [e.to_dict() for e in self.errors],
            "text": self.text,
            "sections": [s.to_dict() for s in self.sections],
            "speakers": [s.to_dict() for s in self.speakers],
            "quotes": [q.to_dict() for q in self.quotes],
            "numbers": [n.to_dict() for n in self.numbers],
            "anonymous_sources": [a.to_dict() for a in self.anonymous_sources],
            "provenance": dict(self.provenance),
        }


def _claimant(ref: dict[str, Any], speaker: Speaker | None) -> Claimant:
    """A claimant from its JSON form; without a speaker its own name and description are kept."""
    if speaker is not None:
        return Claimant(ref["type"], speaker)
    return Claimant(ref["type"], None, ref.get("name"), ref.get("description"))


def _num(v: float | None) -> int | float | None:
    """Whole numbers print as ints (80000, not 80000.0)."""
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e18:
        return int(v)
    return v
