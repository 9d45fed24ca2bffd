"""What site built, in one line; a refusal on stderr."""

from __future__ import annotations

from misti_data.render.written import refusal
from misti_data.words import plural


def render(result) -> tuple[str, str]:
    if result.refused:
        return "", refusal(result.package, "no page built", result.report)
    shown = f"{plural(result.indicators, 'indicator')}, " if result.indicators is not None else ""
    return (
        f"wrote {result.path} ({shown}{plural(result.charts, 'chart')}, "
        f"{plural(result.downloads, 'download')}, {result.bytes:,} bytes)\n"
    ), ""
