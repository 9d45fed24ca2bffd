"""The GitHub Actions workflows: actionlint passes on each, and the Pages workflow's build command,
read from the workflow, builds a site whose identifiers follow the address Pages gives."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_shipped

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PAGES = ROOT / ".github" / "workflows" / "pages.yml"
BIN = Path(sys.executable).parent
# What configure-pages gives as `base_url` for a project site: no trailing slash.
BASE_URL = "https://example.github.io/misti-data"


def test_there_is_a_pages_workflow_among_the_workflows():
    assert PAGES in WORKFLOWS and len(WORKFLOWS) >= 2


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_passes(workflow):
    actionlint = shutil.which("actionlint", path=str(BIN)) or shutil.which("actionlint")
    assert actionlint, "actionlint is in the test extra (pyproject.toml)"
    done = subprocess.run(
        [actionlint, "-no-color", str(workflow.relative_to(ROOT))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def steps_of(workflow: dict) -> dict:
    """Every step of every job, by its `uses` action (without version) or its name."""
    found = {}
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            found[step.get("name") or step["uses"].split("@")[0]] = step
    return found


def test_the_pages_workflow_builds_with_the_address_pages_gives_and_deploys_it():
    workflow = yaml.safe_load(PAGES.read_text())
    on = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert on["push"]["branches"] == ["main"]
    assert {"datapackage.json", "data/**", "releases/**", "CHANGELOG.md"} <= set(
        on["push"]["paths"]
    )
    steps = steps_of(workflow)
    build = steps["Build the site"]
    assert build["env"] == {"BASE_URL": "${{ steps.pages.outputs.base_url }}"}
    assert steps["actions/configure-pages"]["id"] == "pages"
    out = re.search(r"--out (\S+)", build["run"]).group(1)
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == out
    assert "actions/deploy-pages" in steps
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_the_pages_build_command_runs_here(tmp_path):
    """The workflow's own `run:` text, in a copy of the repository, with misti-data on PATH."""
    workflow = yaml.safe_load(PAGES.read_text())
    steps = steps_of(workflow)
    assert steps["Install misti-data"]["run"] == "python -m pip install ."  # this project
    build = steps["Build the site"]
    repo = copy_shipped(tmp_path / "repo", ("releases", "CHANGELOG.md", "CITATION.cff"))
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "BASE_URL": BASE_URL}
    done = subprocess.run(
        ["bash", "-e", "-c", build["run"]],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = repo / re.search(r"--out (\S+)", build["run"]).group(1)
    html = (out / "index.html").read_text(encoding="utf-8")
    [block] = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', html, re.DOTALL)
    data = json.loads(block)
    assert data["url"] == f"{BASE_URL}/"
    urls = [d["contentUrl"] for d in data["distribution"]]
    assert any(u.endswith(".xlsx") for u in urls)  # the exports the workflow builds are in
    for url in urls:
        assert url.startswith(f"{BASE_URL}/"), url
        assert (out / url[len(BASE_URL) + 1 :]).is_file(), url
