"""Split a page's normalised text into headline, body, commentary, comments and boilerplate.

Lines are the unit: every non-blank line gets exactly one kind, and consecutive non-blank lines of
the same kind merge into one :class:`~claimledger.model.Section`. The labelling follows
``gold/README.md`` ("Commentary and boilerplate"). The passes, in order:

1. **Furniture** (``boilerplate``): whole lines matched by the lexicons and predicates below
   (navigation, share and comment widgets, captions and credits, bylines, dates, counters,
   agency slugs, copyright, elision lines, commenter-name lines, cookie and newsletter banners,
   editor's notes, forum buttons, meta lines such as "Published … · 5 min read"); a leading
   e-mail quote mark ("> By Jane Doe") does not hide a line's furniture.
   Then furniture known from its neighbours: a site name above a menu, the links under
   "Related stories"/"Most read", a signature after "--", a "Name / Defence correspondent"
   byline, the byline author's bio ("Jane Doe is …"), a press release's trailer ("-ENDS-",
   "Notes to editors", "About the X Trust", "Media contact"), the user name and rank lines
   of forum post headers ("Joined: …", "Posts: …") and the values under bare header labels, a
   handle alone above its timestamp, the author's name alone again, "Opinion: …" links set
   inside the story, and a site's appeal paragraphs right above the story's dateline.
2. **Headline**: the first title-like line followed by article prose. If the page opens with
   furniture, a banner appeal or a short non-prose line (a masthead such as a blog's name), the
   headline may come later and everything before it is page chrome (``boilerplate``); a page
   that opens with prose has no headline. A live blog's "Key points" list may sit between the
   headline and the prose. On a forum thread the title above the first post header is the
   opening member's (commentary).
3. **Comments**: lines after a commenter-name line (up to the next furniture line), and lines
   inside a comment thread opened by a thread header ("12 Comments", "Leave a Reply") that
   follows article prose and either counts comments or is followed by a commenter line or a
   timestamp, up to a thread-end line ("<< Home", "Older Post", copyright); on a forum, every
   member post after a post header. Two or more consecutive long comment paragraphs in the
   reported voice are news pasted into a post and go back to body, with the pasted story's
   headline and its unattributed, opinion-free paragraphs that follow.
4. **Commentary**: a blogger's text next to an excerpt boundary. Anchors are: just after and
   just before an elision line ("...", "[…]", "* * *") or a blogger's label line ("Anonymous
   Quote #1"); just before a comment widget (the text between the article's end and the
   comments); and the start of the page when an excerpt obviously starts right after. From
   each anchor a run of lines grows away from it, stopping at furniture, the headline and at
   lines in the reported voice (attribution cues, quotation marks, datelines). The run is
   commentary when it has a line in the first-person singular outside quotation marks (block
   quotes after a "writes:" cue do not count), or - for the text after the last elision that
   ends the page - at least two opinion markers and no reported line. A line ending in ":"
   right above a reposted excerpt ("> …" lines, or a quoted headline and byline) is the
   reposter's framing whatever its verbs; when the excerpt has its own headline, the page's
   title is the blogger's too. If the rest of the page is itself mostly first-person (an op-ed
   or diary), there is no contrast of voices and nothing is commentary.
   Without any elision or label (real blogs rarely mark the cut), the voice layers: lines in the
   blogger's voice (first person, a question put to the reader, a line trailing off in "…",
   stacked opinion markers) where a reposter writes - at the top, at the end, as short lead-ins
   above a news paragraph, as "My take:" reactions - with the plain lines between two of them,
   on a page that also has news paragraphs; if that voice also turns up inside the story, the
   page is the writer's own piece and has none. Also commentary: "Here is what X writes" intros,
   signed bracketed notes ("(riverguy: …)"), "Editor: …" remarks, a blog title printed above its
   "Posted by … at …" footer, and the whole post when a blog post reposts nothing and a thread
   header names it ("37 thoughts on “…”").
5. Everything else is **body**.

Every rule lives in the named lexicons and predicates of this module. Regexes only ever see a
line cut to :data:`MAX_PROBE_CHARS`, and none has nested quantifiers.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .lexicons import load
from .model import Section, SectionKind

__all__ = ["split_sections"]

#: The word lists of this module are data: ``claimledger/lexicons/en/sections.toml`` (each with its why).
_EN = load("en")
# Quotation marks by role, from the lexicon the quote-mark scanner reads too (page structure is
# found without the language pipeline, so not from claimledger.nlp).
_MARKS = load("common")
DOUBLE_OPEN = "".join(_MARKS.sequence("double_open"))
DOUBLE_CLOSE = "".join(_MARKS.sequence("double_close"))

# --- limits ------------------------------------------------------------------------------------

#: Characters of one line that any predicate looks at; a 1 MB line costs the same as a 4 KB one.
MAX_PROBE_CHARS = 4000
#: Furniture is short: longer lines are never furniture (except captions, which can run long).
MAX_FURNITURE_WORDS = 25
#: A headline has 3-25 words (shorter is a label or a site name, longer is a sentence).
HEADLINE_MIN_WORDS, HEADLINE_MAX_WORDS = 3, 25
#: Where a headline can still be found on a page that opens with furniture.
HEADLINE_WINDOW_LINES = 20
#: A pasted news paragraph is at least this long (a one-line reply citing someone stays a comment).
PASTED_MIN_WORDS = 12
#: A line of at most this many capitalised words above a headline is a site name.
MASTHEAD_MAX_WORDS = 4
#: Lowercase words a site name or section kicker may have between its capitalised words.
MASTHEAD_JOINERS = _EN.words("masthead_joiners")
#: Banner prose (donation appeals) a page may show before its headline.
MAX_CHROME_PROSE_LINES = 3
#: A comment author's name is short.
MAX_NAME_WORDS = 5
#: Longest run of lines (paragraphs) taken as one stretch of a blogger's commentary.
MAX_COMMENTARY_RUN = 6
#: A bracketed aside shorter than this is an editorial mark ("[sic]", "[…]"), not commentary.
INTERJECTION_MIN_WORDS = 3
#: The first first-person line must be this close to its anchor to count as "adjacent".
MAX_PERSONAL_DISTANCE = 3
#: Pages whose other lines are this first-person are written in one voice: no commentary.
UNIFORM_VOICE_SHARE = 0.3

# --- lexicons: furniture -----------------------------------------------------------------------


def _words(spec: str) -> frozenset[str]:
    """A lexicon of single words, written as one space-separated string for readability."""
    return frozenset(spec.split())


def _phrases(spec: str) -> frozenset[str]:
    """A lexicon of phrases separated by '|' or newlines, spaces normalised."""
    return frozenset(" ".join(p.split()) for p in spec.replace("\n", "|").split("|")) - {""}


def _any_word(words: Iterable[str]) -> re.Pattern[str]:
    """A case-blind search for any of ``words`` (or phrases) as whole words."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)


#: Whole-line furniture after :func:`_key` (lowercased, edge punctuation and arrows stripped).
#: Why: widgets, navigation and calls to action recur verbatim across sites and never carry claims.
FURNITURE_LINES = _EN.words("furniture_lines")

#: Words of a share bar ("Facebook Twitter Email"): a line made only of these is furniture.
SHARE_WORDS = _EN.words("share_words")
#: Of which at least one must be a network or action word, so "more" alone is not a share bar.
SHARE_NETWORKS = SHARE_WORDS - _words(
    "more on this via copy link save loading no thanks reply report follow award"
)

#: Line prefixes that mark furniture (labels, credits, widget text, calls to action).
#: Why: "Tags: …", "Posted by …", "(Reporting by …; Editing by …)" are page furniture whatever follows.
FURNITURE_PREFIX = re.compile(
    r"^\(?(?:"
    r"tags|labels|filed under|categories|category|topics|related|see also|read more|also read|read also"
    r"|source|sources|photo|photos|image|picture|credit|credits|photo credit|image credit|image caption"
    r"|image source|image copyright|caption|video|watch|listen|updated|published|posted|last updated"
    r"|last modified|views|hits|reads|share this|share|follow us|newsletter"
    r"|join date|joined|posts|location|our standards|quote|reputation|member since"
    r")\s?:"
    r"|^\(?(?:"
    r"posted by|posted in|posted on|written by|published by|reporting by|writing by|editing by"
    r"|additional reporting by|compiled by|translated by|click here|subscribe to|sign up for"
    r"|donate\b|support us|support our|support independent|become a member|become a patron"
    r"|watch the video|watch the full|share this|comments are closed|you must be logged in"
    r"|your email address will not be published|required fields are marked|notify me of|save my name"
    r"|leave a reply|leave a comment|post a comment|read the full story|continue reading"
    r"|originally published|this article was originally|this story was originally|republished"
    r"|all rights reserved|copyright\b|\(c\) |©|<<|«\s|‹\s|>>"
    r"|originally posted by|last edited by|quote originally posted by|this post is part of"
    r"|edited by|syndicated from|distributed by|first published|this article first appeared"
    r"|all times are|for immediate release|enter your email|enter your e-mail"
    r"|click to (?:share|email|print|tweet)|this entry was posted|translated from|translation\s?:"
    r"|original publication|view full version|watch live|listen live|have your say|sign in or register"
    r"|sort by\s?:|read more at |read more on |read the full (?:article|story) (?:at|on) "
    r"|download (?:the |our |this )?[\w -]{0,40}\((?:pdf|docx?|xlsx?|epub|zip)\b"
    r"|(?:sign|log) in to (?:your account|continue|keep reading|read (?:more|on|the full))"
    r"|(?:create|register for) (?:a |an |your )?(?:free )?account\b|already (?:a subscriber|have an account)"
    r"|thanks for reading\b|authors?\s?:|cite as\s?:"
    r"|cite this (?:article|paper|page)\b|this (?:article|story) appears in\b|related publications\b"
    r"|welcome to (?:the )?[\w'’ .&-]{1,40} (?:forums?|community|message boards?|discussion boards?)\b"
    r")",
    re.IGNORECASE,
)

#: Anywhere in a line: photo credits and captions ("(AP Photo/…)", "REUTERS/…", "Getty Images").
#: Why: a caption describes a picture, not the story, and credits carry agency names that mislead
#: speaker detection.
CAPTION_MARK = re.compile(
    r"\((?:AP|AFP|Reuters|EPA|Getty|Photo|Image|File|Xinhua|Anadolu)\b[^)\n]{0,120}\)\s*$"
    r"|\bAP Photo/|\bREUTERS/|\bAFP via Getty|\bGetty Images\b|\bPhoto(?:graph)?: |\bPhoto by [A-Z]"
    r"|\bImage caption\b|\bImage copyright\b|\bImage source\b|\bFile photo\b|\(File\)"
    r"|\((?:[A-Z][\w.&'-]{0,30} )?Photo/[^)\n]{1,80}\)\s*$"  # "(MP Photo/Dara Kell)"
    r"|\((?:[A-Z][\w.'’-]+ ){1,3}for (?:the )?[A-Z][\w.'’ -]{1,30}\)\s*$"  # "(Ana Ruiz for Outpost)"
    r"|\b(?:Picture|Pictured|Photograph|Illustration): [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}\s*$"
    r"|\b[A-Z]{3,20}/[A-Z][a-z]{1,20} [A-Z][A-Za-z.'-]{1,30}$"  # "NORTHWIRE/Ana Ruiz" ends a caption
)


