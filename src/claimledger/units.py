"""Analysis units: the sentences the statistical pipeline actually parses.

Parsing is the expensive step, so a document is cut into sentences with the rule-based
sentencizer (cheap), sentences that a quotation spans are merged into one unit, and only
units that can hold a claim — a quotation mark, a reporting cue, a number — go through
the tagger, parser and NER. A unit just before a selected one that opens with a pronoun
is parsed too, so that "he" can find the person the previous sentence introduced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from .nlp import lexicon as lx
from .nlp.quotemarks import MarkedQuote
from .numbers import may_contain_number

_QUOTE_CHARS = set('"“”„«»‘’‚‟″')
_WORD = re.compile(r"[A-Za-z]+")
# A sentence break right after a title or an initial is the sentencizer misreading the period:
# "said Lt. Col. Marcus Ridley" and "Svetlana A. said" are one sentence each.
_ABBREV_END = re.compile(
    r"(?:\b(?:Lt|Col|Gen|Maj|Capt|Cmdr|Adm|Sgt|Cpl|Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov|Rev|St|Sr|Jr|Mt|No)|"
    r"(?<![\w.])[A-Z])\.\s*$"
)
_PRONOUN_START = re.compile(r"^\W{0,3}(?:\w+\s+){0,3}(?:he|she|they|his|her|their|it)\b", re.IGNORECASE)


@dataclass(slots=True)
class Unit:
    """A sentence (or a few, when one quotation spans them) of one paragraph."""

    start: int
    end: int
    para: int  # index of the paragraph it belongs to
    parse: bool = False
    doc: Doc | None = None


def _needs_parse(text: str) -> bool:
    if any(c in _QUOTE_CHARS for c in text):
        return True
    if text.rstrip().endswith(":"):
        return True
    if any(w.lower() in lx.CUE_FORMS for w in _WORD.findall(text)):
        return True
    return may_contain_number(text)


def _before_opening_mark(b: int, quotes: list[MarkedQuote]) -> int:
    """The sentencizer leaves an opening mark with the previous sentence; move it forward."""
    for q in quotes:
        if b - 3 <= q.open_at < b:
            return q.open_at
    return b


def make_units(
    nlp: Language,
    sentencizer: Sentencizer,
    text: str,
    paras: list[tuple[int, int]],
    quotes: list[MarkedQuote],
    max_chars: int,
) -> list[Unit]:
    """Split paragraphs into units and mark the ones to parse."""
    step = max(1, max_chars)  # a limit below 1 (refused by Settings) must not loop forever
    units: list[Unit] = []
    for n, (lo, hi) in enumerate(paras):
        doc = sentencizer(nlp.make_doc(text[lo:hi]))
        bounds = [lo + s.start_char for s in doc.sents] + [hi]
        # Merge across a sentence break that falls inside a quotation.
        cuts = [
            _before_opening_mark(b, quotes)
            for b in bounds[1:-1]
            if not any(q.start < b < q.end for q in quotes)
            and not _ABBREV_END.search(text, max(lo, b - 8), b)
        ]
        edges = [lo, *cuts, hi]
        for a, b in pairwise(edges):
            while b > a and text[b - 1].isspace():
                b -= 1
            # Very long units are cut: the parser's cost grows with length, claims rarely do.
            while b - a > step:
                units.append(Unit(a, a + step, n))
                a += step
            if b > a:
                units.append(Unit(a, b, n))
    for u in units:
        u.parse = _needs_parse(text[u.start : u.end])
    for prev, u in pairwise(units):
        if u.parse and not prev.parse and _PRONOUN_START.match(text[u.start : u.end]):
            prev.parse = True
    return units
