"""Quality gate: extraction over the gold pages, scored, must not fall below pinned floors.

The floors in ``tests/data/gate_floors.json`` only ever go up: raise them when extraction
improves (``claimledger eval ../shared/gold --json`` prints the figures).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import GOLD, ROOT, SHARED

FLOORS = json.loads((ROOT / "tests" / "data" / "gate_floors.json").read_text())


@pytest.fixture(scope="module")
def figures(tmp_path_factory, nlp):
    from claimledger import extract_many

    if not (SHARED / "score.py").is_file():
        pytest.fail(f"the gold pages and scorer are expected at {SHARED}")
    pred = tmp_path_factory.mktemp("gate") / "pred.jsonl"
    texts = sorted(GOLD.glob("*.txt"))
    with pred.open("w", encoding="utf-8") as fh:
        for doc in extract_many((str(p), p.read_bytes()) for p in texts):
            fh.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
    out = subprocess.run(
        [sys.executable, str(SHARED / "score.py"), str(GOLD), str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def _value(figures: dict, key: str) -> float:
    v = figures[key]
    if isinstance(v, dict):
        return v["f1"]
    if isinstance(v, str):  # "4/4"
        a, b = v.split("/")
        return int(a) / int(b) if int(b) else 1.0
    return float(v)


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_gold_figure_at_or_above_floor(figures, key):
    assert _value(figures, key) >= FLOORS[key], f"{key} = {figures[key]} fell below the floor {FLOORS[key]}"
