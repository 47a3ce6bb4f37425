"""Russian and Ukrainian lexicons: every data file loads, and no word is listed twice."""

from __future__ import annotations

import pytest

from claimledger.cyrillic.lexicon import LANGUAGES, LexiconError, load, parse_tables


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_lexicon_file_loads_and_validates(lang):
    lex = load(lang)
    for name in ("speech_verbs", "according_to", "source_nouns", "hedges", "lower_bounds", "months"):
        assert lex.words(name), name
    assert lex.table("number_words")["два"] == 2


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"a.toml": '[x]\nwhy = "w"\nwords = ["один", "один"]\n'}, "already listed"),
        (
            {"a.toml": '[x]\nwhy = "w"\nwords = ["один"]\n', "b.toml": '[y]\nwhy = "w"\nwords = ["один"]\n'},
            "already listed",
        ),
        ({"a.toml": '[x]\nwhy = "w"\nwords = ["Один"]\n'}, "lower-case"),
        ({"a.toml": '[x]\nwords = ["один"]\n'}, "'why'"),
        ({"a.toml": '[x]\nwhy = "w"\nvalues = { "а" = [3, 1] }\n'}, "pair"),
        ({"a.toml": '[x]\nwhy = "w"\nwords = ["а"]\n', "b.toml": '[x]\nwhy = "w"\nwords = ["б"]\n'}, "table"),
    ],
)
def test_a_malformed_or_duplicated_entry_is_refused(files, message):
    with pytest.raises(LexiconError, match=message):
        parse_tables("ru", files)


def test_a_weight_table_refuses_a_value_that_is_no_single_number():
    lex = parse_tables("ru", {"a.toml": '[w]\nwhy = "w"\nvalues = { "а" = 1, "б" = [1, 2] }\n'})
    assert lex.table("w")["а"] == 1.0
    with pytest.raises(LexiconError, match=r"ru/a\.toml:w: .*number"):
        lex.numbers("w")
