"""Recently opened session files: paths only, in a private file in the user state folder.

Nothing else is stored (no labels, no dates of visits), the list can be
cleared, and the app never shows it while a screen may be shared.
"""

from __future__ import annotations

import tomli
from pathlib import Path

from trd_tui.storage.atomic import SaveError, write_private
from trd_tui.storage.folders import private_folder

LIMIT = 10


def _file() -> Path:
    return private_folder("state") / "recent.toml"


def recent_files() -> list[Path]:
    """Most recent first; a missing or damaged list is an empty one."""
    try:
        raw = tomli.loads(_file().read_text(encoding="utf-8"))
    except (OSError, tomli.TOMLDecodeError, UnicodeDecodeError):
        return []
    paths = raw.get("paths", [])
    return [Path(p) for p in paths if isinstance(p, str)] if isinstance(paths, list) else []


def remember(path: Path) -> None:
    """Put ``path`` first. Failing to remember is never worth an error."""
    path = path.resolve()
    paths = [path, *(p for p in recent_files() if p != path)][:LIMIT]
    _write(paths)


def clear() -> None:
    _write([])


def _write(paths: list[Path]) -> None:
    import tomli_w

    try:
        # Not durable: a crash may lose the last change to the list, which harms nothing.
        write_private(_file(), tomli_w.dumps({"paths": [str(p) for p in paths]}).encode("utf-8"), durable=False)
    except SaveError:
        pass
