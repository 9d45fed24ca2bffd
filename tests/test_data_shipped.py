"""The shipped 2025 package: every fact of the press release, typed, valid and traceable."""

from __future__ import annotations

import csv
import hashlib

import pytest

from conftest import ROOT

SEED = ROOT / "seeds" / "misti-2026-02-24-review-conference.txt"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / SEED.name

# Written by hand from the press release (not from the CSV): indicator, value, unit, qualifier,
# and the words of the release that state it.
FACTS_2025 = [
    ("large_factories_operating", 3083, "factories", "exact", "3,083 large factories"),
    ("large_factory_workers", 1_260_000, "persons", "more_than", "over 1.26 million workers"),
    (
        "large_factory_workers_women_share",
        71,
        "percent",
        "more_than",
        "more than 71 percent of whom are women",
    ),
    ("clean_water_connections", 1_571_976, "connections", "exact", "1,571,976 connections in 2025"),
    (
        "clean_water_new_connections",
        131_000,
        "connections",
        "more_than",
        "more than 131,000 new connections",
    ),
    ("water_distribution_network_length", 40_565, "kilometres", "exact", "40,565 kilometers"),
    ("water_production", 556_000_000, "cubic_metres", "exact", "556 million cubic meters"),
    (
        "informal_economy_registrations",
        270_000,
        "persons",
        "approximately",
        "approximately 270,000 individuals",
    ),
    (
        "asean_harmonized_standards_adopted",
        129,
        "standards",
        "exact",
        "129 ASEAN Harmonized Standards",
    ),
    ("cambodian_standards_adopted", 81, "standards", "exact", "81 Cambodian standards"),
]
PRIORITIES_2026 = [
    "reinforcing the National Quality Infrastructure",
    "accelerating digital transformation for SMEs",
    "expanding clean water access",
    "strengthening science, technology and innovation",
    "modernizing public service delivery",
    "enhancing institutional effectiveness",
]


def rows(name: str) -> list[dict]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_seed_is_a_verbatim_copy():
    if not SHARED_SEED.exists():
        pytest.skip("the shared seed folder is not beside this checkout")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_frictionless_reports_the_package_valid():
    import frictionless

    report = frictionless.validate(ROOT / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])


def test_cli_reports_the_package_valid(run):
    result = run("validate", ROOT)
    assert result.exit_code == 0, result.output
    assert "valid: 0 errors, 0 warnings in 8 tables" in result.stdout


@pytest.mark.parametrize(("indicator", "value", "unit", "qualifier", "words"), FACTS_2025)
def test_every_seed_fact_is_present(indicator, value, unit, qualifier, words):
    text = SEED.read_text(encoding="utf-8")
    assert words in text  # the expectation itself is read off the release
    units = {r["indicator_id"]: r["unit"] for r in rows("indicators")}
    [obs] = [
        r for r in rows("observations") if r["indicator_id"] == indicator and r["period"] == "2025"
    ]
    assert float(obs["value"]) == value
    assert units[indicator] == unit
    assert obs["qualifier"] == qualifier
    assert obs["area"] == "KH"
    assert obs["quote"] in text


def test_nothing_beyond_the_release_in_2025():
    ids = {
        r["indicator_id"] for r in rows("observations") if r["source_id"].startswith("misti-2026")
    }
    assert ids == {f[0] for f in FACTS_2025}


def test_memberships_and_priorities_follow_the_release():
    text = SEED.read_text(encoding="utf-8")
    roles = {(r["acronym"] or r["organization"], r["role"]) for r in rows("memberships")}
    assert roles == {
        ("ISO", "full_member"),
        ("IEC", "associate_member"),
        ("CODEX Alimentarius", "focal_point"),
    }
    pri = [r for r in rows("priorities") if r["year"] == "2026"]
    assert [r["priority"] for r in sorted(pri, key=lambda r: int(r["rank"]))] == PRIORITIES_2026
    assert text.index(", ".join(PRIORITIES_2026[:5]))  # listed in this order in the release


def test_sources_table_hashes_the_seed():
    [src] = [r for r in rows("sources") if r["kind"] == "local"]
    assert src["published"] == "2026-02-24"
    assert src["sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert src["url"] == ""  # no URL is known for the release; none is made up


def test_pandas_loads_declared_types():
    pd = pytest.importorskip("pandas")
    df = pd.read_csv(ROOT / "data" / "observations.csv", parse_dates=["period_end"])
    assert df["value"].dtype.kind in "if"
    assert df["period"].dtype.kind == "i"
    assert str(df["period_end"].dtype).startswith("datetime64")


def test_polars_loads_declared_types():
    import polars as pl

    df = pl.read_csv(ROOT / "data" / "observations.csv", try_parse_dates=True)
    assert df.schema["period_end"] == pl.Date
    assert df.schema["period"].is_integer()
    assert df.schema["value"].is_numeric()
