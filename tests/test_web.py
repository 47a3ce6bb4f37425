"""The web app and HTTP API in-process (TestClient): contract, pagination, errors, security, read-only."""

from __future__ import annotations

import base64
import csv
import html.parser
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from claimledger import extract_many
from claimledger.ledger.store import Ledger
from claimledger.settings import Settings
from conftest import EXAMPLES

with warnings.catch_warnings():  # starlette's TestClient warns about its httpx transport
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from claimledger.ledger import queries
from claimledger.web import db as webdb
from claimledger.web.app import create_app
from claimledger.web.formatting import safe_url, value_range
from claimledger.web.highlight import Span, nest
from claimledger.web.security import CSRF_COOKIE, CSRF_FIELD, HostPolicy

# Invented pages whose title, quotes, speaker names and URL carry script payloads. extract() keeps
# them as text: page 1 gives a speaker named '>alert(9)</script> Committee' and a quote holding an
# <img onerror> tag, page 2 a quote holding a <script> element.
XSS_URL = "javascript:alert('url')"
XSS_PAGES = {
    "xss-1.txt": (
        'Mayor <script>alert("title")</script> resigns "><img src=x onerror=alert(1)>\n'
        '"We will not leave <img src=x onerror=alert(2)>," '
        'said Mayor Jane"><img src=x onerror=alert(7)>Doe.\n'
        '"Nothing is safe," said Jane<script>alert(8)</script>Doe.\n'
        '"All is well," the <script>alert(9)</script> Committee said in a statement.\n'
    ),
    "xss-2.txt": (
        'Mayor <script>alert("title")</script> resigns "><img src=x onerror=alert(1)>\n'
        '"Nothing is safe <script>alert(2)</script>," said Jane<script>alert(8)</script>Doe.\n'
        '"All is well," the <img src=x onerror=alert(9)> Committee said in a statement.\n'
    ),
}
TOKEN = "s3cret-token-for-tests"


