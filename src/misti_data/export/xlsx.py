"""An Excel workbook: an "About" sheet, then one typed sheet per resource with a frozen header.

Written with XlsxWriter in constant-memory mode, row by row from the typed frame: openpyxl built
every cell as a Python object first, and polars's own `write_excel` is slower and larger (the
figures: benchmarks/README.md).
"""

from __future__ import annotations

import re
from pathlib import Path

from misti_data.atomic import atomic_path
from misti_data.export.meta import about
from misti_data.package import Package
from misti_data.tables import ROW, TypedTable
from misti_data.words import plural

ABOUT = "About"
MAX_CELL = (
    32_767  # Excel's limit on the characters in a cell; XlsxWriter cuts longer strings silently
)
_MAX_WIDTH = 60
_NUMBER_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm:ss", "time": "hh:mm:ss"}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Control characters Excel refuses in a cell (openpyxl's ILLEGAL_CHARACTERS_RE).
_ILLEGAL = r"[\x00-\x08\x0B\x0C\x0E-\x1F]"
_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,  # a text starting with "=" stays text, never a formula
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}


def write_xlsx(package: Package, tables: list[TypedTable], path: Path) -> list[str]:
    """Write the workbook at `path` atomically; return what it could not hold whole, in words."""
    from xlsxwriter import Workbook

    sheets = sheet_names([t.name for t in tables])
    notes = []
    with atomic_path(path) as tmp:
        wb = Workbook(str(tmp), _OPTIONS)
        bold = wb.add_format({"bold": True})
        _write_about(wb, wb.add_worksheet(ABOUT), bold, package, tables, sheets)
        for table in tables:
            notes += _write_table(wb, wb.add_worksheet(sheets[table.name]), bold, table)
        wb.close()
    return notes


def sheet_names(names: list[str]) -> dict[str, str]:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique ignoring case, not 'About'."""
    taken = {ABOUT.lower()}
    result = {}
    for name in names:
        base = _SHEET_FORBIDDEN.sub("_", name)[:31] or "sheet"
        candidate, n = base, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{base[: 31 - len(str(n)) - 1]}~{n}"
        taken.add(candidate.lower())
        result[name] = candidate
    return result


def _write_table(wb, ws, bold, table: TypedTable) -> list[str]:
    import polars as pl

    frame = table.frame.drop(ROW)
    text = [c for c, dtype in frame.schema.items() if dtype == pl.String]
    notes = []
    for c in text:
        rows = table.frame.filter(pl.col(c).str.len_chars() > MAX_CELL)[ROW].to_list()
        if rows:
            shown = ", ".join(map(str, rows[:5])) + (
                f" and {len(rows) - 5:,} more" if len(rows) > 5 else ""
            )
            notes.append(
                f"{table.name}: {plural(len(rows), 'cell')} of {c} cut to Excel's {MAX_CELL:,} characters "
                f"(row {shown}); the CSV and SQLite hold them whole"
            )
    if text:
        frame = frame.with_columns(
            pl.col(text).str.replace_all(_ILLEGAL, "\ufffd").str.slice(0, MAX_CELL)
        )
    for i, f in enumerate(table.fields):
        longest = frame[f["name"]].cast(pl.String).str.len_chars().max() or 0
        kind = f.get("type", "string")
        fmt = (
            wb.add_format({"num_format": _NUMBER_FORMATS[kind]})
            if kind in _NUMBER_FORMATS
            else None
        )
        ws.set_column(i, i, min(max(len(f["name"]), longest) + 2, _MAX_WIDTH), fmt)
    ws.freeze_panes(1, 0)
    ws.write_row(0, 0, table.names, bold)
    for r, row in enumerate(frame.iter_rows(), start=1):
        ws.write_row(r, 0, row)
    return notes


def _write_about(
    wb, ws, bold, package: Package, tables: list[TypedTable], sheets: dict[str, str]
) -> None:
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    for col, width in enumerate((14, 28, 10, _MAX_WIDTH)):
        ws.set_column(col, col, min(width + 2, _MAX_WIDTH))
    r = 0
    for key, value in about(package):
        ws.write_string(r, 0, key, bold)
        ws.merge_range(r, 1, r, 3, _clean(value), wrap)
        r += 1
    r += 1
    ws.write_row(r, 0, ["sheet", "column", "type", "description"], bold)
    for table in tables:
        for f in table.fields:
            r += 1
            ws.write_row(r, 0, [sheets[table.name], f["name"], f.get("type", "string")])
            ws.write(r, 3, _clean(str(f.get("description", ""))), wrap)


def _clean(text: str) -> str:
    return re.sub(_ILLEGAL, "\ufffd", text)
