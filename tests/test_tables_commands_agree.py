"""Every command reads a table through the one reader, so they agree about the same file.

Each file the commands once read differently is a regression test here; the property at the end generates packages in
many dialects and checks that what validate types and what diff compares are the same values.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PACKAGES, write_package

GROUPED = [{"name": "area", "type": "string"}, {"name": "n", "type": "integer", "groupChar": ","}]


def _grouped(folder, cell: str):
    """A keyless package whose integer `n` holds `cell` (written as is, quoted)."""
    write_package(folder, [], fields=GROUPED, key=None)
    (folder / "data" / "figures.csv").write_text(
        f'area,n\nKH,"{cell}"\nKH-12,7\n', encoding="utf-8"
    )
    return folder


def test_group_char_1000_and_1_000_are_the_same_number_everywhere(run, tmp_path):
    old, new = _grouped(tmp_path / "old", "1,000"), _grouped(tmp_path / "new", "1000")
    assert run("validate", old).exit_code == 0 and run("validate", new).exit_code == 0
    diff = run("diff", old, new, "--exit-code", "--format", "json")
    assert diff.exit_code == 0, diff.stdout
    assert json.loads(diff.stdout)["differs"] is False
    version = json.loads(run("version", old, new, "--format", "json").stdout)
    assert version["bump"] is None and version["reasons"] == []


def test_a_changed_grouped_number_is_one_changed_value(run, tmp_path):
    old, new = _grouped(tmp_path / "old", "1,000"), _grouped(tmp_path / "new", "1,001")
    doc = json.loads(run("diff", old, new, "--format", "json").stdout)
    figures = doc["resources"][0]
    assert figures["compared_by"] == "key inferred: area"
    assert figures["changed"] == [
        {"key": {"area": "KH"}, "changes": {"n": {"old": 1000, "new": 1001}}}
    ]


def _headerless(folder, rows: str):
    write_package(folder, [], resource="figures")
    desc = json.loads((folder / "datapackage.json").read_text())
    desc["resources"][0]["dialect"] = {"header": False}
    (folder / "datapackage.json").write_text(json.dumps(desc))
    (folder / "data" / "figures.csv").write_text(rows, encoding="utf-8")
    return folder


def test_header_false_diffs_by_the_schema_names(run, tmp_path):
    old = _headerless(tmp_path / "old", "KH,2024,10,first\nKH,2025,12.5,\n")
    new = _headerless(tmp_path / "new", "KH,2024,10,first\nKH,2025,13,\nKH-12,2025,3,city\n")
    assert run("validate", old).exit_code == 0 and run("validate", new).exit_code == 0
    result = run("diff", old, new, "--format", "json")
    assert result.exit_code == 0, result.stdout
    figures = json.loads(result.stdout)["resources"][0]
    assert figures["problems"] == []
    assert figures["compared_by"] == "primary key area, year"
    assert figures["rows"] == {"old": 2, "new": 3, "added": 1, "removed": 0, "changed": 1}
    assert figures["changed"] == [
        {"key": {"area": "KH", "year": 2025}, "changes": {"value": {"old": 12.5, "new": 13.0}}}
    ]


def test_a_tsv_package_gets_its_domain_rules(run, tmp_path):
    """The 171 % share of rule-percent-out-of-range, saved as TSV: the rules read it and catch it."""
    pkg = tmp_path / "pkg"
    shutil.copytree(PACKAGES / "rule-percent-out-of-range", pkg)
    desc = json.loads((pkg / "datapackage.json").read_text())
    for res in desc["resources"]:
        csv_file = pkg / res["path"]
        rows = csv_file.read_text(encoding="utf-8").splitlines()
        assert all('"' not in r for r in rows)  # a plain comma split is then exact
        csv_file.unlink()
        res["path"] = res["path"].replace(".csv", ".tsv")
        res["format"] = "tsv"
        (pkg / res["path"]).write_text(
            "".join(r.replace(",", "\t") + "\n" for r in rows), encoding="utf-8"
        )
    (pkg / "datapackage.json").write_text(json.dumps(desc))
    result = run("validate", pkg, "--format", "json")
    found = [
        (f["code"], f["row"], f["field"], f["path"]) for f in json.loads(result.stdout)["findings"]
    ]
    assert found == [("percent-out-of-range", 2, "value", "data/observations.tsv")]
    assert "171" in json.loads(result.stdout)["findings"][0]["message"]
    assert result.exit_code == 1


def _git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def test_release_after_a_release_candidate(run, tmp_path, monkeypatch):
    """releases/things-1.0.0-rc.1.zip present: 1.0.0 is released after it (was: TypeError, exit 2)."""
    pkg = write_package(tmp_path / "repo", version="1.0.0-rc.1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")
    _git(pkg, "init", "-q")
    commit = lambda: (
        _git(pkg, "add", "-A"),
        _git(pkg, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"),
    )
    commit()
    first = run("release", pkg)
    assert first.exit_code == 0, first.output
    assert (pkg / "releases" / "things-1.0.0-rc.1.zip").is_file()
    desc = json.loads((pkg / "datapackage.json").read_text())
    desc["version"] = "1.0.0"
    (pkg / "datapackage.json").write_text(json.dumps(desc))
    commit()
    result = run("release", pkg, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["previous"], doc["archive"]) == (
        "things-1.0.0-rc.1.zip",
        "releases/things-1.0.0.zip",
    )
    assert "Changes since 1.0.0-rc.1:" in doc["changelog"]
    again = run("release", pkg)
    assert again.exit_code == 2 and "already released" in again.stderr


def test_semver_orders_pre_releases_before_their_release():
    from misti_data import semver

    order = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1",
        "1.1.0",
        "2.0.0",
    ]  # semver.org §11's own example, extended
    parsed = [semver.parse(v) for v in order]
    assert (
        sorted(parsed[::-1], key=lambda v: v.sort_key()) == parsed
    )  # reversed: a no-op sort cannot pass
    assert all(a < b and a <= b and not b <= a for a, b in zip(parsed, parsed[1:]))
    assert semver.parse("1.0.0+build.5") <= semver.parse(
        "1.0.0"
    )  # build metadata has no precedence (§10)
    assert [str(v) for v in parsed] == order
    assert semver.archive_version("x", "x-1.0.0-rc.1.zip") == semver.parse("1.0.0-rc.1")
    assert semver.archive_version("x", "x-y-1.0.0.zip") is None
    assert (
        semver.archive_version("abc", "xyz-1.0.0.zip") is None
    )  # another package's archive, same name length
    assert semver.bump("1.2.3", semver.MINOR) == "1.3.0"


def test_an_unregistered_code_is_refused():
    from misti_data.registry import finding

    assert finding("type-error", "x").severity == "error"
    with pytest.raises(KeyError, match="typo-error"):
        finding("typo-error", "x")


def test_every_code_in_the_table_is_raised_by_a_family_or_the_diff():
    from misti_data.checks import CATALOGUE, FAMILIES
    from misti_data.diff import DIFF_CODES

    raised = {c for check in FAMILIES for c in check.codes}
    assert raised | set(DIFF_CODES) == set(CATALOGUE)
    assert raised.isdisjoint(DIFF_CODES)


@pytest.mark.parametrize(
    ("row", "why"),
    [
        ("x-error | fatal   | -          | A severity the standard has not.", "severity 'fatal'"),
        ("x-error | -       | -          | Reported by nothing.", "severity '-'"),
        ("x-error | error   | warning    | A profile that lowers it.", "may only raise"),
        ("package-error | error | - | Again.", "listed twice"),
    ],
)
def test_the_code_table_refuses_a_row_that_cannot_be(row, why):
    from misti_data.codes import TABLE
    from misti_data.registry import _read

    assert len(_read(TABLE)) == 70
    with pytest.raises(ValueError, match=why):
        _read(TABLE + row + "\n")


def test_a_family_the_table_lists_no_codes_for_is_refused():
    from misti_data.registry import check

    assert check("keys")(lambda context: []).codes == ("unique-error", "primary-key", "foreign-key")
    with pytest.raises(KeyError, match="'key'"):
        check("key")(lambda context: [])


def test_each_table_is_read_once_per_load(tmp_path, monkeypatch):
    from misti_data.tables import read as reader
    from misti_data.validate import validate_package

    calls = []
    real = reader.read_resource
    monkeypatch.setattr(
        "misti_data.tables.read_resource", lambda p, r: calls.append(r["name"]) or real(p, r)
    )
    pkg = write_package(tmp_path / "pkg")
    assert validate_package(pkg).valid
    assert calls == ["figures"]


# --- one reader for validate and diff, whatever the dialect ---------------------------------------

CELLS = st.one_of(
    st.integers(-20000, 20000),
    st.floats(-1e5, 1e5, allow_nan=False).map(lambda x: round(x, 2)),
    st.none(),
)


@st.composite
def dialects(draw):
    return {
        "delimiter": draw(st.sampled_from([",", ";", "\t", "|"])),
        "quote": draw(st.sampled_from(['"', "'"])),
        "header": draw(st.booleans()),
        "crlf": draw(st.booleans()),
        "group": draw(st.sampled_from([None, ",", ".", " "])),
        "missing": draw(st.sampled_from(["", "NA", "-"])),
        "quote_all": draw(st.booleans()),
        "tsv": draw(st.booleans()),
    }


def _number(value, kind: str, d: dict) -> str:
    """A number as a person would write it under the dialect's groupChar/decimalChar."""
    if value is None:
        return d["missing"]
    decimal = "," if d["group"] == "." else "."
    if kind == "integer":
        text = f"{int(value):,}" if d["group"] else str(int(value))
        return text.replace(",", d["group"] or "")
    whole, _, frac = f"{value:.2f}".partition(".")
    whole = f"{int(whole):,}".replace(",", d["group"] or "") if d["group"] else whole
    return ("-" if value < 0 and not whole.startswith("-") else "") + whole + decimal + frac


