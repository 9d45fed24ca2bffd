"""`misti-data release` end to end, in a temp git repository holding a copy of our package."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
import zipfile

import feedparser
import pytest

from conftest import ROOT, append_row, copy_shipped, validate_cff
from misti_data import release as release_module

# Made-up figures for a made-up 2027 report: test data that only ever lives in temp repositories.
CITED = dict(
    source_id="test-report-2027",
    kind="cited",
    title="Test report for 2026",
    publisher="Test publisher",
    outlet="Test outlet",
    official="true",
    published="2027-02-20",
    url="https://example.org/2027",
)
ROW_2026 = dict(
    indicator_id="clean_water_connections",
    period="2026",
    period_end="2026-12-31",
    area="KH",
    value="1600000",
    qualifier="exact",
    source_id="test-report-2027",
)


def _git(repo, *args):
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


def _commit(repo, message="change"):
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", message)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """Our package with its README, licences and changelog, committed in a fresh git repository."""
    pkg = copy_shipped(tmp_path / "repo")
    for name in ("README.md", "LICENSE", "LICENSE-DATA.md", "CHANGELOG.md", "CITATION.cff"):
        shutil.copy2(ROOT / name, pkg / name)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01
    _set_version(pkg, "1.0.0")  # whatever version main has reached, these tests start from 1.0.0
    _git(pkg, "init", "-q")
    _commit(pkg, "init")
    monkeypatch.chdir(pkg)
    return pkg


def _add_2026_row(pkg, run):
    append_row(pkg / "data" / "sources.csv", CITED)
    append_row(pkg / "data" / "observations.csv", ROW_2026)
    assert run("stamp", pkg).exit_code == 0


def _set_version(pkg, version):
    path = pkg / "datapackage.json"
    path.write_text(
        re.sub(r'"version": "[^"]*"', f'"version": "{version}"', path.read_text(), count=1)
    )


def test_release_then_next_year(run, repo):
    first = run("release")
    assert first.exit_code == 0, first.output
    archive = repo / "releases" / "misti-indicators-1.0.0.zip"
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert (
        repo / "releases" / "SHA256SUMS"
    ).read_text() == f"{digest}  misti-indicators-1.0.0.zip\n"
    assert (
        first.stdout.splitlines()[0]
        == "released misti-indicators 1.0.0: releases/misti-indicators-1.0.0.zip"
    )
    assert 'git tag -a v1.0.0 -m "misti-indicators 1.0.0"' in first.stdout
    changelog = (repo / "CHANGELOG.md").read_text()
    assert "## 1.0.0 — 2027-01-01\n\nFirst edition: MISTI's figures for 2025" in changelog
    assert (
        f"- `observations`: {len((repo / 'data' / 'observations.csv').read_text().splitlines()) - 1} rows\n"
        in changelog
    )
    assert "unreleased" not in changelog
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
    assert names == sorted(names)
    assert "misti-indicators-1.0.0/seeds/misti-2026-02-24-review-conference.txt" in names
    assert "misti-indicators-1.0.0/CHANGELOG.md" in names
    assert not any("releases/" in n for n in names)
    _commit(repo, "Release 1.0.0")

    _add_2026_row(repo, run)
    check = run("version", "--check", "releases/misti-indicators-1.0.0.zip")
    assert check.exit_code == 1
    assert (
        check.stdout.splitlines()[-1]
        == "datapackage.json says 1.0.0; sources: 1 row added; observations: 1 row added (MINOR): use 1.1.0"
    )
    assert run("version", "--check", "git:HEAD").stdout == check.stdout.replace(
        "releases/misti-indicators-1.0.0.zip", "git:HEAD"
    )

    _commit(repo)
    again = run("release")
    assert again.exit_code == 2
    assert again.stderr.startswith(
        "Error: version 1.0.0 is already released (releases/misti-indicators-1.0.0.zip)"
    )

    _set_version(repo, "1.1.0")
    dirty = run("release")
    assert dirty.exit_code == 2
    assert (
        dirty.stderr
        == "Error: uncommitted changes to datapackage.json: commit them before releasing\n"
    )
    _commit(repo)
    assert run("version", "--check", "git:HEAD~1").exit_code == 0
    second = run("release")
    assert second.exit_code == 0, second.output
    changelog = (repo / "CHANGELOG.md").read_text()
    assert changelog.index("## 1.1.0") < changelog.index("## 1.0.0")
    assert (
        "Changes since 1.0.0:\n\n- `sources`: 1 row added.\n"
        "- Clean-water connections (`clean_water_connections`): 1 row added (2026) in `observations`.\n"
        in changelog
    )
    assert (repo / "releases" / "SHA256SUMS").read_text().count("\n") == 2


def test_a_release_is_made_for_a_data_consumer(run, repo, tmp_path):
    assert run("release").exit_code == 0
    with zipfile.ZipFile(repo / "releases" / "misti-indicators-1.0.0.zip") as zf:
        zf.extractall(tmp_path / "unzipped")
    top = tmp_path / "unzipped" / "misti-indicators-1.0.0"
    assert sorted(p.name for p in top.iterdir()) == [
        "CHANGELOG.md",
        "CITATION.cff",
        "LICENSE-DATA.md",
        "README.md",
        "data",
        "datapackage.json",
        "schemas",
        "seeds",
    ]
    assert sorted(p.name for p in (top / "seeds").iterdir()) == [
        "misti-2026-02-24-review-conference.txt"
    ]
    # The README is the data's, generated from the descriptor: not the tool's (no command reference).
    readme = (top / "README.md").read_text()
    assert (
        readme != (ROOT / "README.md").read_text()
        and "$ misti-data" not in readme
        and "## Commands" not in readme
    )
    assert readme.startswith("# Cambodia MISTI yearly indicators — version 1.0.0\n")
    descriptor = json.loads((top / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        schema = json.loads((top / resource["schema"]).read_text())
        with open(top / resource["path"], encoding="utf-8", newline="") as f:
            rows = sum(1 for _ in csv.DictReader(f))
        section = readme.split(f"### `{resource['name']}`")[1].split("\n### ")[0]
        assert f"; {rows:,} rows; one row per" in section, resource["name"]
        for field in schema["fields"]:
            assert f"| `{field['name']}` | {field['type']}" in section, (
                resource["name"],
                field["name"],
            )
            assert field["description"].replace("|", "\\|") in section, (
                resource["name"],
                field["name"],
            )
    assert "| `observations.qualifier`" not in readme
    assert "one of `exact`, `more_than`, `approximately`" in readme  # a column's rules
    assert (
        "| `large_factories_operating` | Large factories operating | factories |" in readme
    )  # units
    assert (
        "- Creative Commons Attribution 4.0 (CC-BY-4.0): https://creativecommons.org/licenses/by/4.0/"
        in readme
    )
    assert (
        "## How to cite\n\n> Ministry of Industry, Science, Technology & Innovation (MISTI), Cambodia. "
        "*Cambodia MISTI yearly indicators*, version 1.0.0. Licence CC-BY-4.0.\n" in readme
    )
    assert "`CHANGELOG.md` lists what changed" in readme
    # The changelog a consumer reads names no internal issue numbers.
    assert re.findall(r"(?i)\bissues? \d+", (top / "CHANGELOG.md").read_text()) == []
    # The citation is valid CFF 1.2.0, with the release's version and date.
    cff = (top / "CITATION.cff").read_text()
    assert "\nversion: 1.0.0\n" in cff and '\ndate-released: "2027-01-01"\n' in cff
    assert cff == (repo / "CITATION.cff").read_text()
    assert validate_cff(top / "CITATION.cff") == (0, "ok -- validation done\n")
    # The feed: one entry per release, newest first, each with its version, date, changelog section and archive.
    feed = feedparser.parse((repo / "releases" / "feed.atom").read_bytes())
    assert feed.bozo == 0 and feed.version == "atom10"
    sections = re.findall(r"(?m)^## (\S+) — (\S+)$", (repo / "CHANGELOG.md").read_text())
    assert [(e.title, e.updated[:10]) for e in feed.entries] == [
        (f"Cambodia MISTI yearly indicators {v}", d) for v, d in sections
    ]
    first = feed.entries[0]
    assert first.id == "urn:data-package:misti-indicators:1.0.0"
    assert first.content[0].value.startswith("<p>First edition: MISTI")
    assert (
        "<li><code>observations</code>: " in first.content[0].value
    )  # the generated list, as HTML
    assert [link.href for link in first.links if link.rel == "enclosure"] == [
        "misti-indicators-1.0.0.zip"
    ]


def test_an_invalid_citation_is_caught(tmp_path):
    bad = tmp_path / "CITATION.cff"
    bad.write_text(
        (ROOT / "CITATION.cff")
        .read_text()
        .replace("date-released:", "date-released: 30 November\nx-date:")
    )
    code, output = validate_cff(bad)
    assert code == 1 and "date-released" in output


def test_a_revised_value_needs_a_reason(run, repo):
    assert run("release").exit_code == 0
    _commit(repo, "Release 1.0.0")
    obs = repo / "data" / "observations.csv"
    obs.write_text(
        obs.read_text().replace(
            '1571976,exact,misti-2026-02-24-review-conference,"reaching 1,571,976 connections in 2025"',
            "1572000,exact,test-report-2027,",
        )
    )
    append_row(repo / "data" / "sources.csv", CITED)
    run("stamp", repo)
    report = run("validate")
    assert report.exit_code == 1
    assert "unexplained-revision (1 error)" in report.stdout
    assert "published value 1,571,976 changed to 1,572,000" in report.stdout
    check = run("version", "--check", "releases/misti-indicators-1.0.0.zip")
    assert check.exit_code == 1 and "unexplained-revision" in check.stdout

    with open(repo / "data" / "revisions.csv", "a", encoding="utf-8") as f:
        f.write(
            "2025-12-31,clean_water_connections,KH,1571976,1572000,The 2027 report corrects the 2025 count,test-report-2027\n"
        )
    run("stamp", repo)
    assert run("validate").exit_code == 0
    _set_version(repo, "1.1.0")  # a new source and a revisions row are rows added: MINOR
    assert run("version", "--check", "releases/misti-indicators-1.0.0.zip").exit_code == 0
    _commit(repo)
    assert run("release").exit_code == 0
    assert (
        "- Clean-water connections (`clean_water_connections`), 2025 (KH, 2025-12-31): "
        "revised 1,571,976 → 1,572,000; reason: The 2027 report corrects the 2025 count.\n"
    ) in (repo / "CHANGELOG.md").read_text()


def test_archives_are_reproducible(run, repo, tmp_path):
    other = shutil.copytree(repo, tmp_path / "other")
    for p in other.rglob("*.csv"):
        p.touch()  # new mtimes must not change the bytes
    assert run("release", repo).exit_code == 0
    assert run("release", other).exit_code == 0
    name = "releases/misti-indicators-1.0.0.zip"
    assert (repo / name).read_bytes() == (other / name).read_bytes()
    with zipfile.ZipFile(repo / name) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in zf.infolist()} == {0o100644}
    assert run("validate", repo / name).exit_code == 0
    assert run("diff", repo / name, repo, "--exit-code").exit_code == 0


def test_an_interrupted_release_can_be_rerun(run, repo, monkeypatch):
    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(release_module, "build_archive", fail)
    assert run("release").exit_code == 2
    assert not (repo / "releases").exists()
    monkeypatch.undo()
    monkeypatch.chdir(repo)
    _commit(repo, "half a release")
    assert run("release").exit_code == 0
    assert (repo / "CHANGELOG.md").read_text().count("## 1.0.0") == 1


def test_invalid_package_is_not_released(run, repo):
    obs = repo / "data" / "observations.csv"
    obs.write_text(obs.read_text().replace(",3083,", ",3084,"))
    _commit(repo)
    result = run("release")
    assert result.exit_code == 1  # invalid data, as in every command
    assert (
        result.stderr
        == ".: not released: the package is invalid (1 error); run `misti-data validate .`\n"
    )
    assert not (repo / "releases").exists()


def test_release_needs_a_folder(run, repo):
    result = run("release", repo / "datapackage.json")
    assert result.exit_code == 2


def test_the_shipped_citation_is_valid_and_in_step_with_the_latest_release():
    assert validate_cff(ROOT / "CITATION.cff") == (0, "ok -- validation done\n")
    cff = (ROOT / "CITATION.cff").read_text()
    version = json.loads((ROOT / "datapackage.json").read_text())["version"]
    [date] = re.findall(
        rf"(?m)^## {re.escape(version)} — (\S+)$", (ROOT / "CHANGELOG.md").read_text()
    )
    assert re.findall(r"(?m)^(version|date-released): (.*)$", cff) == [
        ("version", version),
        ("date-released", f'"{date}"'),
    ]
    assert (ROOT / "releases" / f"misti-indicators-{version}.zip").is_file()
    assert re.findall(r"(?i)\bissues? \d+", (ROOT / "CHANGELOG.md").read_text()) == []


def test_without_a_separate_data_licence_the_licence_file_ships(run, repo):
    (repo / "LICENSE-DATA.md").unlink()
    _commit(repo, "one licence")
    assert run("release").exit_code == 0
    with zipfile.ZipFile(repo / "releases" / "misti-indicators-1.0.0.zip") as zf:
        top = sorted({n.split("/")[1] for n in zf.namelist()})
    assert top == [
        "CHANGELOG.md",
        "CITATION.cff",
        "LICENSE",
        "README.md",
        "data",
        "datapackage.json",
        "schemas",
        "seeds",
    ]
