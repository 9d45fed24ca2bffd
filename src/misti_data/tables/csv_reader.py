"""The CSV chunk reader: a local or inline CSV file read chunk by chunk (tables/stream.py), each
chunk's cells split (tables/cells.py) and typed (tables/typer.py) before the next is read."""

from __future__ import annotations

import codecs

from misti_data.package import Package
from misti_data.registry import finding
from misti_data.tables.cells import BOM, bom_warning, first_row, read_cells, read_labels
from misti_data.tables.dialect import Survey, dialect_of, needs_rewrite
from misti_data.tables.encodings import check_utf8, decode, encoding_error, is_utf8
from misti_data.tables.header import match_header
from misti_data.tables.resource import (
    compression_of,
    fields_of,
    hash_algo,
    integrity,
    is_inline_csv,
)
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
from misti_data.tables.typed import TypedTable
from misti_data.tables.typer import Typer


class _Unreadable(Exception):
    """The file cannot be read as text (args[0]: the finding)."""


def read_csv(package: Package, table: TypedTable) -> None:
    res, path, where = table.resource, table.path or "the inline data", table.where
    try:
        raw = _raw(package, table, hash_algo(res))
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
    table.findings[:0] = integrity(res, raw.hash.hexdigest() if raw.hash else None, raw.size, where)


def _raw(package: Package, table: TypedTable, algo: str | None) -> Raw:
    """The resource's bytes: its local file, or a table given inline as CSV text."""
    if is_inline_csv(table.resource):
        return Raw(table.resource["data"].encode("utf-8"), algo)
    return Raw(package.base / table.path, algo)


def _unknown_encoding(table: TypedTable, encoding: str) -> _Unreadable:
    return _Unreadable(finding("encoding-error", f"unknown encoding {encoding!r}", **table.where))


def _source(package: Package, table: TypedTable, raw, dialect):
    """The file's bytes as UTF-8 blocks (decompressed, decoded from another encoding)."""
    source = blocks(raw, compression_of(table.resource), table.path)
    if is_utf8(dialect.encoding):
        return source
    try:
        codecs.lookup(dialect.encoding)
    except (LookupError, ValueError):
        raise _unknown_encoding(table, dialect.encoding) from None
    return _decoded(package, table, utf8_blocks(source, dialect.encoding), dialect)


def _decoded(package: Package, table: TypedTable, source, dialect):
    """Another encoding's text as UTF-8; on a byte it cannot decode, the finding the whole file's decode gives."""
    try:
        yield from source
    except UnicodeDecodeError:
        # Said as before, from the whole file: where the byte is and what the file likely is.
        _, notes = decode(_whole(package, table), dialect, table.where)
        raise _Unreadable(notes[0]) from None
    except (LookupError, ValueError):
        raise _unknown_encoding(table, dialect.encoding) from None


def _whole(package: Package, table: TypedTable) -> bytes:
    """The whole (decompressed) file: only to word an encoding error as the whole file shows it."""
    raw = Raw(package.base / table.path, None)
    try:
        return b"".join(blocks(raw, compression_of(table.resource), table.path))
    finally:
        raw.close()


def _plan(package: Package, table: TypedTable, dialect):
    """(dialect, what is not supported, the chunk rewrite, the row separator): a dialect polars
    cannot read as written takes a streaming pass first (tables/dialect.py's Survey)."""
    if not needs_rewrite(dialect):
        return dialect, None, lambda data, last: data, None
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
    sep = term.encode() if term and term not in ("\n", "\r\n", "\r") and not survey.breaks else None
    return dialect, unread, transform, sep


def _head(chunks: Chunks, table: TypedTable, dialect) -> bytes | None:
    """The file's first bytes, past a UTF-8 BOM (with its warning); None when the file is empty."""
    found, where, utf8 = table.findings, table.where, is_utf8(dialect.encoding)
    head = chunks.head()
    if utf8 and head.startswith(BOM):
        del chunks.buffer[: len(BOM)]
        head = head[len(BOM) :]
        if dialect.encoding.lower().replace("_", "-") != "utf-8-sig":
            found.append(
                bom_warning(head, dialect, where)
            )  # utf-8-sig: the publisher says to expect it
    if not head.strip() and len(head) >= HEAD:
        head = chunks.head(1 << 62)  # a megabyte of blank lines: is there anything after them?
    if not head.strip():
        if utf8:
            _check_chunk(head, 0, dialect, where)
        found.append(
            finding("source-error", f"{table.path or 'the inline data'} is empty", **where)
        )
        return None
    return head


