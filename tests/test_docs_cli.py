"""docs/cli.md is the command reference: each command's `--help`, regenerated, so it cannot drift."""

from __future__ import annotations

import re

from conftest import ROOT
from misti_data.cli import cli

DOC = ROOT / "docs" / "cli.md"


def _block(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- help:{name}:start -->\n)(.*?)(<!-- help:{name}:end -->)", re.DOTALL)


def _help(run, *command: str) -> str:
    text = run(*command, "--help").stdout
    return f"```console\n$ misti-data {' '.join(command + ('--help',))}\n{text}```\n"


def test_every_command_has_its_help_in_the_reference(run, request):
    text = DOC.read_text(encoding="utf-8")
    names = sorted(cli.commands)
    missing = [name for name in names if not _block(name).search(text)]
    assert missing == [], f"docs/cli.md has no help block for {missing}"
    if request.config.getoption("--update-golden"):
        for name in names:
            text = _block(name).sub(lambda m, n=name: m[1] + _help(run, n) + m[3], text)
        DOC.write_text(text, encoding="utf-8")
    stale = [name for name in names if _block(name).search(text)[2] != _help(run, name)]
    assert stale == [], f"docs/cli.md is stale for {stale}; rerun pytest with --update-golden and review"


def test_the_reference_documents_no_command_that_does_not_exist():
    text = DOC.read_text(encoding="utf-8")
    assert sorted(set(re.findall(r"<!-- help:([a-z-]+):start -->", text)) - set(cli.commands)) == []
