"""What `misti-data draft` reads from prose: indicator, area, period, value, qualifier, rounding,
quote, and beside it what the package already has. The texts are written for these tests."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from misti_data.checks.provenance import quote_problems
from misti_data.draft import draft_file
from misti_data.draft.place import compile_terms, place_figures
from misti_data.prose_figures import values_in

RELEASE = (
    "Phnom Penh, March 2, 2027 — The Ministry reviewed its work of the past year.\n"
    "The ministry recorded 214 new large factories last year.\n"
    "Siem Reap counted 41,200 clean water connections by the end of 2026.\n"
    "Large factories kept employing 1.3 million workers in 2026, 72% of whom are women.\n"
    "Large factories produced products worth US$14.9 billion in 2026.\n"
    "The ministry trained 4,500 technicians in 2026.\n"
    "In 2026, 95 Cambodian standards were adopted.\n"
    "The ministry now counts 3,090 large factories operating nationwide at the end of 2025.\n"
)

with open(ROOT / "data" / "indicators.csv", encoding="utf-8", newline="") as _f:
    TERMS = compile_terms({r["indicator_id"]: r["terms"] for r in csv.DictReader(_f)})
AREAS = {"KH-17": ["Siem Reap", "Siem Reab"], "KH-7": ["Kampot"]}


@pytest.fixture
def drafted(shipped, run):
    """The JSON draft of RELEASE, saved under the shipped package's seeds/: rows by indicator."""
    (shipped / "seeds" / "release.txt").write_text(RELEASE, encoding="utf-8")
    result = run("draft", shipped / "seeds" / "release.txt", shipped, "--format", "json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    return {r["indicator_id"]: r for r in out["rows"]}, out


def fields(row: dict) -> tuple:
    return (row["area"], row["period"], row["period_end"], row["value"], row["qualifier"])


def test_last_year_is_the_year_before_the_dateline(drafted):
    rows, out = drafted
    assert out["published"] == "2027-03-02"
    row = rows["large_factories_opened"]
    assert fields(row) == ("KH", 2026, "2026-12-31", 214, "exact")
    assert row["quote"] == "214 new large factories last year"


def test_a_province_named_in_the_clause_is_the_area(drafted):
    row = drafted[0]["clean_water_connections"]
    assert fields(row) == ("KH-17", 2026, "2026-12-31", 41200, "exact")
    assert row["quote"] == "Siem Reap counted 41,200 clean water connections by the end of 2026"


def test_a_percentage_and_a_rounded_figure(drafted):
    rows = drafted[0]
    assert fields(rows["large_factory_workers_women_share"]) == (
        "KH",
        2026,
        "2026-12-31",
        72,
        "exact",
    )
    assert rows["large_factory_workers_women_share"]["quote"] == "72% of whom are women"
    workers = rows["large_factory_workers"]
    assert (workers["value"], workers["rounded_to"]) == (1300000, 100000)
    assert workers["quote"] == "employing 1.3 million workers in 2026"


def test_a_dollar_figure_in_billions(drafted):
    row = drafted[0]["large_factory_production_value"]
    assert fields(row) == ("KH", 2026, "2026-12-31", 14900000000, "exact")
    assert row["rounded_to"] == 100000000
    assert row["quote"] == "products worth US$14.9 billion in 2026"


def test_a_figure_no_indicator_measures_is_unplaced_with_why(drafted):
    unplaced = {u["figure"]: u for u in drafted[1]["unplaced"]}
    assert unplaced["4,500"]["why"].startswith("no indicator's terms in its clause")
    assert unplaced["4,500"]["sentence"] == "The ministry trained 4,500 technicians in 2026"


def test_two_indicators_that_fit_propose_the_better_and_name_the_other(drafted):
    row = drafted[0]["cambodian_standards_adopted"]
    assert (row["value"], row["period"]) == (95, 2026)
    assert row["also_fits"] == ["cambodian_standards_total"]
    assert "cambodian_standards_total" not in drafted[0]


def test_a_different_value_for_a_row_the_package_has_is_a_revision(drafted):
    row = drafted[0]["large_factories_operating"]
    assert row["status"] == "revision"
    assert (row["value"], row["period_end"]) == (3090, "2025-12-31")
    assert row["existing"]["value"] == 3083
    assert row["existing"]["source_id"] == "misti-2026-02-24-review-conference"
    new = {r for r, v in drafted[0].items() if v["status"] == "new"}
    assert "large_factories_operating" not in new


def test_every_figure_is_placed_or_unplaced(drafted):
    rows, out = drafted
    # 16 figures in RELEASE: the dateline's 2 and 2027, eight measures, six bare years.
    assert len(out["rows"]) == 7
    assert sorted(u["why"][:6] for u in out["unplaced"]) == ["a date"] + ["a year"] * 7 + ["no ind"]


def test_text_review_shows_the_revision_and_the_unplaced(shipped, run):
    (shipped / "seeds" / "release.txt").write_text(RELEASE, encoding="utf-8")
    result = run("draft", shipped / "seeds" / "release.txt", shipped)
    assert result.exit_code == 0
    assert "revision  large_factories_operating  KH  2025  3,090  exact" in result.stdout
    assert "the package has 3,083 (exact, misti-2026-02-24-review-conference)" in result.stdout
    assert "  4,500        no indicator's terms in its clause" in result.stdout


def test_json_is_the_library_result(shipped, run):
    (shipped / "seeds" / "release.txt").write_text(RELEASE, encoding="utf-8")
    result = run("draft", shipped / "seeds" / "release.txt", shipped, "--format", "json")
    library = draft_file(shipped / "seeds" / "release.txt", shipped).to_dict()
    assert json.loads(result.stdout) == json.loads(json.dumps(library, default=str))


def test_csv_has_the_observation_columns_then_the_review(shipped, run):
    (shipped / "seeds" / "release.txt").write_text(RELEASE, encoding="utf-8")
    result = run("draft", shipped / "seeds" / "release.txt", shipped, "--format", "csv")
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "indicator_id,period,period_end,area,value,qualifier,source_id,quote,notes,rounded_to,"
        "status,existing_value,also_fits,why"
    )
    assert (
        "large_factories_opened,2026,2026-12-31,KH,214,exact,release,"
        "214 new large factories last year,,,new,,," in lines
    )
    assert (
        "large_factories_operating,2025,2025-12-31,KH,3090,exact,release,"
        '"3,090 large factories operating nationwide at the end of 2025",,,revision,3083,,' in lines
    )
    assert (
        ',,,,4500,,,"The ministry trained 4,500 technicians in 2026",,,unplaced,,,no indicator'
        in (result.stdout)
    )


