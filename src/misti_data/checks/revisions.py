"""A published value may change only with a reason: the package's revisions table says why.

Switched on by `misti_data.revisions` in datapackage.json: the revisions resource, and per
revised resource its value field and the fields that name a published value (period, indicator,
area). Each changed value needs a revisions row with the same names, its old and new value.
"""

from __future__ import annotations

from pathlib import Path

from misti_data import semver
from misti_data.diff import PackageDiff, diff_packages
from misti_data.findings import Finding
from misti_data.package import Package, load_package
from misti_data.registry import check, finding
from misti_data.settings import settings_of
from misti_data.tables import ROW, table
from misti_data.values import plain, show_value


def check_revisions(diff: PackageDiff, package: Package) -> list[Finding]:
    """An `unexplained-revision` for each changed value of `diff` with no matching revisions row."""
    cfg = settings_of(package).revisions
    if not cfg:
        return []
    explained = explained_revisions(package, cfg)
    found = []
    for spec in cfg.get("tables", []):
        rd = diff.resource(spec.get("resource", ""))
        value = spec.get("value", "value")
        if rd is None or not rd.keyed or rd.changed is None or value not in rd.value_fields:
            continue
        match = spec.get("match", rd.key)
        res = package.resource(rd.name) or {}
        path = res.get("path") if isinstance(res.get("path"), str) else None
        numeric = _field_type(package.schema(res), value) in _NUMERIC
        unexplained = []
        for row in rd.changed.filter(rd.changed[f"{value}__chg"]).iter_rows(named=True):
            old, new = as_number(row[value]), as_number(row[f"{value}__new"])
            if numeric and not (_is_number(old) and _is_number(new)):
                continue  # a cell that does not parse is a type-error to fix, not a revision
            names = tuple(plain(row[m]) for m in match)
            if (names, old, new) not in explained:
                unexplained.append((row, names, show_value(old), show_value(new)))
        rows = _row_numbers(package, res, rd.key) if unexplained else {}
        for row, names, old, new in unexplained:
            label = ", ".join(f"{m}={n}" for m, n in zip(match, names))
            found.append(
                finding(
                    "unexplained-revision",
                    f"{label}: published value {old} changed to {new}; add a row to the {cfg.get('resource', 'revisions')} table "
                    f"with old_value {old}, new_value {new}, the reason and the source",
                    resource=rd.name,
                    path=path,
                    row=rows.get(tuple(plain(row[k]) for k in rd.key)),
                    field=value,
                    cell=new,
                )
            )
    return found


_NUMERIC = {"number", "integer", "year"}


def _field_type(schema: dict, name: str) -> str:
    field = next(
        (f for f in schema.get("fields", []) if isinstance(f, dict) and f.get("name") == name), {}
    )
    return field.get("type") or "string"


def _is_number(value) -> bool:
    return value is None or (isinstance(value, float))


def _row_numbers(package: Package, resource: dict, key: list[str]) -> dict[tuple, int]:
    """{key values: row number} of the resource's rows (the header is row 1), to point at a value."""
    typed = table(package, resource.get("name", ""))
    if typed is None or not typed.readable or not all(k in typed.columns for k in key):
        return {}
    return {
        tuple(plain(v) for v in values[:-1]): values[-1]
        for values in typed.lazy().select(*key, ROW).collect().iter_rows()
    }


def explained_revisions(package: Package, cfg: dict) -> dict[tuple, str]:
    """{(names, old, new): reason} of every revisions row, typed like the values they explain."""
    revisions = table(package, cfg.get("resource", "revisions"))
    if revisions is None or not revisions.readable:
        return {}  # the table checks report an unreadable revisions file
    frame = revisions.frame
    out = {}
    old_f, new_f, reason_f = (
        cfg.get("old", "old_value"),
        cfg.get("new", "new_value"),
        cfg.get("reason", "reason"),
    )
    for spec in cfg.get("tables", []):
        match = spec.get("match", [])
        if not all(m in frame.columns for m in match + [old_f, new_f]):
            continue
        for row in frame.iter_rows(named=True):
            out[
                (tuple(plain(row[m]) for m in match), as_number(row[old_f]), as_number(row[new_f]))
            ] = row.get(reason_f) or ""
    return out


def as_number(value):
    """A value as a float when it is a number, so 10 and 10.0 name the same revision."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def latest_release(package: Package) -> Path | None:
    """The newest `releases/<name>-<version>.zip` beside the package, by version."""
    folder = package.base / "releases"
    name = package.descriptor.get("name") or ""
    found = []
    for p in folder.glob(f"{name}-*.zip") if folder.is_dir() else []:
        v = semver.archive_version(name, p.name)
        if v:
            found.append((v.sort_key(), p.name, p))
    return max(found)[2] if found else None


@check("revisions")
def check_revisions_since_release(context) -> list[Finding]:
    """Revisions of values published in the latest release, for `validate`."""
    package = context.package
    if package.from_archive or not settings_of(package).revisions:
        return []
    release = latest_release(package)
    if release is None:
        return []
    revised = {spec.get("resource") for spec in settings_of(package).revisions.get("tables", [])}
    with load_package(release, descriptor_bytes=package.descriptor_bytes) as old:
        # Only the revised tables: the others' diff would be read and thrown away.
        return check_revisions(diff_packages(old, package, only=revised), package)
