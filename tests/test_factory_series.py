"""The issue-6 rules on the shipped large-factory series: silent on the real figures, firing on broken copies."""

from __future__ import annotations

import csv
import json

import pytest

from test_provenance import unstamp


def row_of(path, indicator, period, area="KH") -> int:
    """The row number (header = 1) of an observation."""
    with open(path, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            if (row["indicator_id"], row["period"], row["area"]) == (indicator, str(period), area):
                return n
    raise LookupError((indicator, period, area))


def set_value(path, indicator, period, area, value) -> None:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[row_of(path, indicator, period, area) - 1][4] = str(value)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture
def series(shipped):
    """The shipped package, hashes dropped so that edits show only the rules' findings."""
    unstamp(shipped)
    return shipped


def validate_json(run, pkg):
    result = run("validate", pkg, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_the_identity_holds_and_the_2025_jump_warns(run, series):
    code, report = validate_json(run, series)
    assert code == 0, report
    assert [(f["code"], f["severity"], f["row"], f["message"]) for f in report["findings"]] == [(
        "stock-jump", "warning", 2,
        "large_factories_operating 2024→2025: 2,425 → 3,083 (+27.1 %), earlier changes +7.2 %…+14.1 %",
    )]
    assert run("validate", series, "--strict").exit_code == 1


def test_a_broken_figure_breaks_the_identity(run, series):
    obs = series / "data/observations.csv"
    set_value(obs, "large_factories_closed", 2024, "KH", 62)
    code, report = validate_json(run, series)
    assert code == 1
    assert {(f["code"], f["row"]) for f in report["findings"]} == {
        ("stock-jump", 2),
        ("stock-flow-identity", row_of(obs, "large_factories_operating", 2024)),
    }
    [error] = [f for f in report["findings"] if f["severity"] == "error"]
    assert error["message"] == (
        "large_factories_operating 2024: 2,425 ≠ 2,125 (2023) + 326 (large_factories_opened) "
        "− 62 (large_factories_closed) = 2,389"
    )
    assert (error["field"], error["cell"]) == ("value", "2425")


def test_provincial_counts_above_the_national_count(run, series):
    obs = series / "data/observations.csv"
    set_value(obs, "large_factories_operating", 2024, "KH-12", 1818)  # provinces now sum to 3,260 > 2,425
    code, report = validate_json(run, series)
    assert code == 1
    errors = [(f["code"], f["row"]) for f in report["findings"] if f["severity"] == "error"]
    assert errors == [("provinces-exceed-national", row_of(obs, "large_factories_operating", 2024))]
