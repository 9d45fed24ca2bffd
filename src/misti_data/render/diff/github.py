"""The diff as GitHub workflow commands: each problem that kept rows from being compared, then the totals."""

from __future__ import annotations

import click

from misti_data.diff import PackageDiff
from misti_data.render.common import once
from misti_data.render.diff.text import totals
from misti_data.render.validate import github


def render(diff: PackageDiff) -> str:
    base = github.package_folder(diff.new)
    lines = once(github.annotation(f, base) for f in diff.problems)
    lines.append(click.unstyle(totals(diff)))
    return "\n".join(lines) + "\n"
