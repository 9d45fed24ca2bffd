"""Shared fixtures: copies of real packages in a temp folder, and the CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from misti_data.cli import cli

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = Path(__file__).resolve().parent / "packages"
SHIPPED = ("datapackage.json", "data", "schemas", "seeds")


def copy_shipped(dest: Path) -> Path:
    """A copy of the project's own package (descriptor, data, schemas, seeds) at `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SHIPPED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    return copy_shipped(tmp_path / "pkg")


@pytest.fixture
def run():
    """Invoke the real CLI; stdout and stderr stay apart (Click >= 8.2)."""

    def invoke(*args: str):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/ files from the current output.")


@pytest.fixture
def golden(request):
    """Compare text with a golden file, or rewrite it under --update-golden (then read the diff!)."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = Path(__file__).resolve().parent / "golden" / name
        if update:
            path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text, f"{name} differs; rerun with --update-golden and review"

    return check
