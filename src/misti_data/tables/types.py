"""Table Schema types, formats and constraints as vectorized polars operations.

Plain polars expressions rather than a generated pandera schema: `import pandera.polars` alone
costs more than typing a table (benchmarks/README.md), and pandera's failure cases would have to
be mapped back to our rows and codes anyway.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

# A cell that fails its type becomes null in the typed column; one that passes keeps its value.
_INTEGER = r"^[+-]?\d+$"
_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^([+-]?(inf|INF|Infinity)|NaN|nan)$"
_YEAR = r"^\d{4}$"
_YEARMONTH = r"^\d{4}-(0?[1-9]|1[0-2])$"
_DATE = r"^\d{4}-\d{1,2}-\d{1,2}$"
_TIME = r"^(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$"
_DATETIME = r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$"
_DURATION = r"^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
_GEOPOINT = {
    "default": r"^\s*([+-]?\d+(?:\.\d+)?)\s*,\s*([+-]?\d+(?:\.\d+)?)\s*$",
    "array": r"^\[\s*([+-]?\d+(?:\.\d+)?)\s*,\s*([+-]?\d+(?:\.\d+)?)\s*\]$",
}
_STRING_FORMATS = {
    "email": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    "uri": r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$",
    "uuid": r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    "binary": r"^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
}
_FORMAT_NAMES = {
    "email": "an email address",
    "uri": "a URI",
    "uuid": "a UUID",
    "binary": "base64 data",
}
# "%Y-%m" (the first of the month): frictionless's dateutil reads "1958-03" too (datahub's co2-ppm, issue 18).
_ANY_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%Y/%m/%d",
    "%d %B %Y",
    "%B %d, %Y",
    "%d-%m-%Y",
)
LIST_ITEM_TYPES = ("string", "integer", "boolean", "number", "datetime", "date", "time")
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]


# Types whose values have no order: bounds on them are skipped, enum compares the text.
UNORDERED = {"boolean", "object", "array", "list", "geopoint", "geojson", "duration", "any"}


def clean_field(field: dict) -> dict:
    """The field with every option of the wrong JSON type, and a pattern that is no regular
    expression, dropped (the descriptor check reports them; frictionless's reader crashes on them)."""
    is_str = lambda v: isinstance(v, str) and v != ""
    is_num = lambda v: isinstance(v, (int, float, str)) and not isinstance(v, bool)
    is_len = lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0
    is_strs = lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)
    option_ok = {
        "type": is_str,
        "format": is_str,
        "groupChar": is_str,
        "decimalChar": is_str,
        "bareNumber": lambda v: isinstance(v, bool),
        "trueValues": is_strs,
        "falseValues": is_strs,
        "categories": lambda v: isinstance(v, list),
        "delimiter": is_str,
        "itemType": is_str,
    }
    constraint_ok = {
        "required": lambda v: v is True,
        "unique": lambda v: v is True,
        "pattern": lambda v: is_str(v) and is_regex(v),
        "minimum": is_num,
        "maximum": is_num,
        "exclusiveMinimum": is_num,
        "exclusiveMaximum": is_num,
        "minLength": is_len,
        "maxLength": is_len,
        "enum": lambda v: isinstance(v, list),
        "jsonSchema": lambda v: isinstance(v, dict),
    }
    clean = {k: v for k, v in field.items() if k not in option_ok or option_ok[k](v)}
    constraints = field.get("constraints") if isinstance(field.get("constraints"), dict) else {}
    clean["constraints"] = {
        k: v for k, v in constraints.items() if k in constraint_ok and constraint_ok[k](v)
    }
    return clean


