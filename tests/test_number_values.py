"""Table and property tests for :func:`claimledger.numbers.values.parse_value`."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.numbers.values import Value, parse_value

INF = None  # an open bound, for readability in the table

TABLE = [
    # expression, low, high, approximate, hedge, unit
    ("about a dozen or so", 10, 14, True, "about", None),
    ("more than 13,000", 13_000, INF, True, "more than", None),
    ("between nine and 12", 9, 12, True, "between", None),
    ("$480", 480, 480, False, None, "USD"),
    ("1.2 million", 1_200_000, 1_200_000, False, None, None),
    ("500k", 500_000, 500_000, False, None, None),
    ("€3bn", 3e9, 3e9, False, None, "EUR"),
    ("half a million", 500_000, 500_000, True, None, None),
    ("tens of thousands", 20_000, 99_999, True, None, None),
    ("hundreds of thousands", 200_000, 999_999, True, None, None),
    ("twelve", 12, 12, False, None, None),
    ("twenty-five", 25, 25, False, None, None),
    ("one hundred and twenty", 120, 120, False, None, None),
    ("a third", 0.333, 0.333, False, None, "%"),
    ("half", 0.5, 0.5, False, None, "%"),
    ("two-thirds", 0.667, 0.667, False, None, "%"),
    ("20%", 0.2, 0.2, False, None, "%"),
    ("95 percent", 0.95, 0.95, False, None, "%"),
    ("twice", 2, 2, False, None, "times"),
    ("more than 100 times", 100, INF, True, "more than", "times"),
    ("sixth-month", 6, 6, False, None, "month"),
    ("nearly 10-month", 10, 10, True, "nearly", "month"),
    ("one-year", 1, 1, False, None, "year"),
    ("four", 4, 4, False, None, None),
    ("scores", 40, 99, True, None, None),
    ("dozens", 24, 99, True, None, None),
    ("several dozen", 24, 99, True, None, None),
    ("a dozen", 10, 14, True, None, None),
    ("hundreds", 200, 999, True, None, None),
    ("thousands", 2_000, 9_999, True, None, None),
    ("millions", 2_000_000, 9_999_999, True, None, None),
    ("at least 45", 45, INF, True, "at least", None),
    ("up to 300", INF, 300, True, "up to", None),
    ("as many as 50", INF, 50, True, "as many as", None),
    ("as high as 70", INF, 70, True, "as high as", None),
    ("may exceed 9,000", 9_000, INF, True, "may exceed", None),
    ("upwards of 5", 5, INF, True, "upwards of", None),
    ("some 300", 300, 300, True, "some", None),
    ("around 20", 20, 20, True, "around", None),
    ("an estimated 7,500", 7_500, 7_500, True, "an estimated", None),
    ("40 or so", 40, 40, True, "or so", None),
    ("fewer than 10", INF, 10, True, "fewer than", None),
    ("from 10 to 20", 10, 20, True, "from", None),
    ("10-15", 10, 15, True, None, None),
    ("10–15 million", 10e6, 15e6, True, None, None),
    ("two or three", 2, 3, True, None, None),
    ("more than a dozen", 10, INF, True, "more than", None),  # a lower bound keeps the table's low end
    ("four months", 4, 4, False, None, "month"),
    ("US$5 million", 5e6, 5e6, False, None, "USD"),
]


@pytest.mark.parametrize(("expression", "low", "high", "approximate", "hedge", "unit"), TABLE)
def test_table(expression: str, low, high, approximate: bool, hedge, unit) -> None:
    value = parse_value(expression)
    assert value.low == pytest.approx(low) if low is not None else value.low is None
    assert value.high == pytest.approx(high) if high is not None else value.high is None
    assert (value.approximate, value.hedge, value.unit) == (approximate, hedge, unit)


@pytest.mark.parametrize(
    "junk",
    [
        "10^400",
        "1" * 500,
        "12abc",
        "abc",
        "",
        "   ",
        "some",
        "a",
        "the many",
        "٣٤ people",
        "1e400",
        "9" * 40 + " million",
        "between 5",
        "-",
    ],
)
def test_absurd_input_is_unknown(junk: str) -> None:
    assert parse_value(junk) == Value(None, None, False, None, None)


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words_below_1000(n: int) -> str:
    parts = []
    if n >= 100:
        parts.append(f"{_ONES[n // 100]} hundred")
        n %= 100
        if n:
            parts.append("and")
    if n >= 20:
        parts.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not parts:
        parts.append(_ONES[n])
    return " ".join(parts)


def to_words(n: int) -> str:
    """English words for 0..999,999 ("twenty-five thousand three hundred and one")."""
    if n < 1000:
        return _words_below_1000(n)
    thousands, rest = divmod(n, 1000)
    head = f"{_words_below_1000(thousands)} thousand"
    return head if rest == 0 else f"{head} {_words_below_1000(rest)}"


@given(st.integers(min_value=0, max_value=999_999))
def test_digits_and_words_round_trip(n: int) -> None:
    for text in (str(n), f"{n:,}", to_words(n)):
        value = parse_value(text)
        assert (value.low, value.high) == (n, n), text


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_ranges_are_ordered(a: int, b: int) -> None:
    for text in (f"between {a:,} and {b:,}", f"{a}-{b}", f"from {a} to {b}"):
        value = parse_value(text)
        if value.low is not None and value.high is not None:
            assert value.low <= value.high


@given(st.integers(min_value=0, max_value=10**9))
def test_bounds_are_open_on_the_right_side(n: int) -> None:
    for hedge in ("at least", "more than", "upwards of", "may exceed"):
        value = parse_value(f"{hedge} {n:,}")
        assert (value.low, value.high) == (n, None)
    for hedge in ("up to", "as many as", "as high as", "fewer than"):
        value = parse_value(f"{hedge} {n:,}")
        assert (value.low, value.high) == (None, n)


@given(st.text())
def test_never_raises(text: str) -> None:
    assert isinstance(parse_value(text), Value)


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet="0123456789,. -abtomillionsdhue", min_size=1, max_size=50))
def test_long_input_returns_quickly(seed: str) -> None:
    text = (seed * (10_000 // len(seed) + 1))[:10_000]
    started = time.perf_counter()
    for candidate in (text, text[:150]):  # overlong, and just under the length cap
        assert isinstance(parse_value(candidate), Value)
    assert time.perf_counter() - started < 0.5  # about 1 ms: a backtracking pattern would take seconds


@pytest.mark.parametrize(
    ("expression", "low", "high", "approximate", "unit"),
    [
        ("one in three", 0.333, 0.333, False, "%"),
        ("1 in 10", 0.1, 0.1, False, "%"),
        ("nine out of 10", 0.9, 0.9, False, "%"),
        ("one in every five", 0.2, 0.2, False, "%"),
        ("fivefold", 5, 5, False, "times"),
        ("almost doubled", 2, 2, True, "times"),
        ("more than doubled", 2, None, True, "times"),
        ("somewhere between £110 million and £120 million", 110e6, 120e6, True, "GBP"),
        ("within six", None, 6, True, None),
        ("at least a dozen", 10, None, True, None),
        ("up to a dozen", None, 12, True, None),
        ("20,000 at the very least", 20_000, None, True, None),
        ("two nights", 2, 2, False, "night"),
    ],
)
def test_ratios_growth_words_and_bounds(expression: str, low, high, approximate: bool, unit) -> None:
    value = parse_value(expression)
    assert value.low == (pytest.approx(low) if low is not None else None)
    assert value.high == (pytest.approx(high) if high is not None else None)
    assert (value.approximate, value.unit) == (approximate, unit)


@pytest.mark.parametrize("expression", ["three in two", "one in zero", "one in", "in three", "900 in 2020"])
def test_ratio_nonsense_is_unreadable(expression: str) -> None:
    assert parse_value(expression).low is None
