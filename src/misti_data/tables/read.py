"""Read a resource once into a typed polars frame and the findings met while reading it.

Local CSV and TSV files, plain or compressed (gz, bz2, xz, zip), go through polars in chunks of
whole rows (tables/stream.py; frictionless's row-by-row pass runs at about 21k rows/s): each
chunk's cells are typed, constrained and checked in one query (`_Typer`), only failing rows are
read out, and a table past SPILL_AFTER bytes of typed columns is written to the package's spill
folder, so memory does not grow with the file. Inline data, Excel, JSON, multipart and remote
resources are opened by frictionless and their rows put into the same typed frame. Either way the
frame has the row number (`ROW`, header = row 1) and one column per schema field, typed as the
schema says; a cell that is empty or not of its type is null there, and the reader's findings say
which (at most FINDINGS_PER_CODE of a code per table; the rest are counted in `withheld`).
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from misti_data.errors import CannotRun
from misti_data.findings import Finding
from misti_data.package import Package, path_problem
from misti_data.registry import CODES, finding
from misti_data.tables.cells import (
    BOM,
    bom_warning,
    check_utf8,
    decode,
    first_row,
    quoted,
    read_cells,
    read_labels,
)
from misti_data.tables.dialect import (
    Survey,
    dialect_of,
    dialect_spec,
    for_frictionless,
    needs_rewrite,
)
from misti_data.tables.header import match_header
from misti_data.tables.stream import (
    CHUNK,
    HEAD,
    Chunks,
    DecompressionError,
    Prefetched,
    Raw,
    blocks,
    utf8_blocks,
)
from misti_data.tables.types import (
    UNCOMPARED,
    FieldProblem,
    beyond_frictionless,
    clean_field,
    constraint_failures,
    describe,
    dtype_of,
    expressible,
    parse,
    parse_expr,
)

# The row-number column, out of the way of any field name a schema may use.
ROW = "__misti_row__"
# A text cell a spreadsheet would run as a formula (checks/formulas.py says which and why): after
# any leading tabs and carriage returns, = + - or @, then a character a number or phone number lacks.
FORMULA = r"(?s)^[\t\r]*[=+@-].*[^0-9\s.,()/%-]"
_CSV_FORMATS = {None, "csv", "tsv"}
_HASHES = {"md5", "sha1", "sha256", "sha512"}
_DECOMPRESS = ("gz", "bz2", "xz")
# Errors frictionless finds while streaming that our key checks find on the typed frame.
_KEY_CODES = {"unique-error", "primary-key", "foreign-key"}


@dataclass
class TypedTable:
    """One resource as read: its typed frame (None when it could not be read) and the findings.

    A table read in one chunk keeps its frame in memory; a larger one is written chunk by chunk to
    Arrow IPC files in the package's spill folder (`spilled`), and `frame` reads them back whole
    when asked: checks that need a few columns read those through `lazy()`.
    """

    name: str
    resource: dict
    schema: dict
    fields: list[dict] = field(default_factory=list)
    _frame: object = None  # polars DataFrame: ROW, then one typed column per field
    empty: object = None  # polars DataFrame of booleans: the cell was empty (not a type error); None when read by chunks
    findings: list[Finding] = field(default_factory=list)
    row_count: int = 0
    bad_text: dict = field(
        default_factory=dict
    )  # field -> polars DataFrame (ROW, text) of the cells that failed their type
    spilled: list = field(default_factory=list)  # the IPC files of a table read in several chunks
    height: int = 0  # rows in the frame
    withheld: dict = field(
        default_factory=dict
    )  # code -> findings counted but not kept (past FINDINGS_PER_CODE)
    # Read by chunks: the rows whose primary key has an empty cell (and how many), the formula cells found.
    key_empty: tuple | None = None
    formula_cells: list | None = None
    spill_root: object = field(default=None, repr=False)  # the package's spill_dir()
    spill_dir: object = field(default=None, repr=False)

    @property
    def frame(self):
        """The whole typed frame (read back from the spill files when the table was read in chunks)."""
        if self._frame is not None or not self.spilled:
            return self._frame
        return self.lazy().collect()

    @frame.setter
    def frame(self, value) -> None:
        self._frame = value
        self.height = 0 if value is None else value.height

    @property
    def readable(self) -> bool:
        return self._frame is not None or bool(self.spilled)

    @property
    def columns(self) -> list[str]:
        return (
            [ROW, *self.names]
            if self.spilled
            else list(self._frame.columns)
            if self._frame is not None
            else []
        )

    def lazy(self):
        """The typed frame as a polars LazyFrame: only the columns a query selects are read."""
        import polars as pl

        if self._frame is not None or not self.spilled:
            return self._frame.lazy()
        return pl.scan_ipc([str(f) for f in self.spilled])

    @property
    def path(self) -> str | None:
        return self.resource.get("path") if isinstance(self.resource.get("path"), str) else None

    @property
    def where(self) -> dict:
        return {"resource": self.name, "path": self.path}

    @property
    def names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def primary_key(self) -> list[str]:
        return names_of(self.schema.get("primaryKey"))

    @property
    def foreign_keys(self) -> list[dict]:
        """Foreign keys with both sides as lists and a self-reference ("") named."""
        fks = self.schema.get("foreignKeys")
        out = []
        for fk in fks if isinstance(fks, list) else []:
            if isinstance(fk, dict) and isinstance(fk.get("reference"), dict):
                ref = fk["reference"]
                out.append(
                    {
                        "fields": names_of(fk.get("fields")),
                        "resource": ref.get("resource") or self.name,
                        "reference_fields": names_of(ref.get("fields")),
                    }
                )
        return out

    @cached_property
    def rows(self) -> list[tuple]:
        """The rows as plain Python values (numbers as Decimal, so 2.50 prints as written)."""
        frame = self.frame
        if frame is None:
            return []
        kinds = [f.get("type") or "string" for f in self.fields]
        return [
            tuple(_plain(v, k) for v, k in zip(row, kinds)) for row in frame.drop(ROW).iter_rows()
        ]

    def records(self) -> list[dict]:
        return [dict(zip(self.names, row)) for row in self.rows]

    def comparable(self, lazy: bool = False):
        """The frame as the diff compares it: a column with cells that failed their type keeps them
        as text (numbers in one canonical form), so an edit to a bad cell still shows."""
        import polars as pl

        frame = self.lazy() if lazy else self.frame
        if not self.bad_text:
            return frame
        schema = frame.collect_schema() if lazy else frame.schema
        for name, bad in self.bad_text.items():
            col = pl.col(name)
            typed = (
                col.cast(pl.Float64).cast(pl.String)
                if schema[name].is_numeric()
                else col.cast(pl.String)
            )
            text = f"__misti_bad_{name}"
            joined = frame.join(
                bad.rename({"text": text}).lazy() if lazy else bad.rename({"text": text}),
                on=ROW,
                how="left",
                maintain_order="left",
            )
            frame = joined.with_columns(pl.coalesce(typed, pl.col(text)).alias(name)).drop(text)
        return frame


# Findings of one code kept per table; the rest are counted (Report.withheld), so a file with
# millions of bad cells is reported in bounded memory with exact counts.
FINDINGS_PER_CODE = 1000


def names_of(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def read_resource(package: Package, resource: dict) -> TypedTable:
    """Read `resource` of `package`; unsafe paths are not read (the safety check reports them)."""
    name = resource.get("name") if isinstance(resource.get("name"), str) else "?"
    try:
        schema = package.schema(resource)
    except CannotRun:
        schema = {}  # the descriptor check reports the unreadable schema
    table = TypedTable(name=name, resource=resource, schema=schema)
    table.spill_root = package.spill_dir
    paths = resource.get("path")
    refs = [
        *(paths if isinstance(paths, list) else [paths]),
        resource.get("schema"),
        resource.get("dialect"),
    ]
    if any(isinstance(p, str) and path_problem(package, p) for p in refs):
        return table
    compression = compression_of(resource)
    if compression not in (None, "zip", *_DECOMPRESS):
        # said here: frictionless raises it too, but leaves the file open
        table.findings.append(
            finding(
                "compression-error",
                f"compression {compression!r} is not supported (zip, gz, bz2, xz are)",
                **table.where,
            )
        )
    elif is_local_csv(resource):
        _read_csv(package, table)
    elif is_inline_csv(resource):
        _read_csv(package, table)
    else:
        _read_other(package, table)
    declared = resource.get("rows")
    if (
        table.readable
        and isinstance(declared, int)
        and not isinstance(declared, bool)
        and declared != table.row_count
    ):
        table.findings.append(
            finding(
                "row-count",
                f"the table has {table.row_count} rows, datapackage.json says {declared}",
                **table.where,
            )
        )
    return table


def is_local_csv(res: dict) -> bool:
    path = res.get("path")
    if (
        not isinstance(path, str)
        or "data" in res
        or "://" in path
        or compression_of(res) not in (None, "zip", *_DECOMPRESS)
    ):
        return False
    fmt = res.get("format").lower() if isinstance(res.get("format"), str) else None
    inner = path.lower().removesuffix(f".{compression_of(res)}")
    return fmt in _CSV_FORMATS and (fmt is not None or inner.endswith((".csv", ".tsv", ".txt")))


def is_inline_csv(res: dict) -> bool:
    """A table given inline as CSV text (Data Resource v1: `data` may be a string, e.g. `"a,b\\n1,2"`)."""
    fmt = res.get("format").lower() if isinstance(res.get("format"), str) else None
    return isinstance(res.get("data"), str) and fmt in _CSV_FORMATS


def compression_of(res: dict) -> str | None:
    """The resource's `compression`, or the one its path's extension names (as frictionless infers it)."""
    if isinstance(res.get("compression"), str):
        return res["compression"].lower() or None
    path = res.get("path").lower() if isinstance(res.get("path"), str) else ""
    return next((c for c in (*_DECOMPRESS, "zip") if path.endswith(f".{c}")), None)


def _read_csv(package: Package, table: TypedTable) -> None:
    res, path, where = table.resource, table.path or "the inline data", table.where
    algo = _hash_algo(res)
    try:
        raw = _raw(package, table, algo)
    except FileNotFoundError:
        table.findings.append(finding("scheme-error", f"{path} does not exist", **where))
        return
    except OSError as e:
        table.findings.append(
            finding("scheme-error", f"{path} cannot be read: {e.strerror}", **where)
        )
        return
    try:
        try:
            _read_stream(package, table, raw)
        except (DecompressionError, _Unreadable) as e:
            # Nothing read is kept: the file could not be read to its end (as when it was read whole).
            table.findings[:] = [
                e.args[0]
                if isinstance(e, _Unreadable)
                else finding("compression-error", str(e), **where)
            ]
            table.frame, table.spilled, table.bad_text, table.withheld = None, [], {}, {}
            table.row_count, table.key_empty, table.formula_cells = 0, None, None
        if res.get("hash") or res.get("bytes") is not None:
            raw.drain()
    finally:
        raw.close()
    table.findings[:0] = _integrity(
        res, raw.hash.hexdigest() if raw.hash else None, raw.size, where
    )


def _raw(package: Package, table: TypedTable, algo: str | None) -> Raw:
    """The resource's bytes: its local file, or a table given inline as CSV text."""
    if is_inline_csv(table.resource):
        return Raw(table.resource["data"].encode("utf-8"), algo)
    return Raw(package.base / table.path, algo)


