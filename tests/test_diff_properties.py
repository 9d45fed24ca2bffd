"""Properties of the row diff, on random small tables (hypothesis)."""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from minipkg import write_package
from misti_data.diff import diff_sources

AREAS = ["KH", "KH-1", "KH-12"]
row = st.fixed_dictionaries({
    "area": st.sampled_from(AREAS),
    "year": st.integers(2020, 2024),
    "value": st.one_of(st.none(), st.integers(0, 5), st.floats(0, 5, allow_nan=False).map(lambda x: round(x, 2))),
    "note": st.sampled_from(["", "a", "b, c"]),
})
# Tables keyed by (area, year): unique keys.
table = st.lists(row, max_size=12, unique_by=lambda r: (r["area"], r["year"]))


def _diff(a_rows, b_rows, key=("area", "year")) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        a = write_package(Path(tmp) / "a", a_rows, key=key)
        b = write_package(Path(tmp) / "b", b_rows, key=key)
        return diff_sources(a, b).to_dict()["resources"][0]


def _typed(r: dict) -> dict:
    """A row as the schema reads it: empty is missing, numbers are floats."""
    return {
        "area": r["area"], "year": int(r["year"]),
        "value": None if r["value"] in (None, "") else float(r["value"]),
        "note": r["note"] or None,
    }


def _keyed(rows) -> dict:
    return {(r["area"], r["year"]): _typed(r) for r in rows}


@settings(max_examples=25, deadline=None)
@given(table)
def test_a_table_equals_itself(rows):
    d = _diff(rows, rows)
    assert d["status"] == "unchanged"
    assert (d["added"], d["removed"], d["changed"]) == ([], [], [])


@settings(max_examples=25, deadline=None)
@given(table, table)
def test_diff_mirrors(a, b):
    ab, ba = _diff(a, b), _diff(b, a)
    assert ab["added"] == ba["removed"] and ab["removed"] == ba["added"]
    swapped = [{"key": c["key"], "changes": {f: {"old": v["new"], "new": v["old"]} for f, v in c["changes"].items()}} for c in ba["changed"]]
    assert ab["changed"] == swapped


@settings(max_examples=25, deadline=None)
@given(table, table)
def test_applying_the_changes_to_a_gives_b(a, b):
    d = _diff(a, b)
    rows = _keyed(a)
    for r in d["removed"]:
        del rows[(r["area"], r["year"])]
    for c in d["changed"]:
        target = rows[(c["key"]["area"], c["key"]["year"])]
        for f, v in c["changes"].items():
            assert target[f] == v["old"]
            target[f] = v["new"]
    for r in d["added"]:
        rows[(r["area"], r["year"])] = r
    assert rows == _keyed(b)


@settings(max_examples=25, deadline=None)
@given(table, table, st.randoms(use_true_random=False))
def test_row_order_never_matters(a, b, rnd: random.Random):
    shuffled_a, shuffled_b = a[:], b[:]
    rnd.shuffle(shuffled_a)
    rnd.shuffle(shuffled_b)
    assert _diff(shuffled_a, shuffled_b) == _diff(a, b)


@settings(max_examples=25, deadline=None)
@given(st.lists(row, max_size=10), st.lists(row, max_size=10))
def test_multiset_changes_turn_a_into_b(a, b):
    d = _diff(a, b, key=None)
    assert d["changed"] == []
    bag = Counter(tuple(_typed(r).items()) for r in a)
    bag.subtract(Counter(tuple(r.items()) for r in d["removed"]))
    bag.update(Counter(tuple(r.items()) for r in d["added"]))
    assert +bag == Counter(tuple(_typed(r).items()) for r in b)
