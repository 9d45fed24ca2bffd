"""Find and read a Data Package safely: the descriptor is read, no resource is opened here.

A package can be named by its folder, its `datapackage.json`, a `.zip` of it, or `git:REV` (the
package as it is in a git revision); `load_package` is the one way every command opens one. Resource
paths are judged here, before frictionless or any reader sees them, so that a path leaving the
package (`..`, absolute, a symlink out, a URL) is never followed without an explicit option.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import stat
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from misti_data.errors import CannotRun
from misti_data.git import GIT_PREFIX, revision_folder

DESCRIPTOR = "datapackage.json"
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_MAX_ZIP_BYTES = 2 * 1024**3
# Descriptors (and schema or dialect files) deeper than this are refused with one line: Python's json
# raises RecursionError near 1,000 levels, and a descriptor nested 200,000 arrays deep was an
# "internal error" (issue 18). Real ones nest fewer than 10 levels.
MAX_DEPTH = 100


# How big a JSON descriptor (or schema, dialect file) may be, unless the caller says otherwise: the
# CLI's --max-descriptor-mb (docs/cli.md) passes its own to load_package.
DESCRIPTOR_BYTES = 64 * 1024**2


@dataclass
class Package:
    """A package's descriptor and the folder its relative paths are read from."""

    descriptor: dict
    base: Path
    label: str
    descriptor_path: Path
    allow_remote: bool = False
    allow_outside: bool = False
    descriptor_bytes: int = DESCRIPTOR_BYTES  # the largest JSON file read for it
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
            self._spill = tempfile.TemporaryDirectory(
                prefix="misti-data-tables-", ignore_cleanup_errors=True
            )
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
            return read_json(self.base / schema, self.descriptor_bytes)
        return {}

    def missing_fields(self, resource: dict, names) -> list:
        """Of `names`, those the resource's Table Schema declares no field for."""
        declared = {
            f.get("name") for f in self.schema(resource).get("fields", []) if isinstance(f, dict)
        }
        return [n for n in names if n not in declared]

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


def read_json(path: Path, limit: int = DESCRIPTOR_BYTES) -> dict:
    """Read a JSON object of at most `limit` bytes, turning every way it can fail into one line
    naming the file."""
    if special_file(path):
        raise CannotRun(f"{path}: {special_file(path)}, not a regular file; not read")
    try:
        size = os.stat(path).st_size
        if size > limit:
            raise CannotRun(
                f"{path}: {size:,} bytes, more than the {limit // 1024**2:,} MB a JSON "
                "descriptor may have (raise it with misti-data --max-descriptor-mb N)"
            )
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CannotRun(f"{path}: file not found") from None
    except UnicodeDecodeError as e:
        raise CannotRun(f"{path}: not UTF-8 text (byte {e.start})") from None
    except OSError as e:
        raise CannotRun(f"{path}: cannot read: {e.strerror}") from None
    return parse_json(text, path)


def parse_json(text: str, path: Path | str) -> dict:
    """A JSON object from `text`, refusing duplicate keys and nesting deeper than MAX_DEPTH (one line each)."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as e:
        raise CannotRun(f"{path}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from None
    except _DuplicateKey as e:
        raise CannotRun(
            f"{path}: the key {e.args[0]!r} appears twice in one object; which one is meant is unclear"
        ) from None
    except RecursionError:
        raise CannotRun(
            f"{path}: JSON nested more than {MAX_DEPTH} levels deep; not read"
        ) from None
    if _depth(data) > MAX_DEPTH:
        raise CannotRun(f"{path}: JSON nested more than {MAX_DEPTH} levels deep; not read")
    if not isinstance(data, dict):
        raise CannotRun(f"{path}: expected a JSON object, found {type(data).__name__}")
    return data


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _depth(value) -> int:
    """How deep arrays and objects nest in `value` (iteratively, so any depth json.loads returns is measured)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict | list):
            deepest = max(deepest, d)
            stack += [(x, d + 1) for x in (v.values() if isinstance(v, dict) else v)]
    return deepest


def load_package(
    source: str | Path,
    *,
    cwd: str | Path = ".",
    allow_remote: bool = False,
    allow_outside: bool = False,
    whole: bool = False,
    descriptor_bytes: int = DESCRIPTOR_BYTES,
) -> Package:
    """Open a package folder, descriptor file, zip archive or `git:REV` (the package at `cwd` as it
    is in revision REV); raise CannotRun if there is none.

    Of a zip only the descriptor and the members it names are unpacked (a diff or release side);
    `whole` unpacks every member, for validation, whose checks may read files the descriptor does not name.
    A JSON file larger than `descriptor_bytes` is refused.
    """
    if str(source).startswith(GIT_PREFIX):
        tmp = revision_folder(str(source), cwd)
        try:
            package = load_package(
                tmp.name,
                allow_remote=allow_remote,
                allow_outside=allow_outside,
                whole=whole,
                descriptor_bytes=descriptor_bytes,
            )
        except CannotRun as e:
            tmp.cleanup()
            raise CannotRun(f"{source}: {str(e).split(': ', 1)[-1]}") from None
        package.label, package._tmp = str(source), tmp
        return package
    src = Path(source)
    tmp = None
    if special_file(src):
        raise CannotRun(f"{source}: {special_file(src)}, not a regular file or folder; not read")
    if src.is_file() and zipfile.is_zipfile(src):
        tmp = tempfile.TemporaryDirectory(prefix="misti-data-")
        try:
            src = _extract_zip(src, Path(tmp.name), whole, descriptor_bytes)
        except CannotRun:
            _cleanup(tmp)
            raise
    if src.is_dir():
        descriptor_path = src / DESCRIPTOR
        if not descriptor_path.is_file() and not special_file(
            descriptor_path
        ):  # read_json refuses a pipe, naming it
            _cleanup(tmp)
            raise CannotRun(f"{source}: no {DESCRIPTOR} in this folder")
    elif src.is_file():
        descriptor_path = src
    else:
        raise CannotRun(f"{source}: no such file or folder")
    try:
        descriptor = read_json(descriptor_path, descriptor_bytes)
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
        descriptor_bytes=descriptor_bytes,
        _tmp=tmp,
    )


