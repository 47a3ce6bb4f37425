"""The pipeline package's ``attribute_ruler`` and ``lemmatizer`` with the same effect at a fraction
of the cost.

The package's ruler runs a :class:`~spacy.matcher.Matcher` of ~180 patterns over every token of
every analysis unit; on sentence-sized units that is a fifth of the non-neural time. Almost all of
its patterns are one token long, and whether a one-token pattern matches depends only on the
token's own text, tag and dependency label (the only attributes they test), so their combined
effect is computed once per ``(orth, tag, dep)`` and cached. The few longer patterns still go
through a small matcher. Attributes are written with spaCy's own ``set_token_attrs`` in the order
the ruler would write them (by rule number), so every token ends with the same POS, morphology,
lemma, tag and dependency.

The rule lemmatizer already caches lemmas by ``(orth, pos, morph)``, but reaches its cache through
a Token, a MorphAnalysis and several attribute reads per token; :class:`CachedLemmatizer` reads
those ids from one token array and asks the lemmatizer itself only for a key it has not seen.
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import DEP, LEMMA, LOWER, MORPH, ORTH, POS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

#: Token attributes whose value a one-token pattern may test and still be cached by
#: ``(orth, tag, dep)``: the text's own (lexical) attributes, the tag and the dependency label.
_CACHEABLE = frozenset({"ORTH", "TEXT", "LOWER", "IS_SPACE", "TAG", "DEP"})
#: Entries kept before the cache starts afresh: a long-running process meets ever more word forms.
MAX_CACHED = 200_000
_TRIGGER_ATTRS = {"LOWER": LOWER, "DEP": DEP}


class CachedAttributeRuler:
    """Drop-in for a loaded :class:`~spacy.pipeline.AttributeRuler` (see the module docstring);
    empty until :meth:`take_rules`."""

    def __init__(self, nlp: Language, name: str = "attribute_ruler") -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.attrs: list[dict[Any, Any]] = []
        self.single = Matcher(self.vocab)
        self.multi = Matcher(self.vocab)
        #: Rule number → index of the token it sets, for the rules of the small matcher.
        self.index: dict[int, int] = {}
        #: Per attribute, the values (lowercase forms, labels) one of which each longer rule needs in
        #: some token: a unit without any is not matched. ``None`` when some rule needs none.
        self.triggers: dict[int, set[int]] | None = {}
        self._cache: dict[tuple[int, int, int], dict[Any, Any]] = {}

    def take_rules(self, ruler: AttributeRuler) -> None:
        """Use the rules of ``ruler``, numbered as it numbers them."""
        self.attrs = list(ruler.attrs)
        for n in range(len(ruler.attrs)):
            key = str(n)
            _, patterns = ruler.matcher.get(key)
            index = ruler.indices[n]
            one = all(
                len(p) == 1 and all(k.upper() in _CACHEABLE for k in p[0]) for p in patterns
            ) and index in (0, -1)
            (self.single if one else self.multi).add(key, patterns)
            if not one:
                self.index[n] = index
                for p in patterns:
                    self._add_trigger(p)
        self._cache.clear()

    def _add_trigger(self, pattern: list[dict[str, Any]]) -> None:
        """Note the fewest lowercase forms or labels one of which a token must have for ``pattern``."""
        best: tuple[int, list[str]] | None = None
        for spec in pattern:
            for key, value in spec.items():
                attr = _TRIGGER_ATTRS.get(key.upper())
                if isinstance(value, dict):
                    value = value.get("IN", [])
                forms = [value] if isinstance(value, str) else value
                if attr is not None and forms and (best is None or len(forms) < len(best[1])):
                    best = (attr, forms)
        if best is None or self.triggers is None:
            self.triggers = None
            return
        self.triggers.setdefault(best[0], set()).update(self.vocab.strings.add(f) for f in best[1])

    def _may_match_longer(self, doc: Doc) -> bool:
        if self.triggers is None:
            return True
        return any(not forms.isdisjoint(doc.count_by(attr)) for attr, forms in self.triggers.items())

    def _rules(self, orth: int, tag: int, dep: int) -> set[int]:
        """The one-token rules that match a token of this text, tag and label (tried on a copy)."""
        probe = Doc(self.vocab, words=[self.vocab.strings[orth]], spaces=[False])
        probe[0].tag = tag
        probe[0].dep = dep
        return {int(self.vocab.strings[m]) for m, _, _ in self.single(probe, allow_missing=True)}

    def _effect(self, rules: set[int]) -> dict[Any, Any]:
        """The attributes these rules set, later rules winning as in the ruler."""
        merged: dict[Any, Any] = {}
        for n in sorted(rules):
            merged.update(self.attrs[n])
        return merged

    def __call__(self, doc: Doc) -> Doc:
        extra: dict[int, set[int]] = {}
        for m, start, end in self.multi(doc, allow_missing=True) if self._may_match_longer(doc) else ():
            n = int(self.vocab.strings[m])
            # The ruler raises on an index outside the match; so does this lookup.
            extra.setdefault(range(start, end)[self.index[n]], set()).add(n)
        cache = self._cache
        for token in doc:
            key = (token.orth, token.tag, token.dep)
            effect: dict | None
            if token.i in extra:  # rare: a longer rule targets it too
                effect = self._effect(self._rules(*key) | extra[token.i])
            else:
                effect = cache.get(key)
                if effect is None:
                    if len(cache) >= MAX_CACHED:
                        cache.clear()
                    effect = cache[key] = self._effect(self._rules(*key))
            if effect:
                set_token_attrs(token, effect)
        return doc


class CachedLemmatizer:
    """Drop-in for a loaded rule-mode :class:`~spacy.pipeline.Lemmatizer` (see the module
    docstring); does nothing until :meth:`take`."""

    def __init__(self, nlp: Language, name: str = "lemmatizer") -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.lemmatizer: Lemmatizer | None = None
        self._cache: dict[tuple[int, int, int], int] = {}

    def take(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self._cache.clear()

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self.lemmatizer
        if lemmatizer is None:
            return doc
        if not lemmatizer._validated or lemmatizer.overwrite:
            return lemmatizer(doc)  # checks its tables once; overwriting is the plain path
        cache = self._cache
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()):
            if lemma:
                continue  # set by the attribute ruler
            key = (orth, pos, morph)
            value = cache.get(key)
            if value is None:
                if len(cache) >= MAX_CACHED:
                    cache.clear()
                value = cache[key] = self.vocab.strings.add(lemmatizer.rule_lemmatize(doc[i])[0])
            doc[i].lemma = value
        return doc


@Language.factory("claimledger_lemmatizer")
def make_cached_lemmatizer(nlp: Language, name: str) -> CachedLemmatizer:
    """spaCy factory; see :func:`speed_up_lemmatizer`."""
    return CachedLemmatizer(nlp, name)


def speed_up_lemmatizer(nlp: Language) -> None:
    """Replace the package's rule-mode ``lemmatizer`` (when it has one) by its cached front, in place
    and under the same name."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe("lemmatizer")
    if isinstance(lemmatizer, Lemmatizer) and lemmatizer.mode == "rule":
        fast = nlp.replace_pipe("lemmatizer", "claimledger_lemmatizer")
        assert isinstance(fast, CachedLemmatizer)
        fast.take(lemmatizer)


@Language.factory("claimledger_attribute_ruler")
def make_cached_attribute_ruler(nlp: Language, name: str) -> CachedAttributeRuler:
    """spaCy factory; see :func:`speed_up_attribute_ruler`."""
    return CachedAttributeRuler(nlp, name)


def speed_up_attribute_ruler(nlp: Language) -> None:
    """Replace the package's ``attribute_ruler`` (when it has one) by its cached equivalent, in place
    and under the same name."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    if isinstance(ruler, AttributeRuler):
        fast = nlp.replace_pipe("attribute_ruler", "claimledger_attribute_ruler")
        assert isinstance(fast, CachedAttributeRuler)
        fast.take_rules(ruler)
