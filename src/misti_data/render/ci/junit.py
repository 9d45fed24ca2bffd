"""The gate as JUnit XML: validate's suites (with the revision findings), then a `version` suite."""

from __future__ import annotations

import dataclasses

from misti_data.gate import GateResult
from misti_data.render.validate import junit
from misti_data.render.version.junit import suite as version_suite


def render(result: GateResult) -> str:
    # `validate` checks revisions against the latest release, the gate against BASE: often the same.
    extra = [f for f in result.advice.findings if f not in set(result.report.findings)]
    report = dataclasses.replace(result.report, findings=result.report.findings + extra)
    root = junit.tree(report, "misti-data ci")
    version_suite(root, result.advice)
    return junit.serialize(root)