class _Unreadable(Exception):
    """The file cannot be read as text (args[0]: the finding)."""


def _utf8(dialect) -> bool:
    return dialect.encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")


def _source(package: Package, table: TypedTable, raw, dialect):
    """The file's bytes as UTF-8 blocks (decompressed, decoded from another encoding)."""
    source = blocks(raw, compression_of(table.resource), table.path)
    if _utf8(dialect):
        return source
    try:
        codecs.lookup(dialect.encoding)
    except (LookupError, ValueError):
        raise _Unreadable(
            finding("encoding-error", f"unknown encoding {dialect.encoding!r}", **table.where)
        ) from None
    return _decoded(package, table, utf8_blocks(source, dialect.encoding), dialect)


def _decoded(package: Package, table: TypedTable, source, dialect):
    """Another encoding's text as UTF-8; on a byte it cannot decode, the finding the whole file's decode gives."""
    try:
        yield from source
    except UnicodeDecodeError:
        # Said as before, from the whole file: where the byte is and what the file likely is.
        data = _whole(package, table)
        _, notes = decode(data, dialect, table.where)
        raise _Unreadable(notes[0]) from None
    except (LookupError, ValueError):
        raise _Unreadable(
            finding("encoding-error", f"unknown encoding {dialect.encoding!r}", **table.where)
        ) from None


