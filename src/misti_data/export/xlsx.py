"""An Excel workbook: an "About" sheet, then one typed sheet per resource with a frozen header."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from misti_data._atomic import write_bytes
from misti_data.export.meta import about
from misti_data.package import Package
from misti_data.tables import ROW, TypedTable

ABOUT = "About"
_MAX_WIDTH = 60
_NUMBER_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm:ss", "time": "hh:mm:ss"}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(package: Package, tables: list[TypedTable], path: Path) -> dict[str, str]:
    """Write the workbook at `path` atomically; return each resource's sheet name."""
    from openpyxl import Workbook

    wb = Workbook()
    about_ws = wb.active
    about_ws.title = ABOUT
    sheets = sheet_names([t.name for t in tables])
    for table in tables:
        _write_table(wb.create_sheet(sheets[table.name]), table)
    _write_about(about_ws, package, tables, sheets)
    buffer = io.BytesIO()
    wb.save(buffer)
    write_bytes(path, buffer.getvalue())
    return sheets


def sheet_names(names: list[str]) -> dict[str, str]:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique ignoring case, not 'About'."""
    taken = {ABOUT.lower()}
    result = {}
    for name in names:
        base = _SHEET_FORBIDDEN.sub("_", name)[:31] or "sheet"
        candidate, n = base, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{base[:31 - len(str(n)) - 1]}~{n}"
        taken.add(candidate.lower())
        result[name] = candidate
    return result


def _write_table(ws, table: TypedTable) -> None:
    from openpyxl.styles import Font

    ws.append(table.names)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    types = [f.get("type", "string") for f in table.fields]
    widths = [len(n) for n in table.names]
    for r, row in enumerate(table.frame.drop(ROW).iter_rows(), start=2):
        for c, (value, kind) in enumerate(zip(row, types), start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=cell_value(value))
            if isinstance(value, str):
                cell.data_type = "s"  # a text starting with "=" stays text, never a formula
            if kind in _NUMBER_FORMATS:
                cell.number_format = _NUMBER_FORMATS[kind]
            widths[c - 1] = max(widths[c - 1], len(str(value)))
    ws.freeze_panes = "A2"
    _set_widths(ws, widths)


def _write_about(ws, package: Package, tables: list[TypedTable], sheets: dict[str, str]) -> None:
    from openpyxl.styles import Alignment, Font

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for key, value in about(package):
        ws.append([key, cell_value(value)])
        ws.cell(row=ws.max_row, column=1).font = bold
        ws.merge_cells(start_row=ws.max_row, start_column=2, end_row=ws.max_row, end_column=4)
        ws.cell(row=ws.max_row, column=2).alignment = wrap
    ws.append([])
    ws.append(["sheet", "column", "type", "description"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for table in tables:
        for f in table.fields:
            ws.append([sheets[table.name], f["name"], f.get("type", "string"), cell_value(f.get("description", ""))])
            ws.cell(row=ws.max_row, column=4).alignment = wrap
    _set_widths(ws, [14, 28, 10, _MAX_WIDTH])


def cell_value(value):
    """The value openpyxl writes as the right cell type."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, dt.time) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)  # control characters Excel refuses
    return value


def _set_widths(ws, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(width + 2, _MAX_WIDTH)
