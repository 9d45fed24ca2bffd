"""The domain rules of an indicator package, each a row-wise test on the observation frame.

A rule says which column a finding points at, an expression that is true where a row passes
(null counts as passing: a cell that does not parse is the table checks' finding, not ours), and
how to say what is wrong with the figures in the message. series.py builds the frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from misti_data.values import show_value

_EPS = 1e-9


@dataclass(frozen=True)
class Units:
    """Which units hold percentages and which hold counts; declared by the package."""

    percent: tuple[str, ...] = ("percent",)
    count: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    code: str
    field: str
    passes: Callable[[Units], pl.Expr]
    message: Callable[[dict], str]


def num(v: float) -> str:
    """1234567.0 -> '1,234,567'; 12.5 -> '12.5'; a sum's float noise rounded off (10 digits)."""
    return show_value(v, group_from=1000, digits=10)


def pct(change: float) -> str:
    return f"{change * 100:+.1f} %"


def _series(r: dict) -> str:
    """'large_factories_operating', or 'large_factories_operating KH-12' for a province."""
    return (
        r["indicator_id"]
        if r["national"] or r["area"] is None
        else f"{r['indicator_id']} {r['area']}"
    )


def _what(r: dict) -> str:
    return f"{_series(r)} {r['period']}"


def _years(r: dict) -> str:
    return f"{_series(r)} {r['period'] - 1}→{r['period']}"


def _qualified(r: dict) -> str:
    """'3,083' or 'more than 1,260,000': the figure as the source states it."""
    q = r.get("qualifier") or "exact"
    return num(r["value"]) if q == "exact" else f"{q.replace('_', ' ')} {num(r['value'])}"


