"""Web benchmark: latency of every kind of page, over real HTTP to uvicorn, and under load.

    python bench/web.py [--docs 10000] [--db PATH] [--requests 300]
    python bench/web.py --load [--docs 5000] [--db PATH] [--concurrency 1,8,32] [--load-requests 2000]

Builds a ledger of synthetic extracted documents (bench/synthetic.py: ~400 words, 4 speakers,
8 quotes, 8 numbers each; no NLP) unless ``--db`` names one that already holds documents, starts
``claimledger serve`` on a free 127.0.0.1 port in a child process, and times sequential requests
from one keep-alive httpx client (client and server on the same machine, so the figures include
HTTP and loopback). Prints p50/p95/p99 for every kind of page of the UI and the downloads it links
to (:func:`_pages`): the document list, search (page and API; one- and two-word queries drawn from
the synthetic Zipf vocabulary, so that common and rare words both occur), the document view and
its JSON, a quote's and a number's page, speakers and a speaker, quotes and numbers with and
without their counts (``facets=1``), the numbers CSV of 1,000 rows, the trackers, a tracker (whole
and by a claimant), its CSV, JSON and chart files, the paste page, the API docs and a static file.
``--requests`` URLs per kind (a tenth, at least 20, of the costly ones: counts, CSV, chart files).

``--load`` measures the server under concurrent clients instead: for each concurrency it sends a
bounded number of requests (``--load-requests``, stopped after ``--load-seconds``) from that many
asyncio workers sharing one httpx client, over a mix of what a reader does (:data:`MIX`: pages,
API listings, the tracker page and API, the numbers CSV download), and prints req/s, p50, p95,
p99, the number of answers that are not 2xx, the slowest kinds of request and the server's memory.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import _CUM, _VOCAB, make_document

from claimledger.ledger.queries import NUMBER_SORTS, QUOTE_SORTS, SPEAKER_SORTS
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


def _signed(columns: Sequence[str]) -> list[str]:
    """Each sortable column ascending and descending (``-column``)."""
    return [f"{sign}{c}" for c in columns for sign in ("", "-")]


def _cycle(values: list[str], n: int) -> list[str]:
    return [values[i % len(values)] for i in range(n)]


def _report(name: str, lat: list[float], cpu_ms: float | None = None) -> None:
    p = lambda x: lat[min(len(lat) - 1, int(x * len(lat)))]  # noqa: E731
    cpu = f"   server CPU {cpu_ms:5.1f} ms/req" if cpu_ms is not None else ""
    print(
        f"{name:<50} p50 {p(0.5):6.1f} ms   p95 {p(0.95):6.1f} ms   p99 {p(0.99):6.1f} ms"
        f"   (n={len(lat)}){cpu}"
    )


# -- load -------------------------------------------------------------------------------------------

#: What readers do, with weights: (kind, weight, URL maker). Listings are first pages with the
#: default size except the numbers CSV, which is the page's download link (web_page_rows rows).
MIX: list[tuple[str, int, str]] = [
    ("document page", 20, "/documents/{doc}"),
    ("document JSON", 8, "/api/v1/documents/{doc}"),
    ("search page", 14, "/?q={q}"),
    ("search API", 8, "/api/v1/search?q={q}"),
    ("documents page", 5, "/"),
    ("numbers page", 6, "/numbers"),
    ("numbers CSV", 4, "/api/v1/numbers?format=csv&limit=1000"),
    ("quotes API", 5, "/api/v1/quotes"),
    ("speakers page", 5, "/speakers"),
    ("speaker page", 5, "/speakers/{speaker}"),
    ("speaker quotes API", 3, "/api/v1/quotes?speaker={speaker}"),
    ("tracker page", 5, "/trackers/{tracker}"),
    ("tracker API", 3, "/api/v1/trackers/{tracker}"),
    ("trackers page", 2, "/trackers"),
    ("static", 7, "/static/style.css"),
]


def _mix(db: str, n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (kind, URL) drawn from :data:`MIX` over the ledger's documents, speakers and words."""
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM documents WHERE is_current")]
        speakers = [r[0] for r in conn.execute("SELECT id FROM speakers WHERE type = 'person' LIMIT 2000")]
    rng = random.Random(seed)
    kinds = rng.choices(MIX, weights=[w for _, w, _ in MIX], k=n)
    out = []
    for kind, _, url in kinds:
        q = "+".join(rng.choices(_VOCAB, cum_weights=_CUM, k=rng.randint(1, 2)))
        fill = {
            "doc": rng.choice(ids),
            "q": q,
            "speaker": quote(rng.choice(speakers), safe=""),
            "tracker": rng.choice(["flood-displacement", "russian-military-casualties"]),
        }
        out.append((kind, url.format(**fill)))
    return out


