"""A multipart CSV resource is read as its parts joined, each part's header dropped after the
first, and a part that ends without a line break does not run its last row into the next part's
first: a type error in that row of a later part is found, and the rows are counted."""

from __future__ import annotations

import gzip
import json

import pytest

FIELDS = [{"name": "id", "type": "integer"}, {"name": "amount", "type": "number"}]


def _package(folder, parts: dict[str, bytes], **resource):
    folder.mkdir()
    for name, data in parts.items():
        (folder / name).write_bytes(data)
    descriptor = {
        "name": "t",
        "version": "1.0.0",
        "licenses": [{"name": "CC0-1.0"}],
        "sources": [{"title": "made up"}],
        "resources": [{"name": "t", "path": list(parts), "schema": {"fields": FIELDS}, **resource}],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


def _validate(run, folder):
    result = run("validate", folder, "--format", "json")
    report = json.loads(result.stdout)
    found = [(f["code"], f["row"], f["field"], f["message"]) for f in report["findings"]]
    return result.exit_code, found, report["tables"]


@pytest.mark.parametrize("compress", [False, True])
def test_a_type_error_after_a_part_without_a_final_line_break_is_found(run, tmp_path, compress):
    parts = {"a.csv": b"id,amount\n1,1\n2,2", "b.csv": b"id,amount\n3,three\n4,4\n"}
    if compress:
        parts = {f"{k}.gz": gzip.compress(v) for k, v in parts.items()}
    code, found, rows = _validate(run, _package(tmp_path / "p", parts))
    assert code == 1
    assert found == [("type-error", 4, "amount", '"three" is not a number')]
    assert rows == {"t": 4}


def test_a_table_without_header_keeps_every_line_of_every_part(run, tmp_path):
    parts = {"a.csv": b"1,1\n2,2", "b.csv": b"3,three\n4,4\n"}
    pkg = _package(tmp_path / "p", parts, dialect={"header": False})
    code, found, rows = _validate(run, pkg)
    assert (code, found, rows) == (
        1,
        [("type-error", 3, "amount", '"three" is not a number')],
        {"t": 4},
    )
