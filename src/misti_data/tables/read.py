"""Read a resource once into a typed polars frame and the findings met while reading it.

Local CSV and TSV files go through polars (checks/benchmarks: frictionless's row-by-row pass
runs at about 21k rows/s); inline data, Excel, JSON, compressed, multipart and remote resources
are opened by frictionless and their rows put into the same typed frame. Either way the frame has
the row number (`ROW`, header = row 1) and one column per schema field, typed as the schema
says; a cell that is empty or not of its type is null there, and the reader's findings say which.
"""

from __future__ import annotations

import bz2
import codecs
import datetime as dt
import gzip
import hashlib
import json
import lzma
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from misti_data.errors import CannotRun
from misti_data.findings import Finding
from misti_data.package import Package, path_problem
from misti_data.registry import CODES, finding
from misti_data.tables.cells import decode, first_row, quoted, read_cells, read_labels
from misti_data.tables.dialect import dialect_of, dialect_spec, for_frictionless, rewrite
from misti_data.tables.header import match_header
from misti_data.tables.types import (
    UNCOMPARED,
    FieldProblem,
    beyond_frictionless,
    clean_field,
    constraint_failures,
    describe,
    parse,
)

# The row-number column, out of the way of any field name a schema may use.
ROW = "__misti_row__"
_CSV_FORMATS = {None, "csv", "tsv"}
_HASHES = {"md5", "sha1", "sha256", "sha512"}
_DECOMPRESS = {"gz": gzip.decompress, "bz2": bz2.decompress, "xz": lzma.decompress}
# Errors frictionless finds while streaming that our key checks find on the typed frame.
_KEY_CODES = {"unique-error", "primary-key", "foreign-key"}


@dataclass
class TypedTable:
    """One resource as read: its typed frame (None when it could not be read) and the findings."""

    name: str
    resource: dict
    schema: dict
    fields: list[dict] = field(default_factory=list)
    frame: object = None  # polars DataFrame: ROW, then one typed column per field
    empty: object = None  # polars DataFrame of booleans: the cell was empty (not a type error)
    findings: list[Finding] = field(default_factory=list)
    row_count: int = 0
    bad_text: dict = field(default_factory=dict)  # field -> text of the cells that failed their type

    @property
    def path(self) -> str | None:
        return self.resource.get("path") if isinstance(self.resource.get("path"), str) else None

    @property
    def where(self) -> dict:
        return {"resource": self.name, "path": self.path}

    @property
    def names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def primary_key(self) -> list[str]:
        return names_of(self.schema.get("primaryKey"))

    @property
    def foreign_keys(self) -> list[dict]:
        """Foreign keys with both sides as lists and a self-reference ("") named."""
        fks = self.schema.get("foreignKeys")
        out = []
        for fk in fks if isinstance(fks, list) else []:
            if isinstance(fk, dict) and isinstance(fk.get("reference"), dict):
                ref = fk["reference"]
                out.append({"fields": names_of(fk.get("fields")), "resource": ref.get("resource") or self.name,
                            "reference_fields": names_of(ref.get("fields"))})
        return out

    @cached_property
    def rows(self) -> list[tuple]:
        """The rows as plain Python values (numbers as Decimal, so 2.50 prints as written)."""
        if self.frame is None:
            return []
        kinds = [f.get("type") or "string" for f in self.fields]
        return [tuple(_plain(v, k) for v, k in zip(row, kinds)) for row in self.frame.drop(ROW).iter_rows()]

    def records(self) -> list[dict]:
        return [dict(zip(self.names, row)) for row in self.rows]

    def comparable(self):
        """The frame as the diff compares it: a column with cells that failed their type keeps them
        as text (numbers in one canonical form), so an edit to a bad cell still shows."""
        import polars as pl

        if not self.bad_text:
            return self.frame
        fixes = []
        for name, text in self.bad_text.items():
            col = pl.col(name)
            typed = col.cast(pl.Float64).cast(pl.String) if self.frame.schema[name].is_numeric() else col.cast(pl.String)
            fixes.append(pl.coalesce(typed, pl.lit(text)).alias(name))
        return self.frame.with_columns(fixes)


