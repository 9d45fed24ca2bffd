"""Findings and the report that holds them: plain data that every renderer takes."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found, located as precisely as the check can (file, row, field, cell)."""

    code: str
    severity: str
    message: str
    resource: str | None = None
    path: str | None = None
    row: int | None = None
    field: str | None = None
    cell: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    """The result of validating one package."""

    package: str
    findings: list[Finding] = field(default_factory=list)
    strict: bool = False
    limit: int | None = None
    tables: dict[str, int] = field(default_factory=dict)
    # (line, column or None) in its file of each finding shown that names a row, when asked for (annotations).
    positions: dict[Finding, tuple[int, int | None]] = field(default_factory=dict)
    profiles: list[str] = field(default_factory=list)  # besides the standard, what the package was judged by
    # Findings counted but not kept, past the reader's cap per code and table: (resource, path, code, severity) -> n.
    withheld: dict[tuple, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        c = Counter(f.severity for f in self.findings)
        for (_resource, _path, _code, severity), n in self.withheld.items():
            c[severity] += n
        return {ERROR: c.get(ERROR, 0), WARNING: c.get(WARNING, 0)}

    def counts_by_code(self) -> dict[str, int]:
        c = Counter(f.code for f in self.findings)
        for (_resource, _path, code, _severity), n in self.withheld.items():
            c[code] += n
        return dict(sorted(c.items()))

    def total(self, key) -> Counter:
        """Findings per `key(resource, path, code)`, the withheld ones included."""
        c = Counter(key(f.resource, f.path, f.code) for f in self.findings)
        for (resource, path, code, _severity), n in self.withheld.items():
            c[key(resource, path, code)] += n
        return c

    @property
    def valid(self) -> bool:
        counts = self.counts()
        return counts[ERROR] == 0 and not (self.strict and counts[WARNING])

    def shown(self) -> list[Finding]:
        """The findings to show: at most `limit` per code, in a stable order; counts stay whole."""
        ordered = sorted(self.findings, key=_sort_key)
        if self.limit is None:
            return ordered
        seen: Counter[str] = Counter()
        kept = []
        for f in ordered:
            seen[f.code] += 1
            if seen[f.code] <= self.limit:
                kept.append(f)
        return kept

    def to_dict(self) -> dict:
        shown = self.shown()
        return {
            "valid": self.valid,
            "package": self.package,
            "strict": self.strict,
            "profiles": list(self.profiles),
            "counts": {**self.counts(), "by_code": self.counts_by_code()},
            "shown": len(shown),
            "tables": dict(self.tables),
            "findings": [f.to_dict() for f in shown],
        } | ({"withheld": [{"resource": r, "path": p, "code": c, "count": n} for (r, p, c, _s), n in sorted(
            self.withheld.items(), key=lambda item: tuple(str(x) for x in item[0]))]} if self.withheld else {})


def _sort_key(f: Finding):
    return (f.path or "", f.resource or "", f.row or 0, f.code, f.field or "", f.message)