def example_documents() -> list:
    """The bundled examples and the XSS pages, extracted (the XSS pages get a javascript: URL)."""
    items = [(p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.txt"))]
    items += list(XSS_PAGES.items())
    docs = list(extract_many(items))
    for d in docs:
        if d.source.startswith("xss-"):
            d.url = XSS_URL
    return docs


def build_ledger(path: Path | str, docs: list) -> str:
    """A ledger at ``path`` (a SQLite file or a database URL) holding ``docs``."""
    with Ledger(str(path), settings=Settings()) as ledger:
        for d in docs:
            ledger.ingest(d, outlet="Northline Press" if d.source.startswith("01-") else None)
    return str(path)


# The address `claimledger serve` listens on by default: the app answers only to its own names.
BASE = "http://127.0.0.1:8000"


def client_for(db: str, hosts: HostPolicy | None = None, base: str = BASE, **changes) -> TestClient:
    app = create_app(db, replace(Settings(), **changes), hosts)
    return TestClient(app, base_url=base, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def docs(nlp):
    return example_documents()


@pytest.fixture(scope="module")
def db(tmp_path_factory, docs):
    return build_ledger(tmp_path_factory.mktemp("web") / "ledger.db", docs)


@pytest.fixture(scope="module")
def client(db):
    with client_for(db) as c:
        yield c


def by_source(docs, prefix):
    return next(d for d in docs if d.source.startswith(prefix))


def assert_error(resp, status: int, code: str) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert body == {
        "ok": False,
        "error": {"code": code, "message": body["error"]["message"]},
        "status": status,
    }
    assert body["error"]["message"]
    return body


def walk(client, url: str, **params) -> list[dict]:
    """Every item of a listing, following the ``next`` cursors."""
    items, cursor = [], None
    for _ in range(2000):
        resp = client.get(url, params={**params, **({"cursor": cursor} if cursor else {})})
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert set(body) == {"items", "next"}
        items += body["items"]
        cursor = body["next"]
        if cursor is None:
            return items
    raise AssertionError("pagination does not end")


# -- API contract and pagination ---------------------------------------------------------------


def test_documents_are_listed_with_ids_and_paginated(client, docs):
    items = walk(client, "/api/v1/documents", limit=2)
    assert sorted(d["id"] for d in items) == sorted(d.id for d in docs)
    assert len({d["id"] for d in items}) == len(items)
    dates = [d["published"] or "" for d in items]
    assert dates == sorted(dates, reverse=True)
    whole = client.get("/api/v1/documents", params={"limit": 100}).json()
    assert whole["next"] is None and [d["id"] for d in whole["items"]] == [d["id"] for d in items]


def test_document_is_the_output_contract_plus_ledger_facts(client, docs):
    doc = by_source(docs, "01-")
    got = client.get(f"/api/v1/documents/{doc.id}").json()
    ledger = got.pop("ledger")
    want = doc.to_dict()
    assert set(got) == set(want)
    for key in ("id", "source", "title", "url", "published", "status", "errors", "text", "sections"):
        assert got[key] == want[key], key
    for key in ("quotes", "numbers", "anonymous_sources"):
        assert got[key] == want[key], key
    assert sorted(got["speakers"], key=lambda s: s["id"]) == sorted(want["speakers"], key=lambda s: s["id"])
    copy = by_source(docs, "05-")
    assert [c["id"] for c in ledger["copies"]] == [copy.id]
    assert ledger["outlet"] == "Northline Press" and ledger["is_current"] is True
    assert set(ledger["speakers"]) == {s.id for s in doc.speakers}


def test_quotes_pages_join_up_and_filter_by_speaker(client, docs):
    every = walk(client, "/api/v1/quotes", limit=3)
    assert len(every) == sum(len(d.quotes) for d in docs)
    assert len({(q["doc_id"], q["idx"]) for q in every}) == len(every)
    # Two people share the surname in the examples (the governor and an unrelated Mikhail).
    both = walk(client, "/api/v1/quotes", speaker="Drobnin", limit=4)
    assert {q["speaker"] for q in both} == {"Alexei Drobnin", "Mikhail Drobnin"}
    drobnin = walk(client, "/api/v1/quotes", speaker="Alexei Drobnin", limit=4)
    assert drobnin and {q["speaker"] for q in drobnin} == {"Alexei Drobnin"}
    by_id = walk(client, "/api/v1/quotes", speaker=drobnin[0]["speaker_id"], limit=4)
    assert [(q["doc_id"], q["idx"]) for q in by_id] == [(q["doc_id"], q["idx"]) for q in drobnin]


def test_numbers_filter_and_csv(client):
    refugees = walk(client, "/api/v1/numbers", category="refugees", limit=2)
    assert refugees and {n["category"] for n in refugees} == {"refugees"}
    ministry = walk(client, "/api/v1/numbers", claimant="ministry", limit=50)
    assert ministry and all("ministry" in n["claimant"].lower() for n in ministry)
    resp = client.get("/api/v1/numbers", params={"format": "csv", "limit": 5})
    assert resp.headers["content-type"].startswith("text/csv")
    assert resp.text.splitlines()[0].startswith("doc_id,idx,text")
    assert "attachment" in resp.headers["content-disposition"]


@pytest.mark.parametrize("first_batch", [1, 2, 32])
@pytest.mark.parametrize("path", ["/api/v1/quotes", "/api/v1/numbers"])
def test_claim_pages_in_growing_batches_are_the_whole_listing(client, docs, monkeypatch, path, first_batch):
    """Claims are fetched for batches of documents that start small and double; however the pages
    and batches fall (a page ending inside a document or a batch), walking the pages gives every
    claim once, newest document first and in text order within one."""
    monkeypatch.setattr(queries, "_FIRST_BATCH", first_batch)
    kind = "quotes" if path.endswith("quotes") else "numbers"
    current = [d for d in docs if getattr(d, kind)]
    newest = sorted(current, key=lambda d: (d.published is not None, d.published or "", d.id), reverse=True)
    expected = [(d.id, i) for d in newest for i in range(len(getattr(d, kind)))]
    for limit in (1, 3, 7, 1000):
        got = [(r["doc_id"], r["idx"]) for r in walk(client, path, limit=limit)]
        assert got == expected, limit
    csv_rows = client.get(path, params={"format": "csv", "limit": 5}).text.splitlines()
    assert len(csv_rows) == 6


def test_csv_cells_cannot_start_formulas(client):
    rows = client.get("/api/v1/quotes", params={"format": "csv", "limit": 200}).text
    for line in rows.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.startswith(("=", "+", "@")), line


def test_speakers_and_speaker(client):
    speakers = walk(client, "/api/v1/speakers", limit=5)
    drobnin = next(s for s in speakers if s["name"] == "Alexei Drobnin")
    assert "Alexey Drobnin" in drobnin["aliases"] and drobnin["documents"] >= 2
    one = client.get(f"/api/v1/speakers/{drobnin['id']}").json()
    assert one["id"] == drobnin["id"] and one["appearances"]
    quotes = client.get(one["quotes_url"]).json()["items"]
    assert quotes and all(q["speaker_id"] == drobnin["id"] for q in quotes)
    people = walk(client, "/api/v1/speakers", type="person", limit=50)
    assert people and {s["type"] for s in people} == {"person"}


def test_speaker_pages_walk_the_sort_index(db):
    """A page of speakers is read from ``ix_speakers_sort`` in order (no sort of every speaker),
    and the pages together list every speaker with a quote once, by name."""
    from sqlalchemy import event

    engine = webdb.readonly_engine(db, timeout_s=5)
    seen: list[tuple[str, Any]] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, sql, arg, *_: seen.append((sql, arg)))
    with webdb.reading(engine) as conn:
        first = queries.speakers(conn, None, None, 3, None)
        sql, params = seen[-1]
        plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
        assert "ix_speakers_sort" in plan
        names, page = [], first
        while True:
            names += [r["name"] or r["description"] for r in page.items]
            if page.next is None:
                break
            page = queries.speakers(conn, None, None, 3, page.next)
        quoted = conn.exec_driver_sql(
            "SELECT coalesce(name, description, '') FROM speakers WHERE id IN (SELECT speaker_id FROM quotes)"
        ).scalars().all()
    assert names == sorted(quoted)
    engine.dispose()


def test_categories_are_every_category_once_in_order(db, docs):
    engine = webdb.readonly_engine(db, timeout_s=5)
    with webdb.reading(engine) as conn:
        got = queries.categories(conn)
    engine.dispose()
    assert got == sorted({n.category for d in docs for n in d.numbers if n.category}) and len(got) > 2


def test_search_with_filters(client, docs):
    hits = walk(client, "/api/v1/search", q="embankments", limit=1)
    assert {h["source"] for h in hits} == {"01-wire-evacuation.txt", "05-syndicated-copy.txt"}
    assert all("[" in h["snippet"] for h in hits)
    outlet = client.get("/api/v1/search", params={"q": "embankments", "outlet": "northline"}).json()
    assert [h["source"] for h in outlet["items"]] == ["01-wire-evacuation.txt"]
    dated = client.get("/api/v1/search", params={"q": "embankments", "since": "2030-03-18"}).json()
    assert [h["source"] for h in dated["items"]] == ["05-syndicated-copy.txt"]
    spoken = client.get("/api/v1/search", params={"q": "floods", "speaker": "Daria Melnek"}).json()
    assert spoken["items"] and all(
        h["source"] in ("01-wire-evacuation.txt", "05-syndicated-copy.txt") for h in spoken["items"]
    )
    # FTS syntax in the user's words is data, not syntax.
    assert client.get("/api/v1/search", params={"q": 'NEAR(" OR * ) -'}).status_code == 200


def test_search_terms_keep_quoted_phrases():
    assert queries.search_terms('flood "never meant" river') == [["flood"], ["never", "meant"], ["river"]]
    assert queries.search_terms('"open phrase') == [["open"], ["phrase"]]
    assert queries.search_terms('"" " ') == []


def test_phrase_search_needs_the_words_in_order(client, docs):
    doc = by_source(docs, "01-")
    assert "never meant for a flood" in doc.text
    hits = {h["id"] for h in walk(client, "/api/v1/search", q='"never meant for a flood"')}
    assert doc.id in hits
    assert walk(client, "/api/v1/search", q='"flood never meant"') == []
    assert doc.id in {h["id"] for h in walk(client, "/api/v1/search", q="flood never meant")}


@pytest.mark.parametrize("order", ["stored", "relevance", "date"])
def test_search_orders_paginate_consistently(client, docs, order):
    whole = [h["id"] for h in walk(client, "/api/v1/search", q="flood", order=order, limit=1000)]
    by_one = [h["id"] for h in walk(client, "/api/v1/search", q="flood", order=order, limit=1)]
    assert len(whole) >= 3 and whole == by_one
    assert sorted(whole) == sorted(h["id"] for h in walk(client, "/api/v1/search", q="flood"))
    if order == "date":
        dates = [next(d.published for d in docs if d.id == i) or "" for i in whole]
        dated = [d for d in dates if d]
        assert dated == sorted(dated, reverse=True) and dates[: len(dated)] == dated  # undated last
    page = client.get("/", params={"q": "flood", "order": order}).text
    assert f'<option value="{order}" selected>' in page


def test_relevance_puts_the_document_about_it_first(client, docs):
    hits = walk(client, "/api/v1/search", q="embankments", order="relevance")
    text = {d.id: d.text for d in docs}
    counts = [text[h["id"]].count("embankment") for h in hits]
    assert counts[0] == max(counts)


def test_search_cursor_of_another_order_is_refused(client):
    page = client.get("/api/v1/search", params={"q": "flood", "limit": 1}).json()
    params = {"q": "flood", "limit": 1, "order": "relevance", "cursor": page["next"]}
    resp = client.get("/api/v1/search", params=params)
    assert resp.status_code == 400


def test_trackers(client):
    names = [t["name"] for t in client.get("/api/v1/trackers").json()["items"]]
    assert "flood-displacement" in names
    got = client.get("/api/v1/trackers/flood-displacement").json()
    assert got["points"] and not got["truncated"]
    for p in got["points"]:
        assert p["href"].startswith(f"/documents/{p['document']}#n")
    assert_error(client.get("/api/v1/trackers/..%2F..%2Fetc"), 404, "CL-E040")
    assert_error(client.get("/api/v1/trackers/nope"), 404, "CL-E040")


def test_tracker_csv_has_a_row_per_point_and_outlet_names_not_paths(client, docs):
    got = client.get("/api/v1/trackers/flood-displacement").json()
    resp = client.get("/api/v1/trackers/flood-displacement", params={"format": "csv"})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    assert 'filename="tracker-flood-displacement.csv"' in resp.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert len(rows) == len(got["points"])
    assert [r["href"] for r in rows] == [p["href"] for p in got["points"]]
    assert {"date", "low", "high", "claimant", "outlet", "sentence", "copies"} <= set(rows[0])
    sources = {d.source for d in docs}
    for p in got["points"]:
        assert p["outlet"] not in sources  # a file path is no outlet
    assert "Northline Press" in {p["outlet"] for p in got["points"]}
    page = client.get("/trackers/flood-displacement").text
    assert 'href="/api/v1/trackers/flood-displacement?format=csv"' in page
    assert '<table class="rows" id="figures">' in page and "<caption>" in page
    for p in got["points"]:
        idx = p["href"].rsplit("#n", 1)[1]
        assert f'href="/documents/{p["document"]}/numbers/{idx}">cite</a>' in page


def test_tracker_claimant_filter(client):
    every = client.get("/api/v1/trackers/flood-displacement").json()["points"]
    kinds = {p["claimant_type"] for p in every}
    kind = sorted(kinds)[0]
    got = client.get("/api/v1/trackers/flood-displacement", params={"claimant": kind}).json()["points"]
    assert got and got == [p for p in every if p["claimant_type"] == kind]
    name = next(p["claimant"] for p in every if p["claimant_type"] not in p["claimant"])
    word = name.split()[-1].upper()
    by_name = client.get("/api/v1/trackers/flood-displacement", params={"claimant": word}).json()["points"]
    assert by_name and all(word.casefold() in p["claimant"].casefold() for p in by_name)
    rows = list(csv.DictReader(io.StringIO(client.get(
        "/api/v1/trackers/flood-displacement", params={"claimant": kind, "format": "csv"}).text)))
    assert len(rows) == len(got)
    page = client.get("/trackers/flood-displacement", params={"claimant": kind}).text
    assert f"{len(got)} of {len(every)} figures" in page and page.count('<circle class="mark"') <= len(got)
    assert f"claimant={kind}" in page  # the downloads keep the filter
    assert 'list="claimant-types"' in client.get("/trackers/flood-displacement").text


def test_tracker_chart_downloads(client):
    png = client.get("/trackers/flood-displacement/chart.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert png.headers["content-type"] == "image/png"
    assert 'filename="tracker-flood-displacement.png"' in png.headers["content-disposition"]
    svg = client.get("/trackers/flood-displacement/chart.svg", params={"claimant": "person"})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content and b"<script" not in svg.content
    csp = svg.headers["content-security-policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp  # no script can run in it
    assert svg.headers["x-content-type-options"] == "nosniff"
    assert client.get("/trackers/nope/chart.png").status_code == 404
    assert client.get("/trackers/flood-displacement/chart.gif").status_code == 422
    page = client.get("/trackers/flood-displacement").text
    assert 'href="/trackers/flood-displacement/chart.png" download' in page


def test_tracker_chart_files_are_bounded(db, monkeypatch):
    from claimledger.web import pages

    monkeypatch.setattr(pages, "CHART_FILE_POINTS", 2)
    with client_for(db) as c:
        resp = c.get("/trackers/flood-displacement/chart.png")
        assert resp.status_code == 400 and "too many for a chart file" in resp.text
        assert "chart.png" not in c.get("/trackers/flood-displacement").text


def test_chart_marks_of_a_crowded_date_stay_inside_the_plot():
    from claimledger.ledger.trackers import Point
    from claimledger.web import chart

    assert [chart.fan_offset(i) for i in range(5)] == [0, 9, -9, 18, -18]
    assert {abs(chart.fan_offset(i)) for i in range(1000)} <= {0, 9, 18, 27}
    points = [
        Point(day, 100.0 + i, 100.0 + i, False, f"{100 + i}", None, "Ministry", "organization", None,
              f"d{i}", f"d{i}", None, quote_id="n0")
        for i, day in enumerate(["2030-01-01"] * 60 + ["2030-03-01"] * 60)
    ]  # fmt: skip
    svg = str(chart.timeline_svg(points, "T", "people"))
    xs = [float(x) for x in re.findall(r'<circle class="mark" cx="([0-9.]+)"', svg)]
    assert len(xs) == 120
    assert all(chart.LEFT <= x <= chart.WIDTH - chart.RIGHT for x in xs)
    assert '<text class="yunit"' in svg and ">people</text>" in svg
    assert 'aria-hidden="true"' in svg and svg.count('tabindex="-1"') == 120


def test_tracker_table_is_capped_with_the_csv_for_all(db, monkeypatch):
    from claimledger.web import pages

    monkeypatch.setattr(pages, "TABLE_ROWS", 2)
    with client_for(db) as c:
        total = len(c.get("/api/v1/trackers/flood-displacement").json()["points"])
        assert total > 2
        body = c.get("/trackers/flood-displacement").text
    table = body[body.index('<table class="rows" id="figures">') : body.index("</table>")]
    assert table.count("<tr><td>") == 2
    assert f"the first 2 of {total} figures" in body


def test_tracker_rows_filtered_in_sql_give_the_same_timeline(db):
    """The value bound is applied in SQL; what the tracker then selects does not change."""
    from claimledger.ledger.trackers import BUNDLED_TRACKERS, load_tracker, timeline

    engine = webdb.readonly_engine(db, timeout_s=5)
    with webdb.reading(engine) as conn:
        for path in sorted(BUNDLED_TRACKERS.glob("*.toml")):
            tracker = load_tracker(path)
            everything = queries.tracker_rows(conn, tracker.categories, 10_000)
            bounded = queries.tracker_rows(conn, tracker.categories, 10_000, tracker.min_value)
            assert len(bounded) < len(everything)
            assert all(max(r["low"] or 0, r["high"] or 0) >= tracker.min_value for r in bounded)
            assert timeline(tracker, bounded) == timeline(tracker, everything)
    engine.dispose()


def test_tracker_timeline_is_computed_once_per_ledger_content(tmp_path, db, nlp, monkeypatch):
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    calls = []
    real = queries.tracker_rows
    monkeypatch.setattr(queries, "tracker_rows", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    with client_for(str(copy), web_token=TOKEN) as c:
        before = c.get("/api/v1/trackers/flood-displacement").json()["points"]
        assert c.get("/trackers/flood-displacement").status_code == 200
        assert c.get("/api/v1/trackers/flood-displacement").json()["points"] == before
        assert len(calls) == 1
        text = '"Some 7,300 people have been displaced by the floods," said Anna Kovac.\n'
        page = {"text": text, "source": "x.txt"}
        stored = c.post("/api/v1/ingest", json=page, headers={"authorization": f"Bearer {TOKEN}"})
        assert stored.json()["outcome"] == "ingested"
        after = c.get("/api/v1/trackers/flood-displacement").json()["points"]
        assert len(calls) == 2
        assert [p["low"] for p in after if p not in before] == [7300]


def test_tracker_timeline_is_computed_by_one_of_concurrent_requests(db, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from claimledger.web.service import WebService

    service = WebService.open(db, Settings())
    calls = []
    real = service._compute_timeline

    def compute(tracker):
        calls.append(tracker.name)
        return real(tracker)

    monkeypatch.setattr(service, "_compute_timeline", compute)
    tracker = service.tracker("flood-displacement")
    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda _: service.timeline(tracker), range(16)))
    assert calls == ["flood-displacement"] and all(f is found[0] for f in found)
    assert found[0].points and "<svg" in found[0].chart
    service.close()


def test_extract_returns_the_contract_and_stores_nothing(client, db):
    before = sqlite3.connect(db).execute("select count(*) from documents").fetchone()[0]
    resp = client.post(
        "/api/v1/extract", json={"text": '"We are safe," said Anna Kovac. About 300 people left.'}
    )
    assert resp.status_code == 200
    body = resp.json()
    assert body["quotes"][0]["speaker"]["name"] == "Anna Kovac"
    assert sqlite3.connect(db).execute("select count(*) from documents").fetchone()[0] == before
    # A URL is text to extract, never fetched.
    assert client.post("/api/v1/extract", json={"text": "http://127.0.0.1:9/x"}).status_code == 200


# -- errors: one shape ------------------------------------------------------------------------------


def test_every_api_error_has_one_shape(client):
    assert_error(client.get("/api/v1/nothing-here"), 404, "CL-E040")
    assert_error(client.get("/api/v1/documents/0000"), 404, "CL-E040")
    assert_error(client.get("/api/v1/speakers/nobody"), 404, "CL-E040")
    assert_error(client.delete("/api/v1/documents"), 405, "CL-E048")
    assert_error(client.get("/api/v1/documents", params={"limit": 0}), 422, "CL-E041")
    assert_error(client.get("/api/v1/documents", params={"since": "yesterday"}), 422, "CL-E041")
    assert_error(client.get("/api/v1/documents", params={"cursor": "not-a-cursor"}), 400, "CL-E049")
    cursor = client.get("/api/v1/quotes", params={"limit": 1}).json()["next"]
    assert_error(client.get("/api/v1/documents", params={"cursor": cursor}), 400, "CL-E049")
    assert_error(
        client.post("/api/v1/extract", content=b"{not json", headers={"content-type": "application/json"}),
        422,
        "CL-E041",
    )
    assert_error(client.post("/api/v1/extract", json={"text": ""}), 422, "CL-E041")


def _cursor(*parts) -> str:
    """A cursor as the server makes them (URL-safe base64 JSON), holding anything at all."""
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


# Cursors of the right shape whose values no SQL key can hold: integers past 64 bits (the driver
# cannot bind them), strings with a lone surrogate (not UTF-8) or a NUL (PostgreSQL refuses it).
BAD_CURSORS = [
    ("/api/v1/search", {"q": "said"}, _cursor("search", 2**63)),
    ("/api/v1/search", {"q": "said"}, _cursor("search", 10**20)),
    ("/api/v1/search", {"q": "said"}, _cursor("search", -(2**63) - 1)),
    ("/api/v1/quotes", {}, _cursor("quotes", "2030-01-01", "a" * 64, 2**64)),
    ("/api/v1/numbers", {}, _cursor("numbers", None, "a" * 64, -(2**70))),
    ("/api/v1/numbers", {}, _cursor("numbers", "2030-01-01", "\ud800", 1)),
    ("/api/v1/documents", {}, _cursor("documents", "2030-01-01", "a\x00b")),
    ("/api/v1/speakers", {}, _cursor("speakers", "\udfff", "x")),
    ("/api/v1/speakers", {}, _cursor("speakers", "x" * 301, "x")),
]


@pytest.mark.parametrize(("path", "params", "cursor"), BAD_CURSORS)
def test_cursor_values_out_of_range_are_a_400(client, path, params, cursor):
    assert_error(client.get(path, params={**params, "cursor": cursor}), 400, "CL-E049")


@pytest.mark.parametrize(
    ("path", "params", "cursor"),
    [
        ("/", {"q": "said"}, _cursor("search", 2**63)),
        ("/numbers", {}, _cursor("numbers", None, "a" * 64, 2**64)),
        ("/speakers", {}, _cursor("speakers", "\ud800", "x")),
    ],
)
def test_pages_refuse_out_of_range_cursors(client, path, params, cursor):
    resp = client.get(path, params={**params, "cursor": cursor})
    assert resp.status_code == 400 and "CL-E049" in resp.text


def test_cursor_values_at_the_edge_of_the_range_work(client):
    for k in (2**63 - 1, -(2**63)):
        resp = client.get("/api/v1/search", params={"q": "said", "cursor": _cursor("search", k)})
        assert resp.status_code == 200, resp.text
    resp = client.get("/api/v1/quotes", params={"cursor": _cursor("quotes", None, "f" * 64, 2**63 - 1)})
    assert resp.status_code == 200, resp.text


def test_internal_errors_are_json_and_leak_nothing(client, monkeypatch):
    def boom(*_a, **_k):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(queries, "documents", boom)
    body = assert_error(client.get("/api/v1/documents"), 500, "CL-E047")
    assert "secret" not in json.dumps(body)
    page = client.get("/")
    assert page.status_code == 500 and "secret" not in page.text and "CL-E047" in page.text
    assert "content-security-policy" in page.headers


def test_page_size_is_bounded(db):
    with client_for(db, web_page_rows=5) as c:
        assert c.get("/api/v1/quotes", params={"limit": 5}).status_code == 200
        assert_error(c.get("/api/v1/quotes", params={"limit": 6}), 422, "CL-E041")
        assert c.get("/numbers", params={"limit": 6}).status_code == 422


def test_bodies_are_bounded(db):
    with client_for(db, web_max_body_bytes=1000) as c:
        assert_error(c.post("/api/v1/extract", json={"text": "x" * 2000}), 413, "CL-E042")

        def chunks():  # no Content-Length: counted while streaming
            for _ in range(10):
                yield b"x" * 200

        resp = c.post("/api/v1/extract", content=chunks(), headers={"content-type": "application/json"})
        assert_error(resp, 413, "CL-E042")
        assert (
            c.post("/api/v1/extract", json={"text": "Officials said 12 people were hurt."}).status_code == 200
        )


# -- security -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/api/v1/documents", "/static/style.css", "/nowhere", "/openapi.json"])
def test_security_headers(client, path):
    h = client.get(path).headers
    csp = h["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    # Not no-referrer: with it a browser sends `Origin: null` on a same-origin form POST (CL-E046).
    assert h["referrer-policy"] == "same-origin"


def test_pages_have_no_inline_script(client, docs):
    for path in [
        "/",
        "/speakers",
        "/quotes",
        "/numbers",
        "/trackers",
        "/trackers/flood-displacement",
        "/extract",
        "/docs",
        f"/documents/{docs[0].id}",
    ]:
        body = client.get(path).text
        assert body.count("<script") == 1 and '<script src="/static/app.js" defer></script>' in body, path
        assert " on" + "click=" not in body and "style=" not in body


def test_openapi_is_served_and_lists_the_api(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for p in [
        "/api/v1/documents",
        "/api/v1/documents/{doc_id}",
        "/api/v1/quotes",
        "/api/v1/numbers",
        "/api/v1/speakers",
        "/api/v1/speakers/{speaker_id}",
        "/api/v1/trackers",
        "/api/v1/trackers/{name}",
        "/api/v1/search",
        "/api/v1/extract",
        "/api/v1/ingest",
    ]:
        assert p in paths
    assert not any(not p.startswith("/api/") for p in paths)


def test_api_docs_are_a_page_of_the_openapi_document(client):
    """/docs lists every operation of /openapi.json with its parameters, from our own assets only."""
    spec = client.get("/openapi.json").json()
    resp = client.get("/docs")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    body = resp.text
    for path, item in spec["paths"].items():
        for method in item:
            assert f'<code class="method method-{method}">{method.upper()}</code> <code>{path}</code>' in body
    assert "<code>cursor</code>" in body and "<code>format</code>" in body
    assert "needs <code>Authorization" in body
    assert 'action="/api/v1/numbers"' in body  # a plain form to try a listing
    assert "http://" not in body.replace("http://testserver", "") and "https://" not in body  # no CDN
    assert body.count("<script") == 1
    assert client.get("/", headers={}).text.count('href="/docs"') == 1  # linked from the footer
    redoc = client.get("/redoc", follow_redirects=False)
    assert redoc.status_code == 308 and redoc.headers["location"] == "/docs"
    assert "/docs" not in spec["paths"]


def test_api_docs_type_names():
    from claimledger.web.apidocs import type_name

    assert type_name({"$ref": "#/components/schemas/DocumentOut"}) == "DocumentOut"
    assert type_name({"anyOf": [{"type": "string"}, {"type": "null"}]}) == "string | null"
    assert type_name({"type": "array", "items": {"type": "integer"}}) == "integer[]"
    assert type_name({"enum": ["json", "csv"]}) == '"json" | "csv"'
    assert type_name(None) == "any"


# -- claim pages ----------------------------------------------------------------------------------


def test_claim_api_gives_the_passage_citation_and_provenance(client, docs):
    """A quote of a syndicated copy names the original (published earlier) as the earliest."""
    original, copy = by_source(docs, "01-"), by_source(docs, "05-")
    i = next(i for i, q in enumerate(copy.quotes) if q.text in {x.text for x in original.quotes})
    c = client.get(f"/api/v1/documents/{copy.id}/quotes/{i}").json()
    q = copy.quotes[i]
    assert c["claim"] == "quote" and c["text"] == q.text and c["idx"] == i
    assert c["permalink"] == f"/documents/{copy.id}/quotes/{i}"
    assert q.text in c["context"] and copy.text[c["context_start"] :].startswith(c["context"])
    assert c["citation"].startswith(f"{c['speaker']}: “{q.text}” — ")
    assert [o["doc_id"] for o in c["also_in"]] == [original.id]
    assert c["also_in"][0]["earliest"] and c["also_in"][0]["outlet_name"] == "Northline Press"
    assert c["earliest"] == {"doc_id": original.id, "published": original.published, "by": "published",
                             "is_this": False}  # fmt: skip
    j = next(j for j, x in enumerate(original.quotes) if x.text == q.text)
    back = client.get(f"/api/v1/documents/{original.id}/quotes/{j}").json()
    assert back["earliest"]["is_this"] and [o["doc_id"] for o in back["also_in"]] == [copy.id]
    assert not back["also_in"][0]["earliest"]


def test_claim_api_number_and_csv(client, docs):
    doc = by_source(docs, "01-")
    i = next(i for i, n in enumerate(doc.numbers) if n.text == "more than 80,000")
    c = client.get(f"/api/v1/documents/{doc.id}/numbers/{i}").json()
    assert c["claim"] == "number" and c["low"] == 80000 and c["high"] is None
    assert "more than 80,000" in c["sentence"] and c["outlet_name"] == "Northline Press"
    assert "Northline Press" in c["citation"] and c["sentence"] in c["citation"]
    resp = client.get(f"/api/v1/documents/{doc.id}/numbers/{i}?format=csv")
    assert resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert len(rows) == 1 and rows[0]["text"] == "more than 80,000"
    assert rows[0]["permalink"] == c["permalink"] and rows[0]["also_in_documents"] == str(len(c["also_in"]))
    for path in [f"/api/v1/documents/{doc.id}/numbers/999", f"/api/v1/documents/{'0' * 64}/quotes/0"]:
        assert_error(client.get(path), 404, "CL-E040")
    assert_error(client.get(f"/api/v1/documents/{doc.id}/numbers/-1"), 422, "CL-E041")


def test_claim_page_and_links_to_it(client, docs):
    doc = by_source(docs, "05-")
    body = client.get(f"/documents/{doc.id}/quotes/0").text
    q = doc.quotes[0]
    assert f'<mark class="claim-words quote">{escape(q.text)}</mark>' in body
    assert 'id="citation"' in body and 'class="badge">earliest' in body and "Also in 1 other document" in body
    assert f'href="/api/v1/documents/{doc.id}/quotes/0?format=csv"' in body
    assert f'href="/documents/{doc.id}#q0"' in body
    assert body.count("<script") == 1 and "style=" not in body
    page = client.get(f"/documents/{doc.id}").text
    assert f'href="/documents/{doc.id}/quotes/0"' in page and f'href="/documents/{doc.id}/numbers/0"' in page
    assert client.get(f"/documents/{doc.id}/quotes/999").status_code == 404
    assert client.get(f"/documents/{doc.id}/claims/0").status_code == 404


def test_speaker_page_lists_a_repeated_quote_once(client, docs):
    original, copy = by_source(docs, "01-"), by_source(docs, "05-")
    shared = next(q for q in copy.quotes if q.speaker and q.text in {x.text for x in original.quotes})
    got = client.get(f"/api/v1/documents/{copy.id}/quotes/{copy.quotes.index(shared)}").json()
    body = client.get(f"/speakers/{got['speaker_id']}").text
    assert body.count(f"<blockquote>{escape(shared.text)}</blockquote>") == 1
    assert "Also in 1 other document" in body and "Northline Press" in body


def test_quotes_page_lists_and_filters(client, docs):
    body = client.get("/quotes", params={"speaker": "Drobnin", "limit": 5}).text
    assert 'aria-current="page">Quotes</a>' in body
    assert body.count('<tr><td>') == 5 and "Alexei Drobnin" in body and 'class="next"' in body
    assert 'href="/api/v1/quotes?speaker=Drobnin&amp;limit=1000&amp;format=csv"' in body
    doc = by_source(docs, "01-")
    assert f'href="/documents/{doc.id}/quotes/' in client.get("/quotes", params={"limit": 1000}).text
    assert "No quotes." in client.get("/quotes", params={"speaker": "nobody-at-all"}).text


def test_counts_are_shown_on_request_and_filter(client, docs):
    plain = client.get("/numbers").text
    assert 'href="?facets=1"' in plain and 'class="facets"' not in plain
    body = client.get("/numbers", params={"facets": "1"}).text
    total = sum(len(d.numbers) for d in docs)
    assert f"<strong>{total:,}</strong> numbers" in body
    refugees = sum(1 for d in docs for n in d.numbers if n.category == "refugees")
    assert f'href="?facets=1&amp;category=refugees">refugees</a> <span class="meta">{refugees}</span>' in body
    narrowed = client.get("/numbers", params={"facets": "1", "category": "refugees"}).text
    assert f"<strong>{refugees:,}</strong> numbers" in narrowed
    assert narrowed.count("<tr><td>") == refugees
    quotes = client.get("/quotes", params={"facets": "1", "speaker": "Drobnin"}).text
    drobnin = walk(client, "/api/v1/quotes", speaker="Drobnin")
    assert f"<strong>{len(drobnin):,}</strong> quotes" in quotes
    assert 'href="?facets=1&amp;speaker=p%3Adrobnin%3Aalexei">Alexei Drobnin</a>' in quotes
    assert "/api/v1/quotes?speaker=Drobnin&amp;limit=1000&amp;format=csv" in quotes  # no facets=1


def test_claim_facets_on_each_filter(db, docs):
    engine = webdb.readonly_engine(db, timeout_s=5)
    with webdb.reading(engine) as conn:
        every = queries.claim_facets(conn, "quotes", queries.Filters())
        assert every["total"] == sum(len(d.quotes) for d in docs)
        assert sum(v["n"] for v in every["facets"]["kind"]) == every["total"]
        march = queries.Filters(since="2030-03-01", until="2030-03-31")
        months = queries.claim_facets(conn, "numbers", march)
        assert all(m["value"] == "2030-03" for m in months["facets"]["month"])
        anon = queries.claim_facets(conn, "numbers", queries.Filters(claimant="anonymous"))
        assert [v["value"] for v in anon["facets"]["claimant type"]] in ([], ["anonymous"])
    engine.dispose()


def test_claim_counts_are_kept_until_the_ledger_changes(tmp_path, docs):
    """Counts are made once per kind, filters and ledger content: a new document makes new ones."""
    from claimledger.web.service import WebService

    db = build_ledger(tmp_path / "counts.db", docs[:2])
    service = WebService.open(db, Settings())
    every = queries.Filters()
    with webdb.reading(service.engine) as conn:
        first = service.claim_facets(conn, "quotes", every)
        assert service.claim_facets(conn, "quotes", every) is first  # kept
        march = service.claim_facets(conn, "quotes", queries.Filters(since="2030-03-01"))
        assert march is not first
    with Ledger(db, settings=Settings()) as ledger:
        ledger.ingest(docs[2])
    with webdb.reading(service.engine) as conn:
        again = service.claim_facets(conn, "quotes", every)
        assert again is not first and again == queries.claim_facets(conn, "quotes", every)
        assert again["total"] == first["total"] + len(docs[2].quotes)
    service.close()


def test_document_page_marks_the_earliest_copy(client, docs):
    from claimledger.web.pages import earliest_copy

    original, copy = by_source(docs, "01-"), by_source(docs, "05-")
    assert original.published < copy.published
    body = client.get(f"/documents/{copy.id}").text
    copies = body[body.index('<ul class="copies">') :]
    assert '<strong class="badge">earliest</strong> <a href="/documents/' + original.id in copies
    assert "This document was published first" in client.get(f"/documents/{original.id}").text
    assert earliest_copy("a", None, [{"id": "b", "published": None}]) is None
    assert earliest_copy("a", "2030-01-02", []) is None
    assert earliest_copy("a", None, [{"id": "b", "published": "2030-01-02"}]) == "b"


def test_same_words_groups_in_order():
    from claimledger.web.pages import same_words

    rows = [{"text": "We will  rebuild."}, {"text": "Not now."}, {"text": "we will rebuild."}]
    assert same_words(rows) == [[rows[0], rows[2]], [rows[1]]]


def test_payloads_are_escaped_on_claim_pages(client, docs):
    x1 = by_source(docs, "xss-1")
    for i in range(len(x1.quotes)):
        body = client.get(f"/documents/{x1.id}/quotes/{i}").text
        assert "<img src=x" not in body and "<script>alert" not in body
        assert 'href="javascript:' not in body.lower()
        c = client.get(f"/api/v1/documents/{x1.id}/quotes/{i}").json()
        assert "javascript:" not in c["citation"]  # only http(s) addresses are cited


def test_outlet_name_and_context():
    from claimledger.ledger.outlets import outlet_name
    from claimledger.web.formatting import context

    assert outlet_name("Daily Ledger", "https://example.org/a") == "Daily Ledger"
    assert outlet_name(None, "https://www.Example.org/a/b") == "example.org"
    assert outlet_name(None, "/data/pages/a.html") is None and outlet_name(None, "javascript:x") is None
    text = "First paragraph here.\nA long one " + "word " * 200 + "CLAIM" + " more" * 200 + "\nLast."
    s = text.index("CLAIM")
    a, b = context(text, s, s + 5, reach=50)
    assert text[a:b].startswith("word") and "CLAIM" in text[a:b] and s - a <= 50 and b - s - 5 <= 50
    short = "One.\nTwo said CLAIM here.\nThree."
    a, b = context(short, short.index("CLAIM"), short.index("CLAIM") + 5)
    assert short[a:b] == "Two said CLAIM here."


# -- accessibility ---------------------------------------------------------------------------------

STYLE = Path(__file__).resolve().parents[1] / "src" / "claimledger" / "web" / "static" / "style.css"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_helper():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54


def test_colours_meet_wcag_aa_contrast():
    """Speaker and claimant colours are text (speaker tags, swatches, the chart's key) and marks:
    at least 4.5:1 on white, the page and every section shade they can sit on; the muted text too;
    the section text of boilerplate on its shade; the marks' cues at least 3:1 (non-text)."""
    css = STYLE.read_text()
    variables = dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})", css))
    speakers = [variables[f"sp-{i}"] for i in range(10)]
    claimants = re.findall(r"\.ct-[a-z]+ \{ color: (#[0-9a-fA-F]{6}); \}", css)
    assert len(speakers) == 10 and len(claimants) == 7
    shades = ["#ffffff", variables["bg"], *re.findall(r"\.sec-[a-z]+ \{ background: (#[0-9a-fA-F]{6})", css)]
    assert len(shades) >= 5
    for colour in [*speakers, variables["muted"], variables["link"]]:
        for shade in shades:
            assert contrast(colour, shade) >= 4.5, (colour, shade)
    for colour in claimants:
        assert contrast(colour, "#ffffff") >= 4.5, colour
    boiler = re.search(r"\.sec-boilerplate \{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{3,6})", css)
    bg, fg = boiler.groups()
    fg = "#" + "".join(c * 2 for c in fg[1:]) if len(fg) == 4 else fg
    assert contrast(fg, bg) >= 4.5
    for mark in ["#8a6d00", "#6d2f8a", "#767676"]:  # number underline, anonymous box, unattributed
        assert mark in css and contrast(mark, "#ffffff") >= 3


def test_document_marks_are_described_for_screen_readers(client, docs):
    doc = by_source(docs, "01-")
    body = client.get(f"/documents/{doc.id}").text
    for i in range(len(doc.numbers)):
        assert f'aria-describedby="nt{i}"' in body and f'id="nt{i}"' in body
    for i in range(len(doc.anonymous_sources)):
        assert f'aria-describedby="at{i}"' in body and f'id="at{i}"' in body
    assert body.index('class="skip" href="#main"') < body.index("<header") and 'id="main"' in body


def _form_client(db: str, hosts: HostPolicy | None = None, **changes) -> TestClient:
    c = client_for(db, hosts, **changes)
    c.get("/extract")
    return c


def test_form_post_needs_the_csrf_token(db):
    c = _form_client(db)
    token = c.cookies.get(CSRF_COOKIE)
    assert token and len(token) >= 20
    text = {"text": '"We are fine," said Anna Kovac.'}
    assert c.post("/extract", data=text).status_code == 403
    assert c.post("/extract", data={**text, CSRF_FIELD: "wrong" * 8}).status_code == 403
    resp = c.post("/extract", data={**text, CSRF_FIELD: token}, headers={"origin": "http://evil.example"})
    assert resp.status_code == 403 and "CL-E046" in resp.text
    ok = c.post("/extract", data={**text, CSRF_FIELD: token}, headers={"origin": BASE})
    assert ok.status_code == 200 and "Anna Kovac" in ok.text and 'class="quote' in ok.text
    fresh = client_for(db)  # no cookie at all
    assert fresh.post("/extract", data={**text, CSRF_FIELD: token}).status_code == 403


# -- Host names (DNS rebinding) -------------------------------------------------------------------

EVIL = "rebind.evil.example:8000"  # an attacker's name resolving to 127.0.0.1, as a browser sends it


@pytest.mark.parametrize("path", ["/api/v1/documents?limit=1", "/openapi.json", "/", "/numbers", "/trackers"])
def test_other_host_names_get_400(client, path):
    resp = client.get(path, headers={"host": EVIL})
    assert resp.status_code == 400
    if path.startswith(("/api/", "/openapi")):
        assert_error(resp, 400, "CL-E041")
    else:
        assert "CL-E041" in resp.text and "content-security-policy" in resp.headers
    assert "Kovac" not in resp.text


@pytest.mark.parametrize(
    "host",
    [EVIL, "127.0.0.1:9999", "localhost", "127.0.0.1.evil.example:8000", "evil@127.0.0.1:8000", "", "[::1"],
)
def test_only_the_servers_own_names_and_port_are_answered(client, host):
    assert client.get("/api/v1/documents", params={"limit": 1}, headers={"host": host}).status_code == 400
    assert client.post("/api/v1/extract", json={"text": "x"}, headers={"host": host}).status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "LocalHost:8000", "[::1]:8000"])
def test_loopback_names_on_the_port_are_answered(client, host):
    resp = client.get("/api/v1/documents", params={"limit": 1}, headers={"host": host})
    assert resp.status_code == 200 and resp.json()["items"]


def test_allowed_host_names_are_answered_on_any_port(db):
    hosts = HostPolicy.serving("127.0.0.1", ["ledger.example.org", "fd00::7"])
    with client_for(db, hosts) as c:
        for host in ["ledger.example.org", "ledger.example.org:443", "[fd00::7]:80", "127.0.0.1:8000"]:
            assert c.get("/", headers={"host": host}).status_code == 200, host
        assert c.get("/", headers={"host": EVIL}).status_code == 400
        assert c.get("/", headers={"host": "other.example.org"}).status_code == 400
    with pytest.raises(ValueError, match="without a port"):
        HostPolicy.serving("127.0.0.1", ["ledger.example.org:443"])
    with pytest.raises(ValueError):
        HostPolicy.serving("127.0.0.1", ["a b"])


def test_serve_answers_to_its_host_and_allow_host(db, monkeypatch):
    """The options reach the app: the bound address and --allow-host names, nothing else."""
    import uvicorn
    from click.testing import CliRunner

    from claimledger.cli import cli

    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.update(app=app, **kw))
    args = ["serve", "--db", db, "--host", "::1", "--port", "8123", "--allow-host", "Proxy.Example"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    with TestClient(served["app"], base_url="http://[::1]:8123", raise_server_exceptions=False) as c:
        assert c.get("/api/v1/documents").status_code == 200
        assert c.get("/api/v1/documents", headers={"host": "proxy.example"}).status_code == 200
        assert c.get("/api/v1/documents", headers={"host": "localhost:8123"}).status_code == 200
        assert c.get("/api/v1/documents", headers={"host": "localhost:8000"}).status_code == 400
        assert c.get("/api/v1/documents", headers={"host": "rebind.evil.example:8123"}).status_code == 400
    bad = CliRunner().invoke(cli, ["serve", "--db", db, "--allow-host", "proxy.example:443"])
    assert bad.exit_code == 2 and "--allow-host" in bad.output


def test_real_server_refuses_other_host_names(db):
    """Over a socket: uvicorn reports the port it listens on, and the Host header is checked against it."""
    import socket
    import threading
    import time

    import httpx
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db, Settings()), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.05)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/documents?limit=1"
        assert httpx.get(url).status_code == 200
        assert httpx.get(url, headers={"host": f"localhost:{port}"}).status_code == 200
        evil = httpx.get(url, headers={"host": f"rebind.evil.example:{port}"})
        assert evil.status_code == 400 and evil.json()["error"]["code"] == "CL-E041"
    finally:
        server.should_exit = True
        thread.join(10)


