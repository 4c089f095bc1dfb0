"""A checked content pack kept in the user cache folder, so a start does not parse it again.

Reading and checking the pack's TOML takes longer than the rest of ``trd-tui summary``
on a large session. A pack that loaded without problems is written here with what it was
built from (:func:`key`): the bytes of every pack file and of every module of the code that
defines what a pack is (:func:`code_files`), trd-tui's version and Python's. It is used only
when all of that is byte for byte the same, so an edited pack, an edited record class or
check, or an upgrade is read again, never served stale. The code is found by listing
folders, never by a hand-kept list of modules that a new module could be missing from.

The bytes are compared whole rather than through a digest: comparing them costs less than
importing hashlib, and no two inputs can share a key.

The cache holds the clinic's content pack, never patient data. Files are written
atomically, private to the user (0600, in a 0700 folder); one that is not the user's own,
is writable by others, is damaged, or holds anything but a pack is ignored (and rewritten).
"""

from __future__ import annotations

import functools
import io
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from trd_tui.pack.records import Content
from trd_tui.storage.folders import user_folder
from trd_tui.version import __version__

FORMAT = "trd-tui pack cache 3"
#: The ``trd_tui`` package folder.
PACKAGE = Path(__file__).parent.parent
_PATHS = ("PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath")


def code_files() -> list[Path]:
    """The code a cached pack was built by: every module of ``trd_tui/pack/`` and every
    module at the top of ``trd_tui/`` (the records, conversion and text helpers it builds on).

    The subpackages (clinical, storage, export, ui) are left out: the pack's code imports none
    of them, bar what the cache uses to find its folder and write its file
    (tests/test_architecture.py checks that every module the pack imports is listed here).
    """
    return sorted([*PACKAGE.glob("*.py"), *(PACKAGE / "pack").glob("*.py")])


@functools.cache
def code_bytes() -> bytes:
    """:func:`code_files`' names and bytes, read once a process: the code that is running."""
    return _framed((os.fsencode(path.relative_to(PACKAGE)), path.read_bytes()) for path in code_files())


def key(folder: Path, files: Iterable[str]) -> bytes | None:
    """What a pack in ``folder`` is built from now; None when a pack file cannot be read."""
    try:
        pack = _framed((os.fsencode(name), (folder / name).read_bytes()) for name in files)
    except OSError:
        return None  # the full read reports it
    about = repr((FORMAT, __version__, sys.version, str(folder.resolve()))).encode()
    return b"".join((_framed([(b"about", about)]), code_bytes(), pack))


def load(folder: Path, wanted: bytes) -> Content | None:
    """The pack cached for ``folder`` under key ``wanted``, or None."""
    try:
        with open(_path(folder), "rb") as f:
            st = os.fstat(f.fileno())
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None
            if f.read(len(wanted)) != wanted:
                return None
            found = _Unpickler(f).load()
    except Exception:  # absent, unreadable, damaged or foreign: read the pack itself
        return None
    return found if isinstance(found, Content) else None


def store(folder: Path, key: bytes, content: Content) -> None:
    """Keep a checked pack for the next start; failing to is never an error."""
    from trd_tui.storage.atomic import SaveError, write_private

    path = _path(folder)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_private(path, key + pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, SaveError, pickle.PicklingError):
        pass


def _framed(parts: Iterable[tuple[bytes, bytes]]) -> bytes:
    """Named parts, each with its length, so no two lists of parts give the same bytes."""
    out = []
    for name, data in parts:
        out += (b"%s %d\n" % (name, len(data)), data)
    return b"".join(out)


def _path(folder: Path) -> Path:
    """One file per pack folder. Two folders sharing a checksum only take turns: the key names the folder."""
    import zlib

    name = zlib.crc32(os.fsencode(folder.resolve()))
    return user_folder("cache") / f"pack-{name:08x}.pickle"


@functools.cache
def _modules() -> frozenset[str]:
    """The modules of :func:`code_files`: the only ones whose classes a cached pack may use."""
    return frozenset(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts) for path in code_files())


class _Unpickler(pickle.Unpickler):
    """Builds only pack records (attrs classes and enums of the pack's code) and paths."""

    def __init__(self, file: io.BufferedReader) -> None:
        super().__init__(file)

    def find_class(self, module: str, name: str) -> Any:
        import enum

        import attrs

        if module == "pathlib" and name in _PATHS:
            return super().find_class(module, name)
        if module in _modules():
            found = getattr(sys.modules.get(module), name, None)
            if isinstance(found, type) and (attrs.has(found) or issubclass(found, enum.Enum)):
                return found
        raise pickle.UnpicklingError(f"not a pack record: {module}.{name}")
