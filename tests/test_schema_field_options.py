"""Field options that frictionless 5's profile does not check are still checked: a Table Schema v2
option of the wrong JSON type, or a pattern that is no regular expression, is a field-error, not
dropped in silence (nor a crash of frictionless's reader)."""

from __future__ import annotations

import json

import pytest

from conftest import write_package

V2 = {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json"}


def _package(folder, level: dict):
    fields = [
        {"name": "id", "type": "integer"},
        {"name": "level", "type": "string", "categories": ["low", "high"], **level},
    ]
    rows = [{"id": 1, "level": "low"}, {"id": 2, "level": "high"}]
    return write_package(folder, rows, fields=fields, key=["id"], **V2)


@pytest.mark.parametrize(
    ("level", "says"),
    [
        ({"categoriesOrdered": "yes"}, 'categoriesOrdered must be true or false, not "yes"'),
        ({"categoriesOrdered": 1}, "categoriesOrdered must be true or false, not 1"),
        ({"categories": "low"}, 'categories must be a list, not "low"'),
    ],
)
def test_a_v2_option_of_the_wrong_type_is_a_field_error(run, tmp_path, level, says):
    result = run("validate", _package(tmp_path / "p", level), "--format", "json")
    assert result.exit_code == 1, result.output
    found = [
        (f["code"], f["resource"], f["field"], f["message"])
        for f in json.loads(result.stdout)["findings"]
    ]
    assert found == [("field-error", "figures", "level", says)]


def test_ordered_categories_given_as_a_boolean_are_valid(run, tmp_path):
    result = run("validate", _package(tmp_path / "p", {"categoriesOrdered": True}))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("where", ["csv", "inline"])
def test_a_pattern_that_is_no_regular_expression_is_a_field_error(run, tmp_path, where):
    fields = [{"name": "code", "type": "string", "constraints": {"pattern": "[a-"}}]
    folder = write_package(tmp_path / "p", [{"code": "x"}], fields=fields, key=None)
    if where == "inline":  # read by frictionless, whose row stream raised re.error on it
        descriptor = json.loads((folder / "datapackage.json").read_text())
        resource = descriptor["resources"][0]
        resource.pop("path")
        resource.update(data=[["code"], ["x"]], format="inline")
        (folder / "datapackage.json").write_text(json.dumps(descriptor))
    result = run("validate", folder, "--format", "json")
    assert result.exit_code == 1, result.output
    found = [(f["code"], f["field"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert ("field-error", "code", 'the pattern "[a-" is not a regular expression') in found