def test_csrf_origin_is_checked_against_the_allowed_names(db):
    hosts = HostPolicy.serving("127.0.0.1", ["ledger.example.org"])
    c = _form_client(db, hosts)
    form = {"text": '"We are fine," said Anna Kovac.', CSRF_FIELD: c.cookies.get(CSRF_COOKIE)}
    for origin in ["http://localhost:8000", "https://ledger.example.org", BASE]:
        assert c.post("/extract", data=form, headers={"origin": origin}).status_code == 200, origin
    for origin in ["http://rebind.evil.example:8000", "http://127.0.0.1:9999", "null", "http://evil@localhost:8000"]:
        resp = c.post("/extract", data=form, headers={"origin": origin})
        assert resp.status_code == 403 and "CL-E046" in resp.text, origin


def test_writes_need_the_token(tmp_path, db, nlp):
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    page = {
        "text": '"The bridge is closed," said Anna Kovac.\n',
        "source": "bridge.txt",
        "url": "https://x.example/b",
    }
    with client_for(str(copy)) as off:  # no token configured: writing is off
        assert_error(
            off.post("/api/v1/ingest", json=page, headers={"authorization": "Bearer x"}), 403, "CL-E045"
        )
    with client_for(str(copy), web_token=TOKEN) as c:
        assert_error(c.post("/api/v1/ingest", json=page), 401, "CL-E044")
        wrong = c.post("/api/v1/ingest", json=page, headers={"authorization": "Bearer nope"})
        assert_error(wrong, 401, "CL-E044")
        assert wrong.headers["www-authenticate"] == "Bearer"
        good = c.post("/api/v1/ingest", json=page, headers={"authorization": f"Bearer {TOKEN}"})
        assert good.status_code == 200 and good.json()["outcome"] == "ingested"
        doc_id = good.json()["id"]
        stored = c.get(f"/api/v1/documents/{doc_id}").json()
        assert (
            stored["url"] == "https://x.example/b" and stored["quotes"][0]["speaker"]["name"] == "Anna Kovac"
        )
        again = c.post("/api/v1/ingest", json=page, headers={"authorization": f"Bearer {TOKEN}"})
        assert again.json()["outcome"] == "unchanged"
        # The paste box stores only with the token, and the CSRF token as well.
        c.get("/extract")
        form = {
            "text": '"Roads are open," said Anna Kovac.\n',
            "store": "true",
            CSRF_FIELD: c.cookies[CSRF_COOKIE],
        }
        assert c.post("/extract", data={**form, "token": "nope"}).status_code == 401
        stored_form = c.post("/extract", data={**form, "token": TOKEN})
        assert stored_form.status_code == 200 and "stored: ingested" in stored_form.text


