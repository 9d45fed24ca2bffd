"""GitHub Actions workflow commands: each finding becomes an annotation on its file and line.

    ::error file=data/observations.csv,line=5,title=stock-flow-identity::large_factories_operating 2024: …

`line` and `col` are where the finding's cell starts in the file (misti_data.positions, which
counts the lines of quoted cells that span several); without them, the finding's row number
(header = row 1) stands in for the line. Paths are
given relative to the working directory: the package argument's folder is prepended, so
annotations point at the right file when the package is a sub-folder of the repository. Findings
inside a .zip archive are annotated without a file.

Escaping follows GitHub's toolkit (@actions/core): in the message `%`, CR and LF are
percent-encoded; in property values `,` and `:` are too.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from misti_data.findings import Finding, Report
from misti_data.render.common import DESCRIPTOR_FILE, file_of, once, verdict
from misti_data.render.text import totals, version_summary, version_verdict
from misti_data.words import plural

if TYPE_CHECKING:
    from misti_data.diff import PackageDiff
    from misti_data.gate import GateResult
    from misti_data.version import VersionAdvice


def validate(report: Report, limit: int | None = None) -> str:
    """An annotation per finding shown (at most `limit` per check), then the summary line."""
    base = package_folder(report.package)
    lines = once(annotation(f, base, report.positions.get(f)) for f in report.shown(limit))
    return "\n".join([*lines, ": ".join(verdict(report))]) + "\n"


def diff(result: PackageDiff, limit: int | None = None) -> str:
    """Each problem that kept rows from being compared, then the totals (`limit` caps rows, which
    annotations do not list)."""
    base = package_folder(result.new)
    lines = once(annotation(f, base) for f in result.problems)
    lines.append(click.unstyle(totals(result)))
    return "\n".join(lines) + "\n"


def version(advice: VersionAdvice) -> str:
    """Each unexplained revision on its row, each version error on datapackage.json, then the verdict."""
    base = package_folder(advice.package)
    lines = once(annotation(f, base) for f in advice.findings) + version_errors(advice, base)
    lines.append(version_verdict(advice))
    return "\n".join(lines) + "\n"


def version_errors(advice: VersionAdvice, base: str | None) -> list[str]:
    """An ::error on datapackage.json for each version error."""
    descriptor = posixpath.join(base, DESCRIPTOR_FILE) if base else DESCRIPTOR_FILE
    return [
        f"::error file={escape_property(descriptor)},title=version::{escape_data(e)}"
        for e in advice.errors
    ]


def ci(result: GateResult, limit: int | None = None) -> str:
    """Each finding once, on its CSV line and column; version errors on the descriptor; then one summary line."""
    base = package_folder(result.report.package)
    known = set(result.report.known) if not result.report.strict else set()
    # A known error (the base has it too) does not fail the gate: shown as a warning that says so.
    lines = once(
        annotation(_as_known(f) if f in known else f, base, result.positions.get(f))
        for f in result.report.shown(limit) + result.unreported_revisions()
    )
    lines += version_errors(result.advice, base)
    lines.append(gate_summary(result))
    return "\n".join(lines) + "\n"


def gate_summary(result: GateResult) -> str:
    """`gate failed: 1 validation error, 0 warnings; no version advice: fix 1 validation error first (…)`."""
    counts = result.report.counts()
    validation = (
        f"{plural(counts['error'], 'validation error')}, {plural(counts['warning'], 'warning')}"
    )
    if result.report.known:
        validation += f" ({len(result.report.known):,} of the errors known: the base has them too)"
    advice = result.advice
    revisions = (
        f", {plural(len(advice.findings), 'unexplained revision')}" if advice.findings else ""
    )
    return f"gate {'passed' if result.ok else 'failed'}: {validation}{revisions}; {version_summary(advice)}"


def _as_known(f: Finding) -> Finding:
    return replace(f, severity="warning", message=f"{f.message} (known: the base has it too)")


def annotation(f: Finding, base: str | None, position: tuple[int, int | None] | None = None) -> str:
    """The finding's workflow command; `position` is its (line, column) in the file when known."""
    props = {}
    if base is not None:
        props["file"] = posixpath.normpath(posixpath.join(base, in_package(file_of(f))))
        line, col = position or (f.row, None)
        if line is not None:
            props["line"] = str(line)
        if col is not None:
            props["col"] = str(col)
    props["title"] = f.code
    where = f" [{f.field}]" if f.field else ""
    message = f"{f.message}{where}" if base is not None else f"{file_of(f)}: {f.message}{where}"
    prop_text = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::{f.severity} {prop_text}::{escape_data(message)}"


def in_package(path: str) -> str:
    """The file to annotate: a URL or a path out of the package is annotated on the descriptor."""
    parts = path.replace("\\", "/").split("/")
    return (
        DESCRIPTOR_FILE if "://" in path or path.startswith(("/", "~")) or ".." in parts else path
    )


def package_folder(label: str) -> str | None:
    """The package's folder as the user named it ('' for the current one); None for an archive."""
    label = label.replace("\\", "/")
    if label.endswith(".zip"):
        return None
    folder = posixpath.dirname(label) if label.endswith(".json") else label
    folder = posixpath.normpath(folder) if folder else "."
    return "" if folder == "." else folder


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


# A CannotRun message names its file first, compiler-style: `path:line:col: what` or `path: what`.
_PLACED = re.compile(
    r"^(?P<file>[^\s:][^:]*?)(?::(?P<line>\d+))?(?::(?P<col>\d+))?: (?P<message>.+)$", re.S
)


def cannot_run(message: str) -> str:
    """An ::error for a failure that stopped the run, on the file (line, column) it names when it is one."""
    props = {}
    m = _PLACED.match(message)
    if m and Path(m["file"]).is_file():
        name = os.path.relpath(m["file"])
        props["file"] = (m["file"] if name.startswith("..") else name).replace("\\", "/")
        props.update({k: m[k] for k in ("line", "col") if m[k]})
        message = m["message"]
    props["title"] = "misti-data cannot run"
    prop_text = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::error {prop_text}::{escape_data(message)}"
