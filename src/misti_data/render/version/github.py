"""The version advice as GitHub workflow commands: each unexplained revision on its row, each
version error on datapackage.json, then the verdict line."""

from __future__ import annotations

from misti_data.render.ci.github import version_errors
from misti_data.render.common import once
from misti_data.render.validate import github
from misti_data.render.version.text import verdict
from misti_data.version import VersionAdvice


def render(advice: VersionAdvice) -> str:
    base = github.package_folder(advice.package)
    lines = once(github.annotation(f, base) for f in advice.findings) + version_errors(advice, base)
    lines.append(verdict(advice))
    return "\n".join(lines) + "\n"
