"""Each domain rule on small tables: it fires on the defect it is for, and only there."""

from __future__ import annotations

import polars as pl
import pytest

from misti_data.checks import CATALOGUE
from misti_data.checks.domain import rules as R
from misti_data.checks.domain import run_rules
from misti_data.checks.domain.series import observation_frame

UNITS = R.Units(percent=("percent",), count=("factories", "persons", "connections"))
INDICATORS = [
    # indicator_id, unit, measure, of_indicator
    ("operating", "factories", "stock", None),
    ("opened", "factories", "inflow", "operating"),
    ("closed", "factories", "outflow", "operating"),
    ("workers", "persons", "stock", None),
    ("women_workers", "persons", "part", "workers"),
    ("women_share", "percent", "share", "workers"),
    ("connections", "connections", "stock", None),
    ("new_connections", "connections", "inflow", "connections"),
]


def findings(rule, obs, published="2026-02-24", event_date=""):
    """[(code, row, message)] of `rule` on observations given as (indicator, period, value[, qualifier, area, end])."""
    rows = []
    for o in obs:
        ind, period, value, *rest = o
        qual, area, end = (*rest, *("exact", "KH", None)[len(rest) :])
        rows.append(
            {
                "indicator_id": ind,
                "period": str(period),
                "period_end": end or f"{period}-12-31",
                "area": area,
                "value": str(value),
                "qualifier": qual,
                "source_id": "src",
            }
        )
    frame = (
        pl.DataFrame(rows)
        .with_row_index("row", offset=2)
        .with_columns(pl.col("row").cast(pl.Int64))
    )
    indicators = pl.DataFrame(
        INDICATORS, schema=["indicator_id", "unit", "measure", "of_indicator"], orient="row"
    )
    sources = pl.DataFrame(
        {"source_id": ["src"], "published": [published], "event_date": [event_date]}
    )
    out = run_rules(
        observation_frame(frame, indicators, sources), [rule], UNITS, resource="observations"
    )
    assert all(f.code == rule.code and f.severity == CATALOGUE[rule.code][0] for f in out)
    return [(f.row, f.message) for f in out]


def rows_of(found):
    return [row for row, _ in found]


# The large-factory series as MISTI reports it (operating, opened, closed).
FACTORIES = [
    ("operating", 2022, 1982),
    ("operating", 2023, 2125),
    ("operating", 2024, 2425),
    ("operating", 2025, 3083),
    ("opened", 2023, 241),
    ("opened", 2024, 326),
    ("closed", 2023, 98),
    ("closed", 2024, 26),
]


def test_percent_out_of_range():
    assert (
        rows_of(findings(R.PERCENT_RANGE, [("women_share", 2025, 71), ("women_share", 2024, 100)]))
        == []
    )
    found = findings(
        R.PERCENT_RANGE,
        [("women_share", 2025, 171), ("women_share", 2024, -1), ("workers", 2025, 500)],
    )
    assert found == [
        (2, "women_share 2025: 171 percent is outside 0–100"),
        (3, "women_share 2024: -1 percent is outside 0–100"),
    ]


def test_count_not_whole():
    assert (
        rows_of(findings(R.COUNT_WHOLE, [("operating", 2025, 3083), ("women_share", 2025, 71.5)]))
        == []
    )
    assert rows_of(
        findings(R.COUNT_WHOLE, [("operating", 2025, 3083.5), ("workers", 2025, -3)])
    ) == [2, 3]


def test_part_exceeds_total():
    ok = [("workers", 2025, 1260000, "more_than"), ("women_workers", 2025, 2000000, "exact")]
    assert rows_of(findings(R.PART_WITHIN_TOTAL, ok)) == []  # the total is only a lower bound
    bad = [("workers", 2025, 1260000), ("women_workers", 2025, 1300000), ("women_workers", 2024, 5)]
    assert findings(R.PART_WITHIN_TOTAL, bad) == [
        (3, "women_workers 2025: 1,300,000 is more than its total workers (1,260,000)")
    ]
    edge = [("workers", 2025, 100), ("women_workers", 2025, 100, "more_than")]
    assert rows_of(findings(R.PART_WITHIN_TOTAL, edge)) == [3]


