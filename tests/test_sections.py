"""Section splitting on invented pages, invariants, and the labelling rules on the gold folder."""

from __future__ import annotations

import itertools
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimledger.model import Section
from claimledger.sections import split_sections
from claimledger.text import normalize
from conftest import gold_pages

BLOG_REPOST = """\
The Quiet Observer
Harbor town braces for record flood season
I came across this wire story this morning and wanted to share part of it:
By MARTA KELLING Associated Press
PORTVALE, Freedonia (AP) — Officials in the harbor town of Portvale said Tuesday that about 2,000 \
residents had been told to prepare for evacuation as the river rose for a third straight day.
"We are doing everything we can to keep people safe," said Dana Whitlock, the town's emergency \
coordinator. "But we need people to listen to the warnings."
Engineers estimate that the levee can hold for at most another week.
...
I have lived near that river my whole life and I have never seen the town this worried. Somebody \
should have fixed that levee years ago.
Comments
Post a Comment
"""

NEWS_PAGE = """\
Drought pushes grain prices to five-year high
By Tomas Ferrante and Lee Ann Rusk, Reuters
Share this
Updated 10:42 AM EST, May 3, 2023
CALVERA, Ostland (Reuters) — Grain prices climbed for a sixth week on Wednesday as a drought across \
the southern plains cut expected harvests by nearly a third, traders said.
Farmers walk through a dry field near Calvera, Ostland, May 2, 2023. (AP Photo/Ines Moravec)
"We have not seen rain since March, and we are running out of options," said Pavel Drozd, who \
farms 300 hectares outside the city.
Advertisement
The agriculture ministry said it would release 50,000 tonnes from state reserves.
burs-ec/dw
(Reporting by Tomas Ferrante; Editing by Lee Ann Rusk)
© 2023 Reuters. All rights reserved.
"""

CITIZEN_MEDIA = """\
Keep independent voices online - donate today!

Watch the video: Who We Are

We are a network of 400 writers in 90 countries, and we rely on your support to keep publishing. \
Please give what you can.

Donate now »
Home › Regions › Ostland

Teachers March Through Capital Over Unpaid Wages

Thousands of teachers marched through the capital on Saturday demanding wages that have gone \
unpaid for four months.

Blogger Mira Sand writes:

Nobody in my family has been paid since winter. We borrow to buy bread.

The education ministry has not commented on the protest.

  • Tomas Wexley

    Same thing is happening in the north, the schools there have been closed for weeks and nobody \
reports it.
"""

PLAIN_NEWS = """\
The regional health authority reported on Friday that 37 new cases had been confirmed in the past \
week, up from 21 the week before.
Officials said most of the new cases were in two villages near the border, and that mobile clinics \
would be sent there.
"We are confident the outbreak can be contained, and we will not rest," a spokeswoman said.
"""

WORDPRESS_THREAD = """\
City council approves new bike lanes
The city council voted 7-2 on Monday to approve a network of protected bike lanes downtown, \
officials said.
The project will cost about $4 million and take two years to complete, according to the \
transportation department.
Share this:
Twitter
Facebook
2 Comments
Ana Ruiz says:
March 6, 2023 at 10:01 pm
Finally! I bike to work every day and this is long overdue.
Reply
bkr_77 says:
March 7, 2023 at 8:30 am
Two years seems optimistic to me.
Reply
Leave a Reply
"""


def kind_of(sections: list[Section], needle: str) -> str:
    """The kind of the section holding the first occurrence of ``needle``."""
    for s in sections:
        if needle in s.text:
            return s.kind
    raise AssertionError(f"{needle!r} is in no section")


def kinds(text: str) -> list[Section]:
    return split_sections(normalize(text))


# --- invented pages ----------------------------------------------------------------------------


def test_blog_repost_with_excerpt_and_conclusion() -> None:
    secs = kinds(BLOG_REPOST)
    assert kind_of(secs, "The Quiet Observer") == "boilerplate"  # masthead above the headline
    assert kind_of(secs, "Harbor town braces") == "headline"
    assert kind_of(secs, "I came across this wire story") == "commentary"
    assert kind_of(secs, "By MARTA KELLING") == "boilerplate"
    assert kind_of(secs, "PORTVALE, Freedonia (AP)") == "body"
    assert kind_of(secs, "We are doing everything") == "body"  # "we" inside quotes is news
    assert kind_of(secs, "Engineers estimate") == "body"
    assert kind_of(secs, "I have lived near that river") == "commentary"
    assert kind_of(secs, "Comments") == "boilerplate"
    assert kind_of(secs, "Post a Comment") == "boilerplate"
    assert [s.kind for s in secs].count("commentary") == 2


def test_news_page_furniture() -> None:
    secs = kinds(NEWS_PAGE)
    assert secs[0].kind == "headline"
    for line in (
        "By Tomas Ferrante",
        "Share this",
        "Updated 10:42 AM",
        "(AP Photo/Ines Moravec)",
        "Advertisement",
        "burs-ec/dw",
        "(Reporting by",
        "All rights reserved",
    ):
        assert kind_of(secs, line) == "boilerplate", line
    for line in ("CALVERA, Ostland", "We have not seen rain", "The agriculture ministry"):
        assert kind_of(secs, line) == "body", line
    assert not any(s.kind in ("commentary", "comments") for s in secs)


