"""Drafting the 2026 release back into a package that lacks its rows restores them exactly."""

from __future__ import annotations

import csv
import json

from conftest import ROOT

SEED = "seeds/misti-2026-02-24-review-conference.txt"
SOURCE = "misti-2026-02-24-review-conference"


def without_source_rows(pkg, source_id: str) -> list[dict]:
    """Remove the observations of `source_id` from the package's CSV; return them."""
    path = pkg / "data" / "observations.csv"
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    kept = [r for r in rows if r["source_id"] != source_id]
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    return [r for r in rows if r["source_id"] == source_id]


def test_draft_write_restores_the_release_rows(shipped, run):
    removed = without_source_rows(shipped, SOURCE)
    assert len(removed) == 10
    assert run("stamp", shipped).exit_code == 0

    result = run("draft", shipped / SEED, shipped, "--write", "--format", "json")

    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert [r["status"] for r in out["rows"]] == ["new"] * 10
    assert out["written"] == ["data/observations.csv", "datapackage.json"]
    diff = run("diff", ROOT, shipped, "--format", "json")
    assert diff.exit_code == 0
    assert json.loads(diff.stdout)["differs"] is False, diff.stdout
    assert run("validate", shipped).exit_code == 0


def test_unplaced_figures_of_the_release_are_no_measures(shipped, run):
    result = run("draft", shipped / SEED, shipped, "--format", "json")

    out = json.loads(result.stdout)
    assert out["published"] == "2026-02-24"
    assert [(u["figure"], u["why"]) for u in out["unplaced"]] == [
        ("24", "a date"),
        ("2026", "a year"),
        ("2025", "a year"),
        ("2026", "a year"),
        ("2025", "a year"),
        ("2025", "a year"),
        ("2025", "a year"),
        ("2025", "a year"),
        ("35", "a duration"),
        ("2026", "a year"),
    ]
    # Every figure of the text is a row or unplaced: 10 rows and 10 unplaced.
    assert len(out["rows"]) == 10
    assert {r["status"] for r in out["rows"]} == {"same"}