def path_problem(package: Package, path: str) -> str | None:
    """Why a resource path may not be read ('invalid-path', 'remote-path', 'outside-path' or
    'special-file'), or None if it may."""
    if not _nameable(path):
        return "invalid-path"
    if _URL.match(path):
        return None if package.allow_remote else "remote-path"
    if not package.allow_outside:
        pure = PurePosixPath(path.replace("\\", "/"))
        if (
            pure.is_absolute()
            or path.startswith("~")
            or re.match(r"^[A-Za-z]:", path)
            or ".." in pure.parts
        ):
            return "outside-path"
        try:
            real = (package.base / path).resolve()
        except (OSError, RuntimeError):
            return "outside-path"
        if not real.is_relative_to(package.base):
            return "outside-path"
    # Opening a named pipe blocks until a writer comes (issue 18: validate hung), so it is never opened.
    return "special-file" if special_file(package.base / path) else None


def special_file(path: Path) -> str | None:
    """What `path` is when it is neither a regular file nor a folder ('a named pipe (FIFO)', …), from
    os.stat alone, without opening it; None when it is one of those or does not exist."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return _special_kind(mode)


def _special_kind(mode: int) -> str | None:
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return {
        stat.S_IFIFO: "a named pipe (FIFO)",
        stat.S_IFSOCK: "a socket",
        stat.S_IFCHR: "a character device",
        stat.S_IFBLK: "a block device",
        stat.S_IFLNK: "a symbolic link",
    }.get(stat.S_IFMT(mode), "not a file")


def _nameable(path: str) -> bool:
    """Whether `path` can name a file at all: no NUL, nothing the file system's encoding cannot hold
    (os functions raise ValueError on either, whatever the options)."""
    try:
        return b"\x00" not in os.fsencode(path)
    except UnicodeEncodeError:
        return False


def _extract_zip(
    archive: Path, dest: Path, whole: bool = False, descriptor_bytes: int = DESCRIPTOR_BYTES
) -> Path:
    """Extract a package archive (its descriptor and the members it names, or `whole`), refusing
    members that would land outside `dest` or are not regular files."""
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            for info in infos:
                pure = PurePosixPath(info.filename)
                if pure.is_absolute() or ".." in pure.parts:
                    raise CannotRun(
                        f"{archive}: member {info.filename!r} would extract outside the archive"
                    )
            chosen = infos if whole else _named_members(zf, infos, descriptor_bytes)
            if sum(i.file_size for i in chosen) > _MAX_ZIP_BYTES:
                raise CannotRun(f"{archive}: archive expands to more than 2 GiB")
            for info in chosen:
                mode = (
                    info.external_attr >> 16
                )  # Unix mode bits, where the file type is set (not by every zip tool)
                kind = (
                    _special_kind(mode) if info.create_system == 3 and stat.S_IFMT(mode) else None
                )
                if kind and not info.is_dir():
                    raise CannotRun(
                        f"{archive}: member {info.filename!r} is {kind}, not a regular file; not read"
                    )
            zf.extractall(dest, members=chosen)
    except zipfile.BadZipFile as e:
        raise CannotRun(f"{archive}: not a readable zip archive ({e})") from None
    if (dest / DESCRIPTOR).is_file():
        return dest
    found = sorted(p.parent for p in dest.glob(f"*/{DESCRIPTOR}"))
    if len(found) == 1:
        return found[0]
    raise CannotRun(f"{archive}: no {DESCRIPTOR} at the top of the archive")


def _named_members(
    zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], descriptor_bytes: int
) -> list[zipfile.ZipInfo]:
    """The descriptor (at the top, or in the one top folder) and every member one of its strings names
    (resource paths, schema and dialect files): issue 18, a zip of 200,000 members was unpacked whole."""
    names = {i.filename for i in infos}
    tops = [
        n for n in names if n == DESCRIPTOR or (n.count("/") == 1 and n.endswith("/" + DESCRIPTOR))
    ]
    top = DESCRIPTOR if DESCRIPTOR in tops else (tops[0] if len(tops) == 1 else None)
    if top is None:
        return []  # _extract_zip then says there is no descriptor
    prefix = top[: -len(DESCRIPTOR)]
    try:
        descriptor = (
            parse_json(zf.read(top).decode("utf-8-sig"), top)
            if zf.getinfo(top).file_size <= descriptor_bytes
            else None
        )
    except (CannotRun, UnicodeDecodeError):
        descriptor = None  # read_json says what is wrong with it, once unpacked
    wanted = {top} | {prefix + posixpath.normpath(s) for s in _strings(descriptor)}
    return [i for i in infos if i.filename in wanted]


def _strings(value) -> list[str]:
    """Every string in a JSON value (iteratively: a descriptor may nest deep)."""
    out, stack = [], [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            stack += v.values()
        elif isinstance(v, list):
            stack += v
    return out


def _cleanup(tmp: tempfile.TemporaryDirectory | None) -> None:
    if tmp is not None:
        tmp.cleanup()