def _read_stream(package: Package, table: TypedTable, raw) -> None:
    """Read the file chunk by chunk: each chunk's cells are typed, checked and kept (or spilled)
    before the next is read."""
    found, where = table.findings, table.where
    dialect, unread, transform, sep = _plan(package, table, dialect_of(package, table.resource))
    chunks = Chunks(_source(package, table, raw, dialect), dialect.quote_char, sep or b"\n")
    head = _head(chunks, table, dialect)
    if head is None:
        return
    if sep is None and b"\n" not in head and b"\r" in head:
        chunks.sep = b"\r"  # old Mac line ends
    if unread:
        found.append(finding("unsupported-feature", unread, **where))
        if len(dialect.delimiter) > 1:
            return  # Python's csv module and polars split at one character only
    start = transform(head, False)
    fields = fields_of(table.schema)
    labels = read_labels(start, dialect)
    if labels == []:
        if is_utf8(dialect.encoding):
            _check_chunk(chunks.rest(), 0, dialect, where)
        path = table.path or "the inline data"
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
    names = [c["name"] if c else None for c in columns]
    reading = _Reading(
        package,
        table,
        raw,
        dialect,
        transform,
        labels,
        names,
        [_missing_values(table.schema, c, dialect) for c in columns],
    )
    ahead = Prefetched(chunks)
    try:
        reading.run(ahead, Typer(table, columns, package.text_checks))
    finally:
        ahead.close()


class _Reading:
    """One file's chunks read, typed and checked in turn (see _read_stream)."""

    def __init__(self, package, table, raw, dialect, transform, labels, names, missing):
        self.package, self.table, self.raw, self.dialect = package, table, raw, dialect
        self.transform, self.labels, self.names, self.missing = transform, labels, names, missing
        self.offset = self.lines = 0

    def whole(self) -> bytes | None:
        """The whole UTF-8 file without BOM, when it is at most a chunk's size (for an encoding error's advice)."""
        small = self.raw.size <= CHUNK or compression_of(self.table.resource)
        file = _whole(self.package, self.table) if small else None
        if file is None or len(file) > CHUNK:
            return None
        return file.removeprefix(BOM)

    def check(self, data: bytes, lines: int) -> None:
        if is_utf8(self.dialect.encoding):
            _check_chunk(data, lines, self.dialect, self.table.where, self.whole)

    def cells(self, data: bytes, last: bool, cap: dict):
        return read_cells(
            self.transform(data, last),
            self.dialect,
            self.labels,
            self.names,
            self.missing,
            self.table.where,
            offset=self.offset,
            final=last,
            cap=cap,
            lines=self.lines,
        )

    def run(self, chunks: Prefetched, typer: Typer) -> None:
        table = self.table
        for data, last in chunks:
            self.check(data, self.lines)
            cap = {code: typer.room(code) for code in ("blank-row", "missing-cell", "extra-cell")}
            read = self.cells(data, last, cap)
            if read is None:
                # polars cannot read this chunk exactly: read the rest of the file with it, as one
                rest = chunks.rest()
                self.check(rest, self.lines + data.count(b"\n"))
                data, last = data + rest, True
                read = self.cells(data, last, cap)
            cells, structural = read
            typer.keep(structural, cells.withheld)
            table.row_count += cells.cells.height + cells.blank
            typer.add(cells.cells)
            self.offset += cells.records
            self.lines += data.count(b"\n")
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
        at = e.start
        file = whole() if whole is not None else None
        if file is not None:
            at = file.find(data) + e.start if lines else e.start
            data, lines = file, 0
        raise _Unreadable(encoding_error(data, at, lines, dialect.encoding, where)) from None


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
