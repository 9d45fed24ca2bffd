"""Where a finding's cell is in its file, for annotations: the file's line and column."""

from __future__ import annotations

import json

from misti_data.findings import ERROR, Finding
from misti_data.package import load_package
from misti_data.positions import cell_positions


def package(tmp_path, text: str, dialect: dict | None = None):
    (tmp_path / "t.csv").write_text(text, encoding="utf-8", newline="")
    resource = {
        "name": "t",
        "path": "t.csv",
        "schema": {"fields": [{"name": n} for n in ("a", "b", "c")]},
    }
    if dialect:
        resource["dialect"] = dialect
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [resource]}))
    return load_package(tmp_path)


def at(row, field=None):
    return Finding("type-error", ERROR, "x", resource="t", path="t.csv", row=row, field=field)


def test_a_quoted_cell_over_two_lines_moves_the_rows_below_it(tmp_path):
    text = 'a,b,c\n1,"two\nlines",x\n2,"say ""hi"", ok",y\n3,,z\r\n'
    with package(tmp_path, text) as pkg:
        found = cell_positions(
            pkg, [at(1, "b"), at(2, "c"), at(3, "c"), at(4, "a"), at(4, "c"), at(4), at(9, "a")]
        )
    assert found == {
        at(1, "b"): (1, 3),
        at(2, "c"): (3, 8),  # the row starts on line 2; its third cell on line 3, after `lines",`
        at(3, "c"): (4, 20),  # a doubled quote inside a cell is not its end
        at(4, "a"): (5, 1),
        at(4, "c"): (5, 4),
        at(4): (5, None),  # a row without a field: its line only
    }  # row 9 is past the end of the file: no position


def test_the_resource_dialect_and_a_header_in_another_order(tmp_path):
    with package(tmp_path, "c\tb\ta\nzz\t1\t2\n", {"delimiter": "\t"}) as pkg:
        assert cell_positions(pkg, [at(2, "a")]) == {at(2, "a"): (2, 6)}


def test_no_position_for_a_file_outside_the_package_or_missing(tmp_path):
    with package(tmp_path, "a,b,c\n1,2,3\n") as pkg:
        outside = Finding("type-error", ERROR, "x", resource="t", path="../t.csv", row=2, field="a")
        (tmp_path / "t.csv").unlink()
        assert cell_positions(pkg, [outside, at(2, "a")]) == {}
