"""diff and version on tables without a primaryKey: the inferred key, `--key`, and header changes."""

from __future__ import annotations

import json

import pytest

from conftest import FIELDS, ROWS, edit_descriptor, write_package

CODES = [
    {"name": "code", "type": "string"},
    {"name": "label", "type": "string"},
    {"name": "value", "type": "number"},
]
CODE_ROWS = [
    {"code": "A1", "label": "Alpha", "value": 1},
    {"code": "B2", "label": "Beta", "value": 2},
]


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_renderer_says_the_key_was_inferred(run, tmp_path):
    old = write_package(tmp_path / "old", key=None)
    new = write_package(tmp_path / "new", ROWS[:2] + [dict(ROWS[2], value=4)], key=None)
    text = run("diff", old, new).stdout
    assert " figures  | +0 -0 ~1 rows (key inferred: area, year)" in text
    assert "  ~ KH-12 | 2025: value 3 → 4" in text
    assert (
        "| `figures` | +0 -0 ~1 rows (key inferred: area, year) |"
        in run("diff", old, new, "--format", "markdown").stdout
    )
    [res] = _json(run("diff", old, new, "--format", "json"))["resources"]
    assert (res["compared_by"], res["key"]) == (
        "key inferred: area, year",
        {"columns": ["area", "year"], "source": "inferred"},
    )
    assert res["changed"] == [
        {"key": {"area": "KH-12", "year": 2025}, "changes": {"value": {"old": 3.0, "new": 4.0}}}
    ]
    advice = _json(run("version", old, new, "--format", "json"))
    assert advice["bump"] == "patch"
    assert [r["change"] for r in advice["reasons"]] == [
        "figures: values of 1 row corrected (key inferred: area, year)"
    ]


def test_key_option_overrides_the_inferred_key(run, tmp_path):
    # `code` is inferred (an identifier); the maintainer knows the label is what stays put.
    old = write_package(tmp_path / "old", CODE_ROWS, fields=CODES, key=None)
    new = write_package(
        tmp_path / "new", [dict(CODE_ROWS[0], code="A9"), CODE_ROWS[1]], fields=CODES, key=None
    )
    inferred = _json(run("version", old, new, "--format", "json"))
    assert inferred["bump"] == "major", inferred["reasons"]
    assert inferred["reasons"][0]["change"] == "figures: 1 row removed (key inferred: code)"
    given = run("diff", old, new, "--key", "figures:label")
    assert " figures  | +0 -0 ~1 rows (key given: label)" in given.stdout
    assert "  ~ Alpha: code 'A1' → 'A9'" in given.stdout
    assert (
        _json(run("version", old, new, "--key", "figures: label", "--format", "json"))["bump"]
        == "patch"
    )


def test_key_option_overrides_the_primary_key(run, tmp_path):
    old = write_package(tmp_path / "old", CODE_ROWS, fields=CODES, key=["code"])
    new = write_package(
        tmp_path / "new", [dict(CODE_ROWS[0], code="A9"), CODE_ROWS[1]], fields=CODES, key=["code"]
    )
    assert "(by code)" in run("diff", old, new).stdout
    [res] = _json(run("diff", old, new, "--key", "figures:label,value", "--format", "json"))[
        "resources"
    ]
    assert (res["compared_by"], res["key"]["source"], res["rows"]["changed"]) == (
        "key given: label, value",
        "option",
        1,
    )


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("figures", "'figures' is not RESOURCE:COLUMN[,COLUMN…] (e.g. annual:Date)"),
        ("figures:", "'figures:' is not RESOURCE:COLUMN[,COLUMN…]"),
        ("nope:code", "--key nope: neither package has a resource 'nope' (resources: figures)"),
        (
            "figures:cod",
            "--key figures:cod: figures has no column 'cod' (columns: code, label, value)",
        ),
    ],
)
def test_a_mistyped_key_option_cannot_run(run, tmp_path, key, message):
    old = write_package(tmp_path / "old", CODE_ROWS, fields=CODES, key=None)
    for command in ("diff", "version"):
        result = run(command, old, old, "--key", key)
        assert result.exit_code == 2, result.output
        assert message in result.stderr
        assert "Traceback" not in result.output


