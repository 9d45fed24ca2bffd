"""Text cells a spreadsheet would run as a formula (CSV injection), found with one regex per column.

OWASP's list of characters that start a formula when a CSV is opened in a spreadsheet: `=`, `+`,
`-`, `@`, and a tab or carriage return before them (some applications drop those). A cell is
flagged when, after any leading tabs and carriage returns, it starts with one of the four and what
follows is more than a number or a phone number: `=SUM(A1:A9)`, `+cmd|' /C calc'!A0`, `-2+3`,
`@SUM(1)`, `-abc` are flagged; `-5`, `+855 12 345 678`, `-12.5%`, `-` and `=` alone are not.
Only text fields are read: a number field cannot hold one without a type error.
"""

from __future__ import annotations

from misti_data.findings import Finding
from misti_data.registry import check
from misti_data.tables import ROW, TextCheck
from misti_data.tables.cell_findings import row_findings
from misti_data.tables.cells import quoted

# After the sign, some character a number or a phone number does not have: digits, whitespace,
# and . , ( ) / % - are theirs; anything else makes a formula.
FORMULA = r"(?s)^[\t\r]*[=+@-].*[^0-9\s.,()/%-]"


def formula_message(cell: str) -> str:
    return f"{quoted(cell)} reads as a spreadsheet formula"


# Handed to the CSV reader (Package.text_checks), which looks for it as it types each text column.
FORMULA_CELLS = TextCheck("formula-cell", FORMULA, formula_message)

__all__ = ["FORMULA", "FORMULA_CELLS", "check_formulas"]


@check("formulas")
def check_formulas(context) -> list[Finding]:
    import polars as pl

    found = []
    for table in context.tables():
        if table.formula_cells is not None:
            found += table.formula_cells  # a CSV table: the reader looked as it typed the cells
            continue
        if not table.readable:
            continue
        for name, dtype in table.frame.schema.items():
            if dtype != pl.String or name == ROW:
                continue
            hits = table.frame.select(ROW, name).filter(pl.col(name).str.contains(FORMULA))
            found += row_findings(
                "formula-cell", formula_message, hits.iter_rows(), name, table.where
            )
    return found
