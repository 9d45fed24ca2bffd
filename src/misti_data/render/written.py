"""What export, site and release say when they refuse an invalid package (their text renderers)."""

from __future__ import annotations

from misti_data.words import plural


def refusal(package: str, what: str, report) -> str:
    """One line: the package is invalid, so nothing was written."""
    return (
        f"{package}: {what}: the package is invalid ({plural(report.counts()['error'], 'error')}); "
        f"run `misti-data validate {package}`\n"
    )
