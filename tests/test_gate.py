"""`misti-data ci`: the data gate, end to end in a temp git repository (base commit + a change)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from conftest import (
    BASE_ROW,
    GAZETTE,
    NEXT_YEAR,
    add_warning,
    append_row,
    copy_shipped,
    git,
    init_repo,
    set_value,
    set_version,
)
from conftest import ROOT as PACKAGE_ROOT

REVISION = dict(
    period_end="2024-12-31",
    indicator_id="clean_water_connections",
    area="KH",
    old_value="1440000",
    new_value="1450000",
    reason="the gazette corrected a typo",
    source_id="test-gazette",
)
GITHUB_LINE = re.compile(
    r"^::(error|warning) (file=[^,:]+(,line=\d+(,col=\d+)?)?,)?title=[^:]+::.+$"
)


@pytest.fixture
def repo(tmp_path, run):
    """A git repository whose HEAD is our package plus one cited 2024 figure, version 1.0.0."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    repo = copy_shipped(tmp_path / "repo")
    shutil.rmtree(repo / "releases", ignore_errors=True)
    append_row(repo / "data/sources.csv", GAZETTE)
    append_row(repo / "data/observations.csv", BASE_ROW)
    set_version(repo, "1.0.0")  # whatever version main has reached, the scenarios start from 1.0.0
    assert run("stamp", repo).exit_code == 0
    return init_repo(repo)


def gate(run, repo, *args):
    return run("ci", repo, "--base", "HEAD", *args)


def test_unchanged_package_passes(run, repo):
    result = gate(run, repo)
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("gate passed")


def test_new_year_with_the_right_version_passes(run, repo, tmp_path):
    append_row(repo / "data/observations.csv", NEXT_YEAR)
    set_version(repo, "1.1.0")
    run("stamp", repo)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    result = gate(run, repo, "--summary", summary)
    assert result.exit_code == 0, result.output
    assert "MINOR bump: 1.0.0 → 1.1.0" in result.stdout
    assert "gate passed" in result.stdout
    md = summary.read_text()
    assert md.startswith("earlier step\n## ✅ misti-data data gate passed")
    assert "needs a **MINOR** bump: 1.0.0 → **1.1.0**; datapackage.json says 1.1.0" in md
    assert "observations: 1 row added" in md


def test_broken_row_fails_and_names_the_row(run, repo):
    path = repo / "data/observations.csv"
    lines = path.read_text().splitlines()
    row = next(i for i, line in enumerate(lines, 1) if line.startswith("water_production,"))
    lines[row - 1] = lines[row - 1].replace(",556000000,", ",556 million,")
    path.write_text("\n".join(lines) + "\n")
    run("stamp", repo)
    result = gate(run, repo, "--format", "github")
    assert result.exit_code == 1, result.output
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert all(GITHUB_LINE.match(a) for a in annotations), annotations
    col = lines[row - 1].index("556 million") + 1
    assert (
        f"::error file={repo}/data/observations.csv,line={row},col={col},title=type-error::"
        in result.stdout
    )
    # A typo is not a correction: no PATCH advice, no revision asked for while the cell does not parse.
    assert "use 1.0.1" not in result.stdout and "unexplained-revision" not in result.stdout
    assert re.fullmatch(
        r"gate failed: 1 validation error, \d+ warnings?; "
        r"no version advice: fix 1 validation error first \(type-error\)",
        result.stdout.splitlines()[-1],
    )


def test_new_year_without_a_version_bump_fails_and_says_which_version(run, repo):
    append_row(repo / "data/observations.csv", NEXT_YEAR)
    run("stamp", repo)
    result = gate(run, repo)
    assert result.exit_code == 1, result.output
    assert (
        "datapackage.json says 1.0.0; observations: 1 row added (MINOR): use 1.1.0" in result.stdout
    )
    assert "gate failed" in result.stdout


def test_unexplained_revision_fails_and_a_reason_fixes_it(run, repo):
    obs = repo / "data/observations.csv"
    set_value(obs, BASE_ROW, "1450000")
    set_version(repo, "1.0.1")
    run("stamp", repo)
    result = gate(run, repo, "--format", "markdown")
    assert result.exit_code == 1, result.output
    assert "unexplained-revision" in result.stdout
    assert "## ❌ misti-data data gate failed" in result.stdout

    append_row(repo / "data/revisions.csv", REVISION)
    set_version(repo, "1.1.0")  # a revisions row is a row added: MINOR
    run("stamp", repo)
    result = gate(run, repo)
    assert result.exit_code == 0, result.output


def test_json_is_the_library_result(run, repo):
    from misti_data.gate import run_gate

    result = gate(run, repo, "--format", "json")
    assert json.loads(result.stdout) == json.loads(json.dumps(run_gate(repo, "HEAD").to_dict()))


def test_bad_base_cannot_run(run, repo):
    result = run("ci", repo, "--base", "no-such-branch")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: git:no-such-branch: no such revision")