def is_regex(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


def option_problems(field: dict) -> list[str]:
    """What is wrong with the field's options that frictionless 5's profile does not check: the
    Table Schema v2 options it does not know, and a pattern that is no regular expression
    (clean_field then drops them)."""
    out = []
    pattern = (
        (field.get("constraints") or {}).get("pattern")
        if isinstance(field.get("constraints"), dict)
        else None
    )
    if isinstance(pattern, str) and not is_regex(pattern):
        out.append(f"the pattern {json.dumps(pattern)} is not a regular expression")
    if "categories" in field and not isinstance(field["categories"], list):
        out.append(f"categories must be a list, not {json.dumps(field['categories'])}")
    if "categoriesOrdered" in field and not isinstance(field["categoriesOrdered"], bool):
        out.append(
            f"categoriesOrdered must be true or false, not {json.dumps(field['categoriesOrdered'])}"
        )
    return out


def describe(field: dict) -> str:
    """How a type error names what was expected: `a number`, `a date in format %d/%m/%Y`."""
    ftype = field.get("type") or "string"
    fmt = field.get("format") or "default"
    if ftype == "string" and fmt in _FORMAT_NAMES:
        return _FORMAT_NAMES[fmt]
    if ftype == "list":
        item = field.get("itemType") if field.get("itemType") in LIST_ITEM_TYPES else "string"
        return f"a list of {item} items separated by {delimiter(field)!r}"
    if ftype == "geojson":
        return "a TopoJSON object" if fmt == "topojson" else "a GeoJSON object"
    text = {
        "integer": "an integer",
        "object": "a JSON object",
        "array": "a JSON array",
        "any": "anything",
    }.get(ftype, f"a {ftype}")
    if fmt not in ("default", "any"):
        text += (
            f" in format {fmt.removeprefix('fmt:')}"
            if ftype in ("date", "time", "datetime")
            else f" ({fmt})"
        )
    return text


# The dtype of each type's typed column (any other type keeps the text).
DTYPES = {
    "integer": "Int64",
    "year": "Int64",
    "number": "Float64",
    "boolean": "Boolean",
    "date": "Date",
    "time": "Time",
    "datetime": "Datetime",
}
_SERIES_TYPES = {
    "object",
    "array",
    "geojson",
    "list",
}  # typed in Python, one distinct cell at a time
BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def dtype_of(field: dict):
    """The polars dtype of the field's typed column."""
    import polars as pl

    name = DTYPES.get(field.get("type") or "string")
    return (
        getattr(pl, name)("us") if name == "Datetime" else getattr(pl, name) if name else pl.String
    )


def expressible(field: dict) -> bool:
    """Whether the field is typed and constrained by polars expressions alone, so that every such
    column of a table is typed in one query; the others (JSON cells, a format or pattern polars
    cannot take) are typed column by column, as Series."""
    ftype = field.get("type") or "string"
    fmt = (field.get("format") or "default").removeprefix("fmt:")
    constraints = field.get("constraints") or {}
    if (
        ftype in _SERIES_TYPES
        or (ftype == "geopoint" and fmt == "object")
        or "jsonSchema" in constraints
    ):
        return False
    if ftype == "duration" and any(b in constraints for b in BOUNDS):
        return (
            False  # bounds compared in seconds (tables/constraints.py), on the column as a Series
        )
    if ftype == "datetime" and fmt not in ("default", "any"):
        return False  # a custom format may carry a time zone, which changes the column's dtype
    if ftype in ("date", "time") and fmt not in ("default", "any") and not _format_ok(ftype, fmt):
        return False
    pattern = constraints.get("pattern")
    return not isinstance(pattern, str) or _regex_ok(f"^(?:{pattern})$")


@lru_cache(maxsize=1024)
def _regex_ok(pattern: str) -> bool:
    import polars as pl

    try:
        pl.Series(["x"], dtype=pl.String).str.contains(pattern)
    except pl.exceptions.PolarsError:
        return False
    return True


@lru_cache(maxsize=256)
def _format_ok(ftype: str, fmt: str) -> bool:
    import polars as pl

    convert = {
        "date": lambda s: s.str.to_date(fmt, strict=False),
        "time": lambda s: s.str.to_time(fmt, strict=False),
        "datetime": lambda s: s.str.to_datetime(fmt, strict=False),
    }[ftype]
    try:
        convert(pl.Series(["2020-01-02 03:04:05", "x"], dtype=pl.String))
    except (pl.exceptions.PolarsError, ValueError):
        return False
    return True


def parse_expr(field: dict, raw):
    """`parse` as a polars expression of the raw column `raw`, for a field that is `expressible`."""
    import polars as pl

    ftype = field.get("type") or "string"
    fmt = (field.get("format") or "default").removeprefix("fmt:")
    only = lambda value, mask: pl.when(mask.fill_null(False)).then(value)
    ok = lambda pattern: raw.str.contains(pattern)
    if ftype == "string":
        pattern = _STRING_FORMATS.get(fmt)
        return raw if pattern is None else only(raw, ok(pattern))
    if ftype in ("integer", "number"):
        text = _bare(raw, field)
        pattern = _INTEGER if ftype == "integer" else _NUMBER
        value = (
            text.str.to_integer(strict=False)
            if ftype == "integer"
            else text.cast(pl.Float64, strict=False)
        )
        return only(value, text.str.contains(pattern))
    if ftype == "boolean":
        true = field.get("trueValues", TRUE_VALUES)
        false = field.get("falseValues", FALSE_VALUES)
        return (
            pl.when(raw.is_in(true)).then(True).when(raw.is_in(false)).then(False).otherwise(None)
        )
    if ftype == "year":
        return only(raw.str.to_integer(strict=False), ok(_YEAR))
    if ftype == "yearmonth":
        return only(raw, ok(_YEARMONTH))
    if ftype == "date":
        if fmt == "default":
            return only(raw.str.to_date("%Y-%m-%d", strict=False), ok(_DATE))
        if fmt == "any":
            return pl.coalesce([raw.str.to_date(f, strict=False) for f in _ANY_DATE_FORMATS])
        return raw.str.to_date(fmt, strict=False)
    if ftype == "time":
        if fmt not in ("default", "any"):
            return raw.str.to_time(fmt, strict=False)
        return raw.str.extract(_TIME, 1).str.to_time("%H:%M:%S", strict=False)
    if ftype == "datetime":
        if fmt not in ("default", "any"):
            return raw.str.to_datetime(fmt, strict=False)
        parts = raw.str.extract_groups(_DATETIME)
        text = parts.struct.field("1") + "T" + parts.struct.field("2")
        return text.str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False)
    if ftype == "duration":
        return only(raw, ok(_DURATION) & (raw != "P"))
    if ftype == "geopoint":
        parts = raw.str.extract_groups(_GEOPOINT.get(fmt, _GEOPOINT["default"]))
        lon = parts.struct.field("1").cast(pl.Float64)
        lat = parts.struct.field("2").cast(pl.Float64)
        return only(raw, (lon.abs() <= 180) & (lat.abs() <= 90))
    return raw  # any, and types the descriptor check already reports as unknown


def parse(field: dict, raw):
    """The typed column of `raw` (a polars String Series): null where the cell is not of the type.

    The types polars expressions can read go through `parse_expr`, so a column is typed the same way
    in the one-query path and here; the rest are typed in Python."""
    import polars as pl

    ftype = field.get("type") or "string"
    fmt = (field.get("format") or "default").removeprefix("fmt:")
    if ftype == "geopoint" and fmt == "object":
        return _geopoint_object(raw)
    if ftype in ("object", "array"):
        return _json(raw, dict if ftype == "object" else list)
    if ftype == "geojson":
        return _geojson(raw, fmt)
    if ftype == "list":
        return _list(field, raw)
    frame = pl.DataFrame({"c": raw})
    return frame.select(parse_expr(field, pl.col("c")).alias("c"))["c"].rename(raw.name)


def _only(value, mask):
    """`value` where `mask` holds, null elsewhere."""
    import polars as pl

    frame = pl.DataFrame({"v": value, "m": mask.fill_null(False)})
    return frame.select(pl.when("m").then("v"))["v"].rename(value.name)


def _bare(raw, field: dict):
    """Numbers as written in the file, reduced to plain digits: groupChar, decimalChar, bareNumber.

    Surrounding spaces are allowed, as Python's int() and frictionless allow them.
    """
    text = raw.str.strip_chars(" \t")
    if field.get("groupChar"):
        text = text.str.replace_all(field["groupChar"], "", literal=True)
    if field.get("decimalChar", ".") != "." and field.get("type") == "number":
        text = text.str.replace_all(field["decimalChar"], ".", literal=True)
    if field.get("bareNumber") is False:
        text = text.str.replace_all(r"^[^\d+\-.]+|[^\d.]+$", "")
    return text


