"""Private, atomic file writes: the one way trd-tui replaces a file.

A temporary file in the same folder is written, flushed and fsynced, then
renamed over the target, so a crash leaves the old file or the new one, never
half of each. Files are created private (0600).
"""

from __future__ import annotations

import os
from pathlib import Path


class SaveError(Exception):
    """Saving failed; the file on disk is as it was before."""


def write_private(target: Path, data: bytes, *, like: Path | None = None, durable: bool = True) -> None:
    """Atomically replace ``target`` with ``data``.

    Mode 0600, or stricter when the file (or ``like``) already is: a temporary
    file in the same folder is written, flushed and fsynced, renamed over the
    target, and the folder fsynced so the rename itself survives a crash.
    ``durable=False`` skips the two fsyncs for files that a crash may lose
    without harm (a lock, the recent-files list); the write stays atomic.
    """
    mode = 0o600
    for existing in filter(None, (target, like)):
        try:
            mode &= existing.stat().st_mode
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise SaveError(f"cannot save: {exc.strerror}") from None
    import tempfile  # only to write: reading (all that check and summary do) stays quick

    tmp_path = None
    try:
        fd, tmp_path = tempfile.mkstemp(dir=target.parent, prefix=".trd-", suffix=".tmp")
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            if durable:
                os.fsync(tmp.fileno())
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, target)
        tmp_path = None
        if durable:
            fsync_folder(target.parent)
    except OSError as exc:
        raise SaveError(f"cannot save: {exc.strerror or exc}") from None
    finally:
        if tmp_path is not None:
            Path(tmp_path).unlink(missing_ok=True)


def disk_bytes(path: Path) -> bytes | None:
    """The file's bytes (None if absent), kept to notice changes made underneath.

    Compared whole rather than by a digest: a session file is small (100 KB for
    twenty years of history) and importing hashlib would sit on every open.
    """
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SaveError(f"cannot read {path.name}: {exc.strerror or exc}") from None


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable; not every platform can open a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: A temporary file this old was left by a write that was killed: no write takes this long.
STALE_SECONDS = 60.0


def remove_stale_temporaries(beside: Path, *, now: float | None = None) -> None:
    """Delete the ``.trd-*.tmp`` files a killed write left in ``beside``'s folder.

    Each holds a whole copy of what was being written (a session: mental-health
    history), so none is kept once it is older than :data:`STALE_SECONDS`. Only this
    user's own regular files are touched; failing to remove one is never an error.
    """
    import stat
    import time

    limit = (time.time() if now is None else now) - STALE_SECONDS
    try:
        found = list(beside.parent.glob(".trd-*.tmp"))
    except OSError:
        return
    for path in found:
        try:
            st = path.lstat()
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and st.st_mtime < limit:
                path.unlink()
        except OSError:
            continue