def test_a_repository_with_an_absolute_symlink_elsewhere_is_read(run, repo):
    """git:REV archives the whole repository; a fixture's link to /etc must not stop the gate."""
    (repo / "fixtures").mkdir()
    (repo / "fixtures" / "link.csv").symlink_to("/etc/hostname")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a test fixture with an absolute link")
    result = gate(run, repo)
    assert result.exit_code == 0, result.output
    assert (
        not (repo / "fixtures" / "link.csv").resolve().is_relative_to(repo)
    )  # the link is still there, unread


# --- no advice from invalid data ---------------------------------------------------------------


def test_a_typo_in_a_value_is_never_a_revision(run, repo):
    """`3O83` for 3083: a type-error to fix, not a value to explain in the revisions table."""
    from misti_data.checks.revisions import check_revisions
    from misti_data.diff import diff_packages
    from misti_data.package import load_package

    set_value(repo / "data/observations.csv", BASE_ROW, "144OOOO")
    with load_package("git:HEAD", cwd=repo) as old, load_package(repo) as new:
        assert check_revisions(diff_packages(old, new), new) == []
    run("stamp", repo)
    result = run("version", "--check", "HEAD", repo)
    assert result.exit_code == 1
    assert result.stdout == "no version advice: fix 1 validation error first (type-error)\n"


BREAKAGES = {
    # what a new user breaks: (edit of the working copy, the validation error it gives)
    "unclosed quote": (
        lambda repo: _edit_line(
            repo / "data/observations.csv", 5, lambda l: l.replace(",exact,", ',"exact,')
        ),
        "malformed-quote",
    ),
    "empty file": (lambda repo: (repo / "data/indicators.csv").write_text(""), "source-error"),
    "missing file": (lambda repo: (repo / "data/areas.csv").unlink(), "scheme-error"),
    "two extra cells": (
        lambda repo: _edit_line(repo / "data/observations.csv", 3, lambda l: l + ",extra,more"),
        "extra-cell",
    ),
    "mistyped id": (
        lambda repo: _edit_line(
            repo / "data/observations.csv", 3, lambda l: l.replace("large_", "lrage_", 1)
        ),
        "foreign-key",
    ),
}


def _edit_line(path, number, change):
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[number - 1] = change(lines[number - 1])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_broken_data_gets_no_major_bump(run, repo, breakage):
    """Rows that could not be read, or a typo in a key, used to count as removed: "use 2.0.0"."""
    edit, code = BREAKAGES[breakage]
    edit(repo)
    run("stamp", repo)
    result = gate(run, repo)
    assert result.exit_code == 1, result.output
    assert "2.0.0" not in result.stdout and "MAJOR" not in result.stdout
    assert re.search(
        rf"^no version advice: fix \d+ validation errors? first \(.*{code}.*\)$",
        result.stdout,
        re.M,
    ), result.stdout
    check = run("version", "--check", "HEAD", repo)
    assert check.exit_code == 1 and check.stdout.startswith("no version advice: fix ")


@pytest.mark.parametrize(
    "breakage", ["unclosed quote", "empty file", "missing file", "two extra cells"]
)
def test_version_between_unreadable_packages_gives_no_bump(run, repo, breakage, monkeypatch):
    """`version OLD NEW` does not validate, but rows it could not read are still not rows removed."""
    BREAKAGES[breakage][0](repo)
    monkeypatch.chdir(repo)
    result = run("version", "git:HEAD", ".")
    assert result.exit_code == 1
    assert result.stdout.startswith("no version advice: cannot compare "), result.stdout
    assert result.stdout.rstrip().endswith(
        "fix the file first, as rows that could not be read are not rows removed"
    )


def test_strict_warnings_withhold_the_advice_too(run, repo):
    add_warning(repo)
    set_version(repo, "1.1.0")
    run("stamp", repo)
    assert gate(run, repo).exit_code == 0
    result = gate(run, repo, "--strict")
    assert result.exit_code == 1
    assert (
        "no version advice: fix 1 validation warning (--strict) first (qualifier-not-round)"
        in result.stdout
    )


# --- the base: a git revision, a release archive, or by default the latest release --------------


def test_base_is_a_release_archive_or_by_default_the_latest(run, repo, tmp_path, monkeypatch):
    from misti_data.checks.revisions import latest_release
    from misti_data.package import load_package
    from misti_data.semver import MINOR, bump

    shutil.copytree(PACKAGE_ROOT / "releases", repo / "releases")
    with load_package(repo) as pkg:
        latest = latest_release(pkg).name
    version = latest.removeprefix("misti-indicators-").removesuffix(".zip")
    set_version(repo, version)
    run("stamp", repo)
    # the working copy is this repository's package plus a cited figure: MINOR on the latest release
    monkeypatch.chdir(tmp_path)  # a release named relative to the package folder
    named = run("ci", "repo", "--base", f"releases/{latest}")
    default = run("ci", "repo")
    for result in (named, default):
        assert result.exit_code == 1, result.output
        assert f"repo/releases/{latest} ({version}) → repo ({version})" in result.stdout
        assert (
            f"datapackage.json says {version}; sources: 1 row added; observations: 1 row added (MINOR): "
            f"use {bump(version, MINOR)}"
        ) in result.stdout
    check = run("version", "--check", "releases/misti-indicators-1.0.0.zip", "repo")
    assert check.stdout.startswith("MINOR bump: 1.0.0 → 1.1.0 (")
    assert check.stdout.splitlines()[-1] == f"ok: version {version} follows from the changes"


