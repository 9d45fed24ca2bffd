"""Every way the CLI names a package: a folder, its datapackage.json, a zip; and their faults in one line."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from conftest import PACKAGES


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
