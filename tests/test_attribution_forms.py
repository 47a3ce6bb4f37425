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


def test_a_transcript_turn_is_a_direct_quote_of_the_person_named_in_the_intro(extract):
    doc = extract(
        "The briefing was chaired by spokeswoman Lena Orta, with Deputy Mayor Piet Halloran.\n\n"
        "MS. ORTA: Good morning. The deputy mayor will take questions.\n\n"
        "QUESTION: How many buses are running today?\n\n"
        "MR. HALLORAN: About forty on the main lines. (Laughter.) I mean it.\n\n"
        "The rest will be back on Monday, once the depot reopens.\n"
    )
    assert who(by_text(doc, "The deputy mayor will take questions")) == "Lena Orta"
    assert who(by_text(doc, "About forty on the main lines")) == "Piet Halloran"
    assert "Laughter" not in by_text(doc, "About forty").text
    assert who(by_text(doc, "I mean it")) == "Piet Halloran"
    assert who(by_text(doc, "once the depot reopens")) == "Piet Halloran"  # the turn runs on
    assert not [q for q in doc.quotes if "buses are running" in q.text]


def test_a_place_read_as_a_name_before_a_headline_colon_is_no_speaker(extract):
    doc = extract("Corrin: read this one slowly\n\nThe water has been off in the east for twelve days.\n")
    assert not doc.quotes


def test_a_quoted_fragment_inside_a_reported_clause_does_not_end_it(extract):
    doc = extract("A volunteer says there’s a “long road ahead” but he feels confident the mayor will win.\n")
    q = by_text(doc, "long road ahead")
    assert q.kind == "mixed" and q.text.endswith("the mayor will win")


def test_a_fronted_adjunct_before_the_tag_is_no_content(extract):
    doc = extract(
        "Though turnout was low in the north, Mayor Ana Ruiz said: “We won this fair and square.”\n\n"
        "In May the bridge will reopen for all traffic, the council said.\n"
    )
    assert [q.text for q in doc.quotes] == [
        "We won this fair and square.",
        "In May the bridge will reopen for all traffic",
    ]


def test_a_quoted_show_title_is_no_quote_and_an_editors_note_no_speaker(extract):
    doc = extract(
        "Editor’s Note: The following is an excerpt from the new book by Ana Ruiz.\n\n"
        "Ruiz told the show “Morning Watch,” that the vote had been fair.\n"
    )
    assert [q.text for q in doc.quotes] == ["the vote had been fair"]


def test_an_as_tag_attributes_the_main_clause_and_a_temporal_as_does_not(extract):
    doc = extract(
        "As the Corrin Courier reported on Monday, the mill will close before the winter.\n\n"
        "As the strike continues into its third week, the council has refused to raise the offer.\n"
    )
    q = by_text(doc, "the mill will close before the winter")
    assert who(q) == "Corrin Courier"
    assert len(doc.quotes) == 1


def test_a_clausal_subject_after_said_opens_the_reported_clause(extract):
    doc = extract("Ruiz said legalizing the market could put hundreds of people to work in the north.\n")
    assert by_text(doc, "legalizing the market could put hundreds").kind == "indirect"


def test_a_parenthetical_tag_inside_the_clause_it_reports(extract):
    doc = extract("Most of the arrivals, the mayor said, were elderly people from the north.\n")
    q = by_text(doc, "were elderly people from the north")
    assert q.text.startswith("Most of the arrivals") and who(q) == "mayor"


def test_a_short_title_case_quotation_opening_a_sentence_is_said(extract):
    doc = extract("“Agreed,” said Mira Holt after the vote.\n")
    assert [(q.text, q.speaker.name if q.speaker else None) for q in doc.quotes] == [("Agreed,", "Mira Holt")]


def test_he_or_she_is_the_subject_of_the_sentence_before_not_a_person_named_later_in_it(extract):
    doc = extract(
        "Senator Lena Kovac said on Monday that the bridge was unsafe. Mayor Ana Ruiz said the bridge "
        "was fine.\n\n"
        "Kovac has not yet responded to Ruiz’s remarks on the bridge.\n\n"
        "“The bridge must be rebuilt before the winter,” she wrote on Saturday.\n"
    )
    assert who(by_text(doc, "The bridge must be rebuilt")) == "Lena Kovac"


def test_quoted_programme_names_and_short_terms_are_no_quotes(extract):
    doc = extract(
        "Ruiz told the programme “Meet the Valley.” that the vote had been fair.\n\n"
        "Kovac called the survey the “silver standard,” which few pollsters accept.\n\n"
        "“No way,” Kovac said.\n"
    )
    texts = [q.text for q in doc.quotes]
    assert not any("Meet the Valley" in t or "silver standard" in t for t in texts)
    assert "No way," in texts
