"""Values as a person reads them in a diff, a changelog line or a revision message."""

from __future__ import annotations

from misti_data.diff.model import plain


def show_value(value) -> str:
    """1,571,976 (not 1571976.0); 2026 (a year stays ungrouped); dates as ISO text."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # typed equal already
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    return str(plain(value))
