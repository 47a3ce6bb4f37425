"""Lexicons as data: every file loads and validates, no list holds a word twice, and a word two lists
of one language share is a stated overlap of roles, never one list defined twice."""

from __future__ import annotations

import pytest
from spacy.language import Language

from claimledger.lexicons import Lexicon, LexiconError, languages, load, load_folder, overlaps, parse_tables

# The role of each English list. Lists of different roles may share words: a word with two roles
# ("report" is a verb and a noun, "this" a calendar word and an empty head) is not defined twice.
# Two lists of one role may share words only where _SHARED says why.
EN_ROLES: dict[str, list[str]] = {
    "verb lemmas": [
        "speech_verbs", "infinitive_cues", "not_reporting_heads", "recording_verbs", "stance_verbs",
        "accuse_verbs", "characterise_verbs", "finding_verbs", "count_report_verbs", "count_only_verbs",
        "figure_at_verbs", "figure_of_verbs", "figure_to_verbs", "change_lemmas", "valuing_verbs",
        "reach_verbs", "bring_to_verbs", "publishing_verbs", "narrator_verbs", "parenthetical_tag_verbs",
    ],
    "word forms": [
        "cue_forms", "reported_voice_forms", "reported_voice_more_forms", "source_cue_forms",
        "briefing_forms", "figure_participles",
    ],
    "noun lemmas": [
        "finding_sources", "figure_nouns", "document_nouns", "organization_nouns", "not_sources",
        "claimed_not_said", "sub_bodies", "generic_bodies", "not_line_speakers",
    ],
    "function words": ["wh_words", "adjunct_preps", "present_modals", "name_skip_words"],
    "person facets": [
        "person_nouns", "profession_nouns", "kin_nouns", "office_nouns", "female_nouns", "male_nouns",
        "people_when_plural", "titles", "honorifics", "title_abbreviations", "title_abbreviations_split",
        "name_abbreviations",
    ],
    "pronouns": ["pronouns_singular_female", "pronouns_singular_male", "pronouns_plural", "pronouns_other"],
    "anonymity": ["anonymity_triggers", "needs_refusal", "refusals", "reason_connectors", "reason_drop"],
    "dates": ["month_numbers", "weekdays", "weekday_abbreviations"],
    "number words": [
        "cardinal_words", "scale_words", "scale_abbreviations", "vague_words", "vague_singular",
        "fraction_words", "ordinal_words", "multiplier_words",
    ],
    "units": ["currency_symbols", "currency_words", "time_units", "measure_units", "glued_units"],
    "hedges": [
        "point_hedges", "lower_bound_hedges", "upper_bound_hedges", "exact_hedges", "range_openers",
        "suffix_only_hedges", "suffix_either_side_hedges", "vague_modifiers",
    ],
    "number context": [
        "clock_words", "code_labels", "identifier_words", "window_before", "window_after", "window_preps",
        "one_pronoun_before", "one_count_words", "calendar_words", "age_group_nouns", "age_subjects",
        "empty_heads", "harm_joiners", "harm_modifiers", "categories",
    ],
    "page furniture": [
        "furniture_lines", "share_words", "post_badges", "forum_buttons", "trailer_heads", "summary_heads",
        "link_list_heads", "role_words", "bio_verbs", "thread_headers", "thread_end", "date_filler",
        "agency_words", "not_names", "roman_context", "note_labels", "editor_labels", "masthead_joiners",
        "nameless_commenters", "footer_links",
    ],
    "ledger names": [
        "first_name_forms", "name_suffixes", "role_phrases", "role_head_synonyms", "generic_role_heads",
        "portfolio_words", "spelling_variants", "portfolio_synonyms", "org_acronyms", "org_synonyms",
        "countries", "generic_org_bodies",
    ],
}  # fmt: skip
_ROLE = {table: role for role, tables in EN_ROLES.items() for table in tables}

