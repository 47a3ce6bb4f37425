"""The spaCy side of claimledger: pipeline loading and the claimledger pipeline components."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy joins every token's text on each access, so asking
    for it once per quote or number made a long sentence's cost grow with its square."""
    text = doc.user_data.get("cl_text")
    if text is None:
        text = doc.user_data["cl_text"] = doc.text
    return text
