"""Rows of one resource, old against new: matched by a key, else compared as a multiset.

The key is the one given (`--key`), else the schema's primary key, else one inferred from the data
(misti_data.key_inference): without a key a corrected value is a removed row plus an added one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from misti_data.diff.model import _COUNT, ResourceDiff
from misti_data.findings import Finding
from misti_data.key_inference import infer_key
from misti_data.registry import finding
from misti_data.values import plain

# A column that disappears and one that appears are one renamed column when at least this share
# of their cells hold the same values (country-codes' `name` → `CLDR display name`: 248 of 250).
RENAME_SHARE = 0.9
# Beyond this many (gone, new) column pairs only columns at the same position are compared.
_MAX_RENAME_PAIRS = 400
_NO_KEY = "no primary key, and no set of columns is unique in both versions"


def aligned(old, new, pairs: list[tuple[str, str]]):
    """Both frames with old columns renamed as `pairs` say and only the shared columns, each of one dtype."""
    old = old.rename({o: n for o, n in pairs if o != n and o in old.columns})
    common = [n for _, n in pairs if n in old.columns and n in new.columns]
    # Columns the schemas do not declare are compared too, by name.
    common += [c for c in new.columns if c in old.columns and c not in common]
    return _align(old.select(common), new.select(common))


def compare_rows(
    rd: ResourceDiff,
    old,
    new,
    pairs,
    declared: list[str],
    given: list[str] | None,
    atol: float,
    rtol: float,
) -> None:
    """Fill rd's rows: matched by the key `given`, else `declared`, else an inferred one."""
    old, new = aligned(old, new, pairs)
    common = list(old.columns)
    key, rd.key_source, rd.compared_by = _key(old, new, declared, given)
    rd.key = key
    # An inferred key is in both tables and unique by construction; a given or declared one may not be.
    absent = [k for k in key if k not in common]
    if absent:
        what = "key column" if rd.key_source == "option" else "primary key column"
        rd.problems.append(
            finding(
                "diff-missing-key-column",
                f"{what} {', '.join(absent)} is not in both tables; rows compared as a multiset",
                resource=rd.name,
                field=absent[0],
            )
        )
    elif key:
        values = [c for c in common if c not in key]
        duplicates = _keyed_diff(rd, old, new, key, values, atol, rtol)
        if not duplicates:
            rd.keyed, rd.value_fields = True, values
            return
        rd.problems += duplicates
        rd.added = rd.removed = rd.changed = None
    if key:
        rd.compared_by = f"multiset of rows: {'the key given' if rd.key_source == 'option' else 'the primary key'} cannot match rows"
    rd.key = []
    _multiset_diff(rd, old, new, common)


def compare_hashed(
    rd: ResourceDiff, before, after, key: list[str], source: str, atol: float, rtol: float
) -> bool:
    """Fill rd's rows for two large tables read in chunks, reading only the rows that differ; False
    when this cannot be done (no key, other columns or dtypes on each side, a repeated key) and
    the tables must be compared whole.

    Each side is read as (hash of the key, hash of the other columns, row index), 24 bytes a row,
    on the streaming engine; one join on the key's hash finds the rows only one side has and those
    whose other columns' hash differs. Those rows alone are read back, and compared exactly as
    compare_rows compares whole tables (tolerances included): equal hashes mean equal values
    (a 64-bit collision aside), unequal ones are checked, so nothing is missed."""
    import polars as pl

    old_schema, new_schema = before.lazy.collect_schema(), after.lazy.collect_schema()
    if (
        not key
        or before.by_labels
        or after.by_labels
        or dict(old_schema) != dict(new_schema)
        or any(k not in old_schema for k in key)
    ):
        return False
    values = [c for c in old_schema if c not in key]

    def hashes(lazy):
        parts = [
            pl.struct(key).hash().alias("kh"),
            (pl.struct(values).hash() if values else pl.lit(0, pl.UInt64)).alias("vh"),
        ]
        return lazy.with_row_index("i").select("i", *parts).collect(engine="streaming")

    a, b = hashes(before.lazy), hashes(after.lazy)
    if a["kh"].is_duplicated().any() or b["kh"].is_duplicated().any():
        return False  # a repeated key (or a hash collision): compared whole, which says which
    joined = a.join(b, on="kh", how="full", coalesce=True, suffix="_new")
    differs = (
        pl.col("vh").is_null() | pl.col("vh_new").is_null() | (pl.col("vh") != pl.col("vh_new"))
    )
    rows = joined.filter(differs)
    del a, b, joined

    def subset(lazy, index):
        picked = index.drop_nulls().implode()
        return (
            lazy.with_row_index("__i")
            .filter(pl.col("__i").is_in(picked))
            .drop("__i")
            .collect(engine="streaming")
        )

    old, new = subset(before.lazy, rows["i"]), subset(after.lazy, rows["i_new"])
    columns = list(old_schema)
    compare_rows(
        rd,
        old,
        new,
        [(c, c) for c in columns],
        key if source == "primary-key" else [],
        key if source == "option" else None,
        atol,
        rtol,
    )
    return True


