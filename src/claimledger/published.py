"""The page's publication date from a date line of its furniture ("Published March 17, 2030") or
from a wire dateline ("LONDON, March 3, 2030 (Reuters) -").

HTML pages carry their date in markup; plain text pages often have a date line next to the
byline. Only a full date (day, month and year) in a line the sections marked as furniture, or in
a dateline opening the story, near the top of the page, is taken: a date in the article's prose is
an event, not the page's. A date is never completed by guessing: a year alone, or a month and day
without a year, leaves the date unknown (:func:`partial_date` says what was seen).
"""

from __future__ import annotations

import re
from datetime import date

from . import errors
from .lexicons import load
from .model import ErrorItem, Section
from .sections import MONTHS, dateline_end, is_date_only, is_meta_line, is_thread_header

_TOP_LINES = 15
# English names whatever the process locale (calendar.month_name follows LC_TIME); full names first.
_MONTH_NUM = load("en").integers("month_numbers")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MDY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b")
# The month of a day-month-year date may be written in any script ("18 марта 2030").
_DMY = re.compile(r"\b(\d{1,2})\s+([^\W\d_]{3,10})\.?,?\s+(\d{4})\b")
#: A line that is a place and a full date, day first, as Russian and Ukrainian pages open a story
#: ("Корваш, 18 марта 2030 года", "Київ, 19 березня 2030 р."): a dateline without a dash.
_PLACE_DATE = re.compile(
    r"^[^\W\d_][^\d,]{0,40},\s*\d{1,2}\s+[^\W\d_]{3,10},?\s+\d{4}(?:\s+[^\W\d_]{1,5}\.?)?$"
)
#: A month and a day without a year ("March 3", "3 March"), as Reuters datelines give them.
_MD = re.compile(r"\b(?:([A-Za-z]{3,9})\.?\s+(\d{1,2})|(\d{1,2})\s+([A-Za-z]{3,9}))\b")
#: A dateline that opens with its date: "March 3, 2030 —", "Monday, 3 March 2030 (AFP) -".
_DATE_LED = re.compile(
    r"^(?P<head>(?:[A-Za-z]{3,9}day,?\s+)?"
    r"(?:[A-Za-z]{3,9}\.?\s+\d{1,2}|\d{1,2}\s+[A-Za-z]{3,9}\.?)(?:,?\s+\d{4})?|\d{4}-\d{2}-\d{2})"
    r"\s*(?:\([^()]{1,30}\)\s*)?(?:—|–|--|-)\s"
)


def _month(word: str) -> int | None:
    w = word.lower()
    if w not in MONTHS:
        return _cyrillic_month(w) if not w.isascii() else None
    return next((n for name, n in _MONTH_NUM.items() if name.startswith(w[:3])), None)


def _cyrillic_month(word: str) -> int | None:
    """The month a Russian or Ukrainian month name (``марта``, ``березня``) stands for, else None."""
    from .cyrillic.lexicon import LANGUAGES, load

    for lang in LANGUAGES:
        if (n := load(lang).numbers("month_numbers").get(word)) is not None:
            return int(n)
    return None


def parse_date(line: str) -> str | None:
    """YYYY-MM-DD from one line, or None."""
    line = line[:200]
    candidates = []
    if m := _ISO.search(line):
        candidates.append((int(m[1]), int(m[2]), int(m[3])))
    if (m := _MDY.search(line)) and (mo := _month(m[1])):
        candidates.append((int(m[3]), mo, int(m[2])))
    if (m := _DMY.search(line)) and (mo := _month(m[2])):
        candidates.append((int(m[3]), mo, int(m[1])))
    for y, mo, d in candidates:
        try:
            return date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None


def dateline_head(line: str) -> str | None:
    """The part of ``line`` before the dash of a leading dateline ("LONDON, March 3 (Reuters)" of
    "LONDON, March 3 (Reuters) - …", "March 3, 2030" of "March 3, 2030 — …"), else None."""
    end = dateline_end(line)
    if end is not None:
        return line[:end]
    m = _DATE_LED.match(line[:100])
    if m and (parse_date(m["head"]) or _month_day(m["head"])):
        return m["head"]
    return None


def _month_day(s: str) -> str | None:
    """'March 3' from a month and day written without a year, else None."""
    for m in _MD.finditer(s[:100]):
        word, day = (m[1], m[2]) if m[1] else (m[4], m[3])
        if _month(word) and 1 <= int(day) <= 31:
            return m[0]
    return None


def _top_lines(text: str, sections: list[Section]) -> list[tuple[Section, str]]:
    """The first non-blank lines of the page with their sections, up to its comment thread (a
    comment's timestamp is not the page's date)."""
    out: list[tuple[Section, str]] = []
    for s in sections:
        if s.kind == "comments":
            return out
        for line in text[s.start : s.end].split("\n"):
            if not line.strip():
                continue
            if s.kind == "boilerplate" and is_thread_header(line.strip()):
                return out
            out.append((s, line))
            if len(out) >= _TOP_LINES:
                return out
    return out


