"""A checked content pack kept in the user cache folder, so a start does not parse it again.

Reading and checking the pack's TOML takes longer than the rest of ``trd-tui summary``
on a large session. A pack that loaded without problems is written here, keyed by a
SHA-256 of every pack file's bytes and of the code that reads it; it is used only when
that key is the same, so an edited pack (or an upgrade) is read again, never served stale.
The key is computed from the files on each start, not from their times or sizes.

The cache holds the clinic's content pack, never patient data. Files are written
atomically, private to the user (0600, in a 0700 folder); one that is not the user's own,
is writable by others, is damaged, or holds anything but pack records is ignored
(and rewritten).
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FORMAT = b"trd-tui pack cache 1"
_HERE = Path(__file__).parent
#: Modules whose record classes a pack is built of; nothing else may be unpickled.
_MODULES = ("trd_tui.content", "trd_tui.clinical.relevance", "trd_tui.model")
_PATHS = ("PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath")


def key(folder: Path, files: Iterable[str], sources: Iterable[str]) -> bytes | None:
    """A digest of the pack's files and of the code reading them; None when a file cannot be read."""
    digest = hashlib.sha256(FORMAT)
    for part in (sys.version, str(folder.resolve())):
        digest.update(part.encode() + b"\0")
    try:
        for name in (*(folder / f for f in files), *(_HERE / s for s in sources)):
            data = Path(name).read_bytes()
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
    except OSError:
        return None  # the full read reports it
    return digest.hexdigest().encode()


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
    from trd_tui.sessionfile import SaveError, write_private

    path = _path(folder)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_private(path, key + b"\n" + pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, SaveError, pickle.PicklingError):
        pass


def _path(folder: Path) -> Path:
    import platformdirs

    name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("trd-tui")) / f"pack-{name}.pickle"


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
