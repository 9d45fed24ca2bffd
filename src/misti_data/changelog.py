"""CHANGELOG.md sections in words a data consumer understands, generated from a diff."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from misti_data.atomic import write_text
from misti_data.checks.revisions import as_number, explained_revisions
from misti_data.diff import PackageDiff, ResourceDiff
from misti_data.package import Package
from misti_data.settings import settings_of
from misti_data.values import show_value
from misti_data.words import and_more, plural

# The first line of the generated part of a section; what comes before it was written by hand.
_GENERATED = re.compile(r"^(Changes since |Contents of this first release)")
_SCHEMA_WORDS = {
    "field-added": "new column",
    "field-removed": "column removed",
    "field-renamed": "column renamed",
    "fields-reordered": "columns reordered",
    "type-changed": "column type changed",
    "format-changed": "column format changed",
    "constraint-tightened": "stricter rule",
    "constraint-loosened": "looser rule",
    "key-changed": "rows now identified by other columns",
    "foreign-keys-changed": "references to other tables changed",
    "field-metadata-changed": "column description changed",
    "schema-metadata-changed": "schema description changed",
}


def changelog_section(
    package: Package,
    version: str,
    date: dt.date,
    diff: PackageDiff | None,
    previous: str | None,
    rows: dict | None = None,
) -> str:
    """`## VERSION — DATE` and a bullet list: the contents of a first release, or the changes since the last."""
    if diff is None:
        intro = "Contents of this first release:"
        items = [f"`{name}`: {plural(n, 'row')}" for name, n in (rows or {}).items()]
    else:
        intro = f"Changes since {previous}:"
        items = describe(diff, package) or ["No change to the data."]
    return f"## {version} — {date.isoformat()}\n\n{intro}\n\n" + "".join(
        f"- {item}\n" for item in items
    )


def describe(diff: PackageDiff, package: Package) -> list[str]:
    """One sentence per change, newest data first, revisions with their reasons."""
    cfg = settings_of(package).revisions or {}
    specs = {s.get("resource"): s for s in cfg.get("tables", [])}
    reasons = explained_revisions(package, cfg) if cfg else {}
    out = []
    meta = [m.key for m in diff.metadata if m.key not in ("version", "created")]
    if meta:
        out.append(f"Package description updated ({', '.join(meta)}).")
    for r in diff.resources:
        out += _describe_resource(r, specs.get(r.name), reasons)
    return out


def _describe_resource(r: ResourceDiff, spec: dict | None, reasons: dict) -> list[str]:
    name = f"`{r.name}`"
    if r.status == "added":
        return [f"New table {name} ({plural(r.rows_new, 'row')})."]
    if r.status == "removed":
        return [f"Table {name} removed (it had {plural(r.rows_old, 'row')})."]
    out = [f"Table `{r.old_name}` renamed to {name}."] if r.status == "renamed" else []
    out += [
        f"{name}: {_SCHEMA_WORDS[s.kind]}{' `' + s.field + '`' if s.field else ''} ({s.detail})."
        for s in r.schema
    ]
    c = r.counts
    if c["added"]:
        out += _added(r, spec)
    if c["removed"]:
        keys = [
            "; ".join(str(v) for v in (row if not r.keyed else {k: row[k] for k in r.key}).values())
            for row in r.rows("removed", 5)
        ]
        out.append(
            f"Removed {plural(c['removed'], 'row')} from {name}: {and_more(keys, c['removed'])}."
        )
    if c["changed"]:
        out += _changed(r, spec, reasons)
    return out


def _added(r: ResourceDiff, spec: dict | None) -> list[str]:
    import polars as pl

    period, subject = (spec or {}).get("period"), (spec or {}).get("subject")
    if not (period and subject and period in r.added.columns and subject in r.added.columns):
        return [f"Added {plural(r.counts['added'], 'row')} to `{r.name}`."]
    noun = spec.get("noun") or re.sub(r"_id$", "", subject)
    groups = r.added.group_by(period).agg(pl.col(subject).n_unique().alias("n")).sort(period)
    return [f"Added {p} values for {plural(n, noun)} (`{r.name}`)." for p, n in groups.iter_rows()]


def _changed(r: ResourceDiff, spec: dict | None, reasons: dict) -> list[str]:
    value = (spec or {}).get("value")
    out, corrected = [], 0
    for row in r.changed_rows(full=True):
        cell = row["changes"].get(value) if spec else None
        if cell is None:
            corrected += 1
            continue
        full = row["old_row"]
        match = spec.get("match", list(row["key"]))
        why = reasons.get(
            (tuple(full.get(m) for m in match), as_number(cell["old"]), as_number(cell["new"]))
        )
        where = ", ".join(str(full.get(m)) for m in match if m != spec.get("subject"))
        out.append(
            f"Revised {full.get(spec.get('subject'))} for {full.get(spec.get('period'))} ({where}): "
            f"{show_value(cell['old'])} → {show_value(cell['new'])}"
            + (f", reason: {why}" if why else "")
            + "."
        )
    if corrected:
        out.append(f"Corrected {plural(corrected, 'row')} in `{r.name}`.")
    return out


def update_changelog(path: Path, version: str, section: str) -> None:
    """Put `section` at the top of CHANGELOG.md, replacing an earlier one for the same version.

    Text written by hand under `## VERSION — unreleased` is kept above the generated list.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else "# Changelog\n"
    parts = re.split(r"(?m)^(?=## )", text)
    head, sections = parts[0], parts[1:]
    kept_by_hand = ""
    for i, sec in enumerate(sections):
        if re.match(rf"## {re.escape(version)}(\s|$)", sec):
            body = sec.split("\n", 1)[1] if "\n" in sec else ""
            hand = []
            for line in body.splitlines():
                if _GENERATED.match(line):
                    break
                hand.append(line)
            kept_by_hand = "\n".join(hand).strip()
            del sections[i]
            break
    heading, rest = section.split("\n", 1)
    new = heading + "\n\n" + (kept_by_hand + "\n\n" if kept_by_hand else "") + rest.lstrip("\n")
    write_text(
        path, head.rstrip("\n") + "\n\n" + new + ("\n" + "".join(sections) if sections else "")
    )
