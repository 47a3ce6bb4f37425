"""The ``claimledger_attribution`` component: reporting cues, their speakers and reported clauses.

It runs on one analysis unit (a sentence, or several when a quotation spans them) after the
parser and NER. Rules find the cue (a speech verb, "according to", a document noun with a
"that"-clause, a document that "finds"/"shows", an introducing colon, a title's "“…”: chief");
the parse gives the speaker (the cue's subject or object of "according to", a pronoun's
antecedent in the same sentence) and the reported clause (the cue's clausal complement).
Cue words inside a direct quotation are skipped: a speaker nested in someone else's quote
is not a source of the article, unless the quotation is a newspaper's text pasted whole.

Results go on ``doc._.cl_cues`` as :class:`Cue` objects with character offsets local to the
unit; document-level assembly (quotes, speaker resolution) happens in ``claimledger.quotes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Token

from ..lexicons import Lexicon
from ..model import SpeakerType
from . import doc_text, registry
from . import lexicon as lx

if not Doc.has_extension("cl_cues"):
    Doc.set_extension("cl_cues", default=None)
if not Doc.has_extension("cl_quote_spans"):
    # Set by the caller before the pipeline runs: (start, end) of direct quotes, local offsets.
    Doc.set_extension("cl_quote_spans", default=None)

_NAME_ENTS = {"PERSON"}
_ORG_ENTS = {"ORG", "GPE", "NORP", "FAC"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}


@dataclass(slots=True)
class Mention:
    """A noun phrase that names, describes or points to a speaker (local char offsets)."""

    start: int
    end: int
    text: str
    kind: str  # name | pronoun | nominal
    type: SpeakerType
    name: str | None = None
    description: str | None = None
    role: str | None = None
    affiliation: str | None = None
    gender: str | None = None  # f | m | None
    plural: bool = False
    definite: bool = False
    head_lemma: str = ""
    ent_label: str = ""
    extent: tuple[int, int] | None = None  # the whole subject phrase, appositives included


@dataclass(slots=True)
class Cue:
    """A reporting cue with its speaker and, when there is one, the reported clause."""

    kind: str  # verb | according | noun | intro | figure | source
    cue: str
    cue_start: int
    cue_end: int
    speaker: Mention | None
    content: tuple[int, int] | None = None
    before: bool = True  # the cue comes before its content
    verb_i: int = -1
    back: bool = False  # "That's according to X": the content is the previous sentence


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


_TITLE_STEMS = frozenset(t.rstrip(".") for t in lx.TITLES)


def _strip_titles(tokens: list[Token]) -> list[Token]:
    """Drop leading titles, also when the tokenizer split off their period ("Lt", ".", "Col", ".")."""
    while len(tokens) > 1 and (tokens[0].lower_.rstrip(".") in _TITLE_STEMS or tokens[0].text == "."):
        tokens = tokens[1:]
    return tokens


def _name_tokens(head: Token) -> list[Token]:
    """The run of proper-noun tokens around ``head`` ("Melissa Fleming" in "UNHCR spokeswoman …")."""
    doc = head.doc
    if head.ent_type_ in _NAME_ENTS or head.ent_type_ == "ORG":
        ent = next((e for e in doc.ents if e.start <= head.i < e.end), None)
        if ent is not None:
            toks = [t for t in ent if not t.is_punct or t.text in ".-'’"]
            toks = [t for t in toks if t.lower_ not in ("the", "'s", "’s")]
            # NER sometimes takes in a descriptor ("Economist and blogger Tomas Halder").
            while len(toks) > 1 and (toks[0].pos_ != "PROPN" or not toks[0].text[:1].isupper()):
                toks = toks[1:]
            return _strip_titles(toks)
    lo = head.i
    while lo > 0 and doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].head.i in range(lo - 1, head.i + 1):
        lo -= 1
    hi = head.i + 1
    while (
        hi < len(doc)
        and doc[hi].pos_ == "PROPN"
        and doc[hi].dep_ in ("flat", "compound", "appos")
        and doc[hi].head.i == head.i
        and doc[hi].ent_type_ == head.ent_type_
    ):
        hi += 1
    return _strip_titles(list(doc[lo:hi]))


def _span_text(doc: Doc, tokens: list[Token]) -> str:
    return doc_text(doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1])] if tokens else ""


def _description(head: Token) -> tuple[int, int]:
    """Char span of the phrase headed by ``head``, cut before a comma-delimited aside."""
    doc = head.doc
    toks = list(head.subtree)
    lo, hi = toks[0].i, toks[-1].i
    # Stop at a comma after the head (an appositive or aside) and never cross a quote mark.
    for t in doc[head.i : hi + 1]:
        if t.i > head.i and (t.text in {",", ";", "(", "—", "–"} or t.is_quote):
            # Keep a name given in passing: "a student who gave only her first name, Dana,".
            nxt = doc[t.i + 1 : t.i + 4]
            if (
                t.text == ","
                and len(nxt) >= 2
                and nxt[0].pos_ == "PROPN"
                and any(x.text == "," for x in nxt[1:])
            ):
                hi = next(x.i for x in nxt[1:] if x.text == ",") - 1
            else:
                hi = t.i - 1
            break
    for t in doc[lo : head.i]:
        if t.is_quote:
            lo = t.i + 1
    while lo < head.i and (doc[lo].dep_ == "mark" or doc[lo].tag_ in ("WDT", "IN")):
        lo += 1  # "… a range that a European official described": not part of the phrase
    # "a police officer on Tuesday put …": the time of speaking is no part of who spoke.
    for p in head.rights:
        if p.dep_ == "prep" and p.i <= hi and any(o.ent_type_ in ("DATE", "TIME") for o in p.children):
            hi = min(hi, p.i - 1)
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def _named_affiliation(head: Token) -> bool:
    """ "at/of/from" followed by a proper name: people identified by the body they belong to."""
    return any(
        p.dep_ == "prep"
        and p.lower_ in ("at", "of", "from", "with")
        and any(  # not "residents of Kessel"
            o.dep_ == "pobj"
            and (o.ent_type_ == "ORG" or (o.pos_ == "PROPN" and o.lemma_.lower() in lx.ORGANIZATION_NOUNS))
            for o in p.children
        )
        for p in head.children
    )


def _role_affiliation(head: Token, name_toks: list[Token]) -> tuple[str | None, str | None]:
    """Role and affiliation from the words before a name and from its appositive."""
    doc = head.doc
    role = affiliation = None
    first = name_toks[0].i if name_toks else head.i
    np_lo = min(t.i for t in head.subtree)
    prefix = [t for t in doc[np_lo:first] if t.dep_ not in ("det", "punct", "case")]
    nouns = [t for t in prefix if t.pos_ in ("NOUN",) or t.lower_ in lx.TITLES]
    if nouns:
        role = nouns[-1].text.lower()
        org = [t for t in prefix if t.i < nouns[-1].i]
        if org:
            affiliation = _span_text(doc, org)
    if head.dep_ == "appos" and head.head.pos_ == "NOUN":
        role = head.head.lemma_.lower()  # "The commander of the flotilla, Cmdr. Aurel Maskin"
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ in ("NOUN", "PROPN"):
            sub = list(child.subtree)
            if child.pos_ == "NOUN":
                mods = [t for t in child.lefts if t.dep_ in ("compound", "amod") and t.pos_ != "PROPN"]
                role = " ".join([t.text.lower() for t in mods] + [child.text.lower()])
            ents = [
                e
                for e in doc.ents
                if e.label_ in ("ORG", "GPE", "NORP") and e.start >= sub[0].i and e.end <= sub[-1].i + 1
            ]
            if ents:
                toks = [t for t in ents[0] if t.lower_ != "the"]
                affiliation = _span_text(doc, toks)
            break
    if affiliation is None:
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "at", "for", "with", "from"):
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if obj is not None and (obj.pos_ == "PROPN" or obj.ent_type_ in _ORG_ENTS):
                    toks = [t for t in obj.subtree if t.lower_ != "the" and not t.is_punct]
                    affiliation = _span_text(doc, toks)
    return role, affiliation


def make_mention(head: Token) -> Mention:
    """Describe the speaker phrase headed by ``head``: its kind, type, name, role and affiliation."""
    m = _make_mention(head)
    sub = list(head.subtree)
    m.extent = (sub[0].idx, sub[-1].idx + len(sub[-1]))
    return m


def _make_mention(head: Token) -> Mention:
    doc = head.doc
    lower = head.lower_
    # A word the tagger calls a pronoun but that is no function word is a handle ("tidewatcher wrote:").
    if lower in lx.PRONOUNS or (head.pos_ == "PRON" and (head.is_stop or not head.is_alpha)):
        gender = (
            "f"
            if lower in lx.PRONOUNS_SINGULAR_FEMALE
            else "m"
            if lower in lx.PRONOUNS_SINGULAR_MALE
            else None
        )
        return Mention(
            head.idx,
            head.idx + len(head),
            head.text,
            "pronoun",
            "unknown",
            gender=gender,
            plural=lower in lx.PRONOUNS_PLURAL or lower == "we",
            head_lemma=lower,
        )
    d_lo, d_hi = _description(head)
    desc = doc_text(doc)[d_lo:d_hi]
    lemma = head.lemma_.lower()
    # "the minister", "its spokesman", "Dunne's interior minister": a determined referent.
    definite = any(
        (t.dep_ == "det" and t.lower_ in ("the", "this", "that", "these", "those"))
        or (t.dep_ == "poss" and t.lower_ not in ("my", "our", "your"))
        for t in head.lefts
    )
    # Headline style drops the article: "regional premier says" is "the regional premier".
    if (
        lemma in lx.OFFICE_NOUNS
        and head.tag_ == "NN"
        and not any(t.dep_ in ("det", "poss") for t in head.lefts)
    ):
        definite = True
    # "Both brothers", "both men": people the text has already introduced, not unnamed sources.
    both = any(t.lower_ == "both" for t in head.lefts)
    plural = head.tag_ in ("NNS", "NNPS")
    gender = "f" if lemma in lx.FEMALE_NOUNS else "m" if lemma in lx.MALE_NOUNS else None
    known_noun = lemma in lx.PERSON_NOUNS | lx.ORGANIZATION_NOUNS | lx.DOCUMENT_NOUNS | lx.OFFICE_NOUNS
    # A capitalised word mid-sentence that no lexicon knows is a name the tagger took for a noun.
    looks_named = head.is_title and not head.is_sent_start and not known_noun
    if head.pos_ == "PRON":
        return Mention(
            head.idx, head.idx + len(head), head.text, "name", "person", name=head.text, head_lemma=lower
        )
    # "the county bridge register" is a record even when NER calls the phrase an organisation.
    record = head.pos_ == "NOUN" and lemma in lx.DOCUMENT_NOUNS
    name: str | None  # a named mention's name; a common noun's phrase, or none
    if (head.pos_ == "PROPN" or head.ent_type_ in _NAME_ENTS | _ORG_ENTS or looks_named) and not record:
        toks = _name_tokens(head)
        name = _span_text(doc, toks) or head.text
        role, affiliation = _role_affiliation(head, toks)
        if head.ent_type_ in _NAME_ENTS:
            typ: SpeakerType = "person"
        elif (
            (head.ent_type_ in _ORG_ENTS and not role)
            or (role or "").split(" ")[-1] in lx.ORGANIZATION_NOUNS  # "the consultancy Bremner & Hale"
            or lemma in lx.ORGANIZATION_NOUNS
            or any(t.lower_ in lx.ORGANIZATION_NOUNS for t in toks)
        ):
            typ = "organization"
        else:
            typ = "person"
        start = toks[0].idx if toks else head.idx
        return Mention(
            start,
            head.idx + len(head),
            name,
            "name",
            typ,
            name=name,
            role=role,
            affiliation=affiliation,
            gender=gender,
            plural=plural,
            definite=definite,
            head_lemma=lemma,
            ent_label=head.ent_type_,
        )
    # A common noun: a document, an institution, or a (usually unnamed) person.
    if lemma in lx.DOCUMENT_NOUNS:
        typ = "document"
    elif lemma in lx.ORGANIZATION_NOUNS and not (plural and lemma in lx.PEOPLE_WHEN_PLURAL):
        # "Western intelligence agencies", "aid groups": an unnamed group is an anonymous source.
        # News outlets ("local media") are organisations even unnamed.
        named = (
            any(t.pos_ == "PROPN" for t in head.lefts) or definite or lemma in ("media", "medium", "press")
        )
        typ = "organization" if named or not plural else "anonymous"
    elif (lemma in lx.OFFICE_NOUNS and definite and not plural) or (both and lemma in lx.PERSON_NOUNS):
        typ = "person"
    elif (lemma in lx.PERSON_NOUNS or head.lower_ in lx.PERSON_NOUNS) and plural and _named_affiliation(head):
        typ = "organization"  # "Economists at the Valmora Institute": a named body speaks
    elif lemma in lx.PERSON_NOUNS or head.lower_ in lx.PERSON_NOUNS or lemma in lx.PEOPLE_WHEN_PLURAL:
        typ = "anonymous"
    else:
        typ = "unknown"
    name = None
    if typ in ("document", "organization", "person"):
        toks = [t for t in doc[head.left_edge.i : head.i + 1] if t.dep_ != "det" and not t.is_punct]
        toks = [t for t in toks if t.idx >= d_lo]
        name = _span_text(doc, toks) or head.text
    role = lemma if typ in ("anonymous", "person") else None
    return Mention(
        d_lo,
        d_hi,
        desc,
        "nominal",
        typ,
        name=name,
        description=desc,
        role=role,
        gender=gender,
        plural=plural,
        definite=definite,
        head_lemma=lemma,
    )


def _prefer_name(subj: Token) -> Token:
    """A common-noun subject coordinated or in apposition with a name speaks as that name
    ("Economist and blogger Tomas Halder", "The spokesman, John Smith,")."""
    if subj.pos_ == "PROPN" and subj.ent_type_ != "PERSON":
        return _titled_name(subj)
    if subj.pos_ != "NOUN":
        return subj
    for c in subj.children:
        if c.pos_ != "PROPN" or not c.text[:1].isupper():
            continue
        # "Tolvan military" is a modifier, not a name: compounds count only when NER says person.
        if c.dep_ in ("conj", "appos") or (c.dep_ == "compound" and c.ent_type_ == "PERSON"):
            return c
    # "A reader in Marrow, Jess, sent …": the parser hangs the name on the place; a person's name
    # there still names the subject.
    for prep in (c for c in subj.children if c.dep_ == "prep"):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            name = next((a for a in obj.children if a.dep_ == "appos" and a.ent_type_ == "PERSON"), None)
            if name is not None and obj.ent_type_ != "PERSON":
                return name
    return subj


def _titled_name(subj: Token) -> Token:
    """ "U.N. High Commissioner for Refugees Antonio Guterres said": the parser heads the subject by
    the title and hangs the name on its "for"/"of" phrase; the person named at its end speaks.
    A determiner marks a description instead ("the lawyer for John Smith" is not Smith)."""
    if any(c.dep_ == "det" for c in subj.children) or subj.lemma_.lower() not in lx.OFFICE_NOUNS | lx.TITLES:
        return subj
    last = subj.right_edge
    if last.i <= subj.i or last.ent_type_ != "PERSON" or last.pos_ != "PROPN":
        return subj
    if any(t.is_punct for t in subj.doc[subj.i : last.i]):
        return subj  # "the Minister of Defence, John Smith," is an apposition, handled elsewhere
    return last


def _agrees(pron: Token, cand: Token) -> bool:
    """Can ``cand`` (a subject noun) be what the pronoun ``pron`` points back to?"""
    p, lemma = pron.lower_, cand.lemma_.lower()
    plural = cand.tag_ in ("NNS", "NNPS")
    if p in ("he", "she"):
        person = cand.ent_type_ == "PERSON" or lemma in lx.PERSON_NOUNS or cand.lower_ in lx.PERSON_NOUNS
        other = lx.MALE_NOUNS if p == "she" else lx.FEMALE_NOUNS
        return person and not plural and lemma not in other
    if p == "it":
        org = cand.ent_type_ == "ORG" or lemma in lx.ORGANIZATION_NOUNS | lx.DOCUMENT_NOUNS
        return org and not plural
    if p == "they":
        return plural and (lemma in lx.PERSON_NOUNS | lx.ORGANIZATION_NOUNS)
    return False


def _antecedent_in_sentence(subj: Token) -> Token | None:
    """ "My neighbour works on the boat and he says …", "When the council voted, it promised …":
    a pronoun cue subject whose referent is the subject of an earlier clause of the same sentence,
    a phrase that is never a cue speaker itself and so unknown to document-level resolution."""
    if subj.lower_ not in ("he", "she", "it", "they"):
        return None
    for tok in reversed(subj.doc[subj.sent.start : subj.i]):
        if tok.dep_ in _SUBJECT_DEPS and tok.pos_ in ("NOUN", "PROPN") and not tok.is_quote:
            return tok if _agrees(subj, tok) else None
    return None


def _subject(verb: Token) -> Token | None:
    """The verb's subject; for a coordinated or participial cue, the subject it shares."""
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod"):  # "deaths confirmed by a coroner"
        return None
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    if subjects and all(c.dep_ == "nsubjpass" for c in subjects):
        # "workers have been told there will be no work": the passive subject heard it; only an
        # agent ("was reported by the ministry") names the speaker.
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        return next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
    if len(subjects) > 1:  # a misparse of "Teacher and blogger Lucia Marren writes": take the name
        # "BAGHDAD - The U.S. military says …": a dateline the parser took for a second subject.
        subjects = [c for c in subjects if not _dateline(c)] or subjects
        subjects.sort(key=lambda c: (c.pos_ != "PROPN", -c.i))
    if subjects:
        c = subjects[0]
        if c.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":  # "X, who … said": X speaks
            ante = _who_antecedent(verb.head) if c.lower_ == "who" else verb.head
            return ante.head if ante.dep_ == "appos" and ante.head.pos_ == "PROPN" else ante
        return _prefer_name(c)
    for c in verb.children:  # passive with an agent: "it was said by X"
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    if (named := _name_before(verb)) is not None:
        return named
    if verb.dep_ == "xcomp" and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i:
        head = verb.head
        if verb.tag_ == "VBG" and head.lemma_.lower() in lx.RECORDING_VERBS:
            # "was filmed saying that …", "was heard telling": the recorded person speaks.
            return next((c for c in head.children if c.dep_ == "nsubjpass"), None)
        if verb.tag_ == "VB" and head.lemma_.lower() not in lx.NOT_REPORTING_HEADS:
            # "Officials scrambled to clarify that …", "went on to warn that …": the subject of the
            # verb that governs the infinitive says it; "declined to say" reports nothing.
            return _subject(head)
    if verb.dep_ == "conj" and verb.head.i != verb.i:
        # "She said A, and argued that B": the parse may hang "argued" inside A; the subject
        # is that of the nearest reporting verb above it.
        anc = verb.head
        while (
            anc.dep_ in ("conj", "ccomp")
            and anc.head.i != anc.i
            and anc.lemma_.lower() not in lx.SPEECH_VERBS
        ):
            anc = anc.head
        return _subject(anc if anc.lemma_.lower() in lx.SPEECH_VERBS else verb.head) or _sentence_topic(verb)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):  # "a statement saying …"
        return verb.head
    if verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX"):  # "…, adding that …"
        subj = next((c for c in verb.head.children if c.dep_ in _SUBJECT_DEPS), None)
        return _prefer_name(subj) if subj is not None else None
    return None


