"""Time and peak memory of validating 100k to 100M rows: misti-data, the polars and DuckDB floors, frictionless.

    python benchmarks/bench_scale.py --rows 100000 1000000 10000000 25000000 100000000 --runs 3 \\
        --json benchmarks/scale.json --svg benchmarks/scale.svg

For each size, generates the seeded-defect package (generate.py, streamed to disk), then runs each
tool `--runs` times, interleaved (one run of each tool per round, so the machine's load falls on
all of them alike), each in its own process under wait4: wall time (median) and peak RSS (max).
frictionless runs up to --frictionless-max rows (1M: it takes a minute there). The chart is a
log-log plot made with altair and written as SVG by vl-convert; --from-json redraws it from a
saved run without measuring anything.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def measure(cmd: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit code) of one run of `cmd`."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def tools(pkg: Path, n: int, frictionless_max: int, floor_max: int) -> dict[str, list[str]]:
    out = {
        "misti-data": [str(BIN / "misti-data"), "validate", str(pkg), "--format", "json"],
        "DuckDB": [sys.executable, str(HERE / "duckdb_floor.py"), str(pkg)],
    }
    if n <= floor_max:  # the eager floor holds the whole table: about 24 GiB at 100M rows
        out["polars floor"] = [sys.executable, str(HERE / "polars_floor.py"), str(pkg)]
    if n <= frictionless_max:
        out["frictionless"] = [
            str(BIN / "frictionless"),
            "validate",
            "--json",
            str(pkg / "datapackage.json"),
        ]
    return out


def bench(
    sizes: list[int], runs: int, frictionless_max: int, floor_max: int, workdir: Path, keep: bool
) -> list[dict]:
    rows = []
    for n in sizes:
        pkg = workdir / f"pkg-{n}"
        if not (pkg / "datapackage.json").is_file():
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(n), str(pkg), "--defects"],
                check=True,
                capture_output=True,
            )
        cmds = tools(pkg, n, frictionless_max, floor_max)
        got: dict[str, list] = {name: [] for name in cmds}
        for _ in range(runs):
            for name, cmd in cmds.items():
                if got[name] and (name == "frictionless" and n > 100_000 or n >= 100_000_000):
                    continue  # one run of frictionless past 100k rows, and of anything at 100M
                got[name].append(measure(cmd))
        for name, results in got.items():
            rows.append(
                {
                    "rows": n,
                    "tool": name,
                    "median_s": round(statistics.median(r[0] for r in results), 3),
                    "peak_mib": round(max(r[1] for r in results)),
                    "runs": len(results),
                    "exit_codes": sorted({r[2] for r in results}),
                }
            )
            print(json.dumps(rows[-1]), flush=True)
        if not keep:
            shutil.rmtree(pkg)
    return rows


def chart(rows: list[dict], svg: Path) -> None:
    import altair as alt
    import vl_convert as vlc

    data = [
        {**r, "measure": m, "value": r["median_s"] if m == "time (s)" else r["peak_mib"] / 1024}
        for r in rows
        for m in ("time (s)", "peak memory (GiB)")
    ]
    base = (
        alt.Chart(alt.Data(values=data))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "rows:Q", scale=alt.Scale(type="log"), title="rows", axis=alt.Axis(format="~s")
            ),
            y=alt.Y("value:Q", scale=alt.Scale(type="log"), title=None),
            color=alt.Color("tool:N", title="tool"),
        )
        .properties(width=320, height=240)
    )
    figure = (
        base.facet(
            column=alt.Column("measure:N", title=None, sort=["time (s)", "peak memory (GiB)"])
        )
        .resolve_scale(y="independent")
        .properties(title="validate: time and peak memory, 100k to 100M rows (log-log)")
    )
    svg.write_text(vlc.vegalite_to_svg(figure.to_json()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--frictionless-max", type=int, default=1_000_000)
    parser.add_argument(
        "--floor-max",
        type=int,
        default=25_000_000,
        help="largest size the (eager) polars floor is run at",
    )
    parser.add_argument(
        "--packages",
        type=Path,
        help="keep the generated packages here (pkg-N), and reuse those already there",
    )
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--svg", type=Path, help="draw the log-log chart here")
    parser.add_argument(
        "--from-json", type=Path, help="draw the chart from a saved run, measuring nothing"
    )
    args = parser.parse_args()
    if args.from_json:
        rows = json.loads(args.from_json.read_text())
    else:
        if args.packages:
            args.packages.mkdir(parents=True, exist_ok=True)
            rows = bench(
                args.rows,
                args.runs,
                args.frictionless_max,
                args.floor_max,
                args.packages,
                keep=True,
            )
        else:
            with tempfile.TemporaryDirectory(prefix="misti-scale-") as tmp:
                rows = bench(
                    args.rows,
                    args.runs,
                    args.frictionless_max,
                    args.floor_max,
                    Path(tmp),
                    keep=False,
                )
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1) + "\n")
    if args.svg:
        chart(rows, args.svg)


if __name__ == "__main__":
    main()
