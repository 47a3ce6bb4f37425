"""Trackers: follow one quantity (a death toll, a count of displaced people) across documents and time.

A tracker is a small TOML file naming the number categories that count and the words that must (or
must not) appear with a figure::

    name = "russian-military-casualties"
    title = "Russian military casualties"
    description = "Killed or total casualties among Russian forces, by claimant."
    categories = ["killed", "casualties"]    # NumberClaim.category values that count
    counts_any = ["russian", "soldier"]      # at least one in `counts` or the sentence; [] = any
    counts_none = ["ukrainian", "civilian"]  # none of these in `counts` (the sentence if no `counts`)
    min_value = 100                          # optional: figures whose bounds are all below are ignored
    unit = "people"                          # optional: the y-axis label

A word matches at the start of a word, case-insensitively: ``"soldier"`` also matches "soldiers",
``"displace"`` matches "displaced", and a phrase such as ``"fled their homes"`` matches as written.

:func:`timeline` turns ledger rows into :class:`Point` s, one per independent source: syndicated
copies of one article (one near-duplicate cluster, see :mod:`claimledger.ledger.dedup`) repeating
the same claimant's figure count once. :func:`chart` draws them with matplotlib.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, SupportsFloat, overload

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import CARETDOWNBASE, CARETUPBASE
from matplotlib.ticker import FuncFormatter

from claimledger.numbers.categories import CATEGORIES

__all__ = [
    "BUNDLED_TRACKERS",
    "Point",
    "Tracker",
    "TrackerError",
    "chart",
    "find_tracker",
    "load_tracker",
    "matches",
    "timeline",
]

#: Trackers shipped inside the package (searched after ``./trackers``); may not exist.
BUNDLED_TRACKERS: Path = Path(__file__).resolve().parents[1] / "trackers"
#: Largest tracker file read; trackers are a few hundred bytes.
MAX_TRACKER_BYTES = 64 * 1024
#: Characters of `counts` and of the sentence searched for tracker words.
MAX_CONTEXT_CHARS = 2_000
#: Undated points listed one per line under the chart; the rest are summarised as "and N more".
MAX_FOOTNOTE_LINES = 12
#: Characters of a point's label on the chart.
MAX_LABEL_CHARS = 40
# A label's box in points (7-point text), used to keep labels apart.
_LABEL_WIDTH_PT, _LABEL_HEIGHT_PT = 150.0, 9.0
# Narrowest date axis, in days: a single date would otherwise get an axis of hours.
_MIN_SPAN_DAYS = 10.0

_NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEYS = frozenset(
    {"name", "title", "description", "categories", "counts_any", "counts_none", "min_value", "unit"}
)
# Claimant types whose "name" is the outlet's own voice; the chart labels them with the outlet.
_OWN_VOICE = frozenset({"article", "commentary"})
_TYPE_COLORS = {
    "person": "#1f77b4",
    "organization": "#2ca02c",
    "document": "#9467bd",
    "anonymous": "#7f7f7f",
    "article": "#ff7f0e",
    "commentary": "#d62728",
    "unknown": "#8c564b",
}


class TrackerError(ValueError):
    """A tracker file that cannot be used; the message names the file, the key and the fix."""


@dataclass(frozen=True)
class Tracker:
    """One quantity to follow: which number categories and words select its figures."""

    name: str
    title: str
    description: str
    categories: tuple[str, ...]
    counts_any: tuple[str, ...]
    counts_none: tuple[str, ...]
    min_value: float | None
    unit: str | None


@dataclass(frozen=True)
class Point:
    """One independent figure on a tracker's timeline.

    ``low``/``high`` follow :class:`~claimledger.model.NumberClaim` (``None`` is an open bound:
    "more than 100" has ``high=None``). ``claimant`` is the speaker's name, or the claimant type
    ("article", "anonymous", ...) when there is none. ``copies`` are the other documents of the same
    cluster that repeat this figure from the same claimant.
    """

    date: str | None
    low: float | None
    high: float | None
    approximate: bool
    text: str
    counts: str | None
    claimant: str
    claimant_type: str
    outlet: str | None
    document: str
    cluster: str
    sentence: str | None
    quote_id: str | None = None
    copies: tuple[str, ...] = ()


# --- loading -----------------------------------------------------------------------------------


def load_tracker(path: Path) -> Tracker:
    """Read and validate a tracker TOML file; raise :class:`TrackerError` saying what to fix."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_TRACKER_BYTES + 1)
    except OSError as e:
        raise TrackerError(f"{path}: cannot read the tracker file ({e.strerror or e})") from e
    if len(raw) > MAX_TRACKER_BYTES:
        raise TrackerError(f"{path}: a tracker file is at most {MAX_TRACKER_BYTES:,} bytes")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise TrackerError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from e
    except tomllib.TOMLDecodeError as e:
        raise TrackerError(f"{path}: not valid TOML: {e}") from e
    return _tracker_from(data, str(path))


