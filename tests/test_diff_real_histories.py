"""diff and version on real keyless tables: datahub core datasets' own git history.

Each pair in tests/histories/bumps.json comes with the bump a careful maintainer would choose and
the edits the commit made. The pairs were cut by tests/histories/build.py from the datasets'
repositories. None of the tables declares a primaryKey: the diff infers one, and says so.
"""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, SHARED, built

HISTORIES = ROOT / "tests" / "histories"
PAIRS = json.loads((HISTORIES / "bumps.json").read_text(encoding="utf-8"))["pairs"]
BUILD = (
    "history pairs not built: python tests/histories/build.py ROOT (see tests/histories/README.md)"
)


def _id(pair: dict) -> str:
    return f"{pair['dataset']}@{pair['old'][:7]}..{pair['new'][:7]}"


def _params(pairs):
    return [pytest.param(pair, id=_id(pair)) for pair in pairs]


def _folders(pair: dict):
    dataset = built(HISTORIES / pair["dataset"], SHARED / "histories" / pair["dataset"])
    old, new = (dataset / pair[side][:7] for side in ("old", "new"))
    if not (old / "datapackage.json").is_file() or not (new / "datapackage.json").is_file():
        pytest.skip(BUILD)
    return old, new


@pytest.mark.parametrize("pair", _params(PAIRS))
def test_version_recommends_the_careful_bump(pair, run):
    old, new = _folders(pair)
    result = run("version", old, new, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["bump"] == pair["bump"], pair["why"]


@pytest.mark.parametrize("pair", _params([p for p in PAIRS if "schema" in p]))
def test_diff_names_the_schema_change(pair, run):
    old, new = _folders(pair)
    result = run("diff", old, new, "--format", "json")
    assert result.exit_code == 0, result.output
    changes = [
        [s["kind"], s["field"]] for r in json.loads(result.stdout)["resources"] for s in r["schema"]
    ]
    for expected in pair["schema"]:
        assert expected in changes


@pytest.mark.parametrize(
    "pair", _params([p for p in PAIRS if any("rows" in r for r in p["resources"].values())])
)
def test_diff_matches_rows_by_the_inferred_key(pair, run):
    old, new = _folders(pair)
    result = run("diff", old, new, "--format", "json")
    assert result.exit_code == 0, result.output
    resources = json.loads(result.stdout)["resources"]
    for path, how in pair["resources"].items():
        found = _resource(resources, new, path)
        if how["infer"]:
            assert found["compared_by"] == "key inferred: " + ", ".join(how["infer"])
        counts = {k: found["rows"][k] for k in ("added", "removed", "changed")}
        assert counts == how["rows"], path


def _resource(resources: list[dict], folder, path: str) -> dict:
    """The diff's entry for the resource at `path` (an unnamed resource is its package's only one)."""
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    name = next(r.get("name") for r in descriptor["resources"] if r.get("path") == path)
    if name is None:
        (only,) = resources
        return only
    return next(r for r in resources if r["name"] == name)


def test_a_header_in_another_order_than_its_schema_is_read_by_its_labels(run):
    """country-codes at 6dd0611: the CSV's columns are not in the schema's order (frictionless,
    reading by position, finds 51 incorrect labels and 888 type errors), so the diff reads that
    version by its header and sees the edits the commit made."""
    old, new = _folders(next(p for p in PAIRS if p["new"].startswith("6dd0611")))
    result = run("diff", old, new, "--format", "json")
    [res] = json.loads(result.stdout)["resources"]
    assert res["notes"] == [
        f"{new}: the header does not match the schema (3 extra-label, 51 incorrect-label); its columns are read by their labels"
    ]
    assert "Channel Islands" in [r["official_name_en"] for r in res["removed"]]
    assert [c["changes"]["Continent"] for c in res["changed"] if "Continent" in c["changes"]] == [
        {"old": "NA", "new": None}
    ] * 41
    names = sorted(
        (c["changes"]["CLDR display name"]["old"] or "", c["changes"]["CLDR display name"]["new"])
        for c in res["changed"]
        if "CLDR display name" in c["changes"]
    )
    assert names == [("", "Namibia"), ("Czech Republic", "Czechia")]
