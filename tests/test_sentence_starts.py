"""Sentence starts read from token arrays are the ones spaCy's Sentencizer finds."""

from __future__ import annotations

import spacy
from spacy.pipeline import Sentencizer

from claimledger.units import sentence_starts

TEXTS = [
    "The council met on Monday. It voted 7-2 to close the bridge! Residents asked why?",
    "“We were not told,” said one driver. “Nobody was.” (The mayor disagreed.) Work starts soon",
    "Wait... what?! The figure was 3.5 m. Dr. Lane said so. Next",
    "!!! ??? then words",
    "One line without an end",
    "",
]


def test_same_starts_as_the_sentencizer():
    nlp = spacy.blank("en")
    sentencizer = Sentencizer()
    for text in TEXTS:
        doc = sentencizer(nlp.make_doc(text))
        want = [s.start_char for s in doc.sents] if len(doc) else []
        assert sentence_starts(sentencizer, nlp.make_doc(text)) == want
