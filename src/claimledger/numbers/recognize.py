"""The ``claimledger_numbers`` spaCy component: number expressions, their values and what they count.

How it works, in three steps per doc:

1. **Cores** — a :class:`spacy.matcher.Matcher` over token classes (``Token._.cl_numclass``: digit,
   cardinal word, scale, vague word, ordinal, fraction, multiplier) finds the figure itself
   ("13,000", "twenty - five", "tens of thousands", "a dozen", "two-thirds", "sixth-month",
   "doubled", "fivefold", "one in three").
2. **Expression** — adjacent cores joined by "to"/"-"/"or" (or "and" after "between") become a range,
   except after a verb of change ("rose from 40% to 55%" is two values); the span then grows left over
   a currency mark and hedge/bound words, and right over "%", "percent", "times", a hyphenated
   compound ("-month") and suffix hedges ("or so", "at the very least").
3. **Skips and counts** — the labelling rules' skips (dates, years, clock times, ages, identifiers, list
   markers, "one of", individual ordinals, time windows, durations that only time another figure:
   "rose 9% over two years") use NER, the parse and token patterns; what is counted comes from the
   parse (the object of "put X at N", the number's noun, else the verb phrase it is the subject of).

A doc without parse or NER still gets mentions: the skips then fall back on word patterns only.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from claimledger.lexicons import Lexicon, load
from claimledger.nlp import doc_text, registry
from claimledger.numbers.categories import categorize, is_harm
from claimledger.numbers.values import (
    CARDINAL_WORDS,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    FRACTION_WORDS,
    MEASURE_UNITS,
    MULTIPLIER_WORDS,
    ORDINAL_WORDS,
    PREFIX_HEDGES,
    RANGE_OPENERS,
    SUFFIX_HEDGES,
    TIME_UNITS,
    VAGUE_WORDS,
    Value,
    parse_value,
)

__all__ = ["NumberMention", "NumberRecognizer", "may_contain_number"]


@dataclass(slots=True)
class NumberMention:
    """One number expression in a doc; ``text == doc.text[start:end]``."""

    start: int
    end: int
    text: str
    value: Value
    counts: str | None
    category: str | None
    head_i: int | None


#: Word lists are data: ``claimledger/lexicons/en/numbers.toml``, ``number_context.toml``, ``dates.toml``.
_EN = load("en")

# --- Lexicon-derived word classes -----------------------------------------------------------------------

_DIGIT_TOKEN_RE = re.compile(r"\d[\d,]*(?:\.\d+)?(?:k|m|mn|bn|b|tn)?\+?")
_ORDINAL_DIGIT_RE = re.compile(r"\d{1,3}(?:st|nd|rd|th)")
_MAX_TOKEN_CHARS = 40  # longer "numbers" are not figures in prose; checked before any regex
_GLUED_SCALES = frozenset({"k", "m", "mn", "bn", "b", "tn"})
_WORD_SCALES = frozenset(_EN.numbers("scale_words")) | {"dozen"}
_VAGUE_SINGLE = frozenset(k[0] for k in VAGUE_WORDS if len(k) == 1 and k[0] != "dozen")
_TENS = [w for w, n in CARDINAL_WORDS.items() if n >= 20]
_ONES = [w for w, n in CARDINAL_WORDS.items() if 1 <= n <= 9]
_FRACTION_SINGULAR = [w for w in FRACTION_WORDS if not w.endswith("s") and w != "half"]
_FRACTION_PLURAL = [w for w in FRACTION_WORDS if w.endswith("s") and w != "halves"]
_DURATION_UNITS = ["day", "week", "month", "year", "night", "days", "weeks", "months", "years", "nights"]
#: Multipliers that are counts; "once" is not one ("pay once").
_GROWTH_WORDS = [w for w in MULTIPLIER_WORDS if w != "once"]


def number_words(lexicon: Lexicon) -> frozenset[str]:
    """Every word of ``lexicon`` that can start or make up a figure (number words, scales, vague
    quantities, fractions, ordinals, multipliers with the cardinal "-fold" forms)."""
    cardinals = lexicon.integers("cardinal_words")
    return frozenset(
        set(cardinals)
        | set(lexicon.numbers("scale_words"))
        | {"dozen"}
        | {w for k in lexicon.ranges("vague_words") for w in k.split() if w not in ("a", "of")}
        | set(lexicon.numbers("fraction_words"))
        | set(lexicon.integers("ordinal_words"))
        | set(lexicon.numbers("multiplier_words"))
        | {f"{word}fold" for word, n in cardinals.items() if n >= 2}
    )


#: Every English word that can start or make up a figure; :func:`may_contain_number` looks for these.
NUMBER_LEXICON: frozenset[str] = number_words(_EN)
_WORD_RE = re.compile(r"[a-z]+")
_HAS_DIGIT_RE = re.compile(r"\d")

# --- Skip-rule lexicons ---------------------------------------------------------------------------------

_MONTHS = frozenset(_EN.table("month_numbers"))
_WEEKDAYS = _EN.words("weekdays")
_CLOCK_WORDS = _EN.words("clock_words")
_CODE_LABELS = _EN.words("code_labels")
_IDENTIFIER_WORDS = _EN.words("identifier_words")
_IDENTIFIER_ENTS = frozenset(
    {"PERSON", "ORG", "PRODUCT", "LAW", "FAC", "WORK_OF_ART", "EVENT", "GPE", "LOC", "NORP"}
)
_WINDOW_BEFORE = _EN.words("window_before")
_GLUED_UNITS = _EN.words("glued_units")
_WINDOW_AFTER = _EN.words("window_after")
_ONE_PRONOUN_BEFORE = _EN.words("one_pronoun_before")
#: Words before "one" that make it the answer to a count ("only one mill", "at least one soldier").
_ONE_COUNTED_BEFORE = _EN.words("exact_hedges") | _EN.words("one_count_words")
_LIST_OPENERS = frozenset({":", ";", "(", "—", "-", "•", "*", "\n"})
_AGE_AFTER_RE = re.compile(r"(?:\s?-?\s?(?:year|month|week|day)s?)?\s?-?\s?olds?\b")
_NOUN_POS = frozenset({"NOUN", "PROPN"})
_COUNT_VERB_CHILDREN = frozenset(
    {"dobj", "prep", "xcomp", "prt", "acomp", "oprd", "agent", "dative", "npadvmod", "advmod", "attr"}
)
_NOUN_CUT = frozenset({",", ";", ":", "—", "–", "(", ")", '"', "“", "”", "which", "who", "that", "according"})
_MAX_COUNTS_TOKENS = 14
_WINDOW = 8  # tokens either side of a number word that the matcher looks at (longest pattern: 7)


def may_contain_number(text: str) -> bool:
    """Cheap prefilter (no spaCy): does ``text`` hold a digit or a number/vague-quantity word?

    Has no false negatives relative to the recognizer: every core it finds needs one of these.
    """
    if _HAS_DIGIT_RE.search(text):
        return True
    return any(word in NUMBER_LEXICON for word in _WORD_RE.findall(text.lower()))


def _numclass(token: Token) -> str | None:
    """The number class of one token, read from the lexicons in :mod:`claimledger.numbers.values`."""
    low = token.lower_
    if len(low) > _MAX_TOKEN_CHARS:
        return None
    if low[:1].isdigit():
        if _DIGIT_TOKEN_RE.fullmatch(low):
            return "digit"
        return "ord" if _ORDINAL_DIGIT_RE.fullmatch(low) else None
    if low in CARDINAL_WORDS:
        return "card"
    if low in _WORD_SCALES:
        return "scale"
    if low in _GLUED_SCALES and token.i > 0:
        prev = token.doc[token.i - 1]
        return "scale" if not prev.whitespace_ and _DIGIT_TOKEN_RE.fullmatch(prev.lower_) else None
    if low in _VAGUE_SINGLE:
        return "vague"
    if low in ORDINAL_WORDS:
        return "ord"
    if low in MULTIPLIER_WORDS:
        return "mult"
    return None


if not Token.has_extension("cl_numclass"):
    Token.set_extension("cl_numclass", getter=_numclass)
if not Doc.has_extension("cl_numbers"):
    Doc.set_extension("cl_numbers", default=None)


def _cls(*classes: str, op: str | None = None) -> dict:
    spec: dict = {"_": {"cl_numclass": {"IN": list(classes)}}}
    if op:
        spec["OP"] = op
    return spec


def _lower(*words: str, op: str | None = None) -> dict:
    spec: dict = {"LOWER": {"IN": list(words)}}
    if op:
        spec["OP"] = op
    return spec


#: Most number words after the first in one core ("two hundred fifty thousand" has 3). Repeats are
#: bounded: with an open ``*`` a run of n bare numbers gives n² matches (all its sub-runs).
_MAX_CORE_TAIL = 5
_TAIL = f"{{0,{_MAX_CORE_TAIL}}}"

#: Matcher patterns for number cores, by label. Hedges, units and ranges are added around them in code.
CORE_PATTERNS: dict[str, list[list[dict]]] = {
    "CARDINAL": [
        [_cls("digit", "card"), _cls("digit", "card", "scale", op=_TAIL)],
        [_lower(*_TENS), {"ORTH": "-"}, _lower(*_ONES), _cls("scale", op=_TAIL)],
        [
            _cls("digit", "card", "scale", op=f"{{1,{_MAX_CORE_TAIL}}}"),
            _lower("hundred", "thousand", "million"),
            _lower("and"),
            _cls("card"),
            {"ORTH": "-", "OP": "?"},
            _cls("card", op="?"),
        ],
        [_lower("a", "an"), _lower("hundred", "thousand", "million", "billion"), _cls("scale", op=_TAIL)],
    ],
    "VAGUE": [
        [_lower("a", "an"), _lower("dozen")],
        [_lower("half"), _lower("a", "an"), _lower("dozen", "hundred", "thousand", "million", "billion")],
        [_lower("several", "many", op="?"), _cls("vague")],
        [_lower("several", "many", op="?"), _cls("vague"), _lower("of"), _lower("thousands", "millions")],
        [_lower("a", op="?"), _lower("several", "few"), _lower("dozen", "hundred", "thousand", "million")],
    ],
    "FRACTION": [
        [_lower("half")],
        [_lower("a", "one"), _lower(*_FRACTION_SINGULAR)],
        [_cls("card"), {"ORTH": "-", "OP": "?"}, _lower(*_FRACTION_PLURAL)],
    ],
    "MULTIPLIER": [[_lower(*_GROWTH_WORDS)]],
    "RATIO": [  # "one in three", "nine out of 10", "one in every five"
        [numer, _lower("in", "out"), _lower("of", "every", op="?"), denom]
        for numer in (_cls("card"), {"SHAPE": {"IN": ["d", "dd"]}})
        for denom in (_cls("card"), {"SHAPE": {"IN": ["d", "dd", "ddd", "d,ddd"]}})
    ],
    "ORDINAL_DURATION": [[_cls("ord"), {"ORTH": "-"}, _lower(*_DURATION_UNITS)]],
    "ORDINAL_DURATION_SPACED": [[_cls("ord"), _lower(*_DURATION_UNITS)]],
}


_ORDINAL_LABELS = frozenset({"ORDINAL_DURATION", "ORDINAL_DURATION_SPACED"})


class NumberRecognizer:
    """Finds number expressions and sets ``doc._.cl_numbers`` to a list of :class:`NumberMention`."""

    def __init__(
        self, nlp: Language, name: str = "claimledger_numbers", words: frozenset[str] | None = None
    ) -> None:
        self.name = name
        self.number_words = NUMBER_LEXICON if words is None else words  # windows open at these
        self.matcher = Matcher(nlp.vocab)
        for label, patterns in CORE_PATTERNS.items():
            self.matcher.add(label, patterns)

    def __call__(self, doc: Doc) -> Doc:
        # The matcher is the costly part; the prefilter has no false negatives, so skip early.
        doc._.cl_numbers = self.find(doc) if may_contain_number(doc_text(doc)) else []
        return doc

    def find(self, doc: Doc) -> list[NumberMention]:
        """All number mentions of ``doc``, in text order."""
        mentions: list[NumberMention] = []
        cores = self._cores(doc)
        i = 0
        while i < len(cores):
            start, end, label = cores[i]
            i += 1
            if i < len(cores) and (merged := _merge_range(doc, start, end, cores[i][0], cores[i][1])):
                end = merged
                i += 1
            mention = self._mention(doc, start, end, label, mentions)
            if mention is not None:
                mentions.append(mention)
        return mentions

    def _match_near_numbers(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Matcher hits, looking only at windows around number words.

        The matcher's extension-attribute predicates cost a Python call per token and
        pattern; most tokens of a sentence are far from any figure, so only windows of
        ``_WINDOW`` tokens around a number word or digit are matched.
        """
        windows: list[list[int]] = []
        for t in doc:
            low = t.lower_
            if low in self.number_words or (low[:1].isdigit() and _numclass(t) is not None):
                lo, hi = max(0, t.i - _WINDOW), min(len(doc), t.i + _WINDOW + 1)
                if windows and lo <= windows[-1][1]:
                    windows[-1][1] = hi
                else:
                    windows.append([lo, hi])
        hits: set[tuple[int, int, int]] = set()
        for lo, hi in windows:
            hits.update((mid, lo + a, lo + b) for mid, a, b in self.matcher(doc[lo:hi]))
        return list(hits)

    def _cores(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Longest non-overlapping matcher hits as (start, end, label)."""
        # Longest first; at equal length an ordinal duration beats a fraction ("a third night").
        hits = sorted(
            self._match_near_numbers(doc),
            key=lambda m: (m[1] - m[2], doc.vocab.strings[m[0]] not in _ORDINAL_LABELS, m[1]),
        )
        taken: set[int] = set()
        cores = []
        for match_id, start, end in hits:
            if taken.isdisjoint(range(start, end)):
                taken.update(range(start, end))
                cores.append((start, end, doc.vocab.strings[match_id]))
        return sorted(cores)

    def _mention(
        self, doc: Doc, start: int, end: int, label: str, earlier: list[NumberMention]
    ) -> NumberMention | None:
        core = doc[start:end]
        unit_word = None
        if label == "ORDINAL_DURATION_SPACED":  # "second month": the unit is the counted noun
            unit_word = doc[end - 1]
            end -= 1
            core = doc[start:end]
        if core[0].lower_ == "first" or _skip_core(doc, core, label):
            return None
        s, e = _extend(doc, start, end)
        if e == end and _thousands_group(doc, end):
            e = end = end + 1  # "100 000": thousands grouped with a space
        text = doc_text(doc)[doc[s].idx : doc[e - 1].idx + len(doc[e - 1])]
        if doc[s].lower_ in RANGE_OPENERS and not _is_range(doc, start, end):
            s += 1  # "from 20 villages": "from" opens no range here
            text = doc_text(doc)[doc[s].idx : doc[e - 1].idx + len(doc[e - 1])]
        value = parse_value(_SPACED_THOUSANDS.sub("", text))
        if value.low is None and value.high is None:
            return None
        noun = unit_word or _counted_noun(doc, s, e)
        value = _with_noun_unit(value, noun)
        if _skip_expression(doc, s, e, value, noun) or _qualifies_a_count(doc, s, value, earlier):
            return None
        if e < len(doc) and not doc[e - 1].whitespace_ and doc[e].lower_ in _GLUED_UNITS:
            # "80km": the tokenizer splits a unit written onto its figure; the figure is both.
            text = doc_text(doc)[doc[s].idx : doc[e].idx + len(doc[e])]
        counts, indices = _counts(doc, s, e, noun, value, earlier)
        if unit_word is not None:
            counts, indices = _ordinal_duration_counts(doc, unit_word, s, e, counts, indices)
        lemmas = [doc[j].lemma_ or doc[j].lower_ for j in indices]
        coordinated = [doc[j].lemma_ or doc[j].lower_ for j in _with_coordination(doc, indices)]
        head_i = noun.i if noun is not None else doc[s:e].root.i
        start_char = doc[s].idx
        return NumberMention(
            start_char,
            start_char + len(text),
            text,
            value,
            counts,
            categorize(counts, value.unit, lemmas, coordinated),
            head_i,
        )


@Language.factory(
    "claimledger_numbers",
    assigns=["doc._.cl_numbers"],
    requires=["token.pos", "token.dep", "token.ent_type", "token.lemma"],
    default_config={"lexicon": registry.ENGLISH},
)
def make_number_recognizer(nlp: Language, name: str, lexicon: Lexicon) -> NumberRecognizer:
    """spaCy factory: ``nlp.add_pipe("claimledger_numbers")`` after the full English pipeline."""
    return NumberRecognizer(nlp, name, number_words(lexicon))


# --- Expression building ---------------------------------------------------------------------------------


def _merge_range(doc: Doc, end_a_start: int, end_a: int, start_b: int, end_b: int) -> int | None:
    """End of a range "X to Y" / "X-Y" / "X or Y" / "between X and Y", or None if the cores stand apart."""
    j = end_a
    while j < len(doc) and doc[j].lower_ in ("%", "percent"):
        j += 1
    if j >= len(doc) or (start_b != j + 1 and not (start_b == j + 2 and doc[j + 1].text in CURRENCY_SYMBOLS)):
        return None
    conn = doc[j].lower_
    opener = end_a_start - 1
    if opener >= 0 and doc[opener].text in CURRENCY_SYMBOLS:
        opener -= 1  # "between £110 million and £120 million"
    if conn == "to" and opener >= 0 and doc[opener].lower_ == "from" and _is_change(doc, opener):
        return None  # "will go from £8.50 to £9.50": two values, before and after
    if conn in ("-", "–", "to", "or"):
        return end_b
    if conn == "and" and opener >= 0 and doc[opener].lower_ == "between":
        return end_b
    return None


_CHANGE_LEMMAS = _EN.words("change_lemmas")


def _is_change(doc: Doc, from_i: int) -> bool:
    """Is the "from" at ``from_i`` governed by a verb of change ("prices rose from")?"""
    for tok in doc[max(0, from_i - 3) : from_i]:
        if (tok.lemma_ or tok.lower_) in _CHANGE_LEMMAS or tok.lower_ in ("up", "down"):
            return True
    return doc[from_i].head.lemma_ in _CHANGE_LEMMAS


def _is_range(doc: Doc, start: int, end: int) -> bool:
    return any(t.lower_ in ("to", "and", "-", "–", "or") for t in doc[start:end])


def _extend(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Grow a core over its currency mark, hedge words, unit marks and suffix hedges."""
    s, e = start, end
    if s > 0 and doc[s - 1].lower_ in CURRENCY_SYMBOLS:
        s -= 1
    for n in (3, 2, 1):
        if s - n >= 0 and " ".join(t.lower_ for t in doc[s - n : s]) in PREFIX_HEDGES:
            s -= n
            break
    if e < len(doc) and doc[e].lower_ in ("%", "percent", "times", "x"):
        e += 1
    elif e + 1 < len(doc) and (doc[e].lower_, doc[e + 1].lower_) in _TWO_WORD_UNITS:
        e += 2
    elif e + 1 < len(doc) and doc[e].text == "-" and doc[e + 1].is_alpha and not doc[e - 1].whitespace_:
        e += 2  # hyphenated compound kept whole: "10-month", "500-strong"
    for n in (4, 3, 2, 1):
        if e + n <= len(doc) and " ".join(t.lower_ for t in doc[e : e + n]) in SUFFIX_HEDGES:
            e += n
            break
    return s, e


_TWO_WORD_UNITS = frozenset({("per", "cent"), ("percentage", "points")})


def _with_noun_unit(value: Value, noun: Token | None) -> Value:
    """Take the unit from the counted noun when the expression has none ("380 kilometers", "4 months")."""
    if value.unit is not None or noun is None:
        return value
    low = noun.lower_
    unit = TIME_UNITS.get(low) or CURRENCY_WORDS.get(low) or (MEASURE_UNITS.get(low) if low != "x" else None)
    if unit is None or unit == "%":
        return value
    return Value(value.low, value.high, value.approximate, value.hedge, unit)


# --- Skip rules ------------------------------------------------------------------------------------------


_SPACED_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}\b)")


