"""A published value may change only with a reason: the package's revisions table says why.

Switched on by `misti_data.revisions` in datapackage.json: the revisions resource, and per
revised resource its value field and the fields that name a published value (period, indicator,
area). Each changed value needs a revisions row with the same names, its old and new value.
"""

from __future__ import annotations

from pathlib import Path

from misti_data.checks import finding
from misti_data.diff import PackageDiff, _plain, diff_packages, read_table
from misti_data.findings import Finding
from misti_data.package import Package, load_package


def revisions_config(package: Package) -> dict | None:
    cfg = package.descriptor.get("misti_data")
    cfg = cfg.get("revisions") if isinstance(cfg, dict) else None
    return cfg if isinstance(cfg, dict) else None


def check_revisions(diff: PackageDiff, package: Package) -> list[Finding]:
    """An `unexplained-revision` for each changed value of `diff` with no matching revisions row."""
    cfg = revisions_config(package)
    if not cfg:
        return []
    explained = _explained(package, cfg)
    found = []
    for spec in cfg.get("tables", []):
        rd = diff.resource(spec.get("resource", ""))
        value = spec.get("value", "value")
        if rd is None or not rd.keyed or rd.changed is None or value not in rd.value_fields:
            continue
        match = spec.get("match", rd.key)
        for row in rd.changed.filter(rd.changed[f"{value}__chg"]).iter_rows(named=True):
            old, new = row[value], row[f"{value}__new"]
            names = tuple(_plain(row[m]) for m in match)
            if (names, _num(old), _num(new)) in explained:
                continue
            label = ", ".join(f"{m}={n}" for m, n in zip(match, names))
            found.append(finding(
                "unexplained-revision",
                f"{label}: published value {old} changed to {new} with no row in the {cfg.get('resource', 'revisions')} table "
                f"giving old_value {old}, new_value {new} and the reason",
                resource=rd.name, field=value, cell=str(new),
            ))
    return found


def _explained(package: Package, cfg: dict) -> set[tuple]:
    """{(names, old, new)} of every revisions row, typed like the values they explain."""
    res = package.resource(cfg.get("resource", "revisions"))
    if res is None:
        return set()
    frame, _problems = read_table(package, res, package.schema(res))
    if frame is None:
        return set()  # the table checks report an unreadable revisions file
    out = set()
    old_f, new_f = cfg.get("old", "old_value"), cfg.get("new", "new_value")
    for spec in cfg.get("tables", []):
        match = spec.get("match", [])
        if not all(m in frame.columns for m in match + [old_f, new_f]):
            continue
        for row in frame.iter_rows(named=True):
            out.add((tuple(_plain(row[m]) for m in match), _num(row[old_f]), _num(row[new_f])))
    return out


def _num(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def latest_release(package: Package) -> Path | None:
    """The newest `releases/<name>-<version>.zip` beside the package, by version."""
    from misti_data.version import semver_tuple

    folder = package.base / "releases"
    name = package.descriptor.get("name") or ""
    found = []
    for p in folder.glob(f"{name}-*.zip") if folder.is_dir() else []:
        v = semver_tuple(p.name[len(name) + 1: -len(".zip")])
        if v:
            found.append((v, p))
    return max(found)[1] if found else None


def check_against_release(package: Package) -> list[Finding]:
    """Revisions of values published in the latest release, for `validate`."""
    if package.from_archive or not revisions_config(package):
        return []
    release = latest_release(package)
    if release is None:
        return []
    with load_package(release) as old:
        return check_revisions(diff_packages(old, package), package)
