"""Speakers across documents: which per-document speakers are the same person or organisation.

Pure Python, no database: the storage layer hands in one :class:`SpeakerRecord` per speaker of
each document and gets back :class:`CanonicalSpeaker` clusters (``resolve_speakers``), or adds
new records to clusters it already has without renaming them (``resolve_into``).

The resolver is deliberately conservative: a wrong merge silently pools two people's claims,
a missed merge only leaves two ledger rows that a reader can still connect.

People
    A name is parsed into (first name, surname): leading titles ("Mr", "Gen.", "President") and
    trailing suffixes ("Jr") are dropped, the last word is the surname, the first word the first
    name, anything between (patronymics, middle names) is kept in the spelling but not compared.
    Both parts are reduced to a *transliteration key* by :data:`TRANSLIT_RULES` (so "Alexei",
    "Alexey", "Aleksei" → ``aleksi``; "Zelensky", "Zelenskyy", "Zelenskiy" → ``zelenski``), and
    first names are then mapped through :data:`FIRST_NAME_FORMS` (Russian / Ukrainian / English
    forms of one name: "Sergei" ~ "Serhiy", "Oleksandr" ~ "Alexander"), whose first member
    labels the group.

    - Full names join when the surname keys and first-name labels agree and the roles are
      compatible (:func:`roles_compatible`); a full name without a role that matches two
      different people is left on its own.
    - A surname-only mention ("Tabalov", or "A. Tabalov" with a matching initial) joins a full
      name only when exactly one full-name person with that surname and a compatible role exists
      (if several do, a positive role match — same role head — can still single one out).
      Otherwise it joins the only compatible surname-only cluster, or stays apart.
    - Different first names ("Mikhail" vs "Alexei") are never merged, nor are clashing roles
      ("governor" vs "deputy minister of health", "lawyer" vs "soldier").
    - Serhiy/Sergei (and the other pairs of :data:`FIRST_NAME_FORMS`) *are* merged: English news
      routinely writes Ukrainian officials with the Russian form of the first name, and the
      surname must agree as well. The evidence line says which kind of variant it was.

Organisations
    :func:`org_parts` splits a name into a country qualifier and a body: articles are dropped,
    a leading possessive or adjectival country ("Russia's", "Russian", "U.S.") or a trailing
    "of Russia" / "of the Russian Federation" becomes the qualifier (or the record's
    ``affiliation`` if that is a country), British spellings become American
    (:data:`SPELLING_VARIANTS`), acronyms expand (:data:`ORG_ACRONYMS`, :data:`ORG_SYNONYMS`),
    "Defense Ministry" becomes "ministry of defense", and portfolios are normalised
    (:data:`PORTFOLIO_SYNONYMS`: "foreign affairs" → "foreign"). Bodies must be equal; the
    countries must be equal, or one missing when only one country has that body. Generic bodies
    without a country ("the ministry", "the government") are never merged across documents.

Anonymous, document and unknown speakers (and people or organisations without a usable name)
are never merged: each record is its own :class:`CanonicalSpeaker`.

Ids
    Derived from the canonical key: ``p:<surname>:<first-name label>`` (``p:<surname>`` while
    only the surname is known), ``o:<country>:<body>`` / ``o:<body>``. Two distinct clusters with
    the same key: the larger (then the one with the smallest record key) keeps it, the others get
    ``~<8 hex of sha1(smallest record key)>``. A record that stays alone because it is ambiguous,
    anonymous, a document or unknown gets ``<key or type letter>#<record key>``. Ids therefore
    depend only on the set of records, not on their order; ``resolve_into`` never changes an
    existing id (a surname-only cluster that later learns the full name keeps ``p:<surname>``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from anyascii import anyascii

from ..lexicons import load

__all__ = [
    "COUNTRIES",
    "FIRST_NAME_FORMS",
    "GENERIC_ORG_BODIES",
    "GENERIC_ROLE_HEADS",
    "NAME_SUFFIXES",
    "NAME_TITLES",
    "ORG_ACRONYMS",
    "ORG_SYNONYMS",
    "PORTFOLIO_SYNONYMS",
    "ROLE_HEAD_SYNONYMS",
    "ROLE_PHRASES",
    "SPELLING_VARIANTS",
    "TRANSLIT_RULES",
    "CanonicalSpeaker",
    "SpeakerRecord",
    "first_name_label",
    "org_parts",
    "resolve_into",
    "resolve_speakers",
    "role_signature",
    "roles_compatible",
    "speaker_key",
    "translit_key",
]


# --- public data types -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpeakerRecord:
    """One speaker of one document, as extracted."""

    key: str  # unique id of the record, e.g. f"{doc_id}:{speaker_id}"
    name: str | None
    type: str  # person | organization | anonymous | document | unknown
    role: str | None = None
    affiliation: str | None = None
    description: str | None = None
    published: str | None = None  # YYYY-MM-DD of the document, if known


@dataclass(slots=True)
class CanonicalSpeaker:
    """One person or organisation across documents, with every spelling and why they were merged."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    roles: list[tuple[str, str | None]] = field(default_factory=list)
    affiliations: list[tuple[str, str | None]] = field(default_factory=list)
    records: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


