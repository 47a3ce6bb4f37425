"""Who claims each number: the quote that holds it, the commentary, or the article itself."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from .lexicons import load
from .model import Claimant, NumberClaim, Quote, Section, SectionKind
from .sections import commenter_name, is_name, is_thread_header
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


#: Description of the claimant of a figure in a reader comment, and of one in the page author's text.
READER_COMMENT = "reader comment"
BLOGGER = "blogger"
#: Commenter names that name nobody (Blogger prints "Anonymous said...").
_NAMELESS = load("en").words("nameless_commenters")
#: A blog's post footer: "Posted by Jane Doe at 4:30 PM".
_POSTED_BY = re.compile(r"^posted by\s+(?P<name>.{1,60}?)(?:\s+(?:at|on)\s.*)?$", re.IGNORECASE)


class Voices:
    """Whose own words each part of a page is: the blogger's commentary, or which reader's comment.

    A comment's author is the commenter line (marked as furniture by the sections) that opens it;
    the blogger is named by a "Posted by …" line.
    """

    def __init__(self, text: str, sections: Sequence[Section]) -> None:
        self.text = text
        self.sections = sorted(sections, key=lambda s: s.start)
        self.blogger = next(
            (name for s in self.sections if s.kind == "boilerplate" for name in self._posted_by(s)), None
        )

    def _lines(self, s: Section, end: int | None = None) -> list[str]:
        """The non-blank lines of section ``s`` (up to ``end``), stripped."""
        lines = self.text[s.start : s.end if end is None else end].split("\n")
        return [ln.strip() for ln in lines if ln.strip()]

    def _posted_by(self, s: Section) -> Iterator[str]:
        for line in self._lines(s):
            m = _POSTED_BY.match(line)
            if m and is_name(m.group("name")):
                yield m.group("name").strip()

    def commenter(self, offset: int) -> str | None:
        """The name on the nearest commenter line above ``offset`` in its comment thread, else None."""
        for s in reversed([s for s in self.sections if s.start <= offset]):
            if s.kind not in ("comments", "boilerplate"):
                return None  # the thread began without a commenter line
            for line in reversed(self._lines(s, min(s.end, offset))):
                if (name := commenter_name(line)) is not None:
                    return None if name.casefold() in _NAMELESS else name
                if s.kind == "boilerplate" and is_thread_header(line):
                    return None
        return None

    def claimant(self, offset: int, section: SectionKind) -> Claimant:
        """The claimant of a figure outside quotes in a ``commentary`` or ``comments`` section."""
        if section == "comments":
            return Claimant("commentary", name=self.commenter(offset), description=READER_COMMENT)
        return Claimant("commentary", name=self.blogger, description=BLOGGER)


def claimant_for(
    text: str,
    start: int,
    end: int,
    quotes: list[Quote],
    section: SectionKind,
    voices: Voices | None = None,
    tags: Sequence[tuple[int, int, object]] = (),
) -> Claimant:
    """A number inside a quote (direct, mixed or the reported clause) is its speaker's claim;
    outside quotes it is the commentary's in a blogger's or reader's text (``voices`` says whose),
    else the article's."""
    inner = [q for q in quotes if q.start <= start and end <= q.end and q.speaker is not None]
    # Background in a reported clause (", which lies about 380 km from …") is the article's.
    inner = [q for q in inner if q.kind == "direct" or not _in_background(text, q.start, start)]
    if inner:
        q = min(inner, key=lambda q: q.end - q.start)
        assert q.speaker is not None
        # "…, the top two morgue officials said" inside a pasted report: a figure in another
        # speaker's own description describes them; it is the article's, not the quote's.
        if not any(a <= start and end <= b and who is not q.speaker for a, b, who in tags):
            return Claimant(q.speaker.type, q.speaker)
    if section in ("commentary", "comments"):
        return (voices or Voices(text, [])).claimant(start, section)
    return Claimant("article")


class Claimants:
    """Who claims a figure at a span of one document: built once per document from its quotes
    and sections (see :func:`claimant_for`), used by the English and the Cyrillic analysis."""

    def __init__(self, text: str, quotes: list[Quote], sections: Sequence[Section] = ()) -> None:
        self.text = text
        self.voices = Voices(text, sections)
        self.spans = SpanIndex(quotes, lambda q: q.start, lambda q: q.end)
        speakers = {id(q.speaker): q.speaker for q in quotes if q.speaker is not None}
        self.tags = [(a, b, sp) for sp in speakers.values() for a, b in sp.mentions]

    def __call__(self, start: int, end: int, section: SectionKind) -> Claimant:
        quotes = self.spans.containing(start, end)
        return claimant_for(self.text, start, end, quotes, section, self.voices, self.tags)


def assign_numbers(
    text: str,
    units: list[Unit],
    quotes: list[Quote],
    section_at: Callable[[int], SectionKind],
    sections: Sequence[Section] = (),
) -> list[NumberClaim]:
    """Number claims of a document, from the numbers component's mentions of each parsed unit;
    ``sections`` (the document's) tell whose comment or commentary a figure is in."""
    claimant = Claimants(text, quotes, sections)
    out: list[NumberClaim] = []
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
                    claimant=claimant(start, end, section),
                    hedge=v.hedge,
                    section=section,
                )
            )
    return out
