"""Every way a command names a package: a folder, its datapackage.json, a zip or `git:REV` (the
package in the current folder as it is in that revision); and their faults in one line on stderr,
exit 2, never a traceback."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from conftest import PACKAGES, ROWS, init_repo, write_package


def test_a_descriptor_path_is_the_package(run, tmp_path):
    pkg = shutil.copytree(PACKAGES / "type-error", tmp_path / "pkg")
    by_folder = json.loads(run("validate", pkg, "--format", "json").stdout)["findings"]
    result = run("validate", pkg / "datapackage.json", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["findings"] == by_folder


def test_a_descriptor_with_a_byte_order_mark_is_read(run, tmp_path):
    pkg = shutil.copytree(PACKAGES / "valid-minimal", tmp_path / "pkg")
    descriptor = pkg / "datapackage.json"
    descriptor.write_bytes(b"\xef\xbb\xbf" + descriptor.read_bytes())
    assert run("validate", pkg).exit_code == 0


def test_a_descriptor_not_in_utf8_is_named(run, tmp_path):
    (tmp_path / "datapackage.json").write_bytes('{"name": "caf\xe9"}'.encode("latin-1"))
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'datapackage.json'}: not UTF-8 text (byte 13)\n"


@pytest.mark.parametrize("member", ["../evil.csv", "data/../../evil.csv", "/tmp/evil.csv"])
def test_an_archive_member_leaving_the_archive_is_refused(run, tmp_path, member):
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("datapackage.json", json.dumps({"resources": []}))
        zf.writestr(member, "id\n1\n")
    result = run("validate", archive)
    assert result.exit_code == 2
    assert (
        result.stderr == f"Error: {archive}: member {member!r} would extract outside the archive\n"
    )
    assert not (tmp_path / "evil.csv").exists()


def test_an_archive_without_a_descriptor_is_named(run, tmp_path):
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("data/things.csv", "id\n1\n")
    result = run("validate", archive)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {archive}: no datapackage.json at the top of the archive\n"


def test_missing_path(run, tmp_path):
    result = run("validate", tmp_path / "nope")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {tmp_path / 'nope'}: no such file or folder\n"


def test_folder_without_descriptor(run, tmp_path):
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "no datapackage.json in this folder" in result.stderr


def test_bad_json(run, tmp_path):
    (tmp_path / "datapackage.json").write_text('{"name": "x",\n  "resources": [}\n')
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path / 'datapackage.json'}:2:17: not valid JSON")
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_json_that_is_not_an_object(run, tmp_path):
    (tmp_path / "datapackage.json").write_text("[1, 2]")
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "expected a JSON object, found list" in result.stderr


def test_bad_option(run, shipped):
    result = run("validate", shipped, "--format", "yaml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


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
