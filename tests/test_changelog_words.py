"""The generated changelog speaks of the data: tables, columns, rows per indicator, revised values
and edited notes; never of the tool (its settings block, its check codes, its commands)."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest

from conftest import ROOT, copy_shipped
from misti_data.changelog import changelog_section
from misti_data.diff import diff_packages
from misti_data.package import load_package

RELEASES = ROOT / "releases"
DAY = dt.date(2027, 1, 1)


def section(old, new) -> str:
    with load_package(old) as o, load_package(new) as n:
        diff = diff_packages(o, n)
        return changelog_section(n, n.descriptor["version"], DAY, diff, o.descriptor["version"])


def release(version: str):
    return RELEASES / f"misti-indicators-{version}.zip"


def test_the_1_3_0_changes_read_as_a_data_users_log():
    assert section(release("1.2.0"), release("1.3.0")) == (
        "## 1.3.0 — 2027-01-01\n\nChanges since 1.2.0:\n\n"
        "- `sources`: 2 rows added.\n"
        "- Large factories opened (`large_factories_opened`): 1 row added (2019) in `observations`.\n"
        "- Large factories operating (`large_factories_operating`): 1 row added (2019) in `observations`.\n"
        "- New table `vintages`: 6 rows.\n"
    )


def test_edited_notes_are_notes_edited_and_new_indicators_and_columns_are_named():
    text = section(release("1.1.0"), release("1.2.0"))
    assert "- `observations`: notes edited (5 rows).\n" in text
    assert "Corrected" not in text and "No published value" not in text
    assert (
        "- New indicators: Small and medium enterprises closed (`sme_closures`) and "
        "Jobs lost through SME closures (`sme_jobs_lost`).\n"
    ) in text
    assert (
        "- `indicators`: measure edited (1 row), of_indicator edited (1 row) and notes edited (2 rows).\n"
    ) in text
    assert "- New column `observations.rounded_to`: The figure is printed rounded to" in text
    assert (
        "- Workers employed by large factories (`large_factory_workers`): 1 row added (2021) "
        "in `observations`.\n"
    ) in text


@pytest.mark.parametrize("old, new", [("1.0.0", "1.1.0"), ("1.1.0", "1.2.0"), ("1.2.0", "1.3.0")])
def test_no_tool_words(run, old, new):
    text = section(release(old), release(new))
    assert "misti_data" not in text and "misti-data" not in text  # the settings block, the commands
    assert "Package description updated" not in text
    codes = [c["code"] for c in json.loads(run("checks", "--format", "json").stdout)["codes"]]
    assert len(codes) > 20 and [c for c in codes if c in text] == []


def test_a_release_that_only_edits_notes(tmp_path):
    old = copy_shipped(tmp_path / "old")
    new = copy_shipped(tmp_path / "new")
    obs = new / "data" / "observations.csv"
    with open(obs, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    rows[0]["notes"] += " Printed in words in the source."
    with open(obs, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, reader.fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    version = json.loads((new / "datapackage.json").read_text())["version"]
    assert section(old, new).endswith(
        f"Changes since {version}:\n\n- `observations`: notes edited (1 row).\n"
    )


def test_a_change_to_the_settings_block_alone_is_no_change_to_the_data(tmp_path):
    old = copy_shipped(tmp_path / "old")
    new = copy_shipped(tmp_path / "new")
    path = new / "datapackage.json"
    descriptor = json.loads(path.read_text())
    descriptor["misti_data"]["indicators"]["percent_units"].append("per_mille")
    path.write_text(json.dumps(descriptor, indent=2))
    assert section(old, new).endswith(":\n\n- No change to the data.\n")
