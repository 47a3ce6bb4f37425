"""The language of a document: English, Russian or Ukrainian (``und`` for other scripts).

Script share decides Cyrillic against Latin; between Russian and Ukrainian, letters that only one
of them uses (ы э ъ ё against і ї є ґ) and frequent words that only one of them has are weighed
(``lexicons/<lang>/detect.toml``). Cheap: one pass over the first ``SAMPLE_CHARS`` characters.
"""

from __future__ import annotations

import re

from .lexicon import load

#: Characters looked at: enough for a stable decision, bounded on huge pages.
SAMPLE_CHARS = 20_000
#: Share of Cyrillic among letters from which a page is read as Russian or Ukrainian.
MIN_CYRILLIC_SHARE = 0.5

_WORD = re.compile(r"[^\W\d_]+")


def _evidence(lang: str, letters: dict[str, int], words: dict[str, int]) -> float:
    lex = load(lang)
    score = sum(w * letters.get(ch, 0) for ch, w in lex.numbers("letters").items())
    return score + sum(w * words.get(t, 0) for t, w in lex.numbers("stopwords").items())


def detect_language(text: str) -> str:
    """``"ru"``, ``"uk"``, ``"en"`` (Latin script) or ``"und"`` (neither script dominates)."""
    sample = text[:SAMPLE_CHARS].lower()
    cyr = lat = 0
    letters: dict[str, int] = {}
    for ch in sample:
        if "а" <= ch <= "я" or ch in "ёіїєґ":
            cyr += 1
            letters[ch] = letters.get(ch, 0) + 1
        elif "a" <= ch <= "z":
            lat += 1
    if cyr + lat == 0:
        return "und"
    if cyr / (cyr + lat) < MIN_CYRILLIC_SHARE:
        return "en" if lat else "und"
    words: dict[str, int] = {}
    for w in _WORD.findall(sample):
        words[w] = words.get(w, 0) + 1
    return "uk" if _evidence("uk", letters, words) > _evidence("ru", letters, words) else "ru"
