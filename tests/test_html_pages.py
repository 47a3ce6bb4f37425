"""The same page as HTML and as text gives the same extraction.

Each gold page is wrapped in a Blogger-like and a WordPress-like page generated here (navigation,
sidebar, share buttons, comment widget, footer). Where the text version shows a repost (body then
the blogger's commentary), the article goes into a ``<blockquote>`` and the commentary follows it;
reader comments go into a ``<div id="comments">`` thread. Scored with ``../shared/score.py``, the
HTML versions must be within 0.02 of the text version on every figure.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GOLD, SHARED

TOLERANCE = 0.02


def _esc(s: str) -> str:
    return html.escape(s.strip(), quote=False)


def _parts(doc) -> dict:
    """The text version's layout: chrome before the headline, headline, article, commentary, comments."""
    parts: dict = {"chrome": [], "headline": None, "body": [], "commentary": [], "comments": []}
    seen_headline = False
    pending_name = None
    for s in doc.sections:
        lines = [ln.strip() for ln in s.text.split("\n") if ln.strip()]
        if s.kind == "headline":
            parts["headline"], seen_headline = lines[0], True
        elif s.kind == "body":
            parts["body"] += lines
        elif s.kind == "commentary":
            parts["commentary"] += lines
        elif s.kind == "comments":
            parts["comments"].append((pending_name or "Anonymous", lines))
            pending_name = None
        elif s.kind == "boilerplate":
            if not seen_headline and not parts["body"]:
                parts["chrome"] += lines
            elif lines and lines[-1].lstrip("•· ") != lines[-1]:  # "• Name" heads a comment
                pending_name = lines[-1].lstrip("•· ")
    return parts


SHARE = (
    '<div class="share-buttons"><a href="#">Email This</a> <a href="#">BlogThis!</a> '
    '<a href="#">Share to Twitter</a> <a href="#">Share to Facebook</a></div>'
)


def _article_html(p: dict) -> str:
    body = "".join(f"<p>{_esc(x)}</p>" for x in p["body"])
    if p["commentary"]:
        body = f"<blockquote>{body}</blockquote>" + "".join(f"<p>{_esc(x)}</p>" for x in p["commentary"])
    return body


