"""Browsing the listings in-process: sortable columns (quotes, numbers, speakers, a tracker's
table; the ``sort`` parameter of the pages and the API, its whitelist, pagination, the headers),
result totals and orders of search, the outlet facet, and the data of the tracker chart's card."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import pytest

from claimledger.ledger import queries
from claimledger.ledger.trackers import Point
from claimledger.web.chart import TRACKER_SORTS, sort_points, timeline_svg
from test_web import assert_error, build_ledger, client_for, example_documents, walk

# SQLite's lower() folds ASCII letters only; the rest compares by code point (as Python's str does).
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _text(v: str | None) -> str | None:
    return None if v is None else v[: queries._SORT_CHARS].translate(_ASCII_LOWER)


# What each column compares, from a row of the API (None: the row sorts last either way).
QUOTE_KEYS = {
    "date": lambda r: r["published"],
    "speaker": lambda r: r["speaker"] or r["speaker_id"],
    "quote": lambda r: _text(r["text"]),
    "kind": lambda r: r["kind"],
    "document": lambda r: _text(r["title"]),
}
NUMBER_KEYS = {
    "date": lambda r: r["published"],
    "expression": lambda r: _text(r["text"]),
    "value": lambda r: r["low"] if r["low"] is not None else r["high"],
    "counts": lambda r: _text(r["counts"]),
    "category": lambda r: r["category"],
    "claimant": lambda r: _text(r["claimant"]),
    "document": lambda r: _text(r["title"]),
}


@pytest.fixture(scope="module")
def docs(nlp):
    return example_documents()


@pytest.fixture(scope="module")
def client(tmp_path_factory, docs):
    db = build_ledger(tmp_path_factory.mktemp("sort") / "ledger.db", docs)
    with client_for(db) as c:
        yield c


def assert_sorted(keys: list, desc: bool) -> None:
    """Values in order (``desc``: largest first), the missing ones after all the others."""
    present = [k for k in keys if k is not None]
    assert keys[: len(present)] == present, "a missing value before a present one"
    assert present == sorted(present, reverse=desc)


@pytest.mark.parametrize(
    ("path", "columns"), [("/api/v1/quotes", QUOTE_KEYS), ("/api/v1/numbers", NUMBER_KEYS)]
)
def test_claims_sort_by_every_column_both_ways(client, path, columns):
    """Each column sorts the whole listing, both ways, NULLs last; walking pages of 1 or 4 rows
    gives the same rows in the same order as one page, each claim once."""
    everything = sorted((r["doc_id"], r["idx"]) for r in walk(client, path, limit=1000))
    assert set(columns) == set(queries.QUOTE_SORTS if "quotes" in path else queries.NUMBER_SORTS)
    for name, key in columns.items():
        for sort in (name, f"-{name}"):
            whole = walk(client, path, limit=1000, sort=sort)
            assert sorted((r["doc_id"], r["idx"]) for r in whole) == everything, sort
            assert_sorted([key(r) for r in whole], sort.startswith("-"))
            for limit in (1, 4):
                paged = walk(client, path, limit=limit, sort=sort)
                assert [(r["doc_id"], r["idx"]) for r in paged] == [(r["doc_id"], r["idx"]) for r in whole]
    # -date is the listing's own order (newest document first, text order within one).
    assert walk(client, path, limit=1000, sort="-date") == walk(client, path, limit=1000)


def test_sort_keeps_the_filters(client):
    got = walk(client, "/api/v1/numbers", limit=2, sort="-value", category="refugees")
    assert got and {r["category"] for r in got} == {"refugees"}
    assert_sorted([r["low"] if r["low"] is not None else r["high"] for r in got], True)
    quotes = walk(client, "/api/v1/quotes", limit=2, sort="quote", speaker="Drobnin")
    assert quotes and all("Drobnin" in r["speaker"] for r in quotes)
    csv_text = client.get("/api/v1/numbers", params={"format": "csv", "sort": "value", "limit": 3}).text
    assert len(csv_text.splitlines()) == 4


@pytest.mark.parametrize("sort", ["documents", "-documents", "quotes", "-quotes", "type", "-type", "-name"])
def test_speakers_sort_by_counts_type_and_name(client, sort):
    by_name = walk(client, "/api/v1/speakers", limit=1000)
    whole = walk(client, "/api/v1/speakers", limit=1000, sort=sort)
    assert sorted(s["id"] for s in whole) == sorted(s["id"] for s in by_name)
    # Speakers without a name are listed by their description ("a senior official").
    name = sort.lstrip("-")
    key = (lambda s: s["name"] or s["description"] or "") if name == "name" else (lambda s: s[name])
    assert_sorted([key(s) for s in whole], sort.startswith("-"))
    assert walk(client, "/api/v1/speakers", limit=3, sort=sort) == whole
    assert walk(client, "/api/v1/speakers", limit=1000, sort="name") == by_name


@pytest.mark.parametrize(
    "path", ["/api/v1/quotes", "/api/v1/numbers", "/api/v1/speakers", "/quotes", "/numbers", "/speakers"]
)
@pytest.mark.parametrize("sort", ["title; DROP TABLE quotes", "idx", "--date", "date,", "DATE", " date"])
def test_sort_outside_the_columns_is_refused(client, path, sort):
    """Only the listed columns are accepted, before any SQL is made: the answer is 422 naming them."""
    resp = client.get(path, params={"sort": sort})
    if path.startswith("/api"):
        body = assert_error(resp, 422, "CL-E041")
        assert "query.sort" in body["error"]["message"] and "|" in body["error"]["message"]  # the columns
    else:
        assert resp.status_code == 422 and "sort" in resp.text


def test_empty_sort_is_the_default_order(client):
    assert client.get("/api/v1/quotes", params={"sort": ""}).json() == client.get("/api/v1/quotes").json()
    assert client.get("/speakers", params={"sort": ""}).status_code == 200


def test_cursor_of_another_sort_is_refused(client):
    page = client.get("/api/v1/quotes", params={"limit": 1, "sort": "speaker"}).json()
    assert page["next"]
    for other in ("-speaker", "quote", None):
        params = {"limit": 1, "cursor": page["next"], **({"sort": other} if other else {})}
        assert_error(client.get("/api/v1/quotes", params=params), 400, "CL-E049")


def _headers(html: str) -> dict[str, tuple[str | None, dict[str, str]]]:
    """Each sortable header of a page: its aria-sort and its link's parameters (``#`` its fragment)."""
    th = r'<th scope="col"(?: aria-sort="(\w+)")?><a class="sort" href="([^"]*)">([^<]+)<'
    heads = re.findall(th, html)
    out = {}
    for aria, href, label in heads:
        query, _, fragment = href.replace("&amp;", "&").removeprefix("?").partition("#")
        out[label] = (aria or None, {**dict(parse_qsl(query)), **({"#": fragment} if fragment else {})})
    return out


