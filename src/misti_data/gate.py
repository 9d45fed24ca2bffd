"""The CI gate for a data pull request: validate, diff against the base, check the version.

One function a workflow and a laptop both call, so the gate is tested here, not in YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from misti_data.diff import PackageDiff
from misti_data.findings import Finding, Report
from misti_data.package import DESCRIPTOR_BYTES
from misti_data.positions import cell_positions
from misti_data.version import VersionAdvice, checked_against


@dataclass
class GateResult:
    """Everything a reviewer needs: the validation report, the diff and the version verdict."""

    subject: ClassVar[str] = "ci"
    report: Report
    diff: PackageDiff
    advice: VersionAdvice
    # (line, column) in its file of each finding that names a row, for annotations.
    positions: dict[Finding, tuple[int, int | None]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.report.valid and self.advice.ok

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def unreported_revisions(self) -> list[Finding]:
        """The revision findings validation did not report: `validate` checks revisions against the
        latest release, the gate against BASE (often the same)."""
        reported = set(self.report.findings)
        return [f for f in self.advice.findings if f not in reported]

    def to_dict(self, limit: int | None = None) -> dict:
        """As JSON data: at most `limit` findings per code, and rows per kind of change."""
        return {
            "ok": self.ok,
            "validation": self.report.to_dict(limit),
            "version": self.advice.to_dict(),
            "diff": self.diff.to_dict(limit),
        }


def run_gate(
    package: str | Path,
    base: str | None = None,
    *,
    strict: bool = False,
    profiles: tuple[str, ...] = (),
    progress=None,
    descriptor_bytes: int = DESCRIPTOR_BYTES,
) -> GateResult:
    """Validate `package`, diff it against `base` (None: its latest release) and check its version.

    While the package is invalid the version advice is withheld: a typo is not a revision. Errors the
    base has too are known (Report.mark_known): they fail only with `strict`.
    """
    with checked_against(
        base,
        package,
        strict=strict,
        profiles=profiles,
        progress=progress,
        descriptor_bytes=descriptor_bytes,
    ) as (
        new,
        report,
        diff,
        advice,
    ):
        positions = cell_positions(new, report.findings + advice.findings)
    return GateResult(report=report, diff=diff, advice=advice, positions=positions)
