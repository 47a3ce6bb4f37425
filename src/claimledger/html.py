"""HTML pages to text with trafilatura, parsed in a worker process killed at a deadline.

Untrusted markup can make lxml slow (one element with 200,000 attributes takes over a minute) or
make it drop content silently (nesting deeper than 255 levels, a text node over 10 MB). So:

- cheap pre-checks refuse pathological markup before parsing (:func:`precheck`);
- parsing runs in a persistent worker process (:class:`HtmlWorker`), reused across documents and
  restarted after it is killed when the document's time budget (``doc_timeout_s``, see
  :mod:`claimledger.deadline`) runs out. The budget counts from a ready worker: the worker
  imports its parser and parses a small page at start-up (the date parser's first call is slow),
  before it says it is ready; and a page that runs out of time on a worker's first page is
  retried once on a fresh worker, so that a slow start never fails a page;
- the worker compares the text the parser kept with the visible text of the input and reports
  a part the parser dropped (:data:`Page.dropped`), which the document carries as ``partial``.

The text is laid out for :mod:`claimledger.sections`: the title first, one paragraph per line, an
elision line ``[…]`` where a block quote (a quoted article in a blog post) meets the blogger's own
paragraphs, and reader comments after a counted thread header ("3 comments").
"""

from __future__ import annotations

import atexit
import html as htmllib
import json
import logging
import os
import re
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from . import errors
from .deadline import Deadline
from .model import ErrorItem

log = logging.getLogger(__name__)

_HTML_START = re.compile(r"\s*(?:<!doctype html|<html|<head|<body|<article|<div|<p[\s>])", re.IGNORECASE)

#: A start tag longer than this is inspected for its attribute count (normal tags are far shorter).
LONG_TAG_CHARS = 16_384
#: Most attributes one element may have; libxml2 is quadratic in them (200,000 take 78 s).
MAX_ATTRIBUTES = 2_000
#: The parser "dropped content" when it kept less than this share of the visible text ...
MIN_KEPT_SHARE = 0.8
#: ... and at least this many visible characters are missing (small differences are entities etc.).
MIN_DROPPED_CHARS = 200
#: A comment paragraph shorter than this is a widget ("Post a Comment"), not counted as a comment.
MIN_COMMENT_WORDS = 4
#: Line written where quoted material meets the page's own words (an elision line for the sections step).
QUOTE_BOUNDARY = "[…]"
#: trafilatura options: precision keeps block quotes as ``<quote>`` and reader comments out of the body.
_TRAFILATURA_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": True,
    "with_metadata": True,
}

_LONG_TAG = re.compile(rf"<[a-zA-Z][^<>]{{{LONG_TAG_CHARS}}}")
_TAG = re.compile(r"<[^<>]*>")
_SPACE = re.compile(r"\s+")
_BLOCKS = ("p", "head", "list", "table", "quote", "code", "item", "row")


@dataclass(frozen=True, slots=True)
class Page:
    """The main text of an HTML page laid out for sectioning, with its metadata."""

    text: str
    title: str | None
    published: str | None
    url: str | None
    site: str | None
    #: Set when the parser silently dropped part of the page: the document is then ``partial``.
    dropped: ErrorItem | None = None


class HtmlError(Exception):
    """The page could not be parsed (refused, timed out, worker died); ``item`` is the coded error."""

    def __init__(self, item: ErrorItem) -> None:
        super().__init__(item.message)
        self.item = item


def looks_like_html(text: str) -> bool:
    """Sniff the content, not the file name: HTML opens with a tag (after an optional BOM)."""
    return bool(_HTML_START.match(text[:512].lstrip("\ufeff")))


def precheck(html: str) -> str | None:
    """Why ``html`` must not be parsed at all (a reason), or None. Linear in the input size."""
    for m in _LONG_TAG.finditer(html):
        end = html.find(">", m.start())
        tag = html[m.start() : end if end >= 0 else len(html)]
        count = tag.count("=")
        if count > MAX_ATTRIBUTES:
            return f"one element has about {count:,} attributes (limit {MAX_ATTRIBUTES:,})"
    return None


