"""Compare two Data Packages level by level: metadata, resources, schemas, then rows.

Both sides are read by the one table reader (misti_data.tables), so rows are compared typed as
validate types them (`10` equals `10.0`, `1,000` under groupChar equals `1000`), from the whole
dialect (TSV, `header: false`). Rows are matched with a polars join on a key: the one given
(`keys`, the CLI's `--key`), else the schema's primary key, else one inferred from the data; a
resource without a usable key is compared as a multiset of rows. Columns are compared as the
schema names them, or as the header does when it disagrees with the schema (diff/sides.py).
"""

from __future__ import annotations

from pathlib import Path

from misti_data.diff.model import MetaChange, PackageDiff, ResourceDiff, SchemaChange, meta_changes
from misti_data.diff.rows import compare_hashed, compare_rows, value_match
from misti_data.diff.schema import diff_columns, diff_schemas, merge_changes, without_defaults
from misti_data.diff.sides import identity, read_side, read_table
from misti_data.errors import CannotRun
from misti_data.package import DESCRIPTOR_BYTES, Package, load_package
from misti_data.registry import codes_of
from misti_data.stamp import file_stats
from misti_data.tables import names_of

__all__ = [
    "MetaChange",
    "PackageDiff",
    "ResourceDiff",
    "SchemaChange",
    "diff_packages",
    "diff_schemas",
    "diff_sources",
]

# The codes the diff reports about a side it could not compare (their meaning: misti_data.codes).
DIFF_CODES = codes_of("diff")
# Resource properties that follow from the data itself, so they are not reported as metadata.
_DERIVED = {"name", "schema", "hash", "bytes"}


def diff_sources(
    old: str | Path,
    new: str | Path,
    *,
    atol: float = 0.0,
    rtol: float = 0.0,
    cwd: str | Path = ".",
    progress=None,
    keys: dict[str, list[str]] | None = None,
    fail_on_difference: bool = False,
    descriptor_bytes: int = DESCRIPTOR_BYTES,
) -> PackageDiff:
    """Diff two packages named as the CLI names them (folder, descriptor, .zip or git:REV);
    `fail_on_difference`: the result exits 1 when they differ (`diff --exit-code`)."""
    with (
        load_package(old, cwd=cwd, descriptor_bytes=descriptor_bytes) as a,
        load_package(new, cwd=cwd, descriptor_bytes=descriptor_bytes) as b,
    ):
        if progress is not None:
            a.progress = b.progress = progress
        result = diff_packages(a, b, atol=atol, rtol=rtol, keys=keys)
        result.fail_on_difference = fail_on_difference
        return result


def diff_packages(
    old: Package,
    new: Package,
    *,
    atol: float = 0.0,
    rtol: float = 0.0,
    only: set[str] | None = None,
    keys: dict[str, list[str]] | None = None,
) -> PackageDiff:
    """The whole diff; `only` limits it to the resources of those (new) names (the revisions check);
    `keys` maps a resource (name, or path when it has none) to the columns that match its rows."""
    keys = keys or {}
    result = PackageDiff(
        old.label,
        new.label,
        old.descriptor.get("version"),
        new.descriptor.get("version"),
        atol=atol,
        rtol=rtol,
    )
    result.metadata = meta_changes(old.descriptor, new.descriptor, skip={"resources"})
    pairs = _match_resources(old, new)
    known = {ident for a, b, _ in pairs for ident in (a and a[0], b and b[0]) if ident}
    unknown = [r for r in keys if r not in known]
    if unknown:
        raise CannotRun(
            f"--key {unknown[0]}: neither package has a resource {unknown[0]!r} (resources: {', '.join(sorted(known)) or 'none'})"
        )
    pairs = [p for p in pairs if only is None or (p[1] or p[0])[0] in only]
    reads = _read_both_sides(old, new, pairs)
    for a, b, status in pairs:
        given = keys.get((b or a)[0]) or (keys.get(a[0]) if a else None)
        result.resources.append(_diff_resource(old, new, a, b, status, atol, rtol, reads, given))
    return result


def _read_both_sides(old: Package, new: Package, pairs) -> dict[int, object]:
    """Read each side's tables in its own thread: polars releases the GIL while it parses, and the
    two sides are independent (the gain: benchmarks/README.md)."""
    from concurrent.futures import ThreadPoolExecutor

    jobs = [(old, [p[0][1] for p in pairs if p[0]]), (new, [p[1][1] for p in pairs if p[1]])]
    with ThreadPoolExecutor(max_workers=2) as pool:
        read = list(pool.map(lambda job: [(id(r), read_table(job[0], r)) for r in job[1]], jobs))
    return dict(read[0] + read[1])


# A resource as the diff pairs it: (its identity, its descriptor).
Named = tuple[str, dict]


