"""House rules: only trd_tui/ui may import Textual, and only trd_tui/ui/internals may use its private API.

The private-API rule (issue 12 part 3), checked on every module under trd_tui/ui except
ui/internals/, by reading its syntax tree (so imports inside functions count too):

1. No import of a private Textual module: any ``textual...`` module path with a part
   that starts with ``_`` (``textual._resolve``, ``textual.widgets._markdown``), including
   ``from textual.widgets import _markdown``.
2. No ``_name`` attribute (one leading underscore; dunders are public protocol) read or
   written on any object but ``self``, ``cls`` or ``super()``: ``self.app._css_update_count``,
   ``table._data``, and ``getattr(x, "_name")`` alike. The type of ``x`` is not known
   statically, so reaching into any other object's private state is refused here; our own
   classes offer a public name instead.
3. In a class that inherits from a Textual class (found by importing the module and
   reading the class's MRO), no method, class attribute, or ``self._name`` / ``cls._name``
   / ``super()._name`` whose name Textual's classes in that MRO define or set: overriding
   ``_on_resize`` or reading ``self._styles_cache`` is Textual's private API even on
   ``self``. Textual's names are read from its installed source: every ``_name`` defined
   in those classes' bodies or assigned or read as ``self._name`` in their methods.
   A name of our own that happens to equal one of Textual's would silently replace
   Textual's, so it is refused too.

Not covered: classes defined inside functions, and mixins outside ui/internals that do
not themselves inherit from Textual (none exist; internals hold the mixins that do this).
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
from pathlib import Path
from typing import Any

import pytest

PACKAGE = Path(__file__).parent.parent / "trd_tui"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("library", ["textual", "textual_serve", "aiohttp"])
def test_nothing_outside_ui_imports_a_ui_library(library: str) -> None:
    # textual-serve and aiohttp (the browser server, trd_tui/ui/serve.py) are kept out too.
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts[:1]:
            continue
        if any(name == library or name.startswith(f"{library}.") for name in imported_modules(path)):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_the_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    # The cli imports the UI lazily inside a function; the rule must still see such imports.
    sample = tmp_path / "x.py"
    sample.write_text("def f():\n    from textual.app import App\n")
    assert "textual.app" in imported_modules(sample)


def test_only_the_owners_read_toml_files() -> None:
    # storage: session files, locks, recovery copies, the recent-files list and the
    # preferences; pack/load: the content pack.
    readers = {
        "storage/sessionfile.py",
        "storage/locks.py",
        "storage/recovery.py",
        "storage/recent.py",
        "storage/config.py",
        "pack/load.py",
    }
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.as_posix() in readers or "ui" in relative.parts[:1]:
            continue
        assert "tomli" not in imported_modules(path), path.name


def test_every_toml_file_is_read_by_one_parser() -> None:
    # tomli (compiled, 2.5 times as fast as tomllib): one parser, so every file is held to
    # the same TOML and every error is worded alike.
    offenders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if "tomllib" in imported_modules(p)]
    assert offenders == []


def module_file(name: str) -> Path | None:
    """The file of a trd_tui module, or None for a name that is not one (an attribute)."""
    base = PACKAGE.parent.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def trd_tui_imports(path: Path) -> set[Path]:
    """The files of the trd_tui modules ``path`` imports, at any level (in functions, under TYPE_CHECKING)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(f for n in names if n.split(".")[0] == "trd_tui" and (f := module_file(n)) is not None)
    return found


def test_the_pack_cache_key_covers_all_the_code_a_pack_is_built_by() -> None:
    # Every module the pack's code imports, directly or through others, is hashed into the
    # cache key, so an edit to any of them makes a cached pack stale. What the cache itself
    # imports to find its folder and write its file shapes no pack, and is not followed.
    from trd_tui.pack.cache import code_files

    cache = PACKAGE / "pack" / "cache.py"
    seen: set[Path] = set()
    todo = list((PACKAGE / "pack").glob("*.py"))
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo += [] if path == cache else trd_tui_imports(path)
    assert {p.resolve() for p in seen} <= {p.resolve() for p in code_files()}


def test_the_pack_imports_no_clinical_rule_view_or_export() -> None:
    # The condition grammar lives in the pack; clinical/ evaluates it, never the other way round.
    for path in (PACKAGE / "pack").glob("*.py"):
        above = [p for p in trd_tui_imports(path) if p.relative_to(PACKAGE).parts[0] in ("clinical", "ui", "export")]
        assert above == [], path.name


def test_storage_depends_on_no_layer_above_it() -> None:
    # storage -> tomlconv, model, text: the session format never needs the clinical rules,
    # the content pack, the document or the UI (that dependency made the core import cycle).
    above = ("trd_tui.clinical", "trd_tui.content", "trd_tui.pack", "trd_tui.document", "trd_tui.ui")
    for path in (PACKAGE / "storage").rglob("*.py"):
        imported = imported_modules(path)
        assert not [name for name in imported if name.startswith(above)], path.name


