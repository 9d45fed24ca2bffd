"""What release wrote and the git commands that commit and tag it; a refusal on stderr."""

from __future__ import annotations

from misti_data.render.written import refusal


def render(result) -> tuple[str, str]:
    if result.refused and result.why:
        return "", f"{result.package}: not released: {result.why}\n"
    if result.refused:
        return "", refusal(result.package, "not released", result.report)
    lines = [
        f"released {result.name} {result.version}: {result.archive}",
        f"sha256 {result.sha256} (appended to releases/SHA256SUMS)",
    ]
    if result.stamped:
        lines.append(f"stamped hash and bytes of: {', '.join(result.stamped)}")
    lines += [
        f"CHANGELOG.md:\n\n{result.changelog}",
        f"now commit and tag it:\n  {result.tag_command}",
    ]
    return "\n".join(lines) + "\n", ""
