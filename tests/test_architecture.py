"""House rules that keep the core headless: only trd_tui/ui may import Textual."""

from __future__ import annotations

import ast
from pathlib import Path

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
