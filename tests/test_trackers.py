"""Trackers: loading and validating TOML files, selecting figures, one point per source, charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from claimledger.ledger.trackers import (
    Point,
    Tracker,
    TrackerError,
    chart,
    find_tracker,
    load_tracker,
    matches,
    timeline,
)
from conftest import ROOT

TRACKERS = ROOT / "src" / "claimledger" / "trackers"


@pytest.fixture(scope="module")
def casualties() -> Tracker:
    return load_tracker(TRACKERS / "russian-military-casualties.toml")


@pytest.fixture(scope="module")
def flood() -> Tracker:
    return load_tracker(TRACKERS / "flood-displacement.toml")


def row(**overrides: Any) -> dict[str, Any]:
    """An invented ledger row: the Interior Ministry's displacement figure from example 01."""
    base: dict[str, Any] = {
        "published": "2024-03-15",
        "low": 13000.0,
        "high": None,
        "approximate": True,
        "text": "more than 13,000",
        "counts": "people forced from their homes",
        "category": "refugees",
        "claimant_name": "Interior Ministry",
        "claimant_type": "organization",
        "outlet": "Northline Press",
        "document": "doc-01",
        "cluster": "doc-01",
        "sentence": "Floods forced more than 13,000 people from their homes, the Interior Ministry said.",
    }
    return base | overrides


def write(tmp_path: Path, text: str, name: str = "t.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- loading -------------------------------------------------------------------------------------


def test_the_bundled_trackers_load(casualties, flood):
    assert casualties.name == "russian-military-casualties"
    assert casualties.categories == ("killed", "casualties")
    assert casualties.min_value == 100.0 and casualties.unit == "people"
    assert "ukrainian" in casualties.counts_none
    assert flood.name == "flood-displacement"
    assert "refugees" in flood.categories and flood.min_value == 1000.0
    assert find_tracker("flood-displacement", [Path("/nonexistent"), TRACKERS]) == flood


def test_optional_keys_have_defaults(tmp_path):
    tracker = load_tracker(write(tmp_path, 'name = "deaths"\ncategories = ["killed"]\n'))
    assert tracker == Tracker("deaths", "deaths", "", ("killed",), (), (), None, None)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('categories = ["killed"]', "missing required key 'name'"),
        ('name = 3\ncategories = ["killed"]', "'name' must be a string, got int"),
        ('name = "Bad Name"\ncategories = ["killed"]', "'name' must be lowercase"),
        ('name = "x"', "missing required key 'categories'"),
        ('name = "x"\ncategories = "killed"', "'categories' must be a list of non-empty strings"),
        ('name = "x"\ncategories = []', "at least one category"),
        ('name = "x"\ncategories = ["kiled"]', "unknown category 'kiled'; known: killed"),
        ('name = "x"\ncategories = ["killed"]\ncounts_any = [1]', "'counts_any' must be a list"),
        ('name = "x"\ncategories = ["killed"]\nmin_value = "100"', "'min_value' must be a number, got str"),
        ('name = "x"\ncategories = ["killed"]\nmin_value = true', "'min_value' must be a number, got bool"),
        ('name = "x"\ncategories = ["killed"]\ncount_any = ["a"]', "unknown key(s) count_any"),
        ('name = "x"\ncategories = ["killed"', "not valid TOML"),
    ],
)
def test_validation_errors_say_what_is_wrong(tmp_path, toml, message):
    path = write(tmp_path, toml)
    with pytest.raises(TrackerError) as err:
        load_tracker(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)  # the message names the file


def test_find_tracker_errors(tmp_path):
    with pytest.raises(TrackerError, match=r"no tracker named 'nope'.*nope\.toml"):
        find_tracker("nope", [tmp_path, TRACKERS])
    with pytest.raises(TrackerError, match="tracker names are"):
        find_tracker("../etc/passwd", [tmp_path])
    write(tmp_path, 'name = "other"\ncategories = ["killed"]\n', "mine.toml")
    with pytest.raises(TrackerError, match="must match the file name"):
        find_tracker("mine", [tmp_path])
    with pytest.raises(TrackerError, match="cannot read"):
        load_tracker(tmp_path / "missing.toml")


