"""Time `misti-data diff` with a zip side that holds 200,000 members besides the package.

    python benchmarks/bench_zip_members.py --members 200000 --runs 3

The archive holds a small package (datapackage.json and data/figures.csv) and `--members` empty
files the descriptor does not name; the other side is the same package as a folder. A diff side
unpacks only what its descriptor names, so the time is that of reading the archive's directory
and choosing from it. Prints the median wall time of `--runs` runs in a subprocess, and the time
of the same diff with a zip of the package alone (the floor: start-up and the diff itself).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

DESCRIPTOR = {
    "name": "things",
    "version": "1.0.0",
    "licenses": [{"name": "CC0-1.0"}],
    "sources": [{"title": "benchmark"}],
    "resources": [
        {
            "name": "figures",
            "path": "data/figures.csv",
            "format": "csv",
            "schema": {
                "fields": [
                    {"name": "area", "type": "string"},
                    {"name": "year", "type": "integer"},
                    {"name": "value", "type": "number"},
                ],
                "primaryKey": ["area", "year"],
            },
        }
    ],
}
CSV = "area,year,value\nPhnom Penh,2020,1.5\nKampot,2020,2\n"


def write_folder(folder: Path) -> Path:
    (folder / "data").mkdir(parents=True)
    (folder / "datapackage.json").write_text(json.dumps(DESCRIPTOR), encoding="utf-8")
    (folder / "data" / "figures.csv").write_text(CSV, encoding="utf-8")
    return folder


def write_zip(path: Path, members: int) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("datapackage.json", json.dumps(DESCRIPTOR))
        zf.writestr("data/figures.csv", CSV)
        for i in range(members):
            zf.writestr(f"junk/{i:06d}", b"")
    return path


def median_seconds(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if out.returncode != 0:
            sys.exit(f"{' '.join(cmd)} exited {out.returncode}: {out.stderr}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = write_folder(tmp / "pkg")
        many = write_zip(tmp / "many.zip", args.members)
        few = write_zip(tmp / "few.zip", 0)
        cli = [sys.executable, "-m", "misti_data", "diff"]
        floor = median_seconds([*cli, str(few), str(folder)], args.runs)
        took = median_seconds([*cli, str(many), str(folder)], args.runs)
    print(f"| zip side with {args.members:,} members | {took:.2f} s | floor {floor:.2f} s |")


if __name__ == "__main__":
    main()
