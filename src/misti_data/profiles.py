"""Profiles: named sets of conventions stricter than the Data Package standard.

Without a profile a package is judged as the standard judges it: what the Data Package, Table
Schema and Table Dialect specs say MUST is an error, what they say SHOULD is a warning. A package
opts into a profile in its descriptor (`"misti_data": {"profile": "misti-data"}`), or the user asks
for one (`validate --profile NAME`); a profile then raises the severity of the codes it names
(see `registry.register`). This module stays import-light: the CLI reads the names for `--profile`.
"""

from __future__ import annotations

MISTI_DATA = "misti-data"

PROFILES = {
    MISTI_DATA: "a name, a semantic version, licenses and sources are required",
}
