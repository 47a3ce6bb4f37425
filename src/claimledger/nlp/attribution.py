"""The ``claimledger_attribution`` component: reporting cues, their speakers and reported clauses.

It runs on one analysis unit (a sentence, or several when a quotation spans them) after the
parser and NER. Rules find the cue (a speech verb, "according to", a document noun with a
"that"-clause, an introducing colon); the parse gives the speaker (the cue's subject or
object of "according to") and the reported clause (the cue's clausal complement).
Cue words inside a direct quotation are skipped: a speaker nested in someone else's quote
is not a source of the article.

Results go on ``doc._.cl_cues`` as :class:`Cue` objects with character offsets local to the
unit; document-level assembly (quotes, speaker resolution) happens in ``claimledger.quotes``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

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
    type: str  # person | organization | anonymous | document | unknown
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

    kind: str  # verb | according | noun | intro
    cue: str
    cue_start: int
    cue_end: int
    speaker: Mention | None
    content: tuple[int, int] | None = None
    before: bool = True  # the cue comes before its content
    verb_i: int = -1


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _strip_titles(tokens: list[Token]) -> list[Token]:
    while len(tokens) > 1 and tokens[0].lower_.rstrip(".") in {t.rstrip(".") for t in lx.TITLES}:
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
    return doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1])] if tokens else ""


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
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def _named_affiliation(head: Token) -> bool:
    """ "at/of/from" followed by a proper name: people identified by the body they belong to."""
    return any(
        p.dep_ == "prep"
        and p.lower_ in ("at", "of", "from", "with")
        and any(o.dep_ == "pobj" and o.ent_type_ == "ORG" for o in p.children)  # not "residents of Kessel"
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
    if head.pos_ == "PRON" or lower in lx.PRONOUNS:
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
    desc = doc.text[d_lo:d_hi]
    lemma = head.lemma_.lower()
    # "the minister", "its spokesman", "Dunne's interior minister": a determined referent.
    definite = any(
        (t.dep_ == "det" and t.lower_ in ("the", "this", "that", "these", "those"))
        or (t.dep_ == "poss" and t.lower_ not in ("my", "our", "your"))
        for t in head.lefts
    )
    plural = head.tag_ in ("NNS", "NNPS")
    gender = "f" if lemma in lx.FEMALE_NOUNS else "m" if lemma in lx.MALE_NOUNS else None
    known_noun = lemma in lx.PERSON_NOUNS | lx.ORGANIZATION_NOUNS | lx.DOCUMENT_NOUNS | lx.OFFICE_NOUNS
    # A capitalised word mid-sentence that no lexicon knows is a name the tagger took for a noun.
    looks_named = head.is_title and not head.is_sent_start and not known_noun
    if head.pos_ == "PROPN" or head.ent_type_ in _NAME_ENTS | _ORG_ENTS or looks_named:
        toks = _name_tokens(head)
        name = _span_text(doc, toks) or head.text
        role, affiliation = _role_affiliation(head, toks)
        if head.ent_type_ in _NAME_ENTS:
            typ = "person"
        elif (
            (head.ent_type_ in _ORG_ENTS and not role)
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
    elif lemma in lx.ORGANIZATION_NOUNS:
        # "Western intelligence agencies", "aid groups": an unnamed group is an anonymous source.
        # News outlets ("local media") are organisations even unnamed.
        named = (
            any(t.pos_ == "PROPN" for t in head.lefts) or definite or lemma in ("media", "medium", "press")
        )
        typ = "organization" if named or not plural else "anonymous"
    elif lemma in lx.OFFICE_NOUNS and definite and not plural:
        typ = "person"
    elif (lemma in lx.PERSON_NOUNS or head.lower_ in lx.PERSON_NOUNS) and plural and _named_affiliation(head):
        typ = "organization"  # "Economists at the Valmora Institute": a named body speaks
    elif lemma in lx.PERSON_NOUNS or head.lower_ in lx.PERSON_NOUNS:
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
    if subj.pos_ != "NOUN":
        return subj
    for c in subj.children:
        if c.pos_ != "PROPN" or not c.text[:1].isupper():
            continue
        # "Tolvan military" is a modifier, not a name: compounds count only when NER says person.
        if c.dep_ in ("conj", "appos") or (c.dep_ == "compound" and c.ent_type_ == "PERSON"):
            return c
    return subj


def _subject(verb: Token) -> Token | None:
    """The verb's subject; for a coordinated or participial cue, the subject it shares."""
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod"):  # "deaths confirmed by a coroner"
        return None
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    if len(subjects) > 1:  # a misparse of "Teacher and blogger Lucia Marren writes": take the name
        subjects.sort(key=lambda c: (c.pos_ != "PROPN", -c.i))
    if subjects:
        c = subjects[0]
        if c.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":  # "X, who … said": X speaks
            ante = verb.head
            return ante.head if ante.dep_ == "appos" and ante.head.pos_ == "PROPN" else ante
        return _prefer_name(c)
    for c in verb.children:  # passive with an agent: "it was said by X"
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
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
        return _subject(anc if anc.lemma_.lower() in lx.SPEECH_VERBS else verb.head)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):  # "a statement saying …"
        return verb.head
    if verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX"):  # "…, adding that …"
        return next((c for c in verb.head.children if c.dep_ in _SUBJECT_DEPS), None)
    return None


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
        j = hi + 1
        while j <= sent_end and not _ends_extension(doc[j]):
            j += 1
        if j > sent_end:
            hi = sent_end
    while (
        lo < hi
        and (doc[lo].lower_ in ("that", "and", "but", ":", ",") or doc[lo].is_punct)
        and not doc[lo].is_quote
    ):
        lo += 1
    while hi > lo and doc[hi].is_punct and not doc[hi].is_quote:
        hi -= 1
    start, end = doc[lo].idx, doc[hi].idx + len(doc[hi])
    # A closing quotation mark just after the clause belongs to it (mixed quotes keep inner marks).
    for a, b in quotes:
        if a <= end <= b + 1 and start < a:
            end = max(end, min(b + 1, len(doc.text)))
    return start, end


