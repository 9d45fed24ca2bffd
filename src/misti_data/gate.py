"""The CI gate for a data pull request: validate, diff against the base, check the version.

One function a workflow and a laptop both call, so the gate is tested here, not in YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from misti_data.diff import PackageDiff, diff_packages
from misti_data.findings import Report
from misti_data.sources import GIT_PREFIX, open_package
from misti_data.validate import validate_loaded
from misti_data.version import VersionAdvice, check_diff


@dataclass
class GateResult:
    """Everything a reviewer needs: the validation report, the diff and the version verdict."""

    report: Report
    diff: PackageDiff
    advice: VersionAdvice

    @property
    def ok(self) -> bool:
        return self.report.valid and self.advice.ok

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "validation": self.report.to_dict(),
            "version": self.advice.to_dict(),
            "diff": self.diff.to_dict(),
        }


def base_spec(base: str, package: str | Path) -> str:
    """A base that is not a package on disk is a git revision: `origin/main` means `git:origin/main`."""
    if base.startswith(GIT_PREFIX) or (Path(package) / base).exists() or Path(base).exists():
        return base
    return GIT_PREFIX + base


def run_gate(package: str | Path, base: str, *, strict: bool = False, limit: int | None = None, progress=None) -> GateResult:
    """Validate `package`, diff it against `base` and check that its version follows from the diff."""
    with open_package(base_spec(base, package), cwd=package) as old, open_package(package, cwd=package) as new:
        if progress is not None:
            old.progress = new.progress = progress
        report = validate_loaded(new, strict=strict, limit=limit)  # its tables stay cached for the diff
        diff = diff_packages(old, new)
        advice = check_diff(diff, new)
    return GateResult(report=report, diff=diff, advice=advice)
