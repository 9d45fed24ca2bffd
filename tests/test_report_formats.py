"""Every command's report formats: what each offers, the one verdict key `ok` in JSON, validate's
golden files, and the properties each format promises (annotation syntax, JUnit counts, colour)."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET

import click
import pytest
from click.testing import CliRunner

from conftest import PACKAGES, ROWS, write_package
from misti_data.cli import cli
from misti_data.findings import ERROR, WARNING, Finding, Report
from misti_data.render import REPORT_FORMATS, github, junit, markdown, text
from misti_data.validate import validate_package

GOLDEN = PACKAGES.parent / "golden"
FORMATS = REPORT_FORMATS["validate"]
SUFFIX = {"text": "txt", "json": "json", "markdown": "md", "github": "github", "junit": "xml"}
# GitHub's workflow-command syntax: ::level key=value,key=value::message, with `,` and `:` encoded in values.
ANNOTATION = re.compile(
    r"^::(error|warning|notice)( [a-z]+=[^,:\r\n]*(,[a-z]+=[^,:\r\n]*)*)?::[^\r\n]*$"
)


@pytest.fixture
def broken(tmp_path, monkeypatch):
    """The golden package, copied and named by a relative path so reports do not show tmp paths."""
    shutil.copytree(GOLDEN / "broken", tmp_path / "broken")
    monkeypatch.chdir(tmp_path)
    return "broken"


def package_with(tmp_path, case: str) -> str:
    shutil.copytree(PACKAGES / case, tmp_path / case)
    return str(tmp_path / case)


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(fmt, run, broken, golden):
    result = run("validate", broken, "--format", fmt)
    assert result.exit_code == 1
    assert result.stderr == ""
    golden(f"validate.{SUFFIX[fmt]}", result.stdout)


def test_cli_json_is_the_library_report(run, broken):
    result = run("validate", broken, "--format", "json", "--limit", "1")
    assert json.loads(result.stdout) == validate_package(broken).to_dict(limit=1)


def test_junit_parses_and_counts(run, broken):
    root = ET.fromstring(run("validate", broken, "--format", "junit").stdout)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("6", "2")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == ["sources", "indicators", "observations", "datapackage.json"]
    failed = {c.get("name") for c in root.iter("testcase") if c.find("failure") is not None}
    assert failed == {"version-not-semver", "stock-flow-identity"}
    jump = suites["observations"].find("testcase[@name='stock-jump']")
    assert "+27.1 %" in jump.find("system-out").text  # a warning passes but is listed


def test_junit_fails_warnings_under_strict(run, broken):
    root = ET.fromstring(run("validate", broken, "--format", "junit", "--strict").stdout)
    assert root.get("failures") == "4"


def test_github_lines_follow_the_annotation_syntax(run, broken):
    *annotations, summary = run("validate", broken, "--format", "github").stdout.splitlines()
    assert annotations and all(ANNOTATION.match(line) for line in annotations), annotations
    assert summary == "invalid: 2 errors, 2 warnings in 3 tables, 23 rows"
    assert (
        "::error file=broken/data/observations.csv,line=4,col=30,title=stock-flow-identity::"
        in annotations[1] + annotations[2]
    )


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("50%", "50%25", "50%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("row 3, field: x", "row 3, field: x", "row 3%2C field%3A x"),
    ],
)
def test_github_escaping(text, data, prop):
    assert github.escape_data(text) == data
    assert github.escape_property(text) == prop


@pytest.mark.parametrize(
    ("label", "folder"),
    [
        (".", ""),
        ("./pkg/", "pkg"),
        ("pkg/datapackage.json", "pkg"),
        ("datapackage.json", ""),
        ("r/p-1.0.0.zip", None),
    ],
)
def test_github_paths_are_relative_to_the_working_directory(label, folder):
    assert github.package_folder(label) == folder


@pytest.mark.parametrize("path", ["https://example.org/x.csv", "../x.csv", "/etc/passwd"])
def test_github_annotates_an_unsafe_path_on_the_descriptor(path):
    f = Finding("outside-path", ERROR, "not read", resource="x", path=path)
    assert github.annotation(f, "pkg").startswith(
        "::error file=pkg/datapackage.json,title=outside-path::"
    )


def test_github_annotation_inside_an_archive_names_the_file_in_the_message():
    f = Finding(
        "count-not-whole",
        ERROR,
        "1.5 is not whole",
        resource="obs",
        path="data/o.csv",
        row=3,
        field="value",
    )
    assert (
        github.annotation(f, None)
        == "::error title=count-not-whole::data/o.csv: 1.5 is not whole [value]"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_limit_caps_findings_per_check_and_keeps_counts_whole(fmt, run, tmp_path):
    pkg = package_with(tmp_path, "rule-count-not-whole")
    with open(f"{pkg}/data/observations.csv", "a", encoding="utf-8") as f:
        f.write(
            "workers,2024,2024-12-31,KH,10.5,exact,fixture,\nworkers,2023,2023-12-31,KH,9.5,exact,fixture,\n"
        )
    full = run("validate", pkg, "--format", fmt).stdout
    capped = run("validate", pkg, "--format", fmt, "--limit", "1").stdout
    assert full.count("is not a whole number") == 3
    assert capped.count("is not a whole number") == 1
    assert "3 errors" in capped or '"error": 3' in capped


@pytest.mark.parametrize("fmt", FORMATS)
def test_strict_fails_on_warnings_in_every_format(fmt, run, tmp_path):
    pkg = package_with(tmp_path, "rule-stock-jump")
    assert run("validate", pkg, "--format", fmt).exit_code == 0
    strict = run("validate", pkg, "--format", fmt, "--strict")
    assert strict.exit_code == 1
    assert (
        "invalid" in strict.stdout
        or '"ok": false' in strict.stdout
        or 'failures="1"' in strict.stdout
    )


TERMINAL = {
    "NO_COLOR": None,
    "TERM": "xterm-256color",
}  # a terminal that takes colour, whatever runs the tests


def test_text_is_coloured_only_on_a_terminal(broken):
    plain = CliRunner().invoke(cli, ["validate", broken], env=TERMINAL)
    coloured = CliRunner().invoke(cli, ["validate", broken], color=True, env=TERMINAL)
    assert "\x1b[" not in plain.stdout
    assert "\x1b[31m" in coloured.stdout  # red for errors, as on a terminal
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured.stdout) == plain.stdout


def test_markdown_folds_a_long_file():
    found = [
        Finding("count-not-whole", ERROR, f"row {n} | bad", resource="o", path="data/o.csv", row=n)
        for n in range(2, 14)
    ]
    found.append(Finding("stock-jump", WARNING, "jump", resource="o", path="data/p.csv", row=2))
    text = markdown.validate(Report(package="pkg", findings=found, tables={"o": 12}))
    assert "<details><summary><code>data/o.csv</code>: 12 findings shown</summary>" in text
    assert "#### `data/p.csv`" in text  # a short file stays open
    assert "row 2 \\| bad" in text  # a pipe cannot break the table


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        (["validate", "{pkg}"], {}, True),
        (["validate", "{pkg}"], {"NO_COLOR": "1"}, False),  # no-color.org
        (["validate", "{pkg}"], {"TERM": "dumb"}, False),
        (["--color", "never", "validate", "{pkg}"], {}, False),
        (["validate", "{pkg}", "--color", "never"], {}, False),
        (
            ["--color", "always", "validate", "{pkg}"],
            {"NO_COLOR": "1"},
            True,
        ),  # asked for by name: wins over the environment
        (
            ["--color", "never", "validate", "{pkg}", "--color", "always"],
            {},
            True,
        ),  # the command's own option wins
        (["ci", "{pkg}", "--base", "{pkg}"], {"NO_COLOR": "1"}, False),
        (["ci", "{pkg}", "--base", "{pkg}", "--color", "never"], {}, False),
        (["diff", "{pkg}", "{pkg}", "--color", "always"], {}, True),
        (["version", "{pkg}", "{pkg}", "--color", "never"], {}, False),
    ],
)
def test_colour_follows_no_color_term_and_the_option(broken, args, env, coloured):
    """On a terminal (color=True) unless the environment or --color says otherwise."""
    args = [broken if a == "{pkg}" else a for a in args]
    result = CliRunner().invoke(cli, args, color=True, env={**TERMINAL, **env})
    assert result.exit_code in (0, 1), result.output
    assert ("\x1b[" in result.stdout) is coloured


def test_colour_always_when_piped(broken):
    """--color always colours output that is not a terminal too (a CI log that renders ANSI)."""
    result = CliRunner().invoke(cli, ["--color", "always", "validate", broken], env=TERMINAL)
    assert "\x1b[31m" in result.stdout


def test_counts_under_a_file_are_that_files():
    """Two files with one byte-count each: each says 1 error, none says '2 errors, 1 shown'."""
    found = [
        Finding(
            "byte-count", ERROR, f"the file has {n} bytes", resource=name, path=f"data/{name}.csv"
        )
        for n, name in ((10, "a"), (20, "b"))
    ]
    found.append(
        Finding("byte-count", ERROR, "the file has 30 bytes", resource="c", path="data/c.csv")
    )
    found.append(
        Finding("byte-count", ERROR, "the file has 31 bytes", resource="c", path="data/c.csv")
    )
    report = Report(package="pkg", findings=found, tables={"a": 1, "b": 1, "c": 1})
    lines = click.unstyle(text.validate(report, limit=3)).splitlines()
    assert lines[:9] == [
        "data/a.csv",
        "  byte-count (1 error)",
        "    the file has 10 bytes",
        "data/b.csv",
        "  byte-count (1 error)",
        "    the file has 20 bytes",
        "data/c.csv",
        "  byte-count (2 errors, 1 shown)",
        "    the file has 30 bytes",
    ]


def test_no_line_is_printed_twice():
    """Two extra cells in one row are two findings with one message: one line, marked x2."""
    found = [
        Finding(
            "extra-cell",
            ERROR,
            "the row has 11 cells, expected 9",
            resource="o",
            path="data/o.csv",
            row=3,
            cell=c,
        )
        for c in ("extra", "more")
    ]
    report = Report(package="pkg", findings=found, tables={"o": 5})
    assert click.unstyle(text.validate(report)).splitlines()[:3] == [
        "data/o.csv",
        "  extra-cell (2 errors)",
        "    row 3: the row has 11 cells, expected 9 (×2)",
    ]
    assert (
        "| 3 |  | `extra-cell` | the row has 11 cells, expected 9 (×2) |"
        in markdown.validate(report).splitlines()
    )
    assert github.validate(report).splitlines()[0] == (
        "::error file=pkg/data/o.csv,line=3,title=extra-cell::the row has 11 cells, expected 9 (×2)"
    )
    assert len(github.validate(report).splitlines()) == 2  # the annotation and the summary line
    assert junit.validate(report).count("the row has 11 cells") == 1


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
