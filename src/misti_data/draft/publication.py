"""A saved publication as text: refuse what is not readable prose, and find its date."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from misti_data.errors import CannotRun
from misti_data.package import special_file

# A press release is a few thousand words; a file this large is not one (and is never read whole).
MAX_BYTES = 16 * 1024**2
MONTHS = (
    "January February March April May June July August September October November December".split()
)
_MONTH = "(" + "|".join(MONTHS) + ")"
# "Phnom Penh, February 24, 2026 —", "24 February 2026", "2026-02-24": the dateline opens the text.
_DATELINES = [
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})\b"), ("month", "day", "year")),
    (re.compile(rf"\b(\d{{1,2}})\s+{_MONTH},?\s+(\d{{4}})\b"), ("day", "month", "year")),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("year", "month", "day")),
]
_DATELINE_CHARS = 200
_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<!--)", re.IGNORECASE)


def read_publication(path: Path) -> tuple[bytes, str]:
    """The file's bytes (what its sha256 is taken of) and its text; HTML gives its main text."""
    kind = special_file(path)
    if kind:
        raise CannotRun(f"{path}: {kind}, not a regular file; not read")
    if not path.is_file():
        raise CannotRun(f"{path}: {'a folder, not a file' if path.is_dir() else 'no such file'}")
    if path.stat().st_size > MAX_BYTES:
        raise CannotRun(f"{path}: larger than {MAX_BYTES // 1024**2} MB; not a publication")
    data = path.read_bytes()
    if not data.strip():
        raise CannotRun(f"{path}: the file is empty")
    if b"\x00" in data:
        raise CannotRun(f"{path}: a binary file, not text; save the publication as text or HTML")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CannotRun(
            f"{path}: not UTF-8 text (byte {e.start}); save the publication as UTF-8"
        ) from None
    if path.suffix.lower() in (".html", ".htm") or _HTML.match(data):
        text = main_text(text, path)
    return data, text


def main_text(html: str, path: Path) -> str:
    """The article of a saved web page, without its menus, footers and scripts (trafilatura)."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False)
    if not text or not text.strip():
        raise CannotRun(f"{path}: no article text found in this HTML page")
    return text


def dateline(text: str) -> dt.date | None:
    """The date the text opens with (its dateline), or None."""
    head = text[:_DATELINE_CHARS]
    found = []
    for pattern, order in _DATELINES:
        m = pattern.search(head)
        if m:
            parts = dict(zip(order, m.groups(), strict=True))
            month = parts["month"]
            month = MONTHS.index(month) + 1 if month in MONTHS else int(month)
            try:
                found.append((m.start(), dt.date(int(parts["year"]), month, int(parts["day"]))))
            except ValueError:
                continue
    return min(found)[1] if found else None
