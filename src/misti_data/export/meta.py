"""The package's metadata in the words every export repeats: title, version, licences, sources."""

from __future__ import annotations

from misti_data import __version__
from misti_data.package import Package


def licences(package: Package) -> list[str]:
    """Each licence as 'NAME (title) <path>', with whichever parts the descriptor gives."""
    return [_described(lic, "name", "title") for lic in _dicts(package.descriptor.get("licenses"))]


def sources(package: Package) -> list[str]:
    return [_described(src, "title", "email") for src in _dicts(package.descriptor.get("sources"))]


def about(package: Package) -> list[tuple[str, str]]:
    """The rows of an 'about' block: what a reader of an export needs to cite and trust it."""
    d = package.descriptor
    rows = [
        ("title", str(d.get("title") or d.get("name") or "")),
        ("name", str(d.get("name") or "")),
        ("version", str(d.get("version") or "")),
        ("description", str(d.get("description") or "")),
        ("licences", "; ".join(licences(package))),
        ("sources", "; ".join(sources(package))),
        ("created", str(d.get("created") or "")),
        ("exported by", f"misti-data {__version__}"),
    ]
    return [(k, v) for k, v in rows if v]


def licence_url(package: Package) -> str | None:
    """The first licence's URL, else its name: what `dc:license` wants."""
    for lic in _dicts(package.descriptor.get("licenses")):
        return lic.get("path") or lic.get("name")
    return None


def _described(item: dict, main: str, extra: str) -> str:
    text = str(item.get(main) or item.get("name") or item.get("title") or "")
    if item.get(extra) and item.get(extra) != text:
        text += f" ({item[extra]})"
    if item.get("path"):
        text += f" <{item['path']}>"
    return text


def _dicts(value) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
