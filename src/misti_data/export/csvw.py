"""CSV on the Web metadata (JSON-LD) beside byte-for-byte copies of the package's CSV files.

The copies make the folder complete on its own: a CSVW processor opens `csv-metadata.json` and
finds each table at the same relative path as in the package.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from misti_data.atomic import write_bytes, write_text
from misti_data.export.meta import licence_url, sources
from misti_data.package import Package
from misti_data.tables import TypedTable
from misti_data.tables.dialect import Dialect, dialect_of

METADATA = "csv-metadata.json"
_DATATYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "date": "date",
    "datetime": "datetime",
    "time": "time",
    "year": "gYear",
    "yearmonth": "gYearMonth",
    "duration": "duration",
    "object": "json",
    "array": "json",
}
# strftime directives a Table Schema date format may use, as UAX #35 patterns (what CSVW reads).
_STRFTIME = {"%Y": "yyyy", "%m": "MM", "%d": "dd", "%H": "HH", "%M": "mm", "%S": "ss"}
# CSVW allows value bounds on numbers, dates and durations only (not gYear), lengths on text only.
_BOUNDED = {"integer", "number", "date", "datetime", "time", "duration"}


def write_csvw(package: Package, tables: list[TypedTable], folder: Path) -> list[str]:
    """Write `folder/csv-metadata.json` and copy each table's CSV under `folder`; return the tables written."""
    local = [t for t in tables if t.path and package.resource_file(t.resource)]
    urls = {t.name: t.path for t in local}
    for t in local:
        write_bytes(folder / t.path, package.resource_file(t.resource).read_bytes())
    write_text(
        folder / METADATA,
        json.dumps(metadata(package, local, urls), ensure_ascii=False, indent=2) + "\n",
    )
    return [t.name for t in local]


def metadata(package: Package, tables: list[TypedTable], urls: dict[str, str]) -> dict:
    """The CSVW table group describing `tables`, found at `urls` relative to the metadata file."""
    d = package.descriptor
    group = {"@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}]}
    group |= _common(d.get("title") or d.get("name"), d.get("description"))
    if licence_url(package):
        group["dc:license"] = _link(licence_url(package))
    if d.get("version"):
        group["schema:version"] = str(d["version"])
    if sources(package):
        group["dc:source"] = sources(package)
    group["tables"] = [_table(t, urls, dialect_of(package, t.resource)) for t in tables]
    return group


def _table(table: TypedTable, urls: dict[str, str], dialect: Dialect) -> dict:
    r = table.resource
    schema: dict = {"columns": [_column(f) for f in table.fields]}
    if table.primary_key:
        schema["primaryKey"] = [column_name(n) for n in table.primary_key]
    keys = [fk for fk in table.foreign_keys if fk["resource"] in urls]
    if keys:
        schema["foreignKeys"] = [
            {
                "columnReference": [column_name(n) for n in fk["fields"]],
                "reference": {
                    "resource": urls[fk["resource"]],
                    "columnReference": [column_name(n) for n in fk["reference_fields"]],
                },
            }
            for fk in keys
        ]
    return {
        "url": urls[table.name],
        **_common(r.get("title") or r.get("name"), r.get("description")),
        "dialect": csvw_dialect(dialect),
        "tableSchema": schema,
    }


def _column(f: dict) -> dict:
    column = {"name": column_name(f["name"]), "titles": f["name"], "datatype": datatype(f)}
    column |= _common(f.get("title"), f.get("description"))
    constraints = f.get("constraints") if isinstance(f.get("constraints"), dict) else {}
    if constraints.get("required"):
        column["required"] = True
    return column


def datatype(f: dict) -> str | dict:
    """A CSVW datatype from a Table Schema field: base type, format and bounds."""
    kind = f.get("type", "string")
    base = _DATATYPES.get(kind, "string")
    extra: dict = {}
    fmt = f.get("format")
    if (
        kind in ("date", "datetime", "time")
        and isinstance(fmt, str)
        and fmt not in ("default", "any")
    ):
        pattern = _uax35(fmt)
        if pattern is None:
            base = "string"  # a format CSVW cannot express: keep the text rather than misread it
        else:
            extra["format"] = pattern
    if kind == "number" and (f.get("decimalChar") or f.get("groupChar")):
        extra["format"] = {k: f[k] for k in ("decimalChar", "groupChar") if f.get(k)}
    if kind == "boolean" and f.get("trueValues") and f.get("falseValues"):
        extra["format"] = f"{f['trueValues'][0]}|{f['falseValues'][0]}"
    constraints = f.get("constraints") if isinstance(f.get("constraints"), dict) else {}
    allowed = (
        ("minimum", "maximum")
        if base in _BOUNDED
        else ("minLength", "maxLength")
        if base == "string"
        else ()
    )
    extra |= {k: constraints[k] for k in allowed if k in constraints}
    return {"base": base, **extra} if extra else base


def column_name(name: str) -> str:
    """CSVW names are URI-template variables: letters, digits and _, anything else %-encoded."""
    return quote(name, safe="_").replace("-", "%2D").replace(".", "%2E")


def csvw_dialect(d: Dialect) -> dict:
    """The CSVW dialect of a table as the table reader reads it (misti_data.tables.dialect): only
    what differs from CSVW's defaults, besides encoding and header."""
    out: dict = {"encoding": d.encoding, "header": d.header}
    if d.header and d.header_rows != (1,):
        out["skipRows"] = min(d.header_rows) - 1
        out["headerRowCount"] = max(d.header_rows) - min(d.header_rows) + 1
    if d.delimiter != ",":
        out["delimiter"] = d.delimiter
    if d.quote_char != '"':
        out["quoteChar"] = d.quote_char
    # CSVW's escape character is `"` (doubled quotes) or, with doubleQuote false, a backslash.
    if not d.double_quote or d.escape_char == "\\":
        out["doubleQuote"] = False
    if d.skip_initial_space:
        out["skipInitialSpace"] = True
    if d.comment_char:
        out["commentPrefix"] = d.comment_char
    if d.line_terminator:
        out["lineTerminators"] = [d.line_terminator]
    return out


def _uax35(fmt: str) -> str | None:
    if re.search(r"%[^YmdHMS]", fmt):
        return None
    for directive, pattern in _STRFTIME.items():
        fmt = fmt.replace(directive, pattern)
    return fmt


def _common(title, description) -> dict:
    found = {}
    if title:
        found["dc:title"] = str(title)
    if description:
        found["dc:description"] = str(description)
    return found


def _link(value: str) -> dict | str:
    return {"@id": value} if re.match(r"^https?://", value) else value