def is_caption_shape(s: str) -> bool:
    """Agency and newspaper caption shapes: 'FILE - In this … file photo, …', 'Photo, Caption
    follows.…', a credit closing the line ('… Los Angeles Times photo')."""
    if s.startswith(("FILE - ", "FILE – ", "FILE — ", "Photo, ")):
        return True
    low = s.lower()
    if "caption follows" in low or ("in this " in low and " file photo" in low):
        return True
    words = s.rstrip(". ").split()
    return len(words) >= 2 and words[-1] == "photo" and words[-2][:1].isupper()


#: Captions that end in where and when the picture was taken ("… speaks to reporters after voting in
#: Minsk on September 23, 2012."): one sentence ending in a place and a full date with its year.
#: Why: news prose dates events by weekday ("on Sunday"); a full date closing a lone sentence in the
#: present tense (no "was", "will", "said") is a caption.
CAPTION_DATED = re.compile(
    r"^(?!.*\b(?:was|were|will|would|had|has|have|did|said|says|is expected|came|went|took|met|held"
    r"|gave|began|fell|rose|won|lost|told|made|left|saw|became|brought|found)\b)"
    r"[^.!?]{10,300}\b(?:in|at|near|outside) [A-Z][\w.'-]+(?:,? [A-Z][\w.'-]+){0,3},? on "
    r"(?:[A-Z][a-z]+day,? )?(?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8}),? \d{4}\.?$"
)

#: Service notices of a page's widgets and age banners ("We're sorry, this feature is currently
#: unavailable.", "This was published 11 years ago"): the site talking about itself.
NOTICE_MARK = re.compile(
    r"\b(?:is|are) (?:currently|temporarily) unavailable\b|\bplease try again later\b"
    r"|\bsession has (?:timed out|expired)\b|\bclick here to\b"
    r"|\b(?:make|set) (?:\w+ )?your (?:home ?page|start page)\b"
    r"|\b(?:download|get|install|open) (?:the|our) (?:[\w-]+ ){0,2}app\b|\bavailable on the app store\b"
    r"|\balready have an account\b|\bcreate (?:a |an |your )?(?:free )?account\b"
    r"|\b(?:sign|log) in (?:to|or) (?:continue|read|keep|register|subscribe)\b"
    r"|\bsend us your (?:story ideas|tips|news tips|photos|stories)\b|\bgot a (?:news |story )?tip\b"
    r"|\bcontains? affiliate links?\b|\bmay earn (?:a )?(?:small )?commission\b|\badvertiser disclosure\b"
    r"|\b(?:switch to|view|go to) (?:the )?(?:desktop|mobile|full|classic) (?:version|site|view)\b"
    r"|\bif this is your first visit\b|\byou may have to register before you can post\b"
    r"|^this (?:was|article was|story was|page was) (?:first )?published (?:more than )?\w{1,6} "
    r"(?:years?|months?|weeks?|days?) ago\.?$",
    re.IGNORECASE,
)

#: Words one of which every notice above contains: a cheap test before the regex (most lines have none).
NOTICE_KEYS = (
    "unavailable",
    "try again",
    "session",
    "click here",
    "page",
    " app",
    "account",
    "sign in",
    "log in",
    "send us",
    "tip",
    "affiliate",
    "commission",
    "disclosure",
    "version",
    "site",
    "view",
    "first visit",
    "register",
    "published",
)


def _is_notice(s: str) -> bool:
    low = s.lower()
    return any(k in low for k in NOTICE_KEYS) and bool(NOTICE_MARK.search(s))


#: A post's age as forums and link aggregators print it ("8h", "3d", "2 hr").
SHORT_AGE = re.compile(r"^\d{1,3}\s?(?:s|m|h|d|w|mo|y|yr|yrs|min|mins|hr|hrs)$", re.IGNORECASE)
#: Badges in a post's header line ("OP · 3h", "· 8h · Stickied comment").
POST_BADGES = _EN.words("post_badges")

#: A line that is only an identifier of the page ("Story Code : 198127", "Article ID: 55-120").
ID_LINE = re.compile(
    r"^(?:story|article|news|post|content|item|doc|document) ?(?:code|id|no\.?|number|#)"
    r"\s?[:#]?\s?[\w-]{1,20}$",
    re.IGNORECASE,
)

#: A line that is only a web address (a link pasted under a reposted title), with or without its scheme.
URL_LINE = re.compile(
    r"^<?(?:https?://|www\.)\S{3,}>?$|^[a-z0-9-]{2,40}(?:\.[a-z0-9-]{2,20}){1,3}/\S{2,}$", re.IGNORECASE
)

#: Kickers of a link to another story set inside an article ("Opinion: Why the talks failed"): after
#: article prose, a short line "Kicker: title" with no sentence end is a link, not a paragraph.
INLINE_LINK = re.compile(
    r"^(?:opinion|analysis|update|explainer|interactive|timeline|related|read more|also read|see also"
    r"|more|watch|video|photos|in pictures|special report|commentary|editorial|factbox|q&a)\s?:\s?\S",
    re.IGNORECASE,
)
#: Such a link is at most this many words.
MAX_INLINE_LINK_WORDS = 15

#: Russian and Ukrainian link and caption lines ("Читайте також …", "Фото: …", "Коллаж «…»"): short
#: lines that open with these are furniture, as their English twins are ("Источник сообщил" is not:
#: a caption word needs a colon or a quoted credit after it).
CYRILLIC_FURNITURE = re.compile(
    r"^(?:читайте (?:также|також|еще|ще)|смотрите также|дивіться також|читать далее|читати далі)\b"
    r"|^(?:фото|коллаж|колаж|иллюстрация|ілюстрація|скриншот|источник|джерело)(?:\s?:|\s[\"«„“]|$)",
    re.IGNORECASE,
)
#: Caption lines of that kind are at most this long.
MAX_CYRILLIC_CAPTION_WORDS = 15

#: Alt text of an avatar picture ("author avatar", "Jane Doe's avatar") and unrendered template
#: lines made only of tags ("{{ author.name }} · {{ date }}").
AVATAR_LINE = re.compile(r"^[\w .'’-]{0,40}\bavatar$", re.IGNORECASE)
TEMPLATE_TAG = re.compile(r"\{\{[^{}]{0,80}\}\}|\{%[^{}]{0,80}%\}")


def is_template_line(s: str) -> bool:
    """A line made only of template tags and separators (tags removed, nothing but ' |·•,:-' is left)."""
    return bool(TEMPLATE_TAG.search(s)) and not TEMPLATE_TAG.sub("", s).strip(" |·•,:-")


#: Links that end a pasted excerpt ("Read more at the Herald", "Continue reading", "Full story").
EXCERPT_END = re.compile(r"^(?:read more|continue reading|read the (?:full|whole|rest|entire)|full story)\b")

#: A reposter's lead line naming the source of what follows ("From the Valley Herald:").
FROM_LEAD = re.compile(r"^(?:from|via|this from|more from|here's|here is) [^:]{2,60}:$", re.IGNORECASE)
MAX_FROM_LEAD_WORDS = 10

#: Calls to watch a channel ("Watch CBSN Live", "Listen live").
WATCH_LIVE = re.compile(r"^(?:watch|listen to|stream)\b.{0,40}\blive$", re.IGNORECASE)

#: Credit and copyright lines anywhere in a short line.
CREDIT_MARK = re.compile(
    r"all rights reserved|contributed to this (?:report|story|article)|©|\bcopyright \d{4}",
    re.IGNORECASE,
)

#: Cookie banners and newsletter sign-ups, anywhere in a line of up to :data:`MAX_BANNER_WORDS` words.
#: Why: consent banners and "in your inbox" appeals recur on every page of a site and carry no claims.
BANNER_MARK = re.compile(
    r"\b(?:we|this site|this website) uses? cookies\b|\bcookie (?:policy|settings|preferences)\b"
    r"|\buse of cookies\b|\baccept (?:all )?cookies\b"
    r"|\b(?:straight|delivered|directly|sent) to your inbox\b|\bin your inbox (?:every|each)\b",
    re.IGNORECASE,
)
#: Banners run longer than other furniture but not as long as article prose.
MAX_BANNER_WORDS = 60
#: Editor's notes and disclosures about the piece itself ("This interview was translated and edited
#: for length and clarity.", "X's views are his own."): the outlet speaking about its page, not the story.
EDITORIAL_NOTE = re.compile(
    r"\b(?:edited|condensed) for (?:length|clarity|brevity)\b"
    r"|\bviews (?:expressed )?(?:are|is) (?:his|her|their|my|the author's|the writer's) own\b"
    r"|\bviews expressed (?:here |in (?:this|these) \w+ )?(?:are|is) (?:those of|not necessarily)\b"
    r"|^this (?:article|story|interview|investigation|report|piece|project|series|podcast|post) "
    r"(?:was|has been|is|were) (?:supported|funded|produced|conducted|translated|made possible|paid for"
    r"|updated|corrected|amended)\b",
    re.IGNORECASE,
)
#: Buttons under a forum post ("Reply   Quote", "Like | Quote | Report"): a line made only of these.
FORUM_BUTTONS = _EN.words("forum_buttons")
#: Post header fields of forum software ("Post #3", "Joined: Jun 2029", "Posts: 1,486"); the short
#: lines around them (user name, rank) belong to the same header.
FORUM_META = re.compile(
    r"^(?:post #?\d|#\d{1,7}$|joined\s?:|join date\s?:|posts\s?:|reputation\s?:|member since\b"
    r"|[-•·]?\s?(?:joined|messages|reaction score|trophy points|likes received)"
    r"(?:\s?:.{0,30}|\s(?:[a-z]{3,9}\.?\s)?(?:\d{1,2},?\s)?[\d.,]{1,12}k?)?$)",
    re.IGNORECASE,
)
#: The value printed under a bare header label ("Messages" then "1,204"): a count or a date.
HEADER_VALUE = re.compile(r"^[\d.,]{1,12}k?$")
#: Lines between post headers that are part of a header: user names and ranks are this short.
MAX_HEADER_FIELD_WORDS = 3
#: How far above a header field its user name and rank may sit.
MAX_HEADER_LINES = 6
#: Header fields a page needs to be taken as a forum thread (one "Posts: 120" may be a blog sidebar).
MIN_FORUM_FIELDS = 2
#: Headings that open a press release's trailer or a page's end matter: every line after them
#: (up to a comment thread) is boilerplate. Why: notes to editors, media contacts and "About us"
#: boilerplate are the issuer's standing text, not the release's claims.
TRAILER_HEADS = _EN.words("trailer_heads")
#: "About the Clearwater Trust" as a heading: end matter when little follows it.
ABOUT_HEAD = re.compile(r"^(?:About|ABOUT) (?:the |The |THE |us\b|Us\b|US\b|[A-Z])")
#: Lines of an "About …" trailer block at most; more means a section heading in the article.
MAX_ABOUT_LINES = 4
#: Headings of a summary list under a live blog's headline ("Key points"); the items are article text.
SUMMARY_HEADS = _EN.words("summary_heads")
#: Items such a list has at most.
MAX_SUMMARY_ITEMS = 8
#: Headings of link lists ("Related stories", "Most read"): the short title lines after them are links.
LINK_LIST_HEADS = _EN.words("link_list_heads")
#: Job titles of a byline's second line ("Northern correspondent, Varn", "Staff writer").
ROLE_WORDS = _EN.words("role_words")
#: A byline's role line is this short.
MAX_ROLE_WORDS = 6
#: A link in such a list is a title, not a sentence.
MAX_LINK_WORDS = 15
#: Verbs after an author's name that make a line the author's bio ("Jane Doe is …", "Jane Doe covers …").
BIO_VERBS = _EN.words("bio_verbs")