def _whole(package: Package, table: TypedTable) -> bytes:
    """The whole (decompressed) file: only to word an encoding error as the whole file shows it."""
    raw = Raw(package.base / table.path, None)
    try:
        return b"".join(blocks(raw, compression_of(table.resource), table.path))
    finally:
        raw.close()


def _read_stream(package: Package, table: TypedTable, raw) -> None:
    """Read the file chunk by chunk (tables/stream.py): each chunk's cells are typed, checked and
    written out before the next is read."""
    res, path, where = table.resource, table.path or "the inline data", table.where
    found = table.findings
    dialect = dialect_of(package, res)
    utf8 = _utf8(dialect)
    transform = lambda data, last: data
    if needs_rewrite(dialect):
        # A streaming pass first: whether the file has line breaks, or the stand-in byte.
        survey = Survey(dialect)
        first = _raw(package, table, None)
        try:
            for block in _source(package, table, first, dialect):
                survey.add(block)
        finally:
            first.close()
        dialect, unread, transform = survey.plan()
        term = survey.dialect.line_terminator
        # A file whose rows end with another terminator is cut into chunks there.
        sep = (
            term.encode()
            if term and term not in ("\n", "\r\n", "\r") and not survey.breaks
            else None
        )
    else:
        unread = sep = None
    chunks = Chunks(_source(package, table, raw, dialect), dialect.quote_char, sep or b"\n")
    head = chunks.head()
    if utf8 and head.startswith(BOM):
        del chunks.buffer[: len(BOM)]
        head = head[len(BOM) :]
        if (
            dialect.encoding.lower().replace("_", "-") != "utf-8-sig"
        ):  # declared: the publisher says readers should expect it
            found.append(bom_warning(head, dialect, where))
    if not head.strip():
        if len(head) >= HEAD:
            head = chunks.head(1 << 62)  # a megabyte of blank lines: is there anything after them?
        if not head.strip():
            if utf8:
                _check_chunk(head, 0, dialect, where)
            found.append(finding("source-error", f"{path} is empty", **where))
            return
    if sep is None and b"\n" not in head and b"\r" in head:
        chunks.sep = b"\r"  # old Mac line ends
    if unread:
        found.append(finding("unsupported-feature", unread, **where))
        if len(dialect.delimiter) > 1:
            return  # Python's csv module and polars split at one character only
    start = transform(head, False)
    fields = _fields(table.schema)
    labels = read_labels(start, dialect)
    if labels == []:
        if utf8:
            _check_chunk(chunks.rest(), 0, dialect, where)
        found.append(
            finding(
                "source-error",
                f"{path} has no row {max(dialect.header_rows)}, where its header should be",
                **where,
            )
        )
        return
    width = len(first_row(start, dialect)) if labels is None and not fields else 0
    columns, header = match_header(
        labels,
        fields,
        table.schema,
        table.primary_key,
        case_sensitive=dialect.case_sensitive_header,
        width=width,
        where=where,
    )
    found += header
    missing = [_missing_values(table.schema, c, dialect) for c in columns]
    names = [c["name"] if c else None for c in columns]
    typer = _Typer(table, columns)
    ahead = Prefetched(chunks)
    try:
        _read_chunks(ahead, table, typer, dialect, labels, names, missing, transform, raw, package)
    finally:
        ahead.close()


