"""Quality gate: extraction scored on labelled pages must not fall below pinned floors.

Four folders are scored with ``../shared/score.py``: the real gold pages (``../shared/gold``)
and three invented development sets labelled by the same rules (``tests/data/devset``: wire
stories and blog reposts; ``tests/data/devset2``: forum threads, live blogs, press releases,
interviews, op-eds, syndication pages; ``tests/data/devset3``: labelled without running the
extractor), which guard against rules that fit only the gold pages. The floors in
``tests/data/gate_floors.json`` only ever go up: raise them when extraction improves
(``claimledger eval FOLDER --scorer ../shared/score.py --json`` prints the figures).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import GOLD, ROOT, SHARED, unavailable

pytestmark = pytest.mark.requires_shared

FLOORS = json.loads((ROOT / "tests" / "data" / "gate_floors.json").read_text())
FOLDERS = {
    "gold": GOLD,
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


# --- Russian and Ukrainian: ../shared/dev-ru (four Russian and two Ukrainian real pages) -------------
# Kept apart from gate_floors.json so that the English floors and these change independently.
DEV_RU = SHARED / "dev-ru"
DEV_RU_FLOORS = {  # measured 0.967 / 1.0 / 1.0 / 1.0 / 0.967 / 1.0 / 1.0
    "quotes_attributed_f1": 0.96,
    "numbers_claimed_f1": 0.99,
    "quotes": 0.99,
    "numbers": 0.99,
    "speaker_acc": 0.96,
    "anonymous_sources": 0.99,
    "number_value_acc": 0.99,
}


@pytest.fixture(scope="module")
def dev_ru_figures(tmp_path_factory):
    from claimledger import extract_many

    if not DEV_RU.is_dir():
        unavailable(f"needs {DEV_RU} (labelled Russian and Ukrainian pages)")
    pred = tmp_path_factory.mktemp("gate") / "dev-ru.jsonl"
    with pred.open("w", encoding="utf-8") as fh:
        for doc in extract_many((str(p), p.read_bytes()) for p in sorted(DEV_RU.glob("*.txt"))):
            fh.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
    res = subprocess.run(
        [sys.executable, str(SHARED / "score.py"), str(DEV_RU), str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(res.stdout)


@pytest.mark.parametrize("key", sorted(DEV_RU_FLOORS))
def test_dev_ru_figure_at_or_above_floor(dev_ru_figures, key):
    got = dev_ru_figures[key]
    floor = DEV_RU_FLOORS[key]
    assert _value(got) >= floor, f"dev-ru {key} = {got} fell below the floor {floor}"
