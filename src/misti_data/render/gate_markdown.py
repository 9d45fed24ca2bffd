"""The gate's Markdown report (a job summary or PR comment): verdict, version, validation, diff."""

from __future__ import annotations

from misti_data.gate import GateResult
from misti_data.render import diff_markdown, markdown


def render(result: GateResult) -> str:
    mark = "✅ passed" if result.ok else "❌ failed"
    advice = result.advice
    lines = [f"## misti-data data gate: {mark}", "", "### Version", ""]
    if advice.bump:
        lines.append(f"This change needs a **{advice.bump.upper()}** bump: {advice.base_version} → "
                     f"**{advice.required_version}**; datapackage.json says {advice.declared_version}.")
    else:
        lines.append(f"No data change against the base ({advice.base_version}): no new version needed.")
    items = [f"- {r.bump.upper()}: {r.change}" for r in advice.reasons]
    items += [f"- ❌ `{f.code}`: {f.message}" for f in advice.findings]
    items += [f"- ❌ {e}" for e in advice.errors]
    lines += ([""] + items if items else [])
    lines += ["", markdown.render(result.report).replace("### ", "#### ", 1).rstrip(), ""]
    lines.append(diff_markdown.render(result.diff).replace("## ", "### ", 1).rstrip())
    return "\n".join(lines) + "\n"
