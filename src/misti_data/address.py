"""The package's public address: `homepage` in datapackage.json, or `site --base-url` for one build.

Every absolute identifier (the page's JSON-LD, the releases' feed, CITATION.cff, the release README)
is made from it. Where there is none, links stay relative and nothing makes one up.
"""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from misti_data.errors import CannotRun


def public_address(descriptor: dict, override: str | None = None, where: str = "") -> str | None:
    """The address of the folder the site is published in, ending in "/"; None when none is stated.

    `override` (`--base-url`) wins over `homepage`; either must be an http(s) address.
    """
    value = override if override is not None else descriptor.get("homepage")
    if value is None or value == "":
        return None
    what = "--base-url" if override is not None else f"{where or 'datapackage.json'}: `homepage`"
    parts = urlsplit(value) if isinstance(value, str) else None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.query
        or parts.fragment
    ):
        raise CannotRun(
            f"{what}: {value!r} is not the http(s) address of a folder (e.g. https://example.org/misti/)"
        )
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def href(path: str) -> str:
    """A relative URL for a file at `path` (posix, relative to the site folder)."""
    return quote(path)


def absolute(base: str | None, relative: str) -> str:
    """`relative` (a URL inside the site folder) under `base`, or as it is when there is no address."""
    return urljoin(base, relative) if base else relative
