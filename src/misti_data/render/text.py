"""The terminal reports of validate, diff, version and ci: summary first or last, colour where it helps."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from misti_data.render.common import DESCRIPTOR_FILE, by_code, by_file, once, verdict, where
from misti_data.values import show_value
from misti_data.words import plural, printable

if TYPE_CHECKING:
    from misti_data.diff import PackageDiff, ResourceDiff
    from misti_data.findings import Report
    from misti_data.gate import GateResult
    from misti_data.version import VersionAdvice

_COLOUR = {"error": "red", "warning": "yellow"}
DEFAULT_LIMIT = 20  # diff rows shown per kind of change and resource


def validate(report: Report, limit: int | None = None) -> str:
    """Grouped by file, then by check (at most `limit` findings each); a one-line summary last."""
    lines = []
    totals = report.total(
        lambda resource, path, code: (path or DESCRIPTOR_FILE, code)
    )  # this file's, not the package's
    for path, findings in by_file(report, limit).items():
        lines.append(click.style(printable(path), bold=True))
        for code, items in by_code(findings).items():
            total = totals[path, code]
            more = f", {len(items)} shown" if total > len(items) else ""
            sev = items[0].severity
            lines.append(f"  {click.style(code, fg=_COLOUR[sev])} ({plural(total, sev)}{more})")
            lines += once(
                printable(f"    {where(f) + ': ' if where(f) else ''}{f.message}") for f in items
            )
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    word, detail = verdict(report)
    colour = "green" if report.valid else "red"
    return click.style(word, fg=colour, bold=True) + f": {detail}"


def diff(result: PackageDiff, limit: int | None = None) -> str:
    """A `git diff --stat`-like summary, then the details (+ - ~), at most `limit` rows per kind of
    change and resource (None: DEFAULT_LIMIT)."""
    limit = DEFAULT_LIMIT if limit is None else limit
    lines = [diff_headline(result)]
    lines += stat_lines(result)
    lines.append(totals(result))
    details = detail_lines(result, limit)
    if details:
        lines += [""] + details
    return "\n".join(lines) + "\n"


def diff_headline(result: PackageDiff) -> str:
    return printable(
        f"{result.old} ({result.old_version or 'no version'}) → {result.new} ({result.new_version or 'no version'})"
    )


def stat_lines(result: PackageDiff) -> list[str]:
    width = max([len(r.name) for r in result.resources] + [8])
    out = []
    if result.metadata:
        out.append(f" {'metadata':<{width}} | {plural(len(result.metadata), 'change')}")
    for r in result.resources:
        if r.differs:
            out.append(printable(f" {r.name:<{width}} | {stat(r)}"))
    return out


def stat(r: ResourceDiff) -> str:
    """`+10 -0 ~1 rows, 2 schema changes (key indicator_id, area)` for one resource."""
    if r.status == "added":
        return f"new resource, {r.rows_new:,} rows"
    if r.status == "removed":
        return f"removed resource, {r.rows_old:,} rows"
    c = r.counts
    parts = [f"+{c['added']:,} -{c['removed']:,} ~{c['changed']:,} rows"]
    if r.status == "renamed":
        parts.insert(0, f"renamed from {r.old_name}")
    if r.schema:
        parts.append(plural(len(r.schema), "schema change"))
    if r.meta:
        parts.append(plural(len(r.meta), "metadata change"))
    if r.problems:
        parts.append(plural(len(r.problems), "problem"))
    return ", ".join(parts) + f" ({how_compared(r)})"


def how_compared(r: ResourceDiff) -> str:
    """`by area, year` (primary key), `key inferred: Date`, `key given: Date` or `as a multiset of rows: why`."""
    if r.keyed and r.key_source == "primary-key":
        return f"by {', '.join(r.key)}"
    return r.compared_by if r.keyed else "as a " + r.compared_by


def totals(result: PackageDiff) -> str:
    if not result.differs:
        return click.style("no differences", fg="green")
    s = result.summary()
    rows = s["rows"]
    res = s["resources"]
    changed = res["added"] + res["removed"] + res["renamed"] + res["changed"]
    text = f"{plural(changed, 'resource')} changed, {plural(rows['added'], 'row')} added, {rows['removed']:,} removed, {rows['changed']:,} changed"
    if s["problems"]:
        text += click.style(", " + plural(s["problems"], "problem"), fg="red")
    return text


def detail_lines(result: PackageDiff, limit: int) -> list[str]:
    out = []
    if result.metadata:
        out.append(click.style("metadata", bold=True))
        out += [printable(f"  ~ {m.key}: {short(m.old)} → {short(m.new)}") for m in result.metadata]
    for r in result.resources:
        if not r.differs or r.status in ("added", "removed"):
            continue
        out.append(click.style(printable(r.name), bold=True))
        plain = [f"  ! {p.code}: {p.message}" for p in r.problems]
        plain += [f"  note: {n}" for n in r.notes]
        plain += [f"  ~ {m.key}: {short(m.old)} → {short(m.new)}" for m in r.meta]
        plain += [
            f"  {_SIGN.get(s.kind, '~')} {s.kind}{' ' + s.field if s.field else ''}: {s.detail}"
            for s in r.schema
        ]
        out += (
            [printable(line) for line in plain]
            + _rows(r, "removed", "-", limit)
            + _rows(r, "added", "+", limit)
        )
        for row in r.changed_rows(limit):
            cells = "; ".join(
                f"{f} {short(v['old'])} → {short(v['new'])}" for f, v in row["changes"].items()
            )
            out.append(click.style(printable(f"  ~ {key_text(row['key'])}: {cells}"), fg="yellow"))
        out += _more(r.counts["changed"], limit)
    return out


_SIGN = {"field-added": "+", "field-removed": "-"}


def _rows(r: ResourceDiff, which: str, sign: str, limit: int) -> list[str]:
    colour = "green" if sign == "+" else "red"
    out = [
        click.style(printable(f"  {sign} {row_text(r, row)}"), fg=colour)
        for row in r.rows(which, limit)
    ]
    return out + _more(r.counts[which], limit)


def _more(total: int, limit: int) -> list[str]:
    if total > limit:
        return [f"  … {total - limit:,} more (--limit N or --format json to see them)"]
    return []


def row_text(r: ResourceDiff, row: dict) -> str:
    """The key first (as the row's name), then the other cells."""
    if r.keyed:
        rest = ", ".join(f"{k}={short(v)}" for k, v in row.items() if k not in r.key)
        return f"{key_text({k: row[k] for k in r.key})}: {rest}"
    return ", ".join(f"{k}={short(v)}" for k, v in row.items())


def key_text(key: dict) -> str:
    return " | ".join(show_value(v) for v in key.values())


def short(value, n: int = 60) -> str:
    if value is None:
        text = "(none)"
    elif isinstance(value, str):
        text = repr(value)
    else:
        text = show_value(value)
    return clip(text, n)


def clip(text: str, n: int = 60) -> str:
    """At most n characters, an ellipsis marking the cut."""
    return text if len(text) <= n else text[: n - 1] + "…"


_BUMP_COLOUR = {"major": "red", "minor": "yellow", "patch": "cyan"}


def version(advice: VersionAdvice) -> str:
    """The verdict first, then each change and its bump."""
    if advice.withheld:
        return (
            click.style(printable(f"no version advice: {advice.withheld}"), fg="red", bold=True)
            + "\n"
        )
    lines = [version_headline(advice)]
    lines += [
        f"  {click.style(r.bump.upper(), fg=_BUMP_COLOUR[r.bump]):<5}  {printable(r.change)}"
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


def version_verdict(advice: VersionAdvice) -> str:
    """One plain line: `version check failed: MINOR bump: 1.0.0 → 1.1.0 (1 change)`, or why there is no advice."""
    said = f"no version advice: {advice.withheld}" if advice.withheld else version_headline(advice)
    return (
        f"version check {'passed' if advice.ok else 'failed'}: {said}" if advice.checked else said
    )


def version_headline(advice: VersionAdvice) -> str:
    if not advice.bump:
        return f"no version bump needed (from {advice.base_version})"
    return f"{advice.bump.upper()} bump: {advice.base_version} → {advice.required_version} ({plural(len(advice.reasons), 'change')})"


def version_summary(advice: VersionAdvice) -> str:
    """`version 1.0.0, MINOR change requires 1.1.0`, `version 1.0.0, no data change` or why there is no advice."""
    if advice.withheld:
        return f"no version advice: {advice.withheld}"
    if advice.bump:
        return f"version {advice.declared_version}, {advice.bump.upper()} change requires {advice.required_version}"
    return f"version {advice.declared_version}, no data change"


def ci(result: GateResult, limit: int | None = None) -> str:
    """Validation, then the version verdict, then the diff (summary and rows); the gate's verdict last."""
    parts = [validate(result.report, limit), version(result.advice), diff(result.diff, limit)]
    verdict = (
        click.style("gate passed", fg="green", bold=True)
        if result.ok
        else click.style("gate failed", fg="red", bold=True)
    )
    return "\n".join(p.rstrip("\n") for p in parts) + "\n" + verdict + "\n"


def draft(result) -> tuple[str, str]:
    """A review table: each proposed row with its quote, then every figure left unplaced."""
    source = result.source
    lines = [
        f"{result.file}: published {result.published.isoformat()}, source {source['source_id']}"
        + (" (new)" if result.source_is_new else ""),
        _draft_summary(result),
        "",
    ]
    for row in result.rows:
        lines.append(
            f"{row['status']:<9} {row['indicator_id']}  {row['area']}  {row['period']}  "
            f"{row['value']:,}  {row['qualifier']}"
            + (f"  rounded to {row['rounded_to']:,}" if row["rounded_to"] else "")
        )
        lines.append(f"          {row['quote']!r}")
        old = row.get("existing")
        if row["status"] == "revision":
            lines.append(
                f"          the package has {old['value']:,} ({old['qualifier']}, {old['source_id']}): "
                "a revision needs a row in revisions.csv with its reason"
            )
        if row["also_fits"]:
            lines.append(f"          also fits: {', '.join(row['also_fits'])}")
    if result.unplaced:
        lines += ["", f"unplaced ({len(result.unplaced)}):"]
        for u in result.unplaced:
            lines.append(f"  {u['figure']:<12} {u['why']}: {clip(u['sentence'])}")
    if result.written:
        lines += ["", f"wrote {', '.join(result.written)}"]
    err = ""
    if result.refused:
        err = "not written: the package would be invalid:\n" + "".join(
            f"  {line}\n" for line in result.refused
        )
    return "\n".join(lines) + "\n", err


def _draft_summary(result) -> str:
    counts = {}
    for row in result.rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    parts = ", ".join(f"{n} {status}" for status, n in counts.items())
    return (
        f"{plural(len(result.rows), 'row')}"
        + (f" ({parts})" if parts else "")
        + f"; {plural(len(result.unplaced), 'figure')} unplaced"
    )
