"""The version advice as Markdown for a pull request: the verdict, then the bump and each change."""

from __future__ import annotations

from misti_data.render.ci.markdown import version_lines
from misti_data.render.version.text import verdict
from misti_data.version import VersionAdvice


def render(advice: VersionAdvice) -> str:
    mark = "✅" if advice.ok else "❌"
    return (
        "\n".join([f"### {mark} misti-data {verdict(advice)}", "", *version_lines(advice)]) + "\n"
    )
