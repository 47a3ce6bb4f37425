"""Analysis units: the sentences the statistical pipeline actually parses.

Parsing is the expensive step, so a document is cut into sentences with the rule-based
sentencizer (cheap), sentences that a quotation spans are merged into one unit, and only
units that can hold a claim — a quotation mark, a reporting cue, a number — go through
the tagger, parser and NER. A unit just before a selected one that opens with a pronoun
is parsed too, so that "he" can find the person the previous sentence introduced.

Every step is linear in the text: a paragraph is tokenised in segments well under spaCy's
``max_length``, and a whitespace-free run too long to be a word (a line of quotation marks, a
base64 blob) is a unit of its own that is never tokenised, since spaCy's tokenizer strips such a
run's affixes one at a time, in time that grows with the square of its length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from spacy.attrs import IDX, IS_PUNCT, ORTH
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc

from .deadline import Deadline
from .nlp import lexicon as lx
from .nlp.quotemarks import QUOTE_MARKS, MarkedQuote
from .numbers import may_contain_number
from .spans import SpanIndex

_WORD = re.compile(r"[A-Za-z]+")
# A sentence break right after a title or an initial is the sentencizer misreading the period:
# "said Lt. Col. Marcus Ridley" and "Svetlana A. said" are one sentence each.
_ABBREVIATIONS = sorted(
    lx.EN.words("honorifics")
    | lx.EN.words("title_abbreviations")
    | lx.EN.words("title_abbreviations_split")
    | lx.EN.words("name_abbreviations")
)
_ABBREV_END = re.compile(
    r"(?:\b(?:" + "|".join(re.escape(a.title()) for a in _ABBREVIATIONS) + r")|(?<![\w.])[A-Z])\.\s*$"
)
# "Kestrel: Harbour deal is dead", "MS. ORTA: Thank you": a line that opens with a speaker's label.
_LINE_LABEL = re.compile(r"\W{0,2}[A-Z][\w.’'-]*(?: [\w.’'-]+){0,5}: \S+ \S+ \S")
_PRONOUN_START = re.compile(r"^\W{0,3}(?:\w+\s+){0,3}(?:he|she|they|his|her|their|it)\b", re.IGNORECASE)
#: A whitespace-free run this long is no word (the longest URLs of news pages are shorter): it is
#: never tokenised, and the tokenizer's cost on any shorter run stays small.
MAX_WORD_CHARS = 100
#: Most characters of a paragraph tokenised at once to find its sentences (spaCy refuses texts over
#: ``nlp.max_length``, 1,000,000 by default); a sentence running across two segments is cut there.
MAX_SEGMENT_CHARS = 100_000
_LONG_RUN = re.compile(rf"\S{{{MAX_WORD_CHARS},}}")


@dataclass(slots=True)
class Unit:
    """A sentence (or a few, when one quotation spans them) of one paragraph."""

    start: int
    end: int
    para: int  # index of the paragraph it belongs to
    parse: bool = False
    doc: Doc | None = None
    #: A run of characters that is no text (see :data:`MAX_WORD_CHARS`): never tokenised or parsed.
    opaque: bool = False


def _needs_parse(text: str) -> bool:
    if not QUOTE_MARKS.isdisjoint(text):
        return True
    if text.rstrip().endswith(":") or _LINE_LABEL.match(text):
        return True
    if any(w.lower() in lx.CUE_FORMS for w in _WORD.findall(text)):
        return True
    return may_contain_number(text)


def _before_opening_mark(b: int, quotes: SpanIndex[MarkedQuote]) -> int:
    """The sentencizer leaves an opening mark with the previous sentence; move it forward."""
    near = quotes.starting_in(b - 3, b)
    return near[0].open_at if near else b


def segments(text: str, lo: int, hi: int) -> list[tuple[int, int, bool]]:
    """``(start, end, opaque)`` pieces of the paragraph ``text[lo:hi]``: runs of at least
    :data:`MAX_WORD_CHARS` non-space characters (opaque), and the text between them in pieces of
    at most :data:`MAX_SEGMENT_CHARS`, cut at a space."""
    out: list[tuple[int, int, bool]] = []
    pos = lo
    for m in _LONG_RUN.finditer(text, lo, hi):
        out += _pieces(text, pos, m.start())
        out.append((m.start(), m.end(), True))
        pos = m.end()
    return out + _pieces(text, pos, hi)


def _pieces(text: str, lo: int, hi: int) -> list[tuple[int, int, bool]]:
    out = []
    while True:
        while lo < hi and text[lo].isspace():
            lo += 1
        if hi - lo <= MAX_SEGMENT_CHARS:
            break
        # No run here is MAX_WORD_CHARS long, so a space is that close to the limit.
        cut = lo + MAX_SEGMENT_CHARS
        while cut > lo + MAX_SEGMENT_CHARS - MAX_WORD_CHARS and not text[cut - 1].isspace():
            cut -= 1
        out.append((lo, cut, False))
        lo = cut
    if hi > lo:
        out.append((lo, hi, False))
    return out


def make_units(
    nlp: Language,
    sentencizer: Sentencizer,
    text: str,
    paras: list[tuple[int, int]],
    quotes: list[MarkedQuote],
    max_chars: int,
    deadline: Deadline | None = None,
) -> list[Unit]:
    """Split paragraphs into units and mark the ones to parse.

    Stops early (with the units made so far) when ``deadline`` expires between segments.
    """
    step = max(1, max_chars)  # a limit below 1 (refused by Settings) must not loop forever
    units: list[Unit] = []
    marks = SpanIndex(quotes, lambda q: q.open_at, lambda q: q.open_at + 1)
    spans = SpanIndex(quotes, lambda q: q.start, lambda q: q.end)
    ends = sentence_marks(sentencizer)
    for n, (p_lo, p_hi) in enumerate(paras):
        for lo, hi, opaque in segments(text, p_lo, p_hi):
            if deadline is not None and deadline.expired():
                return _select(text, units)
            if opaque:
                edges = [lo, hi]
            else:
                starts = sentence_starts(sentencizer, nlp.make_doc(text[lo:hi]), ends)
                bounds = [lo + c for c in starts] + [hi]
                # Merge across a sentence break that falls inside a quotation.
                cuts = [
                    _before_opening_mark(b, marks)
                    for b in bounds[1:-1]
                    if not any(q.start < b for q in spans.overlapping(b, b + 1))
                    and not _ABBREV_END.search(text, max(lo, b - 8), b)
                ]
                edges = [lo, *cuts, hi]
            for a, b in pairwise(edges):
                while b > a and text[b - 1].isspace():
                    b -= 1
                # Very long units are cut: the parser's cost grows with length, claims rarely do.
                while b - a > step:
                    units.append(Unit(a, a + step, n, opaque=opaque))
                    a += step
                if b > a:
                    units.append(Unit(a, b, n, opaque=opaque))
    return _select(text, units)


def sentence_marks(sentencizer: Sentencizer) -> set[int]:
    """The string ids of the sentence-ending marks of ``sentencizer``."""
    return {get_string_id(c) for c in sentencizer.punct_chars}


def sentence_starts(sentencizer: Sentencizer, doc: Doc, marks: set[int] | None = None) -> list[int]:
    """Character offsets in ``doc`` of the sentences ``sentencizer`` would find, by its own rule (a
    sentence ends after a run of its punctuation marks, at the next token that is no punctuation),
    read from token arrays instead of a Python object per token. ``marks``: its
    :func:`sentence_marks`, when already at hand."""
    if not len(doc):
        return []
    if marks is None:
        marks = sentence_marks(sentencizer)
    starts = [0]
    seen_period = False
    rows = doc.to_array([ORTH, IS_PUNCT, IDX]).tolist()
    for orth, is_punct, idx in rows:
        if orth in marks:
            seen_period = True
        elif seen_period and not is_punct:
            starts.append(idx)
            seen_period = False
    return starts


def _select(text: str, units: list[Unit]) -> list[Unit]:
    for u in units:
        u.parse = not u.opaque and _needs_parse(text[u.start : u.end])
    for prev, u in pairwise(units):
        if u.parse and not prev.parse and not prev.opaque and _PRONOUN_START.match(text[u.start : u.end]):
            prev.parse = True
    return units