def _is_person(tok: Token) -> bool:
    return tok.ent_type_ == "PERSON" or tok.lemma_.lower() in lx.PERSON_NOUNS or tok.lower_ in lx.PERSON_NOUNS


def _who_antecedent(ante: Token) -> Token:
    """ "Charlie Kaye, executive producer for CBS News Radio, who said": "who" names a person, so
    the parser's attachment to the organisation closing the apposition is one step too low."""
    tok = ante
    for _ in range(4):
        if _is_person(tok):
            return tok
        if tok.dep_ not in ("pobj", "prep", "appos", "compound") or tok.head.i == tok.i:
            break
        tok = tok.head
    return ante


def _dateline(tok: Token) -> bool:
    """An upper-case place opening the sentence and followed by a dash ("BAGHDAD - …")."""
    doc = tok.doc
    return (
        tok.is_upper
        and len(tok) > 2
        and tok.i == tok.sent.start
        and tok.i + 1 < len(doc)
        and doc[tok.i + 1].text in ("-", "—", "–", "--")
    )


def _sentence_topic(verb: Token) -> Token | None:
    """ "My brother-in-law works nights at Corby and says …" when the parser found no subject for
    either verb: the noun phrase that opens the sentence is the one both clauses are about."""
    sent = verb.sent
    for tok in verb.doc[sent.start : min(verb.i, sent.start + 3)]:
        if tok.dep_ in ("det", "poss") or tok.is_punct:
            continue
        if tok.pos_ == "NOUN" and (tok.lemma_.lower() in lx.PERSON_NOUNS or tok.lower_ in lx.PERSON_NOUNS):
            return tok
        return None
    return None


