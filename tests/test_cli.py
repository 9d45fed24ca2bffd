"""Bad input: one line on stderr, exit 2, never a traceback."""

from __future__ import annotations


def test_missing_path(run, tmp_path):
    result = run("validate", tmp_path / "nope")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {tmp_path / 'nope'}: no such file or folder\n"


def test_folder_without_descriptor(run, tmp_path):
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "no datapackage.json in this folder" in result.stderr


def test_bad_json(run, tmp_path):
    (tmp_path / "datapackage.json").write_text('{"name": "x",\n  "resources": [}\n')
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path / 'datapackage.json'}:2:17: not valid JSON")
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_json_that_is_not_an_object(run, tmp_path):
    (tmp_path / "datapackage.json").write_text("[1, 2]")
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "expected a JSON object, found list" in result.stderr


def test_bad_option(run, shipped):
    result = run("validate", shipped, "--format", "yaml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr
