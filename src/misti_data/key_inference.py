"""Infer a key for a table that declares no primaryKey, so a diff can match rows (issue 11, item 5).

Without a key a corrected value is a removed row plus an added one, and every ordinary update
looks MAJOR. Most keyless tables still have one: datahub's gold prices by `Date`, exchange rates by
`Date, Country`. The key is the smallest set of columns that is unique and has no empty cell in
both versions, tried in the order a person would: identifiers (`…ID`, `…Code`, `ISO…`), then
dates and years, then other text; whole numbers (mostly counts) only when none of those makes a
key, and measures (other numbers) only when nothing else is unique.
When no such set exists, `allow_empty=True` is the diff's second try: a column may then have empty
cells, an empty cell counting as one value (country-codes: every ISO code is unique except Sark's,
which is empty in both versions, so a row is still matched by its ISO code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import combinations
from math import prod

# How many columns a key may have, and how many of the preferred columns are combined for a
# composite key: the search stays a few dozen uniqueness checks on wide tables.
MAX_COLUMNS = 3
MAX_COMBINED = 8

_IDENTIFIER = re.compile(
    r"\b(id|ids|code|codes|key|iso\w*|alpha\w*|abbr\w*|symbol|ticker|identifier|uuid|slug|m49|fips|geoid)\b"
)
_TIME = re.compile(r"\b(date|year|month|period|time|quarter|week|day|yearmonth)\b")
IDENTIFIER, TIME, TEXT, WHOLE, MEASURE = range(5)


@dataclass(frozen=True)
class InferredKey:
    """The columns that identify a row in both versions, in the table's order."""

    columns: tuple[str, ...]
    allow_empty: bool = False

    @property
    def message(self) -> str:
        text = "key inferred: " + ", ".join(self.columns)
        return text + "; an empty cell counts as a value" if self.allow_empty else text


def infer_key(
    old, new, *, max_columns: int = MAX_COLUMNS, allow_empty: bool = False
) -> InferredKey | None:
    """The smallest preferred set of columns unique and never empty in both polars frames, or None.

    With `allow_empty`, a column with empty cells may take part, an empty cell counting as a value.
    """
    if old.height == 0 and new.height == 0:
        return None
    usable = _has_values if allow_empty else _never_empty
    columns = [c for c in new.columns if c in old.columns and usable(old, c) and usable(new, c)]
    rank = {c: max(column_rank(c, _dtype(old, c)), column_rank(c, _dtype(new, c))) for c in columns}
    ranked = sorted(columns, key=lambda c: (rank[c], new.columns.index(c)))
    # A set of columns with fewer value combinations than rows cannot be unique: counting each
    # column's values once rules most sets out without hashing them.
    distinct = cache(lambda side, column: (old, new)[side][column].n_unique())
    possible = lambda combo: all(
        prod(distinct(i, c) for c in combo) >= f.height for i, f in enumerate((old, new))
    )
    tried: list[str] = []
    # Whole numbers are counts more often than codes: they join a key only when no identifier,
    # date or text column does, and measures only when nothing else is unique.
    for worst in (TEXT, WHOLE, MEASURE):
        allowed = [c for c in ranked if rank[c] <= worst]
        if allowed == tried:
            continue
        if tried and not (_unique(old, tuple(columns)) and _unique(new, tuple(columns))):
            return (
                None  # no subset of columns that are not unique together is: one check, not dozens
            )
        tried = allowed
        for size in range(1, max_columns + 1):
            pool = allowed if size == 1 else allowed[:MAX_COMBINED]
            for combo in combinations(pool, size):
                if possible(combo) and _unique(old, combo) and _unique(new, combo):
                    return InferredKey(tuple(c for c in new.columns if c in combo), allow_empty)
    return None


def column_rank(name: str, dtype) -> int:
    """Where a column stands as a key candidate: IDENTIFIER, TIME, TEXT, WHOLE or MEASURE."""
    import polars as pl

    words = re.sub(r"([a-z])([A-Z])", r"\1 \2", name).replace("_", " ").lower()
    if dtype.is_numeric() or dtype.is_temporal() or dtype == pl.String:
        if _IDENTIFIER.search(words):
            return IDENTIFIER
        if dtype.is_temporal() or _TIME.search(words):
            return TIME
    if dtype == pl.String:
        return TEXT
    if dtype.is_integer():
        return WHOLE
    return MEASURE


def _dtype(frame, column: str):
    """The column's dtype, or the number type its text holds (a CSV read without a schema is all
    text, and `10`, `12`, `3` are counts there too, not names)."""
    import polars as pl

    dtype = frame.schema[column]
    if dtype != pl.String:
        return dtype
    text = frame[column].drop_nulls().str.strip_chars()
    # The first cells usually tell text from numbers; only a column that starts as numbers is read whole.
    if text.len() == 0 or any(
        t.cast(pl.Float64, strict=False).null_count() for t in (text.head(100), text)
    ):
        return dtype
    return pl.Int64 if text.cast(pl.Int64, strict=False).null_count() == 0 else pl.Float64


def _never_empty(frame, column: str) -> bool:
    return frame[column].null_count() == 0


def _has_values(frame, column: str) -> bool:
    return frame.height == 0 or frame[column].null_count() < frame.height


def _unique(frame, columns: tuple[str, ...]) -> bool:
    return frame.select(columns).n_unique() == frame.height
