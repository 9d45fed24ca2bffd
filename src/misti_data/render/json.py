"""The JSON report of any result: its `to_dict()`, with a stable key order; the verdict is `ok`."""

from __future__ import annotations

import json


def render(result, **options) -> str:
    """`options` (validate's, diff's and ci's `limit`) go to `to_dict`, as to every renderer."""
    return json.dumps(result.to_dict(**options), indent=2, ensure_ascii=False, default=str) + "\n"
