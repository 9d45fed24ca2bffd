"""What the test modules share (none imports another): copies of real packages in a temp folder, the
CLI runner, small made-up packages, temp git repositories and CSV edits."""

from __future__ import annotations

import csv
import json
import os
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
# while the series had two earlier changes; with the 2021 year-end count it has four, the
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
        # No input in the suite may be an "internal error": every failure is a named one-liner.
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


# --- made-up packages, git repositories, CSV edits --------------------------------------------


def row_of(path, indicator, period, area="KH", end=None) -> int:
    """The row number (header = 1) of an observation; `end` picks one period_end where a year has several."""
    with open(path, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            if (row["indicator_id"], row["period"], row["area"]) == (
                indicator,
                str(period),
                area,
            ) and end in (None, row["period_end"]):
                return n
    raise LookupError((indicator, period, area))


def set_observation(path, indicator, period, area, value) -> None:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[row_of(path, indicator, period, area) - 1][4] = str(value)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def validate_json(run, pkg):
    result = run("validate", pkg, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def unstamp(pkg) -> None:
    """Drop hash/bytes so a test sees only the finding it provokes."""
    d = json.loads((pkg / "datapackage.json").read_text())
    for r in d["resources"]:
        r.pop("hash", None), r.pop("bytes", None)
    (pkg / "datapackage.json").write_text(json.dumps(d))


# What a repository not under git would need: the copy of this one the action installs from.
COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv*",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".ruff_cache",
    "site",
    "exports",
    "benchmarks",
)


# A made-up cited figure, only ever in these temp repositories: it lets the base hold a
# published value that a change can revise without touching a quote.
GAZETTE = dict(
    source_id="test-gazette",
    kind="cited",
    title="Test Gazette",
    publisher="Test Gazette",
    outlet="Test Gazette",
    official="false",
    url="https://example.org/gazette",
)


BASE_ROW = dict(
    indicator_id="clean_water_connections",
    period="2024",
    period_end="2024-12-31",
    area="KH",
    value="1440000",
    qualifier="exact",
    source_id="test-gazette",
)

NEXT_YEAR = {**BASE_ROW, "period": "2026", "period_end": "2026-12-31", "value": "1700000"}


def git(repo, *args):
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


def add_warning(repo):
    """A new figure said to be 'approximately' 1,712,345: a qualifier-not-round warning, nothing more."""
    append_row(
        repo / "data/observations.csv",
        {**NEXT_YEAR, "value": "1712345", "qualifier": "approximately"},
    )


def init_repo(repo, message="base"):
    """Make `repo` a git repository on branch main with everything in it committed."""
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return repo


def set_value(path, old: dict, value: str):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0])
    for r in rows:
        if all(r[k] == v for k, v in old.items()):
            r["value"] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def set_version(repo, version):
    d = json.loads((repo / "datapackage.json").read_text())
    d["version"] = version
    (repo / "datapackage.json").write_text(json.dumps(d, indent=2))


# --- small one-table packages, for the diff, version and release tests ---------------------------

FIELDS = [
    {"name": "area", "type": "string", "constraints": {"required": True}},
    {"name": "year", "type": "year", "constraints": {"required": True}},
    {"name": "value", "type": "number", "constraints": {"minimum": 0}},
    {"name": "note", "type": "string"},
]
ROWS = [
    {"area": "KH", "year": 2024, "value": 10, "note": "first"},
    {"area": "KH", "year": 2025, "value": 12.5, "note": ""},
    {"area": "KH-12", "year": 2025, "value": 3, "note": "city"},
]


def write_package(
    folder: Path,
    rows: list[dict] | None = None,
    *,
    fields: list[dict] | None = None,
    key: list[str] | None = ("area", "year"),
    version: str = "1.0.0",
    name: str = "things",
    resource: str = "figures",
    **descriptor,
) -> Path:
    """A one-table package: datapackage.json with an inline schema and data/<resource>.csv."""
    fields = FIELDS if fields is None else fields
    rows = ROWS if rows is None else rows
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    names = [f["name"] for f in fields]
    with open(folder / "data" / f"{resource}.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=names, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    schema = {"fields": fields}
    if key:
        schema["primaryKey"] = list(key)
    desc = {
        "name": name,
        "version": version,
        "licenses": [{"name": "CC0-1.0"}],
        "sources": [{"title": "tests"}],
        "resources": [
            {"name": resource, "path": f"data/{resource}.csv", "format": "csv", "schema": schema}
        ],
        **descriptor,
    }
    (folder / "datapackage.json").write_text(json.dumps(desc, indent=2) + "\n", encoding="utf-8")
    return folder


def edit_descriptor(folder: Path, change) -> None:
    """Apply `change(descriptor)` to datapackage.json in place."""
    path = folder / "datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    change(desc)
    path.write_text(json.dumps(desc, indent=2) + "\n", encoding="utf-8")


def field(desc: dict, name: str) -> dict:
    return next(f for f in desc["resources"][0]["schema"]["fields"] if f["name"] == name)
