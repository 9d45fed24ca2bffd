"""`misti-data draft`: the observation rows a saved publication states, for a person to review.

The publication is read (publication.py), each figure placed by the indicators' terms (place.py),
set beside what the package already has, and with `write` added to the package (write.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from misti_data.draft.place import compile_terms, place_figures
from misti_data.draft.publication import dateline, read_publication
from misti_data.errors import CannotRun
from misti_data.package import Package, load_package
from misti_data.tables import table
from misti_data.values import plain


@dataclass
class DraftResult:
    """The proposed rows (each `new`, `same` as the package's, or a `revision` of it), the figures
    left unplaced and why, and what `write` added."""

    subject: ClassVar[str] = "draft"
    file: str
    published: dt.date
    source: dict  # the sources row: the package's, or the one `write` adds
    source_is_new: bool
    fields: list[str]  # observations' columns, as its schema orders them
    rows: list[dict] = field(default_factory=list)
    unplaced: list[dict] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    # With `write`: the errors that kept it from writing (the package would have been invalid).
    refused: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.refused else 0

    def to_dict(self) -> dict:
        return {
            "ok": not self.refused,
            "file": self.file,
            "published": self.published.isoformat(),
            "source": self.source,
            "source_is_new": self.source_is_new,
            "rows": self.rows,
            "unplaced": self.unplaced,
            "written": self.written,
            "refused": self.refused,
        }


def draft_file(
    file: str | Path,
    package: str | Path = ".",
    *,
    published: dt.date | None = None,
    write: bool = False,
    title: str | None = None,
) -> DraftResult:
    """Draft the rows `file` states against the package at `package`; with `write`, add the new
    rows (and the file as a source) when the package stays valid. Raises CannotRun."""
    path = Path(file)
    with load_package(package) as pkg:
        if write and pkg.from_archive:
            raise CannotRun(f"{package}: cannot write into an archive; draft into a folder")
        data, text = read_publication(path)
        rel = _inside(pkg, path)
        if write and rel is None:
            raise CannotRun(
                f"{file}: outside the package {package}; save it in the package (e.g. under seeds/) "
                "so that --write can add it as a source"
            )
        sha = hashlib.sha256(data).hexdigest()
        source, is_new = _source(pkg, rel, path, sha, write, title)
        published = published or dateline(text) or source.get("published")
        if published is None:
            raise CannotRun(f"{file}: no dateline found; give the date with --published YYYY-MM-DD")
        source["published"] = published
        fields = [f.get("name") for f in pkg.schema(pkg.resource("observations")).get("fields", [])]
        rows, unplaced = _draft_rows(pkg, text, published, source["source_id"], fields)
        result = DraftResult(str(file), published, _plain(source), is_new, fields, rows, unplaced)
        if write:
            from misti_data.draft.write import write_draft

            write_draft(pkg, result)
        return result


def _inside(pkg: Package, path: Path) -> str | None:
    """The file's path relative to the package folder (as a sources row names it), or None."""
    try:
        return path.resolve().relative_to(pkg.base).as_posix()
    except ValueError:
        return None


def _source(pkg, rel, path, sha, write, title) -> tuple[dict, bool]:
    """(the sources row of the file, whether it is new). A path listed with another sha256 is a
    different file under a known name: --write refuses it rather than mix two publications."""
    rows = _rows(pkg, "sources")
    for row in rows:
        if rel is not None and row.get("path") == rel:
            if write and (row.get("sha256") or "").lower() != sha:
                raise CannotRun(
                    f"{rel} is source {row.get('source_id')!r} with sha256 "
                    f"{(row.get('sha256') or 'none')[:12]}…, but the file has {sha[:12]}…; "
                    "save a new publication under a new name"
                )
            return {k: v for k, v in row.items() if not k.startswith("__")}, False
    sid = re.sub(r"[^a-z0-9_-]+", "-", path.stem.lower()).strip("-_") or "source"
    if any(row.get("source_id") == sid for row in rows):
        raise CannotRun(f"{path}: source id {sid!r} is taken by another file; rename the file")
    local = [r for r in rows if r.get("kind") == "local"]
    # The package's own local sources are one publisher's releases: a new one is the same kind.
    publishers = {(r.get("publisher"), r.get("official")) for r in local}
    publisher, official = publishers.pop() if len(publishers) == 1 else ("", None)
    return {
        "source_id": sid,
        "kind": "local",
        "title": title or f"[{path.stem}]",
        "publisher": publisher,
        "official": official,
        "path": rel,
        "sha256": sha,
    }, True


def _rows(pkg: Package, name: str) -> list[dict]:
    t = table(pkg, name)
    if t is None or not t.readable:
        raise CannotRun(f"{pkg.label}: no readable {name} table; draft needs it")
    return list(t.frame.iter_rows(named=True))


def _draft_rows(pkg, text, published, source_id, fields) -> tuple[list[dict], list[dict]]:
    indicators = _rows(pkg, "indicators")
    if indicators and "terms" not in indicators[0]:
        raise CannotRun(f"{pkg.label}: the indicators table has no terms column; draft needs it")
    terms = compile_terms({r["indicator_id"]: r.get("terms") for r in indicators})
    areas = {
        r["area"]: [n for n in (r.get("name"), r.get("iso_name")) if n]
        for r in _rows(pkg, "areas")
        if r.get("category") != "country"
    }
    placed, unplaced = place_figures(text, published, terms, areas)
    existing = {
        (r["indicator_id"], r["area"], r["period_end"]): r for r in _rows(pkg, "observations")
    }
    rows = []
    for p in placed:
        end = dt.date(p.period, 12, 31)
        row = {
            "indicator_id": p.indicator,
            "period": p.period,
            "period_end": end.isoformat(),
            "area": p.area,
            "value": _number(p.figure.value),
            "qualifier": p.qualifier,
            "source_id": source_id,
            "quote": p.quote,
            "notes": None,
            "rounded_to": p.figure.rounded_to,
        }
        old = existing.get((p.indicator, p.area, end))
        row["status"] = "new" if old is None else _status(old, row)
        if old is not None:
            row["existing"] = _plain({k: v for k, v in old.items() if k in fields})
            row["existing"]["value"] = _number(old["value"])
        row["also_fits"] = p.also_fits
        row["term"] = p.term
        rows.append(row)
    return rows, [
        {"figure": u.text, "value": _number(u.figure.value), "sentence": u.sentence, "why": u.why}
        for u in unplaced
    ]


def _status(old: dict, row: dict) -> str:
    """`same` when the package holds this value already; `revision` when it holds another, which
    needs a revisions row with the reason (the draft does not invent one)."""
    same = abs(float(old["value"]) - float(row["value"])) <= 1e-9 * max(1.0, abs(row["value"]))
    return "same" if same and old.get("qualifier") == row["qualifier"] else "revision"


def _number(value: float) -> int | float:
    """3083.0 as 3083: a count is shown, and written to the CSV, as the publication prints it."""
    return int(value) if float(value).is_integer() else value


def _plain(row: dict) -> dict:
    return {k: plain(v) for k, v in row.items()}