def _read_chunks(
    chunks, table: TypedTable, typer, dialect, labels, names, missing, transform, raw, package
) -> None:
    """Each chunk's cells read, typed and checked in turn (see _read_stream)."""
    res, where = table.resource, table.where
    utf8 = _utf8(dialect)
    offset = lines = 0
    pieces = iter(chunks)

    def whole():
        """The whole UTF-8 file without BOM, when it is at most a chunk's size (for an encoding error's advice)."""
        file = _whole(package, table) if raw.size <= CHUNK or compression_of(res) else None
        if file is None or len(file) > CHUNK:
            return None
        return file.removeprefix(BOM)

    for data, last in pieces:
        if utf8:
            _check_chunk(data, lines, dialect, where, whole)
        cap = {code: typer.room(code) for code in ("blank-row", "missing-cell", "extra-cell")}

        def cells(data: bytes, last: bool):
            return read_cells(
                transform(data, last),
                dialect,
                labels,
                names,
                missing,
                where,
                offset=offset,
                final=last,
                cap=cap,
                lines=lines,
            )

        read = cells(data, last)
        if read is None:
            # polars cannot read this chunk exactly: read the rest of the file with it, as one
            rest = chunks.rest()
            if utf8:
                _check_chunk(rest, lines + data.count(b"\n"), dialect, where, whole)
            data, last = data + rest, True
            read = cells(data, last)
        cells, structural = read
        typer.keep(structural, cells.withheld)
        table.row_count += cells.cells.height + cells.blank
        typer.add(cells.cells)
        offset += cells.records
        lines += data.count(b"\n")
        chunks.chunks.rows_seen(len(data), cells.records)
        del data, cells, read
        if last:
            break
    typer.finish()


def _check_chunk(data: bytes, lines: int, dialect, where: dict, whole=None) -> None:
    """Raise _Unreadable with the encoding-error when a chunk of a UTF-8 file is not UTF-8.

    The advice looks around the bad byte and at the rest of the file: `whole()` gives the whole
    file when it is small enough to hold (then the finding is word for word what one chunk gives)."""
    try:
        data.isascii() or check_utf8(data)
    except UnicodeDecodeError as e:
        from misti_data.tables.encodings import encoding_advice

        at = e.start
        file = whole() if whole is not None else None
        if file is not None:
            at = file.find(data) + e.start if lines else e.start
            data, lines = file, 0
        line = lines + data.count(b"\n", 0, at) + 1
        advice = encoding_advice(data, at, dialect.encoding, where.get("path"))
        raise _Unreadable(
            finding(
                "encoding-error",
                f"byte 0x{data[at]:02x} at line {line} is not {dialect.encoding}; {advice}",
                **where,
            )
        ) from None


def _hash_algo(res: dict) -> str | None:
    declared = res.get("hash")
    if isinstance(declared, str) and declared:
        algo = declared.rpartition(":")[0].lower() or "md5"
        return algo if algo in _HASHES else None
    return None


def _missing_values(schema: dict, field: dict | None, dialect) -> tuple[str, ...]:
    """A column's missing values: its field's `missingValues`, else the schema's (strings or
    `{"value": ...}` objects, Table Schema v2), and the dialect's `nullSequence`."""
    declared = (
        field.get("missingValues")
        if field is not None and isinstance(field.get("missingValues"), list)
        else None
    )
    if declared is None:
        declared = (
            schema.get("missingValues") if isinstance(schema.get("missingValues"), list) else [""]
        )
    values = [v.get("value") if isinstance(v, dict) else v for v in declared]
    if dialect.null_sequence is not None:
        values.append(dialect.null_sequence)
    return tuple(dict.fromkeys(v for v in values if isinstance(v, str)))


def _fields(schema: dict) -> list[dict]:
    fields = schema.get("fields") if isinstance(schema.get("fields"), list) else []
    return [
        clean_field(f) for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)
    ]


def _integrity(res: dict, digest: str | None, size: int, where: dict) -> list[Finding]:
    """hash-count and byte-count against the descriptor's `hash` (`algo:hex`, bare = md5) and `bytes`;
    `digest` is the file's hash in the declared algorithm, `size` its length."""
    found = []
    declared = res.get("hash")
    if isinstance(declared, str) and declared and digest is not None:
        algo, _, expected = declared.rpartition(":")
        algo = algo.lower() or "md5"
        if digest != expected.lower():
            found.append(
                finding(
                    "hash-count",
                    f"the file's {algo} is {digest[:12]}…, datapackage.json says {expected[:12]}…; run `misti-data stamp` after editing data",
                    **where,
                )
            )
    declared = res.get("bytes")
    if isinstance(declared, int) and not isinstance(declared, bool) and declared != size:
        found.append(
            finding(
                "byte-count",
                f"the file has {size} bytes, datapackage.json says {declared}; run `misti-data stamp` after editing data",
                **where,
            )
        )
    return found


