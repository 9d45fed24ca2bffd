"""The diff as data: metadata, schema and row changes, each renderer's one input."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from misti_data.findings import Finding
from misti_data.values import plain

_COUNT = "__count"


@dataclass
class MetaChange:
    """A descriptor property (package or resource) whose value changed; None means absent."""

    key: str
    old: object
    new: object

    def to_dict(self) -> dict:
        return {"key": self.key, "old": self.old, "new": self.new}


@dataclass
class SchemaChange:
    """One change to a Table Schema; `kind` is a stable code (field-added, constraint-tightened…)."""

    kind: str
    field: str | None
    detail: str
    old: object = None
    new: object = None

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "field": self.field,
            "detail": self.detail,
            "old": self.old,
            "new": self.new,
        }


@dataclass
class ResourceDiff:
    """What changed in one resource. Row frames stay polars frames until rendered."""

    name: str
    status: str  # added, removed, renamed, changed, unchanged
    old_name: str | None = None
    key: list[str] = field(default_factory=list)
    keyed: bool = False
    key_source: str | None = None  # option (--key), primary-key or inferred
    compared_by: str = "multiset of rows"  # how rows were matched, as every renderer says it
    notes: list[str] = field(
        default_factory=list
    )  # how a side was read, when not as validate reads it
    meta: list[MetaChange] = field(default_factory=list)
    schema: list[SchemaChange] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    rows_old: int = 0
    rows_new: int = 0
    added: object = None  # polars DataFrame of new rows (multiset: with a count column)
    removed: object = None
    changed: object = None  # key, then per field: old, new and a changed flag
    value_fields: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "added": _height(self.added),
            "removed": _height(self.removed),
            "changed": _height(self.changed, counted=False),
        }

    @property
    def differs(self) -> bool:
        return self.status not in ("changed", "unchanged") or self.content_differs

    @property
    def content_differs(self) -> bool:
        return bool(self.meta or self.schema or self.problems or any(self.counts.values()))

    def changed_rows(self, limit: int | None = None, full: bool = False) -> list[dict]:
        """[{key: {...}, changes: {field: {old, new}}}] in key order; `full` adds the whole old row."""
        if self.changed is None:
            return []
        out = []
        for row in (self.changed if limit is None else self.changed.head(limit)).iter_rows(
            named=True
        ):
            changes = {
                f: {"old": plain(row[f]), "new": plain(row[f"{f}__new"])}
                for f in self.value_fields
                if row[f"{f}__chg"]
            }
            item = {"key": {k: plain(row[k]) for k in self.key}, "changes": changes}
            if full:
                item["old_row"] = {f: plain(row[f]) for f in self.key + self.value_fields}
            out.append(item)
        return out

    def rows(self, which: str, limit: int | None = None) -> list[dict]:
        """The added or removed rows as plain dicts (a multiset row repeats as often as it changed)."""
        frame = getattr(self, which)
        if frame is None:
            return []
        out: list[dict] = []
        for row in frame.iter_rows(named=True):
            n = row.pop(_COUNT, 1)
            out += [{k: plain(v) for k, v in row.items()}] * n
            if limit is not None and len(out) >= limit:
                return out[:limit]
        return out

    def to_dict(self, limit: int | None = None) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "old_name": self.old_name,
            "compared_by": self.compared_by,
            "key": {"columns": list(self.key), "source": self.key_source if self.keyed else None},
            "notes": list(self.notes),
            "rows": {"old": self.rows_old, "new": self.rows_new, **self.counts},
            "metadata": [m.to_dict() for m in self.meta],
            "schema": [s.to_dict() for s in self.schema],
            "problems": [p.to_dict() for p in self.problems],
            "added": self.rows("added", limit),
            "removed": self.rows("removed", limit),
            "changed": self.changed_rows(limit),
        }


@dataclass
class PackageDiff:
    """The whole comparison of OLD with NEW."""

    subject: ClassVar[str] = "diff"
    old: str
    new: str
    old_version: str | None
    new_version: str | None
    metadata: list[MetaChange] = field(default_factory=list)
    resources: list[ResourceDiff] = field(default_factory=list)
    atol: float = 0.0
    rtol: float = 0.0
    fail_on_difference: bool = False  # exit 1 when the packages differ (`diff --exit-code`)

    @property
    def exit_code(self) -> int:
        """1 when the comparison met a problem (duplicate key, ragged row), or differs when told to fail on it."""
        return 1 if self.problems or (self.fail_on_difference and self.differs) else 0

    @property
    def differs(self) -> bool:
        return bool(self.metadata) or any(r.differs for r in self.resources)

    @property
    def problems(self) -> list[Finding]:
        return [p for r in self.resources for p in r.problems]

    def resource(self, name: str) -> ResourceDiff | None:
        return next((r for r in self.resources if r.name == name), None)

    def summary(self) -> dict:
        totals = {"added": 0, "removed": 0, "changed": 0}
        for r in self.resources:
            for k, v in r.counts.items():
                totals[k] += v
        status = [r.status for r in self.resources]
        return {
            "metadata_changes": len(self.metadata),
            "resources": {
                s: status.count(s) for s in ("added", "removed", "renamed", "changed", "unchanged")
            },
            "schema_changes": sum(len(r.schema) for r in self.resources),
            "rows": totals,
            "problems": len(self.problems),
        }

    def to_dict(self, limit: int | None = None) -> dict:
        """At most `limit` rows per kind of change and resource (None: all)."""
        return {
            "ok": self.exit_code == 0,
            "old": {"package": self.old, "version": self.old_version},
            "new": {"package": self.new, "version": self.new_version},
            "differs": self.differs,
            "tolerance": {"atol": self.atol, "rtol": self.rtol},
            "summary": self.summary(),
            "metadata": [m.to_dict() for m in self.metadata],
            "resources": [r.to_dict(limit) for r in self.resources],
        }


def _height(frame, counted: bool = True) -> int:
    if frame is None:
        return 0
    if counted and _COUNT in frame.columns:
        return int(frame[_COUNT].sum())
    return frame.height


def meta_changes(old: dict, new: dict, skip: set[str]) -> list[MetaChange]:
    """The properties of two descriptors (package, resource, schema or field) whose values differ."""
    keys = sorted((set(old) | set(new)) - skip)
    return [MetaChange(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]
