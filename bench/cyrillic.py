"""Throughput of Russian and Ukrainian extraction: pages of about 300 words per second, one process.

Pages are assembled from the paragraphs of the bundled invented Russian or Ukrainian example
articles (``examples/*-ru-*.txt``, ``*-uk-*.txt``) in a seeded random order, each opened by a
headline line of varying length, so that no two pages share their sentence offsets (the Russian
parser caches sentences by text and offset, and a repeated page would only measure the cache).

    python bench/cyrillic.py [--lang ru|uk] [--pages 100] [--words 300]

Prints pages/s and words/s (wall clock and CPU time) after a warm-up page (models load once per
process, ~1–2 s).
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from claimledger import extract_many
from claimledger.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def paragraphs(lang: str) -> list[str]:
    out: list[str] = []
    for path in sorted(EXAMPLES.glob(f"*-{lang}-*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        out.extend(lines[2:])  # without the headline and the dateline
    if not out:
        raise SystemExit(f"no example articles for {lang!r} in {EXAMPLES}")
    return out


def pages(lang: str, n: int, words: int, seed: int = 7) -> list[str]:
    paras = paragraphs(lang)
    rng = random.Random(seed)
    head = "Новости дня" if lang == "ru" else "Новини дня"
    out = []
    for i in range(n):
        lines = [f"{head} {i}: " + "!" * rng.randint(0, 40)]
        count = 0
        while count < words:
            p = rng.choice(paras)
            lines.append(p)
            count += len(p.split())
        out.append("\n".join(lines) + "\n")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", choices=("ru", "uk"), default="ru")
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--words", type=int, default=300, help="about this many words per page")
    args = ap.parse_args()
    texts = pages(args.lang, args.pages + 1, args.words)
    settings = Settings()
    t0 = time.perf_counter()
    list(extract_many([("warm-up", texts[0])], settings))  # loads the models
    warm = time.perf_counter() - t0
    texts = texts[1:]
    words = sum(len(t.split()) for t in texts)
    t0, c0 = time.perf_counter(), time.process_time()
    docs = list(extract_many([(str(i), t) for i, t in enumerate(texts)], settings))
    spent, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert all(d.language == args.lang for d in docs), {d.language for d in docs}
    quotes = sum(len(d.quotes) for d in docs)
    numbers = sum(len(d.numbers) for d in docs)
    avg = words // len(texts)
    print(f"{args.lang}: {len(texts)} pages, {words:,} words (avg {avg}); first page {warm:.2f} s")
    print(
        f"extract_many: {spent:6.2f} s  {len(texts) / spent:6.1f} pages/s  {words / spent:8,.0f} words/s  "
        f"({quotes:,} quotes, {numbers:,} numbers)"
    )
    # CPU time, for a machine shared with other work (numpy may use a second thread: then CPU > wall).
    print(f"CPU time:     {cpu:6.2f} s  {len(texts) / cpu:6.1f} pages per CPU second")


if __name__ == "__main__":
    main()
