"""git for misti-data: run it, and read a revision (`git:REV`) into a temp folder.

A revision is read with `git archive`, so the work tree is never touched; package.load_package
opens the folder as it opens any other.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from misti_data.errors import CannotRun

GIT_PREFIX = "git:"


def revision_folder(spec: str, cwd: str | Path = ".") -> tempfile.TemporaryDirectory:
    """A temp folder holding the folder `cwd` as it is in revision REV of `spec` (`git:REV`)."""
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
    return tmp


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
