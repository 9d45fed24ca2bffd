"""Read a CSV resource fast and find its structural problems, numbered as frictionless numbers rows.

polars reads the cells (all as strings); a second polars pass over the raw lines counts the cells
of each row, so ragged and blank rows are found without a Python loop, unless the file is provably
regular (`_regular`: no quote character, no short row, one delimiter count). Python's csv module
(1.8 s per million rows here, against 0.3 s for both polars passes) is used only to read the
header, to read back the cells of the few ragged rows, and as the fallback when polars cannot
parse the file (a misplaced quote, which tables/quotes.py then locates; a multi-byte delimiter).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import sys
from dataclasses import dataclass

from misti_data.findings import Finding
from misti_data.registry import finding
from misti_data.tables.dialect import Dialect
from misti_data.tables.quotes import first_problem, quote_problems, row_pattern, scannable

BOM = codecs.BOM_UTF8
# Bytes that never occur in text CSV; one absent from the file lets polars split it into raw lines.
_LINE_SEPARATORS = (b"\x1f", b"\x1e", b"\x1d", b"\x1c", b"\x00")


@dataclass
class Cells:
    """A CSV file's header and cells, one string column per header cell (`c0`, `c1`, ...)."""

    labels: list[str] | None
    cells: object  # polars DataFrame: c0..cN, then `row` (the row number frictionless gives)
    width: int
    records: int = 0  # rows read, header, comment and blank rows included (the next chunk numbers on from here)
    blank: int = 0  # blank rows left out of `cells`
    withheld: dict = None  # code -> structural findings counted but not made (past `cap` per code)


def quoted(cell, n: int = 40) -> str:
    """A cell as a one-line message shows it: in double quotes, newlines escaped, long ones cut."""
    text = "" if cell is None else str(cell).replace("\r", "\\r").replace("\n", "\\n")
    return f'"{text if len(text) <= n else text[: n - 1] + "…"}"'


def bom_warning(data: bytes, dialect: Dialect, where: dict) -> Finding:
    first = next(iter(_first_rows(data, dialect, 1)), [])
    label = "\ufeff" + (first[0] if first else "")
    return finding(
        "utf-8-bom",
        f"the file starts with a UTF-8 byte-order mark: Python's csv.DictReader, and some other tools, then name the "
        f"first column {label!r}; re-save it as UTF-8 without BOM, e.g. `sed -i '1s/^\\xEF\\xBB\\xBF//' {where.get('path') or 'FILE'}`",
        row=1,
        **where,
    )


def read_labels(data: bytes, dialect: Dialect) -> list[str] | None:
    """The header's labels, None when the dialect says there is no header, [] when the file has
    none of the header rows. Several header rows are joined by `headerJoin` per column, a cell
    that repeats the one above it (a merged cell) once, as frictionless joins them."""
    if not dialect.header:
        return None
    labels: list[str] = []
    above: dict[int, str] = {}
    seen = False
    for number, cells in enumerate(
        _first_rows(data, dialect, dialect.first_content_row - 1), start=1
    ):
        if number not in dialect.header_rows or is_comment(number, cells[:1], dialect):
            continue
        seen = True
        for i, cell in enumerate(cells):
            if above.get(i) == cell:
                continue
            above[i] = cell
            if i < len(labels):
                labels[i] = dialect.header_join.join([labels[i], cell])
            else:
                labels.append(cell)
    if dialect.delimiter_as_written:
        labels = [
            label.replace(dialect.delimiter, dialect.delimiter_as_written) for label in labels
        ]
    return (labels or [""]) if seen else []  # an empty header row is a header of one blank label


def first_row(data: bytes, dialect: Dialect) -> list[str]:
    """The first data row's cells: how wide a table without header or schema is."""
    rows = _first_rows(data, dialect, dialect.first_content_row + len(dialect.comment_rows))
    return next(
        (
            cells
            for n, cells in enumerate(rows, 1)
            if not dialect.skips(n) and not is_comment(n, cells[:1], dialect)
        ),
        [],
    )


def is_comment(number: int, first_cell: list[str], dialect: Dialect) -> bool:
    return number in dialect.comment_rows or bool(
        dialect.comment_char and first_cell and first_cell[0].startswith(dialect.comment_char)
    )


