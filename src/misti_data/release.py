"""Turn the package folder into an immutable, reproducible release under releases/.

Order matters for an interrupted run: the changelog and CITATION.cff are rewritten first
(idempotently), then the archive, the feed and SHA256SUMS; each file is written atomically, so a rerun
finishes the job. The archive is made for a data consumer: a README generated from datapackage.json,
the data licence, the changelog and the citation beside the data; not the repository's README or code
licence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from misti_data import semver
from misti_data.address import public_address
from misti_data.atomic import write_bytes, write_text
from misti_data.changelog import changelog_section, update_changelog
from misti_data.checks.revisions import latest_release
from misti_data.citation import CITATION, repository_of, update_citation
from misti_data.data_readme import data_readme
from misti_data.diff import diff_packages
from misti_data.errors import CannotRun
from misti_data.findings import Report
from misti_data.git import git
from misti_data.package import DESCRIPTOR, DESCRIPTOR_BYTES, Package, load_package
from misti_data.stamp import stamp_package
from misti_data.words import and_more

# Folders and files that travel with the data: its sources, its licence, its history, its citation.
_FOLDERS = ("data", "schemas", "seeds")
_FILES = re.compile(r"^(CHANGELOG[^/]*|CITATION\.cff)$", re.IGNORECASE)
# The data licence: LICENSE-DATA.md where the repository also has a code licence, else LICENSE.
_DATA_LICENCE = re.compile(r"^LICEN[CS]E-DATA[^/]*$", re.IGNORECASE)
_LICENCE = re.compile(r"^LICEN[CS]E[^/]*$", re.IGNORECASE)
README = "README.md"  # generated into the archive from datapackage.json
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: same bytes on every run
# Findings that `release` fixes itself by stamping, so they do not block it.
_STAMPED = {"hash-count", "byte-count"}


@dataclass
class ReleaseResult:
    subject: ClassVar[str] = "release"
    name: str
    version: str
    archive: str | None = None
    sha256: str | None = None
    previous: str | None = None
    changelog: str = ""
    stamped: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    report: Report | None = None
    package: str = ""
    why: str | None = None  # why it was refused, when not for the validation report

    @property
    def refused(self) -> bool:
        """True when the package was invalid and nothing was written."""
        return self.archive is None

    @property
    def exit_code(self) -> int:
        return 1 if self.refused else 0

    @property
    def tag_command(self) -> str:
        return (
            f'git add {DESCRIPTOR} CHANGELOG.md {CITATION} releases/ && git commit -m "Release {self.name} {self.version}" '
            f'&& git tag -a v{self.version} -m "{self.name} {self.version}"'
        )

    def to_dict(self) -> dict:
        return {
            "ok": not self.refused,
            "why": self.why,
            "errors": self.report.counts()["error"] if self.report else 0,
            "name": self.name,
            "version": self.version,
            "archive": self.archive,
            "sha256": self.sha256,
            "previous": self.previous,
            "stamped": list(self.stamped),
            "files": list(self.files),
            "changelog": self.changelog,
            "tag_command": None if self.refused else self.tag_command,
        }


def release_package(
    folder: str | Path,
    *,
    today: dt.date | None = None,
    progress=None,
    descriptor_bytes: int = DESCRIPTOR_BYTES,
) -> ReleaseResult:
    """Validate, stamp, write the changelog, the archive and its checksum.

    An invalid package is refused with the report (nothing written); CannotRun when it cannot run.
    """
    from misti_data.validate import validate_loaded

    with load_package(folder, descriptor_bytes=descriptor_bytes) as package:
        if progress is not None:
            package.progress = progress
        if package.from_archive or not Path(folder).is_dir():
            raise CannotRun(f"{folder}: release a package folder, not an archive or a descriptor")
        name, version = _name(package), package.descriptor.get("version")
        unusable = semver.unusable(version)
        if unusable:  # releases are named <name>-<version>.zip and ordered by version
            return ReleaseResult(
                name=name,
                version=version if isinstance(version, str) else "",
                package=str(folder),
                why=unusable,
            )
        releases = package.base / "releases"
        archive = releases / semver.archive_name(name, version)
        previous = latest_release(package)
        _refuse_released(archive, name, previous, version)
        _refuse_uncommitted(package)
        report = validate_loaded(package)
        # hash-count and byte-count are what release fixes by stamping: they do not refuse it.
        report.findings = [f for f in report.findings if f.code not in _STAMPED]
        if not report.valid:
            return ReleaseResult(name=name, version=version, report=report, package=str(folder))
        address = public_address(package.descriptor, where=str(package.descriptor_path))
        stamped = stamp_package(package)
        date = today or _today()
        if previous is not None:
            with load_package(previous, descriptor_bytes=descriptor_bytes) as old:
                section = changelog_section(
                    package,
                    version,
                    date,
                    diff_packages(old, package),
                    old.descriptor.get("version"),
                )
        else:
            section = changelog_section(package, version, date, None, None, rows=report.tables)
        update_changelog(package.base / "CHANGELOG.md", version, section)
        update_citation(
            package.base / CITATION, version, date, address, repository_of(package.base)
        )
        files = release_files(package)
        readme = data_readme(package, report.tables, files, address)
        data = build_archive(
            package.base, files, f"{name}-{version}", {README: readme.encode("utf-8")}
        )
        write_bytes(archive, data)
        _write_feed(package, releases, address)
        digest = hashlib.sha256(data).hexdigest()
        _append_checksum(releases / "SHA256SUMS", digest, archive.name)
        return ReleaseResult(
            name=name,
            version=version,
            archive=str(archive.relative_to(package.base)),
            sha256=digest,
            previous=previous.name if previous else None,
            changelog=section,
            stamped=stamped,
            files=sorted({*files, README}),
            report=report,
            package=str(folder),
        )


def _write_feed(package: Package, releases: Path, address: str | None) -> None:
    from misti_data.feed import FEED, releases_feed

    changelog = (package.base / "CHANGELOG.md").read_text(encoding="utf-8")
    write_text(releases / FEED, releases_feed(package.descriptor, changelog, releases, address))


def _name(package: Package) -> str:
    name = package.descriptor.get("name")
    if not isinstance(name, str) or not name:
        raise CannotRun(
            f"{package.descriptor_path}: the package has no `name`; releases are named <name>-<version>.zip"
        )
    return name


def _refuse_released(archive: Path, name: str, previous: Path | None, version: str) -> None:
    if archive.exists():
        raise CannotRun(
            f"version {version} is already released ({archive.parent.name}/{archive.name}); bump `version` in {DESCRIPTOR} (see `misti-data version --check`)"
        )
    if previous is not None:
        last = semver.archive_version(name, previous.name)
        if semver.require(version) <= last:
            raise CannotRun(
                f"version {version} is not greater than the latest release {last}; bump `version` in {DESCRIPTOR}"
            )


def _refuse_uncommitted(package: Package) -> None:
    """Refuse when git knows of uncommitted changes to the package's files (no git: nothing to check)."""
    try:
        git(package.base, "rev-parse", "--is-inside-work-tree", what="not a git work tree")
    except CannotRun:
        return
    paths = release_files(package)
    status = git(
        package.base,
        "status",
        "--porcelain",
        "--untracked-files=all",
        "--",
        *paths,
        what="git status failed",
    )
    dirty = [line[3:] for line in status.splitlines() if line.strip()]
    if dirty:
        raise CannotRun(
            f"uncommitted changes to {and_more(dirty[:3], len(dirty))}: commit them before releasing"
        )


