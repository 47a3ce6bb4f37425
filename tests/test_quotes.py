"""Quotes and their speakers, on invented sentences covering each rule."""

from __future__ import annotations

import pytest

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


# -- generalisation rules (invented sentences) --------------------------------------------------


def test_interview_answers_are_quotes_of_the_interviewee(extract):
    doc = extract(
        "Harbour master Tomas Feld, 61, spoke to us about the winter storms.\n"
        "Q: How bad was January?\n"
        "A: The worst I have seen. We lost three moorings in one night.\n"
        "Q: You say the breakwater is too short. Why?\n"
        "A: It was built for smaller boats.\n"
    )
    answers = [q for q in doc.quotes if q.cue == "A:"]
    assert [q.text for q in answers] == [
        "The worst I have seen. We lost three moorings in one night.",
        "It was built for smaller boats.",
    ]
    assert all(who(q) == "Tomas Feld" and q.kind == "direct" for q in answers)
    assert who(by_text(doc, "the breakwater is too short")) == "Tomas Feld"


def test_relay_chain_names_the_original_speaker(extract):
    doc = extract(
        "A spokesman for the mayor said the water agency had reported that two pumps had failed overnight.\n"
    )
    assert [(q.text, who(q)) for q in doc.quotes] == [("two pumps had failed overnight", "water agency")]


def test_pronoun_finds_its_antecedent_in_the_same_sentence(extract):
    doc = extract("My uncle drives a taxi in the capital and he says fares have doubled since the spring.\n")
    q = by_text(doc, "fares have doubled")
    assert who(q) == "My uncle" and q.speaker.type == "anonymous"
    assert [a.description for a in doc.anonymous_sources] == ["My uncle"]


def test_shared_surname_keeps_first_names_apart(extract):
    doc = extract(
        "The farm is run by Ida Berglund and her brother, Nils Berglund.\n"
        "Nils Berglund said the harvest had been the worst in a decade.\n"
    )
    assert who(by_text(doc, "harvest had been the worst")) == "Nils Berglund"


def test_withheld_surname_gives_the_speaker_their_first_name(extract):
    doc = extract(
        "A nurse at the clinic, who gave only her first name, Rita, because she feared dismissal, said "
        "the ward had no heating.\n"
    )
    q = by_text(doc, "the ward had no heating")
    assert who(q) == "Rita" and q.speaker.type == "person"
    (anon,) = doc.anonymous_sources
    assert anon.reason == "she feared dismissal"


def test_passive_subject_of_a_speech_verb_is_not_the_speaker(extract):
    doc = extract("Hundreds of drivers have been told there will be no overtime this winter.\n")
    assert doc.quotes == []


def test_copular_clause_headed_by_an_adjective_is_reported(extract):
    doc = extract("The inspector said the results were “deeply worrying” and that the school would close.\n")
    q = by_text(doc, "deeply worrying")
    assert q.kind == "mixed" and q.text == "the results were “deeply worrying”"
    assert by_text(doc, "the school would close").kind == "indirect"


def test_clause_hung_on_the_noun_of_the_cue_adjunct(extract):
    doc = extract("The agency said in a written response that the ferry had been withdrawn for repairs.\n")
    q = by_text(doc, "the ferry had been withdrawn")
    assert q.kind == "indirect" and who(q) == "agency"


def test_documents_that_find_or_show_are_sources_people_who_find_are_not(extract):
    doc = extract(
        "The survey found that most households had cut back on heating.\n"
        "The inspectors found the keys in a drawer.\n"
    )
    q = by_text(doc, "most households had cut back")
    assert q.speaker.type == "document"
    assert len(doc.quotes) == 1


def test_abbreviated_military_titles_do_not_end_the_sentence(extract):
    doc = extract("The base will stay open all winter, said Lt. Col. Ann Brix, who commands the garrison.\n")
    assert who(by_text(doc, "The base will stay open")) == "Ann Brix"


def test_a_label_in_quotation_marks_is_not_a_quote(extract):
    doc = extract(
        "The minister called the audit “a reckless attack on public servants” and said she would reply "
        "next week.\n"
    )
    assert [q.kind for q in doc.quotes] == ["indirect"]


def test_according_to_an_unknown_noun_is_a_document(extract):
    doc = extract(
        "Mayor Ivo Salt said the bridge was safe.\n"
        "The bridge was last repaired in 2019, according to the county bridge register.\n"
    )
    q = by_text(doc, "last repaired")
    assert q.speaker.type == "document" and "register" in (q.speaker.name or "")


def test_acronym_speaker_takes_the_full_name(extract):
    doc = extract(
        "The Northern Water Board (NWB) runs the reservoir.\n"
        "The NWB said the dam would be inspected again in the spring.\n"
    )
    assert who(by_text(doc, "the dam would be inspected")) == "Northern Water Board"


