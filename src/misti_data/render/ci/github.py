"""The gate as GitHub workflow commands: each finding once, on its CSV line and column; version
errors on the descriptor; then one summary line."""

from __future__ import annotations

from misti_data.findings import Finding
from misti_data.gate import GateResult
from misti_data.render.common import once
from misti_data.render.validate import github
from misti_data.render.version.github import errors as version_errors
from misti_data.render.version.text import summary as version_summary
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


def summary(result: GateResult) -> str:
    """`gate failed: 1 validation error, 0 warnings; no version advice: fix 1 validation error first (…)`."""
    counts = result.report.counts()
    validation = f"{plural(counts['error'], 'validation error')}, {plural(counts['warning'], 'warning')}"
    advice = result.advice
    revisions = f", {plural(len(advice.findings), 'unexplained revision')}" if advice.findings else ""
    return f"gate {'passed' if result.ok else 'failed'}: {validation}{revisions}; {version_summary(advice)}"