def test_reads_are_read_only_and_time_limited(db):
    engine = webdb.readonly_engine(db, timeout_s=0.05)
    with engine.connect() as conn, pytest.raises(Exception, match=r"readonly|read-only"):
        conn.exec_driver_sql("DELETE FROM documents")
    slow = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
    with pytest.raises(webdb.QueryTimeout), webdb.reading(engine) as conn:
        conn.exec_driver_sql(slow).all()
    with webdb.reading(engine) as conn:  # the connection is usable again afterwards
        assert conn.exec_driver_sql("SELECT count(*) FROM documents").scalar_one() > 0
    # A connection can be given a longer limit for work the server bounds (a tracker's timeline).
    counted = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000000) "
        "SELECT count(*) FROM c"
    )
    with pytest.raises(webdb.QueryTimeout), webdb.reading(engine) as conn:
        conn.exec_driver_sql(counted).all()
    with webdb.reading(engine) as conn:
        conn.execution_options(**{webdb.TIME_LIMIT_OPTION: 60})
        assert conn.exec_driver_sql(counted).scalar_one() == 1_000_000
    with pytest.raises(webdb.QueryTimeout), webdb.reading(engine) as conn:  # only that connection
        conn.exec_driver_sql(counted).all()
    engine.dispose()


def test_query_timeout_is_a_503(client, monkeypatch):
    def slow(*_a, **_k):
        raise webdb.QueryTimeout("interrupted")

    monkeypatch.setattr(queries, "quotes", slow)
    assert_error(client.get("/api/v1/quotes"), 503, "CL-E043")


