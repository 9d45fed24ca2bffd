"""The terminal report: grouped by file, then by check; a one-line summary last."""

from __future__ import annotations

import click

from misti_data.findings import ERROR, Report
from misti_data.render.common import DESCRIPTOR_FILE, by_code, by_file, once, where
from misti_data.words import plural, printable

_COLOUR = {"error": "red", "warning": "yellow"}


def render(report: Report) -> str:
    lines = []
    totals = report.total(
        lambda resource, path, code: (path or DESCRIPTOR_FILE, code)
    )  # this file's, not the package's
    for path, findings in by_file(report).items():
        lines.append(click.style(printable(path), bold=True))
        for code, items in by_code(findings).items():
            total = totals[path, code]
            more = f", {len(items)} shown" if total > len(items) else ""
            sev = items[0].severity
            lines.append(f"  {click.style(code, fg=_COLOUR[sev])} ({plural(total, sev)}{more})")
            lines += once(
                printable(f"    {where(f) + ': ' if where(f) else ''}{f.message}") for f in items
            )
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    counts = report.counts()
    rows = sum(report.tables.values())
    scope = f"{plural(len(report.tables), 'table')}, {plural(rows, 'row')}"
    detail = f"{plural(counts[ERROR], 'error')}, {plural(counts['warning'], 'warning')} in {scope}"
    if report.known:
        detail += f"; {len(report.known):,} of the errors known (the base has them too{'' if report.strict else '; --strict fails on them'})"
    if report.valid:
        return click.style("valid", fg="green", bold=True) + f": {detail}"
    return (
        click.style("invalid", fg="red", bold=True)
        + f": {detail}"
        + (" (--strict)" if report.strict and not counts[ERROR] else "")
    )
