"""Rows with more cells than the header, on one side of a diff: a file whose every row has the
same extra cells is a consistent shape, and against a version with no rows (a file that held only
a header) it is compared by the columns the header names, with a note; rows ragged here and there
are broken rows, and there is no advice until the file is fixed.

The shape is a real datahub history's (co2-ppm): the old version's file held only a header, the
new one has one cell more than the header on every row; a maintainer reads it as rows restored."""

from __future__ import annotations

import pytest

from conftest import write_package

FIELDS = [{"name": "Date", "type": "date", "format": "any"}, {"name": "Average", "type": "number"}]


def _package(folder, body: str):
    """A keyless table (as datahub's are) whose CSV is the header and `body`, as written."""
    write_package(folder, [], fields=FIELDS, key=None, name="co2-ppm", resource="co2-mm")
    (folder / "data" / "co2-mm.csv").write_text("Date,Average\n" + body, encoding="utf-8")
    return folder


def test_rows_each_with_one_extra_cell_after_a_header_only_file_are_rows_added(run, tmp_path):
    old = _package(tmp_path / "old", "")
    new = _package(tmp_path / "new", "2024-01,420.1,0.1\n2024-02,421.0,0.2\n2024-03,421.5,0.1\n")
    result = run("version", old, new)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "MINOR bump: 1.0.0 → 1.1.0 (1 change)\n"
        "  MINOR  co2-mm: 3 rows added (key inferred: Date)\n"
        "  note: co2-mm: every row of the new version has 1 cell more than the header: "
        "compared by the columns the header names; the cells beyond it are not compared\n"
    )


@pytest.mark.parametrize(
    "body",
    [
        "2024-01,420.1,0.1\n2024-02,421.0\n",  # one row ragged, one not
        "2024-01,420.1,0.1\n2024-02,421.0,0.2,9\n",  # not the same number of extra cells
    ],
)
def test_rows_ragged_here_and_there_are_still_not_compared(run, tmp_path, body):
    old = _package(tmp_path / "old", "")
    new = _package(tmp_path / "new", body)
    result = run("version", old, new)
    assert result.exit_code == 1
    assert result.stdout == (
        f"no version advice: cannot compare co2-mm: {new}: row 2 has 3 cells, the header 2; "
        "fix the file first, as rows that could not be read are not rows removed\n"
    )
