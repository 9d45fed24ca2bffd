"""Where a finding is in its CSV file as an editor counts: line and column of the cell.

A finding names a row (the header is row 1) and a field; GitHub annotations want the file's line
and column. They differ when a quoted cell spans lines, so the file is scanned for where each
wanted row starts, up to the last one wanted. Lines without a quote character, nearly all of a
typical file, are split on the delimiter without a character loop.
"""

from __future__ import annotations

from misti_data.findings import Finding
from misti_data.package import Package
from misti_data.tables.dialect import Dialect, dialect_of

Position = tuple[int, int | None]


def cell_positions(package: Package, findings: list[Finding]) -> dict[Finding, Position]:
    """{finding: (line, column or None)} for each finding that names a row of a local CSV file."""
    wanted: dict[str, list[Finding]] = {}
    for f in findings:
        if f.row is not None and f.path:
            wanted.setdefault(f.path, []).append(f)
    out: dict[Finding, Position] = {}
    for path, items in wanted.items():
        resource = next((r for r in package.resources if r.get("path") == path), None)
        file = package.resource_file(resource) if resource else None
        if file is None or not file.is_file():
            continue
        # The dialect as the table reader reads it (TSV, quoteChar, header: false, encoding).
        dialect = dialect_of(package, resource, package.schema(resource))
        try:
            text = file.read_bytes().decode(dialect.encoding, errors="replace").removeprefix("\ufeff")
        except LookupError:
            continue  # an unknown encoding: the table checks report it
        starts = _cell_starts(text, dialect.delimiter, dialect.quote_char or '"', {f.row for f in items} | {1})
        names = [f.get("name") for f in package.schema(resource).get("fields", []) if isinstance(f, dict)]
        header = _header(text, starts.get(1), dialect, names)
        for f in items:
            cells = starts.get(f.row)
            if not cells:
                continue
            index = header.index(f.field) if f.field in header else None
            line, col = cells[index] if index is not None and index < len(cells) else (cells[0][0], None)
            out[f] = (line, col)
    return out


def _header(text: str, first: list | None, dialect: Dialect, names: list[str]) -> list[str]:
    """The column names in file order: the header row's labels, or the schema's when there is none."""
    import csv
    import io

    if not dialect.header or not first:
        return names
    reader = csv.reader(io.StringIO(text), delimiter=dialect.delimiter, quotechar=dialect.quote_char or '"')
    return next(reader, names)


def _cell_starts(text: str, delimiter: str, quote: str, rows: set[int]) -> dict[int, list[tuple[int, int]]]:
    """{row: [(line, column) where each of its cells starts]} for the wanted rows (1-based)."""
    out: dict[int, list[tuple[int, int]]] = {}
    last = max(rows)
    row, quoted = 0, False
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for line_no, line in enumerate(lines, start=1):
        if not quoted:
            row += 1
            if row > last:
                break
        if row not in rows:
            quoted ^= line.count(quote) % 2 == 1  # a doubled quote "" toggles twice
            continue
        if not quoted and quote not in line:
            col, cells = 1, []
            for cell in line.split(delimiter):
                cells.append((line_no, col))
                col += len(cell) + len(delimiter)
            out[row] = cells
            continue
        cells = out.setdefault(row, [])
        if not quoted:
            cells.append((line_no, 1))
        for i, ch in enumerate(line):
            if ch == quote:
                quoted = not quoted
            elif not quoted and line.startswith(delimiter, i):
                cells.append((line_no, i + 1 + len(delimiter)))
    return out
