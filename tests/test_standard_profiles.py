"""The descriptor check without frictionless: its profiles, copied, give the verdict frictionless gives.

`misti_data/checks/standard_profiles.json` is frictionless's own JSON profiles (MIT), rebuilt here
from its classes; `--update-golden` rewrites it after a frictionless upgrade (review the diff).
Whenever `surely_valid` vouches for a descriptor, frictionless must find it valid: checked on
every package of the test suite and the conformance cases.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import copy_shipped
from misti_data.checks.descriptor import profiled_descriptor
from misti_data.checks.standard_profiles import surely_valid
from misti_data.package import load_package

HERE = Path(__file__).resolve().parent
PROFILES = HERE.parent / "src" / "misti_data" / "checks" / "standard_profiles.json"


def frictionless_profiles() -> dict:
    """The profiles frictionless validates a package, resource, schema and field by."""
    import frictionless
    from frictionless import Package, Resource, Schema, fields, settings, system

    types = sorted(
        {vars(c).get("type") for c in vars(fields).values() if isinstance(c, type)} - {None}
    )
    assert system.select_resource_class(None) is Resource
    return {
        "frictionless": frictionless.__version__,
        "name_pattern": settings.NAME_PATTERN,
        "package": Package.metadata_ensure_profile(),
        "resource": Resource.metadata_ensure_profile(),
        "schema": Schema.metadata_ensure_profile(),
        "fields": {
            t: {
                "profile": system.select_field_class(t).metadata_ensure_profile(),
                "constraints": [*system.select_field_class(t).supported_constraints, "unique"],
            }
            for t in types
        },
    }


def test_the_copied_profiles_are_frictionless_s(request):
    text = json.dumps(frictionless_profiles(), indent=1, sort_keys=True) + "\n"
    if request.config.getoption("--update-golden"):
        PROFILES.write_text(text, encoding="utf-8")
    assert PROFILES.read_text(encoding="utf-8") == text, "rerun with --update-golden and review"


def corpus() -> list[Path]:
    shared = HERE.parent.parent / "shared" / "conformance" / "cases"
    cases = HERE / "conformance" / "cases"
    folders = [HERE / "packages", cases if cases.is_dir() else shared, HERE.parent]
    return sorted(p for f in folders if f.is_dir() for p in f.rglob("datapackage.json"))


def test_what_it_vouches_for_frictionless_finds_valid():
    from frictionless import Package as FPackage

    vouched = 0
    for path in corpus():
        try:
            package = load_package(path.parent)
        except Exception:  # noqa: BLE001  (a package that cannot be loaded is not checked at all)
            continue
        descriptor, _ = profiled_descriptor(package)
        if surely_valid(descriptor):
            vouched += 1
            report = FPackage.validate_descriptor(descriptor)
            assert report.valid, (path, report.flatten(["type", "note"]))
    assert vouched >= 20  # the fast path is taken on ordinary packages, not only on ours


def test_the_shipped_package_validates_without_importing_frictionless(tmp_path):
    pkg = copy_shipped(tmp_path)
    code = (  # the command exits: what was imported is printed at exit
        "import atexit, sys; from misti_data.cli import cli;"
        "atexit.register(lambda: print('frictionless' in sys.modules));"
        f"cli(['validate', {str(pkg)!r}])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.update(created="2026-13-01T00:00:00Z"),
        lambda d: d["resources"][0].update(name="Observations"),
        lambda d: d["resources"][0].update(path="../outside.csv"),
        lambda d: d["resources"][0]["schema"]["fields"][0].update(type="bogus"),
        lambda d: d["resources"][0]["schema"].update(primaryKey=["nothing"]),
        lambda d: d["resources"][0]["schema"]["fields"][0].update(
            constraints={"exclusiveMinimum": 1}
        ),
        lambda d: d["contributors"].append({"title": "x", "email": "not an address"}),
    ],
)
def test_what_frictionless_faults_it_does_not_vouch_for(tmp_path, edit):
    from frictionless import Package as FPackage

    descriptor, _ = profiled_descriptor(load_package(copy_shipped(tmp_path)))
    assert surely_valid(descriptor)
    edit(descriptor)
    assert not FPackage.validate_descriptor(descriptor).valid
    assert not surely_valid(descriptor)


_KEYS = [
    "name", "title", "type", "format", "profile", "$schema", "created", "path", "data", "hash",
    "bytes", "encoding", "licenses", "sources", "contributors", "constraints", "primaryKey",
    "foreignKeys", "missingValues", "fields", "dialect", "example", "rdfType", "homepage",
]  # fmt: skip
_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from(["", "x", "Big Name", "a.csv", "../a.csv", "2026-01-01T00:00:00Z", "integer"])
    | st.sampled_from(["data-package", "tabular-data-resource", "fmt:%Y", "sha256:ab", "e@x"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(_KEYS + ["email", "minimum", "enum"]), inner, max_size=3)
    ),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def shipped_descriptor(tmp_path_factory) -> dict:
    return profiled_descriptor(load_package(copy_shipped(tmp_path_factory.mktemp("shipped"))))[0]


@settings(max_examples=300, deadline=None)
@given(where=st.integers(0, 2), index=st.integers(0, 50), key=st.sampled_from(_KEYS), value=_VALUES)
def test_an_edited_descriptor_it_vouches_for_frictionless_finds_valid(
    shipped_descriptor, where, index, key, value
):
    from frictionless import Package as FPackage

    descriptor = copy.deepcopy(shipped_descriptor)
    resource = descriptor["resources"][index % len(descriptor["resources"])]
    fields = resource["schema"]["fields"]
    (descriptor, resource, fields[index % len(fields)])[where][key] = value
    if surely_valid(descriptor):
        report = FPackage.validate_descriptor(descriptor)
        assert report.valid, report.flatten(["type", "note"])
