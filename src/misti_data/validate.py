"""Validate a package: every check family in turn, into one Report."""

from __future__ import annotations

from pathlib import Path

from misti_data.checks.descriptor import check_descriptor
from misti_data.checks.domain import check_domain
from misti_data.checks.provenance import check_provenance
from misti_data.checks.safety import check_paths
from misti_data.checks.tables import check_tables
from misti_data.findings import Report
from misti_data.package import load_package
from misti_data.revisions import check_against_release


def validate_package(
    source: str | Path,
    *,
    allow_remote: bool = False,
    allow_outside: bool = False,
    strict: bool = False,
    limit: int | None = None,
) -> Report:
    """Validate the package at `source` (folder, datapackage.json or .zip). Raises CannotRun."""
    with load_package(source, allow_remote=allow_remote, allow_outside=allow_outside) as package:
        report = Report(package=package.label, strict=strict, limit=limit)
        report.findings += check_descriptor(package)
        unsafe_findings, unsafe = check_paths(package)
        report.findings += unsafe_findings
        table_findings, report.tables = check_tables(package, skip=unsafe)
        report.findings += table_findings
        report.findings += check_provenance(package, skip=unsafe)
        report.findings += check_against_release(package)
        report.findings += check_domain(package, skip=unsafe)
        return report
