"""The polars table engine: finds what frictionless finds, never crashes, never reaches the network."""

from __future__ import annotations

import json
import shutil
import socket

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import PACKAGES

# Fixtures about the descriptor or unsafe paths, where frictionless reports differently on purpose
# (e.g. it follows the symlink out of the folder; we refuse to read it).
NOT_TABLE_LEVEL = {
    "bad-json",
    "duplicate-resource",
    "metadata-missing",
    "version-not-semver",
    "remote-path",
    "outside-path-absolute",
    "outside-path-dotdot",
    "outside-path-dotdot-inside",
    "outside-path-symlink",
    "zip-package",
    "invalid-path",
}
# Frictionless gives header findings no row; we say row 1, the header's row.
HEADER_CODES = {
    "blank-header",
    "blank-label",
    "duplicate-label",
    "extra-label",
    "incorrect-label",
    "missing-label",
    "unmatched-header",
}
# std-* fixtures where frictionless 5 departs from the standard (docs/standard.md, "frictionless 5.21").
FRICTIONLESS_DEPARTS = {
    "std-case-sensitive-header-valid": "ignores CSV Dialect 1.2's caseSensitiveHeader",
    "std-delimiter-valid": "refuses a delimiter of two characters",
    "std-duration-bounds-invalid": "refuses maximum on a duration (field-error)",
    "std-fk-to-json-invalid": "takes a .json file with a schema for a plain file, and fails",
    "std-fk-to-json-valid": "takes a .json file with a schema for a plain file, and fails",
    "std-json-schema-invalid": "refuses Table Schema v2's jsonSchema constraint (field-error)",
    "std-json-schema-valid": "refuses Table Schema v2's jsonSchema constraint (field-error)",
    "std-line-terminator-invalid": "ignores lineTerminator",
    "std-line-terminator-valid": "ignores lineTerminator",
    "std-null-sequence-invalid": "ignores nullSequence",
    "std-null-sequence-valid": "ignores nullSequence",
}


def _key(code, row, field):
    return (code, None if code in HEADER_CODES else row, field or None)


# frictionless leaves a .csv.gz file open (its GzipFile does not close the file it wraps)
@pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
)
def test_we_find_at_least_what_frictionless_finds(run):
    import frictionless

    checked = 0
    for case in sorted(p.name for p in PACKAGES.iterdir() if (p / "expected.json").is_file()):
        if case in NOT_TABLE_LEVEL or case in FRICTIONLESS_DEPARTS:
            continue
        ours = {
            _key(*f)
            for f in json.loads((PACKAGES / case / "expected.json").read_text())["findings"]
        }
        report = frictionless.validate(str(PACKAGES / case / "datapackage.json"))
        theirs = {_key(*f) for f in report.flatten(["type", "rowNumber", "fieldName"])}
        blank_rows = {row for code, row, _ in ours if code == "blank-row"}
        # Frictionless also reports a blank row's empty key, and a blank header as blank labels.
        theirs = {k for k in theirs if not (k[0] == "primary-key" and k[1] in blank_rows)}
        if ("blank-header", None, None) in ours:
            theirs = {k for k in theirs if k[0] != "blank-label"}
        if (
            "foreign-key",
            None,
            None,
        ) in ours:  # frictionless: resource-error, "resource ... does not exist"
            theirs.discard(("resource-error", None, None))
        assert theirs <= ours, f"{case}: frictionless also finds {sorted(theirs - ours, key=str)}"
        checked += 1
    assert checked >= 30


