"""No user string is ever a template: names, patterns, titles, values and paths
reach messages as values, never through str.format or %. A schema pattern `^KH[0-9]{2}$` crashed
validate with IndexError; arbitrary text anywhere in a small package must give exit 0 or 1."""

from __future__ import annotations

import ast
import csv
import json
import tempfile
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, write_package
from misti_data.cli import cli


def invoke(*args) -> tuple[int, str]:
    """The CLI as a user runs it: a library's Python warning is printed there, not raised."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


# --- the crash, and the rule in the code ---------------------------------------------------------


def test_a_pattern_with_braces_is_a_pattern_not_a_template(run, tmp_path):
    fields = [
        {
            "name": "area",
            "type": "string",
            "constraints": {"pattern": "^KH[0-9]{2}$", "enum": ["KH12", "{0}", "%s"]},
        },
        {"name": "{cell} %s", "type": "number", "constraints": {"minimum": 0}},
    ]
    rows = [{"area": "KH12", "{cell} %s": 1}, {"area": "KH1", "{cell} %s": -1}]
    pkg = write_package(tmp_path / "pkg", rows, fields=fields, key=["area"])
    result = run("validate", pkg, "--format", "json")
    assert result.exit_code == 1, result.output
    messages = sorted((f["row"], f["message"]) for f in json.loads(result.stdout)["findings"])
    assert messages == [
        (3, '"-1" is below the minimum 0'),
        (3, '"KH1" does not match the pattern ^KH[0-9]{2}$'),
        (3, '"KH1" is not one of: KH12, {0}, %s'),
    ]


def test_the_code_formats_no_string_with_format_or_percent():
    """Messages are f-strings of values: no `.format(`, `.format_map(` or `"…" % x` in src/."""
    found = []
    for path in sorted((ROOT / "src" / "misti_data").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("format", "format_map")
            ):
                found.append(f"{path.name}:{node.lineno}")
            if (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Mod)
                and isinstance(node.left, (ast.Constant, ast.JoinedStr))
                and isinstance(getattr(node.left, "value", ""), str)
            ):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []


# --- what the test below found: each a finding now, not an internal error ----------------------


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"encoding": "utf\x00"}, "encoding-error"),  # ValueError from the codec lookup
        (
            {"encoding": "utf\x00", "format": "xlsx"},
            "encoding-error",
        ),  # ValueError inside frictionless
        (
            {"path": "data/things\x00.csv"},
            "invalid-path",
        ),  # ValueError from the file system, even with --allow-outside
    ],
)
def test_a_nul_in_an_encoding_or_a_path_is_a_finding(tmp_path, change, code):
    pkg = write_package(tmp_path / "pkg")
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    descriptor["resources"][0] |= change
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    for options in ([], ["--allow-outside"]):
        exit_code, output = invoke("validate", pkg, "--format", "json", *options)
        assert exit_code == 1, output
        assert [f["code"] for f in json.loads(output)["findings"]] == [code]


@pytest.mark.parametrize("fmt", ["json", "pdf"])
def test_a_resource_that_is_not_a_table_is_not_read_as_one(tmp_path, fmt):
    """frictionless opens it as a plain file or a JSON document, which has no header or rows."""
    pkg = write_package(tmp_path / "pkg")
    (pkg / "data" / f"doc.{fmt}").write_text('{"a": 1}')
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    descriptor["resources"].append({"name": "doc", "path": f"data/doc.{fmt}", "format": fmt})
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    exit_code, output = invoke("validate", pkg)
    assert (exit_code, output) == (0, "valid: 0 errors, 0 warnings in 2 tables, 3 rows\n")


# --- arbitrary text everywhere -----------------------------------------------------------------

TRICKY = [
    "{",
    "}",
    "{0}",
    "{2}",
    "{cell}",
    "{limit!r}",
    "%s",
    "%(x)s",
    "%",
    "%%d",
    "\\",
    "\\1",
    "\u202e",
    "\u200f",
    "\u2066",
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r",
    "\n",
    "\t",
    "=1+2",
    "@SUM(1)",
    "-5",
    "'",
    '"',
    ",",
    "<b>",
    "&amp;",
    "../",
    "/",
    "C:\\x",
    "é",
    "🙂",
]
TEXT = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=4)), max_size=4).map("".join)
SAFE = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)


@st.composite
def packages(draw):
    """(descriptor, header, old rows, new rows): arbitrary text in every string, or (tame) everywhere
    but the names, so that some packages are valid and reach the exports."""
    tame = draw(st.booleans())
    name = SAFE if tame else st.one_of(TEXT, SAFE)
    names = draw(st.lists(name, min_size=2, max_size=3, unique=True))
    fields = []
    for i, n in enumerate(names):
        f = {
            "name": n,
            "type": "string"
            if tame or i != 1
            else draw(st.sampled_from(["string", "number", "integer", "date"])),
            "title": draw(TEXT),
            "description": draw(TEXT),
        }
        if not tame:
            f["constraints"] = {
                "pattern": draw(TEXT),
                "enum": draw(st.lists(TEXT, min_size=1, max_size=3)),
                "maxLength": 3,
            }
            if f["type"] == "date":
                f["format"] = draw(st.one_of(st.just("%d/%m/%Y"), TEXT))
        fields.append(f)
    schema = {"fields": fields, "missingValues": ["", draw(TEXT)]}
    if not tame:
        schema["primaryKey"] = [names[0]]
    resource = {
        "name": draw(name),
        "title": draw(TEXT),
        "description": draw(TEXT),
        "path": "data/t.csv" if tame else draw(st.one_of(st.just("data/t.csv"), TEXT)),
        "schema": schema,
    }
    if not tame:
        resource |= {
            "encoding": draw(st.one_of(st.just("utf-8"), TEXT)),
            "format": draw(st.one_of(st.just("csv"), TEXT)),
            "dialect": {
                "delimiter": draw(st.one_of(st.just(","), TEXT)),
                "quoteChar": draw(st.one_of(st.just('"'), TEXT)),
            },
        }
        schema["foreignKeys"] = [
            {"fields": [names[-1]], "reference": {"resource": draw(TEXT), "fields": [draw(TEXT)]}}
        ]
    descriptor = {
        "name": draw(name),
        "title": draw(TEXT),
        "description": draw(TEXT),
        "version": "1.0.0" if tame else draw(st.one_of(st.just("1.0.0"), TEXT)),
        "licenses": [{"name": "CC0-1.0" if tame else draw(TEXT), "title": draw(TEXT)}],
        "sources": [{"title": draw(TEXT)}],
        "keywords": [draw(TEXT)],
        "contributors": [{"title": draw(TEXT), "path": draw(TEXT)}],
        "resources": [resource],
    }
    if not tame:
        descriptor["misti_data"] = {"profile": draw(st.one_of(st.just("misti-data"), TEXT))}
    rows = st.lists(st.lists(TEXT, min_size=len(names), max_size=len(names)), max_size=4)
    return descriptor, names, draw(rows), draw(rows)


def write(folder: Path, descriptor: dict, header: list[str], rows: list[list[str]]) -> Path:
    (folder / "data").mkdir(parents=True)
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with open(folder / "data" / "t.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return folder


def assert_ran(command: str, exit_code: int, output: str) -> None:
    assert exit_code in (0, 1), f"{command} exited {exit_code}: {output[-2000:]}"
    assert "internal error" not in output and "Traceback" not in output, (
        f"{command}: {output[-2000:]}"
    )


def run_everything(old: Path, new: Path, out: Path) -> None:
    assert_ran("validate", *invoke("validate", old, "--format", "json"))
    assert_ran("validate", *invoke("validate", old))
    assert_ran("diff", *invoke("diff", old, new))
    assert_ran("diff --format json", *invoke("diff", old, new, "--format", "json"))
    assert_ran("export", *invoke("export", old, "--out", out))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(packages())
def test_arbitrary_text_anywhere_never_crashes(package):
    descriptor, header, old_rows, new_rows = package
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        run_everything(
            write(tmp / "old", descriptor, header, old_rows),
            write(tmp / "new", descriptor, header, new_rows),
            tmp / "out",
        )


@pytest.mark.parametrize("tame", [True, False])
def test_a_10_mb_cell(tmp_path, tame):
    cell = ("{0} %s \u202e=1+2 " * 700_000)[: 10 * 1024 * 1024]
    fields = [{"name": "id", "type": "string"}, {"name": "text", "type": "string"}]
    if not tame:
        fields[1]["constraints"] = {"pattern": "^KH[0-9]{2}$", "maxLength": 10}
    descriptor = {
        "name": "big",
        "version": "1.0.0",
        "licenses": [{"name": "CC0-1.0"}],
        "resources": [
            {"name": "t", "path": "data/t.csv", "schema": {"fields": fields, "primaryKey": ["id"]}}
        ],
    }
    old = write(tmp_path / "old", descriptor, ["id", "text"], [["a", cell], ["b", "x"]])
    new = write(tmp_path / "new", descriptor, ["id", "text"], [["a", cell[:-1] + "!"], ["b", "x"]])
    run_everything(old, new, tmp_path / "out")
    if tame:
        assert (tmp_path / "out" / "big.xlsx").is_file()
