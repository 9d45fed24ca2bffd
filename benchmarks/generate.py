"""Write a synthetic Data Package shaped like ours, at N observation rows, for the benchmarks.

    python benchmarks/generate.py 1000000 /tmp/bench-1m --defects

indicators (1,000) + sources (10) + observations (N) with the composite primary key
(indicator_id, area, period_end) and foreign keys to both, typed as the shipped schemas type them.
With --defects, a few known problems are seeded and listed in `defects.json` as [code, row]:
three type errors, a duplicate key, a foreign-key orphan, a blank row and a missing cell.
With --rules, the package declares the domain rules (`misti_data.indicators`): the indicators get
a `measure` ("rate", so no stock or province rule adds findings) and an empty `of_indicator`, and an
"approximately" figure is rounded to 3 significant digits, so the rules run over every row and
find nothing the seeded defects do not already explain.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

INDICATORS = 1000
AREAS = ["KH"] + [f"KH-{i}" for i in range(1, 26)]
SOURCES = 10
QUALIFIERS = ["exact", "more_than", "approximately"]

OBSERVATIONS_SCHEMA = {
    "fields": [
        {"name": "indicator_id", "type": "string", "constraints": {"required": True}},
        {
            "name": "period",
            "type": "year",
            "constraints": {"required": True, "minimum": 1990, "maximum": 2100},
        },
        {"name": "period_end", "type": "date", "constraints": {"required": True}},
        {
            "name": "area",
            "type": "string",
            "constraints": {"required": True, "pattern": "^KH(-[0-9]{1,2})?$"},
        },
        {"name": "value", "type": "number", "constraints": {"required": True, "minimum": 0}},
        {
            "name": "qualifier",
            "type": "string",
            "constraints": {"required": True, "enum": QUALIFIERS},
        },
        {"name": "source_id", "type": "string", "constraints": {"required": True}},
        {"name": "quote", "type": "string"},
    ],
    "primaryKey": ["indicator_id", "area", "period_end"],
    "foreignKeys": [
        {
            "fields": "indicator_id",
            "reference": {"resource": "indicators", "fields": "indicator_id"},
        },
        {"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}},
    ],
}
INDICATORS_SCHEMA = {
    "fields": [
        {
            "name": "indicator_id",
            "type": "string",
            "constraints": {"required": True, "unique": True, "pattern": "^[a-z0-9_]+$"},
        },
        {
            "name": "sector",
            "type": "string",
            "constraints": {"required": True, "enum": ["industry", "smes", "water_supply"]},
        },
        {"name": "name", "type": "string", "constraints": {"required": True}},
        {"name": "unit", "type": "string", "constraints": {"required": True}},
    ],
    "primaryKey": ["indicator_id"],
}
SOURCES_SCHEMA = {
    "fields": [
        {"name": "source_id", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "title", "type": "string", "constraints": {"required": True}},
        {"name": "published", "type": "date", "constraints": {"required": True}},
    ],
    "primaryKey": ["source_id"],
}


def observation(i: int, rules: bool = False) -> str:
    """Row i: keys unique by construction (indicator x area x month end)."""
    month = i // (INDICATORS * len(AREAS))
    year, mon = 1990 + month // 12, month % 12 + 1
    quote = f'"with {i:,} large factories operating nationwide"' if i % 3 == 0 else ""
    value = f"{(i * 7) % 100000}.5"
    if rules and QUALIFIERS[i % 3] == "approximately":
        value = f"{(i * 7) % 100000 // 1000 * 1000 + 1000}"
    return (
        f"ind_{i % INDICATORS:04d},{year},{year}-{mon:02d}-28,{AREAS[(i // INDICATORS) % len(AREAS)]},"
        f"{value},{QUALIFIERS[i % 3]},src_{i % SOURCES},{quote}"
    )


def seed_defects(lines: list[str]) -> list[list]:
    """Break a few known rows of `lines` (line k is data row k + 2) and return [code, row] for each."""
    n = len(lines)
    row = lambda k: k + 2
    spots = _spots(n)
    defects = []
    for k, bad in zip(spots[:3], ("n/a", "1.5e", "12 000")):
        cells = lines[k].split(",", 5)
        lines[k] = ",".join(cells[:4] + [bad] + cells[5:])
        defects.append(["type-error", row(k)])
    k = spots[3]
    lines[k] = ",".join(
        lines[k - 1].split(",")[:4] + lines[k].split(",")[4:]
    )  # the previous row's key
    defects.append(["primary-key", row(k)])
    k = spots[4]
    lines[k] = "no_such_indicator" + lines[k][lines[k].index(",") :]
    defects.append(["foreign-key", row(k)])
    lines[spots[5]] = ",,,,,,,"
    defects.append(["blank-row", row(spots[5])])
    k = spots[6]
    lines[k] = lines[k][: lines[k].rindex(",")]  # drop the (empty: k % 3 != 0) quote cell
    defects.append(["missing-cell", row(k)])
    return defects


def write_observations(
    path: Path, header: str, n: int, defects: bool, rules: bool
) -> tuple[dict, list[list]]:
    """The observations file written as it is generated (100M rows do not fit in memory as
    strings), with the same seeded defects as seed_defects; its hash and bytes, and the defects."""
    spots: dict[int, str] = {}
    seeded: list[list] = []
    if defects:
        # seed_defects on a list of just the lines it touches, then written in place
        touched = sorted({k for k in _spots(n)} | {k - 1 for k in _spots(n)})
        lines = {k: observation(k, rules) for k in touched if 0 <= k < n}

        class Sparse(dict):
            def __len__(self):
                return n

        sparse = Sparse(lines)
        seeded = seed_defects(sparse)
        spots = {k: sparse[k] for k in _spots(n) if k in sparse}
    digest = hashlib.sha256()
    size = 0
    with open(path, "wb") as f:

        def put(text: str) -> None:
            nonlocal size
            data = text.encode()
            digest.update(data)
            size += len(data)
            f.write(data)

        put(header + "\n")
        step = 200_000
        for start in range(0, n, step):
            put(
                "".join(
                    (spots[i] if i in spots else observation(i, rules)) + "\n"
                    for i in range(start, min(n, start + step))
                )
            )
    return {"hash": "sha256:" + digest.hexdigest(), "bytes": size}, seeded


def _spots(n: int) -> list[int]:
    return [
        n // 7,
        n // 3,
        n // 2,
        (2 * n) // 3,
        (3 * n) // 4,
        (4 * n) // 5,
        n - 2 - (n - 2) % 3 + 1,
    ]


def write_csv(path: Path, header: str, lines: list[str]) -> dict:
    data = (header + "\n" + "\n".join(lines) + "\n").encode()
    path.write_bytes(data)
    return {"hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def generate(n: int, out: Path, defects: bool, rules: bool = False) -> list[list]:
    (out / "data").mkdir(parents=True, exist_ok=True)
    resources = []
    indicators = INDICATORS_SCHEMA
    extra = ""
    if rules:
        indicators = {
            **INDICATORS_SCHEMA,
            "fields": INDICATORS_SCHEMA["fields"]
            + [{"name": "measure", "type": "string"}, {"name": "of_indicator", "type": "string"}],
        }
        extra = ",rate,"
    tables = {
        "sources": (
            "source_id,title,published",
            [f"src_{i},Source {i},2026-02-{i + 1:02d}" for i in range(SOURCES)],
            SOURCES_SCHEMA,
        ),
        "indicators": (
            "indicator_id,sector,name,unit" + (",measure,of_indicator" if rules else ""),
            [
                f"ind_{i:04d},{('industry', 'smes', 'water_supply')[i % 3]},Indicator {i},persons{extra}"
                for i in range(INDICATORS)
            ],
            indicators,
        ),
        "observations": (
            "indicator_id,period,period_end,area,value,qualifier,source_id,quote",
            None,
            OBSERVATIONS_SCHEMA,
        ),
    }
    seeded = []
    for name, (header, lines, schema) in tables.items():
        path = f"data/{name}.csv"
        if lines is None:
            stamp, seeded = write_observations(out / path, header, n, defects, rules)
        else:
            stamp = write_csv(out / path, header, lines)
        resources.append(
            {
                "name": name,
                "path": path,
                "format": "csv",
                "encoding": "utf-8",
                "schema": schema,
                **stamp,
            }
        )
    descriptor = {
        "name": "synthetic-indicators",
        "version": "1.0.0",
        "licenses": [{"name": "CC0-1.0"}],
        "sources": [{"title": "benchmarks/generate.py"}],
        "resources": resources,
    }
    if rules:
        descriptor["misti_data"] = {
            "indicators": {"national_area": "KH", "percent_units": ["percent"], "count_units": []}
        }
    (out / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n")
    (out / "defects.json").write_text(json.dumps(sorted(seeded)) + "\n")
    return seeded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("outdir", type=Path)
    parser.add_argument(
        "--defects", action="store_true", help="seed known defects (listed in defects.json)"
    )
    parser.add_argument(
        "--rules", action="store_true", help="declare the domain rules (misti_data.indicators)"
    )
    args = parser.parse_args()
    seeded = generate(args.rows, args.outdir, args.defects, args.rules)
    print(f"{args.outdir}: {args.rows} observations, {len(seeded)} seeded defects")


if __name__ == "__main__":
    main()
