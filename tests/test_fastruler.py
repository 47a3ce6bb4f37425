"""The cached attribute ruler and lemmatizer set exactly what the pipeline package's own ones set."""

from __future__ import annotations

import spacy

from claimledger.nlp.fastruler import CachedAttributeRuler, CachedLemmatizer
from claimledger.settings import Settings

# Invented sentences that reach the ruler's one-token rules (tags, auxiliaries, pronoun case) and
# its longer ones ("ain't", "gonna", "y'all", "let's", "c'mon", an expletive "there's").
SENTENCES = [
    "The mayor said on Tuesday that 40 families had been moved, and she did not expect more.",
    "“We ain't gonna leave,” one farmer told reporters. “Y'all know it, so let's go. C'mon!”",
    "There's no water left, and there were 12 wells before, it was said in the council's report.",
    "I told you it was over; you gave it to me and I did it.  Then   nothing.\n\nThe end",
    "Officials have said the bridge, which had been closed since May, would reopen; it won't.",
]


def _annotations(doc: spacy.tokens.Doc) -> list[tuple]:
    return [(t.pos_, t.tag_, t.dep_, str(t.morph), t.lemma_, t.head.i) for t in doc]


def test_same_annotations_as_the_package_ruler(nlp):
    assert isinstance(nlp.get_pipe("attribute_ruler"), CachedAttributeRuler)
    package = spacy.load(Settings().pipeline, exclude=["ner", "lemmatizer"])
    ruler = package.get_pipe("attribute_ruler")
    fast = CachedAttributeRuler(package)
    fast.take_rules(ruler)
    longer = 0
    for text in SENTENCES * 2:  # the second round is served from the cache
        doc = package.make_doc(text)
        for name in ("tok2vec", "tagger", "parser"):
            doc = package.get_pipe(name)(doc)
        longer += len(fast.multi(doc, allow_missing=True))
        assert _annotations(fast(doc.copy())) == _annotations(ruler(doc.copy()))
    assert longer >= 4  # the longer rules were exercised too


def test_same_lemmas_as_the_package_lemmatizer(nlp):
    fast = nlp.get_pipe("lemmatizer")
    assert isinstance(fast, CachedLemmatizer) and fast.lemmatizer is not None
    for text in SENTENCES * 2:  # the second round is served from the cache
        doc = nlp.make_doc(text)
        for name in ("tok2vec", "tagger", "parser", "attribute_ruler"):
            doc = nlp.get_pipe(name)(doc)
        assert [t.lemma_ for t in fast(doc.copy())] == [t.lemma_ for t in fast.lemmatizer(doc.copy())]