def _name_before(verb: Token) -> Token | None:
    """ "X, whose director, the Rev. Paul Ostrander, said …": a subjectless cue right after a
    comma-closed person name; the parser tends to hang the verb on the main clause instead."""
    doc = verb.doc
    if verb.i < 2 or doc[verb.i - 1].text != "," or verb.dep_ not in ("conj", "ROOT", "advcl"):
        return None
    name = doc[verb.i - 2]
    return name if name.ent_type_ == "PERSON" and name.pos_ == "PROPN" else None


def _clause_span(
    doc: Doc, clause: Token, cue: Token, quotes: list[tuple[int, int]], stop: int | None = None
) -> tuple[int, int]:
    """Char span of a reported clause: its subtree, without "that", a leading And/But, or end punctuation.

    ``stop`` (a token index) cuts the clause before a coordinated second clause of its own.
    """
    toks = list(clause.subtree)
    lo, hi = toks[0].i, toks[-1].i
    if stop is not None:
        hi = stop - 1
        while hi > lo and (doc[hi].dep_ == "cc" or doc[hi].is_punct):
            hi -= 1
    elif cue.i < lo:
        # "X says A, but B": a clause after its cue runs to the end of the sentence unless a
        # quotation, another cue, or a clause of contrast ("while", ";") intervenes.
        sent_end = clause.sent.end - 1
        # The parser may end a sentence inside the unit where the writer did not ('a “long road
        # ahead” but he feels …'): a "sentence" that opens in lower case goes on.
        while sent_end + 1 < len(doc) and doc[sent_end + 1].is_lower and doc[sent_end + 1].is_alpha:
            sent_end = doc[sent_end + 1].sent.end - 1
        j = hi + 1
        while j <= sent_end:
            # 'is “peanuts,” compared to …': a quoted fragment inside the clause does not end it.
            if (after := _after_fragment(doc, j, quotes, doc[lo].idx)) is not None:
                j = after
                continue
            if _ends_extension(doc[j]):
                break
            j += 1
        if j > sent_end:
            hi = sent_end
        else:
            # "… reported that A (to 42,000+) and B – AND no one else reported it": the clause runs
            # on to the dash or semicolon that opens the writer's own clause with the next cue.
            dash = next((k for k in range(j - 1, hi, -1) if doc[k].text in ("–", "—", ";", "--")), None)
            if dash is not None and not any(doc[k].is_quote for k in range(hi + 1, dash)):
                hi = dash - 1
    if cue.i < lo:
        hi = _before_reporters_adjunct(doc, lo, hi)
    while (
        lo < hi
        and (doc[lo].lower_ in ("that", "and", "but", ":", ",") or doc[lo].is_punct)
        and not doc[lo].is_quote
    ):
        lo += 1
    # A coordinator left dangling where the next clause was cut off ("A, but [later revised …]").
    while hi > lo and ((doc[hi].is_punct and not doc[hi].is_quote) or doc[hi].dep_ == "cc"):
        hi -= 1
    start, end = doc[lo].idx, doc[hi].idx + len(doc[hi])
    # A closing quotation mark just after the clause belongs to it (mixed quotes keep inner marks).
    for a, b in quotes:
        if a <= end <= b + 1 and start < a:
            end = max(end, min(b + 1, len(doc_text(doc))))
    return start, end


def _after_fragment(doc: Doc, j: int, quotes: list[tuple[int, int]], clause_at: int) -> int | None:
    """Token index after the closing mark when ``doc[j]`` opens a quotation that a word of the
    clause runs into ("a “long road ahead” but …"), not one that opens after a comma, or closes
    one that opened inside the clause."""
    if not doc[j].is_quote or j == 0:
        return None
    if any(a > clause_at and b == doc[j].idx for a, b in quotes):
        return j + 1
    if not doc[j - 1].is_alpha:
        return None
    at = doc[j].idx + len(doc[j])
    span = next(((a, b) for a, b in quotes if a == at), None)
    if span is None:
        return None
    k = j + 1
    while k < len(doc) and doc[k].idx < span[1]:
        k += 1
    return k + 1 if k < len(doc) and doc[k].is_quote else None


_ADJUNCT_PREPS = lx.EN.words("adjunct_preps")


def _before_reporters_adjunct(doc: Doc, lo: int, hi: int) -> int:
    """ "X said A, after reports of B": the trailing "after/amid reports …" is the reporter's
    context for the statement (and a source of its own), not part of what X said."""
    for t in doc[lo + 1 : hi]:
        if t.text != "," or t.i + 2 > hi or doc[t.i + 1].lower_ not in _ADJUNCT_PREPS:
            continue
        window = doc[t.i + 2 : min(hi + 1, t.i + 5)]
        if any(w.lemma_.lower() in lx.DOCUMENT_NOUNS and w.pos_ == "NOUN" for w in window):
            return t.i - 1
    return hi


def _ends_extension(tok: Token) -> bool:
    return (
        tok.is_quote
        or tok.text == ";"
        or tok.lower_ in ("while", "whereas")
        or (tok.lemma_.lower() in lx.SPEECH_VERBS and tok.pos_ == "VERB")
        or (tok.lemma_.lower() in _FIGURE_VERBS and bool(_figure_cue(tok, [])))
    )


