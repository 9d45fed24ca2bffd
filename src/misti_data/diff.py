"""Compare two Data Packages level by level: metadata, resources, schemas, then rows.

Rows are matched by the schema's primary key with a polars join (fast at millions of rows) and
compared typed, as the schema reads them, so `10` equals `10.0`. A resource without a usable key
is compared as a multiset of rows: a row is added or removed, never "changed".
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from misti_data.checks import finding
from misti_data.findings import Finding
from misti_data.package import Package
from misti_data.sources import open_package
from misti_data.stamp import file_stats

# Resource properties that follow from the data itself, so they are not reported as metadata.
_DERIVED = {"name", "schema", "hash", "bytes"}
_COUNT = "__count"


@dataclass
class MetaChange:
    """A descriptor property (package or resource) whose value changed; None means absent."""

    key: str
    old: object
    new: object

    def to_dict(self) -> dict:
        return {"key": self.key, "old": self.old, "new": self.new}


@dataclass
class SchemaChange:
    """One change to a Table Schema; `kind` is a stable code (field-added, constraint-tightened…)."""

    kind: str
    field: str | None
    detail: str
    old: object = None
    new: object = None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "field": self.field, "detail": self.detail, "old": self.old, "new": self.new}


@dataclass
class ResourceDiff:
    """What changed in one resource. Row frames stay polars frames until rendered."""

    name: str
    status: str  # added, removed, renamed, changed, unchanged
    old_name: str | None = None
    key: list[str] = field(default_factory=list)
    keyed: bool = False
    meta: list[MetaChange] = field(default_factory=list)
    schema: list[SchemaChange] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    rows_old: int = 0
    rows_new: int = 0
    added: object = None  # polars DataFrame of new rows (multiset: with a count column)
    removed: object = None
    changed: object = None  # key, then per field: old, new and a changed flag
    value_fields: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"added": _height(self.added), "removed": _height(self.removed), "changed": _height(self.changed, counted=False)}

    @property
    def differs(self) -> bool:
        return self.status not in ("changed", "unchanged") or self.content_differs

    @property
    def content_differs(self) -> bool:
        return bool(self.meta or self.schema or self.problems or any(self.counts.values()))

    def changed_rows(self, limit: int | None = None, full: bool = False) -> list[dict]:
        """[{key: {...}, changes: {field: {old, new}}}] in key order; `full` adds the whole old row."""
        if self.changed is None:
            return []
        out = []
        for row in (self.changed if limit is None else self.changed.head(limit)).iter_rows(named=True):
            changes = {
                f: {"old": _plain(row[f]), "new": _plain(row[f"{f}__new"])}
                for f in self.value_fields if row[f"{f}__chg"]
            }
            item = {"key": {k: _plain(row[k]) for k in self.key}, "changes": changes}
            if full:
                item["old_row"] = {f: _plain(row[f]) for f in self.key + self.value_fields}
            out.append(item)
        return out

    def rows(self, which: str, limit: int | None = None) -> list[dict]:
        """The added or removed rows as plain dicts (a multiset row repeats as often as it changed)."""
        frame = getattr(self, which)
        if frame is None:
            return []
        out: list[dict] = []
        for row in frame.iter_rows(named=True):
            n = row.pop(_COUNT, 1)
            out += [{k: _plain(v) for k, v in row.items()}] * n
            if limit is not None and len(out) >= limit:
                return out[:limit]
        return out

    def to_dict(self, limit: int | None = None) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "old_name": self.old_name,
            "compared_by": ("primary key " + ", ".join(self.key)) if self.keyed else "multiset of rows",
            "rows": {"old": self.rows_old, "new": self.rows_new, **self.counts},
            "metadata": [m.to_dict() for m in self.meta],
            "schema": [s.to_dict() for s in self.schema],
            "problems": [p.to_dict() for p in self.problems],
            "added": self.rows("added", limit),
            "removed": self.rows("removed", limit),
            "changed": self.changed_rows(limit),
        }


@dataclass
class PackageDiff:
    """The whole comparison of OLD with NEW."""

    old: str
    new: str
    old_version: str | None
    new_version: str | None
    metadata: list[MetaChange] = field(default_factory=list)
    resources: list[ResourceDiff] = field(default_factory=list)
    atol: float = 0.0
    rtol: float = 0.0

    @property
    def differs(self) -> bool:
        return bool(self.metadata) or any(r.differs for r in self.resources)

    @property
    def problems(self) -> list[Finding]:
        return [p for r in self.resources for p in r.problems]

    def resource(self, name: str) -> ResourceDiff | None:
        return next((r for r in self.resources if r.name == name), None)

    def summary(self) -> dict:
        totals = {"added": 0, "removed": 0, "changed": 0}
        for r in self.resources:
            for k, v in r.counts.items():
                totals[k] += v
        status = [r.status for r in self.resources]
        return {
            "metadata_changes": len(self.metadata),
            "resources": {s: status.count(s) for s in ("added", "removed", "renamed", "changed", "unchanged")},
            "schema_changes": sum(len(r.schema) for r in self.resources),
            "rows": totals,
            "problems": len(self.problems),
        }

    def to_dict(self, limit: int | None = None) -> dict:
        return {
            "old": {"package": self.old, "version": self.old_version},
            "new": {"package": self.new, "version": self.new_version},
            "differs": self.differs,
            "tolerance": {"atol": self.atol, "rtol": self.rtol},
            "summary": self.summary(),
            "metadata": [m.to_dict() for m in self.metadata],
            "resources": [r.to_dict(limit) for r in self.resources],
        }


def diff_sources(old: str | Path, new: str | Path, *, atol: float = 0.0, rtol: float = 0.0, cwd: str | Path = ".") -> PackageDiff:
    """Diff two packages named as the CLI names them (folder, descriptor, .zip or git:REV)."""
    with open_package(old, cwd=cwd) as a, open_package(new, cwd=cwd) as b:
        return diff_packages(a, b, atol=atol, rtol=rtol)


def diff_packages(old: Package, new: Package, *, atol: float = 0.0, rtol: float = 0.0) -> PackageDiff:
    result = PackageDiff(old.label, new.label, old.descriptor.get("version"), new.descriptor.get("version"), atol=atol, rtol=rtol)
    result.metadata = _meta(old.descriptor, new.descriptor, skip={"resources"})
    for a, b, status in _match_resources(old, new):
        result.resources.append(_diff_resource(old, new, a, b, status, atol, rtol))
    return result


def _meta(old: dict, new: dict, skip: set[str]) -> list[MetaChange]:
    keys = sorted((set(old) | set(new)) - skip)
    return [MetaChange(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def _match_resources(old: Package, new: Package) -> list[tuple[dict | None, dict | None, str]]:
    """Pair resources by name; an unpaired old and new one are a rename when they share a path or data."""
    old_by = {r.get("name"): r for r in old.resources}
    new_by = {r.get("name"): r for r in new.resources}
    pairs = [(old_by[n], new_by[n], "changed") for n in new_by if n in old_by]
    gone = [r for n, r in old_by.items() if n not in new_by]
    fresh = [r for n, r in new_by.items() if n not in old_by]
    for b in list(fresh):
        match = next((a for a in gone if _same_place_or_data(old, a, new, b)), None)
        if match is not None:
            gone.remove(match)
            fresh.remove(b)
            pairs.append((match, b, "renamed"))
    pairs += [(a, None, "removed") for a in gone] + [(None, b, "added") for b in fresh]
    order = {r.get("name"): i for i, r in enumerate(new.resources)}
    return sorted(pairs, key=lambda p: (p[1] is None, order.get((p[1] or {}).get("name"), 0), (p[0] or {}).get("name") or ""))


def _same_place_or_data(old: Package, a: dict, new: Package, b: dict) -> bool:
    if a.get("path") and a.get("path") == b.get("path"):
        return True
    fa, fb = old.resource_file(a), new.resource_file(b)
    return bool(fa and fb and fa.is_file() and fb.is_file() and file_stats(fa) == file_stats(fb))


def _diff_resource(old: Package, new: Package, a: dict | None, b: dict | None, status: str, atol: float, rtol: float) -> ResourceDiff:
    name = (b or a).get("name") or "?"
    rd = ResourceDiff(name=name, status=status, old_name=a.get("name") if status == "renamed" else None)
    sa, sb = (old.schema(a) if a else {}), (new.schema(b) if b else {})
    if a is None or b is None:
        pkg, res, schema = (new, b, sb) if a is None else (old, a, sa)
        frame, rd.problems = read_table(pkg, res, schema)
        count = _height(frame)
        rd.rows_old, rd.rows_new = (0, count) if a is None else (count, 0)
        return rd
    rd.meta = _meta(a, b, skip=_DERIVED)
    rd.schema, pairs = diff_schemas(sa, sb)
    old_frame, problems_a = read_table(old, a, sa)
    new_frame, problems_b = read_table(new, b, sb)
    rd.problems = problems_a + problems_b
    if old_frame is not None and new_frame is not None:
        rd.rows_old, rd.rows_new = old_frame.height, new_frame.height
        _compare_rows(rd, old_frame, new_frame, sa, sb, pairs, atol, rtol)
    if status == "changed" and not rd.content_differs:
        rd.status = "unchanged"
    return rd


# --- schemas -----------------------------------------------------------------------------------

_RAISE_TIGHTENS = {"minimum", "exclusiveMinimum", "minLength"}
_LOWER_TIGHTENS = {"maximum", "exclusiveMaximum", "maxLength"}
_FLAGS = {"required", "unique"}


def diff_schemas(old: dict, new: dict) -> tuple[list[SchemaChange], list[tuple[str, str]]]:
    """Schema changes, and the (old name, new name) pairs of fields whose values are compared.

    A field is *renamed* when one field disappears and another appears at the same position
    with the same type; otherwise it is removed and added.
    """
    of = [f for f in old.get("fields", []) if isinstance(f, dict) and f.get("name")]
    nf = [f for f in new.get("fields", []) if isinstance(f, dict) and f.get("name")]
    old_names, new_names = [f["name"] for f in of], [f["name"] for f in nf]
    pairs = [(n, n) for n in new_names if n in old_names]
    changes: list[SchemaChange] = []
    for i, f in enumerate(nf):
        if f["name"] in old_names:
            continue
        g = of[i] if i < len(of) else None
        if g and g["name"] not in new_names and g.get("type", "string") == f.get("type", "string"):
            pairs.append((g["name"], f["name"]))
            changes.append(SchemaChange("field-renamed", f["name"], f"{g['name']} → {f['name']}", g["name"], f["name"]))
    renamed_old = {p[0] for p in pairs}
    renamed_new = {p[1] for p in pairs}
    changes += [SchemaChange("field-removed", n, f"field {n} removed") for n in old_names if n not in renamed_old]
    changes += [SchemaChange("field-added", n, f"field {n} added") for n in new_names if n not in renamed_new]
    order_old = [new_name for o in old_names for (p, new_name) in pairs if p == o]
    order_new = [n for n in new_names if n in renamed_new]
    if order_old != order_new:
        changes.append(SchemaChange("fields-reordered", None, "fields reordered", order_old, order_new))
    by_old, by_new = {f["name"]: f for f in of}, {f["name"]: f for f in nf}
    for o, n in pairs:
        changes += _field_changes(by_old[o], by_new[n])
    if _as_list(old.get("primaryKey")) != _as_list(new.get("primaryKey")):
        changes.append(SchemaChange("key-changed", None, "primary key changed", _as_list(old.get("primaryKey")), _as_list(new.get("primaryKey"))))
    if old.get("foreignKeys") != new.get("foreignKeys"):
        changes.append(SchemaChange("foreign-keys-changed", None, "foreign keys changed", old.get("foreignKeys"), new.get("foreignKeys")))
    for m in _meta(old, new, skip={"fields", "primaryKey", "foreignKeys"}):
        changes.append(SchemaChange("schema-metadata-changed", None, f"schema {m.key} changed", m.old, m.new))
    return changes, pairs


def _field_changes(a: dict, b: dict) -> list[SchemaChange]:
    name = b["name"]
    out = []
    for prop in ("type", "format"):
        va, vb = a.get(prop, "string" if prop == "type" else "default"), b.get(prop, "string" if prop == "type" else "default")
        if va != vb:
            out.append(SchemaChange(f"{prop}-changed", name, f"{prop} {va} → {vb}", va, vb))
    ca, cb = a.get("constraints") or {}, b.get("constraints") or {}
    for key in sorted(set(ca) | set(cb)):
        if ca.get(key) != cb.get(key):
            tight, detail = _constraint_change(key, ca.get(key), cb.get(key))
            kind = "constraint-tightened" if tight else "constraint-loosened"
            out.append(SchemaChange(kind, name, f"{key}: {detail}", ca.get(key), cb.get(key)))
    for m in _meta(a, b, skip={"name", "type", "format", "constraints"}):
        out.append(SchemaChange("field-metadata-changed", name, f"{m.key} changed", m.old, m.new))
    return out


def _constraint_change(key: str, old, new) -> tuple[bool, str]:
    """(tightened?, words). A constraint that may accept fewer values than before is tightened."""
    if key in _FLAGS:
        return bool(new) and not bool(old), f"{bool(old)} → {bool(new)}"
    if old is None:
        return True, f"added {new!r}"
    if new is None:
        return False, f"removed {old!r}"
    if key == "enum" and isinstance(old, list) and isinstance(new, list):
        gone, came = [v for v in old if v not in new], [v for v in new if v not in old]
        words = "; ".join(w for w in (f"values removed {gone}" if gone else "", f"values added {came}" if came else "") if w)
        return bool(gone), words or "values reordered"
    try:
        if key in _RAISE_TIGHTENS:
            return new > old, f"{old!r} → {new!r}"
        if key in _LOWER_TIGHTENS:
            return new < old, f"{old!r} → {new!r}"
    except TypeError:
        pass
    return True, f"{old!r} → {new!r}"  # a changed pattern may reject values: assume the worst


def _as_list(value) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


# --- rows ----------------------------------------------------------------------------------------


def read_table(package: Package, resource: dict, schema: dict):
    """(typed polars frame or None, problems) for a local CSV resource."""
    import polars as pl

    name = resource.get("name")
    file = package.resource_file(resource)
    where = {"resource": name, "path": resource.get("path") if isinstance(resource.get("path"), str) else None}
    if file is None or not file.is_file():
        return None, [finding("diff-unreadable", f"{package.label}: resource {name!r} has no readable local file", **where)]
    dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
    missing = schema.get("missingValues", [""])
    kwargs = {
        "infer_schema": False,
        "separator": dialect.get("delimiter", ","),
        "quote_char": dialect.get("quoteChar", '"'),
        "null_values": [m for m in missing if m != ""] or None,
        "encoding": "utf8" if resource.get("encoding", "utf-8").lower().replace("_", "-") in ("utf-8", "utf8") else "utf8-lossy",
    }  # empty cells read as missing (polars' default), as in Table Schema's default missingValues
    try:
        header = pl.read_csv(file, n_rows=0, **kwargs).columns
        fast = {f["name"]: t for f in schema.get("fields", []) if isinstance(f, dict) and f.get("name") in header and (t := _fast_dtype(f))}
        try:
            # Typed parsing in the reader is ~3x faster than text then cast; fall back on any bad cell.
            frame = pl.read_csv(file, schema_overrides=fast, **kwargs)
        except pl.exceptions.ComputeError as e:
            if "more fields" in str(e):
                raise
            frame = pl.read_csv(file, **kwargs)
    except pl.exceptions.ComputeError as e:
        if "more fields" not in str(e):
            return None, [finding("diff-unreadable", f"{package.label}: {where['path']}: {str(e).splitlines()[0]}", **where)]
        return None, [_ragged(package, file, where)]
    except (pl.exceptions.PolarsError, OSError) as e:
        return None, [finding("diff-unreadable", f"{package.label}: {where['path']}: {str(e).splitlines()[0]}", **where)]
    return _typed(frame, schema), []


def _fast_dtype(f: dict):
    """The polars type the CSV reader can parse a field as directly, or None."""
    import polars as pl

    kind, fmt = f.get("type", "string"), f.get("format", "default")
    if kind in ("integer", "year") and f.get("bareNumber", True):
        return pl.Int64
    if kind == "number" and f.get("bareNumber", True) and not f.get("groupChar") and f.get("decimalChar", ".") == ".":
        return pl.Float64
    if kind == "date" and fmt == "default":
        return pl.Date
    return None


def _ragged(package: Package, file: Path, where: dict) -> Finding:
    """Name the first row with more cells than the header (only read on this rare path)."""
    with open(file, encoding="utf-8", errors="replace", newline="") as f:
        reader = csv.reader(f)
        width = len(next(reader, []))
        for row_no, row in enumerate(reader, start=2):
            if len(row) > width:
                return finding("diff-ragged-row", f"{package.label}: row {row_no} has {len(row)} cells, the header {width}", row=row_no, **where)
    return finding("diff-ragged-row", f"{package.label}: a row has more cells than the header", **where)


def _typed(frame, schema: dict):
    """Cast each column to its field's type where every value parses; otherwise keep the text."""
    import polars as pl

    casts = []
    for f in schema.get("fields", []):
        col = f.get("name") if isinstance(f, dict) else None
        if col not in frame.columns or frame.schema[col] != pl.String:
            continue
        expr = _cast(pl.col(col), f)
        if expr is not None:
            casts.append(expr.alias(col))
    if not casts:
        return frame
    typed = frame.select(casts)
    keep = [c for c in typed.columns if typed[c].null_count() == frame[c].null_count()]
    return frame.with_columns(typed.select(keep)) if keep else frame