def html_to_page(html: str, timeout_s: float | Deadline = 10.0) -> Page | None:
    """The page's main text and metadata, or None when trafilatura finds no main text.

    Runs in the shared worker process; raises :class:`HtmlError` when the markup is refused,
    parsing passes ``timeout_s`` seconds (or what is left of a document's :class:`Deadline`), or
    the worker dies.
    """
    reason = precheck(html)
    if reason:
        raise HtmlError(errors.HTML_TOO_COMPLEX.item(reason=reason))
    deadline = timeout_s if isinstance(timeout_s, Deadline) else Deadline(timeout_s)
    result = shared_worker().run(html, deadline)
    if result is None:
        return None
    dropped = result.pop("dropped")
    return Page(**result, dropped=errors.HTML_DROPPED.item(**dropped) if dropped else None)


# --- the worker process ----------------------------------------------------------------------------

#: Address space the worker may use; a page that needs more fails alone (CL-E027).
WORKER_MEMORY_BYTES = 2 * 1024**3
#: Seconds a new worker may take to import its parser and parse the warm-up page (not counted in
#: any document's budget; generous because a loaded machine can take many seconds).
WORKER_START_S = 120.0
_HEADER = struct.Struct(">Q")
#: What a worker writes once it is warm, before it reads the first page.
_READY = b"ready"
#: Parsed at start-up so that the first real page does not pay the parser's first-call costs.
_WARM_UP_PAGE = (
    "<html><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1>"
    "<p>Posted on 5 March 2024</p><p>The council said on Tuesday that 12 families had left the town "
    "after the storm, and that the road would reopen.</p></article></body></html>"
)


class HtmlWorker:
    """A persistent process that parses pages one at a time; killed and restarted at a deadline.

    The worker is ``python -m claimledger.readers.html_worker`` speaking length-prefixed
    messages on its stdin and stdout. A plain subprocess rather than :mod:`multiprocessing`: a
    spawned child would re-import the caller's ``__main__`` (breaking scripts without a main
    guard), and a fork would copy the parent's spaCy memory and threads.
    """

    def __init__(self, command: list[str] | None = None) -> None:
        #: The worker's command line (tests start a stand-in); by default this package's worker.
        self.command = command or [sys.executable, "-m", "claimledger.readers.html_worker"]
        self._proc: subprocess.Popen[bytes] | None = None
        self._served = 0  # pages the running worker has answered: 0 means a cold worker
        self._lock = threading.Lock()  # one page at a time per worker

    def _start(self) -> subprocess.Popen[bytes]:
        """A new worker, once it has said it is ready (HtmlError when it does not in time)."""
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[1])  # so the child imports this very package
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        proc = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self._proc, self._served = proc, 0
        assert proc.stdout is not None
        try:
            ready = _read_exact(proc.stdout.fileno(), len(_READY), time.monotonic() + WORKER_START_S)
        except (TimeoutError, EOFError, OSError) as exc:
            self.stop()
            reason = f"it did not start within {WORKER_START_S:g} s ({type(exc).__name__})"
            raise HtmlError(errors.HTML_WORKER.item(reason=reason)) from None
        if ready != _READY:
            self.stop()
            raise HtmlError(errors.HTML_WORKER.item(reason="it started with an unexpected message"))
        return proc

    def run(self, html: str, deadline: Deadline | float) -> dict[str, Any] | None:
        """Parse one page within ``deadline``; the worker's result dict, or None without main text.

        The time a worker takes to start is not charged to the page, and a page that times out
        on a worker's first page is tried once more on a fresh worker (that attempt is not
        charged either): the budget measures the page, not the machine's start-up.
        """
        if not isinstance(deadline, Deadline):
            deadline = Deadline(deadline)
        data = html.encode("utf-8", "surrogatepass")
        with self._lock, deadline.running():
            for attempt in (1, 2):
                began = time.monotonic()
                if self._proc is None or self._proc.poll() is not None:
                    self._start()
                deadline.charge(-(time.monotonic() - began))
                cold, began = self._served == 0, time.monotonic()
                if deadline.expired():  # spent before the page came here: the worker is kept
                    raise HtmlError(errors.HTML_TIMEOUT.item(limit=deadline.limit_s))
                try:
                    reply = self._exchange(data, deadline.remaining())
                    break
                except TimeoutError:
                    self.stop()
                    if not cold or attempt == 2 or deadline.stopped():
                        raise HtmlError(errors.HTML_TIMEOUT.item(limit=deadline.limit_s)) from None
                    log.info("a page timed out on a cold HTML worker; retrying on a fresh one")
                    deadline.charge(-(time.monotonic() - began))
        kind, value = json.loads(reply)
        if kind == "error":
            raise HtmlError(errors.HTML_WORKER.item(reason=value))
        return value

    def _exchange(self, data: bytes, timeout_s: float) -> bytes:
        """Send one page and read the reply (TimeoutError past ``timeout_s``; HtmlError if it died)."""
        proc = self._proc
        assert proc is not None and proc.stdin is not None and proc.stdout is not None
        deadline = time.monotonic() + timeout_s
        try:
            proc.stdin.write(_HEADER.pack(len(data)) + data)
            proc.stdin.flush()
            header = _read_exact(proc.stdout.fileno(), _HEADER.size, deadline)
            reply = _read_exact(proc.stdout.fileno(), _HEADER.unpack(header)[0], deadline)
        except TimeoutError:
            raise  # an OSError, but the caller's to handle
        except (EOFError, OSError) as exc:
            code = proc.poll()
            self.stop()
            reason = f"exit code {code}" if code is not None else type(exc).__name__
            raise HtmlError(errors.HTML_WORKER.item(reason=reason)) from None
        self._served += 1
        return reply

    def stop(self) -> None:
        """Kill the worker (it is restarted on the next page)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.wait(5)
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    pipe.close()


def _read_exact(fd: int, n: int, deadline: float) -> bytes:
    """``n`` bytes from ``fd`` before ``deadline`` (TimeoutError) or the end of the stream (EOFError)."""
    parts, left = [], n
    while left:
        wait = deadline - time.monotonic()
        if wait <= 0 or not select.select([fd], [], [], wait)[0]:
            raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


_SHARED: HtmlWorker | None = None
_SHARED_LOCK = threading.Lock()


def shared_worker() -> HtmlWorker:
    """The process-wide worker, started on first use and stopped at exit."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = HtmlWorker()
            atexit.register(_SHARED.stop)
        return _SHARED


