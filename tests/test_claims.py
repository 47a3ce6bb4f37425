"""Who claims a figure outside quotes in a blog page: the blogger's commentary or a reader comment,
each told apart by the claimant's description and, when the page gives one, a name."""

from __future__ import annotations

import json

from click.testing import CliRunner

from claimledger.claims import BLOGGER, READER_COMMENT, Voices
from claimledger.cli import cli
from claimledger.model import Claimant, Document
from claimledger.sections import commenter_name, split_sections

BLOG = """Harbour Notes

The ferries are back

I walked down to the docks this morning and counted 15 empty berths along the quay.

Posted by Marta Lindqvist at 4:30 PM

3 comments:

riverguy said...

I counted 12 boats myself this morning and most of them were empty anyway.

May 3, 2030 at 9:12 AM

Anonymous said...

There were at least 25 at the north pier when I walked past at eight this morning.

May 3, 2030 at 10:01 AM

• Jane Holm

Half the town has waited 3 weeks for a crossing, and nobody at the company answers the phone.
"""


def _claimants(doc) -> dict[str, dict]:
    return {n.text: n.claimant.to_dict() for n in doc.numbers}


def test_figures_in_reader_comments_are_claimed_by_each_comment_not_the_blogger(extract):
    doc = extract(BLOG)
    claimants = _claimants(doc)
    own = {"type": "commentary", "id": None}
    assert claimants["15"] == {**own, "name": "Marta Lindqvist", "description": BLOGGER}
    assert claimants["12"] == {**own, "name": "riverguy", "description": READER_COMMENT}
    assert claimants["at least 25"]["name"] is None  # "Anonymous" names nobody
    assert claimants["at least 25"]["description"] == READER_COMMENT
    assert claimants["3"]["name"] == "Jane Holm" and claimants["3"]["type"] == "commentary"
    # A commenter's timestamp is not the page's date.
    assert doc.published is None


def test_the_claimant_survives_the_json_round_trip_and_shows_in_the_text_view(extract, tmp_path):
    doc = extract(BLOG)
    again = Document.from_dict(json.loads(json.dumps(doc.to_dict())))
    assert _claimants(again) == _claimants(doc)
    page = tmp_path / "blog.txt"
    page.write_text(BLOG, encoding="utf-8")
    res = CliRunner().invoke(cli, ["extract", str(page), "--format", "text"])
    assert res.exit_code == 0, res.output
    assert "riverguy (reader comment)" in res.stdout
    assert "Marta Lindqvist (blogger)" in res.stdout


def test_a_blog_without_a_byline_says_blogger():
    text = "A post\n\nI think 40 boats are too many for this little harbour of ours.\n"
    voices = Voices(text, split_sections(text))
    assert voices.claimant(text.index("40"), "commentary") == Claimant("commentary", None, None, BLOGGER)
    assert voices.claimant(text.index("40"), "commentary").label() == BLOGGER


def test_commenter_lines_give_their_names():
    assert commenter_name("• Jane Holm") == "Jane Holm"
    assert commenter_name("Jane Holm says:") == "Jane Holm"
    assert commenter_name("riverguy said...") == "riverguy"
    assert commenter_name("dock_hand9 (1,204 posts)") == "dock_hand9"
    assert commenter_name("Jane Holm on May 3, 2030 at 10:01 pm") == "Jane Holm"
    assert commenter_name("He said...") is None
    assert commenter_name("The harbour reopened on Monday.") is None


RU_THREAD = """Заметки с пристани

Паромы вернулись

Сегодня утром я дошёл до причала и насчитал 15 пустых мест у набережной.

3 comments:

riverguy said...

Я сам насчитал утром 12 лодок, и почти все стояли пустыми.

May 3, 2030 at 9:12 AM
"""


def test_a_figure_in_a_reader_comment_of_a_russian_page_is_that_commenter_s(extract):
    # The Cyrillic analysis asks the same claimant finder as the English one.
    doc = extract(RU_THREAD)
    assert doc.language == "ru"
    assert _claimants(doc)["12"] == {
        "type": "commentary",
        "id": None,
        "name": "riverguy",
        "description": READER_COMMENT,
    }
