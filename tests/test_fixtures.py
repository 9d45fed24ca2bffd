"""The fixture suite: each folder under tests/packages/ is a small package with one defect (or none).

`expected.json` beside it gives the exit code and the exact findings as [code, row, field];
`options` (optional) are extra CLI options. The expectations are written by hand, one per defect.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import PACKAGES

CASES = sorted(p.name for p in PACKAGES.iterdir() if (p / "expected.json").is_file())


@pytest.mark.parametrize("case", CASES)
def test_fixture_reports_exactly_its_codes(case, run, tmp_path):
    src = PACKAGES / case
    shutil.copytree(src, tmp_path / case, symlinks=True)
    expected = json.loads((src / "expected.json").read_text())
    target = tmp_path / case / expected.get("target", "")
    result = run("validate", target, "--format", "json", *expected.get("options", []))
    assert result.exit_code == expected["exit_code"], result.output
    if expected["exit_code"] == 2:
        assert result.stdout == ""
        assert expected["stderr"] in result.stderr
        return
    found = sorted([f["code"], f["row"], f["field"]] for f in json.loads(result.stdout)["findings"])
    assert found == sorted(expected["findings"]), result.stdout


def test_there_are_enough_cases():
    assert len(CASES) >= 25
