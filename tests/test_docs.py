"""docs/cli.md is the command reference: each command's `--help`, regenerated, so it cannot drift."""

from __future__ import annotations

import re

from conftest import ROOT
from misti_data.checks import CATALOGUE
from misti_data.cli import cli

DOC = ROOT / "docs" / "cli.md"
CHECKS = re.compile(r"(<!-- checks:start -->\n)(.*?)(<!-- checks:end -->)", re.DOTALL)


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
    assert stale == [], (
        f"docs/cli.md is stale for {stale}; rerun pytest with --update-golden and review"
    )


def test_the_reference_documents_no_command_that_does_not_exist():
    text = DOC.read_text(encoding="utf-8")
    assert sorted(set(re.findall(r"<!-- help:([a-z-]+):start -->", text)) - set(cli.commands)) == []


def test_the_check_table_is_the_catalogue(run, request):
    table = run("checks").stdout
    text = DOC.read_text(encoding="utf-8")
    if request.config.getoption("--update-golden"):
        text = CHECKS.sub(lambda m: m[1] + table + m[3], text)
        DOC.write_text(text, encoding="utf-8")
    assert CHECKS.search(text)[2] == table, (
        "docs/cli.md's check table is stale; rerun pytest with --update-golden"
    )


def test_every_code_is_in_the_reference():
    text = DOC.read_text(encoding="utf-8")
    assert [code for code in CATALOGUE if f"`{code}`" not in text] == []


def test_catalogue_codes_are_kebab_case_with_a_severity():
    raised = r"(error|warning) under profile [a-z-]+"
    for code, (severity, meaning) in CATALOGUE.items():
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", code), code
        # the standard's severity, then what a profile makes of it (or: only a profile reports it)
        assert re.fullmatch(
            rf"(error|warning)(; {raised})*|{raised}(; {raised})* \(not checked otherwise\)",
            severity,
        ), code
        assert meaning.endswith("."), code
