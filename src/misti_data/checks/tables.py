"""Table structure, types, constraints, keys and hashes, with frictionless's codes and row numbers.

Local CSV resources go through our polars engine (frictionless's row-by-row pass runs at about
21k rows/s; see benchmarks/). Other resources (inline data, Excel, JSON, remote files) are left
to frictionless.
"""

from __future__ import annotations

import hashlib

from misti_data.checks import CATALOGUE, finding
from misti_data.checks.csv_read import Dialect, decode, quoted, read_table
from misti_data.checks.field_types import clean_field, constraint_failures, describe, parse
from misti_data.checks.keys import (
    ROW,
    TypedTable,
    foreign_key_findings,
    primary_key_findings,
    unique_findings,
)
from misti_data.errors import CannotRun
from misti_data.findings import Finding
from misti_data.package import Package, path_problem, read_json

_CSV_FORMATS = {None, "csv", "tsv"}
_HASHES = {"md5", "sha1", "sha256", "sha512"}


def check_tables(package: Package, skip: set[str] = frozenset()) -> tuple[list[Finding], dict[str, int]]:
    """Findings for every table resource not in `skip`, and each table's data row count."""
    found, rows, typed, others = [], {}, {}, []
    for res in package.resources:
        name = res.get("name")
        if name in skip or not isinstance(name, str):
            continue  # unnamed resources are reported by the descriptor check
        if not _is_local_csv(res):
            others.append(res)
            continue
        table_found, table, count = _check_csv(package, res)
        found += table_found
        rows[name] = count
        if table is not None:
            typed[name] = table
    names = {r.get("name") for r in package.resources}
    for table in typed.values():
        found += foreign_key_findings(table, typed, names)
    if others:
        other_found, other_rows = _frictionless_tables(package, others, skip)
        found += other_found
        rows.update(other_rows)
    return found, rows


def _is_local_csv(res: dict) -> bool:
    path = res.get("path")
    if not isinstance(path, str) or "data" in res or res.get("compression"):
        return False
    if "://" in path:
        return False  # remote (and allowed, or it would be in `skip`): frictionless fetches it
    fmt = res.get("format").lower() if isinstance(res.get("format"), str) else None
    return fmt in _CSV_FORMATS and (fmt is not None or path.lower().endswith((".csv", ".tsv", ".txt")))


def _check_csv(package: Package, res: dict) -> tuple[list[Finding], TypedTable | None, int]:
    name, path = res.get("name"), res["path"]
    where = dict(resource=name, path=path)
    try:
        data = (package.base / path).read_bytes()
    except FileNotFoundError:
        return [finding("scheme-error", f"{path} does not exist", **where)], None, 0
    except OSError as e:
        return [finding("scheme-error", f"{path} cannot be read: {e.strerror}", **where)], None, 0
    found = _integrity(res, data, where)
    try:
        schema = package.schema(res)
    except CannotRun:
        return found, None, 0  # the descriptor check reports the unreadable schema
    dialect = _dialect(package, res, schema)
    utf8, problem = decode(data, dialect, where)
    if problem:
        return found + [problem], None, 0
    if not utf8 or utf8.isspace():
        return found + [finding("source-error", f"{path} is empty", **where)], None, 0
    fields = schema.get("fields") if isinstance(schema.get("fields"), list) else []
    fields = [clean_field(f) for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)]
    table, structural = read_table(utf8, dialect, [f["name"] for f in fields], where)
    del data, utf8  # the file's bytes are not needed past here; a 1M-row file is 68 MB
    found += structural
    if not fields:
        fields = [{"name": label or f"field{i + 1}", "type": "any"} for i, label in enumerate(table.labels or [])]
    elif table.labels is not None:
        found += _header_findings(table.labels, fields, where)
    count = table.cells.height + sum(f.code == "blank-row" for f in structural)
    typed = _typed(name, table, fields[: table.width], schema, where, found)
    return found, typed, count


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


def _dialect(package: Package, res: dict, schema: dict) -> Dialect:
    """The CSV dialect: Table Schema v1/v2 `dialect` keys, frictionless v5's `csv` control, or defaults."""
    spec = res.get("dialect")
    if isinstance(spec, str) and not path_problem(package, spec):
        try:
            spec = read_json(package.base / spec)
        except CannotRun:
            spec = {}
    spec = spec if isinstance(spec, dict) else {}
    if isinstance(spec.get("csv"), dict):
        spec = {**spec, **spec["csv"]}
    char = lambda key, default: spec[key] if isinstance(spec.get(key), str) and len(spec[key]) == 1 else default
    header = spec.get("header", True) and spec.get("headerRows", [1]) != []
    missing = schema.get("missingValues", [""])
    return Dialect(
        delimiter=char("delimiter", "\t" if res.get("format") == "tsv" else ","),
        quote_char=None if spec.get("quoteChar") == "" else char("quoteChar", '"'),
        header=bool(header),
        encoding=res["encoding"] if isinstance(res.get("encoding"), str) and res["encoding"] else "utf-8",
        missing_values=tuple(v for v in missing if isinstance(v, str)) if isinstance(missing, list) else ("",),
    )


