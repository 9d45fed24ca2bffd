"""`misti-data --help` stays fast: importing the CLI imports no heavy library; each is imported
inside the function that needs it (tests/test_layers.py checks where)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = (
    "polars",
    "frictionless",
    "pandera",
    "pandas",
    "openpyxl",
    "csvw",
    "sqlite3",
    "altair",
    "vl_convert",
)


@pytest.fixture(scope="module")
def imported() -> set[str]:
    """The modules a fresh interpreter holds after `import misti_data.cli`."""
    code = "import sys, misti_data.cli; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("library", HEAVY)
def test_the_cli_does_not_import(imported, library):
    assert library not in imported


def test_the_check_can_fail(imported):
    assert "click" in imported and "misti_data.cli" in imported
