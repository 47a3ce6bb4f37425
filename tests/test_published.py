"""Publication dates: read from date lines, datelines and markup, never completed by guessing,
flagged when missing, and supplied with ``--published``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimledger.cli import cli
from claimledger.published import dateline_head, find_published, partial_date, settle, written_out
from claimledger.readers.record import Record
from claimledger.sections import dateline_end, split_sections

STORY = (
    "Ferry service resumes after storm\n\n"
    "{dateline} The harbour authority said on Tuesday that 14 ferries would sail again "
    "after the storm, and that about 300 passengers had waited overnight.\n\n"
    "“We expect the first boats at noon,” said harbour master Ilse Marquardt.\n"
)


def _date(text: str) -> str | None:
    return find_published(text, split_sections(text))


@pytest.mark.parametrize(
    ("dateline", "expected"),
    [
        ("LONDON, March 3, 2030 (Reuters) -", "2030-03-03"),
        ("March 3, 2030 —", "2030-03-03"),
        ("Monday, 3 March 2030 —", "2030-03-03"),
        ("OSLO, Norway, Oct. 12, 2031 (AP) —", "2031-10-12"),
        ("KYIV, Ukraine (AP) —", None),  # a place and an agency but no date
        ("LONDON, March 3 (Reuters) -", None),  # a month and a day but no year: not completed
    ],
)
def test_a_dateline_in_plain_text_gives_the_date(dateline, expected):
    assert _date(STORY.format(dateline=dateline)) == expected


def test_a_date_in_the_story_is_an_event_not_the_page_date():
    text = STORY.format(dateline="The crossing was shut on March 1, 2030.")
    assert _date(text) is None


def test_a_dateline_with_a_spaced_hyphen_is_a_dateline():
    assert dateline_end("LONDON, March 3 (Reuters) - The bank said") == len("LONDON, March 3 (Reuters) - ")
    assert dateline_end("WILKES-BARRE, Pa. (AP) — The mayor said") is not None
    assert dateline_end("Follow-up - see below") is None
    assert dateline_head("March 3 — The harbour reopened") == "March 3"
    assert dateline_head("The harbour - reopened") is None
    assert dateline_head("Posted on March 14, 2034 by Dmytro K. — 5 Comments") is None


def test_a_dateline_without_a_year_is_reported_as_seen():
    text = STORY.format(dateline="LONDON, March 3 (Reuters) -")
    assert partial_date(text, split_sections(text)) == "March 3"


@pytest.mark.parametrize(
    ("iso", "page", "written"),
    [
        ("2030-01-01", "<footer>© 2030 Harbour News</footer>", False),
        ("2030-03-01", "<p>Archive: March 2030</p>", False),
        ("2030-01-01", '<time datetime="2030-01-01T08:00">', True),
        ("2030-01-01", "<p>Posted 1 January 2030</p>", True),
        ("2030-03-01", "<p>March 1st, 2030</p>", True),
        ("2030-03-01", "<p>1 марта 2030 г.</p>", True),
        ("2030-01-01", "<p>March 1, 2030</p>", False),  # another month's first
        ("2030-03-14", "<p>nothing here</p>", True),  # only a first of the month is a guess
    ],
)
def test_a_first_of_the_month_counts_only_when_the_page_writes_it(iso, page, written):
    assert written_out(iso, page) is written


def test_the_date_is_found_anywhere_in_a_long_page():
    filler = "<p>The archive of 2030 holds 1 map and nothing else.</p>\n" * 10_000
    assert written_out("2030-01-01", filler + "<time>January 1, 2030</time>")
    assert not written_out("2030-01-01", filler + "<time>January 2, 2030</time>")


def test_settle_prefers_the_input_s_own_date_and_warns_when_the_supplied_one_differs():
    assert settle("2030-03-03", None) == ("2030-03-03", None)
    assert settle("2030-03-03", "2030-03-03") == ("2030-03-03", None)
    own, warning = settle("2030-03-03", "2031-01-02")
    assert own == "2030-03-03" and warning is not None and warning.code == "CL-E061"
    assert settle(None, "2031-01-02") == ("2031-01-02", None)
    none, missing = settle(None, None, "2030")
    assert none is None and missing is not None and missing.code == "CL-E060"
    assert "'2030'" in missing.message and "--published" in missing.message


def _html(body: str) -> str:
    return (
        "<html><head><title>Ferry service resumes after storm</title></head><body><article>"
        "<h1>Ferry service resumes after storm</h1>"
        f"{body}"
        "<p>The harbour authority said on Tuesday that 14 ferries would sail again after the storm, "
        "and that about 300 passengers had waited overnight at the terminal building.</p>"
        "<p>“We expect the first boats at noon,” said harbour master Ilse Marquardt, who has run the "
        "port for eleven years and oversees its crews.</p>"
        "<p>Officials said repairs to the north pier would take several weeks to finish.</p>"
        "</article><footer><p>© 2026 Harbour News. All rights reserved.</p></footer></body></html>"
    )


def test_a_copyright_year_is_not_a_publication_date(extract):
    doc = extract(_html("<p>Опубликовано 12 марта 2030</p>"), source="ru-date.html")
    assert doc.status == "ok" and doc.published is None
    codes = [e.code for e in doc.errors]
    assert codes == ["CL-E060"], doc.errors


def test_a_page_without_any_date_is_flagged_and_its_status_stays_ok(extract):
    doc = extract(STORY.format(dateline="KYIV, Ukraine (AP) —"))
    assert doc.status == "ok" and doc.published is None
    assert [e.code for e in doc.errors] == ["CL-E060"]
    assert doc.numbers  # the warning comes with a full extraction


def test_published_supplies_the_date_and_the_page_s_own_date_wins(extract):
    undated = extract(STORY.format(dateline="KYIV, Ukraine (AP) —"), published="2031-05-06")
    assert undated.published == "2031-05-06" and undated.errors == []
    dated = extract(STORY.format(dateline="March 3, 2030 —"), published="2031-05-06")
    assert dated.published == "2030-03-03"
    assert [e.code for e in dated.errors] == ["CL-E061"]
    assert "2031-05-06" in dated.errors[0].message
    container = extract(Record("feed.jsonl:1", STORY.format(dateline=""), published="2029-12-31"))
    assert container.published == "2029-12-31" and container.errors == []


def test_extract_and_ingest_take_published(nlp, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(STORY.format(dateline="KYIV, Ukraine (AP) —"), encoding="utf-8")
    res = CliRunner().invoke(cli, ["extract", str(page), "--published", "2031-05-06"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout.splitlines()[0])["published"] == "2031-05-06"
    db = tmp_path / "ledger.db"
    res = CliRunner().invoke(cli, ["ingest", str(page), "--db", str(db), "--published", "2031-05-06"])
    assert res.exit_code == 0, res.output
    from claimledger.ledger.store import Ledger

    assert {r["published"] for r in Ledger(str(db)).numbers()} == {"2031-05-06"}


@pytest.mark.parametrize("bad", ["2031-5-6", "06/05/2031", "2031-02-30", "yesterday"])
def test_a_bad_published_date_is_a_usage_error(tmp_path, bad):
    page = tmp_path / "page.txt"
    page.write_text("The road is closed.\n", encoding="utf-8")
    for command in (["extract", str(page)], ["ingest", str(page), "--db", str(tmp_path / "x.db")]):
        res = CliRunner().invoke(cli, [*command, "--published", bad])
        assert res.exit_code == 2, res.output
        assert "YYYY-MM-DD" in res.output and not res.stdout.startswith("{")
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            "Паводок в долине\nЛесогорск, 4 апреля 2031 года\nВласти сообщили: эвакуированы 200.\n",
            "2031-04-04",
        ),
        (
            "Повінь у долині\nЛісогірськ, 5 травня 2031 р.\nВлада повідомила: евакуйовано 200.\n",
            "2031-05-05",
        ),
        # A date in the story is an event, and a month name alone completes nothing.
        ("Паводок в долине\nВласти сообщили, что 4 апреля 2031 года эвакуированы 200 жителей.\n", None),
        ("Паводок в долине\nЛесогорск, 4 апреля\nВласти сообщили, что эвакуированы 200 жителей.\n", None),
    ],
)
def test_a_russian_or_ukrainian_dateline_gives_the_date(lines, expected):
    assert _date(lines) == expected


def test_a_cyrillic_page_without_a_date_is_flagged(nlp):
    from claimledger import extract

    doc = extract("Паводок в долине\nВласти сообщили, что эвакуированы 200 жителей.\n")
    assert doc.language == "ru" and doc.published is None
    assert "CL-E060" in [e.code for e in doc.errors]
