"""One writer per session file: a lock file beside it naming the process that holds it."""

from __future__ import annotations

import datetime as dt
import os
import tomli
from pathlib import Path
from typing import Any

import attrs

from trd_tui.storage.atomic import SaveError, write_private


@attrs.frozen
class LockHolder:
    """Who holds a session file open for writing."""

    pid: int
    host: str
    since: dt.datetime

    @classmethod
    def me(cls) -> LockHolder:
        return cls(os.getpid(), hostname(), dt.datetime.now(dt.UTC))

    def is_alive(self) -> bool:
        """False only when we can tell: a process on this host that no longer exists."""
        if self.host != hostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def describe(self) -> str:
        return f"process {self.pid} on {self.host} since {self.since:%Y-%m-%d %H:%M} UTC"


def hostname() -> str:
    import socket  # only for locks: reading a session stays quick

    return socket.gethostname()


def lock_path(path: Path) -> Path:
    """``.visit.toml.lock`` beside ``visit.toml``: named after the file, never the patient.

    Beside the file a symlink points to, so every name of one file shares its lock.
    """
    path = Path(os.path.realpath(path))
    return path.with_name(f".{path.name}.lock")


def acquire_lock(path: Path, *, take_over: bool = False) -> LockHolder | None:
    """Lock a session file for this process; return the other holder if it is held.

    A stale lock (a dead process on this host) or an unreadable one is taken
    over silently; ``take_over`` takes a live one. Raises :class:`SaveError` when
    no lock can be written (a full disk, a folder this user cannot write); no
    empty lock file is left behind then.
    """
    lock = lock_path(path)
    me = LockHolder.me()
    data = lock_bytes(me)
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        holder = read_lock(path)
        if holder is not None and holder.pid == me.pid and holder.host == me.host:
            return None
        if holder is not None and holder.is_alive() and not take_over:
            return holder
        write_private(lock, data, durable=False)  # after a crash a lock is stale anyway
        return None
    except OSError as exc:
        raise SaveError(f"cannot lock the file: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except OSError as exc:
        lock.unlink(missing_ok=True)  # an empty lock would read as unreadable, and be taken over
        raise SaveError(f"cannot lock the file: {exc.strerror or exc}") from None
    return None


def read_lock(path: Path) -> LockHolder | None:
    try:
        return holder_from(tomli.loads(lock_path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, tomli.TOMLDecodeError):
        return None


def release_lock(path: Path) -> None:
    """Remove the lock if this process holds it."""
    holder = read_lock(path)
    if holder is not None and holder.pid == os.getpid() and holder.host == hostname():
        lock_path(path).unlink(missing_ok=True)


def lock_bytes(holder: LockHolder) -> bytes:
    import tomli_w

    return tomli_w.dumps(holder_dict(holder)).encode("utf-8")


def holder_dict(holder: LockHolder) -> dict[str, Any]:
    return {"pid": holder.pid, "host": holder.host, "since": holder.since}


def holder_from(raw: dict[str, Any]) -> LockHolder:
    return LockHolder(int(raw["pid"]), str(raw["host"]), raw["since"])
