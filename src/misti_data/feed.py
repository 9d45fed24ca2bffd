"""An Atom feed of a package's releases, one entry per CHANGELOG.md section, written by `release`.

Atom ids must be IRIs that never change: the package's `id` when it is a URI, else a URN made from
its `name`, with the version appended for each release.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
FEED = "feed.atom"  # under releases/, beside the archives its entries link to
_SECTION = re.compile(r"^## (\S+) — (\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)


def changelog_sections(text: str) -> list[tuple[str, str, str]]:
    """(version, date, body) of each `## VERSION — DATE` section, newest (first in the file) first."""
    heads = list(_SECTION.finditer(text))
    ends = [m.start() for m in heads[1:]] + [len(text)] * bool(heads)
    return [(m[1], m[2], text[m.end() : end].strip()) for m, end in zip(heads, ends, strict=True)]


def releases_feed(descriptor: dict, changelog: str, archive_name) -> str:
    """The feed as text: `archive_name(version)` is each entry's link, relative to the feed."""
    from misti_data.site.markdown import to_html

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
    for version, date, body in sections:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _sub(entry, "id", f"{base}:{version}")
        _sub(entry, "title", f"{title} {version}")
        _sub(entry, "updated", _stamp(date))
        ET.SubElement(
            entry,
            f"{{{ATOM}}}link",
            rel="enclosure",
            type="application/zip",
            href=archive_name(version),
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


def _sub(parent: ET.Element, tag: str, text: str, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", **attrs)
    el.text = text
    return el


def _stamp(date: str) -> str:
    return f"{date}T00:00:00Z"
