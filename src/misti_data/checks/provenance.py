"""Provenance: every figure traces back to a verbatim quote in a local source, or to a citation.

Switched on by the package itself: `misti_data.provenance` in datapackage.json names the
sources resource and, per quoted resource, its source, quote, value (with its qualifier and
rounded_to) and text fields.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from misti_data.findings import Finding
from misti_data.package import Package, path_problem
from misti_data.prose_figures import Figure, qualifier_in, values_in
from misti_data.registry import check, finding
from misti_data.tables import ROW


@check("provenance")
def check_provenance(context) -> list[Finding]:
    cfg = context.settings.provenance
    if not cfg:
        return []
    package = context.package
    table = read_rows(context, cfg.get("sources", "sources"))
    if table is None:
        return []
    src_path, src_rows = table
    found: list[Finding] = []
    sources: dict[str, dict] = {}
    for row_no, row in src_rows:
        sid = row.get("source_id") or ""
        text, problems = _check_source(package, row, src_path, row_no)
        found += problems
        sources[sid] = {"kind": row.get("kind"), "text": text}
    for spec in cfg.get("quoted", []):
        table = read_rows(context, spec.get("resource", ""))
        if table is not None:
            found += _check_quoted(spec, *table, sources)
    return found


def read_rows(context, name: str) -> tuple[str, list[tuple[int, dict]]] | None:
    """(path, [(row number, typed row)]) of a resource, or None when it was not read (reported there)."""
    table = context.table(name)
    if table is None or not table.readable:
        return None
    return table.path, [(row[ROW], row) for row in table.frame.iter_rows(named=True)]


def _check_source(
    package: Package, row: dict, path: str, row_no: int
) -> tuple[str | None, list[Finding]]:
    """The source's text (for local sources) and the problems with its row."""
    where = dict(resource="sources", path=path, row=row_no)
    sid = row.get("source_id")
    if row.get("kind") == "cited":
        missing = [k for k in ("url", "outlet", "title") if not (row.get(k) or "").strip()]
        if missing:
            return None, [
                finding(
                    "citation-incomplete",
                    f"cited source {sid!r} has no {', '.join(missing)}",
                    field=missing[0],
                    **where,
                )
            ]
        return None, []
    rel = row.get("path") or ""
    if not rel or path_problem(package, rel):
        return None, [
            finding(
                "source-missing",
                f"local source {sid!r} has no file path inside the package",
                field="path",
                **where,
            )
        ]
    file = package.base / rel
    try:
        data = Path(file).read_bytes()
    except OSError:
        return None, [
            finding(
                "source-missing",
                f"local source {sid!r}: {rel} is missing",
                field="path",
                cell=rel,
                **where,
            )
        ]
    problems = []
    digest = hashlib.sha256(data).hexdigest()
    if digest != (row.get("sha256") or "").strip().lower():
        problems.append(
            finding(
                "source-hash-mismatch",
                f"{rel} has sha256 {digest[:12]}…, the sources table says {(row.get('sha256') or '')[:12] or 'nothing'}…",
                field="sha256",
                cell=row.get("sha256"),
                **where,
            )
        )
    return data.decode("utf-8", errors="replace"), problems


def _check_quoted(
    spec: dict, path: str, rows: list[tuple[int, dict]], sources: dict
) -> list[Finding]:
    found = []
    name = spec["resource"]
    src_f, quote_f = spec.get("source", "source_id"), spec.get("quote", "quote")
    for row_no, row in rows:
        where = dict(resource=name, path=path, row=row_no)
        sid, quote = row.get(src_f) or "", row.get(quote_f) or ""
        source = sources.get(sid)
        if source is None:
            found.append(
                finding(
                    "unknown-source",
                    f"source {sid!r} is not in the sources table",
                    field=src_f,
                    cell=sid,
                    **where,
                )
            )
            continue
        if source["kind"] == "cited":
            if quote:
                found.append(
                    finding(
                        "quote-on-cited-source",
                        f"source {sid!r} is cited, not kept locally: leave the quote empty",
                        field=quote_f,
                        **where,
                    )
                )
            continue
        if not quote:
            found.append(
                finding(
                    "quote-missing",
                    f"no quote for a figure from local source {sid!r}",
                    field=quote_f,
                    **where,
                )
            )
            continue
        if source["text"] is None:
            continue  # the source itself is reported missing
        if quote not in source["text"]:
            found.append(
                finding(
                    "quote-not-found",
                    f"quote {_short(quote)} is not in source {sid!r}",
                    field=quote_f,
                    cell=quote,
                    **where,
                )
            )
            continue
        found += _check_value(spec, row, quote, where)
        for text_f in spec.get("text", []):
            text = row.get(text_f) or ""
            if text and text not in quote:
                found.append(
                    finding(
                        "text-not-in-quote",
                        f"{text_f} {text!r} does not occur in the quote {_short(quote)}",
                        field=text_f,
                        cell=text,
                        **where,
                    )
                )
    return found


def quote_problems(row: dict, quote: str) -> list[Finding]:
    """What the quote check finds wrong with `quote` for the row's value, qualifier and rounded_to
    (observations' column names): `misti-data draft` shortens its quotes until this is empty."""
    return _check_value(_OBSERVATION, row, quote, {})


_OBSERVATION = {"value": "value", "qualifier": "qualifier", "rounded_to": "rounded_to"}


def _check_value(spec: dict, row: dict, quote: str, where: dict) -> list[Finding]:
    value_f = spec.get("value")
    if not value_f:
        return []
    value, raw = row.get(value_f), row.get(value_f)
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return []
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        raw = str(int(value)) if float(value).is_integer() else repr(value)
    else:
        return []  # empty, or a type error reported by the table checks
    matches = [m for m in values_in(quote) if _same(m.value, value)]
    if not matches:
        return [
            finding(
                "value-not-in-quote",
                f"{raw} cannot be read from the quote {_short(quote)}",
                field=value_f,
                cell=raw,
                **where,
            )
        ]
    found = []
    qual_f = spec.get("qualifier")
    if qual_f and row.get(qual_f):
        stated = {qualifier_in(quote, m) for m in matches}
        if row[qual_f] not in stated:
            found.append(
                finding(
                    "qualifier-mismatch",
                    f"qualifier is {row[qual_f]!r} but the quote states {' or '.join(sorted(stated))!r}: {_short(quote)}",
                    field=qual_f,
                    cell=row[qual_f],
                    **where,
                )
            )
    round_f = spec.get("rounded_to")
    if round_f and round_f in row:
        found += _check_rounding(row[round_f], matches, quote, round_f, where)
    return found


def _check_rounding(
    declared, matches: list[Figure], quote: str, field: str, where: dict
) -> list[Finding]:
    """The rounded_to cell says what the quote prints: the power of ten a scale word rounds to, or empty."""
    if declared is not None and not isinstance(declared, int):
        return []  # a type error, reported by the table checks
    printed = {m.rounded_to for m in matches}
    if declared in printed:
        return []
    said = " or ".join(
        "every digit" if p is None else f"{p:,}" for p in sorted(printed, key=lambda p: p or 0)
    )
    cell = "" if declared is None else str(declared)
    return [
        finding(
            "rounding-mismatch",
            f"{field} is {cell or 'empty'} but the quote prints the figure to {said}: {_short(quote)}",
            field=field,
            cell=cell,
            **where,
        )
    ]


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _short(text: str, n: int = 60) -> str:
    return repr(text if len(text) <= n else text[: n - 1] + "…")
