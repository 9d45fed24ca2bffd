"""Findings about cells, made the same way by every reader and typing path: one per failing row,
the cell kept as text, the message a function of the cell (never a template)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from misti_data.findings import Finding
from misti_data.registry import finding
from misti_data.tables.cells import quoted
from misti_data.tables.constraints import UNCOMPARED
from misti_data.tables.types import BOUNDS, FieldProblem, describe


@dataclass(frozen=True)
class TextCheck:
    """A regex the reader looks for in every text cell as it types it, handed in by the check that
    owns it (checks/formulas.py), so a file is not read twice and the reader imports no check."""

    code: str
    pattern: str
    message: Callable[[str], str]  # of the cell as read


def type_message(field: dict) -> Callable[[str], str]:
    """The type-error message of a cell of `field`: `"x" is not a number`."""
    expected = describe(field)
    return lambda cell: f"{quoted(cell)} is not {expected}"


def quoting(message: Callable[[str], str]) -> Callable[[str], str]:
    """A constraint's message (of the quoted cell) as a message of the cell."""
    return lambda cell: message(quoted(cell))


def cell_text(text: str) -> str:
    """A cell as findings keep it: whole unless longer than 200 characters."""
    return text if len(text) <= 200 else text[:199] + "…"


def row_findings(code: str, message, hits, fname: str, where: dict) -> list[Finding]:
    """One finding `code` per (row, cell) in `hits` of the field `fname`, worded by `message(cell)`."""
    return field_findings(code, message, ((row, fname, cell) for row, cell in hits), where)


def field_findings(code: str, message, hits, where: dict) -> list[Finding]:
    """One finding `code` per (row, field, cell) in `hits`, worded by `message(cell)`."""
    return [
        finding(
            code,
            message(cell),
            row=row,
            field=fname,
            cell=None if cell is None else cell_text(cell),
            **where,
        )
        for row, fname, cell in hits
    ]


def cell_findings(rows, raw, mask, message, code: str, fname: str, where: dict) -> list[Finding]:
    """One finding per row where `mask` holds."""
    import polars as pl

    mask = mask.fill_null(False)
    if not mask.any():
        return []
    hits = pl.DataFrame({"row": rows, "cell": raw, "m": mask}).filter("m")
    return row_findings(code, message, hits.select("row", "cell").iter_rows(), fname, where)


def constraint_findings(field: dict, failures, rows, raw, where: dict) -> list[Finding]:
    """constraint-error per failing cell; a field-error when a constraint cannot be checked as
    declared, and unsupported-feature for the one the spec names that is not checked: bounds on
    durations with years or months (the first cell, or the field when a bound has them)."""
    fname = field["name"]
    found = []
    try:
        checks = failures()
    except FieldProblem as e:
        return [finding("field-error", f"cannot check {fname!r}: {e}", field=fname, **where)]
    bounds = [c for c in BOUNDS if c in (field.get("constraints") or {})]
    if (
        field.get("type") == "duration"
        and bounds
        and not any(name in bounds for name, _, _ in checks)
    ):
        found.append(
            finding(
                "unsupported-feature",
                f"{', '.join(bounds)} on the duration field {fname!r} is not checked "
                "(durations with months or years have no single order)",
                field=fname,
                **where,
            )
        )
    try:
        for constraint, mask, message in checks:
            code = "unsupported-feature" if constraint == UNCOMPARED else "constraint-error"
            hits = cell_findings(rows, raw, mask, quoting(message), code, fname, where)
            found += hits[:1] if constraint == UNCOMPARED else hits
    except FieldProblem as e:
        found.append(finding("field-error", f"cannot check {fname!r}: {e}", field=fname, **where))
    return found
