"""One frame per observation with everything the domain rules compare it with.

The rules themselves (rules.py) are then row-wise tests on this frame, which the family (__init__.py) runs
vectorized. Each `with_*` step adds the columns of one idea (bounds, totals, flows, changes,
provinces); every rule then reads the columns it needs from the one frame.

A qualified figure is read as an interval: `exact` v is [v, v]; `more_than` v is [v, ∞) (the
source gives a lower bound); `approximately` v is [0.9 v, 1.1 v] (a 10 % band, wide enough that
only a real contradiction is reported).
"""

from __future__ import annotations

import polars as pl

APPROX = 0.10
FLOW_MEASURES = ("inflow", "outflow")
ADDITIVE_MEASURES = ("stock", "flow", "inflow", "outflow", "part")
_SERIES = ["indicator_id", "area"]
# One integer per (indicator, area): sorting and windows on it are several times faster than on
# two strings (measured at 1M rows); a 64-bit hash collision is not a practical concern here.
SERIES_KEY = pl.struct(_SERIES).hash()


def observation_frame(
    obs: pl.DataFrame, indicators: pl.DataFrame, sources: pl.DataFrame | None, national: str = "KH"
) -> pl.DataFrame:
    """Typed observations (string cells that do not parse become null) with every derived column.

    Sorted so that each series' year-end figures are adjacent and in order (with_flows and
    with_changes rely on it); `row` keeps each observation's place in its file.
    """
    frame = typed_observations(obs, indicators, sources).sort("series", "year_end", "period_end")
    return (
        frame.pipe(with_totals)
        .pipe(with_flows)
        .pipe(with_changes)
        .pipe(with_province_sums, national=national)
    )


def typed_observations(
    obs: pl.DataFrame, indicators: pl.DataFrame, sources: pl.DataFrame | None
) -> pl.DataFrame:
    """Cast the cells the rules read, join each row's indicator and source, add its bounds.

    Cells that do not parse are left null (the table checks report them), so no rule fires on them.
    """
    ind = indicators.select(
        pl.col("indicator_id", "unit", "measure", "of_indicator").cast(pl.String),
    ).unique("indicator_id", keep="first")
    frame = (
        obs.with_columns(
            _typed(
                obs, "period", pl.Int64, lambda c: c.str.strip_chars().cast(pl.Int64, strict=False)
            ),
            _typed(obs, "period_end", pl.Date, lambda c: c.str.to_date("%Y-%m-%d", strict=False)),
            _typed(
                obs,
                "value",
                pl.Float64,
                lambda c: c.str.strip_chars().cast(pl.Float64, strict=False),
            ),
            pl.col("qualifier").cast(pl.String).fill_null("exact"),
        )
        .with_columns(
            value=pl.when(pl.col("value").is_finite()).then(
                "value"
            ),  # NaN and inf are the table checks' findings
        )
        .join(ind, on="indicator_id", how="left")
    )
    if sources is not None and {"source_id", "published"} <= set(sources.columns):
        # Without a publication date, the date of the event the source reports (a review
        # conference, say) bounds its figures just as well.
        dates = [c for c in ("published", "event_date") if c in sources.columns]
        pub = sources.select(
            pl.col("source_id").cast(pl.String),
            pl.coalesce(
                _typed(sources, c, pl.Date, lambda t: t.str.to_date("%Y-%m-%d", strict=False))
                for c in dates
            ).alias("published"),
        ).unique("source_id", keep="first")
        frame = frame.join(pub, on="source_id", how="left")
    else:
        frame = frame.with_columns(published=pl.lit(None, pl.Date))
    return frame.select(
        "row",
        "period",
        "period_end",
        "value",
        "published",
        "source_id",
        # Categoricals make the joins and windows below join integers, not strings (1M rows: ~2×).
        *(
            pl.col(c).cast(pl.Categorical)
            for c in ("indicator_id", "area", "qualifier", "unit", "measure", "of_indicator")
        ),
    ).with_columns(
        series=SERIES_KEY,
        lo=bound("value", "qualifier", low=True),
        hi=bound("value", "qualifier", low=False),
        year_end=(pl.col("period_end").dt.month() == 12)
        & (pl.col("period_end").dt.day() == 31)
        & (pl.col("period_end").dt.year() == pl.col("period")),
    )


def _typed(frame: pl.DataFrame, name: str, dtype, parse) -> pl.Expr:
    """Column `name` as `dtype`: the table reader has already typed it; other text is parsed here.

    Casting typed columns to text and back cost about 0.3 s per million observations.
    """
    if frame.schema[name] == dtype:
        return pl.col(name)
    return parse(pl.col(name).cast(pl.String))


def bound(value: str, qualifier: str, *, low: bool) -> pl.Expr:
    """The lower or upper end of a qualified figure's interval (see the module docstring)."""
    v, q = pl.col(value), pl.col(qualifier)
    if low:
        return pl.when(q == "approximately").then(v * (1 - APPROX)).otherwise(v)
    return (
        pl.when(q == "approximately")
        .then(v * (1 + APPROX))
        .when(q == "more_than")
        .then(float("inf"))
        .otherwise(v)
    )