def serve(stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Worker loop: warm up and say ready, then read a page, write ["ok", result] or
    ["error", reason] as JSON."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    except (ImportError, ValueError, OSError):
        log.debug("cannot cap the HTML worker's memory on this platform")
    warm_up()
    stdout.write(_READY)
    stdout.flush()
    while True:
        header = stdin.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return
        html = stdin.read(_HEADER.unpack(header)[0]).decode("utf-8", "surrogatepass")
        try:
            reply: list[Any] = ["ok", parse_page(html)]
        except MemoryError:
            reply = ["error", "out of memory"]
        except Exception as exc:  # a parser bug on one page must not end the worker
            log.exception("HTML worker failed on a page")
            reply = ["error", f"{type(exc).__name__}: {exc}"[:200]]
        out = json.dumps(reply, ensure_ascii=False).encode("utf-8", "surrogatepass")
        stdout.write(_HEADER.pack(len(out)) + out)
        stdout.flush()


# --- in the worker -------------------------------------------------------------------------------


def warm_up() -> None:
    """Pay the parser's first-call costs now: imports, and the date parser's scan of its locales
    (htmldate loads dateparser's month names on first use; its first parse takes a second)."""
    parse_page(_WARM_UP_PAGE)
    try:
        from htmldate import extractors

        extractors.month_words()
        extractors.external_date_parser("5 mars 2024", "%Y-%m-%d")
    except (ImportError, AttributeError) as exc:  # another htmldate version: the page above did most
        log.debug("htmldate warm-up skipped: %s", exc)


def parse_page(html: str) -> dict[str, Any] | None:
    """Parse and extract one page (runs in the worker; also callable directly, e.g. by benchmarks)."""
    import lxml.html  # imported in the worker: plain-text extraction needs no lxml
    import trafilatura
    from lxml import etree
    from trafilatura.settings import Document as Extracted

    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(html, parser)
    except (etree.ParserError, ValueError):
        root = None
    visible = _visible_chars(html)
    kept = _tree_chars(root) if root is not None else 0
    dropped = _dropped(parser, visible, kept)
    if root is None:
        return None
    doc = trafilatura.bare_extraction(root, **_TRAFILATURA_OPTIONS)
    if not isinstance(doc, Extracted) or doc.body is None:  # a dict only with as_dict=True
        return None
    lines = _body_lines(doc.body)
    if not any(line != QUOTE_BOUNDARY for line in lines):
        return None
    title = _title(root, doc.title)
    if title and not lines[0].startswith(title):
        lines.insert(0, title)
    comments = _comment_lines(doc.commentsbody)
    # A counted header opens a comment thread for the sections step ("3 comments").
    n = sum(1 for line in comments if len(line.split()) >= MIN_COMMENT_WORDS)
    if n:
        lines.append(f"{n} comment{'s' if n > 1 else ''}")
    lines += comments
    return {
        "text": "\n".join(lines) + "\n",
        "title": title,
        "published": doc.date,
        "url": doc.url,
        "site": doc.sitename,
        "dropped": dropped,
    }


def _title(root: Any, found: str | None) -> str | None:
    """The article's headline: og:title, else the longest heading that the page's <title> contains.

    Blogs put the blog's name in an <h1> and the post's title in an <h3>, and their <title> reads
    "Blog: Post"; trafilatura can pick the blog's name or a widget heading ("Share this:").
    """
    og = root.xpath("//meta[@property='og:title']/@content")
    if og and og[0].strip():
        return " ".join(og[0].split())
    title_el = root.find(".//title")
    page_title = " ".join((title_el.text_content() if title_el is not None else "").split())
    headings = [" ".join(h.text_content().split()) for h in islice(root.iter("h1", "h2", "h3"), 50)]
    inside = [h for h in headings if h and h in page_title]
    if inside:
        return max(inside, key=len)
    found = " ".join((found or "").split())
    return found if found and (not page_title or found in page_title) else None


def _dropped(parser: Any, visible: int, kept: int) -> dict[str, Any] | None:
    limits = [e.message.strip() for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    short = visible - kept >= MIN_DROPPED_CHARS and kept < MIN_KEPT_SHARE * visible
    if not limits and not short:
        return None
    reason = f"lxml: {limits[0][:120]}" if limits else "the parsed page is much shorter than its visible text"
    return {"reason": reason, "kept": kept, "visible": visible}


#: Spans whose content no reader sees (the parser drops comments; scripts and styles are code).
_HIDDEN = (("<script", "</script"), ("<style", "</style"), ("<!--", "-->"))


def _visible_chars(html: str) -> int:
    """Non-space characters outside tags, comments, scripts and styles: what a reader could see.

    A linear scan with ``str.find`` (no regex over the spans, so an unclosed one costs one pass).
    """
    low = html.lower()
    parts, pos = [], 0
    while True:
        starts = [(i, close) for open_, close in _HIDDEN if (i := low.find(open_, pos)) >= 0]
        if not starts:
            parts.append(html[pos:])
            break
        start, close = min(starts)
        parts.append(html[pos:start])
        end = low.find(close, start)
        if end < 0:
            break
        pos = end + len(close)
        if not close.endswith(">"):  # "</script >": skip to the end of the closing tag
            gt = low.find(">", pos)
            pos = gt + 1 if gt >= 0 else len(low)
    text = htmllib.unescape(_TAG.sub(" ", " ".join(parts)))
    return _nonspace(text)


def _nonspace(s: str) -> int:
    """Characters that are not whitespace (Unicode whitespace, as ``str.split`` sees it)."""
    return len(_SPACE.sub("", s))


def _tree_chars(root: Any) -> int:
    n = 0
    for el in root.iter():
        if el.tag not in ("script", "style"):
            n += _nonspace(el.text or "")
        n += _nonspace(el.tail or "")
    return n


def _flat(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def _block_lines(el: Any) -> list[str]:
    """One line per paragraph-like block inside ``el`` (or the whole element as one line)."""
    inner = [c for c in el if c.tag in _BLOCKS]
    if not inner:
        text = _flat(el)
        return [text] if text else []
    lines = []
    if (el.text or "").strip():
        lines.append(" ".join(el.text.split()))
    for c in inner:
        lines += _block_lines(c)
        if (c.tail or "").strip():
            lines.append(" ".join(c.tail.split()))
    return lines


def _body_lines(body: Any) -> list[str]:
    """Paragraph lines of the main text, with a boundary line where quoted and own text meet."""
    lines: list[str] = []
    last_quoted: bool | None = None
    for el in body:
        block = _block_lines(el)
        if not block:
            continue
        quoted = el.tag == "quote"
        if last_quoted is not None and quoted != last_quoted:
            lines.append(QUOTE_BOUNDARY)
        lines += block
        last_quoted = quoted
    return lines


def _comment_lines(comments: Any) -> list[str]:
    if comments is None:
        return []
    return [line for el in comments for line in _block_lines(el)]
