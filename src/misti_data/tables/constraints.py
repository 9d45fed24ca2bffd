"""Table Schema constraints as polars masks over a typed column: for each constraint a field
declares, the cells that fail it and how to say so."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from misti_data.tables.types import BOUNDS, UNORDERED, delimiter, json_validator, parse

# A duration without years or months, in seconds (its parts have fixed lengths; is P1M more than P30D?).
_EXACT_DURATION = r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
UNCOMPARED = (
    "duration-uncompared"  # constraint_failures' name for cells no bound can be compared with
)


def duration_seconds(raw):
    """Seconds of each ISO 8601 duration cell; null for one with years or months, or not a duration."""
    import polars as pl

    parts = raw.str.extract_groups(_EXACT_DURATION)
    seconds = pl.sum_horizontal(
        [
            parts.struct.field(str(i)).cast(pl.Float64).fill_null(0) * unit
            for i, unit in enumerate((604_800, 86_400, 3_600, 60, 1), start=1)
        ]
    )
    return (
        pl.select(pl.when(pl.lit(raw.str.contains(_EXACT_DURATION))).then(seconds))
        .to_series()
        .rename(raw.name)
    )


def _duration_bounds(constraints: dict, raw, present) -> list:
    """minimum/maximum (and exclusive ones) on durations without years or months, in seconds; cells
    with years or months are UNCOMPARED. A bound with years or months is left to the caller's warning."""
    import polars as pl

    limits = {
        b: duration_seconds(pl.Series([constraints[b]], dtype=pl.String))[0]
        for b in BOUNDS
        if isinstance(constraints.get(b), str)
    }
    if not limits or any(v is None for v in limits.values()):
        return []
    secs = duration_seconds(raw)
    tests = {
        "minimum": (lambda v: secs < v, "is below the minimum"),
        "maximum": (lambda v: secs > v, "is above the maximum"),
        "exclusiveMinimum": (lambda v: secs <= v, "is not above the exclusive minimum"),
        "exclusiveMaximum": (lambda v: secs >= v, "is not below the exclusive maximum"),
    }
    out = [
        (
            b,
            present & tests[b][0](v),
            lambda cell, t=f"{tests[b][1]} {constraints[b]}": f"{cell} {t}",
        )
        for b, v in limits.items()
    ]
    out.append(
        (
            UNCOMPARED,
            present & secs.is_null(),
            lambda cell: (
                f"{cell} has years or months, so it is not compared with {', '.join(limits)}"
            ),
        )
    )
    return out


def constraint_failures(
    field: dict, raw, typed, dtype=None
) -> list[tuple[str, object, Callable[[str], str]]]:
    """(constraint, failing-row mask, message of the quoted cell) for each constraint the field declares.

    Masks are over cells of the right type only, except `required`, which fails on empty cells.
    Messages are functions, not templates: a pattern such as `^KH[0-9]{2}$` is text, never a format.
    `raw` and `typed` are Series, or polars expressions of a field `expressible` says can be
    typed as one (`dtype` is then the typed column's).
    """
    dtype = typed.dtype if dtype is None else dtype
    constraints = field.get("constraints") or {}
    if not isinstance(constraints, dict):
        return []
    out = []
    present = typed.is_not_null()
    if constraints.get("required"):
        out.append(("required", raw.is_null(), lambda cell: "the cell is empty but required"))
    bounds = {
        "minimum": (lambda v: typed < v, "is below the minimum"),
        "maximum": (lambda v: typed > v, "is above the maximum"),
        "exclusiveMinimum": (lambda v: typed <= v, "is not above the exclusive minimum"),
        "exclusiveMaximum": (lambda v: typed >= v, "is not below the exclusive maximum"),
    }
    for name, (test, text) in bounds.items():
        if name in constraints and (field.get("type") or "string") not in UNORDERED:
            limit = typed_constant(field, constraints[name])
            if limit is not None:
                out.append(
                    (
                        name,
                        present & test(limit),
                        lambda cell, t=f"{text} {constraints[name]}": f"{cell} {t}",
                    )
                )
    if field.get("type") == "duration" and any(b in constraints for b in bounds):
        out += _duration_bounds(constraints, raw, present)
    lengths = _lengths(field, typed, dtype)
    if lengths is not None:
        unit = (
            "items"
            if (field.get("type") or "string") in ("list", "array", "object")
            else "characters"
        )
        if "minLength" in constraints:
            least = constraints["minLength"]
            out.append(
                (
                    "minLength",
                    present & (lengths < least),
                    lambda cell: f"{cell} is shorter than {least} {unit}",
                )
            )
        if "maxLength" in constraints:
            most = constraints["maxLength"]
            out.append(
                (
                    "maxLength",
                    present & (lengths > most),
                    lambda cell: f"{cell} is longer than {most} {unit}",
                )
            )
    if isinstance(constraints.get("pattern"), str):
        pattern = constraints["pattern"]
        out.append(
            (
                "pattern",
                present & ~_full_match(raw, pattern),
                lambda cell: f"{cell} does not match the pattern {pattern}",
            )
        )
    if "enum" in constraints:
        out += _allowed(field, raw, typed, constraints["enum"], "one of", dtype)
    return out + beyond_frictionless(field, typed, dtype)