def names_of(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def read_resource(package: Package, resource: dict) -> TypedTable:
    """Read `resource` of `package`; unsafe paths are not read (the safety check reports them)."""
    name = resource.get("name") if isinstance(resource.get("name"), str) else "?"
    try:
        schema = package.schema(resource)
    except CannotRun:
        schema = {}  # the descriptor check reports the unreadable schema
    table = TypedTable(name=name, resource=resource, schema=schema)
    paths = resource.get("path")
    refs = [*(paths if isinstance(paths, list) else [paths]), resource.get("schema"), resource.get("dialect")]
    if any(isinstance(p, str) and path_problem(package, p) for p in refs):
        return table
    compression = compression_of(resource)
    if compression not in (None, "zip", *_DECOMPRESS):
        # said here: frictionless raises it too, but leaves the file open
        table.findings.append(finding("compression-error", f"compression {compression!r} is not supported (zip, gz, bz2, xz are)", **table.where))
    elif is_local_csv(resource):
        _read_csv(package, table)
    elif is_inline_csv(resource):
        _read_csv(package, table, inline=resource["data"].encode("utf-8"))
    else:
        _read_other(package, table)
    declared = resource.get("rows")
    if table.frame is not None and isinstance(declared, int) and not isinstance(declared, bool) and declared != table.row_count:
        table.findings.append(finding("row-count", f"the table has {table.row_count} rows, datapackage.json says {declared}", **table.where))
    return table


def is_local_csv(res: dict) -> bool:
    path = res.get("path")
    if not isinstance(path, str) or "data" in res or "://" in path or compression_of(res) not in (None, *_DECOMPRESS):
        return False
    fmt = res.get("format").lower() if isinstance(res.get("format"), str) else None
    inner = path.lower().removesuffix(f".{compression_of(res)}")
    return fmt in _CSV_FORMATS and (fmt is not None or inner.endswith((".csv", ".tsv", ".txt")))


def is_inline_csv(res: dict) -> bool:
    """A table given inline as CSV text (Data Resource v1: `data` may be a string, e.g. `"a,b\\n1,2"`)."""
    fmt = res.get("format").lower() if isinstance(res.get("format"), str) else None
    return isinstance(res.get("data"), str) and fmt in _CSV_FORMATS


def compression_of(res: dict) -> str | None:
    """The resource's `compression`, or the one its path's extension names (as frictionless infers it)."""
    if isinstance(res.get("compression"), str):
        return res["compression"].lower() or None
    path = res.get("path").lower() if isinstance(res.get("path"), str) else ""
    return next((c for c in (*_DECOMPRESS, "zip") if path.endswith(f".{c}")), None)


def _read_csv(package: Package, table: TypedTable, inline: bytes | None = None) -> None:
    res, path, where = table.resource, table.path or "the inline data", table.where
    found = table.findings
    if inline is not None:
        data = inline
    else:
        try:
            data = (package.base / path).read_bytes()
        except FileNotFoundError:
            found.append(finding("scheme-error", f"{path} does not exist", **where))
            return
        except OSError as e:
            found.append(finding("scheme-error", f"{path} cannot be read: {e.strerror}", **where))
            return
        found += _integrity(res, data, where)
    compression = compression_of(res)
    if compression:
        # Read here rather than by frictionless, which leaves a gzip file open (its GzipFile does not close the file it wraps).
        try:
            data = _DECOMPRESS[compression](data)
        except (OSError, EOFError, ValueError, lzma.LZMAError) as e:  # gzip.BadGzipFile is an OSError
            found.append(finding("compression-error", f"{path} cannot be decompressed as {compression}: {e}", **where))
            return
    dialect = dialect_of(package, res)
    utf8, notes = decode(data, dialect, where)
    found += notes
    if utf8 is None:
        return
    if not utf8 or utf8.isspace():
        found.append(finding("source-error", f"{path} is empty", **where))
        return
    utf8, dialect, unread = rewrite(utf8, dialect)
    if unread:
        found.append(finding("unsupported-feature", unread, **where))
        if len(dialect.delimiter) > 1:
            return  # Python's csv module and polars split at one character only
    fields = _fields(table.schema)
    labels = read_labels(utf8, dialect)
    if labels == []:
        found.append(finding("source-error", f"{path} has no row {max(dialect.header_rows)}, where its header should be", **where))
        return
    width = len(first_row(utf8, dialect)) if labels is None and not fields else 0
    columns, header = match_header(labels, fields, table.schema, table.primary_key,
                                   case_sensitive=dialect.case_sensitive_header, width=width, where=where)
    found += header
    missing = [_missing_values(table.schema, c, dialect) for c in columns]
    cells, structural = read_cells(utf8, dialect, labels, [c["name"] if c else None for c in columns], missing, where)
    del data, utf8  # the file's bytes are not needed past here; a 1M-row file is 68 MB
    found += structural
    table.row_count = cells.cells.height + sum(f.code == "blank-row" for f in structural)
    _type(table, cells.cells, columns)


def _missing_values(schema: dict, field: dict | None, dialect) -> tuple[str, ...]:
    """A column's missing values: its field's `missingValues`, else the schema's (strings or
    `{"value": ...}` objects, Table Schema v2), and the dialect's `nullSequence`."""
    declared = field.get("missingValues") if field is not None and isinstance(field.get("missingValues"), list) else None
    if declared is None:
        declared = schema.get("missingValues") if isinstance(schema.get("missingValues"), list) else [""]
    values = [v.get("value") if isinstance(v, dict) else v for v in declared]
    if dialect.null_sequence is not None:
        values.append(dialect.null_sequence)
    return tuple(dict.fromkeys(v for v in values if isinstance(v, str)))


def _fields(schema: dict) -> list[dict]:
    fields = schema.get("fields") if isinstance(schema.get("fields"), list) else []
    return [clean_field(f) for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)]


