"""From a diff to a semantic version, after the Frictionless "Data Package Version" recipe.

MAJOR: a consumer's code or joins may break (something removed, renamed, retyped, tightened).
MINOR: more data or looser rules (a resource, field or rows added; a constraint loosened).
PATCH: corrections (existing values changed) and descriptive metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from misti_data import semver
from misti_data.diff import PackageDiff, diff_packages
from misti_data.findings import Finding
from misti_data.package import Package
from misti_data.revisions import check_revisions
from misti_data.semver import MAJOR, MINOR, PATCH
from misti_data.sources import open_package
from misti_data.words import plural

_RANK = {None: 0, PATCH: 1, MINOR: 2, MAJOR: 3}

# The bump each kind of schema change requires. The recipe makes an added field MAJOR (it
# breaks readers that rely on column positions); we follow issue 5 and make it MINOR, since
# our consumers read columns by name.
SCHEMA_BUMPS = {
    "field-added": MINOR,
    "field-removed": MAJOR,
    "field-renamed": MAJOR,
    "fields-reordered": MAJOR,
    "type-changed": MAJOR,
    "format-changed": MAJOR,
    "constraint-tightened": MAJOR,
    "constraint-loosened": MINOR,
    "key-changed": MAJOR,
    "foreign-keys-changed": MINOR,
    "field-metadata-changed": PATCH,
    "schema-metadata-changed": PATCH,
}
# Package and resource properties whose change needs no new version: the version itself, and
# where a file lives (the recipe: "relocate the data … no change in the version number").
_NO_BUMP = {"version", "path"}


@dataclass
class Reason:
    """One change and the bump it requires."""

    bump: str
    change: str
    resource: str | None = None

    def to_dict(self) -> dict:
        return {"bump": self.bump, "resource": self.resource, "change": self.change}


@dataclass
class VersionAdvice:
    """The bump a diff requires, and (for --check) whether the declared version says so."""

    base_version: str | None
    declared_version: str | None
    reasons: list[Reason] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    checked: bool = False

    @property
    def bump(self) -> str | None:
        return max((r.bump for r in self.reasons), key=_RANK.__getitem__, default=None)

    @property
    def required_version(self) -> str | None:
        return semver.bump(self.base_version, self.bump) if self.bump else self.base_version

    @property
    def ok(self) -> bool:
        return not self.errors and not self.findings

    def to_dict(self) -> dict:
        return {
            "base_version": self.base_version,
            "declared_version": self.declared_version,
            "bump": self.bump,
            "required_version": self.required_version,
            "checked": self.checked,
            "ok": self.ok,
            "errors": list(self.errors),
            "reasons": [r.to_dict() for r in self.reasons],
            "findings": [f.to_dict() for f in self.findings],
        }


def recommend_bump(diff: PackageDiff) -> VersionAdvice:
    """Every change in `diff` with the bump it requires, most severe first."""
    reasons = [Reason(PATCH, f"package {m.key} changed") for m in diff.metadata if m.key not in _NO_BUMP]
    for r in diff.resources:
        reasons += _resource_reasons(r)
    reasons.sort(key=lambda r: -_RANK[r.bump])
    return VersionAdvice(base_version=diff.old_version, declared_version=diff.new_version, reasons=reasons)


def _resource_reasons(r) -> list[Reason]:
    name = r.name
    if r.status == "added":
        return [Reason(MINOR, f"resource {name} added ({r.rows_new:,} rows)", name)]
    if r.status == "removed":
        return [Reason(MAJOR, f"resource {name} removed", name)]
    out = []
    if r.status == "renamed":
        out.append(Reason(MAJOR, f"resource {r.old_name} renamed to {name}", name))
    out += [Reason(PATCH, f"{name}: {m.key} changed", name) for m in r.meta if m.key not in _NO_BUMP]
    out += [Reason(SCHEMA_BUMPS[s.kind], f"{name}: {s.kind}{' ' + s.field if s.field else ''} ({s.detail})", name) for s in r.schema]
    c = r.counts
    if c["removed"]:
        out.append(Reason(MAJOR, f"{name}: {plural(c['removed'], 'row')} removed", name))
    if c["added"]:
        out.append(Reason(MINOR, f"{name}: {plural(c['added'], 'row')} added", name))
    if c["changed"]:
        out.append(Reason(PATCH, f"{name}: values of {plural(c['changed'], 'row')} corrected", name))
    if r.problems:
        out.append(Reason(MAJOR, f"{name}: rows could not be matched by key ({r.problems[0].code}); assuming the worst", name))
    return out


def version_between(old: str | Path, new: str | Path, *, cwd: str | Path = ".") -> VersionAdvice:
    """The bump from OLD to NEW (folder, descriptor, .zip or git:REV)."""
    with open_package(old, cwd=cwd) as a, open_package(new, cwd=cwd) as b:
        return recommend_bump(diff_packages(a, b))


def check_version(base: str | Path, package: str | Path = ".") -> VersionAdvice:
    """Does `package`'s declared version follow from its diff against BASE? Errors say which to use."""
    with open_package(base, cwd=package) as a, open_package(package, cwd=package) as b:
        return check_diff(diff_packages(a, b), b)


def check_diff(result: PackageDiff, new: Package) -> VersionAdvice:
    """The --check verdict on a diff already computed (the CI gate reuses its diff)."""
    advice = recommend_bump(result)
    advice.findings = check_revisions(result, new)
    advice.checked = True
    base_v, declared = advice.base_version, advice.declared_version
    if semver.parse(declared) is None:
        advice.errors.append(f"datapackage.json says version {declared!r}, which is not MAJOR.MINOR.PATCH")
        return advice
    if not advice.reasons:
        return advice
    if semver.parse(base_v) is None:
        return advice  # a base without a version: any valid version will do
    required = advice.required_version
    if semver.parse(declared) < semver.parse(required):
        top = [r.change for r in advice.reasons if r.bump == advice.bump]
        why = "; ".join(top[:3]) + (f" and {len(top) - 3} more" if len(top) > 3 else "")
        advice.errors.append(f"datapackage.json says {declared}; {why} ({advice.bump.upper()}): use {required}")
    return advice
