"""Build small packages in a temp folder for the diff, version and release tests."""

from __future__ import annotations

import csv
import json
from pathlib import Path

FIELDS = [
    {"name": "area", "type": "string", "constraints": {"required": True}},
    {"name": "year", "type": "year", "constraints": {"required": True}},
    {"name": "value", "type": "number", "constraints": {"minimum": 0}},
    {"name": "note", "type": "string"},
]
ROWS = [
    {"area": "KH", "year": 2024, "value": 10, "note": "first"},
    {"area": "KH", "year": 2025, "value": 12.5, "note": ""},
    {"area": "KH-12", "year": 2025, "value": 3, "note": "city"},
]


def write_package(
    folder: Path,
    rows: list[dict] | None = None,
    *,
    fields: list[dict] | None = None,
    key: list[str] | None = ("area", "year"),
    version: str = "1.0.0",
    name: str = "things",
    resource: str = "figures",
    **descriptor,
) -> Path:
    """A one-table package: datapackage.json with an inline schema and data/<resource>.csv."""
    fields = FIELDS if fields is None else fields
    rows = ROWS if rows is None else rows
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    names = [f["name"] for f in fields]
    with open(folder / "data" / f"{resource}.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=names, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    schema = {"fields": fields}
    if key:
        schema["primaryKey"] = list(key)
    desc = {
        "name": name,
        "version": version,
        "licenses": [{"name": "CC0-1.0"}],
        "sources": [{"title": "tests"}],
        "resources": [
            {"name": resource, "path": f"data/{resource}.csv", "format": "csv", "schema": schema}
        ],
        **descriptor,
    }
    (folder / "datapackage.json").write_text(json.dumps(desc, indent=2) + "\n", encoding="utf-8")
    return folder


def edit_descriptor(folder: Path, change) -> None:
    """Apply `change(descriptor)` to datapackage.json in place."""
    path = folder / "datapackage.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    change(desc)
    path.write_text(json.dumps(desc, indent=2) + "\n", encoding="utf-8")


def field(desc: dict, name: str) -> dict:
    return next(f for f in desc["resources"][0]["schema"]["fields"] if f["name"] == name)
