"""Property tests over the whole extraction: any text gives a document, never a traceback,
and every offset points into the normalised text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimledger

# Pieces that exercise the rules: quote marks of every kind, cue words, numbers (absurd ones
# included), mixed scripts, newlines.
PIECES = st.sampled_from(
    [
        "“",
        "”",
        '"',
        "‘",
        "’",
        "«",
        "»",
        " said ",
        " told reporters that ",
        "according to ",
        "He ",
        "She ",
        "Officials",
        " Anna Berg",
        "10^400",
        "9" * 500,
        "12abc",
        "about a dozen",
        "hundreds of",
        " 45 ",
        "half",
        "Привет",
        "مرحبا",
        "漢字",
        "\n",
        "...",
        ". ",
        ", ",
        ":",
        "on condition of anonymity because ",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=40).map("".join)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_extracts_with_consistent_offsets(nlp, text):
    doc = claimledger.extract(text)
    assert doc.status in ("ok", "partial", "skipped", "failed")
    assert doc.status != "failed" or doc.errors
    assert not any(e.code == "CL-E099" for e in doc.errors), doc.errors
    t = doc.text
    for s in doc.sections:
        assert t[s.start : s.end] == s.text
    for q in doc.quotes:
        assert t[q.start : q.end] == q.text and q.speaker is not None
    for n in doc.numbers:
        assert t[n.start : n.end] == n.text
        assert n.low is None or n.high is None or n.low <= n.high
    ids = {s.id for s in doc.speakers}
    assert all(a.speaker_id in ids for a in doc.anonymous_sources)
    doc.to_dict()
