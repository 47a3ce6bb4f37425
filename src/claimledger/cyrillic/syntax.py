"""Russian syntax and named entities from natasha (slovnet models shipped in the natasha wheel).

Only sentences that hold a speech cue are parsed. natasha's span normalisation, which turns
«Андреем Табаловым» into «Андрей Табалов», is fed pymorphy3 readings through a small adapter, so
that the pymorphy2 dictionary natasha would otherwise load is never used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from .tokens import parses


@dataclass(frozen=True, slots=True)
class SynToken:
    """A word of a parsed sentence: document offsets, head index (-1 for the root), relation."""

    start: int
    end: int
    text: str
    head: int
    rel: str
    pos: str
    feats: dict[str, str]


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity: document offsets, type (PER, ORG, LOC) and its nominative form."""

    start: int
    end: int
    type: str
    normal: str


@dataclass(frozen=True, slots=True)
class Parse:
    tokens: tuple[SynToken, ...]
    entities: tuple[Entity, ...]

    def index_at(self, start: int) -> int | None:
        """The token that starts at document offset ``start``."""
        for i, t in enumerate(self.tokens):
            if t.start == start:
                return i
        return None

    def children(self, i: int, *rels: str) -> list[int]:
        return [j for j, t in enumerate(self.tokens) if t.head == i and (not rels or t.rel in rels)]

    def subtree(self, i: int) -> tuple[int, int]:
        """(first, last) token indexes of ``i``'s subtree."""
        lo = hi = i
        stack = [i]
        while stack:
            k = stack.pop()
            for j in self.children(k):
                lo, hi = min(lo, j), max(hi, j)
                stack.append(j)
        return lo, hi


class _Form:
    """A pymorphy3 reading shaped as natasha's MorphForm (pos, feats, inflect → word)."""

    def __init__(self, p: Any) -> None:
        from natasha.morph.vocab import ud_feats, ud_pos

        self.p, self.word = p, p.word
        self.pos = ud_pos(p.tag)
        self.feats = dict(ud_feats(p.tag))

    def inflect(self, grams: set[str]) -> _Form | None:
        from natasha.morph.vocab import oc_grams

        r = self.p.inflect(set(oc_grams(grams)))
        return _Form(r) if r is not None else None


class _Vocab:
    """The part of natasha's MorphVocab that span normalisation calls: ``vocab(word)``."""

    def __call__(self, word: str) -> list[_Form]:
        return [_Form(p) for p in parses("ru", word)]


@cache
def _models() -> tuple[Any, ...]:
    from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    emb = NewsEmbedding()
    return Segmenter(), NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb), _Vocab()


def parse(text: str, lo: int, hi: int) -> Parse:
    """Parse ``text[lo:hi]`` (one sentence or a short paragraph); offsets in the result are global."""
    return _parse(text[lo:hi], lo)


@lru_cache(maxsize=4096)
def _parse(chunk: str, lo: int) -> Parse:
    from natasha import Doc

    seg, morph, syn, ner, vocab = _models()
    doc = Doc(chunk)
    doc.segment(seg)
    doc.tag_morph(morph)
    doc.parse_syntax(syn)
    doc.tag_ner(ner)
    toks: list[SynToken] = []
    ids: dict[str, int] = {}
    for sent in doc.sents:
        for t in sent.tokens:
            ids[t.id] = len(toks)
            feats = dict(t.feats or {})
            toks.append(SynToken(lo + t.start, lo + t.stop, t.text, -1, t.rel or "", t.pos or "", feats))
    fixed = []
    for sent in doc.sents:
        for t in sent.tokens:
            st = toks[ids[t.id]]
            head = ids.get(t.head_id, -1)
            fixed.append(SynToken(st.start, st.end, st.text, head, st.rel, st.pos, st.feats))
    ents = []
    for span in doc.spans:
        span.normalize(vocab)
        ents.append(Entity(lo + span.start, lo + span.stop, span.type, span.normal or span.text))
    return Parse(tuple(fixed), tuple(ents))