def test_citizen_media_banners_headline_and_reader_comment() -> None:
    secs = kinds(CITIZEN_MEDIA)
    for line in ("donate today", "Watch the video", "We are a network of 400", "Donate now", "Regions"):
        assert kind_of(secs, line) == "boilerplate", line
    assert kind_of(secs, "Teachers March Through Capital") == "headline"
    assert kind_of(secs, "Thousands of teachers") == "body"
    assert kind_of(secs, "Blogger Mira Sand writes") == "body"
    assert kind_of(secs, "Nobody in my family") == "body"  # block quote after a cue, not commentary
    assert kind_of(secs, "The education ministry") == "body"
    assert kind_of(secs, "• Tomas Wexley") == "boilerplate"
    assert kind_of(secs, "Same thing is happening") == "comments"


def test_plain_news_without_headline() -> None:
    secs = kinds(PLAIN_NEWS)
    assert [s.kind for s in secs] == ["body"]


def test_wordpress_comment_thread() -> None:
    secs = kinds(WORDPRESS_THREAD)
    assert kind_of(secs, "City council approves") == "headline"
    for line in (
        "Share this:",
        "Twitter",
        "2 Comments",
        "Ana Ruiz says:",
        "March 6, 2023",
        "bkr_77 says:",
        "Reply",
        "Leave a Reply",
    ):
        assert kind_of(secs, line) == "boilerplate", line
    assert kind_of(secs, "Finally! I bike") == "comments"
    assert kind_of(secs, "Two years seems optimistic") == "comments"


def test_first_person_page_has_no_commentary() -> None:
    page = (
        "Why I stopped driving to work\n"
        "I used to spend an hour in traffic every morning. Last spring I decided to try the bus.\n"
        "My commute is now longer, but I read three books a month on the way.\n"
        "The city says ridership rose 12 percent last year.\n"
        "I think more people would switch if the buses ran on time.\n"
        "Comments\n"
    )
    assert not any(s.kind in ("commentary", "comments") for s in kinds(page))