def with_totals(frame: pl.DataFrame) -> pl.DataFrame:
    """For a `part`, the value and upper bound of its total at the same area and period_end."""
    totals = frame.filter(pl.col("measure") == "part")["of_indicator"].unique()
    total = frame.filter(pl.col("indicator_id").is_in(totals.implode())).select(
        pl.col("indicator_id").alias("of_indicator"),
        "area",
        "period_end",
        pl.col("value").alias("total_value"),
        pl.col("hi").alias("total_hi"),
    )
    return attach(frame, total, on=["of_indicator", "area", "period_end"])


def with_flows(frame: pl.DataFrame) -> pl.DataFrame:
    """For a stock at a year end: last year-end's stock, and the year's inflows and outflows into it.

    Only year-end figures take part: a stock at the end of October is not last December's stock
    plus a calendar year's flows. Several inflow (or outflow) indicators of one stock are summed.
    """
    follows = (
        (pl.col("series").shift(1) == pl.col("series"))
        & pl.col("year_end").shift(1)
        & (pl.col("period").shift(1) == pl.col("period") - 1)
    )
    is_stock = (pl.col("measure") == "stock") & pl.col("year_end") & follows
    frame = frame.with_columns(  # the row before, in the frame's order (see observation_frame)
        prev_value=pl.when(is_stock).then(pl.col("value").shift(1)),
        prev_lo=pl.when(is_stock).then(pl.col("lo").shift(1)),
        prev_hi=pl.when(is_stock).then(pl.col("hi").shift(1)),
        prev_exact=pl.when(is_stock).then(pl.col("qualifier").shift(1) == "exact"),
    )
    ye = frame.filter(pl.col("year_end"))
    for measure in FLOW_MEASURES:
        p = measure[:-4]  # "in" / "out"
        flows = (
            ye.filter(pl.col("measure") == measure)
            .group_by("of_indicator", "area", "period")
            .agg(
                pl.col("value").sum().alias(f"{p}_value"),
                pl.col("lo").sum().alias(f"{p}_lo"),
                pl.col("hi").sum().alias(f"{p}_hi"),
                (pl.col("qualifier") == "exact").all().alias(f"{p}_exact"),
                pl.col("indicator_id").sort().str.join("+").alias(f"{p}_ids"),
            )
            .rename({"of_indicator": "indicator_id"})
        )
        frame = attach(frame, flows, on=[*_SERIES, "period"])
    return frame.with_columns(
        flow_lo=pl.col("in_lo").fill_null(0) - pl.col("out_hi").fill_null(float("inf")),
        flow_hi=pl.col("in_hi").fill_null(float("inf")) - pl.col("out_lo").fill_null(0),
    )


def with_changes(frame: pl.DataFrame) -> pl.DataFrame:
    """For a year-end stock: its relative change on last year-end, and the series' earlier changes.

    `change` is null on every other row, so the running statistics skip them.
    """
    change = pl.when(pl.col("prev_value") > 0).then(pl.col("value") / pl.col("prev_value") - 1)
    windows = dict(
        earlier_n=pl.col("change").is_not_null().cum_sum().shift(1, fill_value=0).over("series"),
        earlier_max_abs=pl.col("change").abs().cum_max().forward_fill().shift(1).over("series"),
        earlier_min=pl.col("change").cum_min().forward_fill().shift(1).over("series"),
        earlier_max=pl.col("change").cum_max().forward_fill().shift(1).over("series"),
    )
    if frame["prev_value"].null_count() < frame.height:
        return frame.with_columns(change=change).with_columns(**windows)
    # No year-end stock follows another: every change is null and no window has anything to see
    # (the windows cost about 0.17 s per million observations).
    schema = frame.head(0).with_columns(change=change).with_columns(**windows).schema
    return frame.with_columns(
        pl.lit(0 if name == "earlier_n" else None, dtype=schema[name]).alias(name)
        for name in ["change", *windows]
    )


def with_province_sums(frame: pl.DataFrame, national: str = "KH") -> pl.DataFrame:
    """For a national figure of an additive measure: the sum of its provinces' lower bounds.

    Provinces are the areas coded `<national>-…` (ISO 3166-2), summed per indicator and period_end.
    """
    sums = (
        # Only additive measures are compared (below); a province shares its national row's measure.
        frame.filter(
            pl.col("area").cast(pl.String).str.starts_with(f"{national}-")
            & pl.col("measure").is_in(ADDITIVE_MEASURES)
        )
        .group_by("indicator_id", "period_end")
        .agg(pl.col("lo").sum().alias("provinces_lo"), pl.len().alias("provinces_n"))
        .with_columns(area=pl.lit(national).cast(pl.Categorical))
    )
    frame = attach(frame, sums, on=["indicator_id", "area", "period_end"])
    additive = pl.col("measure").is_in(ADDITIVE_MEASURES)
    return frame.with_columns(
        provinces_lo=pl.when(additive).then("provinces_lo"), national=pl.col("area") == national
    )


def attach(frame: pl.DataFrame, right: pl.DataFrame, on: list[str]) -> pl.DataFrame:
    """Left-join `right`; when it is empty, add its columns as nulls (a 1M-row join costs ~1 s)."""
    if right.height:
        return frame.join(right, on=on, how="left")
    return frame.with_columns(
        pl.lit(None, dtype).alias(c) for c, dtype in right.schema.items() if c not in on
    )