def find_published(text: str, sections: list[Section]) -> str | None:
    """The first full date on a furniture line among the page's first lines, else the full date of
    a dateline opening the story."""
    top = _top_lines(text, sections)
    for s, line in top:
        # A meta line ("Published 21 May 2034 · Updated 22 May 2034 · 5 min read") names the
        # publication date first.
        dated = is_date_only(line) or is_meta_line(line.strip())
        if s.kind == "boilerplate" and dated and (found := parse_date(line)):
            return found
    for s, line in top:
        head = dateline_head(line.strip()) if s.kind in ("body", "boilerplate") else None
        if head is None and s.kind != "comments" and _PLACE_DATE.match(line.strip()):
            head = line.strip()
        if head and (found := parse_date(head)):
            return found
    return None


def partial_date(text: str, sections: list[Section]) -> str | None:
    """What the top of the page says of its date when no full date was found: a dateline's month
    and day without a year ("March 3"), for the warning that asks for the date; else None."""
    for s, line in _top_lines(text, sections):
        head = dateline_head(line.strip()) if s.kind in ("body", "boilerplate") else None
        if head and (found := _month_day(head)):
            return found
    return None


def written_out(iso: str, page: str) -> bool:
    """Does ``page`` (HTML or text) write the full date ``iso`` somewhere?

    Date finders fall back on a copyright year or a month ("© 2026" → 2026-01-01, "March 2026" →
    2026-03-01): a first of the month that the page never writes is such a guess. Other days are
    taken as found. Every way of writing the date holds its year and a 1 beside it, so only a short
    window around each such occurrence of the year (at most :data:`MAX_YEAR_HITS` of them) is searched.
    """
    y, m, d = (int(p) for p in iso[:10].split("-"))
    if d != 1:
        return True
    mm, word = rf"0?{m}", r"(?P<month>[^\W\d_]{3,12})\.?"
    shapes = [
        re.compile(shape, re.IGNORECASE)
        for shape in (
            rf"\b{y}[-/.]{mm}[-/.]0?1(?!\d)",  # 2026-01-01, 2026/1/1
            rf"(?<!\d)0?1[-/.]{mm}[-/.]{y}\b",  # 01.01.2026, 1/1/2026 (day first)
            rf"(?<!\d){mm}[-/.]0?1[-/.]{y}\b",  # 1/1/2026 (month first)
            rf"\b{y}{m:02d}01(?!\d)",  # 20260101 in an address
            rf"(?<!\d)(?:0?1|1st|first)\s+(?:of\s+)?{word},?\s+{y}\b",  # 1 January 2026, 1 января 2026
            rf"\b{word}\s+(?:0?1|1st),?\s+{y}\b",  # January 1, 2026
        )
    ]
    year, at = str(y), 0
    for _ in range(MAX_YEAR_HITS):
        at = page.find(year, at)
        if at < 0:
            return False
        end = at + len(year)
        before, after = page[max(0, at - _BEFORE_YEAR) : at], page[end : end + _AFTER_YEAR]
        window = before + year + after
        if "1" not in before and "1" not in after:
            at = end
            continue  # no day 1 written next to this year: skip the searches
        for shape in shapes:
            for found in shape.finditer(window):
                if "month" not in shape.groupindex or _is_month(found["month"], m):
                    return True
        at = end
    return False


#: Occurrences of the year looked at by :func:`written_out`, and the characters around each.
MAX_YEAR_HITS = 20_000
_BEFORE_YEAR, _AFTER_YEAR = 40, 8


def _is_month(word: str, month: int) -> bool:
    """Can ``word`` name month number ``month``? An English name or abbreviation must be that month's;
    a word in Latin letters must at least start like it ("janvier", "Januar"); a word in another
    script ("января") is taken as a month name."""
    if (english := _month(word)) is not None:
        return english == month
    if word.isascii():
        return any(word[:3].lower() == name[:3] for name, n in _MONTH_NUM.items() if n == month)
    return True


def valid_date(value: str | None) -> str | None:
    """``value`` when it is a real calendar date written YYYY-MM-DD, else None."""
    if not value or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def settle(
    own: str | None, supplied: str | None, seen: str | None = None
) -> tuple[str | None, ErrorItem | None]:
    """The document's date and the warning to give, from the date the input carries (``own``: its
    container, markup, a date line or a dateline), the one the user ``supplied`` for the run, and
    what was ``seen`` of an incomplete date ("2026", "March 3").

    The input's own date wins (with a warning when the supplied one differs); the supplied date
    fills a gap; with neither, the date stays empty and the warning says how to supply it.
    """
    if own:
        if supplied and supplied != own:
            return own, errors.DATE_DIFFERS.item(own=own, supplied=supplied)
        return own, None
    if supplied:
        return supplied, None
    return None, errors.NO_DATE.item(seen=f" (it gives only {seen!r})" if seen else "")
