"""Every local CSV is read in chunks of whole rows, in bounded memory.

The first tests read every fixture package and the conformance-style dialect cases in tiny chunks
(a few bytes to a few rows each) and check that what comes out is what one chunk gives: the same
findings, the same typed frame. The slow ones read a generated 10M-row gzip file in a subprocess
and check its peak memory, and check that millions of bad cells are reported with exact counts
and a bounded number of findings.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PACKAGES, write_package

CASES = sorted(
    p.name
    for p in PACKAGES.iterdir()
    if (p / "datapackage.json").is_file() and p.name != "bad-json"
)


def _read_all(folder: Path, chunk: int | None, monkeypatch) -> dict:
    """Every table of the package: its findings, row count, withheld counts and typed rows."""
    from misti_data.package import load_package
    from misti_data.tables import tables

    if chunk is None:
        monkeypatch.delenv("MISTI_DATA_CHUNK_BYTES", raising=False)
    else:
        monkeypatch.setenv("MISTI_DATA_CHUNK_BYTES", str(chunk))
    out = {}
    with load_package(folder) as package:
        for t in tables(package):
            frame = t.frame
            out[t.name] = {
                "findings": sorted(t.findings),
                "rows": t.row_count,
                "withheld": t.withheld,
                "frame": None if frame is None else frame.to_dicts(),
                "formulas": None if t.formula_cells is None else sorted(t.formula_cells),
                "key_empty": t.key_empty,
            }
    return out


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_a_fixture_read_in_tiny_chunks_is_read_as_in_one(case, chunk, monkeypatch):
    whole = _read_all(PACKAGES / case, None, monkeypatch)
    chunked = _read_all(PACKAGES / case, chunk, monkeypatch)
    assert chunked == whole


_CELL = st.sampled_from(
    ["", "1", "-2", "3.5", "x", "=1+2", "2024-01-31", "a,b", 'q"q', "line\nbreak", " 7 ", "NA"]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.lists(_CELL, min_size=0, max_size=5).filter(lambda r: r != [""]), min_size=0, max_size=12
    ),
    chunk=st.integers(min_value=1, max_value=40),
)
def test_generated_files_read_in_chunks_as_in_one(tmp_path_factory, monkeypatch, rows, chunk):
    """Ragged, blank, quoted and multi-line rows: chunks give the same cells and findings.

    No quoted empty cell (`""`): polars keeps it as '', Python's csv module as a missing value, so
    which reader reads the chunk decides (test_tables_misread_files's xfail); the csv writer quotes an
    empty cell only when it is a row's only one."""
    quote_all = False
    import csv
    import io

    folder = tmp_path_factory.mktemp("pkg")
    fields = [
        {"name": "a", "type": "integer"},
        {"name": "b", "type": "number", "constraints": {"minimum": 0}},
        {"name": "c", "type": "string"},
        {"name": "d", "type": "date"},
    ]
    write_package(folder, [], fields=fields, key=["a"])
    text = io.StringIO()
    writer = csv.writer(
        text, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    writer.writerow(["a", "b", "c", "d"])
    writer.writerows(rows)
    (folder / "data" / "figures.csv").write_text(text.getvalue(), encoding="utf-8")
    assert _read_all(folder, chunk, monkeypatch) == _read_all(folder, None, monkeypatch)


def _run_measured(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    """Run `cmd` in a child; (its peak RSS in MiB, the completed process)."""
    code = (
        "import resource, subprocess, sys, json\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'peak': peak, 'code': p.returncode, 'out': p.stdout, 'err': p.stderr}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *cmd], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    return result["peak"], subprocess.CompletedProcess(
        cmd, result["code"], result["out"], result["err"]
    )


def _misti_data() -> str:
    return str(Path(sys.executable).parent / "misti-data")


def _gzip_package(folder: Path, rows: int, line: bytes, header: bytes, fields: list[dict]) -> Path:
    (folder / "data").mkdir(parents=True)
    block = line * 100_000
    with gzip.open(folder / "data" / "big.csv.gz", "wb", compresslevel=1) as f:
        f.write(header)
        for _ in range(rows // 100_000):
            f.write(block)
    descriptor = {
        "name": "big",
        "version": "1.0.0",
        "licenses": [{"name": "CC0-1.0"}],
        "sources": [{"title": "generated"}],
        "resources": [
            {
                "name": "big",
                "path": "data/big.csv.gz",
                "format": "csv",
                "schema": {"fields": fields},
            }
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    return folder


@pytest.mark.slow
def test_a_10m_row_gzip_is_validated_in_bounded_memory(tmp_path):
    """10M rows, 110 MB of text in a gzip file: read whole, the text, its cells and the typed
    column would take well over a GiB; read in chunks, the process stays under 600 MiB."""
    pkg = _gzip_package(
        tmp_path / "pkg",
        10_000_000,
        b"123456789,ab\n",
        b"n,s\n",
        [{"name": "n", "type": "integer"}, {"name": "s", "type": "string"}],
    )
    peak, done = _run_measured([_misti_data(), "validate", str(pkg), "--format", "json"])
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["tables"] == {"big": 10_000_000}
    assert peak < 600, f"peak {peak:.0f} MiB"


@pytest.mark.slow
def test_millions_of_bad_cells_are_counted_exactly_and_shown_capped(tmp_path):
    from misti_data.tables.read import FINDINGS_PER_CODE

    pkg = _gzip_package(
        tmp_path / "pkg",
        2_000_000,
        b"x,1\n",
        b"n,m\n",
        [
            {"name": "n", "type": "integer"},
            {"name": "m", "type": "integer", "constraints": {"maximum": 0}},
        ],
    )
    peak, done = _run_measured([_misti_data(), "validate", str(pkg), "--format", "json"])
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["counts"]["by_code"] == {"constraint-error": 2_000_000, "type-error": 2_000_000}
    assert report["counts"]["error"] == 4_000_000
    shown = [f["code"] for f in report["findings"]]
    assert (
        shown.count("type-error") == FINDINGS_PER_CODE
        and shown.count("constraint-error") == FINDINGS_PER_CODE
    )
    assert {(w["code"], w["count"]) for w in report["withheld"]} == {
        ("type-error", 2_000_000 - FINDINGS_PER_CODE),
        ("constraint-error", 2_000_000 - FINDINGS_PER_CODE),
    }
    assert peak < 600, f"peak {peak:.0f} MiB"
    text = subprocess.run([_misti_data(), "validate", str(pkg)], capture_output=True, text=True)
    assert f"type-error (2,000,000 errors, {FINDINGS_PER_CODE} shown)" in text.stdout
    assert text.stdout.rstrip().endswith(
        "invalid: 4,000,000 errors, 0 warnings in 1 table, 2,000,000 rows"
    )


def test_a_table_of_several_chunks_is_spilled_and_read_back(tmp_path, monkeypatch):
    """Past the in-memory budget the typed chunks go to the package's spill folder, removed on close."""
    from misti_data.package import load_package
    from misti_data.tables import read, table

    rows = [{"area": f"KH-{i}", "year": 2000 + i % 20, "value": i, "note": "n"} for i in range(500)]
    write_package(tmp_path / "pkg", rows, key=["area"])
    monkeypatch.setenv("MISTI_DATA_CHUNK_BYTES", "1000")
    monkeypatch.setattr(read, "SPILL_AFTER", 0)
    with load_package(tmp_path / "pkg") as package:
        t = table(package, "figures")
        assert len(t.spilled) > 5 and all(f.is_file() for f in t.spilled)
        assert t.height == 500 and t.frame.height == 500
        assert t.frame["value"].to_list() == [float(i) for i in range(500)]
        spill = package.spill_dir()
    assert not spill.exists()


@pytest.mark.parametrize("seed", [1, 2])
def test_a_diff_of_spilled_tables_matches_rows_through_hashes_as_the_whole_diff(
    tmp_path, monkeypatch, seed, run
):
    """Both sides read in chunks and spilled: the diff reads only the rows whose hashes differ,
    and reports exactly what the diff of the tables in memory reports (tolerances included)."""
    import random

    from misti_data import diff
    from misti_data.tables import read

    rng = random.Random(seed)
    rows = [
        {"area": f"KH-{i}", "year": 2000 + i % 20, "value": i, "note": "n"} for i in range(3000)
    ]
    new = [dict(r) for r in rows if rng.random() > 0.01]
    for r in new:
        r["value"] += 1e-9 if rng.random() < 0.01 else 1 if rng.random() < 0.01 else 0
        r["note"] = "changed" if rng.random() < 0.005 else r["note"]
    new += [{"area": f"KH-x{i}", "year": 2030, "value": i, "note": "added"} for i in range(7)]
    write_package(tmp_path / "old", rows, key=["area", "year"])
    write_package(tmp_path / "new", new, key=["area", "year"])
    whole = [
        run("diff", tmp_path / "old", tmp_path / "new", "--format", "json", *tol).stdout
        for tol in ([], ["--atol", "1e-6"])
    ]
    hashed = []
    original = diff.compare_hashed
    monkeypatch.setattr(
        diff, "compare_hashed", lambda *a, **k: hashed.append(original(*a, **k)) or hashed[-1]
    )
    monkeypatch.setenv("MISTI_DATA_CHUNK_BYTES", "2000")
    monkeypatch.setattr(read, "SPILL_AFTER", 0)
    chunked = [
        run("diff", tmp_path / "old", tmp_path / "new", "--format", "json", *tol).stdout
        for tol in ([], ["--atol", "1e-6"])
    ]
    assert hashed == [True, True]
    assert chunked == whole
    assert (
        json.loads(whole[0])["resources"][0]["rows"]["changed"]
        > json.loads(whole[1])["resources"][0]["rows"]["changed"]
        > 0
    )


@pytest.mark.parametrize("compression", ["gz", "bz2", "xz", "zip"])
def test_a_compressed_csv_is_read_as_the_plain_one(tmp_path, compression, run, monkeypatch):
    """Each compression is decompressed as the file is read (zip: its first file), by the same reader."""
    import bz2
    import lzma
    import zipfile

    fields = [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "n", "type": "integer"},
        {"name": "d", "type": "date"},
    ]
    text = b"id,n,d\na,1,2020-01-01\nb,x,2020-13-01\nc,3\n,4,2020-01-02\n"
    write_package(tmp_path / "plain", [], fields=fields, key=["id"], resource="t")
    (tmp_path / "plain" / "data" / "t.csv").write_bytes(text)
    packed = tmp_path / "packed"
    write_package(packed, [], fields=fields, key=["id"], resource="t")
    (packed / "data" / "t.csv").unlink()
    target = packed / "data" / f"t.csv.{compression}"
    if compression == "zip":
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("t.csv", text)
    else:
        target.write_bytes(
            {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}[compression](text)
        )
    desc = json.loads((packed / "datapackage.json").read_text())
    desc["resources"][0]["path"] = f"data/t.csv.{compression}"
    (packed / "datapackage.json").write_text(json.dumps(desc))
    found = [
        sorted(
            (f["code"], f["row"], f["field"])
            for f in json.loads(run("validate", folder, "--format", "json").stdout)["findings"]
        )
        for folder in (tmp_path / "plain", packed)
    ]
    assert found[0] == found[1] and ("primary-key", 5, None) in found[0]
    monkeypatch.setenv("MISTI_DATA_CHUNK_BYTES", "8")
    assert (
        sorted(
            (f["code"], f["row"], f["field"])
            for f in json.loads(run("validate", packed, "--format", "json").stdout)["findings"]
        )
        == found[0]
    )
