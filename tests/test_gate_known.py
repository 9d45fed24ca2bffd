"""The gate judges what the change broke: errors the base has too are known, new ones fail."""

from __future__ import annotations

import json

import pytest

from conftest import ROWS, write_package

BAD = {
    "area": "KH-1",
    "year": 2024,
    "value": "n/a",
    "note": "legacy",
}  # a type-error the base already has
MORE = {"area": "KH-2", "year": 2025, "value": 5, "note": "appended"}


def _gate(run, base, head, *more):
    result = run("ci", head, "--base", base, "--format", "json", *more)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def test_an_error_the_base_has_too_is_known_and_does_not_fail(run, tmp_path):
    base = write_package(tmp_path / "base", [*ROWS, BAD])
    head = write_package(tmp_path / "head", [*ROWS, BAD, MORE], version="1.1.0")
    code, data = _gate(run, base, head)
    assert code == 0, data
    assert data["validation"]["known"] == 1
    assert [f["code"] for f in data["validation"]["findings"]] == ["type-error"]  # listed
    assert (data["version"]["bump"], data["version"]["ok"]) == ("minor", True)
    text = run("ci", head, "--base", base).stdout
    assert "1 of the errors known (the base has them too; --strict fails on them)" in text
    assert "gate passed" in text
    check = run("version", "--check", base, head)
    assert check.exit_code == 0, check.output
    assert "ok: version 1.1.0 follows from the changes" in check.stdout


def test_strict_fails_on_known_errors(run, tmp_path):
    base = write_package(tmp_path / "base", [*ROWS, BAD])
    head = write_package(tmp_path / "head", [*ROWS, BAD, MORE], version="1.1.0")
    code, data = _gate(run, base, head, "--strict")
    assert code == 1
    assert data["version"]["withheld"] == "fix 1 validation error first (type-error)"


@pytest.mark.parametrize("typo", ["3O83", "n/a"])
def test_a_new_error_fails_and_withholds_the_advice(run, tmp_path, typo):
    """A typo in a new row is a new error, also where the base has the same wrong text elsewhere."""
    base = write_package(tmp_path / "base", [*ROWS, BAD])
    head = write_package(tmp_path / "head", [*ROWS, BAD, {**MORE, "value": typo}], version="1.1.0")
    code, data = _gate(run, base, head)
    assert code == 1
    assert data["validation"]["known"] == 1
    assert data["version"]["withheld"] == "fix 1 validation error first (type-error)"
    check = run("version", "--check", base, head)
    assert check.exit_code == 1
    assert "no version advice: fix 1 validation error first (type-error)" in check.stdout


def _ragged(folder, rows: list[str]):
    """The package with its CSV rewritten: every row has one cell more than the header."""
    (folder / "data" / "figures.csv").write_text(
        "area,year,value,note\n" + "".join(f"{r},extra\n" for r in rows), encoding="utf-8"
    )
    return folder


def test_the_same_ragged_rows_in_both_versions_are_compared_by_the_header(run, tmp_path):
    base = _ragged(write_package(tmp_path / "base"), ["KH,2024,10,a", "KH,2025,12.5,b"])
    head = _ragged(
        write_package(tmp_path / "head", version="1.1.0"),
        ["KH,2024,10,a", "KH,2025,12.75,b", "KH,2026,14,c"],
    )
    result = run("version", base, head, "--format", "json")
    assert result.exit_code == 0, result.output
    advice = json.loads(result.stdout)
    assert advice["bump"] == "minor", advice
    assert [r["change"] for r in advice["reasons"]] == [
        "figures: 1 row added",
        "figures: values of 1 row corrected",
    ]
    assert advice["caveats"] == [
        (
            "figures: rows with more cells than the header in both versions (2 old, 3 new): "
            "compared by the columns the header names; the cells beyond it are not compared"
        )
    ]
    code, data = _gate(run, base, head)
    assert code == 0, data
    assert (
        data["validation"]["known"] == 3
    )  # the appended row has the table's own shape: no new defect
    assert data["version"]["required_version"] == "1.1.0"


def test_a_ragged_row_only_in_the_head_still_withholds(run, tmp_path):
    base = write_package(tmp_path / "base")
    head = _ragged(write_package(tmp_path / "head", version="1.1.0"), ["KH,2024,10,a"])
    advice = json.loads(run("version", base, head, "--format", "json").stdout)
    assert advice["bump"] is None
    assert advice["withheld"].startswith("cannot compare figures")


def test_known_errors_are_said_in_github_and_markdown(run, tmp_path):
    base = write_package(tmp_path / "base", [*ROWS, BAD])
    head = write_package(tmp_path / "head", [*ROWS, BAD, MORE], version="1.1.0")
    github = run("ci", head, "--base", base, "--format", "github")
    assert github.exit_code == 0, github.output
    [annotation] = [line for line in github.stdout.splitlines() if "type-error" in line]
    assert annotation.startswith("::warning ") and annotation.endswith(
        '"n/a" is not a number (known: the base has it too) [value]'
    )
    assert github.stdout.splitlines()[-1].startswith(
        "gate passed: 1 validation error, 0 warnings (1 of the errors known: the base has them too)"
    )
    markdown = run("ci", head, "--base", base, "--format", "markdown").stdout
    assert (
        "1 error, 0 warnings in 1 table; 1 of the errors known (the base has them too) |"
        in markdown
    )


def _legacy(n: int) -> list[dict]:
    return [{"area": f"X-{i}", "year": 2000, "value": "n/a", "note": "legacy"} for i in range(n)]


def test_errors_past_the_readers_cap_are_known_only_as_many_as_the_base_has(run, tmp_path):
    # 1,100 type errors: 1,000 kept (the reader's cap per code), 100 withheld as a count.
    base = write_package(tmp_path / "base", [*ROWS, *_legacy(1_100)])
    same = write_package(tmp_path / "same", [*ROWS, *_legacy(1_100), MORE], version="1.1.0")
    code, data = _gate(run, base, same)
    assert code == 0, data["validation"]["counts"]
    # 50 more of the same error, all past the cap: new, though no kept finding is.
    worse = write_package(tmp_path / "worse", [*ROWS, *_legacy(1_150), MORE], version="1.1.0")
    code, data = _gate(run, base, worse)
    assert code == 1
    assert data["validation"]["counts"]["error"] == 1_150
