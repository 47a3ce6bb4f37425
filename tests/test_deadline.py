"""One time budget per document over its whole extraction (``doc_timeout_s``): a coded error and a
partial or failed status when it runs out, the HTML worker's share of it counted from a ready
worker, and the HTTP API answering with the code instead of computing on.

Every test here is deterministic: budgets are spent before the first check or generous, and
"the time runs out" is made to happen by charging a budget, not by waiting for a slow machine.
"""

from __future__ import annotations

import importlib
import sys
import threading
import time
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimledger import extract_many
from claimledger.deadline import Deadline
from claimledger.html import HtmlError, HtmlWorker
from claimledger.settings import Settings
from claimledger.spans import SpanIndex

ex = importlib.import_module("claimledger.extract")  # the package exports a function of that name
PARAS = [
    "“We will rebuild the bridge by spring,” said Mayor Ines Carvalho.",
    "Engineers said the work would cost about 12 million euros.",
    "Officials said 140 homes were flooded in the storm.",
    "“Nobody was hurt,” said the fire chief, Tomas Rell.",
]
TEXT = "\n".join(PARAS) + "\n"
PAGE = (
    "<html><head><title>Harbour town votes</title></head><body><article><h1>Harbour town votes</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAS)
    + "</article></body></html>"
)


#: A budget that is gone by the first check (0 itself is refused as a setting).
SPENT = 1e-9


def _codes(doc) -> list[str]:
    return [e.code for e in doc.errors]


def test_a_document_past_its_budget_fails_with_the_code(nlp):
    (doc,) = extract_many([("t.txt", TEXT)], Settings(doc_timeout_s=SPENT), nlp)
    assert doc.status == "failed" and "CL-E009" in _codes(doc)
    assert not doc.quotes and not doc.numbers


def test_a_budget_that_runs_out_midway_keeps_what_was_analysed(nlp, monkeypatch):
    monkeypatch.setattr(ex, "CHUNK_UNITS", 1)  # check the budget after every unit
    analyse_chunk = ex._analyse_chunk

    def slow_chunk(nlp_, chunk, batch_size):  # as if each unit took a minute of work
        analyse_chunk(nlp_, chunk, batch_size)
        for w, _ in chunk:
            w.deadline.charge(60.0)

    monkeypatch.setattr(ex, "_analyse_chunk", slow_chunk)
    (doc,) = extract_many([("t.txt", TEXT)], Settings(doc_timeout_s=30.0), nlp)
    assert doc.status == "partial" and "CL-E009" in _codes(doc)
    (timeout,) = [e for e in doc.errors if e.code == "CL-E009"]
    assert "after analysing 1 of 4 sentences" in timeout.message
    # The first sentence's quote and speaker are kept; the later sentences were not analysed.
    assert [q.speaker.name for q in doc.quotes] == ["Ines Carvalho"]
    assert not any(n.low == 140 for n in doc.numbers)


def test_each_document_of_a_batch_has_its_own_budget(nlp, monkeypatch):
    analyse_chunk = ex._analyse_chunk

    def charge_the_big_one(nlp_, chunk, batch_size):
        analyse_chunk(nlp_, chunk, batch_size)
        for w, _ in chunk:
            if w.doc.source == "big.txt":
                w.deadline.charge(60.0)

    monkeypatch.setattr(ex, "_analyse_chunk", charge_the_big_one)
    monkeypatch.setattr(ex, "CHUNK_UNITS", 1)
    docs = list(extract_many([("big.txt", TEXT), ("small.txt", TEXT)], Settings(doc_timeout_s=30.0), nlp))
    assert [d.status for d in docs] == ["partial", "ok"]
    assert any("Nobody was hurt" in q.text for q in docs[1].quotes)
    assert any(n.low == 140 for n in docs[1].numbers)


def test_stop_ends_the_work_as_a_timeout(nlp):
    stop = threading.Event()
    stop.set()
    (doc,) = extract_many([("t.txt", TEXT)], Settings(doc_timeout_s=3600.0), nlp, stop=stop)
    assert doc.status == "failed" and "CL-E009" in _codes(doc)


def test_deadline_counts_only_its_own_work():
    d = Deadline(10.0)
    with d.running():
        time.sleep(0.01)
        with d.running():  # nested: counted once
            time.sleep(0.01)
    time.sleep(0.05)  # outside: not counted
    assert 0.02 <= d.spent() < 0.05
    d.charge(-1.0)  # a refund (a worker's start-up)
    assert d.remaining() > 10.0 and not d.expired()
    d.charge(20.0)
    assert d.expired() and d.remaining() == 0.0


# --- the HTML worker: its share of the budget counts from a ready worker ---------------------------

