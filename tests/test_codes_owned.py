"""A finding code has one owner: the family that raises it, and the code table lists it there.

Ownership is read from the code that raises, not from the table: every call in src/ whose first
argument (or `code=`) is a registered code, `finding("primary-key", …)`, `Rule("stock-jump", …)`,
`config_problems("rule-config-error", …)`, every `return "outside-path"`, and the codes of a module's
set a call picks from (`finding(code if code in _KNOWN else "package-error", …)`), counts for the
family its module belongs to (checks/NAME.py or checks/NAME/: NAME; the reader in tables/: `tables`;
diff/: `diff`).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from misti_data.checks import CHECKS, Context
from misti_data.registry import CODES, Check, finding

SRC = Path(__file__).resolve().parent.parent / "src" / "misti_data"
# Codes a module names for a family it is not part of. The reader finds formula cells as it types
# a CSV's text cells, once, for the formulas family (checks/formulas.py reports them); package.py
# judges a resource path (the reader refuses what it refuses) for the safety family.
LENT = {("tables", "formula-cell"): "formulas"} | {
    ("package", code): "safety"
    for code in ("invalid-path", "remote-path", "outside-path", "special-file")
}


# Codes raised as values a static reading cannot see: the reader passes on frictionless's own
# error types (`err.type if err.type in CODES else "source-error"`, tables/read.py), and of those
# frictionless reports these two of a resource it opens.
PASSED_ON = {"tables": {"resource-error", "schema-error"}}


def family_of(path: Path) -> str:
    """The family a module is part of; else its own name, which only LENT may let raise a code."""
    parts = path.relative_to(SRC).with_suffix("").parts
    if parts[0] == "checks" and len(parts) > 1 and parts[1] != "__init__":
        return parts[1]
    return parts[0]


def raised(path: Path) -> set[str]:
    """The registered codes `path` passes as a call's first argument or as `code=`, or returns;
    a module-level name in that argument stands for the codes its value holds."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    named = {
        target.id: codes_in(node.value, {})
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            values = node.args[:1] + [k.value for k in node.keywords if k.arg == "code"]
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Constant):
            values = [node.value]  # a code itself, not a value that merely holds one
        else:
            continue
        for value in values:
            # A code, a name of codes, or a choice between them; not a search (`next(f for f in …
            # if f.code == "extra-cell")` reads a code, it does not raise one).
            if isinstance(value, ast.Constant | ast.Name | ast.IfExp):
                found |= codes_in(value, named)
    return found


def codes_in(expr: ast.AST, named: dict[str, set[str]]) -> set[str]:
    """The registered codes written in `expr`, and held by the module-level names it uses."""
    found = set()
    for node in ast.walk(expr):
        if isinstance(node, ast.Constant) and node.value in CODES:
            found.add(node.value)
        elif isinstance(node, ast.Name):
            found |= named.get(node.id, set())
    return found


def raisers() -> dict[str, set[str]]:
    """{code: the families whose modules raise it (a module of none: its own name)}."""
    out: dict[str, set] = {code: {family} for family, codes in PASSED_ON.items() for code in codes}
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "codes.py":
            continue
        family = family_of(path)
        for code in raised(path):
            out.setdefault(code, set()).add(LENT.get((family, code), family))
    return out


def test_only_family_modules_raise_codes():
    owners = {family for c in CODES.values() for family in c.raised_by}
    strays = {code: families - owners for code, families in raisers().items() if families - owners}
    assert strays == {}


def test_each_code_is_listed_under_the_family_that_raises_it():
    wrong = {
        code: (sorted(families), CODES[code].raised_by)
        for code, families in raisers().items()
        if families != set(CODES[code].raised_by)
    }
    assert wrong == {}


def test_each_family_raises_a_code_of_its_own():
    """A family's code list is no wish list: each family's modules raise at least one of them
    (some codes, such as the safety ones, are passed on as values a static reading cannot see)."""
    raising = {f for families in raisers().values() for f in families}
    assert set(CHECKS) <= raising


def test_the_scan_sees_a_call_and_can_fail(tmp_path):
    stray = tmp_path / "stray.py"
    stray.write_text(
        'finding("primary-key", "x")\nRule(code="stock-jump")\nok = x == "type-error"\n'
        'def f():\n    return "outside-path"\n'
        'KNOWN = {"schema-error"}\nfinding(c if c in KNOWN else "package-error", "x")\n'
        'next((f for f in found if f.code == "extra-cell"), None)\n'
    )
    assert raised(stray) == {
        "primary-key",
        "stock-jump",
        "outside-path",
        "schema-error",
        "package-error",
    }


def test_a_family_that_returns_another_familys_code_fails_as_it_runs(shipped):
    from misti_data.package import load_package
    from misti_data.settings import settings_of

    stray = Check(
        "keys", lambda context: [finding("stock-jump", "not a key problem")], ("unique-error",)
    )
    with (
        load_package(shipped) as package,
        pytest.raises(RuntimeError, match="'keys' raised stock-jump"),
    ):
        stray(Context(package, settings_of(package)))


def test_a_code_the_reader_passes_on_from_frictionless_is_the_tables_familys(run, tmp_path):
    """frictionless refuses to open a resource named '': its resource-error reaches the report
    from the reader (once the descriptor check's, once the reader's), never as an internal error."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "t.csv").write_text("a\n1\n")
    resource = {"name": "", "path": "data/t.csv", "format": "", "encoding": "utf-8"}
    resource["schema"] = {"fields": [{"name": "a", "type": "string"}]}
    descriptor = {"name": "x", "version": "1.0.0", "licenses": [{"name": "CC0-1.0"}]}
    (tmp_path / "datapackage.json").write_text(json.dumps({**descriptor, "resources": [resource]}))
    result = run("validate", tmp_path, "--format", "json")
    assert result.exit_code == 1, result.stderr
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert codes == ["resource-error", "resource-error"]
