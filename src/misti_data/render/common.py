"""What the report renderers share: findings grouped by file, where in the file each is, and the
words of a report's verdict."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from misti_data.findings import ERROR, Finding, Report
from misti_data.words import plural

DESCRIPTOR_FILE = "datapackage.json"


def file_of(f: Finding) -> str:
    """The file a finding is in, relative to the package folder (package-level: the descriptor)."""
    return f.path or DESCRIPTOR_FILE


def by_file(report: Report, limit: int | None = None) -> dict[str, list[Finding]]:
    """The findings to show (at most `limit` per code), grouped by file in the report's stable order."""
    groups: dict[str, list[Finding]] = {}
    for f in report.shown(limit):
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


def verdict(report: Report) -> tuple[str, str]:
    """(`valid` or `invalid`, `2 errors, 0 warnings in 3 tables, 40 rows…`): the summary line's two
    halves, which the text report colours and the Markdown report places apart."""
    counts = report.counts()
    rows = sum(report.tables.values())
    scope = f"{plural(len(report.tables), 'table')}, {plural(rows, 'row')}"
    detail = f"{plural(counts[ERROR], 'error')}, {plural(counts['warning'], 'warning')} in {scope}"
    if report.known:
        detail += f"; {len(report.known):,} of the errors known (the base has them too{'' if report.strict else '; --strict fails on them'})"
    if report.valid:
        return "valid", detail
    return "invalid", detail + (" (--strict)" if report.strict and not counts[ERROR] else "")
