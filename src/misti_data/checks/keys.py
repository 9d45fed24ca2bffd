"""Unique fields, primary keys and foreign keys, checked with polars joins over typed columns.

Keys compare typed values, as frictionless does (`01` and `1` are the same integer). Cells
that failed their type are left out: they are already reported as type errors.

Only the key columns are read (`TypedTable.lazy`). A large table's repeated keys are found from a
64-bit hash of each key first, sorted (8 bytes a row, where a hash table of the keys themselves
took 3 GiB at 100M rows); only the rows whose hash repeats are read back and compared whole.
Foreign keys are anti-joins on the streaming engine. At most FINDINGS_PER_CODE findings of a code
are made per table, the rest counted.
"""

from __future__ import annotations

from misti_data.findings import ERROR, Finding
from misti_data.registry import check, finding
from misti_data.tables import ROW, TypedTable, names_of
from misti_data.tables.cells import quoted
from misti_data.tables.read import FINDINGS_PER_CODE

FIRST = "__misti_first__"
# Above this many rows, repeated keys are found through their hashes first.
_HASH_FROM = 2_000_000


@check("keys")
def check_keys(context) -> list[Finding]:
    read = [t for t in context.tables() if t.readable]
    by_name = {t.name: t for t in read}
    names = {r.get("name") for r in context.package.resources}
    found = []
    unread = unread_tables(context)
    for table in read:
        mine = []
        for f in table.fields:
            if isinstance(f.get("constraints"), dict) and f["constraints"].get("unique") is True:
                mine += unique_findings(table, f["name"])
        mine += primary_key_findings(table)
        mine += unique_key_findings(table)
        mine += foreign_key_findings(table, by_name, names, unread)
        found += _capped(table, mine)
    return found


def unread_tables(context) -> set[str]:
    return {
        t.name
        for t in context.tables()
        if not t.readable and not any(f.severity == ERROR for f in t.findings)
    }


def _capped(table: TypedTable, found: list[Finding]) -> list[Finding]:
    """At most FINDINGS_PER_CODE of each code; the rest counted on the table (Report.withheld)."""
    kept, out = {}, []
    for f in found:
        kept[f.code] = kept.get(f.code, 0) + 1
        if kept[f.code] <= FINDINGS_PER_CODE:
            out.append(f)
        else:
            table.withheld[f.code] = table.withheld.get(f.code, 0) + 1
    return out


def _show(values: tuple) -> str:
    shown = ", ".join(quoted(v) for v in values)
    return shown if len(values) == 1 else f"({shown})"


def _key_frame(table: TypedTable, cols: list[str]):
    """ROW and `cols` of the rows where none of `cols` is null; for a large table, only the rows
    whose key's hash repeats (a superset of the rows whose key repeats)."""
    import polars as pl

    lazy = table.lazy().select(ROW, *cols).drop_nulls(cols)
    if table.height <= _HASH_FROM:
        return lazy.collect()
    hashes = lazy.select(pl.struct(cols).hash().alias("h")).collect(engine="streaming")["h"].sort()
    repeated = hashes.filter(hashes == hashes.shift(1)).unique()
    del hashes
    return lazy.filter(pl.struct(cols).hash().is_in(repeated.implode())).collect(engine="streaming")


def _repeats(frame, cols: list[str]):
    """(row, first row, values) of each row whose `cols` repeat an earlier row's."""
    import polars as pl

    dups = frame.filter(frame.select(cols).is_duplicated())
    if dups.is_empty():
        return []
    dups = dups.with_columns(pl.col(ROW).min().over(cols).alias(FIRST)).filter(
        pl.col(ROW) != pl.col(FIRST)
    )
    return [(r[0], r[1], r[2:]) for r in dups.select(ROW, FIRST, *cols).sort(ROW).iter_rows()]


def unique_findings(table: TypedTable, field: str) -> list[Finding]:
    frame = _key_frame(table, [field])
    return [
        finding(
            "unique-error",
            f"{_show(values)} repeats row {first}; {field} is unique",
            row=row,
            field=field,
            cell=str(values[0]),
            **table.where,
        )
        for row, first, values in _repeats(frame, [field])
    ]