def test_part_compared_at_the_same_area_and_date_only():
    obs = [("workers", 2025, 100, "exact", "KH-12"), ("women_workers", 2025, 150, "exact", "KH")]
    assert rows_of(findings(R.PART_WITHIN_TOTAL, obs)) == []


def test_period_mismatch():
    assert (
        rows_of(
            findings(R.PERIOD_MATCHES_END, [("operating", 2021, 5, "exact", "KH", "2021-10-31")])
        )
        == []
    )
    found = findings(R.PERIOD_MATCHES_END, [("operating", 2024, 5, "exact", "KH", "2025-12-31")])
    assert found == [(2, "operating: period_end 2025-12-31 is not in period 2024")]


def test_period_after_publication():
    assert (
        rows_of(findings(R.NOT_AFTER_PUBLICATION, [("operating", 2025, 5)], published="2026-02-24"))
        == []
    )
    assert rows_of(findings(R.NOT_AFTER_PUBLICATION, [("operating", 2025, 5)], published="")) == []
    assert rows_of(
        findings(
            R.NOT_AFTER_PUBLICATION, [("operating", 2026, 5)], published="", event_date="2026-02-20"
        )
    ) == [2]
    found = findings(R.NOT_AFTER_PUBLICATION, [("operating", 2026, 5)], published="2026-02-24")
    assert found == [
        (
            2,
            "operating 2026: period_end 2026-12-31 is after the date of its source 'src' (2026-02-24)",
        )
    ]


@pytest.mark.parametrize(
    ("value", "qualifier", "warns"),
    [
        (131000, "more_than", False),
        (1260000, "more_than", False),
        (71, "more_than", False),
        (270000, "approximately", False),
        (12.5, "approximately", False),
        (1571976, "exact", False),
        (1571976, "more_than", False),
        (1571976, "approximately", True),
        (3083, "approximately", True),
        (0, "more_than", False),
    ],
)
def test_qualifier_not_round(value, qualifier, warns):
    assert bool(findings(R.QUALIFIER_ROUND, [("connections", 2025, value, qualifier)])) is warns


def test_stock_flow_identity_holds_on_the_factory_series():
    assert findings(R.STOCK_FLOW_IDENTITY, FACTORIES) == []


def test_stock_flow_identity_broken():
    broken = [o if o != ("closed", 2024, 26) else ("closed", 2024, 62) for o in FACTORIES]
    assert findings(R.STOCK_FLOW_IDENTITY, broken) == [
        (4, "operating 2024: 2,425 ≠ 2,125 (2023) + 326 (opened) − 62 (closed) = 2,389"),
    ]


def test_stock_flow_identity_needs_four_exact_year_end_figures():
    qualified = [*FACTORIES[:1], ("operating", 2023, 2200, "more_than"), *FACTORIES[4:]]
    assert findings(R.STOCK_FLOW_IDENTITY, qualified) == []
    october = [("operating", 2022, 1982, "exact", "KH", "2022-10-31"), *FACTORIES[1:]]
    assert rows_of(findings(R.STOCK_FLOW_IDENTITY, october)) == []
    no_outflow = [o for o in FACTORIES if o[0] != "closed"]
    assert findings(R.STOCK_FLOW_IDENTITY, no_outflow) == []


def test_stock_change_vs_flows_with_a_more_than_inflow():
    # "more than 131,000 new connections" allows any net change below it (disconnections unknown)…
    ok = [
        ("connections", 2024, 1450000),
        ("connections", 2025, 1571976),
        ("new_connections", 2025, 131000, "more_than"),
    ]
    assert findings(R.FLOWS_CONSISTENT, ok) == []
    # …but an exact inflow caps the net change when no outflow is reported.
    bad = [
        ("connections", 2024, 1400000),
        ("connections", 2025, 1571976),
        ("new_connections", 2025, 131000),
    ]
    assert findings(R.FLOWS_CONSISTENT, bad) == [
        (
            3,
            (
                "connections 2024→2025: 1,400,000 → 1,571,976 (+171,976), outside what the year's flows allow "
                "(at most +131,000: inflow new_connections 131,000 (exact); no outflow reported)"
            ),
        )
    ]


