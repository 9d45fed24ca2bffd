"""Table structure, types, constraints, keys and hashes, as frictionless reports them."""

from __future__ import annotations

from misti_data.checks import CATALOGUE, finding
from misti_data.findings import Finding
from misti_data.package import Package


def check_tables(package: Package, skip: set[str] = frozenset()) -> tuple[list[Finding], dict[str, int]]:
    """Findings from frictionless's row-by-row pass, and each table's row count."""
    from frictionless import FrictionlessException, system
    from frictionless import Package as FPackage

    descriptor = dict(package.descriptor)
    descriptor["resources"] = [r for r in package.resources if r.get("name") not in skip]
    try:
        # frictionless refuses unsafe paths unless trusted; ours were judged in checks/safety.py.
        with system.use_context(trusted=package.allow_outside or package.allow_remote):
            report = FPackage(descriptor, basepath=str(package.base)).validate()
    except FrictionlessException as e:
        return [finding("package-error", e.error.note or e.error.message)], {}
    found, rows = [], {}
    for task in report.tasks:
        name = task.name
        path = task.place if not task.place.startswith(str(package.base)) else task.place[len(str(package.base)) + 1:]
        rows[name] = task.stats.get("rows") or 0
        for err in task.errors:
            code = err.type if err.type in CATALOGUE else "source-error"
            found.append(finding(
                code,
                _message(err),
                resource=name,
                path=path,
                row=getattr(err, "row_number", None),
                field=getattr(err, "field_name", None),
                cell=_cell(getattr(err, "cell", None)),
            ))
    return found, rows


def _message(err) -> str:
    if err.type in ("hash-count", "byte-count"):
        what = "sha256" if err.type == "hash-count" else "size in bytes"
        return f"the file's {what} differs from datapackage.json ({err.note}); run `misti-data stamp` after editing data"
    return err.note[:1].upper() + err.note[1:] if err.note else err.message


def _cell(cell) -> str | None:
    if cell is None:
        return None
    text = str(cell)
    return text if len(text) <= 200 else text[:199] + "…"
