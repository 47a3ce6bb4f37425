"""Decoding bytes to text and normalising text so that every later offset is stable.

``decode`` turns untrusted bytes into ``str`` (or refuses binary data with :class:`DecodeError`);
``normalize`` produces the canonical text that all section, quote and number offsets index into.
``normalize`` is deterministic and idempotent, and never shifts text around beyond removing
invisible characters and unifying line breaks and non-breaking spaces.
"""

from __future__ import annotations

import codecs
import threading
import unicodedata

from . import errors
from .model import ErrorItem
from .settings import Settings

__all__ = ["DecodeError", "decode", "normalize"]

#: Bytes examined by the detection heuristics; the whole input is still decoded.
SNIFF_BYTES = 64 * 1024

#: Signatures of common binary formats. Checked after the Unicode BOMs, so FF FE is never "binary".
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (also docx/xlsx/epub)"),
    (b"PK\x05\x06", "empty ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\x1f\x8b", "gzip data"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"(\xb5/\xfd", "zstd data"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document (old Office format)"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x00asm", "WebAssembly module"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
)

#: Unicode byte-order marks, longest first (the UTF-32 LE BOM starts with the UTF-16 LE one).
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: C0 control bytes that real text never contains (tab, LF, VT, FF, CR and ESC are allowed).
_BAD_CONTROL_BYTES = frozenset(set(range(0x00, 0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B})
_BAD_CONTROL_DELETE = bytes(sorted(_BAD_CONTROL_BYTES))
#: Above this share of bad control bytes the data is binary, not text with a few stray bytes.
MAX_CONTROL_SHARE = 0.05
#: Share of NULs in one byte lane (even/odd positions) that marks BOM-less UTF-16 of mostly ASCII.
UTF16_LANE_SHARE = 0.3
#: cp1252 leaves these five bytes undefined; text full of them is not cp1252.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


class DecodeError(ValueError):
    """The bytes are not text (binary data or over the size limit); ``item`` says what to do."""

    def __init__(self, item: ErrorItem) -> None:
        super().__init__(item.message)
        self.item = item

    @property
    def code(self) -> str:
        """The error code, e.g. ``CL-E002``."""
        return self.item.code


def decode(data: bytes, *, max_bytes: int | None = None) -> tuple[str, list[ErrorItem]]:
    """Decode untrusted bytes to text, returning the text and any (non-fatal) coded errors.

    UTF-8 (BOM stripped), UTF-16/32 with a BOM and BOM-less UTF-16 are decoded exactly. Invalid
    UTF-8 falls back to cp1252 when that is plausible, else to UTF-8 with replacement, and is
    reported as ``CL-E003`` with the number of replaced bytes. Binary data raises
    :class:`DecodeError` (``CL-E002``) and input over ``max_bytes`` (default: the
    ``max_input_bytes`` setting) raises it with ``CL-E004``. Empty input gives ``("", [])``;
    the caller reports emptiness after normalisation.
    """
    limit = Settings().max_input_bytes if max_bytes is None else max_bytes
    if len(data) > limit:
        raise DecodeError(errors.TOO_LARGE.item(size=len(data), limit=limit))
    if not data:
        return "", []
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode_unicode(data[len(bom) :], encoding)
    _refuse_magic(data)
    sniff = data[:SNIFF_BYTES]
    utf16 = _bomless_utf16(sniff)
    if utf16:
        return _decode_unicode(data, utf16)
    _refuse_control_bytes(sniff)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return _decode_fallback(data)


def _decode_unicode(data: bytes, encoding: str) -> tuple[str, list[ErrorItem]]:
    """Decode a declared (BOM) or detected Unicode encoding; report damaged sequences."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text, replaced = _decode_counting(data, encoding)
        _refuse_control_text(text)
        return text, [errors.ENCODING.item(encoding=encoding, replaced=replaced)]
    _refuse_control_text(text)
    return text, []


def _decode_fallback(data: bytes) -> tuple[str, list[ErrorItem]]:
    """Invalid UTF-8: damaged UTF-8 keeps UTF-8 with replacements, legacy text becomes cp1252."""
    encoding = "cp1252" if _cp1252_plausible(data[:SNIFF_BYTES]) else "utf-8"
    text, replaced = _decode_counting(data, encoding)
    return text, [errors.ENCODING.item(encoding=encoding, replaced=replaced)]


def _decode_counting(data: bytes, encoding: str) -> tuple[str, int]:
    """Decode with U+FFFD for every undecodable byte and count them.

    A codec error handler counts as it replaces: ``surrogateescape`` would count UTF-8 and cp1252
    as well, but gives up on damaged UTF-16 and UTF-32 (a truncated code unit, a lone surrogate).
    """
    _REPLACED.count = 0
    text = data.decode(encoding, errors=_REPLACE_COUNTING)
    return text, _REPLACED.count


def _replace_counting(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.end - exc.start
    _REPLACED.count += bad
    return "\ufffd" * bad, exc.end


_REPLACE_COUNTING = "claimledger.replace-counting"
_REPLACED = threading.local()  # the count of the decode under way in this thread
codecs.register_error(_REPLACE_COUNTING, _replace_counting)


def _cp1252_plausible(sample: bytes) -> bool:
    """True when non-UTF-8 bytes look like Windows-1252 rather than damaged UTF-8.

    UTF-8 with a few broken bytes still has more valid multi-byte sequences than bad bytes;
    cp1252 text has isolated high bytes and hardly any of the five undefined ones.
    """
    valid_multibyte, invalid = _utf8_tally(sample)
    if valid_multibyte > invalid:
        return False
    high = sum(1 for b in sample if b >= 0x80)
    undefined = sum(1 for b in sample if b in _CP1252_UNDEFINED)
    return high > 0 and undefined * 20 <= high


def _utf8_tally(sample: bytes) -> tuple[int, int]:
    """Count valid multi-byte UTF-8 sequences and invalid bytes in ``sample``."""
    valid = invalid = 0
    raw = sample.decode("utf-8", errors="surrogateescape")
    for ch in raw:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            invalid += 1
        elif code >= 0x80:
            valid += 1
    return valid, invalid


def _bomless_utf16(sample: bytes) -> str | None:
    """Detect BOM-less UTF-16 from NULs concentrated in one byte lane (ASCII-range text)."""
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    pairs = len(sample) // 2
    even = sample[0 : pairs * 2 : 2].count(0)
    odd = sample[1 : pairs * 2 : 2].count(0)
    # Mostly-ASCII UTF-16 has a NUL in nearly every pair, all in the same lane.
    if odd >= UTF16_LANE_SHARE * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= UTF16_LANE_SHARE * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _refuse_magic(data: bytes) -> None:
    """Raise for well-known binary signatures (checked before any heuristic)."""
    for magic, name in BINARY_MAGIC:
        if data.startswith(magic):
            raise DecodeError(errors.BINARY.item(detail=f"starts like a {name}"))


def _refuse_control_bytes(sample: bytes) -> None:
    """Raise for NULs outside UTF-16, or for a high share of control bytes."""
    nul = sample.count(0)
    if nul > max(1, len(sample) // 1000):
        raise DecodeError(errors.BINARY.item(detail=f"{nul} NUL bytes in the first {len(sample):,} bytes"))
    bad = len(sample) - len(sample.translate(None, _BAD_CONTROL_DELETE))
    if bad > MAX_CONTROL_SHARE * len(sample):
        detail = f"{bad} control bytes in the first {len(sample):,} bytes"
        raise DecodeError(errors.BINARY.item(detail=detail))


def _refuse_control_text(text: str) -> None:
    """The control-share check on decoded UTF-16/32 text (random bytes decode to junk, not errors)."""
    sample = text[: SNIFF_BYTES // 2]
    bad = sum(1 for ch in sample if ord(ch) in _BAD_CONTROL_BYTES)
    if sample and bad > MAX_CONTROL_SHARE * len(sample):
        raise DecodeError(errors.BINARY.item(detail=f"{bad} control characters after decoding"))


# --- normalisation -----------------------------------------------------------------------------

#: Invisible format characters removed: zero-width space, word joiner, BOM/ZWNBSP, soft hyphen,
#: LRM/RLM and the Mongolian vowel separator. ZWJ/ZWNJ stay: they change how scripts and emoji render.
ZERO_WIDTH = "\u200b\u2060\ufeff\u00ad\u200e\u200f\u180e"
#: Non-breaking spaces (no-break, narrow no-break, figure space) read as ordinary spaces.
NBSP = "\u00a0\u202f\u2007"
#: Unicode line and paragraph separators read as newlines.
LINE_SEPARATORS = "\u2028\u2029"


def _build_table() -> dict[int, str | None]:
    """One ``str.translate`` table: removals, space and newline mappings."""
    table: dict[int, str | None] = {}
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
        if chr(code) not in "\n\t":
            table[code] = None
    for ch in ZERO_WIDTH:
        table[ord(ch)] = None
    for ch in NBSP:
        table[ord(ch)] = " "
    for ch in LINE_SEPARATORS:
        table[ord(ch)] = "\n"
    return table


_TABLE = _build_table()


def normalize(text: str) -> str:
    """Return the canonical form of ``text`` that all offsets refer to.

    CRLF, CR and U+2028/U+2029 become ``\\n``; C0/C1 controls (except ``\\n`` and ``\\t``) and
    zero-width characters are removed; non-breaking spaces become spaces; lone surrogates become
    U+FFFD; the result is NFC. Spaces, blank lines and quote characters are left as they are.
    Idempotent: removals happen before NFC so they cannot create new compositions later.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_TABLE)
    if _has_surrogate(text):
        text = "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)
    return unicodedata.normalize("NFC", text)


def _has_surrogate(text: str) -> bool:
    """Lone surrogates cannot be encoded as UTF-8 and would break JSON output."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
