"""Add a draft's new rows (and its source) to the package, only if the package stays valid.

The new tables are written to temp files beside the real ones, the package is validated with its
descriptor pointing at them, and they replace the real files only when it is valid: a refused
draft leaves every file as it was.
"""

from __future__ import annotations

import csv
import io
import json
from contextlib import ExitStack
from pathlib import Path

from misti_data.atomic import atomic_path, write_text
from misti_data.errors import CannotRun
from misti_data.package import Package
from misti_data.stamp import dump_descriptor, file_stats
from misti_data.validate import validate_loaded


class _Invalid(Exception):
    """Raised inside the temp files' context so that they are removed, not renamed."""


def write_draft(pkg: Package, result) -> None:
    """Append the draft's `new` rows to observations and its new source to sources; never a
    revision (that needs a reason a person gives). Sets result.written, or result.refused."""
    additions = {}
    if result.source_is_new:
        additions["sources"] = [result.source]
    new = [r for r in result.rows if r["status"] == "new"]
    if new:
        additions["observations"] = new
    if not additions:
        return
    before = dump_descriptor(pkg.descriptor)
    targets = {name: pkg.resource_file(pkg.resource(name)) for name in additions}
    for name, file in targets.items():
        if file is None:
            raise CannotRun(f"{pkg.label}: the {name} resource has no local file to add rows to")
    try:
        with ExitStack() as stack:
            temps = {}
            for name, rows in additions.items():
                tmp = stack.enter_context(atomic_path(targets[name]))
                tmp.write_text(_appended(targets[name], rows), encoding="utf-8", newline="")
                temps[name] = _point(pkg, name, tmp)
            pkg.tables.clear()
            report = validate_loaded(pkg)
            for name in additions:
                pkg.resource(name)["path"] = _rel(pkg, targets[name])
            if not report.valid:
                result.refused = [_described(f, temps) for f in report.failing()]
                raise _Invalid
    except _Invalid:
        pkg.descriptor = json.loads(before)
        return
    result.written = [targets[n].relative_to(pkg.base).as_posix() for n in additions]
    if dump_descriptor(pkg.descriptor) != before:
        write_text(pkg.descriptor_path, dump_descriptor(pkg.descriptor))
        result.written.append(pkg.descriptor_path.name)


def _appended(path: Path, rows: list[dict]) -> str:
    """The CSV's text with `rows` added under its own header, written as the file writes them."""
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    header = next(csv.reader(io.StringIO(text)))
    end = "\r\n" if text.partition("\n")[0].endswith("\r") else "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator=end, extrasaction="ignore")
    writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    return text + ("" if text.endswith("\n") else end) + out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _point(pkg: Package, name: str, file: Path) -> tuple[str, str]:
    """Point the resource at `file`, with its hash and bytes where the descriptor records them;
    (the temp path, the resource's own path) for messages."""
    res = pkg.resource(name)
    real, res["path"] = res.get("path"), _rel(pkg, file)
    if "hash" in res or "bytes" in res:
        res["hash"], res["bytes"] = file_stats(file)
    return res["path"], real


def _rel(pkg: Package, file: Path) -> str:
    return file.relative_to(pkg.base).as_posix()


def _described(finding, temps: dict) -> str:
    """One line for a finding, naming the resource's own file, not the temp file it was read in."""
    line = f"{finding.path or finding.resource}" + (f" row {finding.row}" if finding.row else "")
    line += f": {finding.code}: {finding.message}"
    for tmp, real in temps.values():
        line = line.replace(tmp, real)
    return line
