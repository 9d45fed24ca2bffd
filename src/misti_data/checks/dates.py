"""Dates: a vintage's date agrees with its source's, and no figure is dated before its period ends.

Runs where `misti_data.vintages` is set, on the tables it names, with the sources table
(`"sources"`, default `sources`). A source's date is `published` where it shows one; an undated
source is bounded by `published_from` (or its `event_date`) and `published_by`.
A vintage's `published` may be a date, a yearmonth or a year: each is the span of days it covers,
and a finding needs the spans to be apart, so a year never contradicts a date inside it.
"""

from __future__ import annotations

from misti_data.checks.vintages import DEFAULTS
from misti_data.findings import Finding
from misti_data.registry import check, finding
from misti_data.tables import ROW
from misti_data.values import show_value


@check("dates")
def check_dates(context) -> list[Finding]:
    cfg = context.settings.vintages
    if cfg is None:
        return []
    cfg = {"sources": "sources", "source": "source_id", "period_end": "period_end"} | DEFAULTS | cfg
    names = (cfg["resource"], cfg["observations"], cfg["sources"])
    if not all(isinstance(n, str) for n in names) or context.unsafe & set(names):
        return []
    vintages, observations, sources = (context.table(n) for n in names)
    match, value, source = list(cfg["match"]), cfg["value"], cfg["source"]
    needed = (
        (vintages, [*match, value, cfg["published"], source, cfg["period_end"]]),
        (observations, [*match, value, source]),
        (sources, [source]),
    )
    if any(t is None or t.frame is None or not set(c) <= set(t.frame.columns) for t, c in needed):
        return []  # the vintages family reports what is missing; the table checks what is unreadable
    import polars as pl

    dated = _source_spans(sources.frame, source)
    vint = (
        vintages.frame.select(
            ROW,
            *match,
            value,
            source,
            pl.col(cfg["period_end"]).alias("end"),
            pl.col(cfg["published"]).alias("pub"),
        )
        .filter(pl.all_horizontal(pl.col(c).is_not_null() for c in [*match, "pub"]))
        .with_columns(_span(pl.col("pub"), vintages.frame.schema[cfg["published"]]))
        .filter(pl.col("pub_lo").is_not_null() & pl.col("pub_hi").is_not_null())
        .join(dated, on=source, how="left")
    )
    obs = observations.frame.select(ROW, *match, value, source).join(dated, on=source, how="left")
    where = lambda t, field: {"resource": t.name, "path": t.path, "field": field}
    what = lambda r: " ".join(str(r[m]) for m in match)
    found = [
        finding(
            "vintage-before-period-end",
            f"{what(r)}: {show_value(r[value])} is {_dated(r, source)} before the period it is for ends ({r['end']})",
            row=r[ROW],
            **where(vintages, cfg["published"] if _too_early(r) else source),
        )
        for r in vint.filter(
            (pl.col("pub_hi") < pl.col("end")) | (pl.col("src_hi") < pl.col("end"))
        ).iter_rows(named=True)
    ]
    found += [
        finding(
            "vintage-after-source",
            f"{what(r)}: {show_value(r[value])} is dated {r['pub']}, but its source {r[source]!r} "
            f"printed it earlier ({_shown(r)})",
            row=r[ROW],
            **where(vintages, cfg["published"]),
        )
        for r in vint.filter(pl.col("pub_lo") > pl.col("src_hi")).iter_rows(named=True)
    ]
    later = vint.select(
        *match,
        pl.col(value).alias("l_value"),
        pl.col("pub").alias("l_pub"),
        pl.col("pub_lo").alias("l_lo"),
        pl.col("pub_hi").alias("l_hi"),
        pl.col(source).alias("l_source"),
    )
    # A vintage dated before a later one, whose source dates from after that later one: nothing
    # shows the figure was out when the vintage says.
    early = vint.join(later, on=match).filter(
        (pl.col("l_lo") > pl.col("pub_hi")) & (pl.col("src_lo") > pl.col("l_hi"))
    )
    # An observation whose source dates from after a vintage that replaced its figure: it cites a
    # publication the vintages table does not hold, so the table's latest figure is not the latest.
    last_kept = obs.join(later, on=match).filter(pl.col("l_value") == pl.col(value))
    last_kept = last_kept.group_by(ROW).agg(pl.col("l_hi").max().alias("kept_hi"))
    stale = (
        obs.join(later, on=match)
        .join(last_kept, on=ROW, how="left")
        .filter(
            (pl.col("l_value") != pl.col(value))
            & (pl.col("kept_hi").is_null() | (pl.col("l_lo") > pl.col("kept_hi")))
            & (pl.col("src_lo") > pl.col("l_hi"))
        )
    )
    for table, frame, field, tail in (
        (vintages, early, cfg["published"], lambda r: f", yet this vintage is dated {r['pub']}"),
        (observations, stale, source, lambda r: f"; {cfg['resource']} lacks that publication"),
    ):
        first = frame.sort(ROW, "l_lo").unique(ROW, keep="first", maintain_order=True)
        found += [
            finding(
                "source-after-later-vintage",
                f"{what(r)}: {show_value(r[value])} cites {r[source]!r}, which dates from "
                f"{r['src_lo']} or later, after {r['l_source']!r} gave {show_value(r['l_value'])} "
                f"in {r['l_pub']}{tail(r)}",
                row=r[ROW],
                **where(table, field),
            )
            for r in first.iter_rows(named=True)
        ]
    return sorted(found, key=lambda f: (f.path or "", f.row or 0))


def _source_spans(frame, source: str):
    """Each source's earliest and latest possible publication date."""
    import polars as pl

    def date(name):
        ok = name in frame.columns and frame.schema[name] == pl.Date
        return pl.col(name) if ok else pl.lit(None, pl.Date)

    return frame.select(
        pl.col(source),
        pl.coalesce(date("published"), date("published_from"), date("event_date")).alias("src_lo"),
        pl.coalesce(date("published"), date("published_by")).alias("src_hi"),
        date("published").alias("src_published"),
    ).unique(source, keep="first")


def _span(pub, dtype):
    """The first and last day a date, a yearmonth ('2021-02') or a year (2021) covers."""
    import polars as pl

    if dtype == pl.Date:
        return pub.alias("pub_lo"), pub.alias("pub_hi")
    if dtype.is_integer():
        return pl.date(pub, 1, 1).alias("pub_lo"), pl.date(pub, 12, 31).alias("pub_hi")
    text = pub.cast(pl.String)
    day = text.str.to_date("%Y-%m-%d", strict=False)
    month = (text + "-01").str.to_date("%Y-%m-%d", strict=False)
    year = (text + "-01-01").str.to_date("%Y-%m-%d", strict=False)
    return (
        pl.coalesce(day, month, year).alias("pub_lo"),
        pl.coalesce(day, month.dt.month_end(), pl.date(year.dt.year(), 12, 31)).alias("pub_hi"),
    )


def _shown(r: dict) -> str:
    if r["src_published"] is not None:
        return f"dated {r['src_published']}"
    return f"published by {r['src_hi']}"


def _too_early(r: dict) -> bool:
    """The vintage's own date is before its period ends (else its source's is)."""
    return r["pub_hi"] < r["end"]


def _dated(r: dict, source: str) -> str:
    return f"dated {r['pub']}," if _too_early(r) else f"from {r[source]!r}, {_shown(r)},"
