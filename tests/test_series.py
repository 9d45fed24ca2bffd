"""The earlier years: the large-factory series, cited sources, provinces.

Expected figures are written by hand from the publications named in data/sources.csv, as
re-checked with a search of their text (see the sources' URLs); not read off the CSV.
"""

from __future__ import annotations

import csv

from conftest import ROOT

# (year, operating at year end, opened, closed) as the publications print them; None = not published.
LARGE_FACTORIES = [
    (2020, 1864, 235, 101),
    (2021, None, 163, 148),
    (2022, 1982, 186, 83),
    (2023, 2125, 241, 98),
    (2024, 2425, 326, 26),
    (2025, 3083, None, None),
]
PROVINCES_2024 = {"KH-12": 818, "KH-5": 381, "KH-8": 358, "KH-18": 257, "KH-20": 232, "KH-21": 139, "KH-3": 38, "KH-4": 37}


def rows(name: str) -> list[dict]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def series(indicator: str, area: str = "KH") -> dict[str, float]:
    return {r["period_end"]: float(r["value"]) for r in rows("observations") if r["indicator_id"] == indicator and r["area"] == area}


def test_large_factory_series_is_as_published():
    for name, col in (("large_factories_operating", 1), ("large_factories_opened", 2), ("large_factories_closed", 3)):
        got = {k: v for k, v in series(name).items() if k.endswith("-12-31")}
        want = {f"{row[0]}-12-31": row[col] for row in LARGE_FACTORIES if row[col] is not None}
        assert got == want, name


def test_stock_flow_identity_holds_on_the_shipped_series():
    stock, opened, closed = (series(f"large_factories_{x}") for x in ("operating", "opened", "closed"))
    checked = 0
    for year in range(2021, 2026):
        keys = [f"{year - 1}-12-31", f"{year}-12-31"]
        if keys[0] in stock and keys[1] in stock and keys[1] in opened and keys[1] in closed:
            assert stock[keys[1]] == stock[keys[0]] + opened[keys[1]] - closed[keys[1]], year
            checked += 1
    assert checked == 2  # 2023 and 2024; 2021 has no year-end stock, 2025 no flows


def test_october_2021_is_explicit_not_a_year_end():
    assert series("large_factories_operating")["2021-10-31"] == 1849
    assert "2021-12-31" not in series("large_factories_operating")
    women, workers = series("large_factory_women_workers")["2021-10-31"], series("large_factory_workers")["2021-10-31"]
    assert (women, workers) == (747700, 970447)
    # 747,700 / 970,447 = 77.047 %; the source prints 77.04 % (truncated, not rounded).
    assert series("large_factory_workers_women_share")["2021-10-31"] == 77.04
    assert abs(100 * women / workers - 77.04) < 0.01


def test_provincial_counts_2024():
    got = {r["area"]: float(r["value"]) for r in rows("observations")
           if r["indicator_id"] == "large_factories_operating" and r["area"] != "KH"}
    assert got == PROVINCES_2024
    assert sum(got.values()) <= series("large_factories_operating")["2024-12-31"]
    areas = {r["area"]: r["name"] for r in rows("areas")}
    assert len(areas) == 26 and areas["KH-12"] == "Phnom Penh" and areas["KH-18"] == "Preah Sihanouk"
    assert set(got) <= set(areas)


def test_cited_rows_have_a_citation_and_no_quote():
    sources = {r["source_id"]: r for r in rows("sources")}
    cited = [r for r in rows("observations") if sources[r["source_id"]]["kind"] == "cited"]
    assert len(cited) >= 40
    for r in cited:
        s = sources[r["source_id"]]
        assert s["url"].startswith("http") and s["outlet"] and s["title"]
        assert r["quote"] == ""


def test_connections_and_households_stay_apart():
    assert series("households_with_clean_water_access") == {"2020-12-31": 976621, "2021-12-31": 1091869}
    assert set(series("clean_water_connections")) == {"2025-12-31"}


def _csv_keys(zf, member: str, key: list[str]) -> set[tuple]:
    import io

    with zf.open(member) as f:
        return {tuple(r[k] for k in key) for r in csv.DictReader(io.TextIOWrapper(f, encoding="utf-8"))}


def test_diff_of_the_two_releases_reports_exactly_the_added_rows_and_resources(run):
    """The keys added between the archives, read with csv here, are exactly what `diff` reports."""
    import json
    import zipfile

    old, new = ROOT / "releases/misti-indicators-1.0.0.zip", ROOT / "releases/misti-indicators-1.1.0.zip"
    result = run("diff", old, new, "--format", "json")
    assert result.exit_code == 0, result.output
    report = {r["name"]: r for r in json.loads(result.stdout)["resources"]}
    assert report["areas"]["status"] == "added"
    keys = {"sources": ["source_id"], "indicators": ["indicator_id"], "observations": ["indicator_id", "area", "period_end"]}
    with zipfile.ZipFile(old) as a, zipfile.ZipFile(new) as b:
        for name, key in keys.items():
            before = _csv_keys(a, f"misti-indicators-1.0.0/data/{name}.csv", key)
            after = _csv_keys(b, f"misti-indicators-1.1.0/data/{name}.csv", key)
            assert before <= after, f"{name}: no row may be removed"
            reported = {tuple(str(row[k]) for k in key) for row in report[name]["added"]}
            assert reported == after - before, name
            assert report[name]["rows"]["removed"] == 0, name
    assert {n: report[n]["rows"]["added"] for n in keys} == {"sources": 9, "indicators": 12, "observations": 46}
    assert report["areas"]["rows"]["new"] == 26
    assert report["indicators"]["rows"]["changed"] == 1  # the standards note, corrected with the 2024 total
    assert {n for n, r in report.items() if r["status"] != "unchanged"} == {"sources", "indicators", "areas", "observations"}
