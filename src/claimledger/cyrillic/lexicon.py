"""Russian and Ukrainian word lists, loaded once from ``claimledger/lexicons/<lang>/*.toml``.

The files are read and validated by :mod:`claimledger.lexicons` (one loader for every
language). On top of that, the lists of one of these languages are disjoint: a word listed in
two ``words`` lists is refused at load time, so that no word silently means two things. Numbers
in ``values`` tables are read as floats, as the Cyrillic number rules expect.
"""

from __future__ import annotations

from functools import cache

from .. import lexicons
from ..lexicons import Lexicon, LexiconError, Value

__all__ = ["LANGUAGES", "Lexicon", "LexiconError", "Value", "load", "parse_tables"]

LANGUAGES = ("ru", "uk")


def _as_float(v: Value) -> Value:
    if isinstance(v, tuple):
        return (float(v[0]), float(v[1]))
    return v if isinstance(v, str) else float(v)


def _checked(lex: Lexicon) -> Lexicon:
    seen: dict[str, str] = {}  # word → "file:table" of its list
    for tname in sorted(lex.ordered, key=lambda t: (lex.origin[t], list(lex.ordered).index(t))):
        where = f"{lex.lang}/{lex.origin[tname]}:{tname}"
        for w in lex.ordered[tname]:
            if w in seen:
                raise LexiconError(f"{where}: {w!r} is already listed in {seen[w]}")
            seen[w] = where
    values = {t: {k: _as_float(v) for k, v in table.items()} for t, table in lex.values.items()}
    return Lexicon(lex.lang, lex.ordered, lex.lists, values, lex.origin, lex.groups)


def parse_tables(lang: str, files: dict[str, str]) -> Lexicon:
    """Build and validate a :class:`Lexicon` from ``{file name: TOML text}``."""
    return _checked(lexicons.parse_tables(lang, files))


@cache
def load(lang: str) -> Lexicon:
    """The validated lexicon of ``lang`` ("ru" or "uk"), read once per process."""
    if lang not in LANGUAGES:
        raise LexiconError(f"no lexicon for language {lang!r}; known: {', '.join(LANGUAGES)}")
    return _checked(lexicons.load(lang))
