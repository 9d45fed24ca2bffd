"""One side of a resource as the diff compares it: its typed rows, and how its columns are named.

A column is named by the schema when the CSV's header matches the schema, as validate reads it.
When the header does not match (validate's incorrect-label, extra-label, missing-label), reading
by position would put one column's values under another's name (datahub's country-codes at
6dd0611: 51 labels out of place, 888 type errors), so that side is read by its header labels,
each column typed by the schema field of the same name, as Table Schema v2's `fieldsMatch` reads
a header in another order. A table without field names (none, or pre-1.0 `id`s) is read by its
labels anyway. Either way the diff then compares the columns as the file names them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from misti_data.findings import Finding
from misti_data.package import Package
from misti_data.registry import finding
from misti_data.tables import ROW, TypedTable, read_resource, table

# The reader's findings that say the header is not the schema's field names, in order.
LABEL_CODES = ("incorrect-label", "extra-label", "missing-label")
# Schema properties about fields by name or position: left out when a side is read by its labels.
_BY_FIELD = ("fields", "primaryKey", "foreignKeys", "uniqueKeys")


@dataclass
class Side:
    """What the diff compares of one resource in one package."""

    frame: object = None  # polars DataFrame without the row number, or None when unreadable
    problems: list[Finding] = field(default_factory=list)
    by_labels: bool = False  # columns named by the header, not by the schema's fields
    note: str | None = None  # why, when the header differs from the schema
    ragged: int = (
        0  # rows with more cells than the header: `frame` holds the columns the header names
    )
    # When every row has the same number of cells beyond the header, that number: a consistent
    # shape (datahub's co2-ppm), compared by the header against a file that held only a header.
    extra: int = 0
    lazy: object = (
        None  # a table read in chunks: its polars LazyFrame (then `frame` is None until collected)
    )
    height: int = 0

    def collected(self) -> Side:
        """This side with its frame in memory."""
        if self.lazy is None:
            return self
        return replace(self, frame=self.lazy.collect(), lazy=None)


def identity(resource: dict, index: int) -> str:
    """What the diff calls a resource: its name; one without a name (the standard requires one) by its path."""
    name, path = resource.get("name"), resource.get("path")
    if isinstance(name, str):
        return name
    return path if isinstance(path, str) else f"resource {index + 1}"


def read_table(package: Package, resource: dict) -> TypedTable:
    """The resource as the one reader reads it (cached by name; an unnamed one is read each time)."""
    name = resource.get("name")
    return table(package, name) if isinstance(name, str) else read_resource(package, resource)


def read_side(package: Package, resource: dict, label: str, read: TypedTable | None = None) -> Side:
    """The rows to compare, or the problem that keeps them from being compared."""
    read = read or read_table(package, resource)
    where = {
        "resource": label,
        "path": resource.get("path") if isinstance(resource.get("path"), str) else None,
    }
    # A misplaced quote moves text between cells and rows: what was read is not what was meant.
    quote = next((f for f in read.findings if f.code == "malformed-quote"), None)
    if not read.readable or quote is not None:
        why = (
            f"{f'row {quote.row}: ' if quote.row else ''}{quote.message}"
            if quote
            else next((f.message for f in read.findings if f.row is None), None)
        )
        return Side(
            problems=[
                finding(
                    "diff-unreadable",
                    f"{package.label}: resource {label!r} "
                    + (f"cannot be read: {why}" if why else "has no readable local file"),
                    **where,
                )
            ]
        )
    ragged = next((f for f in read.findings if f.code == "extra-cell"), None)
    if ragged is not None:
        width = len(read.fields)
        cells = width + sum(f.code == "extra-cell" and f.row == ragged.row for f in read.findings)
        per_row = Counter(f.row for f in read.findings if f.code == "extra-cell")
        # Every row read, with findings kept for all its extra cells: the same number in each?
        same = (
            "extra-cell" not in read.withheld
            and len(per_row) == read.height
            and len(set(per_row.values())) == 1
        )
        # Compared when the other side is ragged too, or this side's shape is consistent and the
        # other has no rows (diff_packages decides): the same defect in both, or a shape.
        return Side(
            _without_row(read.comparable()),
            ragged=len(per_row),
            extra=cells - width if same else 0,
            problems=[
                finding(
                    "diff-ragged-row",
                    f"{package.label}: row {ragged.row} has {cells} cells, the header {width}",
                    row=ragged.row,
                    **where,
                )
            ],
        )
    mismatch = Counter(f.code for f in read.findings if f.code in LABEL_CODES)
    if mismatch:
        by_labels = _read_by_labels(package, resource, read.schema)
        if by_labels is not None:
            counts = ", ".join(f"{n} {code}" for code, n in sorted(mismatch.items()))
            note = f"{package.label}: the header does not match the schema ({counts}); its columns are read by their labels"
            return Side(_without_row(by_labels.comparable()), by_labels=True, note=note)
    named = any(
        isinstance(f, dict) and isinstance(f.get("name"), str)
        for f in read.schema.get("fields") or []
    )
    if (
        read.spilled
    ):  # a large table: compared through hashes first (diff/rows.py), read whole only if it must be
        return Side(
            None, by_labels=not named, lazy=read.comparable(lazy=True).drop(ROW), height=read.height
        )
    return Side(_without_row(read.comparable()), by_labels=not named, height=read.height)


def _without_row(frame):
    """The frame without its row numbers, its columns shared (DataFrame.drop copies a table read
    in chunks into one: 300 MiB a side at 5M rows)."""
    return frame[[c for c in frame.columns if c != ROW]]


def _read_by_labels(package: Package, resource: dict, schema: dict) -> TypedTable | None:
    """The resource read with its columns named by the header, each typed by the schema's field of that name."""
    bare = {k: v for k, v in schema.items() if k not in _BY_FIELD}
    labels = read_resource(package, {**resource, "schema": bare}).names
    fields = {
        f["name"]: f
        for f in schema.get("fields") or []
        if isinstance(f, dict) and isinstance(f.get("name"), str)
    }
    synced = {
        **bare,
        "fields": [fields.get(label, {"name": label, "type": "any"}) for label in labels],
    }
    read = read_resource(package, {**resource, "schema": synced})
    return read if read.readable else None
