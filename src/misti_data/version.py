"""From a diff to a semantic version, after the Frictionless "Data Package Version" recipe.

MAJOR: a consumer's code or joins may break (something removed, renamed, retyped, tightened).
MINOR: more data or looser rules (a resource, field or rows added; a constraint loosened).
PATCH: corrections (existing values changed) and descriptive metadata.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from misti_data import semver
from misti_data.checks.revisions import check_revisions, latest_release
from misti_data.diff import PackageDiff, diff_packages
from misti_data.errors import CannotRun
from misti_data.findings import ERROR, Finding, Report
from misti_data.git import GIT_PREFIX
from misti_data.package import DESCRIPTOR_BYTES, Package, load_package
from misti_data.semver import MAJOR, MINOR, PATCH
from misti_data.words import and_more, plural

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
# Package and resource properties whose change needs no new version: the version itself, where a
# file lives (the recipe: "relocate the data … no change in the version number"), and misti-data's
# own settings (`misti_data`: which checks and profile validate it), which no consumer of the data reads.
_NO_BUMP = {"version", "path", "misti_data"}


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

    subject: ClassVar[str] = "version"
    base_version: str | None
    declared_version: str | None
    reasons: list[Reason] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    checked: bool = False
    # Why no bump is advised at all: advice computed from invalid or unreadable data would be
    # wrong (issue 12: a typo in a value became "use 1.1.1", an unreadable file "use 2.0.0").
    withheld: str | None = None
    # How the diff read what it compared, where not as validate reads it (the advice holds for that).
    caveats: list[str] = field(default_factory=list)
    package: str = ""  # the new package, as the user named it (where annotations point)

    @property
    def bump(self) -> str | None:
        if self.withheld:
            return None
        return max((r.bump for r in self.reasons), key=_RANK.__getitem__, default=None)

    @property
    def required_version(self) -> str | None:
        if self.withheld:
            return None
        return semver.bump(self.base_version, self.bump) if self.bump else self.base_version

    @property
    def ok(self) -> bool:
        return not self.withheld and not self.errors and not self.findings

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def to_dict(self) -> dict:
        return {
            "base_version": self.base_version,
            "declared_version": self.declared_version,
            "bump": self.bump,
            "required_version": self.required_version,
            "checked": self.checked,
            "ok": self.ok,
            "withheld": self.withheld,
            "caveats": list(self.caveats),
            "errors": list(self.errors),
            "reasons": [r.to_dict() for r in self.reasons],
            "findings": [f.to_dict() for f in self.findings],
        }


def recommend_bump(diff: PackageDiff) -> VersionAdvice:
    """Every change in `diff` with the bump it requires, most severe first."""
    reasons = [
        Reason(PATCH, f"package {m.key} changed") for m in diff.metadata if m.key not in _NO_BUMP
    ]
    for r in diff.resources:
        reasons += _resource_reasons(r)
    reasons.sort(key=lambda r: -_RANK[r.bump])
    advice = VersionAdvice(
        base_version=diff.old_version,
        declared_version=diff.new_version,
        reasons=reasons,
        package=diff.new,
        caveats=[f"{r.name}: {n}" for r in diff.resources for n in r.notes],
    )
    unread = [p for p in diff.problems if p.code in _UNREAD]
    if unread:
        return withhold(
            advice,
            f"{_first(unread)}; fix the file first, as rows that could not be read are not rows removed",
        )
    return advice


# Diff problems that leave a resource's rows unread: no bump can be told from them.
_UNREAD = {"diff-unreadable", "diff-ragged-row"}


def withhold(advice: VersionAdvice, why: str) -> VersionAdvice:
    """The advice with its bump and revision findings dropped, saying why."""
    advice.reasons, advice.findings, advice.errors, advice.caveats, advice.withheld = (
        [],
        [],
        [],
        [],
        why,
    )
    return advice


def _first(problems: list[Finding]) -> str:
    p = problems[0]
    more = f" (and {plural(len(problems) - 1, 'more problem')})" if len(problems) > 1 else ""
    return f"cannot compare {p.resource}: {p.message}{more}"


def _resource_reasons(r) -> list[Reason]:
    name = r.name
    if r.status == "added":
        return [Reason(MINOR, f"resource {name} added ({r.rows_new:,} rows)", name)]
    if r.status == "removed":
        return [Reason(MAJOR, f"resource {name} removed", name)]
    out = []
    if r.status == "renamed":
        out.append(Reason(MAJOR, f"resource {r.old_name} renamed to {name}", name))
    out += [
        Reason(PATCH, f"{name}: {m.key} changed", name) for m in r.meta if m.key not in _NO_BUMP
    ]
    out += [
        Reason(
            SCHEMA_BUMPS[s.kind],
            f"{name}: {s.kind}{' ' + s.field if s.field else ''} ({s.detail})",
            name,
        )
        for s in r.schema
    ]
    c = r.counts
    # Rows matched otherwise than by the declared primary key: say how, since it decides what counts
    # as removed (a multiset turns each corrected row into one removed and one added).
    how = "" if r.key_source == "primary-key" and r.keyed else f" ({r.compared_by})"
    if c["removed"]:
        out.append(Reason(MAJOR, f"{name}: {plural(c['removed'], 'row')} removed{how}", name))
    if c["added"]:
        out.append(Reason(MINOR, f"{name}: {plural(c['added'], 'row')} added{how}", name))
    if c["changed"]:
        out.append(
            Reason(PATCH, f"{name}: values of {plural(c['changed'], 'row')} corrected{how}", name)
        )
    matched = [p for p in r.problems if p.code not in _UNREAD]
    if matched:
        out.append(
            Reason(
                MAJOR,
                f"{name}: rows could not be matched by key ({matched[0].code}); assuming the worst",
                name,
            )
        )
    return out


def version_between(
    old: str | Path,
    new: str | Path,
    *,
    keys: dict[str, list[str]] | None = None,
    descriptor_bytes: int = DESCRIPTOR_BYTES,
) -> VersionAdvice:
    """The bump from OLD to NEW (folder, descriptor, .zip or git:REV); `keys` as diff_packages takes them."""
    with (
        load_package(old, descriptor_bytes=descriptor_bytes) as a,
        load_package(new, descriptor_bytes=descriptor_bytes) as b,
    ):
        return recommend_bump(diff_packages(a, b, keys=keys))


def check_version(
    base: str | Path | None,
    package: str | Path = ".",
    *,
    strict: bool = False,
    keys: dict[str, list[str]] | None = None,
    profiles: tuple[str, ...] = (),
    descriptor_bytes: int = DESCRIPTOR_BYTES,
) -> VersionAdvice:
    """Does `package`'s declared version follow from its diff against BASE? Errors say which to use.

    BASE is a folder, descriptor, .zip or git revision (see `base_spec`); None: the latest release.
    The package is validated first: while it is invalid, no bump is advised.
    """
    with checked_against(
        base,
        package,
        strict=strict,
        keys=keys,
        profiles=profiles,
        descriptor_bytes=descriptor_bytes,
    ) as (
        _,
        _,
        _,
        advice,
    ):
        return advice


@contextmanager
def checked_against(
    base: str | Path | None,
    package: str | Path,
    *,
    strict: bool = False,
    profiles: tuple[str, ...] = (),
    keys: dict[str, list[str]] | None = None,
    progress=None,
    descriptor_bytes: int = DESCRIPTOR_BYTES,
):
    """The four steps `version --check` and `ci` take: open BASE and PACKAGE, validate PACKAGE, diff
    them, check the version (errors BASE has too are known: Report.mark_known). Yields (the open
    package, its report, the diff, the advice)."""
    from misti_data.validate import validate_loaded

    with (
        load_package(
            base_spec(base, package, descriptor_bytes),
            cwd=package,
            descriptor_bytes=descriptor_bytes,
        ) as old,
        load_package(package, cwd=package, descriptor_bytes=descriptor_bytes) as new,
    ):
        if progress is not None:
            old.progress = new.progress = progress
        report = validate_loaded(
            new, strict=strict, profiles=profiles
        )  # its tables stay cached for the diff
        report.mark_known(validate_loaded(old, profiles=profiles))
        diff = diff_packages(old, new, keys=keys)
        yield new, report, diff, check_diff(diff, new, report)


def base_spec(
    base: str | Path | None, package: str | Path, descriptor_bytes: int = DESCRIPTOR_BYTES
) -> str:
    """What BASE names, as `load_package` reads it: an existing path (beside the current folder or
    inside the package's), else a git revision (`origin/main` means `git:origin/main`); None means
    the latest release archive in the package's releases/ folder."""
    folder = Path(package) if Path(package).is_dir() else Path(package).parent
    if base is None:
        with load_package(package, descriptor_bytes=descriptor_bytes) as pkg:
            release = latest_release(pkg)
            if release is None:
                raise CannotRun(
                    f"{folder / 'releases'}: no release to compare with; "
                    "name the base, e.g. --base main or --base releases/NAME-VERSION.zip"
                )
            return str(folder / release.relative_to(pkg.base))
    base = str(base)
    if base.startswith(GIT_PREFIX) or Path(base).exists():
        return base
    return str(folder / base) if (folder / base).exists() else GIT_PREFIX + base


def check_diff(result: PackageDiff, new: Package, report: Report | None = None) -> VersionAdvice:
    """The --check verdict on a diff already computed (the CI gate reuses its diff and report).

    A declared version that is missing or not semantic is said first: checking needs one, whatever
    profile the package was validated by.
    """
    advice = recommend_bump(result)
    advice.checked = True
    unusable = semver.unusable(advice.declared_version)
    if unusable:
        return withhold(advice, unusable)
    if report is not None and not report.valid:
        return withhold(advice, _fix_first(report))
    if advice.withheld:
        return advice
    advice.findings = check_revisions(result, new)
    base_v, declared = advice.base_version, advice.declared_version
    if not advice.reasons:
        return advice
    if semver.parse(base_v) is None:
        return advice  # a base without a version: any valid version will do
    required = advice.required_version
    if semver.parse(declared) < semver.parse(required):
        top = [r.change for r in advice.reasons if r.bump == advice.bump]
        why = and_more(top[:3], len(top), sep="; ")
        advice.errors.append(
            f"datapackage.json says {declared}; {why} ({advice.bump.upper()}): use {required}"
        )
    return advice


def _fix_first(report: Report) -> str:
    """'fix 2 validation errors first (type-error, foreign-key)': what keeps the package invalid."""
    failing = sorted(report.failing())
    errors = sum(f.severity == ERROR for f in failing)
    parts = [plural(errors, "validation error")] if errors else []
    if len(failing) > errors:
        parts.append(plural(len(failing) - errors, "validation warning") + " (--strict)")
    codes = ", ".join(dict.fromkeys(f.code for f in failing))
    return f"fix {' and '.join(parts)} first ({codes})"
