"""A static, self-contained HTML page of a package: one index.html with inline CSS, JS and SVG.

Links to the CSVs, release archives and exports are relative to the page, so the page works
from a checkout, a file manager or any static host that serves the package folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from misti_data import __version__
from misti_data.errors import CannotRun
from misti_data.findings import Report
from misti_data.package import DESCRIPTOR, Package

SITE = "site"
CHANGELOG = "CHANGELOG.md"


@dataclass
class SiteResult:
    package: str
    path: str | None = None
    indicators: int | None = None
    charts: int = 0
    downloads: int = 0
    bytes: int = 0
    report: Report | None = None

    @property
    def refused(self) -> bool:
        return self.report is not None and not self.report.valid

    def to_dict(self) -> dict:
        return {"package": self.package, "refused": self.refused, "path": self.path, "indicators": self.indicators,
                "charts": self.charts, "downloads": self.downloads, "bytes": self.bytes}


def build_site(source: str | Path, out: str | Path | None = None, *, validate: bool = True, progress=None) -> SiteResult:
    """Write `out/index.html` for the package folder `source`; refuse an invalid package."""
    from misti_data._atomic import write_text
    from misti_data.export import default_out, export_tables
    from misti_data.site.page import Page, render

    result = SiteResult(package=str(source))
    from misti_data.validate import checked_package

    with checked_package(source, validate=validate, progress=progress) as (package, result.report):
        if result.refused:
            return result
        if package.from_archive:
            raise CannotRun(f"{source}: the site links to files beside it: give the package folder, not an archive")
        out = Path(out) if out is not None else default_out(source, SITE)
        tables = export_tables(package)
        page = Page(
            title=str(package.descriptor.get("title") or package.descriptor.get("name") or package.base.name),
            version=str(package.descriptor.get("version") or ""),
            description=str(package.descriptor.get("description") or ""),
            licences=_licences(package),
            tables=tables,
            table_links={t.name: _href(package.resource_file(t.resource), out) for t in tables
                         if t.path and package.resource_file(t.resource)},
            indicators=_indicators(package, tables),
            downloads=downloads(package, out),
            changelog_html=_changelog(package),
            generator=f"misti-data {__version__}",
        )
        html = render(page)
    index = out / "index.html"
    try:
        write_text(index, html)
    except OSError as e:
        raise CannotRun(f"{e.filename or index}: cannot write the page: {e.strerror}") from None
    result.path = str(index)
    result.indicators = len(page.indicators) if page.indicators is not None else None
    result.charts = html.count('<svg class="chart"')
    result.downloads = len(page.downloads)
    result.bytes = len(html.encode("utf-8"))
    return result


def downloads(package: Package, out: Path) -> list:
    """What a consumer can take away: descriptor, CSVs, release archives, and the exports if built."""
    from misti_data.export import default_out
    from misti_data.site.page import Link

    base = package.base
    links = [Link(DESCRIPTOR, _href(package.descriptor_path, out), "the Data Package descriptor")]
    for r in package.resources:
        file = package.resource_file(r)
        if file is not None and file.is_file():
            links.append(Link(r.get("path"), _href(file, out), str(r.get("title") or r.get("name") or "")))
    for archive in sorted((base / "releases").glob("*.zip")):
        links.append(Link(f"releases/{archive.name}", _href(archive, out), "release archive"))
    exports = default_out(base)
    for pattern, note in (("*.xlsx", "Excel workbook"), ("*.sqlite", "SQLite database"),
                          ("csvw/csv-metadata.json", "CSV on the Web metadata")):
        for file in sorted(exports.glob(pattern)):
            links.append(Link(file.relative_to(base).as_posix(), _href(file, out), note))
    return links


def _indicators(package: Package, tables):
    from misti_data.site.indicators import find_indicators

    return find_indicators(package, tables)


def _licences(package: Package) -> list:
    from misti_data.site.page import Link

    found = []
    for lic in package.descriptor.get("licenses") or []:
        if isinstance(lic, dict):
            found.append(Link(str(lic.get("title") or lic.get("name") or lic.get("path")), lic.get("path") or ""))
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