def release_files(package: Package) -> list[str]:
    """The package's files, relative and sorted: descriptor, resources, schemas, sources, docs."""
    base = package.base
    found = {DESCRIPTOR}
    for res in package.resources:
        for key in ("path", "schema", "dialect"):
            value = res.get(key)
            if (
                isinstance(value, str)
                and (base / value).is_file()
                and package.resource_file({"path": value})
            ):
                found.add(value)
    for folder in _FOLDERS:
        for p in (base / folder).rglob("*") if (base / folder).is_dir() else []:
            rel = p.relative_to(base)
            if p.is_file() and not any(part.startswith(".") for part in rel.parts):
                found.add(rel.as_posix())
    top = [p.name for p in base.iterdir() if p.is_file()]
    found |= {n for n in top if _FILES.match(n)}
    found |= {n for n in top if _DATA_LICENCE.match(n)} or {n for n in top if _LICENCE.match(n)}
    return sorted(found)


def build_archive(
    base: Path, files: list[str], prefix: str, generated: dict[str, bytes] | None = None
) -> bytes:
    """A zip whose bytes depend only on the files' contents: sorted, fixed time and permissions.
    `generated` maps archive paths to contents written in place of (or beside) the files."""
    generated = generated or {}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for rel in sorted(set(files) | set(generated)):
            info = zipfile.ZipInfo(f"{prefix}/{rel}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the permissions below are read
            info.external_attr = 0o100644 << 16
            zf.writestr(
                info,
                generated[rel] if rel in generated else (base / rel).read_bytes(),
                compresslevel=9,
            )
    return buf.getvalue()


def _append_checksum(sums: Path, digest: str, name: str) -> None:
    lines = [
        line
        for line in (sums.read_text(encoding="utf-8").splitlines() if sums.exists() else [])
        if not line.endswith(f"  {name}")
    ]
    write_text(sums, "\n".join(lines + [f"{digest}  {name}"]) + "\n")


def _today() -> dt.date:
    """Today in UTC, or SOURCE_DATE_EPOCH's day for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()
