"""The floor for `misti-data export`: a bare polars frame written to SQLite or Excel, nothing checked.

    python benchmarks/export_floor.py PACKAGE_DIR sqlite|xlsx OUT_FILE

Reads the generated package's `facts` table (benchmarks/bench_export.py) with its types, then
writes it: to SQLite with sqlite3's `executemany` over the frame's rows (dates as ISO text,
booleans as 0/1, as any correct export must), or to Excel with polars's `write_excel`.
No validation, no keys, no metadata sheet: what any export costs at least.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import polars as pl

TYPES = {
    "id": pl.Int64,
    "label": pl.String,
    "amount": pl.Float64,
    "active": pl.Boolean,
    "day": pl.Date,
    "year": pl.Int64,
    "kind": pl.String,
}


def main() -> None:
    pkg, fmt, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    out.unlink(missing_ok=True)
    frame = pl.read_csv(pkg / "data" / "facts.csv", schema=TYPES)
    if fmt == "xlsx":
        frame.write_excel(out)
        return
    con = sqlite3.connect(out)
    with con:
        con.execute(
            "CREATE TABLE facts (id INTEGER, label TEXT, amount REAL, active BOOLEAN, day DATE, year INTEGER, kind TEXT)"
        )
        rows = frame.with_columns(
            pl.col("active").cast(pl.Int8), pl.col("day").cast(pl.String)
        ).iter_rows()
        con.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    con.close()


if __name__ == "__main__":
    main()
