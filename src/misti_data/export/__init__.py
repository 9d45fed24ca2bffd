"""Downloads for data consumers: an Excel workbook, a SQLite database and CSVW metadata.

Each is built from the Table Schemas of any valid package (nothing here knows our table names),
from one typed read of the tables, and written atomically.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import ClassVar

from misti_data.errors import CannotRun
from misti_data.findings import RefusesInvalid, Report
from misti_data.package import DESCRIPTOR, DESCRIPTOR_BYTES, Package

TARGETS = ("xlsx", "sqlite", "csvw")  # what `export --to` writes
EXPORTS = "exports"


@dataclass
class Written:
    """One file or folder an export wrote, and what it holds."""

    format: str
    path: str
    tables: list[str]
    rows: int
    notes: list[str] = field(default_factory=list)  # what the format could not hold whole

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ExportResult(RefusesInvalid):
    subject: ClassVar[str] = "export"
    package: str
    out: str
    written: list[Written] = field(default_factory=list)
    report: Report | None = None

    def to_dict(self) -> dict:
        return {
            "ok": not self.refused,
            "package": self.package,
            "out": self.out,
            "errors": self.report.counts()["error"] if self.report else 0,
            "written": [w.to_dict() for w in self.written],
        }


def default_out(source: str | Path, folder: str = EXPORTS) -> Path:
    """`exports/` beside datapackage.json (or beside the .zip): where `misti-data site` looks for them."""
    src = Path(source)
    return (src if src.is_dir() else src.parent) / folder


def export_package(
    source: str | Path,
    formats: tuple[str, ...] = TARGETS,
    out: str | Path | None = None,
    *,
    validate: bool = True,
    progress=None,
    descriptor_bytes: int = DESCRIPTOR_BYTES,
) -> ExportResult:
    """Write the chosen exports of the package at `source` into `out`; refuse an invalid package."""
    out = Path(out) if out is not None else default_out(source)
    result = ExportResult(package=str(source), out=str(out))
    from misti_data.validate import checked_package

    with checked_package(
        source, validate=validate, progress=progress, descriptor_bytes=descriptor_bytes
    ) as (package, result.report):
        if result.refused:
            return result
        tables = export_tables(package)
        stem = file_stem(package)
        for fmt in TARGETS:
            if fmt in formats:
                try:
                    with package.progress(f"writing the {fmt} export", size=1 << 62):
                        result.written.append(_WRITERS[fmt](package, tables, out, stem))
                except OSError as e:
                    raise CannotRun(
                        f"{e.filename or out}: cannot write the {fmt} export: {e.strerror}"
                    ) from None
    return result


def export_tables(package: Package) -> list:
    """The package's tables with a schema, as the one reader typed them; CannotRun if one is unreadable."""
    from misti_data.tables import tables

    found = []
    for t in tables(package):
        if not t.fields and not package.schema(t.resource).get("fields"):
            continue  # not a table
        if not t.readable:
            why = next((f.message for f in t.findings), "it could not be read")
            raise CannotRun(f"{package.label}: cannot read the table {t.name!r}: {why}")
        found.append(t)
    return found


def file_stem(package: Package) -> str:
    """The package's name as a safe file name (its folder's name when it has none)."""
    name = package.descriptor.get("name")
    if not isinstance(name, str) or not name:
        name = (
            package.base.name
            if package.descriptor_path.name == DESCRIPTOR
            else package.descriptor_path.stem
        )
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-") or "package"


def _xlsx(package, tables, out: Path, stem: str) -> Written:
    from misti_data.export.xlsx import write_xlsx

    path = out / f"{stem}.xlsx"
    notes = write_xlsx(package, tables, path)
    return Written(
        "xlsx", str(path), [t.name for t in tables], sum(t.frame.height for t in tables), notes
    )


def _sqlite(package, tables, out: Path, stem: str) -> Written:
    from misti_data.export.sqlite import write_sqlite

    path = out / f"{stem}.sqlite"
    write_sqlite(package, tables, path)
    return Written(
        "sqlite", str(path), [t.name for t in tables], sum(t.frame.height for t in tables)
    )


def _csvw(package, tables, out: Path, stem: str) -> Written:
    from misti_data.export.csvw import METADATA, write_csvw

    folder = out / "csvw"
    names = write_csvw(package, tables, folder)
    rows = sum(t.frame.height for t in tables if t.name in names)
    return Written("csvw", str(folder / METADATA), names, rows)


_WRITERS = {"xlsx": _xlsx, "sqlite": _sqlite, "csvw": _csvw}