# Lists that share words on purpose, with the reason; "*" stands for any other list. Anything
# else shared within a role (or half of a list shared across roles) is a word defined twice.
_SHARED: list[tuple[str, str, str, str]] = [
    ("common", "quote_pairs", "*", "the pairs say which mark closes which: the same marks by role"),
    ("ru", "stopwords", "*", "language detection counts common words whatever their role elsewhere"),
    ("ru", "month_numbers", "months", "month lemmas for the number rules; date forms with their number"),
    ("ru", "scale_words", "vague_singular", "десяток is a scale (три десятка) and a vague count"),
    ("ru", "anaphoric_nouns", "categories", "военный refers back to a person and types a count"),
    ("uk", "stopwords", "*", "language detection counts common words whatever their role elsewhere"),
    ("uk", "letters", "*", "і is a Ukrainian letter and a word"),
    ("uk", "month_numbers", "months", "month lemmas for the number rules; date forms with their number"),
    ("uk", "scale_words", "vague_singular", "десяток is a scale (три десятка) and a vague count"),
    ("uk", "anaphoric_nouns", "categories", "військовий refers back to a person and types a count"),
]


# English lists that share words on purpose, by reason ("a b" is a pair of tables).
_EN_SHARED: dict[str, list[str]] = {
    "one verb, several rules: 'estimate' reports speech, a count and a figure ('put the toll at')": [
        "characterise_verbs speech_verbs", "count_only_verbs figure_of_verbs",
        "count_only_verbs recording_verbs", "count_report_verbs figure_at_verbs",
        "count_report_verbs figure_of_verbs", "count_report_verbs speech_verbs",
        "figure_at_verbs figure_of_verbs", "figure_at_verbs not_reporting_heads",
        "figure_at_verbs speech_verbs", "figure_of_verbs recording_verbs", "figure_of_verbs speech_verbs",
        "finding_verbs recording_verbs", "infinitive_cues speech_verbs", "not_reporting_heads speech_verbs",
        "change_lemmas figure_to_verbs", "change_lemmas not_reporting_heads", "change_lemmas narrator_verbs",
        "figure_of_verbs publishing_verbs", "narrator_verbs not_reporting_heads",
        "parenthetical_tag_verbs speech_verbs", "count_report_verbs parenthetical_tag_verbs",
        "figure_of_verbs parenthetical_tag_verbs",
    ],
    "homographs: 'record', 'count', 'tally' are verbs that count and nouns of documents": [
        "count_only_verbs document_nouns",
    ],
    "the pre-parse cue test looks for the base form of these verbs as text writes it": [
        "count_report_verbs cue_forms", "cue_forms figure_at_verbs", "cue_forms parenthetical_tag_verbs",
    ],
    "one noun, several rules: a 'survey' is a document, one that finds, a figure's source": [
        "document_nouns figure_nouns", "document_nouns finding_sources", "figure_nouns finding_sources",
    ],
    "a line label ('Update:', 'Video:', 'Watch:') names a document or a body elsewhere, never a speaker": [
        "document_nouns not_line_speakers", "not_line_speakers organization_nouns",
    ],
    "the figure nouns that say nothing about what is counted ('the number', not 'the toll')": [
        "empty_heads figure_nouns",
    ],
    "facets of one person noun: 'father' is a person, kin, male and a title": [
        "female_nouns kin_nouns", "female_nouns office_nouns", "female_nouns person_nouns",
        "female_nouns profession_nouns", "female_nouns titles", "kin_nouns male_nouns",
        "kin_nouns person_nouns", "kin_nouns titles", "male_nouns office_nouns", "male_nouns person_nouns",
        "male_nouns profession_nouns", "male_nouns titles", "office_nouns person_nouns",
        "office_nouns titles", "person_nouns profession_nouns", "person_nouns titles",
        "profession_nouns titles",
    ],
    "the triggers that count only after a refusal; the connectors left out of a verbatim reason": [
        "anonymity_triggers needs_refusal", "reason_connectors reason_drop",
    ],
    "'fifth' is an ordinal and a denominator; a singular scale maps to its vague plural": [
        "fraction_words ordinal_words", "scale_words vague_singular", "vague_singular vague_words",
    ],
    "unit abbreviations written apart ('80 km') or glued to the figure ('80km')": [
        "glued_units measure_units",
    ],
    "hedges by position: the suffix lists name where a bound or point hedge is written": [
        "lower_bound_hedges suffix_either_side_hedges", "lower_bound_hedges suffix_only_hedges",
        "point_hedges suffix_only_hedges", "suffix_either_side_hedges upper_bound_hedges",
        "suffix_only_hedges upper_bound_hedges", "point_hedges vague_modifiers",
    ],
    "context words of different skip rules: 'this' dates ('this morning'), makes 'one' a pronoun": [
        "age_group_nouns one_pronoun_before", "calendar_words categories", "calendar_words empty_heads",
        "calendar_words one_pronoun_before", "calendar_words window_after", "calendar_words window_before",
        "categories identifier_words", "code_labels identifier_words", "empty_heads identifier_words",
        "empty_heads one_pronoun_before", "harm_modifiers one_pronoun_before",
        "identifier_words one_pronoun_before", "one_pronoun_before window_before",
        "window_before window_preps",
    ],
    "selections of the cue forms for the line classifier (a test holds them to cue_forms)": [
        "cue_forms reported_voice_forms", "cue_forms reported_voice_more_forms", "briefing_forms cue_forms",
        "briefing_forms reported_voice_forms", "briefing_forms reported_voice_more_forms",
        "cue_forms source_cue_forms", "cue_forms figure_participles",
    ],
    "the generic and part-of nouns a story uses for a body it named are body nouns too": [
        "generic_bodies organization_nouns", "generic_bodies sub_bodies", "organization_nouns sub_bodies",
    ],
    "the second reporting list is also read on first-person lines, where the first is not": [
        "reported_voice_forms reported_voice_more_forms",
    ],
    "a timestamp line may hold clock words and time units ('updated 3 hours ago', '10 am GMT')": [
        "clock_words date_filler", "date_filler time_units",
    ],
    "function words and pronouns that name nobody, as a date line's or masthead's glue": [
        "age_subjects not_names", "date_filler masthead_joiners", "date_filler not_names",
        "date_filler share_words", "masthead_joiners not_names", "not_names pronouns_other",
        "not_names share_words", "adjunct_preps name_skip_words", "masthead_joiners name_skip_words",
        "name_skip_words not_names",
    ],
    "a heading that opens a region ('Related stories', 'Comments', 'Notes to editors') is furniture alone": [
        "furniture_lines link_list_heads", "furniture_lines thread_end", "link_list_heads thread_end",
        "furniture_lines thread_headers", "furniture_lines trailer_heads", "furniture_lines summary_heads",
        "share_words thread_headers",
    ],
    "the same button or badge alone on a line, in a share bar, in a forum's button row, as a label": [
        "forum_buttons furniture_lines", "forum_buttons share_words", "furniture_lines share_words",
        "furniture_lines post_badges", "furniture_lines note_labels", "editor_labels furniture_lines",
        "agency_words furniture_lines", "note_labels post_badges", "editor_labels post_badges",
    ],
    "labels of an editor's note, alone or bracketed, and the job title or name they use": [
        "editor_labels note_labels", "editor_labels role_words", "note_labels role_words",
        "editor_labels not_names", "not_names role_words",
    ],
    "the ledger's name rules select and group extraction's nouns (generic bodies, generic roles)": [
        "generic_org_bodies organization_nouns", "generic_role_heads person_nouns",
        "person_nouns role_head_synonyms", "generic_org_bodies generic_role_heads",
        "generic_org_bodies role_head_synonyms", "portfolio_synonyms portfolio_words",
    ],
}  # fmt: skip
_SHARED += [("en", *pair.split(), why) for why, pairs in _EN_SHARED.items() for pair in pairs]


