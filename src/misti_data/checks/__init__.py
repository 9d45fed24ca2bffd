"""The check families and what they share: the Context a check reads, and the catalogue.

Every family is a module here that registers itself with `misti_data.registry.check`; importing
this package imports them all, in the order validate runs them. Codes reuse frictionless's where
the meaning is the same, so its documentation applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from misti_data.findings import ERROR, WARNING
from misti_data.package import Package
from misti_data.registry import CHECKS, CODES, finding, severity_label
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


# The families, in the order validate runs them and the catalogue lists them.
FAMILIES = ("descriptor", "safety", "tables", "formulas", "keys", "provenance", "revisions", "vintages", "domain")
from misti_data.checks import descriptor, safety, tables, formulas, keys, provenance, revisions, vintages, domain  # noqa: E402,F401,I001
from misti_data import diff as _diff  # noqa: E402,F401  (registers the diff's codes)


def catalogue() -> dict[str, tuple[str, str]]:
    """{code: (severity, meaning)} of every registered code: family by family, then the diff's.

    The severity is the standard's, and what a profile makes of it (`warning; error under profile
    misti-data`)."""
    order = [c for name in FAMILIES for c in CHECKS[name].codes]
    order += [c for c in CODES if c not in order]
    return {c: (severity_label(c), CODES[c].meaning) for c in order}


def run_checks(context: Context) -> list:
    """Every family's findings, in FAMILIES order."""
    return [f for name in FAMILIES for f in CHECKS[name].run(context)]


CATALOGUE = catalogue()

__all__ = ["CATALOGUE", "CHECKS", "ERROR", "WARNING", "Context", "catalogue", "finding", "run_checks"]
