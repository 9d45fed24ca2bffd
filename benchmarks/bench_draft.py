"""Time `misti-data draft` on a generated press release of a few thousand words (run by hand).

The release is written from templates in MISTI's style with seeded random figures, provinces and
years: every sentence holds figures the indicators' terms place, and some they do not. Prints the
median of RUNS whole processes of `draft`, of the start-up floor (`misti-data draft --help`: the
interpreter and the CLI's imports), and of `draft_file` called in one process after its imports.

    python benchmarks/bench_draft.py [--words 4000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROVINCES = ["Siem Reap", "Kampot", "Battambang", "Takeo", "Kandal", "Pursat", "Kep"]
SENTENCES = [
    "In {p}, the ministry counted {n:,} clean water connections by the end of {y}.",
    "Large factories kept employing over {m} million workers in {y}, {s} percent of whom are women.",
    "The ministry recorded {k} new large factories in {y}, while {c} factories closed.",
    "A total of {k} ASEAN Harmonized Standards and {c} Cambodian standards were adopted in {y}.",
    "Products worth US${b} billion were made by large factories during {y}.",
    "Officials trained {n:,} technicians over {d} days to support the sector's growth.",
    "The network of {n:,} kilometers supplied {m} million cubic meters of water supplied in {y}.",
    "Some {n:,} individuals registered through the government's digital platform in {y}.",
]


def release(words: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    out = ["Phnom Penh, March 2, 2027 — The ministry reviewed the year."]
    while sum(len(s.split()) for s in out) < words:
        paragraph = []
        for _ in range(5):
            paragraph.append(
                rnd.choice(SENTENCES).format(
                    p=rnd.choice(PROVINCES),
                    n=rnd.randrange(1_000, 2_000_000),
                    m=f"{rnd.uniform(1, 900):.2f}",
                    s=rnd.randrange(10, 90),
                    k=rnd.randrange(10, 500),
                    c=rnd.randrange(10, 500),
                    b=f"{rnd.uniform(1, 30):.1f}",
                    d=rnd.randrange(2, 30),
                    y=rnd.randrange(2019, 2027),
                )
            )
        out.append(" ".join(paragraph))
    return "\n".join(out) + "\n"


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / "pkg"
        pkg.mkdir()
        for name in ("datapackage.json", "data", "schemas", "seeds"):
            src = ROOT / name
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, pkg / name)
        text = release(args.words)
        file = pkg / "seeds" / "release.txt"
        file.write_text(text, encoding="utf-8")
        exe = [sys.executable, "-m", "misti_data"]
        floor = median_seconds([*exe, "draft", "--help"], args.runs)
        whole = median_seconds([*exe, "draft", str(file), str(pkg), "--format", "json"], args.runs)

        from misti_data.draft import draft_file

        draft_file(
            file, pkg
        )  # the first call imports polars and the reader: start-up, not drafting
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = draft_file(file, pkg)
            times.append(time.perf_counter() - start)
        inside = statistics.median(times)
    print(
        f"release: {len(text.split()):,} words, {len(result.rows)} rows, "
        f"{len(result.unplaced)} unplaced; medians of {args.runs} runs"
    )
    print(f"start-up floor (draft --help)      {floor:6.3f} s")
    print(f"draft, whole process               {whole:6.3f} s  ({whole / floor:.1f}× the floor)")
    print(f"draft, after start-up (draft_file) {inside:6.3f} s")


if __name__ == "__main__":
    main()