def test_a_key_option_the_data_cannot_honour_is_a_named_problem(run, tmp_path):
    old = write_package(tmp_path / "old", CODE_ROWS, fields=CODES, key=None)
    same_label = write_package(
        tmp_path / "dup", [CODE_ROWS[0], dict(CODE_ROWS[1], label="Alpha")], fields=CODES, key=None
    )
    result = run("diff", old, same_label, "--key", "figures:label")
    assert result.exit_code == 1
    assert (
        "! diff-duplicate-key: new: 2 rows share the key given, e.g. {'label': 'Alpha'}"
        in result.stdout
    )
    assert "(as a multiset of rows: the key given cannot match rows)" in result.stdout
    fewer = write_package(
        tmp_path / "fewer", [{"code": "A1", "value": 1}], fields=[CODES[0], CODES[2]], key=None
    )
    result = run("diff", old, fewer, "--key", "figures:label", "--format", "json")
    assert result.exit_code == 1
    [res] = json.loads(result.stdout)["resources"]
    assert [(p["code"], p["message"]) for p in res["problems"]] == [
        (
            "diff-missing-key-column",
            "key column label is not in both tables; rows compared as a multiset",
        )
    ]


def test_an_empty_cell_may_be_part_of_an_inferred_key_when_nothing_else_is_unique(run, tmp_path):
    # country-codes: Sark has no ISO code; every other ISO code is unique
    fields = [
        {"name": "iso3", "type": "string"},
        {"name": "region", "type": "string"},
        {"name": "currency", "type": "string"},
    ]
    rows = [
        {"iso3": "AFG", "region": "Asia", "currency": "AFN"},
        {"iso3": "", "region": "Europe", "currency": ""},
        {"iso3": "VEN", "region": "Americas", "currency": "VEF"},
        {"iso3": "VNM", "region": "Asia", "currency": "VND"},
    ]
    old = write_package(tmp_path / "old", rows, fields=fields, key=None)
    new = write_package(
        tmp_path / "new",
        rows[:2] + [dict(rows[2], currency="VES"), rows[3]],
        fields=fields,
        key=None,
    )
    [res] = _json(run("diff", old, new, "--format", "json"))["resources"]
    assert res["compared_by"] == "key inferred: iso3; an empty cell counts as a value"
    assert res["changed"] == [
        {"key": {"iso3": "VEN"}, "changes": {"currency": {"old": "VEF", "new": "VES"}}}
    ]


def test_an_unnamed_resource_is_diffed_under_its_path(run, tmp_path):
    old = write_package(tmp_path / "old", key=None)
    new = write_package(tmp_path / "new", ROWS[:2] + [dict(ROWS[2], value=4)], key=None)
    for folder in (old, new):
        edit_descriptor(folder, lambda d: d["resources"][0].pop("name"))
    [res] = _json(run("diff", old, new, "--format", "json"))["resources"]
    assert (res["name"], res["status"], res["rows"]["changed"]) == (
        "data/figures.csv",
        "changed",
        1,
    )
    [res] = _json(run("diff", old, new, "--key", "data/figures.csv:area,year", "--format", "json"))[
        "resources"
    ]
    assert res["compared_by"] == "key given: area, year"


def _csv_only(folder, text: str):
    """A package whose one resource has no schema: its columns are its header's labels."""
    write_package(folder, key=None)
    edit_descriptor(folder, lambda d: d["resources"][0].pop("schema"))
    (folder / "data" / "figures.csv").write_text(text, encoding="utf-8")
    return folder


OLD_CSV = "area,year,value\nKH,2024,10\nKH,2025,12\nKH-12,2025,3\n"
HEADER_CHANGES = [
    # (what, new CSV, schema changes [kind, field], bump)
    (
        "renamed",
        "area,year,amount\nKH,2024,10\nKH,2025,12\nKH-12,2025,3\n",
        [["field-renamed", "amount"]],
        "major",
    ),
    (
        "renamed and moved",
        "amount,area,year\n10,KH,2024\n12,KH,2025\n3,KH-12,2025\n",
        [["field-renamed", "amount"], ["fields-reordered", None]],
        "major",
    ),
    (
        "renamed, values changed too",
        "area,year,amount\nKH,2024,11\nKH,2025,13\nKH-12,2025,4\n",
        [["field-removed", "value"], ["field-added", "amount"]],
        "major",
    ),
    (
        "reordered",
        "year,area,value\n2024,KH,10\n2025,KH,12\n2025,KH-12,3\n",
        [["fields-reordered", None]],
        "major",
    ),
    ("removed", "area,year\nKH,2024\nKH,2025\nKH-12,2025\n", [["field-removed", "value"]], "major"),
    (
        "added",
        "area,year,value,note\nKH,2024,10,a\nKH,2025,12,\nKH-12,2025,3,\n",
        [["field-added", "note"]],
        "minor",
    ),
]


