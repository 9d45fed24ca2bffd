"""Files nobody here wrote: a named pipe, a zip of many members.

Each command runs in a subprocess with a timeout and bounded memory, so a regression that opens
the pipe or reads a device fails the test instead of hanging the suite or filling the memory.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile

import pytest

from conftest import write_package
from misti_data.package import load_package

TIMEOUT = 60


def _bounded() -> None:
    """At most 2 GiB of address space: a regression that reads /dev/zero fails here, not on the machine."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))


def misti(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "misti_data", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        preexec_fn=_bounded if sys.platform == "linux" else None,
    )


def _fifo(path):
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_as_a_resource_is_refused_unopened(tmp_path):
    pkg = write_package(tmp_path / "pkg")
    _fifo(pkg / "data" / "figures.csv")
    result = misti("validate", pkg)
    assert result.returncode == 1, result.stderr
    assert "special-file" in result.stdout
    assert (
        "resource 'figures' path 'data/figures.csv' was not read; it is a named pipe (FIFO), not a regular file"
        in result.stdout
    )
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_on_either_side_of_a_diff_does_not_hang(tmp_path):
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new")
    _fifo(new / "data" / "figures.csv")
    result = misti("diff", old, new)
    assert result.returncode in (0, 1), result.stderr
    assert "internal error" not in result.stderr
    result = misti("version", new, old)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
@pytest.mark.parametrize("where", ["descriptor", "package"])
def test_a_named_pipe_as_the_descriptor_or_the_package_is_one_line(tmp_path, where):
    pkg = write_package(tmp_path / "pkg")
    target = (
        _fifo(pkg / "datapackage.json") if where == "descriptor" else _fifo(tmp_path / "pipe.zip")
    )
    result = misti("validate", target if where == "package" else pkg)
    assert result.returncode == 2
    assert (
        result.stderr
        == f"Error: {target}: a named pipe (FIFO), not a regular file{'' if where == 'descriptor' else ' or folder'}; not read\n"
    )


def _zip(path, members: dict[str, bytes], *, extra: int = 0, fifo: str | None = None):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for i in range(extra):
            zf.writestr(f"junk/{i:06d}", b"")
        if fifo:
            info = zipfile.ZipInfo(fifo)
            info.create_system = 3
            info.external_attr = (stat.S_IFIFO | 0o644) << 16
            zf.writestr(info, b"")
    return path


def _members(folder) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_zip_side_unpacks_only_what_its_descriptor_names(tmp_path):
    members = _members(write_package(tmp_path / "pkg"))
    archive = _zip(tmp_path / "pkg.zip", members, extra=5000)
    with load_package(archive) as pkg:
        unpacked = sorted(
            p.relative_to(pkg.base).as_posix() for p in pkg.base.rglob("*") if p.is_file()
        )
    assert unpacked == ["data/figures.csv", "datapackage.json"]
    with load_package(archive, whole=True) as pkg:  # validation reads the whole archive
        assert sum(1 for p in pkg.base.rglob("*") if p.is_file()) == 5002


def test_a_zip_side_in_a_subfolder_unpacks_what_its_descriptor_names(tmp_path):
    members = {f"things-1.0.0/{k}": v for k, v in _members(write_package(tmp_path / "pkg")).items()}
    archive = _zip(tmp_path / "pkg.zip", members, extra=10)
    result = misti("diff", archive, tmp_path / "pkg")
    assert (result.returncode, result.stderr) == (0, "")
    assert "no differences" in result.stdout


