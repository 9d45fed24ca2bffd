"""The Markdown report: a pull-request comment that reads at a glance.

A summary line, a table of counts by check, then the findings grouped by file; a file with many
findings is folded in a <details> block so the comment stays one screen long.
"""

from __future__ import annotations

import click

from misti_data.findings import Report
from misti_data.render.common import by_file, once
from misti_data.render.validate.text import summary
from misti_data.words import plural

FOLD_AFTER = 10  # a file with more findings shown than this is folded


def render(report: Report, heading: bool = True) -> str:
    """`heading=False` leaves out the title line, for a report placed under someone else's (the gate's)."""
    verdict, _, detail = click.unstyle(summary(report)).partition(": ")
    mark = "✅" if report.valid else "❌"
    lines = [f"### {mark} misti-data validate: {verdict}", ""] if heading else []
    lines.append(f"`{report.package}`: {detail}")
    counts = report.counts_by_code()
    if counts:
        lines += ["", "| check | severity | findings |", "|---|---|---:|"]
        lines += [f"| `{code}` | {_severity(code, report)} | {n:,} |" for code, n in counts.items()]
    for file, findings in by_file(report).items():
        table = ["| row | field | check | message |", "|---:|---|---|---|"]
        # The times-N mark goes inside the message cell, so a repeated line cannot break the table.
        cells = once(
            f"{f.row if f.row is not None else ''} | {_cell(f.field or '')} | `{f.code}` | {_cell(f.message)}"
            for f in findings
        )
        table += [f"| {c} |" for c in cells]
        if len(findings) > FOLD_AFTER:
            lines += [
                "",
                f"<details><summary><code>{file}</code>: {plural(len(findings), 'finding')} shown</summary>",
                "",
                *table,
                "",
                "</details>",
            ]
        else:
            lines += ["", f"#### `{file}`", "", *table]
    hidden = sum(report.counts_by_code().values()) - len(report.shown())
    if hidden:
        why = (
            f"`--limit {report.limit}` per check"
            if report.limit is not None
            else "the reader keeps 1,000 per check and table"
        )
        lines += ["", f"{plural(hidden, 'more finding')} not shown ({why})."]
    return "\n".join(lines) + "\n"


def _severity(code: str, report: Report) -> str:
    return next((f.severity for f in report.findings if f.code == code), None) or next(
        s for (_r, _p, c, s) in report.withheld if c == code
    )


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no pipe, no line break, no HTML."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace("\r", " ")
        .replace("\n", " ")
    )
