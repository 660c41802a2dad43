"""The package's layers: every import of ``roi/`` (module level and inside functions, under
``TYPE_CHECKING`` too) goes one way, from a layer to those before it, and no modules import each
other in a circle.

Order: ``inputs`` -> ``model`` -> ``analysis`` -> ``present`` -> ``report`` -> ``cli``.
``roi/__init__.py`` only holds the version and lazy names; ``roi.inputs.distributions`` is a leaf.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "roi"
LAYERS = ("inputs", "model", "analysis", "present", "report", "cli")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int | None:
    """Index of a module's layer in :data:`LAYERS`; None for the package root ``roi``."""
    parts = module.split(".")
    return None if len(parts) == 1 else LAYERS.index(parts[1])


def imports_of(path: Path) -> set[str]:
    """The ``roi`` modules ``path`` imports, wherever the import statement is."""
    return imports_in(path.read_text(), module_name(path), path.name == "__init__.py")


def imports_in(source: str, this: str, is_package: bool = False) -> set[str]:
    """The ``roi`` modules that module ``this`` (of text ``source``) imports."""
    tree = ast.parse(source)
    package = this if is_package else this.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "roi"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module.split(".")[0] != "roi":
                continue
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                found.add(sub if _is_module(sub) else module)
    # A submodule imports its own package's __init__ implicitly; that is not an edge.
    return {m for m in found if m != this and _is_module(m)}


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_belongs_to_a_layer() -> None:
    stray = [m for m in graph() if m != "roi" and m.split(".")[1] not in LAYERS]
    assert stray == []


def test_imports_go_one_way() -> None:
    wrong = []
    for module, targets in graph().items():
        here = layer_of(module)
        for target in sorted(targets):
            there = layer_of(target)
            if module == "roi":
                wrong.append(f"roi/__init__ imports {target} at import time")
            elif there is not None and here is not None and there > here:
                wrong.append(f"{module} ({LAYERS[here]}) imports {target} ({LAYERS[there]})")
    assert wrong == []


def test_no_import_cycles() -> None:
    g = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(g.get(m, ())):
            # A package's __init__ re-exporting its submodules is not a cycle through them.
            if m.startswith(t + "."):
                continue
            if state.get(t) == 1:
                cycles.append([*stack[stack.index(t) :], t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(g):
        if m not in state:
            visit(m)
    assert cycles == []


def test_distributions_are_a_leaf() -> None:
    assert graph()["roi.inputs.distributions"] == set()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from roi.model import evaluate\n", {"roi.model"}),
        ("from roi.inputs import schema\n", {"roi.inputs.schema"}),
        ("def f():\n    import roi.analysis.decision\n", {"roi.analysis.decision"}),
        (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from roi.report import files\n",
            {"roi.report.files"},
        ),
    ],
)
def test_the_walk_sees_every_kind_of_import(source: str, expected: set[str]) -> None:
    # The checker itself must see function-level and TYPE_CHECKING imports, or it proves nothing.
    assert imports_in(source, "roi.present.probe") == expected


def test_a_wrong_way_import_is_caught() -> None:
    assert layer_of("roi.report.files") > layer_of("roi.present.html")  # type: ignore[operator]
    assert imports_in("from . import files\n", "roi.report.probe") == {"roi.report.files"}