@pytest.mark.parametrize(
    ("what", "new_csv", "changes", "bump"), HEADER_CHANGES, ids=[c[0] for c in HEADER_CHANGES]
)
def test_a_column_changed_in_a_schemaless_csv_is_a_schema_change(
    run, tmp_path, what, new_csv, changes, bump
):
    old, new = _csv_only(tmp_path / "old", OLD_CSV), _csv_only(tmp_path / "new", new_csv)
    [res] = _json(run("diff", old, new, "--format", "json"))["resources"]
    assert [[s["kind"], s["field"]] for s in res["schema"]] == changes
    assert sorted(res["key"]["columns"]) == ["area", "year"]  # not `value`: a count, though unique
    assert res["rows"] | {"old": 0, "new": 0} == {
        "old": 0,
        "new": 0,
        "added": 0,
        "removed": 0,
        "changed": 0,
    }
    assert _json(run("version", old, new, "--format", "json"))["bump"] == bump


def test_a_header_that_no_longer_matches_its_schema_is_read_by_its_labels(run, tmp_path):
    old = write_package(tmp_path / "old", key=None)
    new = write_package(tmp_path / "new", key=None)
    text = (new / "data" / "figures.csv").read_text(encoding="utf-8")
    (new / "data" / "figures.csv").write_text(
        text.replace("area,year,value,note", "area,year,amount,note", 1), encoding="utf-8"
    )
    assert run("validate", new).exit_code == 1  # incorrect-label: the schema still says `value`
    result = run("diff", old, new)
    assert (
        f"  note: {new}: the header does not match the schema (1 incorrect-label); its columns are read by their labels"
        in result.stdout
    )
    assert "  ~ field-renamed amount: value → amount" in result.stdout
    assert " figures  | +0 -0 ~0 rows, 1 schema change (key inferred: area, year)" in result.stdout
    assert _json(run("version", old, new, "--format", "json"))["bump"] == "major"


def test_a_field_renamed_and_moved_with_its_values_is_a_rename(run, tmp_path):
    old = write_package(tmp_path / "old")
    value = next(f for f in FIELDS if f["name"] == "value")
    fields = [dict(value, name="amount")] + [f for f in FIELDS if f is not value]
    new = write_package(
        tmp_path / "new", [{**r, "amount": r["value"]} for r in ROWS], fields=fields
    )
    [res] = _json(run("diff", old, new, "--format", "json"))["resources"]
    assert [[s["kind"], s["field"]] for s in res["schema"]] == [
        ["field-renamed", "amount"],
        ["fields-reordered", None],
    ]
    assert res["rows"]["changed"] == 0


def test_a_schema_change_in_json_names_what_it_was_and_became(run, tmp_path):
    old = _csv_only(tmp_path / "old", OLD_CSV)
    new = _csv_only(tmp_path / "new", OLD_CSV.replace("value", "amount", 1))
    [res] = _json(run("diff", old, new, "--format", "json"))["resources"]
    assert res["schema"] == [
        {
            "kind": "field-renamed",
            "field": "amount",
            "detail": "value → amount",
            "old": "value",
            "new": "amount",
        }
    ]


def test_a_side_read_by_its_labels_is_still_typed_by_its_schema(run, tmp_path):
    """TRUE and true are one boolean: a header out of the schema's order must not turn cells into text."""
    fields = [
        {"name": "code", "type": "string"},
        {"name": "flag", "type": "boolean"},
        {"name": "value", "type": "number"},
    ]
    old = write_package(
        tmp_path / "old", [{"code": "A1", "flag": "true", "value": 1}], fields=fields, key=["code"]
    )
    new = write_package(tmp_path / "new", key=["code"], fields=fields, rows=[])
    (new / "data" / "figures.csv").write_text("code,value,flag\nA1,1,TRUE\n", encoding="utf-8")
    assert "its columns are read by their labels" in run("diff", old, new).stdout
    [res] = _json(run("diff", old, new, "--format", "json"))["resources"]
    assert res["rows"] == {"old": 1, "new": 1, "added": 0, "removed": 0, "changed": 0}
