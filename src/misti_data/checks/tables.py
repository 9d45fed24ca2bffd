"""Table structure, types and constraints: what the one table reader found in each resource."""

from __future__ import annotations

from misti_data.findings import Finding
from misti_data.registry import check


@check("tables")
def check_tables(context) -> list[Finding]:
    return [f for t in context.tables() for f in t.findings]