_WH = lx.EN.words("wh_words")


def _is_question(clause: Token, quotes: list[tuple[int, int]]) -> bool:
    """ "say how many died", "asked whether …": an indirect question. Not a quotation that opens
    with such a word ('said, “If we lose, …”'), nor a clause whose "if"/"when" opens only a
    conditional or temporal adjunct ("said that if talks fail, the strike goes on")."""
    first = clause.left_edge
    if first.lower_ not in _WH or first.i >= clause.i:
        return False
    if _inside(quotes, first.idx, first.idx + len(first)):
        return False
    return not (first.dep_ in ("mark", "advmod") and first.head.dep_ == "advcl" and first.head.i != clause.i)


def _that_conjuncts(clause: Token) -> list[Token]:
    """Coordinated reported clauses with their own "that" ("said A and that B"): reported apart."""
    return [
        c
        for c in clause.children
        if c.dep_ == "conj" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
    ]


def _contents(tok: Token, clause: Token, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    doc = tok.doc
    parts = _that_conjuncts(clause)
    if not parts:
        # "warned that A … and promised to B": the parse may put the second cue inside A.
        other = [
            max(t.left_edge.i, clause.i + 1)
            for t in clause.subtree
            if t.dep_ == "conj"
            and t.i > clause.i
            and (
                (t.lemma_.lower() in lx.SPEECH_VERBS and _subject(t) is not None)
                # "said 36 died, but later changed that number to 32": a revision of its own
                or (t.lemma_.lower() in _FIGURE_VERBS and bool(_figure_cue(t, quotes)))
            )
        ]
        stop = min(other) if other else None
        if stop is not None:
            while stop > clause.i and doc[stop - 1].dep_ in ("cc", "punct"):
                stop -= 1
        return [_clause_span(doc, clause, tok, quotes, stop=stop)]
    spans = [_clause_span(doc, clause, tok, quotes, stop=parts[0].left_edge.i)]
    for n, part in enumerate(parts):
        nxt = parts[n + 1].left_edge.i if n + 1 < len(parts) else None
        spans.append(_clause_span(doc, part, tok, quotes, stop=nxt))
    return spans


def _inverted_content(tok: Token, subj: Token) -> tuple[int, int] | None:
    """ "CLAUSE, the military said (in a statement)." — the cue and its subject follow the clause."""
    doc = tok.doc
    first = min(subj.left_edge.i, tok.i)
    sent = tok.sent
    if first - 2 < sent.start or doc[first - 1].text != ",":
        return None
    lo, hi = sent.start, first - 2
    # A tag inside a pasted news text in quotation marks: its clause starts at the opening mark.
    for a, b in tok.doc._.cl_quote_spans or []:
        if a <= tok.idx < b and doc[lo].idx < a:
            lo = next((t.i for t in doc[lo : hi + 1] if t.idx >= a), lo)
    # A headline-style clause may drop its verb ("About 2,000 homes still without power, premier
    # says"); without a verb it needs a few words and a noun to be a claim, not "In Paris, he said",
    # and must end the sentence: "Most of the arrivals, he said, were elderly" is a parenthetical tag.
    after = doc[max(tok.i, subj.right_edge.i) + 1 : sent.end]
    verbless_ok = (
        hi - lo >= 4
        and any(t.pos_ in ("NOUN", "PROPN") for t in doc[lo : hi + 1])
        and not any(t.pos_ in ("VERB", "AUX") for t in after)
    )
    if not verbless_ok and not any(t.pos_ in ("VERB", "AUX") for t in doc[lo : hi + 1]):
        return None
    while lo < hi and doc[lo].is_punct and not doc[lo].is_quote:
        lo += 1
    if _fronted_adjunct(doc, lo, hi, tok):
        return None
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


# How a fronted adjunct hangs on the verb: "In a statement on Friday, X said", "Though turnout was
# low, X said", "Speaking to reporters, X said" set the scene for the cue; they report nothing.
_ADJUNCT_DEPS = frozenset({"advcl", "prep", "npadvmod", "advmod", "pcomp", "mark", "agent"})


def _fronted_adjunct(doc: Doc, lo: int, hi: int, cue: Token) -> bool:
    """Is ``doc[lo:hi+1]`` before a cue an adverbial of that cue's clause, not its content?"""
    first = doc[lo]
    if first.pos_ not in ("SCONJ", "ADP") and first.tag_ not in ("VBG", "VBN"):
        return False
    roots = [t for t in doc[lo : hi + 1] if not lo <= t.head.i <= hi or t.head.i == t.i]
    return bool(roots) and all(t.dep_ in _ADJUNCT_DEPS or t.i == lo for t in roots)


# Participles that carry a figure on after a tag ("…, the navy said, raising the missing to 12").
_FIGURE_PARTICIPLES = lx.EN.words("figure_participles")


def _inverted_object(tok: Token) -> Token | None:
    """ "A mill was working, informed Ms. Lund, and …": in an inverted tag the parser takes the name
    after a transitive cue for its object; with the reported clause before the cue and no subject,
    that name is the speaker."""
    if any(c.dep_ in _SUBJECT_DEPS for c in tok.children):
        return None
    if tok.dep_ == "advcl":  # the parser may hang the tag on the reported clause instead
        reported = tok.head.i < tok.i and tok.head.pos_ in ("VERB", "AUX") and tok.doc[tok.i - 1].text == ","
    else:
        before = any(c.dep_ == "ccomp" and c.i < tok.i for c in tok.children)
        reported = tok.dep_ in ("ROOT", "parataxis") and before
    # "Cruz was critical of the plan, telling Fox …": a participle tag tells someone, it is no inversion.
    if not reported or tok.tag_ != "VBD":
        return None
    obj = next((c for c in tok.children if c.dep_ == "dobj" and c.i > tok.i), None)
    if obj is None or obj.ent_type_ != "PERSON" or obj.i - tok.i > 3:
        return None
    return obj


def _tag_tail(tok: Token, subj: Token) -> tuple[int, int] | None:
    """ "CLAIM, the agency said on Tuesday, with more than 2 million crossing into Poland": a figure
    after an inverted tag, in a "with"-clause or a "raising/bringing …" participle, is the
    speaker's too (labelling rule); the reporter's own clauses there carry no figure of theirs."""
    doc, sent = tok.doc, tok.sent
    j = max(tok.i, subj.right_edge.i) + 1
    while j < sent.end and doc[j].text != "," and doc[j].pos_ not in ("VERB", "AUX"):
        j += 1
    if j + 2 >= sent.end or doc[j].text != ",":
        return None
    lead = doc[j + 1]
    conj = next((c for c in tok.children if c.dep_ == "conj" and c.i > j + 1), None)
    if lead.lower_ == "and" and conj is not None and any(c.dep_ in _SUBJECT_DEPS for c in conj.children):
        # "A, informed Ms. Lund, and B": B goes on with her account (a clause of its own).
        lo = j + 2
        hi = conj.right_edge.i
        while hi > lo and doc[hi].is_punct and not doc[hi].is_quote:
            hi -= 1
        return (doc[lo].idx, doc[hi].idx + len(doc[hi])) if hi - lo >= 2 else None
    if lead.lower_ == "with":
        lo = j + 2
        if not any(t.tag_ in ("VBG", "VBN") for t in doc[lo : sent.end]):
            return None
    elif lead.lower_ in _FIGURE_PARTICIPLES:
        lo = j + 1
    else:
        return None
    hi = sent.end - 1
    while hi > lo and doc[hi].is_punct and not doc[hi].is_quote:
        hi -= 1
    if not any(t.like_num for t in doc[lo : hi + 1]) or hi - lo < 2:
        return None
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def _displaced_clause(tok: Token) -> Token | None:
    """ "said in a report released Friday that …": the parser hangs the "that"-clause on the
    participle of the cue's adjunct; it still reports what the cue's subject said."""
    for c in tok.subtree:
        if (
            c.dep_ not in ("ccomp", "acl")
            or c.i < tok.i
            or not any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ):
            continue
        head, ok = c.head, True
        while head.i != tok.i:
            if head.dep_ not in ("acl", "prep", "pobj") or any(
                x.dep_ in _SUBJECT_DEPS for x in head.children
            ):
                ok = False
                break
            head = head.head
        if ok:
            return c
    return None


def _cue_text(tok: Token) -> str:
    if tok.lemma_.lower() == "tell":
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None)
        if obj is not None and obj.i == tok.i + 1:
            return f"{tok.text} {obj.text}"
    return tok.text