def blogger_page(p: dict, n: str) -> str:
    """A Blogger-style page around the layout ``p``."""
    title = p["headline"]
    comments = "".join(
        f'<li class="comment"><div class="comment-author">'
        f'<cite class="user">{_esc(name)}</cite> said...</div>'
        f'<div class="comment-content"><p>{"</p><p>".join(_esc(x) for x in lines)}</p></div>'
        f'<span class="comment-timestamp"><a href="#c{i}">9 August 2022 at 10:{i:02d}</a></span></li>'
        for i, (name, lines) in enumerate(p["comments"])
    )
    count = len(p["comments"])
    thread = (
        f'<div id="comments" class="comments"><h4>{count} comments:</h4>'
        f'<ol class="comment-thread">{comments}</ol>'
        if count
        else '<div id="comments" class="comments"><h4>No comments:</h4>'
    ) + '<p class="comment-footer"><a href="#">Post a Comment</a></p></div>'
    chrome = "".join(f"<p>{_esc(x)}</p>" for x in p["chrome"])
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Field Notes{": " + _esc(title) if title else ""}</title>
<link rel="stylesheet" href="/static/blog.css"><script>var _blog = {{"id": "{n}"}};</script></head>
<body class="variant-simple"><div class="navbar section" id="navbar"><a href="/">Field Notes</a> |
<a href="/search?q=">Search</a> | <a href="https://www.blogger.com/">Create Blog</a> |
<a href="#">Sign In</a></div>
<div class="header-outer"><h1 class="title"><a href="/">Field Notes</a></h1>
<p class="description">Notes on the news, from a reader.</p></div>
<div class="banner">{chrome}</div>
<div class="columns"><div class="main-outer"><div class="blog-posts hfeed">
<div class="date-outer"><h2 class="date-header"><span>Monday, August 8, 2022</span></h2>
<div class="post-outer"><div class="post hentry">
{f'<h3 class="post-title entry-title">{_esc(title)}</h3>' if title else ""}
<div class="post-header"></div>
<div class="post-body entry-content" id="post-body-{n}">{_article_html(p)}<div style="clear: both;">
</div></div>
<div class="post-footer"><span class="post-author vcard">Posted by <span class="fn">Jim</span></span>
<span class="post-timestamp">at <a class="timestamp-link" href="#">10:04 AM</a></span>
<span class="post-comment-link"><a href="#comments">{count} comments</a></span>
{SHARE}<span class="post-labels">Labels: <a href="#">news</a>, <a href="#">reposts</a></span></div>
</div>{thread}</div></div></div>
<div class="blog-pager" id="blog-pager">
<a href="#">Newer Post</a> <a href="#">Older Post</a> <a href="/">Home</a></div>
</div>
<div class="sidebar-outer"><div class="widget BlogArchive"><h2>Blog Archive</h2><ul><li>
<a href="#">2022</a> (14)
<ul><li><a href="#">August</a> (3)</li><li><a href="#">July</a> (5)</li></ul></li></ul></div>
<div class="widget PopularPosts"><h2>Popular Posts</h2><ul><li><a href="#">A walk along the old canal</a></li>
<li><a href="#">Why I still read the paper</a></li></ul></div>
<div class="widget Profile"><h2>About Me</h2><p>Jim writes about the news he reads.</p></div></div></div>
<div class="footer-outer"><p>Powered by <a href="https://www.blogger.com">Blogger</a>.</p>
<p>Subscribe to: <a href="#">Post Comments (Atom)</a></p></div></body></html>"""


def wordpress_page(p: dict, n: str) -> str:
    """A WordPress-style page around the layout ``p``."""
    title = p["headline"]
    comments = "".join(
        f'<li id="comment-{i}" class="comment"><article class="comment-body"><footer class="comment-meta">'
        f'<div class="comment-author vcard"><b class="fn">{_esc(name)}</b> '
        '<span class="says">says:</span></div>'
        f'<div class="comment-metadata"><a href="#"><time datetime="2022-08-09T10:{i:02d}:00">'
        f"August 9, 2022 at 10:{i:02d} am</time></a></div></footer>"
        f'<div class="comment-content"><p>{"</p><p>".join(_esc(x) for x in lines)}</p></div>'
        f'<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article></li>'
        for i, (name, lines) in enumerate(p["comments"])
    )
    count = len(p["comments"])
    thread = (
        f'<h2 class="comments-title">{count} thoughts on “{_esc(title or "this post")}”</h2>'
        f'<ol class="comment-list">{comments}</ol>'
        if count
        else ""
    )
    chrome = "".join(f"<p>{_esc(x)}</p>" for x in p["chrome"])
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8"><title>{_esc(title or "Notes")} – Riverside Notes</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2022-08-08T09:00:00+00:00">
<link rel="stylesheet" href="/wp-content/themes/twentytwenty/style.css"></head>
<body class="post-template-default single single-post">
<a class="skip-link screen-reader-text" href="#site-content">Skip to the content</a>
<header id="site-header"><div class="header-titles"><div class="site-title">
<a href="/">Riverside Notes</a></div>
<div class="site-description">Reading the news so you don't have to</div></div>
<nav class="primary-menu-wrapper"><ul class="primary-menu"><li><a href="/">Home</a></li><li>
<a href="/about/">About</a></li>
<li><a href="/archive/">Archive</a></li><li><a href="/contact/">Contact</a></li></ul></nav></header>
<div class="promo">{chrome}</div>
<main id="site-content" role="main">
<article class="post-{n} post type-post status-publish format-standard hentry">
<header class="entry-header">{f'<h1 class="entry-title">{_esc(title)}</h1>' if title else ""}
<div class="post-meta-wrapper"><ul class="post-meta"><li class="post-author">By <a href="#">Jim</a></li>
<li class="post-date"><a href="#"><time datetime="2022-08-08">August 8, 2022</time></a></li></ul></div>
</header>
<div class="post-inner"><div class="entry-content">{_article_html(p)}</div></div>
<div class="sharedaddy"><h3 class="sd-title">Share this:</h3><ul><li><a href="#">Twitter</a></li>
<li><a href="#">Facebook</a></li><li><a href="#">Email</a></li></ul></div>
<nav class="pagination-single"><a class="previous-post" href="#">A walk along the old canal</a>
<a class="next-post" href="#">Why I still read the paper</a></nav>
<div class="comments-wrapper"><div class="comments" id="comments">{thread}</div>
<div id="respond" class="comment-respond"><h2 id="reply-title" class="comment-reply-title">Leave a Reply</h2>
<form id="commentform"><p class="comment-notes">Your email address will not be published.</p>
<textarea id="comment" name="comment"></textarea><input type="submit" value="Post Comment"></form></div></div>
</article></main>
<aside class="widget-area"><section class="widget widget_recent_entries">
<h2 class="widget-title">Recent Posts</h2>
<ul><li><a href="#">A walk along the old canal</a></li><li><a href="#">Why I still read the paper</a>
</li></ul></section>
<section class="widget widget_categories"><h2 class="widget-title">Categories</h2><ul><li>
<a href="#">News</a></li></ul></section></aside>
<footer id="site-footer"><p class="footer-copyright">© 2022 <a href="/">Riverside Notes</a></p>
<p class="powered-by-wordpress"><a href="https://wordpress.org/">Powered by WordPress</a></p></footer>
</body></html>"""


