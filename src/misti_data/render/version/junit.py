"""The version advice as JUnit XML: a suite per resource with unexplained revisions, then `version`."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from misti_data.findings import Report
from misti_data.render.common import DESCRIPTOR_FILE
from misti_data.render.validate import junit
from misti_data.version import VersionAdvice
from misti_data.words import plural


def render(advice: VersionAdvice) -> str:
    root = junit.tree(Report(advice.package, findings=list(advice.findings)), "misti-data version")
    suite(root, advice)
    return junit.serialize(root)


def suite(root: ET.Element, advice: VersionAdvice) -> None:
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
