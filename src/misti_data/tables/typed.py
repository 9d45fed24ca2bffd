"""The typed table: one resource as read, its typed frame (in memory, or spilled chunk by chunk to
Arrow IPC files) and the findings met while reading it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from misti_data.findings import Finding

# The row-number column, out of the way of any field name a schema may use.
ROW = "__misti_row__"
# Findings of one code kept per table; the rest are counted (Report.withheld), so a file with
# millions of bad cells is reported in bounded memory with exact counts.
FINDINGS_PER_CODE = 1000


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
    # Read by chunks: the rows whose primary key has an empty cell (and how many), and the findings of
    # the text checks the reader was handed (Package.text_checks: checks/formulas.py's formula cells).
    key_empty: tuple | None = None
    formula_cells: list | None = None
    spill_root: object = field(default=None, repr=False)  # the package's spill_dir()
    spill_dir: object = field(default=None, repr=False)
    # Typed chunks held in memory until they pass `spill_after` bytes (tables/read.py's SPILL_AFTER).
    spill_after: int = field(default=0, repr=False)
    held: list = field(default_factory=list, repr=False)
    held_bytes: int = field(default=0, repr=False)

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

    def add_chunk(self, typed) -> None:
        """Keep one typed chunk: in memory, or past `spill_after` bytes in the spill folder."""
        self.height += typed.height
        self.held.append(typed)
        self.held_bytes += typed.estimated_size()
        if self.held_bytes > self.spill_after or self.spilled:
            # Past what is kept in memory: this chunk and those held go to the spill folder.
            spill = self.spill_folder()
            for frame in self.held:
                file = spill / f"{len(self.spilled):06d}.arrow"
                frame.write_ipc(file, compression="lz4")
                self.spilled.append(file)
            self.held, self.held_bytes = [], 0

    def finish_chunks(self, empty) -> None:
        """The chunks added, as the frame (`empty`: the frame of a table without rows)."""
        import polars as pl

        if not self.spilled:
            height = self.height
            self.frame = (
                self.held[0]
                if len(self.held) == 1
                else pl.concat(self.held)
                if self.held
                else empty
            )
            self.height = height
        self.held = []

    def spill_folder(self):
        """The folder this table's chunks are written to (in the package's, removed when it is closed)."""
        import tempfile
        from pathlib import Path

        if self.spill_dir is None:
            self.spill_dir = Path(tempfile.mkdtemp(prefix="table-", dir=self.spill_root()))
        return self.spill_dir


def names_of(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _plain(value, kind: str):
    """A frame value as exports and the page take it: numbers as exact Decimals of what was read."""
    if isinstance(value, float) and kind == "number":
        if value != value or abs(value) == float("inf"):
            return value
        # 463966 stays 463966 (as the CSV writes it), not 463966.0
        return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    return value
