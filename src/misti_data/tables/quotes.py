"""Misplaced quotes in a CSV file: where a quoted cell opens and never closes, or closes before text.

RFC 4180's grammar, as Python's csv module reads it with `strict=True`: a cell is either quoted
(`"…"`, a quote inside doubled) and followed by the delimiter or the row's end, or unquoted (a
quote inside it, not at its start, is text). Python's csv module without `strict`, and so
frictionless, reads on past a misplaced quote: an unclosed one takes the rest of the file into
one cell, so rows vanish without a word. The fast path only asks whether any row breaks the
grammar (one regular expression over the rows that have a quote, in polars); the walk that says
where runs only when one does.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache

from misti_data.tables.dialect import Dialect
from misti_data.words import plural

_EOL = r"(?:\r\n|\n|\r)"


@dataclass(frozen=True)
class QuoteProblem:
    row: int | None  # as frictionless numbers rows (the header is row 1); None in a comment row
    column: int | None  # the cell's position in its row, 0-based (names the field)
    message: str


def scannable(dialect: Dialect) -> bool:
    """True for the dialects whose quoting this grammar describes (doubled quotes, no escape character)."""
    return bool(dialect.quote_char) and dialect.double_quote and dialect.escape_char is None


def _esc(c: str) -> str:
    # `\xHH` means the same to polars's (Rust) regex engine and to Python's; only ASCII reaches polars.
    return f"\\x{ord(c):02x}" if ord(c) < 128 else re.escape(c)


def row_pattern(dialect: Dialect) -> str:
    """A whole row (quoted newlines joined with \\n) that keeps to the grammar, for polars's `str.contains`."""
    d, q = _esc(dialect.delimiter), _esc(dialect.quote_char)
    cell = f"(?:{q}(?:[^{q}]*{q}{q})*[^{q}]*{q}|[^{d}{q}\\r\\n][^{d}\\r\\n]*|)"
    return f"^{cell}(?:{d}{cell})*$"


@dataclass(frozen=True)
class _Grammar:
    rows: re.Pattern  # a run of rows that keep to the grammar, each with its line end
    cell: (
        re.Pattern
    )  # one cell that keeps to it, and what follows it (`sep`: delimiter, line end or "")
    quoted: re.Pattern  # one quoted cell
    rest: re.Pattern  # what the lenient reader adds to a cell after its closing quote
    space: re.Pattern  # what the reader skips before a cell
    sep: re.Pattern  # what ends a cell


@lru_cache(maxsize=8)
def _grammar(delimiter: str, quote: str, skip_space: bool) -> _Grammar:
    d, q = _esc(delimiter), _esc(quote)
    space = " *+" if skip_space else ""
    # Possessive: a cell that does not close fails at once instead of backtracking over the file.
    quoted = f"{q}(?:[^{q}]++|{q}{q})*+{q}"
    cell = f"{space}(?>{quoted}|[^{d}{q}\\r\\n][^{d}\\r\\n]*+|)"
    return _Grammar(
        rows=re.compile(f"(?:{cell}(?:{d}{cell})*+{_EOL})*+"),
        cell=re.compile(f"{cell}(?P<sep>{d}|{_EOL}|\\Z)"),
        quoted=re.compile(quoted),
        rest=re.compile(f"[^{d}\\r\\n]*+"),
        space=re.compile(space),
        sep=re.compile(f"(?P<sep>{d}|{_EOL}|\\Z)"),
    )


class _Lines:
    """Line and column of offsets in `text`, counted forward from the last one asked for."""

    def __init__(self, text: str, before: int = 0):
        self.text, self.offset, self.line, self.start = text, 0, 1 + before, 0

    def at(self, pos: int) -> tuple[int, int]:
        for m in re.finditer(_EOL, self.text[self.offset : pos]):
            self.line += 1
            self.start = self.offset + m.end()
        self.offset = pos
        return self.line, pos - self.start + 1

    def after(self, pos: int) -> int:
        """How many lines follow the one `pos` is on (a final line end starts no line)."""
        rest = self.text[pos:]
        return len(re.findall(_EOL, rest)) - bool(re.search(f"{_EOL}\\Z", rest))


def quote_problems(text: str, dialect: Dialect, reader, before: int = 0) -> list[QuoteProblem]:
    """Each row with a misplaced quote, numbered as `reader` (the lenient csv reader of the file) numbers it;
    `text` may be the end of a file, after `before` lines (its rows are numbered from 1 all the same)."""
    g = _grammar(dialect.delimiter, dialect.quote_char, dialect.skip_initial_space)
    lines, problems, pos, row = _Lines(text, before), [], 0, 0
    while pos < len(text):
        end = g.rows.match(text, pos).end()
        row += sum(1 for _ in reader(io.StringIO(text[pos:end], newline="")))
        if end == len(text):
            break
        # The row at `end` breaks the grammar, or is the last one and has no line end. Comment rows
        # count, as frictionless numbers rows; a problem in one has no row (it is not data).
        comment = bool(dialect.comment_char) and text.startswith(dialect.comment_char, end)
        row += 1
        pos, column = end, 0
        while True:
            m = g.cell.match(text, pos)
            if m is None:
                problem, pos = _misplaced(text, g.space.match(text, pos).end(), g, lines, dialect)
                problems.append(
                    QuoteProblem(None, None, problem)
                    if comment
                    else QuoteProblem(row, column, problem)
                )
                if pos is None:
                    return problems
                m = g.sep.match(text, pos)
            pos = m.end()
            if m["sep"] != dialect.delimiter:
                break
            column += 1
    return problems


def _misplaced(
    text: str, pos: int, g: _Grammar, lines: _Lines, dialect: Dialect
) -> tuple[str, int | None]:
    """What is wrong with the quoted cell at `pos`, and where the lenient reader's cell ends (None: never)."""
    line, col = lines.at(pos)
    closed = g.quoted.match(text, pos)
    if closed is None:
        n = lines.after(pos)
        lost = (
            f": the {plural(n, 'line')} after it {'is' if n == 1 else 'are'} read into that one cell, not as rows"
            if n
            else ""
        )
        return (
            f"a quote opens a cell at line {line}, column {col} and never closes{lost}; "
            f'close the quote, or double it ("") if it is text'
        ), None
    end_line, end_col = lines.at(closed.end() - 1)
    after = text[closed.end()]
    where = f"column {end_col}" if end_line == line else f"line {end_line}, column {end_col}"
    return (
        f"a quoted cell opens at line {line}, column {col} and closes at {where} before {after!r}, not before "
        f"{dialect.delimiter!r} or the line's end; quote the whole cell and double any quote inside it"
    ), g.rest.match(text, closed.end()).end()


def first_problem(rows_read: int, error: csv.Error) -> QuoteProblem:
    """The one problem Python's strict reader names, for the dialects the grammar does not describe."""
    return QuoteProblem(
        rows_read + 1, None, f"Python's csv module cannot read the quoting of this row: {error}"
    )
