"""The CSV renderers: for now, the draft."""

from __future__ import annotations

import csv
import io

REVIEW = ("status", "existing_value", "also_fits", "why")


def draft(result) -> str:
    """observations.csv's columns, then the review's (status, the package's value, other indicators
    that fit, why a figure is unplaced); an unplaced figure is a row without an indicator."""
    out = io.StringIO()
    writer = csv.DictWriter(out, (*result.fields, *REVIEW), lineterminator="\n")
    writer.writeheader()
    for row in result.rows:
        old = row.get("existing") or {}
        writer.writerow(
            {k: row.get(k) for k in result.fields}
            | {
                "status": row["status"],
                "existing_value": old.get("value"),
                "also_fits": " ".join(row["also_fits"]),
            }
        )
    for u in result.unplaced:
        writer.writerow(
            {"value": u["value"], "quote": u["sentence"], "status": "unplaced", "why": u["why"]}
        )
    return out.getvalue()
