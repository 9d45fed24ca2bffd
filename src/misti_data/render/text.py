"""The terminal report: grouped by file, then by check; a one-line summary last."""

from __future__ import annotations

from itertools import groupby

import click

from misti_data.findings import ERROR, Report
from misti_data.words import plural

_COLOUR = {"error": "red", "warning": "yellow"}


def render(report: Report) -> str:
    lines = []
    shown = report.shown()
    for path, by_file in groupby(shown, key=lambda f: f.path or "datapackage.json"):
        lines.append(click.style(path, bold=True))
        for code, items in groupby(sorted(by_file, key=lambda f: (f.code, f.row or 0)), key=lambda f: f.code):
            items = list(items)
            total = report.counts_by_code()[code]
            more = f", {len(items)} shown" if total > len(items) else ""
            sev = items[0].severity
            lines.append(f"  {click.style(code, fg=_COLOUR[sev])} ({plural(total, sev)}{more})")
            for f in items:
                where = f"row {f.row}" if f.row is not None else ""
                if f.field:
                    where += f" [{f.field}]" if where else f"[{f.field}]"
                lines.append(f"    {where + ': ' if where else ''}{f.message}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    counts = report.counts()
    rows = sum(report.tables.values())
    scope = f"{len(report.tables)} tables, {rows:,} rows"
    detail = f"{plural(counts[ERROR], 'error')}, {plural(counts['warning'], 'warning')} in {scope}"
    if report.valid:
        return click.style("valid", fg="green", bold=True) + f": {detail}"
    return click.style("invalid", fg="red", bold=True) + f": {detail}" + (" (--strict)" if report.strict and not counts[ERROR] else "")