def _thousands_group(doc: Doc, i: int) -> bool:
    """Is token ``i`` the "000" of "100 000", a group of three digits after a short figure and one space?"""
    if i < 1 or i >= len(doc):
        return False
    prev, tok = doc[i - 1], doc[i]
    return (
        tok.is_digit
        and len(tok) == 3
        and prev.is_digit
        and len(prev) <= 3
        and prev.whitespace_ == " "
        and (i < 2 or doc[i - 2].lower_.rstrip(".") not in _MONTHS)
    )


def _skip_core(doc: Doc, core: Span, label: str) -> bool:
    """Skip rules that look at the figure alone: list markers, "one of", glued identifiers, stray words."""
    first, last = core[0], core[-1]
    if len(core) == 1 and _thousands_group(doc, first.i):
        return True  # the "000" of "100 000": part of the figure before it
    before = doc[first.i - 1] if first.i > 0 else None
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if _is_list_marker(doc, core, before, after):
        return True
    if (
        before is not None
        and before.text == "-"
        and not before.whitespace_
        and first.i > 1
        and doc[first.i - 2].is_alpha
        and not doc[first.i - 2].whitespace_
    ):
        return True  # "Su-25", "COVID-19"
    if len(core) == 1 and first.lower_ == "one" and _one_is_not_a_count(first, before, after):
        return True
    if (
        after is not None
        and after.text == "-"
        and last.i + 2 < len(doc)
        and doc[last.i + 2].lower_ in ("star", "stars")
    ):
        return True  # "a four-star general", "a five-star hotel": a rank or a rating
    if label == "FRACTION":
        return _fraction_is_not_a_share(core, before, _past_quote_marks(doc, last.i + 1))
    if first.lower_ == "scores" and (after is None or after.lower_ != "of"):
        return (before is not None and before.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM")) or any(
            c.dep_ in ("det", "compound", "amod", "poss") for c in first.children
        )
    return first.lower_ == "tens" and len(core) == 1


