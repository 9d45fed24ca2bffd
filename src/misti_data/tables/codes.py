"""The codes the table reader reports: file, structure, types and constraints (frictionless's codes)."""

from misti_data.findings import ERROR, WARNING
from misti_data.registry import register

READER_CODES = register(
    "the table reader",
    ("scheme-error", ERROR, "The resource's file cannot be opened."),
    ("format-error", ERROR, "The resource's file is not in its declared format."),
    ("encoding-error", ERROR, "The file is not in its declared encoding."),
    ("utf-8-bom", WARNING, "The file starts with a UTF-8 byte-order mark, which some readers keep in the first column's name."),
    ("source-error", ERROR, "The resource's data cannot be read."),
    ("hash-count", ERROR, "The file's hash differs from the descriptor's `hash`."),
    ("byte-count", ERROR, "The file's size differs from the descriptor's `bytes`."),
    ("blank-header", ERROR, "The file has no header row."),
    ("blank-label", ERROR, "A header cell is empty."),
    ("duplicate-label", ERROR, "Two header cells have the same label."),
    ("extra-label", ERROR, "The header has a column the schema does not declare."),
    ("missing-label", ERROR, "The header lacks a column the schema declares."),
    ("incorrect-label", ERROR, "A header label differs from the schema's field name."),
    ("malformed-quote", ERROR, "A quoted cell never closes, or closes before more text: the rows after it may be misread."),
    ("blank-row", ERROR, "A row is entirely empty."),
    ("extra-cell", ERROR, "A row has more cells than the header."),
    ("missing-cell", ERROR, "A row has fewer cells than the header."),
    ("type-error", ERROR, "A cell cannot be read as its field's type or format."),
    ("constraint-error", ERROR, "A cell breaks a field constraint (required, minimum, maximum, pattern, enum, length)."),
    ("field-error", ERROR, "A field descriptor in a Table Schema is not valid."),
)