def test_no_release_and_no_base_cannot_run(run, repo):
    result = run("ci", repo)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {repo}/releases: no release to compare with; "
        "name the base, e.g. --base main or --base releases/NAME-VERSION.zip\n"
    )


def test_base_is_a_branch_or_a_commit(run, repo):
    git(repo, "branch", "-M", "main")
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    for base in ("main", head[:12], f"git:{head}"):
        result = run("ci", repo, "--base", base)
        assert result.exit_code == 0, (base, result.output)


# --- what the gate shows ------------------------------------------------------------------------


def test_the_diff_section_shows_its_rows_and_honours_limit(run, repo):
    for year in ("2026", "2027", "2028"):
        append_row(
            repo / "data/observations.csv",
            {**NEXT_YEAR, "period": year, "period_end": f"{year}-12-31"},
        )
    set_version(repo, "1.1.0")
    run("stamp", repo)
    shown = gate(run, repo)
    assert (
        "  + clean_water_connections | KH | 2028-12-31: period=2028, value=1,700,000"
        in shown.stdout
    )
    limited = gate(run, repo, "--limit", "1")
    assert (
        "  + clean_water_connections | KH | 2026-12-31: period=2026, value=1,700,000"
        in limited.stdout
    )
    assert "2027-12-31" not in limited.stdout
    assert "  … 2 more (--limit N or --format json to see them)" in limited.stdout
    md = gate(run, repo, "--limit", "1", "--format", "markdown").stdout
    assert "- … and 2 more rows (see `misti-data diff --format json`)" in md


def test_github_gives_each_finding_once_on_its_line_and_column(run, repo):
    obs = repo / "data/observations.csv"
    set_value(obs, BASE_ROW, "1450000")
    _edit_line(obs, 3, lambda l: l + ",extra,more")  # two extra-cell findings with one message
    set_version(repo, "1.0.1")
    run("stamp", repo)
    lines = gate(run, repo, "--format", "github").stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == len(set(annotations))
    width = len(obs.read_text().splitlines()[0].split(","))
    assert (
        f"::error file={repo}/data/observations.csv,line=3,title=extra-cell::"
        f"the row has {width + 2} cells, expected {width} (×2)"
    ) in annotations
    assert re.fullmatch(
        r"gate failed: 2 validation errors, \d+ warnings?; no version advice: fix 2 validation errors first \(extra-cell\)",
        lines[-1],
    )

    _edit_line(obs, 3, lambda l: l.removesuffix(",extra,more"))
    run("stamp", repo)
    lines = gate(run, repo, "--format", "github").stdout.splitlines()
    revision = [line for line in lines if "unexplained-revision" in line]
    row = next(i for i, line in enumerate(obs.read_text().splitlines(), 1) if ",1450000," in line)
    col = obs.read_text().splitlines()[row - 1].index("1450000") + 1
    assert len(revision) == 1 and revision[0].startswith(
        f"::error file={repo}/data/observations.csv,line={row},col={col},title=unexplained-revision::"
    )
    assert re.fullmatch(
        r"gate failed: 0 validation errors, \d+ warnings?, 1 unexplained revision; "
        r"version 1\.0\.1, PATCH change requires 1\.0\.1",
        lines[-1],
    )


def test_github_annotates_a_package_that_cannot_be_read(run, repo):
    (repo / "datapackage.json").write_text('{"name": "x",\n  "resources": [}\n')
    result = run("ci", repo, "--base", "HEAD", "--format", "github")
    assert result.exit_code == 2
    assert (
        result.stdout
        == f"::error file={repo}/datapackage.json,line=2,col=17,title=misti-data cannot run::not valid JSON: Expecting value\n"
    )
    assert (
        result.stderr == f"Error: {repo}/datapackage.json:2:17: not valid JSON: Expecting value\n"
    )


def test_job_summary_reads_as_markdown(run, repo):
    set_value(repo / "data/observations.csv", BASE_ROW, "144OOOO")
    run("stamp", repo)
    add_warning(repo)
    run("stamp", repo)
    md = gate(run, repo, "--format", "markdown").stdout
    assert md.splitlines()[:7] == [
        "## ❌ misti-data data gate failed",
        "",
        "| | |",
        "|---|---|",
        "| Validation | ❌ 1 error, 1 warning in 8 tables |",
        "| Version | ❌ no version advice: fix 1 validation error first (type-error) |",
        "| Data changes | 1 resource changed against `git:HEAD`: +1 −0 ~1 rows |",
    ]
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert headings == [
        "## ❌ misti-data data gate failed",
        "### Validation",
        "#### `data/observations.csv`",
        "### Version",
        "### Data changes: `git:HEAD` (1.0.0) → `" + str(repo) + "` (1.0.0)",
        "#### `observations`",
    ]
