"""The check catalogue: every code a finding can carry, its severity and what it means.

Codes reuse frictionless's where the meaning is the same, so its documentation applies.
Each family of checks lives in its own module and builds findings with `finding()`.
"""

from __future__ import annotations

from misti_data.findings import ERROR, WARNING, Finding

CATALOGUE: dict[str, tuple[str, str]] = {
    # descriptor
    "package-error": (ERROR, "The descriptor is not a valid Data Package."),
    "resource-error": (ERROR, "A resource descriptor is not valid."),
    "schema-error": (ERROR, "A Table Schema is not valid or cannot be read."),
    "field-error": (ERROR, "A field descriptor in a Table Schema is not valid."),
    "version-not-semver": (ERROR, "The package `version` is missing or not a semantic version (MAJOR.MINOR.PATCH)."),
    "metadata-missing": (ERROR, "Required package metadata (licenses, sources) is missing."),
    "duplicate-resource": (ERROR, "Two resources share a name."),
    # safety
    "outside-path": (ERROR, "A resource path leaves the package folder; it was not read (see --allow-outside)."),
    "remote-path": (ERROR, "A resource path is a URL; it was not read (see --allow-remote)."),
    # table structure and types (frictionless codes)
    "scheme-error": (ERROR, "The resource's file cannot be opened."),
    "format-error": (ERROR, "The resource's file is not in its declared format."),
    "encoding-error": (ERROR, "The file is not in its declared encoding."),
    "source-error": (ERROR, "The resource's data cannot be read."),
    "hash-count": (ERROR, "The file's hash differs from the descriptor's `hash`."),
    "byte-count": (ERROR, "The file's size differs from the descriptor's `bytes`."),
    "blank-header": (ERROR, "The file has no header row."),
    "blank-label": (ERROR, "A header cell is empty."),
    "duplicate-label": (ERROR, "Two header cells have the same label."),
    "extra-label": (ERROR, "The header has a column the schema does not declare."),
    "missing-label": (ERROR, "The header lacks a column the schema declares."),
    "incorrect-label": (ERROR, "A header label differs from the schema's field name."),
    "blank-row": (ERROR, "A row is entirely empty."),
    "extra-cell": (ERROR, "A row has more cells than the header."),
    "missing-cell": (ERROR, "A row has fewer cells than the header."),
    "type-error": (ERROR, "A cell cannot be read as its field's type or format."),
    "constraint-error": (ERROR, "A cell breaks a field constraint (required, minimum, maximum, pattern, enum, length)."),
    "unique-error": (ERROR, "A value repeats in a field declared unique."),
    "primary-key": (ERROR, "A primary key value repeats or is empty."),
    "foreign-key": (ERROR, "A foreign key value has no match in the referenced resource."),
    # provenance
    "source-missing": (ERROR, "A local source's file is not in the package."),
    "source-hash-mismatch": (ERROR, "A local source's file does not match the sha256 in the sources table."),
    "citation-incomplete": (ERROR, "A cited source lacks a URL, outlet or title."),
    "quote-missing": (ERROR, "A row from a local source has no quote."),
    "quote-not-found": (ERROR, "A quote does not occur verbatim in its source file."),
    "quote-on-cited-source": (ERROR, "A row from a cited source has a quote; cited rows keep the quote empty."),
    "value-not-in-quote": (ERROR, "The value cannot be read back from its quote."),
    "qualifier-mismatch": (ERROR, "The qualifier differs from how the quote states the figure."),
    "rounding-mismatch": (ERROR, "rounded_to differs from how far the quote rounds the figure (556 million: 1000000; every digit printed: empty)."),
    "text-not-in-quote": (ERROR, "A text cell does not occur in its quote."),
    "unknown-source": (ERROR, "A row names a source the sources table does not list."),
    # diff and revisions
    "diff-unreadable": (ERROR, "A resource's file cannot be read for the diff; its rows were not compared."),
    "diff-ragged-row": (ERROR, "A row has more cells than the header; the resource's rows were not compared."),
    "diff-missing-key-column": (ERROR, "A primary key column is missing from one side; rows were compared as a multiset."),
    "diff-duplicate-key": (ERROR, "Two rows share a primary key; rows were compared as a multiset."),
    "unexplained-revision": (ERROR, "A published value changed without a matching row (old value, new value, reason) in the revisions table."),
    # domain rules (checks/rules.py), when the package declares misti_data.indicators
    "rule-config-error": (ERROR, "misti_data.indicators names a resource or column the package does not have."),
    "percent-out-of-range": (ERROR, "A value in a percent unit is outside 0–100."),
    "count-not-whole": (ERROR, "A value in a count unit is negative or not a whole number."),
    "part-exceeds-total": (ERROR, "A part is larger than its total (of_indicator) at the same area and period_end."),
    "period-mismatch": (ERROR, "period_end does not fall in the row's period."),
    "period-after-publication": (ERROR, "period_end is after its source's publication date (or, without one, its event date)."),
    "qualifier-not-round": (WARNING, "'approximately' on a figure with more than 3 significant digits."),
    "stock-flow-identity": (ERROR, "Exact year-end figures break stock(y) = stock(y−1) + inflow(y) − outflow(y)."),
    "stock-change-vs-flows": (WARNING, "A stock's change on last year lies outside what the year's reported flows allow."),
    "stock-jump": (WARNING, "A stock's change on last year is far outside the series' earlier changes."),
    "provinces-exceed-national": (ERROR, "Provincial figures sum to more than the national figure."),
}


def finding(code: str, message: str, **where) -> Finding:
    """Build a finding with the catalogue's severity for `code`."""
    severity = CATALOGUE[code][0] if code in CATALOGUE else ERROR
    return Finding(code=code, severity=severity, message=message, **where)


__all__ = ["CATALOGUE", "ERROR", "WARNING", "finding"]
