"""Russian syntax and named entities from natasha (slovnet models shipped in the natasha wheel).

Only sentences that hold a speech cue are parsed. natasha's span normalisation, which turns
«Андреем Табаловым» into «Андрей Табалов», is fed pymorphy3 readings through a small adapter, so
that the pymorphy2 dictionary natasha would otherwise load is never used.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..deadline import Deadline
from .blas import single_thread
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
        stack, seen = [i], {i}
        while stack:
            k = stack.pop()
            for j in self.children(k):
                if j in seen:
                    continue  # the parser's heads may form a cycle on odd input
                seen.add(j)
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


#: Parses kept per process, by (sentence text, document offset); a sentence parsed in a batch by
#: :func:`parse_many` is found here by the per-sentence :func:`parse` that asks for it later.
MAX_CACHED = 4096
_CACHE: OrderedDict[tuple[str, int], Parse] = OrderedDict()
#: Sentences run through the models together: the slovnet models are several times faster on a
#: batch than one sentence at a time (numpy over padded arrays).
BATCH = 16


def parse(text: str, lo: int, hi: int) -> Parse:
    """Parse ``text[lo:hi]`` (one sentence or a short paragraph); offsets in the result are global."""
    key = (text[lo:hi], lo)
    found = _CACHE.get(key)
    if found is None:
        found = _parse_batch([key])[0]
    return found


def parse_many(text: str, spans: list[tuple[int, int]], deadline: Deadline | None = None) -> None:
    """Parse the sentences ``spans`` of ``text`` in batches, ahead of the :func:`parse` calls that
    will ask for them; stops between batches once ``deadline`` has run out."""
    keys = [k for k in dict.fromkeys((text[a:b], a) for a, b in spans) if k not in _CACHE and k[0].strip()]
    for i in range(0, len(keys), BATCH):
        if deadline is not None and deadline.expired():
            return
        _parse_batch(keys[i : i + BATCH])


def _parse_batch(keys: list[tuple[str, int]]) -> list[Parse]:
    with single_thread():
        return _run_models(keys)


def _run_models(keys: list[tuple[str, int]]) -> list[Parse]:
    from natasha import Doc
    from natasha.doc import DocSpan

    seg, morph, syn, ner, vocab = _models()
    docs = []
    for chunk, _lo in keys:
        doc = Doc(chunk)
        doc.segment(seg)
        docs.append(doc)
    sents = [sent for doc in docs for sent in doc.sents]
    words = [[t.text for t in sent.tokens] for sent in sents]
    for sent, markup in zip(sents, morph.map(words), strict=True):
        for target, source in zip(sent.tokens, markup.tokens, strict=True):
            target.pos, target.feats = source.pos, source.feats
    for sent, markup in zip(sents, syn.map(words), strict=True):
        for target, source in zip(sent.tokens, markup.tokens, strict=True):
            target.id, target.head_id, target.rel = source.id, source.head_id, source.rel
    # NER only where a name can be: a capital letter after the first word (about a third of the
    # parsing time is NER).
    named = [_may_name(chunk) for chunk, _lo in keys]
    marked = iter(ner.map([chunk for (chunk, _lo), m in zip(keys, named, strict=True) if m]))
    out = []
    for doc, (chunk, lo), may_name in zip(docs, keys, named, strict=True):
        toks: list[SynToken] = []
        ids: dict[tuple[int, str], int] = {}
        heads: list[tuple[int, str]] = []
        for n, sent in enumerate(doc.sents):
            for t in sent.tokens:
                ids[(n, t.id)] = len(toks)
                heads.append((n, t.head_id))
                toks.append(SynToken(lo + t.start, lo + t.stop, t.text, -1, t.rel or "", t.pos or "",
                                     dict(t.feats or {})))
        fixed = tuple(
            SynToken(t.start, t.end, t.text, ids.get(h, -1), t.rel, t.pos, t.feats)
            for t, h in zip(toks, heads, strict=True)
        )
        ents = []
        if may_name:
            doc.spans = [DocSpan(a, b, typ, chunk[a:b]) for a, b, typ in next(marked).spans]
            doc.envelop_span_tokens()
            for span in doc.spans:
                span.normalize(vocab)
                ents.append(Entity(lo + span.start, lo + span.stop, span.type, span.normal or span.text))
        parsed = Parse(fixed, tuple(ents))
        _CACHE[(chunk, lo)] = parsed
        out.append(parsed)
    while len(_CACHE) > MAX_CACHED:
        _CACHE.popitem(last=False)
    return out


def _may_name(chunk: str) -> bool:
    """Can ``chunk`` hold a name: a capital letter after its first word?"""
    words = chunk.split(None, 1)
    return len(words) > 1 and any(c.isupper() for c in words[1])
