"""Reading, checking and writing session files (TOML, format v1).

The only module that touches session files. The format is documented in
docs/session-format.md. Guarantees kept here:

* a file is never written over unless it was read as a valid v1 session or
  is new; a file of another format or a later version is refused;
* keys this version does not know are kept and written back unchanged;
* the same session always serialises to the same bytes;
* saving is atomic: a temporary file in the same folder is written, flushed
  and fsynced, then renamed over the target, so a crash leaves the old file
  or the new one, never half of each. Files are created private (0600).
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import tomli
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from trd_tui import model
from trd_tui.storage import validate
from trd_tui.tomlconv import Problem

if TYPE_CHECKING:
    from trd_tui.content import Content

_HEADER = ("format", "version")


class SessionFileError(Exception):
    """A session file that cannot be used; ``problems`` says why."""

    def __init__(self, summary: str, problems: list[Problem]) -> None:
        super().__init__(summary)
        self.summary = summary
        self.problems = problems


class UnreadableSessionError(SessionFileError):
    """The file cannot be read or is not TOML."""


class InvalidSessionError(SessionFileError):
    """The file is TOML but not a valid session (or one this version refuses)."""


class SaveError(Exception):
    """Saving failed; the file on disk is as it was before."""


@attrs.frozen
class ReadResult:
    session: model.Session
    warnings: list[Problem]
    data: bytes = attrs.field(repr=False)  # the file's bytes as read


# -- reading ----------------------------------------------------------------


def parse(text: str) -> model.Session:
    """Parse session TOML; raise :class:`SessionFileError` with every problem."""
    return structure(_toml(text))


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise UnreadableSessionError("not valid TOML", [Problem("(file)", str(exc))]) from None
    except RecursionError:
        raise UnreadableSessionError("not valid TOML", [Problem("(file)", "nested too deeply")]) from None
    except ValueError:  # Python refuses to read a whole number of thousands of digits
        msg = "a whole number far too large (whole numbers must fit in 64 bits)"
        raise UnreadableSessionError("not valid TOML", [Problem("(file)", msg)]) from None


def structure(raw: dict[str, Any], content: Content | None = None) -> model.Session:
    """Turn parsed TOML into a session, or raise with every problem found (see :mod:`.validate`)."""
    if not isinstance(raw, dict):  # a recovery copy's [session] may be anything
        raise InvalidSessionError("not a trd-tui session", [Problem("(file)", "expected a table")])
    _check_header(raw)
    session, problems = validate.check({k: v for k, v in raw.items() if k not in _HEADER}, content)
    if session is None:
        raise InvalidSessionError("not a valid session", problems)
    return session


def _check_header(raw: dict[str, Any]) -> None:
    fmt, version = raw.get("format"), raw.get("version")
    if fmt != model.FORMAT:
        msg = f'expected format = "{model.FORMAT}"' + (f", found {fmt!r}" if fmt is not None else "")
        raise InvalidSessionError("not a trd-tui session file", [Problem("format", msg)])
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= validate.MAX_INT:
        raise InvalidSessionError("no usable version", [Problem("version", "expected version = 1")])
    if version > model.VERSION:
        msg = f"version {version} was written by a newer trd-tui; this one reads version {model.VERSION}"
        raise InvalidSessionError("written by a newer trd-tui", [Problem("version", msg)])


def read_session(path: str | os.PathLike[str], content: Content | None = None) -> ReadResult:
    """Read and check a session file; warnings do not stop it from loading."""
    try:
        data = validate.read_regular_file(path)
    except validate.NotReadable as exc:
        raise UnreadableSessionError("cannot be read", [Problem("(file)", str(exc))]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text (byte {exc.start})"
        raise UnreadableSessionError("not a text file", [Problem("(file)", msg)]) from None
    session = structure(_toml(text), content)
    return ReadResult(session, _permission_warnings(Path(path)) + warnings(session, content), data)


def _permission_warnings(path: Path) -> list[Problem]:
    """A session file others can read leaks mental-health history."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return []
    if mode & 0o077:
        msg = f"readable by other users (mode {mode & 0o777:o}); fix with: chmod 600 {path.name}"
        return [Problem("(file)", msg, "warning")]
    return []


