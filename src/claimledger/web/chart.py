"""A tracker's timeline as inline SVG, drawn on the server, with every mark a link to its sentence.

The CLI's matplotlib chart (:func:`claimledger.ledger.trackers.chart`) is a picture; here each
independent figure is an ``<a>`` to the number in the document view, and colours come from CSS
classes (no inline styles, so the page's CSP can forbid them). Every text piece is escaped.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup

from ..ledger.trackers import Point
from .formatting import path_id, value, value_range

WIDTH, HEIGHT = 900, 380
LEFT, RIGHT, TOP, BOTTOM = 76, 24, 20, 46
# Marks on one date are spread sideways by this many pixels so that each stays visible, at most
# _MAX_FAN steps either side (more marks of one date reuse those places: a dense date stays a
# column inside the plot instead of spilling over the axis).
_SPREAD_PX = 9
_MAX_FAN = 3
_MAX_X_TICKS = 8


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)


def point_href(p: Point) -> str:
    """The document view at the point's number."""
    anchor = f"#{p.quote_id}" if p.quote_id else ""
    return f"/documents/{path_id(p.document)}{anchor}"


def claimant_matches(p: Point, who: str) -> bool:
    """Whether a point's claimant is ``who``: a claimant type ("anonymous") or words of a name."""
    who = who.casefold().strip()
    return p.claimant_type == who or who in p.claimant.casefold()


#: Columns a tracker's table (and its API) can be sorted by: ``sort=<name>``, ``-<name>`` the other way.
TRACKER_SORTS = ("date", "value", "claimant", "outlet", "expression", "copies")
_POINT_KEYS: dict[str, Callable[[Point], Any]] = {
    "date": lambda p: p.date,
    "value": lambda p: p.low if p.low is not None else p.high,
    "claimant": lambda p: p.claimant.casefold(),
    "outlet": lambda p: p.outlet.casefold() if p.outlet else None,
    "expression": lambda p: p.text.casefold(),
    "copies": lambda p: len(p.copies),
}


def sort_points(points: Sequence[Point], sort: str) -> list[Point]:
    """``points`` sorted by the column ``sort`` names (``-name``: the other way round), those
    without a value last; ties keep the timeline's order."""
    key = _POINT_KEYS[sort.lstrip("-")]
    present = [p for p in points if key(p) is not None]
    present.sort(key=key, reverse=sort.startswith("-"))
    return present + [p for p in points if key(p) is None]