def _allowed(lang: str, a: str, b: str, shared: frozenset[str], lex: Lexicon) -> bool:
    for lg, x, y, _why in _SHARED:
        if lg == lang and ({a, b} == {x, y} or (y == "*" and x in (a, b))):
            return True
    if lang != "en" or _ROLE[a] == _ROLE[b]:
        return False
    smaller = min(len(_entries(lex, a)), len(_entries(lex, b)))
    return len(shared) < 3 or len(shared) * 2 < smaller


def _entries(lex: Lexicon, name: str) -> frozenset[str]:
    if name in lex.groups:
        return frozenset(w for group in lex.groups[name] for w in group)
    return lex.lists[name] if name in lex.lists else frozenset(lex.values[name])


def test_every_english_list_has_a_role():
    assert set(load("en").origin) == set(_ROLE)


@pytest.mark.parametrize("lang", languages())
def test_every_lexicon_loads_and_no_word_is_defined_twice(lang):
    lex = load(lang)
    assert lex.lists or lex.values
    shared = {pair: words for pair, words in overlaps(lex).items() if not _allowed(lang, *pair, words, lex)}
    assert not shared, f"{lang}: words listed in two tables without a stated reason: {shared}"


@pytest.mark.parametrize("lang", languages())
def test_no_two_tables_are_the_same_list(lang):
    lex = load(lang)
    seen: dict[frozenset[str], str] = {}
    for name in [*lex.lists, *lex.values, *lex.groups]:
        entries = _entries(lex, name)
        assert entries not in seen, f"{lang}: {name} repeats {seen.get(entries)}"
        seen[entries] = name


