"""Provenance catches what a careless edit breaks: value, quote, seed file, hash."""

from __future__ import annotations

import csv
import json

import pytest

from conftest import ROOT, SHIPPED_WARNINGS, unstamp
from misti_data.prose_figures import values_in
from misti_data.validate import validate_package


def codes(path) -> set[tuple[str, int | None, str | None]]:
    """What validate finds beyond the shipped package's one known warning."""
    return {(f.code, f.row, f.field) for f in validate_package(path).findings} - SHIPPED_WARNINGS


def edit_csv(path, row: int, field: str, value: str) -> None:
    """Set a cell (row numbered as frictionless does: header = 1) and keep the file's layout."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[row - 1][rows[0].index(field)] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def test_shipped_copy_is_clean(shipped):
    assert {
        (f.code, f.row, f.field) for f in validate_package(shipped).findings
    } == SHIPPED_WARNINGS


def test_changed_value(shipped):
    unstamp(shipped)
    edit_csv(shipped / "data/observations.csv", 3, "value", "1250000")
    assert codes(shipped) == {("value-not-in-quote", 3, "value")}


def test_scaled_value_reads_back(shipped):
    unstamp(shipped)
    edit_csv(shipped / "data/observations.csv", 3, "value", "1.26")  # forgot the million
    # 1.26 persons is also not a whole count, and a fall from 1,160,181 (2024) a jump: domain rules
    assert codes(shipped) == {
        ("value-not-in-quote", 3, "value"),
        ("count-not-whole", 3, "value"),
        ("stock-jump", 3, "value"),
    }


def test_changed_quote(shipped):
    unstamp(shipped)
    edit_csv(shipped / "data/observations.csv", 2, "quote", "with 3,083 large factories operating")
    assert codes(shipped) == set()  # still a verbatim substring
    edit_csv(
        shipped / "data/observations.csv", 2, "quote", "with 3,083 large factories in operation"
    )
    assert codes(shipped) == {("quote-not-found", 2, "quote")}


def test_wrong_qualifier(shipped):
    unstamp(shipped)
    edit_csv(shipped / "data/observations.csv", 9, "qualifier", "exact")
    assert codes(shipped) == {("qualifier-mismatch", 9, "qualifier")}


def test_missing_seed(shipped):
    (shipped / "seeds/misti-2026-02-24-review-conference.txt").unlink()
    assert codes(shipped) == {("source-missing", 2, "path")}


def test_wrong_hash(shipped):
    seed = shipped / "seeds/misti-2026-02-24-review-conference.txt"
    seed.write_bytes(seed.read_bytes() + b"\n")
    assert codes(shipped) == {("source-hash-mismatch", 2, "sha256")}


def test_text_not_in_quote(shipped):
    unstamp(shipped)
    edit_csv(shipped / "data/priorities.csv", 2, "priority", "reinforcing the NQI")
    assert codes(shipped) == {("text-not-in-quote", 2, "priority")}


@pytest.mark.parametrize(
    ("text", "value", "rounded_to"),
    [
        ("total production of 556 million cubic meters", 556_000_000, 1_000_000),
        ("employing over 1.26 million workers", 1_260_000, 10_000),
        ("output hit US$15.8 billion", 15_800_000_000, 100_000_000),
        ("more than 13,474 million US dollars", 13_474_000_000, 1_000_000),
        ("more than 1 million jobs", 1_000_000, 1_000_000),
        ("with 3,083 large factories", 3083, None),
        (
            "more than 131,000 new connections",
            131_000,
            None,
        ),  # digits: the print does not say they are rounded
        ("71 percent", 71, None),
        ("1.2345678 million", 1_234_567.8, None),  # every unit digit is printed
    ],
)
def test_rounding_read_from_the_print(text, value, rounded_to):
    [figure] = values_in(text)
    assert (figure.value, figure.rounded_to) == (value, rounded_to)


@pytest.mark.parametrize(
    ("row", "cell", "message"),
    [
        (
            8,
            "1000",
            "rounded_to is 1000 but the quote prints the figure to 1,000,000: 'total production of 556 million cubic meters'",
        ),
        (
            8,
            "",
            "rounded_to is empty but the quote prints the figure to 1,000,000: 'total production of 556 million cubic meters'",
        ),
        (
            2,
            "1000",
            "rounded_to is 1000 but the quote prints the figure to every digit: 'with 3,083 large factories operating nationwide'",
        ),
    ],
)
def test_rounding_mismatch(shipped, row, cell, message):
    unstamp(shipped)
    edit_csv(shipped / "data/observations.csv", row, "rounded_to", cell)
    [found] = [
        f
        for f in validate_package(shipped).findings
        if (f.code, f.row, f.field) not in SHIPPED_WARNINGS
    ]
    assert (found.code, found.row, found.field, found.cell, found.message) == (
        "rounding-mismatch",
        row,
        "rounded_to",
        cell,
        message,
    )


def test_rounding_is_checked_only_where_the_package_declares_it(shipped):
    unstamp(shipped)
    edit_csv(shipped / "data/observations.csv", 8, "rounded_to", "1000")
    d = json.loads((shipped / "datapackage.json").read_text())
    del d["misti_data"]["provenance"]["quoted"][0]["rounded_to"]
    (shipped / "datapackage.json").write_text(json.dumps(d))
    assert codes(shipped) == set()


def test_shipped_rounding_is_a_power_of_ten_the_value_is_a_multiple_of():
    with open(ROOT / "data/observations.csv", encoding="utf-8", newline="") as f:
        rounded = [
            (r["indicator_id"], r["period_end"], float(r["value"]), int(r["rounded_to"]))
            for r in csv.DictReader(f)
            if r["rounded_to"]
        ]
    assert len(rounded) == 10
    for indicator, end, value, step in rounded:
        assert str(step).strip("0") == "1" and step >= 10, (indicator, end)
        assert value % step == 0, (indicator, end)
    # written by hand from how the sources print them (see the rows' notes and quotes)
    assert {(i, e): s for i, e, _, s in rounded} == {
        ("large_factory_workers", "2025-12-31"): 10_000,  # over 1.26 million
        ("water_production", "2025-12-31"): 1_000_000,  # 556 million
        ("large_factory_workers", "2022-12-31"): 1_000_000,  # more than 1 million
        ("large_factory_investment_capital", "2021-10-31"): 1_000_000,  # more than 13,474 million
        ("large_factory_investment_capital", "2022-12-31"): 10_000_000,  # 16.69 billion
        ("large_factory_investment_capital", "2023-12-31"): 10_000_000,  # 18.56 billion
        ("large_factory_investment_capital", "2024-12-31"): 1_000_000,  # 20.456 billion
        ("large_factory_production_value", "2022-12-31"): 100_000_000,  # 15.8 billion
        ("large_factory_production_value", "2023-12-31"): 10_000_000,  # 16.36 billion
        ("water_supplied", "2023-12-31"): 1_000_000,  # about 461 million
    }
