"""What the web app holds for its lifetime: settings, the read-only engine, trackers, the extractor.

Extraction and storing run one at a time (a lock): the spaCy pipeline is loaded once on first use
and the ledger is written by one writer. URL fetching is always off here (``fetch_urls=False``):
the server extracts only the text or HTML it is sent.

A tracker's timeline reads every figure of its categories (up to ``web_page_rows`` × 10), which
takes hundreds of milliseconds on a ledger of thousands of documents; it is kept per tracker
definition and ledger content (:func:`~claimledger.ledger.queries.ledger_stamp`), so that it is
computed once per change of the ledger, by one request while others for it wait.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import astuple, dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from markupsafe import Markup
from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from ..ledger import queries
from ..ledger.queries import clean
from ..ledger.trackers import (
    BUNDLED_TRACKERS,
    Point,
    Tracker,
    TrackerError,
    find_tracker,
    load_tracker,
    timeline,
)
from ..model import Document
from ..settings import Settings
from . import db as webdb
from .chart import timeline_svg

if TYPE_CHECKING:
    from ..ledger.store import IngestResult, Ledger

log = logging.getLogger(__name__)

T = TypeVar("T")
#: Tracker timelines kept (per tracker definition and ledger content); the oldest used goes first.
TIMELINES_KEPT = 16
#: Claim counts kept (per kind, filters and ledger content); the oldest used goes first.
FACETS_KEPT = 64


@dataclass
class TrackerTimeline:
    """A tracker's points over one state of the ledger; the chart is drawn on first use.

    A timeline of thousands of points makes a page or a JSON body of about a megabyte, whose
    rendering costs more than reading the points did: :meth:`derived` keeps such renderings
    with the timeline they were made from.
    """

    tracker: Tracker
    points: list[Point]
    #: More candidate figures than the cap: the timeline shows part of them.
    truncated: bool
    _derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def chart(self) -> Markup:
        """The inline SVG chart of the page."""
        return timeline_svg(self.points, self.tracker.title, self.tracker.unit)

    def derived(self, name: str, make: Callable[[], T]) -> T:
        """``make()``, made on the first call for ``name`` and then kept with this timeline (two
        concurrent first calls may both make it; either result is the same)."""
        if name not in self._derived:
            self._derived[name] = make()
        return self._derived[name]


@dataclass
class WebService:
    """The app's shared state (``app.state.service``)."""

    db: str
    settings: Settings
    engine: Engine
    #: Folders searched for tracker files, fixed at start-up: ``./trackers`` then the bundled ones.
    tracker_dirs: list[Path] = field(default_factory=lambda: [Path("trackers").resolve(), BUNDLED_TRACKERS])
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _writer: Ledger | None = None
    _timelines: OrderedDict[Any, TrackerTimeline] = field(default_factory=OrderedDict)
    _timeline_locks: dict[Any, threading.Lock] = field(default_factory=dict)
    _timelines_lock: threading.Lock = field(default_factory=threading.Lock)
    _facets: OrderedDict[Any, dict[str, Any]] = field(default_factory=OrderedDict)
    _facets_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, db: str, settings: Settings | None = None) -> WebService:
        """Open ``db`` for reading; the settings are those of the environment unless given."""
        s = replace(settings or Settings.from_env(), fetch_urls=False)
        return cls(db=db, settings=s, engine=webdb.readonly_engine(db, s.web_sql_timeout_s))

    def close(self) -> None:
        self.engine.dispose()
        if self._writer is not None:
            self._writer.close()

    # -- trackers ----------------------------------------------------------------------------------
    def trackers(self) -> list[Tracker]:
        """Every valid tracker, the first folder's file winning for a name; broken files are logged."""
        found: dict[str, Tracker] = {}
        for folder in self.tracker_dirs:
            for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
                try:
                    tracker = load_tracker(path)
                except TrackerError as exc:
                    log.warning("skipping tracker: %s", exc)
                    continue
                found.setdefault(tracker.name, tracker)
        return sorted(found.values(), key=lambda t: t.name)

    def tracker(self, name: str) -> Tracker | None:
        """The tracker ``name`` (validated as a name, never used as a path of its own), or None."""
        try:
            return find_tracker(name, self.tracker_dirs)
        except TrackerError as exc:
            log.info("tracker %r: %s", name, exc)
            return None

    def timeline(self, tracker: Tracker) -> TrackerTimeline:
        """The tracker's timeline over the ledger as it is now, computed once per ledger content."""
        with webdb.reading(self.engine) as conn:
            key = (tracker, queries.ledger_stamp(conn))
        with self._timelines_lock:
            lock = self._timeline_locks.setdefault(key, threading.Lock())
        with lock:  # one request computes it; the others for the same key wait for it
            with self._timelines_lock:
                found = self._timelines.get(key)
                if found is not None:
                    self._timelines.move_to_end(key)
                    return found
            try:
                made = self._compute_timeline(tracker)
            except BaseException:
                with self._timelines_lock:
                    self._timeline_locks.pop(key, None)
                raise
            with self._timelines_lock:
                self._timelines[key] = made
                while len(self._timelines) > TIMELINES_KEPT:
                    old, _ = self._timelines.popitem(last=False)
                    self._timeline_locks.pop(old, None)
            return made

    def claim_facets(self, conn: Connection, kind: str, f: queries.Filters) -> dict[str, Any]:
        """:func:`~claimledger.ledger.queries.claim_facets`, kept per ledger content like timelines:
        the counts of a ledger's claims cost tens of milliseconds, and each page of a listing
        with its counts (``facets=1`` and a cursor) asked for the same ones again."""
        key = (kind, astuple(f), queries.ledger_stamp(conn))
        with self._facets_lock:
            found = self._facets.get(key)
            if found is not None:
                self._facets.move_to_end(key)
                return found
        made = queries.claim_facets(conn, kind, f)
        with self._facets_lock:
            self._facets[key] = made
            while len(self._facets) > FACETS_KEPT:
                self._facets.popitem(last=False)
        return made

    def _compute_timeline(self, tracker: Tracker) -> TrackerTimeline:
        cap = self.settings.web_page_rows * 10
        with webdb.reading(self.engine) as conn:
            # Ten pages' worth of rows get ten times a page's time limit: the query is the server's
            # (bounded by the cap, once per change of the ledger), and on a busy machine its 0.1 s
            # of CPU at 5,000 documents took over a second, answering 503 to every tracker request.
            conn.execution_options(**{webdb.TIME_LIMIT_OPTION: self.settings.web_sql_timeout_s * 10})
            rows = queries.tracker_rows(conn, tracker.categories, cap + 1, tracker.min_value)
        return TrackerTimeline(tracker, timeline(tracker, rows[:cap]), len(rows) > cap)

    # -- extraction and storing --------------------------------------------------------------------
    def extract(self, text: str, source: str | None, stop: threading.Event | None = None) -> Document:
        """Extract a pasted text or HTML page (nothing is stored) within ``doc_timeout_s``;
        setting ``stop`` ends the work early (the client went away)."""
        from .. import extract  # the spaCy pipeline loads on the first extraction, not at start-up

        source = clean(source) if source else None
        name = source or f"paste:{hashlib.sha256(text.encode('utf-8', 'replace')).hexdigest()[:16]}"
        with self._lock:
            return extract(text, source=name, settings=self.settings, stop=stop)

    def store(self, doc: Document, outlet: str | None) -> IngestResult:
        """Store an extracted document with the ledger's writer (opened on first use)."""
        from ..ledger.store import Ledger

        with self._lock:
            if self._writer is None:
                self._writer = Ledger(self.db, settings=self.settings)
            return self._writer.ingest(doc, outlet=outlet)