def _cast(col, f: dict):
    import polars as pl

    kind, fmt = f.get("type", "string"), f.get("format", "default")
    if kind in ("integer", "year"):
        return col.str.strip_chars().cast(pl.Int64, strict=False)
    if kind == "number":
        text = col.str.strip_chars()
        if f.get("groupChar"):
            text = text.str.replace_all(f["groupChar"], "", literal=True)
        if f.get("decimalChar", ".") != ".":
            text = text.str.replace_all(f["decimalChar"], ".", literal=True)
        return text.cast(pl.Float64, strict=False)
    if kind == "boolean":
        true, false = f.get("trueValues", ["true", "True", "TRUE", "1"]), f.get("falseValues", ["false", "False", "FALSE", "0"])
        return pl.when(col.is_in(true)).then(True).when(col.is_in(false)).then(False).otherwise(None)
    if kind == "date":
        return col.str.to_date("%Y-%m-%d" if fmt == "default" else None if fmt == "any" else fmt, strict=False)
    if kind == "datetime":
        return col.str.to_datetime(None if fmt in ("default", "any") else fmt, strict=False)
    return None


def _compare_rows(rd: ResourceDiff, old, new, sa: dict, sb: dict, pairs, atol: float, rtol: float) -> None:
    old = old.rename({o: n for o, n in pairs if o != n and o in old.columns})
    common = [n for _, n in pairs if n in old.columns and n in new.columns]
    # Columns the schemas do not declare are compared too, by name.
    common += [c for c in new.columns if c in old.columns and c not in common]
    old, new = _align(old.select(common), new.select(common))
    key = _as_list(sb.get("primaryKey")) or _as_list(sa.get("primaryKey"))
    rd.key = key
    absent = [k for k in key if k not in common]
    if absent:
        rd.problems.append(finding("diff-missing-key-column", f"key column {', '.join(absent)} is not in both tables; rows compared as a multiset", resource=rd.name, field=absent[0]))
    elif key:
        values = [c for c in common if c not in key]
        duplicates = _keyed_diff(rd, old, new, key, values, atol, rtol)
        if not duplicates:
            rd.keyed, rd.value_fields = True, values
            return
        rd.problems += duplicates
        rd.added = rd.removed = rd.changed = None
    rd.key = []
    _multiset_diff(rd, old, new, common)


