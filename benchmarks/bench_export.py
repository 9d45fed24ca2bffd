"""Time `misti-data export` (per format) and `misti-data site` on a generated package.

Run by hand, not by the test suite:  .venv/bin/python benchmarks/bench_export.py [ROWS] [REPEATS] [--floor]
Prints the median wall time of each command, run through the installed entry point, and for
SQLite and Excel its ratio to the floor measured in the same run (benchmarks/export_floor.py: a
bare polars frame written with sqlite3, or with polars's `write_excel`), with peak memory.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENTRY = Path(sys.executable).parent / "misti-data"
FLOOR = Path(__file__).resolve().parent / "export_floor.py"


def make_package(folder: Path, rows: int) -> Path:
    """A package with one table of `rows` rows, one column of each common type, and a small lookup table."""
    rng = random.Random(7)
    (folder / "data").mkdir(parents=True)
    with open(folder / "data" / "facts.csv", "w", encoding="utf-8") as f:
        f.write("id,label,amount,active,day,year,kind\n")
        for i in range(rows):
            f.write(
                f"{i},label {i},{rng.uniform(0, 1e6):.2f},{rng.choice(['true', 'false'])},"
                f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)},{rng.randint(1990, 2025)},"
                f"{rng.choice('abc')}\n"
            )
    (folder / "data" / "kinds.csv").write_text("kind,name\na,A\nb,B\nc,C\n")
    fields = [
        ("id", "integer"),
        ("label", "string"),
        ("amount", "number"),
        ("active", "boolean"),
        ("day", "date"),
        ("year", "year"),
        ("kind", "string"),
    ]
    descriptor = {
        "name": "bench",
        "version": "1.0.0",
        "licenses": [{"name": "CC0-1.0"}],
        "sources": [{"title": "generated"}],
        "resources": [
            {
                "name": "facts",
                "path": "data/facts.csv",
                "schema": {
                    "fields": [{"name": n, "type": t} for n, t in fields],
                    "primaryKey": ["id"],
                    "foreignKeys": [
                        {"fields": "kind", "reference": {"resource": "kinds", "fields": "kind"}}
                    ],
                },
            },
            {
                "name": "kinds",
                "path": "data/kinds.csv",
                "schema": {
                    "fields": [
                        {"name": "kind", "type": "string"},
                        {"name": "name", "type": "string"},
                    ],
                    "primaryKey": ["kind"],
                },
            },
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    return folder


def median_seconds(args: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([str(ENTRY), *args], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_run(cmd: list[str], repeats: int) -> tuple[float, int]:
    """(median wall seconds, median peak RSS in MiB) of `cmd`, under /usr/bin/time."""
    walls, peaks = [], []
    for _ in range(repeats):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as rss:
            start = time.perf_counter()
            subprocess.run(
                ["/usr/bin/time", "-f", "%M", "-o", rss.name, *cmd], check=True, capture_output=True
            )
            walls.append(time.perf_counter() - start)
            peaks.append(int(rss.read().strip().splitlines()[-1]) // 1024)
    return statistics.median(walls), int(statistics.median(peaks))


def against_floor(pkg: Path, rows: int, repeats: int) -> None:
    """Each export format against its floor, interleaved so both see the same machine load."""
    print(
        "| format | floor (s) | floor peak (MiB) | misti-data export (s) | peak (MiB) | × floor |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    out = pkg.parent / "out"
    for fmt in ("sqlite", "xlsx"):
        floor = median_run(
            [sys.executable, str(FLOOR), str(pkg), fmt, str(pkg.parent / f"floor.{fmt}")], repeats
        )
        ours = median_run(
            [str(ENTRY), "export", str(pkg), "--to", fmt, "--out", str(out), "--quiet"], repeats
        )
        print(
            f"| {fmt} ({rows:,} rows) | {floor[0]:.2f} | {floor[1]} | {ours[0]:.2f} | {ours[1]} | {ours[0] / floor[0]:.2f} |"
        )


def main() -> None:
    if "--floor" in sys.argv:
        args = [a for a in sys.argv[1:] if a != "--floor"]
        rows, repeats = int(args[0]), int(args[1]) if len(args) > 1 else 3
        with tempfile.TemporaryDirectory() as tmp:
            against_floor(make_package(Path(tmp) / "bench", rows), rows, repeats)
        return
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as tmp:
        pkg = make_package(Path(tmp) / "bench", rows)
        print(f"{rows} rows, median of {repeats} runs")
        base = median_seconds(["validate", str(pkg)], repeats)
        print(f"  validate              {base:6.2f} s")
        for fmt in ("xlsx", "sqlite", "csvw"):
            t = median_seconds(["export", str(pkg), "--to", fmt], repeats)
            print(f"  export --to {fmt:<9} {t:6.2f} s  ({t / base:.1f}x validate)")
        t = median_seconds(["export", str(pkg), "--to", "all", "--no-validate"], repeats)
        print(f"  export all --no-validate {t:6.2f} s")
        t = median_seconds(["site", str(pkg)], repeats)
        print(f"  site                  {t:6.2f} s  ({t / base:.1f}x validate)")


if __name__ == "__main__":
    main()
