"""Time `misti-data diff` against a bare polars keyed join (the floor) and other CSV diff tools.

    python benchmarks/bench_diff.py [--rows 1000000] [--repeat 3] [--tools-venv /tmp/bench-venv]

Each tool runs in its own process (interpreter start and imports included, as a user sees it);
peak memory is that process's max RSS (wait4). Every tool's added/removed/changed counts are
compared with the generator's ground truth. csv-diff, datacompy and daff are not project
dependencies: install them in a separate venv (`pip install csv-diff datacompy daff polars`) and
pass it with --tools-venv; a tool that is missing is skipped. daff runs at 10k rows only (it
takes minutes at 100k). Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
KEY = ["indicator_id", "area", "period_end"]

FLOOR = """
import sys, json, polars as pl
key = ["indicator_id", "area", "period_end"]
a = pl.read_csv(sys.argv[1], try_parse_dates=True).with_columns(pl.lit(True).alias("_a"))
b = pl.read_csv(sys.argv[2], try_parse_dates=True).with_columns(pl.lit(True).alias("_b"))
j = a.join(b, on=key, how="full", coalesce=True, suffix="_new")
vals = [c for c in a.columns if c not in key and c != "_a"]
both = j.filter(pl.col("_a").is_not_null() & pl.col("_b").is_not_null())
changed = both.filter(pl.any_horizontal(pl.col(c).ne_missing(pl.col(c + "_new")) for c in vals)).height
print(json.dumps({"added": j["_a"].null_count(), "removed": j["_b"].null_count(), "changed": changed}))
"""

SINGLE_KEY = """
import sys, polars as pl
df = pl.read_csv(sys.argv[1], infer_schema=False)
df.select(pl.concat_str(["indicator_id", "area", "period_end"], separator="|").alias("key"), pl.all()).write_csv(sys.argv[2])
"""

DATACOMPY = """
import sys, json, polars as pl, datacompy
key = ["indicator_id", "area", "period_end"]
a = pl.read_csv(sys.argv[1], try_parse_dates=True)
b = pl.read_csv(sys.argv[2], try_parse_dates=True)
c = datacompy.PolarsCompare(a, b, join_columns=key)
print(json.dumps({"added": c.df2_unq_rows.height, "removed": c.df1_unq_rows.height, "changed": c.all_mismatch().height}))
"""


def measure(cmd: list[str]) -> tuple[float, int, str, float]:
    """(seconds, peak RSS in bytes, stdout, CPU seconds) of one run of `cmd` in its own process.

    CPU (user + system, all threads) is reported beside the wall time: on a shared machine the
    wall time is mostly waiting for a core."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # The pipes are drained in threads while wait4 collects this child's own resource usage.
    with ThreadPoolExecutor(2) as pool:
        out, err = pool.submit(proc.stdout.read), pool.submit(proc.stderr.read)
        _, status, usage = os.wait4(proc.pid, 0)
        captured, err = out.result(), err.result()
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {err.decode()[-500:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss * 1024, captured.decode("utf-8", "replace"), cpu


def prepare(rows: int) -> Path:
    """Generate the two releases once (and a single-key copy for csv-diff)."""
    folder = OUT / f"{rows}"
    if not (folder / "truth.json").exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate_releases.py"), str(folder), "--rows", str(rows)],
            check=True,
        )
    for side in ("old", "new"):
        keyed = folder / f"{side}-single-key.csv"
        if not keyed.exists():
            # In a child process: polars imported here would inflate every later child's max RSS,
            # which Linux carries over from the parent at fork.
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    SINGLE_KEY,
                    str(folder / side / "data" / "observations.csv"),
                    str(keyed),
                ],
                check=True,
            )
    return folder