def _past_quote_marks(doc: Doc, i: int) -> Token | None:
    """The first token from ``i`` on that is not a quotation mark ('"less than a tenth" of')."""
    while i < len(doc) and doc[i].is_quote:
        i += 1
    return doc[i] if i < len(doc) else None


def _is_list_marker(doc: Doc, core: Span, before: Token | None, after: Token | None) -> bool:
    if len(core) != 1 or not core[0].is_digit or len(core[0]) > 2 or after is None:
        return False
    if after.text not in (".", ")"):
        return False
    line_start = doc_text(doc)[: core[0].idx].rstrip(" \t")
    return before is None or line_start.endswith("\n") or before.text in _LIST_OPENERS or before.is_space


def _one_is_not_a_count(one: Token, before: Token | None, after: Token | None) -> bool:
    if after is not None and after.lower_ in ("of", "another", "by", "who", "which", "that", "day", "time"):
        return True
    if before is not None and before.lower_ == "by" and one.doc[max(0, before.i - 1)].lower_ == "one":
        return True  # the second "one" of "one by one"
    if before is not None and before.lower_ in _ONE_PRONOUN_BEFORE:
        return True
    if one.doc.has_annotation("DEP"):
        if one.dep_ not in ("nummod", "quantmod", "compound", "conj") or one.head.i < one.i:
            return True
        return _one_picks_out_an_individual(one, before)
    return after is None or not after.is_alpha


