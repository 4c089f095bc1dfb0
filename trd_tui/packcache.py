"""A checked content pack kept in the user cache folder, so a start does not parse it again.

Reading and checking the pack's TOML takes longer than the rest of ``trd-tui summary``
on a large session. A pack that loaded without problems is written here under a key made
of every pack file's and reading module's path, size, inode, mtime and ctime (as git's
index does, a step beyond Python's own .pyc check), trd-tui's version and Python's; it is
used only when that key is the same, so an edited pack (or an upgrade) is read again,
never served stale. Taking the key from the files' metadata rather than their bytes
keeps a start from reading and hashing the whole pack.

Two edits within one tick of the file system's clock can leave the same metadata
behind, so a pack is not cached (nor read from the cache) while any of its files changed
in the last :data:`SETTLE_SECONDS`: every later edit then gets a later ctime than the one
cached, and a later mtime unless it sets one.

The cache holds the clinic's content pack, never patient data. Files are written
atomically, private to the user (0600, in a 0700 folder); one that is not the user's own,
is writable by others, is damaged, or holds anything but pack records is ignored
(and rewritten).
"""

from __future__ import annotations

import io
import os
import pickle
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from trd_tui.storage.folders import user_folder
from trd_tui.version import __version__

FORMAT = "trd-tui pack cache 2"
#: FAT keeps mtimes to 2 seconds; other file systems are finer.
SETTLE_SECONDS = 2.0
_HERE = Path(__file__).parent
#: Modules whose record classes a pack is built of; nothing else may be unpickled.
_MODULES = ("trd_tui.content", "trd_tui.clinical.relevance", "trd_tui.model")
_PATHS = ("PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath")


def key(folder: Path, files: Iterable[str], sources: Iterable[str]) -> bytes | None:
    """The pack's files and the code reading them, as metadata; None when a file cannot be read.

    Also None while a file changed too recently to be told apart from a next edit (see above).
    """
    stamps = []
    settled = time.time_ns() - int(SETTLE_SECONDS * 1e9)
    try:
        for name in (*(folder / f for f in files), *(_HERE / s for s in sources)):
            st = os.stat(name)
            if max(st.st_mtime_ns, st.st_ctime_ns) > settled:
                return None
            stamps.append((str(name), st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))
    except OSError:
        return None  # the full read reports it
    # repr() writes any newline in a path as \n, so the key stays one line.
    return repr((FORMAT, __version__, sys.version, str(folder.resolve()), stamps)).encode()


def load(folder: Path, wanted: bytes) -> Any | None:
    """The pack cached for ``folder`` under key ``wanted``, or None."""
    try:
        with open(_path(folder), "rb") as f:
            st = os.fstat(f.fileno())
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None
            if f.readline().rstrip(b"\n") != wanted:
                return None
            return _Unpickler(f).load()
    except Exception:  # absent, unreadable, damaged or foreign: read the pack itself
        return None


def store(folder: Path, key: bytes, content: Any) -> None:
    """Keep a checked pack for the next start; failing to is never an error."""
    from trd_tui.storage.atomic import SaveError, write_private

    path = _path(folder)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_private(path, key + b"\n" + pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, SaveError, pickle.PicklingError):
        pass


def _path(folder: Path) -> Path:
    """One file per pack folder. Two folders sharing a checksum only take turns: the key names the folder."""
    import zlib

    name = zlib.crc32(os.fsencode(folder.resolve()))
    return user_folder("cache") / f"pack-{name:08x}.pickle"


class _Unpickler(pickle.Unpickler):
    """Builds only pack records (attrs classes and enums of trd-tui's own modules) and paths."""

    def __init__(self, file: io.BufferedReader) -> None:
        super().__init__(file)

    def find_class(self, module: str, name: str) -> Any:
        import enum

        import attrs

        if module == "pathlib" and name in _PATHS:
            return super().find_class(module, name)
        if module in _MODULES:
            found = getattr(sys.modules.get(module), name, None)
            if isinstance(found, type) and (attrs.has(found) or issubclass(found, enum.Enum)):
                return found
        raise pickle.UnpicklingError(f"not a pack record: {module}.{name}")
