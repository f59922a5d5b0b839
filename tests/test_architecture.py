"""The package's shape: no import cycle inside generator/, no module over 400 lines."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
MAX_LINES = 400


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The generator modules `path` imports anywhere: at import time, under `if TYPE_CHECKING:` or in
    a function (a cycle that only type checking or a late import closes is still a tangle)."""
    here = _module(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("generator"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            if not base.startswith("generator"):
                continue
            for alias in node.names:  # `from . import x` names module x; `from .a import f`, module a
                name = f"{base}.{alias.name}"
                found.add(name if name in modules else base)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    names = set(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = _imports(path, names)
        # Importing generator.a.b runs generator/a/__init__.py first.
        found |= {m.rsplit(".", i)[0] for m in found for i in range(1, m.count("."))}
        # A module's own packages are already running when it is imported: not an edge.
        own = {name.rsplit(".", i)[0] for i in range(1, name.count(".") + 1)}
        graph[name] = {m for m in found if m in names and m != name and m not in own}
    return graph


def test_no_import_cycle_in_the_package() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_each_command_module_imports_first() -> None:
    # cli.py registers the commands of the other cli_* modules as it is imported: one of them
    # importing cli.py back fails when it is imported first (`python -m generator.cli_check`).
    for path in sorted(PACKAGE.glob("cli*.py")):
        module = f"generator.{path.stem}"
        done = subprocess.run(
            [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, cwd=PACKAGE.parent
        )
        assert done.returncode == 0, f"import {module} on its own: {done.stderr.strip().splitlines()[-1:]}"
