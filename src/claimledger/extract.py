"""From raw input to a :class:`~claimledger.model.Document`: the one-way flow of extraction.

bytes/str → decode → normalise → sections → units → spaCy pipeline (only where needed)
→ quotes, speakers, anonymous sources, numbers → Document.

Documents are processed in batches so that ``nlp.pipe`` sees units of many documents at
once; a failure in one document is reported on that document and never stops the batch.

Each document has one time budget, ``doc_timeout_s``, over all of it (:mod:`claimledger.deadline`):
HTML parsing in the worker, cutting into units, and the analysis of its units, which goes in
chunks of bounded size so that the budget is checked often. A document whose budget runs out is
``partial`` with what its analysed units gave, or ``failed`` when none was analysed (CL-E009).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.pipeline import Sentencizer

from . import errors
from .claims import assign_numbers
from .cyrillic import LANGUAGES as CYRILLIC
from .cyrillic import analyse as analyse_cyrillic
from .cyrillic import detect_language
from .deadline import Deadline
from .html import HtmlError, html_to_page, looks_like_html
from .model import AnonymousSource, Document, ErrorItem, Section, SectionKind, Status
from .nlp.attribution import make_mention
from .nlp.load import load_pipeline
from .nlp.quotemarks import MarkedQuote, find_marked_quotes
from .published import find_published, partial_date, settle, valid_date, written_out
from .quotes import QuoteAssembler
from .readers.record import Record
from .sections import claim_lines, split_sections
from .settings import Settings
from .spans import SpanIndex
from .speakers import SpeakerRegistry
from .text import DecodeError, decode, normalize
from .units import Unit, make_units

log = logging.getLogger(__name__)

#: Units and characters analysed between two checks of the documents' budgets: small enough that a
#: budget is overrun by at most a second or so, large enough to keep ``nlp.pipe``'s batches efficient.
CHUNK_UNITS = 128
CHUNK_CHARS = 20_000


@dataclass
class _Work:
    """A document on its way through the pipeline."""

    doc: Document
    deadline: Deadline
    units: list[Unit] = field(default_factory=list)
    #: A warning about the publication date, given after the extraction's own findings.
    date_warning: ErrorItem | None = None
    paras: list[tuple[int, int]] = field(default_factory=list)
    marked: list[MarkedQuote] = field(default_factory=list)
    marks: SpanIndex[MarkedQuote] | None = None


def _fail(rec: Record, item: ErrorItem, status: Status, text: str = "") -> Document:
    doc = Document(
        id=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), source=rec.source, text=text
    )
    doc.status = status
    doc.url, doc.published, doc.provenance = rec.url, rec.published, dict(rec.provenance)
    doc.errors.extend(e for e in rec.errors if e is not item)
    doc.errors.append(item)
    return doc


def _prepare(
    rec: Record,
    settings: Settings,
    nlp: Language,
    sentencizer: Sentencizer,
    deadline: Deadline,
    published: str | None = None,
) -> _Work:
    """Decode, normalise, cut into sections and units; no statistical model yet."""
    source, data = rec.source, rec.data
    if data is None or rec.status in ("failed", "skipped"):
        item = rec.errors[0] if rec.errors else errors.UNREADABLE.item(source=source, reason="no data")
        raise _Stop(item, rec.status if rec.status in ("failed", "skipped") else "failed")
    problems: list[ErrorItem] = list(rec.errors)
    if isinstance(data, bytes):
        if len(data) > settings.max_input_bytes:
            raise _Stop(errors.TOO_LARGE.item(size=len(data), limit=settings.max_input_bytes), "failed")
        try:
            raw, found = decode(data, max_bytes=settings.max_input_bytes)
        except DecodeError as exc:
            raise _Stop(exc.item, "failed") from None
        problems += found
    else:
        raw = data
        if len(raw) > settings.max_input_bytes:
            raise _Stop(errors.TOO_LARGE.item(size=len(raw), limit=settings.max_input_bytes), "failed")
    is_html = rec.kind == "html" or (rec.kind is None and looks_like_html(raw))
    page = None
    if is_html:
        try:
            page = html_to_page(raw, deadline)
        except HtmlError as exc:
            raise _Stop(exc.item, "failed") from None
        if page is None:
            raise _Stop(errors.NO_MAIN_TEXT.item(), "failed")
        if page.dropped is not None:
            problems.append(page.dropped)
    text = normalize(page.text if page else raw)
    if len(text) > settings.max_text_chars:
        problems.append(errors.TEXT_TOO_LONG.item(size=len(text), limit=settings.max_text_chars))
        text = text[: settings.max_text_chars]
    if not text.strip():
        raise _Stop(errors.EMPTY.item(), "skipped", text)
    doc = Document(
        id=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), source=source, text=text
    )
    doc.errors.extend(problems)
    if problems:
        doc.status = "partial"
    doc.provenance = dict(rec.provenance)
    doc.sections = split_sections(text)
    doc.title = _title(doc.sections)
    own, seen = find_published(text, doc.sections), None
    if page is not None:
        doc.title, doc.url = page.title or doc.title, page.url
        if page.published and written_out(page.published, raw):
            own = page.published
        elif page.published:  # a first of the month the page never writes: a year or a month seen
            seen = page.published[:4] if page.published[5:7] == "01" else page.published[:7]
    # What the container says (JSON "published", WARC-Date, the fetched URL) beats what the page says.
    doc.url = rec.url or doc.url
    own = valid_date(rec.published) or own
    doc.published, date_warning = settle(own, published, seen or partial_date(text, doc.sections))
    doc.language = detect_language(text)
    work = _Work(doc, deadline, date_warning=date_warning)
    if doc.language in CYRILLIC:
        return work  # analysed by claimledger.cyrillic at assembly, not by the English pipeline
    work.paras = _paragraphs(text, doc.sections)
    work.marked = find_marked_quotes(text, work.paras)
    work.units = make_units(
        nlp, sentencizer, text, work.paras, work.marked, settings.max_unit_chars, deadline
    )
    if deadline.expired():
        where = "while cutting it into sentences"
        raise _Stop(_timeout(settings, where, "nothing was analysed"), "failed", text)
    return work


def _timeout(settings: Settings, where: str, kept: str) -> ErrorItem:
    return errors.DOC_TIMEOUT.item(limit=settings.doc_timeout_s, where=where, kept=kept)


#: Longest first line taken as the title of a page without a headline section.
_MAX_TITLE_CHARS = 200


def _title(sections: list[Section]) -> str | None:
    """The headline; on a page whose title its author wrote (a blog post, a forum thread, where
    the title line is commentary), that first line when it reads as a title, not a sentence."""
    heads = [s for s in sections if s.kind == "headline"]
    if heads:
        return heads[0].text.strip()
    first = next((s for s in sections if s.kind != "boilerplate"), None)
    if first is None or first.kind != "commentary":
        return None
    line = first.text.strip().split("\n", 1)[0].strip()
    if not line or len(line) > _MAX_TITLE_CHARS or line[-1] in ".:;,":
        return None
    return line


def _paragraphs(text: str, sections: list[Section]) -> list[tuple[int, int]]:
    """Lines of the sections that can hold claims (furniture excluded)."""
    return [(lo, hi) for lo, hi, _ in claim_lines(text, sections)]


class _Stop(Exception):
    """A document that cannot go on: carries its coded error and status."""

    def __init__(self, item: ErrorItem, status: Status, text: str = "") -> None:
        super().__init__(item.message)
        self.item, self.status, self.text = item, status, text


def _analyse(nlp: Language, works: list[_Work], batch_size: int) -> None:
    """Run the statistical pipeline over the selected units of all documents, in chunks.

    Before a unit joins a chunk its document's budget is checked: a document out of time has its
    remaining units left unanalysed (``doc`` None). Each chunk's time is charged to its documents
    in proportion to their characters in it.
    """
    chunk: list[tuple[_Work, Unit]] = []
    chars = 0
    for w in works:
        for u in w.units:
            if not u.parse or u.doc is not None:
                continue
            if w.deadline.expired():
                break
            chunk.append((w, u))
            chars += u.end - u.start
            if len(chunk) >= CHUNK_UNITS or chars >= CHUNK_CHARS:
                _analyse_chunk(nlp, chunk, batch_size)
                chunk, chars = [], 0
    if chunk:
        _analyse_chunk(nlp, chunk, batch_size)


def _analyse_chunk(nlp: Language, chunk: list[tuple[_Work, Unit]], batch_size: int) -> None:
    start = time.monotonic()
    pending = []
    for w, u in chunk:
        d = nlp.make_doc(w.doc.text[u.start : u.end])
        marks = w.marks if w.marks is not None else _mark_index(w)
        near = marks.overlapping(u.start, u.end)
        d._.cl_quote_spans = [
            (q.start - u.start, q.end - u.start) for q in near if q.start >= u.start and q.end <= u.end
        ] + [
            (max(q.start, u.start) - u.start, min(q.end, u.end) - u.start)
            for q in near
            if (q.start < u.start < q.end) or (q.start < u.end < q.end)
        ]
        pending.append((d, u))
    # Units are sentences: larger batches than for whole documents keep the matrix work efficient.
    for d, u in nlp.pipe(pending, as_tuples=True, batch_size=batch_size * 16):
        u.doc = d
    elapsed = time.monotonic() - start
    total = sum(u.end - u.start for _, u in chunk) or 1
    for w, u in chunk:
        w.deadline.charge(elapsed * (u.end - u.start) / total)


def _mark_index(w: _Work) -> SpanIndex[MarkedQuote]:
    w.marks = SpanIndex(w.marked, lambda q: q.start, lambda q: q.end)
    return w.marks


def _section_lookup(doc: Document) -> Callable[[int], SectionKind]:
    """``doc.section_at`` by bisection over its ordered, non-overlapping sections (a long document
    has thousands, and every quote and number asks)."""
    sections = doc.sections
    starts = [s.start for s in sections]

    def section_at(offset: int) -> SectionKind:
        i = bisect_right(starts, offset) - 1
        return sections[i].kind if i >= 0 and offset < sections[i].end else "body"

    return section_at


def _assemble(w: _Work) -> None:
    if w.doc.language in CYRILLIC:
        analyse_cyrillic(w.doc, w.deadline)
    else:
        _assemble_english(w)
    if w.date_warning is not None:
        w.doc.errors.append(w.date_warning)


def _assemble_english(w: _Work) -> None:
    doc, text = w.doc, w.doc.text
    registry = SpeakerRegistry(text)
    for u in w.units:
        if u.doc is None:
            continue
        # A name inside a speaker's appositive ("a spokeswoman for X") is not a new antecedent.
        asides = [
            (c.speaker.extent, (c.speaker.start, c.speaker.end))
            for c in u.doc._.cl_cues or []
            if c.speaker is not None and c.speaker.extent
        ]
        for ent in u.doc.ents:
            if ent.label_ != "PERSON" or len(ent) < 2:
                continue
            if any(
                a <= ent.start_char < b and not (m0 <= ent.start_char < m1) for (a, b), (m0, m1) in asides
            ):
                continue
            m = make_mention(ent.root) if ent.root.pos_ == "PROPN" else None
            registry.observe_person(
                ent.text.strip(),
                u.start + ent.start_char,
                m.role if m else None,
                m.affiliation if m else None,
            )
    registry.observe_aged_people()
    section_at = _section_lookup(doc)
    asm = QuoteAssembler(text, registry, section_at)
    by_para: dict[int, list[Unit]] = {}
    for u in w.units:
        by_para.setdefault(u.para, []).append(u)
    opening = SpanIndex(w.marked, lambda q: q.open_at, lambda q: q.open_at + 1)
    for n, (lo, hi) in enumerate(w.paras):
        units = by_para.get(n, [])
        if asm.block(n, lo, hi, bool(opening.starting_in(lo, hi))):
            continue
        for u in units:
            asm.unit(u, opening.starting_in(u.start, u.end))
    doc.quotes = asm.quotes()
    # "said one resident": a determiner in a speaker's phrase is no claim.
    tags = [
        (u.start + c.speaker.extent[0], u.start + c.speaker.extent[1])
        for u in w.units
        if u.doc is not None
        for c in u.doc._.cl_cues or []
        if c.speaker is not None and c.speaker.extent
    ]
    doc.numbers = [
        n
        for n in assign_numbers(text, w.units, doc.quotes, section_at, doc.sections)
        if not (n.low == n.high == 1 and any(a <= n.start < b for a, b in tags))
    ]
    for num in doc.numbers:  # (`n` and `ent` above are a paragraph index and a spaCy span)
        if num.claimant.speaker is not None:
            for e in registry.entities:
                if e.speaker is num.claimant.speaker:
                    e.used = True
    doc.speakers = registry.used_speakers()
    for e in registry.entities:
        sp = e.speaker
        if not e.used or (sp.type != "anonymous" and id(e) not in asm.reasons):
            continue
        if sp.mentions and all(section_at(m0) == "headline" for m0, _ in sp.mentions):
            continue  # "…, builders admit": a headline names the body's sources only in shorthand
        reason, a, b = asm.reasons.get(id(e), (None, None, None))
        first = sp.mentions[0] if sp.mentions else (a or 0, b or 0)
        doc.anonymous_sources.append(AnonymousSource(sp.id, sp.description or sp.name or "", reason, *first))
    doc.anonymous_sources.sort(key=lambda s: s.start)
    if not doc.quotes and not doc.numbers:
        doc.errors.append(errors.NO_CLAIMS.item())


Item = Record | tuple[str, str | bytes] | str | bytes


def as_record(item: Item, n: int = 0) -> Record:
    """A Record for any accepted input: a Record, a ``(source, text_or_bytes)`` pair, or bare text."""
    if isinstance(item, Record):
        return item
    if isinstance(item, tuple):
        return Record(item[0], item[1])
    return Record(f"<text {n}>" if n else "<text>", item)


def extract_many(
    items: Iterable[Item],
    settings: Settings | None = None,
    nlp: Language | None = None,
    stop: threading.Event | None = None,
    *,
    published: str | None = None,
) -> Iterator[Document]:
    """Extract every item; yields one Document per item, in order.

    Items are :class:`~claimledger.readers.record.Record` objects (their URL, date and provenance
    flow into the Document), ``(source, text_or_bytes)`` pairs, or plain strings. A document that
    fails gets ``status`` failed/skipped and a coded error; the others go on. Each document may
    take ``settings.doc_timeout_s`` seconds of work (CL-E009 past it); setting ``stop`` ends the
    work on every document still in progress as if its time were up. ``published`` (YYYY-MM-DD)
    is the date of documents that give none of their own; a document's own date wins, with a
    warning (CL-E061) when they differ.
    """
    if published is not None and valid_date(published) is None:
        raise ValueError(f"published must be a date written YYYY-MM-DD, got {published!r}")
    settings = settings or Settings.from_env()
    nlp = nlp or load_pipeline(settings)
    sentencizer = Sentencizer()
    batch: list[Record] = []
    for n, item in enumerate(items):
        batch.append(as_record(item, n))
        if len(batch) >= settings.batch_size:
            yield from _run_batch(batch, settings, nlp, sentencizer, stop, published)
            batch = []
    if batch:
        yield from _run_batch(batch, settings, nlp, sentencizer, stop, published)


def _run_batch(
    batch: list[Record],
    settings: Settings,
    nlp: Language,
    sentencizer: Sentencizer,
    stop: threading.Event | None = None,
    published: str | None = None,
) -> list[Document]:
    slots: list[Document | _Work] = []
    for rec in batch:
        deadline = Deadline(settings.doc_timeout_s, stop)
        try:
            with deadline.running():
                slots.append(_prepare(rec, settings, nlp, sentencizer, deadline, published))
        except _Stop as exc:
            slots.append(_fail(rec, exc.item, exc.status, exc.text))
    works = [s for s in slots if isinstance(s, _Work)]
    try:
        _analyse(nlp, works, settings.batch_size)
    except Exception:  # one bad document must not sink the batch: retry them one by one
        log.exception("batch analysis failed; retrying documents one at a time")
        for w in works:
            try:
                _analyse(nlp, [w], 1)
            except Exception as exc:
                w.units = []
                w.doc.errors.append(errors.INTERNAL.item(reason=type(exc).__name__))
                w.doc.status = "failed"
    out: list[Document] = []
    for s in slots:
        if isinstance(s, Document):
            out.append(s)
            continue
        if s.doc.status != "failed" and _check_time(s, settings):
            try:
                with s.deadline.running():
                    _assemble(s)
            except Exception as exc:
                log.exception("assembly failed for %s", s.doc.source)
                s.doc.errors.append(errors.INTERNAL.item(reason=f"{type(exc).__name__}: {exc}"[:200]))
                s.doc.status = "failed"
        out.append(s.doc)
    return out


def _check_time(w: _Work, settings: Settings) -> bool:
    """Record a budget that ran out before every unit was analysed; False when nothing was."""
    total = sum(1 for u in w.units if u.parse)
    done = sum(1 for u in w.units if u.parse and u.doc is not None)
    if done == total:
        return True
    where = f"after analysing {done:,} of {total:,} sentences"
    if not done:
        w.doc.errors.append(_timeout(settings, where, "nothing was kept"))
        w.doc.status = "failed"
        return False
    w.doc.errors.append(_timeout(settings, where, "the claims found in those are kept"))
    w.doc.status = "partial"
    return True


def extract(
    text_or_bytes: str | bytes | Record,
    *,
    source: str = "<text>",
    settings: Settings | None = None,
    stop: threading.Event | None = None,
    published: str | None = None,
) -> Document:
    """Extract quotes, speakers, anonymous sources and numbers from one document's text or HTML.

    ``stop``, when set from another thread, ends the work early; ``published`` is the date of a
    document that gives none of its own (see :func:`extract_many`).
    """
    item = text_or_bytes if isinstance(text_or_bytes, Record) else (source, text_or_bytes)
    return next(extract_many([item], settings, stop=stop, published=published))
