"""One time budget per document, over every stage of its extraction (``doc_timeout_s``).

Documents are extracted in batches, so a wall clock started when a document enters the batch
would also count the time spent on its neighbours. A :class:`Deadline` counts only the time spent
on its own document: each stage runs it (:meth:`Deadline.running`), and the analysis of units
shared with other documents charges each its share (:meth:`Deadline.charge`).

Stages check it between bounded steps (a segment, a batch of units); the HTML worker, which
cannot be interrupted, is killed when the budget left runs out. Setting ``stop`` (a
:class:`threading.Event`, e.g. when the HTTP client went away) ends the budget at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class Deadline:
    """``limit_s`` seconds of work for one document; ``stop`` ends them early."""

    def __init__(self, limit_s: float, stop: threading.Event | None = None) -> None:
        self.limit_s = limit_s
        self.stop = stop
        self._spent = 0.0
        self._since: float | None = None

    @contextmanager
    def running(self) -> Iterator[Deadline]:
        """Count the time spent inside the block (nested blocks count once)."""
        if self._since is not None:
            yield self
            return
        self._since = time.monotonic()
        try:
            yield self
        finally:
            self._spent += time.monotonic() - self._since
            self._since = None

    def charge(self, seconds: float) -> None:
        """Count ``seconds`` spent on this document outside :meth:`running` (negative: a refund)."""
        self._spent += seconds

    def spent(self) -> float:
        """Seconds counted so far."""
        return self._spent + (time.monotonic() - self._since if self._since is not None else 0.0)

    def remaining(self) -> float:
        """Seconds left (0 once expired or stopped)."""
        if self.stopped():
            return 0.0
        return max(0.0, self.limit_s - self.spent())

    def stopped(self) -> bool:
        """Was the work called off from outside (``stop`` set)?"""
        return self.stop is not None and self.stop.is_set()

    def expired(self) -> bool:
        """Is the budget used up, or the work called off?"""
        return self.remaining() <= 0.0