def test_a_local_tracker_overrides_a_bundled_one(tmp_path):
    write(
        tmp_path,
        'name = "flood-displacement"\ntitle = "Mine"\ncategories = ["refugees"]\n',
        "flood-displacement.toml",
    )
    assert find_tracker("flood-displacement", [tmp_path, TRACKERS]).title == "Mine"


# --- selecting -----------------------------------------------------------------------------------


def test_matches_filters_by_category_words_and_min_value(casualties):
    def m(category="killed", counts="Russian soldiers killed", context=None, low=500.0, high=500.0):
        return matches(casualties, category, counts, context, low, high)

    assert m()
    assert not m(category="wounded")
    assert not m(category=None)
    assert m(counts="servicemen died")  # counts_any match at word start, any case
    assert m(counts="troops killed")  # "troop" matches "troops"
    assert m(counts="people died", context="Moscow admitted 500 Russian deaths")  # word in the sentence
    assert not m(counts="people died", context="A flood killed 500 people")  # no counts_any word
    assert not m(counts="Ukrainian soldiers killed")  # counts_none
    # Exclusion reads what is counted, not the claimant named in the sentence...
    assert m(counts="Russian soldiers killed", context="Ukrainian officials said 500 Russian soldiers died")
    # ...unless nothing is known of what is counted.
    assert not m(counts=None, context="Ukrainian soldiers killed: 500")
    assert not m(low=2.0, high=2.0)  # "two soldiers": below min_value
    assert m(low=50.0, high=150.0)  # a range reaching min_value counts
    assert m(low=100.0, high=None)  # "more than 100"
    assert not m(low=None, high=50.0)  # "fewer than 50"
    assert not m(low=None, high=None)  # nothing to plot


def test_empty_counts_any_accepts_any_words(tmp_path):
    tracker = load_tracker(write(tmp_path, 'name = "x"\ncategories = ["killed"]\n'))
    assert matches(tracker, "killed", None, None, 1.0, 1.0)


def test_flood_tracker_selects_displacement_figures(flood):
    rows = [
        row(),  # 13,000 forced from their homes (tagged "refugees")
        row(category="refugees", document="doc-01h", cluster="doc-01h", low=2000.0, high=9999.0),
        row(
            document="d2", cluster="d2", category="refugees", counts="people remained displaced", low=19400.0
        ),
        row(
            document="d3", cluster="d3", category="other", counts="people had yet to return home", low=28000.0
        ),
        row(document="d4", cluster="d4", category="troops", counts="soldiers sent to the front", sentence=""),
        row(
            document="d5",
            cluster="d5",
            category="other",
            counts="reached homes on the eastern bank",
            low=40.0,
        ),
        row(document="d6", cluster="d6", category="killed", counts="people died"),
        row(document="d7", cluster="d7", category="other", counts="people need assistance", sentence="Aid."),
    ]
    assert sorted(p.document for p in timeline(flood, rows)) == ["d2", "d3", "doc-01", "doc-01h"]


# --- timeline ------------------------------------------------------------------------------------


def test_timeline_sorts_by_date_with_undated_last(flood):
    rows = [
        row(document="c", cluster="c", published=None, claimant_name="C"),
        row(document="b", cluster="b", published="2024-04-23T09:00:00+00:00", claimant_name="B"),
        row(document="a", cluster="a", published="2024-03-15", claimant_name="A"),
        row(document="d", cluster="d", published="not a date", claimant_name="D"),
    ]
    points = timeline(flood, rows)
    assert [(p.date, p.document) for p in points] == [
        ("2024-03-15", "a"),
        ("2024-04-23", "b"),
        (None, "c"),
        (None, "d"),
    ]
    assert all(isinstance(p, Point) for p in points)