def load_session(path: str | os.PathLike[str]) -> model.Session:
    """Load a session file. Raises :class:`SessionFileError` if it cannot be used."""
    return read_session(path).session


def warnings(session: model.Session, content: Content | None = None) -> list[Problem]:
    """Things worth a look that do not make the session invalid."""
    found = [Problem(path, "unknown key, kept as it is", "warning") for path in unknown_keys(session)]
    if content is not None:
        found += _content_warnings(session, content)
    return found


def unknown_keys(session: model.Session) -> list[str]:
    """Paths of the keys this version does not know (kept, never dropped)."""
    paths = list(session.extra)
    for name in ("session", "patient", "episode", "plan"):
        paths += [f"{name}.{key}" for key in getattr(session, name).extra]
    for item_id, entry in session.checklist.items():
        paths += [f"checklist.{item_id}.{key}" for key in entry.extra]
    for name in ("trials", "measurements", "options"):
        for i, record in enumerate(getattr(session, name)):
            paths += [f"{name}[{i}].{key}" for key in record.extra]
    return paths


_UNKNOWN_SCALE = f"no bands, and its totals are only checked to lie from 0 to {validate.MAX_SCORE}"


def _content_warnings(session: model.Session, content: Content) -> list[Problem]:
    found = []
    for i, trial in enumerate(session.trials):
        if content.treatment(trial.treatment) is None:
            found.append(
                Problem(f"trials[{i}].treatment", f"{trial.treatment!r} is not in the content pack; not rated", "warning")
            )
    found += [
        Problem(f"checklist.{item_id}", "not an item of the content pack's checklist", "warning")
        for item_id in session.checklist
        if item_id not in content.checklist_items
    ]
    found += [
        Problem(f"measurements[{i}].instrument", f"{m.instrument!r} is not an instrument of the content pack; {_UNKNOWN_SCALE}", "warning")
        for i, m in enumerate(session.measurements)
        if content.instrument(m.instrument) is None
    ]
    found += [
        Problem(f"options[{i}].id", f"{note.id!r} is not an option in the content pack", "warning")
        for i, note in enumerate(session.options)
        if note.id not in content.options
    ]
    return found


# -- writing ----------------------------------------------------------------


def to_toml_dict(session: model.Session) -> dict[str, Any]:
    """The session as plain TOML data, keys in the documented order."""
    out: dict[str, Any] = {"format": model.FORMAT, "version": model.VERSION}
    out.update(_plain(session))
    return out


def _plain(record: Any) -> Any:
    """Unstructure a record, leaving out empty optional values, extras last."""
    if attrs.has(type(record)):
        out = {}
        for field in attrs.fields(type(record)):
            if field.name == "extra":
                continue
            value = getattr(record, field.name)
            if _is_empty_default(field, value):
                continue
            out[field.name] = _plain(value)
        out.update(getattr(record, "extra", {}))
        return out
    if isinstance(record, dict):
        return {key: _plain(value) for key, value in record.items()}
    if isinstance(record, tuple | list):
        return [_plain(value) for value in record]
    return record.value if isinstance(record, enum.Enum) else record


def _is_empty_default(field: attrs.Attribute, value: Any) -> bool:
    if field.default is attrs.NOTHING:
        return False
    if value is None:
        return True
    return value in ("", ()) or (isinstance(value, dict) and not value)


def dumps(session: model.Session) -> str:
    import tomli_w  # only needed to save: keep it off the start-up path

    return tomli_w.dumps(to_toml_dict(session))


