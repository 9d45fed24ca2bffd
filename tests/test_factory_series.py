"""The issue-6 rules on a copy of our package with the large-factory series added.

The figures are MISTI's (given by the lead for this test; the real series with its sources comes
with the data release): operating 2022–2025, opened and closed 2023–2024. The source row is a
placeholder citation that exists only in the temp copy.
"""

from __future__ import annotations

import csv
import json

import pytest

from test_provenance import unstamp

SERIES = [
    # indicator, period, value
    ("large_factories_operating", 2022, 1982),
    ("large_factories_operating", 2023, 2125),
    ("large_factories_operating", 2024, 2425),
    ("large_factories_opened", 2023, 241),
    ("large_factories_opened", 2024, 326),
    ("large_factories_closed", 2023, 98),
    ("large_factories_closed", 2024, 26),
]


def append(path, rows) -> None:
    with open(path, "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def row_of(path, indicator, period) -> int:
    """The row number (header = 1) of an observation."""
    with open(path, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            if row["indicator_id"] == indicator and row["period"] == str(period):
                return n
    raise LookupError((indicator, period))


@pytest.fixture
def series(shipped):
    """The shipped package plus the factory series, opened/closed indicators and a cited source."""
    unstamp(shipped)
    append(shipped / "data/sources.csv", [[
        "test-cited", "cited", "[placeholder citation for the test]", "test", "test outlet", "false",
        "2026-02-24", "", "", "", "https://example.org/test",
    ]])
    append(shipped / "data/indicators.csv", [
        ["large_factories_opened", "industry", "Large factories opened", "factories", "inflow",
         "large_factories_operating", "Large factories that started operating during the year."],
        ["large_factories_closed", "industry", "Large factories closed", "factories", "outflow",
         "large_factories_operating", "Large factories that stopped operating during the year."],
    ])
    append(shipped / "data/observations.csv", [
        [ind, period, f"{period}-12-31", "KH", value, "exact", "test-cited", ""] for ind, period, value in SERIES
    ])
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
    text = obs.read_text(encoding="utf-8")
    obs.write_text(text.replace("large_factories_closed,2024,2024-12-31,KH,26,", "large_factories_closed,2024,2024-12-31,KH,62,"))
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
    append(obs, [
        ["large_factories_operating", 2024, "2024-12-31", "KH-12", 1500, "exact", "test-cited", ""],
        ["large_factories_operating", 2024, "2024-12-31", "KH-3", 1000, "exact", "test-cited", ""],
    ])
    code, report = validate_json(run, series)
    assert code == 1
    errors = [(f["code"], f["row"]) for f in report["findings"] if f["severity"] == "error"]
    assert errors == [("provinces-exceed-national", row_of(obs, "large_factories_operating", 2024))]
