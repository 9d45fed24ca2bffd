"""build.py reads upstream tests as they are written: checked on a small made-up repository."""

from __future__ import annotations

import json
import subprocess
import textwrap

import pytest
from build import Module, Upstream, case_folder, write_case

TESTS = textwrap.dedent(
    """
    import pytest
    from copy import deepcopy
    from frictionless import Checklist, Detector, Package, Schema
    from frictionless.resources import TableResource

    DESCRIPTOR = {"resources": [{"name": "t", "path": "data/table.csv"}]}

    def test_valid():
        report = TableResource(path="data/table.csv").validate()
        assert report.valid

    def test_invalid_types():
        descriptor = deepcopy(DESCRIPTOR)
        descriptor["resources"][0]["bytes"] = 1
        report = Package(descriptor).validate()
        assert report.flatten(["rowNumber", "type"]) == [[None, "byte-count"]]

    def test_picked():
        schema = Schema.from_descriptor({"fields": [{"name": "id", "type": "integer"}]})
        resource = TableResource(data=[["id"], ["x"]], schema=schema)
        report = resource.validate(Checklist(pick_errors=["type-error"]))
        assert report.flatten(["type"]) == [["type-error"]]

    def test_picked_nothing():
        report = TableResource(path="data/table.csv").validate(Checklist(pick_errors=["type-error"]))
        assert report.flatten(["type"]) == []

    def test_raises():
        with pytest.raises(Exception) as excinfo:
            Package({"resources": [{"path": "data/table.csv", "schema": "data/../data/schema.json"}]})
        assert excinfo.value.error.type == "package-error"
        assert excinfo.value.reasons[0].type == "resource-error"

    @pytest.mark.parametrize("header, valid", [(True, True), (False, False)])
    def test_param(header, valid):
        report = TableResource(path="data/table.csv", dialect={"header": header}).validate()
        assert report.valid == valid

    def test_detector():
        report = TableResource(path="data/table.csv", detector=Detector(sample_size=1)).validate()
        assert report.valid

    @pytest.mark.skip
    def test_skipped():
        assert TableResource(path="data/table.csv").validate().valid

    def test_no_verdict():
        report = TableResource(path="data/table.csv").validate()
        assert report.stats["rows"] == 2
    """
)
MODULE = "frictionless/resource/__spec__/test_validate.py"


@pytest.fixture
def upstream(tmp_path):
    repo = tmp_path / "upstream"
    (repo / "data").mkdir(parents=True)
    (repo / "frictionless/resource/__spec__").mkdir(parents=True)
    (repo / MODULE).write_text(TESTS, encoding="utf-8")
    (repo / "data/table.csv").write_text("id,name\n1,a\n2,b\n", encoding="utf-8")
    (repo / "data/schema.json").write_text(
        '{"fields": [{"name": "id"}, {"name": "name"}]}', encoding="utf-8"
    )
    for args in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", "-C", str(repo), *args], check=True)
    return Upstream(repo, "HEAD")


def test_each_stated_verdict_becomes_a_case(upstream):
    cases, skipped = Module(upstream, MODULE).cases()
    found = {c.test.split("::")[1]: (c.valid, c.types, bool(c.partial)) for c in cases}
    assert found == {
        "test_valid": (True, None, False),
        "test_invalid_types": (False, ["byte-count"], False),
        "test_picked": (False, ["type-error"], True),
        "test_raises": (False, ["resource-error"], True),  # the reason, as a report would list it
        "test_param[True-True]": (True, None, False),
        "test_param[False-False]": (False, None, False),
    }
    reasons = {test.split("::")[1]: why for test, why in skipped}
    assert set(reasons) == {
        "test_picked_nothing",
        "test_detector",
        "test_skipped",
        "test_no_verdict",
    }
    assert "no verdict" in reasons["test_picked_nothing"]
    assert "Detector" in reasons["test_detector"]


def test_a_case_is_a_package_folder_with_its_files(upstream, tmp_path):
    cases, _ = Module(upstream, MODULE).cases()
    raises = next(c for c in cases if c.test.endswith("::test_raises"))
    folder = tmp_path / "cases" / case_folder(raises.test)
    write_case(upstream, raises, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor == {
        "resources": [
            {"path": "data/table.csv", "schema": "data/../data/schema.json", "name": "table"}
        ]
    }
    assert (folder / "data/table.csv").read_text(encoding="utf-8") == "id,name\n1,a\n2,b\n"
    assert (
        folder / "data/schema.json"
    ).is_file()  # where the ../ path really points, inside the folder
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert expected["test"] == f"{MODULE}::test_raises"
    assert (expected["valid"], expected["types"], expected["scope"]) == (
        False,
        ["resource-error"],
        "package",
    )
