"""The diff as Markdown for a pull request: a summary table, then one section per resource."""

from __future__ import annotations

from misti_data.diff import PackageDiff
from misti_data.render.diff.text import key_text, row_text, short, shown_limit, stat


def render(diff: PackageDiff, limit: int | None = None, level: int = 2) -> str:
    """`level` is the title's heading level (the gate's summary nests the diff one level down);
    `limit` as in render.diff.text."""
    limit = shown_limit(diff, limit)
    h = "#" * level
    out = [
        f"{h} Data changes: `{diff.old}` ({diff.old_version}) → `{diff.new}` ({diff.new_version})",
        "",
    ]
    if not diff.differs:
        return "\n".join(out + ["No differences.", ""])
    out += ["| Resource | Change |", "|---|---|"]
    if diff.metadata:
        out.append(
            f"| *package metadata* | {len(diff.metadata)} propert{'ies' if len(diff.metadata) != 1 else 'y'} |"
        )
    out += [f"| `{r.name}` | {stat(r)} |" for r in diff.resources if r.differs]
    out.append("")
    if diff.metadata:
        out += (
            [f"{h}# Package metadata", ""]
            + [f"- `{m.key}`: {_code(m.old)} → {_code(m.new)}" for m in diff.metadata]
            + [""]
        )
    for r in diff.resources:
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
        hidden = sum(max(0, n - limit) for n in r.counts.values()) if limit is not None else 0
        if hidden:
            out.append(f"- … and {hidden:,} more rows (see `misti-data diff --format json`)")
        out.append("")
    return "\n".join(out)


def _code(value) -> str:
    return f"`{short(value)}`"
