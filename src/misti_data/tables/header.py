"""The header against the schema: which field each column of the file holds, and the label findings.

Table Schema v2's `fieldsMatch` decides how: `exact` (the default) pairs labels and fields by
position; `equal`, `subset`, `superset` and `partial` pair them by name and differ in what they
tolerate (frictionless-py's reading of the spec: `subset` and `partial` allow extra labels,
`superset` and `partial` allow missing fields unless required or in the primary key).
Without a schema every column is a field of type `any` named by its label, and only blank and
repeated labels are findings, as frictionless reports them.
"""

from __future__ import annotations

from misti_data.findings import Finding
from misti_data.registry import finding

MODES = ("exact", "equal", "subset", "superset", "partial")
_EXTRA_ALLOWED = ("subset", "partial")
_MISSING_ALLOWED = ("superset", "partial")


def match_header(
    labels: list[str] | None,
    fields: list[dict],
    schema: dict,
    primary_key: list[str],
    *,
    case_sensitive: bool,
    width: int,
    where: dict,
) -> tuple[list[dict | None], list[Finding]]:
    """(the field of each column, None where no field holds it; the header findings).

    `labels` is None when the file has no header; `width` is then the first row's width, which
    only counts when there is no schema either.
    """
    if not fields:
        return _inferred(labels, width, where)
    if labels is None:
        return list(fields), []
    if not any(labels):
        return list(fields[: len(labels)]), [
            finding("blank-header", "the header row is empty", row=1, **where)
        ]
    mode = schema.get("fieldsMatch") if schema.get("fieldsMatch") in MODES else "exact"
    key = (lambda s: s) if case_sensitive else str.lower
    if mode == "exact":
        return _by_position(labels, fields, key, where)
    return _by_name(labels, fields, primary_key, mode, key, where)


def _inferred(
    labels: list[str] | None, width: int, where: dict
) -> tuple[list[dict], list[Finding]]:
    if labels is None:
        return [{"name": f"field{i + 1}", "type": "any"} for i in range(width)], []
    if not any(labels):
        return [{"name": "field1", "type": "any"}], [
            finding("blank-header", "the header row is empty", row=1, **where)
        ]
    names = _unique(
        [label or f"field{i + 1}" for i, label in enumerate(labels)]
    )  # as frictionless names them
    found, seen = [], {}
    for i, label in enumerate(labels):
        if label == "":
            found.append(
                finding(
                    "blank-label", f"column {i + 1} has no label", row=1, field=names[i], **where
                )
            )
        elif label in seen:
            found.append(
                finding(
                    "duplicate-label",
                    f"column {i + 1} repeats the label {label!r} of column {seen[label] + 1}",
                    row=1,
                    field=names[i],
                    cell=label,
                    **where,
                )
            )
        seen.setdefault(label, i)
    return [{"name": name, "type": "any"} for name in names], found


def _by_position(
    labels: list[str], fields: list[dict], key, where: dict
) -> tuple[list[dict | None], list[Finding]]:
    found, seen = [], set()
    for i, label in enumerate(labels):
        if i >= len(fields):
            found.append(
                finding(
                    "extra-label",
                    f"column {i + 1} {label!r} is not in the schema",
                    row=1,
                    cell=label,
                    **where,
                )
            )
            continue
        name = fields[i]["name"]
        if label == "":
            found.append(
                finding(
                    "blank-label",
                    f"column {i + 1} has no label; the schema calls it {name!r}",
                    row=1,
                    field=name,
                    **where,
                )
            )
        elif label in seen:
            found.append(
                finding(
                    "duplicate-label",
                    f"column {i + 1} repeats the label {label!r}",
                    row=1,
                    field=name,
                    cell=label,
                    **where,
                )
            )
        elif key(label) != key(name):
            found.append(
                finding(
                    "incorrect-label",
                    f"column {i + 1} is {label!r}, the schema calls it {name!r}",
                    row=1,
                    field=name,
                    cell=label,
                    **where,
                )
            )
        seen.add(label)
    found += _missing(fields[len(labels) :], where)
    return [fields[i] if i < len(fields) else None for i in range(len(labels))], found


def _by_name(
    labels: list[str], fields: list[dict], primary_key: list[str], mode: str, key, where: dict
):
    by_key: dict[str, dict] = {}
    for f in fields:
        by_key.setdefault(key(f["name"]), f)
    found, columns, taken = [], [], set()
    names = _unique(
        [f["name"] for f in fields] + [label or f"field{i + 1}" for i, label in enumerate(labels)]
    )[len(fields) :]
    for i, label in enumerate(labels):
        field = by_key.get(key(label))
        if field is not None and key(label) in taken:
            found.append(
                finding(
                    "duplicate-label",
                    f"column {i + 1} repeats the label {label!r}; fieldsMatch {mode!r} pairs columns by name",
                    row=1,
                    field=field["name"],
                    cell=label,
                    **where,
                )
            )
            field = None
        elif field is None and mode in _EXTRA_ALLOWED:
            field = {"name": names[i], "type": "any"}  # fieldsMatch allows it: kept as read
        elif field is None:
            found.append(
                finding(
                    "extra-label",
                    f"column {i + 1} {label!r} is not in the schema (fieldsMatch {mode!r})",
                    row=1,
                    cell=label,
                    **where,
                )
            )
        taken.add(key(label))
        columns.append(field)
    absent = [f for f in fields if key(f["name"]) not in taken]
    if mode in _MISSING_ALLOWED:
        absent = [
            f
            for f in absent
            if f["constraints"].get("required") is True or f["name"] in primary_key
        ]
    found += _missing(absent, where)
    if mode == "partial" and not any(key(f["name"]) in taken for f in fields):
        found.append(
            finding(
                "unmatched-header",
                "no column of the header is a field of the schema (fieldsMatch 'partial')",
                row=1,
                **where,
            )
        )
    return columns, found


def _missing(fields: list[dict], where: dict) -> list[Finding]:
    return [
        finding(
            "missing-label",
            f"the header lacks the schema's field {f['name']!r}",
            row=1,
            field=f["name"],
            **where,
        )
        for f in fields
    ]


def _unique(names: list[str]) -> list[str]:
    """`a, a, b` as `a, a2, b`, as frictionless names repeated labels."""
    out, used = [], set()
    for name in names:
        name = next(n for n in _candidates(name) if n not in used)
        used.add(name)
        out.append(name)
    return out


def _candidates(name: str):
    yield name
    n = 2
    while True:
        yield f"{name}{n}"
        n += 1
