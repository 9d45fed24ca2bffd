"""Where each row's cells start in the file, as an editor counts: line and column.

Rows are numbered as the table reader numbers them (the records Python's csv module reads with the
resource's whole dialect: header rows, comment rows and blank lines count), so a finding's row
maps to the line it starts on even below a quoted cell that spans lines. Columns follow the same
dialect: delimiter, quote character, escape character, and skipInitialSpace.
"""

from __future__ import annotations

import io

from misti_data.tables.cells import _reader
from misti_data.tables.dialect import Dialect

Start = tuple[int, int]  # (line, column), both 1-based


def cell_starts(text: str, dialect: Dialect, rows: set[int]) -> dict[int, list[Start]]:
    """{row: [(line, column) where each of its cells starts]} for the wanted rows (1-based)."""
    out: dict[int, list[Start]] = {}
    if (
        not rows
        or dialect.delimiter_as_written
        or (dialect.line_terminator or "\n") not in ("\n", "\r\n", "\r")
    ):
        return out  # a rewritten dialect: its lines are not the file's
    # Split as the csv module's line counter does (\n, \r\n or \r), not at every Unicode line break.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    reader = _reader(io.StringIO(text, newline=""), dialect)
    first_line, last = 1, max(rows)
    for number, _ in enumerate(reader, start=1):
        if number in rows:
            out[number] = _starts(lines[first_line - 1 : reader.line_num], first_line, dialect)
        if number >= last:
            break
        first_line = reader.line_num + 1
    return out


def _starts(lines: list[str], first_line: int, dialect: Dialect) -> list[Start]:
    """Where each cell of the record written on `lines` starts."""
    quote, escape, delimiter = dialect.quote_char, dialect.escape_char, dialect.delimiter
    starts: list[Start] = []
    quoted = escaped = False
    at_start = True
    for line_no, line in enumerate(lines, start=first_line):
        if (
            not quoted
            and not escaped
            and (quote is None or quote not in line)
            and (escape is None or escape not in line)
        ):
            starts += _split(line, line_no, delimiter, dialect.skip_initial_space, at_start)
            return starts  # the record's last line: nothing quoted runs on
        i = 0
        while i < len(line):
            if at_start:
                if dialect.skip_initial_space and line[i] == " ":
                    i += 1
                    continue
                starts.append((line_no, i + 1))
                at_start = False
            ch = line[i]
            if escaped:
                escaped = False
            elif escape is not None and ch == escape:
                escaped = True
            elif quote is not None and ch == quote:
                quoted = not quoted  # a doubled quote toggles twice
            elif not quoted and line.startswith(delimiter, i):
                at_start = True
                i += len(delimiter)
                continue
            i += 1
        if at_start and not quoted:
            starts.append((line_no, len(line) + 1))  # an empty last cell
            at_start = False
        escaped = False  # an escaped line break is part of the cell
    return starts


def _split(
    line: str, line_no: int, delimiter: str, skip_space: bool, at_start: bool
) -> list[Start]:
    """Cell starts on a line without quote or escape characters."""
    starts, col = [], 1
    for n, cell in enumerate(line.split(delimiter)):
        if n or at_start:
            pad = len(cell) - len(cell.lstrip(" ")) if skip_space else 0
            starts.append((line_no, col + pad))
        col += len(cell) + len(delimiter)
    return starts
