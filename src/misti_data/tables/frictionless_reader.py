"""The frictionless fallback: inline data, Excel, JSON, multipart and remote resources are opened
by frictionless, and their typed rows put into the same typed frame the CSV reader makes."""

from __future__ import annotations

import codecs
import datetime as dt
import json
from decimal import Decimal

from misti_data.findings import Finding
from misti_data.package import Package
from misti_data.registry import CODES, finding
from misti_data.tables.cell_findings import cell_text, constraint_findings, type_message
from misti_data.tables.constraints import beyond_frictionless
from misti_data.tables.dialect import dialect_of, dialect_spec, for_frictionless
from misti_data.tables.resource import (
    compression_of,
    fields_of,
    format_of,
    hash_algo,
    integrity,
)
from misti_data.tables.stream import DecompressionError, Raw, blocks
from misti_data.tables.typed import ROW, TypedTable
from misti_data.tables.types import BOUNDS, DTYPES, dtype_of

# Errors frictionless finds while streaming that our key checks find on the typed frame.
_KEY_CODES = {"unique-error", "primary-key", "foreign-key"}


def read_other(package: Package, table: TypedTable) -> None:
    """Inline data, Excel, JSON, compressed, multipart or remote: frictionless streams the typed rows."""
    from frictionless import FrictionlessException, Resource, system

    _check_file(package, table)
    descriptor = _descriptor(package, table)
    if descriptor is None:
        return
    base = str(package.base)
    try:
        joined = _joined_parts(package, table)
        if joined is not None:
            descriptor["path"], base = joined.name, str(joined.parent)
        # frictionless refuses unsafe paths unless trusted; ours were judged before this point.
        with system.use_context(trusted=package.allow_outside or package.allow_remote):
            with Resource.from_descriptor(descriptor, basepath=base) as fres:
                if not fres.tabular:
                    return  # a plain file or JSON document: no table to type; its hash and bytes are checked above
                if not (fres.labels or fres.fragment):
                    table.findings.append(
                        finding(
                            "source-error",
                            "the resource has no header and no rows (is headerRows past its end?)",
                            **table.where,
                        )
                    )
                    return
                _read_rows(table, fres)
    except DecompressionError as e:
        table.findings.append(finding("compression-error", str(e), **table.where))
    except FrictionlessException as e:
        error = e.error
        code = error.type if error.type in CODES else "source-error"
        table.findings.append(finding(code, error.note or error.message, **table.where))


def _joined_parts(package: Package, table: TypedTable):
    """A multipart CSV resource of local files joined into one file in the table's spill folder,
    as frictionless joins them (each part decompressed; every part's first line but the first
    part's dropped, when the table has a header), but with a line break after a part that ends
    without one: frictionless runs its last row into the next part's first, and a type error
    there was missed. The file's path; None for any other resource, or when a part is missing
    (frictionless says so)."""
    res = table.resource
    parts = res.get("path")
    if (
        not isinstance(parts, list)
        or len(parts) < 2
        or "compression" in res
        or not all(isinstance(p, str) and "://" not in p for p in parts)
        or format_of({**res, "path": parts[0]}) != "csv"
        or not all((package.base / p).is_file() for p in parts)
    ):
        return None
    skip = dialect_of(package, res).header is not False
    joined = table.spill_folder() / "parts.csv"
    with open(joined, "wb") as out:
        for i, part in enumerate(parts):
            raw = Raw(package.base / part, None)
            try:
                first, last = bool(i and skip), b"\n"
                for block in blocks(raw, compression_of({"path": part}), part):
                    if first:
                        end = block.find(b"\n")
                        first, block = end < 0, b"" if end < 0 else block[end + 1 :]
                    if block:
                        out.write(block)
                        last = block[-1:]
                if last != b"\n":
                    out.write(b"\n")
            finally:
                raw.close()
    return joined


def _check_file(package: Package, table: TypedTable) -> None:
    """The local file's `hash` and `bytes` (frictionless is given the descriptor without them)."""
    file = package.resource_file(table.resource)
    if file is not None and file.is_file():
        raw = Raw(file, hash_algo(table.resource))
        try:
            raw.drain()
        finally:
            raw.close()
        digest = raw.hash.hexdigest() if raw.hash else None
        table.findings += integrity(table.resource, digest, raw.size, table.where)


