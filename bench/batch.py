"""Scaling of ``claimledger batch``: docs/s on 1 and 2 worker processes, peak memory per worker.

The corpus is invented news pages (600–900 words by default) assembled from templates: a
headline, a byline and date line, reported paragraphs with direct, indirect and mixed quotes,
named and anonymous sources (with their reasons) and figures ("at least 45", "about a dozen",
"hundreds of"). Pages go into a JSON Lines file as HTML, split into partitions by bytes.

    python bench/batch.py [--pages 2000] [--sizes 1000,4000] [--partition-bytes 1048576] [--work DIR]

Prints, for each run, documents, seconds, docs/s, docs per CPU-second (workers and their HTML
helpers: the per-core rate, unaffected by other jobs on the machine) and the peak RSS of each
worker (measured in the worker: ``ru_maxrss``, recorded per partition in the manifest), then the
1 → 2 speedup.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

# -- an invented world --------------------------------------------------------------------------
_COUNTRIES = ["Oskarra", "Veldan", "Marovia", "Tessaly", "Kaldora", "Brennic Republic"]
_TOWNS = [
    "Lunsk",
    "Corvel",
    "Askevar",
    "Derrow",
    "Pellina",
    "Mossgate",
    "Tarnholm",
    "Vesk",
    "Oranby",
    "Kilrue",
]
_RIVERS = ["Sulva", "Merrin", "Oskel", "Dravna", "Tell"]
_FIRST = [
    "Maren",
    "Tobias",
    "Ilka",
    "Andrei",
    "Sofie",
    "Ruben",
    "Katya",
    "Jonas",
    "Elif",
    "Nadia",
    "Paolo",
    "Greta",
]
_LAST = ["Halvorsen", "Petrakis", "Volkov", "Ardelean", "Brandt", "Okafor", "Lindqvist", "Marchetti", "Novak"]
_ROLES = [
    ("mayor", "of {town}"),
    ("spokeswoman", "for the Interior Ministry"),
    ("spokesman", "for the regional fire service"),
    ("director", "of the {town} General Hospital"),
    ("chairwoman", "of the {town} Farmers' Union"),
    ("head", "of the National Rail Authority"),
    ("economist", "at the University of {town}"),
    ("coordinator", "for the Red Lantern relief network"),
]
_ORGS = [
    "the Interior Ministry",
    "the regional governor's office",
    "the national weather service",
    "the {town} city council",
    "the Health Ministry",
    "the transport workers' union",
]
_ANON = [
    ("a senior official", "she was not authorised to speak to the press"),
    ("a nurse at the hospital", "he feared losing his job"),
    ("two people familiar with the talks", "the negotiations were confidential"),
    ("a police officer", "officers are barred from commenting on open cases"),
    ("a resident of the camp", "she feared reprisals against her family"),
]
_TOPICS = {
    "flood": (
        "Floods on the {river} force {n} from their homes in {town}",
        [
            "Water from the swollen {river} River spilled into low-lying streets of {town} overnight, "
            "cutting power to {n} homes and closing the main bridge.",
            "Rescue crews used boats to reach villages east of {town}, where {vague} families were "
            "waiting on rooftops.",
            "Engineers had warned for years that the embankments, built in {year}, would not hold.",
        ],
    ),
    "strike": (
        "{n} rail workers walk out in {town} as pay talks collapse",
        [
            "Trains between {town} and {town2} stood idle on {day} as members of the transport workers' "
            "union began a strike over wages.",
            "The union is demanding a raise of {pct} percent; the rail authority has offered about half "
            "of that.",
            "Commuters crowded into buses, and {vague} cancelled journeys were reported by midday.",
        ],
    ),
    "hospital": (
        "Hospital in {town} turns away patients as beds run out",
        [
            "The {town} General Hospital stopped admitting non-urgent patients on {day}, saying all of "
            "its {n} beds were full.",
            "Ambulances were diverted to {town2}, a drive of more than two hours on winter roads.",
            "Staff have worked double shifts for {weeks} weeks, and {vague} nurses have resigned since "
            "the autumn.",
        ],
    ),
    "wildfire": (
        "Wildfire near {town} burns {n} hectares, thousands evacuated",
        [
            "A wildfire driven by strong winds spread across the hills north of {town} on {day}, "
            "destroying {vague} houses.",
            "Firefighters from {town2} and three neighbouring districts joined the effort overnight.",
            "Smoke closed the airport for {weeks} days and schools in the valley were shut.",
        ],
    ),
    "budget": (
        "{country} unveils {n}-million budget for reconstruction",
        [
            "The government of {country} presented a reconstruction budget on {day} that it said would "
            "rebuild roads, schools and water stations damaged last year.",
            "Opposition lawmakers said the plan left out {vague} villages in the north.",
            "Prices of building materials have risen by {pct} percent since January.",
        ],
    ),
}
_VAGUE = ["dozens of", "hundreds of", "about a dozen", "several hundred", "scores of", "a handful of"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_QUOTES = [
    "We are doing everything we can, but the situation is changing by the hour",
    "Nobody warned us, and nobody has come back to explain what happened",
    "The money was promised in the spring and we are still waiting for it",
    "I have worked here for {years} years and I have never seen anything like this",
    "If nothing changes by next week, we will have to close for good",
    "People are tired, they are cold and they want answers",
    "This is not a question of money, it is a question of will",
    "We counted {n} families in the school gym last night alone",
]
_CLAUSES = [
    "at least {n} people had been moved to temporary shelters",
    "the damage would take months to repair",
    "talks would resume after the weekend",
    "more than {n} households were still without running water",
    "the figures published by the government were too low",
    "the region needed up to {n} additional workers",
]
_FILLER = [
    "The district has faced similar problems before, though rarely on this scale.",
    "Local radio stations broadcast updates every hour through the night.",
    "Shops in the centre of {town} remained closed, and queues formed outside the only open pharmacy.",
    "The issue has become a test for the new government, which took office in {year}.",
    "Volunteers set up kitchens in church halls and handed out blankets and bottled water.",
    "Residents said the roads out of town were jammed for most of the day.",
    "The last comparable event, in {year}, led to a public inquiry whose findings were never published.",
]


class _Page:
    """One invented article: draws names and numbers from a seeded generator."""

    def __init__(self, i: int, seed: int) -> None:
        self.rng = random.Random(seed * 1_000_003 + i)
        r = self.rng
        self.i = i
        self.town, self.town2 = r.sample(_TOWNS, 2)
        self.country = r.choice(_COUNTRIES)
        self.people = [
            (f"{r.choice(_FIRST)} {r.choice(_LAST)}", *r.choice(_ROLES)) for _ in range(r.randint(2, 4))
        ]
        self.topic = r.choice(sorted(_TOPICS))

    def fill(self, template: str) -> str:
        r = self.rng
        return template.format(
            town=self.town,
            town2=self.town2,
            country=self.country,
            river=r.choice(_RIVERS),
            n=f"{r.choice([12, 45, 120, 300, 1200, 4500, 13000, 80000]):,}",
            vague=r.choice(_VAGUE),
            year=r.randint(1961, 2029),
            years=r.randint(5, 35),
            day=r.choice(_DAYS),
            pct=r.randint(3, 40),
            weeks=r.randint(2, 9),
        )

    def speaker(self) -> tuple[str, str]:
        name, role, aff = self.rng.choice(self.people)
        return name, f"{role} {aff.format(town=self.town)}"

    def paragraph(self) -> str:
        r = self.rng
        kind = r.randrange(6)
        name, desc = self.speaker()
        surname = name.split()[-1]
        if kind == 0:
            q = self.fill(r.choice(_QUOTES))
            return f"“{q},” said {name}, the {desc}. " + self.fill(r.choice(_FILLER))
        if kind == 1:
            q1, q2 = self.fill(r.choice(_QUOTES)), self.fill(r.choice(_QUOTES))
            return f"{name}, the {desc}, told reporters on {r.choice(_DAYS)}: “{q1}. {q2}.”"
        if kind == 2:
            org = self.fill(r.choice(_ORGS))
            return f"{org[0].upper()}{org[1:]} said that {self.fill(r.choice(_CLAUSES))}. " + self.fill(
                r.choice(_FILLER)
            )
        if kind == 3:
            who, why = r.choice(_ANON)
            return (
                f"{who[0].upper()}{who[1:]}, who spoke on condition of anonymity because {why}, said "
                f"{self.fill(r.choice(_CLAUSES))}."
            )
        if kind == 4:
            q = self.fill(r.choice(_QUOTES))
            clause = self.fill(r.choice(_CLAUSES))
            return f"{surname} said the response had been “{q[0].lower()}{q[1:]}” and that {clause}."
        return " ".join(self.fill(t) for t in r.sample(_TOPICS[self.topic][1] + _FILLER, 3))

    def article(self, words: tuple[int, int]) -> dict[str, str]:
        r = self.rng
        title_t, lead = _TOPICS[self.topic]
        title = self.fill(title_t)
        published = f"20{r.randint(28, 30)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        reporter = f"{r.choice(_FIRST)} {r.choice(_LAST)}"
        paras = [f"{self.town.upper()}, {self.country} — " + " ".join(self.fill(t) for t in lead)]
        target = r.randint(*words)
        while sum(len(p.split()) for p in paras) < target:
            paras.append(self.paragraph())
        return {
            "title": title,
            "byline": f"By {reporter}, Meridian Wire",
            "published": published,
            "url": f"https://news.example/{published}/{self.topic}-{self.i}",
            "paragraphs": paras,
        }


def make_article(i: int, seed: int = 0, words: tuple[int, int] = (600, 900)) -> dict[str, str]:
    """An invented news article (title, byline, published, url, paragraphs), the same for (i, seed)."""
    return _Page(i, seed).article(words)


def as_text(a: dict) -> str:
    """The article as a plain-text page: headline, byline, date line, paragraphs."""
    return "\n".join([a["title"], a["byline"], f"Published {a['published']}", *a["paragraphs"]]) + "\n"


def as_html(a: dict) -> str:
    """The article as an HTML page with a little site furniture around it."""
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in a["paragraphs"])
    return (
        f"<!doctype html><html><head><title>{html.escape(a['title'])}</title>"
        f'<meta property="article:published_time" content="{a["published"]}"></head><body>'
        '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        f"<article><h1>{html.escape(a['title'])}</h1>"
        f'<p class="byline">{html.escape(a["byline"])}</p>\n{paras}\n</article>'
        "<footer>© Meridian Wire. Share this story.</footer></body></html>"
    )


def articles(n: int, seed: int = 0, words: tuple[int, int] = (600, 900)) -> Iterator[dict]:
    for i in range(n):
        yield make_article(i, seed, words)


# -- the benchmark --------------------------------------------------------------------------------
def write_jsonl(path: Path, n: int, seed: int = 0) -> int:
    """``n`` HTML pages as JSON Lines; returns the words of article text."""
    words = 0
    with path.open("w", encoding="utf-8") as fh:
        for a in articles(n, seed):
            words += sum(len(p.split()) for p in a["paragraphs"])
            fh.write(json.dumps({"url": a["url"], "html": as_html(a), "published": a["published"]}) + "\n")
    return words


def run(corpus: Path, out: Path, workers: int, partition_bytes: int) -> dict:
    """One ``claimledger batch`` run in a fresh output folder; figures from its manifest."""
    cmd = [
        sys.executable,
        "-m",
        "claimledger.cli",
        "-q",
        "batch",
        str(corpus),
        "--out",
        str(out),
        "--workers",
        str(workers),
        "--partition-bytes",
        str(partition_bytes),
    ]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, check=False, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if res.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stderr}")
    manifest = json.loads((out / "manifest.json").read_text())
    rss: dict[str, float] = {}
    helper: dict[str, float] = {}  # the worker's HTML parser process
    for p in manifest["partitions"]:
        rss[p["worker"]] = max(rss.get(p["worker"], 0.0), p["max_rss_mb"])
        helper[p["worker"]] = max(helper.get(p["worker"], 0.0), p.get("children_rss_mb", 0.0))
    docs = sum(sum(p["documents"].values()) for p in manifest["partitions"])
    cpu = sum(p.get("cpu_seconds", 0.0) for p in manifest["partitions"])
    return {
        "workers": workers,
        "docs": docs,
        "wall_s": wall,
        "docs_per_s": docs / wall,
        "rss_mb": rss,
        "helper_rss_mb": helper,
        "docs_per_cpu_s": docs / cpu if cpu else 0.0,
        "partitions": len(manifest["partitions"]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000, help="pages for the 1- and 2-worker speed runs")
    ap.add_argument("--sizes", default="1000,4000", help="corpus sizes for the memory runs (2 workers)")
    ap.add_argument("--partition-bytes", type=int, default=1024 * 1024)
    ap.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="claimledger-bench-batch-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(f"work folder: {work}; load: {os.getloadavg()[0]:.2f}", flush=True)
    corpora: dict[int, Path] = {}
    for n in sorted({args.pages, *sizes}):
        corpora[n] = work / f"pages-{n}.jsonl"
        words = write_jsonl(corpora[n], n)
        size = corpora[n].stat().st_size
        print(
            f"corpus {n} pages: {words:,} words ({words // n} per page), {size / 2**20:.1f} MiB", flush=True
        )
    results = {}
    for n, w in [(args.pages, 1), (args.pages, 2), *((s, 2) for s in sizes if s != args.pages)]:
        r = run(corpora[n], work / f"out-{n}-{w}", w, args.partition_bytes)
        results[(n, w)] = r
        rss = ", ".join(
            f"{r['rss_mb'][w]:.0f} (+{r['helper_rss_mb'][w]:.0f} HTML helper)" for w in sorted(r["rss_mb"])
        )
        print(
            f"{n:>6} pages, {w} worker(s): {r['docs']} docs in {r['wall_s']:.1f} s "
            f"= {r['docs_per_s']:.2f} docs/s ({r['docs_per_cpu_s']:.2f} docs per CPU-second); "
            f"{r['partitions']} partitions; peak RSS per worker (MB): {rss}; load {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    one, two = results[(args.pages, 1)], results[(args.pages, 2)]
    print(f"speedup 1 -> 2 workers on {args.pages} pages: {two['docs_per_s'] / one['docs_per_s']:.2f}x")
    for n in sizes:
        r = results.get((n, 2))
        if r:
            print(f"peak RSS per worker at {n} pages: max {max(r['rss_mb'].values()):.0f} MB")


if __name__ == "__main__":
    main()
