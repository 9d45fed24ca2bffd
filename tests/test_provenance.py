"""Provenance catches what a careless edit breaks: value, quote, seed file, hash."""

from __future__ import annotations

import csv
import json

from conftest import SHIPPED_WARNINGS
from misti_data.validate import validate_package


def codes(path) -> set[tuple[str, int | None, str | None]]:
    """What validate finds beyond the shipped package's one known warning."""
    return {(f.code, f.row, f.field) for f in validate_package(path).findings} - SHIPPED_WARNINGS


def edit_csv(path, row: int, field: str, value: str) -> None:
    """Set a cell (row numbered as frictionless does: header = 1) and keep the file's layout."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[row - 1][rows[0].index(field)] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def unstamp(pkg) -> None:
    """Drop hash/bytes so a test sees only the finding it provokes."""
    d = json.loads((pkg / "datapackage.json").read_text())
    for r in d["resources"]:
        r.pop("hash", None), r.pop("bytes", None)
    (pkg / "datapackage.json").write_text(json.dumps(d))


def test_shipped_copy_is_clean(shipped):
    assert {(f.code, f.row, f.field) for f in validate_package(shipped).findings} == SHIPPED_WARNINGS


def test_changed_value(shipped):
    unstamp(shipped)
    edit_csv(shipped / "data/observations.csv", 3, "value", "1250000")
    assert codes(shipped) == {("value-not-in-quote", 3, "value")}


def test_scaled_value_reads_back(shipped):
    unstamp(shipped)
    edit_csv(shipped / "data/observations.csv", 3, "value", "1.26")  # forgot the million
    # 1.26 persons is also not a whole count, and a fall from 1,160,181 (2024) a jump: domain rules
    assert codes(shipped) == {("value-not-in-quote", 3, "value"), ("count-not-whole", 3, "value"), ("stock-jump", 3, "value")}



def test_changed_quote(shipped):
    unstamp(shipped)
    edit_csv(shipped / "data/observations.csv", 2, "quote", "with 3,083 large factories operating")
    assert codes(shipped) == set()  # still a verbatim substring
    edit_csv(shipped / "data/observations.csv", 2, "quote", "with 3,083 large factories in operation")
    assert codes(shipped) == {("quote-not-found", 2, "quote")}


def test_wrong_qualifier(shipped):
    unstamp(shipped)
    edit_csv(shipped / "data/observations.csv", 9, "qualifier", "exact")
    assert codes(shipped) == {("qualifier-mismatch", 9, "qualifier")}


def test_missing_seed(shipped):
    (shipped / "seeds/misti-2026-02-24-review-conference.txt").unlink()
    assert codes(shipped) == {("source-missing", 2, "path")}


def test_wrong_hash(shipped):
    seed = shipped / "seeds/misti-2026-02-24-review-conference.txt"
    seed.write_bytes(seed.read_bytes() + b"\n")
    assert codes(shipped) == {("source-hash-mismatch", 2, "sha256")}


def test_text_not_in_quote(shipped):
    unstamp(shipped)
    edit_csv(shipped / "data/priorities.csv", 2, "priority", "reinforcing the NQI")
    assert codes(shipped) == {("text-not-in-quote", 2, "priority")}
