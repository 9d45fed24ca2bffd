"""The diff for a terminal: a `git diff --stat`-like summary first, then the details (+ - ~)."""

from __future__ import annotations

import click

from misti_data.diff import PackageDiff, ResourceDiff
from misti_data.values import show_value
from misti_data.words import plural, printable

DEFAULT_LIMIT = 20


def render(diff: PackageDiff, limit: int | None = None) -> str:
    """At most `limit` rows per kind of change and resource (None: the diff's own limit, else 20)."""
    limit = shown_limit(diff, limit)
    lines = [headline(diff)]
    lines += stat_lines(diff)
    lines.append(totals(diff))
    details = detail_lines(diff, limit)
    if details:
        lines += [""] + details
    return "\n".join(lines) + "\n"


def shown_limit(diff: PackageDiff, limit: int | None) -> int:
    """The rows to show per kind of change: `limit`, else the diff's own, else DEFAULT_LIMIT."""
    if limit is not None:
        return limit
    return diff.limit if diff.limit is not None else DEFAULT_LIMIT


def headline(diff: PackageDiff) -> str:
    return printable(
        f"{diff.old} ({diff.old_version or 'no version'}) → {diff.new} ({diff.new_version or 'no version'})"
    )


def stat_lines(diff: PackageDiff) -> list[str]:
    width = max([len(r.name) for r in diff.resources] + [8])
    out = []
    if diff.metadata:
        out.append(f" {'metadata':<{width}} | {plural(len(diff.metadata), 'change')}")
    for r in diff.resources:
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


def totals(diff: PackageDiff) -> str:
    if not diff.differs:
        return click.style("no differences", fg="green")
    s = diff.summary()
    rows = s["rows"]
    res = s["resources"]
    changed = res["added"] + res["removed"] + res["renamed"] + res["changed"]
    text = f"{plural(changed, 'resource')} changed, {plural(rows['added'], 'row')} added, {rows['removed']:,} removed, {rows['changed']:,} changed"
    if s["problems"]:
        text += click.style(", " + plural(s["problems"], "problem"), fg="red")
    return text


def detail_lines(diff: PackageDiff, limit: int | None) -> list[str]:
    out = []
    if diff.metadata:
        out.append(click.style("metadata", bold=True))
        out += [printable(f"  ~ {m.key}: {short(m.old)} → {short(m.new)}") for m in diff.metadata]
    for r in diff.resources:
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


def _rows(r: ResourceDiff, which: str, sign: str, limit: int | None) -> list[str]:
    colour = "green" if sign == "+" else "red"
    out = [
        click.style(printable(f"  {sign} {row_text(r, row)}"), fg=colour)
        for row in r.rows(which, limit)
    ]
    return out + _more(r.counts[which], limit)


def _more(total: int, limit: int | None) -> list[str]:
    if limit is not None and total > limit:
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
    return text if len(text) <= n else text[: n - 1] + "…"