def _misparsed_clause(tok: Token) -> tuple[int, int] | None:
    """ "groups say both sides have committed abuses": the parser made "abuses" the object of
    "say", but a subject right after the verb shows a clause; it runs to the sentence end."""
    doc, sent = tok.doc, tok.sent
    lo = tok.i + 1 + (tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "that")
    # "said legalizing it could put …": a clausal subject opens the clause as well.
    subj = next((t for t in doc[lo : sent.end] if t.dep_ in _SUBJECT_DEPS | {"csubj"}), None)
    if (
        subj is None
        or subj.left_edge.i != lo
        or not any(t.pos_ in ("VERB", "AUX") for t in doc[lo : sent.end])
    ):
        return None
    hi = sent.end - 1
    while hi > lo and doc[hi].is_punct and not doc[hi].is_quote:
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def _is_clause(c: Token) -> bool:
    """A clausal complement: headed by a verb, or verbless with its own subject ("said the
    findings were “worrying”", where the parser heads the copular clause by the adjective)."""
    if c.dep_ not in ("ccomp", "parataxis"):
        return False
    return c.pos_ in ("VERB", "AUX") or (
        c.dep_ == "ccomp" and any(x.dep_ in _SUBJECT_DEPS for x in c.children)
    )


def _verb_cues(tok: Token, quotes: list[tuple[int, int]]) -> list[Cue]:
    lemma = tok.lemma_.lower()
    if lemma in lx.FINDING_VERBS and any(c.dep_ == "nsubj" for c in tok.children):
        # "Radio logs show that …": the tagger often reads "show" as a noun yet gives it a subject.
        return _finding_cues(tok, quotes)
    if tok.pos_ not in ("VERB", "AUX"):
        return []
    if lemma in lx.ACCUSE_VERBS:
        return _accuse_cue(tok)
    if lemma in lx.STANCE_VERBS and not _held_by_source(tok):
        return []
    if lemma not in lx.SPEECH_VERBS | lx.STANCE_VERBS:
        return _figure_cue(tok, quotes) or _count_cue(tok)
    subj = _inverted_object(tok) or _subject(tok)
    if subj is None or subj.i == tok.i:
        return []
    if any(c.dep_ == "neg" for c in tok.children) or (tok.lower_ in ("saying",) and tok.dep_ == "pcomp"):
        return []  # "did not say", "cannot say": nothing is reported
    clause = next((c for c in tok.children if _is_clause(c)), None)
    if clause is None and lemma in lx.INFINITIVE_CUES:
        clause = next((c for c in tok.children if c.dep_ == "xcomp"), None)
    if clause is None:
        clause = _displaced_clause(tok)
    if clause is not None and _is_question(clause, quotes):
        return []  # "say how many died", "say when": an indirect question reports no claim
    speaker = make_mention(_antecedent_in_sentence(subj) or subj)
    cue = _cue_text(tok)
    if clause is None and (claimed := _claimed_object(tok, speaker)) is not None:
        return [Cue("verb", cue, tok.idx, tok.idx + len(tok), speaker, claimed, True, tok.i)]
    if clause is None and lemma == "say" and (rest := _misparsed_clause(tok)):
        return [Cue("verb", cue, tok.idx, tok.idx + len(tok), speaker, rest, True, tok.i)]
    if clause is None and lemma in _FIGURE_VERBS and (figure := _figure_cue(tok, quotes)):
        return figure
    source_like = speaker.type in _FIGURE_SPEAKERS or speaker.kind == "pronoun"
    if (
        clause is None
        and lemma in lx.COUNT_REPORT_VERBS
        and (lemma in ("report", "announce") or source_like)
        and (counted := _counted_object(tok))
    ):
        return [Cue("verb", cue, tok.idx, tok.idx + len(tok), speaker, counted, True, tok.i)]
    if clause is None and (main := _as_clause(tok)) is not None:
        return [Cue("verb", cue, tok.idx, tok.idx + len(tok), speaker, main, True, tok.i)]
    if clause is None and (whole := _parenthetical_tag(tok, subj)) is not None:
        return [Cue("verb", cue, tok.idx, tok.idx + len(tok), speaker, whole, False, tok.i)]
    if clause is None:
        inverted = _inverted_content(tok, subj)
        found = [Cue("verb", cue, tok.idx, tok.idx + len(tok), speaker, inverted, inverted is None, tok.i)]
        if inverted is not None and (tail := _tag_tail(tok, subj)) is not None:
            found.append(Cue("verb", cue, tok.idx, tok.idx + len(tok), speaker, tail, True, tok.i))
        return found
    before = tok.i < clause.left_edge.i
    found = [
        Cue("verb", cue, tok.idx, tok.idx + len(tok), speaker, span, before, tok.i)
        for span in _contents(tok, clause, quotes)
    ]
    if not before and (tail := _tag_tail(tok, subj)) is not None:
        found.append(Cue("verb", cue, tok.idx, tok.idx + len(tok), speaker, tail, True, tok.i))
    return found


# Verbs of an "as"-tag that report ("as the Courier reported"); "as losses continue" is temporal.
_AS_TAG_VERBS = lx.EN.words("parenthetical_tag_verbs")


def _parenthetical_tag(tok: Token, subj: Token) -> tuple[int, int] | None:
    """ "Most of the arrivals, the mayor said, were elderly": a tag set off by commas inside the
    clause it reports. The content is the whole sentence (one span), the tag included."""
    doc, sent = tok.doc, tok.sent
    first = min(subj.left_edge.i, tok.i)
    last = max(tok.i, subj.right_edge.i)
    if first - 1 <= sent.start or last + 2 >= sent.end:
        return None
    if doc[first - 1].text != "," or doc[last + 1].text != ",":
        return None
    after = doc[last + 2 : sent.end]
    if not any(t.pos_ in ("VERB", "AUX") for t in after) or any(t.is_quote for t in sent):
        return None  # with a quotation in it, the tag belongs to that quotation
    lo, hi = sent.start, sent.end - 1
    while lo < hi and doc[lo].is_punct:
        lo += 1
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    if first - lo < 1 or hi - last < 3:
        return None
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def _as_clause(tok: Token) -> tuple[int, int] | None:
    """ "As the Courier reported, the mill will close": the main clause after an "as"-tag is what
    the tag's subject said."""
    doc = tok.doc
    if tok.lemma_.lower() not in _AS_TAG_VERBS or tok.dep_ != "advcl" or tok.head.i < tok.i or not any(
        c.dep_ == "mark" and c.lower_ == "as" and c.i < tok.i for c in tok.children
    ):
        return None
    lo, hi = tok.right_edge.i + 1, tok.sent.end - 1
    while lo < hi and doc[lo].is_punct and not doc[lo].is_quote:
        lo += 1
    while hi > lo and doc[hi].is_punct and not doc[hi].is_quote:
        hi -= 1
    if hi - lo < 2 or doc[tok.right_edge.i + 1].text != ",":
        return None
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def _finding_cues(tok: Token, quotes: list[tuple[int, int]]) -> list[Cue]:
    """ "The survey found that …", "Radio logs show …", "…, study finds": a document reports a
    finding. Only a document subject counts ("he found the keys" reports nothing); the object
    stands for the clause when there is none ("the survey found nitrate levels up to …")."""
    subj = (
        _subject(tok) if tok.pos_ in ("VERB", "AUX") else next(c for c in tok.children if c.dep_ == "nsubj")
    )
    if subj is None or subj.lemma_.lower() not in lx.FINDING_SOURCES or subj.pos_ != "NOUN":
        return []
    if any(c.dep_ == "neg" for c in tok.children):
        return []
    speaker = make_mention(subj)
    clause = next((c for c in tok.children if _is_clause(c)), None)
    if clause is not None and not _is_question(clause, quotes):
        return [
            Cue("verb", tok.text, tok.idx, tok.idx + len(tok), speaker, span, True, tok.i)
            for span in _contents(tok, clause, quotes)
        ]
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is not None and obj.i > tok.i:
        # The parser may split one object phrase into two objects: take all that follows the verb.
        content = _object_span(tok, obj)
        return [Cue("verb", tok.text, tok.idx, tok.idx + len(tok), speaker, content, True, tok.i)]
    inverted = _inverted_content(tok, subj)
    if inverted is None:
        return []
    return [Cue("verb", tok.text, tok.idx, tok.idx + len(tok), speaker, inverted, False, tok.i)]


def _object_span(tok: Token, obj: Token) -> tuple[int, int]:
    """Char span from the object to the end of what follows the verb ("40 attacks … since January")."""
    doc = tok.doc
    hi = max(c.right_edge.i for c in tok.children if c.i > tok.i)
    while hi > obj.i and doc[hi].is_punct:
        hi -= 1
    return doc[obj.left_edge.i].idx, doc[hi].idx + len(doc[hi])


