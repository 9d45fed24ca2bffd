"""The typer: a CSV table's cells (all text) typed, constrained and checked chunk by chunk.

Every column polars expressions can type (the usual case) is typed in one query per chunk, with
its constraints and the text checks handed in (checks/formulas.py's); a table wider than WIDE
fields is typed kind by kind instead; the other columns (JSON cells, a format polars refuses)
are typed as Series. Whatever the path, failing cells are recorded one way (`Typer.record`): a
type error's text kept for the diff, at most FINDINGS_PER_CODE findings of a code, the rest counted.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from misti_data.findings import Finding
from misti_data.registry import finding
from misti_data.tables.cell_findings import (
    TextCheck,
    constraint_findings,
    field_findings,
    quoting,
    type_message,
)
from misti_data.tables.constraints import constraint_failures
from misti_data.tables.typed import FINDINGS_PER_CODE, ROW, TypedTable
from misti_data.tables.types import describe, dtype_of, expressible, parse, parse_expr

# Above this many fields, the fields of one definition are typed together (Typer._type_wide).
WIDE = 256


def cell_checks(field: dict, raw, typed, text_checks: tuple[TextCheck, ...]):
    """(code, failing-cell mask, message of the cell) of each check on a column typed by
    expressions: its type, its constraints, and the text checks on a text column."""
    import polars as pl

    dtype = dtype_of(field)
    yield "type-error", raw.is_not_null() & typed.is_null(), type_message(field)
    for _constraint, mask, message in constraint_failures(field, raw, typed, dtype):
        yield "constraint-error", mask, quoting(message)
    if dtype == pl.String:
        for check in text_checks:
            yield check.code, typed.str.contains(check.pattern), check.message


@dataclass
class _Group:
    """Fields with one definition but their names: one typed expression and one set of masks over `v`."""

    fields: list
    typed: object = None
    masks: list = field(default_factory=list)
    checks: list = field(default_factory=list)  # (mask name, code, message of the cell)


def _groups(fields: list[dict], text_checks: tuple[TextCheck, ...]) -> list[_Group]:
    import polars as pl

    by_spec: dict[str, _Group] = {}
    for f in fields:  # all expressible
        spec = json.dumps({k: v for k, v in f.items() if k != "name"}, sort_keys=True, default=str)
        by_spec.setdefault(spec, _Group([])).fields.append(f)
    for group in by_spec.values():
        raw = pl.col("v")
        group.typed = parse_expr(group.fields[0], raw)
        for code, mask, message in cell_checks(group.fields[0], raw, pl.col("t"), text_checks):
            name = f"m{len(group.checks)}"
            group.checks.append((name, code, message))
            group.masks.append(mask.fill_null(False).alias(name))
    return list(by_spec.values())


class Typer:
    """Types a table's cells chunk by chunk (see the module's docstring)."""

    def __init__(
        self, table: TypedTable, columns: list[dict | None], text_checks: tuple[TextCheck, ...]
    ):
        import polars as pl

        self.table, self.chunks, self.text_checks = table, 0, text_checks
        self.kept = Counter(f.code for f in table.findings)
        self.fields, self.raw_index = [], {}
        for i, f in enumerate(columns):
            if f is None or f["name"] in self.raw_index:
                continue  # a column no field holds (reported as a label), or a repeated field name (the descriptor check)
            self.fields.append(f)
            self.raw_index[f["name"]] = i
        table.fields = self.fields
        self.expressible = {k for k, f in enumerate(self.fields) if expressible(f)}
        chosen = [self.fields[k] for k in sorted(self.expressible)]
        self.groups = _groups(chosen, text_checks) if len(self.fields) > WIDE else None
        # The one query: typed columns first (t0, t1, ...), then the masks of failing cells over them.
        self.typed_exprs, self.mask_exprs, self.checks = [], [], []
        for k, f in enumerate(self.fields):
            if k not in self.expressible or self.groups is not None:
                continue
            raw = self._raw(f)
            self.typed_exprs.append(parse_expr(f, raw).alias(f"t{k}"))
            for code, mask, message in cell_checks(f, raw, pl.col(f"t{k}"), text_checks):
                self.checks.append((f"m{len(self.checks)}", code, f, message))
                self.mask_exprs.append(mask.fill_null(False).alias(self.checks[-1][0]))
        key = [n for n in table.primary_key if n in self.raw_index]
        self.key_empty = (
            pl.any_horizontal([self._raw({"name": n}).is_null() for n in key])
            if key and len(key) == len(table.primary_key)
            else None
        )
        self.key_rows: list[int] = []
        self.key_count = 0
        self.text_found: list[Finding] = []
        self.bad: dict[str, list] = {}

    def _column(self, f: dict) -> str:
        """The name of the chunk's column of `f`'s cells."""
        return f"c{self.raw_index[f['name']]}"

    def _raw(self, f: dict):
        import polars as pl

        return pl.col(self._column(f))

    def room(self, code: str) -> int:
        return max(0, FINDINGS_PER_CODE - self.kept[code])

    def keep(self, found: list[Finding], withheld: dict | None = None) -> None:
        """Keep findings up to FINDINGS_PER_CODE a code, count the rest (and `withheld`)."""
        text_codes = {c.code for c in self.text_checks}
        for f in found:
            if self.kept[f.code] < FINDINGS_PER_CODE:
                self.kept[f.code] += 1
                (self.text_found if f.code in text_codes else self.table.findings).append(f)
            else:
                self.table.withheld[f.code] = self.table.withheld.get(f.code, 0) + 1
        for code, n in (withheld or {}).items():
            self.table.withheld[code] = self.table.withheld.get(code, 0) + n

    def record(self, code: str, hits, message) -> None:
        """The one way a typing path records failing cells: `hits` (row, field, cell), in row
        order. A type error's text is kept for the diff (TypedTable.bad_text); findings are made
        for as many as FINDINGS_PER_CODE leaves room for, the rest counted in `withheld`."""
        import polars as pl

        if code == "type-error":
            for (name,), bad in hits.partition_by("field", as_dict=True).items():
                self.bad.setdefault(name, []).append(
                    bad.select(pl.col("row").alias(ROW), pl.col("cell").alias("text"))
                )
        room = self.room(code)
        if room < hits.height:
            self.table.withheld[code] = self.table.withheld.get(code, 0) + hits.height - room
        self.keep(field_findings(code, message, hits.head(room).iter_rows(), self.table.where))

    def add(self, cells) -> None:
        """Type one chunk's cells (`row`, c0..cN) and add it to the table."""
        import polars as pl

        wide = self._type_wide(cells) if self.groups is not None else {}
        out = (
            cells.lazy()
            .with_columns(self.typed_exprs)
            .select(
                "row",
                *[pl.col(f"t{k}") for k in sorted(self.expressible) if self.groups is None],
                *self.mask_exprs,
                *([self.key_empty.alias("__key_empty")] if self.key_empty is not None else []),
            )
            .collect()
        )
        if self.checks:
            totals = out.select(pl.col([c[0] for c in self.checks]).sum()).row(0)
            for (mask, code, f, message), total in zip(self.checks, totals, strict=True):
                if total:
                    hits = _hits(cells["row"], cells[self._column(f)], f["name"], out[mask])
                    self.record(code, hits, message)
        columns = [out["row"].rename(ROW)]
        for k, f in enumerate(self.fields):
            if f["name"] in wide:
                columns.append(wide[f["name"]])
            elif k in self.expressible:
                columns.append(out[f"t{k}"].rename(f["name"]))
            else:
                columns.append(self._series(cells, f))
        if self.key_empty is not None:
            hit = out.filter("__key_empty")["row"]
            self.key_count += hit.len()
            self.key_rows += hit.head(max(0, FINDINGS_PER_CODE - len(self.key_rows))).to_list()
        typed = pl.DataFrame(columns)
        names = [ROW, *(f["name"] for f in self.fields)]
        if typed.columns != names:
            typed.columns = names  # a Series named "" is named column_N in a frame made from a list
        del out, columns
        self.chunks += 1
        self.table.add_chunk(typed)

    def _type_wide(self, cells) -> dict:
        """A wide table's expressible columns, typed kind by kind: the cells of all the columns
        of one field definition stacked into one column, typed and checked by one query each
        (50,000 columns of 20 rows: one query, not 50,000)."""
        import polars as pl

        h = cells.height
        rows = cells["row"]
        order = [f for group in self.groups for f in group.fields]
        stacked = (
            pl.concat([cells.get_column(self._column(f)) for f in order]).rename("v").rechunk()
            if order
            else pl.Series("v", [], dtype=pl.String)
        )
        columns, start = {}, 0
        for group in self.groups:
            n = len(group.fields)
            part = stacked.slice(start * h, n * h).to_frame("v")
            start += n
            out = (
                part.lazy()
                .with_columns(group.typed.alias("t"))
                .select("v", "t", *group.masks)
                .collect()
            )
            typed = out["t"].rechunk()
            for j, f in enumerate(group.fields):
                columns[f["name"]] = typed.slice(j * h, h).rename(f["name"])
            totals = (
                out.select(pl.col([m for m, _code, _message in group.checks]).sum()).row(0)
                if group.checks
                else ()
            )
            for (mask, code, message), total in zip(group.checks, totals):
                if not total:
                    continue
                hits = out.select(pl.int_range(pl.len()).alias("i"), "v", mask).filter(mask)
                names = pl.Series([f["name"] for f in group.fields]).gather(hits["i"] // h)
                found = pl.DataFrame(
                    {"row": rows.gather(hits["i"] % h), "field": names, "cell": hits["v"]}
                )
                self.record(code, found.sort("row", maintain_order=True), message)
        return columns

    def _series(self, cells, f: dict):
        """A column expressions cannot type, typed as a Series (JSON cells, a format polars refuses)."""
        import polars as pl

        table, where = self.table, self.table.where
        fname, raw = f["name"], cells[self._column(f)]
        rows = cells["row"]
        try:
            typed = parse(f, raw)
        except pl.exceptions.PolarsError as e:  # e.g. a date format polars cannot use
            if self.chunks == 0:
                table.findings.append(
                    finding(
                        "field-error",
                        f"cannot check {fname!r} as {describe(f)}: {str(e).splitlines()[0]}",
                        field=fname,
                        **where,
                    )
                )
            typed = raw
        typed = typed.rename(fname)
        bad = raw.is_not_null() & typed.is_null()
        if bad.any():
            self.record("type-error", _hits(rows, raw, fname, bad), type_message(f))
        found = constraint_findings(f, lambda: constraint_failures(f, raw, typed), rows, raw, where)
        if self.chunks:
            found = [x for x in found if x.row is not None]  # a field's own problems are said once
        self.keep(found)
        if typed.dtype == pl.String:
            for check in self.text_checks:
                mask = typed.str.contains(check.pattern).fill_null(False)
                self.record(check.code, _hits(rows, typed, fname, mask), check.message)
        return typed

    def finish(self) -> None:
        import polars as pl

        table = self.table
        table.bad_text = {name: pl.concat(parts) for name, parts in self.bad.items()}
        if self.key_empty is not None:
            table.key_empty = (self.key_rows, self.key_count)
        # None when no text check was handed in: a check that needs one then reads the frame.
        table.formula_cells = self.text_found if self.text_checks else None
        table.finish_chunks(
            pl.DataFrame(
                {
                    ROW: pl.Series([], dtype=pl.Int64),
                    **{f["name"]: pl.Series([], dtype=dtype_of(f)) for f in self.fields},
                }
            )
        )


def _hits(rows, cells, fname: str, mask):
    """(row, field, cell) where `mask` holds, of a column's `cells` numbered by `rows`."""
    import polars as pl

    hits = pl.DataFrame({"row": rows, "cell": cells}).filter(mask)
    return hits.select("row", pl.lit(fname).alias("field"), "cell")
