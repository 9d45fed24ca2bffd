"""Semantic versions: parse, compare, bump, and the release archive names that carry them.

One module that `version`, `revisions` and `release` all use, so a version is cut from an
archive's name one way only (`x-1.0.0-rc.1.zip` is version 1.0.0-rc.1 of package x).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from misti_data.errors import CannotRun

# semver.org's own pattern (MAJOR.MINOR.PATCH, optional pre-release and build).
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
MAJOR, MINOR, PATCH = "major", "minor", "patch"


@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    pre: tuple = ()  # pre-release identifiers; numbers as ints

    def sort_key(self) -> tuple:
        """semver.org §11 precedence: a pre-release sorts before its release; numbers before words."""
        pre = tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in self.pre)
        return (self.major, self.minor, self.patch, 0 if self.pre else 1, pre)

    def __lt__(self, other: Version) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: Version) -> bool:
        return self.sort_key() <= other.sort_key()

    def __str__(self) -> str:
        core = f"{self.major}.{self.minor}.{self.patch}"
        return core + ("-" + ".".join(str(p) for p in self.pre) if self.pre else "")


def parse(text) -> Version | None:
    """The version `text` names, or None when it is not a semantic version."""
    m = SEMVER.match(text) if isinstance(text, str) else None
    if not m:
        return None
    pre = tuple(int(p) if p.isdigit() else p for p in m[4].split(".")) if m[4] else ()
    return Version(int(m[1]), int(m[2]), int(m[3]), pre)


def unusable(text) -> str | None:
    """Why datapackage.json's `version` cannot be checked or released, and what to do (None: it can)."""
    if parse(text) is not None:
        return None
    what = (
        "datapackage.json has no version"
        if text is None
        else f"datapackage.json's version {text!r} is not MAJOR.MINOR.PATCH"
    )
    return f"{what}; set a semantic version such as 1.0.0"


def require(text) -> Version:
    """parse(), or CannotRun naming the bad version."""
    version = parse(text)
    if version is None:
        raise CannotRun(f"version {text!r} is not MAJOR.MINOR.PATCH")
    return version


def bump(text: str | None, kind: str) -> str:
    """`1.2.3` bumped by MINOR is `1.3.0`; a missing or unreadable version counts as 0.0.0."""
    v = parse(text) or Version(0, 0, 0)
    if kind == MAJOR:
        return f"{v.major + 1}.0.0"
    if kind == MINOR:
        return f"{v.major}.{v.minor + 1}.0"
    return f"{v.major}.{v.minor}.{v.patch + 1}"


def archive_name(name: str, version: str) -> str:
    return f"{name}-{version}.zip"


def archive_version(name: str, filename: str) -> Version | None:
    """The version of `<name>-<version>.zip`, or None when the file is not a release of `name`."""
    prefix = f"{name}-"
    if not (filename.startswith(prefix) and filename.endswith(".zip")):
        return None
    return parse(filename[len(prefix) : -len(".zip")])