def _one_picks_out_an_individual(one: Token, before: Token | None) -> bool:
    """ "one" before a singular noun picks out an individual ("at one checkpoint", "one model
    predicted", "identified one detainee") unless it answers a count: a bound word before it
    ("only one mill was working", "at least one"), a harm it suffered or did ("one soldier was
    killed", "killed one civilian"), or other counts joined to it ("one tank and three trucks").
    Inside a prepositional phrase it never counts ("in just one battalion, 30 deserted")."""
    noun = one.head
    if one.dep_ != "nummod" or noun.tag_ != "NN" or _is_unit(noun) or one.nbor(1).text == "-":
        return False  # a measure ("one month", "one mile", "one-year reign"): the unit rules decide
    if noun.dep_ == "pobj":
        return True
    if before is not None and before.lower_ in _ONE_COUNTED_BEFORE:
        return False
    joined = [*(c for c in noun.children if c.dep_ == "conj"), *([noun.head] if noun.dep_ == "conj" else [])]
    if any(c.dep_ == "nummod" for j in joined for c in j.children):
        return False  # one of a list of counts: "lost one tank and three trucks"
    verb = noun.head
    return not (
        noun.dep_ in ("nsubj", "nsubjpass", "dobj")
        and verb.pos_ in ("VERB", "AUX", "ADJ")
        and (is_harm(verb.text) or any(is_harm(c.text) for c in verb.children if c.dep_ == "acomp"))
    )


