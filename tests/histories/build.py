"""Rebuild the history pairs from git copies of datahub's core datasets.

    python tests/histories/build.py ROOT

ROOT holds one git copy (a checkout or bare clone) per dataset, named as on GitHub
(ROOT/gold-prices, ROOT/s-and-p-500, …); `ROOT/<name>/repo` is accepted too. For each pair in
bumps.json this writes tests/histories/<dataset>/<rev>/ for the old and the new revision: the
upstream datapackage.json of that revision with only the resources listed, and each listed CSV cut
to the rows `keep` selects plus every row the commit added, removed or changed. The cut keeps the
CSV's own dialect; where the descriptor states a resource's `bytes`, `hash` or `count_of_rows`
they are recomputed for the cut file, and the package-wide ones (about the whole upstream
package) are dropped.

The datasets are other people's data (ODC-PDDL-1.0, see each LICENCE.md); the cut pairs are
built by this script, not committed (the tests skip until they are built). bumps.json (the pairs,
the cut and the bump a careful maintainer would choose) is ours.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUMPS = HERE / "bumps.json"
_WHOLE_PACKAGE = ("bytes", "hash", "count_of_rows")


def load_pairs() -> dict:
    return json.loads(BUMPS.read_text(encoding="utf-8"))


def folder(dataset: str, rev: str) -> Path:
    return HERE / dataset / rev[:7]


def show(repo: Path, rev: str, path: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(repo), "show", f"{rev}:{path}"], check=True, capture_output=True
    ).stdout


def _repo(root: Path, dataset: str) -> Path:
    for candidate in (
        root / dataset,
        root / dataset / "repo",
        root / f"datasets+{dataset}" / "repo",
    ):
        if candidate.is_dir():
            return candidate
    raise SystemExit(f"{root}: no git copy of datasets/{dataset} (expected {root / dataset})")


def _table(data: bytes) -> tuple[list[str], list[list[str]], str]:
    text = data.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text[:10_000] else "\n"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], [r for r in rows[1:] if r], newline


def _keys(header: list[str], rows: list[list[str]], cut_by: list[str]) -> list[tuple]:
    idx = [header.index(c) for c in cut_by]
    return [tuple(r[i] if i < len(r) else "" for i in idx) for r in rows]


def _selected(header, rows, keys, keep) -> set:
    if keep == "all":
        return set(keys)
    if "where" in keep:
        ((column, start),) = keep["where"].items()
        i = header.index(column)
        return {k for k, r in zip(keys, rows) if r[i] >= start}
    return set(keys[: keep["head"]]) | set(keys[len(keys) - keep["tail"] :])


def cut_pair(old: bytes, new: bytes, spec: dict) -> tuple[bytes, bytes]:
    """Both versions of one CSV, cut to the kept rows and every row the commit touched."""
    if spec["keep"] == "all":
        return old, new
    (ha, ra, nl_a), (hb, rb, nl_b) = _table(old), _table(new)
    ka, kb = _keys(ha, ra, spec["cut_by"]), _keys(hb, rb, spec["cut_by"])
    # Rows compare by position, so a renamed column does not make every row "changed".
    by_old, by_new = dict(zip(ka, ra)), dict(zip(kb, rb))
    touched = set(ka) ^ set(kb)
    touched |= {k for k in set(ka) & set(kb) if by_old[k] != by_new[k]}
    keep = _selected(ha, ra, ka, spec["keep"]) | _selected(hb, rb, kb, spec["keep"]) | touched
    return _write(ha, [r for k, r in zip(ka, ra) if k in keep], nl_a), _write(
        hb, [r for k, r in zip(kb, rb) if k in keep], nl_b
    )


def _write(header: list[str], rows: list[list[str]], newline: str) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def descriptor_for(raw: bytes, files: dict[str, bytes]) -> dict:
    """The upstream descriptor with only the resources kept, and their stated sizes made true again."""
    desc = json.loads(raw)
    desc["resources"] = [r for r in desc.get("resources", []) if r.get("path") in files]
    for key in _WHOLE_PACKAGE:
        desc.pop(key, None)
    for r in desc["resources"]:
        data = files[r["path"]]
        if "bytes" in r:
            r["bytes"] = len(data)
        if "hash" in r:
            algo = r["hash"].split(":")[0] if ":" in r["hash"] else None
            digest = hashlib.new(algo or "md5", data).hexdigest()
            r["hash"] = f"{algo}:{digest}" if algo else digest
        if "count_of_rows" in r:
            r["count_of_rows"] = len(_table(data)[1])
    return desc


def build(root: Path, datasets: list[str] | None = None) -> list[Path]:
    spec = load_pairs()
    names = datasets or list(spec["datasets"])
    written = []
    for name in names:
        if (HERE / name).exists():
            shutil.rmtree(HERE / name)
    for pair in (p for p in spec["pairs"] if p["dataset"] in names):
        repo = _repo(root, pair["dataset"])
        files: dict[str, dict[str, bytes]] = {"old": {}, "new": {}}
        for path, how in pair["resources"].items():
            files["old"][path], files["new"][path] = cut_pair(
                show(repo, pair["old"], path), show(repo, pair["new"], path), how
            )
        for side in ("old", "new"):
            out = folder(pair["dataset"], pair[side])
            out.mkdir(parents=True)
            for path, data in files[side].items():
                (out / path).parent.mkdir(parents=True, exist_ok=True)
                (out / path).write_bytes(data)
            desc = descriptor_for(show(repo, pair[side], "datapackage.json"), files[side])
            (out / "datapackage.json").write_text(
                json.dumps(desc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            written.append(out)
    for name in names:
        meta = spec["datasets"][name]
        (HERE / name / "LICENCE.md").write_text(
            f"Data from {meta['repository']} (cut to a few hundred rows by tests/histories/build.py).\n"
            f"Licence: {meta['licence']}.\n",
            encoding="utf-8",
        )
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the folder holding one git copy per dataset")
    parser.add_argument(
        "--dataset",
        action="append",
        choices=sorted(load_pairs()["datasets"]),
        help="build this dataset's pairs only (repeatable; default: all)",
    )
    ns = parser.parse_args(argv)
    written = build(ns.root, ns.dataset)
    print(f"{len(written)} package versions written under {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
