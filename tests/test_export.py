"""`misti-data export`: each export read back with its own reader gives the package's typed values."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from decimal import Decimal

import pytest

from conftest import PACKAGES
from misti_data.export.xlsx import sheet_names
from misti_data.package import load_package
from misti_data.tables import tables as read_tables

# Written by hand from tests/packages/export-types/data/*.csv, as the schema types them.
THINGS = [
    [1, "one", 1.5, True, dt.date(2025, 12, 31), 2025, "a"],
    [2, "=1+1", 2.0, False, dt.date(2024, 1, 1), 2024, "b"],
    [3, None, None, None, None, None, None],
    [4, "<script>alert(1)</script>", -0.25, True, dt.date(2000, 2, 29), 1999, "a"],
]
KINDS = [[10, "a", "first kind, with a comma"], [20, "b", "second kind"]]
THINGS_TYPES = ["integer", "string", "number", "boolean", "date", "year", "string"]
KINDS_TYPES = ["integer", "string", "string"]


@pytest.fixture
def typed_pkg(tmp_path):
    return shutil.copytree(PACKAGES / "export-types", tmp_path / "export-types")


def kind(value) -> str:
    """int and float are both 'number': a reader may give 2 or 2.0 for the same cell."""
    if isinstance(value, bool):
        return "bool"
    return "number" if isinstance(value, (int, float)) else type(value).__name__


def assert_same(got: list[list], expected: list[list]) -> None:
    assert got == expected
    assert [[kind(v) for v in row] for row in got] == [[kind(v) for v in row] for row in expected]


# Each reader's own conventions, undone the way a consumer would, from the declared column type only.
def from_xlsx(value, ftype):
    return value.date() if ftype == "date" and isinstance(value, dt.datetime) else value


def from_sqlite(value, ftype):
    if value is None:
        return None
    if ftype == "boolean":
        assert value in (0, 1)
        return bool(value)
    return dt.date.fromisoformat(value) if ftype == "date" else value


def from_csvw(value, ftype):
    if ftype == "date" and isinstance(value, dt.datetime):
        return value.date()
    if ftype == "year" and value is not None:
        return int(value)  # csvw reads xsd:gYear as its lexical form
    return value


def read_xlsx(path, sheet, types):
    from openpyxl import load_workbook

    ws = load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    return list(rows[0]), [[from_xlsx(v, t) for v, t in zip(r, types)] for r in rows[1:]]


def read_sqlite(path, table, types):
    con = sqlite3.connect(path)
    try:
        cur = con.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        return [d[0] for d in cur.description], [
            [from_sqlite(v, t) for v, t in zip(r, types)] for r in cur
        ]
    finally:
        con.close()


def read_csvw(metadata, url, types):
    from csvw import TableGroup

    table = next(t for t in TableGroup.from_file(metadata).tables if str(t.url) == url)
    header = [
        c.name for c in table.tableSchema.columns
    ]  # a header-only table has no first row to read it from
    return header, [[from_csvw(r[h], t) for h, t in zip(header, types)] for r in table.iterdicts()]


def test_export_all_reports_each_file(run, typed_pkg):
    result = run("export", typed_pkg)
    assert result.exit_code == 0, result.output
    out = typed_pkg / "exports"
    assert result.stdout.splitlines() == [
        f"wrote {out / 'export-types.xlsx'} (xlsx: 2 tables, 6 rows)",
        f"wrote {out / 'export-types.sqlite'} (sqlite: 2 tables, 6 rows)",
        f"wrote {out / 'csvw' / 'csv-metadata.json'} (csvw: 2 tables, 6 rows)",
    ]
    assert result.stderr == ""
    assert not list(out.rglob(".*.tmp")), "a temp file was left behind"


def test_xlsx_round_trip(run, typed_pkg, tmp_path):
    from openpyxl import load_workbook

    assert run("export", typed_pkg, "--to", "xlsx", "--out", tmp_path / "x").exit_code == 0
    path = tmp_path / "x" / "export-types.xlsx"
    assert load_workbook(path).sheetnames == ["About", "things", "kinds"]
    header, rows = read_xlsx(path, "things", THINGS_TYPES)
    assert header == ["id", "label", "amount", "active", "day", "year", "kind_code"]
    assert_same(rows, THINGS)
    assert_same(read_xlsx(path, "kinds", KINDS_TYPES)[1], KINDS)
    ws = load_workbook(path)["things"]
    assert ws.freeze_panes == "A2"
    assert ws["B3"].data_type == "s", (
        "a cell starting with '=' must stay text, not become a formula"
    )
    assert ws["E2"].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width


def test_xlsx_about_sheet_says_what_the_package_is(run, typed_pkg, tmp_path):
    from openpyxl import load_workbook

    run("export", typed_pkg, "--to", "xlsx", "--out", tmp_path)
    rows = [
        r
        for r in load_workbook(tmp_path / "export-types.xlsx")["About"].iter_rows(values_only=True)
    ]
    about = {r[0]: r[1] for r in rows if r[0] and r[1] and r[0] != "sheet"}
    assert about["title"] == "Every cell type an export must keep"
    assert about["version"] == "2.1.0"
    assert (
        about["licences"]
        == "CC0-1.0 (CC0 1.0) <https://creativecommons.org/publicdomain/zero/1.0/>"
    )
    assert about["sources"] == "made up for the tests"
    assert ("things", "amount", "number", "How much of it there is.") in rows
    assert ("kinds", "code", "string", None) in rows


def test_sqlite_round_trip_with_types_and_keys(run, typed_pkg, tmp_path):
    assert run("export", typed_pkg, "--to", "sqlite", "--out", tmp_path).exit_code == 0
    path = tmp_path / "export-types.sqlite"
    _, rows = read_sqlite(path, "things", THINGS_TYPES)
    assert_same(rows, THINGS)
    assert_same(read_sqlite(path, "kinds", KINDS_TYPES)[1], KINDS)
    con = sqlite3.connect(path)
    columns = con.execute('PRAGMA table_info("things")').fetchall()
    assert [(c[1], c[2], c[3], c[5]) for c in columns] == [
        ("id", "INTEGER", 1, 1),
        ("label", "TEXT", 0, 0),
        ("amount", "REAL", 0, 0),
        ("active", "BOOLEAN", 0, 0),
        ("day", "DATE", 0, 0),
        ("year", "INTEGER", 0, 0),
        ("kind_code", "TEXT", 0, 0),
    ]
    assert [(k[2], k[3], k[4]) for k in con.execute('PRAGMA foreign_key_list("things")')] == [
        ("kinds", "kind_code", "code")
    ]
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute(
        "SELECT typeof(amount), typeof(day) FROM things WHERE id = 1"
    ).fetchone() == ("real", "text")
    meta = dict(con.execute("SELECT key, value FROM _package"))
    assert meta["version"] == "2.1.0"
    assert json.loads(meta["datapackage.json"])["name"] == "export-types"
    assert con.execute(
        "SELECT type, description FROM _columns WHERE \"table\" = 'things' AND \"column\" = 'label'"
    ).fetchone() == ("string", "What the thing is called.")
    con.close()


def test_sqlite_enforces_the_foreign_keys_it_declares(run, typed_pkg, tmp_path):
    run("export", typed_pkg, "--to", "sqlite", "--out", tmp_path)
    con = sqlite3.connect(tmp_path / "export-types.sqlite")
    con.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        con.execute("INSERT INTO things (id, kind_code) VALUES (5, 'zz')")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        con.execute("INSERT INTO things (id) VALUES (1)")
    con.close()


def test_csvw_round_trip(run, typed_pkg, tmp_path):
    from csvw import TableGroup

    assert run("export", typed_pkg, "--to", "csvw", "--out", tmp_path).exit_code == 0
    metadata = tmp_path / "csvw" / "csv-metadata.json"
    header, rows = read_csvw(metadata, "data/things.csv", THINGS_TYPES)
    assert header == ["id", "label", "amount", "active", "day", "year", "kind_code"]
    assert_same(rows, THINGS)
    assert_same(read_csvw(metadata, "data/kinds.csv", KINDS_TYPES)[1], KINDS)
    group = TableGroup.from_file(metadata)
    assert group.check_referential_integrity()
    doc = json.loads(metadata.read_text())
    assert doc["dc:title"] == "Every cell type an export must keep"
    assert doc["dc:license"] == {"@id": "https://creativecommons.org/publicdomain/zero/1.0/"}
    things = doc["tables"][0]["tableSchema"]
    assert things["primaryKey"] == ["id"]
    assert things["foreignKeys"] == [
        {
            "columnReference": ["kind_code"],
            "reference": {"resource": "data/kinds.csv", "columnReference": ["code"]},
        }
    ]
    assert [c["datatype"] for c in things["columns"]] == [
        "integer",
        "string",
        "number",
        "boolean",
        "date",
        "gYear",
        "string",
    ]
    assert (tmp_path / "csvw" / "data" / "things.csv").read_bytes() == (
        typed_pkg / "data" / "things.csv"
    ).read_bytes()


def test_shipped_package_round_trips_in_every_format(run, shipped, tmp_path):
    out = tmp_path / "out"
    assert run("export", shipped, "--out", out).exit_code == 0
    with load_package(shipped) as package:
        tables = read_tables(package)
    names = [r["name"] for r in json.loads((shipped / "datapackage.json").read_text())["resources"]]
    assert [t.name for t in tables] == names and "observations" in names
    for table in tables:
        types = [f.get("type", "string") for f in table.fields]
        expected = [[float(v) if isinstance(v, Decimal) else v for v in row] for row in table.rows]
        for header, rows in (
            read_xlsx(out / "misti-indicators.xlsx", table.name, types),
            read_sqlite(out / "misti-indicators.sqlite", table.name, types),
            read_csvw(out / "csvw" / "csv-metadata.json", table.path, types),
        ):
            assert header == table.names
            assert_same(rows, expected)
    # and the values are what the CSV says, not merely what our reader says
    _, obs = read_sqlite(
        out / "misti-indicators.sqlite",
        "observations",
        ["string", "year", "date", "string", "number"],
    )
    assert obs[1][:5] == ["large_factory_workers", 2025, dt.date(2025, 12, 31), "KH", 1260000.0]


def test_invalid_package_is_refused_in_one_line(run, tmp_path):
    pkg = shutil.copytree(PACKAGES / "type-error", tmp_path / "type-error")
    result = run("export", pkg)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        result.stderr
        == f"{pkg}: not exported: the package is invalid (1 error); run `misti-data validate {pkg}`\n"
    )
    assert not (pkg / "exports").exists()


def test_missing_package_cannot_run(run, tmp_path):
    result = run("export", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


def test_export_from_a_zip_writes_beside_it(run, typed_pkg, tmp_path):
    archive = shutil.make_archive(str(tmp_path / "export-types"), "zip", typed_pkg)
    result = run("export", archive, "--to", "sqlite")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "exports" / "export-types.sqlite").is_file()


def test_a_resource_named_like_the_metadata_table_cannot_run(run, typed_pkg):
    descriptor = json.loads((typed_pkg / "datapackage.json").read_text())
    descriptor["resources"][1]["name"] = "_package"
    descriptor["resources"][0]["schema"]["foreignKeys"][0]["reference"]["resource"] = "_package"
    (typed_pkg / "datapackage.json").write_text(json.dumps(descriptor))
    result = run("export", typed_pkg, "--to", "sqlite")
    assert result.exit_code == 2
    assert "'_package' is reserved" in result.stderr


def test_sheet_names_follow_excel_rules():
    names = sheet_names(["about", "a" * 40, "a" * 35 + "b" * 5, "x/y:z", "About"])
    assert list(names.values()) == ["about~2", "a" * 31, "a" * 29 + "~2", "x_y_z", "About~3"]
    assert all(len(n) <= 31 for n in names.values())


def test_exports_are_readable_like_any_file(run, typed_pkg, tmp_path):
    """mkstemp creates 0600 files; a download must get the usual 0666-minus-umask mode."""
    import os

    umask = os.umask(0o022)
    try:
        run("export", typed_pkg, "--out", tmp_path)
    finally:
        os.umask(umask)
    for name in (
        "export-types.xlsx",
        "export-types.sqlite",
        "csvw/csv-metadata.json",
        "csvw/data/things.csv",
    ):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o644, name


def test_an_unwritable_out_folder_cannot_run(run, typed_pkg, tmp_path):
    (tmp_path / "a-file").write_text("")
    result = run("export", typed_pkg, "--to", "sqlite", "--out", tmp_path / "a-file" / "x")
    assert result.exit_code == 2
    assert (
        result.stderr.startswith("Error: ")
        and "cannot write the sqlite export: Not a directory" in result.stderr
    )
    assert "Traceback" not in result.output


def test_one_table_is_not_plural(run, tmp_path):
    pkg = shutil.copytree(PACKAGES / "valid-minimal", tmp_path / "minimal")
    result = run("export", pkg, "--to", "sqlite")
    assert (
        result.stdout == f"wrote {pkg / 'exports' / 'minimal.sqlite'} (sqlite: 1 table, 3 rows)\n"
    )


def test_xlsx_says_which_cells_it_cut_to_excels_limit(run, tmp_path):
    """Excel holds 32,767 characters in a cell: a longer one is cut, and the export says so."""
    from openpyxl import load_workbook

    from conftest import write_package

    long = "x" * 40_000
    pkg = write_package(
        tmp_path / "pkg",
        [
            {"area": "KH", "year": 2024, "value": 1, "note": long},
            {"area": "KH", "year": 2025, "value": 2, "note": "short"},
        ],
    )
    result = run("export", pkg, "--to", "xlsx")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "  note: figures: 1 cell of note cut to Excel's 32,767 characters (row 2); the CSV and SQLite hold them whole"
    ]
    ws = load_workbook(pkg / "exports" / "things.xlsx")["figures"]
    assert (len(ws["D2"].value), ws["D3"].value) == (32_767, "short")
    data = json.loads(run("export", pkg, "--to", "xlsx", "--format", "json").stdout)
    assert data["written"][0]["notes"] == [result.stdout.splitlines()[1].removeprefix("  note: ")]
