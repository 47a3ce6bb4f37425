"""A small taxonomy of what a number counts.

:data:`CATEGORIES` maps each category to keyword lemmas. The order of the mapping is the priority: an
event category (killed, wounded, ...) beats the kind of people it happened to ("soldiers killed" is
``killed``; "refugees who fled" is ``refugees``). To extend, add a category or lemmas to
``lexicons/en/categories.toml``; ``money`` and ``duration`` are also decided by the unit, and
``other`` is the fallback for anything counted.

A coordination of two harms ("killed or wounded", "dead and injured", "killed or missing") counts
people who suffered either, so it is ``casualties`` whatever the priority of its words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..lexicons import load
from .values import CURRENCY_SYMBOLS, CURRENCY_WORDS, TIME_UNITS

__all__ = ["CATEGORIES", "categorize"]

_EN = load("en")

#: Category → keyword lemmas, in priority order (``lexicons/en/categories.toml``); ``other`` has none.
CATEGORIES: dict[str, frozenset[str]] = {
    cat: frozenset(w for w, c in _EN.names("categories").items() if c == cat)
    for cat in dict.fromkeys(_EN.names("categories").values())
} | {"other": frozenset()}

_CURRENCY_UNITS = frozenset(CURRENCY_SYMBOLS.values()) | frozenset(CURRENCY_WORDS.values())
_TIME_UNITS = frozenset(TIME_UNITS.values())
_SHARE_UNITS = frozenset({"%", "times"})
#: Categories of harm done to people; two of them coordinated are ``casualties``.
_HARMS = ("killed", "wounded", "missing")
_JOINERS = _EN.words("harm_joiners")
_HARM_MODIFIERS = _EN.words("harm_modifiers")
_WORD_RE = re.compile(r"[a-z]+")
_COORD_RE = re.compile(r"[a-z]+|[,/&]")
_MAX_COUNTS_CHARS = 2_000


def _harm(word: str) -> str | None:
    """The harm category of one word ("killed", "injuries", "died"), naively stemmed, else None."""
    forms = {word}
    if word.endswith(("s", "d")):
        forms.add(word[:-1])  # "deaths", "died"
    if word.endswith("ed"):
        forms.add(word[:-2])  # "maimed"
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")  # "injuries"
    return next((c for c in _HARMS if forms & CATEGORIES[c]), None)


def is_harm(word: str) -> bool:
    """Does ``word`` name harm done to people ("killed", "wounded", "died", "injuries")?"""
    return _harm(word.lower()) is not None


def _coordinated_harms(words: list[str]) -> bool:
    """Do two different harms stand joined in ``words`` ("killed or wounded", "dead, injured")?"""
    last: str | None = None  # the harm just before, while only joiners and modifiers follow it
    joined = False
    for word in words:
        harm = _harm(word)
        if harm is not None:
            if joined and last is not None and harm != last:
                return True
            last, joined = harm, False
        elif word in _JOINERS:
            joined = last is not None
        elif word not in _HARM_MODIFIERS:
            last, joined = None, False
    return False


def categorize(
    counts: str | None, unit: str | None, lemmas: Iterable[str], coordinated: Iterable[str] = ()
) -> str | None:
    """The category of a number from its unit and the lemmas of the counted phrase and governing verb.

    ``counts`` words are also matched (lowercased, with a naive plural strip) so the function works on a
    bare string. ``coordinated`` are the lemmas in text order with the coordinations of the counted
    words ("kill or wound"), read only for two harms joined. Returns ``None`` when nothing at all is
    known, else a key of :data:`CATEGORIES`.
    """
    if unit in _CURRENCY_UNITS:
        return "money"
    if unit in _TIME_UNITS:
        return "duration"
    ordered = [w.lower() for w in lemmas if w]
    words = set(ordered)
    counted = counts[:_MAX_COUNTS_CHARS].lower() if counts else ""
    for word in _WORD_RE.findall(counted):
        words.add(word)
        if word.endswith("s") and len(word) > 3:
            words.add(word[:-1])
    joined = [w.lower() for w in coordinated if w]
    if any(_coordinated_harms(seq) for seq in (ordered, joined, _COORD_RE.findall(counted))):
        return "casualties"
    for category, keywords in CATEGORIES.items():
        if unit in _SHARE_UNITS and category in ("money", "duration"):
            continue  # "prices rose 20%" is a share, not an amount of money
        if words & keywords:
            return category
    if counts or unit or words:
        return "other"
    return None
