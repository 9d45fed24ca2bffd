"""Renderers: `render/<subject>/<format>.py` turns a command's result into text; none prints.

Every command's library call returns a result with a `subject` (the command), an `exit_code` and
`to_dict()`. `render(result, fmt)` picks the module `render/<subject>/<fmt>.py` and calls its
`render(result)`; JSON is `to_dict()` for every subject (render/json.py). In JSON the verdict is
always the key `ok`: true exactly when the command exits 0. REPORT_FORMATS says which formats
each command offers: text and json everywhere; markdown where a person reads the result in a pull
request; github and junit where the result holds findings.
"""

from __future__ import annotations

import importlib

_FINDINGS = ("text", "json", "markdown", "github", "junit")
_WRITTEN = ("text", "json")
REPORT_FORMATS: dict[str, tuple[str, ...]] = {
    "validate": _FINDINGS,
    "diff": _FINDINGS,
    "version": _FINDINGS,
    "ci": _FINDINGS,
    "export": _WRITTEN,
    "site": _WRITTEN,
    "release": _WRITTEN,
    "stamp": _WRITTEN,
    "checks": _WRITTEN,
    "draft": ("text", "json", "csv"),
}


def render(result, fmt: str) -> tuple[str, str]:
    """(stdout, stderr) text of `result` in format `fmt`; a renderer returns one string, or both
    when it has something for stderr (a refusal: nothing was written)."""
    if fmt not in REPORT_FORMATS[result.subject]:
        raise ValueError(f"{result.subject} has no {fmt} format")
    module = importlib.import_module(
        "misti_data.render.json" if fmt == "json" else f"misti_data.render.{result.subject}.{fmt}"
    )
    out = module.render(result)
    return out if isinstance(out, tuple) else (out, "")
