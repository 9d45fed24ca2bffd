"""The areas table follows ISO 3166-2:KH as pycountry ships it, and observations may only use its codes."""

from __future__ import annotations

import csv
import json

import pycountry

from conftest import ROOT, append_row, unstamp

CATEGORY = {"Province": "province", "Autonomous municipality": "autonomous_municipality"}


def areas() -> dict[str, dict]:
    with open(ROOT / "data/areas.csv", encoding="utf-8", newline="") as f:
        return {r["area"]: r for r in csv.DictReader(f)}


def test_every_iso_3166_2_kh_subdivision_is_listed_under_its_iso_name():
    iso = {s.code: s for s in pycountry.subdivisions.get(country_code="KH")}
    table = areas()
    assert len(iso) == 25
    assert set(table) == {"KH", *iso}
    for code, sub in iso.items():
        assert (table[code]["iso_name"], table[code]["category"]) == (
            sub.name,
            CATEGORY[sub.type],
        ), code
    assert (table["KH"]["iso_name"], table["KH"]["category"]) == (
        pycountry.countries.get(alpha_2="KH").name,
        "country",
    )


def test_stung_treng_keeps_the_romanization_of_the_other_names():
    # ISO lists two romanizations of each name; the table (and pycountry) use the 1997 national
    # draft throughout: Stueng Traeng as Baat Dambang, not the BGN/PCGN Stœ̆ng Trêng / Bătdâmbâng.
    table = areas()
    assert (table["KH-19"]["iso_name"], table["KH-2"]["iso_name"]) == (
        "Stueng Traeng",
        "Baat Dambang",
    )


def test_an_observation_outside_the_areas_table_is_refused(run, shipped):
    unstamp(shipped)
    append_row(
        shipped / "data/observations.csv",
        {
            "indicator_id": "large_factories_operating",
            "period": "2024",
            "period_end": "2024-12-31",
            "area": "KH-99",
            "value": "1",
            "qualifier": "exact",
            "source_id": "ppp-2025-large-factories",
        },
    )
    result = run("validate", shipped, "--format", "json")
    assert result.exit_code == 1
    [found] = json.loads(result.stdout)["findings"]
    last_row = len(
        (shipped / "data/observations.csv").read_text(encoding="utf-8").splitlines()
    )  # header = row 1
    assert (found["code"], found["row"], found["cell"]) == ("foreign-key", last_row, "KH-99")
    assert "areas" in found["message"]
