"""The workflow and the pre-commit hook call the tested commands, not logic of their own."""

from __future__ import annotations

import re

from conftest import ROOT


def test_workflow_runs_the_gate_command():
    text = (ROOT / ".github/workflows/data-gate.yml").read_text()
    assert re.search(r"misti-data ci \.\s+--base \"origin/", text)
    assert "--summary \"$GITHUB_STEP_SUMMARY\"" in text and "--format github" in text
    assert "fetch-depth: 0" in text
    assert "bash .ci/run" in text


def test_pre_commit_hook_runs_validate():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "- id: misti-data-validate" in text
    assert "entry: misti-data validate" in text
    assert "pass_filenames: false" in text
    pattern = re.search(r"files: (.+)", text).group(1)
    for path in ("datapackage.json", "data/observations.csv", "schemas/observations.json"):
        assert re.search(pattern, path), path
    assert not re.search(pattern, "src/misti_data/cli.py")