def test_headers_are_links_with_aria_sort(client):
    """Without a script: each sortable header is a link to the listing sorted by it, the current
    column's sorting it the other way round, with the filters kept and from the first page."""
    heads = _headers(client.get("/quotes").text)
    assert heads["Date"] == ("descending", {"sort": "date"})  # newest first is the default
    assert heads["Speaker"] == (None, {"sort": "speaker"})
    heads = _headers(client.get("/quotes", params={"sort": "speaker", "outlet": "north", "limit": 2}).text)
    assert heads["Speaker"] == ("ascending", {"outlet": "north", "limit": "2", "sort": "-speaker"})
    assert heads["Date"] == (None, {"outlet": "north", "limit": "2", "sort": "-date"})
    first = client.get("/quotes", params={"sort": "speaker", "limit": 2}).text
    nxt = re.search(r'class="next" href="\?([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "sort=speaker" in nxt and "cursor=" in nxt
    assert "cursor" not in _headers(client.get(f"/quotes?{nxt}").text)["Quote"][1]
    assert 'name="sort" value="speaker"' in first  # the filter form keeps the order
    heads = _headers(client.get("/numbers", params={"sort": "-value"}).text)
    assert heads["Range"] == ("descending", {"sort": "value"})
    assert heads["Category"] == (None, {"sort": "category"})
    heads = _headers(client.get("/speakers").text)
    assert heads["Speaker"] == ("ascending", {"sort": "-name"})
    assert heads["Quotes"] == (None, {"sort": "-quotes"})
    assert "Aliases" not in heads  # not sortable


def test_sorted_pages_show_the_api_order(client):
    page = client.get("/numbers", params={"sort": "-value", "limit": 5}).text
    api = client.get("/api/v1/numbers", params={"sort": "-value", "limit": 5}).json()["items"]
    hrefs = re.findall(r'<a class="permalink" href="([^"]+)">claim</a>', page)
    assert hrefs == [f"/documents/{r['doc_id']}/numbers/{r['idx']}" for r in api]
    assert "sort=-value" in re.search(r'href="(/api/v1/numbers\?[^"]*)"', page).group(1)  # downloads


def test_tracker_table_and_api_sort(client):
    """A tracker's table sorts by its columns (the chart keeps its dates); the API and its CSV too."""
    base = client.get("/api/v1/trackers/flood-displacement").json()["points"]
    for name in TRACKER_SORTS:
        for sort in (name, f"-{name}"):
            got = client.get("/api/v1/trackers/flood-displacement", params={"sort": sort}).json()["points"]
            assert sorted(p["href"] for p in got) == sorted(p["href"] for p in base)
    by_value = client.get("/api/v1/trackers/flood-displacement", params={"sort": "-value"}).json()["points"]
    values = [p["low"] if p["low"] is not None else p["high"] for p in by_value]
    assert_sorted(values, True)
    assert values != [p["low"] if p["low"] is not None else p["high"] for p in base]
    assert client.get("/api/v1/trackers/flood-displacement", params={"sort": "date"}).json()["points"] == base
    csv_rows = client.get(
        "/api/v1/trackers/flood-displacement", params={"sort": "-value", "format": "csv"}
    ).text.splitlines()
    assert len(csv_rows) == len(base) + 1
    html = client.get("/trackers/flood-displacement", params={"sort": "-value"}).text
    table = html[html.index('id="figures"') :]
    links = re.findall(r'<td><a href="(/documents/[^"]+#n\d+)">', table)  # not the copies' links
    assert links == [p["href"] for p in by_value]
    heads = _headers(html)
    assert heads["Range"] == ("descending", {"sort": "value", "#": "figures"})
    assert heads["Date"] == (None, {"sort": "-date", "#": "figures"})
    plain = _headers(client.get("/trackers/flood-displacement", params={"claimant": "person", "x": "1"}).text)
    assert plain["Date"] == ("ascending", {"claimant": "person", "sort": "-date", "#": "figures"})
    assert_error(client.get("/api/v1/trackers/flood-displacement", params={"sort": "low"}), 422, "CL-E041")


def _point(date: str | None, low: float | None, high: float | None, outlet: str | None = None) -> Point:
    return Point(date, low, high, False, "x", None, "Someone", "person", outlet, "d", "c", None)


def test_sort_points_puts_missing_values_last_both_ways():
    pts = [_point("2026-01-02", 5, 5), _point(None, None, 9, "B"), _point("2026-01-01", None, None, "a")]
    assert [p.date for p in sort_points(pts, "date")] == ["2026-01-01", "2026-01-02", None]
    assert [p.date for p in sort_points(pts, "-date")] == ["2026-01-02", "2026-01-01", None]
    assert [p.high for p in sort_points(pts, "-value")] == [9, 5, None]  # the upper bound of "up to 9"
    assert [p.outlet for p in sort_points(pts, "outlet")] == ["a", "B", None]  # case-folded
    assert sort_points(pts, "copies") == pts  # ties keep the timeline's order


def _total(html: str) -> str:
    return re.search(r'<p class="total"><strong>([^<]+)</strong>', html).group(1)


def test_search_page_gives_the_result_total_and_the_orders(client, monkeypatch):
    """The search page says how many documents match (with the filters), the listing how many
    there are; past the cap it says "more than"; the orders are links, the current one marked."""
    hits = walk(client, "/api/v1/search", q="flood", limit=1000)
    html = client.get("/", params={"q": "flood", "limit": 1}).text
    assert _total(html) == str(len(hits)) and len(hits) > 1
    assert '<strong aria-current="true">recently stored</strong>' in html
    orders = dict(re.findall(r'<a href="\?([^"]+)">(relevance|newest published)</a>', html))
    assert {label: dict(parse_qsl(qs.replace("&amp;", "&"))) for qs, label in orders.items()} == {
        "relevance": {"q": "flood", "limit": "1", "order": "relevance"},
        "newest published": {"q": "flood", "limit": "1", "order": "date"},
    }
    narrowed = walk(client, "/api/v1/search", q="flood", outlet="north", limit=1000)
    assert _total(client.get("/", params={"q": "flood", "outlet": "north"}).text) == str(len(narrowed))
    documents = walk(client, "/api/v1/documents", limit=1000)
    assert _total(client.get("/").text) == str(len(documents))
    monkeypatch.setattr(queries, "TOTAL_CAP", 2)
    assert _total(client.get("/", params={"q": "flood"}).text) == "more than 2"
    assert "Nothing found" in client.get("/", params={"q": "zzzqqq"}).text


@pytest.mark.parametrize("kind", ["quotes", "numbers"])
def test_outlet_facet_counts_and_filters(client, docs, kind):
    """The counts include the outlet facet; its value links to the listing of that outlet."""
    northline = sum(len(getattr(d, kind)) for d in docs if d.source.startswith("01-"))
    assert northline
    body = client.get(f"/{kind}", params={"facets": "1"}).text
    facet = body[body.index("<h2>Outlet</h2>") :]
    link = 'href="?facets=1&amp;outlet=Northline+Press">Northline Press</a>'
    assert f'{link} <span class="meta">{northline}</span>' in facet
    narrowed = client.get(f"/{kind}", params={"facets": "1", "outlet": "Northline Press"}).text
    assert f"<strong>{northline:,}</strong> {kind}" in narrowed
    assert len(walk(client, f"/api/v1/{kind}", outlet="Northline Press")) == northline


def test_chart_marks_carry_the_card_data_escaped():
    """Each mark holds what its card shows (date, range, claimant, outlet, expression, copies),
    escaped; it stays out of the tab order and the chart hidden from screen readers."""
    hostile = '"><script>alert(1)</script>'
    p = Point("2026-03-01", 80000, None, True, f"more than 80,000{hostile}", None, f"Ann{hostile}",
              "person", "Northline Press", "d1", "c", None, "n3", ("d2", "d3"))  # fmt: skip
    svg = str(timeline_svg([p], "Title"))
    mark = re.search(r"<a [^>]*>", svg).group()
    assert 'class="pt ct-person approx"' in mark and 'tabindex="-1"' in mark
    assert 'href="/documents/d1#n3"' in mark
    esc = "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert f'data-claimant="Ann{esc}"' in mark and f'data-text="more than 80,000{esc}"' in mark
    assert 'data-date="2026-03-01"' in mark and 'data-range="80,000 or more"' in mark
    assert 'data-outlet="Northline Press"' in mark and 'data-copies="2"' in mark
    assert "<script>" not in svg and 'aria-hidden="true"' in svg
