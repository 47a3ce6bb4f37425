"""Ledger benchmark: ingest rate (extraction excluded) and full-text search latency.

    python bench/ledger.py [--docs 100000] [--db PATH] [--batch 500] [--queries 300]

Documents are synthetic extracted pages (bench/synthetic.py): ~400 words, 4 speakers,
8 quotes, 8 numbers each. Prints:
- ingest rate with one transaction per document (what ``claimledger ingest`` does), on a sample;
- ingest rate of the whole corpus with ``--batch`` whole documents per transaction (bulk load,
  10,000 documents per ``ingest_many`` call: its writer thread overlaps one transaction with the next);
- p50/p95/p99 of ``Ledger.search`` over random one- and two-word queries on the full ledger.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import _CUM, _VOCAB, make_document

from claimledger.ledger.store import Ledger


def _rate(ledger: Ledger, start: int, n: int, per_transaction: int, chunk: int = 10_000) -> float:
    """Documents per second of ``ingest_many`` alone: each chunk is generated before the clock runs."""
    spent = 0.0
    done = 0
    while done < n:
        k = min(chunk, n - done)
        docs = [make_document(start + done + i) for i in range(k)]
        t0 = time.perf_counter()
        ledger.ingest_many(docs, per_transaction=per_transaction)
        spent += time.perf_counter() - t0
        done += k
        if n >= 10_000 and done % 10_000 < chunk:
            print(f"  … {start + done:,} documents, {done / spent:,.0f} docs/s", flush=True)
    return n / spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=2_000, help="documents ingested one per transaction")
    ap.add_argument("--batch", type=int, default=500, help="documents per transaction in the bulk load")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--db", help="database (default: a temporary SQLite file)")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "bench.db")
    ledger = Ledger(db)

    single = _rate(ledger, 0, args.sample, 1)
    print(f"ingest, one transaction per document: {single:,.0f} docs/s over {args.sample:,}")
    bulk = _rate(ledger, args.sample, args.docs - args.sample, args.batch)
    print(
        f"ingest, {args.batch} documents per transaction: {bulk:,.0f} docs/s over {args.docs - args.sample:,}"
    )
    counts = ledger.counts()
    print("rows:", ", ".join(f"{k} {v:,}" for k, v in counts.items()))

    rng = random.Random(3)
    lat = []
    hits = 0
    for q in range(args.queries):
        query = " ".join(rng.choices(_VOCAB, cum_weights=_CUM, k=1 + q % 2))
        t0 = time.perf_counter()
        hits += len(ledger.search(query, limit=20))
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    p = lambda x: lat[min(len(lat) - 1, int(x * len(lat)))]  # noqa: E731
    print(
        f"search over {counts['documents']:,} documents ({args.queries} queries, 20 results each): "
        f"p50 {p(0.5):.1f} ms, p95 {p(0.95):.1f} ms, p99 {p(0.99):.1f} ms, mean {statistics.mean(lat):.1f} ms"
    )
    ledger.close()


if __name__ == "__main__":
    main()
