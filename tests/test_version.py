"""`misti-data version`: one small package pair per bump rule, and `--check`."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROWS, edit_descriptor, field, write_package


def _schema(d):
    return d["resources"][0]["schema"]


def _constraint(name, key, value):
    def change(d):
        c = field(d, name).setdefault("constraints", {})
        if value is None:
            c.pop(key, None)
        else:
            c[key] = value

    return change


def _add_resource(d):
    d["resources"].append(dict(d["resources"][0], name="copy"))


def _reorder(d):
    f = _schema(d)["fields"]
    f[2], f[3] = f[3], f[2]


def _retype(d):
    field(d, "value")["type"] = "integer"


def _rename_field(d):
    field(d, "note")["name"] = "comment"


def _remove_field(d):
    _schema(d)["fields"] = [f for f in _schema(d)["fields"] if f["name"] != "note"]


def _add_field(d):
    _schema(d)["fields"].append({"name": "flag", "type": "boolean"})


def _enum(values):
    return _constraint("note", "enum", values)


ENUM = ["first", "", "city", "x"]
RULES = [
    # (what changes, descriptor change, rows of NEW, bump, kind of the top reason)
    (
        "resource removed",
        lambda d: d["resources"].append(dict(d["resources"][0], name="gone")),
        None,
        "major",
        "removed",
        "old",
    ),
    (
        "resource renamed",
        lambda d: d["resources"][0].update(name="renamed"),
        None,
        "major",
        "renamed",
        "new",
    ),
    ("field removed", _remove_field, None, "major", "field-removed", "new"),
    ("field renamed", _rename_field, None, "major", "field-renamed", "new"),
    ("fields reordered", _reorder, None, "major", "fields-reordered", "new"),
    ("type changed", _retype, None, "major", "type-changed", "new"),
    (
        "format changed",
        lambda d: field(d, "note").update(format="email"),
        None,
        "major",
        "format-changed",
        "new",
    ),
    (
        "minimum raised",
        _constraint("value", "minimum", 1),
        None,
        "major",
        "constraint-tightened",
        "new",
    ),
    (
        "maximum added",
        _constraint("value", "maximum", 100),
        None,
        "major",
        "constraint-tightened",
        "new",
    ),
    (
        "required added",
        _constraint("note", "required", True),
        None,
        "major",
        "constraint-tightened",
        "new",
    ),
    (
        "key changed",
        lambda d: _schema(d).update(primaryKey=["area", "year", "value"]),
        None,
        "major",
        "key-changed",
        "new",
    ),
    ("rows removed", None, ROWS[:2], "major", "removed", "new"),
    ("resource added", _add_resource, None, "minor", "added", "new"),
    ("field added", _add_field, None, "minor", "field-added", "new"),
    (
        "rows added",
        None,
        ROWS + [{"area": "KH", "year": 2026, "value": 1, "note": ""}],
        "minor",
        "added",
        "new",
    ),
    (
        "minimum lowered",
        _constraint("value", "minimum", None),
        None,
        "minor",
        "constraint-loosened",
        "new",
    ),
    (
        "required dropped",
        _constraint("area", "required", None),
        None,
        "minor",
        "constraint-loosened",
        "new",
    ),
    (
        "foreign key added",
        lambda d: _schema(d).update(
            foreignKeys=[{"fields": "area", "reference": {"resource": "", "fields": "area"}}]
        ),
        None,
        "minor",
        "foreign-keys-changed",
        "new",
    ),
    ("value corrected", None, ROWS[:2] + [dict(ROWS[2], value=4)], "patch", "corrected", "new"),
    ("title changed", lambda d: d.update(title="A better title"), None, "patch", "title", "new"),
    (
        "field described",
        lambda d: field(d, "value").update(description="The figure."),
        None,
        "patch",
        "field-metadata-changed",
        "new",
    ),
]


@pytest.mark.parametrize(
    ("what", "change", "rows", "bump", "words", "side"), RULES, ids=[r[0] for r in RULES]
)
def test_bump_rule(run, tmp_path, what, change, rows, bump, words, side):
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new", rows)
    if change:
        edit_descriptor(new if side == "new" else old, change)
    result = run("version", old, new, "--format", "json")
    advice = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    assert advice["bump"] == bump, advice["reasons"]
    assert words in advice["reasons"][0]["change"], advice["reasons"]
    assert (
        advice["required_version"] == {"major": "2.0.0", "minor": "1.1.0", "patch": "1.0.1"}[bump]
    )
    if what in ("resource removed", "resource added"):  # JSON names the resource a reason is about
        assert (
            advice["reasons"][0]["resource"]
            == {"resource removed": "gone", "resource added": "copy"}[what]
        )


def test_enum_values_removed_tighten_and_added_loosen(run, tmp_path):
    base = write_package(tmp_path / "base")
    edit_descriptor(base, _enum(ENUM))
    fewer = shutil.copytree(base, tmp_path / "fewer")
    edit_descriptor(fewer, _enum(ENUM[:3]))
    more = shutil.copytree(base, tmp_path / "more")
    edit_descriptor(more, _enum(ENUM + ["y"]))
    assert json.loads(run("version", base, fewer, "--format", "json").stdout)["bump"] == "major"
    assert json.loads(run("version", base, more, "--format", "json").stdout)["bump"] == "minor"
    assert (
        "constraint-tightened note (enum: values removed ['x'])"
        in run("version", base, fewer).stdout
    )


# A constraint that stays but moves: which way decides the bump (the base declares minimum 0).
MOVES = [
    # (field, constraint, old value, new value, bump, kind)
    ("value", "minimum", None, -5, "minor", "constraint-loosened"),
    ("value", "maximum", 100, 200, "minor", "constraint-loosened"),
    ("value", "maximum", 100, 50, "major", "constraint-tightened"),
    ("note", "maxLength", 10, 5, "major", "constraint-tightened"),
    ("note", "minLength", 2, 1, "minor", "constraint-loosened"),
    (
        "note",
        "pattern",
        "^.*$",
        "^[a-z]*$",
        "major",
        "constraint-tightened",
    ),  # a new pattern may reject values
    ("note", "required", False, True, "major", "constraint-tightened"),
    ("note", "required", True, False, "minor", "constraint-loosened"),
]


@pytest.mark.parametrize(
    ("name", "key", "before", "after", "bump", "kind"),
    MOVES,
    ids=[f"{m[1]} {m[2]!r} to {m[3]!r}" for m in MOVES],
)
def test_a_moved_constraint_tightens_or_loosens(
    run, tmp_path, name, key, before, after, bump, kind
):
    old = write_package(tmp_path / "old")
    if before is not None:
        edit_descriptor(old, _constraint(name, key, before))
    new = shutil.copytree(old, tmp_path / "new")
    edit_descriptor(new, _constraint(name, key, after))
    advice = json.loads(run("version", old, new, "--format", "json").stdout)
    assert advice["bump"] == bump, advice["reasons"]
    words = f"figures: {kind} {name} ({key}: {before if before is not None else 0!r} → {after!r})"
    assert advice["reasons"] == [{"bump": bump, "resource": "figures", "change": words}]


def test_an_explicit_required_false_tightens_nothing(run, tmp_path):
    old = write_package(tmp_path / "old")
    new = shutil.copytree(old, tmp_path / "new")
    edit_descriptor(new, _constraint("note", "required", False))
    advice = json.loads(run("version", old, new, "--format", "json").stdout)
    assert (advice["bump"], advice["reasons"]) == (None, []), (
        "required: false is the default: no change"
    )


def test_enum_values_swapped_say_both(run, tmp_path):
    base = write_package(tmp_path / "base")
    edit_descriptor(base, _enum(ENUM))
    swapped = shutil.copytree(base, tmp_path / "swapped")
    edit_descriptor(swapped, _enum(ENUM[:3] + ["y"]))
    more = shutil.copytree(base, tmp_path / "more")
    edit_descriptor(more, _enum(ENUM + ["y"]))
    assert run("version", base, swapped).stdout.splitlines()[1] == (
        "  MAJOR  figures: constraint-tightened note (enum: values removed ['x']; values added ['y'])"
    )
    assert run("version", base, more).stdout.splitlines()[1] == (
        "  MINOR  figures: constraint-loosened note (enum: values added ['y'])"
    )
    reordered = shutil.copytree(base, tmp_path / "reordered")
    edit_descriptor(reordered, _enum(ENUM[::-1]))
    assert (
        "constraint-loosened note (enum: values reordered)"
        in run("version", base, reordered).stdout
    )


def test_a_renamed_resource_whose_values_changed_is_still_renamed(run, tmp_path):
    """Same path, new name and a corrected value: one resource renamed, not one removed and one added."""
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new", ROWS[:2] + [dict(ROWS[2], value=4)])
    edit_descriptor(new, lambda d: d["resources"][0].update(name="renamed"))
    advice = json.loads(run("version", old, new, "--format", "json").stdout)
    assert [r["change"] for r in advice["reasons"]] == [
        "resource figures renamed to renamed",
        "renamed: values of 1 row corrected",
    ]


@pytest.mark.parametrize(
    ("rows", "bump", "required"),
    [
        (ROWS + [{"area": "KH", "year": 2026, "value": 1, "note": ""}], "minor", "0.1.0"),
        (ROWS[:2], "major", "1.0.0"),
        (ROWS[:2] + [dict(ROWS[2], value=4)], "patch", "0.0.1"),
    ],
)
def test_a_base_without_a_version_counts_as_0_0_0(run, tmp_path, rows, bump, required):
    old = write_package(tmp_path / "old")
    edit_descriptor(old, lambda d: d.pop("version"))
    new = write_package(tmp_path / "new", rows)
    advice = json.loads(run("version", old, new, "--format", "json").stdout)
    assert (advice["base_version"], advice["bump"], advice["required_version"]) == (
        None,
        bump,
        required,
    )


@pytest.mark.parametrize(("resources", "more"), [(1, ""), (2, " (and 1 more problem)")])
def test_unreadable_rows_withhold_the_advice_and_count_the_problems(run, tmp_path, resources, more):
    """Every resource reading the missing file is a problem; the advice names the first and counts the rest."""
    for folder in ("old", "new"):
        write_package(tmp_path / folder)
        if resources == 2:
            edit_descriptor(tmp_path / folder, _add_resource)
    (tmp_path / "new" / "data" / "figures.csv").unlink()
    result = run("version", tmp_path / "old", tmp_path / "new")
    assert result.exit_code == 1
    assert result.stdout == (
        f"no version advice: cannot compare figures: {tmp_path / 'new'}: resource 'figures' cannot be read: "
        f"data/figures.csv does not exist{more}; fix the file first, as rows that could not be read are not rows removed\n"
    )


def test_no_change_and_moved_file_need_no_bump(run, tmp_path):
    old = write_package(tmp_path / "old")
    new = write_package(tmp_path / "new", resource="figures")
    (new / "data" / "figures.csv").rename(new / "figures.csv")
    edit_descriptor(new, lambda d: d["resources"][0].update(path="figures.csv"))
    result = run("version", old, new)
    assert result.exit_code == 0
    assert result.stdout == "no version bump needed (from 1.0.0)\n"


def test_text_output_lists_each_change_with_its_bump(run, tmp_path):
    old = write_package(tmp_path / "old")
    new = write_package(
        tmp_path / "new", ROWS[1:] + [{"area": "KH", "year": 2026, "value": 1, "note": ""}]
    )
    assert run("version", old, new).stdout == (
        "MAJOR bump: 1.0.0 → 2.0.0 (2 changes)\n"
        "  MAJOR  figures: 1 row removed\n"
        "  MINOR  figures: 1 row added\n"
    )


@pytest.mark.parametrize(
    ("declared", "exit_code", "message"),
    [
        ("1.0.0", 1, "datapackage.json says 1.0.0; figures: 1 row added (MINOR): use 1.1.0"),
        ("1.0.1", 1, "datapackage.json says 1.0.1; figures: 1 row added (MINOR): use 1.1.0"),
        ("1.1.0", 0, "ok: version 1.1.0 follows from the changes"),
        ("2.0.0", 0, "ok: version 2.0.0 follows from the changes"),
        (
            "one",
            1,
            "no version advice: datapackage.json's version 'one' is not MAJOR.MINOR.PATCH; set a semantic version such as 1.0.0",
        ),
    ],
)
def test_check(run, tmp_path, monkeypatch, declared, exit_code, message):
    base = write_package(tmp_path / "base")
    write_package(
        tmp_path / "work",
        ROWS + [{"area": "KH", "year": 2026, "value": 1, "note": ""}],
        version=declared,
    )
    monkeypatch.chdir(tmp_path / "work")
    result = run("version", "--check", base)
    assert result.exit_code == exit_code, result.output
    assert result.stdout.splitlines()[-1] == message


def test_check_without_changes_accepts_the_same_version(run, tmp_path):
    base = write_package(tmp_path / "base")
    work = write_package(tmp_path / "work")
    result = run("version", "--check", base, work)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "ok: version 1.0.0 follows from the changes"


@pytest.mark.parametrize(("declared", "ok"), [("1.0.1", False), ("1.1.0", True)])
def test_check_in_json_says_what_was_declared_and_whether_it_holds(run, tmp_path, declared, ok):
    base = write_package(tmp_path / "base")
    work = write_package(
        tmp_path / "work",
        ROWS + [{"area": "KH", "year": 2026, "value": 1, "note": ""}],
        version=declared,
    )
    advice = json.loads(run("version", "--check", base, work, "--format", "json").stdout)
    assert {
        k: advice[k]
        for k in (
            "base_version",
            "declared_version",
            "required_version",
            "checked",
            "ok",
            "withheld",
            "findings",
        )
    } == {
        "base_version": "1.0.0",
        "declared_version": declared,
        "required_version": "1.1.0",
        "checked": True,
        "ok": ok,
        "withheld": None,
        "findings": [],
    }
    assert advice["errors"] == (
        [] if ok else [f"datapackage.json says {declared}; figures: 1 row added (MINOR): use 1.1.0"]
    )


def test_check_on_invalid_data_names_what_to_fix_first(run, tmp_path):
    """A type error, and a formula cell that only --strict fails: both counted, their codes listed."""
    base = write_package(tmp_path / "base")
    work = write_package(
        tmp_path / "work",
        ROWS + [{"area": "KH", "year": 2026, "value": "abc", "note": "=1+1"}],
        version="1.1.0",
    )
    assert (
        run("version", "--check", base, work).stdout
        == "no version advice: fix 1 validation error first (type-error)\n"
    )
    strict = run("version", "--check", base, work, "--strict")
    assert strict.exit_code == 1
    assert strict.stdout == (
        "no version advice: fix 1 validation error and 1 validation warning (--strict) first "
        "(formula-cell, type-error)\n"
    )


@pytest.mark.parametrize(
    ("options", "exit_code", "last_line"),
    [
        (
            (),
            0,
            "ok: version 1.0.1 follows from the changes",
        ),  # key inferred: area, year; a value corrected
        (
            ("--key", "figures:area,year,value"),
            1,
            "datapackage.json says 1.0.1; figures: 1 row removed (key given: area, year, value) (MAJOR): use 2.0.0",
        ),
        (
            ("--profile", "misti-data"),
            1,
            "no version advice: fix 1 validation error first (sources-missing)",
        ),
    ],
)
def test_check_honours_key_and_profile(run, tmp_path, options, exit_code, last_line):
    base = write_package(tmp_path / "base", key=None)
    work = write_package(
        tmp_path / "work", ROWS[:2] + [dict(ROWS[2], value=4)], key=None, version="1.0.1"
    )
    edit_descriptor(
        work, lambda d: d.pop("sources")
    )  # a SHOULD: an error only under the misti-data profile
    result = run("version", "--check", base, work, *options)
    assert result.exit_code == exit_code, result.output
    assert result.stdout.splitlines()[-1] == last_line


@pytest.mark.parametrize(("removed", "rest"), [(3, ""), (4, " and 1 more")])
def test_check_names_three_reasons_and_counts_the_rest(run, tmp_path, removed, rest):
    base = write_package(tmp_path / "base")
    edit_descriptor(
        base,
        lambda d: d["resources"].extend(
            dict(d["resources"][0], name=f"copy{i}") for i in range(1, removed + 1)
        ),
    )
    work = write_package(tmp_path / "work", version="1.0.1")
    result = run("version", "--check", base, work)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        "datapackage.json says 1.0.1; resource copy1 removed; resource copy2 removed; "
        f"resource copy3 removed{rest} (MAJOR): use 2.0.0"
    )


def test_check_finds_a_base_named_from_the_package_folder_when_given_its_descriptor(
    run, tmp_path, monkeypatch
):
    work = write_package(
        tmp_path / "work",
        ROWS + [{"area": "KH", "year": 2026, "value": 1, "note": ""}],
        version="1.1.0",
    )
    write_package(work / "previous")
    monkeypatch.chdir(tmp_path)
    result = run("version", "--check", "previous", "work/datapackage.json")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "ok: version 1.1.0 follows from the changes"


def test_usage(run, tmp_path):
    assert run("version", tmp_path).exit_code == 2
    assert run("version", "--check", "a", "b", "c").exit_code == 2
