"""GitHub Actions workflow commands: each finding becomes an annotation on the file and line.

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
from pathlib import Path

import click

from misti_data.findings import Finding, Report
from misti_data.render.common import DESCRIPTOR_FILE, file_of, once
from misti_data.render.validate.text import summary


def render(report: Report) -> str:
    return "\n".join([*annotations(report), click.unstyle(summary(report))]) + "\n"


def annotations(report: Report) -> list[str]:
    """One workflow command per finding shown (a repeated one once), paths relative to where the command ran."""
    base = package_folder(report.package)
    return once(annotation(f, base, report.positions.get(f)) for f in report.shown())


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
