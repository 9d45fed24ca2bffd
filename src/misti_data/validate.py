"""Validate a package: every registered check family in turn, over one read of each table."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from misti_data.findings import Report
from misti_data.package import DESCRIPTOR_BYTES, Package, load_package


def validate_package(
    source: str | Path,
    *,
    allow_remote: bool = False,
    allow_outside: bool = False,
    strict: bool = False,
    profiles: tuple[str, ...] = (),
    progress=None,
    locate: bool = False,
    descriptor_bytes: int = DESCRIPTOR_BYTES,
) -> Report:
    """Validate the package at `source` (folder, datapackage.json, .zip or git:REV). Raises CannotRun.

    `locate` also finds each finding's line and column in its file: a second scan of the files
    with findings, which only annotations need."""
    with load_package(
        source,
        allow_remote=allow_remote,
        allow_outside=allow_outside,
        whole=True,
        descriptor_bytes=descriptor_bytes,
    ) as package:
        if progress is not None:
            package.progress = progress
        report = validate_loaded(package, strict=strict, profiles=profiles)
        if locate:
            from misti_data.positions import cell_positions

            report.positions = cell_positions(package, report.findings)
        return report


def validate_loaded(
    package: Package,
    *,
    strict: bool = False,
    profiles: tuple[str, ...] = (),
) -> Report:
    """Validate a package already loaded; its tables stay cached on it for the next command step.

    Judged by the standard, plus the profiles the package opts into and `profiles` asked for.
    """
    from misti_data.checks import Context, run_checks
    from misti_data.checks.safety import unsafe_paths
    from misti_data.profiles import PROFILES
    from misti_data.registry import with_profiles
    from misti_data.settings import settings_of

    settings = settings_of(package)
    context = Context(package, settings, unsafe_paths(package)[1])
    chosen = tuple(
        dict.fromkeys(
            p for p in (*settings.profiles, *profiles) if isinstance(p, str) and p in PROFILES
        )
    )
    report = Report(package=package.label, strict=strict, profiles=list(chosen))
    report.findings = with_profiles(run_checks(context), chosen)
    report.tables = {t.name: t.row_count for t in context.tables()}
    report.withheld = withheld(context.tables(), chosen)
    return report


def withheld(tables, profiles: tuple[str, ...]) -> dict[tuple, int]:
    """The findings the tables counted but did not keep, at their severity under `profiles`."""
    from misti_data.registry import severity

    out: dict[tuple, int] = {}
    for t in tables:
        for code, n in t.withheld.items():
            level = severity(code, profiles)
            if level is not None and n:
                key = (t.name, t.path, code, level)
                out[key] = out.get(key, 0) + n
    return out


@contextmanager
def checked_package(
    source: str | Path,
    *,
    validate: bool = True,
    progress=None,
    descriptor_bytes: int = DESCRIPTOR_BYTES,
) -> Iterator[tuple[Package, Report | None]]:
    """The package at `source`, loaded once, and its validation report (None when not validated);
    what export and site read next comes from the tables validation already read."""
    with load_package(source, whole=True, descriptor_bytes=descriptor_bytes) as package:
        if progress is not None:
            package.progress = progress
        yield package, validate_loaded(package) if validate else None