def fan_offset(nth: int) -> int:
    """Sideways offset in pixels of the ``nth`` mark of one date: 0, +1, -1, +2, -2 … steps,
    wrapping after ``_MAX_FAN`` steps either side."""
    nth %= 2 * _MAX_FAN + 1
    return ((nth + 1) // 2) * (1 if nth % 2 else -1) * _SPREAD_PX


def timeline_svg(points: Sequence[Point], title: str, unit: str | None = None) -> Markup:
    """The dated ``points`` as an SVG chart: ranges as bars, open bounds as dashed bars, links on each.

    The chart is for the eye and the mouse: hidden from screen readers and out of the tab order
    (thousands of marks would be thousands of tab stops); the page's table of the same points,
    with the same links, is its text alternative. The page's script makes the chart one tab stop
    whose arrow keys (and the mouse) show a card of the figure, read out by screen readers.
    """
    dated = [p for p in points if p.date]
    if not dated:
        return Markup('<p class="empty">No dated figures to chart.</p>')
    days = [dt.date.fromisoformat(p.date).toordinal() for p in dated if p.date]  # every one is dated
    d0, d1 = min(days), max(days)
    if d1 - d0 < 10:
        d0, d1 = d0 - 5, d1 + 5
    pad = (d1 - d0) * 0.05
    x0, x1 = d0 - pad, d1 + pad
    tops = [v for p in dated for v in (p.low, p.high) if v is not None]
    ymax = max(tops) * 1.15 if tops and max(tops) > 0 else 1.0
    step = _nice_step(ymax)
    ymax = math.ceil(ymax / step) * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(day: float) -> float:
        return LEFT + (day - x0) / (x1 - x0) * plot_w

    def sy(v: float) -> float:
        return TOP + plot_h - v / ymax * plot_h

    out = [
        Markup(
            '<svg class="timeline" viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-hidden="true" '
            'data-title="{t}" xmlns="http://www.w3.org/2000/svg">'
        ).format(w=WIDTH, h=HEIGHT, t=title)
    ]
    k = 0.0
    while k <= ymax + 1e-9:
        y = sy(k)
        out.append(
            Markup('<line class="grid" x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}"/>').format(
                LEFT, WIDTH - RIGHT, y, y
            )
        )
        out.append(
            Markup('<text class="ytick" x="{}" y="{:.1f}">{}</text>').format(LEFT - 6, y + 4, value(k))
        )
        k += step
    unique = sorted(set(days))
    every = max(1, math.ceil(len(unique) / _MAX_X_TICKS))
    for day in unique[::every]:
        x = sx(day)
        label = dt.date.fromordinal(day).isoformat()
        out.append(
            Markup('<line class="tick" x1="{0:.1f}" x2="{0:.1f}" y1="{1}" y2="{2}"/>').format(
                x, TOP + plot_h, TOP + plot_h + 5
            )
        )
        out.append(
            Markup('<text class="xtick" x="{:.1f}" y="{}">{}</text>').format(x, HEIGHT - BOTTOM + 20, label)
        )
    out.append(
        Markup('<line class="axis" x1="{0}" x2="{1}" y1="{2}" y2="{2}"/>').format(
            LEFT, WIDTH - RIGHT, TOP + plot_h
        )
    )
    # The y axis's unit, written along it.
    yunit = Markup('<text class="yunit" x="{0}" y="{1:.1f}" transform="rotate(-90 {0} {1:.1f})">{2}</text>')
    out.append(yunit.format(14, TOP + plot_h / 2, unit or "value"))
    by_day: dict[int, int] = defaultdict(int)
    for p, day in zip(dated, days, strict=True):
        nth = by_day[day]
        by_day[day] += 1
        # Marks of one date fan out around it, never past the plot's edges.
        x = min(max(sx(day) + fan_offset(nth), LEFT + 6), WIDTH - RIGHT - 6)
        cls = f"pt ct-{p.claimant_type}" + (" approx" if p.approximate else "")
        label = f"{p.date} · {p.claimant}: {p.text} ({value_range(p.low, p.high)})"
        if p.copies:
            label += f" · {len(p.copies)} syndicated cop{'y' if len(p.copies) == 1 else 'ies'}"
        # The card the page's script shows on hover or arrow keys reads the data-* attributes (and
        # the claimant type from the class).
        out.append(
            Markup(
                '<a class="{}" href="{}" tabindex="-1" data-date="{}" data-range="{}" data-claimant="{}" '
                'data-outlet="{}" data-text="{}" data-copies="{}"><title>{}</title>'
            ).format(
                cls,
                point_href(p),
                p.date,
                value_range(p.low, p.high),
                p.claimant,
                p.outlet or "",
                p.text,
                len(p.copies),
                label,
            )
        )
        low, high = p.low, p.high
        if low is not None and high is not None and low != high:
            out.append(
                Markup('<line class="bar" x1="{0:.1f}" x2="{0:.1f}" y1="{1:.1f}" y2="{2:.1f}"/>').format(
                    x, sy(low), sy(high)
                )
            )
            y = (sy(low) + sy(high)) / 2
        elif high is None and low is not None:  # "at least": open above
            out.append(
                Markup('<line class="bar open" x1="{0:.1f}" x2="{0:.1f}" y1="{1:.1f}" y2="{2}"/>').format(
                    x, sy(low), TOP
                )
            )
            y = sy(low)
        elif low is None and high is not None:  # "up to": open below
            out.append(
                Markup('<line class="bar open" x1="{0:.1f}" x2="{0:.1f}" y1="{1:.1f}" y2="{2}"/>').format(
                    x, sy(high), TOP + plot_h
                )
            )
            y = sy(high)
        else:
            y = sy(low or 0.0)
        out.append(Markup('<circle class="mark" cx="{:.1f}" cy="{:.1f}" r="5"/></a>').format(x, y))
    out.append(Markup("</svg>"))
    return Markup("").join(out)