#: View, hit and post counters ("Views: 6", "1,234 views", "(40,367 posts)"), reading times
#: ("4 min read"), forum post numbers ("#41") and pagers ("Page 3 of 7").
COUNTER_LINE = re.compile(
    r"^\(?(?:views|hits|reads|visits|page views)\s?:?\s?[\d,.]{1,12}k?\)?$"
    r"|^\d{1,3}\s?(?:min|mins|minute|minutes)\.?\s(?:read|listen|watch)$"
    r"|^#\d{1,7}$|^page \d{1,5} of \d{1,5}$|^post #?\d{1,7}$"
    r"|^\(?[\d,.]{1,12}k?\s(?:views|reads|hits|visits|posts|shares|likes|comments?|replies|responses"
    r"|points?|upvotes?|votes?|karma)\)?$|^[\d.,]{1,6}k$|^level \d{1,2}$",
    re.IGNORECASE,
)

#: Comment-thread headers: after one of these (once article prose was seen) lines are comments.
THREAD_HEADERS = _EN.words("thread_headers")
#: Counted thread headers: "12 Comments", "No comments:", "One response to “…”", "3 thoughts on …".
_COUNT_WORD = r"\d[\d,]{0,6}|no|one|two|three|four|five|six|seven|eight|nine|ten"
_COMMENT_NOUN = r"(?:comments?|responses?|replies|reply|thoughts)"
THREAD_HEADER_COUNTED = re.compile(
    rf"^(?P<count>{_COUNT_WORD})\s{_COMMENT_NOUN}$"
    rf"|^(?P<titled>{_COUNT_WORD})\s{_COMMENT_NOUN}\s(?:on|to)\s[“\"].{{0,200}}$"
    r"|^comments\s?\((?P<n>\d{1,6})\)$",
    re.IGNORECASE,
)
#: A comment's signature line printed under its text (Typepad style).
COMMENT_SIGNATURE = re.compile(r"^(?:posted|written|comment) by\s?:\s?\S", re.IGNORECASE)
#: How far below a thread header the first comment signature may be (a comment runs a few paragraphs).
MAX_COMMENT_LINES = 12
#: Furniture that closes a comment thread (blog navigation and footers follow the comments).
THREAD_END = _EN.words("thread_end")

#: Tokens allowed in a date-only line besides numbers and month/weekday names.
DATE_FILLER = _EN.words("date_filler")
MONTHS = frozenset(_EN.table("month_numbers"))
WEEKDAYS = _EN.words("weekdays") | _EN.words("weekday_abbreviations")
_CLOCK = re.compile(r"^\d{1,2}:\d\d(?::\d\d)?(?:am|pm)?$")
_UTC_OFFSET = re.compile(r"^(?:gmt|utc)[+-]\d{1,2}(?::?\d\d)?$")
_NUMERIC_DATE = re.compile(
    r"^\d{1,4}[-/.]\d{1,2}$|^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$|^\d{1,2}(?:st|nd|rd|th)$|^\d{1,4}$"
)
_ISO_STAMP = re.compile(r"^\d{4}-\d\d-\d\dt[\d:.+z-]{0,20}$")
_RELATIVE_TIME = re.compile(
    r"\b(?:minute|minutes|hour|hours|day|days|week|weeks|month|months|year|years) ago\b"
)

#: Dashes that end a dateline ("MOSCOW (AP) —", "LONDON, March 3 (Reuters) - "); a hyphen only
#: with a space each side ("WILKES-BARRE, Pa. (AP) —" is one place) or glued to an abbreviated
#: region ("SPRINGDALE, Ala.-The storm …").
DATELINE_DASHES = ("—", "–", "--", " - ", ".-")

#: Characters an elision or separator line is made of ("...", "…", "[…]", "* * *", "---").
ELISION_CHARS = frozenset(".…*-–—_#~=•·[]() ")

#: Agencies that may follow an agency slug in parentheses ("jk/ab (AFP, Reuters)").
AGENCY_WORDS = _EN.words("agency_words")

#: Separators of a breadcrumb trail ("Home › World › Africa").
BREADCRUMB_SEPARATORS = ("›", "»", " > ", " | ")
#: A slash chains a breadcrumb only from "Home" or over three items ("Iran / Israel talks" is a title).
SLASH_CRUMB_MIN_PARTS = 3
#: Bullets that precede a commenter's name ("• Jane Doe").
BULLETS = "•·▪●◦‣-*"
#: Verbs of a commenter header line ("Jane Doe says:", "Anonymous said...").
COMMENTER_VERB = re.compile(
    r"^(?P<name>.{1,60}?)\s(?:says|said|wrote|writes|commented|replied)\s?(?::|\.\.\.|…)$"
)
#: A forum author with a post counter: "riverguy (1,204 posts)".
POST_COUNT_NAME = re.compile(r"^(?P<name>.{1,60}?)\s?\([\d,]{1,9} posts?\)$")
#: Words that start sentences or name nobody, so "He writes:" is a quote cue, not a commenter.
NOT_NAMES = _EN.words("not_names")

# --- lexicons: voice ---------------------------------------------------------------------------

#: First-person singular outside quotation marks is the blogger's voice, not the reporter's.
FIRST_PERSON = re.compile(
    r"(?<![\w.&/-])(?:I|I'm|I’m|I've|I’ve|I'd|I’d|I'll|I’ll)(?![\w&/-]|\.\w)"
    r"|\b(?:me|my|myself|Me|My|Myself)\b"
)
#: Words before a Roman numeral "I" ("World War I", "Phase I").
ROMAN_CONTEXT = _EN.words("roman_context")
#: Opinion markers of a blogger's conclusion (modals of judgement, stance adverbs, chat words).
OPINION = re.compile(
    r"\b(?:must|should|ought to|has to be|have to be|obviously|clearly|surely|of course|no doubt"
    r"|hopefully|sadly|frankly|honestly|personally|in my opinion|imo|imho|lol|wow|pathetic|ridiculous"
    r"|shameful|disgusting|typical|pretend|pretends|apparently)\b|!",
    re.IGNORECASE,
)
#: Reporting cues: a line with one is the article speaking (unless it is first-person).
REPORTING = _any_word(_EN.sequence("reported_voice_forms"))
#: First-person plural outside quotation marks: the blogger and readers ("our policy"); not "US".
FIRST_PLURAL = re.compile(r"\b(?:[Ww]e|[Oo]ur|[Oo]urselves|[Ll]et[’']s)\b")
#: Labels of an editor's or reposter's bracketed note ("[Editor: …]", "(Ed. note: …)").
NOTE_LABELS = _EN.words("note_labels")
#: A blogger's reaction opened by a label ("My take: …", "My two cents: …").
MY_LABEL = re.compile(r"^(?:my take|my comments?|my two cents|my view|my note|me)\s?:", re.IGNORECASE)
#: A reposter naming the source of the excerpt that follows ("Here's what Jane Doe writes on her
#: blog:", «Вот что пишет …», «Ось що пише …»).
WRITES_INTRO = re.compile(
    r"\bhere(?:'s|’s| is) what [\w .'’-]{1,60}\b(?:writes|wrote|has to say|posted)\b"
    r"|(?<!\w)вот что (?:пишет|написал[аи]?)(?!\w)|(?<!\w)ось що (?:пише|написав|написала)(?!\w)",
    re.IGNORECASE,
)
#: One of these is in every such intro (a cheap test before the regex).
WRITES_KEYS = ("writ", "wrote", "has to say", "posted", "пишет", "написал", "пише", "написав", "написала")
#: Such an intro is among the first lines of the post.
MAX_INTRO_LINES = 4
#: A blogger's lead-in above a pasted paragraph ("The reports say…") is this short.
MAX_LEADIN_WORDS = 15
#: Words that turn to the reader ("you", "please read …").
ADDRESS = re.compile(r"\b(?:you|your|yourself|please)\b", re.IGNORECASE)
#: Labels of a site editor's or blogger's remark on its own line ("Editor: …", "Blogger's note: …").
EDITOR_LABELS = _EN.words("editor_labels")
#: More reporting cues, used only to tell a pasted news paragraph from a blogger's line.
REPORTING_MORE = _any_word(_EN.sequence("reported_voice_more_forms"))
#: A line that trails off in an ellipsis ("They are sending money again….") is a blogger's aside or
#: lead-in; a reporter's paragraph ends in a full stop.
TRAILING_ELLIPSIS = re.compile(r"(?:…|\.\.\.)\.{0,2}$")
#: A blogger's own voice as a share of the page's prose lines must stay below this; above it the
#: page speaks in one voice (an op-ed, an interview, a transcript) and nothing is commentary.
MAX_BLOGGER_SHARE = 0.5
#: A blogger's question or ellipsis counts in a paragraph this long (shorter lines with "?" are
#: an explainer's subheadings; shorter ones ending in "…" are lead-ins whatever their verbs).
MIN_ASIDE_WORDS = 12
#: A blogger's label lines ("Anonymous Quote #1", "Quote:", "H/T …", "Read the whole thing").
LABEL_LINE = re.compile(
    r"^(?:anonymous\s)?quote\s?#?\s?\d{1,3}\s?:?$"
    r"|^(?:quote|excerpt|excerpts|my take|my comment|my comments|my two cents|h/t|hat tip|via)\b"
    r"|^read (?:the whole thing|the rest|it all)\b",
    re.IGNORECASE,
)
#: Words of a blog intro pointing at the excerpt that follows ("this story", "here's", "via").
INTRO_POINTER = re.compile(
    r"\b(?:this (?:article|story|piece|report|post)|here's|here is|h/t|read this"
    r"|check out|excerpt|from the (?:article|story|report))\b",
    re.IGNORECASE,
)
#: Appeals of a donation banner; prose like this before a headline is chrome, not the article.
APPEAL = re.compile(
    r"\b(?:donate|donations?|relief effort|your help|your support|support us|subscribe|newsletter"
    r"|become a (?:member|patron|supporter))\b",
    re.IGNORECASE,
)