def _write(folder, rows, d: dict, *, rewrite: bool = False):
    """The package in dialect `d`; `rewrite` writes the same values with other quoting and line ends."""
    delimiter = "\t" if d["tsv"] else d["delimiter"]
    decimal = "," if d["group"] == "." else "."
    fields = [
        {"name": "id", "type": "integer"},
        {"name": "n", "type": "integer"},
        {"name": "x", "type": "number"},
    ]
    for f in fields[1:]:
        if d["group"]:
            f["groupChar"] = d["group"]
        if decimal != ".":
            f["decimalChar"] = decimal
    quote_all = d["quote_all"] != rewrite
    eol = "\r\n" if d["crlf"] != rewrite else "\n"
    q = d["quote"]

    def cell(text: str) -> str:
        needs = delimiter in text or q in text or text == d["missing"] and text != ""
        return (
            f"{q}{text}{q}"
            if (quote_all and text != d["missing"]) or (needs and text != d["missing"])
            else text
        )

    lines = [] if not d["header"] else [delimiter.join(cell(f["name"]) for f in fields)]
    for i, (n, x) in enumerate(rows):
        lines.append(
            delimiter.join(
                [cell(str(i)), cell(_number(n, "integer", d)), cell(_number(x, "number", d))]
            )
        )
    folder.mkdir(parents=True, exist_ok=True)
    path = "data/t.tsv" if d["tsv"] else "data/t.csv"
    (folder / "data").mkdir(exist_ok=True)
    (folder / path).write_bytes((eol.join(lines) + eol).encode())
    resource = {
        "name": "t",
        "path": path,
        "schema": {"fields": fields, "primaryKey": ["id"], "missingValues": [d["missing"]]},
    }
    dialect = {"header": d["header"], "quoteChar": q}
    if d["tsv"]:
        resource["format"] = "tsv"
        dialect["quoteChar"] = q
    else:
        resource["format"] = "csv"
        dialect["delimiter"] = d["delimiter"]
    resource["dialect"] = dialect
    desc = {
        "name": "p",
        "version": "1.0.0",
        "licenses": [{"name": "CC0-1.0"}],
        "sources": [{"title": "t"}],
        "resources": [resource],
    }
    (folder / "datapackage.json").write_text(json.dumps(desc))
    return folder


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    d=dialects(),
    rows=st.lists(
        st.tuples(CELLS.filter(lambda v: v is None or isinstance(v, int)), CELLS),
        min_size=1,
        max_size=6,
    ),
)
def test_validate_and_diff_see_the_same_values(tmp_path_factory, d, rows):
    from misti_data.diff import diff_sources
    from misti_data.package import load_package
    from misti_data.tables import ROW, table
    from misti_data.validate import validate_package

    base = tmp_path_factory.mktemp("prop")
    old = _write(base / "old", rows, d)
    new = _write(base / "new", rows, d, rewrite=True)
    report = validate_package(old)
    assert report.valid, [f.message for f in report.findings]
    with load_package(old) as package:
        typed = table(package, "t").frame.drop(ROW).rows()
    expected = [(i, n, None if x is None else float(x)) for i, (n, x) in enumerate(rows)]
    assert typed == expected
    # The reader's fast path for a regular file (no quotes, no ragged row) types what the counting path types.
    from misti_data.tables import cells

    with pytest.MonkeyPatch.context() as m:
        m.setattr(cells, "_regular", lambda *a: False)
        with load_package(old) as package:
            assert table(package, "t").frame.drop(ROW).rows() == expected
    result = diff_sources(old, new)
    assert not result.differs, result.to_dict()


