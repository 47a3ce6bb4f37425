"""The ledger, against SQLite and PostgreSQL alike (the ``db_url`` fixture runs each test on both)."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest
from click.testing import CliRunner

from claimledger import extract_many
from claimledger.cli import cli
from claimledger.ledger.store import Ledger
from claimledger.output import safe_cell
from conftest import EXAMPLES, GOLD

HEAD = "0009"


@pytest.fixture(scope="module")
def gold_docs(nlp):
    return list(extract_many((str(p), p.read_bytes()) for p in sorted(GOLD.glob("*.txt"))))


@pytest.fixture(scope="module")
def example_docs(nlp):
    return {
        p.name: d
        for p, d in zip(
            sorted(EXAMPLES.glob("*.txt")),
            extract_many((p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.txt"))),
            strict=True,
        )
    }


@pytest.mark.requires_shared
def test_ingesting_twice_changes_nothing(db_url, gold_docs):
    with Ledger(db_url) as ledger:
        first = [r.outcome for r in map(ledger.ingest, gold_docs)]
        counts = ledger.counts()
        second = [r.outcome for r in map(ledger.ingest, gold_docs)]
        assert first == ["ingested"] * len(gold_docs)
        assert second == ["unchanged"] * len(gold_docs)
        assert ledger.counts() == counts
        assert counts["documents"] == len(gold_docs)
        assert counts["quotes"] == sum(len(d.quotes) for d in gold_docs)
        assert counts["numbers"] == sum(len(d.numbers) for d in gold_docs)


def test_changed_text_at_same_source_is_a_new_version(db_url, extract):
    with Ledger(db_url) as ledger:
        v1 = extract("Officials said 12 people were hurt.\n", source="page.txt")
        v2 = extract("Officials said 14 people were hurt.\n", source="page.txt")
        assert ledger.ingest(v1).outcome == "ingested"
        assert ledger.ingest(v2).outcome == "version"
        assert ledger.document(v1.id)["is_current"] is False or ledger.document(v1.id)["is_current"] == 0
        new = ledger.document(v2.id)
        assert new["version"] == 2 and new["supersedes"] == v1.id
        assert [r["expression"] for r in ledger.numbers()] == ["14"]  # views show current versions only


def test_syndicated_copy_clusters_and_other_article_does_not(db_url, example_docs):
    with Ledger(db_url) as ledger:
        a = ledger.ingest(example_docs["01-wire-evacuation.txt"])
        copy = ledger.ingest(example_docs["05-syndicated-copy.txt"])
        other = ledger.ingest(example_docs["04-wire-followup.txt"])
        assert copy.cluster_id == a.cluster_id
        assert other.cluster_id != a.cluster_id
        assert {m["id"] for m in ledger.cluster_members(a.cluster_id)} == {a.doc_id, copy.doc_id}


def test_speaker_quoted_in_two_documents_is_one_speaker(db_url, example_docs):
    with Ledger(db_url) as ledger:
        ledger.ingest(example_docs["01-wire-evacuation.txt"])
        ledger.ingest(example_docs["04-wire-followup.txt"])
        rows = ledger.quotes(speaker="Drobnin")
        governor = {r["speaker_id"] for r in rows if r["speaker"] and "Mikhail" not in r["speaker"]}
        assert len(governor) == 1
        docs = {r["doc_id"] for r in rows if r["speaker_id"] in governor}
        assert len(docs) == 2
        speaker = next(s for s in ledger.speakers("drobnin") if s["id"] in governor)
        aliases = (
            speaker["aliases"] if isinstance(speaker["aliases"], list) else json.loads(speaker["aliases"])
        )
        assert any("Alexei" in a for a in aliases) and any("Alexey" in a for a in aliases)


def test_full_text_search(db_url, example_docs):
    with Ledger(db_url) as ledger:
        for d in example_docs.values():
            ledger.ingest(d)
        hits = ledger.search("embankments")
        assert hits and all("embankment" in h["snippet"].lower() for h in hits)
        assert ledger.search('"; DROP TABLE documents; --') == []
        assert ledger.counts()["documents"] == len(example_docs)


def test_failed_documents_are_recorded(db_url, nlp):
    with Ledger(db_url) as ledger:
        bad = next(extract_many([("empty.txt", b"")]))
        res = ledger.ingest(bad)
        assert res.outcome == "failed" and res.code == "CL-E001"
        assert ledger.counts()["failures"] == 1 and ledger.counts()["documents"] == 0


@pytest.mark.requires_shared
def test_sqlite_file_is_plain_and_documented(tmp_path, gold_docs):
    path = tmp_path / "plain.db"
    with Ledger(path) as ledger:
        for d in gold_docs:
            ledger.ingest(d)
    con = sqlite3.connect(path)
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {
        "documents",
        "sections",
        "speakers",
        "quotes",
        "numbers",
        "anonymous_sources",
        "clusters",
        "trackers",
        "quotes_view",
        "numbers_view",
        "speakers_view",
    } <= names
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tabalov = con.execute("SELECT COUNT(*) FROM quotes_view WHERE speaker LIKE '%Tabalov'").fetchone()[0]
    assert tabalov == 4


def test_csv_cells_cannot_start_formulas():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("+1") == "'+1" and safe_cell("@x") == "'@x" and safe_cell("-2") == "'-2"
    assert safe_cell(-2) == -2 and safe_cell("fine") == "fine"


def test_cli_ingest_query_export(tmp_path, nlp):
    db = str(tmp_path / "cli.db")
    run = CliRunner().invoke
    res = run(cli, ["ingest", str(EXAMPLES), "--db", db])
    assert res.exit_code == 0, res.output
    pages = len(list(EXAMPLES.glob("*.txt")))
    assert f"ingested {pages}," in res.output
    again = run(cli, ["ingest", str(EXAMPLES), "--db", db])
    assert f"unchanged {pages}," in again.output
    out = run(cli, ["quotes", "--db", db, "--speaker", "Drobnin", "--format", "jsonl"])
    assert out.exit_code == 0 and len(out.output.splitlines()) >= 4
    csv_out = run(cli, ["numbers", "--db", db, "--format", "csv"])
    assert csv_out.output.splitlines()[0].startswith("doc_id,")
    assert run(cli, ["speakers", "--db", db]).exit_code == 0
    assert "[" in run(cli, ["search", "flood", "--db", db, "--format", "jsonl"]).output
    exp = run(cli, ["export", "--db", db, "--format", "parquet", "--out", str(tmp_path / "exp")])
    assert exp.exit_code == 0, exp.output
    assert (tmp_path / "exp" / "quotes.parquet").stat().st_size > 0


def test_search_ranks_few_matches_and_lists_newest_of_many(db_url, extract):
    from claimledger.settings import Settings

    with Ledger(db_url, settings=Settings(search_rank_limit=2)) as ledger:
        for i in range(4):
            ledger.ingest(
                extract(f"Officials said {10 + i} villages were flooded near Korvash.\n", source=f"{i}.txt")
            )
        ledger.ingest(extract("Officials said the Tesmir bridge was closed.\n", source="t.txt"))
        assert [h["source"] for h in ledger.search("Tesmir")] == ["t.txt"]
        many = ledger.search("villages", limit=2)
        assert [h["source"] for h in many] == ["3.txt", "2.txt"]


def _dump(ledger: Ledger) -> dict[str, list]:
    """Every row of the claim tables, in a stable order, without ingestion times."""
    json_cols = {"errors", "aliases", "roles", "affiliations", "evidence", "mentions", "provenance"}
    out = {}
    for name in ("documents", "sections", "speakers", "doc_speakers", "quotes", "numbers", "clusters"):
        rows = [
            {
                k: json.loads(v) if k in json_cols and isinstance(v, str) else v
                for k, v in r.items()
                if k not in ("ingested_at", "first_seen", "tsv")
            }
            for r in ledger.table(name)
        ]
        out[name] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))
    return out


def _corpus(n: int) -> list:
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import make_document

    docs = [make_document(i, seed=11) for i in range(n)]
    # Syndicated copies in the same transaction as their original: they must still find it.
    for k in (3, 40):
        copy = make_document(k, seed=11)
        copy.id, copy.source = f"copy{k:060d}", f"elsewhere/{k}.txt"
        docs.append(copy)
    return docs


def test_bulk_ingest_stores_what_one_by_one_ingest_stores(db_url, tmp_path):
    """Transactions of many documents (signatures computed ahead in a helper process) give the
    same rows, speakers and clusters as one transaction per document."""
    docs = _corpus(230)
    with Ledger(tmp_path / "single.db") as single:
        single.ingest_many(docs)
        expected = _dump(single)
    with Ledger(db_url) as bulk:
        flush = bulk._flush

        def slow(conn, batch):  # the next transaction is surely prepared before this one commits
            time.sleep(0.5)
            flush(conn, batch)

        bulk._flush = slow
        results = bulk.ingest_many(docs, per_transaction=120)
        assert [r.outcome for r in results] == ["ingested"] * len(docs)
        assert _dump(bulk) == expected
        copies = {r.doc_id: r.cluster_id for r in results if r.doc_id.startswith("copy")}
        assert copies == {docs[-2].id: docs[3].id, docs[-1].id: docs[40].id}


def test_bulk_ingest_writes_one_transaction_while_preparing_the_next(db_url, tmp_path):
    """Bulk loads prepare a transaction while the previous one is written: new versions, copies
    and repeats across that boundary or within one transaction still come out as one by one."""
    import dataclasses

    docs = _corpus(230)

    def changed(k: int, n: int):  # a new text at the source of document k
        d = dataclasses.replace(docs[k], text=docs[k].text + f" Corrected {n}.")
        return dataclasses.replace(d, id=f"v{n}{k:062d}")

    docs[105:105] = [changed(5, 1), docs[7]]  # the next transaction: a version, a repeat
    docs[215:215] = [changed(210, 2), changed(210, 3)]  # two versions within one transaction
    with Ledger(tmp_path / "single.db") as single:
        expected_results = single.ingest_many(docs)
        expected = _dump(single)
    with Ledger(db_url) as bulk:
        results = bulk.ingest_many(docs, per_transaction=100)
        assert [(r.doc_id, r.outcome, r.cluster_id) for r in results] == [
            (r.doc_id, r.outcome, r.cluster_id) for r in expected_results
        ]
        assert {r.outcome for r in results} == {"ingested", "version", "unchanged"}
        assert _dump(bulk) == expected


def test_bulk_ingest_reports_a_failed_write_and_keeps_what_was_committed(tmp_path):
    docs = _corpus(300)
    with Ledger(tmp_path / "bulk.db") as ledger:
        flush = ledger._flush
        calls = []

        def failing(conn, batch):  # the second transaction's write fails
            calls.append(1)
            if len(calls) == 2:
                raise OSError("disk full")
            flush(conn, batch)

        ledger._flush = failing
        with pytest.raises(OSError, match="disk full"):
            ledger.ingest_many(docs, per_transaction=100)
        assert ledger.counts()["documents"] == 100  # the first transaction, whole
        ledger._flush = flush
        results = ledger.ingest_many(docs, per_transaction=100)  # a re-run completes the rest
        assert [r.outcome for r in results].count("unchanged") == 100
        assert ledger.counts()["documents"] == len(docs)


def test_bulk_ingest_survives_a_dead_signing_process(tmp_path):
    import os
    import signal

    docs = _corpus(250)
    with Ledger(tmp_path / "bulk.db") as ledger:
        ledger.ingest_many(docs[:120], per_transaction=100)
        pool = ledger._signer()
        assert pool is not None
        for pid in list(pool._processes):
            os.kill(pid, signal.SIGKILL)
        results = ledger.ingest_many(docs[120:], per_transaction=100)
        assert {r.outcome for r in results} == {"ingested"}
        assert ledger.counts()["documents"] == len(docs)


def _kill(proc) -> None:
    import os
    import signal

    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def test_a_bulk_load_into_a_file_is_written_by_a_writer_process_replaced_when_killed(tmp_path):
    from claimledger.ledger.writer import WriterProcessError

    docs = _corpus(350)
    with Ledger(tmp_path / "bulk.db") as ledger:
        ledger.ingest_many(docs[:100], per_transaction=100)
        writer = ledger._writer
        assert writer is not None and writer.alive()
        _kill(writer._proc)  # between two loads: the next load starts another
        results = ledger.ingest_many(docs[100:200], per_transaction=100)
        assert {r.outcome for r in results} == {"ingested"}
        assert ledger._writer is not writer and ledger.counts()["documents"] == 200

        flush = ledger._flush

        def killing(conn, batch):  # killed with a transaction on its way
            if conn is None:
                _kill(ledger._writer._proc)
            flush(conn, batch)

        ledger._flush = killing
        with pytest.raises(WriterProcessError, match="writer process ended"):
            ledger.ingest_many(docs[200:300], per_transaction=100)
        ledger._flush = flush
        assert ledger.counts()["documents"] == 200  # what was committed, whole
        results = ledger.ingest_many(docs, per_transaction=100)  # a re-run completes the rest
        assert [r.outcome for r in results].count("unchanged") == 200
        assert ledger.counts()["documents"] == len(docs)
    assert writer._proc.poll() is not None and ledger._writer is None  # closed with the ledger


def test_an_error_in_the_writer_process_is_raised_and_its_transaction_rolled_back(tmp_path):
    docs = _corpus(300)
    with Ledger(tmp_path / "bulk.db") as ledger:
        ledger.ingest_many(docs[:100], per_transaction=100)
        quotes = ledger.counts()["quotes"]
        with ledger.engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE INSERT ON quotes WHEN NEW.doc_seq > 150 "
                "BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END"
            )
        with pytest.raises(sqlite3.IntegrityError, match="refused by a trigger"):
            ledger.ingest_many(docs[100:], per_transaction=100)
        assert ledger.counts()["documents"] == 100 and ledger.counts()["quotes"] == quotes
        with ledger.engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER refuse")
        results = ledger.ingest_many(docs, per_transaction=100)  # the same writer goes on
        assert [r.outcome for r in results].count("ingested") == len(docs) - 100
        assert ledger.counts()["documents"] == len(docs)


def _before_0009(ledger: Ledger) -> None:
    """Back to revision 0008, for tests of older revisions that compare what the views show before
    a downgrade and after the upgrade: the columns 0009 adds do not survive a downgrade."""
    from alembic import command

    with ledger.engine.begin() as conn:
        command.downgrade(ledger._alembic(conn), "0008")


def test_language_and_claimants_without_a_speaker_are_kept_and_an_older_ledger_is_migrated(
    db_url, example_docs
):
    """Revision 0009: a document's language, and a commentary claimant's name and description."""
    import sqlalchemy

    *older, newer = example_docs.values()
    assert newer.language == "uk"
    with Ledger(db_url) as ledger:
        ledger.ingest_many(older)
        commentary = [n for n in _rows(ledger, "numbers_view") if n["claimant_type"] == "commentary"]
        assert commentary and "commentary" not in {n["claimant"] for n in commentary}
        _before_0009(ledger)
        insp = sqlalchemy.inspect(ledger.engine)
        assert "language" not in {c["name"] for c in insp.get_columns("documents")}
    with Ledger(db_url) as ledger:  # opened again: migrated forward; the old rows never had them
        assert ledger.schema_revision() == HEAD
        assert {ledger.document(d.id)["language"] for d in older} == {None}
        rows = _rows(ledger, "numbers_view")
        assert {n["claimant"] for n in rows if n["claimant_type"] == "commentary"} == {"commentary"}
        ledger.ingest(newer)
        assert ledger.document(newer.id)["language"] == "uk"


def test_provenance_is_stored_and_an_older_ledger_is_migrated(db_url, extract):
    import sqlalchemy
    from alembic import command

    doc = extract("Officials said 12 people were hurt.\n", source="crawl.warc.gz@1234")
    doc.provenance = {"warc_file": "crawl.warc.gz", "offset": 1234}
    with Ledger(db_url) as ledger:
        ledger.ingest(doc)
        assert ledger.document(doc.id)["provenance"] == doc.provenance
        # Back to the first schema (no provenance column), then opened again: migrated forward.
        with ledger.engine.begin() as conn:
            command.downgrade(ledger._alembic(conn), "0001")
        columns = {c["name"] for c in sqlalchemy.inspect(ledger.engine).get_columns("documents")}
        assert "provenance" not in columns
    with Ledger(db_url) as ledger:
        assert ledger.schema_revision() == HEAD
        assert ledger.document(doc.id)["provenance"] is None
        assert ledger.document(doc.id)["text"] == doc.text


def test_text_is_stored_once_and_an_older_ledger_is_migrated(db_url, example_docs, extract):
    """Sections and number sentences are offsets into the document text (revision 0003); a ledger
    that stored copies of the text is migrated without changing what its views show."""
    import sqlalchemy
    from alembic import command

    docs = list(example_docs.values())
    with Ledger(db_url) as ledger:
        ledger.ingest_many(docs)
        _before_0009(ledger)
        sections, numbers = _rows(ledger, "sections_view"), _rows(ledger, "numbers_view")
        hits = ledger.search("ministry")
        by_id = {d.id: d for d in docs}
        # What the views cut from the text is what extraction found.
        assert sections and all(s["text"] == by_id[s["doc_id"]].sections[s["idx"]].text for s in sections)
        for n in numbers:
            assert n["expression"] in n["sentence"] and n["sentence"] in by_id[n["doc_id"]].text
        assert "sentence" not in {c["name"] for c in sqlalchemy.inspect(ledger.engine).get_columns("numbers")}
        assert "text" not in {c["name"] for c in sqlalchemy.inspect(ledger.engine).get_columns("sections")}
        with ledger.engine.begin() as conn:  # back to copies of the text
            command.downgrade(ledger._alembic(conn), "0002")
        with ledger.engine.connect() as conn:
            old = conn.exec_driver_sql("SELECT doc_id, idx, sentence FROM numbers").all()
            old_sections = conn.exec_driver_sql("SELECT doc_id, idx, text FROM sections").all()
        assert sorted(old) == sorted((n["doc_id"], n["idx"], n["sentence"]) for n in numbers)
        assert sorted(old_sections) == sorted((s["doc_id"], s["idx"], s["text"]) for s in sections)
    with Ledger(db_url) as ledger:  # opened again: migrated forward
        assert ledger.schema_revision() == HEAD
        assert _rows(ledger, "sections_view") == sections
        assert _rows(ledger, "numbers_view") == numbers
        assert ledger.search("ministry") == hits and hits
        # Documents stored after the migration are numbered after the old ones and searchable.
        ledger.ingest(extract("Officials in Quillhaven counted 40 boats.\n", source="after.txt"))
        assert [h["source"] for h in ledger.search("Quillhaven")] == ["after.txt"]
        with ledger.engine.connect() as conn:
            seqs = [r[0] for r in conn.exec_driver_sql("SELECT seq FROM documents ORDER BY seq")]
        assert seqs == list(range(1, len(docs) + 2))


def test_rows_refer_to_documents_by_number_and_an_older_ledger_is_migrated(db_url, example_docs):
    """Revision 0004: sections, speakers, quotes, numbers and anonymous sources are keyed by
    documents.seq; a ledger keyed by sha256 ids (0003) is migrated without changing its views."""
    import sqlalchemy
    from alembic import command

    tables = ("sections", "doc_speakers", "quotes", "numbers", "anonymous_sources")
    with Ledger(db_url) as ledger:
        ledger.ingest_many(list(example_docs.values()))
        _before_0009(ledger)
        views = {v: _rows(ledger, v) for v in ("quotes_view", "numbers_view", "sections_view")}
        counts = ledger.counts()
        insp = sqlalchemy.inspect(ledger.engine)
        for name in tables:
            assert insp.get_pk_constraint(name)["constrained_columns"][0] == "doc_seq"
        with ledger.engine.connect() as conn:  # every row's number is its document's
            linked = conn.exec_driver_sql(
                "SELECT count(*) FROM quotes q JOIN documents d ON d.seq = q.doc_seq"
            ).scalar_one()
        assert linked == counts["quotes"] > 0
        with ledger.engine.begin() as conn:
            command.downgrade(ledger._alembic(conn), "0003")
        insp = sqlalchemy.inspect(ledger.engine)
        assert all("doc_id" in {c["name"] for c in insp.get_columns(n)} for n in tables)
        assert "ix_quotes_speaker" in {ix["name"] for ix in insp.get_indexes("quotes")}
        assert {v: _rows(ledger, v) for v in views} == views
    with Ledger(db_url) as ledger:  # opened again: migrated forward
        assert ledger.schema_revision() == HEAD
        assert {v: _rows(ledger, v) for v in views} == views
        assert ledger.counts() == counts
        indexes = sqlalchemy.inspect(ledger.engine).get_indexes("quotes")
        assert "ix_quotes_speaker" in {ix["name"] for ix in indexes}


def _rows(ledger: Ledger, view: str) -> list[dict]:
    return sorted(ledger.table(view), key=lambda r: (r["doc_id"], r["idx"]))


def test_full_text_index_follows_versions_and_vacuum(tmp_path, extract):
    """The SQLite index holds every version under a key VACUUM keeps; searches show current ones."""
    db = tmp_path / "fts.db"
    with Ledger(db) as ledger:
        for i in range(5):
            ledger.ingest(extract(f"Officials in Harlow Vale counted {i + 10} boats.\n", source=f"s{i}"))
        ledger.ingest(extract("Officials in Harlow Vale counted 99 boats.\n", source="s0"))  # version 2
        assert len(ledger.search("Harlow")) == 5
        assert all("99" not in h["snippet"] for h in ledger.search("10"))
        con = sqlite3.connect(db)
        con.execute("DELETE FROM documents WHERE source = 's3'")  # by hand: a trigger keeps the index
        con.commit()
        con.execute("VACUUM")
        con.execute("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)")
        con.close()
        assert {h["source"] for h in ledger.search("Harlow boats")} == {"s0", "s1", "s2", "s4"}
        assert [h["source"] for h in ledger.search("99")] == ["s0"]


def test_full_text_index_merges_16_segments_at_a_time_and_migrates_both_ways(tmp_path, extract):
    """Revision 0005 sets FTS5's automerge (kept in the index's config table) and can undo it."""
    from alembic import command

    def automerge(ledger: Ledger) -> int | None:
        with ledger.engine.connect() as conn:
            return conn.exec_driver_sql(
                "SELECT v FROM documents_fts_config WHERE k = 'automerge'"
            ).scalar_one_or_none()

    with Ledger(tmp_path / "fts.db") as ledger:
        assert automerge(ledger) == 16
        ledger.ingest(extract("Officials in Harlow Vale counted 12 boats.\n"))
        with ledger.engine.begin() as conn:
            command.downgrade(ledger._alembic(conn), "0004")
        assert automerge(ledger) == 4
    with Ledger(tmp_path / "fts.db") as ledger:  # opened again: migrated forward
        assert ledger.schema_revision() == HEAD and automerge(ledger) == 16
        assert len(ledger.search("Harlow")) == 1


def test_speaker_listing_index_migrates_both_ways(db_url, extract):
    """Revision 0006 adds ``ix_speakers_sort`` (the order of the speaker listing) and can drop it."""
    from alembic import command

    def has_index(ledger: Ledger) -> bool:
        sql = (
            "SELECT count(*) FROM sqlite_master WHERE name = 'ix_speakers_sort'"
            if ledger.engine.dialect.name == "sqlite"
            else "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_speakers_sort'"
        )
        with ledger.engine.connect() as conn:
            return conn.exec_driver_sql(sql).scalar_one() == 1

    with Ledger(db_url) as ledger:
        assert has_index(ledger)
        ledger.ingest(extract('"The road is closed," said Anna Kovac in Harlow Vale.\n'))
        with ledger.engine.begin() as conn:
            command.downgrade(ledger._alembic(conn), "0005")
        assert not has_index(ledger)
    with Ledger(db_url) as ledger:  # opened again: migrated forward
        assert ledger.schema_revision() == HEAD and has_index(ledger)
        assert [s["name"] for s in ledger.speakers()] == ["Anna Kovac"]


def test_claim_join_indexes_migrate_both_ways(db_url, extract):
    """Revisions 0007 and 0008 add ``ix_documents_current`` (claims joined to their documents) and
    ``ix_numbers_text`` (a number's other documents), and can drop them."""
    from alembic import command

    names = ("ix_documents_current", "ix_numbers_text")

    def indexes(ledger: Ledger) -> set[str]:
        sql = (
            "SELECT name FROM sqlite_master WHERE type = 'index'"
            if ledger.engine.dialect.name == "sqlite"
            else "SELECT indexname FROM pg_indexes"
        )
        with ledger.engine.connect() as conn:
            return set(conn.exec_driver_sql(sql).scalars()) & set(names)

    with Ledger(db_url) as ledger:
        assert indexes(ledger) == set(names)
        ledger.ingest(extract('"The road is closed," said Anna Kovac in Harlow Vale.\n'))
        with ledger.engine.begin() as conn:
            command.downgrade(ledger._alembic(conn), "0007")
        assert indexes(ledger) == {"ix_documents_current"}
        with ledger.engine.begin() as conn:
            command.downgrade(ledger._alembic(conn), "0006")
        assert indexes(ledger) == set()
    with Ledger(db_url) as ledger:  # opened again: migrated forward
        assert ledger.schema_revision() == HEAD and indexes(ledger) == set(names)
        assert [s["name"] for s in ledger.speakers()] == ["Anna Kovac"]


def test_search_takes_any_text(db_url, extract):
    with Ledger(db_url) as ledger:
        ledger.ingest(extract("Officials said 12 people were hurt in Port Evander.\n"))
        assert len(ledger.search("Evander\x00")) == 1
        assert ledger.search("\x00\x01") == []
        assert ledger.search('"unbalanced OR (') == []


def test_sqlite_reads_do_not_wait_for_a_writer(tmp_path, extract):
    db = tmp_path / "busy.db"
    with Ledger(db) as writer, Ledger(db) as reader:
        writer.ingest(extract("Officials said 12 people were hurt.\n"))
        with writer._write() as conn:  # a write transaction held open
            conn.exec_driver_sql(
                "INSERT INTO failures (source, code, message, at) VALUES ('x', 'y', 'z', 'w')"
            )
            t0 = time.monotonic()
            assert reader.counts()["documents"] == 1
            assert time.monotonic() - t0 < 2  # busy_timeout is 10 s: a blocked read would wait
