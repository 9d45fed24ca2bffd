"""The earlier years: the large-factory series, cited sources, provinces.

Expected figures are written by hand from the publications named in data/sources.csv, as
re-checked with a search of their text (see the sources' URLs); not read off the CSV.
"""

from __future__ import annotations

import csv

from conftest import ROOT

# (year, operating at year end, opened, closed) as the publications print them; None = not published.
LARGE_FACTORIES = [
    (2019, 1730, 269, None),  # AKP of 17 February 2020 (and the Phnom Penh Post); no closures given
    (2020, 1864, 235, 101),
    (2021, 1879, 163, 148),
    (2022, 1982, 186, 83),
    (2023, 2125, 241, 98),
    (2024, 2425, 326, 26),
    (2025, 3083, None, None),
]
# SMEs: (period_end, enterprises, workers, registered, closed, new jobs, jobs lost) as the Phnom Penh
# Post (as of July 2022), EAC News (2023 stocks, 2023 registrations) and MISTI / Khmer Times (2024)
# print them; None = not in the package.
SMES = [
    ("2022-07-31", 43813, None, None, None, None, None),
    ("2023-12-31", 44628, 463966, 1406, None, None, None),
    ("2024-12-31", 43970, 476223, 1292, 1950, 25833, 13576),
]
SME_INDICATORS = (
    "sme_enterprises",
    "sme_workers",
    "sme_new_registrations",
    "sme_closures",
    "sme_new_jobs",
    "sme_jobs_lost",
)
PROVINCES_2024 = {
    "KH-12": 818,
    "KH-5": 381,
    "KH-8": 358,
    "KH-18": 257,
    "KH-20": 232,
    "KH-21": 139,
    "KH-3": 38,
    "KH-4": 37,
}


def rows(name: str) -> list[dict]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def series(indicator: str, area: str = "KH") -> dict[str, float]:
    return {
        r["period_end"]: float(r["value"])
        for r in rows("observations")
        if r["indicator_id"] == indicator and r["area"] == area
    }


def test_large_factory_series_is_as_published():
    for name, col in (
        ("large_factories_operating", 1),
        ("large_factories_opened", 2),
        ("large_factories_closed", 3),
    ):
        got = {k: v for k, v in series(name).items() if k.endswith("-12-31")}
        want = {f"{row[0]}-12-31": row[col] for row in LARGE_FACTORIES if row[col] is not None}
        assert got == want, name


def test_sme_series_is_as_published():
    for col, name in enumerate(SME_INDICATORS, start=1):
        want = {row[0]: row[col] for row in SMES if row[col] is not None}
        assert series(name) == want, name


def identities() -> dict[tuple[str, int], tuple[float, float]]:
    """Every stock-flow identity the CSVs allow, recomputed with the csv module alone.

    {(stock, year): (stock at the year's end, last year-end's stock + inflows − outflows)} for each
    stock whose year-end figures of both years and every one of its flows are there and exact.
    """
    indicators = rows("indicators")
    obs = {
        (r["indicator_id"], r["period_end"]): r for r in rows("observations") if r["area"] == "KH"
    }
    found = {}
    for stock in (i["indicator_id"] for i in indicators if i["measure"] == "stock"):
        flows = [
            (i["indicator_id"], 1 if i["measure"] == "inflow" else -1)
            for i in indicators
            if i["of_indicator"] == stock and i["measure"] in ("inflow", "outflow")
        ]
        if not flows:
            continue
        for year in range(1990, 2101):
            needed = [(stock, f"{year - 1}-12-31"), (stock, f"{year}-12-31")] + [
                (f, f"{year}-12-31") for f, _ in flows
            ]
            if all(k in obs and obs[k]["qualifier"] == "exact" for k in needed):
                before, now = (float(obs[k]["value"]) for k in needed[:2])
                found[stock, year] = (
                    now,
                    before
                    + sum(sign * float(obs[f, f"{year}-12-31"]["value"]) for f, sign in flows),
                )
    return found