def test_start_up_objects_are_frozen_while_serving(db):
    """The collector ignores what start-up made while the server runs, and takes it back after."""
    import gc

    with client_for(db):
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_missing_ledger_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError):
        create_app(str(tmp_path / "none.db"), Settings())


# -- XSS on the server side (the browser test runs the same pages in Chromium) --------------------


def test_payloads_are_escaped_in_every_page(client, docs):
    x1, x2 = by_source(docs, "xss-1"), by_source(docs, "xss-2")
    committee = next(s for s in x1.speakers if s.name and "</script>" in s.name)
    assert any("<img src=x" in q.text for q in x1.quotes)
    assert any("<script>" in q.text for q in x2.quotes)
    sp = client.get(f"/api/v1/documents/{x1.id}").json()["ledger"]["speakers"][committee.id]
    pages = [
        f"/documents/{x1.id}",
        f"/documents/{x2.id}",
        "/?q=mayor",
        "/",
        "/speakers",
        f"/speakers/{sp}",
        "/numbers",
    ]
    for path in pages:
        body = client.get(path).text
        assert (
            "<script>alert" not in body and "<img src=x" not in body and "</script> Committee" not in body
        ), path
        assert 'href="javascript:' not in body.lower(), path
    doc_page = client.get(f"/documents/{x1.id}").text
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in doc_page
    assert "javascript:alert(&#39;url&#39;)" in doc_page  # shown as text