# --- lines -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    """One non-blank line: its span (first non-space char to last non-space char) and a probe."""

    start: int
    end: int
    probe: str  # the stripped line, cut to MAX_PROBE_CHARS
    words: int
    kind: SectionKind | None = None


def _lines(text: str) -> list[_Line]:
    """Non-blank lines with their offsets into ``text``."""
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            start = pos + lead
            end = start + len(stripped)
            probe = stripped[:MAX_PROBE_CHARS]
            out.append(_Line(start, end, probe, len(probe.split())))
        pos += len(raw) + 1
    return out


def _unquote(s: str) -> str:
    """A line without its e-mail style quote prefix ('> By Jane Doe' is a quoted byline)."""
    while s.startswith(">") and not s.startswith(">>"):
        s = s[1:].lstrip()
    return s


def _key(s: str) -> str:
    """A line reduced for lexicon lookup: lowercase, single spaces, edge punctuation and arrows off."""
    return " ".join(s.lower().strip(" :.!»›«‹<>|-–—•·*↓↑→").split())


# --- predicates: furniture ---------------------------------------------------------------------


def is_elision(s: str) -> bool:
    """'...', '…', '[…]', '* * *', '---': a cut or separator between excerpt and other voices."""
    return len(s) <= 40 and set(s) <= ELISION_CHARS and any(c in s for c in ".…*-–—_#~=•·")


def is_date_only(s: str) -> bool:
    """A line that is only a date and/or time ('May 3, 2023', 'Updated 10:01 pm EST', '3 days ago')."""
    tokens = [t.strip(",.()") for t in s.lower().replace("|", " ").split()]
    tokens = [t for t in tokens if t]
    if not tokens or len(tokens) > 12:
        return False
    anchored = False
    for t in tokens:
        if t in MONTHS or t in WEEKDAYS or _CLOCK.match(t) or t in ("ago",):
            anchored = True
        elif _UTC_OFFSET.match(t):  # "GMT+2", "UTC-05:00"
            continue
        elif _NUMERIC_DATE.match(t):
            anchored = anchored or len(t) >= 6 or "/" in t or "-" in t
        elif _ISO_STAMP.match(t):
            anchored = True
        elif t not in DATE_FILLER:
            return False
    return anchored


def _has_time(s: str) -> bool:
    """A comment timestamp has a clock time or a relative age ('10:01 pm', '3 days ago')."""
    low = s.lower()
    return any(_CLOCK.match(t.strip(",.")) for t in low.split()) or bool(_RELATIVE_TIME.search(low))


def is_byline(s: str) -> bool:
    """'By Jane Doe', 'By JANE DOE Associated Press', 'By Jane Doe and John Roe, Reuters'."""
    words = s.split()
    if len(words) < 2 or len(words) > 14 or words[0] not in ("By", "BY", "by"):
        return False
    if s.endswith(".") and not re.search(r"\b[A-Z]\.$", s):
        return False
    rest = [w.strip(",|;()") for w in words[1:]]
    rest = [w for w in rest if w]
    connectors = {
        "and",
        "in",
        "of",
        "the",
        "for",
        "at",
        "staff",
        "writer",
        "correspondent",
        "reporter",
        "editor",
        "|",
        "—",
        "-",
    }
    named = sum(1 for w in rest if w[:1].isupper() or w.lower() in connectors or w[:1].isdigit())
    return bool(rest) and rest[0][:1].isupper() and named >= 0.8 * len(rest)


def is_agency_slug(s: str) -> bool:
    """Wire-service initials: 'burs-ec/dw', 'jk/ab (AFP, Reuters)'."""
    head, _, tail = s.partition("(")
    if tail and not {w.strip(",) ").lower() for w in tail.split()} <= AGENCY_WORDS | {""}:
        return False
    head = head.strip()
    parts = head.replace("-", "/").split("/")
    return (
        "/" in head
        and 2 <= len(parts) <= 6
        and all(1 <= len(p) <= 8 and p.isascii() and p.isalpha() and p.islower() for p in parts)
    )


def is_share_bar(s: str) -> bool:
    """A row of share buttons: 'Facebook Twitter Email', 'Share | Tweet | Print'."""
    tokens = [t.strip(",|·•:.…").lower() for t in s.split()]
    tokens = [t for t in tokens if t]
    return 0 < len(tokens) <= 10 and set(tokens) <= SHARE_WORDS and bool(set(tokens) & SHARE_NETWORKS)


def is_nav_arrow(s: str) -> bool:
    """Calls to action end in '»' or '›' ('Donate now »'); breadcrumbs chain short items ('A › B')."""
    if len(s.split()) > 30 or "«" in s:
        return False
    if s.endswith(("»", "›")):
        return True
    for sep in BREADCRUMB_SEPARATORS:
        parts = s.split(sep)
        if len(parts) >= 2 and all(1 <= len(p.split()) <= 4 for p in parts):
            return True
    parts = s.split(" / ")
    if len(parts) >= SLASH_CRUMB_MIN_PARTS or (len(parts) == 2 and _key(parts[0]) == "home"):
        return all(1 <= len(p.split()) <= 4 for p in parts)
    return False


def is_forum_buttons(s: str) -> bool:
    """The action buttons under a forum post: 'Reply   Quote', 'Like | Quote | Report'."""
    tokens = [t.strip(",|·•").lower() for t in s.split()]
    tokens = [t for t in tokens if t]
    return 0 < len(tokens) <= 6 and set(tokens) <= FORUM_BUTTONS


def is_meta_line(s: str) -> bool:
    """A line of page metadata fields: 'Published 21 May · Updated 22 May · 5 min read',
    'November 4, 2033 by harrowgate' (a date with its author)."""
    for sep in (" · ", " | ", " • "):
        parts = [p.strip(" ·•|") for p in s.split(sep)]
        parts = [p for p in parts if p]
        if (len(parts) >= 2 or (parts and s[:1] in "·•")) and all(_is_meta_field(p) for p in parts):
            return True
    head, by, who = s.partition(" by ")
    return bool(by) and is_date_only(head) and (is_name(who) or is_handle(who))


def _is_meta_field(s: str) -> bool:
    s = s.strip(" ·•")
    return (
        is_date_only(s)
        or bool(COUNTER_LINE.match(_key(s)) or SHORT_AGE.match(s) or ISSUE_FIELD.match(s))
        or is_byline(s)
        or _key(s) in FURNITURE_LINES | POST_BADGES
    )


#: Site-wide legal and help links; a line made only of them ("Privacy ∙ Terms ∙ Cookies") is a footer.
FOOTER_LINKS = _EN.words("footer_links")
_FOOTER_SEPARATORS = re.compile(r"\s[∙·•|]\s")
#: A magazine issue in a meta line ("April 2034 issue · 18 min read").
ISSUE_FIELD = re.compile(r"^(?:[A-Z][a-z]{2,9} )?\d{4} issue$")


#: "Photographs by Ilse Dahl": a picture credit when a name follows (see :func:`is_picture_credit`).
PICTURE_CREDIT = re.compile(
    r"^(?:photographs?|photos|pictures|illustrations?|graphics?) by (.+)$", re.IGNORECASE
)


def is_picture_credit(s: str) -> bool:
    m = PICTURE_CREDIT.match(s)
    return m is not None and is_name(m.group(1))


def is_footer_links(s: str) -> bool:
    """'Privacy ∙ Terms ∙ Collection notice': only site-wide legal and help links."""
    parts = [_key(p) for p in _FOOTER_SEPARATORS.split(s)]
    return len(parts) >= 2 and all(p in FOOTER_LINKS for p in parts)


def is_furniture(s: str, words: int) -> bool:
    """True when the whole stripped line ``s`` is page furniture (see the lexicons above)."""
    s = _unquote(s)
    if is_elision(s):
        return True
    if words <= 60 and (is_caption_shape(s) or CAPTION_MARK.search(s)):  # captions run long, not article-long
        return True
    if words <= MAX_BANNER_WORDS and (BANNER_MARK.search(s) or EDITORIAL_NOTE.search(s) or _is_notice(s)):
        return True
    if words <= 60 and CAPTION_DATED.match(s):
        return True
    if words > MAX_FURNITURE_WORDS:
        return False
    key = _key(s)
    return (
        key in FURNITURE_LINES
        or is_forum_buttons(s)
        or is_meta_line(s)
        or bool(FURNITURE_PREFIX.match(s) or COUNTER_LINE.match(key) or THREAD_HEADER_COUNTED.match(key))
        or bool(CREDIT_MARK.search(s))
        or is_share_bar(s)
        or is_byline(s)
        or is_date_only(s)
        or is_agency_slug(s)
        or bool(ID_LINE.match(s) or URL_LINE.match(s) or WATCH_LIVE.match(s))
        or bool(AVATAR_LINE.match(s))
        or bool(HEADER_VALUE.match(s))  # a bare count (likes, comments, views) under a widget
        or is_footer_links(s)
        or is_picture_credit(s)
        or is_template_line(s)
        or (words <= MAX_ROLE_WORDS and bool(FORUM_META.match(s)))
        or (words <= MAX_CYRILLIC_CAPTION_WORDS and bool(CYRILLIC_FURNITURE.match(s)))
        or is_nav_arrow(s)
        or dateline_end(s) == len(s)
    )


def dateline_end(s: str) -> int | None:
    """End offset of a leading dateline ('MOSCOW (AP) —', 'KYIV, Ukraine --', 'LONDON, March 3
    (Reuters) -'), else None.

    A dateline is a capitalised place (the first part all caps), optional region and agency,
    then a dash; a reported story starts right after it.
    """
    head = s[:100]
    cut = min((head.find(d) for d in DATELINE_DASHES if d in head), default=-1)
    if cut <= 1:
        return None
    place = head[:cut].strip()
    city = place.split(",")[0].split("(")[0].strip()
    if not (2 <= len(city) <= 40 and city.isupper() and all(c.isalpha() or c in " .'-" for c in city)):
        return None
    if len(place) - len(city) > 60:
        return None
    dash = next(d for d in DATELINE_DASHES if head.startswith(d, cut))
    return cut + len(dash) if head[cut + len(dash) :].strip() else len(s)


def is_thread_header(s: str) -> bool:
    """'Comments', '12 Comments', 'Leave a Reply', 'One response to “…”': a comment thread follows."""
    key = _key(s)
    return key in THREAD_HEADERS or bool(THREAD_HEADER_COUNTED.match(key))


def is_thread_end(s: str) -> bool:
    """Blog navigation or a footer after the comments ('<< Home', 'Older Post', a copyright line)."""
    return _key(s) in THREAD_END or bool(CREDIT_MARK.search(s) and len(s.split()) <= MAX_FURNITURE_WORDS)


def is_handle(s: str) -> bool:
    """A one-word user handle in any case ('riverguy', 'dock_hand9'), as forums print them."""
    s = s.strip()
    return 2 <= len(s) <= 30 and " " not in s and all(c.isalnum() or c in "_-." for c in s)


