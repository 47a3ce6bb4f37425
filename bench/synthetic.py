"""Synthetic extracted documents for ledger benchmarks and crash tests (no NLP involved).

Each document looks like an extracted news page: ~400 words of text, a headline, body and
commentary sections, four speakers drawn from a shared pool of names (so that speakers resolve
across documents), eight quotes, eight numbers and one anonymous source.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from pathlib import Path

from claimledger.model import (
    AnonymousSource,
    Claimant,
    Document,
    NumberClaim,
    Quote,
    Section,
    Speaker,
)

_WORDS = (
    "officials said the shelling continued overnight as families fled toward the border while aid "
    "groups warned that supplies were running low in the besieged town and hospitals struggled to "
    "treat the wounded after days of fighting near the river crossing and the railway station"
).split()
# A Zipf-distributed vocabulary of 20,000 word forms, so that full-text queries select a realistic
# share of documents (a rare word matches few pages, a common one many).
_VOCAB = _WORDS + [
    f"{a}{b}{c}"
    for a in ("ka", "lo", "mi", "su", "te", "ra", "no", "vi", "de", "po")
    for b in ("ren", "dal", "mok", "sit", "val", "bor", "nek", "lum", "tar", "gis")
    for c in range(200)
]
_WEIGHTS = [1 / (rank + 1) for rank in range(len(_VOCAB))]
_CUM = list(itertools.accumulate(_WEIGHTS))
_FIRST = ["Alexei", "Maria", "Olena", "Dmitri", "Irina", "Pavel", "Anna", "Sergei", "Yulia", "Ivan"]
_LAST = [
    f"{a}{b}"
    for a in ("Kor", "Vel", "Mar", "Tal", "Dro", "Sev", "Lin", "Bar", "Kas", "Ost")
    for b in ("enko", "ov", "ak", "in", "ski", "ets", "uk", "an", "ich", "ev")
]
_CATEGORIES = ["killed", "wounded", "refugees", "troops", "casualties", "money", "other"]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(_VOCAB, cum_weights=_CUM, k=n)).capitalize() + "."


def make_document(i: int, seed: int = 0) -> Document:
    rng = random.Random(seed * 1_000_003 + i)
    headline = f"Report {i}: " + _sentence(rng, 8).rstrip(".")
    paras = [" ".join(_sentence(rng, rng.randint(12, 24)) for _ in range(3)) for _ in range(6)]
    comment = _sentence(rng, 20)
    text = "\n".join([headline, *paras, comment]) + "\n"
    doc = Document(
        id=hashlib.sha256(text.encode()).hexdigest(),
        source=f"synthetic/{seed}/{i}.txt",
        text=text,
        title=headline,
        published=f"2030-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    )
    body_end = len(headline) + 1 + len("\n".join(paras))
    doc.sections = [
        Section("headline", 0, len(headline), headline),
        Section("body", len(headline) + 1, body_end, text[len(headline) + 1 : body_end]),
        Section("commentary", body_end + 1, len(text) - 1, comment),
    ]
    people = [
        Speaker(f"s{k + 1}", f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", "person", role="official")
        for k in range(3)
    ]
    anon = Speaker("s4", None, "anonymous", description="a senior official")
    doc.speakers = [*people, anon]
    starts = sorted(rng.sample(range(len(headline) + 1, body_end - 60), 16))
    for k, a in enumerate(starts[:8]):
        sp = doc.speakers[k % 4]
        sp.mentions.append((a, a + 5))
        doc.quotes.append(
            Quote(text[a : a + 50], a, a + 50, "direct" if k % 2 else "indirect", "said", sp, "body")
        )
    for k, a in enumerate(starts[8:]):
        low = float(rng.randint(1, 90_000))
        sp = doc.speakers[k % 4] if k % 3 else None
        doc.numbers.append(
            NumberClaim(
                text[a : a + 6],
                a,
                a + 6,
                low,
                low if k % 2 else None,
                bool(k % 2),
                None,
                text[a + 7 : a + 30],
                rng.choice(_CATEGORIES),
                Claimant(sp.type if sp else "article", sp),
                None,
                "body",
            )
        )
    doc.anonymous_sources = [
        AnonymousSource(
            "s4", "a senior official", "they were not authorised to speak", starts[3], starts[3] + 10
        )
    ]
    return doc


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def example_paragraphs() -> list[str]:
    """The longer paragraphs of the bundled English example articles (the project's own invented
    text; the Russian and Ukrainian ones are left out, so that English pages stay English)."""
    from claimledger.cyrillic import detect_language

    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    return [
        line
        for text in texts
        if detect_language(text) == "en"
        for line in text.splitlines()
        if len(line.split()) > 12
    ]


def sample_article(rng: random.Random, paras: list[str]) -> list[str]:
    """Paragraphs drawn from ``paras`` until the article has 500–900 words (a news-length page)."""
    words, chosen = 0, []
    target = rng.randint(500, 900)
    while words < target:
        para = rng.choice(paras)
        chosen.append(para)
        words += len(para.split())
    return chosen