def read_cells(
    data: bytes,
    dialect: Dialect,
    labels: list[str] | None,
    names: list[str],
    missing: list[tuple[str, ...]],
    where: dict,
    *,
    offset: int = 0,
    final: bool = True,
    cap: dict | None = None,
    lines: int = 0,
) -> tuple[Cells, list[Finding]] | None:
    """The table's cells (blank, comment and header rows left out) and its structural findings.

    `data` is UTF-8 without BOM; `labels` are its header (read_labels); `names` name each column
    (the field it maps to) and give the width; `missing` are each column's missing values.
    `data` may be one chunk of the file (tables/stream.py): its rows are numbered after the
    `offset` rows before it, and when polars cannot read it exactly and it is not the `final`
    chunk, None (the caller reads the rest of the file with it). `cap` limits the findings made
    per code (code -> how many more); the rest are counted in Cells.withheld.
    """
    width = len(names)
    read = _polars_cells(data, dialect, missing)
    if read is None and not final:
        return None
    cells, counts, row_cells, quotes = read or _python_cells(data.decode(), dialect, missing, lines)
    records = cells.height
    found, cells, blank, withheld = _structure(
        cells, counts, width, dialect, names, row_cells, where, offset, cap
    )
    found[:0] = [
        finding(
            "malformed-quote",
            p.message,
            row=None if p.row is None else p.row + offset,
            field=names[p.column] if p.column is not None and p.column < len(names) else None,
            **where,
        )
        for p in quotes
    ]
    if dialect.delimiter_as_written:
        import polars as pl

        cells = cells.with_columns(
            pl.col(f"c{i}").str.replace_all(
                dialect.delimiter, dialect.delimiter_as_written, literal=True
            )
            for i in range(width)
        )
    return Cells(labels, cells, width, records, blank, withheld), found


def _first_rows(data: bytes, dialect: Dialect, n: int) -> list[list[str]]:
    head = data[: 1 << 20].decode("utf-8", errors="ignore")
    try:
        return list(itertools.islice(_reader(io.StringIO(head, newline=""), dialect), n))
    except csv.Error:
        return [line.split(dialect.delimiter) for line in head.splitlines()[:n]]


def _reader(f, dialect: Dialect, strict: bool = False):
    csv.field_size_limit(sys.maxsize)
    options = dict(
        delimiter=dialect.delimiter,
        doublequote=dialect.double_quote,
        escapechar=dialect.escape_char,
        skipinitialspace=dialect.skip_initial_space,
        strict=strict,
    )
    if dialect.quote_char:
        return csv.reader(f, quotechar=dialect.quote_char, **options)
    return csv.reader(f, quoting=csv.QUOTE_NONE, **options)


