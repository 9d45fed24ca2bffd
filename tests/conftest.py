"""Shared fixtures: copies of real packages in a temp folder, and the CLI runner."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from misti_data.cli import cli

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = Path(__file__).resolve().parent / "packages"
# Upstream cases built once beside the checkout (../shared/README-upstream.md), for CI, which reaches no GitHub.
SHARED = ROOT.parent / "shared"
SHIPPED = ("datapackage.json", "data", "schemas", "seeds")
# The shipped package's expected findings: none. The 2024→2025 large-factory jump (+27.1 %) warned
# while the series had two earlier changes; with the 2021 year-end count (issue 13) it has four, the
# largest +14.1 %, and +27.1 % is within twice that (test_data_factory_series checks both cases).
SHIPPED_WARNINGS: set[tuple[str, int, str]] = set()
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium "
    "(apt-get install chromium; .ci/run installs it)",
)


def launch_chromium(playwright):
    """Debian's headless Chromium, through Playwright (which cannot download its own browser here);
    Playwright gives it a fresh temporary profile (--user-data-dir) of its own."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )


def copy_shipped(dest: Path, beside: tuple[str, ...] = ()) -> Path:
    """A copy of the project's own package (descriptor, data, schemas, seeds) at `dest`, with the
    repository's files named in `beside` (releases, CHANGELOG.md…)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SHIPPED + beside:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


def built(local: Path, shared: Path) -> Path:
    """`local` when build.py wrote it there, else the copy under ../shared (which may be absent too)."""
    return local if local.exists() else shared


def append_row(path: Path, row: dict) -> None:
    """Add a row under the CSV's own header (columns not given stay empty), whatever columns it has."""
    with open(path, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    with open(path, "a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, header, lineterminator="\n").writerow(row)


def validate_cff(path: Path) -> tuple[int, str]:
    """CITATION.cff against the CFF 1.2.0 schema that check-jsonschema ships; the CLI's output on failure."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.citation-file-format",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    return copy_shipped(tmp_path / "pkg")


@pytest.fixture
def run():
    """Invoke the real CLI; stdout and stderr stay apart (Click >= 8.2)."""

    def invoke(*args: str):
        result = CliRunner().invoke(
            cli, [str(a) for a in args], prog_name="misti-data", catch_exceptions=False
        )
        # No input in the suite may be an "internal error" (issue 18): every failure is a named one-liner.
        assert "internal error" not in result.stderr, result.stderr
        return result

    return invoke


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/ files from the current output.",
    )


@pytest.fixture
def golden(request):
    """Compare text with a golden file, or rewrite it under --update-golden (then read the diff!)."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = Path(__file__).resolve().parent / "golden" / name
        if update:
            path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text, (
            f"{name} differs; rerun with --update-golden and review"
        )

    return check
