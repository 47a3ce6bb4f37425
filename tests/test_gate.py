"""Quality gate: extraction scored on labelled pages must not fall below pinned floors.

Six folders are scored with ``../shared/score.py``: the real pages (``../shared/gold``; 16
English pages of wire, blogs with commentary, forum, NGO and UN in ``../shared/dev-en``; six
Russian and Ukrainian pages in ``../shared/dev-ru``) and three invented development sets
labelled by the same rules (``tests/data/devset``: wire stories and blog reposts;
``tests/data/devset2``: forum threads, live blogs, press releases, interviews, op-eds,
syndication pages; ``tests/data/devset3``: labelled without running the extractor). The real
pages judge a change; the invented ones guard against rules that fit only those. The floors in
``tests/data/gate_floors.json`` only ever go up: raise them when extraction improves
(``claimledger eval FOLDER --scorer ../shared/score.py --json`` prints the figures).

PolNeAR (``../shared/polnear-train``, real US news labelled with attribution relations by
others) is scored on a fixed sample of its first articles by ``../shared/polnear.py``: its
speech-cue attribution F1 has a floor of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GOLD, ROOT, SHARED, unavailable

pytestmark = pytest.mark.requires_shared

FLOORS = json.loads((ROOT / "tests" / "data" / "gate_floors.json").read_text())
FOLDERS = {
    "gold": GOLD,
    "dev-en": SHARED / "dev-en",
    "dev-ru": SHARED / "dev-ru",
    "devset": ROOT / "tests" / "data" / "devset",
    "devset2": ROOT / "tests" / "data" / "devset2",
    "devset3": ROOT / "tests" / "data" / "devset3",
}


@pytest.fixture(scope="module")
def figures(tmp_path_factory, nlp):
    from claimledger import extract_many

    out = {}
    for name, folder in FOLDERS.items():
        pred = tmp_path_factory.mktemp("gate") / f"{name}.jsonl"
        texts = sorted(folder.glob("*.txt"))
        with pred.open("w", encoding="utf-8") as fh:
            for doc in extract_many((str(p), p.read_bytes()) for p in texts):
                fh.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
        res = subprocess.run(
            [sys.executable, str(SHARED / "score.py"), str(folder), str(pred), "--json"],
            capture_output=True,
            text=True,
            check=True,
        )
        out[name] = json.loads(res.stdout)
    return out


def _value(v) -> float:
    if isinstance(v, dict):
        return v["f1"]
    if isinstance(v, str):  # "4/4"
        a, b = v.split("/")
        return int(a) / int(b) if int(b) else 1.0
    return float(v)


@pytest.mark.parametrize(("folder", "key"), [(f, k) for f in sorted(FLOORS) for k in sorted(FLOORS[f])])
def test_figure_at_or_above_floor(figures, folder, key):
    got = figures[folder][key]
    assert _value(got) >= FLOORS[folder][key], (
        f"{folder} {key} = {got} fell below the floor {FLOORS[folder][key]}"
    )


# --- PolNeAR: the first POLNEAR_ARTICLES articles of its train compartment, in file-name order ---
POLNEAR_ARTICLES = 100
POLNEAR_SPEECH_F1 = 0.76  # measured 0.769 (all 840 articles: 0.745)


@pytest.fixture(scope="module")
def polnear(tmp_path_factory):
    scorer = SHARED / "polnear.py"
    if not (SHARED / "polnear-train").is_dir() or not scorer.is_file():
        unavailable(f"needs {SHARED / 'polnear-train'} and {scorer}")
    out = tmp_path_factory.mktemp("gate") / "polnear.json"
    cli = Path(sys.executable).with_name("claimledger")
    cmd = [sys.executable, str(scorer), "--claimledger", str(cli), "--limit", str(POLNEAR_ARTICLES)]
    subprocess.run([*cmd, "--json", str(out)], capture_output=True, text=True, check=True)
    return json.loads(out.read_text())


def test_polnear_speech_cue_attribution_at_or_above_floor(polnear):
    got = polnear["speech_attribution"]
    assert polnear["docs"] == POLNEAR_ARTICLES
    assert got["f1"] >= POLNEAR_SPEECH_F1, f"PolNeAR speech-cue attribution {got} is below the floor"
