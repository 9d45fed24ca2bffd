"""docs/architecture.md names every module under src/, so a newcomer finds each one from it."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "misti_data"


def names(path: Path) -> set[str]:
    """How the page may name a module: its path in backticks (a package also by its folder)."""
    rel = path.relative_to(SRC).as_posix()
    found = {f"`{rel}`"}
    if path.name == "__init__.py" and path.parent != SRC:
        found.add(f"`{path.parent.relative_to(SRC).as_posix()}/`")
    return found


def test_every_module_is_named_in_the_architecture_page():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = sorted(
        p.relative_to(SRC).as_posix()
        for p in SRC.rglob("*.py")
        if not any(n in page for n in names(p))
    )
    assert missing == []


def test_the_check_can_fail(tmp_path):
    assert names(SRC / "tables" / "__init__.py") == {"`tables/__init__.py`", "`tables/`"}
    assert names(SRC / "cli.py") == {"`cli.py`"}