def _tracker_from(data: Mapping[str, Any], where: str) -> Tracker:
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise TrackerError(
            f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_KEYS))}"
        )
    name = _string(data, "name", where, required=True)
    if not _NAME_RE.fullmatch(name):
        raise TrackerError(
            f"{where}: 'name' must be lowercase letters, digits, '-' or '_' (at most 64), got {name!r}"
        )
    categories = _strings(data, "categories", where, required=True)
    if not categories:
        raise TrackerError(f"{where}: 'categories' must list at least one category")
    bad = [c for c in categories if c not in CATEGORIES]
    if bad:
        raise TrackerError(
            f"{where}: unknown categor{'y' if len(bad) == 1 else 'ies'} {', '.join(map(repr, bad))}; "
            f"known: {', '.join(CATEGORIES)}"
        )
    min_value = data.get("min_value")
    # bool is an int in Python; `min_value = true` is a mistake, not 1.
    if min_value is not None and (isinstance(min_value, bool) or not isinstance(min_value, int | float)):
        raise TrackerError(f"{where}: 'min_value' must be a number, got {type(min_value).__name__}")
    return Tracker(
        name=name,
        title=_string(data, "title", where) or name,
        description=_string(data, "description", where) or "",
        categories=categories,
        counts_any=tuple(w.lower() for w in _strings(data, "counts_any", where)),
        counts_none=tuple(w.lower() for w in _strings(data, "counts_none", where)),
        min_value=None if min_value is None else float(min_value),
        unit=_string(data, "unit", where),
    )


