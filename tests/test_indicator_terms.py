"""Every indicator has terms, the wording `misti-data draft` places figures by: validation
refuses an indicator without them, so a new indicator cannot be added and forgotten."""

from __future__ import annotations

import csv
import json

from conftest import ROOT


def test_an_indicator_without_terms_is_invalid(shipped, run):
    path = shipped / "data" / "indicators.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[3]["terms"] = ""
    rows[5]["terms"] = "distribution network; "
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    run("stamp", shipped)

    result = run("validate", shipped, "--format", "json")

    assert result.exit_code == 1
    found = [
        (f["code"], f["row"], f["field"])
        for f in json.loads(result.stdout)["findings"]
        if f["field"] == "terms"
    ]
    assert found == [("constraint-error", 5, "terms"), ("constraint-error", 7, "terms")]


def test_the_shipped_indicators_all_have_terms():
    with open(ROOT / "data" / "indicators.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["indicator_id"] for r in rows if not r["terms"].strip()] == []
