"""Speakers of a Russian or Ukrainian document: who a speech verb's subject phrase names.

A phrase becomes a person (a name found by natasha's NER in Russian, or by pymorphy3's name and
surname tags in both languages, put in the nominative), an organisation, a document, or an
unnamed (anonymous) source. Pronouns («он», «вона»), source nouns alone («джерело») and nouns
that point back («женщина», «его мама») resolve to a speaker named before, matched by gender and
number; a noun that a later apposition names («мама Анна») takes that name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Speaker, SpeakerType
from .lexicon import load
from .syntax import Parse
from .tokens import Sentence, Token, parses

_NAME_TAGS = ("Name", "Surn", "Patr")
#: «…, Ольга (имя изменено), …» / «…, Анна Петрова, …»: a name in apposition after the phrase.
_APPOSITION = re.compile(r",\s*([^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)?)\s*[(,]")


@dataclass(slots=True)
class Entry:
    """A speaker with what anaphora needs: grammatical gender and number."""

    speaker: Speaker
    gender: str | None  # "masc", "femn" or None
    plural: bool
    heads: frozenset[str]  # lemmas of the phrase's nouns


def verb_agreement(verb: Token | None) -> tuple[str | None, bool | None]:
    """(gender, plural) that a past-tense or present verb shows about its subject."""
    if verb is None:
        return None, None
    for p in verb.readings:
        if p.tag.POS not in ("VERB", "GRND"):
            continue
        if "plur" in p.tag:
            return None, True
        for g in ("masc", "femn"):
            if g in p.tag:
                return g, False
        if "sing" in p.tag:
            return None, False
    return None, None


def _strip_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2].isupper() is False else text


class Registry:
    """The speakers of one document, in order of first mention, with the anaphora history."""

    def __init__(self, text: str, lang: str, sentences: list[Sentence]) -> None:
        self.text, self.lang = text, lang
        lex = load(lang)
        openers = (*lex.phrases("connectives"), *lex.phrases("refer_back"))
        openers += lex.phrases("reporter_transitions")
        self.connectives = tuple(sorted(openers, key=len, reverse=True))
        self.pron = {
            "masc": lex.words("pronouns_masc"),
            "femn": lex.words("pronouns_fem"),
            "plur": lex.words("pronouns_plur"),
        }
        self.sources = lex.words("source_nouns")
        self.anaphoric = lex.words("anaphoric_nouns")
        self.offices = lex.words("office_nouns")
        self.documents = lex.words("document_nouns")
        self.anonymity = lex.phrases("anonymity_phrases")
        self.relays = lex.phrases("relay_markers")
        self.another = lex.words("another")
        self.groups = lex.words("people_groups")
        self.sentences = sentences
        self.doc_tokens = [t for s in sentences for t in s.tokens]
        self.speakers: list[Speaker] = []
        self._by_key: dict[str, Entry] = {}
        self.history: list[Entry] = []

    # --- registry ------------------------------------------------------------------------------

    def _add(self, key: str, make: Speaker, gender: str | None, plural: bool, heads: frozenset[str],
             mention: tuple[int, int]) -> Entry:
        entry = self._by_key.get(key)
        if entry is None:
            make.id = f"s{len(self.speakers) + 1}"
            entry = Entry(make, gender, plural, heads)
            self._by_key[key] = entry
            self.speakers.append(make)
        else:
            entry.gender = entry.gender or gender
        if mention not in entry.speaker.mentions:
            entry.speaker.mentions.append(mention)
        self.history.append(entry)
        return entry

    def mention(self, entry: Entry, span: tuple[int, int]) -> Entry:
        """Record another mention of a known speaker (a pronoun or noun that refers back)."""
        if span not in entry.speaker.mentions:
            entry.speaker.mentions.append(span)
        self.history.append(entry)
        return entry

    def person(self, name: str, role: str | None, span: tuple[int, int], gender: str | None) -> Entry:
        """A named person (``name`` in the nominative)."""
        surname = name.split()[-1].lower()
        key = f"p:{surname}"
        if key not in self._by_key:  # «Игорь» then «Игорь Петров»: one first name, one person
            for k, e in self._by_key.items():
                first = (e.speaker.name or "").lower().split()[:1]
                if k.startswith("p:") and first == name.lower().split()[:1]:
                    key = k
                    break
        entry = self._add(key, Speaker("", name, "person", None, role), gender, False, frozenset(), span)
        sp = entry.speaker
        if sp.name and len(name.split()) > len(sp.name.split()):
            sp.name = name
        sp.role = sp.role or role
        return entry

    def other(self, phrase: str, typ: SpeakerType, span: tuple[int, int], gender: str | None, plural: bool,
              heads: frozenset[str]) -> Entry:
        """An organisation (named), a document or an unnamed source (described)."""
        key = typ + ":" + phrase.lower().strip('«»"')
        org = typ == "organization"
        sp = Speaker("", phrase, "organization") if org else Speaker("", None, typ, phrase)
        return self._add(key, sp, gender, plural, heads, span)

    def last(self, gender: str | None, plural: bool | None, types: tuple[str, ...] = ("person", "anonymous"),
             heads: frozenset[str] | None = None) -> Entry | None:
        """The most recent speaker that agrees in gender and number (and shares a head noun)."""
        for e in reversed(self.history):
            if e.speaker.type not in types:
                continue
            if plural is not None and e.plural != plural:
                continue
            if gender and e.gender and e.gender != gender:
                continue
            if heads is not None and not (heads & e.heads):
                continue
            return e
        return None

    # --- phrases -------------------------------------------------------------------------------

    def strip(self, toks: list[Token], pp: bool = True) -> list[Token]:
        """Drop leading connectives and adverbs («Водночас», «При этом», «Нещодавно») and, with
        ``pp``, a leading prepositional phrase."""
        changed = True
        while toks and changed:
            changed = False
            head = " ".join(t.lower for t in toks[:3])
            for ph in self.connectives:
                if head == ph or head.startswith(ph + " "):
                    toks = toks[len(ph.split()) :]
                    changed = True
                    break
            adverb = toks and toks[0].best_has("ADVB") and not toks[0].has("PREP")
            if not changed and adverb and len(toks) > 1:
                toks, changed = toks[1:], True
            if pp and not changed and toks and toks[0].has("PREP"):
                # a leading prepositional phrase («Про плани влади», «Об этом») is not the subject
                k = next((k for k, t in enumerate(toks[1:], 1) if t.has("NOUN") or t.has("NPRO")), None)
                if k is not None:
                    k += 1
                    while k < len(toks) and toks[k].best_has("NOUN") and toks[k].has("gent"):
                        k += 1  # its genitive complement («плани влади»)
                    toks, changed = toks[k:], True
        return toks

    def _names(self, toks: list[Token], parse: Parse | None) -> tuple[int, int, str] | None:
        """(first, last, nominative) of a person's name inside the phrase."""
        lo, hi = toks[0].start, toks[-1].end
        if parse is not None:
            for ent in parse.entities:
                in_marks = self.text[lo : ent.start].count("«") > self.text[lo : ent.start].count("»")
                if ent.type == "PER" and lo <= ent.start and ent.end <= hi and not in_marks:
                    first = next(i for i, t in enumerate(toks) if t.end > ent.start)
                    last = max(i for i, t in enumerate(toks) if t.start < ent.end)
                    return first, last, ent.normal
        # Words inside «» name an organisation or a title («Сети помощи Варенко»), not a person.
        free = [self.text[lo : t.start].count("«") <= self.text[lo : t.start].count("»") for t in toks]
        # A first name anchors the name («Мешканка Дремська Дар'я Мельнек»); else a surname does.
        i = next((k for k, t in enumerate(toks) if free[k] and t.is_upper_initial and t.has("Name")), None)
        if i is not None:
            j = i
            while j + 1 < len(toks) and j - i < 2 and name_part(toks[j + 1]):
                j += 1
            return i, j, ""
        surnames = [
            k
            for k, t in enumerate(toks)
            if free[k]
            and t.has("Surn")
            and (t.is_upper_initial or self._named_near(toks, k) or self._first_name_like(toks, k - 1))
        ]
        if not surnames:
            return None
        i = j = surnames[-1]
        while i > 0 and j - i < 2 and (toks[i - 1].has("Patr") or self._first_name_like(toks, i - 1)):
            i -= 1
        return i, j, ""

    @staticmethod
    def _named_near(toks: list[Token], i: int) -> bool:
        return (i > 0 and toks[i - 1].has("Name")) or (i + 1 < len(toks) and toks[i + 1].has("Name"))

    def _first_name_like(self, toks: list[Token], i: int) -> bool:
        """«володимир путін»: a nominative animate noun written like the surname after it (no office)."""
        if i < 0:
            return False
        t, nxt = toks[i], toks[i + 1]
        same_case = t.is_upper_initial == nxt.is_upper_initial
        office = t.lemmas() & (self.offices | self.anaphoric)
        return t.has("NOUN", "anim", "nomn") and same_case and not office

    def _nominative(self, toks: list[Token], gender: str | None, oblique: bool = False) -> str:
        """The name put in the nominative, keeping its spelling (case of letters) where it was one.
        ``oblique``: the name is governed in another case («за словами Петра Гая»)."""
        words = [t.text for t in toks]
        # A first name's gender beats the phrase's («цитує Рустема Сомова», «експерта Петра Гая»).
        names = [p for p in toks[0].readings if "Name" in p.tag]
        if oblique:
            names = [p for p in names if "nomn" not in p.tag] or names
        first = names[0] if names else None
        gender = next((g for g in ("masc", "femn") if first is not None and g in first.tag), gender)
        if self.lang == "uk":
            try:
                import shevchenko

                g = {"masc": "masculine", "femn": "feminine"}.get(gender or "") or None
                fields = {"given_name": words[0], "family_name": words[-1]} if len(words) > 1 else {
                    "given_name": words[0]}
                out = shevchenko.to_nominative(**fields, **({"gender": g} if g else {}))
                nom = [out.get("given_name", words[0])] + ([out["family_name"]] if len(words) > 1 else [])
                if len(words) > 2:
                    nom = [nom[0], *words[1:-1], nom[-1]]
                return " ".join(_case_like(n, w) for n, w in zip(nom, words, strict=True))
            except (ValueError, KeyError, TypeError):
                pass
        out = []
        for t in toks:
            form = t.text
            for p in t.readings:
                if any(g in p.tag for g in _NAME_TAGS) and "nomn" not in p.tag:
                    grams = {"nomn"} | ({gender} if gender and "Surn" in p.tag else set())
                    inf = p.inflect(grams) or p.inflect({"nomn"})
                    if inf is not None:
                        form = _case_like(inf.word, t.text)
                    break
                if "nomn" in p.tag:
                    break
            out.append(form)
        return " ".join(out)

    def _agrees(self, name: str) -> bool:
        """Does a nominative name's surname agree with its first name's gender?"""
        words = name.split()
        if len(words) < 2:
            return True
        first = [p for p in parses(self.lang, words[0].lower()) if "Name" in p.tag and "nomn" in p.tag]
        gender = next((g for g in ("masc", "femn") if first and g in first[0].tag), None)
        if gender != "masc":
            return True
        # a man's surname does not end like «-ова», «-ина» (those are a woman's, or his genitive)
        return not re.search(r"(?:ов|ев|ёв|ин|ын)а$", words[-1])

    def _later_name(self, lemma: str, after: int) -> str | None:
        """«Его мама Анна (…)»: a noun followed by a first name later names the same person."""
        toks = self.doc_tokens
        for k in range(len(toks) - 1):
            t, nxt = toks[k], toks[k + 1]
            glued = self.text[t.end : nxt.start] == " "
            if lemma in t.lemmas() and nxt.is_upper_initial and nxt.has("Name") and glued:
                return nxt.text
        return None

    def resolve(self, toks: list[Token], verb: Token | None, parse: Parse | None = None,
                genitive: bool = False) -> Entry | None:
        """The speaker a subject phrase names, or refers back to (None when it names nothing).
        ``genitive``: the phrase is governed in the genitive («по словам женщины»)."""
        toks = self._without_relay(self._without_anonymity(self.strip(list(toks))))
        if not toks:
            return None
        span = (toks[0].start, toks[-1].end)
        opened = self.text[span[0] : span[1]].count("«") - self.text[span[0] : span[1]].count("»")
        if opened > 0 and self.text[span[1] : span[1] + opened] == "»" * opened:
            span = (span[0], span[1] + opened)  # «издание «Вечерний Корваш»» keeps its closing mark
        phrase = self.text[span[0] : span[1]].strip(" ,")
        v_gender, v_plural = verb_agreement(verb)
        if len(toks) > 2 and toks[0].lemmas() & {"один", "одна"} and toks[1].lower in ("из", "з", "із", "зі"):
            return self._one_of(toks, span, v_gender)
        appos = _APPOSITION.match(self.text[span[1] : span[1] + 60])
        if appos and appos.group(1)[:1].isupper():
            # «Мать одного из солдат, Ольга (имя изменено), рассказала»: the apposition names her
            at = span[1] + appos.start(1)
            name_toks = [Token(m.group(), at + m.start(), at + m.end(), self.lang)
                         for m in re.finditer(r"[^\W\d_][\w'’-]*", appos.group(1))]
            if name_toks[0].has("Name") and all(t.is_upper_initial for t in name_toks):
                name = self._nominative(name_toks, v_gender)
                entry = self.person(name, phrase, (name_toks[0].start, name_toks[-1].end), v_gender)
                return self.mention(entry, span)
        if self._anonymity_follows(span[1]):
            # «Женщина, попросившая не называть ее имени, …»: a new unnamed source, not the last woman
            heads = frozenset(x for t in toks if t.has("NOUN") for x in t.lemmas())
            plural = bool(v_plural)
            phrase = self.nominative_phrase(toks) if genitive else phrase
            return self.other(phrase, "anonymous", span, v_gender, plural, heads)
        low = [t.lower for t in toks]
        pronouns = self.pron["masc"] | self.pron["femn"] | self.pron["plur"]
        if len(toks) == 1 and low[0] in pronouns:
            g = "masc" if low[0] in self.pron["masc"] else "femn" if low[0] in self.pron["femn"] else None
            e = self.last(g or v_gender, low[0] in self.pron["plur"] or bool(v_plural))
            return self.mention(e, span) if e else None
        heads = frozenset(lemma for t in toks if t.has("NOUN") for lemma in t.lemmas())
        head = self._head(toks)
        head_lemmas = head.lemmas() if head else set()
        if genitive and head is not None:
            plural = head.has("plur", "gent") and not head.has("sing", "gent")
        else:
            plural = bool(v_plural) if v_plural is not None else bool(head and head.best_has("plur"))
        gender = v_gender or (("femn" if head.best_has("femn") else "masc" if head.best_has("masc") else None)
                              if head else None)
        short = len([t for t in toks if not (t.lower in pronouns or t.best_has("ADJF", "Apro"))]) == 1
        if any(t.lower in self.another for t in toks):
            short = False  # «Другой источник», «Інший співрозмовник»: a new source, not the last one
        if head and short and head_lemmas & self.sources:
            e = self.last(None, plural, ("anonymous",))
            if e:
                return self.mention(e, span)
        if head and short and head_lemmas & self.anaphoric:
            for lemma in sorted(head_lemmas & self.anaphoric):
                later = self._later_name(lemma, span[1])
                if later:
                    nom = self._nominative([Token(later, 0, len(later), self.lang)], gender)
                    return self.person(nom, None, span, gender)
            e = self.last(gender, plural, heads=frozenset(head_lemmas)) or self.last(gender, plural)
            if e:
                return self.mention(e, span)
            if plural:
                group = self._group_before(span[0])
                found_group = self.resolve(group, None) if group else None
                if found_group is not None:
                    return self.mention(found_group, span)
        # «по словам губернатора»: the governor named before
        if head and short and head_lemmas & self.offices:
            e = self.last(None, plural, ("person",), heads=frozenset(head_lemmas))
            # «— добавил губернатор» after «Глава области Роман Лесков»: the last office holder
            e = e or self.last(gender, plural, ("person",), heads=self.offices)
            if e:
                return self.mention(e, span)
        found = self._names(toks, parse)
        if found:
            i, j, normal = found
            name = normal or self._nominative(toks[i : j + 1], gender, genitive)
            if normal and not self._agrees(normal):  # natasha's «Рустем Сомова»: a man's surname
                words = normal.split()  # Сомова, Ильина (gen./acc.) → Сомов, Ильин
                name = " ".join([*words[:-1], words[-1][:-1]])
            role_toks = self.strip(toks[:i])
            role = _strip_first(self.text[role_toks[0].start : role_toks[-1].end]) if role_toks else None
            entry = self.person(name, role, span, gender)
            entry.heads = entry.heads | frozenset(x for t in role_toks if t.has("NOUN") for x in t.lemmas())
            return entry
        if head and head_lemmas & self.documents:
            return self.other(phrase, "document", span, gender, plural, heads)
        if head and head_lemmas & self.offices and not plural:
            return self.other(phrase, "person", span, gender, plural, heads)
        if (head and head.best_has("anim")) or head_lemmas & (self.sources | self.groups):
            return self.other(phrase, "anonymous", span, gender, plural, heads)
        if genitive:
            phrase = self.nominative_phrase(toks) + self.text[toks[-1].end : span[1]]
        return self.other(phrase, "organization", span, gender, plural, heads)

    def nominative_phrase(self, toks: list[Token], case: str = "gent") -> str:
        """«Всемирного банка» → «Всемирный банк» (``case`` "gent"), «в пресс-службе мэрии» →
        «пресс-служба мэрии» ("loct"): the head noun and the adjectives before it in the nominative
        (what follows the head, a genitive complement, stays as written)."""
        head = next((k for k, t in enumerate(toks) if t.has("NOUN", case)), None)
        if head is None:
            return self.text[toks[0].start : toks[-1].end]
        noun = next(p for p in toks[head].readings if {"NOUN", case} <= p.tag.grammemes)
        number = "plur" if "plur" in noun.tag.grammemes else "sing"
        gender = next((g for g in ("masc", "femn", "neut") if g in noun.tag.grammemes), None)
        out, pos = [], toks[0].start
        for k, t in enumerate(toks):
            form = t.text
            if k <= head:
                pos_tag = "NOUN" if k == head else "ADJF"
                for p in t.readings:
                    if {pos_tag, case} <= p.tag.grammemes:
                        agree = k < head and gender and number == "sing"
                        grams = {"nomn", number} | ({gender} if agree else set())
                        inf = p.inflect(grams) or p.inflect({"nomn"})
                        if inf is not None:
                            form = _case_like(inf.word, t.text)
                        break
            out.append(self.text[pos : t.start] + form)
            pos = t.end
        return "".join(out).strip()

    def _without_anonymity(self, toks: list[Token]) -> list[Token]:
        """«Джерело … на умовах анонімності»: the anonymity phrase is not part of the description."""
        if not toks:
            return toks
        low = self.text[toks[0].start : toks[-1].end].lower()
        for ph in self.anonymity:
            k = low.find(ph)
            if k > 0:
                cut = toks[0].start + k
                return [t for t in toks if t.end <= cut]
        return toks

    def _one_of(self, toks: list[Token], span: tuple[int, int], gender: str | None) -> Entry:
        """«(по словам) одного из собеседников издания» → «один из собеседников издания»: an unnamed
        member of a group (the group after «из» stays in the genitive, as written)."""
        first = toks[0]
        femn = first.best_has("femn") or gender == "femn"
        word = {("ru", False): "один", ("ru", True): "одна", ("uk", False): "один", ("uk", True): "одна"}[
            (self.lang if self.lang in ("ru", "uk") else "ru", bool(femn))
        ]
        word = word.capitalize() if first.is_upper_initial else word
        phrase = word + self.text[first.end : span[1]]
        heads = frozenset(x for t in toks[2:] if t.has("NOUN") for x in t.lemmas())
        return self.other(phrase, "anonymous", span, "femn" if femn else "masc", False, heads)

    def _anonymity_follows(self, end: int) -> bool:
        """Does an anonymity phrase follow the phrase that ends at ``end`` («…, попросившая не
        называть ее имени»)?"""
        clause = re.split(r"[,.;:!?«»\n]", self.text[end : end + 100].lstrip(" ,").lower())[0]
        return any(ph in clause for ph in self.anonymity)

    def _without_relay(self, toks: list[Token]) -> list[Token]:
        """«агентство Reuters з посиланням на джерела»: the relay (X) speaks; what it cites is left
        out (an unnamed cited source is listed by :func:`~.anonymity.relayed_sources`)."""
        if not toks:
            return toks
        low = self.text[toks[0].start : toks[-1].end].lower()
        for ph in self.relays:
            k = low.find(ph)
            if k > 0:
                cut = toks[0].start + k
                return [t for t in toks if t.end <= cut]
        return toks

    def _group_before(self, pos: int) -> list[Token] | None:
        """«Матери и жены сибирских мобилизованных записали …. Женщины рассказывают»: the nearest
        earlier sentence that opens with a plural group of people (its words up to the verb)."""
        sents = [s for s in self.sentences if s.end <= pos][-3:]
        spoken = [m[0] for sp in self.speakers for m in sp.mentions if m[0] < pos]
        for s in reversed(sents):
            if any(s.end <= m for m in spoken):
                return None  # a speaker came between: «військових» are not the group named before
            lead: list[Token] = []
            for t in s.tokens:
                if t.best_has("VERB") or t.best_has("INFN") or t.best_has("infn"):
                    break
                lead.append(t)
            lead = self.strip(lead)
            if lead and any(t.has("NOUN", "anim", "nomn", "plur") for t in lead) and lead[0].has("nomn"):
                return lead
        return None

    @staticmethod
    def _head(toks: list[Token]) -> Token | None:
        """The phrase's head noun: the first nominative noun not governed by a preposition."""
        for k, t in enumerate(toks):
            if t.has("NOUN", "nomn") and not t.has("PREP") and not (k > 0 and toks[k - 1].has("PREP")):
                return t
        return next((t for t in toks if t.has("NOUN") and not t.has("PREP")), None)


def name_part(t: Token) -> bool:
    """A capitalised word that may continue a name after a first name (patronymic, surname; a
    surname the dictionary reads as an adjective, «Вітрова», or does not know)."""
    if not t.is_upper_initial or t.has("VERB") or t.has("PREP") or t.has("CONJ"):
        return False
    return t.has("NOUN") or t.has("ADJF") or not t.readings or t.has("UNKN")


def _case_like(word: str, model: str) -> str:
    """``word`` with the letter case of ``model`` («володимир» stays lower case)."""
    if model.islower():
        return word.lower()
    if model[:1].isupper():
        return word[:1].upper() + word[1:].lower() if not model.isupper() else word.upper()
    return word


def phrase_is_name_like(text: str) -> bool:
    """Does a parenthesised source («Медиазона», Би-би-си, ООН) read as a name?"""
    return bool(re.match(r"\s*[«\"“A-ZА-ЯЁІЇЄҐ]", text))
