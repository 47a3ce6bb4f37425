"""Quote assembly: from marked quotations and reporting cues to attributed quotes.

Per unit, in text order:

1. A cue with a reported clause gives an **indirect** quote. When the clause holds a
   quotation, the cue's position decides: a cue before a clause that is mostly its own words
   makes a **mixed** quote (the fragment stays inside it); a cue after "PARAPHRASE, “QUOTE,”"
   gives the paraphrase as indirect and the quotation as direct, both from that speaker.
2. Every other quotation takes the nearest cue of its unit (after the closing mark first).
3. A quotation with no cue in its unit continues the previous quote when that one is in
   the same or the previous paragraph ("A," he said. "B."; a quote running on), or takes
   the speaker of an introducing line ("He writes:"). Otherwise it is a scare quote, a title
   or an unattributed fragment, and is dropped.
4. A paragraph introduced by "X writes:" that has no quotation marks is a block quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .anonymity import find_anonymity
from .model import Quote, SectionKind
from .nlp.attribution import Cue, described_by, make_mention
from .nlp.quotemarks import MarkedQuote
from .speakers import Entity, SpeakerRegistry
from .units import Unit

_MIN_INDIRECT_WORDS = 3
_MIN_PARAPHRASE_WORDS = 4
_MIN_DIRECT_WORDS = 4


@dataclass(slots=True)
class Attributed:
    """A quote with the entity that said it (resolved later into ``Quote.speaker``)."""

    start: int
    end: int
    kind: str
    cue: str | None
    entity: Entity | None
    para: int


def _words(text: str) -> int:
    return len(text.split())


# "KORVASH, Kaldora (NL) — " opening a wire story's first paragraph is not part of a quote.
_DATELINE = re.compile(r"[A-Z][A-Z .'’-]{1,40},[^—–\n]{0,40}?[—–]\s*")


_FIRST_PERSON = re.compile(r"\b(?:I|my|me|we|our|us)\b", re.IGNORECASE)


def _writer_own(ent: Entity) -> bool:
    """In a blogger's or reader's text, an unnamed document or one the writer saw is their own claim."""
    sp = ent.speaker
    phrase = sp.description or sp.name or ""
    return sp.type in ("document", "unknown") or bool(_FIRST_PERSON.search(phrase))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    m = _DATELINE.match(text, start, min(end, start + 90))
    if m:
        start = m.end()
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return start, end


class _LazyEntities(dict):
    """Resolve a cue's speaker only when the cue is used, so that a cue-like verb that reports
    nothing ("deaths confirmed by a coroner") does not become a pronoun's antecedent."""

    def __init__(self, asm: QuoteAssembler, base: int) -> None:
        super().__init__()
        self.asm, self.base = asm, base
        self.cues: dict[int, Cue] = {}

    def __missing__(self, key: int) -> Entity | None:
        ent = self.asm._entity(self.cues[key], self.base)
        self[key] = ent
        return ent


