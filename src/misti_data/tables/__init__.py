"""The one table reader: every command reads a resource through here, once per package load.

`table(package, name)` reads a resource the first time it is asked for and keeps it on the
package, so validate's check families, the diff, the version advice, the changelog, the exports
and the page all see the same typed values, read from the same dialect and schema.
"""

from __future__ import annotations

from misti_data.package import Package
from misti_data.tables.cell_findings import TextCheck
from misti_data.tables.read import read_resource
from misti_data.tables.typed import ROW, TypedTable, names_of

__all__ = ["ROW", "TextCheck", "TypedTable", "names_of", "read_resource", "table", "tables"]


def table(package: Package, name: str) -> TypedTable | None:
    """The resource `name` of `package`, read once; None when the package has no such resource."""
    cache = package.tables
    if name not in cache:
        res = package.resource(name)
        if res is None:
            return None
        with package.progress(f"reading {res.get('path') or name}", size=_size(package, res)):
            cache[name] = read_resource(package, res)
    return cache[name]


def tables(package: Package, skip: set[str] = frozenset()) -> list[TypedTable]:
    """Every named resource not in `skip`, in descriptor order."""
    names = [
        r["name"]
        for r in package.resources
        if isinstance(r.get("name"), str) and r["name"] not in skip
    ]
    return [table(package, n) for n in dict.fromkeys(names)]


def _size(package: Package, res: dict) -> int:
    file = package.resource_file(res)
    try:
        return file.stat().st_size if file is not None else 0
    except OSError:
        return 0
