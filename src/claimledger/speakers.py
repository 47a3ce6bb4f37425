"""Speaker resolution within one document.

A speaker mention is a name ("Tabalov"), a pronoun ("she"), or a description ("a woman whose
boyfriend …", "the ministry", "reports"). Each is resolved to one entity of the document:

- a name joins the entity with the same surname (and a compatible first name), and takes the
  fullest form the document gives ("Tabalov" → "Alexei Tabalov", found in any sentence);
- he/she/they join the most recent compatible entity before the mention (gender learnt from
  pronouns and nouns such as "woman" or "spokeswoman", number from the phrase);
- a definite description ("the spokeswoman", "the ministry") joins the most recent entity
  with that role or head noun; an indefinite one ("a senior official") is a new entity.

Entities that never speak or claim a number are not reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .model import Speaker
from .nlp import lexicon as lx
from .nlp.attribution import Mention
from .sections import MONTHS, WEEKDAYS

_NAME_CHARS = r"[A-Z][\w’'\-.]*"
#: A part of a named body ("Al-Qaeda's local wing", "the party's youth branch").
_SUB_BODIES = lx.EN.words("sub_bodies")
#: Generic nouns for a body the story has already named ("the group", "the organisation").
_GENERIC_BODIES = lx.EN.words("generic_bodies")
#: How far back (characters) "the lawyer" may reach for a named person it never was called before.
PROFESSION_REACH = 1500
#: Words before a capitalised name that are not part of it ("said Petrova", "Mr Ortiz").
_SKIP_FIRST = lx.EN.words("name_skip_words") | lx.EN.words("honorifics")


#: A capitalised word or two (and an initial: "Svetlana A.") with an age in commas after it.
_AGE_APPOSITION = re.compile(r"\b([A-Z][a-z’'-]+(?: [A-Z][a-z’'-]+)?(?: [A-Z]\.)?), \d{1,2}, ")
_CALENDAR_WORDS = MONTHS | WEEKDAYS | {"today", "yesterday"}
#: "Al-Qaeda's local wing": a body named through its parent.
_POSSESSOR = re.compile(r"(?:the\s+)?([A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)*)(?:’s|'s)\s")
_FIRST_AND_INITIAL = re.compile(r"([A-Z][a-z’'-]+) ([A-Z])\.")


@dataclass
class Entity:
    speaker: Speaker
    gender: str | None = None
    plural: bool = False
    heads: set[str] = field(default_factory=set)  # head nouns and roles it was described by
    last: int = -1  # offset of the latest mention
    first_names: set[str] = field(default_factory=set)
    used: bool = False  # attributed a quote or a number: reported in the output


_POSSESSIVE = re.compile(r"\s?(?:’s|'s|’|')$")


def _bare_name(name: str) -> str:
    """The name without a possessive ending: NER takes in "Korelin’s" in "Matvei Korelin’s office"."""
    return _POSSESSIVE.sub("", name.strip())


def _surname(name: str) -> str:
    parts = [p for p in re.split(r"\s+", name.strip()) if p]
    last = parts[-1] if parts else name
    return _bare_name(last).strip(".,").lower()


def _first(name: str) -> str | None:
    parts = name.split()
    return parts[0].lower().strip(".") if len(parts) > 1 else None


def _compatible_first(a: str, b: str) -> bool:
    """Same person's first name in two spellings ("Alexei"/"Alexey", "A.")? Be conservative."""
    if a == b or len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a[0] == b[0] and (a.startswith(b[:3]) or b.startswith(a[:3]))