def _ends_extension(tok: Token) -> bool:
    return (
        tok.is_quote
        or tok.text == ";"
        or tok.lower_ in ("while", "whereas")
        or (tok.lemma_.lower() in lx.SPEECH_VERBS and tok.pos_ == "VERB")
    )


_WH = frozenset({"what", "when", "how", "why", "whether", "where", "who", "which", "if", "whom"})


def _is_question(clause: Token) -> bool:
    first = clause.left_edge
    return first.lower_ in _WH and first.i < clause.i


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
            t.i
            for t in clause.subtree
            if t.dep_ == "conj"
            and t.lemma_.lower() in lx.SPEECH_VERBS
            and t.i > clause.i
            and _subject(t) is not None
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
    if not any(t.pos_ in ("VERB", "AUX") for t in doc[lo : hi + 1]):
        return None
    while lo < hi and doc[lo].is_punct and not doc[lo].is_quote:
        lo += 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def _displaced_clause(tok: Token) -> Token | None:
    """ "said in a report released Friday that …": the parser hangs the "that"-clause on the
    participle of the cue's adjunct; it still reports what the cue's subject said."""
    for c in tok.subtree:
        if (
            c.dep_ != "ccomp"
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


def _verb_cues(tok: Token, quotes: list[tuple[int, int]]) -> list[Cue]:
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "AUX"):
        return []
    if lemma not in lx.SPEECH_VERBS:
        return _figure_cue(tok, quotes)
    subj = _subject(tok)
    if subj is None or subj.i == tok.i:
        return []
    if any(c.dep_ == "neg" for c in tok.children) or (tok.lower_ in ("saying",) and tok.dep_ == "pcomp"):
        return []  # "did not say", "cannot say": nothing is reported
    clause = next(
        (c for c in tok.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in ("VERB", "AUX")), None
    )
    if clause is None and lemma in lx.INFINITIVE_CUES:
        clause = next((c for c in tok.children if c.dep_ == "xcomp"), None)
    if clause is None:
        clause = _displaced_clause(tok)
    if clause is not None and _is_question(clause):
        return []  # "say how many died", "say when": an indirect question reports no claim
    speaker = make_mention(subj)
    cue = _cue_text(tok)
    if clause is None and lemma in _FIGURE_VERBS and (figure := _figure_cue(tok, quotes)):
        return figure
    if clause is None:
        inverted = _inverted_content(tok, subj)
        return [Cue("verb", cue, tok.idx, tok.idx + len(tok), speaker, inverted, inverted is None, tok.i)]
    before = tok.i < clause.left_edge.i
    return [
        Cue("verb", cue, tok.idx, tok.idx + len(tok), speaker, span, before, tok.i)
        for span in _contents(tok, clause, quotes)
    ]


