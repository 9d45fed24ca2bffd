"""Values as a person reads them in a diff, a changelog line or a revision message."""

from __future__ import annotations

import datetime as dt


def plain(value):
    """A JSON-ready value: dates as ISO text, whole floats kept as floats."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return value


def show_value(value, *, group_from: int | None = 10_000, digits: int | None = None) -> str:
    """1,571,976 (not 1571976.0); 2026 (below `group_from` a number stays ungrouped; None: never
    grouped); a float to at most `digits` significant digits when given; dates as ISO text."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # typed equal already
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        grouped = group_from is not None and abs(value) >= group_from
        if isinstance(value, float) and digits is not None:
            return format(value, f"{',' if grouped else ''}.{digits}g")
        return f"{value:,}" if grouped else str(value)
    return str(plain(value))
