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
4. A paragraph introduced by "X writes:" that has no quotation marks is a block quote; so is
   an interview answer ("A: …" after "Q: …", the interviewee's) and a forum post quoted under
   "Originally Posted by X" / "X wrote:".
5. A cue whose clause opens with another cue's speaker only relays ("an aide said the ministry
   had reported that …"): the clause's own cue names the speaker, the relay gives no quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc

from .anonymity import find_anonymity
from .model import Quote, QuoteKind, SectionKind
from .nlp import lexicon as lx
from .nlp.attribution import NOT_LINE_SPEAKERS, Cue, Mention, characterised, described_by, make_mention
from .nlp.quotemarks import MarkedQuote
from .spans import SpanIndex
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
    kind: QuoteKind
    cue: str | None
    entity: Entity | None
    para: int


def _words(text: str) -> int:
    return len(text.split())


# "KORVASH, Kaldora (NL) — ", "BRESK, Tarvia (Northline) - ", "SARNHOLM — " opening a wire story's
# first paragraph is not part of a quote.
_DATELINE = re.compile(r"[A-Z][A-Z .'’-]{1,40}(?:,[^—–\n]{0,40}?)?(?:[—–]| - )\s*")


# An interview transcript: "Q: …" lines are the outlet's questions, "A: …" lines the answers.
_QA_LINE = re.compile(r"(Q|A)\s?:\s")

# A forum's quote header on the line before a quoted post: "Originally Posted by MarnieK", or a
# handle alone with "wrote:" ("tidewatcher wrote:").
_FORUM_QUOTE = re.compile(
    r"(?:(?:Originally Posted by|Quote from|Quoting)\s+(\S{2,40}?)\s*:?|^(\S{2,40}) wrote:)$"
)

# A transcript turn: "MS. ORTA: Thank you.", "Halloran: We will not.", the speaker's label opening the
# paragraph; stage directions inside a turn ("(Laughter.)", "(Inaudible) -") are not the speaker's.
_TURN = re.compile(
    r"(?:(?:M[RS]S?|DR|SEN|REP|GOV|Mr|Ms|Mrs|Dr|Sen|Rep|Gov)\.\s)?"
    r"([A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){0,2}):\s+"
)
_STAGE = re.compile(r"\s*\([A-Z][A-Za-z]+\.?\)\.?(?:\s+[-—–])?\s*")
_FIRST_PERSON = re.compile(r"\b(?:I|my|me|we|our|us)\b", re.IGNORECASE)


def _writer_own(ent: Entity) -> bool:
    """In a blogger's or reader's text, an unnamed document or one the writer saw is their own claim.
    A person the writer knows ("my cousin", "my brother-in-law") is a source of their own."""
    sp = ent.speaker
    if sp.type in ("document", "unknown"):
        return True
    phrase = sp.description or sp.name or ""
    return sp.type not in ("person", "anonymous") and bool(_FIRST_PERSON.search(phrase))


def _after_word(text: str, at: int) -> bool:
    """Does a word of the writer's sentence stand right before the mark at ``at``?"""
    before = text[max(0, at - 40) : at].rstrip(" \t")
    return bool(before) and before[-1].isalnum()


_TITLE_SMALL_WORDS = frozenset("the of and a an in on for to at".split())


def _a_title(inner: str) -> bool:
    """A few words, each capitalised (small words aside) or all capitals, ending in a comma or none,
    or two or more such words ending in a period ("Meet the Press."): a name or title."""
    words = inner.rstrip(",.").split()
    if inner.endswith(("?", "!")) or (inner.endswith(".") and len(words) < 2):
        return False
    return all(
        w[:1].isupper() or not w[:1].isalpha() or (i and w in _TITLE_SMALL_WORDS) for i, w in enumerate(words)
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    m = _DATELINE.match(text, start, min(end, start + 90))
    if m:
        start = m.end()
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return start, end


def _full_name(ent: Entity) -> bool:
    """A person named by first name and surname ("Carl Berg"; not "Svetlana A.")."""
    words = (ent.speaker.name or "").split() if ent.speaker.type == "person" else []
    return len(words) > 1 and len(words[-1].rstrip(".")) > 1


def _opens_sentence(text: str, q: MarkedQuote, u: Unit) -> bool:
    """Does the quotation start its unit, or a sentence inside it?"""
    before = text[u.start : q.open_at].rstrip()
    return not before or before.endswith((".", "!", "?", ":"))


_PRESENT_TAGS = frozenset({"VBZ", "VBP"})
_PRESENT_MODALS = lx.EN.words("present_modals")
# Neutral reporting verbs in the past, as a summary in reported speech uses them ("X stated that").
_BRIEFING_CUES = lx.EN.words("briefing_forms")
_NARRATOR_VERBS = lx.SPEECH_VERBS | lx.EN.words("narrator_verbs")


def _backshifted(doc: Doc) -> bool:
    """A sentence in past tense throughout (no present-tense finite verb), no first or second
    person: the form of reported speech that goes on without a tag."""
    past = False
    for t in doc:
        lemma = t.lemma_.lower()
        negated = any(c.dep_ == "neg" for c in t.children)
        narrator = lemma in _NARRATOR_VERBS or (negated and lemma in ("reach", "contact"))
        if t.pos_ in ("VERB", "AUX") and narrator:
            return False  # "The ministry did not say …", "X could not verify the claim": the reporter
        pronoun_subject = t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in ("he", "she", "they")
        if pronoun_subject or t.ent_type_ == "PERSON":
            return False  # "She found out from a group chat": the story goes on about its people
        if t.tag_ in _PRESENT_TAGS or (t.tag_ == "MD" and t.lower_ in _PRESENT_MODALS):
            return False
        if t.tag_ == "PRP" and _FIRST_PERSON.fullmatch(t.text):
            return False
        if t.lower_ in ("you", "your"):
            return False
        past = past or t.tag_ == "VBD" or (t.tag_ == "MD" and t.lower_ in ("would", "could", "might"))
    return past


def _relays(cue: Cue, cues: list[Cue]) -> bool:
    """ "An aide said the ministry had reported that …", "According to a statement, the ministry
    said …": the clause opens with another cue's speaker and holds that cue's content, so this cue
    only relays; the original speaker is the quote's speaker (labelling rule on relay chains)."""
    assert cue.content is not None
    lo, hi = cue.content
    for other in cues:
        if other is cue or other.content is None or other.speaker is None or other.kind == "source":
            continue
        at = other.speaker.extent[0] if other.speaker.extent else other.speaker.start
        if lo <= at <= lo + 4 and lo <= other.content[0] and other.content[1] <= hi:
            return True
    return False


class _LazyEntities(dict):
    """Resolve a cue's speaker only when the cue is used, so that a cue-like verb that reports
    nothing ("deaths confirmed by a coroner") does not become a pronoun's antecedent."""

    def __init__(self, asm: QuoteAssembler, base: int) -> None:
        super().__init__()
        self.asm, self.base = asm, base
        self.cues: dict[int, Cue] = {}
        # Cues sharing a speaker phrase ("wrote that A and that B") are one mention, one entity.
        self._by_span: dict[tuple[int, int], Entity | None] = {}

    def __missing__(self, key: int) -> Entity | None:
        cue = self.cues[key]
        if cue.speaker is None:
            ent = None
        else:
            span = (cue.speaker.start, cue.speaker.end)
            if span not in self._by_span:
                self._by_span[span] = self.asm._entity(cue, self.base)
            ent = self._by_span[span]
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
        self._qa_start: int | None = None  # offset of the first "Q:" line of an interview
        self._question: tuple[int, int] | None = None  # span of the current "Q:" line
        self._interviewee: Entity | None = None
        self._last_turn: tuple[Entity, str, int] | None = None  # speaker, label, paragraph of a turn
        self._prev_unit: tuple[int, int, int] | None = None  # start, end, paragraph of the last unit
        self._report_src: tuple[Entity, str, int] | None = None  # an indirect report that may run on

    # -- helpers -----------------------------------------------------------------------------
    def _entity(self, cue: Cue, base: int) -> Entity | None:
        if cue.speaker is None:
            return None
        q = self._question
        if q is not None and q[0] <= base < q[1] and cue.speaker.head_lemma == "you":
            return self._answerer()  # "Q: You say you count every climber twice."
        return self.registry.resolve(cue.speaker, base)

    def _answerer(self) -> Entity | None:
        """The interviewee: the person the introduction named last before the first question."""
        if self._interviewee is None and self._qa_start is not None:
            self._interviewee = self.registry.recent(
                self._qa_start, lambda e: e.speaker.type == "person" and bool(e.speaker.name)
            )
        return self._interviewee

    def _unknown_label(self, cue: Cue) -> bool:
        """ "Harbour: …" is a topic label, "Velna: …" a town; "Kestrel: …" names the senator the
        article quotes: a line label read as a person counts only for a person named elsewhere."""
        sp = cue.speaker
        if cue.kind != "intro" or cue.cue != ":" or sp is None or sp.kind != "name" or sp.type != "person":
            return False
        return not self.registry.knows_person(sp.name or sp.text)

    def _add(
        self, start: int, end: int, kind: QuoteKind, cue: str | None, ent: Entity | None, para: int
    ) -> None:
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
        cues = [c for c in cues if not self._unknown_label(c)]
        ents = _LazyEntities(self, base)
        ents.cues = {id(c): c for c in cues}
        self._anonymity(u, cues, ents)
        self._note_subject(u, cues)
        used: set[int] = set()
        produced = len(self.out)
        for cue in cues:
            if cue.back:
                self._back_reference(cue, ents, u)
            if cue.content is None or cue.kind == "source":
                continue
            ent = ents[id(cue)]
            if ent is None:
                continue
            if _relays(cue, cues):
                ent.used = True  # the relay ("via"): the clause's own cue gives the original speaker
                continue
            c_lo, c_hi = base + cue.content[0], base + cue.content[1]
            at = base + cue.cue_start  # a cue inside a quoted news passage: that passage encloses it
            inner = [
                q
                for q in marked
                if q.open_at < c_hi and (q.close_at or q.end) >= c_lo and not q.start <= at < q.end
            ]
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
        self._prev_unit = (u.start, u.end, u.para)
        self._follow_report(u, cues, marked, produced)

    def _follow_report(self, u: Unit, cues: list[Cue], marked: list[MarkedQuote], produced: int) -> None:
        """Reported speech that runs on: "X said that A. B. C." in a summary written in indirect
        speech throughout (a briefing note, minutes) keeps X for B and C (labelling rule: a quote
        that runs on without a new tag keeps its speaker). Only a sentence with no cue and no
        quotation, in the same paragraph, in backshifted past tense with no present-tense verb
        and no first or second person, continues the report."""
        src = self._report_src
        self._report_src = None
        new = self.out[produced:]
        end = u.start + len(self.text[u.start : u.end].rstrip().rstrip(".!?"))
        if new:
            last = new[-1]
            if src is not None and src[2] == u.para and all(a.entity is src[0] for a in new):
                self._report_src = src  # "A, informed Ms. Lund, and B": the same report goes on
            elif last.kind == "indirect" and last.end >= end - 1 and last.cue and last.entity is not None:
                # "X said that A", the tag in the past and before the clause, which runs to the
                # sentence end: the form that summaries in reported speech keep up.
                between = self.text[u.start : last.start]
                verb = last.cue.split(" ")[0]
                if verb.lower() in _BRIEFING_CUES and re.search(rf"\b{re.escape(verb)} that\s*$", between):
                    self._report_src = (last.entity, last.cue, u.para)
            return
        if src is None or src[2] != u.para or cues or marked or u.doc is None:
            return
        if not _backshifted(u.doc):
            return
        ent, cue_text, _ = src
        lo, hi = _trim(self.text, u.start, end)
        if _words(self.text[lo:hi]) >= _MIN_INDIRECT_WORDS:
            self._add(lo, hi, "indirect", cue_text, ent, u.para)
            self._report_src = src

    def _back_reference(self, cue: Cue, ents: dict, u: Unit) -> None:
        """ "That's according to an agency count." attributes the sentence before it, unless that
        sentence is already someone's quote (then the count only relays it)."""
        prev = self._prev_unit
        ent = ents[id(cue)]
        if prev is None or ent is None or u.para - prev[2] > 1:
            return
        lo, hi = prev[0], prev[1]
        if any(a.start < hi and lo < a.end for a in self.out):
            return
        hi = lo + len(self.text[lo:hi].rstrip().rstrip(".!"))
        if _words(self.text[lo:hi]) >= _MIN_INDIRECT_WORDS:
            self._add(lo, hi, "indirect", cue.cue, ent, prev[2])

    def _note_subject(self, u: Unit, cues: list[Cue]) -> None:
        """ "My sister works in the pharmacy. She says …": a person described as the subject of a
        sentence that reports nothing is still the likeliest referent of the next "she"."""
        if u.doc is None:
            return
        spoken = {c.speaker.start for c in cues if c.speaker is not None}
        for sent in u.doc.sents:
            subj = next((c for c in sent.root.children if c.dep_ == "nsubj"), None)
            if subj is None or subj.pos_ != "NOUN" or subj.idx in spoken:
                continue
            if subj.lemma_.lower() in lx.PERSON_NOUNS or subj.lower_ in lx.PERSON_NOUNS:
                m = make_mention(subj)
                if m.start not in spoken:
                    self.registry.resolve(m, u.start)

    def _direct(self, q: MarkedQuote, cues: list[Cue], ents: dict, u: Unit, base: int) -> None:
        inner = self.text[q.start : q.end].strip()
        if _words(inner) < _MIN_DIRECT_WORDS and not inner.endswith((".", ",", "?", "!")):
            return  # a scare quote or a quoted term ("thugs", "partial mobilization")
        if _words(inner) < _MIN_DIRECT_WORDS and _a_title(inner) and _after_word(self.text, q.open_at):
            # 'on the show “Morning Watch,”': a title with the comma American style puts inside
            # (one opening a sentence is said: '“Fine,” said Ada Berg.')
            return
        if _words(inner) < _MIN_DIRECT_WORDS and inner.endswith(",") and _after_word(self.text, q.open_at):
            return  # 'called it the “silver standard,” which …': a term inside the writer's sentence
        if u.doc is not None and characterised(u.doc, q.start - base, q.end - base):
            return  # 'called the figure “painful but not a surprise”': a label, not speech
        close = q.close_at if q.close_at is not None else q.end
        best: tuple[int, Cue] | None = None
        for cue in cues:
            if cue.kind in ("source", "figure"):  # figure cues report no words
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
        elif prev is not None and (q.continues or _opens_sentence(self.text, q, u)):
            # A quote running on opens its sentence; a fragment inside the article's own sentence
            # ('the dead are “the fallen of the frontier”') is a term, not more of that speech.
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
        if self._qa(para, lo, hi) or self._forum_quote(para, lo, hi) or self._turn(para, lo, hi):
            return True
        intro = self._intro
        if intro is None or intro[2] != para - 1 or has_marks:
            return False
        if self.text[lo:hi].rstrip().endswith(":"):
            return False
        ent, cue_text, _ = intro
        self._add(lo, hi, "direct", cue_text, ent, para)
        return True

    def _turn(self, para: int, lo: int, hi: int) -> bool:
        """A transcript turn ("MR. HALLORAN: …") of a person the article names is a direct quote of
        them, one entry per part between stage directions (like an interview answer)."""
        m = _TURN.match(self.text, lo, hi)
        last, self._last_turn = self._last_turn, None
        if m is None and last is not None and last[2] == para - 1 and self.text[lo] not in "([":
            # A turn that runs on into the next paragraph without a new label keeps its speaker.
            self._last_turn = last
            self._add(lo, hi, "direct", last[1], last[0], para)
            return True
        if m is None or para == 0 or self.section_at(lo) == "headline":
            return False
        label = m.group(1)
        if re.search(r"[’']s\b", label) or label.split()[-1].lower() in NOT_LINE_SPEAKERS:
            return False  # "Editor’s Note: …", "Update: …" label the text, they name no speaker
        name = label.title() if label.isupper() else label
        if not self.registry.knows_person(name):
            return False  # "QUESTION: …", "Update: …": no one the article names
        at = m.start(1)
        mention = Mention(at, at + len(label), name, "name", "person", name=name, head_lemma=name.lower())
        ent = self.registry.resolve(mention, 0)
        if ent is None:
            return False
        pos = m.end()
        self._last_turn = (ent, self.text[lo : m.end()].strip(), para)
        for stage in [*_STAGE.finditer(self.text, pos, hi), None]:
            end = stage.start() if stage is not None else hi
            if _words(self.text[pos:end]) >= 2:
                self._add(pos, end, "direct", self.text[lo : m.end()].strip(), ent, para)
            pos = stage.end() if stage is not None else hi
        return True

    def _forum_quote(self, para: int, lo: int, hi: int) -> bool:
        """A post quoted under "Originally Posted by X" is a direct quote of X. The header line is
        page furniture (never a paragraph of its own), so it is read from the raw text above."""
        above = self.text.rfind("\n", 0, max(0, lo - 1))
        line = self.text[above + 1 : lo].rstrip()
        m = _FORUM_QUOTE.search(line) if len(line) < 80 else None
        g = 1 if m is not None and m.group(1) else 2
        if m is None or m.group(g).lower() in lx.PRONOUNS:
            return False  # "He wrote:" is an introducing line, resolved like any other cue
        at, handle = above + 1 + m.start(g), m.group(g)
        mention = Mention(
            at, at + len(handle), handle, "name", "person", name=handle, head_lemma=handle.lower()
        )
        ent = self.registry.resolve(mention, 0)
        if ent is None:
            return False
        self._add(lo, hi, "direct", "wrote" if g == 2 else "Originally Posted by", ent, para)
        return True

    def _qa(self, para: int, lo: int, hi: int) -> bool:
        """An interview answer ("A: …" after a "Q: …" line) is a direct quote of the interviewee,
        like a block quote after "writes:"; the whole answer is theirs, nested speakers included."""
        m = _QA_LINE.match(self.text, lo, hi)
        self._question = None
        if m is None:
            return False
        if m.group(1) == "Q":
            self._qa_start = lo if self._qa_start is None else self._qa_start
            self._question = (lo, hi)
            return False
        ent = self._answerer()
        if ent is None:
            return False
        self._add(m.end(), hi, "direct", "A:", ent, para)
        return True

    def _anonymity(self, u: Unit, cues: list[Cue], ents: dict) -> None:
        """Attach stated anonymity (and its reason) to the source it describes."""
        for cue in cues:  # "citing security sources": an unnamed source with no quote of its own
            if cue.kind == "source" and cue.speaker is not None and cue.speaker.type == "anonymous":
                ent = ents[id(cue)]
                if ent is not None:
                    ent.used = True
        for st in find_anonymity(self.text[u.start : u.end]):
            if st.reason and self._collective(u, st.start, st.reason, st.reason_start):
                continue
            target = self._anonymity_target(u, st.start, cues, ents)
            if target is None or (st.name is None and _full_name(target)):
                continue  # a source with a full name is not anonymous, whatever a clause near it says
            if st.name and target.speaker.name is None:
                # "gave only her first name, Dana": a person, and an anonymous source all the same
                target.speaker.name, target.speaker.type = st.name, "person"
            elif target.speaker.name is None:
                target.speaker.type = "anonymous"
            target.used = True
            known = self.reasons.get(id(target))
            if known is None or (known[0] is None and st.reason):
                self.reasons[id(target)] = (st.reason, u.start + st.start, u.start + st.end)

    def _collective(self, u: Unit, at: int, reason: str, reason_at: int | None) -> bool:
        """ "All officials spoke on condition of anonymity because …", "Both spoke …": a statement
        about every unnamed source cited so far gives each of them the reason."""
        sent = re.split(r"(?<=[.!?])\s+", self.text[u.start : u.start + at])[-1].lower().split()
        if (
            not sent
            or len(sent) > 6
            or not (
                sent[0] in ("all", "both", "each") or (sent[0] == "they" and sent[1:2] in (["all"], ["both"]))
            )
        ):
            return False
        before = u.start + at
        unnamed = [
            e
            for e in self.registry.entities
            if e.used and e.speaker.type == "anonymous" and 0 <= e.last < before
        ]
        if sent[0] == "both" or sent[1:2] == ["both"]:
            unnamed = sorted(unnamed, key=lambda e: e.last)[-2:]
        if not unnamed:
            return False
        span = (u.start + (reason_at or at), u.start + (reason_at or at) + len(reason))
        for ent in unnamed:
            known = self.reasons.get(id(ent))
            if known is None or known[0] is None:
                self.reasons[id(ent)] = (reason, *span)
        return True

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
        self.registry.merge_descriptions()
        seen: set[tuple[int, int]] = set()
        result = []
        mixed = SpanIndex((b for b in self.out if b.kind == "mixed"), lambda b: b.start, lambda b: b.end)
        for a in sorted(self.out, key=lambda a: (a.start, -a.end)):
            if (a.start, a.end) in seen or any(
                (b.start, b.end) != (a.start, a.end)
                and (a.kind == "direct" or a.entity is b.entity)  # another speaker's claim stays
                for b in mixed.containing(a.start, a.end)
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
                    a.cue,
                    a.entity.speaker,
                    self.section_at(a.start),
                )
            )
        return result
