"""An interrupted write leaves the target as it was and no temporary file.

The interruption is real: `os.fsync` raises in the middle of the write, after the bytes went to
the temporary file, where a crash or Ctrl-C would land. KeyboardInterrupt is not an Exception,
so a cleanup that catches only Exception would leave the temporary file behind.
"""

from __future__ import annotations

import json
import os

import pytest

from misti_data import atomic
from misti_data.atomic import atomic_path, write_bytes, write_text


class Interrupted(BaseException):
    """Stands for a crash: caught by nothing but a BaseException handler."""


@pytest.fixture(
    params=[KeyboardInterrupt, OSError, Interrupted], ids=["ctrl-c", "disk-error", "crash"]
)
def fail_fsync(request, monkeypatch):
    def fsync(fd):
        raise request.param("interrupted mid-write")

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    return request.param


def test_interrupted_write_keeps_the_old_file(tmp_path, fail_fsync):
    target = tmp_path / "datapackage.json"
    target.write_text('{"version": "1.0.0"}\n', encoding="utf-8")
    with pytest.raises(fail_fsync):
        write_text(target, '{"version": "2.0.0"}\n' * 1000)
    assert target.read_text(encoding="utf-8") == '{"version": "1.0.0"}\n'
    assert os.listdir(tmp_path) == ["datapackage.json"]


def test_interrupted_first_write_leaves_nothing(tmp_path, fail_fsync):
    with pytest.raises(fail_fsync):
        write_bytes(tmp_path / "new.zip", b"PK" * 1000)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("error", [KeyboardInterrupt, ValueError, Interrupted])
def test_interrupted_writer_of_a_temp_path_keeps_the_old_file(tmp_path, error):
    target = tmp_path / "package.sqlite"
    target.write_bytes(b"old database")
    with pytest.raises(error), atomic_path(target) as tmp:
        tmp.write_bytes(b"half a new database")
        raise error("interrupted mid-write")
    assert target.read_bytes() == b"old database"
    assert os.listdir(tmp_path) == ["package.sqlite"]


def test_a_finished_write_replaces_the_file_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_a_rewritten_file_keeps_its_mode_and_a_new_one_gets_the_usual_mode(tmp_path):
    """mkstemp makes 0600 files; a release or export must stay readable as before."""
    kept = tmp_path / "kept.csv"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o640)
    write_text(kept, "new")
    assert kept.stat().st_mode & 0o777 == 0o640
    umask = os.umask(0o027)
    try:
        write_text(tmp_path / "fresh.csv", "new")
    finally:
        os.umask(umask)
    assert (tmp_path / "fresh.csv").stat().st_mode & 0o777 == 0o640


def test_interrupted_stamp_exits_2_and_keeps_the_descriptor(run, shipped, monkeypatch):
    """Through a real user of misti_data.atomic: `misti-data stamp` rewriting datapackage.json."""
    descriptor = shipped / "datapackage.json"
    stamped = json.loads(descriptor.read_text(encoding="utf-8"))
    for resource in stamped["resources"]:
        resource.pop("hash", None)  # so that stamp has something to write
    descriptor.write_text(json.dumps(stamped, indent=2) + "\n", encoding="utf-8")
    before = descriptor.read_bytes()

    def fsync(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    result = run("stamp", shipped)
    assert result.exit_code == 2
    assert result.stderr == "Error: interrupted\n"
    assert descriptor.read_bytes() == before
    assert not [p for p in shipped.iterdir() if p.name.startswith(".")]
