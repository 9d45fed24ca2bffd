"""The one place the site reads a package's tables; re-point `site_tables` to change the reader.

The rest of the site uses only what `SiteTable` lists, so any reader that gives those (typed
cells: int/Decimal, `datetime.date`, None for an empty cell) serves the page unchanged.
"""

from __future__ import annotations

from typing import Protocol

from misti_data.package import Package


class SiteTable(Protocol):
    name: str
    resource: dict  # the resource's descriptor (title, description, path)
    fields: list[dict]  # the Table Schema's fields
    primary_key: list[str]
    foreign_keys: list[dict]  # {"fields": [...], "resource": name, "reference_fields": [...]}
    path: str | None
    rows: list[list]

    @property
    def names(self) -> list[str]: ...

    def records(self) -> list[dict]: ...


def site_tables(package: Package) -> list[SiteTable]:
    """Every tabular resource, typed by its schema, in descriptor order."""
    from misti_data.typed import read_tables

    return read_tables(package)
