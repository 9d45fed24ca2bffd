"""Rows of one resource, old against new: matched by primary key, else compared as a multiset."""

from __future__ import annotations

from misti_data.diff.model import _COUNT, ResourceDiff, plain
from misti_data.findings import Finding
from misti_data.registry import finding
from misti_data.tables import names_of


def compare_rows(rd: ResourceDiff, old, new, sa: dict, sb: dict, pairs, atol: float, rtol: float) -> None:
    old = old.rename({o: n for o, n in pairs if o != n and o in old.columns})
    common = [n for _, n in pairs if n in old.columns and n in new.columns]
    # Columns the schemas do not declare are compared too, by name.
    common += [c for c in new.columns if c in old.columns and c not in common]
    old, new = _align(old.select(common), new.select(common))
    key = names_of(sb.get("primaryKey")) or names_of(sa.get("primaryKey"))
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
    first = {k: plain(v) for k, v in dup.row(0, named=True).items() if k in key}
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


