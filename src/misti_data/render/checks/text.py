"""The check catalogue as the Markdown table in docs/cli.md (`misti-data checks`)."""

from __future__ import annotations

from misti_data.registry import catalogue


def render(result=None) -> str:
    """The table of every code (`result`, a registry.Catalogue, holds nothing more)."""
    lines = ["| code | severity | meaning |", "|---|---|---|"]
    for code, (severity, meaning) in catalogue().items():
        lines.append(f"| `{code}` | {severity} | {_cell(meaning)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
