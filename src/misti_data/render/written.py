"""What export, site, release and stamp say: the files written, or, on stderr, why none was."""

from __future__ import annotations

from misti_data.words import plural


def refusal(package: str, what: str, report) -> str:
    """One line: the package is invalid, so nothing was written."""
    return (
        f"{package}: {what}: the package is invalid ({plural(report.counts()['error'], 'error')}); "
        f"run `misti-data validate {package}`\n"
    )


def export(result) -> tuple[str, str]:
    """One line per file written."""
    if result.refused:
        return "", refusal(result.package, "not exported", result.report)
    return "".join(
        f"wrote {w.path} ({w.format}: {plural(len(w.tables), 'table')}, {plural(w.rows, 'row')})\n"
        + "".join(f"  note: {n}\n" for n in w.notes)
        for w in result.written
    ), ""


def site(result) -> tuple[str, str]:
    """The page built, in one line."""
    if result.refused:
        return "", refusal(result.package, "no page built", result.report)
    shown = f"{plural(result.indicators, 'indicator')}, " if result.indicators is not None else ""
    return (
        f"wrote {result.path} ({shown}{plural(result.charts, 'chart')}, "
        f"{plural(result.downloads, 'download')}, {result.bytes:,} bytes)\n"
    ), ""


def release(result) -> tuple[str, str]:
    """The archive written and the git commands that commit and tag it."""
    if result.refused and result.why:
        return "", f"{result.package}: not released: {result.why}\n"
    if result.refused:
        return "", refusal(result.package, "not released", result.report)
    lines = [
        f"released {result.name} {result.version}: {result.archive}",
        f"sha256 {result.sha256} (appended to releases/SHA256SUMS)",
    ]
    if result.stamped:
        lines.append(f"stamped hash and bytes of: {', '.join(result.stamped)}")
    lines += [
        f"CHANGELOG.md:\n\n{result.changelog}",
        f"now commit and tag it:\n  {result.tag_command}",
    ]
    return "\n".join(lines) + "\n", ""


def stamp(result) -> str:
    """The resources whose hash and bytes were updated, in one line."""
    if not result.stamped:
        return "hash and bytes already up to date\n"
    return f"updated hash and bytes of: {', '.join(result.stamped)}\n"