def _align(old, new):
    """Give each shared column one dtype: numbers as floats, anything else mixed as text."""
    import polars as pl

    fix_old, fix_new = [], []
    for c in old.columns:
        a, b = old.schema[c], new.schema[c]
        if a == b:
            continue
        if a.is_numeric() and b.is_numeric():
            fix_old.append(pl.col(c).cast(pl.Float64))
            fix_new.append(pl.col(c).cast(pl.Float64))
        elif a.is_numeric() or b.is_numeric():
            # One side kept its text because a cell did not parse: compare numbers as numbers, so
            # only the cells that fail to parse differ (not the whole column).
            fix_old.append(_numeric_text(c, a))
            fix_new.append(_numeric_text(c, b))
        else:
            fix_old.append(pl.col(c).cast(pl.String))
            fix_new.append(pl.col(c).cast(pl.String))
    return old.with_columns(fix_old), new.with_columns(fix_new)


def _numeric_text(column: str, dtype):
    """A numeric-or-text column as text in one canonical form: "3083" and 3083 both become "3083.0"."""
    import polars as pl

    col = pl.col(column)
    if dtype.is_numeric():
        return col.cast(pl.Float64).cast(pl.String)
    parsed = col.str.strip_chars().cast(pl.Float64, strict=False)
    return pl.when(parsed.is_not_null()).then(parsed.cast(pl.String)).otherwise(col)


