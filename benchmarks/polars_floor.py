"""The floor: what a bare polars script needs to check the synthetic package's observations.

    python benchmarks/polars_floor.py /tmp/bench-1m

Reads every table with the schema's types (bad cells become null), checks the composite key's
uniqueness and both foreign keys with anti-joins, and prints the counts. No locating, no messages.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

TYPES = {
    "string": pl.String,
    "integer": pl.Int64,
    "number": pl.Float64,
    "year": pl.Int64,
    "date": pl.Date,
}


def read(base: Path, resource: dict) -> pl.DataFrame:
    fields = resource["schema"]["fields"]
    return pl.read_csv(
        base / resource["path"],
        schema={f["name"]: TYPES[f["type"]] for f in fields},
        ignore_errors=True,
        truncate_ragged_lines=True,
    )


def main() -> None:
    import json

    base = Path(sys.argv[1])
    descriptor = json.loads((base / "datapackage.json").read_text())
    tables = {r["name"]: (r, read(base, r)) for r in descriptor["resources"]}
    for name, (resource, frame) in tables.items():
        schema = resource["schema"]
        keys = schema.get("primaryKey", [])
        dups = frame.select(keys).is_duplicated().sum() if keys else 0
        orphans = 0
        for fk in schema.get("foreignKeys", []):
            parent = tables[fk["reference"]["resource"]][1].select(
                pl.col(fk["reference"]["fields"]).alias(fk["fields"])
            )
            orphans += (
                frame.drop_nulls(fk["fields"]).join(parent, on=fk["fields"], how="anti").height
            )
        nulls = frame.null_count().sum_horizontal().item()
        print(
            f"{name}: {frame.height} rows, {nulls} null cells, {dups} duplicated keys, {orphans} orphans"
        )


if __name__ == "__main__":
    main()
