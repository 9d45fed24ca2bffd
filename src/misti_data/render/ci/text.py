"""The gate for a terminal: validation, then the version verdict, then the diff (summary and rows)."""

from __future__ import annotations

import click

from misti_data.gate import GateResult
from misti_data.render.diff import text as diff_text
from misti_data.render.validate import text
from misti_data.render.version import text as version_text


def render(result: GateResult) -> str:
    parts = [
        text.render(result.report),
        version_text.render(result.advice),
        diff_text.render(result.diff, limit=result.report.limit),
    ]
    verdict = (
        click.style("gate passed", fg="green", bold=True)
        if result.ok
        else click.style("gate failed", fg="red", bold=True)
    )
    return "\n".join(p.rstrip("\n") for p in parts) + "\n" + verdict + "\n"
