"""The standard's corners that the std-* packages (one valid, one violating per feature of
docs/standard.md, run by test_fixtures.py) do not reach: the reader frictionless opens, odd files,
what is reported as not supported instead of passing in silence, and features each checked on a
made-up package."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from conftest import PACKAGES, ROOT, SHARED, built

META = {
    "name": "t",
    "version": "1.0.0",
    "licenses": [{"name": "CC0-1.0"}],
    "sources": [{"title": "made up"}],
}


def make(
    folder: Path, resources: list[dict], files: dict[str, str | bytes] | None = None, **top
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.json").write_text(
        json.dumps({**top, **META, "resources": resources}), encoding="utf-8"
    )
    for name, content in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content.encode() if isinstance(content, str) else content)
    return folder


def findings(run, folder: Path, exit_code: int) -> list[tuple]:
    result = run("validate", folder, "--format", "json")
    assert result.exit_code == exit_code, result.output
    return sorted((f["code"], f["row"], f["field"]) for f in json.loads(result.stdout)["findings"])


def csv_resource(fields: list[dict], **extra) -> dict:
    return {
        "name": "t",
        "path": "t.csv",
        "schema": {"fields": fields, **extra.pop("schema", {})},
        **extra,
    }


ID = {"name": "id", "type": "integer"}


V2 = {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json"}


def test_a_pattern_is_never_a_template(run, tmp_path):
    """`^KH[0-9]{2}$` crashed validate with IndexError when the message was built with str.format."""
    field = {"name": "code", "type": "string", "constraints": {"pattern": "^KH[0-9]{2}$|%s{0}"}}
    pkg = make(tmp_path / "p", [csv_resource([ID, field])], {"t.csv": "id,code\n1,KH01\n2,KH1\n"})
    result = run("validate", pkg)
    assert result.exit_code == 1, result.output
    assert '"KH1" does not match the pattern ^KH[0-9]{2}$|%s{0}' in result.stdout


def test_merged_header_cells_are_joined_once(run, tmp_path):
    """Two header rows: a cell repeated under itself (a merged cell) is taken once, as frictionless does."""
    fields = [{"name": "a", "type": "string"}, {"name": "b c", "type": "string"}]
    pkg = make(
        tmp_path / "p",
        [csv_resource(fields, dialect={"headerRows": [1, 2]})],
        {"t.csv": "a,b\na,c\nx,y\n"},
        **V2,
    )
    assert findings(run, pkg, 0) == []


@pytest.mark.parametrize(
    "where", ["dialect", "layout"]
)  # `layout`: frictionless v4's name for these options
def test_header_rows_past_the_end_of_the_file(run, tmp_path, where):
    res = {**csv_resource([ID]), where: {"headerRows": [4]}}
    pkg = make(tmp_path / "p", [res], {"t.csv": "id\n1\n"}, **V2)
    assert findings(run, pkg, 1) == [("source-error", None, None)]


def test_a_line_terminator_beside_line_breaks_is_not_supported(run, tmp_path):
    pkg = make(
        tmp_path / "p",
        [csv_resource([ID], dialect={"lineTerminator": ";"})],
        {"t.csv": "id;1\n2;3\n"},
    )
    assert ("unsupported-feature", None, None) in findings(run, pkg, 1)


def test_header_case_is_ignored_when_the_dialect_says_so_also_by_name(run, tmp_path):
    fields = [ID, {"name": "name", "type": "string"}]
    res = csv_resource(
        fields, schema={"fieldsMatch": "equal"}, dialect={"caseSensitiveHeader": False}
    )
    pkg = make(tmp_path / "p", [res], {"t.csv": "NAME,ID\na,1\n"}, **V2)
    assert findings(run, pkg, 0) == []


@pytest.mark.parametrize(
    ("mode", "exit_code", "expected"),
    [
        ("superset", 1, [("missing-label", 1, "id")]),  # missing, and required as the primary key
        ("partial", 1, [("missing-label", 1, "id")]),
        ("subset", 1, [("missing-label", 1, "id"), ("missing-label", 1, "note")]),
    ],
)
def test_fields_the_header_lacks(run, tmp_path, mode, exit_code, expected):
    fields = [ID, {"name": "name", "type": "string"}, {"name": "note", "type": "string"}]
    res = csv_resource(fields, schema={"fieldsMatch": mode, "primaryKey": ["id"]})
    pkg = make(tmp_path / "p", [res], {"t.csv": "name\na\n"}, **V2)
    assert findings(run, pkg, exit_code) == expected


def test_a_repeated_label_is_reported_when_columns_pair_by_name(run, tmp_path):
    res = csv_resource([ID], schema={"fieldsMatch": "equal"})
    pkg = make(tmp_path / "p", [res], {"t.csv": "id,id\n1,2\n"}, **V2)
    assert findings(run, pkg, 1) == [("duplicate-label", 1, "id")]


def test_a_corrupt_gzip_file(run, tmp_path):
    pkg = make(
        tmp_path / "p",
        [{"name": "t", "path": "t.csv.gz", "schema": {"fields": [ID]}}],
        {"t.csv.gz": b"not gzip"},
    )
    assert findings(run, pkg, 1) == [("compression-error", None, None)]


def test_a_gzip_csv_is_read_by_the_csv_reader(run, tmp_path):
    data = gzip.compress(b"id\n1\nx\n", mtime=0)
    pkg = make(
        tmp_path / "p",
        [{"name": "t", "path": "t.csv.gz", "schema": {"fields": [ID]}}],
        {"t.csv.gz": data},
    )
    assert findings(run, pkg, 1) == [("type-error", 3, "id")]


def test_an_unknown_compression(run, tmp_path):
    pkg = make(
        tmp_path / "p",
        [{"name": "t", "path": "t.csv.zip", "compression": "bad"}],
        {"t.csv.zip": b"PK"},
    )
    assert ("compression-error", None, None) in findings(run, pkg, 1)


def test_a_file_that_is_not_a_table_is_not_read_as_one(run, tmp_path):
    pkg = make(
        tmp_path / "p",
        [{"name": "notes", "path": "notes.bad"}, {"name": "doc", "path": "doc.json"}],
        {"notes.bad": "whatever\x00", "doc.json": '{"a": 1}'},
    )
    assert findings(run, pkg, 0) == []


def test_an_xls_table(run, tmp_path):
    cases = built(ROOT / "tests/conformance/cases", SHARED / "conformance/cases")
    xls = cases / "package.test_validate.test_package_validate_parallel_from_dict/table.xls"
    if not xls.is_file():
        pytest.skip("conformance cases not built")
    fields = [
        {"name": "id", "type": "integer"},
        {"name": "name", "type": "string", "constraints": {"maxLength": 3}},
    ]
    pkg = make(
        tmp_path / "p",
        [{"name": "t", "path": "table.xls", "schema": {"fields": fields}}],
        {"table.xls": xls.read_bytes()},
    )
    assert findings(run, pkg, 1) == [
        ("constraint-error", 2, "name")
    ]  # "english"; "中国人" has 3 characters


def test_a_json_schema_that_is_not_one(run, tmp_path):
    field = {"name": "o", "type": "object", "constraints": {"jsonSchema": {"type": 5}}}
    pkg = make(tmp_path / "p", [csv_resource([ID, field])], {"t.csv": 'id,o\n1,"{}"\n'}, **V2)
    assert ("field-error", None, "o") in findings(run, pkg, 1)


def test_inline_data_gets_the_checks_frictionless_does_not_make(run, tmp_path):
    """categories, jsonSchema, uniqueKeys and rows on a resource frictionless reads for us."""
    fields = [
        ID,
        {"name": "level", "type": "integer", "categories": [1, 2]},
        {
            "name": "o",
            "type": "object",
            "constraints": {"jsonSchema": {"type": "object", "required": ["v"]}},
        },
    ]
    res = {
        "name": "t",
        "rows": 2,
        "data": [["id", "level", "o"], [1, 1, {"v": 1}], [1, 3, {"w": 1}], [2, 2, {"v": 2}]],
        "schema": {"fields": fields, "uniqueKeys": [["id"]]},
    }
    pkg = make(tmp_path / "p", [res], **V2)
    assert findings(run, pkg, 1) == [
        ("constraint-error", 3, "level"),
        ("constraint-error", 3, "o"),
        ("row-count", None, None),
        ("unique-error", 3, "id"),
    ]


def test_a_list_column_in_the_commands_after_validate(run, tmp_path):
    """diff, version and export take a `list` field (kept as its text) without trouble."""
    old = tmp_path / "old"
    shutil.copytree(PACKAGES / "std-list-valid", old)
    new = tmp_path / "new"
    shutil.copytree(old, new)
    (new / "data" / "t.csv").write_text("id,sizes\n1,1;2;3\n2,7;8\n", encoding="utf-8")
    diff = run("diff", old, new, "--format", "json")
    assert diff.exit_code == 0, diff.output
    assert json.loads(diff.stdout)["summary"]["rows"] == {
        "added": 0,
        "removed": 0,
        "changed": 1,
    }  # by the inferred key, id
    assert run("export", new).exit_code == 0


def test_the_dialect_reaches_the_resources_frictionless_reads(run, tmp_path):
    """A multipart CSV (read by frictionless) gets the dialect's nullSequence and its file's header
    options; a JSON table gets v2's `property`; what frictionless cannot apply is said."""
    parts = {
        "name": "parts",
        "path": ["a.csv", "b.csv"],
        "dialect": "dialect.json",
        "schema": {"fields": [ID]},
    }
    rows = {
        "name": "rows",
        "path": "t.json",
        "dialect": {"property": "rows"},
        "schema": {"fields": [ID]},
    }
    odd = {
        "name": "odd",
        "path": ["c.csv"],
        "dialect": {"delimiter": "||"},
        "schema": {"fields": [ID]},
    }
    files = {
        "a.csv": "# a note\nid\n1\n",
        "b.csv": "\\N\nx\n",
        "dialect.json": '{"nullSequence": "\\\\N", "commentChar": "#"}',
        "t.json": '{"rows": [{"id": 1}, {"id": "two"}]}',
        "c.csv": "id\n1\n",
    }
    pkg = make(tmp_path / "p", [parts, rows, odd], files, **V2)
    found = findings(run, pkg, 1)
    # "\\N" is not a type error; "x" is (frictionless numbers the rows of a multipart file)
    assert found == [
        ("type-error", 3, "id"),
        ("type-error", 4, "id"),
        ("unsupported-feature", None, None),
    ]


