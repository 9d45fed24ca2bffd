"""The README and docs/cli.md are the manual: every command is in the README, every option in the
reference, and every command they show runs in a clone and prints what they say."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import COPY_IGNORE, ROOT, init_repo
from misti_data.cli import cli

DOCS = ("README.md", "docs/cli.md")


def test_every_command_is_documented_with_its_options():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert re.search(rf"misti-data {name}\b", readme), (
            f"`misti-data {name}` is not in the README"
        )
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert opt in reference, f"{name} {opt} is not in docs/cli.md"


# --- the README's console blocks, run in a clone -----------------------------------------------

CONSOLE = re.compile(r"(?:<!-- (?P<note>[^>]*?) -->\n+)?```console\n(?P<body>.*?)```", re.S)
# A synopsis (`misti-data diff OLD NEW [--format …]`) names its arguments rather than giving them.
PLACEHOLDER = re.compile(r"\b(OLD|NEW|BASE|PACKAGE)\b|\[")
ILLUSTRATION = "illustration:"


def readme_commands() -> list[tuple[str, list[str], str | None]]:
    """(command, the output printed under it, why it is not run) for each `$ misti-data …` line."""
    found = []
    text = "\n".join((ROOT / doc).read_text(encoding="utf-8") for doc in DOCS)
    for block in CONSOLE.finditer(text):
        note = block["note"] if block["note"] and block["note"].startswith(ILLUSTRATION) else None
        if block["note"] and block["note"].startswith("help:"):
            note = "generated --help, compared with the code by test_docs.py"
        command, output = None, []
        for line in block["body"].splitlines() + ["$ "]:
            if line.startswith("$ "):
                if command and command.startswith("misti-data "):
                    synopsis = "a synopsis" if PLACEHOLDER.search(command) else None
                    found.append((command, output, note or synopsis))
                command, output = line[2:], []
            else:
                output.append(line)
    return found


def same_output(expected: list[str], actual: list[str]) -> bool:
    """Line by line; a line `…` stands for any lines, a line ending in `…` for any line it begins."""

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(expected):
            return j == len(actual)
        e = expected[i].rstrip()
        if e.strip() == "…":
            return any(match(i + 1, k) for k in range(j, len(actual) + 1))
        fits = j < len(actual) and (
            actual[j].rstrip() == e or (e.endswith("…") and actual[j].startswith(e[:-1]))
        )
        return fits and match(i + 1, j + 1)

    return match(0, 0)


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """A clone of this project as a user gets one: branch main, an origin, no tags."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    tmp = tmp_path_factory.mktemp("readme")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=COPY_IGNORE)
    init_repo(source, "the project")
    subprocess.run(
        ["git", "clone", "-q", str(source), str(tmp / "clone")], check=True, capture_output=True
    )
    return tmp / "clone"


COMMANDS = readme_commands()
RUN = [(command, output) for command, output, why in COMMANDS if why is None]


def test_the_readme_has_commands_to_run_and_says_why_the_others_are_not():
    assert len(RUN) >= 8, RUN
    for command, _, why in COMMANDS:
        assert why is None or why == "a synopsis" or len(why) > len(ILLUSTRATION) + 10, (
            command,
            why,
        )


@pytest.mark.parametrize(("command", "output"), RUN, ids=[c[:60] for c, _ in RUN])
def test_readme_command_prints_what_the_readme_shows(clone, tmp_path, command, output):
    """Each command shown in the README runs in a clone without tags and prints what the README says."""
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    done = subprocess.run(
        ["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    if output:
        assert same_output(output, done.stdout.splitlines()), (
            f"README shows:\n{chr(10).join(output)}\n\nthe command prints:\n{done.stdout}"
        )


def test_no_example_needs_a_tag():
    """A clone has no tags: no example names one as a revision (`git:v1.0.0`, `--base v1.0.0`, `rev: v1.1.0`)."""
    from click.testing import CliRunner

    tag = re.compile(r"git:v\d|--base v\d|--check v\d|rev: v\d|@v\d+\.\d")
    texts = {doc: (ROOT / doc).read_text(encoding="utf-8") for doc in DOCS}
    texts |= {
        name: (ROOT / name).read_text(encoding="utf-8")
        for name in (".pre-commit-hooks.yaml", "action.yml")
    }
    texts |= {
        f"{name} --help": CliRunner().invoke(cli, [name, "--help"]).stdout for name in cli.commands
    }
    assert {name: tag.findall(text) for name, text in texts.items() if tag.search(text)} == {}
