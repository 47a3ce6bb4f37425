"""Lexicons as data: every file loads and validates, no list holds a word twice, and a word two lists
of one language share is a stated overlap of roles, never one list defined twice."""

from __future__ import annotations

import pytest

from claimledger.lexicons import LexiconError, languages, load, overlaps, parse_tables

# The role of each English list. Lists of different roles may share words (a verb that reports
# speech may also frame a figure); two lists of one role may not, unless the pair is listed below.
EN_ROLES: dict[str, str] = {
    **dict.fromkeys(
        [
            "speech_verbs", "infinitive_cues", "not_reporting_heads", "recording_verbs", "stance_verbs",
            "accuse_verbs", "characterise_verbs", "finding_verbs", "count_report_verbs", "count_only_verbs",
            "figure_at_verbs", "figure_of_verbs", "figure_to_verbs",
        ],
        "verb lemmas",
    ),
    "cue_forms": "word forms",
    **dict.fromkeys(
        ["document_nouns", "finding_sources", "figure_nouns", "organization_nouns"], "noun lemmas"
    ),
    "vague_figures": "number words",
    **dict.fromkeys(
        [
            "person_nouns", "profession_nouns", "kin_nouns", "office_nouns", "female_nouns", "male_nouns",
            "titles", "people_when_plural",
        ],
        "person facets",
    ),
}  # fmt: skip

# Pairs of lists (or roles) that share words on purpose, with the reason; a pair of one name is
# a role whose lists may share words. Anything else shared is a word defined twice: the test fails.
_SHARED: list[tuple[str, str, str, str]] = [
    ("en", "verb lemmas", "word forms", "cue forms: the cue verbs as text writes them; base forms are both"),
    ("en", "noun lemmas", "word forms", "the cheap pre-parse cue test also looks for document nouns"),
    ("en", "verb lemmas", "noun lemmas", "homographs: 'report', 'record', 'estimate' are verbs and nouns"),
    ("en", "verb lemmas", "verb lemmas", "roles of one verb: 'estimate' reports speech, a count, a figure"),
    ("en", "noun lemmas", "noun lemmas", "roles of one noun: a 'survey' is a document that finds a figure"),
    ("en", "person facets", "person facets", "facets of one noun: 'father' is a person, kin, male, a title"),
    ("en", "person facets", "noun lemmas", "a 'monitor' is a body, its plural people"),
    ("en", "anonymity_triggers", "needs_refusal", "the triggers that count only after a refusal"),
    ("en", "reason_connectors", "reason_drop", "the connectors left out of the verbatim reason"),
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


def _kinds(lang: str, table: str) -> set[str]:
    role = EN_ROLES.get(table) if lang == "en" else None
    return {table} | ({role} if role else set())


def _allowed(lang: str, a: str, b: str) -> bool:
    for lg, x, y, _why in _SHARED:
        if lg != lang:
            continue
        for ka in _kinds(lang, a):
            for kb in _kinds(lang, b):
                if {ka, kb} == {x, y} or (y == "*" and x in (ka, kb)):
                    return True
    return False


@pytest.mark.parametrize("lang", languages())
def test_every_lexicon_loads_and_no_word_is_defined_twice(lang):
    lex = load(lang)
    assert lex.lists or lex.values
    shared = {pair: words for pair, words in overlaps(lex).items() if not _allowed(lang, *pair)}
    assert not shared, f"{lang}: words listed in two tables without a stated reason: {shared}"


@pytest.mark.parametrize("lang", languages())
def test_no_two_tables_are_the_same_list(lang):
    lex = load(lang)
    seen: dict[frozenset[str], str] = {}
    for name in [*lex.lists, *lex.values]:
        entries = lex.lists[name] if name in lex.lists else frozenset(lex.values[name])
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