#: A stand-in worker whose first real page takes a minute, once (a marker file says it happened).
SLOW_FIRST_PAGE = """
import os, sys, time
import claimledger.html as h
marker, parse = sys.argv[1], h.parse_page
def slow_once(html):
    if html != h._WARM_UP_PAGE and not os.path.exists(marker):
        open(marker, "w").close()
        time.sleep(60)
    return parse(html)
h.parse_page = slow_once
h.serve(sys.stdin.buffer, sys.stdout.buffer)
"""


def test_a_slow_first_page_is_retried_on_a_fresh_worker(tmp_path):
    marker = tmp_path / "slow-once"
    worker = HtmlWorker([sys.executable, "-c", SLOW_FIRST_PAGE, str(marker)])
    try:
        deadline = Deadline(8.0)
        result = worker.run(PAGE, deadline)  # times out on the cold worker, then parses on a fresh one
        assert marker.exists() and result is not None and "Ines Carvalho" in result["text"]
        assert deadline.spent() < 8.0  # the cold attempt was not charged to the page
        # A worker that has served a page is warm: a page that times out there fails, once.
        marker.unlink()
        with pytest.raises(HtmlError) as exc:
            worker.run(PAGE, Deadline(3.0))
        assert exc.value.item.code == "CL-E024"
    finally:
        worker.stop()


def test_the_worker_start_up_is_not_charged_to_the_page():
    worker = HtmlWorker()
    try:
        deadline = Deadline(30.0)
        assert worker.run(PAGE, deadline) is not None
        started = worker._proc
        assert deadline.spent() < 30.0
        assert worker.run(PAGE, Deadline(30.0)) is not None and worker._proc is started  # reused
    finally:
        worker.stop()


def test_an_exhausted_budget_never_reaches_the_worker():
    worker = HtmlWorker()
    spent = Deadline(5.0)
    spent.charge(5.0)
    with pytest.raises(HtmlError) as exc:
        worker.run(PAGE, spent)
    assert exc.value.item.code == "CL-E024"
    worker.stop()


def test_warm_up_pays_the_date_parser_first_call():
    from htmldate import extractors

    from claimledger.html import warm_up

    extractors.month_words.cache_clear()
    warm_up()
    assert extractors.month_words.cache_info().currsize == 1


# --- the HTTP API -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api_db(tmp_path_factory):
    from claimledger.ledger.store import Ledger

    path = str(tmp_path_factory.mktemp("api") / "ledger.db")
    Ledger(path).close()
    return path


def _client(db: str, **changes):
    from fastapi.testclient import TestClient

    from claimledger.web.app import create_app

    app = create_app(db, replace(Settings(), **changes))
    # The app answers only to the names it serves on (DNS rebinding): the default address.
    return TestClient(app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False)


def test_api_extract_past_the_budget_answers_with_the_code(nlp, api_db):
    with _client(api_db, doc_timeout_s=SPENT) as c:
        resp = c.post("/api/v1/extract", json={"text": TEXT})
    assert resp.status_code == 503, resp.text
    body = resp.json()
    assert body["ok"] is False and body["error"]["code"] == "CL-E009"


def test_api_extract_within_the_budget_answers_the_document(nlp, api_db):
    with _client(api_db, doc_timeout_s=60.0) as c:
        resp = c.post("/api/v1/extract", json={"text": TEXT})
    assert resp.status_code == 200 and resp.json()["status"] == "ok"


# --- span lookups ---------------------------------------------------------------------------------

_spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 15)).map(lambda t: (t[0], t[0] + t[1])))


@given(_spans, st.integers(0, 80), st.integers(0, 20))
def test_span_index_answers_like_a_scan(spans, lo, width):
    hi = lo + width
    index = SpanIndex(spans, lambda s: s[0], lambda s: s[1])
    ordered = sorted(spans, key=lambda s: s[0])
    assert index.overlapping(lo, hi) == [s for s in ordered if s[0] < hi and s[1] > lo]
    assert index.containing(lo, hi) == [s for s in ordered if s[0] <= lo and hi <= s[1]]
    assert index.starting_in(lo, hi) == [s for s in ordered if lo <= s[0] < hi]


def test_api_extract_stops_when_the_client_leaves():
    """The route polls for a disconnect while the extraction runs in a thread, and stops it."""
    import asyncio

    from claimledger.web.api import _extract_until_gone

    class GoneClient:
        async def is_disconnected(self) -> bool:
            return True

    class Service:
        def extract(self, text: str, source: str | None, stop: threading.Event) -> str:
            return "stopped" if stop.wait(60) else "ran to the end"

    assert asyncio.run(_extract_until_gone(GoneClient(), Service(), TEXT, None)) == "stopped"
