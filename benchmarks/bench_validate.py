"""Time `misti-data validate` against `frictionless validate` and a bare polars floor, side by side.

    python benchmarks/bench_validate.py --rows 100000 1000000 --runs 3 --frictionless-runs 1

For each size: generates a seeded-defect package (benchmarks/generate.py), runs each tool
`--runs` times in a subprocess under /usr/bin/time, and reports the median wall time, its ratio
to the polars floor measured in the same run, the peak memory (max RSS), and whether the tool
found every seeded defect. Also times `misti-data --help` and both validators on the shipped
package. Prints a Markdown table (the README's "Performance" section) and writes JSON with --json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent


def measure(cmd: list[str]) -> tuple[float, int, str, float]:
    """(wall seconds, peak RSS in MiB, stdout, CPU seconds: user + system) of one run of `cmd`."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as rss:
        start = time.perf_counter()
        out = subprocess.run(
            ["/usr/bin/time", "-f", "%M %U %S", "-o", rss.name, *cmd],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        peak_kib, user, system = rss.read().strip().splitlines()[-1].split()
    return wall, int(peak_kib) // 1024, out.stdout, float(user) + float(system)


def runs(cmd: list[str], n: int) -> dict:
    results = [measure(cmd) for _ in range(n)]
    return {
        "median_s": statistics.median(r[0] for r in results),
        "runs": len(results),
        "peak_mib": max(r[1] for r in results),
        "stdout": results[-1][2],
    }


def found_ours(stdout: str) -> set[tuple[str, int]]:
    return {(f["code"], f["row"]) for f in json.loads(stdout)["findings"]}


def found_frictionless(stdout: str) -> set[tuple[str, int]]:
    report = json.loads(stdout)
    return {(e["type"], e.get("rowNumber")) for t in report["tasks"] for e in t["errors"]}


def bench_size(n: int, args, workdir: Path) -> list[dict]:
    pkg = workdir / f"pkg-{n}"
    rules = ["--rules"] if args.rules else []
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(n), str(pkg), "--defects", *rules],
        check=True,
        capture_output=True,
    )
    seeded = {tuple(d) for d in json.loads((pkg / "defects.json").read_text())}
    floor = runs([sys.executable, str(HERE / "polars_floor.py"), str(pkg)], args.runs)
    ours = runs([str(BIN / "misti-data"), "validate", str(pkg), "--format", "json"], args.runs)
    rows = [
        ("polars floor", floor, None),
        ("misti-data validate", ours, found_ours(ours["stdout"])),
    ]
    if args.frictionless_runs:
        theirs = runs(
            [str(BIN / "frictionless"), "validate", "--json", str(pkg / "datapackage.json")],
            args.frictionless_runs,
        )
        rows.append(("frictionless validate", theirs, found_frictionless(theirs["stdout"])))
    return [
        {
            "rows": n,
            "tool": tool,
            "median_s": round(r["median_s"], 3),
            "runs": r["runs"],
            "peak_mib": r["peak_mib"],
            "x_floor": round(r["median_s"] / floor["median_s"], 2),
            "seeded_found": None if found is None else f"{len(seeded & found)}/{len(seeded)}",
        }
        for tool, r, found in rows
    ]


def bench_small(args) -> list[dict]:
    # Interleaved (one run of each per round): the shared machine's load falls on both alike.
    help_ = runs([str(BIN / "misti-data"), "--help"], 5)
    commands = [
        [str(BIN / "misti-data"), "validate", str(ROOT)],
        [str(BIN / "frictionless"), "validate", str(ROOT / "datapackage.json")],
    ]
    rounds = [[measure(cmd) for cmd in commands] for _ in range(args.runs)]
    ours, theirs = (
        {
            "median_s": statistics.median(r[i][0] for r in rounds),
            "peak_mib": max(r[i][1] for r in rounds),
            # On a shared machine the wall time is mostly waiting for a core.
            "median_cpu_s": statistics.median(r[i][3] for r in rounds),
        }
        for i in range(len(commands))
    )
    return [
        {
            "what": "misti-data --help",
            "median_s": round(help_["median_s"], 3),
            "peak_mib": help_["peak_mib"],
        },
        {
            "what": "misti-data validate (shipped package)",
            "median_s": round(ours["median_s"], 3),
            "peak_mib": ours["peak_mib"],
            "cpu_s": round(ours["median_cpu_s"], 3),
        },
        {
            "what": "frictionless validate (shipped package)",
            "median_s": round(theirs["median_s"], 3),
            "peak_mib": theirs["peak_mib"],
            "cpu_s": round(theirs["median_cpu_s"], 3),
        },
    ]


def markdown(sizes: list[dict], small: list[dict]) -> str:
    lines = [
        "| rows | tool | median wall (s) | × polars floor | peak memory (MiB) | seeded defects found |",
        "|---:|---|---:|---:|---:|---|",
    ]
    lines += [
        f"| {r['rows']:,} | {r['tool']} | {r['median_s']:.2f} (n={r['runs']}) | {r['x_floor']:.1f} | {r['peak_mib']} | {r['seeded_found'] or '—'} |"
        for r in sizes
    ]
    lines += [
        "",
        "| command | median wall (s) | median CPU (s) | peak memory (MiB) |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {r['what']} | {r['median_s']:.3f} | {r.get('cpu_s', '—')} | {r['peak_mib']} |"
        for r in small
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows",
        type=int,
        nargs="*",
        default=[100_000, 1_000_000],
        help="none: the shipped package only",
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of misti-data and the floor per size"
    )
    parser.add_argument(
        "--frictionless-runs", type=int, default=1, help="frictionless is slow: ~50 s at 1M rows"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--rules", action="store_true", help="the generated package declares the domain rules"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="misti-bench-") as tmp:
        sizes = [row for n in args.rows for row in bench_size(n, args, Path(tmp))]
    small = bench_small(args)
    print(markdown(sizes, small))
    if args.json:
        args.json.write_text(json.dumps({"sizes": sizes, "small": small}, indent=2) + "\n")


if __name__ == "__main__":
    main()
