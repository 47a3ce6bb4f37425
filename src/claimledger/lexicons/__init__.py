"""Word lists as data: ``claimledger/lexicons/<lang>/*.toml``, loaded once and validated.

One folder per language (``en``, ``ru``, ``uk``) and ``common`` for lists no language owns
(quotation marks). A file holds named tables; a table has a ``why`` and one of ``words`` (a list
of strings), ``values`` (string → number, ``[low, high]`` or a name) or ``groups`` (lists of
words that name one thing, the first labelling the group). Words are lower case, without outer
or double spaces, unless the table says ``cased = true`` (tokenizer special cases are written as
they appear). Table names are unique across the files of a language, and a word is listed at
most once in a table; :func:`overlaps` reports a word that two tables of a language share,
which ``tests/test_lexicons.py`` refuses unless the pair is a stated overlap.

No spaCy here: storage and web code may read a lexicon without loading the language pipeline.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import combinations
from pathlib import Path
from typing import Any

Value = int | float | tuple[float, float] | str


class LexiconError(ValueError):
    """A lexicon file is malformed or lists a word twice."""


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word lists of one language, by table name (table names are unique across files)."""

    lang: str
    ordered: dict[str, tuple[str, ...]]  # words lists in file order
    lists: dict[str, frozenset[str]]
    values: dict[str, dict[str, Value]]
    origin: dict[str, str]  # table name → file it came from
    groups: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    def words(self, name: str) -> frozenset[str]:
        """The words of list ``name`` (a KeyError names a list that does not exist)."""
        return self.lists[name]

    def sequence(self, name: str) -> tuple[str, ...]:
        """The words of list ``name`` in the order the file gives (where order is a priority)."""
        return self.ordered[name]

    def phrases(self, name: str) -> tuple[str, ...]:
        """The words of list ``name``, longest first (for matching multi-word phrases)."""
        return tuple(sorted(self.lists[name], key=lambda w: (-len(w), w)))

    def table(self, name: str) -> dict[str, Value]:
        """The ``values`` table ``name`` (in file order)."""
        return self.values[name]

    def grouped(self, name: str) -> tuple[tuple[str, ...], ...]:
        """The ``groups`` table ``name``: tuples of words for one thing, the first its label."""
        return self.groups[name]

    def _typed(self, name: str, ok: tuple[type, ...], what: str) -> dict[str, Any]:
        # A copy: the caller may keep it as a module constant; the cached lexicon stays as read.
        table = self.values[name]
        if not all(type(v) in ok for v in table.values()):
            raise LexiconError(f"{self.lang}/{self.origin[name]}:{name}: values must be {what}")
        return dict(table)

    def integers(self, name: str) -> dict[str, int]:
        """The ``values`` table ``name`` of whole numbers (a LexiconError if a value is not one)."""
        return self._typed(name, (int,), "whole numbers")

    def numbers(self, name: str) -> dict[str, float]:
        """The ``values`` table ``name`` of numbers, as written (``2`` stays an int)."""
        return self._typed(name, (int, float), "numbers")

    def ranges(self, name: str) -> dict[str, tuple[float, float]]:
        """The ``values`` table ``name`` of ``[low, high]`` ranges."""
        return self._typed(name, (tuple,), "[low, high] pairs")

    def names(self, name: str) -> dict[str, str]:
        """The ``values`` table ``name`` whose values are names (a unit, a code, a category)."""
        return self._typed(name, (str,), "names")


def _check_word(word: Any, where: str, cased: bool = False) -> str:
    if (
        not isinstance(word, str)
        or not word.strip()
        or word != word.strip()
        or "  " in word
        or (not cased and word != word.lower())
    ):
        case = "" if cased else "lower-case "
        raise LexiconError(
            f"{where}: {word!r} must be a non-empty {case}string without outer or double spaces"
        )
    return word


def _check_value(v: Any, where: str) -> Value:
    if isinstance(v, bool):
        raise LexiconError(f"{where}: {v!r} is not a number, a [low, high] pair or a name")
    if isinstance(v, int | float):
        return v
    if isinstance(v, str) and v:
        return v
    if (
        isinstance(v, list)
        and len(v) == 2
        and all(isinstance(x, int | float) and not isinstance(x, bool) for x in v)
        and v[0] <= v[1]
    ):
        return (v[0], v[1])
    raise LexiconError(f"{where}: {v!r} is not a number, a [low, high] pair or a name")


_KEYS = {"why", "words", "values", "groups", "cased"}
_KINDS = ("words", "values", "groups")