class _Typer:
    """Types a table's cells chunk by chunk: every column that polars expressions can type (the
    usual case) in one query per chunk, with its constraints and the formula check; only the
    failing rows are then read out, at most FINDINGS_PER_CODE per code, the rest counted."""

    def __init__(self, table: TypedTable, columns: list[dict | None]):
        import polars as pl

        self.table, self.chunks = table, 0
        self.kept = Counter(f.code for f in table.findings)
        self.fields, self.raw_index, self.series = [], {}, []
        for i, f in enumerate(columns):
            if f is None or f["name"] in self.raw_index:
                continue  # a column no field holds (reported as a label), or a repeated field name (the descriptor check)
            self.fields.append(f)
            self.raw_index[f["name"]] = i
        table.fields = self.fields
        # The one query: typed columns first (t0, t1, ...), then the masks of failing cells over them.
        typed, masks, self.checks = [], [], []
        self.expressible = [k for k, f in enumerate(self.fields) if expressible(f)]
        self.groups = (
            _groups([self.fields[k] for k in self.expressible]) if len(self.fields) > WIDE else None
        )
        chosen = self.chosen = set(self.expressible)
        for k, f in enumerate(self.fields):
            if k not in chosen:
                self.series.append(f)
                continue
            if self.groups is not None:
                self.table.findings += _duration_bounds(f, table.where)
                continue
            raw = pl.col(f"c{self.raw_index[f['name']]}")
            typed.append(parse_expr(f, raw).alias(f"t{k}"))
            t = pl.col(f"t{k}")
            dtype = dtype_of(f)
            self._mask(
                masks,
                raw.is_not_null() & t.is_null(),
                "type-error",
                f,
                k,
                lambda cell, e=describe(f): f"{quoted(cell)} is not {e}",
            )
            self.table.findings += _duration_bounds(f, table.where)
            for _constraint, mask, message in constraint_failures(f, raw, t, dtype):
                self._mask(
                    masks, mask, "constraint-error", f, k, lambda cell, m=message: m(quoted(cell))
                )
            if dtype == pl.String:
                self._mask(masks, t.str.contains(FORMULA), "formula-cell", f, k, None)
        self.typed_exprs, self.mask_exprs = typed, masks
        key = [n for n in table.primary_key if n in self.raw_index]
        self.key_empty = (
            pl.any_horizontal([pl.col(f"c{self.raw_index[n]}").is_null() for n in key])
            if key and len(key) == len(table.primary_key)
            else None
        )
        self.key_rows: list[int] = []
        self.key_count = 0
        self.formulas: list[Finding] = []
        self.frames: list = []  # typed chunks held in memory, up to SPILL_AFTER bytes
        self.held = 0
        self.bad: dict[str, list] = {}

    def _add_long(self, cells) -> dict:
        """A wide table's expressible columns, typed kind by kind: the cells of all the columns
        of one field definition stacked into one column, typed and checked by one query each
        (50,000 columns of 20 rows: one query, not 50,000)."""
        import polars as pl

        h = cells.height
        rows = cells["row"]
        order = [f for group in self.groups for f in group.fields]
        stacked = (
            pl.concat(
                [cells.get_column(f"c{self.raw_index[f['name']]}").rename("v") for f in order],
                rechunk=True,
            )
            if order
            else pl.Series("v", [], dtype=pl.String)
        )
        columns, start = {}, 0
        for group in self.groups:
            n = len(group.fields)
            part = stacked.slice(start * h, n * h).to_frame("v")
            start += n
            out = (
                part.lazy()
                .with_columns(group.typed.alias("t"))
                .select("v", "t", *group.masks)
                .collect()
            )
            typed = out["t"].rechunk()
            for j, f in enumerate(group.fields):
                columns[f["name"]] = typed.slice(j * h, h).rename(f["name"])
            totals = (
                out.select(pl.col([m for m, _code, _message in group.checks]).sum()).row(0)
                if group.checks
                else ()
            )
            for (mask, code, message), total in zip(group.checks, totals):
                if not total:
                    continue
                hits = out.select(pl.int_range(pl.len()).alias("i"), "v", mask).filter(mask)
                member, at = hits["i"] // h, hits["i"] % h
                hit_rows = rows.gather(at)
                names = pl.Series([f["name"] for f in group.fields]).gather(member)
                if code == "type-error":
                    for name, bad in (
                        pl.DataFrame({"f": names, ROW: hit_rows, "text": hits["v"]})
                        .partition_by("f", as_dict=True)
                        .items()
                    ):
                        self.bad.setdefault(name[0], []).append(bad.drop("f"))
                room = self.room(code)
                if room < total:
                    self.table.withheld[code] = self.table.withheld.get(code, 0) + total - room
                kept = (
                    pl.DataFrame({"row": hit_rows, "f": names, "cell": hits["v"]})
                    .sort("row", maintain_order=True)
                    .head(room)
                )
                if code == "formula-cell":
                    message = formula_message
                self.keep(
                    [
                        finding(
                            code,
                            message(cell),
                            row=row,
                            field=name,
                            cell=cell_text(cell) if cell is not None else None,
                            **self.table.where,
                        )
                        for row, name, cell in kept.iter_rows()
                    ]
                )
        return columns

    def _mask(self, masks: list, mask, code: str, f: dict, k: int, message) -> None:
        self.checks.append((f"m{len(self.checks)}", code, f, k, message))
        masks.append(mask.fill_null(False).alias(self.checks[-1][0]))

    def room(self, code: str) -> int:
        return max(0, FINDINGS_PER_CODE - self.kept[code])

    def keep(self, found: list[Finding], withheld: dict | None = None) -> None:
        for f in found:
            if self.kept[f.code] < FINDINGS_PER_CODE:
                self.kept[f.code] += 1
                (self.formulas if f.code == "formula-cell" else self.table.findings).append(f)
            else:
                self.table.withheld[f.code] = self.table.withheld.get(f.code, 0) + 1
        for code, n in (withheld or {}).items():
            self.table.withheld[code] = self.table.withheld.get(code, 0) + n

    def add(self, cells) -> None:
        """Type one chunk's cells (`row`, c0..cN)."""
        import polars as pl

        table = self.table
        long = self._add_long(cells) if self.groups is not None else {}
        out = (
            cells.lazy()
            .with_columns(self.typed_exprs)
            .select(
                "row",
                *[pl.col(f"t{k}") for k in self.expressible if self.groups is None],
                *self.mask_exprs,
                *([self.key_empty.alias("__key_empty")] if self.key_empty is not None else []),
            )
            .collect()
        )
        if self.checks:
            totals = out.select(pl.col([c[0] for c in self.checks]).sum()).row(0)
            for (mask, code, f, _k, message), total in zip(self.checks, totals, strict=True):
                if total:
                    self._hits(cells, out[mask], code, f, message, total)
        columns = [out["row"].rename(ROW)]
        for k, f in enumerate(self.fields):
            if f["name"] in long:
                columns.append(long[f["name"]])
            elif k in self.chosen:
                columns.append(out[f"t{k}"].rename(f["name"]))
            else:
                columns.append(self._series(cells, f))
        if self.key_empty is not None:
            hit = out.filter("__key_empty")["row"]
            self.key_count += hit.len()
            self.key_rows += hit.head(max(0, FINDINGS_PER_CODE - len(self.key_rows))).to_list()
        typed = pl.DataFrame(columns)
        names = [ROW, *(f["name"] for f in self.fields)]
        if typed.columns != names:
            typed.columns = names  # a Series named "" is named column_N in a frame made from a list
        del out, columns
        self.chunks += 1
        table.height += typed.height
        self.frames.append(typed)
        self.held += typed.estimated_size()
        if self.held > SPILL_AFTER or table.spilled:
            # Past what is kept in memory: this chunk and those held go to the spill folder.
            spill = package_spill(table)
            for frame in self.frames:
                file = spill / f"{len(table.spilled):06d}.arrow"
                frame.write_ipc(file, compression="lz4")
                table.spilled.append(file)
            self.frames, self.held = [], 0

    def _hits(self, cells, mask, code: str, f: dict, message, total: int) -> None:
        """The failing rows of one mask: findings for the first, a count of the rest."""
        import polars as pl

        fname, where = f["name"], self.table.where
        raw = cells[f"c{self.raw_index[fname]}"]
        if code == "type-error":
            self.bad.setdefault(fname, []).append(
                pl.DataFrame({ROW: cells["row"], "text": raw}).filter(mask)
            )
        room = self.room(code)
        if room < total:
            self.table.withheld[code] = self.table.withheld.get(code, 0) + total - room
        if not room:
            return
        hits = pl.DataFrame({"row": cells["row"], "cell": raw, "m": mask}).filter("m").head(room)
        if code == "formula-cell":
            message = formula_message  # what the formula check shows is the typed cell (the text)
        self.keep(row_findings(code, message, hits.select("row", "cell").iter_rows(), fname, where))

    def _series(self, cells, f: dict):
        """A column expressions cannot type, typed as a Series (JSON cells, a format polars refuses)."""
        import polars as pl

        table, where = self.table, self.table.where
        fname, raw = f["name"], cells[f"c{self.raw_index[f['name']]}"]
        rows = cells["row"]
        try:
            typed = parse(f, raw)
        except pl.exceptions.PolarsError as e:  # e.g. a date format polars cannot use
            if self.chunks == 0:
                table.findings.append(
                    finding(
                        "field-error",
                        f"cannot check {fname!r} as {describe(f)}: {str(e).splitlines()[0]}",
                        field=fname,
                        **where,
                    )
                )
            typed = raw
        typed = typed.rename(fname)
        bad = raw.is_not_null() & typed.is_null()
        if bad.any():
            self.bad.setdefault(fname, []).append(
                pl.DataFrame({ROW: rows, "text": raw}).filter(bad)
            )
            self.keep(
                _cell_findings(
                    rows,
                    raw,
                    bad,
                    lambda cell, e=describe(f): f"{quoted(cell)} is not {e}",
                    "type-error",
                    fname,
                    where,
                )
            )
        found = _constraint_findings(
            f, lambda: constraint_failures(f, raw, typed), rows, raw, where
        )
        if self.chunks:
            found = [x for x in found if x.row is not None]  # a field's own problems are said once
        self.keep(found)
        if typed.dtype == pl.String:
            hits = pl.DataFrame({"row": rows, "cell": typed}).filter(
                pl.col("cell").str.contains(FORMULA)
            )
            self.keep(row_findings("formula-cell", formula_message, hits.iter_rows(), fname, where))
        return typed

    def finish(self) -> None:
        import polars as pl

        table = self.table
        table.bad_text = {name: pl.concat(parts) for name, parts in self.bad.items()}
        if self.key_empty is not None:
            table.key_empty = (self.key_rows, self.key_count)
        table.formula_cells = self.formulas
        if not table.spilled:
            height = table.height
            table.frame = (
                self.frames[0]
                if len(self.frames) == 1
                else pl.concat(self.frames)
                if self.frames
                else pl.DataFrame(
                    {
                        ROW: pl.Series([], dtype=pl.Int64),
                        **{f["name"]: pl.Series([], dtype=dtype_of(f)) for f in self.fields},
                    }
                )
            )
            table.height = height
        self.frames = []


