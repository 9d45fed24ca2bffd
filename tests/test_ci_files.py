"""The workflow and the pre-commit hook call the tested commands, not logic of their own."""

from __future__ import annotations

import re

import yaml

from conftest import ROOT


def test_workflow_runs_the_gate_through_the_action():
    workflow = yaml.safe_load((ROOT / ".github/workflows/data-gate.yml").read_text())
    steps = workflow["jobs"]["gate"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0  # the base branch must be there for the diff
    assert any(s.get("uses") == "./" for s in steps)
    assert any(s.get("run") == "bash .ci/run" for s in workflow["jobs"]["tests"]["steps"])


def test_the_action_installs_from_its_own_checkout_and_runs_the_gate():
    """A composite action another repository can `uses:`, tested end to end in test_action.py."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert set(action["inputs"]) == {"package", "base", "strict", "profile", "format", "python"}
    assert action["runs"]["using"] == "composite"
    install, gate = action["runs"]["steps"]
    assert (
        'pip install --quiet --disable-pip-version-check "${{ github.action_path }}"'
        in install["run"]
    )
    assert '/bin/misti-data" ci "${args[@]}"' in gate["run"]
    assert '--summary "$GITHUB_STEP_SUMMARY"' in gate["run"]
    # inputs reach the scripts through the environment, never spliced into the script text
    assert "inputs." not in install["run"] + gate["run"]


def test_pre_commit_hook_runs_validate():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "- id: misti-data-validate" in text
    assert "entry: misti-data validate" in text
    assert "pass_filenames: false" in text
    pattern = re.search(r"files: (.+)", text).group(1)
    for path in ("datapackage.json", "data/observations.csv", "schemas/observations.json"):
        assert re.search(pattern, path), path
    assert not re.search(pattern, "src/misti_data/cli.py")
    assert "rev: main" in text and "v1." not in text  # a clone has no tags
