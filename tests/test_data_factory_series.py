"""The stock-and-flow rules on the shipped large-factory series: silent on the real figures, firing on broken copies."""

from __future__ import annotations

import csv

import pytest

from conftest import row_of, set_observation, unstamp, validate_json


@pytest.fixture
def series(shipped):
    """The shipped package, hashes dropped so that edits show only the rules' findings."""
    unstamp(shipped)
    return shipped


def drop_row(path, indicator, period_end, area="KH") -> None:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    kept = [
        r for r in rows if (r[0], r[2], r[3]) != (indicator, period_end, area)
    ]  # indicator_id, period_end, area
    assert len(kept) == len(rows) - 1
    rows = kept
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def test_the_identity_holds_and_nothing_warns(run, series):
    code, report = validate_json(run, series)
    assert code == 0, report
    assert report["findings"] == []
    assert run("validate", series, "--strict").exit_code == 0


def test_without_the_2019_and_2021_year_ends_the_2025_jump_warns(run, series):
    # Two earlier changes (2022→2023, 2023→2024) instead of five: +27.1 % is beyond the 20 % of a short series.
    drop_row(series / "data/observations.csv", "large_factories_operating", "2021-12-31")
    drop_row(series / "data/observations.csv", "large_factories_operating", "2019-12-31")
    code, report = validate_json(run, series)
    assert code == 0
    assert [(f["code"], f["severity"], f["row"], f["message"]) for f in report["findings"]] == [
        (
            "stock-jump",
            "warning",
            2,
            "large_factories_operating 2024→2025: 2,425 → 3,083 (+27.1 %), earlier changes +7.2 %…+14.1 %",
        )
    ]
    assert run("validate", series, "--strict").exit_code == 1


def test_a_broken_figure_breaks_the_identity(run, series):
    obs = series / "data/observations.csv"
    set_observation(obs, "large_factories_closed", 2024, "KH", 62)
    code, report = validate_json(run, series)
    assert code == 1
    assert [(f["code"], f["row"]) for f in report["findings"]] == [
        ("stock-flow-identity", row_of(obs, "large_factories_operating", 2024)),
    ]
    [error] = report["findings"]
    assert error["message"] == (
        "large_factories_operating 2024: 2,425 ≠ 2,125 (2023) + 326 (large_factories_opened) "
        "− 62 (large_factories_closed) = 2,389"
    )
    assert (error["field"], error["cell"]) == ("value", "2425")


@pytest.mark.parametrize(
    ("indicator", "flow", "value", "message"),
    [
        (
            "large_factories_operating",
            "large_factories_closed",
            184,
            "large_factories_operating 2021: 1,879 ≠ 1,864 (2020) + 163 (large_factories_opened) − 184 (large_factories_closed) = 1,843",
        ),
        (
            "sme_enterprises",
            "sme_closures",
            1905,
            "sme_enterprises 2024: 43,970 ≠ 44,628 (2023) + 1,292 (sme_new_registrations) − 1,905 (sme_closures) = 44,015",
        ),
        (
            "sme_workers",
            "sme_jobs_lost",
            13567,
            "sme_workers 2024: 476,223 ≠ 463,966 (2023) + 25,833 (sme_new_jobs) − 13,567 (sme_jobs_lost) = 476,232",
        ),
    ],
)
def test_the_new_outflows_take_part_in_the_identity(run, series, indicator, flow, value, message):
    obs = series / "data/observations.csv"
    year = 2021 if flow == "large_factories_closed" else 2024
    set_observation(obs, flow, year, "KH", value)  # transposed digits
    code, report = validate_json(run, series)
    assert code == 1
    assert [(f["code"], f["row"], f["message"]) for f in report["findings"]] == [
        ("stock-flow-identity", row_of(obs, indicator, year, end=f"{year}-12-31"), message),
    ]


def test_the_2019_stock_makes_2020_checked(run, series):
    obs = series / "data/observations.csv"
    set_observation(obs, "large_factories_operating", 2019, "KH", 1703)  # transposed digits
    code, report = validate_json(run, series)
    assert code == 1
    assert [(f["code"], f["row"], f["message"]) for f in report["findings"]] == [
        (
            "stock-flow-identity",
            row_of(obs, "large_factories_operating", 2020),
            "large_factories_operating 2020: 1,864 ≠ 1,703 (2019) + 235 (large_factories_opened) − 101 (large_factories_closed) = 1,837",
        )
    ]


def test_provincial_counts_above_the_national_count(run, series):
    obs = series / "data/observations.csv"
    set_observation(
        obs, "large_factories_operating", 2024, "KH-12", 1818
    )  # provinces now sum to 3,260 > 2,425
    code, report = validate_json(run, series)
    assert code == 1
    errors = [(f["code"], f["row"]) for f in report["findings"] if f["severity"] == "error"]
    assert errors == [("provinces-exceed-national", row_of(obs, "large_factories_operating", 2024))]
