"""Throughput of the input side: HTML pages through the reader and the trafilatura worker, and
WARC.gz records through the WARC reader (no spaCy in either).

Pages are Blogger-like pages (navigation, sidebar, a post of 500–900 words, comments) assembled
from the paragraphs of the bundled examples in a seeded order, so every run measures the same
corpus. The WARC.gz holds one response record per page plus one request record each.

    python bench/inputs.py [--pages 300] [--records 1000]

Prints pages/s (HTML), records/s (WARC) and the peak RSS of this process and of the worker.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import psutil
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import example_paragraphs, sample_article

from claimledger.html import html_to_page, shared_worker
from claimledger.readers import read_inputs
from claimledger.settings import Settings


def pages(n: int, seed: int = 11) -> list[str]:
    """``n`` Blogger-like HTML pages of 500–900 words of article text."""
    paras = example_paragraphs()
    rng = random.Random(seed)
    out = []
    for i in range(n):
        chosen = sample_article(rng, paras)
        body = "".join(f"<p>{p}</p>" for p in chosen)
        comments = "".join(
            f"<li class='comment'><cite>Reader {k}</cite> said...<p>{rng.choice(paras)}</p></li>"
            for k in range(3)
        )
        out.append(
            f"<!DOCTYPE html><html><head><title>Notes: Post {i}</title></head><body>"
            "<div id='navbar'><a href='/'>Home</a> <a href='/about'>About</a></div>"
            f"<div class='post'><h3 class='post-title'>Post {i} about the news</h3>"
            f"<div class='post-body'>{body}</div></div>"
            f"<div id='comments'><h4>3 comments:</h4><ol>{comments}</ol></div>"
            "<div class='sidebar'><h2>Archive</h2><ul><li>2024 (12)</li></ul></div>"
            "<div id='footer'>Powered by Blogger</div></body></html>"
        )
    return out


def write_warc(path: Path, docs: list[str]) -> None:
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for i, html in enumerate(docs):
            url = f"https://bench.example/{i}"
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            w.write_record(
                w.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=http)
            )
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "bench.example")], is_http_request=True)
            w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req))


def peak_rss_mib() -> tuple[float, float]:
    """(this process, the HTML worker) peak RSS in MiB (Linux reports ru_maxrss in KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    proc = shared_worker()._proc
    worker = 0.0
    if proc is not None:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
            hwm = [line for line in status.splitlines() if line.startswith("VmHWM:")]
            worker = (
                int(hwm[0].split()[1]) / 1024 if hwm else psutil.Process(proc.pid).memory_info().rss / 2**20
            )
        except (OSError, psutil.Error):
            worker = 0.0
    return own, worker


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--records", type=int, default=1000)
    args = ap.parse_args()
    settings = Settings()

    docs = pages(args.pages)
    html_to_page(docs[0], settings.doc_timeout_s)  # start the worker outside the timing
    t0 = time.perf_counter()
    chars = 0
    for d in docs:
        page = html_to_page(d, settings.doc_timeout_s)
        chars += len(page.text) if page else 0
    dt = time.perf_counter() - t0
    own, worker = peak_rss_mib()
    print(
        f"HTML: {len(docs)} pages in {dt:.2f} s = {len(docs) / dt:.1f} pages/s "
        f"({chars / dt / 1e6:.2f} M chars/s)"
    )
    print(f"      peak RSS: main {own:.0f} MiB, worker {worker:.0f} MiB")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.warc.gz"
        write_warc(path, pages(args.records, seed=12))
        size = path.stat().st_size
        t0 = time.perf_counter()
        n = sum(1 for r in read_inputs([str(path)], settings) if r.data)
        dt = time.perf_counter() - t0
    own, _ = peak_rss_mib()
    print(
        f"WARC: {n} records ({size / 2**20:.1f} MiB gz) in {dt:.2f} s = {n / dt:.0f} records/s, "
        f"peak RSS main {own:.0f} MiB"
    )
    shared_worker().stop()


if __name__ == "__main__":
    main()
