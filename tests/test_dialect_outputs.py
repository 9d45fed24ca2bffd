"""GitHub annotation positions and CSVW metadata follow the dialect the table reader reads.

One case per dialect option: TSV by `format` and by extension, headerRows, comment rows (commentChar
and commentRows), escapeChar and skipInitialSpace. In each, the cell `x` is a type-error; its
line and column are counted by hand below. The CSVW case reads the valid file back with the csvw
library, which takes only the dialect the metadata declares.
"""

from __future__ import annotations

import json
import re

import pytest

FIELDS = [
    {"name": "id", "type": "integer"},
    {"name": "name", "type": "string"},
    {"name": "value", "type": "number"},
]

# (path, format, dialect, file text with the bad cell x, (line, column) of x, CSVW dialect, rows read back)
CASES = {
    "tsv-by-format": (
        "data/t.txt",
        "tsv",
        None,
        "id\tname\tvalue\n1\tA\t10\n2\tB\tx\n",
        (3, 5),
        {"encoding": "utf-8", "header": True, "delimiter": "\t"},
        [[1, "A", 10], [2, "B", 12]],
    ),
    "tsv-by-extension": (
        "data/t.tsv",
        None,
        None,
        "id\tname\tvalue\n1\tA\t10\n2\tB\tx\n",
        (3, 5),
        {"encoding": "utf-8", "header": True, "delimiter": "\t"},
        [[1, "A", 10], [2, "B", 12]],
    ),
    "header-rows": (
        "data/t.csv",
        "csv",
        {"headerRows": [2]},
        "Things we count,,\nid,name,value\n1,A,10\n2,B,x\n",
        (4, 5),
        {"encoding": "utf-8", "header": True, "skipRows": 1, "headerRowCount": 1},
        [[1, "A", 10], [2, "B", 12]],
    ),
    "comment-char": (
        "data/t.csv",
        "csv",
        {"commentChar": "#"},
        "id,name,value\n# a note\n1,A,10\n2,B,x\n",
        (4, 5),
        {"encoding": "utf-8", "header": True, "commentPrefix": "#"},
        [[1, "A", 10], [2, "B", 12]],
    ),
    "comment-rows": (
        "data/t.csv",
        "csv",
        {"commentRows": [3]},
        'id,name,value\n1,A,10\n"a note\non two lines",,\n2,B,x\n',
        (5, 5),
        None,
        None,
    ),  # CSVW has no comment rows: the metadata cannot say to skip one
    "escape-char": (
        "data/t.csv",
        "csv",
        {"escapeChar": "\\"},
        'id,name,value\n1,"A \\"big\\", one",10\n2,"B \\"x",x\n',
        (3, 11),
        {"encoding": "utf-8", "header": True, "doubleQuote": False},
        [[1, 'A "big", one', 10], [2, 'B "x', 12]],
    ),
    # Not a dialect option: a Unicode line separator inside a cell is no line break to git or GitHub.
    "line-separator-in-a-cell": (
        "data/t.csv",
        "csv",
        None,
        'id,name,value\n1,"A\u2028B",10\n2,B,x\n',
        (3, 5),
        {"encoding": "utf-8", "header": True},
        [[1, "A\u2028B", 10], [2, "B", 12]],
    ),
    "skip-initial-space": (
        "data/t.csv",
        "csv",
        {"skipInitialSpace": True},
        "id, name, value\n1, A, 10\n2, B,  x\n",
        (3, 8),
        {"encoding": "utf-8", "header": True, "skipInitialSpace": True},
        [[1, "A", 10], [2, "B", 12]],
    ),
}


def write(folder, case: str, text: str):
    path, fmt, dialect, *_ = CASES[case]
    resource = {"name": "t", "path": path, "schema": {"fields": FIELDS}}
    if fmt:
        resource["format"] = fmt
    if dialect:
        resource["dialect"] = dialect
    (folder / "data").mkdir(parents=True)
    (folder / path).write_text(text, encoding="utf-8")
    descriptor = {
        "name": "p",
        "version": "1.0.0",
        "licenses": [{"name": "CC0-1.0"}],
        "resources": [resource],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", CASES)
def test_github_annotation_is_on_the_cells_line_and_column(run, tmp_path, monkeypatch, case):
    path, _, _, text, (line, col), *_ = CASES[case]
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "pkg", case, text)
    out = run("validate", "pkg", "--format", "github").stdout
    errors = re.findall(
        r'^::error file=([^,]+),line=(\d+),col=(\d+),title=type-error::"x" ', out, re.M
    )
    assert errors == [(f"pkg/{path}", str(line), str(col))], out
    assert text.split("\n")[line - 1][col - 1] == "x"  # the count by hand is right


@pytest.mark.parametrize("case", [c for c, v in CASES.items() if v[5] is not None])
def test_csvw_metadata_declares_the_dialect_and_reads_back(run, tmp_path, case):
    from csvw import TableGroup

    path, _, _, text, _, dialect, rows = CASES[case]
    pkg = write(tmp_path / "pkg", case, text.replace("x\n", "12\n"))
    result = run("export", pkg, "--to", "csvw", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    metadata = tmp_path / "out" / "csvw" / "csv-metadata.json"
    assert json.loads(metadata.read_text(encoding="utf-8"))["tables"][0]["dialect"] == dialect
    table = TableGroup.from_file(metadata).tables[0]
    assert [[r["id"], r["name"], r["value"]] for r in table.iterdicts()] == rows
