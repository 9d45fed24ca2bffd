"""Read a resource once into a typed polars frame and the findings met while reading it.

Local CSV and TSV files, plain or compressed (gz, bz2, xz, zip), and CSV text given inline, go
through polars in chunks of whole rows (tables/csv_reader.py; frictionless's row-by-row pass runs
at about 21k rows/s), and a table past SPILL_AFTER bytes of typed columns is written to the
package's spill folder, so memory does not grow with the file. Excel, JSON, multipart, remote and
inline rows are opened by frictionless (tables/frictionless_reader.py). Either way the frame has
the row number (`ROW`, header = row 1) and one column per schema field, typed as the schema says;
a cell that is empty or not of its type is null there, and the reader's findings say which (at
most FINDINGS_PER_CODE of a code per table; the rest are counted in `withheld`).
"""

from __future__ import annotations

from misti_data.errors import CannotRun
from misti_data.package import Package, path_problem
from misti_data.registry import finding
from misti_data.tables.csv_reader import read_csv
from misti_data.tables.frictionless_reader import read_other
from misti_data.tables.resource import DECOMPRESS, compression_of, is_inline_csv, is_local_csv
from misti_data.tables.typed import FINDINGS_PER_CODE, TypedTable

__all__ = ["FINDINGS_PER_CODE", "SPILL_AFTER", "is_inline_csv", "read_resource"]

# A table whose typed chunks take more memory than this is written to the spill folder.
SPILL_AFTER = 1 << 28


def read_resource(package: Package, resource: dict) -> TypedTable:
    """Read `resource` of `package`; unsafe paths are not read (the safety check reports them)."""
    name = resource.get("name") if isinstance(resource.get("name"), str) else "?"
    try:
        schema = package.schema(resource)
    except CannotRun:
        schema = {}  # the descriptor check reports the unreadable schema
    table = TypedTable(name=name, resource=resource, schema=schema, spill_after=SPILL_AFTER)
    table.spill_root = package.spill_dir
    paths = resource.get("path")
    refs = [
        *(paths if isinstance(paths, list) else [paths]),
        resource.get("schema"),
        resource.get("dialect"),
    ]
    if any(isinstance(p, str) and path_problem(package, p) for p in refs):
        return table
    compression = compression_of(resource)
    if compression not in (None, "zip", *DECOMPRESS):
        # said here: frictionless raises it too, but leaves the file open
        table.findings.append(
            finding(
                "compression-error",
                f"compression {compression!r} is not supported (zip, gz, bz2, xz are)",
                **table.where,
            )
        )
    elif is_local_csv(resource) or is_inline_csv(resource):
        read_csv(package, table)
    else:
        read_other(package, table)
    declared = resource.get("rows")
    if (
        table.readable
        and isinstance(declared, int)
        and not isinstance(declared, bool)
        and declared != table.row_count
    ):
        table.findings.append(
            finding(
                "row-count",
                f"the table has {table.row_count} rows, datapackage.json says {declared}",
                **table.where,
            )
        )
    return table