def _is_unit(tok: Token) -> bool:
    w = tok.lower_
    return w in TIME_UNITS or w in MEASURE_UNITS or w in CURRENCY_WORDS or w in FRACTION_WORDS


def _fraction_is_not_a_share(core: Span, before: Token | None, after: Token | None) -> bool:
    first = core[0]
    if after is not None and (after.text == "-" or after.lower_ in TIME_UNITS or after.lower_ == "time"):
        return True  # "half-brother", "a quarter century"
    if before is not None and before.lower_ in ("the", "first", "second", "this", "that", "one", "a"):
        return True  # "the second half", "one and a half"
    if first.lower_ == "half":
        nxt = after.lower_ if after is not None else ""
        return nxt in ("an", "a") or (
            nxt != "of"
            and after is not None
            and after.pos_ not in ("DET", "PRON")
            and not (before is not None and before.lower_ in ("than", "about"))
        )
    return after is None or after.lower_ != "of"


def _skip_expression(doc: Doc, s: int, e: int, value: Value, noun: Token | None) -> bool:
    """Skip rules that need the whole expression: dates, years, clock times, ages, identifiers, windows."""
    span = doc[s:e]
    before = doc[s - 1] if s > 0 else None
    after = doc[e] if e < len(doc) else None
    duration = value.unit in TIME_UNITS.values()
    if duration and (_is_time_window(doc, s, e, noun) or _is_one_time_unit(span, noun)):
        return True
    if _is_age(doc, s, e, before, after):
        return True
    if (after is not None and after.lower_ in _CLOCK_WORDS) or any(":" in t.text for t in span):
        return True
    dated = any(t.ent_type_ in ("DATE", "TIME") for t in span) and _calendar_anchor(doc, span)
    if dated and not duration and not _counts_a_thing(span, noun):
        return True
    if _next_to_calendar_word(before, after) or _is_year(span, value, noun):
        return True
    return _is_identifier(span, before, noun)


_CALENDAR_WORDS = _EN.words("calendar_words")


def _calendar_anchor(doc: Doc, span: Span) -> bool:
    """Does the NER date or time around ``span`` name a point in time? NER also tags rates and
    counts as DATE ("between 30 and 45 a day"); those are claims, not dates."""
    ents = [e for e in doc.ents if e.label_ in ("DATE", "TIME") and e.start < span.end and span.start < e.end]
    for tok in (t for e in ents for t in e):
        low = tok.lower_.rstrip(".")
        if low in _MONTHS or low in _WEEKDAYS or low in _CALENDAR_WORDS or ":" in tok.text:
            return True
        if (tok.is_digit and len(tok) == 4) or (low.endswith("s") and low[:-1].isdigit()):  # 2030, 1990s
            return True
    return False


def _counts_a_thing(span: Span, noun: Token | None) -> bool:
    """NER sometimes tags a count as DATE ("21005"); a plural non-time noun it modifies overrides."""
    return (
        noun is not None
        and noun.lower_ not in TIME_UNITS
        and noun.lower_ not in _MONTHS
        and noun.tag_ == "NNS"
        and noun.i >= span.end
    )


def _is_time_window(doc: Doc, s: int, e: int, noun: Token | None) -> bool:
    last = noun.i if noun is not None and noun.i >= e else e - 1
    before = doc[max(0, s - 3) : s]
    if any(t.lower_ in _WINDOW_BEFORE and not (t.lower_ == "last" and t.pos_ == "VERB") for t in before):
        return True  # "in the last 24 hours"; but "reserves would last 20 days" is a claim
    if doc[s].lower_ == "within":  # "within six weeks of funding": how long it takes, a claim
        return _follows_a_count(doc, s)
    if last + 1 < len(doc) and doc[last + 1].lower_ in _WINDOW_AFTER:
        after_next = doc[last + 2].lower_ if last + 2 < len(doc) else ""
        if after_next == "than":
            return False  # "three years later than planned": a delay, not a point in time
        return not any(t.lower_ == "for" for t in before)  # "for a further 12 months before …"
    return False


def _follows_a_count(doc: Doc, s: int) -> bool:
    """Does the clause that "within" qualifies hold a figure or a comparison ("would cost us more
    than the overrun within five years")? Then the window only times that other quantity."""
    prep = doc[s]
    own = {t.i for t in prep.subtree}
    clause = [t for t in prep.head.subtree if t.i not in own and t.i < s]
    words = [t.lower_ for t in clause]
    return any(_numclass(t) in ("digit", "card") for t in clause) or any(
        a in ("more", "less", "fewer") and b == "than" for a, b in itertools.pairwise(words)
    )


_WINDOW_PREPS = _EN.words("window_preps")