def _descriptor(package: Package, table: TypedTable) -> dict | None:
    """The resource as frictionless should read it; None (and the finding) when it cannot."""
    res, where = table.resource, table.where
    if isinstance(res.get("encoding"), str):
        try:
            codecs.lookup(res["encoding"])
        except (
            LookupError,
            ValueError,
        ):  # frictionless's own detector raises ValueError on a NUL in it
            table.findings.append(
                finding("encoding-error", f"unknown encoding {res['encoding']!r}", **where)
            )
            return None
    descriptor = {k: v for k, v in res.items() if k not in ("hash", "bytes")}  # checked above
    if table.schema:
        # Keys are checked on the typed frames (checks/keys.py), across resources of any format.
        descriptor["schema"] = {
            k: v
            for k, v in table.schema.items()
            if k not in ("primaryKey", "foreignKeys", "uniqueKeys")
        }
        descriptor["schema"]["fields"] = [_for_frictionless(f) for f in fields_of(table.schema)]
        # A resource with a schema is a table (Data Resource v2 `type`); frictionless takes a .json file for a plain file otherwise.
        descriptor.setdefault("type", "table")
    # The dialect as read from its file or v4's `layout` (frictionless warns about it in Python), in the terms frictionless reads.
    descriptor.pop("layout", None)
    spec = dialect_spec(package, res)
    descriptor.pop("dialect", None)
    if spec:
        descriptor["dialect"], ignored = for_frictionless(spec, format_of(res))
        if ignored:
            table.findings += [
                finding(
                    "unsupported-feature",
                    f"{what} in a resource that is not one local CSV file: the resource is not read",
                    **where,
                )
                for what in ignored
            ]
            return None
    null = dialect_of(package, res).null_sequence
    if null is not None and table.schema:
        _add_missing_value(descriptor["schema"], null)
    return descriptor


def _read_rows(table: TypedTable, fres) -> None:
    """frictionless's typed rows into the typed frame; its findings (keys aside) into ours."""
    import polars as pl

    where = table.where
    fields = fields_of(table.schema) or [
        {"name": n, "type": "any"} for n in fres.schema.field_names
    ]
    names = [f["name"] for f in fields]
    columns: dict[str, list] = {n: [] for n in names}
    empty: dict[str, list] = {n: [] for n in names}
    rows: list[int] = []
    table.findings += [_from_frictionless(e, where) for e in fres.header.errors]
    for row in fres.row_stream:
        errors = [e for e in row.errors if e.type not in _KEY_CODES]
        table.findings += [_from_frictionless(e, where, fields) for e in errors]
        table.row_count += 1
        if any(e.type == "blank-row" for e in errors):
            continue
        bad = {getattr(e, "field_name", None) for e in errors}
        rows.append(row.row_number)
        by_name = dict(zip(fres.schema.field_names, row.to_list()))  # typed, in its field order
        for n, f in zip(names, fields):
            value = None if n in bad else by_name.get(n)
            columns[n].append(_value(value, f.get("type") or "string"))
            empty[n].append(by_name.get(n) is None and n not in bad)
    typed = {ROW: pl.Series(ROW, rows, dtype=pl.Int64)}
    for n, f in zip(names, fields):
        typed[n] = pl.Series(n, columns[n], dtype=dtype_of(f), strict=False)
        table.findings += constraint_findings(
            f, _beyond(f, typed[n]), typed[ROW], typed[n].cast(pl.String), where
        )
    table.fields = fields
    table.frame = pl.DataFrame(typed)
    table.empty = pl.DataFrame({n: pl.Series(n, empty[n], dtype=pl.Boolean) for n in names})


def _beyond(field: dict, column):
    """The checks frictionless does not make, for constraint_findings to run."""
    return lambda: beyond_frictionless(field, column)


def _add_missing_value(schema: dict, value: str) -> None:
    """The dialect's `nullSequence` as one more missing value of the schema and of every field that has its own."""
    for holder in [
        schema,
        *(f for f in schema["fields"] if isinstance(f.get("missingValues"), list)),
    ]:
        values = (
            holder.get("missingValues") if isinstance(holder.get("missingValues"), list) else [""]
        )
        holder["missingValues"] = [
            *values,
            {"value": value} if any(isinstance(v, dict) for v in values) else value,
        ]


def _for_frictionless(field: dict) -> dict:
    """The field without the constraints frictionless 5 refuses though Table Schema v2 has them
    (`jsonSchema`, checked on the typed frame; bounds on a duration, an unsupported-feature)."""
    refused = {"jsonSchema"} | (set(BOUNDS) if field.get("type") == "duration" else set())
    return {
        **field,
        "constraints": {k: v for k, v in field["constraints"].items() if k not in refused},
    }


def _from_frictionless(err, where: dict, fields: list[dict] = ()) -> Finding:
    cell = getattr(err, "cell", None)
    field = next((f for f in fields if f["name"] == getattr(err, "field_name", None)), None)
    if err.type == "type-error" and field is not None and cell is not None:
        # as the CSV reader says it (frictionless: 'Type is "number/default"')
        message = type_message(field)(str(cell))
    else:
        message = err.note[:1].upper() + err.note[1:] if err.note else err.message
    return finding(
        err.type if err.type in CODES else "source-error",
        message,
        row=getattr(err, "row_number", None),
        field=getattr(err, "field_name", None) or None,
        cell=None if cell is None else cell_text(str(cell)),
        **where,
    )


def _value(value, kind: str):
    """A frictionless-typed value as the polars column of its type holds it."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if kind in DTYPES:
        return value
    if type(value).__name__ == "yearmonth":
        return f"{value.year:04d}-{value.month:02d}"
    if type(value).__name__ == "geopoint":
        return f"{value.lon},{value.lat}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
