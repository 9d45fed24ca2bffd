"""A draft as a review table: each proposed row with its quote, then every figure left unplaced."""

from __future__ import annotations

from misti_data.words import plural

_WIDTH = 60


def render(result) -> tuple[str, str]:
    source = result.source
    lines = [
        f"{result.file}: published {result.published.isoformat()}, source {source['source_id']}"
        + (" (new)" if result.source_is_new else ""),
        _summary(result),
        "",
    ]
    for row in result.rows:
        lines.append(
            f"{row['status']:<9} {row['indicator_id']}  {row['area']}  {row['period']}  "
            f"{row['value']:,}  {row['qualifier']}"
            + (f"  rounded to {row['rounded_to']:,}" if row["rounded_to"] else "")
        )
        lines.append(f"          {row['quote']!r}")
        old = row.get("existing")
        if row["status"] == "revision":
            lines.append(
                f"          the package has {old['value']:,} ({old['qualifier']}, {old['source_id']}): "
                "a revision needs a row in revisions.csv with its reason"
            )
        if row["also_fits"]:
            lines.append(f"          also fits: {', '.join(row['also_fits'])}")
    if result.unplaced:
        lines += ["", f"unplaced ({len(result.unplaced)}):"]
        for u in result.unplaced:
            lines.append(f"  {u['figure']:<12} {u['why']}: {_short(u['sentence'])}")
    if result.written:
        lines += ["", f"wrote {', '.join(result.written)}"]
    err = ""
    if result.refused:
        err = "not written: the package would be invalid:\n" + "".join(
            f"  {line}\n" for line in result.refused
        )
    return "\n".join(lines) + "\n", err


def _summary(result) -> str:
    counts = {}
    for row in result.rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    parts = ", ".join(f"{n} {status}" for status, n in counts.items())
    return (
        f"{plural(len(result.rows), 'row')}"
        + (f" ({parts})" if parts else "")
        + f"; {plural(len(result.unplaced), 'figure')} unplaced"
    )


def _short(text: str) -> str:
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"
