"""action.yml end to end, without GitHub: its `run:` steps in bash, as a runner would run them.

The action is installed once from a copy of this repository (its `github.action_path`) into a
virtualenv under a temp RUNNER_TEMP, with pip, as on a runner; then the gate step runs in small
consumer repositories: a passing change, a failing one, and a package that cannot be read.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import (
    COPY_IGNORE,
    GAZETTE,
    NEXT_YEAR,
    ROOT,
    add_warning,
    append_row,
    copy_shipped,
    git,
    init_repo,
    set_value,
    set_version,
)
from misti_data import semver

EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")
# What GitHub runs a composite step's `shell: bash` with.
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def substitute(text: str, context: dict[str, str]) -> str:
    """Replace ${{ … }} as GitHub would, for the expressions the action uses; any other fails the test."""

    def value(m: re.Match) -> str:
        assert m[1] in context, (
            f"action.yml uses ${{{{ {m[1]} }}}}, which this test does not emulate"
        )
        return context[m[1]]

    return EXPRESSION.sub(value, text)


def run_step(
    step: dict, context: dict[str, str], env: dict[str, str], cwd
) -> subprocess.CompletedProcess:
    assert step["shell"] == "bash"
    step_env = {k: substitute(str(v), context) for k, v in step.get("env", {}).items()}
    return subprocess.run(
        [*BASH, "-c", substitute(step["run"], context)],
        cwd=cwd,
        env={**env, **step_env},
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    """A runner's temp folder with the action installed by its own first step; (context, env)."""
    if shutil.which("git") is None or shutil.which("bash") is None:
        pytest.skip("needs git and bash")
    tmp = tmp_path_factory.mktemp("runner")
    action_path = tmp / "action"
    shutil.copytree(ROOT, action_path, ignore=COPY_IGNORE)
    (tmp / "temp").mkdir()
    env = {
        **os.environ,
        "RUNNER_TEMP": str(tmp / "temp"),
        "GITHUB_ACTION_PATH": str(action_path),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
    }
    env.pop("VIRTUAL_ENV", None)
    context = {"github.action_path": str(action_path), "inputs.python": sys.executable}
    install = action()["runs"]["steps"][0]
    done = run_step(install, context, env, tmp)
    if done.returncode != 0 and "Could not find a version" in done.stderr + done.stdout:
        pytest.skip(
            f"pip could not reach a package index to install the action's dependencies: {done.stderr[-300:]}"
        )
    assert done.returncode == 0, done.stdout + done.stderr
    return context, env


def gate(runner, workspace, summary, **inputs):
    """The action's gate step in `workspace`, with the action's defaults for inputs not given."""
    context, env = runner
    defaults = {name: spec.get("default", "") for name, spec in action()["inputs"].items()}
    context = {**context, **{f"inputs.{k}": v for k, v in {**defaults, **inputs}.items()}}
    env = {**env, "GITHUB_WORKSPACE": str(workspace), "GITHUB_STEP_SUMMARY": str(summary)}
    return run_step(action()["runs"]["steps"][1], context, env, workspace)


@pytest.fixture
def consumer(tmp_path):
    """Another data repository: our package at version 1.0.0 on `main`, and a branch `change` checked out."""
    repo = copy_shipped(tmp_path / "consumer")
    set_version(repo, "1.0.0")
    init_repo(repo)
    git(repo, "checkout", "-q", "-b", "change")
    return repo


def commit(repo, run, message):
    assert run("stamp", repo).exit_code == 0
    git(repo, "commit", "-qam", message)


def test_a_new_year_with_the_right_version_passes(runner, consumer, run, tmp_path):
    append_row(consumer / "data/sources.csv", GAZETTE)
    append_row(consumer / "data/observations.csv", NEXT_YEAR)
    set_version(consumer, "1.1.0")
    commit(consumer, run, "2026")
    summary = tmp_path / "summary.md"
    done = gate(runner, consumer, summary, base="main")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        done.stdout
        == "gate passed: 0 validation errors, 0 warnings; version 1.1.0, MINOR change requires 1.1.0\n"
    )
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## ✅ misti-data data gate passed\n")
    assert "| Data changes | 2 resources changed against `git:main`: +2 −0 ~0 rows |" in text


