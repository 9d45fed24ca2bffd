"""Features of the standard that had no test (issue 18, item 7): each checked on a made-up package."""

from __future__ import annotations

from conftest import ID, V2, csv_resource, findings, make


def test_a_value_outside_ordered_categories(run, tmp_path):
    """`categoriesOrdered` only orders the categories: a value outside them is still an error."""
    field = {
        "name": "level",
        "type": "string",
        "categories": ["low", "mid", "high"],
        "categoriesOrdered": True,
    }
    pkg = make(
        tmp_path / "p",
        [csv_resource([ID, field])],
        {"t.csv": "id,level\n1,low\n2,extreme\n3,high\n"},
        **V2,
    )
    assert findings(run, pkg, 1) == [("constraint-error", 3, "level")]


def test_bounds_on_a_duration_field(run, tmp_path):
    """Durations without years or months have one order: bounds on them are checked; `P1M` is not
    compared (is it more than P30D?) and a warning says so."""
    field = {
        "name": "wait",
        "type": "duration",
        "constraints": {"minimum": "PT1H", "maximum": "P2D"},
    }
    body = "id,wait\n1,PT30M\n2,PT1H\n3,P1DT12H\n4,P3D\n5,P1M\n"
    pkg = make(tmp_path / "p", [csv_resource([ID, field])], {"t.csv": body})
    assert findings(run, pkg, 1) == [
        ("constraint-error", 2, "wait"),
        ("constraint-error", 5, "wait"),
        ("unsupported-feature", 6, "wait"),
    ]


def test_a_table_given_inline_as_a_csv_string(run, tmp_path):
    res = {
        "name": "t",
        "format": "csv",
        "data": "id,amount\n1,2.5\n2,x\n",
        "schema": {"fields": [ID, {"name": "amount", "type": "number"}]},
    }
    pkg = make(tmp_path / "p", [res])
    assert findings(run, pkg, 1) == [("type-error", 3, "amount")]


def test_type_errors_in_a_later_part_of_a_multipart_resource(run, tmp_path):
    """Rows are numbered across the parts as frictionless reads them (each part's header skipped),
    and the type error is worded as for any CSV."""
    res = {
        "name": "t",
        "path": ["a.csv", "b.csv"],
        "schema": {"fields": [ID, {"name": "amount", "type": "number"}]},
    }
    pkg = make(
        tmp_path / "p",
        [res],
        {"a.csv": "id,amount\n1,1\n2,2\n", "b.csv": "id,amount\n3,3\n4,four\n"},
    )
    assert findings(run, pkg, 1) == [("type-error", 5, "amount")]
    assert 'row 5 [amount]: "four" is not a number' in run("validate", pkg).stdout