def _count_cue(tok: Token) -> list[Cue]:
    """ "the monitor documented 40 cases", "a study which estimates 24000 deaths": a source's count."""
    if tok.lemma_.lower() not in lx.COUNT_ONLY_VERBS or any(c.dep_ == "neg" for c in tok.children):
        return []
    subj = _subject(tok)
    counted = _counted_object(tok)
    if subj is None or counted is None or _reported_by_another(tok):
        return []
    obj = next(c for c in tok.children if c.dep_ == "dobj")
    if obj.lemma_.lower() in lx.PERSON_NOUNS | lx.ORGANIZATION_NOUNS | lx.DOCUMENT_NOUNS:
        return []  # "citing two officials", "cited three reports": sources named, not a count
    speaker = make_mention(_antecedent_in_sentence(subj) or subj)
    if speaker.kind != "pronoun" and speaker.type not in _FIGURE_SPEAKERS:
        return []
    return [Cue("verb", tok.text, tok.idx, tok.idx + len(tok), speaker, counted, True, tok.i)]


def _held_by_source(tok: Token) -> bool:
    """ "The White House believes …" (an institution's stated position) or "…, saying its monitors
    believed …" (a view a speaker relays): a held view that is a source's claim."""
    if _reported_by_another(tok):
        return True
    subj = _subject(tok)
    if subj is None or subj.lower_ in lx.PRONOUNS:
        return False
    return make_mention(subj).type == "organization"


def _accuse_cue(tok: Token) -> list[Cue]:
    """ "The opposition accused the authorities of inflating the figure": the accused and what
    they are accused of is the claim (object and of-clause), the subject its speaker."""
    obj = next((c for c in tok.children if c.dep_ == "dobj" and c.i > tok.i), None)
    heads = [tok] if obj is None else [tok, obj]
    of = next((c for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    subj = _subject(tok)
    if obj is None or of is None or subj is None or any(c.dep_ == "neg" for c in tok.children):
        return []
    speaker = make_mention(_antecedent_in_sentence(subj) or subj)
    if speaker.kind != "pronoun" and speaker.type not in _FIGURE_SPEAKERS:
        return []
    doc = tok.doc
    hi = of.right_edge.i
    while hi > obj.i and doc[hi].is_punct:
        hi -= 1
    content = (doc[obj.left_edge.i].idx, doc[hi].idx + len(doc[hi]))
    return [Cue("verb", tok.text, tok.idx, tok.idx + len(tok), speaker, content, True, tok.i)]


# What one "claims" that is a prize or a deed, not a statement ("claims victory", "claimed lives").
_CLAIMED_NOT_SAID = lx.EN.words("claimed_not_said")


def _claimed_object(tok: Token, speaker: Mention) -> tuple[int, int] | None:
    """ "Belarus claims massive turnout in polls": a headline's present-tense "claims" with a noun
    phrase object states that thing; the object (with what follows) is the claim."""
    if tok.lemma_.lower() != "claim" or tok.tag_ != "VBZ" or speaker.type not in _FIGURE_SPEAKERS:
        return None
    obj = next((c for c in tok.children if c.dep_ == "dobj" and c.i > tok.i), None)
    if obj is None or obj.lemma_.lower() in _CLAIMED_NOT_SAID or obj.pos_ not in ("NOUN", "PROPN"):
        return None
    return _object_span(tok, obj)


def _reported_by_another(tok: Token) -> bool:
    """ "Bramley said his office had recorded a 25% rise": a count inside someone's reported clause
    is part of what they say, not a source of its own."""
    t = tok
    while t.dep_ in ("ccomp", "conj", "xcomp", "advcl") and t.head.i != t.i:
        t = t.head
        if t.lemma_.lower() in lx.SPEECH_VERBS:
            return True
    return False


def _counted_object(tok: Token) -> tuple[int, int] | None:
    """ "The ministry reported 40 attacks on convoys": a counted object is the reported claim."""
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is None or obj.i < tok.i or not any(t.like_num for t in obj.subtree):
        return None
    return _object_span(tok, obj)


# "put the figure at 21,400", "estimated the cost at $4.5 billion": a figure attributed by its verb.
_FIGURE_VERBS = lx.FIGURE_AT_VERBS | lx.FIGURE_OF_VERBS | lx.FIGURE_TO_VERBS
# Speakers of a figure frame: "the blast raised the toll to 60" has an event, not a source, for subject.
_FIGURE_SPEAKERS = frozenset({"person", "organization", "anonymous", "document"})


def _figure_cue(tok: Token, quotes: list[tuple[int, int]]) -> list[Cue]:
    """A claim frame whose object is a noun phrase with a figure: "put the toll at 40", "claimed a
    turnout of 80,000", "ventured a death toll of 356", "later changed that number to 32". The
    reported content is the object phrase with its figure; the subject is the speaker."""
    lemma = tok.lemma_.lower()
    if lemma not in _FIGURE_VERBS or any(c.dep_ == "neg" for c in tok.children):
        return []
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    subj = _subject(tok)
    if obj is None or subj is None or (obj.i < tok.i and obj.tag_ not in ("WDT", "WP")):
        return []
    prep = _figure_prep(tok, obj, lemma)
    if prep is None:
        return []
    speaker = make_mention(_antecedent_in_sentence(subj) or subj)
    if speaker.kind == "pronoun" and speaker.head_lemma == "it":
        speaker.type = "organization"  # "it put the toll at …": an institution; resolved later
    elif speaker.kind != "pronoun" and speaker.type not in _FIGURE_SPEAKERS:
        return []
    doc = tok.doc
    lo, hi = obj.left_edge.i, max(t.i for t in prep.subtree)
    if obj.tag_ in ("WDT", "WP"):  # "…, which the cooperative puts at 1.1 billion": the figure alone
        lo = prep.i + 1
    # "put the toll at seven dead and 15 wounded": the parser may hang the second figure on the verb.
    if hi + 2 < len(doc) and doc[hi + 1].lower_ == "and" and doc[hi + 2].like_num:
        hi = max(hi, max(t.i for t in doc[hi + 2].head.subtree if t.i > hi))
    while hi > lo and doc[hi].is_punct and not doc[hi].is_quote:
        hi -= 1
    content = (doc[lo].idx, doc[hi].idx + len(doc[hi]))
    cue = f"{tok.text} … {prep.lower_}"
    return [Cue("figure", cue, tok.idx, tok.idx + len(tok), speaker, content, True, tok.i)]


def _figure_prep(tok: Token, obj: Token, lemma: str) -> Token | None:
    """The preposition that carries the figure: "at" after put/set/estimate, "of" on a figure noun
    (a toll, count, turnout, estimate of N), "to" after a verb that revises a figure noun."""
    def numeric(p: Token) -> bool:
        return any(t.like_num or t.lower_ in lx.VAGUE_FIGURES for t in p.subtree)

    if lemma in lx.FIGURE_AT_VERBS:
        at = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "at"), None)
        if at is not None and numeric(at):
            return at
    figure_noun = obj.lemma_.lower() in lx.FIGURE_NOUNS
    if lemma in lx.FIGURE_OF_VERBS and figure_noun:
        of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is not None and numeric(of):
            return of
    if lemma in lx.FIGURE_TO_VERBS and figure_noun:
        to = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"), None)
        if to is not None and numeric(to):
            return to
    return None


# "according to plan", "according to the rules": no source speaks.
_NOT_SOURCES = lx.EN.words("not_sources")


def _according_cue(tok: Token, quotes: list[tuple[int, int]]) -> Cue | None:
    doc = tok.doc
    if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None or obj.lemma_.lower() in _NOT_SOURCES:
        return None
    phrase_end = max(t.i for t in obj.subtree)
    sent = tok.sent
    lead = [t.lower_ for t in doc[sent.start : tok.i]]
    if (
        len(lead) in (2, 3)
        and lead[0] in ("that", "this", "those", "these")
        and lead[1] in ("'s", "’s", "is", "was", "are", "were")
        and all(t.is_punct for t in doc[phrase_end + 1 : sent.end])
    ):
        # "That's according to an agency count": the previous sentence is what the count says.
        mention = make_mention(_prefer_name(obj))
        if mention.type == "unknown" and mention.kind == "nominal":
            mention.type, mention.name = "document", mention.name or mention.text
        return Cue("according", "according to", tok.idx, to.idx + len(to), mention, None, True, tok.i, True)
    # The reported content is the rest of the sentence, without the attribution phrase.
    if tok.i - sent.start <= 1:
        lo, hi = phrase_end + 1, sent.end - 1
    else:
        lo, hi = sent.start, tok.i - 1
    while lo < hi and ((doc[lo].is_punct and not doc[lo].is_quote) or doc[lo].lower_ in ("and", "but")):
        lo += 1
    while hi > lo and doc[hi].is_punct and not doc[hi].is_quote:
        hi -= 1
    content = (doc[lo].idx, doc[hi].idx + len(doc[hi])) if hi >= lo else None
    mention = make_mention(_prefer_name(obj))  # "according to the consultancy Bremner & Hale"
    if mention.type == "unknown" and mention.kind == "nominal":
        mention.type = "document"  # "according to the safety register": a record, not a person
        mention.name = mention.name or mention.text
    return Cue(
        "according",
        "according to",
        tok.idx,
        to.idx + len(to),
        mention,
        content,
        before=tok.i < lo,
        verb_i=tok.i,
    )


