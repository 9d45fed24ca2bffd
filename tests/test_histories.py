"""diff and version on real keyless tables: datahub core datasets' own git history (issue 11, item 5).

Each pair in tests/histories/bumps.json comes with the bump a careful maintainer would choose and
the edits the commit made. The pairs are built by tests/histories/build.py from the datasets'
repositories (they are not committed). A test that fails today is marked xfail(strict=True) with
the reason, so it turns into a failure, to be unmarked, the day the tool gets it right.
"""

from __future__ import annotations

import json

import pytest

from conftest import ROOT

HISTORIES = ROOT / "tests" / "histories"
PAIRS = json.loads((HISTORIES / "bumps.json").read_text(encoding="utf-8"))["pairs"]
BUILD = "history pairs not built: python tests/histories/build.py ROOT (see tests/histories/README.md)"

MULTISET = "a keyless table is compared as a multiset of rows, so each corrected value is a removed row plus an added one"
WIRING = "; passes once diff infers the key with misti_data.key_inference.infer_key (see tests/histories/README.md)"
NO_KEY = "no key can be inferred (Sark has no ISO code, Taiwan no M49), so the one changed cell is a removed row plus an added one"
XFAIL = {
    ("version", "95f9668"): MULTISET + ": 14 corrected prices make it MAJOR" + WIRING,
    ("version", "3a3a252"): MULTISET + ": 2 revised index values make it MAJOR" + WIRING,
    ("version", "544866a"): "fields named with `id` (before Table Schema 1.0) are not read and a renamed CSV column is not a schema change: no bump at all",
    ("version", "060e8c0"): NO_KEY + " (MAJOR)",
    ("rename", "544866a"): "fields named with `id` are not read and a renamed CSV column is not a schema change",
    ("rows", "95f9668"): MULTISET + WIRING,
    ("rows", "b33a0c8"): MULTISET + WIRING,
    ("rows", "3a3a252"): MULTISET + WIRING,
    ("rows", "544866a"): MULTISET + WIRING,
    ("rows", "7bf7707"): MULTISET + WIRING,
    ("rows", "060e8c0"): NO_KEY,
}


def _id(pair: dict) -> str:
    return f"{pair['dataset']}@{pair['old'][:7]}..{pair['new'][:7]}"


def _params(kind: str, pairs):
    for pair in pairs:
        reason = XFAIL.get((kind, pair["new"][:7]))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(pair, id=_id(pair), marks=marks)


def _folders(pair: dict):
    old, new = (HISTORIES / pair["dataset"] / pair[side][:7] for side in ("old", "new"))
    if not (old / "datapackage.json").is_file() or not (new / "datapackage.json").is_file():
        pytest.skip(BUILD)
    return old, new


@pytest.mark.parametrize("pair", list(_params("version", PAIRS)))
def test_version_recommends_the_careful_bump(pair, run):
    old, new = _folders(pair)
    result = run("version", old, new, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["bump"] == pair["bump"], pair["why"]


@pytest.mark.parametrize("pair", list(_params("rename", [p for p in PAIRS if "schema" in p])))
def test_diff_names_the_schema_change(pair, run):
    old, new = _folders(pair)
    result = run("diff", old, new, "--format", "json")
    assert result.exit_code == 0, result.output
    changes = [[s["kind"], s["field"]] for r in json.loads(result.stdout)["resources"] for s in r["schema"]]
    for expected in pair["schema"]:
        assert expected in changes


@pytest.mark.parametrize("pair", list(_params("rows", [p for p in PAIRS if any("rows" in r for r in p["resources"].values())])))
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
