"""The gate as GitHub workflow commands: each finding once, on its CSV line and column; version
errors on the descriptor; then one summary line."""

from __future__ import annotations

import posixpath

from misti_data.gate import GateResult
from misti_data.render import github
from misti_data.render.common import DESCRIPTOR_FILE, once
from misti_data.words import plural


def render(result: GateResult) -> str:
    base = github.package_folder(result.report.package)
    shown = result.report.shown()
    # `validate` checks revisions against the latest release, the gate against BASE: often the same.
    findings = shown + [f for f in result.advice.findings if f not in set(result.report.findings)]
    lines = once(github.annotation(f, base, result.positions.get(f)) for f in findings)
    descriptor = posixpath.join(base, DESCRIPTOR_FILE) if base else DESCRIPTOR_FILE
    lines += [f"::error file={github.escape_property(descriptor)},title=version::{github.escape_data(e)}" for e in result.advice.errors]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def summary(result: GateResult) -> str:
    """`gate failed: 1 validation error, 0 warnings; no version advice: fix 1 validation error first (…)`."""
    counts = result.report.counts()
    validation = f"{plural(counts['error'], 'validation error')}, {plural(counts['warning'], 'warning')}"
    advice = result.advice
    if advice.withheld:
        version = f"no version advice: {advice.withheld}"
    elif advice.bump:
        version = f"version {advice.declared_version}, {advice.bump.upper()} change requires {advice.required_version}"
    else:
        version = f"version {advice.declared_version}, no data change"
    revisions = f", {plural(len(advice.findings), 'unexplained revision')}" if advice.findings else ""
    return f"gate {'passed' if result.ok else 'failed'}: {validation}{revisions}; {version}"