def beyond_frictionless(
    field: dict, typed, dtype=None
) -> list[tuple[str, object, Callable[[str], str]]]:
    """The Table Schema v2 checks frictionless 5 does not make: `categories` (when no `enum`
    narrows them) and `jsonSchema`; run on every table, whichever reader read it."""
    dtype = typed.dtype if dtype is None else dtype
    constraints = field.get("constraints") or {}
    out = []
    if "enum" not in constraints and isinstance(_categories(field), list):
        out += _allowed(field, typed, typed, _categories(field), "a category of", dtype)
    schema = constraints.get("jsonSchema")
    if isinstance(schema, dict) and (field.get("type") or "string") in ("object", "array"):
        validator = json_validator(schema)
        ok = _per_value(typed, lambda value: validator.is_valid(value))
        out.append(
            (
                "jsonSchema",
                typed.is_not_null() & ~ok,
                lambda cell: f"{cell} does not conform to the field's jsonSchema",
            )
        )
    return out


def _allowed(field: dict, raw, typed, allowed: list, what: str, dtype=None):
    import polars as pl

    dtype = typed.dtype if dtype is None else dtype
    shown = ", ".join(str(v) for v in allowed[:8]) + (", …" if len(allowed) > 8 else "")
    message = lambda cell: f"{cell} is not {what}: {shown}"
    if dtype == pl.String or field.get("type") == "list":
        texts = [v if isinstance(v, str) else json.dumps(v) for v in allowed]
        return [
            (
                "enum",
                raw.is_not_null()
                & typed.is_not_null()
                & ~raw.is_in(pl.Series(texts, dtype=pl.String).implode()),
                message,
            )
        ]
    values = [typed_constant(field, v) for v in allowed]
    mask = typed.is_not_null() & ~typed.is_in(
        pl.Series([v for v in values if v is not None], dtype=dtype).implode()
    )
    return [("enum", mask, message)]


def typed_constant(field: dict, value):
    """A constraint's value in the field's type, or None when it cannot be one (e.g. 5 for a date)."""
    import polars as pl

    ftype = field.get("type") or "string"
    if ftype == "boolean":
        return (
            value
            if isinstance(value, bool)
            else parse(field, pl.Series([value], dtype=pl.String))[0]
            if isinstance(value, str)
            else None
        )
    if ftype in UNORDERED:
        return value if isinstance(value, str) else None
    if isinstance(value, str):
        return (
            value
            if ftype in ("string", "yearmonth")
            else parse(field, pl.Series([value], dtype=pl.String))[0]
        )
    if (
        ftype in ("integer", "number", "year")
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
    ):
        return value
    return None


def _categories(field: dict):
    """Table Schema v2 `categories`, as the list of allowed values."""
    cats = field.get("categories")
    if not isinstance(cats, list):
        return None
    return [c.get("value") if isinstance(c, dict) else c for c in cats]


def _lengths(field: dict, typed, dtype=None):
    """Characters of a string, items of a list, an array or an object; None for other types."""
    import polars as pl

    ftype = field.get("type") or "string"
    if ftype == "list":
        return typed.str.split(delimiter(field)).list.len()
    if ftype in ("object", "array"):
        return _per_value(typed, len, pl.Int64)
    return typed.str.len_chars() if (typed.dtype if dtype is None else dtype) == pl.String else None


def _per_value(typed, function, dtype=None):
    """`function` of each distinct JSON text's value: JSON cells are few and small, parsed in Python."""
    import polars as pl

    dtype = dtype or pl.Boolean
    results = {text: function(json.loads(text)) for text in typed.drop_nulls().unique().to_list()}
    if not results:
        return pl.Series(typed.name, [None] * len(typed), dtype=dtype)
    return typed.replace_strict(results, default=None, return_dtype=dtype)


def _full_match(raw, pattern: str):
    """Whole-cell regex match; patterns polars's regex engine refuses fall back to Python's `re`."""
    import polars as pl

    try:
        return raw.str.contains(f"^(?:{pattern})$").fill_null(True)
    except pl.exceptions.PolarsError:
        rx = re.compile(pattern)  # clean_field kept only patterns `re` compiles
        uniq = raw.drop_nulls().unique().to_list()
        good = {v: rx.fullmatch(v) is not None for v in uniq}
        return (
            raw.replace_strict(good, default=True, return_dtype=pl.Boolean)
            if good
            else raw.is_null()
        )