def _noun_cue(tok: Token, quotes: list[tuple[int, int]]) -> Cue | None:
    """A document noun with a "that"-clause: "amid reports that …", "the estimate that …"."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in lx.DOCUMENT_NOUNS:
        return None
    if tok.dep_ in _SUBJECT_DEPS:  # "the report said …" is a verb cue
        return _reports_of_misparse(tok)
    if (published := _published_figure(tok)) is not None:
        return published
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == tok.i + 1), None)
    if of is not None and tok.tag_ == "NNS" and (clause := _gerund_clause(of)) is not None:
        # "after reports of several being denied entry": the gerund clause is what the reports say.
        span = (tok.idx, tok.idx + len(tok))
        return Cue("noun", f"{tok.text} of", *span, make_mention(tok), clause, True, tok.i)
    for c in tok.children:
        if c.dep_ in ("acl", "ccomp", "relcl") and any(
            m.dep_ == "mark" and m.lower_ == "that" and m.i == tok.i + 1 for m in c.children
        ):
            content = _clause_span(tok.doc, c, tok, quotes)
            return Cue(
                "noun",
                f"{tok.text} that",
                tok.idx,
                tok.idx + len(tok),
                make_mention(tok),
                content,
                True,
                tok.i,
            )
    return None


_PUBLISHING = lx.EN.words("publishing_verbs")


def _published_figure(tok: Token) -> Cue | None:
    """ "the estimate of 100 000 deaths published in the Lancet": a figure noun whose figure a
    source published; the source (the object of "in"/"by") claims it."""
    if tok.lemma_.lower() not in lx.FIGURE_NOUNS:
        return None
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == tok.i + 1), None)
    if of is None or not any(t.like_num for t in of.subtree):
        return None
    for t in of.subtree:
        if t.dep_ == "acl" and t.tag_ == "VBN" and t.lemma_.lower() in _PUBLISHING:
            preps = [c for c in t.children if c.dep_ in ("prep", "agent") and c.lower_ in ("in", "by")]
            prep = preps[0] if preps else None
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            if obj is None or (obj.ent_type_ not in _ORG_ENTS | _NAME_ENTS and obj.pos_ != "PROPN"):
                return None
            doc = tok.doc
            hi = t.i - 1
            content = (doc[of.i + 1].idx, doc[hi].idx + len(doc[hi]))
            cue = f"{tok.text} of … {t.text}"
            return Cue("noun", cue, tok.idx, tok.idx + len(tok), make_mention(obj), content, True, tok.i)
    return None


def _reports_of_misparse(tok: Token) -> Cue | None:
    """ "after reports of several being denied entry": the parser may make "reports" the subject of
    the gerund clause ("after [reports of several] being denied …"); the clause is still theirs."""
    doc, verb = tok.doc, tok.head
    if (
        tok.tag_ != "NNS"
        or tok.i + 2 >= len(doc)
        or doc[tok.i + 1].lower_ != "of"
        or not any(c.dep_ == "mark" and c.lower_ in _ADJUNCT_PREPS and c.i < tok.i for c in verb.children)
        or (not any(c.tag_ == "VBG" for c in verb.children if c.i < verb.i) and verb.tag_ != "VBG")
    ):
        return None
    hi = verb.right_edge.i
    while hi > tok.i + 2 and doc[hi].is_punct:
        hi -= 1
    content = (doc[tok.i + 2].idx, doc[hi].idx + len(doc[hi]))
    return Cue("noun", f"{tok.text} of", tok.idx, tok.idx + len(tok), make_mention(tok), content, True, tok.i)


def _gerund_clause(of: Token) -> tuple[int, int] | None:
    """Char span of "of"'s object when it is a clause with its own subject and a gerund verb."""
    sub = [t for t in of.subtree if t.i > of.i]
    if not sub or not any(t.tag_ == "VBG" and t.i > sub[0].i for t in sub):
        return None
    args = ("nsubj", "nsubjpass", "pobj", "pcomp")
    if not any(t.dep_ in args and t.pos_ in ("NOUN", "PRON", "PROPN") for t in sub):
        return None
    hi = sub[-1].i
    while hi > sub[0].i and sub[0].doc[hi].is_punct:
        hi -= 1
    doc = of.doc
    return sub[0].idx, doc[hi].idx + len(doc[hi])


def _source_cue(tok: Token) -> Cue | None:
    """ "citing security sources", "quoting an unnamed official": a source named, nothing quoted."""
    if tok.lower_ not in ("citing", "quoting"):
        return None
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is None:
        return None
    return Cue("source", tok.text, tok.idx, tok.idx + len(tok), make_mention(obj), None, True, tok.i)


def described_by(doc: Doc, at: int) -> Token | None:
    """The person noun that a phrase at char ``at`` describes, through a relative or participial
    clause ("a European official, who spoke on condition of anonymity …")."""
    tok = next((t for t in doc if t.idx <= at < t.idx + len(t) + 1), None)
    for _ in range(8):
        if tok is None or tok.head.i == tok.i:
            return None
        if tok.dep_ in ("relcl", "acl") and tok.head.pos_ in ("NOUN", "PROPN"):
            head = tok.head
            return head.head if head.dep_ == "appos" and head.head.pos_ == "PROPN" else head
        tok = tok.head
    return None


def characterised(doc: Doc, start: int, end: int) -> bool:
    """Is the quotation ``[start, end)`` a label someone gave ("called the figure “painful but not
    a surprise”", "described it as “a farce”")? That characterises; it reports no speech."""
    tok = next((t for t in doc if t.idx >= start and not t.is_quote and not t.is_punct), None)
    for _ in range(6):
        if tok is None or tok.head.i == tok.i:
            return False
        tok = tok.head
        if start <= tok.idx < end:
            continue  # the quotation's own words say nothing about how it is introduced
        lemma = tok.lemma_.lower()
        if lemma in lx.CHARACTERISE_VERBS and tok.pos_ == "VERB":
            return True
        if lemma in lx.SPEECH_VERBS or tok.pos_ in ("VERB", "AUX"):
            return False
    return False


_CUE_LEMMAS = (
    lx.SPEECH_VERBS
    | lx.FINDING_VERBS
    | _FIGURE_VERBS
    | lx.DOCUMENT_NOUNS
    | lx.COUNT_ONLY_VERBS
    | lx.STANCE_VERBS
    | lx.ACCUSE_VERBS
)
_CUE_WORDS = lx.EN.words("source_cue_forms")


def find_cues(doc: Doc) -> list[Cue]:
    """All reporting cues of a parsed unit, outside its direct quotations, in text order."""
    quotes: list[tuple[int, int]] = doc._.cl_quote_spans or []
    # Speakers nested in a quotation are not sources, except inside a newspaper passage quoted
    # whole (labelling rule): there the passage's own attributions are the article's sources.
    closed = [q for q in quotes if not _outlet_passage(doc, q[0]) and not _holds_attribution(doc, q)]
    cues: list[Cue] = []
    for tok in doc:
        if tok.lemma_.lower() not in _CUE_LEMMAS and tok.lower_ not in _CUE_WORDS:
            continue  # most tokens: a set lookup instead of the rules below
        if _inside(closed, tok.idx, tok.idx + len(tok)):
            continue
        found: Sequence[Cue | None] = _verb_cues(tok, quotes) or [
            _according_cue(tok, quotes) or _noun_cue(tok, quotes) or _source_cue(tok)
        ]
        cues.extend(
            c
            for c in found
            if c is not None and c.speaker is not None and not _inside(closed, c.speaker.start, c.speaker.end)
        )
    for c in cues:  # a tag inside pasted news text reports only what stands inside the marks
        q = next(((a, b) for a, b in quotes if a <= c.cue_start < b), None)
        if q is None or c.content is None:
            continue
        if c.content[0] < q[0] < c.content[1]:
            c.content = (q[0], c.content[1])
        tag = c.speaker.extent[0] if c.speaker is not None and c.speaker.extent else c.cue_start
        if c.content[0] < tag < c.content[1]:  # "A, the council said today. B, …": A alone
            c.content = (c.content[0], tag)
    have = {c.verb_i for c in cues}
    found = [_colon_cue(doc, a) or _title_colon_cue(doc, a, b) for a, b in quotes]
    cues.extend(c for c in found if c is not None and c.verb_i not in have)
    if not cues and (label := _label_colon_cue(doc)) is not None:
        cues.append(label)
    cues.sort(key=lambda c: c.cue_start)
    return cues


