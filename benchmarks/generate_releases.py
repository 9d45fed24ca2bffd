"""Write two releases of an observations-like package with a known difference (the ground truth).

OLD has indicators × areas × years rows; NEW changes 0.1 % of the values, removes 0.01 % of
the rows and appends one more year. Both are written as package folders with a composite
primary key (indicator_id, area, period_end), plus `truth.json` with the expected counts.

    python benchmarks/generate_releases.py OUT_DIR --rows 1000000
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import polars as pl

FIELDS = [
    {"name": "indicator_id", "type": "string"},
    {"name": "area", "type": "string"},
    {"name": "period_end", "type": "date"},
    {"name": "period", "type": "year"},
    {"name": "value", "type": "number"},
    {
        "name": "qualifier",
        "type": "string",
        "constraints": {"enum": ["exact", "more_than", "approximately"]},
    },
]
YEARS = 20
INDICATORS = 100
CHANGE_EVERY, REMOVE_EVERY = (
    1000,
    10_000,
)  # 0.1 % changed, 0.01 % removed (disjoint: offsets differ)


def frame(rows: int, years: range) -> pl.DataFrame:
    """`rows` rows spread over INDICATORS × areas × `years`; values follow from the row number."""
    areas = rows // (INDICATORS * len(years))
    i = pl.int_range(0, INDICATORS * areas * len(years), eager=True).alias("i")
    year = years.start + i // (INDICATORS * areas)
    return pl.DataFrame(i).with_columns(
        ("ind_" + (pl.col("i") % INDICATORS).cast(pl.String).str.zfill(3)).alias("indicator_id"),
        ("KH-" + ((pl.col("i") // INDICATORS) % areas).cast(pl.String)).alias("area"),
        pl.date(year, 12, 31).alias("period_end"),
        year.alias("period"),
        ((pl.col("i") * 7919) % 1_000_003 / 10).alias("value"),
        pl.lit("exact").alias("qualifier"),
    )


def write(folder: Path, df: pl.DataFrame, version: str) -> None:
    (folder / "data").mkdir(parents=True, exist_ok=True)
    df.drop("i").write_csv(folder / "data" / "observations.csv")
    descriptor = {
        "name": "bench",
        "version": version,
        "licenses": [{"name": "CC0-1.0"}],
        "sources": [{"title": "generated"}],
        "resources": [
            {
                "name": "observations",
                "path": "data/observations.csv",
                "format": "csv",
                "schema": {"fields": FIELDS, "primaryKey": ["indicator_id", "area", "period_end"]},
            }
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n")


def generate(out: Path, rows: int) -> dict:
    old = frame(rows, range(2000, 2000 + YEARS))
    changed = (pl.col("i") % CHANGE_EVERY) == 17
    removed = (pl.col("i") % REMOVE_EVERY) == 503
    new = old.filter(~removed).with_columns(
        pl.when(changed).then(pl.col("value") + 0.5).otherwise(pl.col("value")).alias("value")
    )
    areas = rows // (INDICATORS * YEARS)
    extra = frame(INDICATORS * areas, range(2000 + YEARS, 2001 + YEARS))
    new = pl.concat([new, extra])
    write(out / "old", old, "1.0.0")
    write(out / "new", new, "1.1.0")
    truth = {
        "rows_old": old.height,
        "rows_new": new.height,
        "added": extra.height,
        "removed": old.filter(removed).height,
        "changed": old.filter(changed).height,
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=2) + "\n")
    return truth


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    print(json.dumps(generate(args.out, args.rows)))
