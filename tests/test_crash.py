"""An ingest killed with SIGKILL at random moments loses nothing it acknowledged, leaves no
partial document, keeps the database sound, and a re-run completes the rest."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import make_document

KILLS = 20
DOCS = 3000

# Ingests the documents of a JSON Lines file, printing each id once its transaction committed.
WORKER = """
import json, sys
from claimledger.ledger.store import Ledger
from claimledger.model import Document
ledger = Ledger(sys.argv[1])
for line in open(sys.argv[2], encoding="utf-8"):
    doc = Document.from_dict(json.loads(line))
    result = ledger.ingest(doc)
    print(result.doc_id, result.outcome, flush=True)
print("DONE", flush=True)
"""


# A bulk load: transactions of 100 documents, written by the ledger's writer process while the
# next is prepared; ids are printed once ingest_many returned (every transaction committed).
BULK_WORKER = """
import json, sys
from claimledger.ledger.store import Ledger
from claimledger.model import Document
ledger = Ledger(sys.argv[1])
docs = [Document.from_dict(json.loads(line)) for line in open(sys.argv[2], encoding="utf-8")]
for i in range(0, len(docs), 300):
    for result in ledger.ingest_many(docs[i : i + 300], per_transaction=100):
        print(result.doc_id, result.outcome, flush=True)
print("DONE", flush=True)
"""


def _run(db, corpus, kill_after: float | None, worker: str = WORKER) -> list[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", worker, str(db), str(corpus)], stdout=subprocess.PIPE, text=True
    )
    if kill_after is None:
        out, _ = proc.communicate(timeout=300)
        return out.split()
    try:  # read while it runs: a full pipe would stall the worker, not the clock
        out, _ = proc.communicate(timeout=kill_after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=60)  # the rest of what it printed
    return out.split()


def _check(db, expected: dict[str, dict]) -> set[str]:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in tables:  # killed before the schema was committed: all or nothing
            assert "documents" not in tables
            return set()
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = {r[0] for r in con.execute("SELECT id FROM documents")}
        for doc_id in stored:  # every stored document is whole
            exp = expected[doc_id]
            for table, key in (
                ("quotes", "quotes"),
                ("numbers", "numbers"),
                ("sections", "sections"),
                ("doc_speakers", "speakers"),
                ("anonymous_sources", "anonymous_sources"),
            ):
                n = con.execute(
                    f"SELECT COUNT(*) FROM {table} t JOIN documents d ON d.seq = t.doc_seq WHERE d.id = ?",
                    (doc_id,),
                ).fetchone()[0]
                assert n == len(exp[key]), f"{table} of {doc_id[:12]}: {n} rows, expected {len(exp[key])}"
        # The full-text index matches the documents exactly (raises "malformed" otherwise).
        con.execute("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)")
        return stored
    finally:
        con.close()


@pytest.mark.parametrize(
    ("worker", "n_docs", "kills", "window"),
    # A bulk load stores a thousand documents a second: a larger corpus, so that kills land mid-run.
    [(WORKER, DOCS, KILLS, (0.8, 2.6)), (BULK_WORKER, 2 * DOCS, 10, (2.0, 4.0))],
    ids=["one-per-transaction", "bulk"],
)
def test_sigkill_at_random_points_loses_nothing_acknowledged(tmp_path, worker, n_docs, kills, window):
    docs = [make_document(i, seed=7).to_dict() for i in range(n_docs)]
    expected = {d["id"]: d for d in docs}
    corpus = tmp_path / "docs.jsonl"
    corpus.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    db = tmp_path / "crash.db"
    rng = random.Random(20301)
    acknowledged: set[str] = set()
    progress = []
    for _ in range(kills):
        out = _run(db, corpus, rng.uniform(*window), worker)
        acknowledged.update(w for w in out[0::2] if len(w) == 64)
        stored = _check(db, expected)
        assert acknowledged <= stored, "a document acknowledged as committed is missing"
        progress.append(len(stored))
    assert progress == sorted(progress)  # never goes backwards
    mid_run = {n for n in progress if 0 < n < n_docs}
    assert len(mid_run) >= kills // 4, f"too few kills landed mid-run: {progress}"
    out = _run(db, corpus, None, worker)
    assert out[-1] == "DONE"
    stored = _check(db, expected)
    assert stored == set(expected)
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM quotes").fetchone()[0] == sum(len(d["quotes"]) for d in docs)
    con.close()
