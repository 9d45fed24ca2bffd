"""The gate's Markdown report (a job summary or PR comment): a verdict table one screen long,
then validation, version and the diff, each under its own heading; long lists folded."""

from __future__ import annotations

from misti_data.gate import GateResult
from misti_data.render.diff import markdown as diff_markdown
from misti_data.render.validate import markdown
from misti_data.render.version.markdown import lines as version_lines
from misti_data.render.version.text import summary as version_summary
from misti_data.words import plural


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
        f" in {plural(len(report.tables), 'table')}{' (--strict)' if report.strict else ''}"
        f"{f'; {len(report.known):,} of the errors known (the base has them too)' if report.known else ''} |",
        f"| Version | {ok(advice.ok)} {version_summary(advice)} |",
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


def _changes(diff) -> str:
    if not diff.differs:
        return f"none against `{diff.old}`"
    s = diff.summary()
    res, rows = s["resources"], s["rows"]
    changed = res["added"] + res["removed"] + res["renamed"] + res["changed"]
    text = (
        f"{plural(changed, 'resource')} changed against `{diff.old}`: "
        f"+{rows['added']:,} −{rows['removed']:,} ~{rows['changed']:,} rows"
    )
    return text + (f", {plural(s['problems'], 'problem')}" if s["problems"] else "")
