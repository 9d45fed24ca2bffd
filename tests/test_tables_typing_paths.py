"""The typer's three paths (one query per chunk, kind by kind for a wide table, a Series per column)
and the chunk reader give the same typed cells and the same findings, whatever the chunk size:
a generated file read whole in the usual path is read the same in tiny chunks in the wide path."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_package

FIELDS = [
    {"name": "a", "type": "integer"},
    {"name": "b", "type": "number", "constraints": {"minimum": 0}},
    {"name": "c", "type": "string", "constraints": {"maxLength": 4}},
    {"name": "d", "type": "date"},
    {"name": "e", "type": "list", "itemType": "integer"},  # typed as a Series
    {"name": "f", "type": "string"},
]
_CELL = st.sampled_from(
    ["", "1", "-2", "3.5", "x", "=1+2", "@A1", "2024-01-31", "1,2", 'q"q', " 7 ", "-5"]
)


def _read(folder, monkeypatch, *, chunk: int | None, wide: bool) -> dict:
    from misti_data.checks.formulas import FORMULA_CELLS
    from misti_data.package import load_package
    from misti_data.tables import table, typer

    if chunk is None:
        monkeypatch.delenv("MISTI_DATA_CHUNK_BYTES", raising=False)
    else:
        monkeypatch.setenv("MISTI_DATA_CHUNK_BYTES", str(chunk))
    monkeypatch.setattr(typer, "WIDE", 0 if wide else 256)
    with load_package(folder) as package:
        package.text_checks = (FORMULA_CELLS,)
        t = table(package, "figures")
        return {
            "findings": sorted(t.findings),
            "formulas": sorted(t.formula_cells),
            "withheld": t.withheld,
            "rows": t.row_count,
            "frame": t.frame.to_dicts(),
            "bad": {k: v.to_dicts() for k, v in sorted(t.bad_text.items())},
            "key_empty": t.key_empty,
        }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(_CELL, min_size=6, max_size=6), min_size=0, max_size=12),
    chunk=st.integers(min_value=1, max_value=60),
)
def test_the_wide_path_in_chunks_reads_as_the_one_query_path_whole(
    tmp_path_factory, monkeypatch, rows, chunk
):
    folder = tmp_path_factory.mktemp("pkg")
    write_package(folder, [], fields=FIELDS, key=["a"])
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([f["name"] for f in FIELDS])
    writer.writerows(rows)
    (folder / "data" / "figures.csv").write_text(text.getvalue(), encoding="utf-8")
    whole = _read(folder, monkeypatch, chunk=None, wide=False)
    assert _read(folder, monkeypatch, chunk=chunk, wide=True) == whole
    assert _read(folder, monkeypatch, chunk=chunk, wide=False) == whole
    if any(r[5] in ("=1+2", "@A1") for r in rows):
        assert whole["formulas"]  # the text check ran
