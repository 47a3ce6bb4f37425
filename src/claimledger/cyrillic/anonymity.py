"""Anonymous sources in Russian and Ukrainian: unnamed speakers, changed names, relayed sources.

A stated reason is copied verbatim, without a conjunction that introduces it («так как»,
«оскільки») but with a preposition that is part of it («по просьбе героини»).
"""

from __future__ import annotations

import re

from ..model import AnonymousSource, Document, Speaker
from .lexicon import load
from .speakers import Registry
from .tokens import Paragraph, Sentence, Token


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
    if idx and idx[0] + 1 < len(sentences) and _refers_back(doc.language, sentences[idx[0] + 1]):
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


def relayed_sources(doc: Document, paras: list[Paragraph], registry: Registry) -> list[AnonymousSource]:
    """«Reuters со ссылкой на источники в правительстве сообщило …», «посилаючись на джерела»:
    the unnamed sources a relay cites, described as the text gives them after the marker."""
    lex = load(doc.language)
    relays = lex.phrases("relay_markers")
    sources = lex.words("source_nouns")
    out = []
    for s in (s for p in paras for s in p.sentences):
        low = doc.text[s.start : s.end].lower()
        for ph in relays:
            at = low.find(ph)
            if at < 0:
                continue
            after = s.start + at + len(ph)
            phrase: list[Token] = []
            for t in (t for t in s.tokens if t.start >= after):
                gap = doc.text[phrase[-1].end if phrase else after : t.start]
                if any(c in gap for c in ",;:.!?()—–") or t.best_has("VERB") or t.best_has("GRND"):
                    break
                phrase.append(t)
            head = next((t for t in phrase if t.has("NOUN")), None)
            if head is None or not head.lemmas() & sources:
                continue  # a named source («со ссылкой на ТАСС») is not anonymous
            a, b = phrase[0].start, phrase[-1].end
            entry = registry.other(doc.text[a:b], "anonymous", (a, b), None, True, frozenset(head.lemmas()))
            out.append(AnonymousSource(entry.speaker.id, doc.text[a:b], None, a, b))
            break
    return out


def _refers_back(lang: str, sentence: Sentence) -> bool:
    """Does the sentence open with a source noun or a pronoun («Співрозмовник попросив …», «Он
    попросил …»), i.e. go on about the source just named rather than a new one?"""
    lex = load(lang)
    first = sentence.tokens[:1]
    pronouns = lex.words("pronouns_masc") | lex.words("pronouns_fem") | lex.words("pronouns_plur")
    return bool(first) and (first[0].lower in pronouns or bool(first[0].lemmas() & lex.words("source_nouns")))


def anonymous_sources(doc: Document, paras: list[Paragraph], registry: Registry,
                      speaking: list[Speaker] | None = None) -> list[AnonymousSource]:
    """Every unnamed source a quote or number is attributed to, that a speech verb has for its
    subject (``speaking``, with or without a reported clause) or a relay cites, and every changed
    name."""
    out = _changed_names(doc, registry)
    seen = {a.speaker_id for a in out}
    for a in relayed_sources(doc, paras, registry):
        if a.speaker_id not in seen:
            out.append(a)
            seen.add(a.speaker_id)
    quoted = {id(q.speaker) for q in doc.quotes} | {id(sp) for sp in speaking or []}
    sentences = [s for p in paras for s in p.sentences]
    for sp in registry.speakers:
        if sp.type != "anonymous" or sp.id in seen or id(sp) not in quoted or not sp.mentions:
            continue
        start, end = sp.mentions[0]
        reason = _stated_reason(doc, sentences, sp.mentions)
        out.append(AnonymousSource(sp.id, sp.description or sp.name or "", reason, start, end))
        seen.add(sp.id)
    out.sort(key=lambda s: s.start)
    return out
