"""Throughput of ``claimledger.extract_many`` against bare spaCy ``nlp.pipe`` on the same texts.

Texts are news-length pages (about 500–900 words) assembled from the paragraphs of the
bundled examples in a seeded random order, so every run measures the same corpus. Both
sides use the same pipeline package; bare spaCy runs its full pipeline on whole texts.
The pages repeat a few dozen paragraphs, so extraction must not cache parses across documents:
the ratio would then measure the cache, not the work done on a page.

    python bench/throughput.py [--docs 300] [--batch 16] [--pages DIR]

Prints docs/s and tokens/s of each and the ratio (claimledger / spaCy; > 1 is faster), in wall-clock
time and in this process's CPU time (steadier on a machine shared with other work).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import example_paragraphs, sample_article

from claimledger import extract_many
from claimledger.nlp.load import load_pipeline
from claimledger.settings import Settings


def corpus(n: int, seed: int = 7) -> list[str]:
    paras = example_paragraphs()
    rng = random.Random(seed)
    return ["\n".join(sample_article(rng, paras)) + "\n" for _ in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--pages", type=Path, help="use the .txt pages of this folder (repeated) instead")
    args = ap.parse_args()
    if args.pages:
        pages = [p.read_text(encoding="utf-8") for p in sorted(args.pages.glob("*.txt"))]
        texts = [pages[i % len(pages)] for i in range(args.docs)]
    else:
        texts = corpus(args.docs)
    settings = Settings(batch_size=args.batch)
    bare = spacy.load(settings.pipeline)
    ours = load_pipeline(settings)
    tokens = sum(len(d) for d in bare.tokenizer.pipe(texts))
    words = sum(len(t.split()) for t in texts)
    # Warm both up so that neither pays first-call costs in the measurement.
    list(bare.pipe(texts[:8]))
    list(extract_many([(str(i), t) for i, t in enumerate(texts[:8])], settings, ours))

    t0, c0 = time.perf_counter(), time.process_time()
    for _ in bare.pipe(texts, batch_size=args.batch):
        pass
    t_bare, c_bare = time.perf_counter() - t0, time.process_time() - c0

    t0, c0 = time.perf_counter(), time.process_time()
    docs = list(extract_many([(str(i), t) for i, t in enumerate(texts)], settings, ours))
    t_ours, c_ours = time.perf_counter() - t0, time.process_time() - c0
    assert all(d.status == "ok" for d in docs)
    quotes = sum(len(d.quotes) for d in docs)
    numbers = sum(len(d.numbers) for d in docs)

    print(f"corpus: {len(texts)} texts, {words:,} words, {tokens:,} tokens (avg {words // len(texts)} words)")
    print(
        f"spaCy nlp.pipe (full pipeline): {t_bare:7.2f} s  {len(texts) / t_bare:7.1f} docs/s  "
        f"{tokens / t_bare:9,.0f} tokens/s"
    )
    print(
        f"claimledger extract_many:       {t_ours:7.2f} s  {len(texts) / t_ours:7.1f} docs/s  "
        f"{tokens / t_ours:9,.0f} tokens/s  ({quotes:,} quotes, {numbers:,} numbers)"
    )
    print(f"ratio (claimledger / spaCy): {t_bare / t_ours:.2f}x")
    print(f"CPU time: spaCy {c_bare:.2f} s, claimledger {c_ours:.2f} s, ratio {c_bare / c_ours:.2f}x")


if __name__ == "__main__":
    main()