def _qualifies_a_count(doc: Doc, s: int, value: Value, earlier: list[NumberMention]) -> bool:
    """A duration right after another figure only times that figure ("rose 9% over two years")."""
    if value.unit not in TIME_UNITS.values() or not earlier:
        return False
    prep = s if doc[s].lower_ in ("over", "within") else s - 1
    if prep < 1 or doc[prep].lower_ not in _WINDOW_PREPS:
        return False
    prev = doc[prep - 1]
    if earlier[-1].end == prev.idx + len(prev) or (
        prev.lower_ in ("%", "percent", "times") and earlier[-1].end >= prev.idx
    ):
        return True
    # "20,000 people crossed the border in two days": the window times the count of its own clause.
    head = doc[prep].head
    verb_window = doc[prep].dep_ == "prep" and head.pos_ == "VERB"
    clause = [t for t in head.subtree if t.i < prep] if verb_window else []
    return any(t.like_num and earlier[-1].start <= t.idx < earlier[-1].end for t in clause)


def _is_one_time_unit(span: Span, noun: Token | None) -> bool:
    """ "one day" / "one year" as a time reference, not a claim ("one-year reign" stays)."""
    return span.text.lower() == "one" and noun is not None and noun.i == span.end


_AGE_GROUP_NOUNS = _EN.words("age_group_nouns")
_AGE_SUBJECTS = _EN.words("age_subjects")


def _is_age(doc: Doc, s: int, e: int, before: Token | None, after: Token | None) -> bool:
    if before is not None and before.lower_ in ("aged", "age", "ages"):
        return True
    if doc[s].lower_ in ("under", "over") and before is not None and before.lower_ in _AGE_GROUP_NOUNS:
        return after is None or not after.is_alpha or after.pos_ not in _NOUN_POS  # "children under five"
    if _is_predicate_age(doc, s, e):
        return True
    tail = doc_text(doc)[doc[e - 1].idx + len(doc[e - 1]) : doc[e - 1].idx + len(doc[e - 1]) + 24]
    if _AGE_AFTER_RE.match(tail) or _AGE_AFTER_RE.match(doc[s:e].text.lower(), len(doc[s].text)):
        return True
    # "Anna Petrova, 29, said": a small bare number in commas after a name
    if e - s == 1 and doc[s].is_digit and before is not None and before.text in (",", "(") and s >= 2:
        name = doc[s - 2]
        closes = after is None or after.text in (",", ")", ".", ";")
        return closes and (name.ent_type_ == "PERSON" or name.pos_ == "PROPN") and int(doc[s].text) < 120
    return False


def _is_predicate_age(doc: Doc, s: int, e: int) -> bool:
    """ "One was 58.": a bare small whole number after "was"/"is" whose subject is a person."""
    if e - s != 1 or not doc[s].is_digit or int(doc[s].text) >= 120 or s < 2:
        return False
    verb, subject = doc[s - 1], doc[s - 2]
    closes = e >= len(doc) or doc[e].text in (".", ",", ";", ")")
    return closes and verb.lower_ in ("was", "is") and subject.lower_ in _AGE_SUBJECTS


def _next_to_calendar_word(before: Token | None, after: Token | None) -> bool:
    return any(
        t is not None and t.lower_.rstrip(".") in _MONTHS | _WEEKDAYS and (t.is_title or t.is_upper)
        for t in (before, after)
    )


def _is_year(span: Span, value: Value, noun: Token | None) -> bool:
    digits = [t for t in span if t.is_digit and len(t) == 4]
    if not digits or value.low is None or not 1800 <= value.low <= 2100:
        return False
    return any(t.ent_type_ == "DATE" for t in digits) or noun is None or noun.tag_ != "NNS"


def _is_identifier(span: Span, before: Token | None, noun: Token | None) -> bool:
    if before is not None and before.text == ":" and before.i > 0:
        label = before.doc[before.i - 1]  # "Story Code : 198127", "ID: 4471"
        if label.lower_ in _IDENTIFIER_WORDS | _CODE_LABELS and label.text[:1].isupper():
            return True
    if before is not None:
        named = before.lower_ in _IDENTIFIER_WORDS and before.text[:1].isupper()
        if named or before.lower_ in ("no.", "#"):
            return True
        if before.text == "." and before.i > 0 and before.doc[before.i - 1].lower_ in ("no", "nos"):
            return True
        if before.pos_ == "PROPN" and before.is_title and noun is None and span[0].is_digit:
            return True  # "Resolution 2334", "Boeing 737"
    return any(t.ent_type_ in _IDENTIFIER_ENTS and t.ent_iob_ == "I" for t in span)


# --- What is counted -------------------------------------------------------------------------------------


def _counted_noun(doc: Doc, s: int, e: int) -> Token | None:
    """The counted noun: the figure's nummod head, the object of "of" after it, or (no parse) the next one."""
    if not doc.has_annotation("DEP"):
        return _next_noun(doc, e)
    for tok in doc[s:e]:
        head = tok.head
        if (
            head.i >= e
            and head.pos_ in _NOUN_POS
            and tok.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "npadvmod", "advmod", "det")
        ):
            return head
    root = doc[s:e].root
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i >= e:
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
    if e < len(doc) and doc[e].pos_ in _NOUN_POS and doc[e].head.i >= e and doc[e].i != root.head.i:
        return doc[e]  # a misparse that still has the noun right after the figure
    if e < len(doc) and doc[e].pos_ in ("ADJ", "VERB", "NOUN") and is_harm(doc[e].text):
        return doc[e]  # "379 dead and 458 wounded", "left at least 200 dead"
    return None


def _next_noun(doc: Doc, e: int) -> Token | None:
    for tok in doc[e : e + 3]:
        if tok.pos_ in _NOUN_POS:
            return tok
        if tok.pos_ != "ADJ":
            return None
    return None