def _polars_cells(data: bytes, dialect: Dialect, missing: list[tuple[str, ...]]):
    """(cells, cells per row, cells of row i) read by polars, or None when polars cannot read this file exactly."""
    import polars as pl

    line_sep = next((s for s in _LINE_SEPARATORS if s not in data), None)
    if not dialect.plain or line_sep is None:
        return None
    try:
        cells = _read_cells(data, dialect, missing)
        if _regular(data, dialect, missing, cells):
            return (
                cells,
                pl.repeat(cells.width, cells.height, dtype=pl.UInt32, eager=True),
                None,
                [],
            )
        lines = pl.read_csv(
            data,
            has_header=False,
            separator=line_sep.decode(),
            quote_char=None,
            schema={"line": pl.String},
            empty_string_is_null=False,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError:
        return None
    rows = _logical_rows(lines, dialect.quote_char)
    if rows is None or rows.height != cells.height:
        return None
    # One query over the rows (a frame's columns are split across threads; a Series' are not).
    quote, line = dialect.quote_char, pl.col("line")
    has_quote = line.str.contains(quote, literal=True) if quote else pl.lit(False)
    shape = rows.select(
        n=line.str.count_matches(dialect.delimiter, literal=True) + 1,
        q=has_quote,
        kept=_keeps_grammar(line.filter(has_quote), dialect),
    )
    if not shape["kept"].all():
        return None
    lines = rows["line"]
    return (
        cells,
        _cell_counts(shape, cells, dialect),
        lambda i: next(_reader(io.StringIO(lines[i], newline=""), dialect), []),
        [],
    )


def _regular(data: bytes, dialect: Dialect, missing: list[tuple[str, ...]], cells) -> bool:
    """Whether the file's structure is provably regular, so its raw lines need not be read nor their
    cells counted (0.2 to 0.25 s per million rows here): no quote character in it (one line is one
    row, and no quote can be misplaced); no short or blank row (polars pads a short row with empty
    cells, so when an empty cell is a missing value, a last column without a null rules both out);
    and then no long row either, as the file holds exactly (width - 1) delimiters per row."""
    width = cells.width
    if (
        "" not in (missing[-1] if missing else ("",))
        or dialect.quote_char
        and dialect.quote_char.encode() in data
    ):
        return False
    return (
        bool(cells.height)
        and not cells[f"c{width - 1}"].null_count()
        and data.count(dialect.delimiter.encode()) == (width - 1) * cells.height
    )


def _read_cells(data: bytes, dialect: Dialect, missing: list[tuple[str, ...]]):
    """Every cell as a string, missing values as nulls, a row's extra cells cut off."""
    import polars as pl

    # One list for every column (the usual case) is applied while parsing; field-level lists after.
    shared = missing[0] if missing and all(m == missing[0] for m in missing) else ()
    cells = pl.read_csv(
        data,
        has_header=False,
        separator=dialect.delimiter,
        quote_char=dialect.quote_char,
        schema={f"c{i}": pl.String for i in range(max(len(missing), 1))},
        truncate_ragged_lines=True,
        missing_columns="insert",
        null_values=[v for v in shared if v != ""] or None,
        empty_string_is_null="" in shared,
        raise_if_empty=False,
    )
    if not shared:
        cells = cells.with_columns(
            pl.when(pl.col(f"c{i}").is_in(list(m)))
            .then(None)
            .otherwise(pl.col(f"c{i}"))
            .alias(f"c{i}")
            for i, m in enumerate(missing)
            if m
        )
    elif "" in shared:
        # empty_string_is_null leaves a quoted empty cell ("") as "": it is missing too, as frictionless reads it.
        cells = cells.with_columns(
            pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in cells.columns
        )
    return cells


def _keeps_grammar(quoted, dialect: Dialect):
    """Whether every row with a quote keeps to the quoting grammar: polars reads `"a"b"c"` as abc
    where Python's csv module (and frictionless) reads ab"c", so a file whose row breaks it goes to
    the careful reader, which says where. 0.05 to 0.09 s for the 333,334 rows with a quote of the
    1M-row benchmark, run beside the delimiter count."""
    import polars as pl

    return quoted.str.contains(row_pattern(dialect)).all() if dialect.quote_char else pl.lit(True)


def _logical_rows(lines, quote: str | None):
    """Join the physical lines that a quoted newline splits, so there is one string per row."""
    import polars as pl

    if not quote:
        return lines
    odd = lines.select(pl.col("line").str.count_matches(quote, literal=True) % 2 == 1)["line"]
    if not odd.any():
        return lines
    still_open = odd.cast(pl.Int64).cum_sum() % 2 == 1
    row_id = (~still_open.shift(1, fill_value=False)).cast(pl.Int64).cum_sum()
    if still_open[-1]:
        return None  # an unclosed quote: let the careful reader report what it can
    grouped = lines.with_columns(row=row_id).group_by("row", maintain_order=True)
    return grouped.agg(pl.col("line").str.join("\n"))


def _cell_counts(shape, cells, dialect: Dialect):
    """Cells per row: its delimiters (`shape`'s `n`, plus one), less those inside quoted cells.

    Counting the delimiters inside the parsed cells is three times faster than stripping the
    quoted sections with a regex (0.2 s against 0.65 s per million rows here); only a row with a
    quote can have a cell that holds the delimiter.
    """
    import polars as pl

    sep, counts, has_quote = dialect.delimiter, shape["n"], shape["q"]
    if has_quote.any():
        # which columns hold the delimiter inside a cell: one query over all columns, in parallel
        holds = (
            cells.filter(has_quote)
            .select(pl.col(c).str.contains(sep, literal=True).any() for c in cells.columns)
            .row(0)
        )
        inside = [c for c, held in zip(cells.columns, holds) if held]
        if inside:
            counts = (
                counts
                - cells.select(
                    pl.sum_horizontal(
                        pl.col(c).str.count_matches(sep, literal=True).fill_null(0) for c in inside
                    )
                ).to_series()
            )
    return counts


def _python_cells(text: str, dialect: Dialect, missing: list[tuple[str, ...]], lines: int = 0):
    """The careful reader: Python's csv module, for files and dialects polars cannot read exactly."""
    import polars as pl

    rows, quotes = [], []
    try:
        rows.extend(_reader(io.StringIO(text, newline=""), dialect, strict=True))
    except csv.Error as e:
        # A misplaced quote: name each one, then read the file as frictionless reads it.
        reader = lambda f: _reader(f, dialect)
        quotes = (
            quote_problems(text, dialect, reader, lines)
            if scannable(dialect)
            else [first_problem(len(rows), e)]
        )
        try:
            rows = list(reader(io.StringIO(text, newline="")))
        except csv.Error:
            # e.g. a NUL byte: keep each line as one row rather than give up on the file.
            rows = [line.split(dialect.delimiter) for line in text.splitlines()]
    columns = {
        f"c{i}": [r[i] if i < len(r) and r[i] not in nulls else None for r in rows]
        for i, nulls in enumerate(map(set, missing or [()]))
    }
    cells = pl.DataFrame(columns, schema={c: pl.String for c in columns})
    return (
        cells,
        pl.Series("row", [len(r) for r in rows], dtype=pl.UInt32),
        rows.__getitem__,
        quotes,
    )


def _structure(
    cells,
    counts,
    width,
    dialect: Dialect,
    names,
    row_cells,
    where: dict,
    offset: int = 0,
    cap: dict | None = None,
):
    """Blank rows, extra cells and missing cells; and the cells of the other rows, numbered.

    Returns (findings, cells, blank rows, {code: findings counted but not made}): at most
    `cap[code]` findings of each code are made, the rest only counted."""
    import polars as pl

    # Rows are numbered as read, header and comment rows included; those rows are not data.
    first = dialect.first_content_row
    skip = min(max(first - 1 - offset, 0), cells.height)
    cells = cells.slice(skip).with_columns(
        pl.int_range(offset + skip + 1, offset + cells.height + 1, dtype=pl.Int64).alias("row")
    )
    counts = counts.slice(skip)
    if dialect.comment_rows or dialect.comment_char:
        comment = pl.col("row").is_in(list(dialect.comment_rows))
        if dialect.comment_char:
            comment |= pl.col("c0").str.starts_with(dialect.comment_char).fill_null(False)
        keep = cells.select(~comment).to_series()
        cells, counts = cells.filter(keep), counts.filter(keep)
    data_columns = [c for c in cells.columns if c != "row"]
    if all(cells[c].null_count() for c in data_columns):
        empty = cells.select(
            pl.all_horizontal([pl.col(c).is_null() for c in data_columns])
        ).to_series()
    else:  # a column without an empty cell: no row is blank (a null count is kept, not counted)
        empty = pl.repeat(False, cells.height, dtype=pl.Boolean, eager=True)
    blank = empty & (counts <= width)
    odd = (
        cells.select("row")
        .with_columns(n=counts.cast(pl.Int64), blank=blank)
        .filter(pl.col("blank") | (pl.col("n") != width))
    )
    found: list[Finding] = []
    withheld: dict[str, int] = {}
    if cap is not None and not odd.is_empty():
        # Count every code exactly; make findings for the first rows only.
        totals = odd.select(
            pl.col("blank").sum().alias("blank-row"),
            (width - pl.col("n")).clip(0).filter(~pl.col("blank")).sum().alias("missing-cell"),
            (pl.col("n") - width).clip(0).filter(~pl.col("blank")).sum().alias("extra-cell"),
        ).row(0, named=True)
        short, long = (
            (pl.col("n") < width) & ~pl.col("blank"),
            (pl.col("n") > width) & ~pl.col("blank"),
        )
        kinds = {"blank-row": pl.col("blank"), "missing-cell": short, "extra-cell": long}
        rows_of = odd.select(**{code: kind.sum() for code, kind in kinds.items()}).row(
            0, named=True
        )
        # Every row of a kind is read when there are no more than `cap` of them (its count is then
        # the findings made); past that, its count comes from the cells per row.
        whole = {code for code, n in rows_of.items() if n <= cap.get(code, 0)}
        odd = pl.concat(
            [
                odd.filter(kind) if code in whole else odd.filter(kind).head(cap.get(code, 0))
                for code, kind in kinds.items()
            ]
        ).sort("row")
    for row, n, is_blank in odd.iter_rows():
        if is_blank:
            found.append(finding("blank-row", "the row is empty", row=row, **where))
        elif n < width:
            found += [
                finding(
                    "missing-cell",
                    f"the row has {n} of {width} cells",
                    row=row,
                    field=names[i] if i < len(names) else None,
                    **where,
                )
                for i in range(n, width)
            ]
        else:
            values = row_cells(row - 1 - offset)
            found += [
                finding(
                    "extra-cell",
                    f"the row has {len(values)} cells, expected {width}",
                    row=row,
                    cell=value,
                    **where,
                )
                for value in values[width:]
            ]
    if cap is not None and odd.height:
        kept: dict[str, int] = {}
        trimmed = []
        for f in found:
            kept[f.code] = kept.get(f.code, 0) + 1
            if kept[f.code] <= cap.get(f.code, 0):
                trimmed.append(f)
        found = trimmed
        withheld = {
            code: (kept.get(code, 0) if code in whole else int(total or 0))
            - min(kept.get(code, 0), cap.get(code, 0))
            for code, total in totals.items()
        }
        withheld = {code: n for code, n in withheld.items() if n > 0}
    blanks = int(blank.sum())
    return found, (cells.filter(~blank) if blanks else cells), blanks, withheld