def _keyed_diff(rd: ResourceDiff, old, new, key: list[str], values: list[str], atol: float, rtol: float) -> list[Finding]:
    """Fill rd's added/removed/changed from one full join; return duplicate-key problems instead if any."""
    import polars as pl

    right = new.rename({v: f"{v}__new" for v in values}).with_columns(pl.lit(True).alias("__in_new"))
    joined = old.with_columns(pl.lit(True).alias("__in_old")).join(right, on=key, how="full", coalesce=True, nulls_equal=True)
    in_old, in_new = pl.col("__in_old").is_not_null(), pl.col("__in_new").is_not_null()
    both = joined.filter(in_old & in_new)
    rd.removed = joined.filter(~in_new).select(key + values).sort(key, nulls_last=True)
    rd.added = joined.filter(~in_old).select(key + [pl.col(f"{v}__new").alias(v) for v in values]).sort(key, nulls_last=True)
    # With unique keys every old row appears once in the join, and so does every new row: a
    # repeated key shows as a count mismatch (or a repeat among unmatched rows) at no extra hash.
    if (
        rd.removed.height + both.height != old.height
        or rd.added.height + both.height != new.height
        or rd.removed.select(key).is_duplicated().any()
        or rd.added.select(key).is_duplicated().any()
    ):
        return [_duplicate_problem(rd.name, label, frame, key) for label, frame in (("old", old), ("new", new)) if frame.select(key).is_duplicated().any()]
    flags = [_differs(pl.col(v), pl.col(f"{v}__new"), old.schema[v].is_float(), atol, rtol).alias(f"{v}__chg") for v in values]
    changed = both.with_columns(flags)
    changed = changed.filter(pl.any_horizontal(f"{v}__chg" for v in values)) if values else changed.clear()
    rd.changed = changed.select(key + [c for v in values for c in (v, f"{v}__new", f"{v}__chg")]).sort(key, nulls_last=True)
    return []


