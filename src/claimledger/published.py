"""The page's publication date from a date line of its furniture ("Published March 17, 2030").

HTML pages carry their date in markup; plain text pages often have a date line next to the
byline. Only a full date (day, month and year) in a line the sections marked as furniture,
near the top of the page, is taken: a date in the article's prose is an event, not the page's.
"""

from __future__ import annotations

import re
from datetime import date

from .model import Section
from .sections import MONTHS, is_date_only, is_meta_line

_TOP_LINES = 15
# English names whatever the process locale (calendar.month_name follows LC_TIME).
_MONTH_NAMES = "january february march april may june july august september october november december"
_MONTH_NUM = {name: n for n, name in enumerate(_MONTH_NAMES.split(), 1)}
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MDY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b")
_DMY = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")


def _month(word: str) -> int | None:
    w = word.lower()
    if w not in MONTHS:
        return None
    return next((n for name, n in _MONTH_NUM.items() if name.startswith(w[:3])), None)


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


def find_published(text: str, sections: list[Section]) -> str | None:
    """The first full date on a furniture line among the page's first lines."""
    seen = 0
    for s in sections:
        for line in text[s.start : s.end].split("\n"):
            if not line.strip():
                continue
            seen += 1
            if seen > _TOP_LINES:
                return None
            # A meta line ("Published 21 May 2034 · Updated 22 May 2034 · 5 min read") names the
            # publication date first.
            dated = is_date_only(line) or is_meta_line(line.strip())
            if s.kind == "boilerplate" and dated and (found := parse_date(line)):
                return found
    return None
