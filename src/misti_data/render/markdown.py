"""The Markdown reports: a pull-request comment or job summary that reads at a glance (a verdict,
a table of counts, then the details, long lists folded), and the check catalogue of docs/cli.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

from misti_data.registry import catalogue
from misti_data.render.common import by_file, once, verdict
from misti_data.render.text import (
    DEFAULT_LIMIT,
    key_text,
    row_text,
    short,
    stat,
    version_summary,
    version_verdict,
)
from misti_data.words import plural

if TYPE_CHECKING:
    from misti_data.diff import PackageDiff
    from misti_data.findings import Report
    from misti_data.gate import GateResult
    from misti_data.version import VersionAdvice

FOLD_AFTER = 10  # a file with more findings shown than this is folded
FOLD_REASONS_AFTER = 8  # version reasons listed openly up to this many


def validate(report: Report, limit: int | None = None, heading: bool = True) -> str:
    """A summary line, a table of counts by check, then the findings (at most `limit` per check)
    grouped by file; `heading=False` leaves out the title, for a report under the gate's."""
    word, detail = verdict(report)
    mark = "✅" if report.valid else "❌"
    lines = [f"### {mark} misti-data validate: {word}", ""] if heading else []
    lines.append(f"`{report.package}`: {detail}")
    counts = report.counts_by_code()
    if counts:
        lines += ["", "| check | severity | findings |", "|---|---|---:|"]
        lines += [f"| `{code}` | {_severity(code, report)} | {n:,} |" for code, n in counts.items()]
    for file, findings in by_file(report, limit).items():
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
    hidden = sum(counts.values()) - len(report.shown(limit))
    if hidden:
        why = (
            f"`--limit {limit}` per check"
            if limit is not None
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


def diff(result: PackageDiff, limit: int | None = None, level: int = 2) -> str:
    """A summary table, then one section per resource, at most `limit` rows per kind of change
    (None: text.DEFAULT_LIMIT); `level` is the title's heading level (the gate nests the diff one down)."""
    limit = DEFAULT_LIMIT if limit is None else limit
    h = "#" * level
    out = [
        f"{h} Data changes: `{result.old}` ({result.old_version}) → `{result.new}` ({result.new_version})",
        "",
    ]
    if not result.differs:
        return "\n".join(out + ["No differences.", ""])
    out += ["| Resource | Change |", "|---|---|"]
    if result.metadata:
        out.append(
            f"| *package metadata* | {len(result.metadata)} propert{'ies' if len(result.metadata) != 1 else 'y'} |"
        )
    out += [f"| `{r.name}` | {stat(r)} |" for r in result.resources if r.differs]
    out.append("")
    if result.metadata:
        out += (
            [f"{h}# Package metadata", ""]
            + [f"- `{m.key}`: {_code(m.old)} → {_code(m.new)}" for m in result.metadata]
            + [""]
        )
    for r in result.resources:
        if not r.differs or r.status in ("added", "removed"):
            continue
        out += [f"{h}# `{r.name}`", ""]
        out += [f"- **{p.code}**: {p.message}" for p in r.problems]
        out += [f"- note: {n}" for n in r.notes]
        out += [f"- metadata `{m.key}`: {_code(m.old)} → {_code(m.new)}" for m in r.meta]
        out += [
            f"- schema **{s.kind}**{' `' + s.field + '`' if s.field else ''}: {s.detail}"
            for s in r.schema
        ]
        out += [f"- added: {row_text(r, row)}" for row in r.rows("added", limit)]
        out += [f"- removed: {row_text(r, row)}" for row in r.rows("removed", limit)]
        for row in r.changed_rows(limit):
            cells = "; ".join(
                f"`{f}` {_code(v['old'])} → {_code(v['new'])}" for f, v in row["changes"].items()
            )
            out.append(f"- changed `{key_text(row['key'])}`: {cells}")
        hidden = sum(max(0, n - limit) for n in r.counts.values())
        if hidden:
            out.append(f"- … and {hidden:,} more rows (see `misti-data diff --format json`)")
        out.append("")
    return "\n".join(out)


def _code(value) -> str:
    return f"`{short(value)}`"


def version(advice: VersionAdvice) -> str:
    """The verdict, then the bump and each change."""
    mark = "✅" if advice.ok else "❌"
    return (
        "\n".join([f"### {mark} misti-data {version_verdict(advice)}", "", *version_lines(advice)])
        + "\n"
    )


def version_lines(advice: VersionAdvice) -> list[str]:
    """The version section: the bump and why, the revisions unexplained, the errors."""
    if advice.withheld:
        return [
            f"No version advice: {advice.withheld}. The bump and the revisions are checked once the package is valid."
        ]
    if advice.bump:
        head = (
            f"This change needs a **{advice.bump.upper()}** bump: {advice.base_version} → "
            f"**{advice.required_version}**; datapackage.json says {advice.declared_version}."
        )
    else:
        head = f"No data change against the base ({advice.base_version}): no new version needed."
    problems = [f"- ❌ `{f.code}`: {f.message}" for f in advice.findings] + [
        f"- ❌ {e}" for e in advice.errors
    ]
    reasons = [f"- {r.bump.upper()}: {r.change}" for r in advice.reasons]
    if len(reasons) > FOLD_REASONS_AFTER:
        reasons = [
            f"<details><summary>{plural(len(reasons), 'change')} and the bump each needs</summary>",
            "",
            *reasons,
            "",
            "</details>",
        ]
    return [head] + ([""] + problems if problems else []) + ([""] + reasons if reasons else [])


def ci(result: GateResult, limit: int | None = None) -> str:
    """A verdict table one screen long, then validation, version and the diff, each under its own heading."""
    report, advice, changes = result.report, result.advice, result.diff
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
        f"| Data changes | {_changes(changes)} |",
        "",
        "### Validation",
        "",
        validate(report, limit, heading=False).rstrip(),
        "",
        "### Version",
        "",
    ]
    lines += version_lines(advice)
    lines += ["", diff(changes, limit, level=3).rstrip()]
    return "\n".join(lines) + "\n"


def _changes(result: PackageDiff) -> str:
    if not result.differs:
        return f"none against `{result.old}`"
    s = result.summary()
    res, rows = s["resources"], s["rows"]
    changed = res["added"] + res["removed"] + res["renamed"] + res["changed"]
    text = (
        f"{plural(changed, 'resource')} changed against `{result.old}`: "
        f"+{rows['added']:,} −{rows['removed']:,} ~{rows['changed']:,} rows"
    )
    return text + (f", {plural(s['problems'], 'problem')}" if s["problems"] else "")


def checks(result=None) -> str:
    """The table of every code, as docs/cli.md holds it (`result`, a registry.Catalogue, holds nothing more)."""
    lines = ["| code | severity | meaning |", "|---|---|---|"]
    for code, (severity, meaning) in catalogue().items():
        escaped = meaning.replace("|", "\\|")
        lines.append(f"| `{code}` | {severity} | {escaped} |")
    return "\n".join(lines) + "\n"
