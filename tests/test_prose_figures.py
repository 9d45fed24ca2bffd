"""A qualifier applies to the figure right after it, not to every figure that follows.

"more than 100 factories employing 5,000 workers": 100 is "more than", 5,000 is exact.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from misti_data.prose_figures import qualifier_in, values_in

SENTENCE = "more than 100 factories employing 5,000 workers"


def qualifiers(text: str) -> dict[float, str]:
    return {f.value: qualifier_in(text, f) for f in values_in(text)}


def test_more_than_qualifies_only_the_next_figure():
    assert qualifiers(SENTENCE) == {100: "more_than", 5000: "exact"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "about 270,000 people registered and 12 offices opened",
            {270000: "approximately", 12: "exact"},
        ),
        ("over 1.26 million workers in 3,083 factories", {1260000: "more_than", 3083: "exact"}),
        ("3,083 factories, more than 1.26 million workers", {3083: "exact", 1260000: "more_than"}),
        ("nearly US$ 2 billion", {2e9: "approximately"}),
        ("women were 77.04 percent of 970,447 workers", {77.04: "exact", 970447: "exact"}),
        ("moreover 40 sites", {40: "exact"}),  # "over" inside a word is no qualifier
    ],
)
def test_each_figure_gets_its_own_qualifier(text, expected):
    assert qualifiers(text) == expected


def _package(folder, value: str, qualifier: str):
    """A package whose one figure quotes SENTENCE from a made-up local source (test data only)."""
    seed = folder / "seeds" / "note.txt"
    seed.parent.mkdir(parents=True)
    seed.write_text(f"A made-up note for the tests: {SENTENCE}.\n", encoding="utf-8")
    (folder / "data").mkdir()
    (folder / "data" / "sources.csv").write_text(
        "source_id,kind,title,path,sha256\n"
        f"note,local,Test note,seeds/note.txt,{hashlib.sha256(seed.read_bytes()).hexdigest()}\n",
        encoding="utf-8",
    )
    (folder / "data" / "figures.csv").write_text(
        f'id,value,qualifier,source_id,quote\n1,{value},{qualifier},note,"{SENTENCE}"\n',
        encoding="utf-8",
    )
    text = {"type": "string"}
    descriptor = {
        "name": "qualifier-test",
        "version": "1.0.0",
        "licenses": [{"name": "CC0-1.0"}],
        "sources": [{"title": "tests"}],
        "resources": [
            {
                "name": "sources",
                "path": "data/sources.csv",
                "schema": {
                    "fields": [
                        {"name": n, **text}
                        for n in ("source_id", "kind", "title", "path", "sha256")
                    ]
                },
            },
            {
                "name": "figures",
                "path": "data/figures.csv",
                "schema": {
                    "fields": [
                        {"name": "id", "type": "integer"},
                        {"name": "value", "type": "number"},
                        {"name": "qualifier", **text},
                        {"name": "source_id", **text},
                        {"name": "quote", **text},
                    ]
                },
            },
        ],
        "misti_data": {
            "provenance": {
                "sources": "sources",
                "quoted": [
                    {
                        "resource": "figures",
                        "source": "source_id",
                        "quote": "quote",
                        "value": "value",
                        "qualifier": "qualifier",
                    }
                ],
            }
        },
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("value", "qualifier", "codes"),
    [
        ("5000", "exact", []),
        ("5000", "more_than", ["qualifier-mismatch"]),
        ("100", "more_than", []),
        ("100", "exact", ["qualifier-mismatch"]),
    ],
)
def test_validate_reads_the_qualifier_of_each_figure(run, tmp_path, value, qualifier, codes):
    result = run("validate", _package(tmp_path / "pkg", value, qualifier), "--format", "json")
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == codes
    assert result.exit_code == (1 if codes else 0)
