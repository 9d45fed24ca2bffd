"""Every finding code: its severity under the standard and under each profile, and its meaning.

The one table of codes, in the order the catalogue lists them (`misti-data checks`, docs/cli.md).
A code's severity is the standard's (MUST: error, SHOULD: warning); a profile may raise it, and a
code the standard does not ask for (severity None) is reported only under a profile that gives it
one. Whoever reports a code declares it (`@check(..., raises=...)` in checks/, READER_CODES in
tables/, DIFF_CODES in diff/); registry.py reads this table. Plain data: it imports only the
severity words and the profile names.
"""

from __future__ import annotations

from misti_data.findings import ERROR, WARNING
from misti_data.profiles import MISTI_DATA

OURS = {MISTI_DATA: ERROR}  # what our own profile makes of a code

# (code, severity, meaning[, {profile: severity under it}])
TABLE: tuple[tuple, ...] = (
    # descriptor (field-error: also the table reader, for a schema it reads)
    (
        "package-error",
        ERROR,
        "The descriptor is not a valid Data Package (e.g. it has no `resources`).",
    ),
    ("resource-error", ERROR, "A resource descriptor is not valid."),
    ("schema-error", ERROR, "A Table Schema is not valid or cannot be read."),
    (
        "version-not-semver",
        WARNING,
        "The package `version` is not a semantic version (MAJOR.MINOR.PATCH), as the spec says it should be.",
        OURS,
    ),
    ("version-missing", None, "The package has no `version`.", OURS),
    (
        "metadata-missing",
        WARNING,
        "The package has no `name` or no `licenses`, which the spec says it should have.",
        OURS,
    ),
    ("sources-missing", None, "The package has no `sources`.", OURS),
    ("profile-error", ERROR, "misti_data.profile names a profile misti-data does not know."),
    ("duplicate-resource", ERROR, "Two resources share a name."),
    ("field-error", ERROR, "A field descriptor in a Table Schema is not valid."),
    # safety
    (
        "outside-path",
        ERROR,
        "A resource path leaves the package folder; it was not read (see --allow-outside).",
    ),
    ("remote-path", ERROR, "A resource path is a URL; it was not read (see --allow-remote)."),
    (
        "invalid-path",
        ERROR,
        "A resource path holds a character no file name can (a NUL); it was not read.",
    ),
    # tables: what the table reader finds (frictionless's codes)
    ("scheme-error", ERROR, "The resource's file cannot be opened."),
    ("format-error", ERROR, "The resource's file is not in its declared format."),
    ("encoding-error", ERROR, "The file is not in its declared encoding."),
    ("compression-error", ERROR, "The file cannot be decompressed as its `compression` says."),
    (
        "utf-8-bom",
        WARNING,
        "The file starts with a UTF-8 byte-order mark, which some readers keep in the first column's name.",
    ),
    ("source-error", ERROR, "The resource's data cannot be read."),
    ("hash-count", ERROR, "The file's hash differs from the descriptor's `hash`."),
    ("byte-count", ERROR, "The file's size differs from the descriptor's `bytes`."),
    ("row-count", ERROR, "The table's row count differs from the descriptor's `rows`."),
    ("blank-header", ERROR, "The file has no header row."),
    ("blank-label", ERROR, "A header cell is empty."),
    ("duplicate-label", ERROR, "Two header cells have the same label."),
    ("extra-label", ERROR, "The header has a column the schema does not declare."),
    ("missing-label", ERROR, "The header lacks a column the schema declares."),
    ("incorrect-label", ERROR, "A header label differs from the schema's field name."),
    (
        "unmatched-header",
        ERROR,
        "With `fieldsMatch: partial`, no header label is a field of the schema.",
    ),
    (
        "malformed-quote",
        ERROR,
        "A quoted cell never closes, or closes before more text: the rows after it may be misread.",
    ),
    ("blank-row", ERROR, "A row is entirely empty."),
    ("extra-cell", ERROR, "A row has more cells than the header."),
    ("missing-cell", ERROR, "A row has fewer cells than the header."),
    ("type-error", ERROR, "A cell cannot be read as its field's type or format."),
    (
        "constraint-error",
        ERROR,
        "A cell breaks a field constraint (required, minimum, maximum, pattern, enum, length).",
    ),
    (
        "unsupported-feature",
        WARNING,
        "The package uses a feature of the standard that misti-data does not check; the warning names it.",
    ),
    # formulas
    (
        "formula-cell",
        WARNING,
        "A text cell starts with =, +, - or @ and reads as a spreadsheet formula (CSV injection); "
        "a spreadsheet that opens the CSV may run it.",
    ),
    # keys
    ("unique-error", ERROR, "A value repeats in a field declared unique."),
    ("primary-key", ERROR, "A primary key value repeats or is empty."),
    ("foreign-key", ERROR, "A foreign key value has no match in the referenced resource."),
    # provenance
    ("source-missing", ERROR, "A local source's file is not in the package."),
    (
        "source-hash-mismatch",
        ERROR,
        "A local source's file does not match the sha256 in the sources table.",
    ),
    ("citation-incomplete", ERROR, "A cited source lacks a URL, outlet or title."),
    ("quote-missing", ERROR, "A row from a local source has no quote."),
    ("quote-not-found", ERROR, "A quote does not occur verbatim in its source file."),
    (
        "quote-on-cited-source",
        ERROR,
        "A row from a cited source has a quote; cited rows keep the quote empty.",
    ),
    ("value-not-in-quote", ERROR, "The value cannot be read back from its quote."),
    ("qualifier-mismatch", ERROR, "The qualifier differs from how the quote states the figure."),
    (
        "rounding-mismatch",
        ERROR,
        "rounded_to differs from how far the quote rounds the figure (556 million: 1000000; every digit printed: empty).",
    ),
    ("text-not-in-quote", ERROR, "A text cell does not occur in its quote."),
    ("unknown-source", ERROR, "A row names a source the sources table does not list."),
    # revisions
    (
        "unexplained-revision",
        ERROR,
        "A published value changed without a matching row (old value, new value, reason) in the revisions table.",
    ),
    # domain
    (
        "rule-config-error",
        ERROR,
        "misti_data.indicators names a resource or column the package does not have.",
    ),
    ("percent-out-of-range", ERROR, "A value in a percent unit is outside 0–100."),
    ("count-not-whole", ERROR, "A value in a count unit is negative or not a whole number."),
    (
        "part-exceeds-total",
        ERROR,
        "A part is larger than its total (of_indicator) at the same area and period_end.",
    ),
    ("period-mismatch", ERROR, "period_end does not fall in the row's period."),
    (
        "period-after-publication",
        ERROR,
        "period_end is after its source's publication date (or, without one, its event date).",
    ),
    (
        "qualifier-not-round",
        WARNING,
        "'approximately' on a figure with more than 3 significant digits.",
    ),
    (
        "stock-flow-identity",
        ERROR,
        "Exact year-end figures break stock(y) = stock(y−1) + inflow(y) − outflow(y).",
    ),
    (
        "stock-change-vs-flows",
        WARNING,
        "A stock's change on last year lies outside what the year's reported flows allow.",
    ),
    (
        "stock-jump",
        WARNING,
        "A stock's change on last year is far outside the series' earlier changes.",
    ),
    (
        "provinces-exceed-national",
        ERROR,
        "Provincial figures sum to more than the national figure.",
    ),
    # diff: sides it could not compare
    (
        "diff-unreadable",
        ERROR,
        "A resource's file cannot be read for the diff; its rows were not compared.",
    ),
    (
        "diff-ragged-row",
        ERROR,
        "A row has more cells than the header; the resource's rows were not compared.",
    ),
    (
        "diff-missing-key-column",
        ERROR,
        "A key column (primary key or --key) is missing from one side; rows were compared as a multiset.",
    ),
    (
        "diff-duplicate-key",
        ERROR,
        "Two rows share a key (primary key or --key); rows were compared as a multiset.",
    ),
)
