"""The package's own `misti_data` settings in datapackage.json, read in one place.

Each part switches on a family of checks for the package that declares it: `indicators` (domain
rules), `provenance` (quotes and sources), `revisions` (a reason for every changed published value),
`vintages` (observations carry the latest figure published for a period).
A part that is missing or not an object is off. `profile` names the profiles (misti_data.profiles)
the package opts into: one name or a list of names.
"""

from __future__ import annotations

from dataclasses import dataclass

from misti_data.package import Package


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
