"""The codes the table reader reports: file, structure, types and constraints (frictionless's codes;
their severity and meaning are in misti_data.codes)."""

from misti_data.registry import known

READER_CODES = known(
    "scheme-error", "format-error", "encoding-error", "compression-error", "utf-8-bom",
    "source-error", "hash-count", "byte-count", "row-count", "blank-header", "blank-label",
    "duplicate-label", "extra-label", "missing-label", "incorrect-label", "unmatched-header",
    "malformed-quote", "blank-row", "extra-cell", "missing-cell", "type-error", "constraint-error",
    "field-error", "unsupported-feature",
)
