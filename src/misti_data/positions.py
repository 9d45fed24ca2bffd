"""Where a finding is in its CSV file as an editor counts: line and column of the cell.

A finding names a row (the header is row 1) and a field; GitHub annotations want the file's line
and column. They differ when a quoted cell spans lines, so the file is read, up to the last row
wanted, with the dialect the table reader reads it with (misti_data.tables: TSV, headerRows,
comment rows, escapeChar, skipInitialSpace), and the column is found among the header's labels.
"""

from __future__ import annotations

from misti_data.findings import Finding
from misti_data.package import Package
from misti_data.tables.cells import read_labels
from misti_data.tables.dialect import dialect_of
from misti_data.tables.lines import cell_starts

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
        dialect = dialect_of(package, resource)
        try:
            text = (
                file.read_bytes().decode(dialect.encoding, errors="replace").removeprefix("\ufeff")
            )
        except LookupError:
            continue  # an unknown encoding: the table checks report it
        starts = cell_starts(text, dialect, {f.row for f in items})
        labels = read_labels(text.encode(), dialect)
        if labels is None:  # no header: the columns are the schema's fields, in order
            labels = [
                f.get("name")
                for f in package.schema(resource).get("fields", [])
                if isinstance(f, dict)
            ]
        for f in items:
            cells = starts.get(f.row)
            if not cells:
                continue
            index = labels.index(f.field) if f.field in labels else None
            out[f] = (
                cells[index] if index is not None and index < len(cells) else (cells[0][0], None)
            )
    return out
