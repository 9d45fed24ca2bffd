"""A static, self-contained HTML page of a package: one index.html with inline CSS, JS and SVG.

Links to the CSVs, release archives and exports are relative to the page, so the page works
from a checkout, a file manager or any static host that serves the package folder.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote

from misti_data import __version__
from misti_data.errors import CannotRun
from misti_data.findings import RefusesInvalid, Report
from misti_data.package import DESCRIPTOR, DESCRIPTOR_BYTES, Package

SITE = "site"
CHANGELOG = "CHANGELOG.md"


@dataclass
class SiteResult(RefusesInvalid):
    subject: ClassVar[str] = "site"
    package: str
    path: str | None = None
    indicators: int | None = None
    charts: int = 0
    downloads: int = 0
    bytes: int = 0
    report: Report | None = None

    def to_dict(self) -> dict:
        return {
            "ok": not self.refused,
            "package": self.package,
            "path": self.path,
            "indicators": self.indicators,
            "charts": self.charts,
            "downloads": self.downloads,
            "bytes": self.bytes,
        }


def build_site(
    source: str | Path,
    out: str | Path | None = None,
    *,
    validate: bool = True,
    progress=None,
    descriptor_bytes: int = DESCRIPTOR_BYTES,
) -> SiteResult:
    """Write `out/index.html` for the package folder `source`; refuse an invalid package."""
    from misti_data.atomic import write_text
    from misti_data.export import default_out, export_tables
    from misti_data.site.page import Page, render

    result = SiteResult(package=str(source))
    from misti_data.validate import checked_package

    with checked_package(
        source, validate=validate, progress=progress, descriptor_bytes=descriptor_bytes
    ) as (package, result.report):
        if result.refused:
            return result
        if package.from_archive:
            raise CannotRun(
                f"{source}: the site links to files beside it: give the package folder, not an archive"
            )
        out = Path(out) if out is not None else default_out(source, SITE)
        tables = export_tables(package)
        page = Page(
            title=str(
                package.descriptor.get("title")
                or package.descriptor.get("name")
                or package.base.name
            ),
            version=str(package.descriptor.get("version") or ""),
            description=str(package.descriptor.get("description") or ""),
            licences=_licences(package),
            tables=tables,
            table_links={
                t.name: _href(package.resource_file(t.resource), out)
                for t in tables
                if t.path and package.resource_file(t.resource)
            },
            indicators=_indicators(package, tables),
            downloads=downloads(package, out, {t.name: len(t.rows) for t in tables}),
            changelog_html=_changelog(package),
            generator=f"misti-data {__version__}",
            feed=_feed(package, out),
        )
        page.jsonld = _jsonld(package, page)
        html = render(page)
    index = out / "index.html"
    try:
        write_text(index, html)
    except OSError as e:
        raise CannotRun(f"{e.filename or index}: cannot write the page: {e.strerror}") from None
    result.path = str(index)
    result.indicators = len(page.indicators) if page.indicators is not None else None
    result.charts = html.count('<figure class="chart">')
    result.downloads = len(page.downloads)
    result.bytes = len(html.encode("utf-8"))
    return result


def downloads(package: Package, out: Path, rows: dict[str, int]) -> list:
    """What a consumer can take away: descriptor, CSVs, release archives, and the exports if built;
    each with its size and sha256 (read now), and its row count when it is a table (`rows` by resource)."""
    from misti_data.export import default_out

    base = package.base
    found = [
        _download(DESCRIPTOR, package.descriptor_path, out, "the Data Package descriptor", "JSON")
    ]
    for r in package.resources:
        file = package.resource_file(r)
        if file is not None and file.is_file():
            found.append(
                _download(
                    r.get("path"),
                    file,
                    out,
                    str(r.get("title") or r.get("name") or ""),
                    str(r.get("format") or file.suffix.lstrip(".")).upper(),
                    rows.get(r.get("name")),
                )
            )
    for archive in sorted((base / "releases").glob("*.zip")):
        found.append(_download(f"releases/{archive.name}", archive, out, "release archive", "ZIP"))
    exports = default_out(base)
    for pattern, note, fmt in (
        ("*.xlsx", "Excel workbook", "XLSX"),
        ("*.sqlite", "SQLite database", "SQLite"),
        ("csvw/csv-metadata.json", "CSV on the Web metadata", "JSON"),
    ):
        for file in sorted(exports.glob(pattern)):
            found.append(_download(file.relative_to(base).as_posix(), file, out, note, fmt))
    return found


def _download(label: str, file: Path, out: Path, note: str, fmt: str, rows: int | None = None):
    from misti_data.site.page import Download

    digest = hashlib.sha256()
    try:
        with open(file, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError as e:
        raise CannotRun(f"{file}: cannot read: {e.strerror}") from None
    return Download(
        label, _href(file, out), note, fmt, file.stat().st_size, rows, digest.hexdigest()
    )


def _indicators(package: Package, tables):
    from misti_data.site.indicators import find_indicators

    return find_indicators(package, tables)


def _feed(package: Package, out: Path) -> str:
    """The link to the releases' Atom feed that `release` writes, or '' before the first release."""
    from misti_data.feed import FEED

    feed = package.base / "releases" / FEED
    return _href(feed, out) if feed.is_file() else ""


def _jsonld(package: Package, page) -> str:
    from misti_data.feed import changelog_sections
    from misti_data.site.jsonld import dataset, script

    path = package.base / CHANGELOG
    text = (
        path.read_text(encoding="utf-8") if path.is_file() else ""
    )  # read (and checked) by _changelog already
    modified = next(
        (date for version, date, _ in changelog_sections(text) if version == page.version), None
    )
    return script(dataset(package, page.indicators, page.downloads, modified))


def _licences(package: Package) -> list:
    from misti_data.site.page import Link

    found = []
    for lic in package.descriptor.get("licenses") or []:
        if isinstance(lic, dict):
            found.append(
                Link(
                    str(lic.get("title") or lic.get("name") or lic.get("path")),
                    lic.get("path") or "",
                )
            )
    return found


def _changelog(package: Package) -> str:
    from misti_data.site.markdown import to_html

    path = package.base / CHANGELOG
    if not path.is_file():
        return ""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CannotRun(f"{path}: cannot read: {e}") from None
    # The file's own "# Changelog" title would repeat the section's heading.
    lines = text.lstrip().split("\n")
    if lines and lines[0].startswith("# "):
        text = "\n".join(lines[1:])
    return to_html(text, shift=1)


def _href(target: Path, out: Path) -> str:
    """A relative URL from the page's folder to `target`."""
    rel = os.path.relpath(Path(target).resolve(), Path(out).resolve())
    return quote(Path(rel).as_posix())
