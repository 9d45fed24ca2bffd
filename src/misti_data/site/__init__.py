"""A static page of a package in a folder that stands alone: index.html (inline CSS, JS and SVG)
beside a copy of every file it links to: the package's own files, its release archives, their
SHA256SUMS and feed, and the exports when built.

Every link is relative to the folder and stays inside it, so the folder can be uploaded, copied or
served as it is. The public address (misti_data.address) only makes the identifiers absolute.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from misti_data import __version__, semver
from misti_data.address import href, public_address
from misti_data.errors import CannotRun
from misti_data.findings import RefusesInvalid, Report
from misti_data.package import DESCRIPTOR, DESCRIPTOR_BYTES, Package
from misti_data.stamp import file_stats

SITE = "site"
CHANGELOG = "CHANGELOG.md"
INDEX = "index.html"
_GENERATOR = b'<meta name="generator" content="misti-data '  # marks a folder a build may replace


@dataclass
class SiteResult(RefusesInvalid):
    subject: ClassVar[str] = "site"
    package: str
    path: str | None = None
    indicators: int | None = None
    charts: int = 0
    downloads: int = 0
    bytes: int = 0
    address: str | None = None  # the public address the identifiers were made from
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
            "address": self.address,
        }


def build_site(
    source: str | Path,
    out: str | Path | None = None,
    *,
    base_url: str | None = None,
    validate: bool = True,
    progress=None,
    descriptor_bytes: int = DESCRIPTOR_BYTES,
) -> SiteResult:
    """Write the site folder `out` for the package folder `source`; refuse an invalid package.

    The folder is built beside `out` and put in its place whole, so a failed build leaves the
    previous one as it was.
    """
    from misti_data.export import default_out, export_tables
    from misti_data.site.page import Page, render
    from misti_data.validate import checked_package

    result = SiteResult(package=str(source))
    with checked_package(
        source, validate=validate, progress=progress, descriptor_bytes=descriptor_bytes
    ) as (package, result.report):
        if result.refused:
            return result
        if package.from_archive:
            raise CannotRun(
                f"{source}: the site copies the files beside the descriptor: give the package folder, not an archive"
            )
        address = public_address(package.descriptor, base_url, str(package.descriptor_path))
        out = Path(out) if out is not None else default_out(source, SITE)
        files = _site_files(package)
        _refuse_out(out, package, files)
        staging = _staging(out)
        try:
            _copy(files, staging)
            feed = _feed(package, staging, address)
            tables = export_tables(package)
            page = Page(
                title=str(
                    package.descriptor.get("title")
                    or package.descriptor.get("name")
                    or package.base.name
                ),
                version=str(package.descriptor.get("version") or ""),
                description=str(package.descriptor.get("description") or ""),
                licences=_licences(package, files),
                tables=tables,
                table_links={t.name: href(t.path) for t in tables if t.path in files},
                indicators=_indicators(package, tables),
                downloads=downloads(package, staging, {t.name: len(t.rows) for t in tables}),
                changelog_html=_changelog(package),
                generator=f"misti-data {__version__}",
                feed=href(feed) if feed else "",
                address=address,
            )
            page.jsonld = _jsonld(package, page)
            html = render(page)
            (staging / INDEX).write_text(html, encoding="utf-8")
            _put_in_place(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    result.path = str(out / INDEX)
    result.indicators = len(page.indicators) if page.indicators is not None else None
    result.charts = html.count('<figure class="chart">')
    result.downloads = len(page.downloads)
    result.bytes = len(html.encode("utf-8"))
    result.address = address
    return result


def _site_files(package: Package) -> dict[str, Path]:
    """The files the page links to, by their path in the site (the same as in the package):
    the package's own files (as a release holds them), every release archive and SHA256SUMS, the exports."""
    from misti_data.export import default_out
    from misti_data.feed import RELEASES
    from misti_data.release import release_files

    base = package.base
    found = {rel: base / rel for rel in release_files(package)}
    releases = base / RELEASES
    for file in [*releases.glob("*.zip"), releases / "SHA256SUMS"]:
        if file.is_file():
            found[f"{RELEASES}/{file.name}"] = file
    # what `misti-data export` wrote, whole: the CSVW metadata needs the CSVs copied beside it
    for file in default_out(base).rglob("*"):
        if file.is_file():
            found[file.relative_to(base).as_posix()] = file
    return found


# The exports the downloads list offers, as `misti-data export` names them.
_EXPORTS = (
    ("*.xlsx", "Excel workbook", "XLSX"),
    ("*.sqlite", "SQLite database", "SQLite"),
    ("csvw/csv-metadata.json", "CSV on the Web metadata", "JSON"),
)


def _refuse_out(out: Path, package: Package, files: dict[str, Path]) -> None:
    """The site folder is replaced whole: it must not hold the package's files, nor be a folder of
    something else (only an empty folder or an earlier site is replaced)."""
    where = out.resolve()
    held = [f.resolve() for f in [package.descriptor_path, *files.values()]]
    # nor sit in one of the package's folders: data/site would be read as part of the package
    folders = {f.parent for f in held} - {package.base.resolve()}
    if any(f.is_relative_to(where) for f in held) or any(where.is_relative_to(d) for d in folders):
        raise CannotRun(
            f"{out}: the site folder would hold the package's own files: choose a folder of its own (default: {SITE}/)"
        )
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise CannotRun(f"{out}: not a folder: choose a folder for the site")
    if out.is_dir() and any(out.iterdir()):
        index = out / INDEX
        try:
            with open(index, "rb") as f:
                ours = _GENERATOR in f.read(4096)
        except OSError:
            ours = False
        if not ours:
            raise CannotRun(
                f"{out}: not empty and not a site built by misti-data: choose an empty or new folder"
            )


