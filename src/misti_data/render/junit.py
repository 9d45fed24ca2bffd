"""JUnit XML, the report format CI systems (GitLab, Jenkins, Azure) show as test results.

One <testsuite> per resource (package-level findings: "datapackage.json"), one <testcase> per
check code found there, with the file in its `file` attribute. Errors are <failure>s (warnings
too under --strict; otherwise a warning's case passes and lists it in <system-out>). A table
without findings gets one passing case, "all checks", so every table checked shows up.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from misti_data.findings import ERROR, Report
from misti_data.render.common import DESCRIPTOR_FILE, by_code, file_of, once, where
from misti_data.words import plural

if TYPE_CHECKING:
    from misti_data.diff import PackageDiff
    from misti_data.gate import GateResult
    from misti_data.version import VersionAdvice

# Characters XML 1.0 cannot hold at all (control bytes from a binary file, say).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def validate(report: Report, limit: int | None = None) -> str:
    return serialize(tree(report, "misti-data validate", limit))


def diff(result: PackageDiff, limit: int | None = None) -> str:
    """One suite per resource compared, failing where rows could not be compared (`limit` caps
    rows, which JUnit does not list)."""
    report = Report(
        result.new, findings=list(result.problems), tables={r.name: 0 for r in result.resources}
    )
    return serialize(tree(report, "misti-data diff"))


def version(advice: VersionAdvice) -> str:
    """A suite per resource with unexplained revisions, then `version`."""
    root = tree(Report(advice.package, findings=list(advice.findings)), "misti-data version")
    version_suite(root, advice)
    return serialize(root)


def ci(result: GateResult, limit: int | None = None) -> str:
    """validate's suites (with the revision findings validation did not report), then a `version` suite."""
    report = dataclasses.replace(
        result.report, findings=result.report.findings + result.unreported_revisions()
    )
    root = tree(report, "misti-data ci", limit)
    version_suite(root, result.advice)
    return serialize(root)


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


def tree(report: Report, title: str, limit: int | None = None) -> ET.Element:
    """<testsuites name=`title`>: one suite per table, one case per check code found there."""
    whole = report.total(lambda resource, path, code: (resource or DESCRIPTOR_FILE, code))
    suites: dict[str, list] = {table: [] for table in report.tables}
    for f in report.shown(limit):
        suites.setdefault(f.resource or DESCRIPTOR_FILE, []).append(f)
    root = ET.Element("testsuites", name=title)
    for name, findings in suites.items():
        suite = ET.SubElement(root, "testsuite", name=_xml(name))
        cases = by_code(findings)
        for code, items in cases.items():
            case = ET.SubElement(
                suite, "testcase", name=code, classname=_xml(name), file=_xml(file_of(items[0]))
            )
            n, severity = whole[name, code], items[0].severity
            text = _xml(
                "\n".join(once(f"{where(f) + ': ' if where(f) else ''}{f.message}" for f in items))
            )
            if severity == ERROR or report.strict:
                shown = f", {len(items)} shown" if n > len(items) else ""
                ET.SubElement(
                    case, "failure", type=code, message=f"{plural(n, severity)}{shown}"
                ).text = text
            else:
                ET.SubElement(case, "system-out").text = text
        if not cases:
            ET.SubElement(suite, "testcase", name="all checks", classname=_xml(name))
    return root


def serialize(root: ET.Element) -> str:
    """The XML text, with the counts CI systems read set on every suite and on the root."""
    for suite in root.findall("testsuite"):
        _count(suite)
    _count(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _count(el: ET.Element) -> None:
    """Set the tests/failures/errors attributes CI systems read, from the cases below `el`."""
    el.set("tests", str(len(el.findall(".//testcase"))))
    el.set("failures", str(len(el.findall(".//failure"))))
    el.set("errors", "0")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
