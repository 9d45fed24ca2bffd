"""Name a package to compare: a folder, a datapackage.json, a .zip release, or `git:REV`.

A git revision is read with `git archive` into a temp folder, so the work tree is never touched.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from misti_data.errors import CannotRun
from misti_data.package import Package, load_package

GIT_PREFIX = "git:"


def open_package(spec: str | Path, *, cwd: str | Path = ".") -> Package:
    """Open `spec` as a Package; `git:REV` means the package at `cwd` as it is in revision REV."""
    spec = str(spec)
    if not spec.startswith(GIT_PREFIX):
        return load_package(spec)
    rev = spec[len(GIT_PREFIX) :]
    if not rev:
        raise CannotRun(f"{spec}: name a revision after 'git:', e.g. git:HEAD or git:main")
    cwd = Path(cwd).resolve()
    if cwd.is_file():
        cwd = cwd.parent
    if not cwd.is_dir():
        raise CannotRun(f"{cwd}: no such file or folder")
    top = Path(
        git(
            cwd, "rev-parse", "--show-toplevel", what=f"{cwd} is not inside a git repository"
        ).strip()
    )
    sub = cwd.relative_to(top.resolve()).as_posix()
    tree = f"{rev}:{sub}" if sub != "." else f"{rev}:"
    data = git(
        top,
        "archive",
        "--format=tar",
        tree,
        what=f"{spec}: no such revision" + (f" (or no {sub} folder in it)" if sub != "." else ""),
        binary=True,
    )
    tmp = tempfile.TemporaryDirectory(prefix="misti-data-git-")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(tmp.name, filter=_safe_member)
    try:
        package = load_package(tmp.name)
    except CannotRun as e:
        tmp.cleanup()
        raise CannotRun(f"{spec}: {str(e).split(': ', 1)[-1]}") from None
    package.label = spec
    package._tmp = tmp
    return package


def _safe_member(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """tarfile's "data" filter, but a member it refuses (e.g. a symlink to an absolute path in a
    test fixture elsewhere in the repository) is skipped rather than failing the whole read."""
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        return None


def git(cwd: Path, *args: str, what: str, binary: bool = False):
    """Run git in `cwd`; any failure becomes CannotRun(`what`) with git's own first line."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise CannotRun("git is not installed") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CannotRun(f"{what}" + (f" ({detail[0]})" if detail else ""))
    return done.stdout if binary else done.stdout.decode("utf-8", "replace")
