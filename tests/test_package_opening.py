"""Every command names a package the same way: a folder, its datapackage.json, a .zip of it, or
`git:REV` (the package in the current folder as it is in that revision)."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from conftest import init_repo
from minipkg import ROWS, write_package


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A committed valid package, whose work tree then gets a value that is not a number."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    repo = init_repo(write_package(tmp_path / "repo"))
    write_package(repo, [*ROWS, {"area": "KH", "year": 2026, "value": "ten", "note": ""}])
    monkeypatch.chdir(repo)
    return repo


def test_validate_reads_a_git_revision_not_the_work_tree(run, repo):
    assert run("validate", ".").exit_code == 1  # the work tree's type-error
    result = run("validate", "git:HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["package"], report["tables"]) == ("git:HEAD", {"figures": 3})
    assert ",ten," in (repo / "data" / "figures.csv").read_text()  # the work tree is untouched


def test_a_revision_that_does_not_exist_cannot_run(run, repo):
    result = run("validate", "git:no-such-rev")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: git:no-such-rev: no such revision")


@pytest.mark.parametrize("name", ["folder", "descriptor", "zip", "git"])
@pytest.mark.parametrize("command", [["validate"], ["version", "git:HEAD"], ["diff", "git:HEAD"]])
def test_each_way_of_naming_a_package_opens_the_same_package(run, repo, name, command):
    """The committed package, named four ways, gives every command the same answer."""
    clean = write_package(repo.parent / "clean")
    archive = repo.parent / "clean.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in clean.rglob("*"):
            zf.write(path, path.relative_to(clean).as_posix())
    spec = {
        "folder": clean,
        "descriptor": clean / "datapackage.json",
        "zip": archive,
        "git": "git:HEAD",
    }[name]
    result = run(*command, spec, "--format", "json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["ok"] is True
    if command[0] != "validate":  # the same package as the revision: nothing to compare
        assert (answer.get("differs"), answer.get("bump")) in ((False, None), (None, None))


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{pkg}"],
        ["diff", "{pkg}", "{pkg}"],
        ["version", "{pkg}", "{pkg}"],
        ["version", "--check", "{pkg}", "{pkg}"],
        ["ci", "{pkg}", "--base", "{pkg}"],
        ["stamp", "{pkg}"],
        ["export", "{pkg}"],
        ["site", "{pkg}"],
        ["release", "{pkg}"],
    ],
)
def test_every_command_opens_a_package_within_max_descriptor_mb(run, tmp_path, command):
    pkg = write_package(tmp_path / "pkg", description="x" * (2 * 1024**2))
    args = [str(pkg) if a == "{pkg}" else a for a in command]
    result = run("--max-descriptor-mb", "1", *args)
    assert result.exit_code == 2
    assert "more than the 1 MB a JSON descriptor may have" in result.stderr


def test_max_descriptor_mb_holds_for_its_own_run_only(run, tmp_path):
    """The option is passed to the library call, not left behind in a library global."""
    from misti_data.validate import validate_package

    pkg = write_package(tmp_path / "pkg", description="x" * (2 * 1024**2))
    assert run("--max-descriptor-mb", "1", "validate", pkg).exit_code == 2
    assert validate_package(pkg).valid
    assert run("validate", pkg).exit_code == 0
