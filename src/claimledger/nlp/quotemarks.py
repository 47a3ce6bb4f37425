"""Direct quotations from quotation marks: a rule-based pass over the whole document.

Marks are paired by their context, not only by their glyph, because real pages mix them:
a quote may open with a straight mark and close with a curly one, or the reverse. A mark
that opens where a word starts and closes where one ends is classified as such whatever
its shape; the glyph only breaks ties. A broken pair costs one quote, never the document.

Paragraph rule (the convention of news writing): a quote still open at the end of a
paragraph runs on when the next paragraph opens with a quotation mark; each paragraph's
part is returned as its own span, flagged ``runs_on`` / ``continues``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicons import load
from ..spans import SpanIndex

# The marks by role, from ``lexicons/common/quotes.toml`` (shared by every language).
_MARKS = load("common")
DOUBLE_OPEN = "".join(_MARKS.sequence("double_open"))
DOUBLE_CLOSE = "".join(_MARKS.sequence("double_close"))
DOUBLE_AMBIGUOUS = "".join(_MARKS.sequence("double_ambiguous"))
SINGLE_OPEN = "".join(_MARKS.sequence("single_open"))
SINGLE_CLOSE = "".join(_MARKS.sequence("single_close"))
#: Every quotation mark, whatever its role.
QUOTE_MARKS = frozenset(DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_AMBIGUOUS + SINGLE_OPEN + SINGLE_CLOSE)
_OPEN_BEFORE = " \t\n([{—–-/:;,"
_CLOSE_AFTER = " \t\n)]}.,;:!?—–-…"


@dataclass(slots=True)
class MarkedQuote:
    """The text between a pair of quotation marks (``start``/``end`` exclude the marks)."""

    start: int
    end: int
    open_at: int  # offset of the opening mark
    close_at: int | None  # offset of the closing mark; None when the quote runs on
    runs_on: bool = False  # unclosed at paragraph end, continued in the next paragraph
    continues: bool = False  # this paragraph's part of a quote opened in an earlier one
    block: bool = False  # a block quotation without marks, introduced by "X writes:"


def _flanking(text: str, i: int, lo: int, hi: int) -> tuple[bool, bool]:
    """(can_open, can_close) for the mark at ``i`` inside the paragraph ``[lo, hi)``."""
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    can_open = not after.isspace() and (before in _OPEN_BEFORE or before in DOUBLE_OPEN + SINGLE_OPEN)
    can_close = not before.isspace() and (after in _CLOSE_AFTER or after in DOUBLE_CLOSE + SINGLE_CLOSE + '"')
    return can_open, can_close


def _role(text: str, i: int, lo: int, hi: int, opening: str, closing: str) -> str | None:
    ch = text[i]
    can_open, can_close = _flanking(text, i, lo, hi)
    if can_open and not can_close:
        return "open"
    if can_close and not can_open:
        return "close"
    if can_open and can_close:  # glued between words, e.g. ”“ or word"word: trust the glyph
        if ch in opening:
            return "open"
        if ch in closing:
            return "close"
        return None
    # Neither by context (spaces on both sides): only a curly glyph can say.
    if ch in opening:
        return "open"
    if ch in closing:
        return "close"
    return None


def _pairs_in(
    text: str, lo: int, hi: int, opening: str, closing: str, ambiguous: str
) -> tuple[list, int | None]:
    """Pair marks of one family in the paragraph; return closed pairs and a dangling opener."""
    marks = opening + closing + ambiguous
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    for i in range(lo, hi):
        if text[i] not in marks:
            continue
        role = _role(text, i, lo, hi, opening, closing)
        if role is None and not ambiguous:
            continue  # a single mark between letters is an apostrophe
        if role is None:
            role = "close" if open_at is not None else "open"
        if role == "open":
            open_at = i  # a second opener means the first was stray: drop it
        elif open_at is not None:
            pairs.append((open_at, i))
            open_at = None
    return pairs, open_at


# Two apostrophes or backticks typed for a double quotation mark (typewriter and wire-archive
# style: ``like this'' or ''like this''); a third apostrophe is a nested single mark beside it.
_TYPEWRITER = re.compile(r"'{2,3}|``")


def _typewriter_marks(text: str) -> str:
    """A view of ``text`` of the same length in which each typed double mark ('' or ``) reads as
    one curly mark beside a space, so that pairing and offsets work as for “ and ”."""
    if "''" not in text and "``" not in text:
        return text
    chars = list(text)
    for m in _TYPEWRITER.finditer(text):
        i, j = m.start(), m.end()
        before = text[i - 1] if i > 0 else " "
        after = text[j] if j < len(text) else " "
        if m.group() == "``" or (not after.isspace() and (before in _OPEN_BEFORE or before in DOUBLE_OPEN)):
            chars[i], chars[i + 1] = " ", "“"  # an opener: the quotation starts after it
        elif not before.isspace() and (after in _CLOSE_AFTER or after in DOUBLE_CLOSE + '"'):
            chars[j - 2], chars[j - 1] = "”", " "  # a closer: the last two marks ("line,'''")
    return "".join(chars)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end) with surrounding spaces trimmed: one line, one paragraph."""
    out = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lo = pos + (len(line) - len(line.lstrip()))
            out.append((lo, lo + len(stripped)))
        pos += len(line) + 1
    return out


def find_marked_quotes(text: str, paras: list[tuple[int, int]]) -> list[MarkedQuote]:
    """Every span between paired double quotation marks (and ‘curly single’ ones) in ``paras``.

    ``paras`` are the paragraphs that may hold quotes (furniture excluded), in text order.
    """
    text = _typewriter_marks(text)
    out: list[MarkedQuote] = []
    carrying = False  # the previous paragraph ended inside a quote
    for n, (lo, hi) in enumerate(paras):
        pairs, dangling = _pairs_in(text, lo, hi, DOUBLE_OPEN, DOUBLE_CLOSE, DOUBLE_AMBIGUOUS)
        found = [MarkedQuote(a + 1, b, a, b) for a, b in pairs]
        if carrying and found and found[0].open_at == lo:
            found[0].continues = True
        if dangling is not None:
            nxt = paras[n + 1] if n + 1 < len(paras) else None
            next_opens = nxt is not None and text[nxt[0]] in DOUBLE_OPEN + DOUBLE_AMBIGUOUS
            if next_opens or dangling == lo:
                # Runs on into the next paragraph, or a whole-paragraph quote missing its closer.
                end = hi
                while end > dangling + 1 and text[end - 1] in DOUBLE_CLOSE + DOUBLE_AMBIGUOUS:
                    end -= 1
                out_q = MarkedQuote(dangling + 1, end, dangling, None, runs_on=next_opens)
                out_q.continues = carrying and dangling == lo
                found.append(out_q)
            carrying = next_opens
        else:
            carrying = False
        # Single curly quotes count only outside double-quoted spans (inside, they are nested).
        singles, _ = _pairs_in(text, lo, hi, SINGLE_OPEN, SINGLE_CLOSE, "")
        doubles = SpanIndex(found, lambda q: q.open_at + 1, lambda q: q.close_at or q.end)
        for a, b in singles:
            if text[a] in SINGLE_OPEN and not doubles.containing(a, a + 1):
                found.append(MarkedQuote(a + 1, b, a, b))
        found.sort(key=lambda q: q.start)
        out.extend(q for q in found if q.end > q.start)
    return out