def _integrity(res: dict, data: bytes, where: dict) -> list[Finding]:
    """hash-count and byte-count against the descriptor's `hash` (`algo:hex`, bare = md5) and `bytes`."""
    found = []
    declared = res.get("hash")
    if isinstance(declared, str) and declared:
        algo, _, digest = declared.rpartition(":")
        algo = algo.lower() or "md5"
        if algo in _HASHES:
            actual = hashlib.new(algo, data).hexdigest()
            if actual != digest.lower():
                found.append(finding(
                    "hash-count",
                    f"the file's {algo} is {actual[:12]}…, datapackage.json says {digest[:12]}…; run `misti-data stamp` after editing data",
                    **where,
                ))
    declared = res.get("bytes")
    if isinstance(declared, int) and not isinstance(declared, bool) and declared != len(data):
        found.append(finding(
            "byte-count",
            f"the file has {len(data)} bytes, datapackage.json says {declared}; run `misti-data stamp` after editing data",
            **where,
        ))
    return found


def _type(table: TypedTable, cells, columns: list[dict | None]) -> None:
    """Cast every column to its field's type, adding type and constraint findings."""
    import polars as pl

    found, where = table.findings, table.where
    rows = cells["row"]
    typed_cols, empty_cols, kept = {ROW: rows}, {}, []
    for i, f in enumerate(columns):
        if f is None or f["name"] in typed_cols:
            continue  # a column no field holds (reported as a label), or a repeated field name (the descriptor check)
        fname, raw = f["name"], cells[f"c{i}"]
        try:
            typed = parse(f, raw)
        except pl.exceptions.PolarsError as e:  # e.g. a date format polars cannot use
            found.append(finding("field-error", f"cannot check {fname!r} as {describe(f)}: {str(e).splitlines()[0]}", field=fname, **where))
            typed = raw
        bad = raw.is_not_null() & typed.is_null()
        if bad.any():
            table.bad_text[fname] = pl.select(pl.when(bad).then(raw)).to_series()
            found += _cell_findings(rows, raw, bad, lambda cell, e=describe(f): f"{quoted(cell)} is not {e}", "type-error", fname, where)
        found += _constraint_findings(f, lambda: constraint_failures(f, raw, typed), rows, raw, where)
        typed_cols[fname] = typed.rename(fname)
        empty_cols[fname] = raw.is_null().rename(fname)
        kept.append(f)
    table.fields = kept
    table.frame = pl.DataFrame(typed_cols)
    table.empty = pl.DataFrame(empty_cols)


