"""Quotes and their speakers, on invented sentences covering each rule."""

from __future__ import annotations

from conftest import by_text, who


def test_split_quote_around_tag_gives_two_quotes_same_speaker(extract):
    doc = extract(
        "Marta Kowal, a nurse at the district clinic, described the night.\n"
        "“We ran out of bandages by midnight,” Kowal said. “Then we used bedsheets.”\n"
    )
    a = by_text(doc, "ran out of bandages")
    b = by_text(doc, "Then we used bedsheets.")
    assert a.kind == b.kind == "direct"
    assert who(a) == who(b) == "Marta Kowal"
    assert a.cue == "said"
    assert a.speaker.role == "nurse"


def test_mixed_marks_and_inverted_tag(extract):
    doc = extract('"The bridge is gone,” said Pavel Orlov, the mayor of Lesna. “Nobody can cross."\n')
    assert [q.kind for q in doc.quotes] == ["direct", "direct"]
    assert all(who(q) == "Pavel Orlov" for q in doc.quotes)
    assert doc.quotes[0].text == "The bridge is gone,"


def test_unbalanced_mark_costs_one_quote_not_the_document(extract):
    doc = extract(
        "Officials were cautious. The “plan has no end date, one aide said.\n"
        "“We will stay until the job is done,” said Commander Ilya Petrenko.\n"
    )
    q = by_text(doc, "We will stay until the job is done")
    assert who(q) == "Ilya Petrenko"


def test_quote_runs_on_into_next_paragraph(extract):
    doc = extract(
        "Sofia Reyes, who coordinates the shelter, said the nights were the hardest. "
        "“The children wake up every hour. They hear the sirens even when there are none.\n"
        "“We have asked for more blankets three times,” she said.\n"
    )
    first = by_text(doc, "The children wake up every hour")
    second = by_text(doc, "We have asked for more blankets")
    assert who(first) == who(second) == "Sofia Reyes"


def test_indirect_speech_pronoun_and_surname(extract):
    doc = extract(
        "Regional health chief Anna Berg said at least 45 people had been treated for burns.\n"
        "She said the hospital would stay open through the weekend.\n"
        "Berg told reporters that supplies were running low.\n"
    )
    kinds = [(q.kind, who(q)) for q in doc.quotes]
    assert kinds == [("indirect", "Anna Berg")] * 3
    assert by_text(doc, "supplies were running low").cue.startswith("told")
    assert doc.quotes[0].speaker.role == "chief"


def test_mixed_quote_keeps_inner_marks(extract):
    doc = extract(
        "The minister said the protesters were “paid provocateurs who want chaos” and would be punished.\n"
    )
    assert len(doc.quotes) == 1
    q = doc.quotes[0]
    assert q.kind == "mixed"
    assert "“paid provocateurs who want chaos”" in q.text


def test_paraphrase_glued_to_direct_quote(extract):
    doc = extract(
        "The union has received hundreds of complaints from drivers about unpaid wages, "
        "“and frankly the company has stopped answering our letters,” Omar Haddad said on Tuesday.\n"
    )
    kinds = sorted(q.kind for q in doc.quotes)
    assert kinds == ["direct", "indirect"]
    assert all(who(q) == "Omar Haddad" for q in doc.quotes)


def test_according_to_and_document_speaker(extract):
    doc = extract(
        "More than 300 families fled the valley last week, according to the provincial emergency office.\n"
        "The exodus comes amid reports that militias are recruiting teenagers in the camps.\n"
    )
    a = by_text(doc, "families fled the valley")
    assert a.kind == "indirect" and a.cue == "according to"
    assert a.speaker.type == "organization"
    b = by_text(doc, "militias are recruiting teenagers")
    assert b.speaker.type == "document" and b.speaker.name == "reports"


def test_scare_quotes_titles_and_nested_speakers_are_not_quotes(extract):
    doc = extract(
        "Residents called the new checkpoints “toll booths” in private.\n"
        "“Our drivers say the road is mined,” said Lena Dorn of the Transport Union.\n"
    )
    assert [q.text for q in doc.quotes] == ["Our drivers say the road is mined,"]
    assert who(doc.quotes[0]) == "Lena Dorn"


def test_anonymous_source_with_reason(extract):
    doc = extract(
        "A senior police officer, who spoke on condition of anonymity because he was not authorised "
        "to brief the media, said dozens of recruits had deserted.\n"
    )
    assert len(doc.anonymous_sources) == 1
    anon = doc.anonymous_sources[0]
    assert "senior police officer" in anon.description
    assert anon.reason == "he was not authorised to brief the media"
    assert doc.quotes[0].speaker.type == "anonymous"
    assert doc.quotes[0].speaker.id == anon.speaker_id


def test_block_quote_after_colon_intro(extract):
    doc = extract(
        "Local blogger Timur Aliev was furious. He writes:\n"
        "Nobody told us the dam was weak. Nobody told us anything at all.\n"
        "The ministry has not responded.\n"
    )
    q = by_text(doc, "Nobody told us the dam was weak")
    assert q.kind == "direct" and who(q) == "Timur Aliev" and q.cue == "writes"


def test_offsets_point_into_normalised_text(extract):
    doc = extract("“One quote here, with marks,” said Ada Lin.\r\nShe said the count was 12.\r\n")
    for q in doc.quotes:
        assert doc.text[q.start : q.end] == q.text
    for s in doc.speakers:
        for a, b in s.mentions:
            assert 0 <= a < b <= len(doc.text)


def test_according_to_plan_is_no_source_and_org_names_are_whole(extract):
    doc = extract(
        "The general has said the operation is going according to plan.\n"
        "The Institute for the Study of War said in its latest assessment that the lines had barely moved.\n"
    )
    assert all(who(q) != "plan" for q in doc.quotes)
    assert who(by_text(doc, "lines had barely moved")) == "Institute for the Study of War"


def test_determiner_in_a_speaker_phrase_is_no_number(extract):
    doc = extract("“We will not leave,” said one resident, who declined to give her name.\n")
    assert doc.numbers == []
    assert doc.anonymous_sources and doc.anonymous_sources[0].reason is None


def test_reported_clause_hung_on_an_adjunct_and_possessive_offices(extract):
    doc = extract(
        "The regional health office said in a report released Friday that more than 1,100 people had been "
        "treated for burns.\n"
        "Dunne's interior minister said the curfew would be lifted on Monday.\n"
    )
    q = by_text(doc, "had been treated for burns")
    assert q.kind == "indirect" and who(q) == "regional health office"
    minister = by_text(doc, "curfew would be lifted")
    assert minister.speaker.type == "person"
    assert doc.numbers[0].claimant.speaker is q.speaker
