"""CITATION.cff beside datapackage.json: `release` keeps its version and release date in step, and
its `url` (the package's address) and `repository-code` (the git remote's web address) where known.

The file is edited as text, line by line, so its comments and layout stay as written (and no YAML
library is needed at run time); tests check it against the CFF 1.2.0 schema.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from misti_data.atomic import write_text
from misti_data.errors import CannotRun

CITATION = "CITATION.cff"


def update_citation(
    path: Path,
    version: str,
    date: dt.date,
    url: str | None = None,
    repository: str | None = None,
) -> bool:
    """Set the top-level `version`, `date-released`, and `url` and `repository-code` when known
    (a value written by hand stays when it is not); False when there is no CITATION.cff."""
    if not path.is_file():
        return False
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CannotRun(f"{path}: cannot read: {e}") from None
    values = {
        "version": version,
        "date-released": f'"{date.isoformat()}"',
        # a JSON string is a YAML double-quoted scalar, whatever the address holds
        "url": json.dumps(url) if url else None,
        "repository-code": json.dumps(repository) if repository else None,
    }
    for key, value in values.items():
        if value is None:
            continue
        line, new = re.compile(rf"^{re.escape(key)}:.*$", re.MULTILINE), f"{key}: {value}"
        text = (
            line.sub(lambda _, new=new: new, text, count=1)  # the address is data, not a template
            if line.search(text)
            else text.rstrip("\n") + f"\n{new}\n"
        )
    write_text(path, text)
    return True


def repository_of(folder: Path) -> str | None:
    """The web address of the git remote `origin` when it is an http(s) URL, without credentials
    or `.git`; None otherwise (no git, no remote, or an ssh address, whose web page we cannot know)."""
    from misti_data.git import git

    try:
        remote = git(folder, "remote", "get-url", "origin", what="no remote").strip()
    except CannotRun:
        return None
    parts = urlsplit(remote)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    path = parts.path.rstrip("/").removesuffix(".git")
    return urlunsplit((parts.scheme, host, path, "", "")) if path else None
