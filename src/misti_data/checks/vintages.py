"""Vintages: the main table carries the latest figure a source published for each period.

Switched on by `misti_data.vintages` in datapackage.json, which names the tables and columns:

    "misti_data": {"vintages": {"resource": "vintages", "observations": "observations",
        "match": ["indicator_id", "area", "period_end"], "value": "value", "published": "published"}}

`published` is a year, a year and month or a date (ISO 8601), compared as text, so 2021 comes before
2021-02 and 2025. Where two figures share the latest date, observations may keep either.
"""

from __future__ import annotations

from misti_data.findings import Finding
from misti_data.registry import check, finding
from misti_data.settings import config_problems
from misti_data.tables import ROW
from misti_data.values import show_value

_DEFAULTS = {
    "resource": "vintages",
    "observations": "observations",
    "match": ["indicator_id", "area", "period_end"],
    "value": "value",
    "published": "published",
}


@check("vintages")
def check_latest_vintage(context) -> list[Finding]:
    cfg = context.settings.vintages
    if cfg is None:
        return []
    cfg = {**_DEFAULTS, **cfg}
    match, value, published = list(cfg["match"]), cfg["value"], cfg["published"]
    problems = config_problems(
        "vintages-config-error",
        context.package,
        "misti_data.vintages",
        "misti_data.vintages needs",
        [
            (None, cfg["resource"], [*match, value, published]),
            (None, cfg["observations"], [*match, value]),
        ],
    )
    if problems or context.unsafe & {cfg["resource"], cfg["observations"]}:
        return problems
    vintages, observations = context.table(cfg["resource"]), context.table(cfg["observations"])
    if (
        vintages is None
        or observations is None
        or vintages.frame is None
        or observations.frame is None
    ):
        return []  # unreadable: reported by the table checks
    import polars as pl

    latest = (
        vintages.frame.filter(
            pl.col(published).is_not_null()
            & pl.all_horizontal(pl.col(m).is_not_null() for m in match)
        )
        .filter(pl.col(published) == pl.col(published).max().over(match))
        .group_by(match, maintain_order=True)
        .agg(
            pl.col(value).alias("latest"),
            pl.col(ROW).min().alias("vintage_row"),
            pl.col(published).first().alias("when"),
        )
    )
    obs = observations.frame.select(
        *match, pl.col(value).alias("kept"), pl.col(ROW).alias("obs_row")
    )
    found = []
    for row in latest.join(obs, on=match, how="left").sort("vintage_row").iter_rows(named=True):
        what = " ".join(str(row[m]) for m in match)
        figures = " or ".join(show_value(v) for v in row["latest"])
        if row["obs_row"] is None:
            found.append(
                finding(
                    "not-latest-vintage",
                    f"{what}: {cfg['observations']} has no row for the figure published in {row['when']} ({figures})",
                    row=row["vintage_row"],
                    field=value,
                    **_where(vintages),
                )
            )
        elif row["kept"] not in row["latest"]:
            found.append(
                finding(
                    "not-latest-vintage",
                    f"{what}: {cfg['observations']} has {show_value(row['kept'])}, the latest published figure "
                    f"(in {row['when']}) is {figures}",
                    row=row["obs_row"],
                    field=value,
                    cell=show_value(row["kept"]),
                    **_where(observations),
                )
            )
    return found


def _where(table) -> dict:
    return {"resource": table.name, "path": table.path}
