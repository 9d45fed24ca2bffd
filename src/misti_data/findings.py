"""Findings and the report that holds them: plain data that every renderer takes."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import ClassVar

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

    subject: ClassVar[str] = "validate"
    package: str
    findings: list[Finding] = field(default_factory=list)
    strict: bool = False
    tables: dict[str, int] = field(default_factory=dict)
    # (line, column or None) in its file of each finding that names a row, when asked for (annotations).
    positions: dict[Finding, tuple[int, int | None]] = field(default_factory=dict)
    profiles: list[str] = field(
        default_factory=list
    )  # besides the standard, what the package was judged by
    # Errors the base version has too (issue 18: a legacy defect the change did not make): listed and
    # counted, failing only with --strict. Set by `mark_known`.
    known: list[Finding] = field(default_factory=list)
    # Findings counted but not kept, past the reader's cap per code and table: (resource, path, code, severity) -> n.
    withheld: dict[tuple, int] = field(default_factory=dict)
    # Of the withheld errors, how many the base withheld too (same resource, file and code): set by `mark_known`.
    known_withheld: dict[tuple, int] = field(default_factory=dict)

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
        return not self.failing() and not self.new_withheld()

    def new_withheld(self) -> int:
        """Withheld findings (past the reader's cap, rows unknown) that fail: errors beyond as many as the
        base withheld of the same code in the same file; with --strict, all."""
        if self.strict:
            return sum(self.withheld.values())
        return sum(
            n - self.known_withheld.get(k, 0) for k, n in self.withheld.items() if k[3] == ERROR
        )

    def failing(self) -> list[Finding]:
        """The findings that make the package invalid: errors not known from the base; with --strict, all."""
        if self.strict:
            return list(self.findings)
        known = set(self.known)
        return [f for f in self.findings if f.severity == ERROR and f not in known]

    def mark_known(self, base: Report) -> None:
        """Mark this report's errors that `base` has too, unchanged: the same code, resource, field, cell
        and message, as many times as the base has it (a row number may move when rows are added or
        removed). A structural defect (a ragged row) is known when the base has one of the same shape
        ("the row has 7 cells, expected 6"), so rows appended in the table's own shape add none."""
        left = Counter(_identity(f) for f in base.findings if f.severity == ERROR)
        shapes = {_identity(f) for f in base.findings if f.code in _STRUCTURAL}
        self.known = []
        self.known_withheld = {k: min(n, base.withheld.get(k, 0)) for k, n in self.withheld.items()}
        for f in self.findings:
            if f.severity != ERROR:
                continue
            if f.code in _STRUCTURAL and _identity(f) in shapes:
                self.known.append(f)
            elif left[_identity(f)] > 0:
                left[_identity(f)] -= 1
                self.known.append(f)

    @property
    def exit_code(self) -> int:
        return 0 if self.valid else 1

    def shown(self, limit: int | None = None) -> list[Finding]:
        """The findings to show: at most `limit` per code (the renderer's option), in a stable
        order; counts stay whole."""
        ordered = sorted(self.findings, key=_sort_key)
        if limit is None:
            return ordered
        seen: Counter[str] = Counter()
        kept = []
        for f in ordered:
            seen[f.code] += 1
            if seen[f.code] <= limit:
                kept.append(f)
        return kept

    def to_dict(self, limit: int | None = None) -> dict:
        """The report as JSON data, at most `limit` findings per code listed."""
        shown = self.shown(limit)
        return {
            "ok": self.valid,
            "package": self.package,
            "strict": self.strict,
            "profiles": list(self.profiles),
            "counts": {**self.counts(), "by_code": self.counts_by_code()},
            "known": len(self.known),
            "shown": len(shown),
            "tables": dict(self.tables),
            "findings": [f.to_dict() for f in shown],
        } | (
            {
                "withheld": [
                    {"resource": r, "path": p, "code": c, "count": n}
                    for (r, p, c, _s), n in sorted(
                        self.withheld.items(), key=lambda item: tuple(str(x) for x in item[0])
                    )
                ]
            }
            if self.withheld
            else {}
        )


_STRUCTURAL = {"extra-cell", "missing-cell"}


def _identity(f: Finding) -> tuple:
    return (
        f.code,
        f.resource,
        f.path,
        f.field,
        None if f.code in _STRUCTURAL else f.cell,
        f.message,
    )


class RefusesInvalid:
    """What export and site return: nothing is written for an invalid package (exit 1)."""

    report: Report | None

    @property
    def refused(self) -> bool:
        """True when the package was invalid and nothing was written."""
        return self.report is not None and not self.report.valid

    @property
    def exit_code(self) -> int:
        return 1 if self.refused else 0


def _sort_key(f: Finding):
    return (f.path or "", f.resource or "", f.row or 0, f.code, f.field or "", f.message)