class SpeakerRegistry:
    """Entities of one document, resolved mention by mention in text order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.entities: list[Entity] = []
        self._names: dict[str, str] = {}  # surname -> fullest person name seen anywhere

    # Names seen anywhere in the document, speaking or not, so that "Tabalov" can become
    # "Alexei Tabalov" and "he" can find a person introduced in a sentence without a cue.
    def observe_person(
        self, name: str, start: int, role: str | None = None, affiliation: str | None = None
    ) -> None:
        name = _bare_name(name)
        key = _surname(name)
        if len(name.split()) > len(self._names.get(key, "").split()):
            self._names[key] = name
        ent = self._by_surname(key, _first(name))
        if ent is None:
            ent = self._new(Speaker("", name, "person", mentions=[]), start)
            ent.first_names.add(_first(name) or "")
        ent.last = max(ent.last, start)
        sp = ent.speaker
        sp.role, sp.affiliation = sp.role or role, sp.affiliation or affiliation
        if role:
            ent.heads.add(role.split()[-1])
            ent.gender = ent.gender or (
                "f"
                if role.split()[-1] in lx.FEMALE_NOUNS
                else "m"
                if role.split()[-1] in lx.MALE_NOUNS
                else None
            )

    def knows_person(self, name: str) -> bool:
        """Has the document named a person with this surname (anywhere, speaking or not), or a
        first name and this surname in a sentence nobody parsed ("moderated by Mira Dastani")?"""
        name = _bare_name(name)
        return _surname(name) in self._names or (len(name.split()) == 1 and self.fuller_name(name) != name)

    def observe_aged_people(self) -> None:
        """ "Natalya, 52, asked …": a name with an age in commas is a person, whatever the tagger
        made of a first name it does not know (and a one-word name is what anonymity leaves)."""
        for m in _AGE_APPOSITION.finditer(self.text[:200_000]):
            words = m.group(1).split()
            if not {w.lower().strip(".") for w in words} & (_SKIP_FIRST | _CALENDAR_WORDS):
                self.observe_person(m.group(1), m.start(1))

    def fuller_name(self, name: str) -> str:
        initial = _FIRST_AND_INITIAL.fullmatch(name.strip())
        if initial is not None:
            # "Tim B." after "Tim Blair": the one known name with that first name and initial.
            first, letter = initial.group(1), initial.group(2)
            full = rf"\b{re.escape(first)} ({letter}[a-z’'-]+)\b"
            fits = {f"{first} {m.group(1)}" for m in re.finditer(full, self.text[:200_000])}
            if len(fits) == 1:
                return fits.pop()
        key = _surname(name)
        known = self._names.get(key)
        first, known_first = _first(name), _first(known) if known else None
        # "Jorik Hallam" is not "Piet Hallam": a different first name is a different person.
        same = not (first and known_first and not _compatible_first(first, known_first))
        if known and same and len(known.split()) >= len(name.split()):
            return known
        # Fall back to the raw text: a capitalised run ending in the surname.
        if len(name.split()) == 1 and len(name) > 2:
            pattern = re.compile(rf"((?:{_NAME_CHARS}[ \t]){{1,2}}){re.escape(name)}\b")
            for m in pattern.finditer(self.text[:200_000]):
                words: list[str] = []
                for w in reversed(m.group(1).split()):  # walk left from the surname
                    bare = w.lower().strip(".")
                    sentence_end = w.endswith(".") and len(w) > 2
                    if bare in _SKIP_FIRST or bare in lx.TITLES or sentence_end:
                        break
                    words.insert(0, w)
                if words:
                    return " ".join([*words, name])
        return name

    def expand_acronym(self, name: str) -> str:
        """ "CPD" → "Coastal Protection Directorate" when the text introduces it as
        "the Coastal Protection Directorate (CPD)": the labels give the full name."""
        bare = name.removeprefix("the ").strip()
        if not (2 <= len(bare) <= 8 and bare.isalpha() and bare.isupper()):
            return name
        at = self.text.find(f"({bare})")
        if at < 0:
            return name
        words = self.text[max(0, at - 120) : at].split()
        # The shortest tail of words whose capitalised initials spell the acronym ("of" etc. skipped).
        for k in range(len(words) - 1, max(-1, len(words) - 12), -1):
            tail = words[k:]
            if "".join(w[0] for w in tail if w[0].isupper()) == bare and tail[0][0].isupper():
                return " ".join(tail)
        return name

    def _new(self, speaker: Speaker, at: int) -> Entity:
        ent = Entity(speaker, last=at)
        self.entities.append(ent)
        return ent

    def _by_surname(self, key: str, first: str | None) -> Entity | None:
        for ent in reversed(self.entities):
            sp = ent.speaker
            if sp.type != "person" or not sp.name or _surname(sp.name) != key:
                continue
            firsts = {f for f in ent.first_names if f}
            if first and firsts and not any(_compatible_first(first, f) for f in firsts):
                continue
            return ent
        return None

    def recent(self, before: int, accept: Callable[[Entity], bool]) -> Entity | None:
        """The entity accepted by ``accept`` whose latest mention before ``before`` is latest."""
        best, best_at = None, -1
        for ent in self.entities:
            at = self._last_seen(ent, before)
            if 0 <= at < before and accept(ent) and at > best_at:
                best, best_at = ent, at
        return best

    def _last_seen(self, ent: Entity, before: int) -> int:
        """Latest mention before ``before``, counting a bare surname anywhere in the text
        ("Varnas spoke again late Thursday." in a sentence that was not parsed)."""
        last = (
            ent.last
            if ent.last < before
            else max((a for a, _ in ent.speaker.mentions if a < before), default=-1)
        )
        sp = ent.speaker
        if sp.type == "person" and sp.name:
            surname = sp.name.split()[-1]
            i = self.text.rfind(surname, max(0, last), before)
            while i > last:
                end = i + len(surname)
                if (i == 0 or not self.text[i - 1].isalnum()) and (
                    end >= len(self.text) or not self.text[end].isalnum()
                ):
                    return i
                i = self.text.rfind(surname, max(0, last), i)
        return last

    def resolve(self, m: Mention, base: int) -> Entity | None:
        """The entity a mention (local offsets, unit at ``base``) refers to; None for I/we/you."""
        start, end = base + m.start, base + m.end
        ent = self._resolve(m, start)
        if ent is None:
            return None
        ent.last = max(ent.last, start)
        if (start, end) not in ent.speaker.mentions:
            ent.speaker.mentions.append((start, end))
        if m.gender and not ent.gender and not ent.plural:
            ent.gender = m.gender
        if m.role and not ent.speaker.role:
            ent.speaker.role = m.role
        if m.affiliation and not ent.speaker.affiliation:
            ent.speaker.affiliation = m.affiliation
        if m.head_lemma:
            ent.heads.add(m.head_lemma)
        if m.role:
            ent.heads.add(m.role.split()[-1])
        return ent

    def _resolve(self, m: Mention, start: int) -> Entity | None:
        if m.kind == "pronoun":
            return self._pronoun(m, start)
        if m.kind == "name" or self._known_surname(m):
            return self._name(m, start)
        return self._nominal(m, start)

    def _known_surname(self, m: Mention) -> bool:
        """ "Roos later wrote …": a sentence-initial surname the tagger took for a common noun."""
        words = m.text.split()
        return len(words) == 1 and m.text[:1].isupper() and _surname(m.text) in self._names

    def _pronoun(self, m: Mention, start: int) -> Entity | None:
        p = m.head_lemma
        if p in ("i", "we", "you", "me", "us"):
            return None  # the writer or a hypothetical addressee: not a source
        if p == "it":
            return self.recent(start, lambda e: e.speaker.type in ("organization", "document"))
        if m.plural:
            return self.recent(start, lambda e: e.plural or e.speaker.type == "organization")

        def ok(e: Entity) -> bool:
            return (
                e.speaker.type in ("person", "anonymous", "unknown")
                and not e.plural
                and (e.gender is None or e.gender == m.gender)
            )

        best = self.recent(start, ok)
        return self._sentence_subject(best, start, ok) or best

    def _sentence_subject(
        self, best: Entity | None, before: int, ok: Callable[[Entity], bool]
    ) -> Entity | None:
        """ "Kovac has not answered Ruiz's letter. “…,” he wrote.": when the latest person is named
        only later in a sentence that another person opens as its subject, "he" is that subject."""
        if best is None:
            return None
        at = self._last_seen(best, before)
        if at < 0:
            return None
        cut = max(self.text.rfind("\n", 0, at), *(self.text.rfind(p, 0, at) for p in (". ", "! ", "? ")))
        lo = cut + 1
        while lo < at and not self.text[lo].isalnum():
            lo += 1
        if lo >= at:
            return None  # the latest person opens the sentence themselves
        for ent in self.entities:
            sp = ent.speaker
            if ent is best or sp.type != "person" or not sp.name or not ok(ent):
                continue
            for form in (sp.name, sp.name.split()[-1]):
                if self.text.startswith(form, lo):
                    nxt = self.text[lo + len(form) : lo + len(form) + 2]
                    if nxt[:1] == " " and nxt[1:2].islower():  # "Kovac has …", not "Kovac’s aide"
                        return ent
        return None

    def _name(self, m: Mention, start: int) -> Entity:
        name = _bare_name(m.name or m.text)
        key = _surname(name)
        person_like = (
            m.type == "person"
            or key in self._names
            or (
                m.type == "organization"
                and m.ent_label not in ("GPE", "NORP")
                and self.fuller_name(name) != name
                and m.head_lemma not in lx.ORGANIZATION_NOUNS
            )
        )
        if person_like:
            full = self.fuller_name(name)
            ent = self._by_surname(_surname(full), _first(full))
            if ent is None:
                ent = self._new(Speaker("", full, "person", mentions=[]), start)
            elif len(full.split()) > len((ent.speaker.name or "").split()):
                ent.speaker.name = full
            if _first(full):
                ent.first_names.add(_first(full) or "")
            ent.plural = False
            return ent
        name = self.expand_acronym(name)
        norm = name.lower().removeprefix("the ").strip()
        for ent in reversed(self.entities):
            other = (ent.speaker.name or "").lower().removeprefix("the ").strip()
            if ent.speaker.type == "organization" and other and (other == norm):
                return ent
        ent = self._new(Speaker("", name, "organization", mentions=[]), start)
        ent.plural = True  # "they" may refer back to an institution
        return ent

    def _nominal(self, m: Mention, start: int) -> Entity:
        head = m.head_lemma
        ent: Entity | None
        if m.type == "document":
            norm = (m.name or m.text).lower()
            for ent in self.entities:
                if ent.speaker.type == "document" and (ent.speaker.name or "").lower() == norm:
                    return ent
            return self._new(Speaker("", m.name or m.text, "document", description=None, mentions=[]), start)
        if m.type == "organization":
            if m.definite:
                ent = self.recent(
                    start,
                    lambda e: (
                        e.speaker.type == "organization"
                        and (head in e.heads or head in (e.speaker.name or "").lower())
                    ),
                )
                if ent is not None:
                    return ent
                if head in _GENERIC_BODIES:
                    # "The group, led by …, vowed …": the organisation the story has just cited.
                    ent = self.recent(start, lambda e: e.speaker.type == "organization")
                    if ent is not None and start - self._last_seen(ent, start) <= PROFESSION_REACH:
                        return ent
            ent = self._new(Speaker("", m.name or m.text, "organization", mentions=[]), start)
            ent.plural = True
            ent.heads.add(head)
            return ent
        if m.plural and m.text.lower().startswith("both "):
            pair = self._last_two_people(start, kin=head in lx.KIN_NOUNS)
            if pair is not None:
                return pair
        if m.definite and m.plural:
            # "the institute's economists": the group already introduced with that noun.
            ent = self.recent(
                start, lambda e: head in e.heads and (e.plural or e.speaker.type == "organization")
            )
            if ent is not None:
                return ent
        if m.definite and not m.plural:
            # "the spokeswoman", "the lawyer", "the 29-year-old": someone already in the story.
            ent = self.recent(start, lambda e: head in e.heads)
            if ent is None and head in lx.OFFICE_NOUNS:
                ent = self._office_holder(head)
            if ent is None and head in lx.PROFESSION_NOUNS:
                ent = self._recent_named(start, m.gender)
            if ent is None and head not in lx.PERSON_NOUNS | lx.OFFICE_NOUNS:
                ent = self.recent(start, lambda e: e.speaker.type == "person")
            if ent is not None:
                return ent
        typ = "anonymous" if m.type in ("anonymous", "unknown") else m.type
        if (again := self._repeated(m, start)) is not None:
            return again
        name = m.name if typ == "person" else None  # an office holder: "regional governor of X"
        ent = self._new(
            Speaker("", name, typ, description=m.description or m.text, role=m.role, mentions=[]), start
        )
        ent.gender, ent.plural = m.gender, m.plural
        ent.heads.add(head)
        return ent

    def _repeated(self, m: Mention, start: int) -> Entity | None:
        """ "Another official estimated …" in a paragraph the page prints twice (a teaser above the
        story): the same words around the same description are the same source, not a second one."""
        desc = (m.description or m.text).lower()
        here = self._paragraph(start)
        for ent in self.entities:
            if (ent.speaker.description or "").lower() != desc or not ent.speaker.mentions:
                continue
            at = ent.speaker.mentions[0][0]
            if at != start and len(here) > 40 and self._paragraph(at) == here:
                return ent
        return None

    def _paragraph(self, at: int) -> str:
        lo = self.text.rfind("\n", 0, at) + 1
        hi = self.text.find("\n", at)
        return self.text[lo : hi if hi >= 0 else len(self.text)].strip()

    def _recent_named(self, before: int, gender: str | None) -> Entity | None:
        """The person named in full last mentioned shortly before ``before``, if the gender fits."""
        ent = self.recent(
            before,
            lambda e: (
                e.speaker.type == "person"
                and len((e.speaker.name or "").split()) > 1  # "Natalya" alone: a private person
                and not e.plural
                and (gender is None or e.gender in (None, gender))
            ),
        )
        if ent is None or before - self._last_seen(ent, before) > PROFESSION_REACH:
            return None
        return ent

    def _last_two_people(self, before: int, kin: bool) -> Entity | None:
        """ "Both men say …": the two people named last, speaking together; "both brothers" are the
        two named last who share a surname."""
        people = [e for e in self.entities if e.speaker.type == "person" and e.speaker.name]
        named = [
            e
            for e in people
            if 0 <= self._last_seen(e, before) < before and " and " not in (e.speaker.name or "")
        ]
        named.sort(key=lambda e: self._last_seen(e, before), reverse=True)
        if kin:
            family: dict[str, list[Entity]] = {}
            for e in named:
                family.setdefault(_surname(e.speaker.name or ""), []).append(e)
            named = next((pair for pair in family.values() if len(pair) >= 2), named)
        if len(named) < 2:
            return None
        # Named in the order the text introduces them.
        a, b = sorted(named[:2], key=lambda e: self.text.find(e.speaker.name or ""))
        joint = f"{a.speaker.name} and {b.speaker.name}"
        for ent in self.entities:
            if ent.speaker.name == joint:
                return ent
        ent = self._new(Speaker("", joint, "person", mentions=[]), before)
        ent.plural = True
        return ent

    def _office_holder(self, office: str) -> Entity | None:
        """The one named person the document gives this office ("premier says" in a summary line
        above "Regional Premier Aldo Fenwick"): a unique office may be named after it is cited."""
        holders = [
            e for e in self.entities if e.speaker.type == "person" and e.speaker.name and office in e.heads
        ]
        return holders[0] if len(holders) == 1 else None

    def merge_descriptions(self) -> None:
        """ "Al-Qaeda's local wing said …" and later "the al-Qaeda Organisation in Iraq said …": a
        body described through its parent's name is the organisation the article names in full,
        and takes that name (labelling rule: one speaker, named by its fullest name)."""
        orgs = [e for e in self.entities if e.speaker.type == "organization"]
        for a in orgs:
            m = _POSSESSOR.match(a.speaker.name or "")
            words = (a.speaker.name or "").lower().split()
            if m is None or not words or words[-1] not in _SUB_BODIES:
                continue  # "Kyiv's city council" is no part of the "Kyiv Post"
            key = {w for w in re.split(r"[-\s]", m.group(1).lower()) if len(w) > 3}
            for b in orgs:
                other = (b.speaker.name or "").lower()
                if b is a or b.speaker is a.speaker or _POSSESSOR.match(b.speaker.name or ""):
                    continue
                if key & set(re.split(r"[-\s]", other)) and len(other.split()) >= 2:
                    b.speaker.mentions.extend(x for x in a.speaker.mentions if x not in b.speaker.mentions)
                    a.speaker = b.speaker
                    b.used = b.used or a.used
                    break

    def used_speakers(self) -> list[Speaker]:
        """Speakers that are attributed something, numbered s1, s2, … in order of first mention."""
        seen: set[int] = set()
        used: list[Entity] = []
        for e in self.entities:
            if e.used and id(e.speaker) not in seen:
                seen.add(id(e.speaker))
                used.append(e)
        used.sort(key=lambda e: min(e.speaker.mentions)[0] if e.speaker.mentions else e.last)
        for n, ent in enumerate(used, 1):
            ent.speaker.id = f"s{n}"
            ent.speaker.mentions.sort()
        return [e.speaker for e in used]
