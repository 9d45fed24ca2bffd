"""The version advice as JUnit XML: a suite per resource with unexplained revisions, then `version`."""

from __future__ import annotations

from misti_data.findings import Report
from misti_data.render.ci.junit import version_suite
from misti_data.render.validate import junit
from misti_data.version import VersionAdvice


def render(advice: VersionAdvice) -> str:
    root = junit.tree(Report(advice.package, findings=list(advice.findings)), "misti-data version")
    version_suite(root, advice)
    return junit.serialize(root)
