"""Every tabular resource of a package as typed rows, read through its Table Schema.

The exports and the site share this one reader so that an integer in the CSV is an integer in
every output, a date a `datetime.date`, an empty cell `None`. frictionless does the casting
(missing values, trueValues, number formats), so the rules are the Table Schema's, not ours.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from misti_data.errors import CannotRun
from misti_data.package import Package


@dataclass
class Table:
    """One resource: its descriptor, its schema's fields and keys, and its typed rows."""

    name: str
    resource: dict
    fields: list[dict]
    primary_key: list[str]
    foreign_keys: list[dict]
    path: str | None
    rows: list[list] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    def records(self) -> list[dict]:
        return [dict(zip(self.names, row)) for row in self.rows]


def read_tables(package: Package) -> list[Table]:
    """The package's tabular resources, in descriptor order; others (no schema) are left out."""
    from frictionless import FrictionlessException, system
    from frictionless import Package as FPackage

    tables = []
    try:
        with system.use_context(trusted=package.allow_outside or package.allow_remote):
            fpackage = FPackage(package.descriptor, basepath=str(package.base))
            for resource in package.resources:
                schema = package.schema(resource)
                fields = [f for f in schema.get("fields", []) if isinstance(f, dict) and "name" in f]
                if not fields:
                    continue
                names = [f["name"] for f in fields]
                with fpackage.get_resource(resource["name"]) as fres:
                    rows = [[plain(row[n]) for n in names] for row in fres.row_stream]
                path = resource.get("path") if isinstance(resource.get("path"), str) else None
                tables.append(Table(
                    name=resource["name"],
                    resource=resource,
                    fields=fields,
                    primary_key=_names(schema.get("primaryKey")),
                    foreign_keys=[_foreign_key(fk, resource["name"]) for fk in schema.get("foreignKeys", [])],
                    path=path,
                    rows=rows,
                ))
    except FrictionlessException as e:
        raise CannotRun(f"{package.label}: cannot read the tables: {e.error.note or e.error.message}") from None
    return tables


def plain(value):
    """A cell as a plain Python value: Decimal stays exact; yearmonth, geopoint and JSON become text."""
    if value is None or isinstance(value, (bool, int, str, Decimal, dt.date, dt.time)):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    if type(value).__name__ == "yearmonth":
        return f"{value.year:04d}-{value.month:02d}"
    if type(value).__name__ == "geopoint":
        return f"{value.lon},{value.lat}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _names(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _foreign_key(fk: dict, own: str) -> dict:
    """A foreign key with both sides as lists and the self-reference ("") named."""
    reference = fk.get("reference", {})
    return {
        "fields": _names(fk.get("fields")),
        "resource": reference.get("resource") or own,
        "reference_fields": _names(reference.get("fields")),
    }
