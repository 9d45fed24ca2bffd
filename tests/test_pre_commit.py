"""The pre-commit hook from another repository: `pre-commit try-repo` with this repository's path.

pre-commit clones this repository (with any uncommitted changes), builds the hook's Python
environment with pip, as it would for a `repo:` URL in a .pre-commit-config.yaml, then runs
`misti-data validate` in a temporary data repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_shipped, git, init_repo, set_value

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    """One pre-commit cache for the module, so the hook's environment is built once."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    if (
        subprocess.run(["git", "rev-parse", "--git-dir"], cwd=ROOT, capture_output=True).returncode
        != 0
    ):
        pytest.skip("pre-commit try-repo needs this project as a git repository")
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [
            *PRE_COMMIT,
            "try-repo",
            str(ROOT),
            "misti-data-validate",
            "--all-files",
            "--color",
            "never",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture
def data_repo(tmp_path):
    return init_repo(copy_shipped(tmp_path / "data-repo"))


def test_the_hook_passes_a_valid_package_and_stops_a_broken_one(data_repo, pre_commit_home):
    done = try_repo(data_repo, pre_commit_home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "validate Data Package (misti-data)" in done.stdout and "Passed" in done.stdout

    set_value(
        data_repo / "data/observations.csv", {"indicator_id": "water_production"}, "556 million"
    )
    git(data_repo, "add", "-A")
    done = try_repo(data_repo, pre_commit_home)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout
    assert '[value]: "556 million" is not a number' in done.stdout
    assert (
        "invalid: 3 errors" in done.stdout
    )  # the type error, and the hash and size stamp says to refresh
