"""Turn a number expression as written ("about a dozen or so", "more than 13,000", "€3bn") into a value range.

The labelling rules (``shared/gold/README.md``) define the semantics:

- exact figures give ``low == high`` and ``approximate=False``;
- hedged point estimates ("about", "nearly", "or so") keep ``low == high`` but are approximate;
- lower bounds ("at least", "more than", "upwards of") leave ``high`` open (``None``);
- upper bounds ("up to", "as many as", "as high as") leave ``low`` open;
- vague words map to the ranges in :data:`VAGUE_WORDS` ("hundreds" -> 200-999);
- percentages and fractions are shares of one ("20%" -> 0.2, "half" -> 0.5) with unit ``"%"``.

:func:`parse_value` is a small hand-written recursive-descent parser over word tokens. It never raises and
its cost is linear in a length that is capped before any regex runs: expressions come from untrusted text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..lexicons import load

__all__ = [
    "CARDINAL_WORDS",
    "CURRENCY_SYMBOLS",
    "CURRENCY_WORDS",
    "FRACTION_WORDS",
    "LOWER_BOUND_HEDGES",
    "MEASURE_UNITS",
    "MULTIPLIER_WORDS",
    "ORDINAL_WORDS",
    "POINT_HEDGES",
    "PREFIX_HEDGES",
    "SCALE_WORDS",
    "SUFFIX_HEDGES",
    "TIME_UNITS",
    "UPPER_BOUND_HEDGES",
    "VAGUE_WORDS",
    "Value",
    "parse_value",
]


@dataclass(frozen=True, slots=True)
class Value:
    """The value range of a number expression; ``None`` bounds are open."""

    low: float | None
    high: float | None
    approximate: bool
    hedge: str | None
    unit: str | None


# --- Lexicons -------------------------------------------------------------------------------------------

# The word lists are data: ``claimledger/lexicons/en/numbers.toml`` (each table says what it is for).
_EN = load("en")
CARDINAL_WORDS: dict[str, int] = _EN.integers("cardinal_words")
_TENS = frozenset(w for w, n in CARDINAL_WORDS.items() if n >= 20)
SCALE_WORDS: dict[str, float] = {**_EN.numbers("scale_words"), **_EN.numbers("scale_abbreviations")}
_WORD_SCALES = frozenset(_EN.numbers("scale_words"))
#: Vague quantities (rules table). Keys are word tuples; the value is the (low, high) range.
VAGUE_WORDS: dict[tuple[str, ...], tuple[float, float]] = {
    tuple(k.split()): v for k, v in _EN.ranges("vague_words").items()
}
VAGUE_MODIFIERS = _EN.words("vague_modifiers")
_VAGUE_SINGULAR = _EN.names("vague_singular")
FRACTION_WORDS: dict[str, float] = _EN.numbers("fraction_words")
ORDINAL_WORDS: dict[str, int] = _EN.integers("ordinal_words")
#: Repetition and growth words: unit "times"; any cardinal from two makes one with "-fold".
MULTIPLIER_WORDS: dict[str, float] = {
    **_EN.numbers("multiplier_words"),
    **{f"{word}fold": n for word, n in CARDINAL_WORDS.items() if n >= 2},
}
CURRENCY_SYMBOLS: dict[str, str] = _EN.names("currency_symbols")
CURRENCY_WORDS: dict[str, str] = _EN.names("currency_words")
TIME_UNITS: dict[str, str] = _EN.names("time_units")
MEASURE_UNITS: dict[str, str] = _EN.names("measure_units")
POINT_HEDGES: frozenset[str] = _EN.words("point_hedges")
LOWER_BOUND_HEDGES: frozenset[str] = _EN.words("lower_bound_hedges")
UPPER_BOUND_HEDGES: frozenset[str] = _EN.words("upper_bound_hedges")
EXACT_HEDGES: frozenset[str] = _EN.words("exact_hedges")
RANGE_OPENERS: frozenset[str] = _EN.words("range_openers")
_SUFFIX_ONLY = _EN.words("suffix_only_hedges")
#: Hedges written after the figure, including bounds that go either side ("20,000 at the very least").
SUFFIX_HEDGES: frozenset[str] = _SUFFIX_ONLY | _EN.words("suffix_either_side_hedges")
#: Every hedge or bound written before the figure.
PREFIX_HEDGES: frozenset[str] = (
    POINT_HEDGES | LOWER_BOUND_HEDGES | UPPER_BOUND_HEDGES | EXACT_HEDGES | RANGE_OPENERS
) - _SUFFIX_ONLY
_MAX_HEDGE_WORDS = 3
_MAX_SUFFIX_WORDS = 4

# --- Limits (untrusted input) ---------------------------------------------------------------------------
MAX_EXPRESSION_CHARS = 160  # longer "expressions" are not number expressions; checked before any regex
MAX_TOKENS = 24
MAX_DIGITS = 15  # beyond float's exact integers: not a figure anyone writes in prose

_UNKNOWN = Value(None, None, False, None, None)
_DASHES = str.maketrans(
    {"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " "}
)
# No nested quantifiers: each alternative is a flat run, so matching is linear.
_TOKEN_RE = re.compile(r"us\$|\d[\d,]*(?:\.\d+)?[a-z]*|[a-z]+|[^\sa-z\d]")
_DIGITS_RE = re.compile(r"(\d[\d,]*(?:\.\d+)?)([a-z]*)")
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})


class _ParseError(ValueError):
    """The expression is not one this grammar reads."""


@dataclass(slots=True)
class _Quantity:
    low: float
    high: float
    vague: bool = False
    unit: str | None = None
    factor: float = 1.0  # the scale word's factor; a bare left range end borrows it ("10-15 million")
    nominal: float | None = None  # the figure an upper bound refers to ("up to a dozen" -> 12)


def parse_value(expression: str) -> Value:
    """Read a number expression ("between nine and 12", "$480", "hundreds") into a :class:`Value`.

    Unreadable, absurd or overlong input gives ``Value(None, None, False, None, None)``; it never raises.
    """
    if not isinstance(expression, str) or len(expression) > MAX_EXPRESSION_CHARS:
        return _UNKNOWN
    tokens = _tokenize(expression)
    if not tokens or len(tokens) > MAX_TOKENS:
        return _UNKNOWN
    try:
        return _Parser(tokens).parse()
    except (_ParseError, OverflowError):
        return _UNKNOWN


def _tokenize(expression: str) -> list[str]:
    text = expression.translate(_DASHES).lower().strip().rstrip(".,;:!?")
    text = text.replace("per cent", "percent").replace("percentage points", "percent")
    return _TOKEN_RE.findall(text)


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise _ParseError("not finite")
    return value


class _Parser:
    """Recursive descent: [hedge] quantity [connector quantity] [unit] [suffix hedge]."""

    def __init__(self, tokens: list[str]) -> None:
        self.toks = tokens
        self.pos = 0

    # -- token helpers
    def peek(self, offset: int = 0) -> str | None:
        i = self.pos + offset
        return self.toks[i] if i < len(self.toks) else None

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            raise _ParseError("unexpected end")
        self.pos += 1
        return tok

    def phrase(self, phrases: frozenset[str], max_words: int = _MAX_HEDGE_WORDS) -> str | None:
        """Consume the longest phrase from ``phrases`` at the cursor."""
        for n in range(max_words, 0, -1):
            words = self.toks[self.pos : self.pos + n]
            if len(words) == n and " ".join(words) in phrases:
                self.pos += n
                return " ".join(words)
        return None

    # -- grammar
    def parse(self) -> Value:
        hedge = self.phrase(PREFIX_HEDGES)
        left = self.quantity()
        unit = self.unit_tail()
        right = self.range_end(hedge)
        unit = self.unit_tail() or unit
        suffix = self.phrase(SUFFIX_HEDGES, _MAX_SUFFIX_WORDS)
        if self.pos != len(self.toks):
            raise _ParseError("trailing words")
        if hedge in RANGE_OPENERS and right is None:
            raise _ParseError("range opener without a range")
        return _combine(left, right, unit, hedge, suffix)

    def range_end(self, hedge: str | None) -> _Quantity | None:
        conn = self.peek()
        if conn in ("-", "to", "or") or (conn == "and" and (hedge or "").endswith("between")):
            saved = self.pos
            self.pos += 1
            try:
                return self.quantity()
            except _ParseError:
                self.pos = saved
        return None

    def unit_tail(self) -> str | None:
        """A unit after the figure: "%", "percent", "times", "months", or a hyphenated "-month"."""
        tok = self.peek()
        if tok == "-" and (self.peek(1) or "").isalpha():
            self.pos += 1
            word = self.take()
            if not word.isalpha():
                raise _ParseError("hyphen before a non-word")
            unit = _unit_of(word)
            if self.peek() == "-" and self.peek(1) == "old":  # "29-year-old": an age, keep it readable
                self.pos += 2
            return unit  # other compounds ("500-strong") keep the figure without a unit
        if tok is not None and _unit_of(tok) is not None:
            self.pos += 1
            return _unit_of(tok)
        return None

    def quantity(self) -> _Quantity:
        currency = CURRENCY_SYMBOLS.get(self.peek() or "")
        if currency:
            self.pos += 1
        q = self.core()
        self.scales(q)
        if currency:
            q.unit = currency
        if self.peek() in CURRENCY_WORDS:
            q.unit = CURRENCY_WORDS[self.take()]
        return q

    def scales(self, q: _Quantity) -> None:
        while (tok := self.peek()) in SCALE_WORDS and not (tok in ("m", "b", "k") and q.vague):
            if q.vague:
                raise _ParseError("scale after a vague word")
            self.pos += 1
            factor = SCALE_WORDS[tok]
            q.low, q.high, q.factor = _finite(q.low * factor), _finite(q.high * factor), q.factor * factor

    def core(self) -> _Quantity:
        tok = self.peek()
        if tok is None:
            raise _ParseError("no figure")
        ratio = self.ratio()
        if ratio is not None:
            return ratio
        if tok[0].isdigit():
            return self.digits()
        for reader in (self.vague, self.fraction, self.words):
            q = reader()
            if q is not None:
                return q
        if tok in ORDINAL_WORDS:
            self.pos += 1
            n: float = ORDINAL_WORDS[tok]
            return _Quantity(n, n)
        if tok in MULTIPLIER_WORDS:
            self.pos += 1
            n = MULTIPLIER_WORDS[tok]
            return _Quantity(n, n, unit="times")
        raise _ParseError(f"not a number word: {tok!r}")

    def digits(self) -> _Quantity:
        m = _DIGITS_RE.fullmatch(self.take())
        if m is None:
            raise _ParseError("malformed digits")
        number, suffix = m.groups()
        plain = number.replace(",", "")
        if len(plain.split(".")[0]) > MAX_DIGITS or plain.count(".") > 1:
            raise _ParseError("too many digits")
        value = _finite(float(plain))
        q = _Quantity(value, value)
        if not suffix or suffix in _ORDINAL_SUFFIXES:
            return q
        if suffix in SCALE_WORDS:
            q.low = q.high = _finite(value * SCALE_WORDS[suffix])
            q.factor = SCALE_WORDS[suffix]
            return q
        if suffix in MEASURE_UNITS:
            q.unit = MEASURE_UNITS[suffix]
            return q
        raise _ParseError("letters glued to digits")

    def vague(self) -> _Quantity | None:
        """ "dozens", "tens of thousands", "several dozen", "a few hundred", "half a million", "a dozen"."""
        start = self.pos
        if self.peek() == "a" and self.peek(1) == "few":
            self.pos += 1
        if self.peek() in VAGUE_MODIFIERS:
            mod = self.take()
            word = self.peek()
            if word in _VAGUE_SINGULAR:
                self.pos += 1
                low, high = VAGUE_WORDS[(_VAGUE_SINGULAR[word],)]
                return _Quantity(low, high, vague=True)
            if mod == "some" or word is None or (word,) not in VAGUE_WORDS:
                self.pos = start
                return None
        if self.peek() == "half" and self.peek(1) in ("a", "an") and self.peek(2) in _WORD_SCALES | {"dozen"}:
            factor = 12 if self.peek(2) == "dozen" else SCALE_WORDS[self.toks[self.pos + 2]]
            self.pos += 3
            return _Quantity(0.5 * factor, 0.5 * factor, vague=True, factor=factor)
        for n in (3, 2, 1):
            key = tuple(self.toks[self.pos : self.pos + n])
            if len(key) == n and key in VAGUE_WORDS:
                if key in (("a", "dozen"), ("dozen",)) and self.peek(n) in _WORD_SCALES:
                    break  # "a dozen thousand" is not idiomatic; leave it to the word reader
                self.pos += n
                low, high = VAGUE_WORDS[key]
                return _Quantity(low, high, vague=True, nominal=12 if "dozen" in key else None)
        self.pos = start
        return None

    def ratio(self) -> _Quantity | None:
        """ "one in three", "nine out of 10", "one in every five": a share, numerator over denominator."""
        words = 3 if (self.peek(1), self.peek(2)) in _RATIO_LINKS else 2
        if self.peek(1) not in ("in", "out") or (self.peek(1) == "out" and words == 2):
            return None
        numerator, denominator = _small_number(self.peek()), _small_number(self.peek(words))
        if numerator is None or not denominator or numerator > denominator or denominator > MAX_RATIO_BASE:
            return None
        self.pos += words + 1
        share = round(numerator / denominator, 3)
        return _Quantity(share, share, unit="%")

    def fraction(self) -> _Quantity | None:
        """ "half", "a third", "two-thirds", "three quarters"."""
        start = self.pos
        numerator = 1.0
        tok = self.peek()
        if tok in ("a", "an", "one"):
            self.pos += 1
        elif tok in CARDINAL_WORDS and tok not in ("zero",):
            numerator = CARDINAL_WORDS[tok]
            self.pos += 1
            if self.peek() == "-":
                self.pos += 1
        word = self.peek()
        if word in FRACTION_WORDS and (word == "half" or self.pos > start):
            plural = word.endswith("s") and word != "halves"
            if plural == (numerator == 1) and word not in ("half",):
                self.pos = start  # "a thirds", "two third": not a fraction
                return None
            self.pos += 1
            # Shares are written to three decimals, as people write them ("a third" = 0.333).
            share = round(numerator / FRACTION_WORDS[word], 3)
            return _Quantity(share, share, unit="%")
        self.pos = start
        return None

    def words(self) -> _Quantity | None:
        """Spelled-out cardinals: "twelve", "twenty-five", "one hundred and twenty", "a thousand"."""
        total, current, seen, after_scale = 0.0, 0.0, False, False
        start = self.pos
        if self.peek() in ("a", "an") and self.peek(1) in _WORD_SCALES | {"dozen"}:
            self.pos += 1
            current, seen = 1.0, True
        while (tok := self.peek()) is not None:
            if tok in CARDINAL_WORDS:
                value: float = CARDINAL_WORDS[tok]
                if tok in _TENS and self.peek(1) == "-" and CARDINAL_WORDS.get(self.peek(2) or "", 10) < 10:
                    value += CARDINAL_WORDS[self.toks[self.pos + 2]]
                    self.pos += 2
                current += value
            elif tok == "hundred" and seen:
                current = max(current, 1) * 100
            elif tok == "dozen" and seen:
                current = max(current, 1) * 12
            elif tok in _WORD_SCALES and seen:
                total += max(current, 1) * SCALE_WORDS[tok]
                current = 0
            elif tok == "and" and after_scale and (self.peek(1) or "") in CARDINAL_WORDS:
                pass  # "one hundred and twenty"
            else:
                break
            after_scale = tok in _WORD_SCALES
            seen = True
            self.pos += 1
        if not seen or self.pos == start:
            self.pos = start
            return None
        value = _finite(total + current)
        dozen = "dozen" in self.toks[start : self.pos]
        factor = max((SCALE_WORDS[t] for t in self.toks[start : self.pos] if t in _WORD_SCALES), default=1.0)
        return _Quantity(value, value, vague=dozen, factor=factor)


_RATIO_LINKS = frozenset({("out", "of"), ("in", "every")})
MAX_RATIO_BASE = 1000  # "one in 1,000" at most; "900 in 2020" is no ratio


def _small_number(tok: str | None) -> int | None:
    """A whole number written as one token ("three", "10"), for ratios."""
    if tok is None:
        return None
    if tok.replace(",", "").isdigit() and len(tok) <= 6:
        return int(tok.replace(",", ""))
    return CARDINAL_WORDS.get(tok)


def _unit_of(word: str) -> str | None:
    return TIME_UNITS.get(word) or MEASURE_UNITS.get(word) or CURRENCY_WORDS.get(word)


def _combine(
    left: _Quantity, right: _Quantity | None, unit: str | None, hedge: str | None, suffix: str | None
) -> Value:
    """Apply units, range and hedges to the parsed quantities."""
    low: float | None  # None once a hedge leaves that end open
    high: float | None
    low, high = left.low, left.high
    unit = unit or left.unit or (right.unit if right else None)
    if right is not None:
        left_low = left.low
        if right.factor > 1 and left.factor == 1 and left.low * right.factor <= right.high:
            left_low = _finite(left.low * right.factor)  # "10-15 million": one scale word for both ends
        low, high = min(left_low, right.high), max(left_low, right.high)
    if unit == "%" and not (left.unit == "%" and right is None):
        low, high = low / 100, high / 100  # written percentages; fractions are already shares
    approximate = left.vague or right is not None or (right.vague if right else False)
    bound_hedge = hedge if hedge not in RANGE_OPENERS else None
    for h in (bound_hedge, suffix):
        if h is None:
            continue
        nominal = left.nominal if left.nominal is not None and right is None else None
        if h in LOWER_BOUND_HEDGES:  # "at least a dozen": the table's low end (10), devset2 README
            low, high = low, None
        elif h in UPPER_BOUND_HEDGES:
            low, high = None, (nominal if nominal is not None else high)
        if h not in EXACT_HEDGES:
            approximate = True
    return Value(_float(low), _float(high), approximate, hedge or suffix, unit)


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)
