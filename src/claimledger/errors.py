"""Coded errors. Each code names the cause and the fix, so a user can act on it without a traceback."""

from __future__ import annotations

from dataclasses import dataclass

from .model import ErrorItem


@dataclass(frozen=True, slots=True)
class ErrorCode:
    code: str
    status: str  # the document status this error implies: failed, partial or skipped
    template: str

    def item(self, **details: object) -> ErrorItem:
        return ErrorItem(self.code, self.template.format(**details))


EMPTY = ErrorCode(
    "CL-E001", "skipped", "the document is empty (no text after normalisation); nothing to extract"
)
BINARY = ErrorCode(
    "CL-E002",
    "failed",
    "the input looks like binary data ({detail}), not text or HTML; "
    "pass a text, HTML, or supported archive file",
)
ENCODING = ErrorCode(
    "CL-E003",
    "partial",
    "the input is not valid UTF-8; it was decoded as {encoding} with {replaced} undecodable "
    "byte(s) replaced; re-save it as UTF-8 for an exact result",
)
TOO_LARGE = ErrorCode(
    "CL-E004",
    "failed",
    "the input is {size:,} bytes, over the limit max_input_bytes={limit:,}; split it or raise the setting",
)
TEXT_TOO_LONG = ErrorCode(
    "CL-E005",
    "partial",
    "the normalised text has {size:,} characters, over max_text_chars={limit:,}; only the first {limit:,} "
    "were analysed; split the document or raise the setting",
)
UNREADABLE = ErrorCode("CL-E006", "failed", "cannot read {source}: {reason}")
NO_CLAIMS = ErrorCode(
    "CL-E007",
    "ok",
    "no quotes and no numbers were found; if the page has them, check that it is English news prose",
)
NO_MAIN_TEXT = ErrorCode(
    "CL-E008",
    "failed",
    "the HTML page has no main text that could be extracted (empty, script-only or all navigation); "
    "save the article's text instead",
)
INTERNAL = ErrorCode(
    "CL-E099",
    "failed",
    "extraction failed on this document ({reason}); the rest of the run went on; "
    "please report it with the input",
)


# Input readers (CL-E020 to CL-E039).

# Web and HTTP API (CL-E040 to CL-E049).

# Batch runs (CL-E050 to CL-E059).
