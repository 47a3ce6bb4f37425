"""One read API: the command line, the Python ``Ledger`` and the web read the ledger through
:mod:`claimledger.ledger.queries`, so a search lists the same documents in the same order."""

from __future__ import annotations

import warnings

import pytest

from claimledger import extract_many
from claimledger.ledger import queries
from claimledger.ledger.store import Ledger
from claimledger.settings import Settings
from claimledger.web.app import create_app
from conftest import EXAMPLES

with warnings.catch_warnings():  # starlette's TestClient warns about its httpx transport
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SEARCHES = ["flood", "displaced families", '"flood toll"', "ministry said", "80,000"]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("read") / "ledger.db")
    docs = list(extract_many([(p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.txt"))]))
    with Ledger(path, settings=Settings()) as ledger:
        ledger.ingest_many(docs)
    return path


@pytest.mark.parametrize("text", SEARCHES)
def test_the_ledger_the_web_and_the_query_layer_search_alike(db, text):
    with Ledger(db, readonly=True) as ledger:
        hits = [h["doc_id"] for h in ledger.search(text)]
        with ledger.engine.connect() as conn:
            direct = [
                r["id"] for r in queries.search(conn, text, queries.Filters(), 20, order="relevance").items
            ]
    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    api = client.get("/api/v1/search", params={"q": text, "order": "relevance"}).json()
    assert hits == direct == [r["id"] for r in api["items"]]


def test_a_quoted_phrase_is_a_phrase_on_the_command_line_too(db):
    with Ledger(db, readonly=True) as ledger:
        words = {h["doc_id"] for h in ledger.search("toll flood")}
        phrase = {h["doc_id"] for h in ledger.search('"flood toll"')}
    assert phrase <= words


def test_past_the_rank_limit_the_newest_stored_come_first(db):
    with Ledger(db, readonly=True, settings=Settings(search_rank_limit=1)) as ledger:
        hits = [h["doc_id"] for h in ledger.search("the", limit=50)]
        with ledger.engine.connect() as conn:
            stored = [
                r["id"] for r in queries.search(conn, "the", queries.Filters(), 50, order="stored").items
            ]
    assert len(hits) > 1 and hits == stored