# --- lexicons --------------------------------------------------------------------------------------

#: The word lists below are data (``claimledger/lexicons/en/names.toml``), each with its reason.
_EN = load("en")

#: Transliteration rules, applied in order to a lower-cased, ASCII-folded, letters-only name part.
#: (pattern, replacement, why). The result is a matching key, never shown to a reader.
TRANSLIT_RULES: tuple[tuple[str, str, str], ...] = (
    (r"x", "ks", "Alexei → Aleksei, Maxim → Maksim"),
    (
        r"(?<![scz])kh",
        "h",
        "Mikhail → Mihail, Kharkiv → Harkiv; not after s/c/z, where it would fuse into sh/ch/zh",
    ),
    (r"^[iy]e", "e", "initial ye/ie/e: Yevgeny, Ievgeny → Evgeny; Yermakov → Ermakov"),
    (r"(?<=[aeiou])j", "i", "j for й after a vowel: Sergej → Sergei, Zelenskij → Zelenskii"),
    (r"y", "i", "y/i: Dmitry → Dmitri, Yuri → Iuri, Natalya → Natalia, Tolstoy → Tolstoi"),
    (r"i{2,}", "i", "-ii/-iy/-yy/-iia: Dmitrii → Dmitri, Zelenskyy → Zelenski, Nataliya → Natalia"),
    (r"(?<=[aeou])ie", "e", "ye after a vowel: Sergeyev → Sergeev, Aliyev → Aliev"),
    (r"(?<=[a-z]{3})ei$", "i", "-ei/-ey ending of longer names: Alexei → Aleksi (as Aleksii); not Lei/Mei"),
    (r"([bcdfghjklmnpqrstvwz])\1", r"\1", "doubled consonants: Kirill → Kiril, Gennady → Genadi"),
)
_TRANSLIT = tuple((re.compile(p), r) for p, r, _why in TRANSLIT_RULES)

#: Forms of one first name across Russian, Ukrainian and English spellings that the
#: transliteration rules cannot reach (different letters, not different romanisations).
#: The first member labels the group and appears in ids.
FIRST_NAME_FORMS: tuple[tuple[str, ...], ...] = _EN.grouped("first_name_forms")

#: Leading words of a person's name that are titles, not names ("Gen. Alexei Tabalov"): the
#: titles extraction drops from a speaker's name (``lexicons/en/people.toml``), without periods.
NAME_TITLES: frozenset[str] = (
    _EN.words("titles")
    | _EN.words("honorifics")
    | _EN.words("title_abbreviations")
    | _EN.words("title_abbreviations_split")
)

#: Trailing words of a person's name that are not the surname.
NAME_SUFFIXES: frozenset[str] = _EN.words("name_suffixes")

#: Multi-word roles rewritten to one head before parsing.
ROLE_PHRASES: dict[str, str] = _EN.names("role_phrases")

#: Role head nouns that name the same kind of job.
ROLE_HEAD_SYNONYMS: dict[str, str] = _EN.names("role_head_synonyms")

#: Role heads too generic to tell people apart: treated as no role.
GENERIC_ROLE_HEADS: frozenset[str] = _EN.words("generic_role_heads")

#: Modifiers that name a portfolio when they precede a role or institution ("health minister").
_PORTFOLIO_WORDS: frozenset[str] = _EN.words("portfolio_words")

#: British → American spellings (applied word by word to organisation names and roles).
SPELLING_VARIANTS: dict[str, str] = _EN.names("spelling_variants")

#: Portfolio names that mean the same ministry ("Ministry of Foreign Affairs" = "Foreign Ministry").
PORTFOLIO_SYNONYMS: dict[str, str] = _EN.names("portfolio_synonyms")

#: Acronyms expanded wherever they stand as a word (none of them is an English word).
ORG_ACRONYMS: dict[str, str] = _EN.names("org_acronyms")

#: Whole-name synonyms (after acronym expansion and spelling normalisation).
ORG_SYNONYMS: dict[str, str] = _EN.names("org_synonyms")