def test_a_long_delimiter_in_a_file_that_holds_its_stand_in(run, tmp_path):
    pkg = make(
        tmp_path / "p", [csv_resource([ID], dialect={"delimiter": "||"})], {"t.csv": "id\n1\x1f\n"}
    )
    assert findings(run, pkg, 0) == [("unsupported-feature", None, None)]


def test_a_foreign_key_to_a_file_that_is_not_a_table(run, tmp_path):
    child = {
        "name": "t",
        "path": "t.csv",
        "schema": {
            "fields": [ID],
            "foreignKeys": [{"fields": "id", "reference": {"resource": "doc", "fields": "id"}}],
        },
    }
    pkg = make(
        tmp_path / "p",
        [child, {"name": "doc", "path": "doc.json"}],
        {"t.csv": "id\n1\n", "doc.json": '{"id": 1}'},
    )
    assert findings(run, pkg, 1) == [("foreign-key", None, None)]


def test_a_misplaced_quote_after_a_comment_row_keeps_its_row_number(run, tmp_path):
    """Comment rows count in the numbering (as frictionless numbers rows), also for the quote finding."""
    pkg = make(
        tmp_path / "p",
        [csv_resource([ID, {"name": "s", "type": "string"}], dialect={"commentChar": "#"})],
        {"t.csv": 'id,s\n# note\n1,"a"b\n'},
    )
    assert ("malformed-quote", 3, "s") in findings(run, pkg, 1)


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
