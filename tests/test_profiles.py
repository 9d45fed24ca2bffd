"""Severity from the standard (MUST: error, SHOULD: warning), our own conventions as the `misti-data`
profile, and what version --check, ci and release say of a version they cannot use."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import copy_shipped, edit_descriptor, write_package


def codes(result) -> dict[str, str]:
    """{code: severity} of a JSON report."""
    return {f["code"]: f["severity"] for f in json.loads(result.stdout)["findings"]}


@pytest.fixture
def bare(tmp_path):
    """Someone else's package with only what the spec requires: resources, nothing else."""
    pkg = write_package(tmp_path / "bare")
    edit_descriptor(pkg, lambda d: [d.pop(k) for k in ("name", "version", "licenses", "sources")])
    return pkg


def test_the_standard_warns_of_what_it_says_should_be_there(run, bare):
    result = run("validate", bare, "--format", "json")
    assert result.exit_code == 0, result.output
    # name and licenses SHOULD be there; version and sources are optional
    assert codes(result) == {"metadata-missing": "warning"}
    assert {f["field"] for f in json.loads(result.stdout)["findings"]} == {"name", "licenses"}
    assert json.loads(result.stdout)["profiles"] == []
    assert run("validate", bare, "--strict").exit_code == 1


def test_the_profile_asked_for_makes_our_conventions_errors(run, bare):
    result = run("validate", bare, "--format", "json", "--profile", "misti-data")
    assert result.exit_code == 1
    assert codes(result) == {
        "metadata-missing": "error",
        "version-missing": "error",
        "sources-missing": "error",
    }
    assert json.loads(result.stdout)["profiles"] == ["misti-data"]


@pytest.mark.parametrize(
    ("profile", "exit_code", "severity"),
    [([], 0, "warning"), (["--profile", "misti-data"], 1, "error")],
)
def test_a_version_that_is_not_semver(run, tmp_path, profile, exit_code, severity):
    pkg = write_package(tmp_path / "pkg", version="1.0")
    result = run("validate", pkg, "--format", "json", *profile)
    assert result.exit_code == exit_code
    assert codes(result) == {"version-not-semver": severity}


def test_the_shipped_package_opts_in(run, shipped):
    assert (
        json.loads((shipped / "datapackage.json").read_text())["misti_data"]["profile"]
        == "misti-data"
    )
    edit_descriptor(shipped, lambda d: d.pop("version"))
    result = run("validate", shipped, "--format", "json")
    assert result.exit_code == 1
    assert codes(result) == {"version-missing": "error"}


def test_an_unknown_profile_asked_for_cannot_run(run, bare):
    result = run("validate", bare, "--profile", "misti")
    assert result.exit_code == 2
    assert "Invalid value for '--profile'" in result.stderr


def test_a_package_with_no_resources_is_an_error_and_says_so(run, tmp_path):
    pkg = tmp_path / "empty"
    pkg.mkdir()
    (pkg / "datapackage.json").write_text('{"name": "empty"}')
    result = run("validate", pkg, "--format", "json")
    assert result.exit_code == 1
    assert [
        (f["code"], f["severity"], f["message"])
        for f in json.loads(result.stdout)["findings"]
        if f["severity"] == "error"
    ] == [
        (
            "package-error",
            "error",
            "the package has no resources; a Data Package must list at least one",
        )
    ]


def test_the_catalogue_says_which_severities_depend_on_the_profile(run):
    table = run("checks").stdout
    assert "| `version-not-semver` | warning; error under profile misti-data |" in table
    assert "| `sources-missing` | error under profile misti-data (not checked otherwise) |" in table


# --- commands that need a semantic version say so in one line, exit 1 ----------------------------

NO_VERSION = "datapackage.json has no version; set a semantic version such as 1.0.0"


@pytest.fixture
def unversioned(tmp_path):
    """A base at 1.0.0 and the same package with its version deleted."""
    base = write_package(tmp_path / "base")
    work = write_package(tmp_path / "work")
    edit_descriptor(work, lambda d: d.pop("version"))
    return base, work


def test_version_check_says_the_version_is_missing(run, unversioned):
    base, work = unversioned
    result = run("version", "--check", base, work)
    assert result.exit_code == 1
    assert result.stdout == f"no version advice: {NO_VERSION}\n"


def test_ci_says_the_version_is_missing(run, unversioned):
    base, work = unversioned
    result = run("ci", work, "--base", base)
    assert result.exit_code == 1
    assert f"no version advice: {NO_VERSION}\n" in result.stdout
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_release_says_the_version_is_missing_and_writes_nothing(run, tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("needs git")
    pkg = copy_shipped(tmp_path / "repo")
    edit_descriptor(pkg, lambda d: d.pop("version"))
    subprocess.run(["git", "init", "-q"], cwd=pkg, check=True)
    subprocess.run(["git", "add", "-A"], cwd=pkg, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "init"],
        cwd=pkg,
        check=True,
    )
    monkeypatch.chdir(pkg)
    result = run("release")
    assert result.exit_code == 1
    assert (result.stdout, result.stderr) == ("", f".: not released: {NO_VERSION}\n")
    assert not (pkg / "releases").exists()


def test_opting_into_a_profile_needs_no_new_version(run, tmp_path):
    """misti_data settings say how the package is checked; no consumer of its data reads them."""
    base = write_package(tmp_path / "base")
    work = write_package(tmp_path / "work", misti_data={"profile": "misti-data"})
    result = run("version", "--check", base, work)
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == "no version bump needed (from 1.0.0)\nok: version 1.0.0 follows from the changes\n"
    )
