"""An Atom feed of a package's releases, one entry per CHANGELOG.md section, written by `release`
into releases/ and by `site` into the site's releases/.

Atom ids must be IRIs that never change: the package's `id` when it is a URI, else a URN made from
its `name`, with the version appended for each release; they do not follow the address, which may
come later. With an address (misti_data.address) the feed links itself (`rel="self"`) and the page
(`rel="alternate"`), and its enclosures are absolute.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from misti_data import semver
from misti_data.address import absolute, href
from misti_data.changelog_html import to_html

ATOM = "http://www.w3.org/2005/Atom"
RELEASES = "releases"  # the archives' folder, in the package as in the site
FEED = "feed.atom"  # under releases/, beside the archives its entries link to
_SECTION = re.compile(r"^## (\S+) — (\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)


def changelog_sections(text: str) -> list[tuple[str, str, str]]:
    """(version, date, body) of each `## VERSION — DATE` section, newest (first in the file) first."""
    heads = list(_SECTION.finditer(text))
    ends = [m.start() for m in heads[1:]] + [len(text)] * bool(heads)
    return [(m[1], m[2], text[m.end() : end].strip()) for m, end in zip(heads, ends, strict=True)]


def releases_feed(descriptor: dict, changelog: str, releases: Path, address: str | None) -> str:
    """The feed as text; each entry encloses its archive in the folder `releases`, when it is there."""
    name = str(descriptor.get("name") or "data-package")
    title = str(descriptor.get("title") or name)
    base = (
        str(descriptor["id"])
        if re.match(r"^[a-z][a-z0-9+.-]*:", str(descriptor.get("id") or ""))
        else f"urn:data-package:{name}"
    )
    sections = changelog_sections(changelog)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", base)
    _sub(feed, "title", f"{title}: releases")
    _sub(feed, "updated", _stamp(sections[0][1]) if sections else "1970-01-01T00:00:00Z")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _sub(author, "name", _publisher(descriptor) or title)
    _sub(feed, "generator", "misti-data")
    if address:
        _link(feed, "self", "application/atom+xml", absolute(address, f"{RELEASES}/{FEED}"))
        _link(feed, "alternate", "text/html", address)
    for version, date, body in sections:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _sub(entry, "id", f"{base}:{version}")
        _sub(entry, "title", f"{title} {version}")
        _sub(entry, "updated", _stamp(date))
        archive = releases / semver.archive_name(name, version)
        if archive.is_file():
            relative = href(archive.name)  # beside the feed
            _link(
                entry,
                "enclosure",
                "application/zip",
                absolute(address, f"{RELEASES}/{relative}") if address else relative,
                length=str(archive.stat().st_size),
            )
        _sub(entry, "content", to_html(body), type="html")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _publisher(descriptor: dict) -> str | None:
    people = [c for c in descriptor.get("contributors") or [] if isinstance(c, dict)]
    return next(
        (str(c.get("title")) for c in people if c.get("role") == "publisher" and c.get("title")),
        None,
    )


def _link(parent: ET.Element, rel: str, kind: str, url: str, **attrs) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", rel=rel, type=kind, href=url, **attrs)


def _sub(parent: ET.Element, tag: str, text: str, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", **attrs)
    el.text = text
    return el


def _stamp(date: str) -> str:
    return f"{date}T00:00:00Z"