def save_session(session: model.Session, path: str | os.PathLike[str]) -> None:
    """Write the session to ``path`` atomically, private to its owner.

    The file it replaces is kept as ``FILE.bak`` (one generation). Raises
    :class:`SaveError`; the file on disk is then unchanged.
    """
    target = Path(path)
    data = dumps(session).encode("utf-8")
    try:
        previous = target.read_bytes()
    except FileNotFoundError:
        previous = None
    except OSError as exc:
        raise SaveError(f"cannot save: {exc.strerror or exc}") from None
    if previous is not None and previous != data:
        write_private(backup_path(target), previous, like=target)
    write_private(target, data)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def write_private(target: Path, data: bytes, *, like: Path | None = None, durable: bool = True) -> None:
    """Atomically replace ``target`` with ``data``.

    Mode 0600, or stricter when the file (or ``like``) already is: a temporary
    file in the same folder is written, flushed and fsynced, renamed over the
    target, and the folder fsynced so the rename itself survives a crash.
    ``durable=False`` skips the two fsyncs (a few ms) for files that a crash may
    lose without harm (a lock, the recent-files list); the write stays atomic.
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
            _fsync_dir(target.parent)
    except OSError as exc:
        raise SaveError(f"cannot save: {exc.strerror or exc}") from None
    finally:
        if tmp_path is not None:
            Path(tmp_path).unlink(missing_ok=True)


def disk_bytes(path: Path) -> bytes | None:
    """The file's bytes (None if absent), kept to notice changes made underneath.

    Compared whole rather than by a digest: a session file is small (100 KB for twenty
    years of history) and hashlib's start (2 ms) would sit on every open.
    """
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SaveError(f"cannot read {path.name}: {exc.strerror or exc}") from None


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not every platform can open a folder.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load_demo() -> model.Session:
    """The bundled fictional demo session (opened as an untitled copy)."""
    return parse((Path(__file__).parent / "demo.toml").read_text(encoding="utf-8"))


# -- one writer: lock files ---------------------------------------------------


@attrs.frozen
class LockHolder:
    """Who holds a session file open for writing."""

    pid: int
    host: str
    since: dt.datetime

    @classmethod
    def me(cls) -> LockHolder:
        return cls(os.getpid(), _hostname(), dt.datetime.now(dt.UTC))

    def is_alive(self) -> bool:
        """False only when we can tell: a process on this host that no longer exists."""
        if self.host != _hostname():
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


def _hostname() -> str:
    import socket  # only for locks: reading a session stays quick

    return socket.gethostname()


def lock_path(path: Path) -> Path:
    """``.visit.toml.lock`` beside ``visit.toml``: named after the file, never the patient."""
    return path.with_name(f".{path.name}.lock")


def acquire_lock(path: Path, *, take_over: bool = False) -> LockHolder | None:
    """Lock a session file for this process; return the other holder if it is held.

    A stale lock (a dead process on this host) or an unreadable one is taken
    over silently; ``take_over`` takes a live one.
    """
    lock = lock_path(path)
    me = LockHolder.me()
    data = _lock_bytes(me)
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
        raise SaveError(f"cannot lock {path.name}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return None


def read_lock(path: Path) -> LockHolder | None:
    try:
        return _holder(tomli.loads(lock_path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, tomli.TOMLDecodeError):
        return None


def release_lock(path: Path) -> None:
    """Remove the lock if this process holds it."""
    holder = read_lock(path)
    if holder is not None and holder.pid == os.getpid() and holder.host == _hostname():
        lock_path(path).unlink(missing_ok=True)


def _lock_bytes(holder: LockHolder) -> bytes:
    import tomli_w

    return tomli_w.dumps(_holder_dict(holder)).encode("utf-8")


def _holder_dict(holder: LockHolder) -> dict[str, Any]:
    return {"pid": holder.pid, "host": holder.host, "since": holder.since}


def _holder(raw: dict[str, Any]) -> LockHolder:
    return LockHolder(int(raw["pid"]), str(raw["host"]), raw["since"])


# -- recovery copies -----------------------------------------------------------


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
    from trd_tui.userdirs import user_folder

    folder = user_folder("state") / "recovery"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def new_recovery_path(folder: Path | None = None) -> Path:
    """A random file name: never the patient's label or the session's file name."""
    import secrets

    return (folder or recovery_folder()) / f"{secrets.token_hex(8)}.toml"


def write_recovery(target: Path, session: model.Session, source: Path | None) -> None:
    import tomli_w

    me = LockHolder.me()
    meta = {"source": str(source.resolve()) if source else "", "written": me.since, "writer": _holder_dict(me)}
    text = tomli_w.dumps({"recovery": meta, "session": to_toml_dict(session)})
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
            found.append(RecoveryCopy(path, source, meta["written"], session, _holder(meta["writer"])))
        except (OSError, KeyError, TypeError, ValueError, tomli.TOMLDecodeError, SessionFileError):
            continue
    return sorted(found, key=lambda c: c.written, reverse=True)


def discard_recovery(path: Path) -> None:
    path.unlink(missing_ok=True)
