"""Find and read a Data Package safely: the descriptor is read, no resource is opened here.

A package can be named by its folder, its `datapackage.json`, or a `.zip` of it. Resource
paths are judged here, before frictionless or any reader sees them, so that a path leaving the
package (`..`, absolute, a symlink out, a URL) is never followed without an explicit option.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from misti_data.errors import CannotRun

DESCRIPTOR = "datapackage.json"
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_MAX_ZIP_BYTES = 2 * 1024**3


@dataclass
class Package:
    """A package's descriptor and the folder its relative paths are read from."""

    descriptor: dict
    base: Path
    label: str
    descriptor_path: Path
    allow_remote: bool = False
    allow_outside: bool = False
    _tmp: tempfile.TemporaryDirectory | None = field(default=None, repr=False)
    # The typed tables read so far (misti_data.tables), so that each is read once per load.
    tables: dict = field(default_factory=dict, repr=False)
    # Set by the CLI to show progress on a terminal: `progress(label, size=bytes)` is a context manager.
    progress: Callable = field(default=lambda label, size=0: nullcontext(), repr=False)
    # Where tables read in chunks are written (misti_data.tables), made when first needed.
    _spill: tempfile.TemporaryDirectory | None = field(default=None, repr=False)
    _names: tuple | None = field(default=None, repr=False)

    def spill_dir(self) -> Path:
        """A folder of this load's own, removed when the package is closed (or the process ends)."""
        if self._spill is None:
            self._spill = tempfile.TemporaryDirectory(prefix="misti-data-tables-", ignore_cleanup_errors=True)
        return Path(self._spill.name)

    @property
    def resources(self) -> list[dict]:
        res = self.descriptor.get("resources")
        return [r for r in res if isinstance(r, dict)] if isinstance(res, list) else []

    def resource(self, name: str) -> dict | None:
        """The first resource named `name` (an index of the names, rebuilt when the list changes:
        looking each of 3,000 resources up by a scan took 9M comparisons)."""
        res = self.descriptor.get("resources")
        stamp = (id(res), len(res) if isinstance(res, list) else 0)
        if self._names is None or self._names[0] != stamp:
            index: dict = {}
            for r in self.resources:
                index.setdefault(r.get("name"), r) if _hashable(r.get("name")) else None
            self._names = (stamp, index)
        if not _hashable(name):
            return next((r for r in self.resources if r.get("name") == name), None)
        found = self._names[1].get(name)
        if found is not None and found.get("name") == name:
            return found
        return next((r for r in self.resources if r.get("name") == name), None)

    def resource_file(self, resource: dict) -> Path | None:
        """The local file of a single-path resource, or None when it has no safe local file."""
        path = resource.get("path")
        if not isinstance(path, str) or path_problem(self, path):
            return None
        return self.base / path

    @property
    def from_archive(self) -> bool:
        return self._tmp is not None

    def schema(self, resource: dict) -> dict:
        """The resource's Table Schema as a dict (read from its file when given as a path)."""
        schema = resource.get("schema")
        if isinstance(schema, dict):
            return schema
        if isinstance(schema, str) and not path_problem(self, schema):
            return read_json(self.base / schema)
        return {}

    def close(self) -> None:
        self.tables.clear()
        if self._spill is not None:
            self._spill.cleanup()
            self._spill = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def read_json(path: Path) -> dict:
    """Read a JSON object, turning every way it can fail into one line naming the file."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CannotRun(f"{path}: file not found") from None
    except UnicodeDecodeError as e:
        raise CannotRun(f"{path}: not UTF-8 text (byte {e.start})") from None
    except OSError as e:
        raise CannotRun(f"{path}: cannot read: {e.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise CannotRun(f"{path}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from None
    if not isinstance(data, dict):
        raise CannotRun(f"{path}: expected a JSON object, found {type(data).__name__}")
    return data


def load_package(source: str | Path, *, allow_remote: bool = False, allow_outside: bool = False) -> Package:
    """Open a package folder, descriptor file or zip archive; raise CannotRun if there is none."""
    src = Path(source)
    tmp = None
    if src.is_file() and zipfile.is_zipfile(src):
        tmp = tempfile.TemporaryDirectory(prefix="misti-data-")
        try:
            src = _extract_zip(src, Path(tmp.name))
        except CannotRun:
            _cleanup(tmp)
            raise
    if src.is_dir():
        descriptor_path = src / DESCRIPTOR
        if not descriptor_path.is_file():
            _cleanup(tmp)
            raise CannotRun(f"{source}: no {DESCRIPTOR} in this folder")
    elif src.is_file():
        descriptor_path = src
    else:
        raise CannotRun(f"{source}: no such file or folder")
    try:
        descriptor = read_json(descriptor_path)
    except CannotRun:
        _cleanup(tmp)
        raise
    return Package(
        descriptor=descriptor,
        base=descriptor_path.parent.resolve(),
        label=str(source),
        descriptor_path=descriptor_path,
        allow_remote=allow_remote,
        allow_outside=allow_outside,
        _tmp=tmp,
    )


def path_problem(package: Package, path: str) -> str | None:
    """Why a resource path may not be read ('invalid-path', 'remote-path' or 'outside-path'), or None if it may."""
    if not _nameable(path):
        return "invalid-path"
    if _URL.match(path):
        return None if package.allow_remote else "remote-path"
    if package.allow_outside:
        return None
    pure = PurePosixPath(path.replace("\\", "/"))
    if pure.is_absolute() or path.startswith("~") or re.match(r"^[A-Za-z]:", path) or ".." in pure.parts:
        return "outside-path"
    try:
        real = (package.base / path).resolve()
    except (OSError, RuntimeError):
        return "outside-path"
    if not real.is_relative_to(package.base):
        return "outside-path"
    return None


def _nameable(path: str) -> bool:
    """Whether `path` can name a file at all: no NUL, nothing the file system's encoding cannot hold
    (os functions raise ValueError on either, whatever the options)."""
    try:
        return b"\x00" not in os.fsencode(path)
    except UnicodeEncodeError:
        return False


def _extract_zip(archive: Path, dest: Path) -> Path:
    """Extract a package archive, refusing members that would land outside `dest`."""
    try:
        with zipfile.ZipFile(archive) as zf:
            names = zf.namelist()
            if sum(i.file_size for i in zf.infolist()) > _MAX_ZIP_BYTES:
                raise CannotRun(f"{archive}: archive expands to more than 2 GiB")
            for name in names:
                pure = PurePosixPath(name)
                if pure.is_absolute() or ".." in pure.parts:
                    raise CannotRun(f"{archive}: member {name!r} would extract outside the archive")
            zf.extractall(dest)
    except zipfile.BadZipFile as e:
        raise CannotRun(f"{archive}: not a readable zip archive ({e})") from None
    if (dest / DESCRIPTOR).is_file():
        return dest
    found = sorted(p.parent for p in dest.glob(f"*/{DESCRIPTOR}"))
    if len(found) == 1:
        return found[0]
    raise CannotRun(f"{archive}: no {DESCRIPTOR} at the top of the archive")


def _cleanup(tmp: tempfile.TemporaryDirectory | None) -> None:
    if tmp is not None:
        tmp.cleanup()