def _score(folder: Path, docs, out: Path) -> dict:
    with out.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")
    res = subprocess.run(
        [sys.executable, str(SHARED / "score.py"), str(folder), str(out), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(res.stdout)


def _flat(figures: dict) -> dict[str, float]:
    out = {}
    for k, v in figures.items():
        if isinstance(v, dict):
            out[k] = v["f1"]
        elif isinstance(v, str) and "/" in v:
            a, b = v.split("/")
            out[k] = int(a) / int(b) if int(b) else 1.0
        elif isinstance(v, (int, float)) and k not in ("docs", "docs_predicted"):
            out[k] = float(v)
    return out


@pytest.fixture(scope="module")
def scores(tmp_path_factory, nlp):
    from claimledger import extract_many

    tmp = tmp_path_factory.mktemp("pages")
    texts = sorted(GOLD.glob("*.txt"))
    text_docs = list(extract_many((str(p), p.read_bytes()) for p in texts))
    out = {"text": _score(GOLD, text_docs, tmp / "text.jsonl")}
    for name, make in (("blogger", blogger_page), ("wordpress", wordpress_page)):
        folder = tmp / name
        folder.mkdir()
        for p, d in zip(texts, text_docs, strict=True):
            (folder / f"{p.stem}.html").write_text(make(_parts(d), p.stem), encoding="utf-8")
        html_docs = list(extract_many((str(f), f.read_bytes()) for f in sorted(folder.glob("*.html"))))
        assert [d.status for d in html_docs] == ["ok"] * len(texts), [d.errors for d in html_docs]
        out[name] = _score(GOLD, html_docs, tmp / f"{name}.jsonl")
    return out


@pytest.mark.requires_shared
@pytest.mark.parametrize("template", ["blogger", "wordpress"])
def test_html_page_scores_like_its_text(scores, template):
    text, page = _flat(scores["text"]), _flat(scores[template])
    worse = {k: (text[k], page[k]) for k in text if page[k] < text[k] - TOLERANCE}
    assert not worse, f"{template}: figures (text, html) that dropped: {worse}"


@pytest.mark.requires_shared
def test_comments_and_commentary_stay_out_of_the_body(nlp):
    from claimledger import extract

    d = next(iter([p for p in sorted(GOLD.glob("*.txt")) if p.stem == "00"]))
    text_doc = extract(d.read_text(encoding="utf-8"), source="00.txt")
    layout = _parts(text_doc)
    comment = "I doubt the figure is that low, the numbers I saw were much higher."
    layout["comments"] = [("Marta K.", [comment])]
    doc = extract(blogger_page(layout, "00"), source="00.html")
    body = " ".join(s.text for s in doc.sections if s.kind == "body")
    assert "I doubt the figure" not in body and "total recent estimate I saw" not in body
    kinds = {s.kind for s in doc.sections}
    assert {"commentary", "comments"} <= kinds
    assert doc.published == "2022-08-08"