def _counts(
    doc: Doc, s: int, e: int, noun: Token | None, value: Value, earlier: list[NumberMention]
) -> tuple[str | None, list[int]]:
    """Text of the counted thing and the token indices it was built from."""
    root = doc[s:e].root
    if noun is not None and noun.i < s:
        noun = None
    valued = _valued_object(doc[s:e] if noun is None else [noun], set(range(s, e)))
    if valued:  # "put the number of homes destroyed at roughly 48,000", "put the cost at 30 million marks"
        indices = sorted(set(valued) | set(_noun_phrase(doc, noun, e) if noun is not None else []))
        return _text_of(doc, indices), indices
    if noun is None and root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
        measured = root.head.head  # "claimed a turnout of 80,000", "gave a crowd estimate of 12,000"
        indices = [t.i for t in doc[measured.left_edge.i : measured.i + 1] if t.pos_ != "DET"]
        if _informative(measured) and measured.i < s:
            return _text_of(doc, indices), indices
    if noun is None:
        changed = _changed_quantity(root, set(range(s, e)))
        if changed is not None:
            if _informative(changed):
                indices = [t.i for t in _own_subtree(changed) if t.i >= 0 and t.i not in range(s, e)]
                return _text_of(doc, indices[:_MAX_COUNTS_TOKENS]), indices[:_MAX_COUNTS_TOKENS]
            if earlier and earlier[-1].counts and changed.lower_ in _REFERRING_HEADS:
                return earlier[-1].counts, []  # "36 people died ..., later changed that number to 32"
    duration = value.unit in TIME_UNITS.values()
    # "seven wounded", "left 200 dead": the harm after the figure says what it counts
    harm = noun is not None and noun.i == e and noun.pos_ not in _NOUN_POS and is_harm(noun.text)
    if noun is not None:
        indices = _noun_phrase(doc, noun, e)
    else:
        indices = _contiguous_prefix(doc, [c.i for c in _own_subtree(root) if c.i >= e and not c.is_punct])
    anchor = noun if noun is not None and noun.dep_ in _ARGUMENT_DEPS else root
    used = set(range(s, e)) | set(indices) | {t.i for t in _own_subtree(anchor)}
    verb_part = [] if (duration and noun is not None) or harm else _governing_verb_phrase(anchor, used)
    indices = sorted(set(indices) | set(verb_part))[:_MAX_COUNTS_TOKENS]
    if noun is None and value.unit == "times":  # "fuel costs had almost doubled": what grew
        indices = _subject_of_clause(root, set(range(s, e)), through_appos=True) or indices
    if not indices:
        indices = _subject_of_clause(root, set(range(s, e)))
    text = _text_of(doc, indices)
    if (noun is None or harm) and earlier and text and root.dep_ in ("conj", "nsubj", "nsubjpass", "dobj"):
        borrowed = _borrowable_noun(doc, earlier[-1])
        if borrowed is not None and borrowed.sent == doc[s].sent:
            text = f"{borrowed.text} {text}"  # "45 people were killed and scores wounded"
            indices = [borrowed.i, *indices]
    if noun is not None and duration and noun.lower_ not in TIME_UNITS:
        text = f"{value.unit}s of {text}"  # "one-year reign" counts years of the reign
    return (text or None), indices


_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})
_MAX_VERB_CLIMB = 3
_SIDE_DEPS = frozenset({"cc", "conj", "punct", "appos", "parataxis"})


def _own_subtree(token: Token) -> list[Token]:
    """The token's subtree without coordinated or appended material ("45 and 60", ", which ...")."""
    out = [token]
    for child in token.children:
        if child.dep_ not in _SIDE_DEPS:
            out.extend(child.subtree)
    return sorted(out, key=lambda t: t.i)


def _borrowable_noun(doc: Doc, mention: NumberMention) -> Token | None:
    """The counted noun of an earlier mention, if it had one outside its own span."""
    if mention.head_i is None:
        return None
    tok = doc[mention.head_i]
    return tok if tok.pos_ in _NOUN_POS and tok.idx >= mention.end else None


def _subject_of_clause(root: Token, span: set[int], through_appos: bool = False) -> list[int]:
    """Fallback for "prices rose 20%", "the plant was shelled twice", "the toll could be as high as N".

    ``through_appos`` also climbs over an apposition ("asked for a boat "at least four times"")."""
    verb = root
    for _ in range(_MAX_VERB_CLIMB):  # climb through "as"/"at" prepositions to the clause's verb
        side = verb.dep_ in _SIDE_DEPS and not (through_appos and verb.dep_ == "appos")
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i or side:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return []
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in span]
    if not subjects or subjects[0].pos_ == "PRON":
        objects = [
        c
        for c in verb.children
        if c.dep_ == "dobj" and c.i not in span and c.pos_ not in ("PRON", "NUM") and not _is_figure(c)
    ]
        if objects:  # "we count every climber twice": the object is what is counted
            subjects = objects
        elif verb.i in span or verb.pos_ != "VERB":
            return []
        else:  # "he had asked for a replacement boat four times": the verb and its complement
            preps = [c for c in verb.children if c.dep_ == "prep" and c.i not in span and c.i > verb.i][:1]
            out = [verb.i, *(t.i for p in preps for t in p.subtree if t.i not in span and not t.is_punct)]
            return sorted(out)[:_MAX_COUNTS_TOKENS]
    subj = subjects[0]
    out = [t.i for t in _own_subtree(subj) if t.i not in span]
    if verb.i not in span and verb.pos_ == "VERB":
        out.append(verb.i)
    return sorted(out)[:_MAX_COUNTS_TOKENS]


def _noun_phrase(doc: Doc, noun: Token, e: int) -> list[int]:
    """The noun with its modifiers after the figure, cut at the first clause break or coordination."""
    first = max(noun.left_edge.i, e)
    if first > noun.i:
        first = noun.i
    if doc[first].text == "-" and first < noun.i:
        first += 1
    out = []
    for tok in doc[first : noun.right_edge.i + 1]:
        if tok.i > noun.i and (tok.lower_ in _NOUN_CUT or (tok.dep_ in ("cc", "conj") and tok.head == noun)):
            break
        out.append(tok.i)
        if len(out) >= _MAX_COUNTS_TOKENS:
            break
    return out


#: Verbs whose object is the new level of a quantity: "the toll passed 1,500", "reached 1 million".
_REACH_LEMMAS = _EN.words("reach_verbs")
#: Verbs that move a quantity "to" a figure: "rose to 60", "brought to seven the number of ...".
_CHANGE_TO_LEMMAS = _EN.words("change_lemmas") | _EN.words("figure_to_verbs") | _EN.words("bring_to_verbs")
#: Heads that point back at a figure already given ("changed that number to 32").
_REFERRING_HEADS = _EN.words("figure_nouns")


