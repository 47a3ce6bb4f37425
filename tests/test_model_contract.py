"""One model: the JSON contract (``Document.to_dict``), the HTTP API's schema, the Parquet shards
and the ledger all carry the same fields, and a document read back from any of them is the
document extraction gave (nothing dropped on the way)."""

from __future__ import annotations

import pytest

from claimledger import extract_many
from claimledger.batch.shards import SCHEMAS, ShardWriter, flatten, iter_documents
from claimledger.ledger import queries
from claimledger.ledger.store import Ledger
from claimledger.model import Document
from claimledger.settings import Settings
from claimledger.web import models
from conftest import EXAMPLES

# An invented blog page whose reader comment gives a figure under the commenter's handle.
COMMENTED_PAGE = """Lower River Log

Ferries again, maybe

The harbour authority said on Tuesday that about 40 crossings a day would run again from Monday.
"We have checked every landing," said Tomas Ek, the authority's operations chief.

I walked the quay at noon and counted 6 boats tied up, none of them ready to sail.

Posted by Ines Varga at 6:10 PM

2 comments:

ferrywatcher said...

I count 25 crossings on the new timetable, which is not 40 by any reckoning.

June 2, 2031 at 8:40 AM
"""


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    items = [(p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.txt"))]
    return list(extract_many([*items, ("commented.txt", COMMENTED_PAGE.encode())]))


def test_the_examples_cover_every_field(docs):
    """The round trips below mean something only if the documents fill what can get lost."""
    assert {d.language for d in docs} >= {"en", "ru", "uk"}
    claimants = [n.claimant for d in docs for n in d.numbers]
    assert any(c.speaker is not None for c in claimants)
    assert any(c.speaker is None and c.name for c in claimants), "a commenter's handle"
    assert any(c.speaker is None and c.description == "blogger" for c in claimants)
    assert any(q.speaker is not None for d in docs for q in d.quotes)
    assert any(d.anonymous_sources for d in docs)


def test_a_stored_document_reads_back_as_extracted(docs, db_url):
    with Ledger(db_url, settings=Settings()) as ledger:
        for d in docs:
            ledger.ingest(d)
        with ledger.engine.connect() as conn:
            for d in docs:
                stored = queries.document(conn, d.id)
                assert stored is not None
                assert stored.doc.to_dict() == d.to_dict(), d.source


def test_the_numbers_listing_names_a_claimant_without_a_speaker(docs, tmp_path):
    with Ledger(str(tmp_path / "l.db"), settings=Settings()) as ledger:
        for d in docs:
            ledger.ingest(d)
        # (a speaker's label is the name resolved across documents, tested with the resolver)
        labels = {r["claimant"] for r in ledger.table("numbers_view") if r["speaker_id"] is None}
    expected = {n.claimant.label() for d in docs for n in d.numbers if n.claimant.speaker is None}
    assert labels == expected
    assert {"ferrywatcher (reader comment)", "Ines Varga (blogger)"} <= labels


def test_shards_round_trip_every_field(docs, tmp_path):
    writer = ShardWriter(tmp_path, "part-00000")
    for seq, d in enumerate(docs):
        writer.add(flatten(d, 0, seq))
    writer.commit()
    back = list(iter_documents(tmp_path, "part-00000"))
    assert [d.to_dict() for d in back] == [d.to_dict() for d in docs]


def test_shard_rows_have_exactly_the_schemas_columns(docs):
    """pyarrow drops a row's keys that its schema lacks: a new field must reach the schema."""
    for seq, d in enumerate(docs):
        for table, rows in flatten(d, 0, seq).items():
            for row in rows:
                assert set(row) == set(SCHEMAS[table].names), table


def _fields(model: type) -> set[str]:
    return set(model.model_fields)


def test_the_api_schema_has_the_json_contracts_fields(docs):
    d = next(d for d in docs if d.quotes and d.numbers and d.anonymous_sources)
    j = d.to_dict()
    assert _fields(models.DocumentOut) == set(j)
    pairs = [
        (models.ErrorItemOut, [e.to_dict() for e in d.errors] or [{"code": "", "message": ""}]),
        (models.SectionOut, j["sections"]),
        (models.SpeakerOut, j["speakers"]),
        (models.QuoteOut, j["quotes"]),
        (models.SpeakerRef, [q["speaker"] for q in j["quotes"] if q["speaker"]]),
        (models.NumberOut, j["numbers"]),
        (models.ClaimantOut, [n["claimant"] for n in j["numbers"]]),
        (models.AnonymousOut, j["anonymous_sources"]),
    ]
    for model, items in pairs:
        assert items, model.__name__
        for item in items:
            assert _fields(model) == set(item), model.__name__
    models.DocumentOut.model_validate(j)  # and the values have the declared types


def test_the_json_contract_round_trips(docs):
    for d in docs:
        assert Document.from_dict(d.to_dict()).to_dict() == d.to_dict()
