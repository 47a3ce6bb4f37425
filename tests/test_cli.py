"""The command line: formats, exit codes, stdin, eval."""

from __future__ import annotations

import json

from click.testing import CliRunner

from claimledger.cli import cli
from conftest import EXAMPLES, GOLD, SHARED


def test_extract_jsonl_one_object_per_input_in_order(nlp, tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("“The wells are dry,” said farmer Jonas Ek.\n", encoding="utf-8")
    b.write_text("Officials said about 20 villages were cut off.\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["extract", str(a), str(b)])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [x["source"] for x in lines] == [str(a), str(b)]
    assert lines[0]["quotes"][0]["speaker"]["name"] == "Jonas Ek"


def test_extract_text_format_is_a_readable_ledger(nlp):
    res = CliRunner().invoke(cli, ["extract", str(EXAMPLES / "02-blog-repost.txt"), "--format", "text"])
    assert res.exit_code == 0, res.output
    for heading in ("Sections", "Quotes", "Numbers", "Anonymous sources"):
        assert heading in res.output


def test_extract_json_and_stdin(nlp):
    res = CliRunner().invoke(cli, ["extract", "-", "--format", "json"], input="He said nothing.\n")
    assert res.exit_code == 0, res.output
    docs = json.loads(res.stdout)
    assert docs[0]["source"] == "<stdin>"


def test_failed_documents_exit_3_and_the_rest_is_output(nlp, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Police said 12 people were hurt.\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["extract", str(tmp_path / "missing.txt"), str(good)])
    assert res.exit_code == 3
    out = [json.loads(x) for x in res.stdout.splitlines()]
    assert out[0]["status"] == "failed" and out[0]["errors"][0]["code"] == "CL-E006"
    assert out[1]["status"] == "ok"
    assert "2 document(s): 1 ok, 1 failed — errors: CL-E006×1" in res.stderr


def test_usage_error_exit_2():
    assert CliRunner().invoke(cli, ["extract"]).exit_code == 2


def test_eval_prints_scorer_figures(nlp):
    res = CliRunner().invoke(cli, ["eval", str(GOLD), "--scorer", str(SHARED / "score.py"), "--json"])
    assert res.exit_code == 0, res.output
    figures = json.loads(res.output)
    assert figures["docs_predicted"] == figures["docs"] == len(list(GOLD.glob("*.txt")))
