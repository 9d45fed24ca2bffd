"""The README a data consumer finds in a release: what the package is, every table and column, the
licence, how to cite it and where the changes are, all read from datapackage.json and the tables.

It is written into the archive only; a repository's own README.md is about the repository and stays out.
"""

from __future__ import annotations

from misti_data.address import absolute
from misti_data.feed import FEED, RELEASES
from misti_data.package import DESCRIPTOR, Package
from misti_data.settings import settings_of

_CONSTRAINTS = (
    "required",
    "unique",
    "enum",
    "pattern",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
)


def data_readme(
    package: Package, rows: dict[str, int], files: list[str], address: str | None = None
) -> str:
    """Markdown for the release's README.md; `rows` is the row count by resource, `files` the archive's
    files, `address` where the package is published (misti_data.address), when that is known."""
    d = package.descriptor
    title, version = str(d.get("title") or d.get("name") or "Data package"), d.get("version")
    out = [f"# {_md(title)}" + (f" — version {version}" if version else ""), ""]
    if d.get("description"):
        out += [_md(str(d["description"])), ""]
    out += [
        (
            f"This folder is a [Frictionless Data Package](https://datapackage.org/): `{DESCRIPTOR}` describes "
            "every table, and each table is a UTF-8 CSV file with a Table Schema (JSON) that gives its columns' "
            "types and rules. Any CSV reader opens the tables; Data Package tools (frictionless, datapackage for R, "
            "misti-data) also read the types, keys and references."
        ),
        "",
    ]
    if address:
        out += [
            f"Newer versions, and every earlier one, are published at <{address}>; the feed "
            f"<{absolute(address, f'{RELEASES}/{FEED}')}> announces each new release.",
            "",
        ]
    out += (
        ["## Files", ""]
        + [f"- `{f}`" + _file_note(f, package) for f in ["README.md", *files]]
        + [""]
    )
    out += _tables(package, rows)
    out += _units(package)
    out += _sources(package)
    out += _licence(package, files)
    out += _citation(package, files)
    if "CHANGELOG.md" in files:
        out += [
            "## Changes",
            "",
            "`CHANGELOG.md` lists what changed in each release, newest first.",
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"


def _file_note(path: str, package: Package) -> str:
    by_path = {r.get("path"): r for r in package.resources if isinstance(r.get("path"), str)}
    if path in by_path:
        return f": the table `{by_path[path].get('name')}`"
    if path == "README.md":
        return ": this file"
    if path == DESCRIPTOR:
        return ": the package descriptor (tables, schemas, licence, sources)"
    if path.startswith("schemas/"):
        return ": a Table Schema"
    if path.startswith("seeds/"):
        return ": a verbatim copy of a source publication"
    return {
        "CHANGELOG.md": ": the changes in each release",
        "CITATION.cff": ": how to cite the data (Citation File Format)",
    }.get(path, ": the data licence" if path.upper().startswith(("LICENSE", "LICENCE")) else "")


def _tables(package: Package, rows: dict[str, int]) -> list[str]:
    out = ["## Tables", ""]
    for r in package.resources:
        name = r.get("name")
        schema = package.schema(r)
        out += [f"### `{name}`" + (f" — {_md(str(r['title']))}" if r.get("title") else ""), ""]
        if r.get("description"):
            out += [_md(str(r["description"])), ""]
        facts = [
            f"File `{r.get('path')}`" if isinstance(r.get("path"), str) else None,
            f"{rows[name]:,} rows" if name in rows else None,
        ]
        key = schema.get("primaryKey")
        if key:
            facts.append(
                "one row per "
                + ", ".join(f"`{k}`" for k in ([key] if isinstance(key, str) else key))
            )
        out += ["; ".join(f for f in facts if f) + ".", ""]
        for fk in schema.get("foreignKeys") or []:
            if isinstance(fk, dict) and isinstance(fk.get("reference"), dict):
                cols = fk.get("fields")
                ref = fk["reference"]
                out.append(
                    f"- `{_names(cols)}` refers to `{ref.get('resource') or name}.{_names(ref.get('fields'))}`"
                )
        if schema.get("foreignKeys"):
            out.append("")
        fields = [f for f in schema.get("fields") or [] if isinstance(f, dict)]
        units = any(f.get("unit") for f in fields)  # a field's own unit, where a schema gives one
        out += [
            "| column | type |" + (" unit |" if units else "") + " description | rules |",
            "|---|---|" + ("---|" if units else "") + "---|---|",
        ]
        for f in fields:
            out.append(
                f"| `{f.get('name')}` | {f.get('type', 'string')}{' (' + str(f['format']) + ')' if f.get('format') else ''} | "
                + (f"{_cell(str(f.get('unit', '')))} | " if units else "")
                + f"{_cell(str(f.get('description', '')))} | {_cell(_rules(f))} |"
            )
        out.append("")
    return out


def _rules(field: dict) -> str:
    c = field.get("constraints") if isinstance(field.get("constraints"), dict) else {}
    parts = []
    for k in _CONSTRAINTS:
        if k not in c:
            continue
        v = c[k]
        if k in ("required", "unique"):
            parts.append(k if v else "")
        elif k == "enum":
            parts.append("one of " + ", ".join(f"`{x}`" for x in v))
        elif k == "pattern":
            parts.append(f"matches `{v}`")
        else:
            parts.append(f"{k} {v}")
    return "; ".join(p for p in parts if p)


def _units(package: Package) -> list[str]:
    """Each indicator's unit, where the package declares indicators: the unit of an observation's value."""
    from misti_data.tables import table

    cfg = settings_of(package).indicators
    t = table(package, cfg.get("indicators", "indicators")) if cfg else None
    if t is None or t.frame is None or not {"indicator_id", "unit"} <= set(t.names):
        return []
    obs = cfg.get("observations", "observations")
    label = "name" if "name" in t.names else "indicator_id"
    out = [
        "## Indicators and their units",
        "",
        f"The `value` of a row of `{obs}` is in the unit of its indicator:",
        "",
        "| indicator_id | indicator | unit |",
        "|---|---|---|",
    ]
    out += [
        f"| `{r['indicator_id']}` | {_cell(str(r.get(label) or ''))} | {_md(str(r.get('unit') or ''))} |"
        for r in t.records()
    ]
    return out + [""]


def _sources(package: Package) -> list[str]:
    sources = [s for s in package.descriptor.get("sources") or [] if isinstance(s, dict)]
    if not sources:
        return []
    out = ["## Sources", ""] + [
        f"- {_md(str(s.get('title') or ''))}" + (f" ({s['path']})" if s.get("path") else "")
        for s in sources
    ]
    return out + [""]


def _licence(package: Package, files: list[str]) -> list[str]:
    licences = [x for x in package.descriptor.get("licenses") or [] if isinstance(x, dict)]
    if not licences:
        return []
    out = ["## Licence", ""]
    out += [
        f"- {_md(str(x.get('title') or x.get('name')))}"
        + (f" ({x['name']})" if x.get("title") and x.get("name") else "")
        + (f": {x['path']}" if x.get("path") else "")
        for x in licences
    ]
    texts = [f for f in files if f.upper().startswith(("LICENSE", "LICENCE"))]
    if texts:
        out += [
            "",
            "The terms, and what they cover, are in " + ", ".join(f"`{f}`" for f in texts) + ".",
        ]
    return out + [""]


def citation_text(d: dict, emphasis: str = "") -> str:
    """How to cite the package in one line: publisher, title, version, licence (as the descriptor has them)."""
    people = [c for c in d.get("contributors") or [] if isinstance(c, dict) and c.get("title")]
    by = next((str(c["title"]) for c in people if c.get("role") == "publisher"), None)
    licence = next(
        (
            str(x.get("name"))
            for x in d.get("licenses") or []
            if isinstance(x, dict) and x.get("name")
        ),
        None,
    )
    text = (f"{by}. " if by else "") + f"{emphasis}{d.get('title') or d.get('name')}{emphasis}"
    return (
        text
        + (f", version {d['version']}" if d.get("version") else "")
        + (f". Licence {licence}." if licence else ".")
    )


def _citation(package: Package, files: list[str]) -> list[str]:
    out = ["## How to cite", "", "> " + _md(citation_text(package.descriptor, "*")), ""]
    if "CITATION.cff" in files:
        out += [
            (
                "`CITATION.cff` has the same citation in the Citation File Format, which reference managers and "
                "GitHub read."
            ),
            "",
        ]
    return out


def _names(value) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def _cell(text: str) -> str:
    return _md(text).replace("|", "\\|").replace("\n", " ")


def _md(text: str) -> str:
    return text.replace("<", "&lt;")