def _holds_attribution(doc: Doc, quote: tuple[int, int]) -> bool:
    """ "increased the number to “379 dead, the regional council said today. At least 46 …, morgue
    officials said.”": a quotation that ends its own sentences with a third-person tag is a news
    report's text pasted whole, and its tags name the article's sources (as in an outlet passage)."""
    a, b = quote
    text = doc_text(doc)
    if b >= len(text) or text[b] not in "\"”’'»":
        return False  # a mark left open (or cut at the unit's end): no passage
    for t in doc:
        if not (a <= t.idx < b) or t.tag_ != "VBD" or t.lemma_.lower() not in lx.SPEECH_VERBS:
            continue
        subj = next((c for c in t.children if c.dep_ == "nsubj" and c.i < t.i), None)
        if subj is None or subj.lower_ in lx.PRONOUNS or subj.idx < a:
            continue
        if subj.left_edge.i == 0 or doc[subj.left_edge.i - 1].text != ",":
            continue
        nxt = next((x for x in doc[t.i + 1 :] if x.ent_type_ not in ("DATE", "TIME")), None)
        if nxt is not None and (nxt.text == "." or nxt.is_quote) and nxt.idx <= b:
            return True
    return False


def _outlet_passage(doc: Doc, quote_start: int) -> bool:
    """ "The Nordhavn Post reports: “The harbour authority said …”": a quotation introduced by a
    named body that *reports* (a newspaper or agency, not a person) is pasted news text."""
    before = doc_text(doc)[: max(0, quote_start - 1)].rstrip()
    if not before.endswith(":"):
        return False
    colon = next((t for t in doc if t.idx == len(before) - 1), None)
    verb = doc[colon.i - 1] if colon is not None and colon.i > 0 else None
    if verb is None or verb.lemma_.lower() != "report":
        return False
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.pos_ != "PROPN":
        return False
    # NER takes some mastheads for people; a person's name never takes "the" ("The Talvor Herald").
    return subj.ent_type_ != "PERSON" or any(t.lower_ == "the" for t in subj.lefts)


def _title_colon_cue(doc: Doc, start: int, end: int) -> Cue | None:
    """ "“We count every climber twice”: rescue chief on a deadly season": a title that opens with
    a quotation and names its speaker after a colon attributes the quotation to them."""
    if doc_text(doc)[: max(0, start - 1)].strip() or not doc_text(doc)[end + 1 :].lstrip().startswith(":"):
        return None
    colon = next((t for t in doc if t.idx > end and t.text == ":"), None)
    if colon is None:
        return None
    after = doc[colon.i + 1 : min(len(doc), colon.i + 8)]
    for tok in after:  # the first noun whose phrase ends the speaker: "Karst mountain rescue chief"
        if tok.pos_ not in ("NOUN", "PROPN"):
            continue
        lemma = tok.lemma_.lower()
        if tok.ent_type_ == "PERSON" or lemma in lx.PERSON_NOUNS | lx.OFFICE_NOUNS:
            if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ in ("NOUN", "PROPN"):
                continue  # a modifier of a later head: "rescue" in "rescue chief"
            return Cue("intro", ":", colon.idx, colon.idx + 1, make_mention(tok), None, False, colon.i)
    return None


# Line labels that name a kind of item, not who speaks ("Source: …", "Update: …", "Photo: …").
NOT_LINE_SPEAKERS = lx.EN.words("not_line_speakers")


def _label_colon_cue(doc: Doc) -> Cue | None:
    """ "Kestrel: Harbour Deal Is 'Dead in the Water'", "Poll: turnout up in the north": a headline
    or line that opens with a speaker's name (or a poll, a report) and a colon attributes what
    follows to them (labelling rule: an attributed headline is a quote; the cue is the colon)."""
    colon = next((t for t in doc[:8] if t.text == ":"), None)
    if colon is None or colon.i == 0 or doc_text(doc)[: doc[0].idx].strip():
        return None
    lead = doc[: colon.i]
    if any(t.is_quote or (t.pos_ in ("VERB", "AUX") and not t.text[:1].isupper()) for t in lead):
        return None
    # The speaker's phrase ends before a preposition: "Clinton to the Union", "Mora on the budget".
    end = next((t.i for t in lead if t.pos_ == "ADP" or t.lower_ == "to"), colon.i)
    if end == 0 or any(not t.text[:1].isupper() for t in doc[:end] if t.is_alpha and len(t) > 3):
        return None  # a label of the sentence's own ("Here is the point: …") is written in lower case
    head = doc[end - 1]
    lemma = head.lemma_.lower()
    if head.lower_ in NOT_LINE_SPEAKERS or lemma in NOT_LINE_SPEAKERS:
        return None
    known_noun = lemma in lx.PERSON_NOUNS | lx.ORGANIZATION_NOUNS | lx.DOCUMENT_NOUNS | lx.OFFICE_NOUNS
    ent = next((e for e in doc.ents if e.start <= head.i < e.end), None)
    named = head.pos_ == "PROPN" and ent is not None and ent.label_ in _NAME_ENTS | _ORG_ENTS
    if ent is not None and ent.end > colon.i:
        return None  # NER ran the label into the line ("Harbour Daily: A Town at War")
    # A bare name the tagger did not know ("Kestrel:" read as a noun) is kept as a name; the
    # assembler takes it only for a person the article names elsewhere.
    bare = not named and not known_noun and end <= 3 and all(t.is_alpha and t.is_title for t in doc[:end])
    if not (named or known_noun or bare):
        return None
    lo, hi = colon.i + 1, len(doc) - 1
    while hi > lo and doc[hi].is_punct and not doc[hi].is_quote:
        hi -= 1
    if hi - lo < 2:
        return None
    content = (doc[lo].idx, doc[hi].idx + len(doc[hi]))
    if bare:
        text = _span_text(doc, list(doc[:end]))
        end_at = head.idx + len(head)
        speaker = Mention(doc[0].idx, end_at, text, "name", "person", name=text, head_lemma=lemma)
    else:
        speaker = make_mention(head)
    return Cue("intro", ":", colon.idx, colon.idx + 1, speaker, content, True, colon.i)


def _colon_cue(doc: Doc, quote_start: int) -> Cue | None:
    """ "A reader in Marrow, Jess, sent us this: “The water came …”": a quotation that a clause
    introduces with a colon is what that clause's subject says, whatever its verb."""
    before = doc_text(doc)[: max(0, quote_start - 1)].rstrip()
    if not before.endswith(":"):
        return None
    colon = next((t for t in doc if t.idx == len(before) - 1), None)
    if colon is None or colon.i == 0:
        return None
    verb = doc[colon.i - 1]  # climb from the word before the colon to its clause's verb
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i and verb.head.i < colon.i:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() in lx.SPEECH_VERBS:
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    subj = _prefer_name(subj)
    lemma = subj.lemma_.lower()
    if not (
        subj.ent_type_ in _NAME_ENTS | {"ORG"}
        or lemma in lx.PERSON_NOUNS | lx.ORGANIZATION_NOUNS
        or subj.lower_ in ("he", "she", "they")
    ):
        return None  # "The result was clear: “…”" — no one is introduced as speaking
    return Cue("intro", verb.text, verb.idx, verb.idx + len(verb), make_mention(subj), None, True, verb.i)


@Language.factory(
    "claimledger_attribution",
    assigns=["doc._.cl_cues"],
    requires=["token.dep", "token.pos", "token.lemma", "doc.ents"],
    default_config={"lexicon": registry.ENGLISH},
)
def make_attribution(nlp: Language, name: str, lexicon: Lexicon) -> AttributionComponent:
    # The stock tokenizer splits "Lt." and "Cmdr." into word + period, and the parser then ends the
    # sentence inside "said Lt. Col. Marcus Ridley": keep the abbreviated titles whole.
    if isinstance(nlp.tokenizer, Tokenizer):  # the stock one (spaCy types it as any callable)
        for abbr in lx.title_abbreviations(lexicon):
            nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    return AttributionComponent(lexicon.words("cue_forms"))


class AttributionComponent:
    """Sets ``doc._.cl_cues``; reads ``doc._.cl_quote_spans`` when the caller set it."""

    def __init__(self, cue_forms: frozenset[str] = lx.CUE_FORMS) -> None:
        self.cue_forms = cue_forms  # the cheap pre-parse test's words (the configured lexicon's)

    def __call__(self, doc: Doc) -> Doc:
        doc._.cl_cues = find_cues(doc) if _may_attribute(doc, self.cue_forms) else []
        return doc


def _may_attribute(doc: Doc, cue_forms: frozenset[str] = lx.CUE_FORMS) -> bool:
    """Cheap test: no cue word and no quotation mark means nothing to attribute."""
    return (
        any(t.lower_ in cue_forms or t.is_quote for t in doc)
        or doc_text(doc).rstrip().endswith(":")
        or any(t.text == ":" for t in doc[:8])  # "Kestrel: …", a line's speaker label
    )
