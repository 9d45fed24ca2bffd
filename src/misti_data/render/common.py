"""What the report renderers share: findings grouped by file, and where in the file each is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from misti_data.findings import Finding, Report

DESCRIPTOR_FILE = "datapackage.json"


def file_of(f: Finding) -> str:
    """The file a finding is in, relative to the package folder (package-level: the descriptor)."""
    return f.path or DESCRIPTOR_FILE


def by_file(report: Report) -> dict[str, list[Finding]]:
    """The findings to show, grouped by file in the report's stable order."""
    groups: dict[str, list[Finding]] = {}
    for f in report.shown():
        groups.setdefault(file_of(f), []).append(f)
    return groups


def by_code(findings: list[Finding]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: (f.code, f.row or 0)):
        groups.setdefault(f.code, []).append(f)
    return groups


def where(f: Finding) -> str:
    """'row 3 [value]', '[version]' or '' — the place inside the file."""
    parts = [f"row {f.row}"] if f.row is not None else []
    if f.field:
        parts.append(f"[{f.field}]")
    return " ".join(parts)


def once(lines: Iterable[str]) -> list[str]:
    """Each line once, in order; one that repeats says how often (two extra cells in a row: `… (×2)`)."""
    return [line + (f" (×{n})" if n > 1 else "") for line, n in Counter(lines).items()]