def test_a_named_pipe_in_a_zip_is_refused(tmp_path):
    members = _members(write_package(tmp_path / "pkg"))
    del members["data/figures.csv"]
    archive = _zip(tmp_path / "pkg.zip", members, fifo="data/figures.csv")
    result = misti("diff", archive, tmp_path / "pkg")
    assert result.returncode == 2
    assert (
        result.stderr
        == f"Error: {archive}: member 'data/figures.csv' is a named pipe (FIFO), not a regular file; not read\n"
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[" * 200_000 + "]" * 200_000, "JSON nested more than 100 levels deep; not read"),
        ('{"a": ' * 101 + "1" + "}" * 101, "JSON nested more than 100 levels deep; not read"),
        (
            '{"name": "a", "resources": [], "name": "b"}',
            "the key 'name' appears twice in one object; which one is meant is unclear",
        ),
    ],
)
def test_a_pathological_descriptor_is_one_line(run, tmp_path, text, says):
    (tmp_path / "datapackage.json").write_text(text, encoding="utf-8")
    for command in (["validate"], ["diff", tmp_path / "datapackage.json"]):
        result = run(*command, tmp_path)
        assert result.exit_code == 2
        assert result.stderr == f"Error: {tmp_path / 'datapackage.json'}: {says}\n"


def test_a_descriptor_at_the_nesting_limit_is_read(run, tmp_path):
    write_package(
        tmp_path, title="t", deep=json.loads('{"a": ' * 98 + "1" + "}" * 98)
    )  # 99 levels with the descriptor
    result = run("validate", tmp_path)
    assert result.exit_code in (0, 1), result.stderr


def test_a_descriptor_over_the_size_limit_is_refused_until_the_limit_is_raised(run, tmp_path):
    write_package(tmp_path, description="x" * (2 * 1024**2))
    result = run("--max-descriptor-mb", "1", "validate", tmp_path)
    assert result.exit_code == 2
    size = (tmp_path / "datapackage.json").stat().st_size
    assert result.stderr == (
        f"Error: {tmp_path / 'datapackage.json'}: {size:,} bytes, more than the 1 MB a JSON descriptor "
        "may have (raise it with misti-data --max-descriptor-mb N)\n"
    )
    assert run("--max-descriptor-mb", "3", "validate", tmp_path).exit_code in (0, 1)


def test_control_characters_in_paths_are_escaped_on_the_terminal(run, tmp_path):
    pkg = write_package(tmp_path / "pkg")
    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"][0]["path"] = "data/\x1b[2Jgone\u202e.csv"
    (pkg / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    result = run("validate", pkg)
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "data/\\x1b[2Jgone\\u202e.csv" in result.stdout
    missing = tmp_path / "no\x1b]0;title\x07such"
    result = run("validate", missing)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path}/no\\x1b]0;title\\x07such: no such file or folder\n"


def test_control_characters_in_cells_and_labels_are_escaped_in_diff_and_version(run, tmp_path):
    from conftest import ROWS

    old = write_package(tmp_path / "old")
    new = write_package(
        tmp_path / "n\x1b[31mew",
        [{**ROWS[0], "note": "\x1b[2Jcleared"}, *ROWS[1:]],
        version="1.0.1",
    )
    for command in (["diff", old, new], ["version", old, new], ["version", "--check", old, new]):
        result = run(*command)
        assert "\x1b" not in result.stdout, command
    diff = run("diff", old, new).stdout
    assert "n\\x1b[31mew" in diff and "\\x1b[2Jcleared" in diff


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this system")
def test_a_device_is_refused_even_where_outside_paths_are_allowed(tmp_path):
    """/dev/zero never ends: reading it would fill the memory."""
    pkg = write_package(tmp_path / "pkg")
    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"][0]["path"] = "/dev/zero"
    (pkg / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    result = misti("validate", pkg, "--allow-outside")
    assert result.returncode == 1, result.stderr
    assert (
        "resource 'figures' path '/dev/zero' was not read; it is a character device, not a regular file"
        in result.stdout
    )


def test_a_socket_is_refused(tmp_path):
    import socket

    pkg = write_package(tmp_path / "pkg")
    (pkg / "data" / "figures.csv").unlink()
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(pkg / "data" / "figures.csv"))
        result = misti("validate", pkg)
    assert result.returncode == 1, result.stderr
    assert "it is a socket, not a regular file" in result.stdout