def test_blogger_label_line_is_commentary() -> None:
    page = (
        "Anonymous Quote #1\n"
        '"We were told nothing about where we were going," one recruit said.\n'
        "...\n"
        "I find that hard to believe, but my sources say the same.\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "Anonymous Quote #1") == "commentary"
    assert kind_of(secs, "We were told nothing") == "body"
    assert kind_of(secs, "I find that hard") == "commentary"


def test_news_elisions_without_a_second_voice_stay_body() -> None:
    page = (
        "Officials in the harbor town said Tuesday that about 2,000 residents were told to prepare.\n"
        "[…]\n"
        "The levee, built in 1962, has not been fully repaired since, according to county records.\n"
        "* * *\n"
        "Engineers estimate the levee can hold for another week, the mayor said.\n"
    )
    secs = kinds(page)
    assert [s.kind for s in secs] == ["body", "boilerplate", "body", "boilerplate", "body"]


def test_forum_post_with_pasted_news() -> None:
    page = (
        "Flood levee failing?\n"
        "riverguy (1,204 posts)\n"
        "Anyone else seeing this? From the county paper today:\n"
        "Officials said Tuesday that about 2,000 residents had been told to prepare for evacuation.\n"
        "The levee was built in 1962 and last repaired in 1990, according to the county.\n"
        "Honestly I don't trust the council on this one.\n"
        "Reply With Quote\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "riverguy (1,204 posts)") == "boilerplate"
    assert kind_of(secs, "Anyone else seeing this") == "comments"
    assert kind_of(secs, "Officials said Tuesday") == "body"
    assert kind_of(secs, "Honestly I don't trust") == "comments"
    assert kind_of(secs, "Reply With Quote") == "boilerplate"


@pytest.mark.parametrize(
    "line",
    [
        "By Monday, more than 300 people had fled the town.",
        "Support for the measure fell to 40 percent in the poll.",
        "Two responses to the crisis emerged within a week.",
        "Share prices fell sharply on Tuesday after the announcement.",
        "Sources said 20 people died in the attack on the village.",
        "Fleming said:",
        "The summit will be held in Geneva on June 16, 2031.",
        "The ruling came in Vienna on March 3, 2031.",
        "Update: the council has since said the works will resume in May.",
        "Joined by neighbours, residents filled 2,000 sandbags.",
        "Photographs by residents show the river over the road.",
        "Terms of the deal were not disclosed.",
        "Источник в правительстве сообщил, что работы возобновятся в мае.",
    ],
)
def test_news_sentences_are_not_furniture(line: str) -> None:
    page = f"The town was quiet on Monday as residents returned home, officials said.\n{line}\n"
    assert kind_of(kinds(page), line) == "body"


# --- invariants --------------------------------------------------------------------------------


def check_invariants(text: str, secs: list[Section]) -> None:
    """Ordered, non-overlapping, text = text[start:end], every non-blank line covered exactly once."""
    prev_end = -1
    for s in secs:
        assert s.text == text[s.start : s.end]
        assert s.start > prev_end
        assert s.text == s.text.strip()
        prev_end = s.end
    for m in re.finditer(r"[^\n]+", text):
        if not m.group().strip():
            continue
        holders = [s for s in secs if s.start <= m.start() + len(m.group()) - len(m.group().lstrip()) < s.end]
        assert len(holders) == 1, m.group()
    for a, b in itertools.pairwise(secs):
        assert a.kind != b.kind


@pytest.mark.parametrize("page", [BLOG_REPOST, NEWS_PAGE, CITIZEN_MEDIA, PLAIN_NEWS, WORDPRESS_THREAD])
def test_invariants_on_pages(page: str) -> None:
    text = normalize(page)
    check_invariants(text, split_sections(text))


_LINES = st.lists(
    st.sampled_from(
        [
            "",
            "   ",
            "...",
            "Comments",
            "• Jane Doe",
            "By JANE DOE",
            "Share this",
            "I think so.",
            "Headline about a big event",
            "Officials said 20 people died on Monday in the town.",
            '"We will rebuild," the mayor said.',
            "Jane says:",
            "May 3, 2023 at 10:01 pm",
            "x" * 300,
        ]
    ),
    max_size=30,
)


@given(_LINES)
def test_invariants_property(lines: list[str]) -> None:
    text = "\n".join(lines)
    check_invariants(text, split_sections(text))


def test_empty_and_blank_text() -> None:
    assert split_sections("") == []
    assert split_sections("\n \n\t\n") == []


def test_huge_line_is_fast() -> None:
    text = "Headline of a long page\n" + "word " * 200_000 + "\n" + "I said it. " * 100_000 + "\n...\n"
    t0 = time.perf_counter()
    secs = split_sections(text)
    assert time.perf_counter() - t0 < 2.0
    check_invariants(text, secs)


# --- the gold folder ---------------------------------------------------------------------------


def _tokens(s: str) -> list[str]:
    """Word tokens as /work/shared/score.py counts them."""
    return [t.lower().replace("’", "'") for t in re.findall(r"[\w']+", s.replace("’", "'"))]


def _token_f1(a: str, b: str) -> float:
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    pool, common = list(tb), 0
    for t in ta:
        if t in pool:
            pool.remove(t)
            common += 1
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


@pytest.mark.requires_shared
@pytest.mark.parametrize("page", gold_pages(), ids=lambda p: p.stem)
def test_gold_labels(page: Path) -> None:
    text = normalize(page.read_text(encoding="utf-8"))
    labels = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    secs = split_sections(text)
    check_invariants(text, secs)
    article = [s for s in secs if s.kind in ("body", "headline")]
    for line in labels.get("boilerplate") or []:
        for s in article:
            assert not any(ln.strip() == line.strip() for ln in s.text.split("\n")), line
    gold_comm = labels.get("commentary")
    pred_comm = " ".join(s.text for s in secs if s.kind in ("commentary", "comments"))
    if gold_comm is None:
        assert not pred_comm
    else:
        gold_text = " ".join(gold_comm) if isinstance(gold_comm, list) else gold_comm
        assert _token_f1(gold_text, pred_comm) >= 0.8


def test_dated_commenter_lines_and_counted_thread_header() -> None:
    page = (
        "Ferry service to resume after storm\n"
        "The ferry operator said service between the islands would resume on Thursday.\n"
        "'I was stuck here for three days,' one passenger told reporters at the dock.\n"
        "3 thoughts on “Ferry service to resume after storm”\n"
        "Marta Lind on May 5, 2023 at 6:12 pm\n"
        "About time. I missed two shifts because of this.\n"
        "Reply\n"
        "Olaf on May 5, 2023 at 7:40 pm\n"
        "The operator should have warned people earlier.\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "'I was stuck here") == "body"  # first person inside single quotes
    assert kind_of(secs, "3 thoughts on") == "boilerplate"
    assert kind_of(secs, "Marta Lind on May 5") == "boilerplate"
    assert kind_of(secs, "About time.") == "comments"
    assert kind_of(secs, "Olaf on May 5") == "boilerplate"
    assert kind_of(secs, "The operator should") == "comments"


@pytest.mark.parametrize(
    "line",
    [
        "Updated 7:15 AM GMT+2, March 14, 2031",
        "4 min read",
        "Page 3 of 7",
        "#41",
        "Join Date: Mar 2027",
        "Posts: 2,114",
        "Senior Member",
        "Originally Posted by kestrel_9",
        "Last edited by kestrel_9; today",
        "Related Topics",
        "More on this story",
        "Please log in to comment",
        "Share to X",
    ],
)
def test_more_furniture_lines(line):
    prose = "The regional council said the works would resume in May."
    page = f"Dam repairs stall as winter nears\n{line}\n{prose}\n"
    kinds = {s.text.strip(): s.kind for s in split_sections(page)}
    assert kinds.get(line) == "boilerplate", kinds


# --- page styles: forums, syndication, press releases, live blogs, blogs with `>` excerpts -----


def test_forum_thread_headers_title_and_signature() -> None:
    page = (
        "Lakeside Anglers Board\n"
        "Boards › Regional › Water levels\n"
        "Reservoir closed to boats again?\n"
        "Post #1\n"
        "2 Apr 2031, 7:15 am\n"
        "pikehunter\n"
        "Veteran\n"
        "Joined: May 2022\n"
        "Posts: 3,004\n"
        "Saw this in the county paper, here is the gist:\n"
        "Reservoir closed to boats as levels drop\n"
        "By Ada Moreno\n"
        "The water board closed the reservoir to boats on Monday, a spokesman said on Tuesday.\n"
        '"Levels are the lowest we have recorded," said Ivo Brandt, the board\'s chief engineer.\n'
        "The board runs 14 pumping stations across the county and employs 90 staff.\n"
        "I fished there last week and it looked fine to me.\n"
        "--\n"
        "pikehunter | tight lines\n"
        "Reply   Quote\n"
        "Post #2\n"
        "2 Apr 2031, 9:02 am\n"
        "reedwarbler\n"
        "Newbie\n"
        "Joined: Mar 2031\n"
        "Posts: 4\n"
        "My cousin works at the dam and says it will reopen in May.\n"
        "Like | Quote | Report\n"
        "All times are GMT. The time now is 10:00 am.\n"
    )
    secs = kinds(page)
    for line in ("Lakeside Anglers Board", "pikehunter", "Veteran", "Joined: May 2022", "Post #2", "Newbie"):
        assert kind_of(secs, line) == "boilerplate", line
    assert kind_of(secs, "Reservoir closed to boats again?") == "commentary"  # the member's thread title
    assert kind_of(secs, "Saw this in the county paper") == "comments"
    assert kind_of(secs, "Reservoir closed to boats as levels drop") == "body"  # the pasted story's title
    assert kind_of(secs, "The water board closed") == "body"
    assert kind_of(secs, "The board runs 14 pumping") == "body"  # unattributed, but part of the paste
    assert kind_of(secs, "I fished there last week") == "comments"
    assert kind_of(secs, "pikehunter | tight lines") == "boilerplate"  # signature after "--"
    assert kind_of(secs, "Reply   Quote") == "boilerplate"
    assert kind_of(secs, "My cousin works at the dam") == "comments"
    assert kind_of(secs, "Like | Quote | Report") == "boilerplate"
    assert kind_of(secs, "All times are GMT") == "boilerplate"


def test_syndication_page_furniture() -> None:
    page = (
        "Wirefeed\n"
        "Skip to main content\n"
        "We use cookies to personalise content. By continuing you agree to our use of cookies. Accept\n"
        "Syndicated from The Harbour Times\n"
        "Port strike ends after nine days as dockers accept offer\n"
        "By Mina Okafor | The Harbour Times\n"
        "Published 3 June 2030 · Updated 4 June 2030 · 4 min read\n"
        "Dockers at the port voted to accept a 6% pay offer on Monday, ending a nine-day strike, "
        "their union said.\n"
        "Related stories\n"
        "Port strike enters second week\n"
        "Shipping lines divert to the north\n"
        "About 2,000 dockers took part in the vote, the union said.\n"
        "Mina Okafor is The Harbour Times' labour correspondent. She has covered the port for 9 years.\n"
        "Most read\n"
        "1. Storm warning for the coast\n"
        "2. Council tax to rise by 4%\n"
        "Get our morning briefing straight to your inbox.\n"
    )
    secs = kinds(page)
    for line in (
        "Wirefeed",
        "We use cookies",
        "Syndicated from",
        "Published 3 June 2030",
        "Port strike enters second week",
        "Shipping lines divert",
        "Mina Okafor is The Harbour Times",
        "1. Storm warning",
        "2. Council tax",
        "Get our morning briefing",
    ):
        assert kind_of(secs, line) == "boilerplate", line
    assert kind_of(secs, "Port strike ends after nine days") == "headline"
    assert kind_of(secs, "About 2,000 dockers") == "body"  # prose after a link list is the article again


def test_press_release_trailer_and_notes() -> None:
    page = (
        "FOR IMMEDIATE RELEASE\n"
        "River trust finds plastic in half of sampled fish\n"
        "The Greenway River Trust said on Monday that half of the 300 fish it sampled had swallowed "
        "plastic fragments.\n"
        '"This should worry anyone who eats river fish," said Pia Lund, the trust\'s director.\n'
        "-ENDS-\n"
        "Notes to editors\n"
        "1. The report is available on the trust's website.\n"
        "About the Greenway River Trust\n"
        "The trust was founded in 1998 and works with 40 schools.\n"
        "Media contact\n"
        "Jon Berg, press officer\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "The Greenway River Trust said") == "body"
    for line in ("-ENDS-", "Notes to editors", "1. The report", "About the Greenway", "in 1998", "Jon Berg"):
        assert kind_of(secs, line) == "boilerplate", line


def test_about_heading_with_a_long_section_is_article_text() -> None:
    page = (
        "Why the valley floods\n"
        "The valley has flooded four times in ten years, the water board said on Monday.\n"
        "About The River\n"
        "The river rises in the hills and drops 300 metres in 20 kilometres.\n"
        "Its bed has silted up since the dam was built, engineers said.\n"
        "Heavy rain now runs off faster than before, they said.\n"
        "The board wants to dredge the lower reaches next year.\n"
        "Residents said they had been asking for that for a decade.\n"
    )
    assert kind_of(kinds(page), "The river rises in the hills") == "body"


def test_live_blog_keeps_headline_and_key_points() -> None:
    page = (
        "Valley News Today\n"
        "LIVE\n"
        "Storm floods valley towns as rivers burst banks\n"
        "Edited by Rae Quist\n"
        "Key points\n"
        "About 500 homes evacuated, police say\n"
        "Two bridges closed\n"
        "Live updates\n"
        "10:42\n"
        "Police said about 500 homes had been evacuated overnight in three towns along the river.\n"
        "Share\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "Storm floods valley towns") == "headline"
    for line in ("Valley News Today", "LIVE", "Edited by Rae Quist", "Key points", "Live updates", "10:42"):
        assert kind_of(secs, line) == "boilerplate", line
    assert kind_of(secs, "About 500 homes evacuated") == "body"
    assert kind_of(secs, "Two bridges closed") == "body"


def test_blog_with_quoted_excerpt_has_blogger_title_and_intro() -> None:
    page = (
        "The Slow Reader\n"
        "Home · About · Archive\n"
        "Another week, another promise\n"
        "March 2, 2031 by quillpen\n"
        "The ministry told us in January the repairs would be done by spring. From today's wire:\n"
        "> Bridge repairs delayed again, ministry says\n"
        "> By Lars Veen, Nordwire\n"
        "> The transport ministry said on Monday that repairs to the Elm bridge would take until "
        "autumn, citing a shortage of steel.\n"
        "> [...]\n"
        "> Traffic has been diverted through the town centre since November, the council said.\n"
        "I cross that bridge every day and I will believe it when I see it.\n"
        "Comments\n"
        "Post a Comment\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "Another week, another promise") == "commentary"  # the excerpt has its own title
    assert kind_of(secs, "March 2, 2031 by quillpen") == "boilerplate"
    assert kind_of(secs, "The ministry told us in January") == "commentary"
    assert kind_of(secs, "> Bridge repairs delayed again") == "body"
    assert kind_of(secs, "> By Lars Veen") == "boilerplate"
    assert kind_of(secs, "> [...]") == "boilerplate"
    assert kind_of(secs, "> The transport ministry said") == "body"
    assert kind_of(secs, "I cross that bridge") == "commentary"


@pytest.mark.parametrize(
    "line",
    [
        "This interview has been edited for length and clarity.",
        "This investigation was supported by a grant from the Open Water Fund.",
        "The views expressed are the author's own.",
        "Residents wade through a flooded street in Varn on Monday. (NW Photo/Ilse Dahl)",
        "Reply   Quote",
        "Post #12",
        "Joined: Jan 2030",
        # B1-B4 on real pages: service notices, age banners, dated captions, identifiers, links
        "We're sorry, this feature is currently unavailable. Please try again later.",
        "This was published 9 years ago",
        "Your session has timed out due to inactivity. Click here to go back close",
        "Mayor Ilse Dahl speaks to reporters after the vote in Varn on March 3, 2031.",
        "Photo, Caption follows.A rescuer carries a child across the river. Valley Herald photo",
        "Story Code : 40411",
        "https://example.org/news/dam-repairs-stall.html",
        "View Full Version : Dam repairs stall",
        "Watch NWTV Live",
        "The Associated Press",
        "Loading... Share No Thanks",
        "Читайте також Новий міст через річку відкриють навесні",
        "Коллаж «Речных новостей»",
        "Фото: Анна Лис",
        "For more from the Valley Herald, download our app for iOS or Android.",
        "Already have an account? Sign in",
        "author avatar",
        "Send us your story ideas and photos",
        "This article contains affiliate links; we may earn a commission.",
        "Switch to desktop version",
        "Read more at Dam repairs stall as winter nears",
        "FILE - In this March 3, 2031 file photo, rescuers carry a boat past the weir. (NW Photo/Ilse Dahl)",
        "{{ author.name }} · {{ published_at }}",
        "If this is your first visit, be sure to check out the FAQ by clicking the link above.",
        "- Joined",
        "Messages",
        "- Joined Mar 2031",
        "- Messages 4,210",
        "Sign in to your account to keep reading",
        "Create a free account to read on",
        "Welcome to the Varn Valley Forums! Please read the rules before posting.",
        "Thanks for reading River Notes! Subscribe for free to get new posts.",
        "Photographs by Ilse Dahl",
        "Cite as: Dahl, I. (2031). Dams and Drought. Working Paper 4.",
        "Authors: Ilse Dahl, Jonah Wells",
        "This article appears in the May 2031 issue with the headline “Low Water.”",
        "A ferry waits at the empty landing in Varn. (Ilse Dahl for the Valley Herald)",
        "Residents fill sandbags on the quay on Sunday. Picture: Ilse Dahl",
        "May 2031 issue · 12 min read",
        "Privacy ∙ Terms ∙ Collection notice",
        "214",
    ],
)
def test_notes_captions_and_forum_fields_are_furniture(line: str) -> None:
    prose = "The regional council said the works would resume in May."
    page = f"Dam repairs stall as winter nears\n{prose}\n{line}\n{prose}\n"
    assert {s.text.strip(): s.kind for s in split_sections(page)}.get(line) == "boilerplate"


def test_byline_name_above_a_role_line() -> None:
    page = (
        "Eleven killed in mountain ambush, army says\n"
        "Jonah Wells\n"
        "Defence correspondent, Varn\n"
        "Eleven soldiers were killed when their convoy was ambushed, the army said on Monday.\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "Eleven killed in mountain ambush") == "headline"
    assert kind_of(secs, "Jonah Wells") == "boilerplate"
    assert kind_of(secs, "Defence correspondent") == "boilerplate"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published 3 June 2030 · Updated 4 June 2030 · 4 min read", "2030-06-03"),
        ("March 2, 2031 by quillpen", "2031-03-02"),
    ],
)
def test_publication_date_from_a_meta_line(line: str, expected: str) -> None:
    from claimledger.published import find_published

    prose = "Dockers voted to accept the offer on Monday, the union said."
    page = f"Port strike ends after nine days\n{line}\n{prose}\n"
    assert find_published(page, split_sections(page)) == expected


def test_one_posts_counter_does_not_make_a_forum() -> None:
    page = (
        "Council approves new library\n"
        "Posts: 120\n"
        "The council voted on Monday to build a new library on Mill Street, officials said.\n"
        "The library will cost about $4 million and open in two years, the mayor said.\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "Council approves new library") == "headline"
    assert kind_of(secs, "The council voted") == "body"
    assert kind_of(secs, "The library will cost") == "body"


def test_wordpress_repost_with_interjections_and_slash_breadcrumb() -> None:
    text = (
        "Home / Dispatches / Eastern front\n"
        "Why this one matters\n"
        "I rarely repost whole wire stories, but this one deserves to be read in full, so here it is.\n"
        "Ferry services resume across the Vask estuary\n"
        "By Mila Torr, North Wire\n"
        "Ferries crossed the Vask estuary on Monday, the first time in six weeks, the port authority said.\n"
        "[Six weeks. The ministry had promised two. Keep that in mind.]\n"
        "About 40 passengers were aboard the first crossing, officials said.\n"
        "Click to share on Facebook (Opens in new window)\n"
        "Like Loading...\n"
        "This entry was posted in Dispatches. Bookmark the permalink.\n"
    )
    kinds = {line: s.kind for s in split_sections(text) for line in s.text.split("\n") if line.strip()}
    assert kinds["Home / Dispatches / Eastern front"] == "boilerplate"
    assert kinds["Why this one matters"] == "commentary"  # the blogger's title above the wire headline
    assert kinds["Ferry services resume across the Vask estuary"] in ("body", "headline")
    assert kinds["[Six weeks. The ministry had promised two. Keep that in mind.]"] == "commentary"
    for furniture in ("Like Loading...", "Click to share on Facebook (Opens in new window)"):
        assert kinds[furniture] == "boilerplate"
    assert kinds["This entry was posted in Dispatches. Bookmark the permalink."] == "boilerplate"


# --- the page's layers on real-page shapes (issue 18) ------------------------------------------

BLOG_INTERLEAVED = """\
Where Did All The Grain Go
Note: this post will not win me many friends, but somebody has to say it…
We have all seen the pictures of the empty silos along the northern railway this winter.
The reports say….
The number of grain wagons stuck at the border is now 4,120, the rail operator said on Monday, \
with more than 900 of them loaded with wheat.
"We have never seen a backlog like this in forty years," operator spokesman Tarek Hollis told reporters.
The council is drawing up a plan to buy the grain back….
The options would not cover the whole harvest, but the council believes most farmers would accept.
Agriculture minister Lina Obst declared last week that no farmer would be left without payment.
Under the council's proposals, the wagons would be unloaded at two inland depots over the spring.
Of course the council has done what it always does…throw money at it…sadly that never moves a wagon.
Farmers can expect about $40 million in payments to reach them by June….
"""


def test_blogger_lines_around_pasted_news_without_elisions() -> None:
    secs = kinds(BLOG_INTERLEAVED)
    for line in (
        "Where Did All The Grain Go",
        "Note: this post",
        "We have all seen",
        "The reports say",
        "The council is drawing up",
        "Of course the council",
        "Farmers can expect",
    ):
        assert kind_of(secs, line) == "commentary", line
    for line in (
        "The number of grain wagons",
        '"We have never seen',
        "The options would not",
        "Agriculture minister Lina Obst",
        "Under the council's proposals",
    ):
        assert kind_of(secs, line) == "body", line


BLOG_TAIL = """\
Forty Thousand Have Left The Valley
Another fine result of our river policy
Forty thousand people uprooted in a single season.
The number of people who have left the Sallow valley since the floods began reached 40,000 on \
Friday, the regional refugee office said.
About half of them are children, and most have moved to relatives in the capital, officials said.
Please read that last sentence again. "Moved to relatives." Really? Would anyone write that if \
it were their own family sleeping on a cousin's floor?
I suppose I am still angry that the water authority said in March that the weir would hold \
through the spring.
"""


def test_blog_title_deck_and_closing_lines_are_commentary() -> None:
    secs = kinds(BLOG_TAIL)
    for line in ("Forty Thousand Have Left", "Another fine result", "Please read that", "I suppose I am"):
        assert kind_of(secs, line) == "commentary", line
    for line in ("Forty thousand people uprooted", "The number of people", "About half of them"):
        assert kind_of(secs, line) == "body", line


def test_one_first_person_line_in_a_news_story_is_not_commentary() -> None:
    page = (
        "Counting the flood dead\n"
        "The regional office said on Monday that 40 people had died in the floods.\n"
        "The water authority reported 12 more deaths in the upper valley, officials said.\n"
        "Amid such confusion, which number should we trust? I spoke to the office's director, who said "
        "the count would be revised.\n"
    )
    assert not any(s.kind in ("commentary", "comments") for s in split_sections(page))


def test_op_ed_with_questions_is_not_commentary() -> None:
    page = (
        "The weir we cannot afford to lose\n"
        "When the council voted to rebuild the weir, I was one of the few engineers who said it was too "
        "small. Why did nobody listen to us?\n"
        "The council said last week that the bill had reached 90 million.\n"
        "I have some sympathy with the council leader, and I know how hard these choices are for a "
        "small town with a shrinking budget.\n"
        "What would you do with 90 million and a river that keeps rising every spring?\n"
        "The water authority said repairs would take three more years.\n"
    )
    assert not any(s.kind in ("commentary", "comments") for s in split_sections(page))


def test_forum_paste_with_signed_note_and_link_lines() -> None:
    page = (
        "PDA\n"
        "View Full Version : Valley flood toll rises\n"
        "kestrel_9\n"
        "03-14-2031, 10:52 PM\n"
        "Valley flood toll rises to 40\n"
        "https://example.org/news/valley-flood-toll\n"
        "(kestrel_9: I can't even imagine what it is like there tonight... thoughts with everyone.)\n"
        "The regional office says at least 40 people have died in the floods in the Sallow valley.\n"
        "Another 120 people are believed to be injured, said civil defence spokesman Aron Dahl.\n"
    )
    secs = kinds(page)
    for line in ("PDA", "View Full Version", "kestrel_9\n", "https://example.org"):
        assert kind_of(secs, line.strip()) == "boilerplate", line
    assert kind_of(secs, "(kestrel_9:") == "commentary"
    assert kind_of(secs, "The regional office says") == "body"
    assert kind_of(secs, "Valley flood toll rises to 40") in ("headline", "body")


def test_inline_story_link_and_appeal_above_a_dateline() -> None:
    page = (
        "The Valley Herald has begun a flood-relief effort, Valley Neighbours Fund.\n"
        "Donations can be sent directly to the newspaper and will be passed to the Red Cross.\n"
        "CORRIN, Ost.-The water came at night. Nine people died in the town, the mayor said.\n"
        "Opinion: Why the weir failed\n"
        "The regional office said at least 40 people had died across the valley.\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "The Valley Herald has begun") == "boilerplate"
    assert kind_of(secs, "Donations can be sent") == "boilerplate"
    assert kind_of(secs, "CORRIN, Ost.") == "body"
    assert kind_of(secs, "Opinion: Why the weir failed") == "boilerplate"


def test_news_analysis_with_rhetorical_questions_and_an_aside_is_not_commentary() -> None:
    page = (
        "What's next for the governor after the recall\n"
        "Her campaign has been more successful than almost anyone had predicted. But what now? Will the "
        "reformer who ran against the party machine now turn to raising money for it?\n"
        "The party chairman said on Tuesday that talks with her campaign had begun.\n"
        "Aides told reporters that she would decide by the end of the month.\n"
        "As I noted last week, the party has rarely forgiven a rebel so quickly, and the donors who "
        "backed the recall are already asking for their seats on the committee back.\n"
        "The committee said it would meet in June to set the rules for the next primary season.\n"
        "Her spokesman said she had no plans to endorse anyone before the convention.\n"
    )
    assert not any(s.kind in ("commentary", "comments") for s in split_sections(page))


def test_roundup_reactions_labelled_my_take_are_commentary() -> None:
    page = (
        "Weekend roundup: ferries, floods and a fare rise\n"
        "Three things from this week that deserve more attention, with a line or so from me on each.\n"
        "1. The ferry that never sailed\n"
        "The harbour board said on Monday that the new ferry would not enter service before next spring.\n"
        "My take: this is the third delay in a year, and nobody at the board has yet explained why.\n"
        "2. The fare rise\n"
        "The transport authority announced that bus fares would rise by 12 percent from July.\n"
        "My take: twelve percent, in a year when wages rose by three. Somebody should have to answer.\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "My take: this is the third") == "commentary"
    assert kind_of(secs, "My take: twelve percent") == "commentary"
    assert kind_of(secs, "The transport authority announced") == "body"


OWN_BLOG_POST = """\
Counting the uncounted
Last spring the regional office put the flood toll at 40, and the water authority called that figure \
alarmist at the time.
Now the authority itself is citing a survey that estimates 65 deaths in the valley since March.
These arguments about numbers are tiresome, but they matter. A toll that is too low lets everyone \
off the hook.
fn1. I'll leave it to the hydrologists to explain the difference between the two survey periods.
12 thoughts on “Counting the uncounted”
1. I spoke to a rescuer last week who thought both figures were far too low.
"""


def test_blog_post_without_a_repost_is_the_bloggers_own_text() -> None:
    secs = kinds(OWN_BLOG_POST)
    for line in ("Counting the uncounted\n", "Last spring", "Now the authority", "These arguments", "fn1."):
        assert kind_of(secs, line.strip()) == "commentary", line
    assert kind_of(secs, "12 thoughts on") == "boilerplate"
    assert kind_of(secs, "1. I spoke to a rescuer") == "comments"


def test_blog_post_with_a_dated_excerpt_is_not_all_commentary() -> None:
    page = OWN_BLOG_POST.replace(
        "Now the authority itself",
        "CORRIN, Ostland (AP) — The water authority said on Monday that 65 people had died.\n"
        "Now the authority itself",
    )
    secs = kinds(page)
    assert kind_of(secs, "CORRIN, Ostland (AP)") == "body"


def test_blog_title_printed_above_the_post_footer_is_commentary() -> None:
    page = (
        "Army says soldier dies in river crossing\n"
        "The Associated Press\n"
        "CORRIN - The army says a soldier has drowned while crossing the Sallow river on Saturday.\n"
        "The death raises to at least 40 the number of soldiers who have died in the valley since March.\n"
        "Sunday, March 9, 2031\n"
        "ONLY ONE PAPER IN THE COUNTRY CARRIED THIS STORY\n"
        "Posted by Greta Holm at 4:30 PM\n"
        "2 comments:\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "ONLY ONE PAPER") == "commentary"
    assert kind_of(secs, "Army says soldier dies") == "headline"
    assert kind_of(secs, "The death raises") == "body"


def test_writes_intro_at_the_top_of_a_repost() -> None:
    page = (
        "This is no longer a choice\n"
        "The ministry stopped recruiting in the camps last month, whatever its reasons.\n"
        "Here is what Vera Lind writes on her channel.\n"
        "For half a year I have cursed the men who sign up from the camps. But there are others too.\n"
        "From the camp at Salva our correspondents report that 40 men were taken last week.\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "The ministry stopped recruiting") == "commentary"
    assert kind_of(secs, "Here is what Vera Lind writes") == "commentary"
    assert kind_of(secs, "For half a year I have cursed") == "body"
    assert kind_of(secs, "From the camp at Salva") == "body"


def test_forum_member_block_and_repeated_author_name() -> None:
    page = (
        "Valley flood toll rises to 40\n"
        "By Ilse Dahl\n"
        "The regional office said on Monday that at least 40 people had died in the floods.\n"
        "Ilse Dahl\n"
        "kestrel_9\n"
        "03-14-2031, 10:52 PM\n"
        "Joined\n"
        "Mar 3, 2021\n"
        "Messages\n"
        "1,204\n"
        "Terrible news. My cousin lives in Corrin and says the water is still rising.\n"
    )
    secs = kinds(page)
    for line in ("Ilse Dahl\nkestrel_9", "kestrel_9", "Joined", "Messages", "1,204"):
        assert kind_of(secs, line) == "boilerplate", line
    assert kind_of(secs, "The regional office said") == "body"


def test_comments_signed_after_their_text() -> None:
    page = (
        "Valley flood toll rises to 40\n"
        "The regional office said on Monday that at least 40 people had died in the floods.\n"
        "Posted by Greta Holm at 09:15 AM\n"
        "Comments\n"
        "I drove through Corrin yesterday and the water was still at the church steps.\n"
        "Nobody from the council has been down there since the weekend.\n"
        "Posted by: Ola Strand | March 3, 2031 at 10:01 PM\n"
        "The count will go up, mark my words.\n"
        "Posted by: kestrel_9 | March 4, 2031 at 08:12 AM\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "I drove through Corrin") == "comments"
    assert kind_of(secs, "Nobody from the council") == "comments"
    assert kind_of(secs, "The count will go up") == "comments"
    assert kind_of(secs, "Posted by: Ola Strand") == "boilerplate"
    assert kind_of(secs, "The regional office said") == "body"


def test_editor_remark_after_a_read_more_link() -> None:
    page = (
        "Valley flood toll rises to 40\n"
        "The regional office said on Monday that at least 40 people had died in the floods.\n"
        "The water authority said the weir had been inspected in March.\n"
        "Read more: Valley flood toll rises\n"
        "Editor: So the authority knew about the weir in March, and did nothing for two months.\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "Editor: So the authority knew") == "commentary"
    assert kind_of(secs, "The water authority said") == "body"


def test_editor_credit_is_not_a_remark() -> None:
    page = (
        "Valley flood toll rises to 40\n"
        "The regional office said on Monday that at least 40 people had died in the floods.\n"
        "Editor: Jane Doe\n"
    )
    assert not any(s.kind in ("commentary", "comments") for s in kinds(page))


def test_read_more_link_ends_the_excerpt_and_from_lead_opens_it() -> None:
    page = (
        "River Notes\n"
        "Valley flood toll rises to 40\n"
        "From the Valley Herald:\n"
        "The regional office said on Monday that at least 40 people had died in the floods.\n"
        "The water authority said the weir had been inspected in March.\n"
        "Read more at the Valley Herald\n"
        "I have lived by that weir for thirty years and I have never seen it this low.\n"
    )
    secs = kinds(page)
    assert kind_of(secs, "From the Valley Herald:") == "commentary"
    assert kind_of(secs, "The regional office said") == "body"
    assert kind_of(secs, "I have lived by that weir") == "commentary"
    assert kind_of(secs, "Read more at") == "boilerplate"


def test_link_aggregator_thread_furniture() -> None:
    page = (
        "r/ValleyWatch\n"
        "Posted by u/kestrel_9 · 8h\n"
        "Flood office finally admits 40 dead. Locals say it is at least double that.\n"
        "valleyherald.example/news/flood-toll-rises\n"
        "The Herald is paywalled so I'm pasting the main paragraphs. My cousin lives in Corrin.\n"
        "Valley flood toll rises to 40\n"
        "By Ilse Dahl, Valley Herald\n"
        "The regional office said on Monday that at least 40 people had died in the floods.\n"
        "1.2k\n"
        "214 comments\n"
        "Sort by: Best\n"
        "level 1\n"
        "Ostap_K\n"
        "· 7h\n"
        "The council figure is the one I'd watch. Nobody in the lower villages has been counted.\n"
        "412 points\n"
        "Reply Share Report Save Follow\n"
        "level 2\n"
        "grey_heron\n"
        "OP · 3h\n"
        "My cousin says the same.\n"
        "Score hidden\n"
        "[deleted]\n"
        "View more comments\n"
    )
    secs = kinds(page)
    for line in (
        "valleyherald.example",
        "1.2k",
        "Sort by: Best",
        "level 1",
        "Ostap_K",
        "412 points",
        "Reply Share Report",
        "grey_heron",
        "OP · 3h",
        "Score hidden",
        "[deleted]",
        "View more comments",
    ):
        assert kind_of(secs, line) == "boilerplate", line
    assert kind_of(secs, "The Herald is paywalled") != "boilerplate"
    assert kind_of(secs, "The council figure") == "comments"
    assert kind_of(secs, "The regional office said") == "body"
