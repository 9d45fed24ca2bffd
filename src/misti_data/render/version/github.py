"""The version advice as GitHub workflow commands: each unexplained revision on its row, each
version error on datapackage.json, then the verdict line."""

from __future__ import annotations

import posixpath

from misti_data.render.common import DESCRIPTOR_FILE, once
from misti_data.render.validate import github
from misti_data.render.version.text import verdict
from misti_data.version import VersionAdvice


def render(advice: VersionAdvice) -> str:
    base = github.package_folder(advice.package)
    lines = once(github.annotation(f, base) for f in advice.findings) + errors(advice, base)
    lines.append(verdict(advice))
    return "\n".join(lines) + "\n"


def errors(advice: VersionAdvice, base: str | None) -> list[str]:
    """An ::error on datapackage.json for each version error."""
    descriptor = posixpath.join(base, DESCRIPTOR_FILE) if base else DESCRIPTOR_FILE
    return [
        f"::error file={github.escape_property(descriptor)},title=version::{github.escape_data(e)}"
        for e in advice.errors
    ]
