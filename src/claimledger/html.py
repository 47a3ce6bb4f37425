"""HTML pages to text with trafilatura: the main text, title, date, URL and site name.

Reader comments come after a "Comments" line so that the sections step keeps them apart from
the article. (Streaming archives, URL fetching and parsing in a worker process with a deadline
are the input readers' job; this is the in-process path behind ``claimledger.extract``.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HTML_START = re.compile(r"\s*(?:<!doctype html|<html|<head|<body|<article|<div|<p[\s>])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Page:
    text: str
    title: str | None
    published: str | None
    url: str | None
    site: str | None


def looks_like_html(text: str) -> bool:
    """Sniff the content, not the file name: HTML opens with a tag (after an optional BOM)."""
    return bool(_HTML_START.match(text[:512].lstrip("\ufeff")))


def html_to_page(html: str) -> Page | None:
    """The page's main text and metadata, or None when trafilatura finds no main text."""
    import trafilatura  # imported on first use: plain-text extraction does not need lxml

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=True)
    if doc is None or not (doc.text or "").strip():
        return None
    parts = [doc.text.strip()]
    if doc.title and not doc.text.lstrip().startswith(doc.title):
        parts.insert(0, doc.title.strip())
    if (doc.comments or "").strip():
        parts += ["Comments", doc.comments.strip()]
    return Page("\n".join(parts) + "\n", doc.title, doc.date, doc.url, doc.sitename)
