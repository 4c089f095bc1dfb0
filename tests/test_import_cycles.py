"""No import cycles anywhere in trd_tui/ (issue 12 part 4).

Every import counts: module level, inside functions, and under ``if TYPE_CHECKING:``
(a cycle that type checkers follow is a cycle a reader has to untangle). The package
root ``trd_tui`` is a module like any other, so a module that imports ``trd_tui``
itself (``from trd_tui import x`` where ``x`` is not a submodule) joins the root's
cycle. Modelled on /work/shared/hooks/import_cycles.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "trd_tui"


def module_files(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py under ``package`` (a package is its __init__)."""
    mods = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


def imports_of(module: str, path: Path, mods: dict[str, Path]) -> set[str]:
    """The package's modules that ``module`` imports anywhere in its file."""
    root = next(iter(mods)).split(".")[0]
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            # `from pkg import sub` imports the submodule; `from pkg import name` imports pkg.
            targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in mods else source for a in node.names]
        else:
            continue
        for target in targets:
            if target != root and not target.startswith(root + "."):
                continue
            while target not in mods:  # `import trd_tui.x.y` where y is a name: the module is trd_tui.x
                target = target.rpartition(".")[0]
            if target != module:
                found.add(target)
    return found


def import_graph(package: Path) -> dict[str, set[str]]:
    mods = module_files(package)
    return {module: imports_of(module, path, mods) for module, path in mods.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles() -> None:
    found = cycles(import_graph(PACKAGE))
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "pkg"


def test_function_level_and_type_checking_imports_make_cycles(tmp_path: Path) -> None:
    package = write_package(tmp_path, {
        "__init__.py": "",
        "a.py": "def f():\n    from pkg import b\n",
        "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import f\n",
    })
    assert cycles(import_graph(package)) == [["pkg.a", "pkg.b"]]


def test_the_package_root_is_a_module(tmp_path: Path) -> None:
    # `from pkg import name` runs pkg/__init__.py, which here imports a.
    package = write_package(tmp_path, {
        "__init__.py": "from pkg.a import thing\n",
        "a.py": "thing = 1\n",
        "b.py": "import pkg.a\n",
        "c.py": "from pkg import thing\n",
    })
    graph = import_graph(package)
    assert graph["pkg.c"] == {"pkg"} and graph["pkg.b"] == {"pkg.a"}
    assert cycles(graph) == []
    (package / "a.py").write_text("from pkg import c\nthing = 1\n")
    assert cycles(import_graph(package)) == [["pkg", "pkg.a", "pkg.c"]]


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    package = write_package(tmp_path, {
        "__init__.py": "",
        "sub/__init__.py": "from . import x\n",
        "sub/x.py": "from ..y import z\n",
        "y.py": "from .sub import x\nz = 1\n",
    })
    graph = import_graph(package)
    assert graph["pkg.sub"] == {"pkg.sub.x"} and graph["pkg.sub.x"] == {"pkg.y"}
    assert cycles(graph) == [["pkg.sub.x", "pkg.y"]]
