"""The version advice as Markdown for a pull request: the verdict, then the bump and each change."""

from __future__ import annotations

from misti_data.render.version.text import verdict
from misti_data.version import VersionAdvice
from misti_data.words import plural

FOLD_AFTER = 8  # version reasons listed openly up to this many


def render(advice: VersionAdvice) -> str:
    mark = "✅" if advice.ok else "❌"
    return "\n".join([f"### {mark} misti-data {verdict(advice)}", "", *lines(advice)]) + "\n"


def lines(advice: VersionAdvice) -> list[str]:
    """The version section: the bump and why, the revisions unexplained, the errors."""
    if advice.withheld:
        return [
            f"No version advice: {advice.withheld}. The bump and the revisions are checked once the package is valid."
        ]
    if advice.bump:
        head = (
            f"This change needs a **{advice.bump.upper()}** bump: {advice.base_version} → "
            f"**{advice.required_version}**; datapackage.json says {advice.declared_version}."
        )
    else:
        head = f"No data change against the base ({advice.base_version}): no new version needed."
    problems = [f"- ❌ `{f.code}`: {f.message}" for f in advice.findings] + [
        f"- ❌ {e}" for e in advice.errors
    ]
    reasons = [f"- {r.bump.upper()}: {r.change}" for r in advice.reasons]
    if len(reasons) > FOLD_AFTER:
        reasons = [
            f"<details><summary>{plural(len(reasons), 'change')} and the bump each needs</summary>",
            "",
            *reasons,
            "",
            "</details>",
        ]
    return [head] + ([""] + problems if problems else []) + ([""] + reasons if reasons else [])
