"""Settings are checked where they are made: a bad type or range is one clear line and exit 2."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields, replace

import pytest
from click.testing import CliRunner

from claimledger.cli import cli
from claimledger.settings import Settings, SettingsError

#: (variable, value, words the message must hold about what is allowed)
BAD_ENV = [
    ("CLAIMLEDGER_MAX_INPUT_BYTES", "abc", "whole number >= 0"),
    ("CLAIMLEDGER_MAX_INPUT_BYTES", "-1", "whole number >= 0"),
    ("CLAIMLEDGER_MAX_DECODED_BYTES", "-5", "whole number >= 0"),
    ("CLAIMLEDGER_WEB_MAX_BODY_BYTES", "1.5", "whole number >= 0"),
    ("CLAIMLEDGER_MAX_UNIT_CHARS", "0", "whole number >= 1"),
    ("CLAIMLEDGER_BATCH_SIZE", "0", "whole number >= 1"),
    ("CLAIMLEDGER_PARTITION_BYTES", "0", "whole number >= 1"),
    ("CLAIMLEDGER_MAX_DECOMPRESSION_RATIO", "0", "whole number >= 1"),
    ("CLAIMLEDGER_FETCH_MAX_REDIRECTS", "-1", "whole number >= 0"),
    ("CLAIMLEDGER_FETCH_URLS", "maybe", "boolean"),
    ("CLAIMLEDGER_FETCH_ALLOW_PRIVATE", "2", "boolean"),
    ("CLAIMLEDGER_DOC_TIMEOUT_S", "-1", "finite number above 0"),
    ("CLAIMLEDGER_DOC_TIMEOUT_S", "0", "finite number above 0"),
    ("CLAIMLEDGER_FETCH_TIMEOUT_S", "nan", "finite number above 0"),
    ("CLAIMLEDGER_WEB_SQL_TIMEOUT_S", "inf", "finite number above 0"),
]


@pytest.mark.parametrize(("var", "value", "allowed"), BAD_ENV)
def test_bad_environment_value_names_the_variable_the_value_and_what_is_allowed(var, value, allowed):
    with pytest.raises(SettingsError) as info:
        Settings.from_env({var: value})
    message = str(info.value)
    assert message.startswith("CL-E013: ") and var in message and repr(value) in message
    assert allowed in message
    assert info.value.name == var and info.value.value == value


@pytest.mark.parametrize(("var", "value", "allowed"), BAD_ENV)
def test_cli_refuses_a_bad_setting_with_one_line_and_exit_2(var, value, allowed, tmp_path):
    page = tmp_path / "one.txt"
    page.write_text("The mayor said 12 families had left.\n")
    res = CliRunner().invoke(cli, ["extract", str(page)], env={var: value})
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr
    assert lines[0].startswith("claimledger: CL-E013: ") and var in lines[0] and allowed in lines[0]
    assert res.stdout == ""


@pytest.mark.parametrize("command", [["quotes"], ["load", "."], ["track", "flood-displacement"]])
def test_every_command_checks_the_settings_first(command, tmp_path):
    res = CliRunner().invoke(
        cli, [*command, "--db", str(tmp_path / "l.db")], env={"CLAIMLEDGER_MAX_INPUT_BYTES": "-1"}
    )
    assert res.exit_code == 2 and "CLAIMLEDGER_MAX_INPUT_BYTES" in res.stderr
    assert not (tmp_path / "l.db").exists()  # refused before any work


@pytest.mark.parametrize(
    "change",
    [
        {"max_unit_chars": 0},
        {"max_input_bytes": -1},
        {"max_text_chars": -3},
        {"batch_size": 0},
        {"doc_timeout_s": float("nan")},
        {"fetch_timeout_s": 0.0},
        {"max_input_bytes": "10"},
        {"max_input_bytes": True},
        {"fetch_urls": "yes"},
        {"pipeline": 3},
    ],
)
def test_settings_made_in_python_are_checked_too(change):
    ((name, value),) = change.items()
    with pytest.raises(SettingsError, match=f"CL-E013: {name}=") as info:
        Settings(**change)
    assert info.value.name == name and info.value.value is value
    with pytest.raises(SettingsError):
        replace(Settings(), **change)


def test_good_values_and_edges_are_accepted():
    s = Settings.from_env(
        {
            "CLAIMLEDGER_MAX_INPUT_BYTES": "0",
            "CLAIMLEDGER_MAX_UNIT_CHARS": "1",
            "CLAIMLEDGER_FETCH_URLS": "Off",
            "CLAIMLEDGER_DOC_TIMEOUT_S": "0.5",
            "CLAIMLEDGER_WEB_TOKEN": "",
        }
    )
    assert (s.max_input_bytes, s.max_unit_chars, s.fetch_urls, s.doc_timeout_s) == (0, 1, False, 0.5)
    assert Settings(doc_timeout_s=5).doc_timeout_s == 5  # an int of seconds is a number of seconds
    for f in fields(Settings):  # every default passes its own check
        assert getattr(Settings(), f.name) == f.default


def test_unit_cutting_cannot_loop_forever_below_one_character():
    """``make_units`` with a limit of 0 (which Settings refuses) still ends: run apart, with a timeout."""
    code = (
        "import resource\n"  # a loop that appends forever fails fast on memory instead of filling it
        "resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n"
        "import spacy\n"
        "from spacy.pipeline import Sentencizer\n"
        "from claimledger.units import make_units\n"
        "nlp = spacy.blank('en')\n"
        "text = 'The mayor said 12 families had left.'\n"
        "units = make_units(nlp, Sentencizer(), text, [(0, len(text))], [], 0)\n"
        "print(len(units))\n"
    )
    try:
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("make_units with max_chars=0 did not end")
    assert res.returncode == 0, res.stderr
    assert int(res.stdout) == len("The mayor said 12 families had left.")


def test_track_chart_in_a_missing_folder_is_a_usage_error(tmp_path):
    target = tmp_path / "no" / "dir" / "c.svg"
    res = CliRunner().invoke(
        cli, ["track", "flood-displacement", "--chart", str(target), "--db", str(tmp_path / "l.db")]
    )
    assert res.exit_code == 2, res.output
    assert "does not exist" in res.stderr and "Traceback" not in res.output
    assert not (tmp_path / "no").exists() and not (tmp_path / "l.db").exists()