def test_the_months_titles_speech_verbs_and_quote_marks_have_one_home_each():
    tables = {lang: load(lang).origin for lang in languages()}
    assert "month_numbers" in tables["en"] and "months" not in tables["en"]
    assert {"titles", "title_abbreviations", "speech_verbs"} <= set(tables["en"])
    assert {"double_open", "double_close", "single_open", "single_close"} <= set(tables["common"])


def test_every_speech_verb_has_a_form_the_cue_prefilter_sees():
    lex = load("en")
    forms = lex.words("cue_forms")
    missing = [
        v for v in lex.words("speech_verbs") if not any(f.startswith(v[: max(3, len(v) - 2)]) for f in forms)
    ]
    assert not missing


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"a.toml": '[x]\nwhy = "w"\nwords = ["one", "one"]\n'}, "already listed"),
        ({"a.toml": '[x]\nwhy = "w"\nwords = ["One"]\n'}, "lower-case"),
        ({"a.toml": '[x]\nwhy = "w"\nwords = ["two  words"]\n'}, "double spaces"),
        ({"a.toml": '[x]\nwhy = "w"\nwords = [" one"]\n'}, "outer"),
        ({"a.toml": '[x]\nwhy = "w"\nwords = [""]\n'}, "non-empty"),
        ({"a.toml": '[x]\nwhy = "w"\nwords = []\n'}, "non-empty list"),
        ({"a.toml": '[x]\nwords = ["one"]\n'}, "'why'"),
        ({"a.toml": '[x]\nwhy = "w"\nwords = ["one"]\ncolour = 1\n'}, "unknown key"),
        ({"a.toml": '[x]\nwhy = "w"\n[x.values]\n"a" = [3, 1]\n'}, "pair"),
        ({"a.toml": '[x]\nwhy = "w"\n[x.values]\n"a" = true\n'}, "number"),
        (
            {"a.toml": '[x]\nwhy = "w"\nwords = ["a"]\n', "b.toml": '[x]\nwhy = "w"\nwords = ["b"]\n'},
            "b.toml",
        ),
        ({"a.toml": "[x\n"}, "a.toml"),
        ({"a.toml": '[x]\nwhy = "w"\ngroups = [["a", "b"], ["c", "a"]]\n'}, "already listed"),
        ({"a.toml": '[x]\nwhy = "w"\ngroups = [["a"], []]\n'}, "non-empty lists"),
        ({"a.toml": '[x]\nwhy = "w"\nwords = ["a"]\ngroups = [["b"]]\n'}, "one of"),
    ],
)
def test_a_malformed_or_repeated_entry_is_refused_naming_file_and_table(files, message):
    with pytest.raises(LexiconError, match=message) as err:
        parse_tables("en", files)
    assert "en/" in str(err.value)