def _header_findings(labels: list[str], fields: list[dict], where: dict) -> list[Finding]:
    """The header against the schema's fields, position by position, as frictionless compares them."""
    if not any(labels):
        return [finding("blank-header", "the header row is empty", row=1, **where)]
    found, seen = [], set()
    for i, label in enumerate(labels):
        if i >= len(fields):
            found.append(finding("extra-label", f"column {i + 1} {label!r} is not in the schema", row=1, cell=label, **where))
            continue
        name = fields[i]["name"]
        if label == "":
            found.append(finding("blank-label", f"column {i + 1} has no label; the schema calls it {name!r}", row=1, field=name, **where))
        elif label in seen:
            found.append(finding("duplicate-label", f"column {i + 1} repeats the label {label!r}", row=1, field=name, cell=label, **where))
        elif label != name:
            found.append(finding("incorrect-label", f"column {i + 1} is {label!r}, the schema calls it {name!r}", row=1, field=name, cell=label, **where))
        seen.add(label)
    for field in fields[len(labels):]:
        found.append(finding("missing-label", f"the header lacks the schema's field {field['name']!r}", row=1, field=field["name"], **where))
    return found


def _typed(name: str, table, fields: list[dict], schema: dict, where: dict, found: list[Finding]) -> TypedTable:
    """Cast every column to its field's type, appending type, constraint and unique findings."""
    import polars as pl

    cells = table.cells
    typed_cols, empty_cols = {ROW: cells["row"]}, {}
    for i, field in enumerate(fields):
        fname, raw = field["name"], cells[f"c{i}"]
        try:
            typed = parse(field, raw)
        except pl.exceptions.PolarsError as e:  # e.g. a date format polars cannot use
            found.append(finding("field-error", f"cannot check {fname!r} as {describe(field)}: {str(e).splitlines()[0]}", field=fname, **where))
            typed = raw
        bad = raw.is_not_null() & typed.is_null()
        found += _cell_findings(cells["row"], raw, bad, lambda cell, e=describe(field): f"{quoted(cell)} is not {e}", "type-error", fname, where)
        for _constraint, mask, template in constraint_failures(field, raw, typed):
            found += _cell_findings(cells["row"], raw, mask, lambda cell, t=template: t.format(cell=quoted(cell)), "constraint-error", fname, where)
        typed_cols.setdefault(fname, typed)
        empty_cols.setdefault(fname, raw.is_null())
    result = TypedTable(name, pl.DataFrame(typed_cols), pl.DataFrame(empty_cols), schema, where)
    for field in fields:
        if isinstance(field.get("constraints"), dict) and field["constraints"].get("unique") is True:
            found += unique_findings(result, field["name"])
    found += primary_key_findings(result)
    return result


def _cell_findings(rows, raw, mask, message, code: str, field: str, where: dict) -> list[Finding]:
    """One finding per row where `mask` holds."""
    import polars as pl

    mask = mask.fill_null(False)
    if not mask.any():
        return []
    hits = pl.DataFrame({"row": rows, "cell": raw, "m": mask}).filter("m")
    return [
        finding(code, message(cell), row=row, field=field, cell=_cell(cell) if cell is not None else None, **where)
        for row, cell in hits.select("row", "cell").iter_rows()
    ]


def _cell(text: str) -> str:
    """A cell as findings keep it: whole unless longer than 200 characters."""
    return text if len(text) <= 200 else text[:199] + "…"


def _frictionless_tables(package: Package, resources: list[dict], skip: set[str]) -> tuple[list[Finding], dict[str, int]]:
    """Inline, Excel, JSON and remote resources: frictionless's own row-by-row validation.

    The other safe resources stay in the package so that foreign keys can look them up.
    """
    from frictionless import FrictionlessException, system
    from frictionless import Package as FPackage

    descriptor = dict(package.descriptor)
    descriptor["resources"] = [r for r in package.resources if r.get("name") not in skip]
    tasks = []
    try:
        # frictionless refuses unsafe paths unless trusted; ours were judged in checks/safety.py.
        with system.use_context(trusted=package.allow_outside or package.allow_remote):
            fpackage = FPackage(descriptor, basepath=str(package.base))
            for res in resources:
                tasks += fpackage.get_resource(res["name"]).validate().tasks
    except FrictionlessException as e:
        return [finding("package-error", e.error.note or e.error.message)], {}
    found, rows = [], {}
    base = str(package.base)
    for task in tasks:
        path = task.place[len(base) + 1:] if task.place.startswith(base) else task.place
        rows[task.name] = task.stats.get("rows") or 0
        for err in task.errors:
            cell = getattr(err, "cell", None)
            found.append(finding(
                err.type if err.type in CATALOGUE else "source-error",
                err.note[:1].upper() + err.note[1:] if err.note else err.message,
                resource=task.name, path=path, row=getattr(err, "row_number", None),
                field=getattr(err, "field_name", None) or None,
                cell=None if cell is None else _cell(str(cell)),
            ))
    return found, rows
