"""misti-data against frictionless-py's own fixtures and the verdicts its tests state (issue 11, item 3).

The cases under cases/ are built by build.py from a git copy of frictionless-py; they are not
committed (they are upstream's files). agreement.json records which cases agree today: a case
that agreed must keep agreeing, and the count may only go up (rerun with --update-golden to
record an improvement, then review the diff). docs/conformance.md must list every case that
disagrees, with its reason.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, built

HERE = Path(__file__).resolve().parent
CASES = built(HERE / "cases", SHARED / "conformance" / "cases")
AGREEMENT = HERE / "agreement.json"
DOCS = ROOT / "docs" / "conformance.md"
BUILD = "python tests/conformance/build.py PATH/TO/frictionless-py (a checkout or bare clone; see docs/conformance.md)"

# frictionless's table-level codes: ignored where the upstream test checks the descriptor alone.
TABLE_CODES = {
    "scheme-error",
    "format-error",
    "encoding-error",
    "source-error",
    "hash-count",
    "byte-count",
    "blank-header",
    "blank-label",
    "duplicate-label",
    "extra-label",
    "missing-label",
    "incorrect-label",
    "blank-row",
    "extra-cell",
    "missing-cell",
    "type-error",
    "constraint-error",
    "unique-error",
    "primary-key",
    "foreign-key",
}

# Our own conventions (semver `version`, `licenses`, `sources`), errors for every package today.
PROFILE_CODES = {"version-not-semver", "metadata-missing"}

pytestmark = pytest.mark.skipif(
    not (CASES / "manifest.json").is_file(), reason=f"conformance cases not built: {BUILD}"
)


@dataclass
class Outcome:
    """What misti-data said of one case, beside what the upstream test states."""

    test: str
    expected_valid: bool
    expected_types: list[str] | None
    partial: str | None
    scope: str
    exit_code: int
    codes: list[str]
    message: str

    @property
    def agrees(self) -> bool:
        """The same verdict: exit 0 for a valid case, exit 1 for an invalid one (2 is 'cannot run')."""
        if self.exit_code == 2:
            return False
        if self.scope == "descriptor":
            return self.expected_valid == (not set(self.codes) - TABLE_CODES)
        return self.exit_code == (0 if self.expected_valid else 1)

    @property
    def agrees_without_profile(self) -> bool:
        """The verdict with our own profile's codes left out (until issue 11 item 1 makes them opt-in)."""
        codes = set(self.codes) - PROFILE_CODES
        if self.exit_code == 2:
            return False
        if self.scope == "descriptor":
            codes -= TABLE_CODES
        return self.expected_valid == (not codes)

    @property
    def types_agree(self) -> bool:
        """The error types match: all of them, or (where the test names only some) at least those."""
        if self.expected_types is None:
            return self.agrees
        ours, theirs = set(self.codes), set(self.expected_types)
        if self.scope == "descriptor":
            ours -= TABLE_CODES
        return self.agrees and (theirs <= ours if self.partial else theirs == ours)


def run_case(folder: Path) -> Outcome:
    from click.testing import CliRunner

    from misti_data.cli import cli

    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    target = folder / expected.get("target", "")
    # As on the command line: a library's Python warning (frictionless on a v1 "layout") is not an error.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = CliRunner().invoke(
            cli, ["validate", str(target), "--format", "json"], catch_exceptions=False
        )
    codes: list[str] = []
    if result.exit_code in (0, 1):
        findings = json.loads(result.stdout)["findings"]
        codes = sorted({f["code"] for f in findings if f["severity"] == "error"})
    message = (
        (result.stderr.strip() or "").splitlines()[-1]
        if result.exit_code == 2 and result.stderr.strip()
        else ""
    )
    return Outcome(
        expected["test"],
        expected["valid"],
        expected["types"],
        expected["partial"],
        expected["scope"],
        result.exit_code,
        codes,
        message,
    )


def measure(cases: Path = CASES) -> list[Outcome]:
    manifest = json.loads((cases / "manifest.json").read_text(encoding="utf-8"))
    from build import case_folder  # tests/conformance is on sys.path while pytest runs this module

    return [run_case(cases / case_folder(test)) for test in manifest["cases"]]


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    return measure()


def test_the_cases_are_the_recorded_build():
    manifest = json.loads((CASES / "manifest.json").read_text(encoding="utf-8"))
    recorded = json.loads(AGREEMENT.read_text(encoding="utf-8"))
    assert manifest["commit"] == recorded["commit"], (
        f"cases built from another commit: rebuild with {BUILD}"
    )
    assert len(manifest["cases"]) == recorded["cases"], (
        "the case list changed: rebuild, or re-record with --update-golden"
    )


def test_agreement_does_not_drop(outcomes, request):
    agreeing = sorted(o.test for o in outcomes if o.agrees)
    typed = sorted(o.test for o in outcomes if o.types_agree)
    recorded = json.loads(AGREEMENT.read_text(encoding="utf-8"))
    apart = sum(o.agrees_without_profile for o in outcomes)
    if request.config.getoption("--update-golden"):
        recorded |= {
            "cases": len(outcomes),
            "agree": len(agreeing),
            "types_agree": len(typed),
            "agree_without_profile": apart,
            "agreeing": agreeing,
        }
        AGREEMENT.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")
    lost = sorted(set(recorded["agreeing"]) - set(agreeing))
    assert not lost, f"{len(lost)} cases agreed before and no longer do: {lost}"
    assert len(agreeing) >= recorded["agree"]
    assert len(typed) >= recorded["types_agree"], (
        f"error types now agree on {len(typed)} cases, {recorded['types_agree']} before"
    )
    assert apart >= recorded["agree_without_profile"], (
        f"without the profile codes, {apart} agree; {recorded['agree_without_profile']} before"
    )


def test_the_docs_list_every_disagreement(outcomes):
    section = (
        DOCS.read_text(encoding="utf-8").split("\n## Disagreements\n", 1)[1].split("\n## ", 1)[0]
    )
    listed = set(re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE))
    disagreeing = {o.test for o in outcomes if not o.agrees}
    assert not disagreeing - listed, f"not in docs/conformance.md: {sorted(disagreeing - listed)}"
    assert not listed - disagreeing, (
        f"these agree now; remove them from docs/conformance.md: {sorted(listed - disagreeing)}"
    )
