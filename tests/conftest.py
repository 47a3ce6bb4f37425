from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def nlp():
    from claimledger.nlp.load import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def extract(nlp):
    """claimledger.extract with the pipeline loaded once for the session."""
    from claimledger import extract as _extract

    return _extract


def by_text(doc, fragment: str):
    """The quote whose text contains ``fragment`` (exactly one)."""
    found = [q for q in doc.quotes if fragment in q.text]
    assert len(found) == 1, f"{fragment!r} in {[q.text for q in doc.quotes]}"
    return found[0]


def who(quote) -> str | None:
    sp = quote.speaker
    return sp.name or sp.description if sp else None