def _constraint_findings(field: dict, failures, rows, raw, where: dict) -> list[Finding]:
    """constraint-error per failing cell; a field-error when a constraint cannot be checked as
    declared, and unsupported-feature for the one the spec names that is not checked: bounds on
    durations with years or months (the first cell, or the field when a bound has them)."""
    fname = field["name"]
    found = []
    try:
        checks = failures()
    except FieldProblem as e:
        return [finding("field-error", f"cannot check {fname!r}: {e}", field=fname, **where)]
    bounds = [c for c in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum") if c in (field.get("constraints") or {})]
    if field.get("type") == "duration" and bounds and not any(name in bounds for name, _, _ in checks):
        found.append(finding("unsupported-feature", f"{', '.join(bounds)} on the duration field {fname!r} is not checked "
                             "(durations with months or years have no single order)", field=fname, **where))
    try:
        for constraint, mask, message in checks:
            if constraint == UNCOMPARED:
                found += _cell_findings(rows, raw, mask, lambda cell, m=message: m(quoted(cell)), "unsupported-feature", fname, where)[:1]
                continue
            found += _cell_findings(rows, raw, mask, lambda cell, m=message: m(quoted(cell)), "constraint-error", fname, where)
    except FieldProblem as e:
        found.append(finding("field-error", f"cannot check {fname!r}: {e}", field=fname, **where))
    return found


def _cell_findings(rows, raw, mask, message, code: str, fname: str, where: dict) -> list[Finding]:
    """One finding per row where `mask` holds."""
    import polars as pl

    mask = mask.fill_null(False)
    if not mask.any():
        return []
    hits = pl.DataFrame({"row": rows, "cell": raw, "m": mask}).filter("m")
    return [
        finding(code, message(cell), row=row, field=fname, cell=cell_text(cell) if cell is not None else None, **where)
        for row, cell in hits.select("row", "cell").iter_rows()
    ]


def cell_text(text: str) -> str:
    """A cell as findings keep it: whole unless longer than 200 characters."""
    return text if len(text) <= 200 else text[:199] + "…"


# --- resources frictionless opens ----------------------------------------------------------------

_DTYPES = {"integer": "Int64", "year": "Int64", "number": "Float64", "boolean": "Boolean", "date": "Date",
           "datetime": "Datetime", "time": "Time"}


def _read_other(package: Package, table: TypedTable) -> None:
    """Inline data, Excel, JSON, compressed, multipart or remote: frictionless streams the typed rows."""
    import polars as pl
    from frictionless import FrictionlessException, Resource, system

    res, where = table.resource, table.where
    file = package.resource_file(res)
    if file is not None and file.is_file():
        table.findings += _integrity(res, file.read_bytes(), where)
    if isinstance(res.get("encoding"), str):
        try:
            codecs.lookup(res["encoding"])
        except (LookupError, ValueError):  # frictionless's own detector raises ValueError on a NUL in it
            table.findings.append(finding("encoding-error", f"unknown encoding {res['encoding']!r}", **where))
            return
    descriptor = {k: v for k, v in res.items() if k not in ("hash", "bytes")}  # checked above
    if table.schema:
        # Keys are checked on the typed frames (checks/keys.py), across resources of any format.
        descriptor["schema"] = {k: v for k, v in table.schema.items() if k not in ("primaryKey", "foreignKeys", "uniqueKeys")}
        descriptor["schema"]["fields"] = [_for_frictionless(f) for f in _fields(table.schema)]
        # A resource with a schema is a table (Data Resource v2 `type`); frictionless takes a .json file for a plain file otherwise.
        descriptor.setdefault("type", "table")
    # The dialect as read from its file or v4's `layout` (frictionless warns about it in Python), in the terms frictionless reads.
    descriptor.pop("layout", None)
    spec = dialect_spec(package, res)
    descriptor.pop("dialect", None)
    if spec:
        descriptor["dialect"], ignored = for_frictionless(spec, _format_of(res))
        if ignored:
            table.findings += [finding("unsupported-feature", f"{what} in a resource that is not one local CSV file: the resource is not read", **where) for what in ignored]
            return
    null = dialect_of(package, res).null_sequence
    if null is not None and table.schema:
        _add_missing_value(descriptor["schema"], null)
    fields = _fields(table.schema)
    names = [f["name"] for f in fields]
    columns: dict[str, list] = {n: [] for n in names}
    empty: dict[str, list] = {n: [] for n in names}
    rows: list[int] = []
    try:
        # frictionless refuses unsafe paths unless trusted; ours were judged before this point.
        with system.use_context(trusted=package.allow_outside or package.allow_remote):
            with Resource.from_descriptor(descriptor, basepath=str(package.base)) as fres:
                if not fres.tabular:
                    return  # a plain file or JSON document: no table to type; its hash and bytes are checked above
                if not names:
                    fields = [{"name": n, "type": "any"} for n in fres.schema.field_names]
                    names = [f["name"] for f in fields]
                    columns, empty = {n: [] for n in names}, {n: [] for n in names}
                if not (fres.labels or fres.fragment):
                    table.findings.append(finding("source-error", "the resource has no header and no rows (is headerRows past its end?)", **where))
                    return
                table.findings += [_from_frictionless(e, where) for e in fres.header.errors]
                for row in fres.row_stream:
                    errors = [e for e in row.errors if e.type not in _KEY_CODES]
                    table.findings += [_from_frictionless(e, where, fields) for e in errors]
                    table.row_count += 1
                    if any(e.type == "blank-row" for e in errors):
                        continue
                    bad = {getattr(e, "field_name", None) for e in errors}
                    rows.append(row.row_number)
                    cells = row.to_list()  # frictionless's typed values, in its field order
                    by_name = dict(zip(fres.schema.field_names, cells))
                    for n, f in zip(names, fields):
                        value = None if n in bad else by_name.get(n)
                        columns[n].append(_value(value, f.get("type") or "string"))
                        empty[n].append(by_name.get(n) is None and n not in bad)
    except FrictionlessException as e:
        error = e.error
        code = error.type if error.type in CODES else "source-error"
        table.findings.append(finding(code, error.note or error.message, **where))
        return
    typed = {ROW: pl.Series(ROW, rows, dtype=pl.Int64)}
    for n, f in zip(names, fields):
        dtype = getattr(pl, _DTYPES.get(f.get("type") or "string", "String"))
        typed[n] = pl.Series(n, columns[n], dtype=dtype, strict=False)
    for n, f in zip(names, fields):
        text = typed[n].cast(pl.String)
        table.findings += _constraint_findings(f, lambda c=typed[n], f=f: beyond_frictionless(f, c), typed[ROW], text, where)
    table.fields = fields
    table.frame = pl.DataFrame(typed)
    table.empty = pl.DataFrame({n: pl.Series(n, empty[n], dtype=pl.Boolean) for n in names})


def _format_of(res: dict) -> str:
    if isinstance(res.get("format"), str):
        return res["format"].lower()
    path = res.get("path") if isinstance(res.get("path"), str) else ""
    return path.lower().removesuffix(f".{compression_of(res)}").rpartition(".")[2] if "." in path else ""


def _add_missing_value(schema: dict, value: str) -> None:
    """The dialect's `nullSequence` as one more missing value of the schema and of every field that has its own."""
    for holder in [schema, *(f for f in schema["fields"] if isinstance(f.get("missingValues"), list))]:
        values = holder.get("missingValues") if isinstance(holder.get("missingValues"), list) else [""]
        holder["missingValues"] = [*values, {"value": value} if any(isinstance(v, dict) for v in values) else value]


def _for_frictionless(field: dict) -> dict:
    """The field without the constraints frictionless 5 refuses though Table Schema v2 has them
    (`jsonSchema`, checked on the typed frame; bounds on a duration, an unsupported-feature)."""
    refused = {"jsonSchema"} | ({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"} if field.get("type") == "duration" else set())
    return {**field, "constraints": {k: v for k, v in field["constraints"].items() if k not in refused}}


def _from_frictionless(err, where: dict, fields: list[dict] = ()) -> Finding:
    cell = getattr(err, "cell", None)
    field = next((f for f in fields if f["name"] == getattr(err, "field_name", None)), None)
    if err.type == "type-error" and field is not None and cell is not None:
        message = f"{quoted(str(cell))} is not {describe(field)}"  # as the CSV reader says it (frictionless: 'Type is "number/default"')
    else:
        message = err.note[:1].upper() + err.note[1:] if err.note else err.message
    return finding(
        err.type if err.type in CODES else "source-error",
        message,
        row=getattr(err, "row_number", None), field=getattr(err, "field_name", None) or None,
        cell=None if cell is None else cell_text(str(cell)), **where,
    )


def _value(value, kind: str):
    """A frictionless-typed value as the polars column of its type holds it."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if kind in _DTYPES:
        return value
    if type(value).__name__ == "yearmonth":
        return f"{value.year:04d}-{value.month:02d}"
    if type(value).__name__ == "geopoint":
        return f"{value.lon},{value.lat}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _plain(value, kind: str):
    """A frame value as exports and the page take it: numbers as exact Decimals of what was read."""
    if isinstance(value, float) and kind == "number":
        if value != value or abs(value) == float("inf"):
            return value
        # 463966 stays 463966 (as the CSV writes it), not 463966.0
        return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    return value
