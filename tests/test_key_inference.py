"""Key inference for tables without a primaryKey: made-up frames, then real histories."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import polars as pl
import pytest

from conftest import ROOT, SHARED, built
from misti_data.diff.rows import aligned
from misti_data.diff.sides import read_side, read_table
from misti_data.key_inference import IDENTIFIER, MEASURE, TEXT, TIME, WHOLE, column_rank, infer_key
from misti_data.package import load_package

HISTORIES = ROOT / "tests" / "histories"
D = dt.date


def test_a_unique_date_is_the_key_not_the_unique_price():
    old = pl.DataFrame({"Date": [D(2024, 1, 1), D(2024, 2, 1)], "Price": [2050.1, 2023.4]})
    new = pl.DataFrame(
        {"Date": [D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1)], "Price": [2050.1, 2023.5, 2160.0]}
    )
    key = infer_key(old, new)
    assert key.columns == ("Date",)
    assert key.message == "key inferred: Date"


def test_identifiers_and_years_before_measures_and_in_table_order():
    old = pl.DataFrame(
        {
            "Year": [2020, 2020, 2021],
            "Country Code": ["KHM", "LAO", "KHM"],
            "Value": [1.5, 2.5, 3.5],
        }
    )
    new = old.with_columns(pl.col("Value") * 2)
    key = infer_key(old, new)
    assert key.columns == ("Year", "Country Code")  # Value alone is unique too, but it is a measure
    assert key.message == "key inferred: Year, Country Code"


def test_smallest_set_wins_within_the_preferred_columns():
    frame = pl.DataFrame(
        {"region": ["a", "a", "b"], "code": ["x1", "x2", "x3"], "year": [2020, 2021, 2020]}
    )
    assert infer_key(frame, frame).columns == ("code",)


def test_a_count_is_a_key_only_when_nothing_else_is():
    old = pl.DataFrame(
        {"area": ["KH", "KH", "LA"], "year": [2024, 2025, 2024], "factories": [10, 12, 3]}
    )
    assert infer_key(old, old).columns == ("area", "year")  # factories is unique too, but a count
    assert infer_key(old.select("factories"), old.select("factories")).columns == ("factories",)


def test_numbers_read_as_text_rank_as_numbers():
    # a CSV without a schema is read as text: `value` is still a measure, not a name
    old = pl.DataFrame(
        {
            "area": ["KH", "KH", "LA"],
            "year": ["2024", "2025", "2024"],
            "value": ["10.5", " 12", "3"],
        }
    )
    assert infer_key(old, old).columns == ("area", "year")


def test_a_column_empty_in_either_version_is_no_key():
    old = pl.DataFrame({"id": ["a", "b"], "n": [1.0, 2.0]})
    new = pl.DataFrame({"id": ["a", None], "n": [1.0, 3.0]})
    assert infer_key(old, new).columns == ("n",)  # a measure, only because nothing else qualifies
    assert infer_key(old, new.with_columns(pl.lit(1.0).alias("n"))) is None


def test_a_duplicate_in_the_new_version_rules_a_column_out():
    old = pl.DataFrame({"Date": [D(2024, 1, 1), D(2024, 2, 1)], "Country": ["A", "A"]})
    new = pl.DataFrame({"Date": [D(2024, 1, 1), D(2024, 1, 1)], "Country": ["A", "B"]})
    assert infer_key(old, new).columns == ("Date", "Country")


def test_only_columns_in_both_versions_count():
    old = pl.DataFrame({"old_id": ["a", "b"], "label": ["x", "x"]})
    new = pl.DataFrame({"new_id": ["a", "b"], "label": ["x", "x"]})
    assert infer_key(old, new) is None


def test_the_second_try_lets_one_empty_cell_count_as_a_value():
    # country-codes: every ISO code is unique, but Sark has none in either version
    old = pl.DataFrame({"iso3": ["AFG", None, "VEN"], "currency": ["AFN", None, "VEF"]})
    new = old.with_columns(pl.Series("currency", ["AFN", None, "VES"]))
    assert infer_key(old, new) is None
    key = infer_key(old, new, allow_empty=True)
    assert key.columns == ("iso3",)
    assert key.message == "key inferred: iso3; an empty cell counts as a value"
    two_empty = old.with_columns(pl.Series("iso3", ["AFG", None, None]))
    assert (
        infer_key(
            two_empty,
            two_empty.with_columns(pl.lit(None, pl.String).alias("currency")),
            allow_empty=True,
        )
        is None
    )


def test_a_column_empty_throughout_is_no_key_even_on_the_second_try():
    frame = pl.DataFrame({"id": [None], "n": [1.0]}, schema={"id": pl.String, "n": pl.Float64})
    assert infer_key(frame, frame, allow_empty=True).columns == ("n",)


def test_two_empty_tables_have_no_key():
    empty = pl.DataFrame({"id": []}, schema={"id": pl.String})
    assert infer_key(empty, empty) is None


@pytest.mark.parametrize(
    ("name", "dtype", "rank"),
    [
        ("ISO3166-1-Alpha-3", pl.String, IDENTIFIER),
        ("country_code", pl.String, IDENTIFIER),
        ("geonameId", pl.Int64, IDENTIFIER),
        ("M49", pl.Float64, IDENTIFIER),
        ("Date", pl.String, TIME),
        ("period_end", pl.Date, TIME),
        ("when", pl.Datetime, TIME),
        ("Country", pl.String, TEXT),
        ("count", pl.Int64, WHOLE),
        ("Price", pl.Float64, MEASURE),
        ("valid", pl.Boolean, MEASURE),
    ],
)
def test_column_rank(name, dtype, rank):
    assert column_rank(name, dtype) == rank


def _history_resources():
    spec = json.loads((HISTORIES / "bumps.json").read_text(encoding="utf-8"))
    for pair in spec["pairs"]:
        for path, how in pair["resources"].items():
            yield pytest.param(pair, path, how, id=f"{pair['dataset']}@{pair['new'][:7]}:{path}")


@pytest.mark.parametrize(("pair", "path", "how"), list(_history_resources()))
def test_key_inferred_on_real_histories(pair, path, how):
    """On the frames the diff compares: read by the one reader (findings as frictionless reports
    them), by header labels where the header is not the schema's, then given one dtype per column."""
    dataset = built(HISTORIES / pair["dataset"], SHARED / "histories" / pair["dataset"])
    old_dir, new_dir = (dataset / pair[side][:7] for side in ("old", "new"))
    if not old_dir.is_dir():
        pytest.skip(
            "history pairs not built: python tests/histories/build.py ROOT (see tests/histories/README.md)"
        )
    frames = []
    for side, folder in (("old", old_dir), ("new", new_dir)):
        with load_package(folder) as package:
            resource = next(r for r in package.resources if r.get("path") == path)
            read = read_table(package, resource)
            assert Counter(f.code for f in read.findings) == how.get("findings", {}).get(
                side, {}
            ), how.get("findings_why")
            frames.append(read_side(package, resource, path, read).frame)
    key = infer_key(*aligned(*frames, pairs=[]))
    assert (list(key.columns) if key else None) == how["infer"]