def test_no_module_imports_the_package_root() -> None:
    # The root maps its public names to every layer; a module importing it joins every cycle.
    # `from trd_tui import model` imports the module trd_tui/model.py, not the root.
    def is_module(name: str) -> bool:
        return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name / "__init__.py").exists()

    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                offenders += [f"{path.name}: {a.name}" for a in node.names if a.name == "trd_tui"]
            elif isinstance(node, ast.ImportFrom) and node.module == "trd_tui" and node.level == 0:
                offenders += [f"{path.name}: {a.name}" for a in node.names if not is_module(a.name)]
    assert offenders == []


# -- Textual's private API only in ui/internals ---------------------------------------

UI = PACKAGE / "ui"
INTERNALS = UI / "internals"


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def is_self(node: ast.expr) -> bool:
    """``self``, ``cls`` or ``super()``: the object whose class is being defined."""
    if isinstance(node, ast.Name):
        return node.id in ("self", "cls")
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def private_textual_imports(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names if is_private(alias.name)]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] == "textual" and any(is_private(part) for part in parts[1:]):
                found.append(f"line {node.lineno}: imports {module}")
    return found


def private_access_on_others(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr) and not is_self(node.value):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and is_private(node.args[1].value)
            and not is_self(node.args[0])
        ):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


@functools.cache
def textual_class_private_names(cls: type) -> frozenset[str]:
    """The ``_names`` one Textual class defines in its body or uses as ``self._name``."""
    names = {name for name in vars(cls) if is_private(name)}
    try:
        tree = ast.parse(inspect.getsource(cls))
    except (OSError, TypeError):
        return frozenset(names)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_self(node.value) and is_private(node.attr):
            names.add(node.attr)
    return frozenset(names)


def textual_private_names(cls: type) -> frozenset[str]:
    """Every private name of the Textual classes ``cls`` inherits from."""
    textual = [base for base in cls.__mro__ if base.__module__.split(".")[0] == "textual"]
    return frozenset().union(*(textual_class_private_names(base) for base in textual))


def private_use_in_textual_subclasses(tree: ast.Module, module: Any) -> list[str]:
    found: list[str] = []

    def visit(node: ast.ClassDef, cls: Any) -> None:
        if not isinstance(cls, type):
            return
        private = textual_private_names(cls)
        for item in node.body:
            if isinstance(item, ast.ClassDef):
                visit(item, getattr(cls, item.name, None))
                continue
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name in private:
                found.append(f"line {item.lineno}: {node.name} defines Textual's {item.name}")
            targets = item.targets if isinstance(item, ast.Assign) else [item.target] if isinstance(item, ast.AnnAssign) else []
            for target in targets:
                if isinstance(target, ast.Name) and target.id in private:
                    found.append(f"line {item.lineno}: {node.name} sets Textual's {target.id}")
            for sub in ast.walk(item):
                if isinstance(sub, ast.Attribute) and is_self(sub.value) and sub.attr in private:
                    found.append(f"line {sub.lineno}: {node.name} uses Textual's {ast.unparse(sub)}")

    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            visit(node, getattr(module, node.name, None))
    return found


def private_api_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    dotted = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
    module = importlib.import_module(dotted)
    return private_textual_imports(tree) + private_access_on_others(tree) + private_use_in_textual_subclasses(tree, module)


def test_textual_private_api_is_used_only_in_ui_internals() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): uses
        for path in sorted(UI.rglob("*.py"))
        if INTERNALS not in path.parents and (uses := private_api_uses(path))
    }
    assert offenders == {}


def test_the_private_api_rule_finds_each_kind_of_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sample = tmp_path / "private_sample.py"
    sample.write_text(
        "from textual._resolve import resolve\n"
        "from textual.widgets import DataTable, _markdown\n"
        "class Table(DataTable):\n"
        "    _update_count = 0\n"
        "    def _on_resize(self, event):\n"
        "        self._styles_cache.clear()\n"
        "        self._mine = self.app._css_update_count\n"
        "        getattr(self.app, '_css_update_count')\n"
        "        return super()._get_styles_to_render_cell\n"
    )
    monkeypatch.syspath_prepend(tmp_path)
    tree = ast.parse(sample.read_text())
    uses = private_textual_imports(tree) + private_access_on_others(tree)
    uses += private_use_in_textual_subclasses(tree, importlib.import_module("private_sample"))
    # line 1: textual._resolve; 2: textual.widgets._markdown; 4: sets _update_count;
    # 5: defines _on_resize; 6: self._styles_cache; 7 and 8: the app's _css_update_count;
    # 9: super()._get_styles_to_render_cell. Line 3 (the class) is fine.
    assert sorted(int(use.split(":")[0].removeprefix("line ")) for use in uses) == [1, 2, 4, 5, 6, 7, 8, 9], uses
    assert not any("_mine" in use for use in uses)  # our own private state on self is fine


def test_no_module_is_over_450_lines() -> None:
    # One concern per module: a file past this has become two (docs/architecture.md).
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450}
    assert long == {}