# --- same command shape: result -> renderer -> exit code ------------------------------------------


def test_export_and_site_json_is_the_result(run, tmp_path):
    from misti_data.export import export_package
    from misti_data.site import build_site

    pkg = write_package(tmp_path / "pkg")
    result = run("export", pkg, "--to", "sqlite", "--out", tmp_path / "a", "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout) == export_package(pkg, ("sqlite",), tmp_path / "a").to_dict()
    result = run("site", pkg, "--out", tmp_path / "s", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == build_site(pkg, tmp_path / "s").to_dict()


def test_an_invalid_package_is_exit_1_in_every_command(run, tmp_path):
    pkg = shutil.copytree(PACKAGES / "type-error", tmp_path / "pkg")
    for args in (
        ["validate", pkg],
        ["export", pkg, "--out", tmp_path / "x"],
        ["site", pkg, "--out", tmp_path / "s"],
        ["release", pkg],
        ["export", pkg, "--format", "json", "--out", tmp_path / "x"],
    ):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
    assert json.loads(result.stdout)["ok"] is False
    assert not (tmp_path / "x").exists() and not (pkg / "releases").exists()


def test_progress_only_on_a_terminal_and_never_with_quiet(monkeypatch):
    import sys

    from misti_data.progress import progress_for

    assert progress_for(quiet=False) is None  # under pytest stderr is not a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert progress_for(quiet=True) is None
    progress = progress_for(quiet=False)
    with progress("reading data/x.csv", size=1 << 40):
        pass


def test_a_multipart_resource_is_typed_and_keyed_like_a_csv(run, tmp_path):
    """frictionless opens the parts; the rows land in the same typed frame, so keys apply across parts."""
    pkg = tmp_path / "pkg"
    (pkg / "data").mkdir(parents=True)
    (pkg / "data" / "a.csv").write_text("id,n\n1,10\n2,x\n")
    (pkg / "data" / "b.csv").write_text("id,n\n3,30\n1,40\n")
    schema = {
        "fields": [{"name": "id", "type": "integer"}, {"name": "n", "type": "integer"}],
        "primaryKey": ["id"],
    }
    (pkg / "datapackage.json").write_text(
        json.dumps(
            {
                "name": "mp",
                "version": "1.0.0",
                "licenses": [{"name": "CC0-1.0"}],
                "sources": [{"title": "t"}],
                "resources": [
                    {
                        "name": "t",
                        "path": ["data/a.csv", "data/b.csv"],
                        "format": "csv",
                        "schema": schema,
                    }
                ],
            }
        )
    )
    result = run("validate", pkg, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [(f["code"], f["row"], f["field"]) for f in doc["findings"]] == [
        ("type-error", 3, "n"),
        ("primary-key", 5, None),
    ]
    assert doc["tables"] == {"t": 4}
    # and diff sees the same repeated key validate saw, across the two parts
    problems = json.loads(run("diff", pkg, pkg, "--format", "json").stdout)["resources"][0][
        "problems"
    ]
    assert [p["code"] for p in problems] == ["diff-duplicate-key", "diff-duplicate-key"]