def test_forum_quoting_styles(extract):
    doc = extract(
        "Post #4\n"
        "quayside_jo wrote:\n"
        "The night bus has not run on time once this month.\n"
        "It has been like that all winter.\n"
        "Quote:\n"
        "Originally Posted by RiverRat\n"
        "The council promised new buses by March.\n"
    )
    assert who(by_text(doc, "has not run on time")) == "quayside_jo"
    q = by_text(doc, "promised new buses")
    assert q.kind == "direct" and who(q) == "RiverRat"


def test_a_clause_introducing_a_quotation_with_a_colon(extract):
    doc = extract(
        "A listener, Eda Moss, sent us this from Tarn: “The road is under water and the bus never came.”\n"
    )
    assert who(by_text(doc, "The road is under water")) == "Eda Moss"


def test_an_office_named_after_a_summary_line_that_cites_it(extract):
    doc = extract(
        "Key points\n"
        "Three bridges closed to traffic, regional governor says\n"
        "Updates\n"
        "Regional Governor Ilse Marr said the army would help clear the roads.\n"
    )
    assert who(by_text(doc, "Three bridges closed")) == "Ilse Marr"


def test_anonymity_only_when_the_name_is_refused(extract):
    doc = extract(
        "Two guards, neither of whom would let us use their names because they fear dismissal, said the "
        "cells were overcrowded.\n"
        "Ola Dahl, who agreed to let us use his name, said he had not been told.\n"
    )
    assert [(a.description, a.reason) for a in doc.anonymous_sources] == [
        ("Two guards", "they fear dismissal")
    ]


def test_one_speaker_phrase_with_two_clauses_is_one_speaker(extract):
    doc = extract(
        "Residents of Hale said on social media that the sirens sounded twice and that roads flooded.\n"
    )
    assert len({id(q.speaker) for q in doc.quotes}) == 1
    assert len(doc.anonymous_sources) == 1


def test_a_quoted_title_names_its_speaker_after_a_colon(extract):
    doc = extract(
        "“We cannot staff every hut”: rescue chief on a record summer\n"
        "Its chief, Mara Voss, said the season had been the busiest since the service began.\n"
    )
    assert who(by_text(doc, "We cannot staff every hut")) == "Mara Voss"


def test_a_parenthetical_tag_does_not_make_a_verbless_quote(extract):
    doc = extract("Most of the new patients, he said, were elderly people from the flooded villages.\n")
    assert all(q.text != "Most of the new patients" for q in doc.quotes)


def test_pronoun_after_a_sentence_about_an_unnamed_person(extract):
    doc = extract(
        "Ana Ruiz said the clinic was full.\n"
        "My sister works in the hospital pharmacy. She says they got one delivery last week.\n"
    )
    assert who(by_text(doc, "one delivery last week")) == "My sister"


def test_a_quoted_term_inside_the_article_sentence_is_not_run_on_speech(extract):
    doc = extract(
        "“We will rebuild every house,” the governor said.\n"
        "In state media, the dead are called heroes and the war is “a special operation of the homeland”.\n"
    )
    assert [q.text for q in doc.quotes] == ["We will rebuild every house,"]


def test_attributions_inside_a_pasted_newspaper_passage_are_labelled(extract):
    doc = extract('The Lakeside Courier reports: "The port authority said 40 ships were waiting offshore."\n')
    passage = by_text(doc, "The port authority said")
    assert passage.kind == "direct" and who(passage) == "Lakeside Courier"
    (inner,) = [q for q in doc.quotes if q.text == "40 ships were waiting offshore"]
    assert inner.kind == "indirect" and who(inner) == "port authority"


def test_a_person_quoting_someone_keeps_the_nested_speaker_out(extract):
    doc = extract('Ola Berg told us: "My neighbour said the ferry had not run for a week."\n')
    assert [who(q) for q in doc.quotes] == ["Ola Berg"]


def test_wire_datelines_are_not_part_of_the_reported_clause(extract):
    doc = extract("HALSBY - Two bridges were closed on Monday after the river rose, the county said.\n")
    assert by_text(doc, "Two bridges were closed").text.startswith("Two bridges")


def test_a_figure_in_a_relative_clause_inside_another_speakers_claim(extract):
    doc = extract(
        "Ana Roca said the aid covered “less than a tenth” of the losses, which the cooperative puts at "
        "1.1 billion pesos.\n"
    )
    (figure,) = [q for q in doc.quotes if q.cue == "puts … at"]
    assert figure.text == "1.1 billion pesos" and figure.speaker.type == "organization"


def test_according_to_a_described_body_takes_its_name(extract):
    doc = extract("Repairs would cost £2 million a year, according to the consultancy Bremner & Hale.\n")
    q = by_text(doc, "Repairs would cost")
    assert who(q) == "Bremner & Hale" and q.speaker.type == "organization"


def test_not_authorised_to_speak_is_the_stated_reason(extract):
    doc = extract(
        "A police spokesman, who was not authorized to speak to the media and asked not to be named, said "
        "four people were missing.\n"
        "Carl Berg, who was not authorized to speak for the union, said the strike would go on.\n"
    )
    assert [(a.description, a.reason) for a in doc.anonymous_sources] == [
        ("A police spokesman", "not authorized to speak to the media")
    ]