#: Countries: canonical name → names, short forms and adjectives that qualify an organisation.
COUNTRIES: dict[str, tuple[str, ...]] = {group[0]: group for group in _EN.grouped("countries")}
_COUNTRY_INDEX: dict[tuple[str, ...], str] = {
    tuple(alias.split()): country for country, aliases in COUNTRIES.items() for alias in aliases
}
_COUNTRY_MAX_WORDS = max(len(k) for k in _COUNTRY_INDEX)

#: Organisation bodies that, without a country, could be any ministry, government or agency.
GENERIC_ORG_BODIES: frozenset[str] = _EN.words("generic_org_bodies")

_INVERTIBLE_HEADS = ("ministry", "department")  # "X Ministry" ↔ "Ministry of X"
_ARTICLES = frozenset({"the", "a", "an"})
_STAGE_SOLO = 9


# --- normalisation ---------------------------------------------------------------------------------


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@lru_cache(maxsize=65_536)  # pure and called for every stored spelling on each ingest
def _fold(text: str) -> str:
    """ASCII-fold: romanise Cyrillic (anyascii: «Алексей» → Aleksey, «Олексій» → Oleksiy, so the
    transliteration rules then meet the Latin spellings), strip diacritics, unify apostrophes and dashes."""
    if _CYRILLIC.search(text):
        text = anyascii(text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for a, b in (("’", "'"), ("‘", "'"), ("ʼ", "'"), ("–", "-"), ("—", "-")):
        text = text.replace(a, b)
    return text


@lru_cache(maxsize=65_536)  # pure and called for every stored spelling on each ingest
def translit_key(token: str) -> str:
    """The transliteration key of one name part (see :data:`TRANSLIT_RULES`)."""
    folded = _fold(token).lower()
    letters = re.sub(r"[^a-z]", "", folded)
    if not letters:  # a non-Latin script: compare as written
        return re.sub(r"[\W_]", "", folded)
    for pattern, repl in _TRANSLIT:
        letters = pattern.sub(repl, letters)
    return letters


_FIRST_NAME_INDEX: dict[str, str] = {}
_FIRST_NAME_INITIALS: dict[str, frozenset[str]] = {}
for _group in FIRST_NAME_FORMS:
    for _form in _group:
        _FIRST_NAME_INDEX.setdefault(translit_key(_form), _group[0])
    _FIRST_NAME_INITIALS[_group[0]] = frozenset(f[0] for f in _group)


@lru_cache(maxsize=65_536)  # pure and called for every stored spelling on each ingest
def first_name_label(token: str) -> str:
    """The label of a first name: its :data:`FIRST_NAME_FORMS` group, else its translit key."""
    key = translit_key(token)
    return _FIRST_NAME_INDEX.get(key, key)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", text.strip()) if w]


@dataclass(frozen=True, slots=True)
class _PersonName:
    surname: str  # transliteration key
    first: str | None  # first-name label
    initial: str | None  # "a" for "A. Tabalov"
    first_raw: str | None  # the first name as spelled, lower-cased
    surname_raw: str
    tokens: int  # name words after titles and suffixes
    clean: str  # the name without titles and suffixes


@lru_cache(maxsize=65_536)  # pure and called for every stored spelling on each ingest
def _parse_person(name: str | None) -> _PersonName | None:
    if not name:
        return None
    text = _fold(name).strip().strip("\"'")
    text = re.sub(r"'s?$", "", text)
    words = [w.strip(',;:()"') for w in _words(text)]
    words = [w for w in words if w]
    while len(words) > 1 and words[0].lower().rstrip(".") in NAME_TITLES:
        words.pop(0)
    while len(words) > 1 and words[-1].lower().rstrip(".") in NAME_SUFFIXES:
        words.pop()
    if not words:
        return None
    surname_raw = words[-1].rstrip(".").lower()
    surname = translit_key(surname_raw)
    if not surname:
        return None
    first = initial = first_raw = None
    if len(words) > 1:
        head = words[0].rstrip(".")
        if len(head) == 1 and head.isalpha():
            initial = head.lower()
        else:
            first_raw = head.lower()
            first = first_name_label(head) or None
    return _PersonName(surname, first, initial, first_raw, surname_raw, len(words), " ".join(words))


def _initials_of(first_raw: str | None, first: str | None) -> set[str]:
    out: set[str] = set()
    if first_raw:
        out.add(_fold(first_raw)[:1].lower())
    if first:
        out |= _FIRST_NAME_INITIALS.get(first, frozenset({first[:1]}))
    return out


def _match_country(words: list[str]) -> str | None:
    key = tuple(w[:-2] if w.endswith("'s") else w.rstrip("'") for w in words)
    return _COUNTRY_INDEX.get(key)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def org_parts(name: str | None, affiliation: str | None = None) -> tuple[str | None, str]:
    """(country, body) of an organisation name: ``"Russia's Ministry of Defence"`` →
    ``("russia", "ministry of defense")``. The body is ``""`` when nothing is left."""
    if not name:
        return None, ""
    text = _fold(name).lower()
    text = re.sub(r"\b(?:[a-z]\.){2,}", lambda m: m.group(0).replace(".", ""), text)  # U.N. → un
    text = re.sub(r"[^a-z0-9'\- ]+", " ", text)
    words = _words(text)
    while words and words[0] in _ARTICLES:
        words.pop(0)
    if words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    country: str | None = None
    # leading country: "Russia's", "Russian", "the U.S." (only if something follows)
    for n in range(min(_COUNTRY_MAX_WORDS, len(words) - 1), 0, -1):
        found = _match_country(words[:n])
        if found:
            country, words = found, words[n:]
            break
    while words and words[0] in _ARTICLES:
        words.pop(0)
    # trailing country: "... of Ukraine", "... of the Russian Federation"
    if country is None:
        for n in range(min(_COUNTRY_MAX_WORDS, len(words)), 0, -1):
            tail, rest = words[-n:], words[:-n]
            if rest and rest[-1] in _ARTICLES:
                rest = rest[:-1]
            if len(rest) >= 2 and rest[-1] == "of" and (found := _match_country(tail)):
                country, words = found, rest[:-1]
                break
    words = [SPELLING_VARIANTS.get(w, w).replace("'", "") for w in words]
    expanded: list[str] = []
    for w in words:
        expanded.extend(ORG_ACRONYMS.get(w, w).split())
    while expanded and expanded[0] in _ARTICLES:
        expanded.pop(0)
    body = " ".join(expanded)
    body = ORG_SYNONYMS.get(body, body)
    for head in _INVERTIBLE_HEADS:
        m = re.fullmatch(rf"(.+) {head}", body)
        if m and " of " not in f" {m.group(1)} ":
            body = f"{head} of {m.group(1)}"
        m = re.fullmatch(rf"{head} of (?:the )?(.+)", body)
        if m:
            body = f"{head} of {PORTFOLIO_SYNONYMS.get(m.group(1), m.group(1))}"
    if country is None and affiliation:
        aff = [w for w in _words(re.sub(r"[^a-z' ]+", " ", _fold(affiliation).lower())) if w not in _ARTICLES]
        country = _match_country(aff) if aff else None
    if not body and country:
        body, country = country, None  # "Russia" said …: the state itself
    return country, body


def _org_key(country: str | None, body: str) -> str | None:
    if not body or (country is None and body in GENERIC_ORG_BODIES):
        return None
    return f"o:{_slug(country)}:{_slug(body)}" if country else f"o:{_slug(body)}"


@dataclass(frozen=True, slots=True)
class _Role:
    head: str | None
    portfolio: str | None
    cyrillic: bool = False  # written in Cyrillic: comparable only with roles in that script


def role_signature(role: str | None) -> tuple[str | None, str | None] | None:
    """(head, portfolio) of a role: "deputy minister of health" → ("minister", "health"),
    "Belgorod governor" → ("governor", None), "spokeswoman" → ("spokesperson", None)."""
    sig = _role_sig(role)
    return None if sig is None else (sig.head, sig.portfolio)


@lru_cache(maxsize=65_536)  # pure and called for every stored spelling on each ingest
def _role_sig(role: str | None) -> _Role | None:
    if not role or not role.strip():
        return None
    text = _fold(role).lower()
    for phrase, repl in ROLE_PHRASES.items():
        text = re.sub(rf"\b{re.escape(phrase)}\b", repl, text)
    text = text.split(",")[0]
    m = re.search(r"\b(of|for|at|in|with|from|to|on)\b", text)
    head_part = text[: m.start()] if m else text
    complement = text[m.end() :] if m and m.group(1) in ("of", "for") else None
    words = [SPELLING_VARIANTS.get(w, w) for w in re.findall(r"[a-z][a-z\-]*", head_part)]
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    head = ROLE_HEAD_SYNONYMS.get(words[-1], words[-1]) if words else None
    if head in GENERIC_ROLE_HEADS:
        head = None
    portfolio = next(
        (PORTFOLIO_SYNONYMS.get(w, w) for w in words[:-1] if w in _PORTFOLIO_WORDS),
        None,
    )
    if portfolio is None and complement:
        _country, body = org_parts(complement)
        for h in _INVERTIBLE_HEADS:
            body = body.removeprefix(f"{h} of ")
        body = PORTFOLIO_SYNONYMS.get(body, body)
        portfolio = body if body and body not in GENERIC_ORG_BODIES else None
    if head is None and portfolio is None:
        return None
    return _Role(head, portfolio, bool(_CYRILLIC.search(role)))


def roles_compatible(a: str | None, b: str | None) -> bool:
    """Two roles may belong to one person: one is missing, or the heads agree (after
    :data:`ROLE_HEAD_SYNONYMS`; generic heads count as missing) and the portfolios agree or
    one is missing. "governor" vs "deputy minister of health" and "lawyer" vs "soldier" clash."""
    return _sig_compatible(_role_sig(a), _role_sig(b))


def _sig_compatible(a: _Role | None, b: _Role | None) -> bool:
    if a is None or b is None or a.cyrillic != b.cyrillic:  # «юрист» and "lawyer": not comparable here
        return True
    if a.head and b.head and a.head != b.head:
        return False
    return not (a.portfolio and b.portfolio and a.portfolio != b.portfolio)


def _sig_positive(a: _Role | None, b: _Role | None) -> bool:
    if a is None or b is None or a.cyrillic != b.cyrillic:
        return False
    return a.head is not None and a.head == b.head


@lru_cache(maxsize=1 << 14)
def _role_norm(text: str) -> str:
    words = _words(re.sub(r"[^a-z0-9' \-]+", " ", _fold(text).lower()))
    while words and words[0] in _ARTICLES:
        words.pop(0)
    return " ".join(SPELLING_VARIANTS.get(w, w) for w in words)


def speaker_key(record: SpeakerRecord) -> str | None:
    """The normalised blocking key of a record: ``p:<surname>:<first-name label>`` or
    ``p:<surname>`` (surname or initial only) for people, ``o:[<country>:]<body>`` for
    organisations; ``None`` for anonymous, document and unknown speakers, for names that do not
    parse, and for generic organisations without a country — those are never merged."""
    if record.type == "person":
        pn = _parse_person(record.name)
        if pn is None:
            return None
        return f"p:{pn.surname}:{pn.first}" if pn.first else f"p:{pn.surname}"
    if record.type == "organization":
        return _org_key(*org_parts(record.name, record.affiliation))
    return None


# --- clusters --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Cluster:
    type: str
    order: int
    locked_id: str | None = None
    solo_id: str | None = None  # set for clusters that never take another record
    surname: str | None = None
    first: str | None = None
    initial: str | None = None
    initials: set[str] = field(default_factory=set)
    country: str | None = None
    body: str | None = None
    sigs: list[_Role] = field(default_factory=list)
    spellings: Counter[str] = field(default_factory=Counter)
    roles: dict[str, tuple[str, str]] = field(default_factory=dict)  # norm → (date or "~", spelling)
    affiliations: dict[str, tuple[str, str]] = field(default_factory=dict)
    records: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    fallback_name: str = ""

    def roles_ok(self, sig: _Role | None) -> bool:
        return all(_sig_compatible(s, sig) for s in self.sigs)

    def positive(self, sig: _Role | None) -> bool:
        return any(_sig_positive(s, sig) for s in self.sigs)

    def best_name(self) -> str:
        if not self.spellings:
            return self.fallback_name
        return min(self.spellings, key=lambda s: _name_rank(self.type, s, self.spellings[s]))

    def add_evidence(self, line: str) -> None:
        if line not in self.evidence:
            self.evidence.append(line)


def _name_rank(typ: str, spelling: str, count: int) -> tuple:
    """Fullest first (a first name, a country), then most frequent, then the most words, then
    without a title ("President …"), then longest, then alphabetical."""
    clean = spelling
    if typ == "person":
        pn = _parse_person(spelling)
        full = bool(pn and pn.first)
        words = pn.tokens if pn else 0
        clean = pn.clean if pn else spelling
    else:
        full = org_parts(spelling)[0] is not None
        words = len(_words(spelling))
    return (not full, -count, -words, clean != spelling, -len(clean), spelling)


def _keep_earliest(table: dict[str, tuple[str, str]], text: str | None, date: str | None) -> None:
    if not text or not text.strip():
        return
    text = " ".join(text.split())
    norm = _role_norm(text)
    if not norm:
        return
    entry = (date or "~", text)  # "~" sorts after every date: undated last
    if norm not in table or entry < table[norm]:
        table[norm] = entry


def _absorb(cluster: _Cluster, rec: SpeakerRecord) -> None:
    if rec.name and rec.name.strip():
        cluster.spellings[" ".join(rec.name.split())] += 1
    _keep_earliest(cluster.roles, rec.role, rec.published)
    _keep_earliest(cluster.affiliations, rec.affiliation, rec.published)
    sig = _role_sig(rec.role)
    if sig is not None and sig not in cluster.sigs:
        cluster.sigs.append(sig)
    cluster.records.append(rec.key)


def _quote(name: str | None) -> str:
    return f"'{' '.join((name or '').split())}'"


def _role_note(cluster: _Cluster, rec: SpeakerRecord) -> str:
    if not rec.role or not cluster.roles:
        return ""
    theirs = min(cluster.roles.values())[1]
    return f"; roles compatible ({rec.role.strip()} ~ {theirs})"


def _first_reason(a: _PersonName, b: _PersonName) -> str:
    if a.first_raw == b.first_raw:
        return "same first name"
    if a.first_raw and b.first_raw and translit_key(a.first_raw) == translit_key(b.first_raw):
        return f"first names are transliteration variants ({a.first_raw} ~ {b.first_raw})"
    return f"first names are forms of one name ({a.first_raw} ~ {b.first_raw})"


def _surname_reason(a: _PersonName, b: _PersonName) -> str:
    if a.surname_raw == b.surname_raw:
        return "same surname"
    return f"surnames are transliteration variants ({a.surname_raw} ~ {b.surname_raw})"


class _Resolver:
    def __init__(self, existing: list[CanonicalSpeaker]) -> None:
        self.clusters: list[_Cluster] = []
        self.seen: set[str] = set()
        for cs in sorted(existing, key=lambda c: c.id):
            self.clusters.append(self._from_existing(cs))
            self.seen.update(cs.records)

    # existing canonical speakers become locked clusters
    def _from_existing(self, cs: CanonicalSpeaker) -> _Cluster:
        c = _Cluster(type=cs.type, order=len(self.clusters), locked_id=cs.id, fallback_name=cs.name)
        if "#" in cs.id or cs.type not in ("person", "organization"):
            c.solo_id = cs.id
        for alias in cs.aliases:  # frequencies are not stored: the chosen name counts once per record
            c.spellings[alias] = max(1, len(cs.records)) if alias == cs.name else 1
        for text, date in cs.roles:
            _keep_earliest(c.roles, text, date)
            sig = _role_sig(text)
            if sig is not None and sig not in c.sigs:
                c.sigs.append(sig)
        for text, date in cs.affiliations:
            _keep_earliest(c.affiliations, text, date)
        c.records = list(cs.records)
        c.evidence = list(cs.evidence)
        spellings = sorted(c.spellings)
        if cs.type == "person":
            parsed = [p for p in (_parse_person(s) for s in [cs.name, *spellings]) if p]
            if parsed:
                c.surname = parsed[0].surname
                full = [p for p in parsed if p.first and p.surname == c.surname]
                if full:
                    c.first = full[0].first
                    for p in full:
                        c.initials |= _initials_of(p.first_raw, p.first)
                else:
                    c.initial = next((p.initial for p in parsed if p.initial), None)
            else:
                c.solo_id = cs.id
        elif cs.type == "organization":
            country, body = org_parts(cs.name)
            if not country:
                country = next((k for k in (org_parts(s)[0] for s in spellings) if k), None)
            c.country, c.body = country, body
            if _org_key(country, body) is None:
                c.solo_id = cs.id
        return c

    def _new(self, rec: SpeakerRecord, **kw) -> _Cluster:
        c = _Cluster(type=rec.type, order=len(self.clusters), **kw)
        c.fallback_name = rec.name or rec.description or rec.type
        self.clusters.append(c)
        _absorb(c, rec)
        return c

    def _open(self, typ: str) -> list[_Cluster]:
        return [c for c in self.clusters if c.type == typ and c.solo_id is None]

    def add(self, rec: SpeakerRecord) -> None:
        if rec.key in self.seen:
            return
        self.seen.add(rec.key)
        if rec.type == "person" and (pn := _parse_person(rec.name)) is not None:
            self._add_person(rec, pn)
        elif rec.type == "organization" and _org_key(*(parts := org_parts(rec.name, rec.affiliation))):
            self._add_org(rec, *parts)
        else:
            self._solo(rec, speaker_key(rec))

    def _solo(self, rec: SpeakerRecord, base: str | None) -> None:
        prefix = base or {"person": "p", "organization": "o", "anonymous": "a", "document": "d"}.get(
            rec.type, "u"
        )
        self._new(rec, solo_id=f"{prefix}#{rec.key}")

    @staticmethod
    def _target(c: _Cluster, rec: SpeakerRecord) -> str:
        """The spelling a joining record is compared with: its own if already seen, else the best."""
        spelling = " ".join((rec.name or "").split())
        return spelling if spelling in c.spellings else c.best_name()

    def _join(self, c: _Cluster, rec: SpeakerRecord, reason: str) -> None:
        c.add_evidence(f"{_quote(rec.name)} = {_quote(self._target(c, rec))}: {reason}")
        _absorb(c, rec)

    def _add_person(self, rec: SpeakerRecord, pn: _PersonName) -> None:
        sig = _role_sig(rec.role)
        same = [c for c in self._open("person") if c.surname == pn.surname]
        base = f"p:{pn.surname}:{pn.first}" if pn.first else f"p:{pn.surname}"
        if pn.first:
            cands = [c for c in same if c.first == pn.first and c.roles_ok(sig)]
            if sig is not None and len(cands) > 1:
                cands = [c for c in cands if c.positive(sig)] or cands[:1]
            if len(cands) == 1:
                c = cands[0]
                other = _parse_person(self._target(c, rec)) or pn
                if other.first is None:
                    other = next(p for p in map(_parse_person, sorted(c.spellings)) if p and p.first)
                if _quote(rec.name) == _quote(self._target(c, rec)):
                    reason = "identical spelling"
                else:
                    reason = f"{_surname_reason(pn, other)}, {_first_reason(pn, other)}"
                self._join(c, rec, reason + _role_note(c, rec))
                c.initials |= _initials_of(pn.first_raw, pn.first)
                return
            if cands:  # a role-less full name matching several people
                self._solo(rec, base)
                return
            if not any(c.first for c in same):
                bare = [
                    c
                    for c in same
                    if c.roles_ok(sig)
                    and (c.initial is None or c.initial in _initials_of(pn.first_raw, pn.first))
                ]
                if len(bare) == 1:
                    c = bare[0]
                    reason = (
                        f"full name of the only surname-only speaker {pn.surname_raw.title()}"
                        f" ({_surname_reason(pn, _parse_person(c.best_name()) or pn)})"
                    )
                    self._join(c, rec, reason + _role_note(c, rec))
                    c.first = pn.first
                    c.initials |= _initials_of(pn.first_raw, pn.first)
                    return
            self._new(rec, surname=pn.surname, first=pn.first, initials=_initials_of(pn.first_raw, pn.first))
            return
        # surname only, or initial + surname
        full = [
            c
            for c in same
            if c.first and c.roles_ok(sig) and (pn.initial is None or pn.initial in c.initials)
        ]
        if len(full) > 1 and sig is not None:
            positive = [c for c in full if c.positive(sig)]
            if len(positive) == 1:
                full = positive
        if len(full) == 1:
            c = full[0]
            who = f"the only person named {pn.surname_raw.title()}"
            if sum(1 for o in same if o.first) > 1:  # others of that surname were ruled out by role
                who = f"the only {pn.surname_raw.title()} with a compatible role ({rec.role})"
            if pn.initial:
                who += f", initial {pn.initial.upper()}. matches"
            other = _parse_person(c.best_name()) or pn
            kind = "surname-only mention" if pn.initial is None else "initial and surname"
            self._join(c, rec, f"{kind}, {_surname_reason(pn, other)}, {who}" + _role_note(c, rec))
            return
        if len(full) > 1:  # matches several people: stays apart
            self._solo(rec, base)
            return
        bare = [
            c
            for c in same
            if not c.first and c.roles_ok(sig) and (c.initial is None or pn.initial in (None, c.initial))
        ]
        if len(bare) > 1 and sig is not None:
            bare = [c for c in bare if c.positive(sig)] or bare
        if len(bare) == 1:
            c = bare[0]
            other = _parse_person(self._target(c, rec)) or pn
            if _quote(rec.name) == _quote(self._target(c, rec)):
                reason = "identical spelling"
            else:
                reason = _surname_reason(pn, other)
            self._join(c, rec, f"{reason}, no full name known" + _role_note(c, rec))
            c.initial = c.initial or pn.initial
            return
        if len(bare) > 1:
            self._solo(rec, base)
            return
        self._new(rec, surname=pn.surname, initial=pn.initial)

    def _add_org(self, rec: SpeakerRecord, country: str | None, body: str) -> None:
        same = [c for c in self._open("organization") if c.body == body]
        target: _Cluster | None = None
        note = ""
        if country:
            exact = [c for c in same if c.country == country]
            others = [c for c in same if c.country not in (None, country)]
            none = [c for c in same if c.country is None]
            if exact:
                target = exact[0]
                note = f", same country ({country})"
            elif not others and len(none) == 1:
                target = none[0]
                note = f", country {country} given by one name only"
                target.country = country
        else:
            none = [c for c in same if c.country is None]
            if len(same) == 1:
                target = same[0]
                if target.country:
                    note = f", country {target.country} given by one name only"
            elif none:
                target = none[0]
        if target is None:
            self._new(rec, country=country, body=body)
            return
        if _quote(rec.name) == _quote(self._target(target, rec)):
            reason = "identical spelling"
        else:
            reason = f"same organisation after normalisation ({body}){note}"
        self._join(target, rec, reason)

    # ids and output
    def result(self) -> list[CanonicalSpeaker]:
        taken = {c.locked_id for c in self.clusters if c.locked_id}
        ids: dict[int, str] = {}
        groups: dict[str, list[_Cluster]] = {}
        for c in self.clusters:
            if c.locked_id:
                ids[c.order] = c.locked_id
            elif c.solo_id:
                ids[c.order] = c.solo_id
            else:
                groups.setdefault(self._base(c), []).append(c)
        for base, members in groups.items():
            members.sort(key=lambda c: (-len(c.records), min(c.records)))
            for i, c in enumerate(members):
                if i == 0 and base not in taken:
                    ids[c.order] = base
                else:
                    digest = hashlib.sha1(min(c.records).encode("utf-8")).hexdigest()[:8]
                    ids[c.order] = f"{base}~{digest}"
                taken.add(ids[c.order])
        out = [self._emit(c, ids[c.order]) for c in self.clusters]
        return sorted(out, key=lambda s: s.id)

    @staticmethod
    def _base(c: _Cluster) -> str:
        if c.type == "person":
            return f"p:{c.surname}:{c.first}" if c.first else f"p:{c.surname}"
        return _org_key(c.country, c.body or "") or f"o:{_slug(c.body or '')}"

    @staticmethod
    def _emit(c: _Cluster, cid: str) -> CanonicalSpeaker:
        def timeline(table: dict[str, tuple[str, str]]) -> list[tuple[str, str | None]]:
            return [(text, None if date == "~" else date) for date, text in sorted(table.values())]

        return CanonicalSpeaker(
            id=cid,
            name=c.best_name(),
            type=c.type,
            aliases=sorted(c.spellings),
            roles=timeline(c.roles),
            affiliations=timeline(c.affiliations),
            records=sorted(c.records),
            evidence=list(c.evidence),
        )


def _stage(rec: SpeakerRecord) -> int:
    """Processing order: specific records first, so vaguer ones see every candidate."""
    if rec.type == "person":
        pn = _parse_person(rec.name)
        if pn is None:
            return _STAGE_SOLO
        has_role = _role_sig(rec.role) is not None
        if pn.first:
            return 0 if has_role else 1
        if pn.initial:
            return 2
        return 3 if has_role else 4
    if rec.type == "organization":
        country, _body = org_parts(rec.name, rec.affiliation)
        return 0 if country else 1
    return _STAGE_SOLO


def _canonical_order(records: Iterable[SpeakerRecord]) -> list[SpeakerRecord]:
    def sort_key(r: SpeakerRecord) -> tuple:
        fields = (r.name, r.type, r.role, r.affiliation, r.description, r.published)
        return (_stage(r), r.key, tuple(f or "" for f in fields))

    out: list[SpeakerRecord] = []
    seen: set[str] = set()
    for r in sorted(records, key=sort_key):
        if r.key not in seen:  # keys are unique; a repeated key keeps its first version
            seen.add(r.key)
            out.append(r)
    return out


def resolve_into(
    existing: list[CanonicalSpeaker], records: Iterable[SpeakerRecord]
) -> list[CanonicalSpeaker]:
    """Add ``records`` to ``existing`` canonical speakers. Existing ids never change and existing
    speakers are never merged with each other; records already in ``existing`` are skipped.
    Returns every canonical speaker (old and new), sorted by id; ``existing`` is not modified."""
    resolver = _Resolver(existing)
    for rec in _canonical_order(records):
        resolver.add(rec)
    return resolver.result()


def resolve_speakers(records: Iterable[SpeakerRecord]) -> list[CanonicalSpeaker]:
    """Resolve the speakers of many documents into canonical speakers, sorted by id."""
    return resolve_into([], records)
