"""The gate as JUnit XML: validate's suites (with the revision findings), then a `version` suite."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from misti_data.gate import GateResult
from misti_data.render.common import DESCRIPTOR_FILE
from misti_data.render.validate import junit
from misti_data.version import VersionAdvice
from misti_data.words import plural


def render(result: GateResult) -> str:
    # `validate` checks revisions against the latest release, the gate against BASE: often the same.
    extra = [f for f in result.advice.findings if f not in set(result.report.findings)]
    report = dataclasses.replace(result.report, findings=result.report.findings + extra)
    root = junit.tree(report, "misti-data ci")
    version_suite(root, result.advice)
    return junit.serialize(root)


def version_suite(root: ET.Element, advice: VersionAdvice) -> None:
    """One case, `version`: a failure per version error, skipped while the advice is withheld."""
    suite = ET.SubElement(root, "testsuite", name="version")
    case = ET.SubElement(
        suite, "testcase", name="version", classname="version", file=DESCRIPTOR_FILE
    )
    if advice.errors:
        ET.SubElement(
            case, "failure", type="version", message=plural(len(advice.errors), "error")
        ).text = "\n".join(advice.errors)
    elif advice.withheld:
        ET.SubElement(case, "skipped", message=f"no version advice: {advice.withheld}")
