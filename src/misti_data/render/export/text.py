"""What export wrote, one line per file; a refusal on stderr."""

from __future__ import annotations

from misti_data.render.written import refusal
from misti_data.words import plural


def render(result) -> tuple[str, str]:
    if result.refused:
        return "", refusal(result.package, "not exported", result.report)
    return "".join(
        f"wrote {w.path} ({w.format}: {plural(len(w.tables), 'table')}, {plural(w.rows, 'row')})\n"
        + "".join(f"  note: {n}\n" for n in w.notes)
        for w in result.written
    ), ""
