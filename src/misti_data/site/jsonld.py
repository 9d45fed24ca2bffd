"""schema.org `Dataset` markup for the page, which dataset search engines read.

Built from datapackage.json and what the page already shows: the indicators (variableMeasured, with
their units), the figures' dates (temporalCoverage) and national area (spatialCoverage), the sources
(citation) and the downloads (one DataDownload each). A property the package does not give is left
out rather than guessed. With a public address (misti_data.address) the dataset is identified by it
(`@id`, `url`, `identifier`) and every `contentUrl` is absolute; the descriptor's own `id`, when it
is another web address (a DOI), is its `sameAs`.
"""

from __future__ import annotations

import json

from misti_data.address import absolute
from misti_data.data_readme import citation_text
from misti_data.package import Package
from misti_data.settings import settings_of

# The media types of the page's download formats (Download.format).
MEDIA_TYPES = {
    "CSV": "text/csv",
    "JSON": "application/json",
    "ZIP": "application/zip",
    "TXT": "text/plain",
    "SQLite": "application/vnd.sqlite3",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def dataset(
    package: Package, indicators, downloads, modified: str | None, address: str | None = None
) -> dict:
    """The Dataset as a JSON-LD object."""
    d = package.descriptor
    own_id = str(d.get("id") or "")
    same_as = own_id if own_id.startswith(("http://", "https://")) and own_id != address else None
    people = [c for c in d.get("contributors") or [] if isinstance(c, dict) and c.get("title")]
    org = lambda c: (
        {"@type": "Organization", "name": str(c["title"])}
        | ({"url": c["path"]} if c.get("path") else {})
    )
    licences = [x for x in d.get("licenses") or [] if isinstance(x, dict)]
    out = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": address,
        "url": address,
        "identifier": _one_or_list([x for x in (address, own_id) if x]),
        "sameAs": same_as,
        "name": str(d.get("title") or d.get("name") or package.base.name),
        "alternateName": d.get("name"),
        "description": d.get("description"),
        "version": d.get("version"),
        "dateModified": modified or _day(d.get("created")),
        "keywords": d.get("keywords"),
        "license": next((x.get("path") or x.get("name") for x in licences), None),
        "isAccessibleForFree": True,
        "creator": [org(c) for c in people] or None,
        "publisher": next((org(c) for c in people if c.get("role") == "publisher"), None),
        "creditText": citation_text(d),
    }
    if indicators:
        out |= _indicators(package, indicators)
    out["distribution"] = [
        {
            "@type": "DataDownload",
            "name": f.label,
            "description": f.note or None,
            "encodingFormat": MEDIA_TYPES.get(f.format, f.format),
            "contentUrl": absolute(address, f.href),
            "contentSize": f"{f.bytes} B",
        }
        for f in downloads
    ]
    return _pruned(out)


def _indicators(package: Package, indicators) -> dict:
    observations = [o for ind in indicators for o in ind.observations]
    years = sorted({o.when.year for o in observations if o.when is not None})
    national = (settings_of(package).indicators or {}).get("national_area")
    place = next(
        (o.place for o in observations if national and o.series == national and o.place), None
    )
    sources = []
    for o in observations:
        if o.source is not None and o.source not in sources:
            sources.append(o.source)
    return {
        "temporalCoverage": f"{years[0]}/{years[-1]}" if years else None,
        "spatialCoverage": {"@type": "Place", "name": place, "identifier": national}
        if place
        else None,
        "variableMeasured": [
            {
                "@type": "PropertyValue",
                "propertyID": ind.key,
                "name": ind.name,
                "unitText": (ind.unit or "").replace("_", " ") or None,
                "description": ind.notes,
            }
            for ind in indicators
        ],
        "citation": [
            {
                "@type": "CreativeWork",
                "name": s.title,
                "url": s.url,
                "publisher": s.outlet or s.publisher,
                "datePublished": s.published,
            }
            for s in sources
        ]
        or None,
    }


def script(data: dict) -> str:
    """The <script> element; `<` is written as \\u003c so no text in the data can close it."""
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def _one_or_list(values: list):
    return values[0] if len(values) == 1 else values or None


def _day(value) -> str | None:
    return str(value)[:10] if value else None


def _pruned(value):
    """Without empty values, which search engines report as errors."""
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value