@overload
def _string(data: Mapping[str, Any], key: str, where: str, *, required: Literal[True]) -> str: ...
@overload
def _string(data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str | None: ...
def _string(data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise TrackerError(f"{where}: missing required key '{key}' (a string)")
        return None
    if not isinstance(value, str):
        raise TrackerError(f"{where}: '{key}' must be a string, got {type(value).__name__}")
    if required and not value.strip():
        raise TrackerError(f"{where}: '{key}' must not be empty")
    return value.strip()


def _strings(data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        if required:
            raise TrackerError(f"{where}: missing required key '{key}' (a list of strings)")
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TrackerError(f"{where}: '{key}' must be a list of non-empty strings, got {value!r}")
    return tuple(v.strip() for v in value)


def find_tracker(name: str, search: Sequence[Path]) -> Tracker:
    """The tracker ``NAME.toml`` from the first folder of ``search`` that has it.

    The CLI passes ``./trackers`` before the package's bundled folder, so a local file overrides a
    bundled tracker of the same name.
    """
    if not _NAME_RE.fullmatch(name):
        # Also keeps the name from reaching outside the folders ("../x").
        raise TrackerError(f"tracker names are lowercase letters, digits, '-' or '_', got {name!r}")
    for folder in search:
        path = Path(folder) / f"{name}.toml"
        if path.is_file():
            tracker = load_tracker(path)
            if tracker.name != name:
                raise TrackerError(
                    f"{path}: 'name' is {tracker.name!r}; it must match the file name {name!r}"
                )
            return tracker
    where = ", ".join(str(f) for f in search) or "(no folders)"
    raise TrackerError(f"no tracker named {name!r}: looked for {name}.toml in {where}")


# --- selecting ---------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _words_re(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    # A word matches where a word starts, so stems work ("soldier" -> "soldiers") but "men" does not
    # match inside "servicemen".
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)


def _has(words: tuple[str, ...], *texts: str | None) -> bool:
    pattern = _words_re(words)
    return pattern is not None and any(t and pattern.search(t[:MAX_CONTEXT_CHARS]) for t in texts)


def matches(
    tracker: Tracker,
    category: str | None,
    counts: str | None,
    context: str | None,
    low: float | None,
    high: float | None,
) -> bool:
    """Whether a figure belongs on the tracker's timeline.

    The category must be one of the tracker's; one of ``counts_any`` (if any) must appear in ``counts``
    or in ``context`` (the sentence); none of ``counts_none`` may appear in ``counts`` - or in
    ``context`` when ``counts`` is unknown. Exclusion looks at what is counted rather than the whole
    sentence because the sentence often names the other side as the claimant ("Ukrainian officials
    said 500 Russian soldiers died"). A figure with no value, or whose known bounds are all below
    ``min_value``, does not match.
    """
    if category not in tracker.categories:
        return False
    bounds = [v for v in (low, high) if v is not None]
    if not bounds:
        return False
    if tracker.min_value is not None and max(bounds) < tracker.min_value:
        return False
    if tracker.counts_any and not _has(tracker.counts_any, counts, context):
        return False
    return not _has(tracker.counts_none, counts if counts else context)


def _day(value: object) -> str | None:
    """``YYYY-MM-DD`` from a date, a datetime or an ISO string; ``None`` when there is no valid date."""
    if isinstance(value, dt.date):  # datetime is a date too
        return value.isoformat()[:10]
    if isinstance(value, str) and _DAY_RE.match(value):
        try:
            return dt.date.fromisoformat(value[:10]).isoformat()
        except ValueError:  # "2024-02-30": a malformed date is no date
            return None
    return None


def _float(value: SupportsFloat | None) -> float | None:
    return None if value is None else float(value)


def timeline(tracker: Tracker, rows: Iterable[Mapping[str, Any]]) -> list[Point]:
    """The tracker's figures from ledger ``rows``, one :class:`Point` per independent source.

    Each row has the keys ``published, low, high, approximate, text, counts, category, claimant_name,
    claimant_type, outlet, document, cluster, sentence`` (``quote_id`` optional). Matching rows become
    points; within one cluster the same claimant giving the same ``(low, high)`` counts once: the
    earliest copy is kept and the other documents are listed in ``copies``. Points are sorted by date
    (undated last), then by claimant and value.
    """
    candidates: list[Point] = []
    for row in rows:
        low, high = _float(row.get("low")), _float(row.get("high"))
        if not matches(tracker, row.get("category"), row.get("counts"), row.get("sentence"), low, high):
            continue
        document = str(row["document"])
        ctype = row.get("claimant_type") or "unknown"
        candidates.append(
            Point(
                date=_day(row.get("published")),
                low=low,
                high=high,
                approximate=bool(row.get("approximate")),
                text=str(row.get("text") or ""),
                counts=row.get("counts"),
                claimant=row.get("claimant_name") or ctype,
                claimant_type=ctype,
                outlet=row.get("outlet"),
                document=document,
                cluster=str(row.get("cluster") or document),  # an unclustered document is its own
                sentence=row.get("sentence"),
                quote_id=row.get("quote_id"),
            )
        )
    # Earliest first, so the first point seen for a key is the one kept; ties by document id.
    candidates.sort(key=lambda p: (p.date is None, p.date or "", p.document))
    kept: dict[tuple[Any, ...], Point] = {}
    copies: dict[tuple[Any, ...], list[str]] = {}
    for p in candidates:
        key = (p.cluster, p.claimant_type, p.claimant.casefold(), p.low, p.high)
        if key not in kept:
            kept[key], copies[key] = p, []
        elif p.document != kept[key].document and p.document not in copies[key]:
            copies[key].append(p.document)
    points = [replace(p, copies=tuple(copies[k])) for k, p in kept.items()]
    points.sort(key=_order)
    return points


def _order(p: Point) -> tuple[Any, ...]:
    value = p.low if p.low is not None else p.high
    return (p.date is None, p.date or "", p.claimant.casefold(), value, p.document)


# --- drawing -----------------------------------------------------------------------------------


def _who(p: Point) -> str:
    """The claimant as shown: the outlet when the figure is the article's (or blog's) own voice."""
    return (p.outlet or p.claimant) if p.claimant_type in _OWN_VOICE else p.claimant


def _label(p: Point) -> str:
    who = _who(p)
    text = f"{who}: {p.text}" if p.text else who
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "…"


def _thousands(value: float, _pos: object = None) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.2g}"


def _footnote(undated: Sequence[Point]) -> list[str]:
    if not undated:
        return []
    lines = ["Undated, not plotted:"]
    for p in undated[:MAX_FOOTNOTE_LINES]:
        lines.append(f"  {_label(p)}  ({p.document})")
    if len(undated) > MAX_FOOTNOTE_LINES:
        lines.append(f"  … and {len(undated) - MAX_FOOTNOTE_LINES} more")
    return lines


def _draw(ax: Any, p: Point) -> tuple[float, float, float]:
    """Draw one point as one mark; returns ``(x, y, top)``: where its label goes and its highest y."""
    x = float(date2num(dt.date.fromisoformat(p.date or "")))
    color = _TYPE_COLORS.get(p.claimant_type, _TYPE_COLORS["unknown"])
    face = "none" if p.approximate else color  # hollow = approximate
    low, high = p.low, p.high
    if low is not None and high is not None and low != high:
        ax.plot([x, x], [low, high], color=color, lw=2, marker="_", ms=10, mew=2)
        y = (low + high) / 2
    elif low is not None and high is None:  # "more than": open above, a caret pointing up
        ax.plot([x], [low], ls="none", marker=CARETUPBASE, ms=11, color=color, mfc=face, mew=1.5)
        y = low
    elif low is None and high is not None:  # "fewer than": open below
        ax.plot([x], [high], ls="none", marker=CARETDOWNBASE, ms=11, color=color, mfc=face, mew=1.5)
        y = high
    else:
        y = low if low is not None else 0.0
        ax.plot([x], [y], ls="none", marker="o", ms=7, color=color, mfc=face, mew=1.5)
    return x, y, max(v for v in (low, high, y) if v is not None)


def _place_labels(ax: Any, anchors: Sequence[tuple[float, float, str]], dpi: float) -> None:
    """Label each mark, nudging labels up so that labels of nearby marks do not overlap.

    Greedy in display space, in a fixed order, so the result is deterministic. Call it after the
    axis limits are final: it converts data to pixels.
    """
    ax.get_xlim(), ax.get_ylim()  # autoscaling is lazy: settle the limits before reading transData
    placed: list[tuple[float, float]] = []  # pixel (x, y) of the labels placed so far
    px_per_pt = dpi / 72
    width, height = _LABEL_WIDTH_PT * px_per_pt, _LABEL_HEIGHT_PT * px_per_pt
    order = sorted(range(len(anchors)), key=lambda i: (anchors[i][0], anchors[i][1], anchors[i][2]))
    for i in order:
        x, y, text = anchors[i]
        ax_px, ay_px = ax.transData.transform((x, y))
        ly = ay_px
        moved = True
        while moved:  # terminates: every move goes up by more than 0.01 px, past one placed label
            moved = False
            for px, py in placed:
                # The 0.01 px slack: a label already at py + height (up to rounding) is clear of py.
                if abs(px - ax_px) < width and py - height < ly < py + height - 0.01:
                    ly, moved = py + height, True
        placed.append((ax_px, ly))
        shift = (ly - ay_px) / px_per_pt
        ax.annotate(
            text,
            (x, y),
            xytext=(7, shift),
            textcoords="offset points",
            fontsize=7,
            va="center",
            color="#333333",
            arrowprops={"arrowstyle": "-", "color": "#aaaaaa", "lw": 0.5} if shift > 1 else None,
        )


def _legend(ax: Any, types: Sequence[str]) -> None:
    gray = "#555555"
    handles = [
        Line2D([], [], ls="none", marker="o", ms=7, color=gray, label="figure"),
        Line2D([], [], ls="none", marker="o", ms=7, color=gray, mfc="none", label="approximate"),
        Line2D([], [], color=gray, lw=2, marker="_", ms=10, mew=2, label="range"),
        # matplotlib declares the CARET* markers `int`, not the Literal[0..11] its marker type lists
        Line2D([], [], ls="none", marker=CARETUPBASE, ms=11, color=gray, label="at least"),  # type: ignore[arg-type]
        Line2D([], [], ls="none", marker=CARETDOWNBASE, ms=11, color=gray, label="at most"),  # type: ignore[arg-type]
    ]
    handles += [
        Line2D(
            [], [], ls="none", marker="s", ms=8, color=_TYPE_COLORS.get(t, _TYPE_COLORS["unknown"]), label=t
        )
        for t in types
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def chart(tracker: Tracker, points: Sequence[Point], path: Path) -> Path:
    """Draw ``points`` to ``path`` (SVG if it ends in ``.svg``, else PNG) and return the path.

    x is the date and y the value: a figure is a dot, a range a vertical bar from low to high, an
    open bound ("more than", "fewer than") a caret pointing to the open side, hollow when
    approximate, coloured by claimant type and labelled with the claimant. Undated points are listed
    in a footnote. The same points give the same SVG bytes.
    """
    path = Path(path)
    fmt = "svg" if path.suffix.lower() == ".svg" else "png"
    dated = [p for p in points if p.date]
    notes = _footnote([p for p in points if not p.date])

    # A Figure with its own Agg canvas: pyplot's global figure manager and backend are never touched.
    height = 5.0 + 0.16 * len(notes)
    fig = Figure(figsize=(10, height), dpi=100)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.1, right=0.78, top=1 - 0.8 / height, bottom=(0.7 + 0.16 * len(notes)) / height)
    ax = fig.add_subplot()
    fig.suptitle(tracker.title, fontsize=13, fontweight="bold")
    sources = len({_who(p).casefold() for p in points})
    ax.set_title(
        f"{len(points)} independent figure{'s' * (len(points) != 1)} from {sources} claimant"
        f"{'s' * (sources != 1)}",
        fontsize=9,
        color="#555555",
    )
    ax.set_ylabel(tracker.unit or "value")
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.grid(axis="y", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)

    if dated:
        drawn = [_draw(ax, p) for p in dated]
        top = max(t for _, _, t in drawn)
        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        xs = [x for x, _, _ in drawn]
        spread = max(xs) - min(xs)
        span = max(spread, _MIN_SPAN_DAYS)
        # Room on the right for the labels of the last date; a short spread is widened mostly to the right.
        ax.set_xlim(
            min(xs) - 0.06 * span - 0.3 * (span - spread), max(xs) + 0.5 * span + 0.7 * (span - spread)
        )
        lows = [v for p in dated for v in (p.low, p.high) if v is not None]
        if min(lows, default=0.0) >= 0:
            # Counts start at zero; headroom above the top keeps "at least" carets inside the axes.
            ax.set_ylim(0, top * 1.15 if top > 0 else 1)
        _legend(ax, sorted({p.claimant_type for p in dated}))
        _place_labels(ax, [(x, y, _label(p)) for p, (x, y, _) in zip(dated, drawn, strict=True)], fig.dpi)
    else:
        ax.text(
            0.5, 0.5, "no dated figures", ha="center", va="center", transform=ax.transAxes, color="#777777"
        )
        ax.set_xticks([])
        ax.set_yticks([])
    if notes:
        fig.text(0.02, 0.02, "\n".join(notes), fontsize=7, va="bottom", ha="left", color="#333333")

    metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {}
    # The SVG writer salts its element ids with a random value unless svg.hashsalt is set; it is only
    # read from rcParams, so set it for the duration of this save (rc_context restores it).
    with mpl.rc_context({"svg.hashsalt": "claimledger", "svg.fonttype": "path"}):
        fig.savefig(path, format=fmt, metadata=metadata)
    return path
