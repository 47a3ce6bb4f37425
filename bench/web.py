"""Web benchmark: latency of the document page and of search, over real HTTP to uvicorn.

    python bench/web.py [--docs 10000] [--db PATH] [--requests 300]

Builds a ledger of synthetic extracted documents (bench/synthetic.py: ~400 words, 4 speakers,
8 quotes, 8 numbers each; no NLP) unless ``--db`` names one that already holds documents, starts
``claimledger serve`` on a free 127.0.0.1 port in a child process, and times sequential requests
from one keep-alive httpx client (client and server on the same machine, so the figures include
HTTP and loopback). Prints p50/p95/p99 for:

- the document view (``GET /documents/{id}``, HTML with every claim marked) and its JSON
  (``GET /api/v1/documents/{id}``), on random documents;
- search (``GET /?q=…`` page and ``GET /api/v1/search``), one- and two-word queries drawn from the
  synthetic Zipf vocabulary, so that common and rare words both occur.
"""

from __future__ import annotations

import argparse
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import _CUM, _VOCAB, make_document

from claimledger.ledger.store import Ledger


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _build(db: str, n: int) -> None:
    have = 0
    if Path(db).exists():
        with sqlite3.connect(db) as conn:
            have = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    if have >= n:
        print(f"ledger {db}: {have:,} documents (reused)")
        return
    t0 = time.perf_counter()
    with Ledger(db) as ledger:
        for start in range(have, n, 1000):
            ledger.ingest_many(
                (make_document(i) for i in range(start, min(n, start + 1000))), per_transaction=500
            )
    print(f"ledger {db}: built {n - have:,} documents in {time.perf_counter() - t0:.1f} s")


def _serve(db: str, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimledger.cli", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"serve exited: {proc.stderr.read().decode()[-2000:]}") from None
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("serve did not start")


def _time(client: httpx.Client, urls: list[str]) -> list[float]:
    lat = []
    for url in urls:
        t0 = time.perf_counter()
        r = client.get(url)
        lat.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            raise RuntimeError(f"{url}: {r.status_code} {r.text[:300]}")
    return sorted(lat)


def _report(name: str, lat: list[float]) -> None:
    p = lambda x: lat[min(len(lat) - 1, int(x * len(lat)))]  # noqa: E731
    print(f"{name:<34} p50 {p(0.5):6.1f} ms   p95 {p(0.95):6.1f} ms   p99 {p(0.99):6.1f} ms   (n={len(lat)})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--db", help="SQLite ledger to build or reuse (default: a temporary file)")
    ap.add_argument("--requests", type=int, default=300, help="timed requests per kind")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "web-bench.db")
    _build(db, args.docs)
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM documents WHERE is_current")]
    rng = random.Random(7)
    docs = rng.choices(ids, k=args.requests)
    queries = [" ".join(rng.choices(_VOCAB, cum_weights=_CUM, k=1 + i % 2)) for i in range(args.requests)]
    port = _free_port()
    proc = _serve(db, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            _time(
                client, [f"/documents/{d}" for d in docs[:20]] + [f"/?q={q}" for q in queries[:20]]
            )  # warm up
            print(f"{len(ids):,} current documents; uvicorn (1 process) on 127.0.0.1:{port}; one client")
            _report("document page  /documents/{id}", _time(client, [f"/documents/{d}" for d in docs]))
            _report(
                "document JSON  /api/v1/documents/{id}",
                _time(client, [f"/api/v1/documents/{d}" for d in docs]),
            )
            _report("search page    /?q=", _time(client, [f"/?q={q}" for q in queries]))
            _report(
                "search API     /api/v1/search?q=", _time(client, [f"/api/v1/search?q={q}" for q in queries])
            )
            _report("numbers page   /numbers", _time(client, ["/numbers"] * max(20, args.requests // 10)))
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
