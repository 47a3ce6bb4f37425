"""Russian and Ukrainian word lists, loaded once from ``claimledger/lexicons/<lang>/*.toml``.

Each file holds named tables; a table has a ``why`` and either ``words`` (a list of lower-case
strings) or ``values`` (string → number, ``[low, high]`` or a category name). The loader
validates the shape and refuses a word listed twice in one table or in two ``words`` lists of
one language, so that no word silently means two things.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("ru", "uk")

Value = float | tuple[float, float] | str


class LexiconError(ValueError):
    """A lexicon file is malformed or lists a word twice."""


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word lists of one language, by ``table`` name (table names are unique across files)."""

    lang: str
    lists: dict[str, frozenset[str]]
    values: dict[str, dict[str, Value]]
    origin: dict[str, str]  # table name → file it came from

    def words(self, name: str) -> frozenset[str]:
        """The words of list ``name`` (a KeyError names a list that does not exist)."""
        return self.lists[name]

    def phrases(self, name: str) -> tuple[str, ...]:
        """The words of list ``name``, longest first (for matching multi-word phrases)."""
        return tuple(sorted(self.lists[name], key=lambda w: (-len(w), w)))

    def table(self, name: str) -> dict[str, Value]:
        """The ``values`` table ``name``."""
        return self.values[name]

    def numbers(self, name: str) -> dict[str, float]:
        """The ``values`` table ``name``, whose every value must be one number (weights, number words)."""
        table = self.values[name]
        out = {k: v for k, v in table.items() if isinstance(v, float)}
        if len(out) != len(table):
            bad = next(k for k in table if k not in out)
            raise LexiconError(f"{self.lang}/{self.origin[name]}:{name}: {bad!r} must map to one number")
        return out


def _check_word(word: Any, where: str) -> str:
    if not isinstance(word, str) or not word.strip() or word != word.strip() or word != word.lower():
        raise LexiconError(f"{where}: {word!r} must be a non-empty lower-case string without outer spaces")
    return word


def _check_value(v: Any, where: str) -> Value:
    if isinstance(v, bool):
        raise LexiconError(f"{where}: {v!r} is not a number, a [low, high] pair or a name")
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, str) and v:
        return v
    if isinstance(v, list) and len(v) == 2 and all(isinstance(x, int | float) for x in v) and v[0] <= v[1]:
        return (float(v[0]), float(v[1]))
    raise LexiconError(f"{where}: {v!r} is not a number, a [low, high] pair or a name")


def parse_tables(lang: str, files: dict[str, str]) -> Lexicon:
    """Build and validate a :class:`Lexicon` from ``{file name: TOML text}``."""
    lists: dict[str, frozenset[str]] = {}
    values: dict[str, dict[str, Value]] = {}
    origin: dict[str, str] = {}
    seen: dict[str, str] = {}  # word → "file:table" of its list
    for fname in sorted(files):
        try:
            data = tomllib.loads(files[fname])
        except tomllib.TOMLDecodeError as exc:
            raise LexiconError(f"{lang}/{fname}: {exc}") from None
        for tname, table in data.items():
            where = f"{lang}/{fname}:{tname}"
            if tname in origin:
                raise LexiconError(f"{where}: table also defined in {origin[tname]}")
            if not isinstance(table, dict) or not isinstance(table.get("why"), str):
                raise LexiconError(f"{where}: a table needs a 'why' string")
            if ("words" in table) == ("values" in table):
                raise LexiconError(f"{where}: a table has either 'words' or 'values'")
            origin[tname] = fname
            if "words" in table:
                words = [_check_word(w, where) for w in table["words"]]
                for w in words:
                    if w in seen:
                        raise LexiconError(f"{where}: {w!r} is already listed in {seen[w]}")
                    seen[w] = where
                lists[tname] = frozenset(words)
            else:
                raw = table["values"]
                if not isinstance(raw, dict):
                    raise LexiconError(f"{where}: 'values' must be a table")
                values[tname] = {_check_word(k, where): _check_value(v, where) for k, v in raw.items()}
    return Lexicon(lang, lists, values, origin)


@cache
def load(lang: str) -> Lexicon:
    """The validated lexicon of ``lang`` ("ru" or "uk"), read once per process."""
    if lang not in LANGUAGES:
        raise LexiconError(f"no lexicon for language {lang!r}; known: {', '.join(LANGUAGES)}")
    folder = resources.files("claimledger") / "lexicons" / lang
    files = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".toml")}
    return parse_tables(lang, files)