def test_records_that_show_a_finding_even_when_show_is_tagged_a_noun(extract):
    doc = extract("Data from the health ministry show that waiting times have doubled since the spring.\n")
    q = by_text(doc, "waiting times have doubled")
    assert q.kind == "indirect" and q.speaker.type == "document"


def test_a_counted_object_is_the_reported_claim_and_relays_keep_the_source(extract):
    doc = extract("An aide to the governor said the police had reported 12 arrests in the city overnight.\n")
    assert [(q.text, who(q)) for q in doc.quotes] == [("12 arrests in the city overnight", "police")]
    assert [a.description for a in doc.anonymous_sources] == ["An aide to the governor"]


def test_both_siblings_speak_together_under_both_names(extract):
    doc = extract(
        "The shop belongs to Ada Vinter and her sister, Lise Vinter, 39.\n"
        "“We will open again,” Ada Vinter said, and the mayor, Otto Kell, said the town would help.\n"
        "Both sisters say they were never warned about the flood.\n"
    )
    assert who(by_text(doc, "they were never warned")) == "Ada Vinter and Lise Vinter"


def test_a_group_named_only_in_the_headline_is_no_anonymous_source(extract):
    doc = extract(
        "Tunnel to open three years late, builders admit\n"
        "The tunnel will open in 2038, the Strait Link consortium said on Wednesday.\n"
    )
    assert doc.anonymous_sources == []


def test_a_clause_the_parser_took_for_an_object_of_say(extract):
    doc = extract("Human rights groups say both sides have committed abuses.\nHe said nothing.\n")
    assert [q.text for q in doc.quotes] == ["both sides have committed abuses"]


def test_possessive_name_profession_and_first_name_with_age(extract):
    doc = extract(
        "The office of Daniel Hrenko’s law firm is small. Hrenko, 41, a former judge, set it up in 2031.\n"
        "“We take every case,” Hrenko said.\n"
        "Ilona, 47, asked that her surname not be used. “My son was sent east after a week,” she said.\n"
        "The lawyer says the courts are slow to answer such complaints.\n"
    )
    speakers = {q.text: q.speaker.name for q in doc.quotes}
    assert speakers["We take every case,"] == "Daniel Hrenko"  # not "Daniel Hrenko’s"
    assert speakers["My son was sent east after a week,"] == "Ilona"  # a first name with an age
    # "the lawyer" reaches the person named in full, not the woman named by her first name only.
    assert speakers["the courts are slow to answer such complaints"] == "Daniel Hrenko"


@pytest.mark.parametrize(
    ("sentence", "content", "speaker", "figure"),
    [
        (
            "A fire officer on Sunday put the toll at nine dead and 14 injured.\n",
            "the toll at nine dead and 14 injured",
            "A fire officer",
            "14",
        ),
        (
            "The Harbour Trust put the number at 4,300 boats.\n",
            "the number at 4,300 boats",
            "Harbour Trust",
            "4,300",
        ),
        (
            "Organisers claimed a turnout of 52,000 at the rally.\n",
            "a turnout of 52,000",
            "Organisers",
            "52,000",
        ),
        (
            "The Ostrava Relief Fund, which in April ventured a death toll of 212 people, has gone quiet.\n",
            "a death toll of 212 people",
            "Ostrava Relief Fund",
            "212",
        ),
        (
            "Marit Sand cited an estimate of 7,000 evictions.\n",
            "an estimate of 7,000 evictions",
            "Marit Sand",
            "7,000",
        ),
        (
            "Officials first said 19 people drowned, but later changed that number to 17.\n",
            "that number to 17",
            "Officials",
            "17",
        ),
    ],
)
def test_claim_frames_whose_object_is_a_figure(extract, sentence, content, speaker, figure):
    doc = extract(sentence)
    q = by_text(doc, content)
    assert q.text == content and speaker in who(q)
    (n,) = [n for n in doc.numbers if n.text.endswith(figure)]
    assert n.claimant.speaker is q.speaker  # the figure is the speaker's claim, not the article's


def test_an_event_that_raises_a_toll_claims_nothing(extract):
    doc = extract("The second blast raised the toll to 31.\n")
    assert doc.quotes == [] and [n.claimant.type for n in doc.numbers] == ["article"]


def test_a_revision_ends_the_first_reported_clause(extract):
    doc = extract("Officials first said 19 people drowned, but later changed that number to 17.\n")
    assert [q.text for q in doc.quotes] == ["19 people drowned", "that number to 17"]


def test_typed_double_marks_are_quotation_marks(extract):
    doc = extract(
        "''The dam will hold,'' said Lena Ostrova, the district engineer. ''We checked it twice.''\n"
        "``Nobody should panic,'' she added. The town hall won''t close.\n"
    )
    texts = [(q.text, q.kind, who(q)) for q in doc.quotes]
    assert ("The dam will hold,", "direct", "Lena Ostrova") in texts
    assert ("We checked it twice.", "direct", "Lena Ostrova") in texts
    assert ("Nobody should panic,", "direct", "Lena Ostrova") in texts
