"""The README documents every check code: its table is `misti-data checks`, kept in step by a test."""

from __future__ import annotations

import re

from conftest import ROOT
from misti_data.checks import CATALOGUE

README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- checks:start -->\n)(.*?)(<!-- checks:end -->)", re.DOTALL)


def test_readme_table_is_the_catalogue(run, request):
    table = run("checks").stdout
    text = README.read_text(encoding="utf-8")
    if request.config.getoption("--update-golden"):
        text = BLOCK.sub(lambda m: m[1] + table + m[3], text)
        README.write_text(text, encoding="utf-8")
    assert BLOCK.search(text)[2] == table, "README's check table is stale; rerun pytest with --update-golden"


def test_every_code_is_in_the_readme():
    text = README.read_text(encoding="utf-8")
    assert [code for code in CATALOGUE if f"`{code}`" not in text] == []


def test_catalogue_codes_are_kebab_case_with_a_severity():
    for code, (severity, meaning) in CATALOGUE.items():
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", code), code
        assert severity in ("error", "warning") and meaning.endswith("."), code