# A table whose typed chunks take more memory than this is written to the spill folder.
SPILL_AFTER = 1 << 28
# Above this many fields, the fields of one definition are typed together (_Typer._add_long).
WIDE = 256


@dataclass
class _Group:
    """Fields with one definition but their names: one typed expression and one set of masks over `v`."""

    fields: list
    typed: object = None
    masks: list = field(default_factory=list)
    checks: list = field(default_factory=list)  # (mask name, code, message of the quoted cell)


def _groups(fields: list[dict]) -> list[_Group]:
    import polars as pl

    by_spec: dict[str, _Group] = {}
    for f in fields:  # all expressible
        spec = json.dumps({k: v for k, v in f.items() if k != "name"}, sort_keys=True, default=str)
        by_spec.setdefault(spec, _Group([])).fields.append(f)
    for group in by_spec.values():
        f = group.fields[0]
        raw, t = pl.col("v"), pl.col("t")
        group.typed = parse_expr(f, raw)

        def mask(expr, code, message, g=group):
            name = f"m{len(g.checks)}"
            g.checks.append((name, code, message))
            g.masks.append(expr.fill_null(False).alias(name))

        mask(
            raw.is_not_null() & t.is_null(),
            "type-error",
            lambda cell, e=describe(f): f"{quoted(cell)} is not {e}",
        )
        for _constraint, m, message in constraint_failures(f, raw, t, dtype_of(f)):
            mask(m, "constraint-error", lambda cell, m=message: m(quoted(cell)))
        if dtype_of(f) == pl.String:
            mask(t.str.contains(FORMULA), "formula-cell", None)
    return list(by_spec.values())


