"""Extraction cost against text size: it should grow linearly.

Prose is built from the paragraphs of the bundled examples in a seeded order (one paragraph per
line) at sizes from 10 KB to 1 MB; each size is one document. Then dense inputs that once cost far
more per KB: runs of punctuation without spaces, bare numbers and one-quote lines.

    python bench/scaling.py [--max-kb 1024] [--no-dense]

Prints, per input, KB, wall and CPU seconds, CPU ms per KB and, for prose, the ratio of its ms/KB
to the 10 KB figure (linear cost keeps it near 1). CPU time is the figure to read on a busy
machine: wall time there includes waiting for a core.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import example_paragraphs

from claimledger import extract_many
from claimledger.nlp.load import load_pipeline
from claimledger.settings import Settings

PROSE_KB = (10, 20, 40, 80, 160, 320, 640, 1024)


def prose(kb: int, seed: int = 3) -> str:
    """About ``kb`` KB of example paragraphs, one per line."""
    paras = example_paragraphs()
    rng = random.Random(seed)
    out, size = [], 0
    while size < kb * 1024:
        para = rng.choice(paras)
        out.append(para)
        size += len(para) + 1
    return "\n".join(out) + "\n"


def dense() -> list[tuple[str, str]]:
    """Inputs that are cheap to write and were expensive to extract."""
    return [
        ('8 KB of "', '"' * 8_000),
        ("100 KB of '\"", "'\"" * 50_000),
        ("100k (", "(" * 100_000),
        ("100k “", "\u201c" * 100_000),
        ("20,000 bare numbers", " ".join(str(1_000 + 37 * i) for i in range(20_000)) + "\n"),
        ("4,000 one-quote lines", "".join(f"“We will stay,” said resident {i}.\n" for i in range(4_000))),
    ]


def measure(text: str, settings: Settings, nlp) -> tuple[float, float, str]:
    wall, cpu = time.perf_counter(), time.process_time()
    (doc,) = extract_many([("bench", text)], settings, nlp)
    return time.perf_counter() - wall, time.process_time() - cpu, doc.status


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-kb", type=int, default=1024, help="largest prose size (KB)")
    ap.add_argument("--no-dense", action="store_true", help="prose only")
    args = ap.parse_args()
    settings = Settings(doc_timeout_s=3600.0)  # measure the work, never cut it short
    nlp = load_pipeline(settings)
    list(extract_many([("warm-up", prose(4))], settings, nlp))

    print(f"{'input':<24} {'KB':>7} {'wall s':>8} {'cpu s':>8} {'ms/KB':>7} {'ratio':>6}  status")
    base = None
    for kb in (k for k in PROSE_KB if k <= args.max_kb):
        text = prose(kb)
        wall, cpu, status = measure(text, settings, nlp)
        size = len(text.encode()) / 1024
        per_kb = cpu * 1000 / size
        base = base or per_kb
        print(
            f"{'prose':<24} {size:7.0f} {wall:8.2f} {cpu:8.2f} {per_kb:7.1f} {per_kb / base:6.2f}  {status}",
            flush=True,
        )
    if args.no_dense:
        return
    for name, text in dense():
        wall, cpu, status = measure(text, settings, nlp)
        size = len(text.encode()) / 1024
        per_kb = cpu * 1000 / size
        print(f"{name:<24} {size:7.0f} {wall:8.2f} {cpu:8.2f} {per_kb:7.1f} {'':>6}  {status}", flush=True)


if __name__ == "__main__":
    main()
