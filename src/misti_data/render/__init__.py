"""Renderers, one module per format: `text`, `markdown`, `github`, `junit`, `json`, and `written`
(what the commands that write files say). None prints.

Every command's library call returns a result with a `subject` (the command), an `exit_code` and
`to_dict()`. RENDERERS maps (subject, format) to the function that renders it; `--format` offers
a command the formats it has there. JSON is `to_dict()` for every subject; its verdict is always
the key `ok`: true exactly when the command exits 0. Display options (`limit`) are passed to the
renderer, never set on the result.
"""

from __future__ import annotations

from collections.abc import Callable

from misti_data.render import csv, github, json, junit, markdown, text, written

_JSON = json.render
RENDERERS: dict[tuple[str, str], Callable] = {
    ("validate", "text"): text.validate,
    ("validate", "json"): _JSON,
    ("validate", "markdown"): markdown.validate,
    ("validate", "github"): github.validate,
    ("validate", "junit"): junit.validate,
    ("diff", "text"): text.diff,
    ("diff", "json"): _JSON,
    ("diff", "markdown"): markdown.diff,
    ("diff", "github"): github.diff,
    ("diff", "junit"): junit.diff,
    ("version", "text"): text.version,
    ("version", "json"): _JSON,
    ("version", "markdown"): markdown.version,
    ("version", "github"): github.version,
    ("version", "junit"): junit.version,
    ("ci", "text"): text.ci,
    ("ci", "json"): _JSON,
    ("ci", "markdown"): markdown.ci,
    ("ci", "github"): github.ci,
    ("ci", "junit"): junit.ci,
    ("export", "text"): written.export,
    ("export", "json"): _JSON,
    ("site", "text"): written.site,
    ("site", "json"): _JSON,
    ("release", "text"): written.release,
    ("release", "json"): _JSON,
    ("stamp", "text"): written.stamp,
    ("stamp", "json"): _JSON,
    ("checks", "text"): markdown.checks,  # the catalogue is a Markdown table, as in docs/cli.md
    ("checks", "json"): _JSON,
    ("draft", "text"): text.draft,
    ("draft", "json"): _JSON,
    ("draft", "csv"): csv.draft,
}

# The formats each command offers, in RENDERERS' order (text first: the default).
REPORT_FORMATS: dict[str, tuple[str, ...]] = {
    subject: tuple(f for s, f in RENDERERS if s == subject) for subject, _ in RENDERERS
}


def render(result, fmt: str, **options) -> tuple[str, str]:
    """(stdout, stderr) text of `result` in format `fmt`; a renderer returns one string, or both
    when it has something for stderr (a refusal: nothing was written). `options` (`limit`) go to
    the renderer."""
    renderer = RENDERERS.get((result.subject, fmt))
    if renderer is None:
        raise ValueError(f"{result.subject} has no {fmt} format")
    out = renderer(result, **options)
    return out if isinstance(out, tuple) else (out, "")
