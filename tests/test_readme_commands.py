"""The README is the manual: every command and every option a user can type is in it."""

from __future__ import annotations

import re

from conftest import ROOT
from misti_data.cli import cli


def test_every_command_is_documented_with_its_options():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert re.search(rf"misti-data {name}\b", readme), f"`misti-data {name}` is not in the README"
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, f"{name} {opt} is not in the README"