def test_one_point_per_independent_source(flood):
    rows = [
        # A syndicated copy (same cluster) published later, and the original.
        row(document="copy", cluster="orig", published="2024-03-16", outlet="EastWatch Digest"),
        row(document="orig", cluster="orig", published="2024-03-15"),
        row(document="copy2", cluster="orig", published="2024-03-17"),
        # The same figure in the same document twice (headline and body) is one point, no copy.
        row(document="orig", cluster="orig", published="2024-03-15", text="13,000+"),
        # Another claimant in the same cluster is another source.
        row(document="orig", cluster="orig", claimant_name="Marko Tesler", claimant_type="person"),
        # The same claimant and figure in a different article is independent reporting.
        row(document="other", cluster="other", published="2024-03-20"),
        # The same claimant with a new figure in a copy is a new point.
        row(document="copy", cluster="orig", published="2024-03-16", low=14000.0),
    ]
    points = timeline(flood, rows)
    summary = [(p.date, p.claimant, p.low, p.document, p.copies) for p in points]
    assert summary == [
        ("2024-03-15", "Interior Ministry", 13000.0, "orig", ("copy", "copy2")),
        ("2024-03-15", "Marko Tesler", 13000.0, "orig", ()),
        ("2024-03-16", "Interior Ministry", 14000.0, "copy", ()),
        ("2024-03-20", "Interior Ministry", 13000.0, "other", ()),
    ]
    assert points[0].outlet == "Northline Press"  # the earliest copy is the one kept


def test_a_row_without_claimant_name_or_cluster(flood):
    [point] = timeline(flood, [row(claimant_name=None, claimant_type="article", cluster=None, quote_id="q1")])
    assert (point.claimant, point.cluster, point.quote_id) == ("article", "doc-01", "q1")


# --- charts --------------------------------------------------------------------------------------


def points_for_chart() -> list[Point]:
    def p(date, low, high, who, kind="organization", text="", approx=False, doc="d1"):
        return Point(
            date, low, high, approx, text, "people displaced", who, kind, "Northline Press", doc, doc, None
        )

    return [
        p(
            "2024-03-15", 13000.0, None, "Interior Ministry", text="more than 13,000", approx=True
        ),  # open above
        p("2024-03-15", 2000.0, 9999.0, "article", "article", "thousands"),  # range
        p("2024-03-15", 5000.0, 5000.0, "Marko Tesler", "person", "close to 5,000", approx=True),
        p("2024-04-23", 19400.0, 19400.0, "Interior Ministry", text="19,400", doc="d2"),
        p("2024-04-23", None, 28000.0, "Open Waters Monitor", "document", "fewer than 28,000", doc="d3"),
        p(None, 30000.0, 30000.0, "commentary", "commentary", "30,000", doc="blog"),  # undated
    ]


def test_chart_writes_a_valid_svg(flood, tmp_path):
    path = chart(flood, points_for_chart(), tmp_path / "flood.svg")
    assert path == tmp_path / "flood.svg"
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # Text is drawn as glyph paths; the title and the footnote leave comments naming their text.
    body = path.read_text(encoding="utf-8")
    assert "Varenko floods: people displaced" in body
    assert "Undated, not plotted" in body
    assert "30,000" in body


def test_chart_svg_is_deterministic(flood, tmp_path):
    a = chart(flood, points_for_chart(), tmp_path / "a.svg").read_bytes()
    b = chart(flood, points_for_chart(), tmp_path / "b.svg").read_bytes()
    assert a == b


def test_chart_writes_a_png(flood, tmp_path):
    path = chart(flood, points_for_chart(), tmp_path / "flood.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chart_with_only_undated_or_no_points(flood, tmp_path):
    undated = [p for p in points_for_chart() if p.date is None]
    ET.parse(chart(flood, undated, tmp_path / "undated.svg"))
    ET.parse(chart(flood, [], tmp_path / "empty.svg"))
    assert chart(flood, [], tmp_path / "empty.png").read_bytes()[:4] == b"\x89PNG"


def test_chart_with_a_single_point_and_many_labels(flood, tmp_path):
    one = points_for_chart()[3:4]
    ET.parse(chart(flood, one, tmp_path / "one.svg"))
    many = [
        Point(
            "2024-03-15",
            1000.0 + i,
            1000.0 + i,
            False,
            str(i),
            None,
            f"Claimant {i}",
            "person",
            None,
            "d",
            "d",
            None,
        )
        for i in range(40)
    ]
    ET.parse(chart(flood, many, tmp_path / "many.svg"))