def _match_resources(old: Package, new: Package) -> list[tuple[Named | None, Named | None, str]]:
    """Pair resources by name; an unpaired old and new one are a rename when they share a path or data."""
    old_by = {identity(r, i): r for i, r in enumerate(old.resources)}
    new_by = {identity(r, i): r for i, r in enumerate(new.resources)}
    pairs = [((n, old_by[n]), (n, new_by[n]), "changed") for n in new_by if n in old_by]
    gone = [(n, r) for n, r in old_by.items() if n not in new_by]
    fresh = [(n, r) for n, r in new_by.items() if n not in old_by]
    for b in list(fresh):
        match = next((a for a in gone if _same_place_or_data(old, a[1], new, b[1])), None)
        if match is not None:
            gone.remove(match)
            fresh.remove(b)
            pairs.append((match, b, "renamed"))
    pairs += [(a, None, "removed") for a in gone] + [(None, b, "added") for b in fresh]
    order = {n: i for i, n in enumerate(new_by)}
    return sorted(
        pairs,
        key=lambda p: (p[1] is None, order.get(p[1][0], 0) if p[1] else 0, p[0][0] if p[0] else ""),
    )


def _same_place_or_data(old: Package, a: dict, new: Package, b: dict) -> bool:
    if a.get("path") and a.get("path") == b.get("path"):
        return True
    fa, fb = old.resource_file(a), new.resource_file(b)
    return bool(fa and fb and fa.is_file() and fb.is_file() and file_stats(fa) == file_stats(fb))


def _diff_resource(
    old: Package,
    new: Package,
    a: Named | None,
    b: Named | None,
    status: str,
    atol: float,
    rtol: float,
    reads: dict,
    given: list[str] | None,
) -> ResourceDiff:
    name = (b or a)[0]
    rd = ResourceDiff(name=name, status=status, old_name=a[0] if status == "renamed" else None)
    if a is None or b is None:
        pkg, (label, res) = (new, b) if a is None else (old, a)
        side = read_side(pkg, res, label, reads.get(id(res)))
        rd.problems = side.problems
        count = 0 if side.frame is None else side.frame.height
        rd.rows_old, rd.rows_new = (0, count) if a is None else (count, 0)
        return rd
    (old_label, ra), (new_label, rb) = a, b
    sa, sb = old.schema(ra), new.schema(rb)
    rd.meta = meta_changes(
        without_defaults(ra, "resource"), without_defaults(rb, "resource"), skip=_DERIVED
    )
    before, after = (
        read_side(old, ra, old_label, reads.get(id(ra))),
        read_side(new, rb, new_label, reads.get(id(rb))),
    )
    declared = names_of(sb.get("primaryKey")) or names_of(sa.get("primaryKey"))
    if (before.lazy is None) != (after.lazy is None):  # one side large, the other not: both whole
        before, after = before.collected(), after.collected()
    if before.lazy is not None and after.lazy is not None:
        # Both large: rows matched by key through hashes, only the differing ones read (diff/rows.py).
        if compare_hashed(
            rd, before, after, given or declared, "option" if given else "primary-key", atol, rtol
        ):
            rd.schema, _ = diff_schemas(sa, sb, None)
            rd.problems = before.problems + after.problems
            rd.rows_old, rd.rows_new = before.height, after.height
            if status == "changed" and not rd.content_differs:
                rd.status = "unchanged"
            return rd
        before, after = before.collected(), after.collected()
    rd.problems = before.problems + after.problems
    rd.notes = [n for n in (before.note, after.note) if n]
    if before.ragged and after.ragged:
        # The same structural defect in both versions (datahub's co2-ppm, issue 18): compare what both can read.
        rd.problems = [p for p in rd.problems if p.code != "diff-ragged-row"]
        rd.notes.append(
            f"rows with more cells than the header in both versions ({before.ragged:,} old, {after.ragged:,} new): "
            "compared by the columns the header names; the cells beyond it are not compared"
        )
    both = (
        before.frame is not None
        and after.frame is not None
        and not (bool(before.ragged) ^ bool(after.ragged))
    )
    same_values = value_match(before.frame, after.frame) if both else None
    rd.schema, pairs = diff_schemas(sa, sb, same_values)
    if both:
        if before.by_labels or after.by_labels:
            # The header is what changed (or all there is): compare the columns as the files name them.
            o, n = before.frame.columns, after.frame.columns
            columns, pairs = diff_columns(o, n, lambda i, j: same_values(o[i], n[j]))
            rd.schema = merge_changes(rd.schema, columns)
        _check_given(name, given, before.frame, after.frame)
        rd.rows_old, rd.rows_new = before.frame.height, after.frame.height
        compare_rows(rd, before.frame, after.frame, pairs, declared, given, atol, rtol)
    if status == "changed" and not rd.content_differs:
        rd.status = "unchanged"
    return rd


def _check_given(name: str, given: list[str] | None, old, new) -> None:
    """A --key column in neither version is a mistyped option (exit 2); in one only, a diff problem."""
    unknown = [c for c in given or [] if c not in old.columns and c not in new.columns]
    if unknown:
        raise CannotRun(
            f"--key {name}:{','.join(given)}: {name} has no column {unknown[0]!r} (columns: {', '.join(new.columns)})"
        )