def test_a_typo_fails_on_its_line_and_strict_fails_on_warnings(runner, consumer, run, tmp_path):
    obs = consumer / "data/observations.csv"
    set_value(
        obs, {"indicator_id": "clean_water_connections", "period": "2025", "area": "KH"}, "1571 976"
    )
    commit(consumer, run, "a typo")
    summary = tmp_path / "summary.md"
    done = gate(runner, consumer, summary, base="main")
    assert done.returncode == 1, done.stdout + done.stderr
    row, line = next(
        (i, line) for i, line in enumerate(obs.read_text().splitlines(), 1) if "1571 976" in line
    )
    col = line.index("1571 976") + 1
    assert (
        f"::error file=data/observations.csv,line={row},col={col},title=type-error::" in done.stdout
    )
    assert done.stdout.splitlines()[-1] == (
        "gate failed: 1 validation error, 0 warnings; no version advice: fix 1 validation error first (type-error)"
    )
    assert summary.read_text(encoding="utf-8").startswith("## ❌ misti-data data gate failed\n")

    git(consumer, "checkout", "-q", "main")
    append_row(consumer / "data/sources.csv", GAZETTE)
    add_warning(consumer)
    set_version(consumer, "1.1.0")
    run("stamp", consumer)
    assert gate(runner, consumer, tmp_path / "lenient.md", base="main").returncode == 0
    strict = gate(runner, consumer, tmp_path / "strict.md", base="main", strict="true")
    assert strict.returncode == 1
    assert "::warning file=data/observations.csv,line=" in strict.stdout
    assert (
        "no version advice: fix 1 validation warning (--strict) first (qualifier-not-round)"
        in strict.stdout
    )


def test_a_package_that_cannot_be_read_is_annotated_and_summarised(runner, consumer, tmp_path):
    (consumer / "datapackage.json").write_text("{\n")
    summary = tmp_path / "summary.md"
    done = gate(runner, consumer, summary, base="main")
    assert done.returncode == 2
    assert done.stdout.startswith(
        "::error file=datapackage.json,line=2,col=1,title=misti-data cannot run::not valid JSON"
    )
    assert (
        done.stderr
        == "Error: datapackage.json:2:1: not valid JSON: Expecting property name enclosed in double quotes\n"
    )
    assert summary.read_text(encoding="utf-8") == (
        "## ❌ misti-data data gate could not run\n\n"
        "    Error: datapackage.json:2:1: not valid JSON: Expecting property name enclosed in double quotes\n"
    )


def test_without_a_base_the_latest_release_is_the_base(runner, tmp_path):
    """The shipped package is its latest release (but perhaps for its misti_data settings, which need
    no new version): no data changes, nothing to bump."""
    from misti_data.checks.revisions import latest_release
    from misti_data.package import load_package

    consumer = init_repo(copy_shipped(tmp_path / "consumer"))
    shutil.copytree(ROOT / "releases", consumer / "releases")
    with load_package(consumer) as pkg:
        latest = latest_release(pkg).name
    done = gate(runner, consumer, tmp_path / "summary.md")
    assert done.returncode == 0, done.stdout + done.stderr
    changes = next(
        line
        for line in (tmp_path / "summary.md").read_text().splitlines()
        if line.startswith("| Data changes |")
    )
    assert re.fullmatch(
        rf"\| Data changes \| (none|0 resources changed) against `releases/{re.escape(latest)}`(: \+0 −0 ~0 rows)? \|",
        changes,
    ), changes


def test_the_profile_input_judges_by_our_conventions(runner, tmp_path):
    """Without the opt-in, a change that drops the licences only warns (the standard says SHOULD);
    the action's `profile` input makes it an error, as `--profile` does. (The change drops them: a
    base without licences would make the error known.)"""
    consumer = copy_shipped(tmp_path / "consumer")
    descriptor = json.loads((consumer / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["misti_data"].pop("profile", None)
    (consumer / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    init_repo(consumer)
    git(consumer, "checkout", "-q", "-b", "change")
    descriptor.pop("licenses")
    descriptor["version"] = semver.bump(
        descriptor["version"], "patch"
    )  # dropping them is a PATCH change
    (consumer / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    standard = gate(runner, consumer, tmp_path / "standard.md", base="main")
    assert standard.returncode == 0, standard.stdout + standard.stderr
    assert (
        "::warning file=datapackage.json" in standard.stdout
        and "metadata-missing" in standard.stdout
    )
    profiled = gate(runner, consumer, tmp_path / "profiled.md", base="main", profile="misti-data")
    assert profiled.returncode == 1, profiled.stdout + profiled.stderr
    assert (
        "::error file=datapackage.json" in profiled.stdout and "metadata-missing" in profiled.stdout
    )
