"""Descriptor checks: what frictionless's profile says, plus what it leaves unchecked.

Severities follow the Data Package spec (v1 and v2): `resources` MUST be there, so its absence is
an error; `name` and `licenses` SHOULD be, and a `version` SHOULD be semantic, so those are
warnings; `sources` and `version` themselves are optional. Our own package requires all of them
through the `misti-data` profile it opts into.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter

from misti_data import semver
from misti_data.checks.standard_profiles import surely_valid
from misti_data.errors import CannotRun
from misti_data.findings import Finding
from misti_data.package import Package
from misti_data.profiles import PROFILES
from misti_data.registry import check, finding
from misti_data.tables.read import is_inline_csv
from misti_data.tables.types import option_problems


@check("descriptor")
def check_descriptor(context) -> list[Finding]:
    package = context.package
    d = package.descriptor
    found: list[Finding] = []
    if d.get("resources") in (None, []):
        found.append(
            finding(
                "package-error",
                "the package has no resources; a Data Package must list at least one",
                field="resources",
            )
        )
    version = d.get("version")
    if version is None:
        found.append(finding("version-missing", "the package has no version", field="version"))
    elif semver.parse(version) is None:
        found.append(
            finding(
                "version-not-semver",
                f"version {version!r} is not MAJOR.MINOR.PATCH",
                field="version",
            )
        )
    for key in ("name", "licenses"):
        if not d.get(key):
            found.append(finding("metadata-missing", f"the package has no {key!r}", field=key))
    if not d.get("sources"):
        found.append(finding("sources-missing", "the package has no 'sources'", field="sources"))
    for name in context.settings.profiles:
        if not isinstance(name, str) or name not in PROFILES:
            known = ", ".join(PROFILES)
            found.append(
                finding(
                    "profile-error",
                    f"misti_data.profile names {name!r}, which is not a profile (known: {known})",
                    field="misti_data",
                )
            )
    names = Counter(r.get("name") for r in package.resources if r.get("name"))
    for name, n in names.items():
        if n > 1:
            found.append(
                finding("duplicate-resource", f"{n} resources are named {name!r}", resource=name)
            )
    found += _profile_findings(package)
    found += _field_option_findings(package)
    return found


def _field_option_findings(package: Package) -> list[Finding]:
    """field-error for what frictionless 5's profile does not check: Table Schema v2 options of
    the wrong type (`categoriesOrdered: "yes"`), a pattern that is no regular expression."""
    found = []
    for res in package.resources:
        try:
            fields = package.schema(res).get("fields")
        except CannotRun:
            continue  # said by _profile_findings
        for f in fields if isinstance(fields, list) else []:
            name = f.get("name") if isinstance(f, dict) else None
            found += [
                finding(
                    "field-error",
                    problem,
                    resource=res.get("name"),
                    field=name if isinstance(name, str) else None,
                )
                for problem in (option_problems(f) if isinstance(f, dict) else [])
            ]
    return found


def _profile_findings(package: Package) -> list[Finding]:
    """Validate against the Data Package / Table Schema profiles, with schemas read safely;
    frictionless is imported only when standard_profiles cannot vouch for the descriptor."""
    descriptor, found = profiled_descriptor(package)
    return found if surely_valid(descriptor) else found + _frictionless_findings(descriptor)


def profiled_descriptor(package: Package) -> tuple[dict, list[Finding]]:
    """The descriptor as the profiles judge it (schemas read in), and the schemas that cannot be read."""
    descriptor = dict(package.descriptor)
    resources = []
    found = []
    for res in package.resources:
        res = dict(res)
        if is_inline_csv(res):
            res[
                "data"
            ] = []  # CSV text, which Data Resource v1 allows and the reader reads; frictionless 5's profile wants rows
        if isinstance(res.get("schema"), str):
            try:
                res["schema"] = package.schema(res)
            except CannotRun as e:
                found.append(
                    finding("schema-error", str(e), resource=res.get("name"), path=res["schema"])
                )
                res.pop("schema")
        resources.append(res)
    descriptor["resources"] = resources
    return descriptor, found


def _frictionless_findings(descriptor: dict) -> list[Finding]:
    from frictionless import Package as FPackage

    found = []
    try:
        with (
            warnings.catch_warnings()
        ):  # its Python warnings (a v4 `layout` is deprecated) are not findings
            warnings.simplefilter("ignore")
            fewer = _one_field_per_kind(descriptor)
            report = FPackage.validate_descriptor(fewer) if fewer is not None else None
            if report is None or not report.valid:
                report = FPackage.validate_descriptor(descriptor)
    except (
        TypeError,
        AttributeError,
        ValueError,
    ) as e:  # frictionless trips on some wrong JSON types
        return [
            finding("package-error", f"the descriptor cannot be checked against its profile: {e}")
        ]
    for err in report.flatten(["type", "note"]):
        code, note = err
        if _COVERED.search(note) or _SPEC_ALLOWS.search(note):
            continue
        found.append(finding(code if code in _KNOWN else "package-error", note))
    return found


# Above this many fields in a schema, frictionless checks one field of each definition first.
_MANY_FIELDS = 256


def _one_field_per_kind(descriptor: dict) -> dict | None:
    """The descriptor with each wide schema's fields cut to one of each definition (and those its
    keys name), or None when no schema is wide. frictionless checks each field in Python (30 s
    for 50,000); fields that differ only by name pass or fail together, so when the cut
    descriptor is valid the whole one is; otherwise the whole one is checked, for the notes."""
    cut = False
    resources = []
    for res in descriptor.get("resources") or []:
        schema = res.get("schema") if isinstance(res, dict) else None
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if (
            not isinstance(fields, list)
            or len(fields) <= _MANY_FIELDS
            or not all(isinstance(f, dict) for f in fields)
        ):
            resources.append(res)
            continue
        names = [f.get("name") for f in fields]
        if len(set(map(repr, names))) != len(names):
            return None  # repeated names: frictionless says so, for the whole list
        keyed = set(_key_names(schema))
        kept, kinds = [], set()
        for f in fields:
            kind = json.dumps(
                {k: v for k, v in f.items() if k != "name"}, sort_keys=True, default=str
            )
            if f.get("name") in keyed or kind not in kinds:
                kept.append(f)
                kinds.add(kind)
        resources.append({**res, "schema": {**schema, "fields": kept}})
        cut = True
    return {**descriptor, "resources": resources} if cut else None


def _key_names(schema: dict):
    for key in ("primaryKey", "uniqueKeys", "foreignKeys"):
        value = schema.get(key)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict):
                item = item.get("fields")
            for name in item if isinstance(item, list) else [item]:
                if isinstance(name, str):
                    yield name


# Profile notes our own checks already report with a precise code (duplicate-resource, outside-path).
_COVERED = re.compile(r"^names of the resources are not unique$|^path \".*\" is not safe$")
# Profile notes of frictionless 5 against what Table Schema v2 allows: `jsonSchema` on object and
# array fields, bounds on durations (tables/ checks the first; the second is an unsupported-feature).
_SPEC_ALLOWS = re.compile(
    r'^constraint "jsonSchema" is not supported by type "(object|array)"$'
    r'|^constraint "(minimum|maximum|exclusiveMinimum|exclusiveMaximum)" is not supported by type "duration"$'
)
_KNOWN = {"package-error", "resource-error", "schema-error", "field-error"}
