"""A resource's whole CSV dialect, from Data Package v1/v2 `dialect` (Table Dialect and CSV
Dialect 1.2), frictionless v5's `csv` control and v4's `layout`, the resource's `format` and
`encoding`; and the two rewrites that let one reader take any of them (a multi-character
delimiter, a line terminator that is not a line break)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from misti_data.errors import CannotRun
from misti_data.package import Package, path_problem, read_json

# A byte that never occurs in text CSV, to stand for a multi-character delimiter.
_STAND_IN = "\x1f"


@dataclass(frozen=True)
class Dialect:
    delimiter: str = ","
    quote_char: str | None = '"'
    double_quote: bool = True
    escape_char: str | None = None
    header: bool = True
    header_rows: tuple[int, ...] = (1,)
    header_join: str = " "
    case_sensitive_header: bool = True
    line_terminator: str | None = None
    skip_initial_space: bool = False
    comment_char: str | None = None
    comment_rows: tuple[int, ...] = ()
    null_sequence: str | None = None
    encoding: str = "utf-8"
    # A multi-character delimiter read as _STAND_IN: cells are given it back after reading.
    delimiter_as_written: str | None = None

    @property
    def plain(self) -> bool:
        """True when polars's reader reads this dialect exactly (else Python's csv module does)."""
        single = lambda c: c is None or len(c.encode()) == 1
        return (
            single(self.delimiter)
            and single(self.quote_char)
            and self.double_quote
            and self.escape_char is None
            and not self.skip_initial_space
            and self.line_terminator in (None, "\n", "\r\n")
        )

    @property
    def first_content_row(self) -> int:
        """The first row that can hold data: the one after the last header row."""
        return max(self.header_rows) + 1 if self.header and self.header_rows else 1

    def skips(self, row: int) -> bool:
        """A row that is neither header nor data by its number: before the data, or a comment row."""
        return row < self.first_content_row or row in self.comment_rows


def dialect_spec(package: Package, resource: dict) -> dict:
    """The resource's dialect descriptor, read from its file when it is a path, with v4's `layout`."""
    spec = resource.get("dialect")
    if isinstance(spec, str) and not path_problem(package, spec):
        try:
            spec = read_json(package.base / spec)
        except CannotRun:
            spec = {}
    spec = spec if isinstance(spec, dict) else {}
    if isinstance(resource.get("layout"), dict):  # frictionless v4's name for the header options
        spec = {**resource["layout"], **spec}
    return spec


def dialect_of(package: Package, resource: dict) -> Dialect:
    spec = dialect_spec(package, resource)
    if isinstance(spec.get("csv"), dict):
        spec = {**spec, **spec["csv"]}
    char = lambda key, default: (
        spec[key] if isinstance(spec.get(key), str) and len(spec[key]) == 1 else default
    )
    text = lambda key, default: (
        spec[key] if isinstance(spec.get(key), str) and spec[key] else default
    )
    flag = lambda key, default: spec[key] if isinstance(spec.get(key), bool) else default
    rows = lambda key, default: (
        tuple(n for n in spec[key] if isinstance(n, int) and not isinstance(n, bool) and n >= 1)
        if isinstance(spec.get(key), list)
        else default
    )
    fmt = resource.get("format").lower() if isinstance(resource.get("format"), str) else None
    path = resource.get("path") if isinstance(resource.get("path"), str) else ""
    tsv = fmt == "tsv" or (fmt is None and path.lower().endswith(".tsv"))
    header_rows = rows("headerRows", (1,))
    # frictionless's `headerCase` and CSV Dialect 1.2's `caseSensitiveHeader`; case-sensitive unless one says not.
    case_sensitive = flag("headerCase", flag("caseSensitiveHeader", True))
    return Dialect(
        delimiter=text("delimiter", "\t" if tsv else ","),
        quote_char=None if spec.get("quoteChar") == "" else char("quoteChar", '"'),
        double_quote=flag("doubleQuote", True),
        escape_char=char("escapeChar", None),
        header=spec.get("header", True) is not False and header_rows != (),
        header_rows=header_rows or (1,),
        header_join=spec["headerJoin"] if isinstance(spec.get("headerJoin"), str) else " ",
        case_sensitive_header=case_sensitive,
        line_terminator=text("lineTerminator", None),
        skip_initial_space=flag("skipInitialSpace", False),
        comment_char=text("commentChar", None),
        comment_rows=rows("commentRows", ()),
        null_sequence=spec["nullSequence"] if isinstance(spec.get("nullSequence"), str) else None,
        encoding=resource["encoding"]
        if isinstance(resource.get("encoding"), str) and resource["encoding"]
        else "utf-8",
    )


def rewrite(data: bytes, dialect: Dialect) -> tuple[bytes, Dialect, str | None]:
    """The file and dialect as the reader can take them, and what cannot be read as declared.

    A delimiter of several characters becomes one byte the file does not hold (cells get it back
    after reading); a line terminator other than a line break becomes a line break, outside
    quoted cells, when the file has no line breaks of its own.
    """
    survey = Survey(dialect)
    survey.add(data)
    dialect, problem, transform = survey.plan()
    return transform(data, True), dialect, problem


def needs_rewrite(dialect: Dialect) -> bool:
    """Whether the file must be surveyed (one streaming pass) before it is read: see Survey."""
    term = dialect.line_terminator
    return bool(term and term not in ("\n", "\r\n", "\r")) or len(dialect.delimiter) > 1


class Survey:
    """What rewrite needs to know of a whole file, learnt block by block: whether it has line
    breaks of its own before its trailing ones, and whether it holds the stand-in byte."""

    def __init__(self, dialect: Dialect):
        self.dialect = dialect
        self.breaks = False  # a line break followed by more text
        self.pending = False  # the text so far ends with line breaks
        self.stand_in = False

    def add(self, block: bytes) -> None:
        if not block:
            return
        body = block.rstrip(b"\r\n")
        if body and (self.pending or b"\n" in body or b"\r" in body):
            self.breaks = True
        self.pending = len(body) < len(block) or (self.pending and not body)
        self.stand_in = self.stand_in or _STAND_IN.encode() in block

    def plan(self):
        """(the dialect to read with, what cannot be read as declared, transform(chunk, last) -> chunk)."""
        dialect, problem, steps = self.dialect, None, []
        term = dialect.line_terminator
        if term and term not in ("\n", "\r\n", "\r"):
            if self.breaks:
                problem = f"lineTerminator {term!r} in a file that also has line breaks: rows are split at the line breaks"
            else:
                quote = dialect.quote_char
                steps.append(
                    lambda data, last: (
                        (_split_rows(data.rstrip(b"\r\n"), term.encode(), quote) + b"\n")
                        if last
                        else _split_rows(data, term.encode(), quote)
                    )
                )
            dialect = replace(dialect, line_terminator=None)
        if len(dialect.delimiter) > 1:
            if self.stand_in:
                problem = f"delimiter {dialect.delimiter!r} in a file that holds the byte 0x1f: the file is not read"
            else:
                written = dialect.delimiter.encode()
                steps.append(lambda data, last: data.replace(written, _STAND_IN.encode()))
                dialect = replace(
                    dialect, delimiter=_STAND_IN, delimiter_as_written=dialect.delimiter
                )

        def transform(data: bytes, last: bool) -> bytes:
            for step in steps:
                data = step(data, last)
            return data

        return dialect, problem, transform


def _split_rows(body: bytes, term: bytes, quote: str | None) -> bytes:
    """Each `term` outside quoted cells becomes a line break."""
    if not quote:
        return body.replace(term, b"\n")
    q = re.escape(quote.encode())
    cells = re.compile(q + b"(?:[^" + q + b"]|" + q + q + b")*" + q + b"|" + re.escape(term))
    return cells.sub(lambda m: m.group(0) if m.group(0) != term else b"\n", body)


def for_frictionless(spec: dict, fmt: str) -> tuple[dict, list[str]]:
    """The dialect as frictionless 5 reads it (Table Dialect v2's JSON and spreadsheet properties
    as its controls, `caseSensitiveHeader` as `headerCase`), and what it would ignore."""
    out = {
        k: v
        for k, v in spec.items()
        if k
        not in (
            "property",
            "itemKeys",
            "itemType",
            "sheetName",
            "sheetNumber",
            "caseSensitiveHeader",
        )
    }
    if isinstance(spec.get("caseSensitiveHeader"), bool):
        out.setdefault("headerCase", spec["caseSensitiveHeader"])
    json_control = {
        k: spec[v] for k, v in (("property", "property"), ("keys", "itemKeys")) if v in spec
    }
    if json_control and fmt in ("json", "jsonl", "ndjson", "yaml"):
        out[fmt if fmt == "yaml" else "json"] = {**json_control, **(out.get("json") or {})}
    sheet = spec.get("sheetName", spec.get("sheetNumber"))
    if sheet is not None and fmt in ("xlsx", "xls", "ods"):
        kind = "ods" if fmt == "ods" else "excel"
        out[kind] = {"sheet": sheet, **(out.get(kind) or {})}
    ignored = []
    csv = {**spec, **(spec["csv"] if isinstance(spec.get("csv"), dict) else {})}
    if isinstance(csv.get("delimiter"), str) and len(csv["delimiter"]) > 1:
        ignored.append(f"delimiter {csv['delimiter']!r} of more than one character")
    if isinstance(csv.get("lineTerminator"), str) and csv["lineTerminator"] not in (
        "\n",
        "\r\n",
        "\r",
    ):
        ignored.append(f"lineTerminator {csv['lineTerminator']!r}")
    return out, ignored
