"""A property written out at its default, or in an equivalent spelling, is no change."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, edit_descriptor, write_package
from misti_data.diff.schema import EQUIVALENT

FIELDS = [
    {"name": "area", "type": "string"},
    {"name": "value", "type": "number"},
    {"name": "flag", "type": "boolean"},
    {"name": "day", "type": "date"},
    {"name": "at", "type": "datetime"},
    {"name": "clock", "type": "time"},
]
ROWS = [
    {
        "area": "KH",
        "value": 10.5,
        "flag": "true",
        "day": "2024-01-31",
        "at": "2024-01-31T10:00:00Z",
        "clock": "10:00:00",
    },
    {
        "area": "KH-12",
        "value": 3,
        "flag": "false",
        "day": "2025-12-01",
        "at": "2025-12-01T23:59:59Z",
        "clock": "23:59:59",
    },
]
_FIELD_OF = {
    "field": "value",
    "constraints": "area",
    "date": "day",
    "datetime": "at",
    "time": "clock",
}


def _spellings():
    for kind, props in EQUIVALENT.items():
        for prop, values in props.items():
            for value in values:
                yield pytest.param(kind, prop, value, id=f"{kind}.{prop}={value!r}")


def _write_out(desc: dict, kind: str, prop: str, value) -> None:
    resource = desc["resources"][0]
    if kind == "schema":
        resource["schema"][prop] = value
    elif kind == "resource":
        resource[prop] = value
    elif kind == "dialect":
        resource.setdefault("dialect", {})[prop] = value
    else:
        field = next(f for f in resource["schema"]["fields"] if f["name"] == _FIELD_OF[kind])
        (field.setdefault("constraints", {}) if kind == "constraints" else field)[prop] = value


@pytest.mark.parametrize(("kind", "prop", "value"), list(_spellings()))
def test_an_equivalent_spelling_is_no_change(run, tmp_path, kind, prop, value):
    old = write_package(tmp_path / "old", ROWS, fields=FIELDS, key=["area"])
    new = write_package(tmp_path / "new", ROWS, fields=FIELDS, key=["area"])
    edit_descriptor(new, lambda d: _write_out(d, kind, prop, value))
    for a, b in ((old, new), (new, old)):
        result = run("version", a, b, "--format", "json")
        assert result.exit_code == 0, result.output
        advice = json.loads(result.stdout)
        assert (advice["bump"], advice["reasons"]) == (None, [])
        diff = json.loads(run("diff", a, b, "--format", "json").stdout)
        assert [r["status"] for r in diff["resources"]] == ["unchanged"]


@pytest.mark.parametrize(
    ("kind", "prop", "value", "change"),
    [
        ("date", "format", "%d/%m/%Y", "format-changed"),
        ("constraints", "required", True, "constraint-tightened"),
        ("schema", "missingValues", ["", "NA"], "schema-metadata-changed"),
    ],
)
def test_another_spelling_is_still_a_change(run, tmp_path, kind, prop, value, change):
    old = write_package(tmp_path / "old", ROWS, fields=FIELDS, key=["area"])
    new = write_package(tmp_path / "new", ROWS, fields=FIELDS, key=["area"])
    edit_descriptor(new, lambda d: _write_out(d, kind, prop, value))
    advice = json.loads(run("version", old, new, "--format", "json").stdout)
    assert advice["bump"] is not None, advice
    if change:
        [res] = json.loads(run("diff", old, new, "--format", "json").stdout)["resources"]
        assert change in [c["kind"] for c in res["schema"]]


def test_the_docs_list_every_equivalence():
    """docs/standard.md's table has one row per property and spelling in EQUIVALENT."""
    text = (ROOT / "docs" / "standard.md").read_text(encoding="utf-8")
    table = text.split("## Equivalent spellings", 1)[1].split("\n## ", 1)[0]
    for kind, props in EQUIVALENT.items():
        for prop, values in props.items():
            for value in values:
                row = f"| {kind} | `{prop}` | `{json.dumps(value)}` |"
                assert row in table, row