def is_name(s: str) -> bool:
    """A commenter's display name: 1-5 capitalised words or a handle, not a pronoun or a phrase."""
    words = s.strip(" ,:-|").split()
    if not words or len(words) > MAX_NAME_WORDS:
        return False
    if words[0].lower() in NOT_NAMES:
        return False
    for w in words:
        w = w.strip("().,'’")
        handle = w.startswith("@") or any(c.isdigit() or c == "_" for c in w)
        if not w or not (w[:1].isupper() or handle):
            return False
    last = words[-1]
    initial = len(last) == 2 and last[0].isupper() and last[1] == "."
    return initial or not s.rstrip().endswith((".", "!", "?", ":"))


def commenter_kind(s: str, next_line: str | None, in_thread: bool) -> bool:
    """True for a commenter-name line: '• Jane Doe', 'Jane Doe says:', 'Jane on May 3, 2023 at 10:01 pm'.

    A bullet name counts only when prose follows (else it is a list item); 'Name says:' only inside
    a thread or before a timestamp (else it is a quote cue such as 'Fleming said:').
    """
    if s[:1] in BULLETS and len(s) > 1:
        name = s[1:].strip()
        follows_prose = next_line is not None and len(next_line.split()) >= 5 and next_line[:1] not in BULLETS
        return follows_prose and is_name(name)
    m = COMMENTER_VERB.match(s)
    if m and is_name(m.group("name")):
        said_dots = s.endswith(("...", "…"))
        return said_dots or in_thread or (next_line is not None and is_date_only(next_line))
    counted = POST_COUNT_NAME.match(s)
    if counted and (is_name(counted.group("name")) or is_handle(counted.group("name"))):
        return True
    return _named_timestamp(s)


def _named_timestamp(s: str) -> bool:
    """'Jane Doe on May 3, 2023 at 10:01 pm', 'jdoe99 | 3 days ago': a name then a timestamp."""
    return _timestamp_name(s) is not None


def _timestamp_name(s: str) -> str | None:
    """The name before a timestamp ('Jane Doe on May 3, 2023 at 10:01 pm' → 'Jane Doe'), else None."""
    words = s.split()
    if len(words) > 16 or not (":" in s or " ago" in s) or not _has_time(s):
        return None
    for i in range(1, min(len(words), MAX_NAME_WORDS + 2)):
        head = " ".join(words[:i]).rstrip(" ,|-")
        tail = " ".join(words[i:])
        if words[i].lower() in ("on", "at", "|", "-", "—") and i + 1 < len(words):
            tail = " ".join(words[i + 1 :])
        if is_name(head) and _has_time(tail) and is_date_only(tail):
            return head
    return None


def commenter_name(s: str) -> str | None:
    """The name or handle on a commenter line ('• Jane Doe', 'riverguy says:', 'Jane on May 3, 2023
    at 10:01 pm', 'riverguy (1,204 posts)'), else None. The shapes are those of :func:`commenter_kind`,
    without its look at the neighbouring lines: call it on lines the sections marked as furniture."""
    s = s.strip()
    if s[:1] in BULLETS and len(s) > 1:
        name = s[1:].strip()
        return name if is_name(name) else None
    if m := COMMENTER_VERB.match(s):
        name = m.group("name").strip()
        # "riverguy said...": a handle before the ellipsis of a comment header
        if is_name(name) or (s.endswith(("...", "…")) and is_handle(name) and name.lower() not in NOT_NAMES):
            return name
    if (m := POST_COUNT_NAME.match(s)) and (is_name(m.group("name")) or is_handle(m.group("name"))):
        return m.group("name").strip()
    return _timestamp_name(s)


# --- predicates: prose and voice ---------------------------------------------------------------


def is_prose(s: str, words: int) -> bool:
    """A paragraph of running text: long enough and ending like a sentence (or simply long)."""
    return words >= 20 or (words >= 6 and s.rstrip("\"”’')]").endswith((".", "!", "?", ":", ";")))


def is_title_like(s: str, words: int) -> bool:
    """A headline shape: 3-25 words, capitalised start, no sentence-final period or cue colon."""
    if not HEADLINE_MIN_WORDS <= words <= HEADLINE_MAX_WORDS:
        return False
    if s.endswith((".", ",", ";", ":", "»", "›")) or s[:1] in BULLETS:
        return False
    first = s.lstrip("\"“‘'([")[:1]
    return first.isupper() or first.isdigit()


def is_masthead(s: str) -> bool:
    """A site or blog name ('The Quiet Observer') or a section kicker ('Refugees and Migrants'): at most
    four words, all capitalised but for joining words.

    Such a line above the real headline is chrome; a real headline is longer or in sentence case.
    """
    words = s.split()
    if len(words) <= MASTHEAD_MAX_WORDS and all(
        w[:1].isupper() or not w[:1].isalpha() or (0 < k < len(words) - 1 and w in MASTHEAD_JOINERS)
        for k, w in enumerate(words)
    ):
        return True
    # "Site Name · Tagline of the site": a name and a tagline joined by a separator.
    for sep in (" · ", " | ", " – ", " :: "):
        name, _, tagline = s.partition(sep)
        if tagline and is_masthead(name) and not tagline.rstrip().endswith("."):
            return True
    return False


@functools.lru_cache(maxsize=1024)
def outside_quotes(s: str) -> str:
    """The part of ``s`` outside quotation marks (curly, straight, guillemets; mixed pairs too).

    A paragraph that opens a quote without closing it stays quoted to its end (news convention
    for quotes running over several paragraphs).
    """
    out: list[str] = []
    opener = ""  # the mark that opened the current quote, "" outside quotes
    prev = " "
    for i, ch in enumerate(s):
        nxt = s[i + 1] if i + 1 < len(s) else " "
        if ch in DOUBLE_OPEN and not opener:
            opener = ch
        elif ch in DOUBLE_CLOSE and opener in DOUBLE_OPEN + '"' and opener:
            opener = ""
        elif ch == '"':
            opener = "" if opener else ch
        elif ch in "'‘" and not opener and not prev.isalnum() and nxt.isalpha():
            opener = ch  # single quotes open British-style quotes; an apostrophe follows a letter
        elif ch in "'’" and opener in "'‘" and opener and not nxt.isalnum():
            opener = ""
        elif not opener:
            out.append(ch)
        prev = ch
    return "".join(out)


def is_first_person(s: str) -> bool:
    """First-person singular outside quotation marks ('I saw', 'my view'); 'World War I' is not."""
    if not FIRST_PERSON.search(s):
        return False  # none anywhere, so none outside quotes either (the cheap test first)
    free = outside_quotes(s)
    for m in FIRST_PERSON.finditer(free):
        if m.group().startswith("I"):
            before = free[: m.start()].split()
            if before and before[-1].lower().strip(",") in ROMAN_CONTEXT:
                continue
        return True
    return False


def is_reported(s: str) -> bool:
    """The article's voice: a reporting cue, a quotation mark or a dateline, and no first person."""
    return bool(REPORTING.search(s) or any(c in s for c in '"“”«»') or dateline_end(s) is not None)


def opinion_hits(s: str) -> int:
    """Opinion markers outside quotation marks."""
    return len(OPINION.findall(outside_quotes(s)))


# --- passes ------------------------------------------------------------------------------------


def split_sections(text: str) -> list[Section]:
    """Split normalised ``text`` into ordered, non-overlapping sections covering every non-blank line.

    Consecutive lines of one kind merge into one section spanning from the first line's first
    non-space character to the last line's last non-space character; ``Section.text`` is
    ``text[start:end]``. Blank lines belong to no section. See the module docstring for the rules.
    """
    lines = _lines(text)
    furniture = [is_furniture(ln.probe, ln.words) for ln in lines]
    for ln, furn in zip(lines, furniture, strict=True):
        if furn:
            ln.kind = "boilerplate"
    _mark_chrome(lines)
    forum = _mark_forum_headers(lines)
    if forum:
        _mark_thread_title(lines)
    else:
        _mark_headline(lines)
    _mark_comments(lines, forum)
    _unmark_pasted_news(lines)
    _mark_commentary(lines)
    for ln in lines:
        if ln.kind is None:
            ln.kind = "body"
    return _merge(text, lines)


def _mark_chrome(lines: list[_Line]) -> None:
    """Furniture that needs its neighbours: a site name above a menu, link lists, signatures,
    author bios and a press release's trailer."""
    if len(lines) > 1 and _is_site_name(lines[0]) and _is_menu(lines[1]):
        lines[0].kind = "boilerplate"  # "NewsHive" above "Skip to main content"
    _mark_link_lists(lines)
    _mark_role_bylines(lines)
    _mark_signatures(lines)
    _mark_author_bios(lines)
    _mark_trailer(lines)
    _mark_inline_links(lines)
    _mark_banner_above_dateline(lines)
    _mark_header_values(lines)


def _mark_header_values(lines: list[_Line]) -> None:
    """Values under a forum header's bare labels ('Messages' / '1,204'), and a user handle printed
    alone right above a post's timestamp ('riverguy' / '03-14-2031, 10:52 PM' or '· 7h')."""
    for i, ln in enumerate(lines[:-1]):
        nxt = lines[i + 1]
        if ln.kind == "boilerplate" and FORUM_META.match(ln.probe) and nxt.kind is None:
            if HEADER_VALUE.match(nxt.probe):
                nxt.kind = "boilerplate"
        elif (
            ln.kind is None
            and is_handle(ln.probe)
            and ln.probe.lower() not in NOT_NAMES
            and nxt.kind == "boilerplate"
            and _is_stamp(nxt.probe)
        ):
            ln.kind = "boilerplate"


def _is_stamp(s: str) -> bool:
    """A post's timestamp line: a date with a clock time, or an age ('· 7h', 'OP · 3h')."""
    if is_date_only(s) and _has_time(s):
        return True
    parts = [p.strip(" ·•|") for p in s.split("·")]
    aged = any(SHORT_AGE.match(p) for p in parts)
    return (aged and is_meta_line(s)) or bool(SHORT_AGE.match(s.strip(" ·•")))


def _mark_inline_links(lines: list[_Line]) -> None:
    """'Opinion: Why the talks failed' between paragraphs: a link to another story (not a headline,
    which comes before any prose)."""
    seen_prose = False
    for ln in lines:
        if ln.kind is not None:
            continue
        title = ln.probe.rstrip("\"”’'")
        if (
            seen_prose
            and ln.words <= MAX_INLINE_LINK_WORDS
            and INLINE_LINK.match(ln.probe)
            and not title.endswith((".", "!", "?", ":", ";"))
        ):
            ln.kind = "boilerplate"
        elif is_prose(ln.probe, ln.words):
            seen_prose = True


def _mark_banner_above_dateline(lines: list[_Line]) -> None:
    """A site's appeal paragraphs (a relief fund, a donation drive) right above the story's dateline,
    at the top of the page: chrome, since the story starts at its dateline."""
    window = lines[:HEADLINE_WINDOW_LINES]
    i = next((k for k, x in enumerate(window) if x.kind is None and dateline_end(x.probe) is not None), None)
    if i is None:
        return
    run = []
    for j in range(i - 1, -1, -1):
        if lines[j].kind == "boilerplate":
            continue
        if lines[j].kind is not None or not is_prose(lines[j].probe, lines[j].words):
            break
        run.append(j)
    appeals = [j for j in run if APPEAL.search(lines[j].probe) and lines[j].words >= MIN_ASIDE_WORDS]
    if 0 < len(run) <= MAX_CHROME_PROSE_LINES and appeals:  # an appeal is a paragraph, not a headline
        for j in run:
            lines[j].kind = "boilerplate"


