"""The diff as JUnit XML: one suite per resource compared, failing where rows could not be compared."""

from __future__ import annotations

from misti_data.diff import PackageDiff
from misti_data.findings import Report
from misti_data.render.validate import junit


def render(diff: PackageDiff) -> str:
    report = Report(
        diff.new, findings=list(diff.problems), tables={r.name: 0 for r in diff.resources}
    )
    return junit.serialize(junit.tree(report, "misti-data diff"))