def test_stock_flow_identity_holds_wherever_the_sources_allow():
    found = identities()
    assert set(found) == {
        *(
            ("large_factories_operating", year) for year in (2020, 2021, 2022, 2023, 2024)
        ),  # 2025 has no flows
        ("sme_enterprises", 2024),
        ("sme_workers", 2024),  # 2023 has no end-2022 stock
    }
    for key, (stock, expected) in found.items():
        assert stock == expected, key
    # and the figures themselves, as the publications print them
    assert found["large_factories_operating", 2020] == (1864, 1730 + 235 - 101)
    assert found["large_factories_operating", 2021] == (1879, 1864 + 163 - 148)
    assert found["sme_enterprises", 2024] == (43970, 44628 + 1292 - 1950)
    assert found["sme_workers", 2024] == (476223, 463966 + 25833 - 13576)


def test_october_2021_is_explicit_not_a_year_end():
    assert series("large_factories_operating")["2021-10-31"] == 1849
    assert (
        series("large_factories_operating")["2021-12-31"] == 1879
    )  # a different date, a different source
    assert (
        series("large_factory_workers")["2021-12-31"],
        series("large_factory_workers_women_share")["2021-12-31"],
    ) == (986677, 76)
    women, workers = (
        series("large_factory_women_workers")["2021-10-31"],
        series("large_factory_workers")["2021-10-31"],
    )
    assert (women, workers) == (747700, 970447)
    # 747,700 / 970,447 = 77.047 %; the source prints 77.04 % (truncated, not rounded).
    assert series("large_factory_workers_women_share")["2021-10-31"] == 77.04
    assert abs(100 * women / workers - 77.04) < 0.01


def test_provincial_counts_2024():
    got = {
        r["area"]: float(r["value"])
        for r in rows("observations")
        if r["indicator_id"] == "large_factories_operating" and r["area"] != "KH"
    }
    assert got == PROVINCES_2024
    assert sum(got.values()) <= series("large_factories_operating")["2024-12-31"]
    areas = {r["area"]: r["name"] for r in rows("areas")}
    assert (
        len(areas) == 26 and areas["KH-12"] == "Phnom Penh" and areas["KH-18"] == "Preah Sihanouk"
    )
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
    assert series("households_with_clean_water_access") == {
        "2020-12-31": 976621,
        "2021-12-31": 1091869,
    }
    assert set(series("clean_water_connections")) == {"2025-12-31"}


def _csv_keys(zf, member: str, key: list[str]) -> set[tuple]:
    import io

    with zf.open(member) as f:
        return {
            tuple(r[k] for k in key) for r in csv.DictReader(io.TextIOWrapper(f, encoding="utf-8"))
        }


def test_diff_of_the_two_releases_reports_exactly_the_added_rows_and_resources(run):
    """The keys added between the archives, read with csv here, are exactly what `diff` reports."""
    import json
    import zipfile

    old, new = (
        ROOT / "releases/misti-indicators-1.0.0.zip",
        ROOT / "releases/misti-indicators-1.1.0.zip",
    )
    result = run("diff", old, new, "--format", "json")
    assert result.exit_code == 0, result.output
    report = {r["name"]: r for r in json.loads(result.stdout)["resources"]}
    assert report["areas"]["status"] == "added"
    keys = {
        "sources": ["source_id"],
        "indicators": ["indicator_id"],
        "observations": ["indicator_id", "area", "period_end"],
    }
    with zipfile.ZipFile(old) as a, zipfile.ZipFile(new) as b:
        for name, key in keys.items():
            before = _csv_keys(a, f"misti-indicators-1.0.0/data/{name}.csv", key)
            after = _csv_keys(b, f"misti-indicators-1.1.0/data/{name}.csv", key)
            assert before <= after, f"{name}: no row may be removed"
            reported = {tuple(str(row[k]) for k in key) for row in report[name]["added"]}
            assert reported == after - before, name
            assert report[name]["rows"]["removed"] == 0, name
    assert {n: report[n]["rows"]["added"] for n in keys} == {
        "sources": 9,
        "indicators": 12,
        "observations": 46,
    }
    assert report["areas"]["rows"]["new"] == 26
    assert (
        report["indicators"]["rows"]["changed"] == 1
    )  # the standards note, corrected with the 2024 total
    assert {n for n, r in report.items() if r["status"] != "unchanged"} == {
        "sources",
        "indicators",
        "areas",
        "observations",
    }
