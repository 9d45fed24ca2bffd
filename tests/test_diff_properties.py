"""Properties of the row diff, on random small tables (hypothesis)."""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import write_package
from misti_data.diff import diff_sources
from misti_data.version import recommend_bump

AREAS = ["KH", "KH-1", "KH-12"]
row = st.fixed_dictionaries(
    {
        "area": st.sampled_from(AREAS),
        "year": st.integers(2020, 2024),
        "value": st.one_of(
            st.none(),
            st.integers(0, 5),
            st.floats(0, 5, allow_nan=False).map(lambda x: round(x, 2)),
        ),
        "note": st.sampled_from(["", "a", "b, c"]),
    }
)
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
        "area": r["area"],
        "year": int(r["year"]),
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
    swapped = [
        {
            "key": c["key"],
            "changes": {f: {"old": v["new"], "new": v["old"]} for f, v in c["changes"].items()},
        }
        for c in ba["changed"]
    ]
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
def test_keyless_changes_turn_a_into_b(a, b):
    """Without a primaryKey, rows are matched by the inferred key (or none): removed, changed and
    added rows together still turn A into B, counted as a multiset of whole rows."""
    d = _diff(a, b, key=None)
    key = d["key"]["columns"]
    assert (d["key"]["source"] == "inferred") == bool(key)
    assert d["compared_by"].startswith("key inferred: " if key else "multiset of rows")
    bag = Counter(_bagged(_typed(r)) for r in a)
    bag.subtract(Counter(_bagged(r) for r in d["removed"]))
    for c in d["changed"]:
        old = next(r for r in map(_typed, a) if all(r[k] == v for k, v in c["key"].items()))
        new = {**old, **{f: v["new"] for f, v in c["changes"].items()}}
        assert all(old[f] == v["old"] for f, v in c["changes"].items())
        bag.subtract([_bagged(old)])
        bag.update([_bagged(new)])
    bag.update(Counter(_bagged(r) for r in d["added"]))
    assert +bag == Counter(_bagged(_typed(r)) for r in b)


def _bagged(r: dict) -> tuple:
    """A row as a multiset member, whatever its column order (a keyed diff lists the key first)."""
    return tuple(sorted(r.items()))


def _version(a_rows, b_rows, key=None, **new_descriptor) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        a = write_package(Path(tmp) / "a", a_rows, key=key)
        b = write_package(Path(tmp) / "b", b_rows, key=key, **new_descriptor)
        return recommend_bump(diff_sources(a, b)).to_dict()


# Keyless tables whose rows a key can be inferred for: (area, year) unique, nothing empty there.
keyless = st.lists(row, min_size=1, max_size=12, unique_by=lambda r: (r["area"], r["year"]))


@settings(max_examples=25, deadline=None)
@given(st.lists(row, max_size=10))
def test_a_keyless_table_diffed_with_itself_has_no_change_and_no_bump(rows):
    d = _diff(rows, rows, key=None)
    assert d["status"] == "unchanged"
    assert (d["added"], d["removed"], d["changed"], d["schema"]) == ([], [], [], [])
    assert _version(rows, rows)["bump"] is None


@settings(max_examples=25, deadline=None)
@given(keyless, st.randoms(use_true_random=False))
def test_shuffling_a_keyless_table_is_no_change(rows, rnd: random.Random):
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    d = _diff(rows, shuffled, key=None)
    assert d["status"] == "unchanged"
    assert d["compared_by"].startswith("key inferred: ")
    assert _version(rows, shuffled)["bump"] is None


@settings(max_examples=25, deadline=None)
@given(keyless, st.data())
def test_changing_one_measure_cell_is_exactly_one_changed_row(rows, data):
    i = data.draw(st.integers(0, len(rows) - 1))
    before = _typed(rows[i])["value"]
    value = data.draw(st.integers(6, 9))  # outside the 0-5 drawn: always a change
    edited = [dict(r, value=value) if j == i else r for j, r in enumerate(rows)]
    d = _diff(rows, edited, key=None)
    assert d["rows"] | {"old": 0, "new": 0} == {
        "old": 0,
        "new": 0,
        "added": 0,
        "removed": 0,
        "changed": 1,
    }
    [change] = d["changed"]
    assert change["changes"] == {"value": {"old": before, "new": float(value)}}
    assert _version(rows, edited)["bump"] == "patch"
