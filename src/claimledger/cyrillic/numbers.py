"""Number expressions in Russian and Ukrainian: digits, number words, scale words, vague words, bounds.

«12 500», «2,4 млн» (2,400,000), «167-235 тыс», «триста», «двух тысяч», «полтора», «полгода»,
«десятки тысяч» (20,000–99,999), «несколько сотен», «более 100», «понад тисячу», «от 5 до 10».
The lexicons (``lexicons/<lang>/numbers.toml``) hold every word; number words match in every case
and gender through their pymorphy3 dictionary form. Skipped as in English: dates, years,
ordinals and ages («12-й», «31-летний», «2025-го»), identifiers («ИК-25», «полка 1452»), anchors
to the present («три года назад»), «один из» and clock times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Lexicon, load
from .tokens import Sentence, Token

#: Characters that may separate digit groups of one number («12 500», «12 500»).
_GROUP_SEP = " \u00a0\u202f\u2009"
_DASHES = "-–—"
#: How far after a number its counted words are read.
MAX_COUNTS_CHARS = 80
#: Words a figure that ends its clause takes from before it as what it counts.
_MAX_COUNTS_BEFORE = 6
_COUNTS_END = re.compile(r"[,.;:!?()\n«»\"“”]")
#: Case endings written after the digits of a cardinal («12-ти», «5-ох», «3-х» is left out: it is
#: also the plural of an ordinal, «1990-х»).
_CASE_ENDING = re.compile(r"-(?:ти|ми|ью|ох|ьох|ома|ма|ух|ех|ёх)\b")


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number expression in a sentence, in document offsets."""

    start: int
    end: int
    low: float | None
    high: float | None
    approximate: bool
    unit: str | None
    hedge: str | None
    counts: str | None
    category: str | None


@dataclass(slots=True)
class _Core:
    first: int  # index of the first token
    last: int  # index of the last token (inclusive)
    low: float
    high: float
    vague: bool = False
    unit: str | None = None


def _digit_value(tok: Token) -> float | None:
    t = tok.text
    if not t[0].isdigit():
        return None
    if "," in t or "." in t:
        head, _sep, tail = t.replace(",", ".").partition(".")
        if "," not in t and len(tail) == 3:  # «12.500»: a dot before three digits groups thousands
            return float(head + tail)
        try:
            return float(f"{head}.{tail}")
        except ValueError:
            return None
    return float(t)


