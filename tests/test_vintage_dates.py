"""A vintage's date agrees with its source's: the dates checks, on the shipped data and on a small
package whose vintage year and source date vary."""

from __future__ import annotations

import csv
import datetime as dt
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PACKAGES
from test_checks_provenance import unstamp
from test_data_factory_series import validate_json

CASE = PACKAGES / "dates-vintage-after-source"
PERIOD_END = dt.date(2020, 12, 31)


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_shipped_source_is_dated_or_says_why_not(shipped):
    for s in _rows(shipped / "data/sources.csv"):
        if s["published"]:
            assert not s["published_from"] and not s["published_by"], s["source_id"]
        else:
            assert "Undated:" in s["notes"], s["source_id"]


def test_each_shipped_vintage_year_lies_within_its_sources_dates(shipped):
    sources = {s["source_id"]: s for s in _rows(shipped / "data/sources.csv")}
    for v in _rows(shipped / "data/vintages.csv"):
        s = sources[v["source_id"]]
        earliest = s["published"] or s["published_from"]
        latest = s["published"] or s["published_by"] or "9999"
        assert earliest[:4] <= v["published"] <= latest[:4], v


def test_a_shipped_vintage_dated_before_its_period_ends_is_an_error(run, shipped):
    unstamp(shipped)
    path = shipped / "data/vintages.csv"
    text = path.read_text(encoding="utf-8")
    moved = text.replace(
        "KH,1864,exact,2021,cambodiantr-2021-industrial-exports",
        "KH,1864,exact,2019,cambodiantr-2021-industrial-exports",
    )
    assert moved != text
    path.write_text(moved, encoding="utf-8")
    code, report = validate_json(run, shipped)
    assert code == 1
    assert [(f["code"], f["path"], f["row"], f["field"]) for f in report["findings"]] == [
        ("vintage-before-period-end", "data/vintages.csv", 3, "published")
    ]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    year=st.integers(2019, 2023),
    day=st.dates(dt.date(2019, 1, 1), dt.date(2023, 12, 31)),
)
def test_a_year_contradicts_only_a_source_date_outside_it(run, tmp_path_factory, year, day):
    pkg = tmp_path_factory.mktemp("dates") / "pkg"
    shutil.copytree(CASE, pkg)
    (pkg / "data/sources.csv").write_text(
        f"source_id,title,published,event_date,published_from,published_by,url\n"
        f"dated,[made up],{day},,,,https://example.org/dated\n"
    )
    (pkg / "data/vintages.csv").write_text(
        "indicator_id,period,period_end,area,value,published,source_id\n"
        f"operating,2020,2020-12-31,KH,1864,{year},dated\n"
    )
    code, report = validate_json(run, pkg)
    expected = []
    if dt.date(year, 12, 31) < PERIOD_END:
        expected.append(("vintage-before-period-end", "published"))
    elif day < PERIOD_END:
        expected.append(("vintage-before-period-end", "source_id"))
    if year > day.year:
        expected.append(("vintage-after-source", "published"))
    assert sorted((f["code"], f["field"]) for f in report["findings"]) == sorted(expected)
    assert code == (1 if expected else 0)
