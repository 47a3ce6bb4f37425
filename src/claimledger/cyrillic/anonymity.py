"""Anonymous sources in Russian and Ukrainian: unnamed speakers, changed names, relayed sources.

A stated reason is copied verbatim, without a conjunction that introduces it («так как»,
«оскільки») but with a preposition that is part of it («по просьбе героини»).
"""

from __future__ import annotations

import re

from ..model import AnonymousSource, Document
from .lexicon import load
from .speakers import Registry
from .tokens import Paragraph


def _reason(text: str, lang: str) -> str | None:
    """The stated reason at the start of ``text`` (up to the end of its clause), if any."""
    lex = load(lang)
    text = re.split(r"[,;.]\s", text + " ", maxsplit=1)[0]
    low = text.lower()
    for ph in lex.phrases("reason_conjunctions"):
        m = re.search(r"(?:^|\s)" + re.escape(ph) + r"\s+", low)
        if m:
            return text[m.end() :].strip(" .,;)—–") or None
    for ph in lex.phrases("reason_prepositions"):
        m = re.search(r"(?:^|\s)" + re.escape(ph) + r"\s", low)
        if m:
            return text[m.start() :].strip(" .,;)—–") or None
    return None


def _changed_names(doc: Document, registry: Registry) -> list[AnonymousSource]:
    """«Игорь (имя изменено по просьбе героини. — Прим. ред.)»: the pseudonym is a person and a source."""
    lex = load(doc.language)
    out = []
    phrases = "|".join(re.escape(p) for p in lex.phrases("name_changed"))
    for m in re.finditer(r"([^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)?)\s*\((" + phrases + r")([^)]*)\)",
                         doc.text, re.I):
        name = m.group(1).split()[-1]
        if not name[:1].isupper():
            continue
        reason_text = re.split(r"\.\s*[—–-]|\s[—–-]\s", m.group(3))[0]
        reason = _reason(reason_text, doc.language) if reason_text.strip(" .") else None
        entry = registry.person(name, None, (m.start(1) + len(m.group(1)) - len(name), m.end(1)), None)
        out.append(AnonymousSource(entry.speaker.id, name, reason, m.start(1), m.end(1)))
    return out


def _stated_reason(doc: Document, sentences: list, mentions: list[tuple[int, int]]) -> str | None:
    """The reason given with an anonymity phrase in a sentence that mentions the source, or in the
    sentence right after its first mention («Співрозмовник попросив не називати його імені, оскільки …»)."""
    phrases = load(doc.language).phrases("anonymity_phrases")
    idx = [k for k, s in enumerate(sentences) if any(s.start <= m0 < s.end for m0, _ in mentions)]
    if idx:
        idx.append(idx[0] + 1)
    for k in sorted(set(idx)):
        if k >= len(sentences):
            continue
        s = sentences[k]
        low = doc.text[s.start : s.end].lower()
        for ph in phrases:
            at = low.find(ph)
            if at >= 0:
                reason = _reason(doc.text[s.start + at + len(ph) : s.end].lstrip(" ,"), doc.language)
                if reason:
                    return reason
    return None


def anonymous_sources(doc: Document, paras: list[Paragraph], registry: Registry) -> list[AnonymousSource]:
    """Every unnamed source a quote or number is attributed to, and every changed name."""
    out = _changed_names(doc, registry)
    seen = {a.speaker_id for a in out}
    quoted = {id(q.speaker) for q in doc.quotes}
    sentences = [s for p in paras for s in p.sentences]
    for sp in registry.speakers:
        if sp.type != "anonymous" or sp.id in seen or id(sp) not in quoted or not sp.mentions:
            continue
        a, b = sp.mentions[0]
        reason = _stated_reason(doc, sentences, sp.mentions)
        out.append(AnonymousSource(sp.id, sp.description or sp.name or "", reason, a, b))
        seen.add(sp.id)
    out.sort(key=lambda s: s.start)
    return out