def unique_key_findings(table: TypedTable) -> list[Finding]:
    """Table Schema v2 `uniqueKeys`: each set of fields unique over the rows where none is null (as SQL's UNIQUE)."""
    keys = table.schema.get("uniqueKeys")
    found = []
    for key in keys if isinstance(keys, list) else []:
        cols = names_of(key)
        if not cols or any(c not in table.columns for c in cols):
            continue  # a missing column is reported as missing-label, a wrong key by the descriptor check
        label = ", ".join(cols)
        frame = _key_frame(table, cols)
        found += [
            finding(
                "unique-error",
                f"({label}) = {_show(values)} repeats row {first}; ({label}) is a unique key",
                row=row,
                field=cols[0] if len(cols) == 1 else None,
                **table.where,
            )
            for row, first, values in _repeats(frame, cols)
        ]
    return found


def primary_key_findings(table: TypedTable) -> list[Finding]:
    import polars as pl

    keys = table.primary_key
    if not keys or any(k not in table.columns for k in keys):
        return []
    label = ", ".join(keys)
    if table.key_empty is not None:  # read by chunks: the reader noted the rows
        empty_rows, count = table.key_empty
        if count > len(empty_rows):
            table.withheld["primary-key"] = (
                table.withheld.get("primary-key", 0) + count - len(empty_rows)
            )
    else:
        empty_rows = table.frame.filter(pl.any_horizontal(table.empty.select(keys)))[ROW]
    found = [
        finding(
            "primary-key", f"the primary key ({label}) has an empty cell", row=row, **table.where
        )
        for row in empty_rows
    ]
    frame = _key_frame(table, keys)
    found += [
        finding(
            "primary-key",
            f"({label}) = {_show(values)} repeats row {first}",
            row=row,
            **table.where,
        )
        for row, first, values in _repeats(frame, keys)
    ]
    return found


def foreign_key_findings(
    table: TypedTable,
    tables: dict[str, TypedTable],
    names: set[str],
    not_tables: set[str] = frozenset(),
) -> list[Finding]:
    """Rows whose foreign key has no match. `names` are all resources, `tables` those read,
    `not_tables` those that are no table (a plain file) and were not read for that reason."""
    import polars as pl

    found = []
    for fk in table.foreign_keys:
        fields, parent_name, ref_fields = fk["fields"], fk["resource"], fk["reference_fields"]
        if parent_name not in names:
            found.append(
                finding(
                    "foreign-key",
                    f"the foreign key ({', '.join(fields)}) refers to resource {parent_name!r}, which does not exist",
                    **table.where,
                )
            )
            continue
        if parent_name in not_tables:
            found.append(
                finding(
                    "foreign-key",
                    f"the foreign key ({', '.join(fields)}) refers to resource {parent_name!r}, which is not a table",
                    **table.where,
                )
            )
            continue
        parent = tables.get(parent_name)
        if parent is None or len(fields) != len(ref_fields) or not fields:
            continue  # the parent could not be read (reported there), or the descriptor check reports it
        if any(f not in table.columns for f in fields) or any(
            f not in parent.columns for f in ref_fields
        ):
            continue  # a missing column, reported as missing-label
        child = table.lazy().select(ROW, *fields).drop_nulls(fields)
        lookup = (
            parent.lazy()
            .select([pl.col(r).alias(f) for r, f in zip(ref_fields, fields)])
            .drop_nulls()
            .unique()
        )
        child_schema, lookup_schema = child.collect_schema(), lookup.collect_schema()
        mismatched = [f for f in fields if child_schema[f] != lookup_schema[f]]
        if mismatched:
            child = child.with_columns([pl.col(f).cast(pl.String) for f in mismatched])
            lookup = lookup.with_columns([pl.col(f).cast(pl.String) for f in mismatched])
        orphans = child.join(lookup, on=fields, how="anti").collect(engine="streaming").sort(ROW)
        target = (
            f"{parent_name}.{ref_fields[0]}"
            if len(ref_fields) == 1
            else f"{parent_name} ({', '.join(ref_fields)})"
        )
        for row, *values in orphans.iter_rows():
            what = fields[0] if len(fields) == 1 else f"({', '.join(fields)})"
            found.append(
                finding(
                    "foreign-key",
                    f"{what} {_show(tuple(values))} is not in {target}",
                    row=row,
                    cell=str(values[0]) if len(values) == 1 else None,
                    **table.where,
                )
            )
    return found
