"""Quotes in Russian and Ukrainian: marks, dash dialogue, speech verbs, «по словам X», blocks.

Direct: «…», „…“, “…”, "…" (nested marks stay inside), after a dash tag («…», — сказал он), a
colon («X заявил: «…»»), or a whole clause after «что» inside marks; a line without marks followed
by a line «– пояснює він.»; a block of lines after «Вот что пишет X» or a line ending with a cue
and a colon. Indirect: the clause after «заявил, что», «за словами X,», «как сообщает X,», a
trailing «…, заявил X.», «Об этом сообщил X» (the sentence before), «заявив про …» (the object
carries the claim), «закликав + infinitive», an attribution in parentheses after a figure, and a
following sentence that goes on without a new cue. Mixed: a reported clause with marks inside.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from .. import lexicons
from ..deadline import Deadline
from ..model import Quote, QuoteKind, Speaker
from .lexicon import load
from .numbers import find_numbers
from .speakers import Entry, Registry, _case_like, name_part, phrase_is_name_like, verb_agreement
from .syntax import Parse, parse, parse_many
from .tokens import Paragraph, Sentence, Token

_OPEN_CLOSE = lexicons.load("common").names("quote_pairs")
_LIST_MARKER = re.compile(r"^[-–—•*]\s+")
_DASH_TAG = re.compile(r"^\s*[,!?.…]*\s*[—–-]\s*")
_END_PUNCT = " \t\n.!?…;"
_VERB_FORMS = ("VERB", "GRND")
#: Words before a source named in parentheses: «(по данным ООН)», «(за даними ООН)».
_SOURCE_LEAD = frozenset({"по", "за", "данным", "даними", "согласно", "згідно"})
#: Prepositions of «В Минобороны заявили», «сообщили в пресс-службе», «у відомстві».
_PLACE_PREPS = frozenset({"в", "во", "у"})
#: «…, і додав, що …», «…, а также отметил, что …»: a second speech verb inside a reported clause.
_CONJOINED = re.compile(r",?\s+(?:и|і|й|та|а также|а також)\s+([^\W\d_]+),?\s+(?:что|що)\s+")
#: Relative pronouns (lemmas) that open a clause describing a speaker.
_RELATIVE = frozenset({"который", "який", "котрий"})
#: Words that may open a conditional clause before an infinitive whose object is a figure.
_CONDITIONAL = frozenset({"если", "якщо", "коли", "когда", "и", "і", "та", "а"})
#: Longest run of direct-quote lines taken as one block after an introducing line.
MAX_BLOCK_LINES = 20


@dataclass(slots=True)
class Mark:
    """A top-level pair of quotation marks: inner text is ``[start, end)``."""

    open_at: int
    close_at: int

    @property
    def start(self) -> int:
        return self.open_at + 1

    @property
    def end(self) -> int:
        return self.close_at


def pair_marks(text: str, lo: int, hi: int) -> list[Mark]:
    """Top-level pairs of quotation marks in ``text[lo:hi]`` (nested pairs stay inside)."""
    out: list[Mark] = []
    stack: list[tuple[str, int]] = []
    for i in range(lo, hi):
        ch = text[i]
        if ch == '"':
            before = text[i - 1] if i > lo else " "
            after = text[i + 1] if i + 1 < hi else " "
            if stack and stack[-1][0] == '"' and not before.isspace():
                _, at = stack.pop()
                if not stack:
                    out.append(Mark(at, i))
            elif not after.isspace():
                stack.append(('"', i))
            continue
        if stack and _OPEN_CLOSE.get(stack[-1][0]) == ch:
            _, at = stack.pop()
            if not stack:
                out.append(Mark(at, i))
        elif ch in _OPEN_CLOSE:
            stack.append((ch, i))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    # whitespace, and emoji or other symbols that open a post («⚡️Окупанти …»)
    while a < b and (text[a] in " \t\n" or unicodedata.category(text[a]) in ("So", "Sk", "Mn", "Cf")):
        a += 1
    while b > a and text[b - 1] in _END_PUNCT:
        b -= 1
    return a, b


class QuoteFinder:
    """Finds the quotes of one document, resolving speakers through a :class:`Registry`."""

    def __init__(self, text: str, lang: str, paras: list[Paragraph], registry: Registry, section_at,
                 deadline: Deadline | None = None) -> None:
        self.text, self.lang, self.paras, self.reg = text, lang, paras, registry
        self.section_at = section_at
        lex = load(lang)
        self.speech = lex.words("speech_verbs")
        self.object_verbs = lex.words("speech_verbs_object")
        self.inf_verbs = lex.words("speech_verbs_infinitive")
        self.estimate_verbs = lex.words("speech_verbs_estimate")
        self.doc_verbs = lex.words("document_verbs")
        self.quoting = lex.words("quoting_verbs")
        self.all_verbs = self.speech | self.object_verbs | self.inf_verbs | self.doc_verbs
        self.all_verbs |= self.estimate_verbs | self.quoting
        self.sources = lex.words("source_nouns") | lex.words("anaphoric_nouns") | lex.words("office_nouns")
        self.pronouns = lex.words("pronouns_masc") | lex.words("pronouns_fem") | lex.words("pronouns_plur")
        self.anonymity = lex.phrases("anonymity_phrases")
        self.impersonal = lex.words("impersonal")
        self.openers = lex.phrases("clause_openers")
        self.according = lex.phrases("according_to")
        self.refer_back = lex.phrases("refer_back")
        self.block_openers = lex.phrases("block_openers")
        self.own = lex.words("own_reporter")
        self.documents = lex.words("document_nouns")
        self.publishing = lex.words("publishing_verbs")
        self.transitions = lex.phrases("reporter_transitions")
        self.told = lex.words("told_nouns")
        self.credits = lex.words("credit_labels")
        self.channels = lex.words("channel_nouns")
        self.org_anaphora = lex.words("institution_anaphora")
        self.time_units = lex.words("time_units")
        self.quotes: list[Quote] = []
        self.entries: dict[int, Entry] = {}  # id(Quote) → speaker entry
        self.marks = {n: pair_marks(text, p.start, p.end) for n, p in enumerate(paras)}
        self.deadline = deadline
        self.done = 0  # paragraphs looked at by :meth:`find`
        self.later: list[int] = []  # headline paragraphs attributed after the body
        self.acts: list[Speaker] = []  # unnamed subjects of speech verbs, with or without a quote
        if lang == "ru":  # parse every sentence the passes may ask about, in batches
            parse_many(text, [(s.start, s.end) for p in paras for s in p.sentences if self._may_parse(s)],
                       deadline)

    def _may_parse(self, s: Sentence) -> bool:
        """Will a pass parse ``s``: does it hold a speech verb or open with «по словам», «как»?"""
        if any(self._cue(t) for t in s.tokens):
            return True
        low = " ".join(t.lower for t in self.reg.strip(list(s.tokens), pp=False)[:4])
        return any(low.startswith(ph.split(" … ")[0]) for ph in self.according)

    # --- helpers -------------------------------------------------------------------------------

    def _in_marks(self, n: int, pos: int) -> bool:
        return any(m.open_at <= pos <= m.close_at for m in self.marks[n])

    def _cue(self, t: Token) -> str | None:
        """The lemma of a speech verb (finite verb or gerund) ``t`` is, if any."""
        for p in t.readings:
            if p.tag.POS in _VERB_FORMS and p.normal_form in self.all_verbs:
                return p.normal_form
        return None

    def _covered(self, a: int, b: int) -> bool:
        return any(q.start < b and a < q.end for q in self.quotes)

    def _emit(self, a: int, b: int, kind: QuoteKind, cue: str | None, entry: Entry | None) -> Quote | None:
        a, b = _trim(self.text, a, b)
        if entry is None or b - a < 2 or self._covered(a, b):
            return None
        if kind == "direct" and self.text[b : b + 1] in ".!?…" and not self._any_mark_at(b):
            b += 1  # a direct quote keeps its closing punctuation when no mark follows
        q = Quote(self.text[a:b], a, b, kind, cue, entry.speaker, self.section_at(a))
        self.quotes.append(q)
        self.entries[id(q)] = entry
        return q

    def _any_mark_at(self, b: int) -> bool:
        return self.text[b : b + 1] in "»“”\""

    def _parse(self, sent: Sentence) -> Parse | None:
        return parse(self.text, sent.start, sent.end) if self.lang == "ru" else None

    def _subject(self, sent: Sentence, vi: int, parsed: Parse | None) -> Entry | None:
        """The speaker of the speech verb ``sent.tokens[vi]``: syntax (Russian), else word order."""
        verb = sent.tokens[vi]
        if self._cue(verb) in self.doc_verbs:
            return self._document_speaker(sent, vi)
        if self._cue(verb) in self.quoting:  # «Видання цитує міністра …»: the one quoted speaks
            right = self._right_phrase(sent, vi)
            return self.reg.resolve(right, None, parsed) if right else None
        if parsed is not None:
            entry = self._syntax_subject(sent, vi, parsed)
            if entry is not None and self._common_noun_org(entry):
                # «Похожие истории рассказывают семьи …»: object first; people after the verb speak
                right = self._right_phrase(sent, vi)
                groups = self.reg.groups
                if any(t.has("NOUN", "nomn") and (t.has("anim") or t.lemmas() & groups) for t in right):
                    entry = self.reg.resolve(right, verb, parsed) or entry
            if entry is not None:
                return entry
        entry = self._place_speaker(sent, vi)
        if entry is not None:
            return entry
        left = self._left_phrase(sent, vi)
        right = self._right_phrase(sent, vi)
        for side in self._order(left, right, verb):
            entry = self.reg.resolve(side, verb, parsed)
            if entry is not None:
                return entry
        lead = self._lead_phrase(sent, vi)
        return self.reg.resolve(lead, verb, parsed) if lead else None

    def _place_speaker(self, sent: Sentence, vi: int) -> Entry | None:
        """«В Минобороны заявили, что …», «…, сообщили в пресс-службе мэрии», «Как уточнили в
        ведомстве, …»: a plural speech verb without a subject, next to в/у + an institution, is that
        institution speaking (put in the nominative; «в ведомстве» alone is the one named before)."""
        toks, verb = sent.tokens, sent.tokens[vi]
        if verb_agreement(verb)[1] is not True:
            return None
        phrase: list[Token] = []
        k = vi - 1
        while k >= 0 and vi - k <= 6 and toks[k].lower not in _PLACE_PREPS:
            k -= 1
        if k >= 0 and toks[k].lower in _PLACE_PREPS and not self._punct_between(toks[k], verb):
            phrase = toks[k + 1 : vi]
            # «В Москве эксперты заявили»: a nominative subject of its own
            if any(t.has("NOUN", "nomn", "plur") and not t.has("loct") for t in phrase):
                return None
        else:
            j = vi + 1  # an addressee may come first: «сообщили журналистам в штабе»
            while j < len(toks) and j - vi <= 3 and toks[j].lower not in _PLACE_PREPS and toks[j].has("datv"):
                j += 1
            if j < len(toks) and toks[j].lower in _PLACE_PREPS and not self._punct_between(verb, toks[j]):
                for t in toks[j + 1 :]:
                    if (phrase and self._punct_between(phrase[-1], t)) or t.lower in self.openers:
                        break
                    if t.best_has("VERB") or t.has("PREP"):
                        break
                    phrase.append(t)
        head = next((i for i, t in enumerate(phrase) if _institution_word(t)), None)
        if head is None:
            return None
        phrase = phrase[: head + 1] + list(
            itertools.takewhile(lambda t: t.has("gent") or t.text.isupper(), phrase[head + 1 :])
        )
        lemmas = phrase[head].lemmas()
        if lemmas & (self.channels | self.documents | self.time_units):
            return None  # «заявили в интервью», «говорится в заявлении», «сообщили в пятницу»
        if len(phrase) == 1 and lemmas & self.org_anaphora:
            e = self.reg.last(None, None, ("organization",))
            if e is not None:
                return self.reg.mention(e, (phrase[0].start, phrase[0].end))
        name = self.reg.nominative_phrase(phrase, case="loct")
        end = phrase[-1].end
        called = re.match(r"\s*«[^«»]{1,60}»", self.text[end : sent.end])
        if called:  # «в компании «Корвашэнерго»»: the name in marks goes with it
            name, end = name + self.text[end : end + called.end()], end + called.end()
        heads = frozenset(lemmas)
        return self.reg.other(name, "organization", (phrase[0].start, end), None, True, heads)

    @staticmethod
    def _common_noun_org(entry: Entry) -> bool:
        """An «organisation» that is only lower-case common nouns («Похожие истории»): a guess."""
        words = (entry.speaker.name or "").split()
        return entry.speaker.type == "organization" and bool(words) and all(
            w.islower() for w in words[1:]
        ) and not any(c in (entry.speaker.name or "") for c in "«\"")

    def _punct_between(self, a: Token, b: Token) -> bool:
        return any(c in self.text[a.end : b.start] for c in ",;:.!?—–()«»\"“”")

    def _lead_phrase(self, sent: Sentence, vi: int) -> list[Token]:
        """The words that open the sentence before its first verb, parentheses left out: the
        subject of a gerund or of a verb set off by commas («Игорь (…) позвонил, уточнив, что»)."""
        out: list[Token] = []
        depth = 0
        pos = sent.start
        for t in sent.tokens[:vi]:
            gap = self.text[pos : t.start]
            depth += gap.count("(") - gap.count(")")
            pos = t.end
            if depth > 0:
                continue
            if out and "," in gap:
                break
            if t.best_has("VERB") or t.best_has("GRND"):
                break
            out.append(t)
        return out

    def _order(self, left: list[Token], right: list[Token], verb: Token) -> list[list[Token]]:
        """Left phrase first when it holds a nominative word that agrees with the verb."""
        _g, plural = verb_agreement(verb)

        def fits(toks: list[Token]) -> bool:
            for t in self.reg.strip(list(toks)):
                nominal = t.has("nomn") and (t.has("NOUN") or t.has("NPRO") or t.has("ADJF"))
                agrees = plural is None or t.has("plur" if plural else "sing") or (plural and len(toks) > 2)
                if nominal and agrees:
                    return True
            return False

        sides = [s for s in (left, right) if s]
        return sorted(sides, key=lambda s: (not fits(s), s is not left))

    def _syntax_subject(self, sent: Sentence, vi: int, parsed: Parse) -> Entry | None:
        k = parsed.index_at(sent.tokens[vi].start)
        if k is None:
            return None
        for _ in range(3):  # a gerund or a conjoined verb takes the subject of its head
            subs = parsed.children(k, "nsubj", "nsubj:pass")
            if subs:
                break
            if parsed.tokens[k].rel in ("advcl", "conj", "xcomp") and parsed.tokens[k].head >= 0:
                k = parsed.tokens[k].head
            else:
                return None
        else:
            return None
        vfeats = parsed.tokens[k].feats
        subs.sort(key=lambda j: parsed.tokens[j].feats.get("Gender") != vfeats.get("Gender"))
        j = subs[0]
        lo, hi = parsed.subtree(j)
        # An apposition after a comma («его мама, жительница Екатеринбурга») is not the name.
        for m in range(j + 1, hi + 1):
            if parsed.tokens[m].text == ",":
                hi = m - 1
                break
        a, b = parsed.tokens[lo].start, parsed.tokens[hi].end
        toks = [t for t in sent.tokens if a <= t.start and t.end <= b]
        if not toks:
            return None
        return self.reg.resolve(toks, sent.tokens[vi], parsed)

    def _left_phrase(self, sent: Sentence, vi: int) -> list[Token]:
        toks = sent.tokens
        k = vi
        while k > 0:
            gap = self.text[toks[k - 1].end : toks[k].start]
            stop = any(c in gap for c in ",;:—–()«»\"“”") or self._cue(toks[k - 1])
            if stop or toks[k - 1].lower in self.openers:
                break
            k -= 1
        return toks[k:vi]

    def _right_phrase(self, sent: Sentence, vi: int) -> list[Token]:
        toks = sent.tokens
        out: list[Token] = []
        seen_noun = False
        for k in range(vi + 1, len(toks)):
            gap = self.text[toks[k - 1].end : toks[k].start]
            if k == vi + 1 and gap.strip() in ("«", "„", "\"", "“"):
                # «сообщает «Интерфакс»», «як повідомляв «Укрінформ»»: a name in marks
                close = _OPEN_CLOSE.get(gap.strip(), gap.strip())
                end = self.text.find(close, toks[k].start, sent.end)
                if end < 0:
                    break
                if toks[k].has("datv") and not toks[k].has("nomn"):
                    # «розповіли «Вечірньому Корвашу» два джерела»: an addressee; the speaker follows
                    rest = [t for t in toks[k:] if t.start > end]
                    out = rest[:1]
                    for prev, t in itertools.pairwise(rest):
                        if any(c in self.text[prev.end : t.start] for c in ",;:.!?—–()«»\"“”"):
                            break
                        out.append(t)
                    return out
                return [t for t in toks[k:] if t.end <= end]
            if any(c in gap for c in ",;:.!?—–()«»\"“”") or toks[k].lower in self.openers:
                break
            if seen_noun and toks[k].has("PREP"):
                break
            out.append(toks[k])
            seen_noun = seen_noun or toks[k].has("NOUN") or toks[k].has("NPRO") or toks[k].has("LATN")
        return out

    def _opener_after(self, sent: Sentence, vi: int) -> int | None:
        """Offset where the reported clause starts after «заявил, что» / «рассказал журналистам, что»."""
        verb = sent.tokens[vi]
        rest = self.text[verb.end : sent.end]
        for ph in self.openers:
            # an addressee may be a name in marks: «рассказала «Укрінформу», що …»
            m = re.match(r"((?:[^.!?;«»\"]|«[^«»]{1,40}»)*?)(?:,\s*|\s+)" + re.escape(ph) + r"(?=[\s«\"„“:])",
                         rest, re.I)
            if m and len(m.group(1)) > 60:
                continue
            if m and (m.group(1) == "" or "," in self.text[verb.end : verb.end + m.end()]):
                return verb.end + m.end()
        return None

    # --- passes --------------------------------------------------------------------------------

    def find(self) -> list[Quote]:
        skip: set[int] = set()
        for n, p in enumerate(self.paras):
            if self.deadline is not None and self.deadline.expired():
                break  # out of time: keep the quotes of the paragraphs done
            self.done = n + 1
            if n in skip:
                continue
            self._marked(n, p)
            self._dash_tag_line(n, p)
            self._dialogue(n, p)
            if self._is_headline(n, p) and self._headline(n, p):
                continue
            runon: tuple[Entry, str] | None = None
            for s in p.sentences:
                before = len(self.quotes)
                runon = self._sentence(n, s, runon)
                if len(self.quotes) == before and not self._covered(s.start, s.end):
                    self._observe(n, s)
            skip |= self._block_after(n, p)
        for n in self.later:
            self._headline(n, self.paras[n], last=True)
        self.quotes.sort(key=lambda q: q.start)
        return self.quotes

    def _observe(self, n: int, s: Sentence) -> None:
        """A named person in the nominative in a sentence without a quote («Пресс-секретарь Дмитрий
        Костин отказался …») is who a following «он» or «пресс-секретарь» may refer to."""
        toks = s.tokens
        for i, t in enumerate(toks):
            if not (t.is_upper_initial and t.has("Name", "nomn")) or self._in_marks(n, t.start):
                continue
            j = i
            while j + 1 < len(toks) and j - i < 2 and name_part(toks[j + 1]):
                j += 1
            if j == i:
                continue  # a first name alone may be a word («Вера», «Надежда»)
            gender = "femn" if t.best_has("femn") else "masc" if t.best_has("masc") else None
            role = self.reg.strip(toks[max(0, i - 4) : i])
            role = [r for r in role if r.has("NOUN") or r.has("ADJF")]
            name = self.text[t.start : toks[j].end]
            entry = self.reg.person(name, None, (t.start, toks[j].end), gender)
            entry.heads = entry.heads | frozenset(x for r in role if r.has("NOUN") for x in r.lemmas())
            return

    def _is_headline(self, n: int, p: Paragraph) -> bool:
        """The headline section, or a first line that reads like one (short, no final full stop)."""
        if p.section == "headline":
            return True
        line = self.text[p.start : p.end].rstrip("»“”\"")
        words = sum(len(s.tokens) for s in p.sentences)
        return n == 0 and p.section == "body" and words <= 15 and line[-1:] not in ".!?…:"

    def _headline(self, n: int, p: Paragraph, last: bool = False) -> bool:
        """«Глава Корвашской области: «Ситуация под контролем»»: a headline attributed by a colon.
        Its speaker is often named only in the body, so it is resolved after the body (``last``)."""
        m = re.match(r"([^:«»\"]{2,80}):\s+(.+)$", self.text[p.start : p.end])
        if not m or not p.sentences:
            return False
        head_toks = [t for t in p.sentences[0].tokens if t.end <= p.start + m.end(1)]
        if not head_toks or len(head_toks) > 6 or any(self._cue(t) or t.best_has("VERB") for t in head_toks):
            return False
        if len(m.group(2).split()) < 3 or head_toks[0].lemmas() & self.credits:
            return False  # «Автор: Иван Петров», «Фото: …»: a credit line, not a claim
        if not any(_speaker_word(t) for t in self.reg.strip(list(head_toks), pp=False)[:1]):
            return False  # «Паводок в Варенко: …»: a topic, not a speaker
        if not last:
            self.later.append(n)
            return True
        a = p.start + m.start(2)
        b = p.end
        kind: QuoteKind = "indirect"
        if self.text[a] in _OPEN_CLOSE and self.text[b - 1] == _OPEN_CLOSE[self.text[a]]:
            a, b, kind = a + 1, b - 1, "direct"
        offices = frozenset(x for t in head_toks for x in t.lemmas()) & self.reg.offices
        entry = self.reg.last(None, None, ("person",), heads=offices) if offices else None
        if entry is None:
            entry = self.reg.resolve(head_toks, None)
        if entry is not None and entry.speaker.type in ("person", "organization", "document", "anonymous"):
            self._emit(a, b, kind, ":", entry)
        return True

    def _block_after(self, n: int, p: Paragraph) -> set[int]:
        """Lines of a block quote after «Вот что пишет X» or «X зазначив, що …:»; emitted here."""
        if not p.sentences or n + 1 >= len(self.paras):
            return set()
        s = p.sentences[-1]
        head = " ".join(t.lower for t in s.tokens[:3])
        opens = any(head.startswith(b) for b in self.block_openers)
        colon = self.text[p.end - 1] == ":"
        if not (opens or colon):
            return set()
        vi = next((i for i, t in enumerate(s.tokens) if self._cue(t) and not self._in_marks(n, t.start)),
                  None)
        if vi is None:
            return set()
        if colon and not opens and self.text[self.paras[n + 1].start] in "«„“\"":
            return self._marked_after_colon(n, s, vi)
        intro = [q for q in self.quotes if s.start <= q.start and q.end <= p.end]
        if intro:
            entry: Entry | None = self.entries[id(intro[-1])]
            cue = intro[-1].cue
            if colon:  # the introducing clause is the first line of the block: verbatim
                q = intro[-1]
                q.kind, q.end = "direct", p.end
                q.text = self.text[q.start : q.end]
        else:
            entry = self._subject(s, vi, self._parse(s))
            cue = s.tokens[vi].text
        if entry is None:
            return set()
        used: set[int] = set()
        section = self.paras[n + 1].section
        for m in range(n + 1, min(len(self.paras), n + 1 + MAX_BLOCK_LINES)):
            line = self.paras[m]
            if line.section != section or self._is_dash_tag(line):
                break
            head = " ".join(t.lower for t in (line.sentences[0].tokens[:3] if line.sentences else []))
            if any(head == ph or head.startswith(ph + " ") for ph in self.transitions):
                break  # «Напомним, …»: the reporter again
            marker = _LIST_MARKER.match(self.text[line.start : line.end])
            a, b = line.start + (marker.end() if marker else 0), line.end
            if self.text[a] in _OPEN_CLOSE and self.text[b - 1] == _OPEN_CLOSE[self.text[a]]:
                a, b = a + 1, b - 1
            self._emit(a, b, "direct", cue, entry)
            used.add(m)
        return used

    def _marked_after_colon(self, n: int, s: Sentence, vi: int) -> set[int]:
        """«X заявил:» at the end of a line, then the quote in marks on the next line (a quote of
        several paragraphs opens each with «, and closes only at its end)."""
        if self._covered(s.start, s.end) and self.text[s.end - 1] != ":":
            return set()
        entry = self._subject(s, vi, self._parse(s))
        if entry is None:
            return set()
        used: set[int] = set()
        for m in range(n + 1, min(len(self.paras), n + 1 + MAX_BLOCK_LINES)):
            line = self.paras[m]
            opener = self.text[line.start]
            if opener not in _OPEN_CLOSE and opener != '"':
                break
            close = _OPEN_CLOSE.get(opener, '"')
            tail = re.search(re.escape(close) + r"[.,;]?$", self.text[line.start + 1 : line.end])
            closed = tail is not None
            b = line.start + 1 + tail.start() if tail else line.end
            self._emit(line.start + 1, b, "direct", s.tokens[vi].text, entry)
            used.add(m)
            if closed:
                break
        return used

    def _is_dash_tag(self, p: Paragraph) -> bool:
        s = p.sentences[0] if p.sentences else None
        return bool(
            s
            and s.tokens
            and re.match(r"[—–-]\s", self.text[p.start : p.start + 2])
            and self._cue(s.tokens[0])
            and len(p.sentences) == 1
            and len(s.tokens) <= 8
        )

    def _dash_tag_line(self, n: int, p: Paragraph) -> None:
        """A line «– пояснює він.» makes the line before it a direct quote of that speaker."""
        if n == 0 or not self._is_dash_tag(p):
            return
        prev = self.paras[n - 1]
        s = p.sentences[0]
        entry = self._subject(s, 0, self._parse(s))
        a = prev.start + (m.end() if (m := _LIST_MARKER.match(self.text[prev.start : prev.end])) else 0)
        if self.text[a] in _OPEN_CLOSE:
            a += 1
        b = prev.end
        while b > a and self.text[b - 1] in "»”\"":
            b -= 1
        if entry is not None and not self._covered(a, b):
            q = Quote(self.text[a:b], a, b, "direct", s.tokens[0].text, entry.speaker, self.section_at(a))
            self.quotes.append(q)
            self.entries[id(q)] = entry

    def _dialogue(self, n: int, p: Paragraph) -> None:
        """«— Вода вошла в дом, — вспоминает она. — Утром улица стала рекой.»: a line that opens with
        a dash is speech; a part after « — » that opens with a speech verb is the tag."""
        text = self.text
        if not re.match(r"[—–-]\s", text[p.start : p.start + 2]):
            return
        seps = [m for m in re.finditer(r"\s[—–]\s", text[p.start : p.end])]
        bounds = [p.start + 2] + [p.start + m.end() for m in seps]
        ends = [p.start + m.start() for m in seps] + [p.end]
        parts = list(zip(bounds, ends, strict=True))
        tags = []
        for k, (a, b) in enumerate(parts):
            toks = [t for t in p.sentences[0].tokens if a <= t.start and t.end <= b] if p.sentences else []
            toks = [t for s in p.sentences for t in s.tokens if a <= t.start and t.end <= b]
            vi = next((i for i, t in enumerate(toks[:4]) if self._cue(t)), None)
            if k > 0 and vi is not None:
                tag_end = text.find(".", a, b)
                sub_toks = [t for t in toks if tag_end < 0 or t.end <= tag_end]
                sub = Sentence(a, b, n, sub_toks)
                entry = self._subject(sub, vi, None)
                if entry is not None:
                    tags.append((k, entry, toks[vi].text, tag_end))
        if not tags:
            return
        for k, (a, b) in enumerate(parts):
            tag = next((t for t in tags if t[0] == k), None)
            if tag is not None:
                if 0 <= tag[3] < b - 1:  # the tag sentence ends and speech goes on in the same part
                    self._emit(tag[3] + 1, b, "direct", tag[2], tag[1])
                continue
            owner = next((t for t in tags if t[0] > k), None) or tags[-1]
            self._emit(a, b, "direct", owner[2], owner[1])

    def _sentence_of(self, n: int, pos: int) -> Sentence | None:
        for s in self.paras[n].sentences:
            if s.start <= pos < s.end:
                return s
        return None

    def _marked(self, n: int, p: Paragraph) -> None:
        """Marked quotes whose tag follows a dash, precedes a colon, or opens with «что»."""
        last: Entry | None = None
        for m in self.marks[n]:
            inner = self.text[m.start : m.end]
            if len(inner.split()) < 2:
                continue  # a term or a name in marks
            split = self._inner_tag(n, m)
            if split is not None:
                last = split
                continue
            entry, cue = self._dash_tag(n, p, m)
            if entry is None:
                entry, cue = self._before_mark(n, p, m)
            if entry is None and last is not None and re.fullmatch(r"\s*[—–-]?\s*", self._between_prev(n, m)):
                entry, cue = last, None  # «A», — сказал он. — «B»: the second part keeps the speaker
            if entry is None:
                continue
            self._emit(m.start, m.end, "direct", cue, entry)
            last = entry

    def _inner_tag(self, n: int, m: Mark) -> Entry | None:
        """«Я не исключаю, — сказал он, — что будут новые атаки»: a tag between dashes inside the
        marks splits the quote in two entries of its speaker (the first keeps its comma)."""
        inner = self.text[m.start : m.end]
        t = re.search(r"(?<=[,.!?…])\s+[—–]\s+([^—–«»]{3,80}?)[,.]\s+[—–]\s+", inner)
        if t is None:
            return None
        s = self._sentence_of(n, m.start + t.start(1))
        if s is None:
            return None
        a, b = m.start + t.start(1), m.start + t.end(1)
        toks = [tok for tok in s.tokens if a <= tok.start and tok.end <= b]
        vi = next((k for k, tok in enumerate(toks[:4]) if self._cue(tok)), None)
        if vi is None:
            return None
        entry = self._subject(Sentence(a, b, s.para, toks), vi, self._parse(s))
        if entry is None:
            return None
        self._emit(m.start, m.start + t.start(), "direct", toks[vi].text, entry)
        self._emit(m.start + t.end(), m.end, "direct", toks[vi].text, entry)
        return entry

    def _between_prev(self, n: int, m: Mark) -> str:
        """Text between the previous quote of this paragraph (or its tag sentence) and ``m``."""
        prev = [q for q in self.quotes if self.paras[n].start <= q.end <= m.open_at]
        if not prev:
            return "x"
        s = self._sentence_of(n, prev[-1].end + 1)
        lo = s.end if s is not None and s.end <= m.open_at else prev[-1].end + 1
        return self.text[lo : m.open_at]

    def _dash_tag(self, n: int, p: Paragraph, m: Mark) -> tuple[Entry | None, str | None]:
        after = self.text[m.close_at + 1 : p.end]
        dm = _DASH_TAG.match(after)
        if not dm:
            return None, None
        tag_start = m.close_at + 1 + dm.end()
        s = self._sentence_of(n, tag_start) or self._sentence_of(n, m.close_at)
        if s is None:
            return None, None
        toks = [t for t in s.tokens if t.start >= tag_start]
        end_m = re.search(r"[.!?…]|\s[—–]\s", self.text[tag_start : p.end])
        tag_end = tag_start + end_m.start() if end_m else p.end
        toks = [t for t in toks if t.end <= tag_end]
        for k, t in enumerate(toks[:5]):
            if self._cue(t):
                sub = Sentence(s.start, s.end, s.para, toks)
                return self._subject(sub, k, self._parse(s)), t.text
        return None, None

    def _before_mark(self, n: int, p: Paragraph, m: Mark) -> tuple[Entry | None, str | None]:
        s = self._sentence_of(n, m.open_at) or self._sentence_of(n, max(p.start, m.open_at - 1))
        if s is None:
            return None, None
        before = self.text[s.start : m.open_at]
        after = self.text[m.close_at + 1 : s.end]
        colon = before.rstrip().endswith(":")
        that = any(re.search(r"(?:^|\s)" + re.escape(o) + r"\s*$", before, re.I) for o in self.openers)
        whole = that and not after.strip(" .!?…")
        if not (colon or whole):
            return None, None
        toks = [t for t in s.tokens if t.end <= m.open_at]
        for k in range(len(toks) - 1, -1, -1):
            if self._cue(toks[k]):
                sub = Sentence(s.start, s.end, s.para, s.tokens)
                return self._subject(sub, k, self._parse(s)), toks[k].text
        return None, None

    def _sentence(self, n: int, s: Sentence, runon: tuple[Entry, str] | None) -> tuple[Entry, str] | None:
        """Indirect quotes of one sentence; returns the speaker a next sentence may run on with."""
        text, toks = self.text, s.tokens
        if not toks or (self._covered(s.start, s.end) and self._fully_covered(s)):
            return None
        lowered = [t.lower for t in toks]
        if any(w in self.impersonal for w in lowered):
            return None
        found = self._according(n, s) or self._parenthetical(n, s)
        if found:
            return found
        if self._published_in(n, s):
            return None
        for vi, t in enumerate(toks):
            if self._in_marks(n, t.start):
                continue
            lemma = self._cue(t)
            if lemma is None or self._in_relative_clause(toks, vi):
                continue
            return self._cue_sentence(n, s, vi, lemma)
        if runon is not None and not any(text[s.start] == c for c in "«„“\"—–-") and self._may_run_on(s):
            entry, cue = runon
            if self._emit(s.start, s.end, "indirect", cue, entry):
                return runon
        return None

    def _telling(self, s: Sentence, vi: int) -> bool:
        """Does the speech verb report something told («рассказывают истории», «розповіли про
        плани», a relay «з посиланням на»), not an act such as «передали дроны», «написали письмо»?"""
        low = self.text[s.start : s.end].lower()
        if any(ph in low for ph in self.reg.relays):
            return True
        toks = s.tokens
        about = {"о", "об", "обо", "про"}
        if (vi + 1 < len(toks) and toks[vi + 1].lower in about) or (toks and toks[0].lower in about):
            return True
        return any(t.lemmas() & self.told for k, t in enumerate(toks) if k != vi)

    def _in_relative_clause(self, toks: list[Token], vi: int) -> bool:
        """«Джерело, яке говорило на умовах анонімності, повідомило …»: a speech verb inside a
        relative clause set off by commas is not the sentence's cue."""
        k = vi
        while k > 0 and "," not in self.text[toks[k - 1].end : toks[k].start]:
            k -= 1
        return k > 0 and k < vi and bool(toks[k].lemmas() & _RELATIVE)

    def _may_run_on(self, s: Sentence) -> bool:
        """A sentence that opens with the speaker again («Он», «Співрозмовник попросив …») or says
        why a source is unnamed is the reporter's, not more of the quote."""
        first = self.reg.strip(list(s.tokens[:4]), pp=False)[:1]
        if first and (first[0].lower in self.pronouns or first[0].lemmas() & self.sources):
            return False
        head = " ".join(t.lower for t in s.tokens[:3])
        if any(head == ph or head.startswith(ph + " ") for ph in self.transitions):
            return False  # «Между тем …», «Тим часом …»: the reporter goes on with the story
        low = self.text[s.start : s.end].lower()
        return not any(ph in low for ph in self.anonymity)

    def _fully_covered(self, s: Sentence) -> bool:
        return any(q.start <= s.tokens[0].start and s.tokens[-1].end <= q.end + 1 for q in self.quotes)

    def _cue_sentence(self, n: int, s: Sentence, vi: int, lemma: str) -> tuple[Entry, str] | None:
        text, toks = self.text, s.tokens
        verb = toks[vi]
        parsed = self._parse(s)
        head = " ".join(t.lower for t in toks[:3])
        refer = next((r for r in self.refer_back if head.startswith(r + " ")), None)
        if refer and (self._in_marks(n, toks[0].start) or "," in self.text[toks[0].start : verb.start]):
            # «Это не наш вопрос», — сказал он; «Это не так, заявил …»: the words are his, not a
            # pointer back to the sentence before
            refer = None
        if refer and vi <= len(refer.split()) + 4:
            entry = self._subject(s, vi, parsed)
            prev = self._previous_sentence(n, s)
            if entry is not None and prev is not None and not self._own(entry):
                self._emit(prev.start, prev.end, "indirect", verb.text, entry)
            return None
        at = self._opener_after(s, vi)
        entry = self._document_speaker(s, vi) if lemma in self.doc_verbs else self._subject(s, vi, parsed)
        if entry is not None and entry.speaker.type == "anonymous" and self._telling(s, vi):
            self.acts.append(entry.speaker)  # «Аналогичные истории рассказывают семьи …»: a source
        if entry is None or self._own(entry):
            return None
        if at is not None:
            return self._clause(n, s, at, verb.text, entry)
        nxt = toks[vi + 1] if vi + 1 < len(toks) else None
        if nxt is None:
            return None
        if lemma in self.object_verbs and nxt.lower in ("о", "об", "обо", "про"):
            self._emit(nxt.start, s.end, "indirect", f"{verb.text} {nxt.text}", entry)
            return None
        # «оценивают число людей … в десятки тысяч»: put the figure at
        if lemma in self.estimate_verbs and self._emit(nxt.start, s.end, "indirect", verb.text, entry):
            return None
        if lemma in self.inf_verbs:
            inf = next((t for t in toks[vi + 1 : vi + 4] if t.best_has("INFN") or t.best_has("infn")), None)
            if inf is not None:
                self._emit(inf.start, s.end, "indirect", verb.text, entry)
            return None
        # A trailing tag: «Ситуация под контролем, заявил губернатор.»
        gap = text[toks[vi - 1].end : verb.start] if vi > 0 else ""
        tail_free = not any(self._cue(t) for t in toks[vi + 1 :])
        if vi > 1 and "," in gap and tail_free and not self._in_marks(n, toks[vi - 1].start):
            self._emit(s.start, toks[vi - 1].end, "indirect", verb.text, entry)
        return None

    def _own(self, entry: Entry) -> bool:
        """The outlet's own reporter (повідомляє кореспондент …) speaks in the article's voice."""
        words = (entry.speaker.description or entry.speaker.name or "").lower().split()
        return bool(words) and (words[0] in self.own or " ".join(words[:2]) in self.own)

    def _clause(self, n: int, s: Sentence, at: int, cue: str, entry: Entry) -> tuple[Entry, str] | None:
        a, b = _trim(self.text, at, s.end)
        marks = [m for m in self.marks[n] if a <= m.open_at and m.close_at < s.end]
        tail = self.text[marks[0].close_at + 1 : s.end].strip(_END_PUNCT) if marks else "x"
        if len(marks) == 1 and marks[0].open_at == a and not tail:
            self._emit(marks[0].start, marks[0].end, "direct", cue, entry)
            return None
        if self.text[s.end - 1] == ":":
            b = s.end
        if marks and self.text[a : marks[0].open_at].rstrip().endswith(":"):
            # «считает, что волна неизбежна: «Армия …»»: the clause up to the colon is indirect,
            # the marked words after it a direct quote of the same speaker
            if not self._covered(marks[0].start, marks[0].end):
                self._emit(marks[0].start, marks[0].end, "direct", cue, entry)
            b, marks = self.text.rindex(":", a, marks[0].open_at), []
        second = _CONJOINED.search(self.text, a, b)
        if second and not marks:
            verb = [t for t in s.tokens if t.start == second.start(1)]
            if verb and self._cue(verb[0]):
                # «сказав, що …, і додав, що …»: a second verb of the same speaker, a second quote
                self._emit(a, second.start(), "indirect", cue, entry)
                q = self._emit(second.end(), b, "indirect", verb[0].text, entry)
                return (entry, verb[0].text) if q is not None else None
        kind: QuoteKind = "mixed" if marks else "indirect"
        q = self._emit(a, b, kind, cue, entry)
        return (entry, cue) if q is not None else None

    def _previous_sentence(self, n: int, s: Sentence) -> Sentence | None:
        sents = self.paras[n].sentences
        k = sents.index(s)
        if k > 0:
            return sents[k - 1]
        if n > 0 and self.paras[n - 1].sentences:
            return self.paras[n - 1].sentences[-1]
        return None

    def _document_speaker(self, s: Sentence, vi: int) -> Entry | None:
        """«говорится в заявлении министерства», «йдеться у спільній заяві»: the document speaks,
        named in the nominative with what follows it («заявление министерства»)."""
        toks = s.tokens
        for k in range(max(0, vi - 8), min(len(toks), vi + 3)):
            if toks[k].lower not in _PLACE_PREPS:
                continue
            d = k + 1
            docs = self.documents
            while d < len(toks) and d - k <= 2 and toks[d].best_has("ADJF") and not toks[d].lemmas() & docs:
                d += 1  # «в совместном заявлении»
            if d >= len(toks) or not toks[d].lemmas() & docs or self._punct_between(toks[k], toks[d]):
                continue
            phrase = toks[k + 1 : d + 1]
            for t in toks[d + 1 :]:
                if self._punct_between(phrase[-1], t) or self._cue(t) or t.lower in self.openers:
                    break
                phrase.append(t)
            name = self.reg.nominative_phrase(phrase, case="loct")
            heads = frozenset(toks[d].lemmas())
            return self.reg.other(name, "document", (phrase[0].start, phrase[-1].end), None, False, heads)
        return None

    def _according(self, n: int, s: Sentence) -> tuple[Entry, str] | None:
        """«По словам X, CLAUSE», «За їхніми словами, …», «Как сообщает X, …», «Як він зазначив, що …»."""
        toks = self.reg.strip(list(s.tokens), pp=False)
        if not toks:
            return None
        lead = self.text[toks[0].start : s.end]
        low = lead.lower()
        for ph in self.according:
            pat = re.escape(ph).replace(r"\ …\ ", r"\s+\w+\s+").replace(r"\ ", r"\s+")
            m = re.match(pat + r"\b", low)
            if m:
                return self._according_clause(n, s, toks[0].start, m.end())
        # «Як він зазначив, що …»: как/як + speaker + speech verb, then the clause.
        toks = s.tokens
        if toks[0].lower in ("как", "як") and len(toks) > 2:
            for k in range(1, min(5, len(toks))):
                if self._cue(toks[k]):
                    comma = self.text.find(",", toks[k].end, s.end)
                    if comma < 0:
                        return None
                    sub = Sentence(s.start, comma, s.para, [t for t in s.tokens if t.end <= comma])
                    vi = sub.tokens.index(toks[k])
                    entry = self._subject(sub, vi, self._parse(s))
                    if entry is None:
                        return None
                    at = comma + 1
                    rest = self.text[at : s.end].lower()
                    om = re.match(r"\s*(?:" + "|".join(re.escape(o) for o in self.openers) + r")\s+", rest)
                    if om:
                        at += om.end()
                    return self._clause(n, s, at, toks[k].text, entry)
        return None

    def _according_clause(self, n: int, s: Sentence, lo: int, length: int) -> tuple[Entry, str] | None:
        after = lo + length
        comma = self.text.find(",", after, s.end)
        if comma < 0:
            return None
        speaker_toks = [t for t in s.tokens if after <= t.start and t.end <= comma]
        cue = self.text[lo:after]
        agent = self._agent(s, after) if not speaker_toks else None
        if agent is not None:  # «По данным, опубликованным Минобороны, …»
            toks, agent_end = agent
            name = self._recase(toks, "nomn")
            org = self.reg.other(name, "organization", (toks[0].start, agent_end), None, False, frozenset())
            return self._clause(n, s, agent_end + 1, cue, org)
        if not speaker_toks:  # «по его словам», «за їхніми словами»
            speaker_toks = [t for t in s.tokens if lo <= t.start < after and t.lower in
                            self.reg.pron["masc"] | self.reg.pron["femn"] | self.reg.pron["plur"]]
            if not speaker_toks:
                return None
        verb = next((t for t in s.tokens[:6] if self._cue(t)), None)
        entry = self.reg.resolve(speaker_toks, verb, self._parse(s), genitive=True)
        if entry is None:
            return None
        return self._clause(n, s, comma + 1, cue, entry)

    def _agent(self, s: Sentence, pos: int) -> tuple[list[Token], int] | None:
        """After «, опубликованным» / «, оприлюдненими» (a participle of publishing) at ``pos``: the
        words of its agent in the instrumental up to the next comma, and that comma's offset."""
        m = re.match(r"\s*,\s*", self.text[pos : s.end])
        if m is None:
            return None
        toks = [t for t in s.tokens if t.start >= pos + m.end()]
        if not toks or not any(p.normal_form in self.publishing for p in toks[0].readings if "pssv" in p.tag):
            return None
        comma = self.text.find(",", toks[0].end, s.end)
        comma = s.end if comma < 0 else comma
        rest = [t for t in toks[1:] if t.end <= comma]
        def agentive(t: Token) -> bool:  # «Медиазоной», «Генштабом», «Би-би-си» (after a word in marks)
            if t.has("PREP") or t.has("CONJ"):
                return False
            return t.has("NOUN", "ablt") or t.has("ADJF", "ablt") or self.text[t.start - 1] == "«"

        k = next((i for i, t in enumerate(rest) if agentive(t)), None)
        if k is None:
            return None
        return rest[k:], comma

    def _published_in(self, n: int, s: Sentence) -> bool:
        """«В … списках погибших, опубликованных … «Медиазоной» и Би-би-си, уже 95 тыс фамилий»: a
        figure whose source is named inside its own clause by a participle of publishing; the
        whole clause is the quote (one contiguous span), the published document its speaker."""
        toks = s.tokens
        for i, t in enumerate(toks[1:], 1):
            gap = self.text[toks[i - 1].end : t.start]
            if "," not in gap or self._in_marks(n, t.start):
                continue
            agent = self._agent(s, toks[i - 1].end)
            if agent is None:
                continue
            k = i - 1
            while k > 0 and i - k <= 3 and not toks[k].lemmas() & self.documents:
                k -= 1
            if not toks[k].lemmas() & self.documents or not find_numbers(self.text, s, self.lang):
                return False
            doc_toks = toks[k:i]
            cases = ("loct", "datv", "ablt", "gent", "accs", "nomn")
            case = next((c for c in cases if doc_toks[0].has("NOUN", c)), "nomn")
            head = self.reg.nominative_phrase(doc_toks[:1], case=case)
            rest = self.text[doc_toks[0].end : doc_toks[-1].end]
            name = f"{head}{rest} {self._recase(agent[0], 'gent')}"
            span = (doc_toks[0].start, agent[1])
            entry = self.reg.other(name, "document", span, None, True, frozenset(doc_toks[0].lemmas()))
            return self._emit(s.start, s.end, "indirect", t.text, entry) is not None
        return False

    def _recase(self, toks: list[Token], case: str) -> str:
        """The words of ``toks`` as written, with the nouns and adjectives in the instrumental put in
        ``case`` («„Медиазоной“ и Би-би-си» → «„Медиазона“ и Би-би-си» or «„Медиазоны“ …»)."""
        out, pos = [], toks[0].start
        if self.text[pos - 1 : pos] == "«":
            pos -= 1
        end = toks[-1].end + (1 if self.text[toks[-1].end : toks[-1].end + 1] == "»" else 0)
        for t in toks:
            form = t.text
            for p in t.readings:
                if "ablt" in p.tag and p.tag.POS in ("NOUN", "ADJF"):
                    number = "plur" if "plur" in p.tag else "sing"
                    inf = p.inflect({case, number}) or p.inflect({case})
                    if inf is not None:
                        form = _case_like(inf.word, t.text)
                    break
            out.append(self.text[pos : t.start] + form)
            pos = t.end
        return "".join(out) + self.text[pos:end]

    def _parenthetical(self, n: int, s: Sentence) -> tuple[Entry, str] | None:
        """«… 167-235 тыс (Би-би-си, по экспертным оценкам) и в 165 тыс («Медиазона» …)»."""
        text = self.text
        lo = s.start
        for m in re.finditer(r"\(([^()]{2,160})\)", text[s.start : s.end]):
            a, b = s.start + m.start(), s.start + m.end()
            first = m.group(1).split(",")[0]
            src_toks = [t for t in s.tokens if a < t.start and t.end <= a + 1 + len(first)]
            while src_toks and (src_toks[0].lemmas() & self.documents or src_toks[0].lower in _SOURCE_LEAD):
                src_toks = src_toks[1:]
            if not src_toks:
                continue
            begin = src_toks[0].start - (1 if text[src_toks[0].start - 1] in "«\"“" else 0)
            name = text[begin : a + 1 + len(first)].strip(" ,")
            clause_a = lo
            conj = re.match(r"\s*(?:и|а|та|і|й)\s+", text[clause_a:a])
            if conj:
                clause_a += conj.end()
            clause = [t for t in s.tokens if clause_a <= t.start and t.end <= a]
            if not phrase_is_name_like(text[begin : src_toks[0].end]) or not clause:
                continue
            figures = find_numbers(text, Sentence(clause_a, a, s.para, clause), self.lang)
            if not figures:
                continue
            opening = [t for t in clause if t.end <= figures[0].start]
            if opening and opening[-1].best_has("INFN") and all(
                t.lower in _CONDITIONAL or t.best_has("INFN") for t in opening
            ):
                clause_a = figures[0].start  # «Если добавить около 23 тыс … (оценка Би-би-си)»: the figure
            lead = [t for t in s.tokens if a < t.start < src_toks[0].start]
            if lead:  # «(оценка Всемирного банка)»: the source is in the genitive
                name = self.reg.nominative_phrase(
                    [t for t in src_toks if t.end <= a + 1 + len(first)]
                )
                name = ("«" if text[begin] == "«" else "") + name
            entry = self.reg.other(name, "organization", (begin, src_toks[-1].end), None, False, frozenset())
            self._emit(clause_a, a, "indirect", m.group(1).strip(), entry)
            lo = b
        return None


def _institution_word(t: Token) -> bool:
    """A noun in the locative (в штабе, у відомстві), an indeclinable name (Минобороны) or an
    abbreviation (МЧС, ЗСУ) that may head the name of an institution."""
    if t.text.isupper() and len(t.text) > 1:
        return True
    return t.has("NOUN", "loct") or t.has("NOUN", "Fixd") or (t.is_upper_initial and not t.readings)


def _speaker_word(t: Token) -> bool:
    """Can the word head a headline's speaker («Губернатор:», «Минобороны:», «Зеленский:»)? An
    animate noun, a name, or an organisation's name or abbreviation."""
    return t.has("NOUN", "anim", "nomn") or any(t.has(g) for g in ("Name", "Surn", "Orgn", "Abbr")) or (
        t.text.isupper() and len(t.text) > 1
    )
