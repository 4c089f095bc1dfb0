"""Recovery copies that cannot be opened: moved aside when the user agrees, never offered forever.

A copy fails to open when it is damaged or holds values outside the rules of a
session file (for example one written by an older trd-tui that let a form take a
year-1 date). Deleting it would lose the work; offering it at every start would
loop. Moved into ``kept-aside/`` in the recovery folder, it stays private for a
support request, and it is no longer a recovery copy.
"""

from __future__ import annotations

import os
from pathlib import Path

from trd_tui.storage.recovery import recovery_copies, recovery_folder

FOLDER = "kept-aside"


def unopenable_copies(folder: Path | None = None) -> list[Path]:
    """Files in the recovery folder that do not read as a recovery copy."""
    folder = folder or recovery_folder()
    readable = {copy.path for copy in recovery_copies(folder)}
    return sorted(path for path in folder.glob("*.toml") if path not in readable)


def keep_aside(path: Path) -> Path:
    """Move ``path`` into the private ``kept-aside`` folder beside it; raises OSError."""
    aside = path.parent / FOLDER
    aside.mkdir(mode=0o700, exist_ok=True)
    target = aside / path.name
    os.replace(path, target)
    return target
