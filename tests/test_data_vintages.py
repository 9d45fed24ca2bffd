"""The vintages table: every figure published for a period, and observations keeping the latest."""

from __future__ import annotations

import csv
import json

import pytest

from conftest import row_of, set_observation, unstamp, validate_json


@pytest.fixture
def pkg(shipped):
    unstamp(shipped)
    return shipped


def append_vintage(pkg, line: str) -> None:
    with open(pkg / "data/vintages.csv", "a", encoding="utf-8", newline="") as f:
        f.write(line + "\n")


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_shipped_vintages_name_their_sources_and_include_the_kept_figure(pkg):
    vintages = _rows(pkg / "data/vintages.csv")
    sources = {r["source_id"] for r in _rows(pkg / "data/sources.csv")}
    observations = {
        (r["indicator_id"], r["area"], r["period_end"]): r["value"]
        for r in _rows(pkg / "data/observations.csv")
    }
    assert {v["source_id"] for v in vintages} <= sources
    for v in vintages:
        key = (v["indicator_id"], v["area"], v["period_end"])
        latest = max(
            w["published"]
            for w in vintages
            if (w["indicator_id"], w["area"], w["period_end"]) == key
        )
        if v["published"] == latest:
            assert observations[key] == v["value"], key
    # 2020 as the two reports of early 2021 gave it, and as the ministry's 2025 retrospective
    # repeats the figures of one of them.
    sj, kt, ppp = (
        "sourcingjournal-2021-factory-count",
        "cambodiantr-2021-industrial-exports",
        "ppp-2025-large-factories",
    )
    assert {(v["indicator_id"], v["value"], v["published"], v["source_id"]) for v in vintages} == {
        ("large_factories_operating", "1853", "2021", sj),
        ("large_factories_operating", "1864", "2021", kt),
        ("large_factories_operating", "1864", "2025", ppp),
        ("large_factories_opened", "221", "2021", sj),
        ("large_factories_opened", "235", "2021", kt),
        ("large_factories_opened", "235", "2025", ppp),
        ("large_factories_closed", "100", "2021", sj),
        ("large_factories_closed", "101", "2021", kt),
        ("large_factories_closed", "101", "2025", ppp),
    }


def test_observations_keeping_an_earlier_figure_is_an_error(run, pkg):
    obs = pkg / "data/observations.csv"
    set_observation(
        obs, "large_factories_closed", 2020, "KH", 100
    )  # the first published figure, since replaced
    code, report = validate_json(run, pkg)
    assert code == 1
    vintage_errors = [
        (f["code"], f["path"], f["row"], f["field"], f["message"])
        for f in report["findings"]
        if f["code"] == "not-latest-vintage"
    ]
    assert vintage_errors == [
        (
            "not-latest-vintage",
            "data/observations.csv",
            row_of(obs, "large_factories_closed", 2020),
            "value",
            "large_factories_closed KH 2020-12-31: observations has 100, the latest published figure (in 2025) is 101",
        )
    ]


def test_a_later_vintage_that_observations_lacks_is_an_error(run, pkg):
    append_vintage(
        pkg,
        "large_factories_opened,2020,2020-12-31,KH,236,exact,2026,misti-2026-02-24-review-conference,",
    )
    code, report = validate_json(run, pkg)
    assert code == 1
    assert [(f["code"], f["message"]) for f in report["findings"]] == [
        (
            "not-latest-vintage",
            "large_factories_opened KH 2020-12-31: observations has 235, the latest published figure (in 2026) is 236",
        )
    ]


def test_a_period_observations_does_not_have_is_reported_at_the_vintage(run, pkg):
    append_vintage(
        pkg, "large_factories_opened,2018,2018-12-31,KH,178,exact,2019,ppp-2025-large-factories,"
    )
    code, report = validate_json(run, pkg)
    assert code == 1
    assert [(f["code"], f["path"], f["row"]) for f in report["findings"]] == [
        ("not-latest-vintage", "data/vintages.csv", 11)
    ]


def test_a_misnamed_column_in_the_settings_is_a_config_error(run, pkg):
    d = json.loads((pkg / "datapackage.json").read_text())
    d["misti_data"]["vintages"]["published"] = "published_on"
    (pkg / "datapackage.json").write_text(json.dumps(d))
    code, report = validate_json(run, pkg)
    assert code == 1
    assert [(f["code"], f["message"]) for f in report["findings"]] == [
        ("vintages-config-error", "misti_data.vintages needs column(s) published_on in 'vintages'"),
    ]