async def _load_run(
    base: str, requests: list[tuple[str, str]], concurrency: int, seconds: float
) -> tuple[float, list[tuple[str, float, int]]]:
    """Send ``requests`` from ``concurrency`` workers until done or ``seconds`` have passed."""
    results: list[tuple[str, float, int]] = []
    queue = iter(requests)
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:

        async def worker() -> None:
            for kind, url in queue:
                if time.perf_counter() > stop:
                    return
                t0 = time.perf_counter()
                try:
                    r = await client.get(url)
                    status = r.status_code
                except httpx.HTTPError:
                    status = 0  # no answer (timeout, connection refused)
                results.append((kind, (time.perf_counter() - t0) * 1000, status))

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - t0, results


def _pct(lat: list[float], x: float) -> float:
    return lat[min(len(lat) - 1, int(x * len(lat)))]


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used: unlike latency, not inflated by other
    work on a shared machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _load() -> str:
    """The machine's load averages (1, 5, 15 minutes): latencies here depend on them."""
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load(db: str, port: int, proc: subprocess.Popen, args: argparse.Namespace) -> None:
    """Print req/s and latency percentiles of :data:`MIX` at each concurrency of ``--concurrency``."""
    base = f"http://127.0.0.1:{port}"
    warm = _mix(db, 60, seed=1)
    asyncio.run(_load_run(base, warm, 2, 60))  # the pipeline is never loaded; this warms caches
    print(
        f"load: {len(MIX)} kinds of request, at most {args.load_requests} requests or "
        f"{args.load_seconds:g} s per concurrency; client and server on this machine; "
        f"server RSS {_rss_mb(proc.pid):.0f} MB; {_load()}"
    )
    head = ("conc", "req/s", "p50 ms", "p95 ms", "p99 ms", "non-2xx", "n", "cpu ms/req")
    widths = (4, 7, 8, 8, 8, 8, 6, 10)
    print(" ".join(f"{h:>{w}}" for h, w in zip(head, widths, strict=True)), " slowest p99")
    for i, concurrency in enumerate(args.concurrency):
        requests = _mix(db, args.load_requests, seed=100 + i)
        cpu0 = _cpu_s(proc.pid)
        elapsed, results = asyncio.run(_load_run(base, requests, concurrency, args.load_seconds))
        cpu = (_cpu_s(proc.pid) - cpu0) * 1000 / max(1, len(results))
        lat = sorted(ms for _, ms, _ in results)
        bad = collections.Counter((kind, status) for kind, _, status in results if not 200 <= status < 300)
        by_kind: dict[str, list[float]] = collections.defaultdict(list)
        for kind, ms, _ in results:
            by_kind[kind].append(ms)
        worst = sorted(((_pct(sorted(v), 0.99), k) for k, v in by_kind.items()), reverse=True)[:2]
        print(
            f"{concurrency:>4} {len(results) / elapsed:>7.1f} {_pct(lat, 0.5):>8.1f} {_pct(lat, 0.95):>8.1f} "
            f"{_pct(lat, 0.99):>8.1f} {sum(bad.values()):>8} {len(results):>6} {cpu:>10.1f}  "
            + ", ".join(f"{k} {v:.0f} ms" for v, k in worst)
            + "".join(f"; {n} × {status or 'no answer'} on {kind}" for (kind, status), n in bad.items())
        )
        if args.by_kind:
            for kind, v in sorted(by_kind.items()):
                v.sort()
                print(f"       {kind:<20} p50 {_pct(v, 0.5):7.1f}  p99 {_pct(v, 0.99):7.1f}  (n={len(v)})")
    print(f"server RSS after: {_rss_mb(proc.pid):.0f} MB; {_load()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--db", help="SQLite ledger to build or reuse (default: a temporary file)")
    ap.add_argument("--requests", type=int, default=300, help="timed requests per kind")
    ap.add_argument("--load", action="store_true", help="concurrent clients over a mix of requests")
    ap.add_argument(
        "--concurrency",
        type=lambda v: [int(x) for x in v.split(",")],
        default=[1, 8, 32],
        help="comma-separated concurrencies for --load (default 1,8,32)",
    )
    ap.add_argument("--load-requests", type=int, default=2000, help="requests per concurrency (--load)")
    ap.add_argument("--load-seconds", type=float, default=120, help="time limit per concurrency (--load)")
    ap.add_argument("--by-kind", action="store_true", help="also p50/p99 per kind of request (--load)")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "web-bench.db")
    _build(db, args.docs)
    if args.load:
        port = _free_port()
        proc = _serve(db, port)
        try:
            load(db, port, proc, args)
        finally:
            proc.terminate()
            proc.wait(10)
        return
    pages = _pages(db, args.requests)
    port = _free_port()
    proc = _serve(db, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for _, urls in pages:
                _time(client, urls[:3])  # warm up: tracker timelines, the OpenAPI document, caches
            print(f"{args.docs:,} documents; uvicorn (1 process) on 127.0.0.1:{port}; one client; {_load()}")
            for name, urls in pages:
                # The server's CPU time per request does not grow with other work on the machine.
                cpu0 = _cpu_s(proc.pid)
                lat = _time(client, urls)
                _report(name, lat, (_cpu_s(proc.pid) - cpu0) * 1000 / len(urls))
    finally:
        proc.terminate()
        proc.wait(10)


#: Requests per kind for the costly ones (facet counts, matplotlib chart files), at least 20.
_HEAVY = 10


def _pages(db: str, requests: int) -> list[tuple[str, list[str]]]:
    """Every kind of page of the UI (and the downloads it links to), each with ``requests`` URLs
    (a tenth for the heavy kinds) over random documents, claims, speakers, words and claimants."""
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM documents WHERE is_current")]
        people = conn.execute("SELECT id, name FROM speakers WHERE type = 'person' LIMIT 2000").fetchall()
        quotes = conn.execute(
            "SELECT d.id, q.idx FROM quotes q JOIN documents d ON d.seq = q.doc_seq WHERE d.is_current"
        ).fetchall()
        numbers = conn.execute(
            "SELECT d.id, n.idx FROM numbers n JOIN documents d ON d.seq = n.doc_seq WHERE d.is_current"
        ).fetchall()
    rng = random.Random(7)
    n, heavy = requests, max(20, requests // _HEAVY)
    words = [quote(" ".join(rng.choices(_VOCAB, cum_weights=_CUM, k=1 + i % 2))) for i in range(n)]
    sp = [rng.choice(people) for _ in range(n)]
    # A tracker filtered by a claimant: a person's name (a few dozen figures), or a claimant type.
    who = [
        quote(name) if i % 4 else rng.choice(["person", "anonymous", "article"])
        for i, (_, name) in enumerate(sp)
    ]
    # Counts of the whole ledger (kept once made, per ledger content), or of a period that no
    # request has asked for yet (counted each time).
    days = [f"2030-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(2 * heavy)]
    spans = [
        "&since={}&until={}".format(*sorted(days[2 * i : 2 * i + 2])) if i % 2 else "" for i in range(heavy)
    ]
    trackers = ["flood-displacement", "russian-military-casualties"]
    tr = [trackers[i % 2] for i in range(n)]
    return [
        ("documents page /", ["/"] * n),
        ("search page    /?q=", [f"/?q={w}" for w in words]),
        ("search API     /api/v1/search?q=", [f"/api/v1/search?q={w}" for w in words]),
        ("document page  /documents/{id}", [f"/documents/{d}" for d in rng.choices(ids, k=n)]),
        ("document JSON  /api/v1/documents/{id}", [f"/api/v1/documents/{d}" for d in rng.choices(ids, k=n)]),
        (
            "quote claim    /documents/{id}/quotes/{i}",
            [f"/documents/{d}/quotes/{i}" for d, i in rng.choices(quotes, k=n)],
        ),
        (
            "number claim   /documents/{id}/numbers/{i}",
            [f"/documents/{d}/numbers/{i}" for d, i in rng.choices(numbers, k=n)],
        ),
        ("speakers page  /speakers", ["/speakers"] * n),
        ("speaker page   /speakers/{id}", [f"/speakers/{quote(i, safe='')}" for i, _ in sp]),
        ("quotes page    /quotes", ["/quotes"] * n),
        ("quotes counts  /quotes?facets=1[&since&until]", [f"/quotes?facets=1{r}" for r in spans]),
        ("numbers page   /numbers", ["/numbers"] * n),
        ("numbers counts /numbers?facets=1[&since&until]", [f"/numbers?facets=1{r}" for r in spans]),
        ("numbers CSV    /api/v1/numbers?format=csv", ["/api/v1/numbers?format=csv&limit=1000"] * heavy),
        # Sorted by a header: every sortable column of each table, in both directions, in turn.
        ("quotes sorted  /quotes?sort=", [f"/quotes?sort={s}" for s in _cycle(_signed(QUOTE_SORTS), n)]),
        ("numbers sorted /numbers?sort=", [f"/numbers?sort={s}" for s in _cycle(_signed(NUMBER_SORTS), n)]),
        (
            "speakers sorted /speakers?sort=",
            [f"/speakers?sort={s}" for s in _cycle(_signed(SPEAKER_SORTS), n)],
        ),
        ("trackers page  /trackers", ["/trackers"] * n),
        ("tracker page   /trackers/{name}", [f"/trackers/{t}" for t in tr]),
        ("tracker page   ?claimant=", [f"/trackers/{t}?claimant={w}" for t, w in zip(tr, who, strict=True)]),
        (
            "tracker CSV    /api/v1/trackers/{name}?format=csv",
            [f"/api/v1/trackers/{t}?format=csv" for t in tr],
        ),
        ("tracker JSON   /api/v1/trackers/{name}", [f"/api/v1/trackers/{t}" for t in tr]),
        # Chart files of a whole timeline only where it has few enough figures; else by one claimant.
        *(
            (
                f"tracker chart  .{fmt}",
                [
                    f"/trackers/russian-military-casualties/chart.{fmt}"
                    if i % 2
                    else f"/trackers/flood-displacement/chart.{fmt}?claimant={quote(name)}"
                    for i, (_, name) in enumerate(sp[:heavy])
                ],
            )
            for fmt in ("svg", "png")
        ),
        ("paste page     /extract", ["/extract"] * n),
        ("API docs       /docs", ["/docs"] * heavy),
        ("static         /static/style.css", ["/static/style.css"] * n),
    ]


if __name__ == "__main__":
    main()