def parse_tables(lang: str, files: dict[str, str]) -> Lexicon:
    """Build and validate a :class:`Lexicon` from ``{file name: TOML text}``."""
    ordered: dict[str, tuple[str, ...]] = {}
    values: dict[str, dict[str, Value]] = {}
    groups: dict[str, tuple[tuple[str, ...], ...]] = {}
    origin: dict[str, str] = {}
    for fname in sorted(files):
        try:
            data = tomllib.loads(files[fname])
        except tomllib.TOMLDecodeError as exc:
            raise LexiconError(f"{lang}/{fname}: {exc}") from None
        for tname, table in data.items():
            where = f"{lang}/{fname}:{tname}"
            if tname in origin:
                raise LexiconError(f"{where}: table also defined in {origin[tname]}")
            if not isinstance(table, dict) or not isinstance(table.get("why"), str) or not table["why"]:
                raise LexiconError(f"{where}: a table needs a 'why' string")
            if unknown := set(table) - _KEYS:
                raise LexiconError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
            if sum(kind in table for kind in _KINDS) != 1:
                raise LexiconError(f"{where}: a table has one of 'words', 'values' or 'groups'")
            cased = table.get("cased", False)
            if not isinstance(cased, bool):
                raise LexiconError(f"{where}: 'cased' must be true or false")
            origin[tname] = fname
            if "words" in table:
                if not isinstance(table["words"], list) or not table["words"]:
                    raise LexiconError(f"{where}: 'words' must be a non-empty list")
                words = [_check_word(w, where, cased) for w in table["words"]]
                seen: set[str] = set()
                for w in words:
                    if w in seen:
                        raise LexiconError(f"{where}: {w!r} is already listed in this table")
                    seen.add(w)
                ordered[tname] = tuple(words)
            elif "groups" in table:
                raw_groups = table["groups"]
                if not isinstance(raw_groups, list) or not raw_groups or not all(
                    isinstance(g, list) and g for g in raw_groups
                ):
                    raise LexiconError(f"{where}: 'groups' must be a non-empty list of non-empty lists")
                members = [_check_word(w, where, cased) for g in raw_groups for w in g]
                if len(set(members)) != len(members):
                    twice = sorted({w for w in members if members.count(w) > 1})
                    raise LexiconError(f"{where}: {twice[0]!r} is already listed in this table")
                groups[tname] = tuple(tuple(g) for g in raw_groups)
            else:
                raw = table["values"]
                if not isinstance(raw, dict) or not raw:
                    raise LexiconError(f"{where}: 'values' must be a non-empty table")
                values[tname] = {_check_word(k, where, cased): _check_value(v, where) for k, v in raw.items()}
    lists = {name: frozenset(words) for name, words in ordered.items()}
    return Lexicon(lang, ordered, lists, values, origin, groups)


def languages() -> tuple[str, ...]:
    """The folders of ``claimledger/lexicons`` that hold lexicon files."""
    folders = [p for p in resources.files(__name__).iterdir() if p.is_dir()]
    return tuple(sorted(p.name for p in folders if any(f.name.endswith(".toml") for f in p.iterdir())))


@cache
def load(lang: str) -> Lexicon:
    """The validated lexicon of ``lang`` (a folder name: "en", "ru", "uk", "common"), read once."""
    folder = resources.files(__name__) / lang
    if not folder.is_dir():
        raise LexiconError(f"no lexicon for language {lang!r}; known: {', '.join(languages())}")
    files = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".toml")}
    return parse_tables(lang, files)


@cache
def load_folder(path: str) -> Lexicon:
    """The validated lexicon in folder ``path`` (``*.toml`` files, as a language folder here holds),
    read once: a language's own files from outside the package."""
    folder = Path(path)
    if not folder.is_dir():
        raise LexiconError(f"{path}: no such lexicon folder")
    files = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.toml")}
    return parse_tables(folder.name, files)


def _entries(lex: Lexicon, name: str) -> frozenset[str]:
    # Case and a final period do not make another entry: "Lt." and "lt" are one title.
    if name in lex.groups:
        raw = frozenset(w for g in lex.groups[name] for w in g)
    else:
        raw = lex.lists[name] if name in lex.lists else frozenset(lex.values[name])
    return frozenset(w.lower().rstrip(".") or w for w in raw)


def overlaps(lex: Lexicon) -> dict[tuple[str, str], frozenset[str]]:
    """Entries shared by two tables of one language, by (table, table) in name order."""
    entries = {name: _entries(lex, name) for name in sorted([*lex.lists, *lex.values, *lex.groups])}
    return {(a, b): common for a, b in combinations(entries, 2) if (common := entries[a] & entries[b])}
