"""Attribution forms met in real US political news (issue 18), each on invented sentences."""

from __future__ import annotations

from conftest import by_text, who


def test_a_quotation_opening_with_if_or_how_is_still_a_direct_quote(extract):
    doc = extract(
        "Harlan said, “If we lose the valley vote, the whole county goes with it.”\n\n"
        "Mora said, “How can anyone trust a budget written overnight?”\n"
    )
    assert who(by_text(doc, "If we lose the valley vote")) == "Harlan"
    assert who(by_text(doc, "How can anyone trust a budget")) == "Mora"


def test_a_conditional_in_a_reported_clause_is_no_indirect_question(extract):
    doc = extract("The mayor said that if the talks fail, the strike will go on until June.\n")
    assert by_text(doc, "the strike will go on until June").kind == "indirect"


def test_an_indirect_question_reports_no_claim(extract):
    doc = extract("The mayor asked whether the bridge would reopen before the winter.\n")
    assert not doc.quotes


def test_a_headline_that_opens_with_a_speakers_name_and_a_colon_is_their_quote(extract):
    doc = extract(
        "Kestrel: Harbour Deal Is Dead After The Vote.\n\n"
        "Senator Ana Kestrel said on Monday that the harbour deal had failed in committee.\n"
    )
    q = by_text(doc, "Harbour Deal Is Dead After The Vote")
    assert who(q) == "Ana Kestrel"


def test_a_topic_label_before_a_colon_names_no_speaker(extract):
    doc = extract(
        "Harbour: Deal Is Dead After The Vote.\n\n"
        "Photo: The old pier at Corrin seen from the water.\n\n"
        "Senator Ana Kestrel said on Monday that the harbour deal had failed in committee.\n"
    )
    assert [q.text for q in doc.quotes] == ["the harbour deal had failed in committee"]
