"""`misti-data draft --write` adds new rows and the new source, only while the package stays
valid, and refuses what it cannot read with one line and exit 2, writing nothing."""

from __future__ import annotations

import csv
import hashlib
import json
import os

import pytest

NEW_RELEASE = (
    "Phnom Penh, March 2, 2027 — The ministry recorded 214 new large factories last year.\n"
    "In 2026, 95 Cambodian standards were adopted.\n"
    "The ministry now counts 3,090 large factories operating nationwide at the end of 2025.\n"
)


def snapshot(pkg) -> dict[str, bytes]:
    """Every file of the package, to show that nothing was written."""
    return {
        str(p.relative_to(pkg)): p.read_bytes()
        for p in sorted(pkg.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def rows_of(pkg, name: str) -> list[dict]:
    with open(pkg / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_write_adds_the_source_and_new_rows_never_a_revision(shipped, run):
    seed = shipped / "seeds" / "misti-2027-03-02-review.txt"
    seed.write_text(NEW_RELEASE, encoding="utf-8")

    result = run("draft", seed, shipped, "--write", "--title", "[Review of 2026]")

    assert result.exit_code == 0, result.stderr
    assert "wrote data/sources.csv, data/observations.csv, datapackage.json" in result.stdout
    source = rows_of(shipped, "sources")[-1]
    assert source["source_id"] == "misti-2027-03-02-review"
    assert (source["kind"], source["title"], source["published"]) == (
        "local",
        "[Review of 2026]",
        "2027-03-02",
    )
    assert source["path"] == "seeds/misti-2027-03-02-review.txt"
    assert source["sha256"] == hashlib.sha256(seed.read_bytes()).hexdigest()
    added = [r for r in rows_of(shipped, "observations") if r["source_id"] == source["source_id"]]
    assert [(r["indicator_id"], r["value"], r["quote"]) for r in added] == [
        ("large_factories_opened", "214", "214 new large factories last year"),
        ("cambodian_standards_adopted", "95", "95 Cambodian standards were adopted"),
    ]
    assert run("validate", shipped).exit_code == 0


def test_a_second_draft_finds_the_rows_it_wrote(shipped, run):
    seed = shipped / "seeds" / "misti-2027-03-02-review.txt"
    seed.write_text(NEW_RELEASE, encoding="utf-8")
    run("draft", seed, shipped, "--write")

    again = json.loads(run("draft", seed, shipped, "--format", "json").stdout)

    assert [(r["indicator_id"], r["status"]) for r in again["rows"]] == [
        ("large_factories_opened", "same"),
        ("cambodian_standards_adopted", "same"),
        ("large_factories_operating", "revision"),
    ]
    assert again["source_is_new"] is False


def test_write_refuses_what_would_make_the_package_invalid(shipped, run):
    seed = shipped / "seeds" / "bad.txt"
    seed.write_text(
        "Phnom Penh, March 2, 2027 — Large factories kept employing 1.3 million workers in 2026, "
        "more than 171 percent of whom are women.\n",
        encoding="utf-8",
    )
    before = snapshot(shipped)

    result = run("draft", seed, shipped, "--write")

    assert result.exit_code == 1
    assert "not written: the package would be invalid" in result.stderr
    assert "percent-out-of-range" in result.stderr
    assert snapshot(shipped) == before
    assert not [p for p in (shipped / "data").iterdir() if p.name.startswith(".")]


def test_write_refuses_a_source_path_with_another_sha256(shipped, run):
    seed = shipped / "seeds" / "misti-2026-02-24-review-conference.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    before = snapshot(shipped)

    result = run("draft", seed, shipped, "--write")

    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: seeds/misti-2026-02-24-review-conference.txt is source "
        "'misti-2026-02-24-review-conference' with sha256 2ec1ee0344ef…"
    )
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(shipped) == before


def test_write_refuses_a_file_outside_the_package(shipped, run, tmp_path):
    outside = tmp_path / "release.txt"
    outside.write_text(NEW_RELEASE, encoding="utf-8")
    before = snapshot(shipped)

    result = run("draft", outside, shipped, "--write")

    assert result.exit_code == 2
    assert "outside the package" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(shipped) == before


def _binary(path):
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def _empty(path):
    path.write_bytes(b"")


def _fifo(path):
    os.mkfifo(path)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_binary, "a binary file, not text; save the publication as text or HTML"),
        (_empty, "the file is empty"),
        (_fifo, "a named pipe (FIFO), not a regular file; not read"),
    ],
)
def test_unreadable_input_is_one_line_and_exit_2(shipped, run, make, message):
    path = shipped / "seeds" / "input.txt"
    make(path)
    before = snapshot(shipped)

    result = run("draft", path, shipped, "--write")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {path}: {message}\n"
    assert snapshot(shipped) == before


def test_a_text_without_dateline_asks_for_the_date(shipped, run):
    path = shipped / "seeds" / "undated.txt"
    path.write_text("The ministry recorded 214 new large factories last year.\n", encoding="utf-8")

    result = run("draft", path, shipped)

    assert result.exit_code == 2
    assert "no dateline found; give the date with --published YYYY-MM-DD" in result.stderr


def test_a_file_outside_the_package_drafts_without_write(shipped, run, tmp_path):
    outside = tmp_path / "release.txt"
    outside.write_text(NEW_RELEASE, encoding="utf-8")

    result = run("draft", outside, shipped, "--format", "json")

    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert out["source"]["path"] is None
    assert [r["indicator_id"] for r in out["rows"]][:1] == ["large_factories_opened"]


def test_write_keeps_a_crlf_file_crlf(shipped, run):
    obs = shipped / "data" / "observations.csv"
    obs.write_bytes(obs.read_bytes().replace(b"\n", b"\r\n"))
    run("stamp", shipped)
    seed = shipped / "seeds" / "misti-2027-03-02-review.txt"
    seed.write_text(NEW_RELEASE, encoding="utf-8")

    result = run("draft", seed, shipped, "--write")

    assert result.exit_code == 0, result.stderr
    data = obs.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert data.endswith(b"95 Cambodian standards were adopted,,\r\n")
