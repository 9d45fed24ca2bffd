"""What stamp updated, in one line."""

from __future__ import annotations


def render(result) -> str:
    if not result.stamped:
        return "hash and bytes already up to date\n"
    return f"updated hash and bytes of: {', '.join(result.stamped)}\n"
