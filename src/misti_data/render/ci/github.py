"""The gate as GitHub workflow commands: each finding once, on its CSV line and column; version
errors on the descriptor; then one summary line."""

from __future__ import annotations

from dataclasses import replace

from misti_data.findings import Finding
from misti_data.gate import GateResult
from misti_data.render.common import once
from misti_data.render.validate import github
from misti_data.render.version.github import errors as version_errors
from misti_data.render.version.text import summary as version_summary
from misti_data.words import plural


def render(result: GateResult) -> str:
    base = github.package_folder(result.report.package)
    known = set(result.report.known) if not result.report.strict else set()
    # A known error (the base has it too) does not fail the gate: shown as a warning that says so.
    lines = once(
        github.annotation(_as_known(f) if f in known else f, base, result.positions.get(f))
        for f in findings(result)
    )
    lines += version_errors(result.advice, base)
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def findings(result: GateResult) -> list[Finding]:
    """The validation findings shown, then the revision findings validation did not report."""
    # `validate` checks revisions against the latest release, the gate against BASE: often the same.
    return result.report.shown() + [
        f for f in result.advice.findings if f not in set(result.report.findings)
    ]


def summary(result: GateResult) -> str:
    """`gate failed: 1 validation error, 0 warnings; no version advice: fix 1 validation error first (…)`."""
    counts = result.report.counts()
    validation = (
        f"{plural(counts['error'], 'validation error')}, {plural(counts['warning'], 'warning')}"
    )
    if result.report.known:
        validation += f" ({len(result.report.known):,} of the errors known: the base has them too)"
    advice = result.advice
    revisions = (
        f", {plural(len(advice.findings), 'unexplained revision')}" if advice.findings else ""
    )
    return f"gate {'passed' if result.ok else 'failed'}: {validation}{revisions}; {version_summary(advice)}"


def _as_known(f: Finding) -> Finding:
    return replace(f, severity="warning", message=f"{f.message} (known: the base has it too)")
