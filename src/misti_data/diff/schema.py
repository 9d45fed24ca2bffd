"""Schema changes: fields added, removed, renamed, retyped; constraints tightened or loosened; keys."""

from __future__ import annotations

from collections.abc import Callable

from misti_data.diff.model import SchemaChange, meta_changes
from misti_data.tables import names_of

# Spellings that read a table exactly as leaving the property out does (Table Schema and Table Dialect
# defaults, and strptime formats that are the ISO default): no change in a diff, no bump (issue 18).
# docs/standard.md lists them; tests/test_diff.py checks the two agree.
EQUIVALENT: dict[str, dict[str, list]] = {
    "field": {"format": ["default"], "bareNumber": [True], "decimalChar": ["."], "groupChar": [""]},
    "date": {"format": ["%Y-%m-%d"]},
    "datetime": {"format": ["%Y-%m-%dT%H:%M:%SZ"]},
    "time": {"format": ["%H:%M:%S"]},
    "constraints": {"required": [False], "unique": [False]},
    "schema": {"missingValues": [[""]]},
    "resource": {"encoding": ["utf-8", "UTF-8", "utf8"]},
    "dialect": {
        "header": [True],
        "headerRow": [1],
        "headerJoin": [" "],
        "delimiter": [","],
        "quoteChar": ['"'],
        "doubleQuote": [True],
        "lineTerminator": ["\r\n", "\n"],
        "skipInitialSpace": [False],
        "caseSensitiveHeader": [False],
    },
}


def without_defaults(desc: dict, kind: str) -> dict:
    """`desc` (a field, its constraints, a schema, a resource or a dialect) without the properties
    written out at their default or in an equivalent spelling (EQUIVALENT[kind])."""
    same = EQUIVALENT[kind]
    out = {
        k: v
        for k, v in desc.items()
        if not any(v == e and type(v) is type(e) for e in same.get(k, ()))
    }
    if kind == "field":
        if isinstance(out.get("constraints"), dict):
            out["constraints"] = without_defaults(out["constraints"], "constraints")
            if not out["constraints"]:
                del out["constraints"]
        if out.get("type") in EQUIVALENT:
            out = without_defaults(out, out["type"])
    elif kind == "resource" and isinstance(out.get("dialect"), dict):
        out["dialect"] = without_defaults(out["dialect"], "dialect")
        if not out["dialect"]:
            del out["dialect"]
    return out


_RAISE_TIGHTENS = {"minimum", "exclusiveMinimum", "minLength"}
_LOWER_TIGHTENS = {"maximum", "exclusiveMaximum", "maxLength"}
_FLAGS = {"required", "unique"}


def diff_schemas(
    old: dict, new: dict, same_values: Callable[[str, str], float | None] | None = None
) -> tuple[list[SchemaChange], list[tuple[str, str]]]:
    """Schema changes, and the (old name, new name) pairs of fields whose values are compared.

    A field is *renamed* when one field disappears and another of the same type appears at the
    same position, or anywhere with the same values (`same_values(old, new)`: the share of cells
    they share, or None); otherwise it is removed and added.
    """
    old, new = without_defaults(old, "schema"), without_defaults(new, "schema")
    of = [
        without_defaults(f, "field")
        for f in old.get("fields", [])
        if isinstance(f, dict) and f.get("name")
    ]
    nf = [
        without_defaults(f, "field")
        for f in new.get("fields", [])
        if isinstance(f, dict) and f.get("name")
    ]

    def renamed(i: int, j: int) -> float | None:
        if of[i].get("type", "string") != nf[j].get("type", "string"):
            return None
        share = same_values(of[i]["name"], nf[j]["name"]) if same_values else None
        return None if share is None and i != j else (share or 0.0) + (i == j)

    changes, pairs = diff_columns([f["name"] for f in of], [f["name"] for f in nf], renamed)
    by_old, by_new = {f["name"]: f for f in of}, {f["name"]: f for f in nf}
    for o, n in pairs:
        changes += _field_changes(by_old[o], by_new[n])
    if names_of(old.get("primaryKey")) != names_of(new.get("primaryKey")):
        changes.append(
            SchemaChange(
                "key-changed",
                None,
                "primary key changed",
                names_of(old.get("primaryKey")),
                names_of(new.get("primaryKey")),
            )
        )
    if old.get("foreignKeys") != new.get("foreignKeys"):
        changes.append(
            SchemaChange(
                "foreign-keys-changed",
                None,
                "foreign keys changed",
                old.get("foreignKeys"),
                new.get("foreignKeys"),
            )
        )
    for m in meta_changes(old, new, skip={"fields", "primaryKey", "foreignKeys"}):
        changes.append(
            SchemaChange("schema-metadata-changed", None, f"schema {m.key} changed", m.old, m.new)
        )
    return changes, pairs


