"""The layout holds (docs/architecture.md): arrows point down toward the store, and no cycles.

The parts' order is the import-linter contract in pyproject.toml; this test runs it, and adds
what a layers contract cannot say: no module imports itself back through others, and the
library (the store and every top-level module but the CLI) knows none of the service's parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

REPO_ROOT = Path(__file__).parents[1]
SERVICE_PARTS = ("service", "reconcile", "publishing", "web", "execution", "protocol")
EDGES = ("sdgkg.cli", "sdgkg.__main__")  # the command line sits above everything


@pytest.fixture(scope="module")
def imports() -> dict[str, set[str]]:
    graph = grimp.build_graph("sdgkg", cache_dir=None)
    return {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}


def test_parts_import_only_the_parts_below_them() -> None:
    """Upward imports break the contract; lint-imports prints the offending chain."""
    assert lint_imports(str(REPO_ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_no_module_imports_itself_back(imports: dict[str, set[str]]) -> None:
    cycles = import_cycles(imports)
    assert not cycles, "modules that import each other:\n" + "\n".join(", ".join(c) for c in cycles)


def test_the_library_knows_no_part_of_the_service(imports: dict[str, set[str]]) -> None:
    library = [m for m in imports if _part(m) not in (None, *SERVICE_PARTS) and m not in EDGES]
    wrong = sorted(
        f"{module} imports {target}"
        for module in library
        for target in imports[module]
        if _part(target) in SERVICE_PARTS
    )
    assert not wrong, "\n".join(wrong)


def _part(module: str) -> str | None:
    """``web`` for ``sdgkg.web.layout``; ``vocab`` for ``sdgkg.vocab``; None for ``sdgkg``."""
    names = module.split(".")
    return names[1] if len(names) > 1 else None


def test_cycles_are_found() -> None:
    """The check above can fail: a cycle through three modules is reported once."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c"]]


def import_cycles(imports: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in imports.get(module, ()):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return cycles
