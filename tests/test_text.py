"""Decoding and normalisation: exact cases and hypothesis properties."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimledger.text import DecodeError, decode, normalize

SAMPLE = "Officials said “about 40” people left — café owners agreed.\n"


# --- decode ------------------------------------------------------------------------------------


def test_utf8_plain() -> None:
    assert decode(SAMPLE.encode("utf-8")) == (SAMPLE, [])


def test_utf8_bom_is_stripped() -> None:
    text, errs = decode(codecs.BOM_UTF8 + SAMPLE.encode("utf-8"))
    assert text == SAMPLE
    assert errs == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_bom(encoding: str) -> None:
    text, errs = decode(SAMPLE.encode(encoding))  # Python writes the BOM for these codecs
    assert text == SAMPLE
    assert errs == []


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected(encoding: str) -> None:
    text, errs = decode((SAMPLE * 5).encode(encoding))
    assert text == SAMPLE * 5
    assert errs == []


def test_cp1252_fallback_is_reported() -> None:
    data = "He said \u201cnever\u201d \u2014 the caf\u00e9 stayed shut.".encode("cp1252")
    text, errs = decode(data)
    assert text == "He said \u201cnever\u201d \u2014 the caf\u00e9 stayed shut."
    assert [e.code for e in errs] == ["CL-E003"]
    assert "cp1252" in errs[0].message
    assert "0 undecodable" in errs[0].message


def test_damaged_utf8_keeps_utf8_and_counts_replacements() -> None:
    data = ("naïve résumé façade " * 3).encode("utf-8") + b"\xff\xfe!" + "über".encode()
    text, errs = decode(data)
    assert text.endswith("\ufffd\ufffd!über")
    assert [e.code for e in errs] == ["CL-E003"]
    assert "utf-8" in errs[0].message
    assert "2 undecodable" in errs[0].message


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"PK\x03\x04\x14\x00\x06\x00" + b"x" * 50,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        b"text\x00with\x00many\x00nul\x00bytes\x00here\x00and\x00there",
        bytes(range(1, 9)) * 40,
    ],
)
def test_binary_raises_decode_error(data: bytes) -> None:
    with pytest.raises(DecodeError) as info:
        decode(data)
    assert info.value.code == "CL-E002"
    assert info.value.item.code == "CL-E002"


def test_too_large_raises() -> None:
    with pytest.raises(DecodeError) as info:
        decode(b"x" * 11, max_bytes=10)
    assert info.value.code == "CL-E004"


def test_empty_bytes() -> None:
    assert decode(b"") == ("", [])


# --- normalize ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc\u2028d\u2029e", "a\nb\nc\nd\ne"),
        ("zero\u200bwidth\ufeff and\u00a0nbsp\u202fnarrow", "zerowidth and nbsp narrow"),
        ("bell\x07 esc\x1b del\x7f c1\x85 x", "bell esc del c1 x"),
        ("tab\tkept\n\n\nblank lines kept  and  spaces", "tab\tkept\n\n\nblank lines kept  and  spaces"),
        ('“curly” "straight" ‘single’ «guillemets»', '“curly” "straight" ‘single’ «guillemets»'),
        ("cafe\u0301", "café"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
    ],
)
def test_normalize_cases(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_removal_before_composition() -> None:
    # a removed zero-width space must not leave a composable pair behind for a second pass
    once = normalize("e\u200b\u0301")
    assert once == "é"
    assert normalize(once) == once


_ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("\r\n\t\x00\x1b\x85\u00a0\u200b\ufeff\u2028\u2029\u0301\u0327e"),
    ),
    max_size=200,
)


@given(_ANY_TEXT)
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize(raw)
    assert normalize(once) == once


@given(_ANY_TEXT)
def test_normalize_leaves_no_control_characters(raw: str) -> None:
    out = normalize(raw)
    for ch in out:
        if ch in "\n\t":
            continue
        assert unicodedata.category(ch) not in ("Cc", "Cs"), repr(ch)
        assert ch not in "\u200b\ufeff\u00a0\u2028\u2029\r"
    assert unicodedata.is_normalized("NFC", out)


@given(st.binary(max_size=300))
def test_decode_never_returns_garbage_silently(data: bytes) -> None:
    try:
        text, errs = decode(data)
    except DecodeError as exc:
        assert exc.code == "CL-E002"
        return
    assert isinstance(text, str)
    assert all(e.code == "CL-E003" for e in errs)


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfea\x00b",  # UTF-16-LE, an odd byte at the end
        b"\xfe\xff\x00a\xd8\x00",  # UTF-16-BE ending in half a surrogate pair
        b"\xff\xfe\x00\xd8a\x00",  # UTF-16-LE with a lone surrogate
        b"\xff\xfe\x00\x00a\x00\x00\x00b\x00",  # UTF-32-LE cut short
    ],
)
def test_damaged_utf16_and_utf32_are_decoded_with_replacements_and_reported(data: bytes) -> None:
    text, errs = decode(data)
    assert "a" in text and "\ufffd" in text
    assert [e.code for e in errs] == ["CL-E003"]
