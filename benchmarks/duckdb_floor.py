"""The DuckDB variant of the floor: the same checks as polars_floor.py, in SQL.

    python benchmarks/duckdb_floor.py /tmp/bench-1m

Reads every table with the schema's types (a cell that is not of its type becomes null, a short
row is padded), checks the primary key's uniqueness and both foreign keys with anti-joins, and
prints the counts. No locating, no messages. DuckDB is a benchmark dependency only
(`pip install duckdb`); it spills to disk past its memory limit, which is left at its default.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "year": "BIGINT",
    "date": "DATE",
}


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def main() -> None:
    base = Path(sys.argv[1])
    descriptor = json.loads((base / "datapackage.json").read_text())
    con = duckdb.connect()
    for res in descriptor["resources"]:
        fields = res["schema"]["fields"]
        columns = "{" + ", ".join(f"'{f['name']}': 'VARCHAR'" for f in fields) + "}"
        typed = ", ".join(
            f"TRY_CAST({q(f['name'])} AS {TYPES[f['type']]}) AS {q(f['name'])}" for f in fields
        )
        con.execute(
            f"CREATE TABLE {q(res['name'])} AS SELECT {typed} FROM read_csv('{base / res['path']}', header = true, "
            f"columns = {columns}, null_padding = true, ignore_errors = true, parallel = true)"
        )
    for res in descriptor["resources"]:
        name, schema = q(res["name"]), res["schema"]
        rows = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        nulls = con.execute(
            "SELECT "
            + " + ".join(f"count(*) - count({q(f['name'])})" for f in schema["fields"])
            + f" FROM {name}"
        ).fetchone()[0]
        keys = schema.get("primaryKey", [])
        dups = 0
        if keys:
            cols = ", ".join(q(k) for k in keys)
            dups = con.execute(
                f"SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM {name} GROUP BY {cols} HAVING n > 1)"
            ).fetchone()[0]
        orphans = 0
        for fk in schema.get("foreignKeys", []):
            child, parent = fk["fields"], fk["reference"]["fields"]
            child, parent = ([child], [parent]) if isinstance(child, str) else (child, parent)
            on = " AND ".join(f"c.{q(a)} = p.{q(b)}" for a, b in zip(child, parent))
            not_null = " AND ".join(f"c.{q(a)} IS NOT NULL" for a in child)
            orphans += con.execute(
                f"SELECT count(*) FROM {name} c ANTI JOIN {q(fk['reference']['resource'])} p ON {on} WHERE {not_null}"
            ).fetchone()[0]
        print(
            f"{res['name']}: {rows} rows, {nulls} null cells, {dups} duplicated keys, {orphans} orphans"
        )


if __name__ == "__main__":
    main()
