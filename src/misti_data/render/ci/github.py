"""The gate as GitHub workflow commands: each finding once, on its CSV line and column; version
errors on the descriptor; then one summary line."""

from __future__ import annotations

import posixpath

from misti_data.findings import Finding
from misti_data.gate import GateResult
from misti_data.render.common import DESCRIPTOR_FILE, once
from misti_data.render.validate import github
from misti_data.version import VersionAdvice
from misti_data.words import plural


def render(result: GateResult) -> str:
    base = github.package_folder(result.report.package)
    lines = once(github.annotation(f, base, result.positions.get(f)) for f in findings(result))
    lines += version_errors(result.advice, base)
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def findings(result: GateResult) -> list[Finding]:
    """The validation findings shown, then the revision findings validation did not report."""
    # `validate` checks revisions against the latest release, the gate against BASE: often the same.
    return result.report.shown() + [f for f in result.advice.findings if f not in set(result.report.findings)]


def version_errors(advice: VersionAdvice, base: str | None) -> list[str]:
    """An ::error on datapackage.json for each version error."""
    descriptor = posixpath.join(base, DESCRIPTOR_FILE) if base else DESCRIPTOR_FILE
    return [f"::error file={github.escape_property(descriptor)},title=version::{github.escape_data(e)}" for e in advice.errors]


def summary(result: GateResult) -> str:
    """`gate failed: 1 validation error, 0 warnings; no version advice: fix 1 validation error first (…)`."""
    counts = result.report.counts()
    validation = f"{plural(counts['error'], 'validation error')}, {plural(counts['warning'], 'warning')}"
    advice = result.advice
    revisions = f", {plural(len(advice.findings), 'unexplained revision')}" if advice.findings else ""
    return f"gate {'passed' if result.ok else 'failed'}: {validation}{revisions}; {version_summary(advice)}"


def version_summary(advice: VersionAdvice) -> str:
    """`version 1.0.0, MINOR change requires 1.1.0`, `version 1.0.0, no data change` or why there is no advice."""
    if advice.withheld:
        return f"no version advice: {advice.withheld}"
    if advice.bump:
        return f"version {advice.declared_version}, {advice.bump.upper()} change requires {advice.required_version}"
    return f"version {advice.declared_version}, no data change"