def package_spill(table: TypedTable):
    """The folder this table's chunks are written to (in the package's, removed when it is closed)."""
    import tempfile
    from pathlib import Path

    if table.spill_dir is None:
        table.spill_dir = Path(tempfile.mkdtemp(prefix="table-", dir=table.spill_root()))
    return table.spill_dir


def _duration_bounds(field: dict, where: dict) -> list[Finding]:
    fname = field["name"]
    bounds = [
        c
        for c in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
        if c in (field.get("constraints") or {})
    ]
    if field.get("type") == "duration" and bounds:
        return [
            finding(
                "unsupported-feature",
                f"{', '.join(bounds)} on the duration field {fname!r} is not checked "
                "(durations with months or years have no single order)",
                field=fname,
                **where,
            )
        ]
    return []


def _constraint_findings(field: dict, failures, rows, raw, where: dict) -> list[Finding]:
    """constraint-error per failing cell; a field-error when a constraint cannot be checked as
    declared, and unsupported-feature for the one the spec names that is not checked: bounds on
    durations with years or months (the first cell, or the field when a bound has them)."""
    fname = field["name"]
    found = []
    try:
        checks = failures()
    except FieldProblem as e:
        return [finding("field-error", f"cannot check {fname!r}: {e}", field=fname, **where)]
    bounds = [
        c
        for c in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
        if c in (field.get("constraints") or {})
    ]
    if (
        field.get("type") == "duration"
        and bounds
        and not any(name in bounds for name, _, _ in checks)
    ):
        found.append(
            finding(
                "unsupported-feature",
                f"{', '.join(bounds)} on the duration field {fname!r} is not checked "
                "(durations with months or years have no single order)",
                field=fname,
                **where,
            )
        )
    try:
        for constraint, mask, message in checks:
            if constraint == UNCOMPARED:
                found += _cell_findings(
                    rows,
                    raw,
                    mask,
                    lambda cell, m=message: m(quoted(cell)),
                    "unsupported-feature",
                    fname,
                    where,
                )[:1]
                continue
            found += _cell_findings(
                rows,
                raw,
                mask,
                lambda cell, m=message: m(quoted(cell)),
                "constraint-error",
                fname,
                where,
            )
    except FieldProblem as e:
        found.append(finding("field-error", f"cannot check {fname!r}: {e}", field=fname, **where))
    return found


def _cell_findings(rows, raw, mask, message, code: str, fname: str, where: dict) -> list[Finding]:
    """One finding per row where `mask` holds."""
    import polars as pl

    mask = mask.fill_null(False)
    if not mask.any():
        return []
    hits = pl.DataFrame({"row": rows, "cell": raw, "m": mask}).filter("m")
    return row_findings(code, message, hits.select("row", "cell").iter_rows(), fname, where)


def row_findings(code: str, message, hits, fname: str, where: dict) -> list[Finding]:
    """One finding `code` per (row, cell) in `hits`, worded by `message(cell)`."""
    return [
        finding(
            code,
            message(cell),
            row=row,
            field=fname,
            cell=None if cell is None else cell_text(cell),
            **where,
        )
        for row, cell in hits
    ]


def formula_message(cell: str) -> str:
    return f"{quoted(cell)} reads as a spreadsheet formula"


def cell_text(text: str) -> str:
    """A cell as findings keep it: whole unless longer than 200 characters."""
    return text if len(text) <= 200 else text[:199] + "…"


# --- resources frictionless opens ----------------------------------------------------------------

_DTYPES = {
    "integer": "Int64",
    "year": "Int64",
    "number": "Float64",
    "boolean": "Boolean",
    "date": "Date",
    "datetime": "Datetime",
    "time": "Time",
}