def _close(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return (a - b).abs() <= 1e-6 * pl.max_horizontal(pl.lit(1.0), a.abs(), b.abs())


PERCENT_RANGE = Rule(
    "percent-out-of-range",
    "value",
    lambda u: ~pl.col("unit").is_in(u.percent) | pl.col("value").is_between(0, 100),
    lambda r: f"{_what(r)}: {num(r['value'])} {r['unit']} is outside 0–100",
)

COUNT_WHOLE = Rule(
    "count-not-whole",
    "value",
    lambda u: (
        ~pl.col("unit").is_in(u.count)
        | ((pl.col("value") >= 0) & (pl.col("value") == pl.col("value").floor()))
    ),
    lambda r: f"{_what(r)}: {num(r['value'])} {r['unit']} is not a whole number ≥ 0",
)


def _part_exceeds() -> pl.Expr:
    """ "more than N" of a total of exactly N is already too many."""
    over = pl.col("lo") > pl.col("total_hi") * (1 + _EPS)
    reaches = (pl.col("qualifier") == "more_than") & (
        pl.col("lo") >= pl.col("total_hi") * (1 - _EPS)
    )
    return (pl.col("measure") == "part") & (over | reaches)


PART_WITHIN_TOTAL = Rule(
    "part-exceeds-total",
    "value",
    lambda u: ~_part_exceeds(),
    lambda r: (
        f"{_what(r)}: {_qualified(r)} is more than its total {r['of_indicator']} ({num(r['total_value'])})"
    ),
)

PERIOD_MATCHES_END = Rule(
    "period-mismatch",
    "period_end",
    lambda u: pl.col("period_end").dt.year() == pl.col("period"),
    lambda r: f"{r['indicator_id']}: period_end {r['period_end']} is not in period {r['period']}",
)

NOT_AFTER_PUBLICATION = Rule(
    "period-after-publication",
    "period_end",
    lambda u: pl.col("period_end") <= pl.col("published"),
    lambda r: (
        f"{_what(r)}: period_end {r['period_end']} is after the date of its source {r['source_id']!r} ({r['published']})"
    ),
)


def _round_at_3_digits() -> pl.Expr:
    v = pl.col("value").abs()
    scale = pl.lit(10.0).pow(v.log10().floor() - 2)
    return (v == 0) | (((v / scale).round() * scale - v).abs() <= _EPS * v)


QUALIFIER_ROUND = Rule(
    # "approximately 270,000": a source rounds what it calls approximate; "approximately 1,571,976"
    # is more likely a data-entry slip. Not for more_than: MISTI does print "more than 13,474
    # million" (end of October 2021 investment), a floor stated to the million.
    "qualifier-not-round",
    "value",
    lambda u: (pl.col("qualifier") != "approximately") | _round_at_3_digits(),
    lambda r: (
        f"{_what(r)}: {r['qualifier']!r} on {num(r['value'])}, which has more than 3 significant "
        "digits; sources qualify round figures — check the qualifier or the value"
    ),
)


def _identity_applies() -> pl.Expr:
    exact = (
        (pl.col("qualifier") == "exact")
        & pl.col("prev_exact")
        & pl.col("in_exact")
        & pl.col("out_exact")
    )
    return (
        pl.col("prev_value").is_not_null()
        & pl.col("in_value").is_not_null()
        & pl.col("out_value").is_not_null()
        & exact
    )


def _identity_message(r: dict) -> str:
    expected = r["prev_value"] + r["in_value"] - r["out_value"]
    return (
        f"{_what(r)}: {num(r['value'])} ≠ {num(r['prev_value'])} ({r['period'] - 1}) "
        f"+ {num(r['in_value'])} ({r['in_ids']}) − {num(r['out_value'])} ({r['out_ids']}) = {num(expected)}"
    )


STOCK_FLOW_IDENTITY = Rule(
    # Only when all four figures are exact year-end values: then the identity is arithmetic, not
    # an estimate, and a difference is a wrong figure. Otherwise FLOWS_CONSISTENT (a warning) applies.
    "stock-flow-identity",
    "value",
    lambda u: (
        ~_identity_applies()
        | _close(pl.col("value"), pl.col("prev_value") + pl.col("in_value") - pl.col("out_value"))
    ),
    _identity_message,
)


def signed(v: float) -> str:
    return format(v, "+,.10g")


def _span(lo: float, hi: float) -> str:
    if lo == float("-inf"):
        return f"at most {signed(hi)}"
    if hi == float("inf"):
        return f"at least {signed(lo)}"
    return f"{signed(lo)} to {signed(hi)}"


def _flows_message(r: dict) -> str:
    flows = []
    for p, word in (("in", "inflow"), ("out", "outflow")):
        if r[f"{p}_value"] is not None:
            q = "exact" if r[f"{p}_exact"] else "qualified"
            flows.append(f"{word} {r[f'{p}_ids']} {num(r[f'{p}_value'])} ({q})")
        else:
            flows.append(f"no {word} reported")
    change = r["value"] - r["prev_value"]
    return (
        f"{_years(r)}: {num(r['prev_value'])} → {_qualified(r)} ({signed(change)}), outside what the year's flows allow "
        f"({_span(r['flow_lo'], r['flow_hi'])}: {'; '.join(flows)})"
    )


FLOWS_CONSISTENT = Rule(
    # The stock's change, as an interval from both years' qualifiers, must meet the interval the
    # year's flows allow (a missing outflow is any amount ≥ 0; "more than N" new connections is > N).
    "stock-change-vs-flows",
    "value",
    lambda u: (
        ~(
            pl.col("prev_value").is_not_null()
            & (pl.col("in_value").is_not_null() | pl.col("out_value").is_not_null())
            & ~_identity_applies()
        )
        | ~(
            ((pl.col("lo") - pl.col("prev_hi")) > pl.col("flow_hi") + _EPS)
            | ((pl.col("hi") - pl.col("prev_lo")) < pl.col("flow_lo") - _EPS)
        )
    ),
    _flows_message,
)

JUMP_FEW = 0.20  # with fewer than 3 earlier changes, a change beyond ±20 % is unusual
JUMP_FACTOR = 2.0  # otherwise: beyond twice the largest earlier change…
JUMP_FLOOR = 0.05  # …but never below ±5 %, so that a very steady series does not warn on noise


def _jump_message(r: dict) -> str:
    earlier = (
        "no earlier change"
        if not r["earlier_n"]
        else f"earlier changes {pct(r['earlier_min'])}…{pct(r['earlier_max'])}"
    )
    return (
        f"{_years(r)}: {num(r['prev_value'])} → {num(r['value'])} ({pct(r['change'])}), {earlier}"
    )


STOCK_JUMP = Rule(
    # A stock moving far outside its own history is worth a second look at the source: usually a
    # typo or a changed definition, sometimes real (2024→2025 large factories +27.1 %).
    "stock-jump",
    "value",
    lambda u: (
        ~pl.when(pl.col("earlier_n") >= 3)
        .then(
            pl.col("change").abs()
            > pl.max_horizontal(JUMP_FACTOR * pl.col("earlier_max_abs"), pl.lit(JUMP_FLOOR))
        )
        .otherwise(pl.col("change").abs() > JUMP_FEW)
    ),
    _jump_message,
)

PROVINCES_WITHIN_NATIONAL = Rule(
    "provinces-exceed-national",
    "value",
    lambda u: ~(pl.col("provinces_lo") > pl.col("hi") * (1 + _EPS)),
    lambda r: (
        f"{r['indicator_id']} {r['period_end']}: its {r['provinces_n']} provinces sum to at least "
        f"{num(r['provinces_lo'])}, more than the national {_qualified(r)}"
    ),
)

RULES = [
    PERCENT_RANGE,
    COUNT_WHOLE,
    PART_WITHIN_TOTAL,
    PERIOD_MATCHES_END,
    NOT_AFTER_PUBLICATION,
    QUALIFIER_ROUND,
    STOCK_FLOW_IDENTITY,
    FLOWS_CONSISTENT,
    STOCK_JUMP,
    PROVINCES_WITHIN_NATIONAL,
]