def tools(folder: Path, venv: Path | None, rows: int) -> dict:
    """name -> (command, parse counts from stdout or from an output file)."""
    old, new = folder / "old", folder / "new"
    old_csv, new_csv = old / "data" / "observations.csv", new / "data" / "observations.csv"
    misti = str(ROOT / ".venv" / "bin" / "misti-data")
    found = {
        "polars join (floor)": (
            [sys.executable, "-c", FLOOR, str(old_csv), str(new_csv)],
            json.loads,
        ),
        "misti-data diff": ([misti, "diff", str(old), str(new)], _text_counts),
        "misti-data diff --format json": (
            [misti, "diff", str(old), str(new), "--format", "json", "--limit", "0"],
            lambda s: json.loads(s)["summary"]["rows"],
        ),
    }
    bin_ = venv / "bin" if venv else None
    if bin_ and (bin_ / "csv-diff").exists():
        found["csv-diff"] = (
            [
                str(bin_ / "csv-diff"),
                str(folder / "old-single-key.csv"),
                str(folder / "new-single-key.csv"),
                "--key",
                "key",
                "--json",
            ],
            _csv_diff_counts,
        )
    if (
        bin_
        and (bin_ / "python").exists()
        and subprocess.run(
            [str(bin_ / "python"), "-c", "import datacompy"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        found["datacompy (polars)"] = (
            [str(bin_ / "python"), "-c", DATACOMPY, str(old_csv), str(new_csv)],
            json.loads,
        )
    if bin_ and (bin_ / "daff").exists() and rows <= 10_000:
        ids = [a for k in KEY for a in ("--id", k)]
        found["daff"] = (
            [
                str(bin_ / "daff"),
                *ids,
                "--output",
                str(folder / "daff.csv"),
                str(old_csv),
                str(new_csv),
            ],
            lambda _s: _daff_counts(folder / "daff.csv"),
        )
    return found


def _text_counts(text: str) -> dict:
    m = re.search(r"([\d,]+) rows? added, ([\d,]+) removed, ([\d,]+) changed", text)
    return {k: int(v.replace(",", "")) for k, v in zip(("added", "removed", "changed"), m.groups())}


def _csv_diff_counts(text: str) -> dict:
    d = json.loads(text)
    return {"added": len(d["added"]), "removed": len(d["removed"]), "changed": len(d["changed"])}


def _daff_counts(path: Path) -> dict:
    with open(path, newline="", encoding="utf-8") as f:
        tags = [row[0] for row in csv.reader(f) if row]
    return {
        "added": tags.count("+++"),
        "removed": tags.count("---"),
        "changed": sum(1 for t in tags if "->" in t),
    }


def run(rows: int, repeat: int, venv: Path | None) -> list[dict]:
    folder = prepare(rows)
    truth = json.loads((folder / "truth.json").read_text())
    found = tools(folder, venv, rows)
    times = {name: [] for name in found}
    peaks = {name: [] for name in found}
    cpus = {name: [] for name in found}
    counts = {}
    # Interleaved (each tool once per round), so a change in the shared machine's load hits every tool alike.
    for round_ in range(repeat):
        for name, (cmd, parse) in found.items():
            if name == "daff" and round_:
                continue
            seconds, peak, stdout, cpu = measure(cmd)
            times[name].append(seconds)
            cpus[name].append(cpu)
            peaks[name].append(peak)
            counts[name] = parse(stdout)
    results = []
    for name in found:
        results.append(
            {
                "tool": name,
                "rows": truth["rows_old"],
                "runs": len(times[name]),
                "median_s": statistics.median(times[name]),
                "median_cpu_s": statistics.median(cpus[name]),
                "peak_mib": max(peaks[name]) / 2**20,
                "counts": counts[name],
                "counts_match": all(
                    counts[name].get(k) == truth[k] for k in ("added", "removed", "changed")
                ),
            }
        )
        print(json.dumps(results[-1]), file=sys.stderr)
    floor = next(r for r in results if r["tool"].endswith("(floor)"))
    for r in results:
        r["ratio_to_floor"] = r["median_s"] / floor["median_s"]
        r["cpu_ratio_to_floor"] = r["median_cpu_s"] / floor["median_cpu_s"]
    return results


def table(results: list[dict]) -> str:
    lines = [
        "| tool | rows | median | × floor | CPU | × floor | peak memory | counts = truth |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        c = r["counts"]
        lines.append(
            f"| {r['tool']} | {r['rows']:,} | {r['median_s']:.2f} s | {r['ratio_to_floor']:.2f} "
            f"| {r['median_cpu_s']:.2f} s | {r['cpu_ratio_to_floor']:.2f} | {r['peak_mib']:,.0f} MiB "
            f"| {'yes' if r['counts_match'] else 'no'} (+{c['added']:,} -{c['removed']:,} ~{c['changed']:,}) |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tools-venv", type=Path, default=None)
    args = parser.parse_args()
    for rows in args.rows:
        print(table(run(rows, args.repeat, args.tools_venv)) + "\n")