def _read_other(package: Package, table: TypedTable) -> None:
    """Inline data, Excel, JSON, compressed, multipart or remote: frictionless streams the typed rows."""
    import polars as pl
    from frictionless import FrictionlessException, Resource, system

    res, where = table.resource, table.where
    file = package.resource_file(res)
    if file is not None and file.is_file():
        raw = Raw(file, _hash_algo(res))
        try:
            raw.drain()
        finally:
            raw.close()
        table.findings += _integrity(
            res, raw.hash.hexdigest() if raw.hash else None, raw.size, where
        )
    if isinstance(res.get("encoding"), str):
        try:
            codecs.lookup(res["encoding"])
        except (
            LookupError,
            ValueError,
        ):  # frictionless's own detector raises ValueError on a NUL in it
            table.findings.append(
                finding("encoding-error", f"unknown encoding {res['encoding']!r}", **where)
            )
            return
    descriptor = {k: v for k, v in res.items() if k not in ("hash", "bytes")}  # checked above
    if table.schema:
        # Keys are checked on the typed frames (checks/keys.py), across resources of any format.
        descriptor["schema"] = {
            k: v
            for k, v in table.schema.items()
            if k not in ("primaryKey", "foreignKeys", "uniqueKeys")
        }
        descriptor["schema"]["fields"] = [_for_frictionless(f) for f in _fields(table.schema)]
        # A resource with a schema is a table (Data Resource v2 `type`); frictionless takes a .json file for a plain file otherwise.
        descriptor.setdefault("type", "table")
    # The dialect as read from its file or v4's `layout` (frictionless warns about it in Python), in the terms frictionless reads.
    descriptor.pop("layout", None)
    spec = dialect_spec(package, res)
    descriptor.pop("dialect", None)
    if spec:
        descriptor["dialect"], ignored = for_frictionless(spec, _format_of(res))
        if ignored:
            table.findings += [
                finding(
                    "unsupported-feature",
                    f"{what} in a resource that is not one local CSV file: the resource is not read",
                    **where,
                )
                for what in ignored
            ]
            return
    null = dialect_of(package, res).null_sequence
    if null is not None and table.schema:
        _add_missing_value(descriptor["schema"], null)
    fields = _fields(table.schema)
    names = [f["name"] for f in fields]
    columns: dict[str, list] = {n: [] for n in names}
    empty: dict[str, list] = {n: [] for n in names}
    rows: list[int] = []
    try:
        # frictionless refuses unsafe paths unless trusted; ours were judged before this point.
        with system.use_context(trusted=package.allow_outside or package.allow_remote):
            with Resource.from_descriptor(descriptor, basepath=str(package.base)) as fres:
                if not fres.tabular:
                    return  # a plain file or JSON document: no table to type; its hash and bytes are checked above
                if not names:
                    fields = [{"name": n, "type": "any"} for n in fres.schema.field_names]
                    names = [f["name"] for f in fields]
                    columns, empty = {n: [] for n in names}, {n: [] for n in names}
                if not (fres.labels or fres.fragment):
                    table.findings.append(
                        finding(
                            "source-error",
                            "the resource has no header and no rows (is headerRows past its end?)",
                            **where,
                        )
                    )
                    return
                table.findings += [_from_frictionless(e, where) for e in fres.header.errors]
                for row in fres.row_stream:
                    errors = [e for e in row.errors if e.type not in _KEY_CODES]
                    table.findings += [_from_frictionless(e, where, fields) for e in errors]
                    table.row_count += 1
                    if any(e.type == "blank-row" for e in errors):
                        continue
                    bad = {getattr(e, "field_name", None) for e in errors}
                    rows.append(row.row_number)
                    cells = row.to_list()  # frictionless's typed values, in its field order
                    by_name = dict(zip(fres.schema.field_names, cells))
                    for n, f in zip(names, fields):
                        value = None if n in bad else by_name.get(n)
                        columns[n].append(_value(value, f.get("type") or "string"))
                        empty[n].append(by_name.get(n) is None and n not in bad)
    except FrictionlessException as e:
        error = e.error
        code = error.type if error.type in CODES else "source-error"
        table.findings.append(finding(code, error.note or error.message, **where))
        return
    typed = {ROW: pl.Series(ROW, rows, dtype=pl.Int64)}
    for n, f in zip(names, fields):
        dtype = getattr(pl, _DTYPES.get(f.get("type") or "string", "String"))
        typed[n] = pl.Series(n, columns[n], dtype=dtype, strict=False)
    for n, f in zip(names, fields):
        text = typed[n].cast(pl.String)
        table.findings += _constraint_findings(
            f, lambda c=typed[n], f=f: beyond_frictionless(f, c), typed[ROW], text, where
        )
    table.fields = fields
    table.frame = pl.DataFrame(typed)
    table.empty = pl.DataFrame({n: pl.Series(n, empty[n], dtype=pl.Boolean) for n in names})


def _format_of(res: dict) -> str:
    if isinstance(res.get("format"), str):
        return res["format"].lower()
    path = res.get("path") if isinstance(res.get("path"), str) else ""
    return (
        path.lower().removesuffix(f".{compression_of(res)}").rpartition(".")[2]
        if "." in path
        else ""
    )


def _add_missing_value(schema: dict, value: str) -> None:
    """The dialect's `nullSequence` as one more missing value of the schema and of every field that has its own."""
    for holder in [
        schema,
        *(f for f in schema["fields"] if isinstance(f.get("missingValues"), list)),
    ]:
        values = (
            holder.get("missingValues") if isinstance(holder.get("missingValues"), list) else [""]
        )
        holder["missingValues"] = [
            *values,
            {"value": value} if any(isinstance(v, dict) for v in values) else value,
        ]


def _for_frictionless(field: dict) -> dict:
    """The field without the constraints frictionless 5 refuses though Table Schema v2 has them
    (`jsonSchema`, checked on the typed frame; bounds on a duration, an unsupported-feature)."""
    refused = {"jsonSchema"} | (
        {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
        if field.get("type") == "duration"
        else set()
    )
    return {
        **field,
        "constraints": {k: v for k, v in field["constraints"].items() if k not in refused},
    }


def _from_frictionless(err, where: dict, fields: list[dict] = ()) -> Finding:
    cell = getattr(err, "cell", None)
    field = next((f for f in fields if f["name"] == getattr(err, "field_name", None)), None)
    if err.type == "type-error" and field is not None and cell is not None:
        message = f"{quoted(str(cell))} is not {describe(field)}"  # as the CSV reader says it (frictionless: 'Type is "number/default"')
    else:
        message = err.note[:1].upper() + err.note[1:] if err.note else err.message
    return finding(
        err.type if err.type in CODES else "source-error",
        message,
        row=getattr(err, "row_number", None),
        field=getattr(err, "field_name", None) or None,
        cell=None if cell is None else cell_text(str(cell)),
        **where,
    )


def _value(value, kind: str):
    """A frictionless-typed value as the polars column of its type holds it."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if kind in _DTYPES:
        return value
    if type(value).__name__ == "yearmonth":
        return f"{value.year:04d}-{value.month:02d}"
    if type(value).__name__ == "geopoint":
        return f"{value.lon},{value.lat}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _plain(value, kind: str):
    """A frame value as exports and the page take it: numbers as exact Decimals of what was read."""
    if isinstance(value, float) and kind == "number":
        if value != value or abs(value) == float("inf"):
            return value
        # 463966 stays 463966 (as the CSV writes it), not 463966.0
        return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    return value