def test_published_option_overrides_the_dateline(shipped, run):
    (shipped / "seeds" / "release.txt").write_text(RELEASE, encoding="utf-8")
    result = run(
        "draft",
        shipped / "seeds" / "release.txt",
        shipped,
        "--published",
        "2028-01-15",
        "--format",
        "json",
    )
    rows = {r["indicator_id"]: r for r in json.loads(result.stdout)["rows"]}
    assert rows["large_factories_opened"]["period"] == 2027


def test_html_page_gives_its_article(shipped, run):
    page = (
        "<!DOCTYPE html><html><head><title>Review</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/news'>News 2,000 items</a></nav>"
        "<article><h1>MISTI reviews 2026</h1>"
        "<p>Phnom Penh, March 2, 2027 — The ministry recorded 214 new large factories last year, "
        "a figure that reflects steady growth in manufacturing across the provinces.</p>"
        "<p>It also said 95 Cambodian standards were adopted in 2026 to support exports and "
        "to improve the quality of products made in the country.</p></article>"
        "<footer>Copyright 2027 · 12 offices</footer></body></html>"
    )
    (shipped / "seeds" / "page.html").write_text(page, encoding="utf-8")
    result = run("draft", shipped / "seeds" / "page.html", shipped, "--format", "json")
    out = json.loads(result.stdout)
    assert out["published"] == "2027-03-02"
    assert {r["indicator_id"]: r["value"] for r in out["rows"]} == {
        "large_factories_opened": 214,
        "cambodian_standards_adopted": 95,
    }
    assert "2,000" not in {u["figure"] for u in out["unplaced"]}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "in 2025",
                    "in 0000",
                    "last year",
                    "by the end of 2026",
                    "over",
                    "about",
                    "US$",
                    "million",
                    "percent",
                    "Siem Reap",
                    "new large factories",
                    "# connections",
                    ", ",
                    ". ",
                    " — ",
                    "\n",
                    "March 3,",
                    "35 years",
                ]
            ),
            st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}"),
            st.from_regex(r"\d{1,4}(\.\d{1,2})?", fullmatch=True),
            st.text(max_size=8),
        ),
        max_size=40,
    )
)
def test_every_figure_of_any_text_is_placed_or_unplaced(pieces):
    text = " ".join(pieces)
    placed, unplaced = place_figures(text, dt.date(2027, 3, 2), TERMS, AREAS)
    assert len(placed) + len(unplaced) == len(values_in(text))
    for p in placed:
        assert p.quote in text
        assert (
            quote_problems(
                {
                    "value": p.figure.value,
                    "qualifier": p.qualifier,
                    "rounded_to": p.figure.rounded_to,
                },
                p.quote,
            )
            == []
        )