def test_stock_change_vs_flows_is_silent_where_the_identity_rules():
    broken = [o if o != ("closed", 2024, 26) else ("closed", 2024, 62) for o in FACTORIES]
    assert findings(R.FLOWS_CONSISTENT, broken) == []
    approx = [
        o if o != ("opened", 2024, 326) else ("opened", 2024, 100, "approximately")
        for o in FACTORIES
    ]
    assert rows_of(findings(R.FLOWS_CONSISTENT, approx)) == [4]


def test_stock_jump_on_the_factory_series():
    assert findings(R.STOCK_JUMP, FACTORIES) == [
        (5, "operating 2024→2025: 2,425 → 3,083 (+27.1 %), earlier changes +7.2 %…+14.1 %"),
    ]


def test_stock_jump_against_a_long_history():
    steady = [
        ("workers", y, v)
        for y, v in [(2019, 100), (2020, 103), (2021, 106), (2022, 110), (2023, 112)]
    ]
    assert (
        findings(R.STOCK_JUMP, [*steady, ("workers", 2024, 117)]) == []
    )  # +4.5 %: under the 5 % floor
    found = findings(R.STOCK_JUMP, [*steady, ("workers", 2024, 121)])  # +8.0 % > 2 × 3.8 %
    assert found == [(7, "workers 2023→2024: 112 → 121 (+8.0 %), earlier changes +1.8 %…+3.8 %")]


def test_stock_jump_first_change_and_gaps():
    assert rows_of(findings(R.STOCK_JUMP, [("workers", 2020, 100), ("workers", 2021, 150)])) == [3]
    assert (
        findings(R.STOCK_JUMP, [("workers", 2020, 100), ("workers", 2022, 150)]) == []
    )  # not consecutive


def test_provinces_exceed_national():
    ok = [
        ("operating", 2024, 2425),
        ("operating", 2024, 1000, "exact", "KH-12"),
        ("operating", 2024, 400, "exact", "KH-3"),
    ]
    assert findings(R.PROVINCES_WITHIN_NATIONAL, ok) == []
    bad = [*ok, ("operating", 2024, 1100, "more_than", "KH-8")]
    assert findings(R.PROVINCES_WITHIN_NATIONAL, bad) == [
        (
            2,
            "operating 2024-12-31: its 3 provinces sum to at least 2,500, more than the national 2,425",
        ),
    ]


def test_provinces_of_a_share_are_not_summed():
    obs = [
        ("women_share", 2024, 70),
        ("women_share", 2024, 60, "exact", "KH-12"),
        ("women_share", 2024, 60, "exact", "KH-3"),
    ]
    assert findings(R.PROVINCES_WITHIN_NATIONAL, obs) == []


def test_cells_that_do_not_parse_are_left_to_the_table_checks():
    obs = [
        ("women_share", 2024, "NaN"),
        ("operating", 2024, "inf"),
        ("operating", "20x4", "abc"),
        ("workers", 2024, "1,5"),
    ]
    for rule in R.RULES:
        assert findings(rule, obs) == [], rule.code


def test_messages_name_a_province_but_not_the_nation():
    obs = [
        ("workers", 2020, 100, "exact", "KH-12"),
        ("workers", 2021, 150, "exact", "KH-12"),
        ("workers", 2020, 100),
        ("workers", 2021, 150),
    ]
    assert [m for _, m in findings(R.STOCK_JUMP, obs)] == [
        "workers KH-12 2020→2021: 100 → 150 (+50.0 %), no earlier change",
        "workers 2020→2021: 100 → 150 (+50.0 %), no earlier change",
    ]
