"""`misti-data diff`: levelled, typed, keyed; problems named, never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import FIELDS, ROWS, init_repo, write_package
from misti_data.diff import diff_sources


def test_a_package_equals_itself(run, shipped):
    version = json.loads((shipped / "datapackage.json").read_text())["version"]
    result = run("diff", shipped, shipped, "--exit-code")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{shipped} ({version}) → {shipped} ({version})\nno differences\n"


def test_rows_added_removed_changed_are_reported_by_key(run, tmp_path):
    old = write_package(tmp_path / "old")
    rows = [dict(r) for r in ROWS[1:]] + [{"area": "KH", "year": 2026, "value": 14, "note": ""}]
    rows[0]["value"] = 13
    new = write_package(tmp_path / "new", rows)
    result = run("diff", old, new, "--exit-code")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{old} (1.0.0) → {new} (1.0.0)",
        " figures  | +1 -1 ~1 rows (by area, year)",
        "1 resource changed, 1 row added, 1 removed, 1 changed",
        "",
        "figures",
        "  - KH | 2024: value=10, note='first'",
        "  + KH | 2026: value=14, note=(none)",
        "  ~ KH | 2025: value 12.5 → 13",
    ]


def test_values_are_compared_typed(run, tmp_path):
    old = write_package(tmp_path / "old", [{"area": "KH", "year": 2025, "value": "10", "note": ""}])
    new = write_package(
        tmp_path / "new", [{"area": "KH", "year": "2025", "value": "10.0", "note": ""}]
    )
    assert run("diff", old, new, "--exit-code").exit_code == 0


def test_a_cell_that_does_not_parse_is_the_only_change(run, tmp_path):
    old = write_package(tmp_path / "old")
    rows = [dict(r) for r in ROWS]
    rows[1]["value"] = "12.5 thousand"
    new = write_package(tmp_path / "new", rows)
    result = run("diff", old, new, "--format", "json")
    assert json.loads(result.stdout)["summary"]["rows"] == {
        "added": 0,
        "removed": 0,
        "changed": 1,
    }, result.stdout


def test_dates_are_parsed(run, tmp_path):
    fields = [
        {"name": "id", "type": "integer"},
        {"name": "day", "type": "date", "format": "%d/%m/%Y"},
    ]
    old = write_package(
        tmp_path / "old", [{"id": 1, "day": "01/02/2025"}], fields=fields, key=["id"]
    )
    new = write_package(
        tmp_path / "new", [{"id": "01", "day": "01/02/2025"}], fields=fields, key=["id"]
    )
    assert run("diff", old, new, "--exit-code").exit_code == 0


def test_tolerances(run, tmp_path):
    old = write_package(tmp_path / "old", [{"area": "KH", "year": 2025, "value": 100, "note": ""}])
    new = write_package(
        tmp_path / "new", [{"area": "KH", "year": 2025, "value": 100.5, "note": ""}]
    )
    assert run("diff", old, new, "--exit-code").exit_code == 1
    assert run("diff", old, new, "--exit-code", "--atol", "1").exit_code == 0
    assert run("diff", old, new, "--exit-code", "--rtol", "0.01").exit_code == 0
    assert run("diff", old, new, "--exit-code", "--rtol", "0.001").exit_code == 1


def test_without_a_key_rows_are_a_multiset(run, tmp_path):
    old = write_package(tmp_path / "old", ROWS + ROWS[:1], key=None)
    new = write_package(tmp_path / "new", ROWS, key=None)
    result = run("diff", old, new, "--format", "json")
    [res] = json.loads(result.stdout)["resources"]
    # The repeated row leaves no set of columns unique, so no key can be inferred either.
    assert (
        res["compared_by"]
        == "multiset of rows: no primary key, and no set of columns is unique in both versions"
    )
    assert res["key"] == {"columns": [], "source": None}
    assert res["rows"] == {"old": 4, "new": 3, "added": 0, "removed": 1, "changed": 0}
    assert res["removed"] == [{"area": "KH", "year": 2024, "value": 10.0, "note": "first"}]
    assert (
        " figures  | +0 -1 ~0 rows (as a multiset of rows: no primary key, and no set of columns is unique in both versions)"
        in run("diff", old, new).stdout
    )


def test_duplicate_key_is_a_named_problem(run, tmp_path):
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new", ROWS + [dict(ROWS[0], value=11)])
    result = run("diff", old, new)
    assert result.exit_code == 1
    assert (
        "! diff-duplicate-key: new: 2 rows share a primary key, e.g. {'area': 'KH', 'year': 2024}"
        in result.stdout
    )
    assert "rows compared as a multiset" in result.stdout
    assert "+1 -0 ~0 rows" in result.stdout
    [res] = json.loads(run("diff", old, new, "--format", "json").stdout)["resources"]
    assert [(p["code"], p["resource"]) for p in res["problems"]] == [
        ("diff-duplicate-key", "figures")
    ]


def test_missing_key_column_is_a_named_problem(run, tmp_path):
    old = write_package(tmp_path / "old")
    new = write_package(
        tmp_path / "new", fields=[f for f in FIELDS if f["name"] != "year"], key=["area", "year"]
    )
    result = run("diff", old, new, "--format", "json")
    assert result.exit_code == 1
    [res] = json.loads(result.stdout)["resources"]
    assert [p["code"] for p in res["problems"]] == ["diff-missing-key-column"]
    assert res["problems"][0]["field"] == "year"
    assert {"kind": "field-removed", "field": "year"}.items() <= res["schema"][0].items()


def test_ragged_row_is_a_named_problem(run, tmp_path):
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new")
    with open(new / "data" / "figures.csv", "a") as f:
        f.write("KH,2026,1,x,surplus\n")
    result = run("diff", old, new)
    assert result.exit_code == 1
    assert f"! diff-ragged-row: {new}: row 5 has 5 cells, the header 4" in result.stdout
    assert "Traceback" not in result.output


def test_json_is_the_library_dict(run, tmp_path):
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new", ROWS[:2])
    result = run("diff", old, new, "--format", "json")
    assert json.loads(result.stdout) == json.loads(
        json.dumps(diff_sources(old, new).to_dict(limit=None))
    )


def test_markdown_for_a_pull_request(run, tmp_path):
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new", ROWS[:2])
    result = run("diff", old, new, "--format", "markdown")
    assert result.stdout.splitlines()[:5] == [
        f"## Data changes: `{old}` (1.0.0) → `{new}` (1.0.0)",
        "",
        "| Resource | Change |",
        "|---|---|",
        "| `figures` | +0 -1 ~0 rows (by area, year) |",
    ]
    assert "- removed: KH-12 | 2025: value=3, note='city'" in result.stdout


def test_limit_hides_rows_but_not_counts(run, tmp_path):
    old = write_package(tmp_path / "old", [])
    new = write_package(tmp_path / "new")
    result = run("diff", old, new, "--limit", "1")
    assert " figures  | +3 -0 ~0 rows (by area, year)" in result.stdout
    assert "  … 2 more (--limit N or --format json to see them)" in result.stdout


def test_resources_added_removed_renamed_and_metadata(run, tmp_path):
    old = write_package(tmp_path / "old", title="Old title")
    new = write_package(tmp_path / "new", resource="numbers", title="New title")
    result = run("diff", old, new, "--format", "json")
    data = json.loads(result.stdout)
    assert data["metadata"] == [{"key": "title", "old": "Old title", "new": "New title"}]
    [res] = data["resources"]
    assert (res["status"], res["old_name"]) == ("renamed", "figures")
    shutil.rmtree(new)
    new = write_package(tmp_path / "new", resource="numbers", rows=ROWS[:1])
    statuses = {
        r["name"]: r["status"]
        for r in json.loads(run("diff", old, new, "--format", "json").stdout)["resources"]
    }
    assert statuses == {"numbers": "added", "figures": "removed"}


def test_git_revisions(run, tmp_path, monkeypatch):
    repo = write_package(tmp_path / "repo")
    init_repo(repo)
    write_package(repo, ROWS[:2])
    monkeypatch.chdir(repo)
    result = run("diff", "git:HEAD", ".", "--format", "json")
    assert json.loads(result.stdout)["summary"]["rows"] == {"added": 0, "removed": 1, "changed": 0}
    assert (repo / "data" / "figures.csv").read_text().count(
        "\n"
    ) == 3  # the work tree is untouched
    assert run("diff", "git:HEAD", "git:HEAD", "--exit-code").exit_code == 0
    bad = run("diff", "git:no-such-rev", ".")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: git:no-such-rev: no such revision")


def test_git_outside_a_repository(run, tmp_path, monkeypatch):
    write_package(tmp_path / "pkg")
    monkeypatch.chdir(tmp_path / "pkg")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run("diff", "git:HEAD", ".")
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr


def test_git_revision_of_a_missing_folder(run, tmp_path):
    result = run("version", "--check", "git:HEAD", tmp_path / "nope")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'nope'}: no such file or folder\n"


@pytest.mark.parametrize("args", [("nope", "."), (".", "nope")])
def test_missing_package_cannot_run(run, shipped, monkeypatch, args):
    monkeypatch.chdir(shipped)
    result = run("diff", *args)
    assert result.exit_code == 2
    assert result.stderr == "Error: nope: no such file or folder\n"


def test_version_json_is_the_library_dict(run, tmp_path):
    from misti_data.version import version_between

    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new", ROWS[:2])
    result = run("version", old, new, "--format", "json")
    assert json.loads(result.stdout) == version_between(old, new).to_dict()


def test_installed_entry_point(tmp_path):
    import sys
    from pathlib import Path

    exe = Path(sys.executable).parent / "misti-data"
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new", ROWS[:2])
    same = subprocess.run(
        [exe, "diff", old, old, "--exit-code"], capture_output=True, text=True, check=False
    )
    differ = subprocess.run(
        [exe, "diff", old, new, "--exit-code"], capture_output=True, text=True, check=False
    )
    assert (same.returncode, differ.returncode) == (0, 1)
    assert "1 resource changed, 0 rows added, 1 removed, 0 changed" in differ.stdout


def test_git_revision_of_a_package_in_a_subfolder(run, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    pkg = write_package(repo / "sub" / "pkg")
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "one"],
    ):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    write_package(pkg, ROWS + [{"area": "KH", "year": 2026, "value": 1, "note": ""}])
    monkeypatch.chdir(pkg)
    result = run("diff", "git:HEAD", ".", "--format", "json")
    assert json.loads(result.stdout)["summary"]["rows"] == {"added": 1, "removed": 0, "changed": 0}
