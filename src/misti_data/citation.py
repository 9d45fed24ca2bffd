"""CITATION.cff beside datapackage.json: `release` keeps its version and release date in step.

The file is edited as text, line by line, so its comments and layout stay as written (and no YAML
library is needed at run time); tests check it against the CFF 1.2.0 schema.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from misti_data.atomic import write_text
from misti_data.errors import CannotRun

CITATION = "CITATION.cff"


def update_citation(path: Path, version: str, date: dt.date) -> bool:
    """Set the top-level `version` and `date-released` of CITATION.cff; False when there is none."""
    if not path.is_file():
        return False
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CannotRun(f"{path}: cannot read: {e}") from None
    for key, value in (("version", version), ("date-released", f'"{date.isoformat()}"')):
        line = re.compile(rf"^{re.escape(key)}:.*$", re.MULTILINE)
        text = (
            line.sub(f"{key}: {value}", text, count=1)
            if line.search(text)
            else text.rstrip("\n") + f"\n{key}: {value}\n"
        )
    write_text(path, text)
    return True
