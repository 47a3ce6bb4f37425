"""What the web app holds for its lifetime: settings, the read-only engine, trackers, the extractor.

Extraction and storing run one at a time (a lock): the spaCy pipeline is loaded once on first use
and the ledger is written by one writer. URL fetching is always off here (``fetch_urls=False``):
the server extracts only the text or HTML it is sent.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from ..ledger.trackers import BUNDLED_TRACKERS, Tracker, TrackerError, find_tracker, load_tracker
from ..model import Document
from ..settings import Settings
from . import db as webdb
from .queries import clean

if TYPE_CHECKING:
    from ..ledger.store import IngestResult, Ledger

log = logging.getLogger(__name__)


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
