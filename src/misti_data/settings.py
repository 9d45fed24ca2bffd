"""The package's own `misti_data` settings in datapackage.json, read in one place.

Each part switches on a family of checks for the package that declares it: `indicators` (domain
rules), `provenance` (quotes and sources), `revisions` (a reason for every changed published value),
`vintages` (observations carry the latest figure published for a period).
A part that is missing or not an object is off. `profile` names the profiles (misti_data.profiles)
the package opts into: one name or a list of names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from misti_data.findings import Finding
from misti_data.package import Package
from misti_data.registry import finding


@dataclass(frozen=True)
class Settings:
    indicators: dict | None = None
    provenance: dict | None = None
    revisions: dict | None = None
    vintages: dict | None = None
    profiles: tuple = ()  # as declared: the descriptor check reports anything that is not a known name


def settings_of(package: Package) -> Settings:
    cfg = package.descriptor.get("misti_data")
    cfg = cfg if isinstance(cfg, dict) else {}
    part = lambda key: cfg[key] if isinstance(cfg.get(key), dict) else None
    profiles = cfg.get("profile", [])
    profiles = tuple(profiles) if isinstance(profiles, list) else (profiles,)
    return Settings(
        indicators=part("indicators"),
        provenance=part("provenance"),
        revisions=part("revisions"),
        vintages=part("vintages"),
        profiles=profiles,
    )


def config_problems(
    code: str, package: Package, part: str, needs: str, wanted: Iterable[tuple]
) -> list[Finding]:
    """Findings `code` for each resource or column a settings `part` names that the package lacks:
    the checks it switches on cannot run as declared. `wanted` holds (role or None, resource name,
    columns); `needs` words the columns' finding (`the domain rules need`)."""
    found = []
    for role, name, columns in wanted:
        res = package.resource(name) if isinstance(name, str) else None
        if res is None:
            found.append(
                finding(
                    code,
                    f"{part} names resource {name!r}{f' as {role}' if role else ''}, "
                    "but the package has no such resource",
                    field=f"{part}.{role}" if role else part,
                )
            )
            continue
        missing = package.missing_fields(res, columns)
        if missing:
            found.append(
                finding(
                    code,
                    f"{needs} column(s) {', '.join(map(str, missing))} in {name!r}",
                    resource=name,
                    path=res.get("path"),
                )
            )
    return found
