"""Revisions: a published value changed since the latest release needs a row in the revisions table."""

from __future__ import annotations

from misti_data.findings import Finding
from misti_data.registry import check


@check("revisions")
def check_revisions_since_release(context) -> list[Finding]:
    from misti_data.revised_values import check_against_release

    return check_against_release(context.package)
