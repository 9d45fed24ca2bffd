"""Fill in each resource's `hash` and `bytes`, so consumers can check what they downloaded."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import ClassVar

from misti_data.atomic import write_text
from misti_data.errors import CannotRun
from misti_data.package import DESCRIPTOR_BYTES, Package, load_package


@dataclass
class StampResult:
    """The resources whose `hash` and `bytes` were updated."""

    subject: ClassVar[str] = "stamp"
    exit_code: ClassVar[int] = 0
    package: str
    stamped: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"ok": True, "package": self.package, "stamped": list(self.stamped)}


def stamp_source(source, *, descriptor_bytes: int = DESCRIPTOR_BYTES) -> StampResult:
    """Stamp the package folder (or datapackage.json) `source`; an archive cannot be stamped."""
    with load_package(source, descriptor_bytes=descriptor_bytes) as package:
        if package.from_archive:
            raise CannotRun(f"{source}: cannot stamp inside an archive")
        return StampResult(str(source), stamp_package(package))


def file_stats(path) -> tuple[str, int]:
    """('sha256:<hex>', size) of a file, read in chunks."""
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return f"sha256:{h.hexdigest()}", size


def stamp_package(package: Package) -> list[str]:
    """Update `hash`/`bytes` of every local resource in datapackage.json; return the names changed."""
    changed = []
    for res in package.resources:
        file = package.resource_file(res)
        if file is None or not file.is_file():
            continue
        digest, size = file_stats(file)
        if res.get("hash") != digest or res.get("bytes") != size:
            res["hash"], res["bytes"] = digest, size
            changed.append(res.get("name", str(file)))
    if changed:
        write_text(package.descriptor_path, dump_descriptor(package.descriptor))
    return changed


def dump_descriptor(descriptor: dict) -> str:
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
