"""Reports that tell the truth about a file read other than as written: a
misplaced quote, another encoding, a UTF-8 byte-order mark; and annotations on the cell itself."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import copy_shipped


def findings(run, pkg, code=None):
    result = run("validate", pkg, "--format", "json")
    report = json.loads(result.stdout)
    return result, report, [f for f in report["findings"] if code is None or f["code"] == code]


def test_an_unclosed_quote_is_named_where_it_opens_and_no_row_vanishes(run, shipped):
    path = shipped / "data/areas.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == 27 and lines[9].startswith("KH-8,Kandal,")
    lines[9] = lines[9].replace("KH-8,Kandal,", 'KH-8,"Kandal,')
    path.write_text("".join(lines), encoding="utf-8")
    result, report, quotes = findings(run, shipped, "malformed-quote")
    assert result.exit_code == 1
    assert [(f["path"], f["row"], f["field"], f["message"]) for f in quotes] == [
        (
            "data/areas.csv",
            10,
            "name",
            "a quote opens a cell at line 10, column 6 and never closes: the 17 lines after it are read into that one "
            'cell, not as rows; close the quote, or double it ("") if it is text',
        )
    ]
    # 26 rows in the file: 9 read as rows (2 to 10), 17 lines read into the cell; none unaccounted for.
    assert report["tables"]["areas"] == 9
    annotations = run("validate", shipped, "--format", "github").stdout
    assert (
        f"::error file={shipped}/data/areas.csv,line=10,col=6,title=malformed-quote::a quote opens"
        in annotations
    )


def test_a_quote_closed_before_more_text_is_named_and_annotated_on_its_cell(run, shipped):
    """The gate's breakage: `,exact,` → `,"exact,` on line 5; the quote closes at the next one, before text."""
    path = shipped / "data/observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace(",exact,", ',"exact,', 1)
    path.write_text("".join(lines), encoding="utf-8")
    col = lines[4].index('"exact,') + 1
    closes = lines[4].index('"', col) + 1
    result, report, quotes = findings(run, shipped, "malformed-quote")
    assert [(f["row"], f["field"], f["message"]) for f in quotes] == [
        (
            5,
            "qualifier",
            f"a quoted cell opens at line 5, column {col} and closes at column {closes} before 'r', not before ',' or "
            "the line's end; quote the whole cell and double any quote inside it",
        )
    ]
    assert report["tables"]["observations"] == len(lines) - 1  # the row is misread, not lost
    annotations = run("validate", shipped, "--format", "github").stdout
    assert f"data/observations.csv,line=5,col={col},title=malformed-quote::" in annotations


def test_the_fast_reader_leaves_a_misplaced_quote_to_the_careful_one(run, tmp_path):
    """polars reads `"one"x"y"` as onexy, Python's csv module (and frictionless) as one x"y": the
    file is read as frictionless reads it, and the quote is named."""
    from conftest import PACKAGES
    from misti_data.package import load_package
    from misti_data.tables import table

    shutil.copytree(PACKAGES / "malformed-quote", tmp_path / "pkg")
    with load_package(tmp_path / "pkg") as pkg:
        read = table(pkg, "things")
        assert read.records()[0]["label"] == 'onex"y"'
        assert read.records()[1]["label"] == "two, three"


def test_a_windows_1252_file_is_named_so_and_the_advice_works(run, shipped):
    path = shipped / "data/observations.csv"
    text = path.read_text(encoding="utf-8")
    # Saved by a Windows program: ’ is byte 0x92 (a control character in latin-1); − has no cp1252 byte.
    path.write_bytes(text.replace("−", "-").encode("cp1252"))
    line = text[: text.index("’")].count("\n") + 1
    result, _, errors = findings(run, shipped, "encoding-error")
    fix = "iconv -f cp1252 -t utf-8 data/observations.csv > utf8.tmp && mv utf8.tmp data/observations.csv"
    assert [f["message"] for f in errors] == [
        f"byte 0x92 at line {line} is not utf-8; it looks like Windows-1252: re-save it as UTF-8, e.g. `{fix}`"
    ]
    assert "latin" not in result.stdout.lower()
    if shutil.which("iconv") is None:
        pytest.skip("the advice needs iconv")
    subprocess.run(fix, shell=True, cwd=shipped, check=True)
    assert "’" in path.read_text(encoding="utf-8")
    run("stamp", shipped)
    assert findings(run, shipped, "encoding-error")[2] == []


