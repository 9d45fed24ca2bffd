"""A `..` in a resource path is refused even when it leads back inside the package.

`data/../data/things.csv` names a file that is in the package; reading it would still let a
descriptor probe the folder layout around it, and frictionless refuses it too. Each test
pairs the refusal with the same package read under --allow-outside, so it shows the file is
really left unread, not merely reported.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import PACKAGES
from misti_data.package import load_package, path_problem

INSIDE = "outside-path-dotdot-inside"


@pytest.mark.parametrize(
    "path",
    [
        "data/../data/things.csv",
        "./data/../data/things.csv",
        "data/./../data/things.csv",
        "data\\..\\data\\things.csv",
        "data/..",
    ],
)
def test_a_dotdot_path_is_outside_even_when_it_resolves_inside(path):
    with load_package(PACKAGES / INSIDE) as package:
        assert path_problem(package, path) == "outside-path"


@pytest.mark.parametrize("path", ["~/things.csv", "C:/things.csv", "c:\\things.csv", "/etc/passwd"])
def test_home_drive_and_absolute_paths_are_outside(path):
    with load_package(PACKAGES / INSIDE) as package:
        assert path_problem(package, path) == "outside-path"


def test_a_url_is_read_only_when_allowed():
    url = "https://example.org/things.csv"
    with load_package(PACKAGES / INSIDE) as package:
        assert path_problem(package, url) == "remote-path"
    with load_package(PACKAGES / INSIDE, allow_remote=True) as package:
        assert path_problem(package, url) is None


@pytest.mark.parametrize(
    "path", ["data/things.csv", "./data/things.csv", "data/./things.csv", "data/..things.csv"]
)
def test_a_plain_relative_path_is_inside(path):
    with load_package(PACKAGES / INSIDE) as package:
        assert path_problem(package, path) is None


def test_the_file_behind_it_is_not_read(run, tmp_path):
    shutil.copytree(PACKAGES / INSIDE, tmp_path / "pkg")
    refused = run("validate", tmp_path / "pkg", "--format", "json")
    assert refused.exit_code == 1
    report = json.loads(refused.stdout)
    assert [(f["code"], f["path"]) for f in report["findings"]] == [
        ("outside-path", "data/../data/things.csv")
    ]
    assert report["tables"] == {}
    # The same file, allowed: its type error shows what reading it would have found.
    allowed = run("validate", tmp_path / "pkg", "--format", "json", "--allow-outside")
    assert [(f["code"], f["row"]) for f in json.loads(allowed.stdout)["findings"]] == [
        ("type-error", 3)
    ]


def test_a_schema_path_through_dotdot_is_not_read(run, tmp_path):
    pkg = shutil.copytree(PACKAGES / INSIDE, tmp_path / "pkg")
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    resource = descriptor["resources"][0]
    (pkg / "data" / "schema.json").write_text(json.dumps(resource["schema"]), encoding="utf-8")
    resource["path"], resource["schema"] = "data/things.csv", "data/../data/schema.json"
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with load_package(pkg) as package:
        assert package.schema(package.resources[0]) == {}
    codes = {
        f["code"] for f in json.loads(run("validate", pkg, "--format", "json").stdout)["findings"]
    }
    assert "outside-path" in codes and "type-error" not in codes


def test_diff_does_not_read_it_either(tmp_path):
    from misti_data.diff import diff_sources

    old = shutil.copytree(PACKAGES / INSIDE, tmp_path / "old")
    new = shutil.copytree(PACKAGES / INSIDE, tmp_path / "new")
    (new / "data" / "things.csv").write_text("id,label,amount\n1,one,2.5\n", encoding="utf-8")
    resource = diff_sources(old, new).resources[0]
    assert [p.code for p in resource.problems] == ["diff-unreadable", "diff-unreadable"]
    assert resource.counts == {"added": 0, "removed": 0, "changed": 0}
