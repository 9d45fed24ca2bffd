"""The JSON report of any result: its `to_dict()`, with a stable key order; the verdict is `ok`."""

from __future__ import annotations

import json


def render(result) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
