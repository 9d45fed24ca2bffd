"""Issue 17: one output pipeline. Every command's result goes through `emit`: the formats each
offers, the one verdict key `ok` in JSON, and the formats new to diff, version and ci."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import click
import pytest

from minipkg import ROWS, write_package
from misti_data.cli import cli
from misti_data.render import REPORT_FORMATS


@pytest.fixture
def pkgs(tmp_path, monkeypatch):
    """old; new (a row added, version not bumped: version --check fails); dup (a key repeats)."""
    monkeypatch.chdir(tmp_path)
    write_package(tmp_path / "old")
    write_package(tmp_path / "new", ROWS + [{"area": "KH", "year": 2026, "value": 14, "note": ""}])
    write_package(tmp_path / "dup", ROWS + [dict(ROWS[0], value=11)])
    return tmp_path


def test_every_command_offers_text_and_json():
    offered = {
        name: next(p for p in command.params if p.name == "fmt").type.choices
        for name, command in cli.commands.items()
    }
    assert all({"text", "json"} <= set(formats) for formats in offered.values()), offered
    assert {name for name, formats in offered.items() if "markdown" in formats} == {
        "validate",
        "diff",
        "version",
        "ci",
    }
    assert {name for name, formats in offered.items() if "junit" in formats} == {
        "validate",
        "diff",
        "version",
        "ci",
    }
    assert offered == {name: tuple(REPORT_FORMATS[name]) for name in offered}


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["validate", "dup"], 1),
        (["validate", "old"], 0),
        (["diff", "old", "new"], 0),
        (["diff", "old", "new", "--exit-code"], 1),
        (["diff", "old", "dup"], 1),
        (["version", "old", "new"], 0),
        (["version", "--check", "old", "new"], 1),
        (["ci", "new", "--base", "old"], 1),
        (["ci", "old", "--base", "old"], 0),
        (["export", "dup", "--out", "x"], 1),
        (["stamp", "old"], 0),
        (["checks"], 0),
    ],
)
def test_json_says_ok_exactly_when_the_command_exits_0(run, pkgs, args, code):
    result = run(*args, "--format", "json")
    assert result.exit_code == code, result.output
    assert json.loads(result.stdout)["ok"] is (code == 0)


def test_diff_github_annotates_each_problem(run, pkgs):
    *annotations, totals = run("diff", "old", "dup", "--format", "github").stdout.splitlines()
    assert annotations == [
        "::error file=dup/datapackage.json,title=diff-duplicate-key::new: 2 rows share a primary key, "
        "e.g. {'area': 'KH', 'year': 2024}; rows compared as a multiset"
    ]
    assert totals == "1 resource changed, 1 row added, 0 removed, 0 changed, 1 problem"


def test_diff_junit_fails_the_resource_whose_rows_were_not_compared(run, pkgs):
    root = ET.fromstring(run("diff", "old", "dup", "--format", "junit").stdout)
    assert (root.get("name"), root.get("tests"), root.get("failures")) == (
        "misti-data diff",
        "1",
        "1",
    )
    assert [c.get("name") for c in root.iter("testcase")] == ["diff-duplicate-key"]
    clean = ET.fromstring(run("diff", "old", "new", "--format", "junit").stdout)
    assert (clean.get("tests"), clean.get("failures")) == ("1", "0")


def test_version_check_in_markdown_github_and_junit(run, pkgs):
    md = run("version", "--check", "old", "new", "--format", "markdown").stdout
    assert md.startswith(
        "### ❌ misti-data version check failed: MINOR bump: 1.0.0 → 1.1.0 (1 change)\n"
    )
    assert "- ❌ datapackage.json says 1.0.0; figures: 1 row added (MINOR): use 1.1.0" in md
    gh = run("version", "--check", "old", "new", "--format", "github").stdout.splitlines()
    assert gh == [
        "::error file=new/datapackage.json,title=version::datapackage.json says 1.0.0; figures: 1 row added (MINOR): use 1.1.0",
        "version check failed: MINOR bump: 1.0.0 → 1.1.0 (1 change)",
    ]
    root = ET.fromstring(run("version", "--check", "old", "new", "--format", "junit").stdout)
    assert (root.get("tests"), root.get("failures")) == ("1", "1")
    assert (
        root.find(".//failure").text
        == "datapackage.json says 1.0.0; figures: 1 row added (MINOR): use 1.1.0"
    )


def test_ci_junit_has_the_tables_and_the_version(run, pkgs):
    root = ET.fromstring(run("ci", "new", "--base", "old", "--format", "junit").stdout)
    assert [s.get("name") for s in root.iter("testsuite")] == ["figures", "version"]
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
    invalid = ET.fromstring(run("ci", "dup", "--base", "old", "--format", "junit").stdout)
    assert [c.get("name") for c in invalid.iter("testcase")] == ["primary-key", "version"]
    assert (
        invalid.find(".//testcase[@name='version']/skipped") is not None
    )  # no advice while invalid


def test_a_refusal_goes_to_stderr_in_text(run, pkgs):
    result = run("export", "dup", "--out", "x")
    assert (result.exit_code, result.stdout) == (1, "")
    assert click.unstyle(result.stderr).startswith(
        "dup: not exported: the package is invalid (1 error)"
    )