def _is_figure(tok: Token) -> bool:
    """A number or multiplier word ("had risen fivefold ... to 17"): never the quantity itself."""
    return tok.like_num or tok.lower_ in MULTIPLIER_WORDS or tok.lower_ in CARDINAL_WORDS


def _changed_quantity(root: Token, span: set[int]) -> Token | None:
    """The quantity a figure is the new level of: the subject of "the toll passed 1,500" / "rose to
    60", or the object of "brought to seven the number of people killed" / "increased that number
    to 379". None when the figure is no such level."""
    if root.dep_ in ("dobj", "attr") and root.head.lemma_ in _REACH_LEMMAS:
        verb = root.head
    elif root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.lemma_ in _CHANGE_TO_LEMMAS:
        verb = root.head.head
    else:
        return None
    objects = [
        c
        for c in verb.children
        if c.dep_ == "dobj" and c.i not in span and c.pos_ not in ("PRON", "NUM") and not _is_figure(c)
    ]
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in span]
    found = objects or [s for s in subjects if s.pos_ != "PRON"]
    return found[0] if found else None


_VALUING_LEMMAS = _EN.words("figure_at_verbs") | _EN.words("valuing_verbs")
_MAX_VALUING_CLIMB = 4


def _valued_object(tokens: Iterable[Token], span: set[int]) -> list[int]:
    """The object of "put/estimate X at N" when the figure is N (the "at" may hang on X's modifier:
    "put the number of homes destroyed at 48,000")."""
    for tok in tokens:
        prep = tok.head
        if prep.lower_ != "at" or prep.dep_ != "prep":
            continue
        verb = prep.head
        for _ in range(_MAX_VALUING_CLIMB):  # "at" hung on the object's modifier ("homes damaged at")
            if verb.lemma_ in _VALUING_LEMMAS or verb.head.i == verb.i:
                break
            verb = verb.head
        objects = [c for c in verb.children if c.dep_ == "dobj"] if verb.lemma_ in _VALUING_LEMMAS else []
        skip = span | {t.i for t in prep.subtree}
        if not objects and verb.lemma_ in _VALUING_LEMMAS and verb.dep_ == "acl" and verb.head.pos_ != "VERB":
            objects = [verb.head]  # "the rebel force, estimated at 2,000"
            skip |= {t.i for t in verb.subtree}
        if objects and _informative(objects[0]):
            return [t.i for t in _own_subtree(objects[0]) if t.i not in skip][:_MAX_COUNTS_TOKENS]
    return []


_EMPTY_HEADS = _EN.words("empty_heads")


def _informative(noun: Token) -> bool:
    return noun.lower_ not in _EMPTY_HEADS or any(
        c.dep_ == "prep" and c.lower_ == "of" for c in noun.children
    )


def _ordinal_duration_counts(
    doc: Doc, unit: Token, s: int, e: int, counts: str | None, indices: list[int]
) -> tuple[str | None, list[int]]:
    """ "A strike ... entered its second week": weeks of the strike (the clause's subject), unless
    the unit already says what it is of ("second night of protests")."""
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in unit.children):
        return counts, indices
    subject = [i for i in _subject_of_clause(unit, set(range(s, e)) | {unit.i}) if doc[i].pos_ != "VERB"]
    if not subject:
        return counts, indices
    plural = unit.lower_ if unit.lower_.endswith("s") else unit.lower_ + "s"
    return f"{plural} of {_text_of(doc, subject)}", [unit.i, *subject]


def _contiguous_prefix(doc: Doc, indices: list[int]) -> list[int]:
    out: list[int] = []
    for i in indices:
        if out and i != out[-1] + 1:
            break
        if doc[i].lower_ in _NOUN_CUT:
            break
        out.append(i)
    return out


def _governing_verb_phrase(anchor: Token, used: set[int]) -> list[int]:
    """The verb the counted thing is subject or object of, with its objects and prepositions."""
    if anchor.dep_ not in _ARGUMENT_DEPS or anchor.head.pos_ not in ("VERB", "AUX"):
        return []
    verb = anchor.head
    if verb.i in used:  # "may exceed 10,000": the verb is part of the hedge
        return []
    out = [verb.i]
    for child in verb.children:
        if child.dep_ not in _COUNT_VERB_CHILDREN or child.i in used or child.i < verb.i:
            continue
        if child.lower_ == "according":
            continue
        out.extend(t.i for t in child.subtree if t.i not in used)
    doc = anchor.doc
    limit = next(
        (t.i for t in doc[verb.i + 1 :] if t.text in _CLAUSE_BREAKS or t.lower_ == "according"), len(doc)
    )
    return sorted(i for i in set(out) if i < limit)


_CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–", "(", ")", "\n"})


#: Longest coordination ("killed, wounded or captured") added to a counted phrase for its category.
_MAX_COORDINATION_TOKENS = 8


def _with_coordination(doc: Doc, indices: list[int]) -> list[int]:
    """``indices`` with the coordinations of their words: "soldiers killed" in "30 soldiers were killed
    or wounded" reads "soldiers killed or wounded", so the category sees both harms. A conjunct with
    a number or a subject of its own ("12 dead and 40 injured", "five died and others were wounded")
    tells of something else and is left out."""
    out = set(indices)
    for j in indices:
        conj = [c for c in doc[j].conjuncts if c.i > j and not _own_clause(c)]
        if conj and (last := max(c.i for c in conj)) - j < _MAX_COORDINATION_TOKENS:
            out.update(range(j, last + 1))
    return sorted(out)


def _own_clause(conj: Token) -> bool:
    """Does a conjunct carry its own number or subject (so it is not a second word for the same)?"""
    subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children)
    return subject or any(t.like_num for t in conj.subtree)


def _text_of(doc: Doc, indices: Iterable[int]) -> str:
    """Join the text of runs of consecutive tokens, keeping the doc's own spacing inside each run."""
    runs: list[list[int]] = []
    for i in sorted(indices):
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return " ".join(doc[r[0] : r[-1] + 1].text for r in runs).strip()
