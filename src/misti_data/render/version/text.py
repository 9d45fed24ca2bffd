"""The version advice for a terminal: the verdict first, then each change and its bump."""

from __future__ import annotations

import click

from misti_data.version import VersionAdvice
from misti_data.words import plural, printable

_COLOUR = {"major": "red", "minor": "yellow", "patch": "cyan"}


def render(advice: VersionAdvice) -> str:
    if advice.withheld:
        return (
            click.style(printable(f"no version advice: {advice.withheld}"), fg="red", bold=True)
            + "\n"
        )
    lines = [headline(advice)]
    lines += [
        f"  {click.style(r.bump.upper(), fg=_COLOUR[r.bump]):<5}  {printable(r.change)}"
        for r in advice.reasons
    ]
    lines += [printable(f"  note: {c}") for c in advice.caveats]
    lines += [
        f"  {click.style('ERROR', fg='red')}  {printable(f'{f.code}: {f.message}')}"
        for f in advice.findings
    ]
    lines += [click.style(printable(e), fg="red", bold=True) for e in advice.errors]
    if advice.checked and advice.ok:
        lines.append(
            click.style(
                f"ok: version {advice.declared_version} follows from the changes", fg="green"
            )
        )
    return "\n".join(lines) + "\n"


def verdict(advice: VersionAdvice) -> str:
    """One plain line: `version check failed: MINOR bump: 1.0.0 → 1.1.0 (1 change)`, or why there is no advice."""
    said = f"no version advice: {advice.withheld}" if advice.withheld else headline(advice)
    return (
        f"version check {'passed' if advice.ok else 'failed'}: {said}" if advice.checked else said
    )


def headline(advice: VersionAdvice) -> str:
    if not advice.bump:
        return f"no version bump needed (from {advice.base_version})"
    return f"{advice.bump.upper()} bump: {advice.base_version} → {advice.required_version} ({plural(len(advice.reasons), 'change')})"


def summary(advice: VersionAdvice) -> str:
    """`version 1.0.0, MINOR change requires 1.1.0`, `version 1.0.0, no data change` or why there is no advice."""
    if advice.withheld:
        return f"no version advice: {advice.withheld}"
    if advice.bump:
        return f"version {advice.declared_version}, {advice.bump.upper()} change requires {advice.required_version}"
    return f"version {advice.declared_version}, no data change"
