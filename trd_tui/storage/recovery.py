"""Recovery copies: unsaved work written aside while editing, found again after a crash.

Each copy is a private file with a random name in the user's state folder; it
names the session file it belongs to and the process that wrote it.
"""

from __future__ import annotations

import datetime as dt
import tomli
from pathlib import Path

import attrs

from trd_tui import model
from trd_tui.storage.atomic import write_private
from trd_tui.storage.locks import LockHolder, holder_dict, holder_from
from trd_tui.storage.sessionfile import SessionFileError, dumps_within, structure


@attrs.frozen
class RecoveryCopy:
    """Unsaved work written aside while editing, found again after a crash."""

    path: Path  # the recovery file (random name)
    source: Path | None  # the session file it belongs to; None for an untitled session
    written: dt.datetime
    session: model.Session
    writer: LockHolder  # the process that wrote it

    def orphaned(self) -> bool:
        """Its writer is gone (crashed or killed), so nobody else will save this work."""
        return not self.writer.is_alive()

    def newer_than_source(self) -> bool:
        """Worth offering: the source is gone or older than this copy."""
        if self.source is None:
            return True
        try:
            mtime = self.source.stat().st_mtime
        except OSError:
            return True
        return self.written.timestamp() > mtime


def recovery_folder() -> Path:
    """The user's state folder for recovery copies (created private, 0700)."""
    from trd_tui.storage.folders import private_folder

    return private_folder("state", "recovery")


def new_recovery_path(folder: Path | None = None) -> Path:
    """A random file name: never the patient's label or the session's file name."""
    import secrets

    return (folder or recovery_folder()) / f"{secrets.token_hex(8)}.toml"


def write_recovery(target: Path, session: model.Session, source: Path | None) -> None:
    me = LockHolder.me()
    meta = {"source": str(source.resolve()) if source else "", "written": me.since, "writer": holder_dict(me)}
    text = dumps_within({"recovery": meta}, session)
    write_private(target, text.encode("utf-8"))


def recovery_copies(folder: Path | None = None) -> list[RecoveryCopy]:
    """Every readable recovery copy, newest first; unreadable ones are left alone.

    Callers offer the ones that are :meth:`~RecoveryCopy.orphaned` and
    :meth:`~RecoveryCopy.newer_than_source`.
    """
    found = []
    for path in (folder or recovery_folder()).glob("*.toml"):
        try:
            raw = tomli.loads(path.read_text(encoding="utf-8"))
            meta = raw["recovery"]
            session = structure(raw["session"])
            source = Path(meta["source"]) if meta["source"] else None
            found.append(RecoveryCopy(path, source, meta["written"], session, holder_from(meta["writer"])))
        except (OSError, KeyError, TypeError, ValueError, tomli.TOMLDecodeError, SessionFileError):
            continue
    return sorted(found, key=lambda c: c.written, reverse=True)


def discard_recovery(path: Path) -> None:
    path.unlink(missing_ok=True)
