"""A resource's whole CSV dialect, from Data Package v1/v2 `dialect`, frictionless v5's `csv`
control, the resource's `format` and `encoding`, and its schema's `missingValues`."""

from __future__ import annotations

from dataclasses import dataclass

from misti_data.errors import CannotRun
from misti_data.package import Package, path_problem, read_json


@dataclass(frozen=True)
class Dialect:
    delimiter: str = ","
    quote_char: str | None = '"'
    double_quote: bool = True
    escape_char: str | None = None
    header: bool = True
    line_terminator: str | None = None
    skip_initial_space: bool = False
    comment_char: str | None = None
    encoding: str = "utf-8"
    missing_values: tuple[str, ...] = ("",)

    @property
    def plain(self) -> bool:
        """True when polars's reader reads this dialect exactly (else Python's csv module does)."""
        single = lambda c: c is None or len(c.encode()) == 1
        return (
            single(self.delimiter) and single(self.quote_char) and self.double_quote and self.escape_char is None
            and not self.skip_initial_space and self.comment_char is None
            and self.line_terminator in (None, "\n", "\r\n")
        )


def dialect_of(package: Package, resource: dict, schema: dict) -> Dialect:
    spec = resource.get("dialect")
    if isinstance(spec, str) and not path_problem(package, spec):
        try:
            spec = read_json(package.base / spec)
        except CannotRun:
            spec = {}
    spec = spec if isinstance(spec, dict) else {}
    if isinstance(spec.get("csv"), dict):
        spec = {**spec, **spec["csv"]}
    char = lambda key, default: spec[key] if isinstance(spec.get(key), str) and len(spec[key]) == 1 else default
    flag = lambda key, default: spec[key] if isinstance(spec.get(key), bool) else default
    fmt = resource.get("format").lower() if isinstance(resource.get("format"), str) else None
    path = resource.get("path") if isinstance(resource.get("path"), str) else ""
    tsv = fmt == "tsv" or (fmt is None and path.lower().endswith(".tsv"))
    missing = schema.get("missingValues", [""])
    terminator = spec.get("lineTerminator")
    return Dialect(
        delimiter=char("delimiter", "\t" if tsv else ","),
        quote_char=None if spec.get("quoteChar") == "" else char("quoteChar", '"'),
        double_quote=flag("doubleQuote", True),
        escape_char=char("escapeChar", None),
        header=bool(spec.get("header", True) is not False and spec.get("headerRows", [1]) != []),
        line_terminator=terminator if isinstance(terminator, str) and terminator else None,
        skip_initial_space=flag("skipInitialSpace", False),
        comment_char=char("commentChar", None),
        encoding=resource["encoding"] if isinstance(resource.get("encoding"), str) and resource["encoding"] else "utf-8",
        missing_values=tuple(v for v in missing if isinstance(v, str)) if isinstance(missing, list) else ("",),
    )