def _geopoint_object(raw):
    """The cell itself where it is a JSON point object with longitude in ±180 and latitude in ±90."""
    import polars as pl

    lonlat = [_lon_lat_object(v) for v in raw.to_list()]
    lon = pl.Series([p[0] if p else None for p in lonlat], dtype=pl.Float64)
    lat = pl.Series([p[1] if p else None for p in lonlat], dtype=pl.Float64)
    good = (lon.abs() <= 180) & (lat.abs() <= 90)
    return _only(raw, good)


def _lon_lat_object(text):
    try:
        point = json.loads(text) if text is not None else None
        return float(point["lon"]), float(point["lat"])
    except (ValueError, TypeError, KeyError):
        return None


def _json(raw, kind: type, valid=lambda value: True):
    """JSON cells are rare and small: parse each distinct one in Python."""
    import polars as pl

    good = {}
    for text in raw.drop_nulls().unique().to_list():
        try:
            value = json.loads(text)
        except ValueError:
            good[text] = False
            continue
        good[text] = isinstance(value, kind) and valid(value)
    mask = (
        raw.replace_strict(good, default=False, return_dtype=pl.Boolean)
        if good
        else raw.is_not_null()
    )
    return _only(raw, mask)


def _geojson(raw, fmt: str):
    """A JSON object that is GeoJSON (or TopoJSON), checked against the profiles frictionless ships."""
    if raw.drop_nulls().is_empty():
        return raw
    validator = json_validator(_shipped_profile("topojson" if fmt == "topojson" else "geojson"))
    return _json(raw, dict, validator.is_valid)


@lru_cache(maxsize=2)
def _shipped_profile(name: str) -> dict:
    """A JSON profile frictionless ships, read from its folder: find_spec locates the package
    without importing it (0.2 to 0.4 s)."""
    from importlib.util import find_spec
    from pathlib import Path

    folder = Path(find_spec("frictionless").submodule_search_locations[0])
    return json.loads((folder / "assets" / "profiles" / f"{name}.json").read_text("utf-8"))


def delimiter(field: dict) -> str:
    return (
        field["delimiter"]
        if isinstance(field.get("delimiter"), str) and field["delimiter"]
        else ","
    )


def _list(field: dict, raw):
    """The cell where every item, split at the field's `delimiter`, is of its `itemType`.

    The column keeps the text, as object and array columns do; the items are typed once, all
    cells' items in one column.
    """
    import polars as pl

    item = {
        "name": raw.name,
        "type": field.get("itemType") if field.get("itemType") in LIST_ITEM_TYPES else "string",
    }
    items = pl.DataFrame(
        {"cell": pl.int_range(len(raw), eager=True), "item": raw.str.split(delimiter(field))}
    ).explode("item")
    bad = items["item"].is_not_null() & parse(item, items["item"]).is_null()
    failed = (
        items.with_columns(bad=bad).group_by("cell").agg(pl.col("bad").any()).filter("bad")["cell"]
    )
    return _only(raw, ~pl.int_range(len(raw), eager=True).is_in(failed.implode()))


class FieldProblem(ValueError):
    """A field the reader cannot check as declared (reported as a field-error)."""


def json_validator(schema: dict):
    """A jsonschema validator for `schema`; FieldProblem when `schema` is not a JSON Schema."""
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for

    cls = validator_for(schema)
    try:
        cls.check_schema(schema)
    except SchemaError as e:
        raise FieldProblem(f"its jsonSchema is not a valid JSON Schema: {e.message}") from None
    return cls(schema)
