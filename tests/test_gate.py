"""`misti-data ci`: the data gate, end to end in a temp git repository (base commit + a change)."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import append_row, copy_shipped

# A made-up cited figure, only ever in these temp repositories: it lets the base hold a
# published value that a change can revise without touching a quote.
GAZETTE = dict(source_id="test-gazette", kind="cited", title="Test Gazette", publisher="Test Gazette",
               outlet="Test Gazette", official="false", url="https://example.org/gazette")
BASE_ROW = dict(indicator_id="clean_water_connections", period="2024", period_end="2024-12-31", area="KH",
                value="1440000", qualifier="exact", source_id="test-gazette")
NEXT_YEAR = {**BASE_ROW, "period": "2026", "period_end": "2026-12-31", "value": "1700000"}
REVISION = dict(period_end="2024-12-31", indicator_id="clean_water_connections", area="KH", old_value="1440000",
                new_value="1450000", reason="the gazette corrected a typo", source_id="test-gazette")
GITHUB_LINE = re.compile(r"^::(error|warning) (file=[^,:]+(,line=\d+)?,)?title=[^:]+::.+$")


def git(repo, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


def set_value(path, old: dict, value: str):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0])
    for r in rows:
        if all(r[k] == v for k, v in old.items()):
            r["value"] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def set_version(repo, version):
    d = json.loads((repo / "datapackage.json").read_text())
    d["version"] = version
    (repo / "datapackage.json").write_text(json.dumps(d, indent=2))


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
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


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
    assert md.startswith("earlier step\n## misti-data data gate: ✅ passed")
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
    assert f"::error file={repo}/data/observations.csv,line={row},title=type-error::" in result.stdout
    assert "values of 1 row corrected (PATCH): use 1.0.1" in result.stdout  # only the broken cell differs
    assert result.stdout.rstrip().splitlines()[-1].startswith("gate failed")


def test_new_year_without_a_version_bump_fails_and_says_which_version(run, repo):
    append_row(repo / "data/observations.csv", NEXT_YEAR)
    run("stamp", repo)
    result = gate(run, repo)
    assert result.exit_code == 1, result.output
    assert "datapackage.json says 1.0.0; observations: 1 row added (MINOR): use 1.1.0" in result.stdout
    assert "gate failed" in result.stdout


def test_unexplained_revision_fails_and_a_reason_fixes_it(run, repo):
    obs = repo / "data/observations.csv"
    set_value(obs, BASE_ROW, "1450000")
    set_version(repo, "1.0.1")
    run("stamp", repo)
    result = gate(run, repo, "--format", "markdown")
    assert result.exit_code == 1, result.output
    assert "unexplained-revision" in result.stdout
    assert "## misti-data data gate: ❌ failed" in result.stdout

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
    assert not (repo / "fixtures" / "link.csv").resolve().is_relative_to(repo)  # the link is still there, unread
