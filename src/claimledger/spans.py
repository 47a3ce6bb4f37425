"""Which spans hold, overlap or start in a range, in time that grows with the answer, not the document.

Extraction asks these questions once per sentence, quote or number; scanning every span each time
made a long document's cost grow with the square of its size. Spans are kept sorted by start with
the furthest end reached so far, so that a lookup stops as soon as no earlier span can reach it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


class SpanIndex(Generic[T]):
    """Items with a ``[start, end)`` span, for lookups by position; results keep the items' order."""

    def __init__(self, items: Iterable[T], start: Callable[[T], int], end: Callable[[T], int]) -> None:
        self._items = sorted(items, key=start)  # stable: equal starts keep the given order
        self._starts = [start(x) for x in self._items]
        self._ends = [end(x) for x in self._items]
        self._reach = list(accumulate(self._ends, max))

    def __len__(self) -> int:
        return len(self._items)

    def _back(self, i: int, past: int, keep: Callable[[int], bool]) -> list[T]:
        """Items at index ``i`` and before whose end passes ``past`` and that ``keep`` accepts."""
        out = []
        while i >= 0 and self._reach[i] > past:
            if keep(i):
                out.append(self._items[i])
            i -= 1
        out.reverse()
        return out

    def overlapping(self, lo: int, hi: int) -> list[T]:
        """Items with ``start < hi`` and ``end > lo``."""
        return self._back(bisect_left(self._starts, hi) - 1, lo, lambda i: self._ends[i] > lo)

    def containing(self, lo: int, hi: int) -> list[T]:
        """Items with ``start <= lo`` and ``hi <= end``."""
        return self._back(bisect_right(self._starts, lo) - 1, hi - 1, lambda i: self._ends[i] >= hi)

    def starting_in(self, lo: int, hi: int) -> list[T]:
        """Items with ``lo <= start < hi``."""
        return self._items[bisect_left(self._starts, lo) : bisect_left(self._starts, hi)]