def _duplicate_problem(name: str, label: str, frame, key: list[str]) -> Finding:
    dup = frame.filter(frame.select(key).is_duplicated())
    first = {k: _plain(v) for k, v in dup.row(0, named=True).items() if k in key}
    return finding("diff-duplicate-key", f"{label}: {dup.height} rows share a primary key, e.g. {first}; rows compared as a multiset", resource=name)


def _differs(a, b, is_float: bool, atol: float, rtol: float):
    import polars as pl

    if is_float and (atol or rtol):
        far = (a - b).abs() > (atol + rtol * b.abs())
        return pl.when(a.is_null() & b.is_null()).then(False).when(a.is_null() | b.is_null()).then(True).otherwise(far)
    return a.ne_missing(b)


def _multiset_diff(rd: ResourceDiff, old, new, columns: list[str]) -> None:
    import polars as pl

    if not columns:
        return
    a = old.group_by(columns).len("__old")
    b = new.group_by(columns).len("__new")
    joined = a.join(b, on=columns, how="full", coalesce=True, nulls_equal=True).with_columns(
        pl.col("__old").fill_null(0).cast(pl.Int64), pl.col("__new").fill_null(0).cast(pl.Int64)
    )
    rd.removed = joined.filter(pl.col("__old") > pl.col("__new")).select(columns + [(pl.col("__old") - pl.col("__new")).alias(_COUNT)]).sort(columns, nulls_last=True)
    rd.added = joined.filter(pl.col("__new") > pl.col("__old")).select(columns + [(pl.col("__new") - pl.col("__old")).alias(_COUNT)]).sort(columns, nulls_last=True)


def _height(frame, counted: bool = True) -> int:
    if frame is None:
        return 0
    if counted and _COUNT in frame.columns:
        return int(frame[_COUNT].sum())
    return frame.height


def _plain(value):
    """A JSON-ready value: dates as ISO text, whole floats kept as floats."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return value


def show_value(value) -> str:
    """A value as a person reads it: 1,571,976 (not 1571976.0), 2026 (a year stays ungrouped)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # typed equal already
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    return str(_plain(value))

