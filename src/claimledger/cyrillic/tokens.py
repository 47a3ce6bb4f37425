"""Paragraphs, sentences and words of a Russian or Ukrainian document, with morphology.

Offsets are always document offsets. Morphology comes from pymorphy3 (its Russian and Ukrainian
dictionaries ship as packages); sentences from razdel (Russian) and tokenize-uk (Ukrainian).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from ..model import Section
from ..sections import claim_lines

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:[-'’ʼ][^\W\d_]+)*|%", re.UNICODE)
_VERB_POS = frozenset({"VERB", "INFN", "GRND", "PRTF", "PRTS"})


@cache
def analyzer(lang: str) -> Any:
    """The pymorphy3 analyser of ``lang`` (loaded once: ~0.3 s, dictionaries from the wheels)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


@lru_cache(maxsize=200_000)
def parses(lang: str, word: str) -> tuple[Any, ...]:
    """pymorphy3 readings of a lower-cased word, most likely first."""
    return tuple(analyzer(lang).parse(word))


@dataclass(slots=True)
class Token:
    """A word (or a digit group) with its document offsets and its pymorphy3 readings."""

    text: str
    start: int
    end: int
    lang: str

    @property
    def lower(self) -> str:
        return self.text.lower().replace("ё", "е") if self.lang == "ru" else self.text.lower()

    @property
    def readings(self) -> tuple[Any, ...]:
        return parses(self.lang, self.text.lower())

    def lemmas(self) -> set[str]:
        """Every dictionary form the word may have (ё spelt е as well)."""
        out = {p.normal_form for p in self.readings}
        return out | {w.replace("ё", "е") for w in out}

    def has(self, *grams: str) -> bool:
        """Does some reading carry all ``grams`` (pymorphy3 tags: "NOUN", "nomn", "Name" …)?"""
        return any(all(g in p.tag.grammemes for g in grams) for p in self.readings)

    def best_has(self, *grams: str) -> bool:
        """Does the most likely reading carry all ``grams``?"""
        r = self.readings
        return bool(r) and all(g in r[0].tag.grammemes for g in grams)

    def verb_lemmas(self) -> set[str]:
        """Dictionary forms of the readings that are verbs, infinitives, gerunds or participles."""
        return {p.normal_form for p in self.readings if p.tag.POS in _VERB_POS}

    @property
    def is_upper_initial(self) -> bool:
        return self.text[:1].isupper()


@dataclass(slots=True)
class Sentence:
    """A sentence of a paragraph, with its words."""

    start: int
    end: int
    para: int
    tokens: list[Token] = field(default_factory=list)


@dataclass(slots=True)
class Paragraph:
    """One or more lines read as one paragraph (a line that goes on in lower case is joined)."""

    start: int
    end: int
    section: str
    sentences: list[Sentence] = field(default_factory=list)


def words(text: str, lo: int, hi: int, lang: str) -> list[Token]:
    """The words of ``text[lo:hi]`` with document offsets."""
    return [Token(m.group(), m.start(), m.end(), lang) for m in _WORD.finditer(text, lo, hi)]


def _continues(text: str, prev_end: int, nxt_start: int) -> bool:
    """Does the next line go on with the sentence (it opens in lower case after an unfinished line)?"""
    first = text[nxt_start]
    return first.isalpha() and first.islower() and text[prev_end - 1] not in ".!?…»\""


def paragraphs(text: str, sections: list[Section], lang: str) -> list[Paragraph]:
    """Quotable paragraphs: lines, joined when a sentence runs on across a line break."""
    paras: list[Paragraph] = []
    for lo, hi, kind in claim_lines(text, sections):
        if paras and paras[-1].section == kind and _continues(text, paras[-1].end, lo):
            paras[-1].end = hi
        else:
            paras.append(Paragraph(lo, hi, kind))
    for n, p in enumerate(paras):
        p.sentences = [
            Sentence(a, b, n, words(text, a, b, lang)) for a, b in _sentence_spans(text, p.start, p.end, lang)
        ]
    return paras


def _sentence_spans(text: str, lo: int, hi: int, lang: str) -> list[tuple[int, int]]:
    chunk = text[lo:hi]
    if lang == "uk":
        from tokenize_uk import tokenize_sents_with_spans

        spans = [(a, b) for _s, a, b in tokenize_sents_with_spans(chunk)]
    else:
        from razdel import sentenize

        spans = [(s.start, s.stop) for s in sentenize(chunk)]
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if b <= a:
            continue
        # A split inside parentheses («Игорь (имя изменено. — Прим. ред.) позвонил») is not a sentence end.
        if out and chunk[out[-1][0] : out[-1][1]].count("(") > chunk[out[-1][0] : out[-1][1]].count(")"):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return [(lo + a, lo + b) for a, b in out] or [(lo, hi)]
