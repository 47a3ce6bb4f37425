"""Docs that cannot drift: every CLI command, option and setting is in the README or docs/."""

from __future__ import annotations

from dataclasses import fields

import pytest

from claimledger.cli import cli
from claimledger.settings import Settings
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = "\n".join([README, *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))])


def test_readme_opens_with_the_two_setup_commands():
    block = README.split("```sh", 1)[1].split("```", 1)[0].split()
    assert block == ["make", "demo", "make", "test"]


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_documented(name):
    assert f"claimledger {name}" in DOCS


@pytest.mark.parametrize(
    ("command", "option"),
    [(n, o) for n, c in sorted(cli.commands.items()) for p in c.params for o in p.opts if o.startswith("--")],
)
def test_every_option_is_documented(command, option):
    assert option in DOCS, f"{command} {option} is not in the README or docs/"


@pytest.mark.parametrize("name", [f.name for f in fields(Settings)])
def test_every_setting_is_documented(name):
    assert f"`{name}`" in DOCS