class NumberFinder:
    """Finds number expressions in the sentences of one language."""

    def __init__(self, lang: str) -> None:
        lex: Lexicon = load(lang)
        self.lang = lang
        self.words = lex.numbers("number_words")
        self.scale = lex.numbers("scale_words")
        self.vague_sing = lex.table("vague_singular")
        self.categories = lex.table("categories")
        self.hedges = lex.phrases("hedges")
        self.lower = lex.phrases("lower_bounds")
        self.upper = lex.phrases("upper_bounds")
        self.ranges = [tuple(p.split(" … ")) for p in lex.phrases("ranges")]
        self.few = lex.words("few_words")
        self.half = lex.words("half_prefixes")
        self.time_units = lex.words("time_units")
        self.months = lex.words("months")
        self.year_words = lex.words("year_words")
        self.anchors = lex.words("anchor_words")
        self.id_heads = lex.words("identifier_heads")
        self.one_of = lex.words("one_of")
        self.ages = lex.phrases("age_markers")
        self.percent = lex.words("percent_words")

    # --- token classes -------------------------------------------------------------------------

    def _word_value(self, tok: Token) -> float | None:
        low = tok.lower
        if low in self.words:
            return self.words[low]
        for p in tok.readings:
            if p.normal_form in self.words and p.tag.POS in ("NUMR", "ADVB", "NOUN", "ADJF", None):
                if p.normal_form in ("один", "одна") and "plur" in p.tag:
                    return None  # одни, одних: a pronoun, not a count
                return self.words[p.normal_form]
        return None

    def _scale_of(self, tok: Token) -> tuple[float, bool] | None:
        """(multiplier, plural) when the token is a scale word (тысяча, тыс, млн, десятки)."""
        low = tok.lower.rstrip(".")
        if low in self.scale:
            return self.scale[low], False
        for p in tok.readings:
            if p.normal_form in self.scale and p.tag.POS == "NOUN":
                return self.scale[p.normal_form], "plur" in p.tag
        return None

    def _plural_alone(self, toks: list[Token], start: int, i: int) -> bool:
        """Is a scale word without a figure plural («сотни», «десятки»)? After a hedge or bound
        that governs the genitive («около тысячи», «понад тисячу») a singular reading wins."""
        tok = toks[i]
        plural = any(p.normal_form in self.scale and "plur" in p.tag for p in tok.readings)
        if start < i:
            return True  # «несколько десятков»
        if plural and start > 0 and tok.has("sing", "gent"):
            prev = toks[start - 1].lower
            if any(ph.split()[-1] == prev for ph in (*self.hedges, *self.lower, *self.upper)):
                return False
        return plural

    def _half(self, tok: Token) -> float | None:
        """полгода → 0.5 (a year), полмиллиона → 500,000."""
        low = tok.lower
        for pre in sorted(self.half, key=len, reverse=True):
            if low.startswith(pre) and len(low) > len(pre) + 2:
                rest = Token(tok.text[len(pre) :], tok.start + len(pre), tok.end, tok.lang)
                sc = self._scale_of(rest)
                if sc is not None:
                    return 0.5 * sc[0]
                if rest.lemmas() & self.time_units:
                    return 0.5
        return None

    def _month(self, tok: Token) -> bool:
        """A month name in any case, or a wire abbreviation as written («мар», «бер»)."""
        return bool(tok.lemmas() & self.months) or tok.lower.rstrip(".") in self.months

    def _is_time_unit(self, tok: Token) -> bool:
        return bool(tok.lemmas() & self.time_units) and tok.has("NOUN")

    # --- cores ---------------------------------------------------------------------------------

    def _digits(self, text: str, toks: list[Token], i: int) -> _Core | None:
        v = _digit_value(toks[i])
        if v is None:
            return None
        j = i
        # «12 500»: groups of three digits after one space-like character.
        while (
            j + 1 < len(toks)
            and "," not in toks[j].text
            and toks[j + 1].text.isdigit()
            and len(toks[j + 1].text) == 3
            and toks[j + 1].start - toks[j].end == 1
            and text[toks[j].end] in _GROUP_SEP
            and (j > i or len(toks[i].text) <= 3)
        ):
            j += 1
            v = v * 1000 + float(toks[j].text)
        return _Core(i, j, v, v)

    def _core(self, text: str, toks: list[Token], i: int) -> _Core | None:
        tok = toks[i]
        core = self._digits(text, toks, i)
        if core is None and tok.lower in self.half and i + 1 < len(toks):
            sc = self._scale_of(toks[i + 1])  # «пів мільйона», «пол миллиона»
            if sc is not None and toks[i + 1].start - tok.end == 1:
                return _Core(i, i + 1, 0.5 * sc[0], 0.5 * sc[0])
        if core is None:
            half = self._half(tok)
            if half is not None:
                return _Core(i, i, half, half)
            v = self._word_value(tok)
            if v is not None:
                core = _Core(i, i, v, v)
                # «двадцать пять», «сто двадцать»: falling magnitudes add up.
                while core.last + 1 < len(toks):
                    nv = self._word_value(toks[core.last + 1])
                    if nv is None or nv >= core.low or core.low < 20:
                        break
                    core.last += 1
                    core.low += nv
                    core.high = core.low
        if core is None:
            return self._vague(toks, i)
        # Scale words after the figure multiply it: «2,4 млн», «три тысячи», «сотни тысяч».
        while core.last + 1 < len(toks):
            sc = self._scale_of(toks[core.last + 1])
            if sc is None or (toks[core.last + 1].start - toks[core.last].end) > 2:
                break
            core.last += 1
            core.low *= sc[0]
            core.high *= sc[0]
        return core

    def _vague(self, toks: list[Token], i: int) -> _Core | None:
        tok = toks[i]
        start = i
        sc = self._scale_of(tok)
        if tok.lower in self.few and i + 1 < len(toks):
            nxt = self._scale_of(toks[i + 1])
            if nxt is None:
                return None
            i, sc = i + 1, (nxt[0], True)
        if sc is None:
            for p in tok.readings[:1]:
                rng = self.vague_sing.get(p.normal_form)
                if isinstance(rng, tuple):
                    return _Core(i, i, rng[0], rng[1], vague=rng[0] != rng[1])
            return None
        value, plural = sc
        plural = self._plural_alone(toks, start, i)
        if tok.lower.rstrip(".") in self.scale and len(tok.lower.rstrip(".")) <= 4 and not plural:
            return None  # a bare abbreviation («тыс», «млн») without a figure
        if plural:
            low, high, vague = 2 * value, 10 * value - 1, True
        else:
            rng = self.vague_sing.get(next(iter(sorted(tok.lemmas() & set(self.vague_sing))), ""))
            if isinstance(rng, tuple):
                low, high, vague = rng[0], rng[1], True
            else:
                low = high = value
                vague = False
        core = _Core(start, i, low, high, vague=vague)
        while core.last + 1 < len(toks):
            nxt = self._scale_of(toks[core.last + 1])
            if nxt is None:
                break
            core.last += 1
            core.low *= nxt[0]
            core.high = (core.high + 1) * nxt[0] - 1 if vague else core.high * nxt[0]
        return core

    # --- modifiers and skips -------------------------------------------------------------------

    @staticmethod
    def _phrase_before(text: str, lo: int, pos: int, phrases: tuple[str, ...]) -> tuple[str, int] | None:
        before = text[max(lo, pos - 40) : pos].lower().replace("ё", "е")
        for ph in phrases:
            if re.search(r"(?:^|[^\w])" + re.escape(ph) + r"\s+$", before):
                m = re.search(re.escape(ph) + r"\s+$", before)
                assert m is not None
                return ph, pos - (len(before) - m.start())
        return None

    def _skip(self, text: str, sent: Sentence, toks: list[Token], core: _Core) -> bool:
        first, last = toks[core.first], toks[core.last]
        after = text[last.end : last.end + 12]
        before = text[max(sent.start, first.start - 3) : first.start]
        if first.text[0].isdigit():
            if _CASE_ENDING.match(after):
                pass  # «12-ти», «12-ох»: a cardinal with its case ending
            elif re.match(r"[-.][^\W\d_]", after) or re.match(r"[:.]\d", after):
                return True  # «12-й», «31-летний», «2025-го», «1990-х», «74.RU»; «10:30»
            if re.search(r"[^\W\d_]-?$|№\s*$|\d[:.]$", before):
                return True  # «ИК-25», «MH17», «№ 5», the minutes of «12:30»
            prev = toks[core.first - 1] if core.first > 0 else None
            glued = prev is not None and not text[prev.end : first.start].strip()
            if glued and prev is not None and prev.lemmas() & self.id_heads:
                return True  # «полка 1452»
            if core.first == core.last and 1000 <= core.low <= 2100 and core.low.is_integer():
                return True  # a year
        if core.last + 1 < len(toks) and self._month(toks[core.last + 1]):
            return True  # «3 мая», «5 мар»
        if core.first > 0 and self._month(toks[core.first - 1]):
            return True
        nxt = [t.lower for t in toks[core.last + 1 : core.last + 4]]
        if any(w in self.anchors for w in nxt) and not any(w in ("що", "что") for w in nxt):
            return True  # «три года назад»
        if first.lower in ("один", "одна", "одно", "одного", "одной", "одну", "одним", "одній", "одне"):
            if core.last + 1 < len(toks) and toks[core.last + 1].lower in self.one_of:
                return True  # «одна из жен»: one of
            if core.first > 0 and toks[core.first - 1].lower in self.one_of:
                return True  # «ни один»
        if core.first > 0 and toks[core.first - 1].has("NPRO", "datv") and nxt[:1] and (
            nxt[0] in self.year_words or nxt[0] in ("лет", "год", "рік", "роки", "років")
        ):
            return True  # «Ему 45 лет»: an age
        return self._phrase_before(text, sent.start, first.start, self.ages) is not None

    def _counts(self, text: str, end: int, hi: int) -> str | None:
        chunk = text[end : min(hi, end + MAX_COUNTS_CHARS)]
        m = _COUNTS_END.search(chunk)
        words = (chunk[: m.start()] if m else chunk).split()[:4]
        return " ".join(words) or None

    @staticmethod
    def _counts_before(text: str, lo: int, start: int) -> str | None:
        """What a figure that ends its clause counts: the clause's words before it («со всех
        сторон погибло 130-160 тыс.», «общие потери … составляют не меньше 200 тыс»), without a
        preposition or conjunction that only leads into the figure («… к началу 2025-го в»)."""
        chunk = text[max(lo, start - MAX_COUNTS_CHARS) : start]
        cut = max(chunk.rfind(c) for c in ",;:!?()\n«»\"“”—–")
        words = chunk[cut + 1 :].split()
        while words and len(words[-1]) <= 2 and words[-1].isalpha() and words[-1].islower():
            words.pop()
        return " ".join(words[-_MAX_COUNTS_BEFORE:]) or None

    def _category(self, toks: list[Token], unit: str | None) -> str | None:
        if unit == "%":
            return "other"
        for t in toks[:3]:
            for lemma in sorted(t.lemmas()):
                cat = self.categories.get(lemma)
                if isinstance(cat, str):
                    return cat
            if t.lemmas() & self.time_units:
                return "duration"
        return "other" if toks else None

    # --- the pass ------------------------------------------------------------------------------

    def find(self, text: str, sent: Sentence) -> list[NumberMention]:
        """Every number expression of one sentence."""
        toks = sent.tokens
        out: list[NumberMention] = []
        i = 0
        while i < len(toks):
            core = self._core(text, toks, i)
            if core is None:
                self._hedged_unit(text, sent, toks, i, out)
                i += 1
                continue
            mention = self._expression(text, sent, toks, core)
            i = core.last + 1
            if mention is None:
                continue
            if mention.end > toks[core.last].end:  # a range took the second figure
                while i < len(toks) and toks[i].start < mention.end:
                    i += 1
            out.append(mention)
        return out

    def _hedged_unit(self, text: str, sent: Sentence, toks: list[Token], i: int, out: list) -> bool:
        """«около недели», «близько місяця»: a hedge and a bare unit of time is about one unit."""
        tok = toks[i]
        if not self._is_time_unit(tok) or not tok.has("gent", "sing"):
            return False
        hedge = self._phrase_before(text, sent.start, tok.start, self.hedges)
        if hedge is None:
            return False
        counts = tok.text
        out.append(NumberMention(hedge[1], tok.end, 1, 1, True, None, hedge[0], counts, "duration"))
        return True

    def _expression(self, text: str, sent: Sentence, toks: list[Token], core: _Core) -> NumberMention | None:
        if self._skip(text, sent, toks, core):
            return None
        start, end = toks[core.first].start, toks[core.last].end
        ending = _CASE_ENDING.match(text, end) if toks[core.last].text[-1:].isdigit() else None
        if ending:
            end = ending.end()
        low: float | None = core.low
        high: float | None = core.high
        approximate, hedge, unit = core.vague, None, core.unit
        nxt = core.last + 1
        # «167-235 тыс», «от 5 до 10 тысяч»: a second figure makes a range.
        second = None
        m = re.match(r"\s*[" + _DASHES + r"]\s*", text[end : end + 4])
        if m and nxt < len(toks) and toks[nxt].start == end + m.end():
            second = self._core(text, toks, nxt)
        for a, b in self.ranges:
            pb = self._phrase_before(text, sent.start, start, (a,))
            if pb and nxt < len(toks) and toks[nxt].lower == b and nxt + 1 < len(toks):
                second = self._core(text, toks, nxt + 1)
                if second is not None:
                    start = pb[1]
        if second is not None and m and self._skip(text, sent, toks, second):
            return None  # «15–17 марта», «2023–2024 годах»: a range of dates or years
        if second is not None and not self._skip(text, sent, toks, second):
            s_low = second.low
            if core.last == core.first and second.last > second.first and s_low > core.low * 10:
                scale = s_low / _plain(text, toks, second)
                low = core.low * scale  # «167-235 тыс»: the scale word of the second figure is shared
            high = second.high
            end = toks[second.last].end
            approximate = True
            nxt = second.last + 1
        else:
            for phrases, kind in ((self.lower, "lower"), (self.upper, "upper"), (self.hedges, "hedge")):
                pb = self._phrase_before(text, sent.start, start, phrases)
                if pb is None:
                    continue
                hedge, start, approximate = pb[0], pb[1], True
                if kind == "lower":
                    high = None
                elif kind == "upper":
                    low = None
                break
        if (nxt < len(toks) and toks[nxt].lemmas() & self.percent) or text[end : end + 1] == "%":
            low = low / 100 if low is not None else None
            high = high / 100 if high is not None else None
            unit = "%"
            if text[end : end + 1] == "%":
                end += 1
        rest = [t for t in toks[nxt:] if t.start >= end]
        counts = self._counts(text, end, sent.end) or self._counts_before(text, sent.start, start)
        if rest and self._is_time_unit(rest[0]):
            unit = unit or rest[0].readings[0].normal_form
        category = self._category(rest, unit)
        return NumberMention(start, end, low, high, approximate, unit, hedge, counts, category)


def _plain(text: str, toks: list[Token], core: _Core) -> float:
    """The value of a core's figure before its scale words."""
    v = _digit_value(toks[core.first])
    return v if v else 1.0


_FINDERS: dict[str, NumberFinder] = {}


def find_numbers(text: str, sent: Sentence, lang: str) -> list[NumberMention]:
    """Number expressions of one sentence of a ``lang`` document."""
    finder = _FINDERS.get(lang)
    if finder is None:
        finder = _FINDERS[lang] = NumberFinder(lang)
    return finder.find(text, sent)