def test_safe_url_only_links_http():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:x",
        "data:text/html,x",
        "/local",
        "http://",
        "vbscript:x",
        "https://a b",
        None,
        "",
    ]:
        assert safe_url(bad) is None, bad


def test_value_range():
    assert value_range(10, 14) == "10–14"
    assert value_range(45, None) == "45 or more"
    assert value_range(None, 30) == "up to 30"
    assert value_range(13000.0, 13000.0) == "13,000"


# -- nesting of overlapping spans -------------------------------------------------------------------


class _Walker(html.parser.HTMLParser):
    """Checks that tags nest and collects the text under each span id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.under: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        self.stack.append(dict(attrs)["data-i"])

    def handle_endtag(self, tag):
        assert self.stack, "close without open"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        for i in set(self.stack):
            self.under.setdefault(i, []).append(data)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="ab <>&\"'\n", max_size=40),
    raw=st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45), st.integers(0, 4)), max_size=8),
)
def test_overlapping_spans_nest_and_keep_the_text(text, raw):
    spans = []
    for i, (a, b, layer) in enumerate(raw):
        tag = Markup('<x data-i="{}">').format(i)
        spans.append(Span(a, b, layer, tag, tag, Markup("</x>")))
    out = nest(text, spans)
    w = _Walker()
    w.feed(str(out))
    w.close()
    assert w.stack == []
    assert "".join(w.text) == text
    for i, (a, b, _) in enumerate(raw):
        a, b = min(a, len(text)), min(b, len(text))
        if a < b:
            assert "".join(w.under.get(str(i), [])) == text[a:b]


def test_number_inside_quote_nests_in_the_document_view(client, docs):
    doc = by_source(docs, "01-")
    inner = [n for n in doc.numbers if any(q.start <= n.start and n.end <= q.end for q in doc.quotes)]
    assert inner, "the example has a number inside a quote"
    body = client.get(f"/documents/{doc.id}").text
    w = _TagBalance()
    w.feed(body)
    assert w.ok and not w.stack


class _TagBalance(html.parser.HTMLParser):
    VOID = frozenset({"meta", "link", "input", "br", "img", "hr", "circle", "line"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ok = True

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack.pop() != tag:
            self.ok = False


# -- pages ----------------------------------------------------------------------------------------


def test_document_page_marks_claims(client, docs):
    doc = by_source(docs, "01-")
    body = client.get(f"/documents/{doc.id}").text
    assert body.count('<mark id="q') == len(doc.quotes)
    assert body.count('<mark id="n') == len(doc.numbers)
    assert 'data-section="boilerplate"' in body and 'data-section="headline"' in body
    assert "Syndicated copies" in body and by_source(docs, "05-").id in body
    blog = by_source(docs, "02-")
    blog_page = client.get(f"/documents/{blog.id}").text
    assert 'data-section="commentary"' in blog_page and 'class="anon"' in blog_page
    assert "reason: " in blog_page


def test_pages_render_and_paginate(client):
    assert client.get("/", params={"limit": 2}).text.count('class="doc"') == 2
    nxt = client.get("/numbers", params={"limit": 3})
    assert "Next page" in nxt.text and "format=csv" in nxt.text
    assert client.get("/speakers", params={"q": "drobnin"}).status_code == 200
    assert client.get("/trackers/flood-displacement").text.count('<a class="pt') >= 3
    assert client.get("/documents/nope").status_code == 404


def test_serve_command_is_registered_and_lazy():
    from claimledger.cli import cli

    assert "serve" in cli.commands
    opts = {o for p in cli.commands["serve"].params for o in p.opts}
    assert {"--db", "--host", "--port"} <= opts
    code = "import sys, claimledger.cli; print('fastapi' in sys.modules or 'uvicorn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# -- both backends --------------------------------------------------------------------------------


def test_reads_on_each_backend(db_url, docs):
    """The same API over SQLite and PostgreSQL (read-only session, statement time limit)."""
    build_ledger(db_url, docs)
    with client_for(db_url) as c:
        items = walk(c, "/api/v1/documents", limit=3)
        assert sorted(d["id"] for d in items) == sorted(d.id for d in docs)
        assert len(walk(c, "/api/v1/quotes", limit=7)) == sum(len(d.quotes) for d in docs)
        assert len(walk(c, "/api/v1/numbers", limit=7)) == sum(len(d.numbers) for d in docs)
        assert walk(c, "/api/v1/numbers", category="refugees", limit=2)
        assert "refugees" in c.get("/numbers").text  # the category menu
        speakers = [s["id"] for s in walk(c, "/api/v1/speakers", limit=2)]
        assert speakers and len(set(speakers)) == len(speakers)
        hits = walk(c, "/api/v1/search", q="embankments", limit=1)
        # PostgreSQL stems ("embankment" in another page matches too).
        assert {h["source"] for h in hits} >= {"01-wire-evacuation.txt", "05-syndicated-copy.txt"}
        doc = by_source(docs, "01-")
        got = c.get(f"/api/v1/documents/{doc.id}").json()
        assert got["quotes"] == doc.to_dict()["quotes"]
        assert c.get(f"/documents/{doc.id}").status_code == 200
        copy = by_source(docs, "05-")
        claim = c.get(f"/api/v1/documents/{copy.id}/quotes/0").json()
        assert [o["doc_id"] for o in claim["also_in"]] == [doc.id] and claim["also_in"][0]["earliest"]
        assert c.get(f"/documents/{doc.id}/numbers/0").status_code == 200
        for path in ["/quotes?facets=1&speaker=Drobnin", "/numbers?facets=1&claimant=official", "/quotes"]:
            assert c.get(path).status_code == 200, path
        assert walk(c, "/api/v1/search", q='"never meant for a flood"')
        for order in ("relevance", "date"):
            whole = [h["id"] for h in walk(c, "/api/v1/search", q="flood", order=order, limit=1000)]
            by_one = [h["id"] for h in walk(c, "/api/v1/search", q="flood", order=order, limit=1)]
            assert whole and whole == by_one
        assert c.get("/api/v1/trackers/flood-displacement").json()["points"]
        assert c.get("/api/v1/search", params={"q": "a\x00b"}).status_code == 200
        sortable = {"quotes": queries.QUOTE_SORTS, "numbers": queries.NUMBER_SORTS}
        for kind, sorts in {**sortable, "speakers": queries.SPEAKER_SORTS}.items():
            for sort in (*sorts, *(f"-{s}" for s in sorts)):
                whole = walk(c, f"/api/v1/{kind}", sort=sort, limit=1000)
                assert walk(c, f"/api/v1/{kind}", sort=sort, limit=7) == whole, (kind, sort)
                assert len(whole) == len(walk(c, f"/api/v1/{kind}", limit=1000)), (kind, sort)
        assert '<p class="total"><strong>' in c.get("/", params={"q": "flood", "outlet": "north"}).text
    engine = webdb.readonly_engine(db_url, timeout_s=0.2)
    with engine.connect() as conn, pytest.raises(Exception, match=r"(?i)read.?only"):
        conn.exec_driver_sql("DELETE FROM documents")
    if engine.dialect.name == "postgresql":
        with pytest.raises(webdb.QueryTimeout), webdb.reading(engine) as conn:
            conn.exec_driver_sql("SELECT pg_sleep(2)").all()
    engine.dispose()
