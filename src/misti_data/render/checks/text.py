"""The check catalogue as the Markdown table in the README (`misti-data checks`)."""

from __future__ import annotations


def render(catalogue: dict[str, tuple[str, str]]) -> str:
    lines = ["| code | severity | meaning |", "|---|---|---|"]
    for code, (severity, meaning) in catalogue.items():
        lines.append(f"| `{code}` | {severity} | {_cell(meaning)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
