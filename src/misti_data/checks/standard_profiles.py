"""Whether frictionless's descriptor check can be skipped: it would find nothing.

Importing frictionless costs 0.2 to 0.4 s, most of a small package's validate (issue 25). Its
descriptor check is its JSON profiles (copied, with frictionless's version, into
`standard_profiles.json`: MIT, see tests/test_standard_profiles.py, which rebuilds them) plus
Python rules. `surely_valid` runs those profiles with jsonschema and the rules on the descriptors
it fully understands: when it says yes, frictionless would report nothing. Anything else (an
error, a `$schema`, a dialect, a custom profile, a key it does not know) goes to frictionless,
which words the findings: one behaviour, never a second opinion.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from functools import cache
from importlib import resources as package_data
from urllib.parse import urlparse

# Resource properties whose meaning surely_valid knows; any other sends the descriptor to
# frictionless (its transforms read `url`, `layout`, `stats`, `hashing`, `type`, `profiles`...).
_RESOURCE_KEYS = {
    "name",
    "title",
    "description",
    "homepage",
    "path",
    "data",
    "format",
    "mediatype",
    "encoding",
    "bytes",
    "hash",
    "schema",
    "licenses",
    "sources",
}
_SCHEMA_KEYS = {"fields", "primaryKey", "foreignKeys", "missingValues", "title", "description"}
_FIELD_KEYS = {"name", "type", "format", "title", "description", "constraints", "rdfType"}
# Package properties frictionless transforms or reads by its own rules (beyond the profile).
_PACKAGE_RULED = {"$frictionless", "profiles", "$schema", "type", "missingValues", "fields"}
_HASH = re.compile(r"(md5|sha256):[0-9a-fA-F]+|[0-9a-fA-F]{32}")
# What frictionless's default datetime reader surely accepts (`created`).
_CREATED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?")


@cache
def _profiles() -> dict:
    text = package_data.files("misti_data.checks").joinpath("standard_profiles.json").read_text()
    return json.loads(text)


@cache
def _validator(*where: str):
    from jsonschema import Draft202012Validator

    profile = _profiles()
    for key in where:
        profile = profile[key]
    return Draft202012Validator(profile)


def surely_valid(descriptor: dict) -> bool:
    """True when frictionless's Package.validate_descriptor surely reports no error for this
    descriptor (schemas inlined); False means: ask frictionless."""
    try:
        return _package(descriptor)
    except (TypeError, AttributeError, KeyError):  # a shape the rules did not expect: ask
        return False


def _valid(value, *where: str) -> bool:
    return _validator(*where).is_valid(value)


def _package(d: dict) -> bool:
    if _PACKAGE_RULED & d.keys() or d.get("profile", "data-package") != "data-package":
        return False
    if not _valid(d, "package") or not _named(d.get("name"), optional=True):
        return False
    if d.get("created") and not _created(d["created"]):
        return False
    resources = d["resources"]
    names = [r.get("name") for r in resources]
    return (
        _credited(d, "contributors", "sources")
        and len(names) == len(set(names))
        and all(_resource(r) for r in resources)
    )


def _created(text: str) -> bool:
    """Whether frictionless's datetime reader surely reads `created` (it uses dateutil's isoparse)."""
    try:
        return bool(_CREATED.fullmatch(text)) and datetime.fromisoformat(text) is not None
    except ValueError:
        return False


def _named(name, optional: bool = False) -> bool:
    """Whether the name passes Data Package v1's pattern (no `$schema`: v1 rules)."""
    if name is None:
        return optional
    return re.search(_profiles()["name_pattern"], name) is not None


def _credited(d: dict, *people: str) -> bool:
    """Every licence names itself; no e-mail address (frictionless checks their format)."""
    return all(item.get("path") or item.get("name") for item in d.get("licenses", [])) and not any(
        item.get("email") for key in people for item in d.get(key, [])
    )


def _safe(path: str) -> bool:
    """frictionless's own safe-path test (helpers.is_safe_path), remote paths left to it."""
    return not (
        os.path.isabs(path)
        or f"..{os.path.sep}" in path
        or path.startswith("~")
        or os.path.expandvars(path) != path
        or re.match(r"%.+%", path)
        or re.match(r"\$.+", path)
        or urlparse(path).scheme
    )


def _resource(r: dict) -> bool:
    if not r.keys() <= _RESOURCE_KEYS or not _valid(r, "resource") or not _named(r["name"]):
        return False
    path, data, schema = r.get("path"), r.get("data"), r.get("schema")
    if (path is None) == (data is None) or (path is not None and not _safe(path)):
        return False
    if "hash" in r and not _HASH.fullmatch(r["hash"]):
        return False
    return _credited(r, "sources") and (schema is None or _schema(schema))


def _listed(s: dict) -> dict:
    """The schema as frictionless transforms it before its profile: a key named by a string is
    a list of one (Table Schema v1 allows both)."""
    one = lambda v: v if isinstance(v, list) else [v]
    s = dict(s)
    if s.get("primaryKey"):
        s["primaryKey"] = one(s["primaryKey"])
    if s.get("foreignKeys"):
        keys = []
        for fk in s["foreignKeys"]:
            if isinstance(fk, dict):
                ref = {"resource": "", "fields": [], **fk.get("reference", {})}
                fk = {**fk, "fields": one(fk.get("fields", [])), "reference": ref}
                ref["fields"] = one(ref["fields"])
            keys.append(fk)
        s["foreignKeys"] = keys
    return s


def _schema(s: dict) -> bool:
    s = _listed(s)
    if not s.keys() <= _SCHEMA_KEYS or not _valid(s, "schema"):
        return False
    if not all(isinstance(m, str) for m in s.get("missingValues", [])):
        return False
    fields = s["fields"]
    if not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        return False
    # Fields that differ only by name pass or fail together: each kind is checked once (50,000 fields).
    kinds = {json.dumps({**f, "name": ""}, sort_keys=True): f for f in fields}
    if not all(_field(f) for f in kinds.values()):
        return False
    names = [f["name"] for f in fields]
    if len(names) != len(set(names)) or not set(s.get("primaryKey", [])) <= set(names):
        return False
    for fk in s.get("foreignKeys", []):
        ref = fk["reference"]
        if not set(fk["fields"]) <= set(names) or len(fk["fields"]) != len(ref["fields"]):
            return False
    return True


def _field(f: dict) -> bool:
    kind = f.get("type") or "string"  # frictionless's default type for a v1 field
    if kind not in _profiles()["fields"] or not f.keys() <= _FIELD_KEYS:
        return False
    if not _valid(f, "fields", kind, "profile") or f.get("format", "").startswith("fmt:"):
        return False
    # Exclusive bounds are Table Schema v2's, an error under v1 (no `$schema`).
    return set(f.get("constraints", {})) <= set(_profiles()["fields"][kind]["constraints"]) - {
        "exclusiveMinimum",
        "exclusiveMaximum",
    }
