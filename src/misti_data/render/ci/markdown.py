"""The gate's Markdown report (a job summary or PR comment): a verdict table one screen long,
then validation, version and the diff, each under its own heading; long lists folded."""

from __future__ import annotations

from misti_data.gate import GateResult
from misti_data.render.ci.github import version_summary
from misti_data.render.diff import markdown as diff_markdown
from misti_data.render.validate import markdown
from misti_data.version import VersionAdvice
from misti_data.words import plural

FOLD_AFTER = 8  # version reasons listed openly up to this many


def render(result: GateResult) -> str:
    report, advice, diff = result.report, result.advice, result.diff
    counts = report.counts()
    ok = lambda good: "✅" if good else "❌"
    lines = [
        f"## {ok(result.ok)} misti-data data gate {'passed' if result.ok else 'failed'}",
        "",
        "| | |",
        "|---|---|",
        f"| Validation | {ok(report.valid)} {plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}"
        f" in {plural(len(report.tables), 'table')}{' (--strict)' if report.strict else ''} |",
        f"| Version | {ok(advice.ok)} {_verdict(result)} |",
        f"| Data changes | {_changes(diff)} |",
        "",
        "### Validation",
        "",
        markdown.render(report, heading=False).rstrip(),
        "",
        "### Version",
        "",
    ]
    lines += version_lines(advice)
    lines += ["", diff_markdown.render(diff, limit=report.limit, level=3).rstrip()]
    return "\n".join(lines) + "\n"


def _verdict(result: GateResult) -> str:
    """The version cell: the gate's own summary line without its validation part."""
    return version_summary(result.advice)


def _changes(diff) -> str:
    if not diff.differs:
        return f"none against `{diff.old}`"
    s = diff.summary()
    res, rows = s["resources"], s["rows"]
    changed = res["added"] + res["removed"] + res["renamed"] + res["changed"]
    text = (f"{plural(changed, 'resource')} changed against `{diff.old}`: "
            f"+{rows['added']:,} −{rows['removed']:,} ~{rows['changed']:,} rows")
    return text + (f", {plural(s['problems'], 'problem')}" if s["problems"] else "")


def version_lines(advice: VersionAdvice) -> list[str]:
    """The version section: the bump and why, the revisions unexplained, the errors."""
    if advice.withheld:
        return [f"No version advice: {advice.withheld}. The bump and the revisions are checked once the package is valid."]
    if advice.bump:
        head = (f"This change needs a **{advice.bump.upper()}** bump: {advice.base_version} → "
                f"**{advice.required_version}**; datapackage.json says {advice.declared_version}.")
    else:
        head = f"No data change against the base ({advice.base_version}): no new version needed."
    problems = [f"- ❌ `{f.code}`: {f.message}" for f in advice.findings] + [f"- ❌ {e}" for e in advice.errors]
    reasons = [f"- {r.bump.upper()}: {r.change}" for r in advice.reasons]
    if len(reasons) > FOLD_AFTER:
        reasons = [f"<details><summary>{plural(len(reasons), 'change')} and the bump each needs</summary>", "", *reasons, "", "</details>"]
    return [head] + ([""] + problems if problems else []) + ([""] + reasons if reasons else [])
