"""The import drawing of src/ has no circle, and no module imports a layer above its own.

Imports inside functions count too: a lazy import still ties the two modules together.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src"

# Bottom first. A module belongs to the layer that names it or its package; it may import its own
# layer and the layers below, never one above.
LAYERS = [
    [
        "misti_data",
        "misti_data.words",
        "misti_data.errors",
        "misti_data.findings",
        "misti_data.profiles",
        "misti_data.semver",
        "misti_data.key_inference",
        "misti_data.prose_figures",
        "misti_data.atomic",
        "misti_data.progress",
        "misti_data.address",
        "misti_data.changelog_html",
    ],
    ["misti_data.codes", "misti_data.registry"],
    ["misti_data.git", "misti_data.package", "misti_data.settings", "misti_data.stamp"],
    ["misti_data.tables"],
    ["misti_data.diff", "misti_data.values", "misti_data.positions"],
    ["misti_data.checks"],
    ["misti_data.validate"],
    [
        "misti_data.version",
        "misti_data.gate",
        "misti_data.changelog",
        "misti_data.release",
        "misti_data.citation",
        "misti_data.data_readme",
        "misti_data.feed",
        "misti_data.export",
        "misti_data.site",
        "misti_data.draft",
    ],
    ["misti_data.render"],
    ["misti_data.cli_options"],
    ["misti_data.cli", "misti_data.__main__"],
]


def modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "misti_data").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(path: Path, known: set[str]) -> set[str]:
    """The modules of ours `path` imports, at the top or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        out |= {n for n in names if n in known}
    return out


def layer_of(module: str) -> int:
    """The index in LAYERS of the longest entry that is `module` or a package holding it."""
    best = None
    for i, layer in enumerate(LAYERS):
        for entry in layer:
            if (module == entry or (entry != "misti_data" and module.startswith(entry + "."))) and (
                best is None or len(entry) > best[1]
            ):
                best = (i, len(entry))
    if best is None:
        raise AssertionError(f"{module} is in no layer of tests/test_layers.py: place it")
    return best[0]


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    mods = modules()
    return {m: imports(p, set(mods)) - {m} for m, p in mods.items()}


def test_the_imports_have_no_circle(graph):
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError naming the circle


def test_no_module_imports_a_layer_above_its_own(graph):
    upward = [
        f"{m} (layer {layer_of(m)}) imports {n} (layer {layer_of(n)})"
        for m, deps in sorted(graph.items())
        for n in sorted(deps)
        if layer_of(n) > layer_of(m)
    ]
    assert upward == []


def test_the_check_can_fail():
    """The parser sees a lazy import inside a function, and the sorter refuses a circle."""
    tree = {
        "misti_data.registry": {"misti_data.checks"},
        "misti_data.checks": {"misti_data.registry"},
    }
    with pytest.raises(graphlib.CycleError):
        graphlib.TopologicalSorter(tree).prepare()
    assert layer_of("misti_data.registry") < layer_of("misti_data.checks.keys")
