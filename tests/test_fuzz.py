"""A short run of the fuzz harness (``bench/fuzz.py``): every reader, decode, the number parser and
extract, on generated hostile inputs, with no finding."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import fuzz


def test_fuzz_harness_finds_nothing(nlp):
    report = fuzz.run(reader_inputs=300, extract_inputs=30, seed_base=7, slow_s=60)
    assert sum(n for t, n in report.runs.items() if t in fuzz.READER_TARGETS) >= 300
    assert report.runs["extract"] >= 30
    assert not report.findings, fuzz.describe(report)


def test_fuzz_harness_reports_the_smallest_input_of_a_finding():
    """The harness itself: a target that breaks on any 'x' is reported with the input 'x'."""
    from hypothesis import strategies as st

    def breaks(text: str) -> None:
        if "x" in text:
            raise KeyError(text)

    report = fuzz.Report()
    fuzz.fuzz(fuzz.Target("toy", st.text(alphabet="abx", min_size=1), breaks), 200, report)
    (finding,) = report.findings.values()
    assert finding.example == "x" and finding.what.startswith("KeyError at ")
    assert report.runs["toy"] >= 1