def _is_site_name(ln: _Line) -> bool:
    """A short capitalised first line without figures: a site name, not a short headline."""
    no_figures = not any(c.isdigit() for c in ln.probe)
    return ln.kind is None and is_masthead(ln.probe) and not is_prose(ln.probe, ln.words) and no_figures


def _is_menu(ln: _Line) -> bool:
    """Navigation or page chrome (not a byline or date line, which follow headlines)."""
    s = _unquote(ln.probe)
    return ln.kind == "boilerplate" and not is_byline(s) and not is_date_only(s)


def _is_link(ln: _Line) -> bool:
    """A linked title in a list: short, title-shaped, not a sentence ('2. Central bank holds rates')."""
    s = ln.probe.lstrip("0123456789.) ").strip() if ln.probe[:1].isdigit() else ln.probe
    words = len(s.split())
    return 0 < words <= MAX_LINK_WORDS and s[:1].isupper() and not s.endswith((".", ":", ";", ","))


def _mark_link_lists(lines: list[_Line]) -> None:
    """The titles listed under 'Related stories' or 'Most read' are links to other pages."""
    for i, ln in enumerate(lines):
        if (
            ln.kind != "boilerplate"
            or _key(FURNITURE_PREFIX.sub("", ln.probe) or ln.probe) not in LINK_LIST_HEADS
        ):
            continue
        for nxt in lines[i + 1 :]:
            if nxt.kind is not None or not _is_link(nxt):
                break
            nxt.kind = "boilerplate"


def is_role_line(s: str, words: int) -> bool:
    """The second line of a byline without 'By': 'Northern correspondent, Varn', 'Staff writer'."""
    if words > MAX_ROLE_WORDS or s.endswith((".", "!", "?", ":")) or not s[:1].isupper():
        return False
    head = [w.strip(",").lower() for w in s.split(",")[0].split()]
    return bool(head) and head[-1] in ROLE_WORDS and head[0] not in NOT_NAMES


def _mark_role_bylines(lines: list[_Line]) -> None:
    """A job-title line ('Defence correspondent') and the name line above it form a byline."""
    for i, ln in enumerate(lines):
        if ln.kind is not None or not is_role_line(ln.probe, ln.words):
            continue
        ln.kind = "boilerplate"
        if i > 0 and lines[i - 1].kind is None and is_name(lines[i - 1].probe):
            lines[i - 1].kind = "boilerplate"


def _mark_signatures(lines: list[_Line]) -> None:
    """The short lines after a '--' signature delimiter, up to other furniture, are a signature."""
    for i, ln in enumerate(lines):
        if ln.probe.strip() != "--":
            continue
        run = []
        for nxt in lines[i + 1 : i + 3]:
            if nxt.kind is not None or nxt.words > MAX_FURNITURE_WORDS:
                break
            run.append(nxt)
        after = i + 1 + len(run)
        if run and (after >= len(lines) or lines[after].kind == "boilerplate"):
            for nxt in run:
                nxt.kind = "boilerplate"


def _byline_names(lines: list[_Line]) -> set[str]:
    """Author names from the page's bylines ('By Jane Doe | Outlet' -> 'Jane Doe')."""
    names = set()
    for ln in lines:
        s = _unquote(ln.probe)
        if ln.kind != "boilerplate" or not is_byline(s):
            continue
        for part in re.split(r",| and | \| | - | — ", s[3:]):
            words = part.split()
            if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
                names.add(" ".join(words))
    return names


def _mark_author_bios(lines: list[_Line]) -> None:
    """'Jane Doe is our science correspondent.': a line about the byline's author is end matter."""
    names = _byline_names(lines)
    if not names:
        return
    for ln in lines:
        if ln.kind is not None or ln.words > MAX_BANNER_WORDS or any(c in ln.probe for c in '"“”'):
            continue
        if ln.probe.strip(" ,.|") in names:
            ln.kind = "boilerplate"  # the author's name again, alone on its line
            continue
        for name in names:
            rest = ln.probe[len(name) :] if ln.probe.startswith(name) else ""
            verb = rest.split()[0].lower() if rest.split() else ""
            if rest.startswith(("'s ", "’s ")) or verb in BIO_VERBS:
                ln.kind = "boilerplate"
                break


def _mark_trailer(lines: list[_Line]) -> None:
    """A press release's trailer ('-ENDS-', 'Notes to editors', 'About the X Trust', 'Media contact')
    runs to the end of the page (or to a comment thread): all of it is boilerplate."""
    seen_prose = False
    for i, ln in enumerate(lines):
        if ln.kind is None and is_prose(ln.probe, ln.words):
            seen_prose = True
        if not seen_prose or not _opens_trailer(lines, i):
            continue
        ln.kind = "boilerplate"
        for nxt in lines[i + 1 :]:
            if is_thread_header(nxt.probe):
                break
            nxt.kind = "boilerplate"
        return


def _opens_trailer(lines: list[_Line], i: int) -> bool:
    ln = lines[i]
    if _key(ln.probe) in TRAILER_HEADS:
        return True
    if ln.kind is not None or not ABOUT_HEAD.match(ln.probe) or ln.words > 8 or ln.probe.endswith("."):
        return False
    rest = 0
    for x in lines[i + 1 :]:  # stops early: a long stretch after the heading is article text
        rest += x.kind is None
        if rest > MAX_ABOUT_LINES:
            return False
    return rest > 0


def is_post_meta(ln: _Line) -> bool:
    """A field of a forum post header that the furniture pass already knows ('Posts: 1,486')."""
    return ln.kind == "boilerplate" and ln.words <= MAX_ROLE_WORDS and bool(FORUM_META.match(ln.probe))


def _mark_forum_headers(lines: list[_Line]) -> bool:
    """Forum post headers: the user name and rank lines above 'Joined:'/'Posts:' fields, back to the
    post number ('Post #2', '#41'). Returns True when the page is a forum thread (two or more
    header fields)."""
    metas = [i for i, ln in enumerate(lines) if is_post_meta(ln)]
    if len(metas) < MIN_FORUM_FIELDS:
        return False
    for i in metas:
        for j in range(i - 1, max(-1, i - MAX_HEADER_LINES), -1):
            other = lines[j]
            if other.kind is None and _is_header_field(other.probe, other.words):
                other.kind = "boilerplate"
            elif other.kind != "boilerplate" or COUNTER_LINE.match(_key(other.probe)):
                break  # prose, or the post number that opens this header
    return True


def _is_header_field(s: str, words: int) -> bool:
    """A user name or rank in a post header: a few words, no sentence punctuation or quote marks."""
    return (
        words <= MAX_HEADER_FIELD_WORDS
        and not s.endswith((".", "!", "?", ":", ","))
        and not any(c in s for c in '"“”')
    )


def _mark_thread_title(lines: list[_Line]) -> None:
    """A forum thread's title is the last title-like line above the first post header; the member
    who opened the thread wrote it (commentary). Lines above it are the forum's chrome."""
    first_post = next((i for i, ln in enumerate(lines) if is_post_meta(ln)), len(lines))
    title = None
    for i in range(first_post):
        if lines[i].kind is None and is_title_like(lines[i].probe, lines[i].words):
            title = i
    if title is None:
        return
    lines[title].kind = "commentary"
    for ln in lines[:title]:
        if ln.kind is None:
            ln.kind = "boilerplate"


def _content(lines: list[_Line]) -> list[int]:
    """Indexes of lines not yet given a kind."""
    return [i for i, ln in enumerate(lines) if ln.kind is None]


def _next_content(lines: list[_Line], i: int) -> int | None:
    """The next unlabelled line after ``i`` (furniture such as bylines and dates is skipped)."""
    for j in range(i + 1, len(lines)):
        if lines[j].kind is None:
            return j
    return None


def _mark_headline(lines: list[_Line]) -> None:
    """Find the headline; on a page that opens with chrome, everything before it is boilerplate."""
    content = _content(lines)
    if not content:
        return
    first = lines[0]
    opened_with_furniture = first.kind == "boilerplate" or (
        first.words <= MAX_FURNITURE_WORDS and bool(APPEAL.search(first.probe))
    )
    prose_skipped = 0
    for i in content[:HEADLINE_WINDOW_LINES]:
        ln = lines[i]
        if is_prose(ln.probe, ln.words):
            if not opened_with_furniture or is_first_person(ln.probe):
                return  # the page starts with prose, or a poster's own words come first: not chrome
            prose_skipped += 1
            if prose_skipped > MAX_CHROME_PROSE_LINES:
                return
            continue
        if is_title_like(ln.probe, ln.words) and not is_masthead(ln.probe) and _followed_by_prose(lines, i):
            ln.kind = "headline"
            for j in range(i):
                if lines[j].kind is None:
                    lines[j].kind = "boilerplate"
            return


def _followed_by_prose(lines: list[_Line], i: int) -> bool:
    """The next content line is article prose (allowing one deck line), not a banner appeal."""
    j = _next_content(lines, i)
    if j is not None and is_title_like(lines[j].probe, lines[j].words):
        j = _next_content(lines, j)  # a deck/standfirst between headline and story
    if j is not None and any(_key(ln.probe) in SUMMARY_HEADS for ln in lines[i + 1 : j]):
        for _ in range(MAX_SUMMARY_ITEMS):  # a "Key points" list between headline and story
            if j is None or is_prose(lines[j].probe, lines[j].words):
                break
            j = _next_content(lines, j)
    if j is None:
        return False
    nxt = lines[j]
    return is_prose(nxt.probe, nxt.words) and not APPEAL.search(nxt.probe)


def _mark_comments(lines: list[_Line], forum: bool = False) -> None:
    """Label reader comments: after a commenter-name line, or inside a thread after its header
    (on a ``forum`` page, a post header opens the thread)."""
    in_thread = in_comment = False
    comment_has_text = False
    seen_prose = False
    for i, ln in enumerate(lines):
        nxt = lines[i + 1].probe if i + 1 < len(lines) else None
        if ln.kind is None and commenter_kind(ln.probe, nxt, in_thread):
            ln.kind = "boilerplate"
            in_comment, comment_has_text = True, False
            continue
        if ln.kind == "boilerplate":
            if is_thread_end(ln.probe):
                in_thread = in_comment = False
            elif forum and is_post_meta(ln):
                in_thread = True  # a forum post header: member posts follow, up to the thread's end
            elif seen_prose and _opens_thread(lines, i):
                in_thread = True
            elif comment_has_text:
                in_comment = False  # furniture ends a comment that already has its text
            continue
        if ln.kind is None:
            if in_thread or in_comment:
                ln.kind = "comments"
                comment_has_text = True
            elif is_prose(ln.probe, ln.words):
                seen_prose = True


