"""A SQLite database of the package: one table per resource, typed, with its keys as constraints."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from misti_data.atomic import atomic_path
from misti_data.errors import CannotRun
from misti_data.export.meta import about
from misti_data.package import Package
from misti_data.tables import ROW, TypedTable

# Declared types keep the Table Schema's meaning for readers (DATE, BOOLEAN) while SQLite's type
# affinity stores numbers as numbers and ISO dates as text.
_TYPES = {
    "integer": "INTEGER",
    "year": "INTEGER",
    "number": "REAL",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "DATETIME",
    "time": "TIME",
}
META_TABLES = ("_package", "_columns")


def write_sqlite(package: Package, tables: list[TypedTable], path: Path) -> None:
    """Write the database at `path` atomically; raise CannotRun if the keys cannot be declared."""
    import sqlite3

    clash = sorted({t.name for t in tables} & set(META_TABLES))
    if clash:
        raise CannotRun(
            f"{package.label}: resource name {clash[0]!r} is reserved for the export's metadata table"
        )
    unique = _referenced_columns(tables)
    with atomic_path(path) as tmp:
        con = sqlite3.connect(tmp)
        try:
            with con:
                for table in tables:
                    con.execute(create_table(table, unique.get(table.name, [])))
                    marks = ", ".join("?" for _ in table.fields)
                    con.executemany(
                        f"INSERT INTO {_q(table.name)} VALUES ({marks})", sqlite_rows(table)
                    )
                _write_metadata(con, package, tables)
            broken = con.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.IntegrityError as e:
            raise CannotRun(f"{package.label}: cannot build the SQLite database: {e}") from None
        finally:
            con.close()
        if broken:
            table, rowid, parent, _ = broken[0]
            raise CannotRun(
                f"{package.label}: {table} row {rowid} has no match in {parent} (foreign key)"
            )


def create_table(table: TypedTable, unique: list[list[str]]) -> str:
    """CREATE TABLE with NOT NULL, PRIMARY KEY, UNIQUE and FOREIGN KEY clauses from the schema."""
    parts = []
    for f in table.fields:
        column = f"{_q(f['name'])} {_TYPES.get(f.get('type', 'string'), 'TEXT')}"
        constraints = f.get("constraints") if isinstance(f.get("constraints"), dict) else {}
        if constraints.get("required") or f["name"] in table.primary_key:
            column += " NOT NULL"
        parts.append(column)
    if table.primary_key:
        parts.append(f"PRIMARY KEY ({_cols(table.primary_key)})")
    for cols in unique:
        parts.append(f"UNIQUE ({_cols(cols)})")
    for fk in table.foreign_keys:
        parts.append(
            f"FOREIGN KEY ({_cols(fk['fields'])}) REFERENCES {_q(fk['resource'])} ({_cols(fk['reference_fields'])})"
        )
    return f"CREATE TABLE {_q(table.name)} (\n  " + ",\n  ".join(parts) + "\n)"


def _referenced_columns(tables: list[TypedTable]) -> dict[str, list[list[str]]]:
    """Columns other tables reference that are not already the primary key: SQLite wants them UNIQUE."""
    keys = {t.name: t.primary_key for t in tables}
    found: dict[str, list[list[str]]] = {}
    for t in tables:
        for fk in t.foreign_keys:
            cols = fk["reference_fields"]
            if cols != keys.get(fk["resource"]) and cols not in found.setdefault(
                fk["resource"], []
            ):
                found[fk["resource"]].append(cols)
    return found


def _write_metadata(con, package: Package, tables: list[TypedTable]) -> None:
    con.execute("CREATE TABLE _package (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    rows = about(package) + [
        ("datapackage.json", json.dumps(package.descriptor, ensure_ascii=False, indent=2))
    ]
    con.executemany("INSERT INTO _package VALUES (?, ?)", rows)
    con.execute(
        'CREATE TABLE _columns ("table" TEXT NOT NULL, "column" TEXT NOT NULL, position INTEGER NOT NULL,'
        ' type TEXT NOT NULL, description TEXT, PRIMARY KEY ("table", "column"))'
    )
    con.executemany(
        "INSERT INTO _columns VALUES (?, ?, ?, ?, ?)",
        [
            (t.name, f["name"], i, f.get("type", "string"), f.get("description"))
            for t in tables
            for i, f in enumerate(t.fields, start=1)
        ],
    )


def sqlite_rows(table: TypedTable):
    """The table's rows as sqlite3 takes them, converted column by column in polars (booleans as
    0/1, dates as ISO text): a Python call per cell made the 1M-row export several times slower."""
    import polars as pl

    frame = table.frame.drop(ROW)
    fixes = []
    for name, dtype in frame.schema.items():
        if dtype == pl.Boolean:
            fixes.append(pl.col(name).cast(pl.Int8))
        elif dtype == pl.Date:
            fixes.append(pl.col(name).cast(pl.String))
        elif dtype in (pl.Datetime, pl.Time) or isinstance(dtype, pl.Datetime):
            fixes.append(pl.col(name).map_elements(_iso, return_dtype=pl.String))
    return (frame.with_columns(fixes) if fixes else frame).iter_rows()


def _iso(value: dt.datetime | dt.time) -> str:
    return value.isoformat()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _cols(names: list[str]) -> str:
    return ", ".join(_q(n) for n in names)