def test_a_cased_table_keeps_the_case_it_is_written_in():
    lex = parse_tables("en", {"a.toml": '[x]\nwhy = "w"\ncased = true\nwords = ["Lt.", "Col."]\n'})
    assert lex.sequence("x") == ("Lt.", "Col.")


def test_a_lexicon_loads_once():
    assert load("en") is load("en")


# A made-up language's files, as another language would bring them (only the lists a factory reads).
_OTHER = {
    "numbers.toml": """
[cardinal_words]
why = "w"
[cardinal_words.values]
"uno" = 1
"dos" = 2
[scale_words]
why = "w"
[scale_words.values]
"mil" = 1000
[vague_words]
why = "w"
[vague_words.values]
"miles" = [2000, 9999]
[fraction_words]
why = "w"
[fraction_words.values]
"medio" = 2
[ordinal_words]
why = "w"
[ordinal_words.values]
"primero" = 1
[multiplier_words]
why = "w"
[multiplier_words.values]
"doble" = 2
""",
    "cues.toml": '[cue_forms]\nwhy = "w"\nwords = ["dijo"]\n',
    "people.toml": '[title_abbreviations_split]\nwhy = "w"\nwords = ["gral"]\n',
}


def _blank() -> Language:
    """A blank English pipeline, with claimledger's factories registered (importing does it)."""
    import importlib

    import spacy

    for module in ("claimledger.nlp.attribution", "claimledger.numbers.recognize"):
        importlib.import_module(module)
    return spacy.blank("en")


@pytest.fixture(scope="module")
def other_language():
    from spacy.util import registry

    name = "test.other_lexicon.v1"
    if name not in registry.misc:
        registry.misc(name)(lambda: parse_tables("xx", _OTHER))
    return {"@misc": name}


def test_the_components_name_the_english_lexicon_in_their_config():
    nlp = _blank()
    nlp.add_pipe("claimledger_attribution")
    nlp.add_pipe("claimledger_numbers")
    for name in ("claimledger_attribution", "claimledger_numbers"):
        assert nlp.config["components"][name]["lexicon"] == {"@misc": "claimledger.lexicon.v1", "lang": "en"}
    assert "dozens" in nlp.get_pipe("claimledger_numbers").number_words
    assert "said" in nlp.get_pipe("claimledger_attribution").cue_forms


def test_a_language_brings_its_own_lexicon_through_the_config(other_language):
    nlp = _blank()
    nlp.add_pipe("claimledger_attribution", config={"lexicon": other_language})
    nlp.add_pipe("claimledger_numbers", config={"lexicon": other_language})
    words = nlp.get_pipe("claimledger_numbers").number_words
    assert {"uno", "mil", "miles", "medio", "primero", "doble", "dosfold"} <= words
    assert "dozens" not in words
    assert nlp.get_pipe("claimledger_attribution").cue_forms == frozenset({"dijo"})
    assert [t.text for t in nlp.tokenizer("el Gral. Ruiz")] == ["el", "Gral.", "Ruiz"]