def diff_columns(
    old_names: list[str], new_names: list[str], renamed: Callable[[int, int], float | None]
) -> tuple[list[SchemaChange], list[tuple[str, str]]]:
    """Columns (or fields) added, removed, renamed and reordered, and the (old, new) name pairs.

    `renamed(i, j)` scores how surely old column i became new column j (None: it did not). Each
    new column without an old namesake takes the best-scoring old column left without a new
    namesake; among equal scores, the nearest position.
    """
    pairs = [(n, n) for n in new_names if n in old_names]
    changes: list[SchemaChange] = []
    gone = [i for i, n in enumerate(old_names) if n not in new_names]
    for j, name in enumerate(new_names):
        if name in old_names:
            continue
        scored = [(score, -abs(i - j), i) for i in gone if (score := renamed(i, j)) is not None]
        if scored:
            i = max(scored)[2]
            gone.remove(i)
            pairs.append((old_names[i], name))
            changes.append(
                SchemaChange("field-renamed", name, f"{old_names[i]} → {name}", old_names[i], name)
            )
    renamed_old = {p[0] for p in pairs}
    renamed_new = {p[1] for p in pairs}
    changes += [
        SchemaChange("field-removed", n, f"field {n} removed")
        for n in old_names
        if n not in renamed_old
    ]
    changes += [
        SchemaChange("field-added", n, f"field {n} added")
        for n in new_names
        if n not in renamed_new
    ]
    order_old = [new_name for o in old_names for (p, new_name) in pairs if p == o]
    order_new = [n for n in new_names if n in renamed_new]
    if order_old != order_new:
        changes.append(
            SchemaChange("fields-reordered", None, "fields reordered", order_old, order_new)
        )
    return changes, pairs


def merge_changes(first: list[SchemaChange], more: list[SchemaChange]) -> list[SchemaChange]:
    """`first`, then the changes of `more` not already in it (one change per kind and field)."""
    seen = {(c.kind, c.field) for c in first}
    return first + [c for c in more if (c.kind, c.field) not in seen]


def _field_changes(a: dict, b: dict) -> list[SchemaChange]:
    name = b["name"]
    out = []
    for prop in ("type", "format"):
        va, vb = (
            a.get(prop, "string" if prop == "type" else "default"),
            b.get(prop, "string" if prop == "type" else "default"),
        )
        if va != vb:
            out.append(SchemaChange(f"{prop}-changed", name, f"{prop} {va} → {vb}", va, vb))
    ca, cb = a.get("constraints") or {}, b.get("constraints") or {}
    for key in sorted(set(ca) | set(cb)):
        if ca.get(key) != cb.get(key):
            tight, detail = _constraint_change(key, ca.get(key), cb.get(key))
            kind = "constraint-tightened" if tight else "constraint-loosened"
            out.append(SchemaChange(kind, name, f"{key}: {detail}", ca.get(key), cb.get(key)))
    for m in meta_changes(a, b, skip={"name", "type", "format", "constraints"}):
        out.append(SchemaChange("field-metadata-changed", name, f"{m.key} changed", m.old, m.new))
    return out


def _constraint_change(key: str, old, new) -> tuple[bool, str]:
    """(tightened?, words). A constraint that may accept fewer values than before is tightened."""
    if key in _FLAGS:
        return bool(new) and not bool(old), f"{bool(old)} → {bool(new)}"
    if old is None:
        return True, f"added {new!r}"
    if new is None:
        return False, f"removed {old!r}"
    if key == "enum" and isinstance(old, list) and isinstance(new, list):
        gone, came = [v for v in old if v not in new], [v for v in new if v not in old]
        words = "; ".join(
            w
            for w in (
                f"values removed {gone}" if gone else "",
                f"values added {came}" if came else "",
            )
            if w
        )
        return bool(gone), words or "values reordered"
    try:
        if key in _RAISE_TIGHTENS:
            return new > old, f"{old!r} → {new!r}"
        if key in _LOWER_TIGHTENS:
            return new < old, f"{old!r} → {new!r}"
    except TypeError:
        pass
    return True, f"{old!r} → {new!r}"  # a changed pattern may reject values: assume the worst
