"""Compare two Data Packages level by level: metadata, resources, schemas, then rows.

Both sides are read by the one table reader (misti_data.tables), so rows are compared typed as
validate types them (`10` equals `10.0`, `1,000` under groupChar equals `1000`), from the whole
dialect (TSV, `header: false`). Rows are matched by the schema's primary key with a polars
join; a resource without a usable key is compared as a multiset of rows.
"""

from __future__ import annotations

from pathlib import Path

from misti_data.diff.model import MetaChange, PackageDiff, ResourceDiff, SchemaChange, meta_changes
from misti_data.diff.rows import compare_rows
from misti_data.diff.schema import diff_schemas
from misti_data.findings import ERROR
from misti_data.package import Package
from misti_data.registry import finding, register
from misti_data.sources import open_package
from misti_data.stamp import file_stats
from misti_data.tables import TypedTable, read_resource, table

__all__ = ["MetaChange", "PackageDiff", "ResourceDiff", "SchemaChange", "diff_packages", "diff_schemas", "diff_sources"]

register(
    "diff",
    ("diff-unreadable", ERROR, "A resource's file cannot be read for the diff; its rows were not compared."),
    ("diff-ragged-row", ERROR, "A row has more cells than the header; the resource's rows were not compared."),
    ("diff-missing-key-column", ERROR, "A primary key column is missing from one side; rows were compared as a multiset."),
    ("diff-duplicate-key", ERROR, "Two rows share a primary key; rows were compared as a multiset."),
)
# Resource properties that follow from the data itself, so they are not reported as metadata.
_DERIVED = {"name", "schema", "hash", "bytes"}


def diff_sources(old: str | Path, new: str | Path, *, atol: float = 0.0, rtol: float = 0.0, cwd: str | Path = ".", progress=None) -> PackageDiff:
    """Diff two packages named as the CLI names them (folder, descriptor, .zip or git:REV)."""
    with open_package(old, cwd=cwd) as a, open_package(new, cwd=cwd) as b:
        if progress is not None:
            a.progress = b.progress = progress
        return diff_packages(a, b, atol=atol, rtol=rtol)


def diff_packages(old: Package, new: Package, *, atol: float = 0.0, rtol: float = 0.0,
                  only: set[str] | None = None) -> PackageDiff:
    """The whole diff; `only` limits it to the resources of those (new) names (the revisions check)."""
    result = PackageDiff(old.label, new.label, old.descriptor.get("version"), new.descriptor.get("version"), atol=atol, rtol=rtol)
    result.metadata = meta_changes(old.descriptor, new.descriptor, skip={"resources"})
    pairs = [p for p in _match_resources(old, new) if only is None or (p[1] or p[0]).get("name") in only]
    _read_both_sides(old, new, pairs)
    for a, b, status in pairs:
        result.resources.append(_diff_resource(old, new, a, b, status, atol, rtol))
    return result


def _read_both_sides(old: Package, new: Package, pairs) -> None:
    """Read each side's tables in its own thread: polars releases the GIL while it parses, and the
    two sides are independent (a 1M-row diff in-process: 1.08 s read in turn, 0.91 s side by side)."""
    from concurrent.futures import ThreadPoolExecutor

    names = lambda i: [p[i]["name"] for p in pairs if p[i] is not None and isinstance(p[i].get("name"), str)]
    jobs = [(old, names(0)), (new, names(1))]
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda job: [table(job[0], n) for n in job[1]], jobs))


def _match_resources(old: Package, new: Package) -> list[tuple[dict | None, dict | None, str]]:
    """Pair resources by name; an unpaired old and new one are a rename when they share a path or data."""
    old_by = {r.get("name"): r for r in old.resources}
    new_by = {r.get("name"): r for r in new.resources}
    pairs = [(old_by[n], new_by[n], "changed") for n in new_by if n in old_by]
    gone = [r for n, r in old_by.items() if n not in new_by]
    fresh = [r for n, r in new_by.items() if n not in old_by]
    for b in list(fresh):
        match = next((a for a in gone if _same_place_or_data(old, a, new, b)), None)
        if match is not None:
            gone.remove(match)
            fresh.remove(b)
            pairs.append((match, b, "renamed"))
    pairs += [(a, None, "removed") for a in gone] + [(None, b, "added") for b in fresh]
    order = {r.get("name"): i for i, r in enumerate(new.resources)}
    return sorted(pairs, key=lambda p: (p[1] is None, order.get((p[1] or {}).get("name"), 0), (p[0] or {}).get("name") or ""))


def _same_place_or_data(old: Package, a: dict, new: Package, b: dict) -> bool:
    if a.get("path") and a.get("path") == b.get("path"):
        return True
    fa, fb = old.resource_file(a), new.resource_file(b)
    return bool(fa and fb and fa.is_file() and fb.is_file() and file_stats(fa) == file_stats(fb))


def _diff_resource(old: Package, new: Package, a: dict | None, b: dict | None, status: str, atol: float, rtol: float) -> ResourceDiff:
    name = (b or a).get("name") or "?"
    rd = ResourceDiff(name=name, status=status, old_name=a.get("name") if status == "renamed" else None)
    if a is None or b is None:
        pkg, res = (new, b) if a is None else (old, a)
        frame, rd.problems = _rows(pkg, res)
        count = 0 if frame is None else frame.height
        rd.rows_old, rd.rows_new = (0, count) if a is None else (count, 0)
        return rd
    rd.meta = meta_changes(a, b, skip=_DERIVED)
    rd.schema, pairs = diff_schemas(old.schema(a), new.schema(b))
    old_frame, problems_a = _rows(old, a)
    new_frame, problems_b = _rows(new, b)
    rd.problems = problems_a + problems_b
    if old_frame is not None and new_frame is not None:
        rd.rows_old, rd.rows_new = old_frame.height, new_frame.height
        compare_rows(rd, old_frame, new_frame, old.schema(a), new.schema(b), pairs, atol, rtol)
    if status == "changed" and not rd.content_differs:
        rd.status = "unchanged"
    return rd


def _rows(package: Package, resource: dict):
    """(the typed rows to compare, without the row number, or None; problems) of one side."""
    from misti_data.tables import ROW

    # A resource without a name (Data Package v1 allowed it) is read as it is, without the cache.
    name = resource.get("name")
    read: TypedTable = table(package, name) if isinstance(name, str) else read_resource(package, resource)
    where = {"resource": resource.get("name"), "path": resource.get("path") if isinstance(resource.get("path"), str) else None}
    if read is None or read.frame is None:
        why = next((f.message for f in (read.findings if read else []) if f.row is None), None)
        return None, [finding("diff-unreadable", f"{package.label}: resource {resource.get('name')!r} "
                              + (f"cannot be read: {why}" if why else "has no readable local file"), **where)]
    ragged = next((f for f in read.findings if f.code == "extra-cell"), None)
    if ragged is not None:
        width = len(read.fields)
        cells = width + sum(f.code == "extra-cell" and f.row == ragged.row for f in read.findings)
        return None, [finding("diff-ragged-row", f"{package.label}: row {ragged.row} has {cells} cells, the header {width}", row=ragged.row, **where)]
    return read.comparable().drop(ROW), []