def _unmark_pasted_news(lines: list[_Line]) -> None:
    """News pasted into a comment or forum post is article text, not the commenter's words.

    Two or more consecutive comment paragraphs in the reported voice (attribution cue or
    quotation marks, no first person, at least :data:`PASTED_MIN_WORDS` words) go back to body.
    """
    voice = _Voice(lines)

    def pasted(i: int) -> bool:
        ln = lines[i]
        return ln.kind == "comments" and ln.words >= PASTED_MIN_WORDS and voice.reported(i)

    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and pasted(j):
            j += 1
        if j - i >= 2:
            while j < len(lines) and _continues_paste(lines, voice, j):
                j += 1  # the pasted story's unattributed paragraphs after its attributed ones
            for k in range(i, j):
                lines[k].kind = None
            _unmark_pasted_title(lines, i)
        i = max(j, i + 1)


def _continues_paste(lines: list[_Line], voice: _Voice, i: int) -> bool:
    """A comment paragraph right after pasted news that reads like news too (long, no first
    person, no opinion markers) belongs to the same paste."""
    ln = lines[i]
    return (
        ln.kind == "comments"
        and ln.words >= PASTED_MIN_WORDS
        and not voice.personal(i)
        and opinion_hits(ln.probe) == 0
    )


def _unmark_pasted_title(lines: list[_Line], first: int) -> None:
    """The pasted story's headline (above its byline, if any) is article text too."""
    i = first - 1
    while i >= 0 and lines[i].kind == "boilerplate" and is_byline(_unquote(lines[i].probe)):
        i -= 1
    if i >= 0 and lines[i].kind == "comments" and is_title_like(lines[i].probe, lines[i].words):
        lines[i].kind = None


def _opens_thread(lines: list[_Line], i: int) -> bool:
    """A thread header opens a thread when it counts comments or comment furniture follows.

    A bare "Comments" link also appears in share bars at the top of news pages; only a header
    followed by a commenter line or a timestamp (or a non-zero count) is taken as a thread.
    """
    s = lines[i].probe
    if not is_thread_header(s):
        return False
    m = THREAD_HEADER_COUNTED.match(_key(s))
    if m:
        count = m.group("count") or m.group("titled") or m.group("n") or ""
        if count.lower() not in ("no", "0"):
            return True
    for j in range(i + 1, min(i + 4, len(lines))):
        nxt = lines[j + 1].probe if j + 1 < len(lines) else None
        if commenter_kind(lines[j].probe, nxt, True) or is_date_only(lines[j].probe):
            return True
    # a signature after each comment ("Posted by: Jane Doe | March 3, 2031 at 10:01 PM")
    return any(_is_comment_signature(ln.probe) for ln in lines[i + 1 : i + 1 + MAX_COMMENT_LINES])


def _is_comment_signature(s: str) -> bool:
    """'Posted by: Jane Doe | March 3, 2031 at 10:01 PM': the name and time under a reader comment
    (the post's own footer reads 'Posted by Jane Doe at …', without the colon)."""
    return bool(COMMENT_SIGNATURE.match(s)) and _has_time(s)


def _mark_commentary(lines: list[_Line]) -> None:
    """Label a blogger's text next to excerpt boundaries (module docstring, pass 4)."""
    voice = _Voice(lines)
    own = _own_blog_post(lines, voice)
    if own:
        for i in own:
            lines[i].kind = "commentary"
        return
    chosen: set[int] = set()
    for ln in lines:
        if ln.kind is None and LABEL_LINE.match(ln.probe) and ln.words <= 10:
            ln.kind = "commentary"
    _mark_trailing_post_title(lines)
    for anchor, step, tail_rule in _anchors(lines):
        chosen |= _grow(lines, voice, anchor, step, tail_rule)
    intros = _excerpt_intros(lines)
    for i in intros:
        chosen |= {i} | _grow(lines, voice, i - 1, -1, False)
    chosen |= _writes_intro(lines, voice)
    chosen |= {i for i in _content(lines) if _is_editor_remark(lines[i])}
    layers = _voice_layers(lines, voice) | {i for i in _content(lines) if _is_reposter_note(lines[i])}
    if not chosen and not layers:
        return
    content = _content(lines)
    # the blogger's deck or title line opens the post: the headline above it is the blogger's too
    decked = bool(layers) and content[0] in layers and _title_line(lines[content[0]])
    rest = [i for i in content if i not in chosen and i not in layers]
    personal = sum(1 for i in rest if voice.personal(i))
    if personal >= 2 and personal >= UNIFORM_VOICE_SHARE * len(rest):
        return  # the whole page speaks in the first person: no contrast, no commentary
    asides = sum(1 for i in rest if voice.aside(i))
    if asides >= 2 and asides >= MAX_BLOGGER_SHARE * len(rest):
        return  # as above, in questions and asides to the reader: an op-ed, an interview
    chosen |= layers
    chosen |= {i for i in rest if _is_interjection(lines[i], voice.personal(i))}
    for i in chosen:
        lines[i].kind = "commentary"
    if decked or any(_is_excerpt_headline(lines, i + 1) for i in chosen):
        _mark_post_title(lines)  # the excerpt has its own headline, so the page's title is the blogger's


def _voice_layers(lines: list[_Line], voice: _Voice) -> set[int]:
    """A blogger's lines around pasted news with no elision or label to mark the cut: lines in the
    blogger's voice (:meth:`_Voice.blogger`), the plain lines between two of them, and a title-like
    first line right above one. Only on a page with two voices: at least two blogger lines and two
    news paragraphs, and the blogger's lines under :data:`MAX_BLOGGER_SHARE` of the page."""
    content = _content(lines)
    blog = [i for i in content if voice.blogger(i)]
    if len(blog) < 2 or len(blog) >= MAX_BLOGGER_SHARE * len(content):
        return set()
    news = [i for i in content if voice.news(i)]
    if len(news) < 2:
        return set()
    if not all(_frames_excerpt(lines, voice, content, run) for run in _runs(content, set(blog))):
        return set()  # the same voice inside the story: the writer's own piece, not a repost
    out = set(blog)
    news_set = set(news)
    voiced = sorted(blog + news)
    for k, i in enumerate(content):
        if i in out or i in news_set:
            continue
        at = bisect.bisect_left(voiced, i)  # voiced lines are sorted: the nearest ones by bisection
        above = voiced[at - 1] if at > 0 else None
        below = voiced[at] if at < len(voiced) else None
        if above in out and below in out:
            out.add(i)  # a plain line between two of the blogger's
        elif k == 0 and below in out and below == content[1] and _title_line(lines[i]):
            out.add(i)  # the post's title above the blogger's first line
        elif k == 0 and _title_line(lines[i]) and FIRST_PLURAL.search(outside_quotes(lines[i].probe)):
            out.add(i)  # a deck in the blogger's "we" ("Another of our fine policies")
    return out


def _mark_trailing_post_title(lines: list[_Line]) -> None:
    """A blog engine's post title printed after the post, right above its 'Posted by NAME at TIME'
    footer, once the article's prose is over: the blogger's title, not a headline of the article."""
    seen_prose = False
    for i, ln in enumerate(lines[:-1]):
        if ln.kind is None and is_prose(ln.probe, ln.words):
            seen_prose = True
            continue
        nxt = _unquote(lines[i + 1].probe)
        if (
            seen_prose
            and ln.kind is None
            and _title_line(ln)
            and lines[i + 1].kind == "boilerplate"
            and nxt.lower().startswith("posted by ")
            and _has_time(nxt)
            and all(x.kind is not None for x in lines[i + 1 :])
        ):
            ln.kind = "commentary"


def _own_blog_post(lines: list[_Line], voice: _Voice) -> set[int]:
    """A blog post that reposts nothing, above its readers' thread ('37 thoughts on “Title”'): the
    title and every line of the post are the blogger's. Needs a thread header that names the post, a
    line in the blogger's voice, and no sign of an excerpt (dateline, byline, elision, '>' quote,
    a lead-in ending in ':')."""
    thread = next(
        (i for i, ln in enumerate(lines) if ln.kind == "boilerplate" and _titled_thread(ln.probe)), None
    )
    if thread is None:
        return set()
    post = [i for i in range(thread) if lines[i].kind in (None, "headline")]
    for ln in lines[:thread]:
        s = _unquote(ln.probe)
        if ln.kind == "boilerplate" and (is_elision(ln.probe) or is_byline(s)):
            return set()
        if ln.kind is None and (
            dateline_end(ln.probe) is not None or ln.probe.startswith(">") or ln.probe.endswith(":")
        ):
            return set()
    if not any(voice.blogger(i) for i in post if lines[i].kind is None):
        return set()
    return set(post)


def _titled_thread(s: str) -> bool:
    """'37 thoughts on “Title”', '5 Responses to “Title”': a blog's comment header naming its post."""
    m = THREAD_HEADER_COUNTED.match(_key(s))
    return bool(m and m.group("titled"))


def _runs(content: list[int], members: set[int]) -> list[list[int]]:
    """Maximal runs of consecutive content lines that are all in ``members``."""
    runs: list[list[int]] = []
    for k, i in enumerate(content):
        if i not in members:
            continue
        if runs and k > 0 and content[k - 1] == runs[-1][-1]:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _frames_excerpt(lines: list[_Line], voice: _Voice, content: list[int], run: list[int]) -> bool:
    """A run of blogger lines sits where a reposter writes: at the top of the post (under its title at
    most), at its end, or as a short lead-in above a news paragraph or ending in ':' or '…'."""
    top = content[1] if len(content) > 1 and _title_line(lines[content[0]]) else content[0]
    if run[0] in (content[0], top) or run[-1] == content[-1]:
        return True
    if MY_LABEL.match(lines[run[0]].probe):
        return True  # "My take: …" after each item of a roundup
    k = bisect.bisect_left(content, run[-1])
    nxt = content[k + 1] if k + 1 < len(content) else None
    if nxt is None or not all(lines[i].words <= MAX_LEADIN_WORDS for i in run):
        return False
    last = outside_quotes(lines[run[-1]].probe).strip()
    return voice.news(nxt) or last.endswith(":") or bool(TRAILING_ELLIPSIS.search(last))


def _is_reposter_note(ln: _Line) -> bool:
    """A reposter's signed note set apart in brackets: '(riverguy: I can hardly believe this.)',
    '[Editor: the figures below are from March.]'. The label says who wrote it: not the article."""
    s = ln.probe.rstrip(".")
    if ln.words < INTERJECTION_MIN_WORDS or not (
        (s[:1] == "(" and s.endswith(")")) or (s[:1] == "[" and s.endswith("]"))
    ):
        return False
    label, colon, rest = s[1:].partition(":")
    label = label.strip()
    if not colon or not rest.strip() or ")" in label or "]" in label:
        return False
    return (
        _key(label) in NOTE_LABELS or is_name(label) or (is_handle(label) and label.lower() not in NOT_NAMES)
    )