class QuoteAssembler:
    def __init__(self, text: str, registry: SpeakerRegistry, section_at: Callable[[int], SectionKind]):
        self.text = text
        self.registry = registry
        self.section_at = section_at
        self.out: list[Attributed] = []
        self.reasons: dict[int, tuple[str | None, int, int]] = {}  # id(entity) -> reason, span
        self._intro: tuple[Entity, str, int] | None = None
        self._runs_on: list[tuple[MarkedQuote, int]] = []

    # -- helpers -----------------------------------------------------------------------------
    def _entity(self, cue: Cue, base: int) -> Entity | None:
        return self.registry.resolve(cue.speaker, base) if cue.speaker is not None else None

    def _add(self, start: int, end: int, kind: str, cue: str | None, ent: Entity | None, para: int) -> None:
        if kind == "direct":  # the words inside the marks, with their punctuation
            while start < end and self.text[start].isspace():
                start += 1
            while end > start and self.text[end - 1].isspace():
                end -= 1
        else:
            start, end = _trim(self.text, start, end)
        if end <= start or ent is None:
            return
        section = self.section_at(start)
        if section == "boilerplate":
            return
        if section in ("commentary", "comments") and _writer_own(ent):
            return  # "the estimate I saw put the number at …": the blogger's own claim, not a quote
        ent.used = True
        if kind == "direct":
            for q, p in self._runs_on:
                if para - p == 1:
                    self.out.append(Attributed(q.start, q.end, "direct", cue, ent, p))
            self._runs_on.clear()
        self.out.append(Attributed(start, end, kind, cue, ent, para))

    def _previous(self, para: int) -> Attributed | None:
        if self.out and para - self.out[-1].para <= 1:
            return self.out[-1]
        return None

    # -- per unit ----------------------------------------------------------------------------
    def unit(self, u: Unit, marked: list[MarkedQuote]) -> None:
        base = u.start
        cues: list[Cue] = list(u.doc._.cl_cues or []) if u.doc is not None else []
        ents = _LazyEntities(self, base)
        ents.cues = {id(c): c for c in cues}
        self._anonymity(u, cues, ents)
        used: set[int] = set()
        for cue in cues:
            if cue.content is None or cue.kind == "source":
                continue
            ent = ents[id(cue)]
            if ent is None:
                continue
            c_lo, c_hi = base + cue.content[0], base + cue.content[1]
            inner = [q for q in marked if q.open_at < c_hi and (q.close_at or q.end) >= c_lo]
            if any(q.start < c_lo < q.end or (q.start < c_hi < q.end and not cue.before) for q in inner):
                continue  # the parse reached into a quotation: the cue is that quotation's tag
            if not inner:
                if _words(self.text[c_lo:c_hi]) >= _MIN_INDIRECT_WORDS:
                    self._add(c_lo, c_hi, "indirect", cue.cue, ent, u.para)
                continue
            first = inner[0]
            own = self.text[c_lo : first.open_at].strip(" ,:—–")
            if cue.before:
                whole = first.open_at <= c_lo + 2 and (inner[-1].close_at or inner[-1].end) >= c_hi - 2
                if _words(own) < _MIN_PARAPHRASE_WORDS and whole:
                    continue  # 'He said: "…"' — a direct quote tagged before; step 2 takes it
                end = max(c_hi, max((q.close_at or q.end) + 1 for q in inner))
                self._add(c_lo, min(end, u.end), "mixed", cue.cue, ent, u.para)
                used.update(id(q) for q in inner)
            elif _words(own) >= _MIN_PARAPHRASE_WORDS and first.open_at > c_lo:
                self._add(c_lo, first.open_at, "indirect", cue.cue, ent, u.para)
        for q in marked:
            if id(q) in used:
                continue
            self._direct(q, cues, ents, u, base)
        self._note_intro(u, cues, ents)

    def _direct(self, q: MarkedQuote, cues: list[Cue], ents: dict, u: Unit, base: int) -> None:
        inner = self.text[q.start : q.end].strip()
        if _words(inner) < _MIN_DIRECT_WORDS and not inner.endswith((".", ",", "?", "!")):
            return  # a scare quote or a quoted term ("thugs", "partial mobilization")
        close = q.close_at if q.close_at is not None else q.end
        best: tuple[int, Cue] | None = None
        for cue in cues:
            if cue.kind == "source" or cue.cue.endswith("… at"):  # figure cues report no words
                continue
            at = base + cue.cue_start
            # Distance from the quotation to its cue; a tag after the quote is the norm.
            dist = at - close if at > close else (q.open_at - at) * 2 if at < q.open_at else None
            if dist is not None and (best is None or dist < best[0]):
                best = (dist, cue)
        if best is not None and not q.continues and ents[id(best[1])] is not None:
            cue = best[1]
            self._add(q.start, q.end, "direct", cue.cue, ents[id(cue)], u.para)
            return
        prev = self._previous(u.para)
        if self._intro is not None and self._intro[2] == u.para - 1:
            ent, cue_text, _ = self._intro
            self._add(q.start, q.end, "direct", cue_text, ent, u.para)
        elif prev is not None:
            self._add(q.start, q.end, "direct", prev.cue, prev.entity, u.para)
        elif best is not None:
            self._add(q.start, q.end, "direct", best[1].cue, ents[id(best[1])], u.para)
        elif q.runs_on:
            self._runs_on.append((q, u.para))  # its tag may come in the next paragraph

    def _note_intro(self, u: Unit, cues: list[Cue], ents: dict) -> None:
        """Remember "X writes:" so that the next paragraph is attributed to X."""
        if not self.text[u.start : u.end].rstrip().endswith(":"):
            return
        for cue in reversed(cues):
            ent = ents[id(cue)]
            if cue.kind == "verb" and cue.content is None and ent is not None:
                self._intro = (ent, cue.cue, u.para)
                return

    def block(self, para: int, lo: int, hi: int, has_marks: bool) -> bool:
        """A paragraph after an introducing line and without quotation marks: a block quote.

        Returns True when the paragraph became one (its own cues are then the quoted
        person's words, not the article's attributions)."""
        intro = self._intro
        if intro is None or intro[2] != para - 1 or has_marks:
            return False
        if self.text[lo:hi].rstrip().endswith(":"):
            return False
        ent, cue_text, _ = intro
        self._add(lo, hi, "direct", cue_text, ent, para)
        return True

    def _anonymity(self, u: Unit, cues: list[Cue], ents: dict) -> None:
        """Attach stated anonymity (and its reason) to the source it describes."""
        for cue in cues:  # "citing security sources": an unnamed source with no quote of its own
            if cue.kind == "source" and cue.speaker is not None and cue.speaker.type == "anonymous":
                ent = ents[id(cue)]
                if ent is not None:
                    ent.used = True
        for st in find_anonymity(self.text[u.start : u.end]):
            target = self._anonymity_target(u, st.start, cues, ents)
            if target is None:
                continue
            if target.speaker.name is None:
                target.speaker.type = "anonymous"
            target.used = True
            known = self.reasons.get(id(target))
            if known is None or (known[0] is None and st.reason):
                self.reasons[id(target)] = (st.reason, u.start + st.start, u.start + st.end)

    def _anonymity_target(self, u: Unit, at: int, cues: list[Cue], ents: dict) -> Entity | None:
        """Who an anonymity statement at local offset ``at`` is about: the speaker whose phrase
        holds it ("officials who spoke on condition of anonymity said"), else the noun phrase it
        modifies ("a European official, who spoke on condition of anonymity, described …"), else
        the subject of the unit's cue ("Speaking on condition of anonymity, she said"), else the
        latest unnamed source."""
        for c in cues:
            ext = c.speaker.extent if c.speaker is not None else None
            if ext and ext[0] <= at < ext[1] and c.kind != "source":
                return ents[id(c)]
        if u.doc is not None and (head := described_by(u.doc, at)) is not None:
            return self.registry.resolve(make_mention(head), u.start)
        for c in cues:
            if c.kind != "source" and c.speaker is not None and c.speaker.type in ("anonymous", "unknown"):
                return ents[id(c)]
        return self.registry.recent(u.start + at + 1, lambda e: e.speaker.type == "anonymous")

    # -- result ------------------------------------------------------------------------------
    def quotes(self) -> list[Quote]:
        seen: set[tuple[int, int]] = set()
        result = []
        for a in sorted(self.out, key=lambda a: (a.start, -a.end)):
            if (a.start, a.end) in seen or any(
                b.start <= a.start
                and a.end <= b.end
                and (b.start, b.end) != (a.start, a.end)
                and b.kind == "mixed"
                for b in self.out
            ):
                continue
            seen.add((a.start, a.end))
            assert a.entity is not None
            result.append(
                Quote(
                    self.text[a.start : a.end],
                    a.start,
                    a.end,
                    a.kind,
                    a.cue,  # type: ignore[arg-type]
                    a.entity.speaker,
                    self.section_at(a.start),
                )
            )
        return result