# "put the figure at 21,400", "estimated the cost at $4.5 billion": a figure attributed by its verb.
_FIGURE_VERBS = frozenset({"put", "set", "place", "peg", "estimate", "fix"})


def _figure_cue(tok: Token, quotes: list[tuple[int, int]]) -> list[Cue]:
    if tok.lemma_.lower() not in _FIGURE_VERBS:
        return []
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    at = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "at"), None)
    subj = _subject(tok)
    if obj is None or at is None or subj is None or not any(t.like_num for t in at.subtree):
        return []
    doc = tok.doc
    lo, hi = obj.left_edge.i, max(t.i for t in at.subtree)
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    content = (doc[lo].idx, doc[hi].idx + len(doc[hi]))
    return [
        Cue("verb", f"{tok.text} … at", tok.idx, tok.idx + len(tok), make_mention(subj), content, True, tok.i)
    ]


# "according to plan", "according to the rules": no source speaks.
_NOT_SOURCES = frozenset(
    {
        "plan",
        "schedule",
        "law",
        "rule",
        "tradition",
        "custom",
        "script",
        "design",
        "protocol",
        "procedure",
        "expectation",
        "instruction",
        "need",
        "taste",
        "form",
    }
)


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
    return Cue(
        "according",
        "according to",
        tok.idx,
        to.idx + len(to),
        make_mention(obj),
        content,
        before=tok.i < lo,
        verb_i=tok.i,
    )


def _noun_cue(tok: Token, quotes: list[tuple[int, int]]) -> Cue | None:
    """A document noun with a "that"-clause: "amid reports that …", "the estimate that …"."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in lx.DOCUMENT_NOUNS:
        return None
    if tok.dep_ in _SUBJECT_DEPS:  # "the report said …" is a verb cue
        return None
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


_CUE_LEMMAS = lx.SPEECH_VERBS | _FIGURE_VERBS | lx.DOCUMENT_NOUNS
_CUE_WORDS = frozenset({"according", "citing", "quoting"})


def find_cues(doc: Doc) -> list[Cue]:
    """All reporting cues of a parsed unit, outside its direct quotations, in text order."""
    quotes: list[tuple[int, int]] = doc._.cl_quote_spans or []
    cues: list[Cue] = []
    for tok in doc:
        if tok.lemma_.lower() not in _CUE_LEMMAS and tok.lower_ not in _CUE_WORDS:
            continue  # most tokens: a set lookup instead of the rules below
        if _inside(quotes, tok.idx, tok.idx + len(tok)):
            continue
        found = _verb_cues(tok, quotes) or [
            _according_cue(tok, quotes) or _noun_cue(tok, quotes) or _source_cue(tok)
        ]
        cues.extend(
            c
            for c in found
            if c is not None and c.speaker is not None and not _inside(quotes, c.speaker.start, c.speaker.end)
        )
    return cues


@Language.factory(
    "claimledger_attribution",
    assigns=["doc._.cl_cues"],
    requires=["token.dep", "token.pos", "token.lemma", "doc.ents"],
)
def make_attribution(nlp: Language, name: str) -> AttributionComponent:
    return AttributionComponent()


class AttributionComponent:
    """Sets ``doc._.cl_cues``; reads ``doc._.cl_quote_spans`` when the caller set it."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.cl_cues = find_cues(doc) if _may_attribute(doc) else []
        return doc


def _may_attribute(doc: Doc) -> bool:
    """Cheap test: no cue word and no quotation mark means nothing to attribute."""
    return any(t.lower_ in lx.CUE_FORMS or t.is_quote for t in doc) or doc.text.rstrip().endswith(":")