def _key(
    old, new, declared: list[str], given: list[str] | None
) -> tuple[list[str], str | None, str]:
    """The key to match rows by, where it comes from, and how the report says so."""
    if given:
        return given, "option", "key given: " + ", ".join(given)
    if declared:
        return declared, "primary-key", "primary key " + ", ".join(declared)
    inferred = infer_key(old, new)
    if inferred is None and any(old[c].null_count() or new[c].null_count() for c in old.columns):
        inferred = infer_key(
            old, new, allow_empty=True
        )  # the second try only differs where cells are empty
    if inferred is None:
        return [], None, f"multiset of rows: {_NO_KEY}"
    return list(inferred.columns), "inferred", inferred.message


def value_match(old, new) -> Callable[[str, str], float | None]:
    """For renames: the share of cells old column `o` and new column `n` have in common, when at
    least RENAME_SHARE and `o` holds more than one value (a rename, not a coincidence)."""
    gone = [c for c in old.columns if c not in new.columns]
    fresh = [c for c in new.columns if c not in old.columns]
    wide = len(gone) * len(fresh) > _MAX_RENAME_PAIRS

    @cache
    def counts(frame_is_old: bool, name: str):
        import polars as pl

        frame = old if frame_is_old else new
        dtype = frame.schema[name]
        text = (
            _numeric_text(name, dtype)
            if dtype.is_numeric() or dtype == pl.String
            else pl.col(name).cast(pl.String)
        )
        return frame.select(text.alias("v")).to_series().value_counts(name="n")

    def score(o: str, n: str) -> float | None:
        import polars as pl

        if (
            o not in old.columns
            or n not in new.columns
            or (wide and old.columns.index(o) != new.columns.index(n))
        ):
            return None
        a, b = counts(True, o), counts(False, n)
        if a.drop_nulls().height < 2:
            return None
        shared = (
            a.join(b, on="v", nulls_equal=True)
            .select(pl.min_horizontal("n", "n_right").sum())
            .item()
            or 0
        )
        share = shared / max(old.height, new.height, 1)
        return share if share >= RENAME_SHARE else None

    return score


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


def _keyed_diff(
    rd: ResourceDiff, old, new, key: list[str], values: list[str], atol: float, rtol: float
) -> list[Finding]:
    """Fill rd's added/removed/changed from one full join; return duplicate-key problems instead if any."""
    import polars as pl

    right = new.rename({v: f"{v}__new" for v in values}).with_columns(
        pl.lit(True).alias("__in_new")
    )
    joined = old.with_columns(pl.lit(True).alias("__in_old")).join(
        right, on=key, how="full", coalesce=True, nulls_equal=True
    )
    in_old, in_new = pl.col("__in_old").is_not_null(), pl.col("__in_new").is_not_null()
    rd.removed = joined.filter(~in_new).select(key + values).sort(key, nulls_last=True)
    rd.added = (
        joined.filter(~in_old)
        .select(key + [pl.col(f"{v}__new").alias(v) for v in values])
        .sort(key, nulls_last=True)
    )
    # With unique keys every old row appears once in the join, and so does every new row: a
    # repeated key shows as a count mismatch (or a repeat among unmatched rows) at no extra hash.
    both = joined.height - rd.removed.height - rd.added.height  # rows in both versions
    if (
        rd.removed.height + both != old.height
        or rd.added.height + both != new.height
        or rd.removed.select(key).is_duplicated().any()
        or rd.added.select(key).is_duplicated().any()
    ):
        what = "the key given" if rd.key_source == "option" else "a primary key"
        return [
            _duplicate_problem(rd.name, label, frame, key, what)
            for label, frame in (("old", old), ("new", new))
            if frame.select(key).is_duplicated().any()
        ]
    flags = {
        v: _differs(pl.col(v), pl.col(f"{v}__new"), old.schema[v].is_float(), atol, rtol)
        for v in values
    }
    # One filter over the join: the rows in both versions are never copied out whole (at 5M
    # rows that copy took the peak past the floor's; benchmarks/README.md).
    changed = (
        joined.filter(in_old & in_new & pl.any_horizontal(flags.values()))
        if values
        else joined.clear()
    )
    rd.changed = changed.select(
        *key,
        *(e for v in values for e in (v, f"{v}__new", flags[v].alias(f"{v}__chg"))),
    ).sort(key, nulls_last=True)
    return []


def _duplicate_problem(name: str, label: str, frame, key: list[str], what: str) -> Finding:
    dup = frame.filter(frame.select(key).is_duplicated())
    first = {k: plain(v) for k, v in dup.row(0, named=True).items() if k in key}
    return finding(
        "diff-duplicate-key",
        f"{label}: {dup.height} rows share {what}, e.g. {first}; rows compared as a multiset",
        resource=name,
    )


def _differs(a, b, is_float: bool, atol: float, rtol: float):
    import polars as pl

    if is_float and (atol or rtol):
        far = (a - b).abs() > (atol + rtol * b.abs())
        return (
            pl.when(a.is_null() & b.is_null())
            .then(False)
            .when(a.is_null() | b.is_null())
            .then(True)
            .otherwise(far)
        )
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
    rd.removed = (
        joined.filter(pl.col("__old") > pl.col("__new"))
        .select(columns + [(pl.col("__old") - pl.col("__new")).alias(_COUNT)])
        .sort(columns, nulls_last=True)
    )
    rd.added = (
        joined.filter(pl.col("__new") > pl.col("__old"))
        .select(columns + [(pl.col("__new") - pl.col("__old")).alias(_COUNT)])
        .sort(columns, nulls_last=True)
    )
