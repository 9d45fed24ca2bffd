"""The JSON report: `Report.to_dict()`, with a stable key order."""

from __future__ import annotations

import json


def render(report, **options) -> str:
    """`options` go to `to_dict()` (e.g. a diff's row `limit`)."""
    return json.dumps(report.to_dict(**options), indent=2, ensure_ascii=False, default=str) + "\n"
