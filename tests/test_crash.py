"""An ingest killed with SIGKILL at random moments loses nothing it acknowledged, leaves no
partial document, keeps the database sound, and a re-run completes the rest."""

from __future__ import annotations

import json
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import make_document

pytestmark = pytest.mark.slow

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


def _run(db, corpus, worker: str = WORKER, kill: tuple[int, float] | None = None) -> list[str]:
    """Run the worker; with ``kill=(n, delay)``, SIGKILL it ``delay`` seconds after it acknowledged its
    ``n``-th new document. Counting acknowledgements, not seconds, puts every kill mid-run however
    fast the machine is; the random delay puts it at a random point of the next transaction."""
    proc = subprocess.Popen(
        [sys.executable, "-c", worker, str(db), str(corpus)], stdout=subprocess.PIPE, text=True
    )
    if kill is None:
        out, _ = proc.communicate(timeout=300)
        return out.split()
    lines: queue.Queue[str] = queue.Queue()
    # Read while it runs, in a thread: a full pipe would stall the worker, a blocking read the test.
    reader = threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True)
    reader.start()
    seen, new = [], 0
    while new < kill[0]:
        try:
            line = lines.get(timeout=120)
        except queue.Empty:
            proc.kill()
            raise AssertionError(f"the worker acknowledged nothing for 120 s: {seen[-3:]}") from None
        seen.append(line)
        if line.split()[-1] == "ingested":
            new += 1
        elif line.strip() == "DONE":
            break
    time.sleep(kill[1])
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    reader.join(timeout=60)
    while not lines.empty():
        seen.append(lines.get())
    return "".join(seen).split()


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
    ("worker", "n_docs", "kills", "acks", "delay"),
    # One-document transactions: killed 0-20 ms after the 10th-100th new document. Bulk loads
    # acknowledge 300 at a time: killed up to 0.3 s into the next call, mid-transaction.
    [(WORKER, DOCS, KILLS, (10, 100), 0.02), (BULK_WORKER, 2 * DOCS, 10, (1, 300), 0.3)],
    ids=["one-per-transaction", "bulk"],
)
def test_sigkill_at_random_points_loses_nothing_acknowledged(tmp_path, worker, n_docs, kills, acks, delay):
    docs = [make_document(i, seed=7).to_dict() for i in range(n_docs)]
    expected = {d["id"]: d for d in docs}
    corpus = tmp_path / "docs.jsonl"
    corpus.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    db = tmp_path / "crash.db"
    rng = random.Random(20301)
    acknowledged: set[str] = set()
    progress = []
    for _ in range(kills):
        out = _run(db, corpus, worker, kill=(rng.randint(*acks), rng.uniform(0, delay)))
        acknowledged.update(w for w in out[0::2] if len(w) == 64)
        stored = _check(db, expected)
        assert acknowledged <= stored, "a document acknowledged as committed is missing"
        progress.append(len(stored))
    assert progress == sorted(progress)  # never goes backwards
    mid_run = {n for n in progress if 0 < n < n_docs}
    assert len(mid_run) >= kills // 4, f"too few kills landed mid-run: {progress}"
    out = _run(db, corpus, worker)
    assert out[-1] == "DONE"
    stored = _check(db, expected)
    assert stored == set(expected)
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM quotes").fetchone()[0] == sum(len(d["quotes"]) for d in docs)
    con.close()