def _title_line(ln: _Line) -> bool:
    return is_title_like(ln.probe, ln.words)


def _is_excerpt_headline(lines: list[_Line], i: int) -> bool:
    """A headline-shaped line with a byline under it: where a reposted article starts."""
    if i + 1 >= len(lines) or lines[i].kind is not None:
        return False
    nxt = lines[i + 1]
    return (
        is_title_like(_unquote(lines[i].probe), lines[i].words)
        and nxt.kind == "boilerplate"
        and is_byline(_unquote(nxt.probe))
    )


def _is_interjection(ln: _Line, personal: bool) -> bool:
    """A reposter's aside between excerpt paragraphs: a whole paragraph in [brackets], or a
    first-person one in (parentheses). Only looked for on pages that have commentary."""
    s = ln.probe.rstrip(".")
    if ln.words < INTERJECTION_MIN_WORDS:
        return False
    return (s[:1] == "[" and s.endswith("]")) or (personal and s[:1] == "(" and s.endswith(")"))


def _is_editor_remark(ln: _Line) -> bool:
    """'Editor: So the council knew in March.' — the site's editor speaking under a reposted story
    (a credit such as 'Editor: Jane Doe' is a name, not a remark)."""
    label, colon, rest = ln.probe.partition(":")
    return (
        bool(colon)
        and _key(label) in EDITOR_LABELS
        and len(rest.split()) >= INTERJECTION_MIN_WORDS + 2
        and not is_name(rest.strip())
    )


def _writes_intro(lines: list[_Line], voice: _Voice) -> set[int]:
    """'Here is what Jane Doe writes on her channel.' near the top of a post: it and the lines above
    it (to the headline) are the reposter's intro; the excerpt follows."""
    content = _content(lines)
    for k, i in enumerate(content[:MAX_INTRO_LINES]):
        if (
            _writes_cue(lines[i].probe)
            and WRITES_INTRO.search(outside_quotes(lines[i].probe))
            and k + 1 < len(content)
        ):
            run = content[: k + 1]
            if any(dateline_end(lines[j].probe) is not None or voice.news(j) for j in run[:-1]):
                return set()
            return set(run)
    return set()


def _excerpt_intros(lines: list[_Line]) -> list[int]:
    """Lines that introduce a reposted excerpt ('From this morning's wire:' above '> …' lines or
    above a quoted headline and its byline): the reposter's framing, whatever its verbs."""
    out = []
    for i, ln in enumerate(lines[:-1]):
        if ln.kind is not None or not ln.probe.endswith(":"):
            continue
        nxt = lines[i + 1]
        quoted = nxt.probe.startswith(">") and not nxt.probe.startswith(">>")
        after = lines[i + 2] if i + 2 < len(lines) else None
        headed = (
            is_title_like(nxt.probe, nxt.words)
            and after is not None
            and after.kind == "boilerplate"
            and is_byline(_unquote(after.probe))
        )
        if quoted or headed or (FROM_LEAD.match(ln.probe) and ln.words <= MAX_FROM_LEAD_WORDS):
            out.append(i)
    return out


def _mark_post_title(lines: list[_Line]) -> None:
    """A headline whose post opens with the blogger's own words (only furniture between them)
    is the blogger's title, not a reported article's."""
    head = next((i for i, ln in enumerate(lines) if ln.kind == "headline"), None)
    if head is None:
        return
    for ln in lines[head + 1 :]:
        if ln.kind == "commentary":
            lines[head].kind = "commentary"
        if ln.kind != "boilerplate":
            return


def _introduces(ln: _Line) -> bool:
    """A cue line for a block quote: 'He writes:' or 'Here is what she writes on her blog.'."""
    return ln.kind in (None, "commentary") and (
        (ln.probe.endswith(":") and ln.kind is None) or _writes_cue(ln.probe)
    )


def _writes_cue(s: str) -> bool:
    low = s.lower()
    return any(k in low for k in WRITES_KEYS) and bool(WRITES_INTRO.search(s))


class _Voice:
    """Cached per-line voice features; block quotes after a 'writes:' cue are not first-person."""

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self._personal: dict[int, bool] = {}
        self._blogger: dict[int, bool] = {}

    def personal(self, i: int) -> bool:
        if i not in self._personal:
            prev = self._previous(i)
            block_quote = prev is not None and _introduces(prev)
            self._personal[i] = not block_quote and is_first_person(self.lines[i].probe)
        return self._personal[i]

    def reported(self, i: int) -> bool:
        return not self.personal(i) and is_reported(self.lines[i].probe)

    def blogger(self, i: int) -> bool:
        """The blogger's voice: first person, or (outside quotation marks) a question put to the
        reader, a line that trails off in an ellipsis, or stacked opinion markers."""
        if i not in self._blogger:
            self._blogger[i] = self._blogger_voice(i)
        return self._blogger[i]

    def _blogger_voice(self, i: int) -> bool:
        if self.personal(i):
            return True
        ln = self.lines[i]
        prev = self._previous(i)
        if prev is not None and _introduces(prev):
            return False  # a block quote after "writes:"
        raw = ln.probe
        if "?" not in raw and not TRAILING_ELLIPSIS.search(raw) and len(OPINION.findall(raw)) < 2:
            return False  # no mark anywhere in the line, so none outside its quotes
        free = outside_quotes(raw).strip()
        if ln.words >= MIN_ASIDE_WORDS and "?" in free and ADDRESS.search(free):
            return True  # "What would you do?": a reporter's rhetorical question does not turn to the reader
        if TRAILING_ELLIPSIS.search(free) and not is_elision(free):
            return ln.words < MIN_ASIDE_WORDS or not REPORTING.search(free)
        return opinion_hits(ln.probe) >= 2

    def aside(self, i: int) -> bool:
        """The blogger's voice or any question of the writer's own in a paragraph: on pages where most
        lines read like this, one voice speaks throughout (an op-ed, an interview, a transcript)."""
        ln = self.lines[i]
        return self.blogger(i) or (ln.words >= MIN_ASIDE_WORDS and "?" in outside_quotes(ln.probe))

    def news(self, i: int) -> bool:
        """A reporter's paragraph: a reporting cue, a quotation or a dateline, not the blogger's voice."""
        return not self.blogger(i) and (self.reported(i) or bool(REPORTING_MORE.search(self.lines[i].probe)))

    def _previous(self, i: int) -> _Line | None:
        return self.lines[i - 1] if i > 0 else None


def _anchors(lines: list[_Line]) -> list[tuple[int, int, bool]]:
    """(first line, direction, is-final-tail) for every place a blogger's text may border."""
    out: list[tuple[int, int, bool]] = []
    last_boundary = max((i for i, ln in enumerate(lines) if _is_boundary(ln)), default=None)
    widget = next((i for i, ln in enumerate(lines) if ln.kind == "comments" or _is_widget(ln)), None)
    for i, ln in enumerate(lines):
        if _is_boundary(ln):
            out.append((i + 1, 1, i == last_boundary))
            out.append((i - 1, -1, False))
    if widget is not None and (last_boundary is None or last_boundary < widget):
        j = widget - 1
        while j >= 0 and lines[j].kind == "boilerplate" and not _is_boundary(lines[j]):
            j -= 1  # skip "Posted by …", "Labels: …", share bars between the post and its comments
        out.append((j, -1, False))
    intro = _intro_anchor(lines)
    if intro is not None:
        out.append((intro, 1, False))
    return out


def _is_boundary(ln: _Line) -> bool:
    """Elision and label lines cut an excerpt from a blogger's own words, and so does the link that
    ends a pasted excerpt ('Read more at …', 'Continue reading', a bare address)."""
    return (ln.kind == "boilerplate" and (is_elision(ln.probe) or _ends_excerpt(ln.probe))) or (
        ln.kind == "commentary" and bool(LABEL_LINE.match(ln.probe))
    )


def _ends_excerpt(s: str) -> bool:
    return bool(EXCERPT_END.match(_key(s)) or URL_LINE.match(s))


def _is_widget(ln: _Line) -> bool:
    """A comment widget or thread header ('Comments', 'Post a Comment', '3 comments:')."""
    return ln.kind == "boilerplate" and (
        is_thread_header(ln.probe)
        or _key(ln.probe) in {"post a comment", "no comments", "add a comment", "comments are closed"}
    )


def _intro_anchor(lines: list[_Line]) -> int | None:
    """The first content line when it opens a blog intro followed by an excerpt, else None."""
    content = _content(lines)
    if not content:
        return None
    first = content[0]
    run = []
    for i in content[:4]:
        ln = lines[i]
        if is_title_like(ln.probe, ln.words) or dateline_end(ln.probe) is not None:
            break
        run.append(i)
        if ln.probe.endswith(":") or INTRO_POINTER.search(ln.probe):
            return first
    if run and len(run) < len(content[:4]):
        return first  # a quoted headline or dateline follows the intro
    return None


def _grow(lines: list[_Line], voice: _Voice, start: int, step: int, tail_rule: bool) -> set[int]:
    """Grow a run of content lines from ``start``; return it if it reads as commentary."""
    run: list[int] = []
    i = start
    hard_stop = True
    while 0 <= i < len(lines):
        if lines[i].kind is not None or (step > 0 and _is_excerpt_headline(lines, i)):
            break
        if voice.reported(i) or len(run) == MAX_COMMENTARY_RUN:
            hard_stop = False
            break
        run.append(i)
        i += step
    if not run:
        return set()
    personal = [k for k, idx in enumerate(run) if voice.personal(idx)]
    if personal and personal[0] < MAX_PERSONAL_DISTANCE:
        return set(run if hard_stop else run[: personal[-1] + 1])
    reaches_end = i >= len(lines) or lines[i].kind in ("boilerplate", "comments")
    if tail_rule and hard_stop and reaches_end and sum(opinion_hits(lines[k].probe) for k in run) >= 2:
        return set(run)
    return set()


def _merge(text: str, lines: list[_Line]) -> list[Section]:
    """Merge consecutive lines of one kind into sections."""
    sections: list[Section] = []
    for ln in lines:
        kind: SectionKind = ln.kind or "body"
        if sections and sections[-1].kind == kind:
            sections[-1].end = ln.end
        else:
            sections.append(Section(kind, ln.start, ln.end, ""))
    for s in sections:
        s.text = text[s.start : s.end]
    return sections


#: Section kinds whose text can hold quotes and claims (furniture is never analysed).
CLAIM_KINDS: tuple[SectionKind, ...] = ("headline", "body", "commentary", "comments")


def claim_lines(text: str, sections: list[Section]) -> list[tuple[int, int, SectionKind]]:
    """The non-blank lines of the sections that can hold claims, trimmed, as (start, end, kind)."""
    out: list[tuple[int, int, SectionKind]] = []
    for s in sections:
        if s.kind not in CLAIM_KINDS:
            continue
        pos = s.start
        for line in text[s.start : s.end].split("\n"):
            stripped = line.strip()
            if stripped:
                lo = pos + len(line) - len(line.lstrip())
                out.append((lo, lo + len(stripped), s.kind))
            pos += len(line) + 1
    return out