def test_remote_path_is_not_fetched(run, tmp_path, monkeypatch):
    shutil.copytree(PACKAGES / "remote-path", tmp_path / "pkg")

    def refuse(*args, **kwargs):
        raise AssertionError("validate tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    result = run("validate", tmp_path / "pkg", "--format", "json")
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["remote-path"]


def _things(tmp_path, body: bytes):
    pkg = tmp_path / "pkg"
    shutil.copytree(PACKAGES / "valid-minimal", pkg)
    (pkg / "data" / "things.csv").write_bytes(body)
    return pkg


def _found(run, pkg):
    result = run("validate", pkg, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    return sorted((f["code"], f["row"], f["field"]) for f in report["findings"]), report


def test_a_one_megabyte_field_is_read(run, tmp_path):
    big = "x" * (1 << 20)
    pkg = _things(tmp_path, f'id,label,amount\n1,"{big}",1\n2,{big},lots\n'.encode())
    found, report = _found(run, pkg)
    assert found == [("type-error", 3, "amount")]
    assert report["tables"] == {"things": 2}


def test_rows_after_a_quoted_newline_keep_their_numbers_on_the_careful_reader(run, tmp_path):
    # A NUL byte in every separator candidate's place is impossible; bad quoting forces Python's reader.
    pkg = _things(tmp_path, b'id,label,amount\n1,"a\nb",1\n2,two,2,3\n3,th"ree,x\n')
    found, _ = _found(run, pkg)
    assert found == [("extra-cell", 3, None), ("type-error", 4, "amount")]


def _package_copy(tmp_path_factory, body: bytes | None = None, edit=None):
    """A copy of valid-minimal with its CSV replaced by `body` and `edit` applied to its resource."""
    pkg = tmp_path_factory.mktemp("pkg")
    shutil.copytree(PACKAGES / "valid-minimal", pkg, dirs_exist_ok=True)
    if body is not None:
        (pkg / "data" / "things.csv").write_bytes(body)
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    if edit:
        edit(descriptor["resources"][0])
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    return pkg


ROW = st.lists(
    st.sampled_from(["1", "2", "", "x", '"a,b"', '"l1\nl2"', '"q""q"']), min_size=0, max_size=5
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(ROW, min_size=1, max_size=8))
def test_structure_matches_frictionless_on_random_ragged_files(tmp_path_factory, rows):
    """Blank rows, extra and missing cells, with the same row numbers as frictionless, on any mix."""
    import frictionless

    from misti_data.package import load_package
    from misti_data.tables import tables

    def edit(res):
        for field in res["schema"]["fields"]:
            field.update(type="string", constraints={})
        res["schema"].pop("primaryKey")
        # Without it, frictionless guesses the header is further down a file with many short rows.
        res["dialect"] = {"headerRows": [1]}

    # Complete rows first and last: frictionless numbers blank lines at the very start or end oddly.
    # And frictionless calls ",,,1" a blank row (it looks at the header's width only); we say extra-cell.
    assume(not any(len(r) > 3 and not any(r[:3]) for r in rows))
    body = "id,label,amount\n1,2,3\n" + "".join(",".join(r) + "\n" for r in rows) + "9,9,9\n"
    pkg = _package_copy(tmp_path_factory, body.encode(), edit)
    structural = {"blank-row", "extra-cell", "missing-cell"}
    with load_package(pkg) as package:
        ours = sorted(
            (f.code, f.row)
            for f in (f for t in tables(package) for f in t.findings)
            if f.code in structural
        )
    report = frictionless.validate(str(pkg / "datapackage.json"))
    theirs = sorted((c, r) for c, r in report.flatten(["type", "rowNumber"]) if c in structural)
    assert ours == theirs, body


@pytest.mark.parametrize(
    "body",
    [b"\x00\x01\x02", b"\xef\xbb\xbf", b"\n\n\n", b'"', b"id,label,amount\r\n\r\n", b"\xff\xfe"],
)
def test_odd_bytes_never_crash(run, tmp_path, body):
    result = run("validate", _things(tmp_path, body), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["findings"]


ODD_CELLS = [
    "1",
    "+1",
    "-1",
    " 1",
    "1 ",
    "01",
    "1.0",
    "1e5",
    ".5",
    "5.",
    "NaN",
    "inf",
    "-INF",
    "1,000",
    "0x10",
    "１",
    "true",
    "TRUE",
    "yes",
    "0",
    "2025-01-01",
    "2025-1-1",
    "20250101",
    "2025-02-30",
    "2025-12-31T10:00:00Z",
    "2025-12-31T10:00:00+07:00",
    "2025-12-31 10:00:00",
    "2025-12-31T10:00",
    "10:00:00",
    "10:00",
    "24:00:00",
    "2025",
    "0999",
    "12345",
    "2025-12",
    "2025-1",
    "2025-13",
    "P1D",
    "PT",
    "P",
    "PT1.5S",
    "P1W",
]
TYPES = [
    "integer",
    "number",
    "boolean",
    "date",
    "datetime",
    "time",
    "year",
    "yearmonth",
    "duration",
]
# Where we are stricter than frictionless, on purpose: full-width digits, and ISO 8601's 24:00:00.
STRICTER = {("integer", "１"), ("number", "１"), ("time", "24:00:00")}


def test_type_errors_match_frictionless_cell_by_cell(tmp_path):
    import csv
    import io

    import frictionless

    from misti_data.package import load_package
    from misti_data.tables import tables

    body = io.StringIO()
    writer = csv.writer(body, lineterminator="\n")
    writer.writerow(TYPES)
    writer.writerows([cell] * len(TYPES) for cell in ODD_CELLS)
    (tmp_path / "t.csv").write_text(body.getvalue())
    schema = {"fields": [{"name": t, "type": t} for t in TYPES]}
    (tmp_path / "datapackage.json").write_text(
        json.dumps({"name": "x", "resources": [{"name": "t", "path": "t.csv", "schema": schema}]})
    )
    with load_package(tmp_path) as package:
        ours = {
            (f.field, ODD_CELLS[f.row - 2])
            for f in (f for t in tables(package) for f in t.findings)
            if f.code == "type-error"
        }
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    theirs = {
        (f, ODD_CELLS[r - 2])
        for c, r, f in report.flatten(["type", "rowNumber", "fieldName"])
        if c == "type-error"
    }
    assert theirs <= ours
    assert ours - theirs == STRICTER


PIECES = [
    b"1",
    b"x",
    b",",
    b";",
    b'"',
    b"'",
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\xe9",
    b"\xc3\xa9",
    b"\x00",
    b"\x1f",
    b"id,label,amount\n",
]
ODD_JSON = st.sampled_from(
    [
        None,
        1,
        -1,
        0.5,
        "x",
        "",
        "(",
        "[",
        {"a": 1},
        [1, "a"],
        [],
        True,
        "2025-01-01",
        "%Q",
        ";;",
        "é",
    ]
)
FIELD_KEYS = st.sampled_from(
    ["type", "format", "trueValues", "groupChar", "decimalChar", "bareNumber", "categories"]
)
CONSTRAINT_KEYS = st.sampled_from(
    [
        "required",
        "unique",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "minLength",
        "maxLength",
        "pattern",
        "enum",
    ]
)


def _validate_copy(tmp_path_factory, body: bytes | None = None, edit=None):
    """validate_package on a copy of valid-minimal, with its CSV and descriptor changed."""
    from misti_data.errors import CannotRun
    from misti_data.validate import validate_package

    pkg = _package_copy(tmp_path_factory, body, edit)
    try:
        return validate_package(pkg)
    except CannotRun:
        return None


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.lists(st.sampled_from(PIECES), max_size=30).map(b"".join),
    dialect=st.none()
    | st.fixed_dictionaries(
        {
            "delimiter": st.sampled_from([",", ";", "é", "\t", ",,"]),
            "quoteChar": st.sampled_from(['"', "'", "", "é"]),
            "header": st.booleans(),
        }
    ),
    encoding=st.sampled_from([None, "latin-1", "utf-16", "no-such-codec", "utf-8-sig"]),
)
def test_any_bytes_in_any_dialect_give_findings_not_a_crash(
    tmp_path_factory, body, dialect, encoding
):
    def edit(res):
        if dialect:
            res["dialect"] = dialect
        if encoding:
            res["encoding"] = encoding

    assert _validate_copy(tmp_path_factory, body, edit) is not None


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.integers(0, 2),
    options=st.lists(st.tuples(st.booleans(), FIELD_KEYS, CONSTRAINT_KEYS, ODD_JSON), max_size=4),
)
def test_wrong_json_types_in_a_schema_give_findings_not_a_crash(tmp_path_factory, field, options):
    def edit(res):
        target = res["schema"]["fields"][field]
        for constraint, key, ckey, value in options:
            if constraint:
                target.setdefault("constraints", {})[ckey] = value
            else:
                target[key] = value

    assert _validate_copy(tmp_path_factory, edit=edit) is not None