def test_one_character_typed_in_windows_1252_into_a_utf8_file(run, shipped):
    """Converting the whole file would garble its other UTF-8 characters (− would become âˆ’)."""
    path = shipped / "data/observations.csv"
    path.write_bytes(path.read_bytes().replace("’".encode(), b"\x92"))
    _, _, errors = findings(run, shipped, "encoding-error")
    assert [f["message"] for f in errors] == [
        "byte 0x92 at line 9 is not utf-8; the rest of the file is UTF-8: retype that character "
        "('’' in Windows-1252) in an editor that saves UTF-8"
    ]


def test_a_utf8_bom_is_a_warning_that_says_what_it_breaks(run, shipped, tmp_path):
    path = shipped / "data/observations.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    run("stamp", shipped)
    result, _, found = findings(run, shipped)
    assert result.exit_code == 0
    assert [(f["code"], f["severity"], f["row"], f["message"]) for f in found] == [
        (
            "utf-8-bom",
            "warning",
            1,
            "the file starts with a UTF-8 byte-order mark: Python's csv.DictReader, and some other tools, then name the "
            "first column '\\ufeffindicator_id'; re-save it as UTF-8 without BOM, e.g. "
            "`sed -i '1s/^\\xEF\\xBB\\xBF//' data/observations.csv`",
        )
    ]
    with open(path, encoding="utf-8", newline="") as f:  # what the warning says, as a user meets it
        assert next(csv.DictReader(f)).keys() >= {"\ufeffindicator_id"}
    # ... and the table itself is read as if the mark were not there: no difference from the original.
    diff = run("diff", copy_shipped(tmp_path / "original"), shipped, "--format", "json")
    assert diff.exit_code == 0 and all(
        r["status"] == "unchanged" for r in json.loads(diff.stdout)["resources"]
    )
    assert run("validate", shipped, "--strict").exit_code == 1
    if shutil.which("sed") is None or os.uname().sysname != "Linux":
        pytest.skip("the advice is GNU sed's")
    subprocess.run(
        "sed -i '1s/^\\xEF\\xBB\\xBF//' data/observations.csv", shell=True, cwd=shipped, check=True
    )
    run("stamp", shipped)
    assert findings(run, shipped)[2] == []


