"""CHANGELOG.md sections in words a data user understands, generated from a diff: what changed in
the tables, never how the tool checked it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
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
# Descriptor properties that say nothing about the data: the version and date a release sets, and
# the tool's own settings block (which checks run), which a data user never sees.
_NOT_DATA = {"version", "created", "misti_data"}
_META_WORDS = {
    "title": "title",
    "description": "description",
    "sources": "list of sources",
    "licenses": "licence",
    "contributors": "list of contributors",
    "keywords": "keywords",
    "homepage": "web address",
    "id": "identifier",
}
# Table Schema constraint names, as a data user reads them.
_RULE_WORDS = {
    "enum": "allowed values",
    "minLength": "minimum length",
    "maxLength": "maximum length",
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
    """One sentence per change to the data, in a data user's words: tables and columns added or
    removed, rows added, removed and edited per table and per indicator, revised values with their
    reasons. Nothing about the tool (its settings, its checks)."""
    cfg = settings_of(package).revisions or {}
    context = _Context(
        package,
        specs={s.get("resource"): s for s in cfg.get("tables", []) if s.get("subject")},
        reasons=explained_revisions(package, cfg) if cfg else {},
        names=_indicator_names(package),
    )
    out = []
    meta = [_META_WORDS.get(m.key, m.key) for m in diff.metadata if m.key not in _NOT_DATA]
    if meta:
        out.append(f"The package's {_listed(meta)} changed.")
    for r in diff.resources:
        out += _describe_resource(r, context)
    return out


@dataclass
class _Context:
    package: Package
    specs: dict  # resource → its `revisions` table spec: subject (indicator), period, value, match
    reasons: dict  # a revised value → the reason the revisions table gives
    names: dict  # indicator id → its name, from the indicators table


def _indicator_names(package: Package) -> dict:
    from misti_data.tables import table

    cfg = settings_of(package).indicators
    t = table(package, cfg.get("indicators", "indicators")) if cfg else None
    if t is None or t.frame is None or not {"indicator_id", "name"} <= set(t.names):
        return {}
    return {r["indicator_id"]: r["name"] for r in t.records()}


def _describe_resource(r: ResourceDiff, context: _Context) -> list[str]:
    name = f"`{r.name}`"
    if r.status == "added":
        title = str((context.package.resource(r.name) or {}).get("title") or "")
        about = f" ({title})" if title and title.lower() != r.name.lower() else ""
        return [f"New table {name}{about}: {plural(r.rows_new, 'row')}."]
    if r.status == "removed":
        return [f"Table {name} removed (it had {plural(r.rows_old, 'row')})."]
    out = [f"Table `{r.old_name}` renamed to {name}."] if r.status == "renamed" else []
    out += [_schema_change(r, s, context.package) for s in r.schema]
    spec = context.specs.get(r.name)
    if spec and {spec.get("subject"), spec.get("period")} <= set(r.key + r.value_fields):
        out += _by_subject(r, spec, context.names)
    else:
        out += _rows(r, context)
    out += _edited(r, spec, context)
    return out


def _schema_change(r: ResourceDiff, s, package: Package) -> str:
    column = f"`{r.name}.{s.field}`"
    if s.kind == "field-added":
        field = next(
            (
                f
                for f in package.schema(package.resource(r.name) or {}).get("fields") or []
                if isinstance(f, dict) and f.get("name") == s.field
            ),
            {},
        )
        about = field.get("description")
        return f"New column {column}" + (f": {about}" if about else ".")
    if s.kind == "field-removed":
        return f"Column {column} removed."
    if s.kind == "field-renamed":
        return f"Column `{r.name}.{s.old}` renamed to `{s.new}`."
    if s.kind == "fields-reordered":
        return f"The columns of `{r.name}` are in a new order."
    if s.kind == "type-changed":
        return f"Column {column} now holds {s.new} values (was {s.old})."
    if s.kind in ("constraint-tightened", "constraint-loosened"):
        rule, _, detail = s.detail.partition(": ")
        how = "stricter" if s.kind == "constraint-tightened" else "looser"
        return f"Column {column}: {how} rule on {_RULE_WORDS.get(rule, rule)} ({detail})."
    if s.kind == "key-changed":
        key = s.new if isinstance(s.new, list) else [s.new]
        return f"Rows of `{r.name}` are now identified by {_listed([f'`{k}`' for k in key])}."
    if s.kind == "foreign-keys-changed":
        return f"`{r.name}`: its references to other tables changed."
    # format-changed, field-metadata-changed, schema-metadata-changed: the detail says what
    return f"{column if s.field else f'`{r.name}`'}: {s.detail}."


def _rows(r: ResourceDiff, context: _Context) -> list[str]:
    """Rows added and removed, as counts (new indicators by name)."""
    c, name, out = r.counts, f"`{r.name}`", []
    added = r.rows("added") if c["added"] else []
    if added and context.names and r.name == _indicators_table(context.package):
        new = [f"{row.get('name')} (`{row.get('indicator_id')}`)" for row in added]
        out.append(f"New {'indicator' if len(new) == 1 else 'indicators'}: {_listed(new)}.")
    elif added:
        out.append(f"{name}: {plural(c['added'], 'row')} added.")
    if c["removed"]:
        keys = [
            "; ".join(str(v) for v in (row if not r.keyed else {k: row[k] for k in r.key}).values())
            for row in r.rows("removed", 5)
        ]
        out.append(
            f"{name}: {plural(c['removed'], 'row')} removed ({and_more(keys, c['removed'])})."
        )
    return out


def _indicators_table(package: Package) -> str | None:
    cfg = settings_of(package).indicators
    return cfg.get("indicators", "indicators") if cfg else None


def _by_subject(r: ResourceDiff, spec: dict, names: dict) -> list[str]:
    """Rows added and removed per indicator, with the periods they are for."""
    subject, period = spec["subject"], spec["period"]
    found: dict = {}
    for which in ("added", "removed"):
        for row in r.rows(which) if r.counts[which] else []:
            found.setdefault(row.get(subject), {}).setdefault(which, []).append(row.get(period))
    out = []
    for key in sorted(found, key=str):
        for which, periods in found[key].items():
            when = ", ".join(str(p) for p in sorted(set(periods), key=str))
            out.append(
                f"{_subject(key, names)}: {plural(len(periods), 'row')} {which} ({when}) in `{r.name}`."
            )
    return out


def _subject(key, names: dict) -> str:
    return f"{names[key]} (`{key}`)" if names.get(key) else f"`{key}`"


def _edited(r: ResourceDiff, spec: dict | None, context: _Context) -> list[str]:
    """Revised values one by one, with their reasons; every other edited column as a count."""
    value = (spec or {}).get("value")
    out, edited = [], {}
    for row in r.changed_rows(full=True):
        for column in row["changes"]:
            if column != value:
                edited[column] = edited.get(column, 0) + 1
        cell = row["changes"].get(value) if spec else None
        if cell is not None:
            out.append(_revised(row["old_row"], cell, spec, context))
    if edited:
        counts = [f"{column} edited ({plural(n, 'row')})" for column, n in edited.items()]
        out.append(f"`{r.name}`: {_listed(counts)}.")
    return out


def _revised(full: dict, cell: dict, spec: dict, context: _Context) -> str:
    match = spec.get("match", [])
    why = context.reasons.get(
        (tuple(full.get(m) for m in match), as_number(cell["old"]), as_number(cell["new"]))
    )
    where = ", ".join(str(full.get(m)) for m in match if m != spec.get("subject"))
    return (
        f"{_subject(full.get(spec['subject']), context.names)}, {full.get(spec.get('period'))} "
        f"({where}): revised {show_value(cell['old'])} → {show_value(cell['new'])}"
        + (f"; reason: {why}" if why else "")
        + "."
    )


def _listed(items: list[str]) -> str:
    """a, b and c."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


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