def _copy(files: dict[str, Path], site: Path) -> None:
    for rel, file in files.items():
        try:
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, site / rel)
        except OSError as e:
            raise CannotRun(
                f"{e.filename or file}: cannot copy into the site: {e.strerror}"
            ) from None


def _staging(out: Path) -> Path:
    """A new, hidden folder beside `out` to build the site in."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    except OSError as e:
        raise CannotRun(f"{e.filename or out}: cannot write the site: {e.strerror}") from None


def _put_in_place(staging: Path, out: Path) -> None:
    """Swap the new folder in; the old one (empty or an earlier site, see _refuse_out) goes."""
    old = None
    try:
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
            os.replace(out, old / out.name)
        os.replace(staging, out)
    except OSError as e:
        raise CannotRun(f"{e.filename or out}: cannot write the site: {e.strerror}") from None
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def downloads(package: Package, site: Path, rows: dict[str, int]) -> list:
    """What a consumer can take away, from the site folder: the newest release, the descriptor,
    the tables, SHA256SUMS, the exports if built, then the earlier releases; each with its size and
    sha256 (read now), and its row count when it is a table (`rows` by resource)."""
    from misti_data.export import default_out
    from misti_data.feed import RELEASES

    archives = _archives(package, site)
    found = [
        _download(
            f"{RELEASES}/{archive.name}",
            site,
            f"release {version}, the newest: the whole package in one file",
            "ZIP",
        )
        for version, archive in archives[:1]
    ]
    found.append(_download(DESCRIPTOR, site, "the Data Package descriptor", "JSON"))
    for r in package.resources:
        path = r.get("path")
        if isinstance(path, str) and (site / path).is_file():
            found.append(
                _download(
                    path,
                    site,
                    str(r.get("title") or r.get("name") or ""),
                    str(r.get("format") or Path(path).suffix.lstrip(".")).upper(),
                    rows.get(r.get("name")),
                )
            )
    if (site / RELEASES / "SHA256SUMS").is_file():
        found.append(
            _download(f"{RELEASES}/SHA256SUMS", site, "sha256 of every release archive", "TXT")
        )
    for pattern, note, fmt in _EXPORTS:
        for file in sorted(default_out(site).glob(pattern)):
            found.append(_download(file.relative_to(site).as_posix(), site, note, fmt))
    found += [
        _download(f"{RELEASES}/{archive.name}", site, f"release {version}", "ZIP", earlier=True)
        for version, archive in archives[1:]
    ]
    return found


def _archives(package: Package, site: Path) -> list[tuple[str, Path]]:
    """(version, archive) of the releases in the site, newest first."""
    from misti_data.feed import RELEASES

    name = str(package.descriptor.get("name") or "")
    found = []
    for archive in (site / RELEASES).glob("*.zip"):
        version = semver.archive_version(name, archive.name) if name else None
        if version is not None:
            found.append((version, archive))
    found.sort(key=lambda va: va[0], reverse=True)
    return [(str(v), a) for v, a in found]


def _download(
    path: str, site: Path, note: str, fmt: str, rows: int | None = None, earlier: bool = False
):
    from misti_data.site.page import Download

    file = site / path
    try:
        digest, size = file_stats(file)
    except OSError as e:
        raise CannotRun(f"{file}: cannot read: {e.strerror}") from None
    return Download(
        path, href(path), note, fmt, size, rows, digest.removeprefix("sha256:"), earlier
    )


def _indicators(package: Package, tables):
    from misti_data.site.indicators import find_indicators

    return find_indicators(package, tables)


def _feed(package: Package, site: Path, address: str | None) -> str | None:
    """Write the releases' Atom feed into the site (its links follow the site's address); its path,
    or None before the first release."""
    from misti_data.feed import FEED, RELEASES, changelog_sections, releases_feed

    text = _read_changelog(package)
    if not changelog_sections(text) or not any((site / RELEASES).glob("*.zip")):
        return None
    (site / RELEASES / FEED).write_text(
        releases_feed(package.descriptor, text, site / RELEASES, address), encoding="utf-8"
    )
    return f"{RELEASES}/{FEED}"


def _jsonld(package: Package, page) -> str:
    from misti_data.feed import changelog_sections
    from misti_data.site.jsonld import dataset, script

    modified = next(
        (
            date
            for version, date, _ in changelog_sections(_read_changelog(package))
            if version == page.version
        ),
        None,
    )
    return script(dataset(package, page.indicators, page.downloads, modified, page.address))


def _licences(package: Package, files: dict[str, Path]) -> list:
    """The licences, linked when their path is a web address or a file the site holds."""
    from misti_data.site.page import Link

    found = []
    for lic in package.descriptor.get("licenses") or []:
        if isinstance(lic, dict):
            path = str(lic.get("path") or "")
            local = path in files
            found.append(
                Link(
                    str(lic.get("title") or lic.get("name") or path),
                    href(path) if local else path if "://" in path else "",
                )
            )
    return found


def _read_changelog(package: Package) -> str:
    path = package.base / CHANGELOG
    if not path.is_file():
        return ""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CannotRun(f"{path}: cannot read: {e}") from None


def _changelog(package: Package) -> str:
    from misti_data.changelog_html import to_html

    # The file's own "# Changelog" title would repeat the section's heading.
    lines = _read_changelog(package).lstrip().split("\n")
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return to_html("\n".join(lines), shift=1)