def test_the_line_classifiers_reporting_forms_are_cue_forms():
    lex = load("en")
    extra = {"according to", "spokesman", "spokeswoman", "spokesperson"}  # a phrase and the titles
    for name in ("reported_voice_forms", "reported_voice_more_forms", "briefing_forms"):
        assert lex.words(name) - extra <= lex.words("cue_forms"), name


def test_an_abbreviated_title_the_tokenizer_keeps_whole_is_a_title_too(extract):
    # "Msgr." was a tokenizer special case but not a title: the speaker lost the role it gives.
    doc = extract("The chapel will reopen in May, said Msgr. Tomas Vell, who leads the parish.\n")
    (quote,) = doc.quotes
    assert quote.speaker.name == "Tomas Vell"
    assert quote.speaker.role == "msgr."


def test_the_ledger_drops_the_titles_extraction_drops():
    from claimledger.ledger.resolve import NAME_TITLES
    from claimledger.nlp.lexicon import TITLES

    assert {t.rstrip(".") for t in TITLES} == NAME_TITLES
    assert {"lord", "miss", "chief", "secretary"} <= NAME_TITLES


def test_a_language_folder_outside_the_package_is_named_in_the_config(tmp_path):
    folder = tmp_path / "xx"
    folder.mkdir()
    for name, text in _OTHER.items():
        (folder / name).write_text(text, encoding="utf-8")
    nlp = _blank()
    config = {"lexicon": {"@misc": "claimledger.lexicon_folder.v1", "path": str(folder)}}
    nlp.add_pipe("claimledger_numbers", config=config)
    assert "primero" in nlp.get_pipe("claimledger_numbers").number_words
    with pytest.raises(LexiconError, match="no such lexicon folder"):
        load_folder(str(tmp_path / "missing"))


# Cue forms whose lemma is in no cue list, on purpose.
_FORMS_WITHOUT_LEMMA = {
    "according": "'according to' is a cue of its own",
    "scrambled": "'officials scrambled to clarify that …': the catenative verb before a speech verb",
}


def test_every_cue_form_is_a_form_of_a_listed_cue(nlp):
    """The pre-parse test's forms (cue_forms) stay tied to the lemma lists the rules use: a form
    whose lemma no list holds would let a unit through that no rule can read."""
    from spacy.tokens import Doc

    lex = load("en")
    lemmas = set().union(*(lex.words(t) for t in EN_ROLES["verb lemmas"] + EN_ROLES["noun lemmas"]))
    lemmatizer = nlp.get_pipe("lemmatizer")
    orphans = []
    for form in sorted(lex.words("cue_forms") - lemmas):
        doc = Doc(nlp.vocab, words=[form])
        doc[0].pos_ = "VERB"
        doc[0].tag_ = "VBD" if form.endswith("ed") else "VBZ" if form.endswith("s") else "VBG"
        lemmatizer(doc)
        if doc[0].lemma_ not in lemmas and form not in _FORMS_WITHOUT_LEMMA:
            orphans.append((form, doc[0].lemma_))
    assert not orphans


def test_a_values_table_is_read_as_the_type_its_rules_need():
    lex = parse_tables("en", {"a.toml": '[x]\nwhy = "w"\n[x.values]\n"half" = 0.5\n"dozens" = [24, 99]\n'})
    with pytest.raises(LexiconError, match=r"en/a\.toml:x: values must be whole numbers"):
        lex.integers("x")
    with pytest.raises(LexiconError, match="names"):
        lex.names("x")
    copy = load("en").integers("cardinal_words")
    copy["zero"] = 99
    assert load("en").integers("cardinal_words")["zero"] == 0


def test_every_stated_overlap_is_still_one():
    """A reason left behind for lists that no longer share a word would hide the next overlap."""
    for lang in languages():
        lex = load(lang)
        shared = overlaps(lex)
        for lg, a, b, why in _SHARED:
            if lg == lang and b != "*":
                assert (min(a, b), max(a, b)) in shared, f"{lang}: {a} and {b} share nothing ({why})"
