"""The user's folders for trd-tui's preferences, state (recovery copies) and cache.

They are the folders ``platformdirs`` gives. On Linux with an absolute ``$XDG_*_HOME``,
or none and an absolute ``$HOME``, that is the XDG rule below, on which every
platformdirs release agrees; importing platformdirs (it loads tempfile, random and
shutil) would slow every start and ``trd-tui check``. Anything else (another
system, Android, an unusual environment) asks platformdirs itself.
tests/test_userdirs.py checks both agree.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "trd-tui"
#: Per kind of folder: its XDG variable, and its place under the home folder without one.
XDG = {"config": ("XDG_CONFIG_HOME", ".config"), "state": ("XDG_STATE_HOME", ".local/state"), "cache": ("XDG_CACHE_HOME", ".cache")}


def user_folder(kind: str) -> Path:
    """trd-tui's folder of this kind ("config", "state" or "cache"); not created here."""
    variable, under_home = XDG[kind]
    xdg, home = os.environ.get(variable, ""), os.environ.get("HOME", "")
    if sys.platform == "linux" and "ANDROID_DATA" not in os.environ:
        if os.path.isabs(xdg):
            return Path(xdg, APP)
        if not xdg.strip() and os.path.isabs(home):
            return Path(home, under_home, APP)
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP))


def private_folder(kind: str, *parts: str) -> Path:
    """trd-tui's folder of this kind (or ``parts`` below it), created private (0700) if missing.

    ``mkdir(parents=True)`` would give every folder it creates but the last the
    umask's mode (0755, or 0777 under umask 000); each one is made 0700 here,
    the ones above trd-tui's own included, so no other user can list or swap them.
    """
    folder = user_folder(kind).joinpath(*parts)
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.is_dir():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        candidate.mkdir(mode=0o700, exist_ok=True)
        os.chmod(candidate, 0o700)  # mkdir's mode passes through the umask
    return folder
