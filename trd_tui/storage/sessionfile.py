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

import enum
import os
import tomli
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from trd_tui import model
from trd_tui.storage import validate
from trd_tui.storage.atomic import SaveError, write_private
from trd_tui.text import unsafe_paths
from trd_tui.tomlconv import Problem

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


#: More rules for a session that is read, given the session (or, when some of it did not
#: read, a stand-in whose wrong fields are None): the content pack's, from the document.
MoreRules = Callable[[Any], list[Problem]]


def structure(raw: dict[str, Any], more: MoreRules | None = None) -> model.Session:
    """Turn parsed TOML into a session, or raise with every problem found (see :mod:`.validate`)."""
    if not isinstance(raw, dict):  # a recovery copy's [session] may be anything
        raise InvalidSessionError("not a trd-tui session", [Problem("(file)", "expected a table")])
    _check_header(raw)
    session, problems = validate.check({k: v for k, v in raw.items() if k not in _HEADER}, more)
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


def read_session(path: str | os.PathLike[str], more: MoreRules | None = None) -> ReadResult:
    """Read and check a session file; warnings do not stop it from loading.

    Checks that need the content pack come from :func:`trd_tui.document.read_checked`
    as ``more``, so that every problem is found in one run.
    """
    try:
        data = validate.read_regular_file(path)
    except validate.NotReadable as exc:
        raise UnreadableSessionError("cannot be read", [Problem("(file)", str(exc))]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text (byte {exc.start})"
        raise UnreadableSessionError("not a text file", [Problem("(file)", msg)]) from None
    session = structure(_toml(text), more)
    return ReadResult(session, _permission_warnings(Path(path)) + warnings(session), data)


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


#: A field holding terminal control or bidi characters: kept, and shown as escapes (trd_tui/text.py).
CONTROL_WARNING = "control characters (shown as escapes such as \\x1b, kept in the file)"


def warnings(session: model.Session) -> list[Problem]:
    """Things worth a look that do not make the session invalid (the file alone shows them)."""
    found = [Problem(path, "unknown key, kept as it is", "warning") for path in unknown_keys(session)]
    return found + [Problem(path, CONTROL_WARNING, "warning") for path in unsafe_paths(to_toml_dict(session))]


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
    return value in ("", ()) or value is False or (isinstance(value, dict) and not value)


def dumps(session: model.Session) -> str:
    import tomli_w  # only needed to save: keep it off the start-up path

    return tomli_w.dumps(to_toml_dict(session))


def save_session(session: model.Session, path: str | os.PathLike[str]) -> list[str]:
    """Write the session to ``path`` atomically, private to its owner; return warnings.

    The file it replaces is kept as ``FILE.bak`` (one generation); when that cannot
    be written the session is saved all the same and the warning says so. Through a
    symlink, the file it points to is written (the link stays). Raises
    :class:`SaveError`; the file on disk is then unchanged.
    """
    target = Path(os.path.realpath(path))
    data = dumps(session).encode("utf-8")
    try:
        previous = target.read_bytes()
    except FileNotFoundError:
        previous = None
    except OSError as exc:
        raise SaveError(f"cannot save: {exc.strerror or exc}") from None
    found = []
    if previous is not None and previous != data:
        try:
            write_private(backup_path(target), previous, like=target)
        except SaveError as exc:
            found.append(f"the previous version was not kept as a .bak copy ({exc})")
    write_private(target, data)
    return found


def looks_like_session(path: Path) -> bool:
    """Whether ``path`` holds a session file, valid or not: TOML that says ``format = "trd-session"``.

    Only a regular file of a session's size is read (never a FIFO or a device).
    """
    try:
        raw = tomli.loads(validate.read_regular_file(path).decode("utf-8"))
    except (validate.NotReadable, UnicodeDecodeError, RecursionError, ValueError):  # ValueError: TOMLDecodeError too
        return False
    return raw.get("format") == model.FORMAT


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def load_demo() -> model.Session:
    """The bundled fictional demo session (opened as an untitled copy)."""
    return parse((Path(__file__).parent.parent / "demo.toml").read_text(encoding="utf-8"))