def test_validate_and_ci_annotate_the_same_line_and_column(run, shipped):
    """Below a quoted cell that spans lines, a row's line is not its row number."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", *args], cwd=shipped, check=True, capture_output=True, env=env)
    path = shipped / "data/observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(
        '"with 3,083', '"with\n3,083'
    )  # row 2's quote now spans lines 2 and 3
    row = next(i for i, line in enumerate(lines) if line.startswith("water_production,"))
    lines[row] = lines[row].replace(",556000000,", ",556 million,")
    path.write_text("".join(lines), encoding="utf-8")
    run("stamp", shipped)
    # row `row + 1` (the header is row 1) is on line `row + 2`, its value where "556 million" starts
    where = f"line={row + 2},col={lines[row].index('556 million') + 1},title=type-error::"
    validate = run("validate", shipped, "--format", "github").stdout
    gate = run("ci", shipped, "--base", "HEAD", "--format", "github").stdout
    assert f"::error file={shipped}/data/observations.csv,{where}" in validate
    assert f"::error file={shipped}/data/observations.csv,{where}" in gate


# Pieces of CSV text that make every kind of quoting, good and bad, in short files.
QUOTING = st.lists(
    st.sampled_from(["a", "b", ",", ";", '"', '""', "\n", "\r\n", " "]), max_size=40
).map("".join)


@settings(max_examples=300, deadline=None)
@given(body=QUOTING, dialect=st.sampled_from([(",", False), (";", True)]))
def test_the_reader_reads_as_pythons_csv_and_names_a_quote_exactly_when_strict_fails(body, dialect):
    """Whichever path reads the file (polars, or Python's csv module), its cells and row numbers are
    those of Python's csv module (so frictionless's), and a malformed-quote names the first row that
    `strict=True` rejects."""
    from misti_data.tables.cells import read_cells
    from misti_data.tables.dialect import Dialect

    delimiter, space = dialect
    text = f"h1{delimiter}h2\n" + body
    options = dict(delimiter=delimiter, skipinitialspace=space)
    cells, found = read_cells(
        text.encode(),
        Dialect(delimiter=delimiter, skip_initial_space=space),
        ["h1", "h2"],
        ["h1", "h2"],
        [("",), ("",)],
        {"resource": "t", "path": "t.csv"},
    )
    lenient = list(csv.reader(io.StringIO(text, newline=""), **options))
    expected = [
        (n, [c or None for c in (row + ["", ""])[:2]]) for n, row in enumerate(lenient, 1) if n > 1
    ]
    # Rows with text only (a quoted empty cell, "", is missing like an empty one).
    got = [(r[-1], [c or None for c in r[:-1]]) for r in cells.cells.iter_rows() if any(r[:-1])]
    assert got == [(n, row) for n, row in expected if any(row)]
    strict = csv.reader(io.StringIO(text, newline=""), strict=True, **options)
    rows_before = []
    try:
        rows_before.extend(strict)
        first_bad = None
    except csv.Error:
        first_bad = len(rows_before) + 1
    quotes = [f.row for f in found if f.code == "malformed-quote"]
    assert (quotes[0] if quotes else None) == first_bad


def test_a_quoted_empty_cell_is_missing_as_frictionless_reads_it(run, tmp_path):
    from conftest import PACKAGES

    shutil.copytree(PACKAGES / "valid-minimal", tmp_path / "pkg")
    (tmp_path / "pkg/data/things.csv").write_text('id,label,amount\n"",two,2\n')
    _, _, found = findings(run, tmp_path / "pkg")
    codes = {(f["code"], f["row"], f["field"]) for f in found}
    assert ("constraint-error", 2, "id") in codes and (
        "type-error",
        2,
        "id",
    ) not in codes  # required, as frictionless says


# Pieces of CSV text without quotes (the only files the regular-structure fast path takes): short,
# long and blank rows, stray carriage returns, missing values, a comment character.
UNQUOTED = st.lists(
    st.sampled_from(["a", "1", ",", ",,", "NA", "\n", "\r\n", "\n\n", "\r", " ", "#", "é"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    body=UNQUOTED,
    missing=st.sampled_from([("",), ("", "NA"), ("NA",)]),
    comment=st.sampled_from([None, "#"]),
    header=st.sampled_from(["h1,h2\n", "h1,h2,h3\n", ""]),
)
def test_the_regular_file_fast_path_reads_what_the_counting_path_reads(
    body, missing, comment, header
):
    """Skipping the raw lines and the cell counts for a provably regular file changes nothing: the
    same cells, row numbers and structural findings as the path that counts every row's cells."""
    from misti_data.tables import cells as module
    from misti_data.tables.cells import read_cells
    from misti_data.tables.dialect import Dialect

    text = (header + body).encode()
    width = 3 if header.count(",") == 2 else 2
    names = [f"h{i}" for i in range(1, width + 1)]
    dialect = (
        Dialect(comment_char=comment) if header else Dialect(header=False, comment_char=comment)
    )
    labels = names if header else None
    where = {"resource": "t", "path": "t.csv"}

    def read():
        cells, found = read_cells(text, dialect, labels, names, [missing] * width, where)
        return cells.cells.rows(), [(f.code, f.row, f.field, f.cell, f.message) for f in found]

    fast = read()
    with pytest.MonkeyPatch.context() as m:
        m.setattr(module, "_regular", lambda *a: False)
        slow = read()
    assert fast == slow


def test_a_regular_file_takes_the_fast_path_and_an_irregular_one_does_not():
    """The property above compares two paths only if the fast one is taken: it is for a regular file."""
    from misti_data.tables.cells import _read_cells, _regular
    from misti_data.tables.dialect import Dialect

    def regular(text: bytes, missing=("", "NA")) -> bool:
        return _regular(text, Dialect(), [missing] * 2, _read_cells(text, Dialect(), [missing] * 2))

    assert regular(b"h1,h2\n1,2\r\n,4\n")
    for irregular in (
        b"h1,h2\n1,2\n3\n",
        b"h1,h2\n1,2,3\n",
        b"h1,h2\n1,2,\n",
        b"h1,h2\n1,2\n\n3,4\n",
        b'h1,h2\n"1",2\n',
        b"h1,h2\n1,NA\n",
    ):
        assert not regular(irregular), irregular
    # A short row is padded with empty cells: without "" as a missing value it cannot be told apart.
    assert not regular(b"h1,h2\n1,2\n", ("NA",))
