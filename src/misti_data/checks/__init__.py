"""The check families and what they share: the Context a check reads, and the catalogue.

Every family is a module (or, for the domain rules, a package) here named for it: a function made a
`Check` by `misti_data.registry.check`; the codes it raises are listed under its name in
misti_data.codes, and it may raise no other. FAMILIES lists them in the order validate runs them. Codes reuse frictionless's where the meaning is the same, so its documentation
applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from misti_data.checks.descriptor import check_descriptor
from misti_data.checks.domain import check_domain
from misti_data.checks.formulas import check_formulas
from misti_data.checks.keys import check_keys
from misti_data.checks.provenance import check_provenance
from misti_data.checks.revisions import check_revisions_since_release
from misti_data.checks.safety import check_safety
from misti_data.checks.tables import check_tables
from misti_data.checks.vintages import check_latest_vintage
from misti_data.findings import ERROR, WARNING
from misti_data.package import Package
from misti_data.registry import catalogue, finding
from misti_data.settings import Settings


@dataclass
class Context:
    """What every check reads: the package, its unsafe resources, its settings and its tables."""

    package: Package
    settings: Settings
    unsafe: set[str] = field(default_factory=set)

    def table(self, name: str):
        """The typed table `name` (misti_data.tables), or None when it is unsafe or not declared."""
        from misti_data.tables import table

        return None if name in self.unsafe else table(self.package, name)

    def tables(self) -> list:
        from misti_data.tables import tables

        return tables(self.package, skip=self.unsafe)


# The families, in the order validate runs them.
FAMILIES = (
    check_descriptor,
    check_safety,
    check_tables,
    check_formulas,
    check_keys,
    check_provenance,
    check_revisions_since_release,
    check_latest_vintage,
    check_domain,
)
CHECKS = {c.name: c for c in FAMILIES}
CATALOGUE = catalogue()


def run_checks(context: Context) -> list:
    """Every family's findings, in FAMILIES order."""
    return [f for check in FAMILIES for f in check(context)]


__all__ = [
    "CATALOGUE",
    "CHECKS",
    "ERROR",
    "WARNING",
    "Context",
    "catalogue",
    "finding",
    "run_checks",
]
