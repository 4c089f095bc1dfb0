"""Reading, checking and writing session files (TOML, format v2; v1 is read too).

The only module that touches session files. The format is documented in
docs/session-format.md. Guarantees kept here:

* a file is never written over unless it was read as a valid session or
  is new; a file of another format or a later version is refused;
* a version 1 file (one visit) reads as a history of one visit
  (:func:`v1_to_v2`); saving writes version 2 and the v1 file becomes ``FILE.bak``;
* keys this version does not know are kept and written back unchanged;
* the same session always serialises to the same bytes;
* saving is atomic: a temporary file in the same folder is written, flushed
  and fsynced, then renamed over the target, so a crash leaves the old file
  or the new one, never half of each. Files are created private (0600).
"""

from __future__ import annotations

import enum
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import tomli

from trd_tui import model
from trd_tui.storage import validate
from trd_tui.storage.atomic import SaveError, write_private
from trd_tui.text import toml_may_hold_unsafe, unsafe_paths
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
    version: int = model.VERSION  # the format version the file was written in


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
    body = {k: v for k, v in raw.items() if k not in _HEADER}
    if raw["version"] == 1:
        body = v1_to_v2(body)
    session, problems = validate.check(body, more)
    if session is None:
        if raw["version"] == 1:  # name the places in the file as it was written
            problems = sorted((attrs.evolve(p, path=_v1_path(p.path)) for p in problems), key=_v1_position)
        raise InvalidSessionError("not a valid session", problems)
    return session


# -- version 1 ----------------------------------------------------------------
# Version 1 held one visit: its date and clinician in [session], its checklist,
# options and plan at the top level. docs/session-format.md has the mapping table.

_V1_VISIT_KEYS = ("checklist", "options", "plan")  # top-level tables of v1 that are the visit's in v2
_V1_SESSION_KEYS = {"visit_date": "date", "clinician": "clinician"}  # [session] keys that are the visit's


def v1_to_v2(body: dict[str, Any]) -> dict[str, Any]:
    """A version 1 body (parsed TOML, header removed) as the version 2 body of the same session.

    Lossless: every key, known or not, lands in one place (unknown keys stay where
    they were: top level, ``[session]`` or inside their record).
    """
    if "visits" in body:
        raise InvalidSessionError("not a valid session", [Problem("visits", "a version 1 file has no visits; is it version = 2?")])
    body = dict(body)
    info = body.get("session")
    visit: dict[str, Any] = {}
    if isinstance(info, dict):
        info = dict(info)
        for old, new in _V1_SESSION_KEYS.items():
            if old in info:
                visit[new] = info.pop(old)
        body["session"] = info
        if "date" not in visit:
            raise InvalidSessionError("not a valid session", [Problem("session.visit_date", "required, but missing")])
    for key in _V1_VISIT_KEYS:
        if key in body:
            visit[key] = body.pop(key)
    if visit:
        body["visits"] = [visit]
    return body


_V1_SECTIONS = ("session", "patient", "episode", "checklist", "trials", "measurements", "options", "plan")


def _v1_position(problem: Problem) -> int:
    """Problems in the order of a v1 file's sections (a stable sort keeps their order within one)."""
    head = problem.path.split(".", 1)[0].split("[", 1)[0]
    return _V1_SECTIONS.index(head) if head in _V1_SECTIONS else len(_V1_SECTIONS)


def _v1_path(path: str) -> str:
    """Where a problem found in the v2 form of a v1 file is in the v1 file."""
    if not path.startswith("visits[0]"):
        return path
    rest = path.removeprefix("visits[0]").removeprefix(".")
    old = {new: old for old, new in _V1_SESSION_KEYS.items()}
    head, dot, tail = rest.partition(".")
    if head in old:
        return f"session.{old[head]}{dot}{tail}"
    return rest or "(file)"


def _check_header(raw: dict[str, Any]) -> None:
    fmt, version = raw.get("format"), raw.get("version")
    if fmt != model.FORMAT:
        msg = f'expected format = "{model.FORMAT}"' + (f", found {fmt!r}" if fmt is not None else "")
        raise InvalidSessionError("not a trd-tui session file", [Problem("format", msg)])
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= validate.MAX_INT:
        raise InvalidSessionError("no usable version", [Problem("version", f"expected version = {model.VERSION}")])
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
    raw = _toml(text)
    session = structure(raw, more)
    flagged = raw if toml_may_hold_unsafe(text) else {}  # nothing to walk when the text cannot hold one
    return ReadResult(session, _permission_warnings(Path(path)) + warnings(session, flagged), data, raw["version"])


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


def warnings(session: model.Session, data: dict[str, Any]) -> list[Problem]:
    """Things worth a look that do not make the session invalid (the file alone shows them).

    ``data`` is the TOML the session was read from, so that a control character is named by
    the path a reader of that file sees.
    """
    found = [Problem(path, "unknown key, kept as it is", "warning") for path in unknown_keys(session)]
    return found + [Problem(path, CONTROL_WARNING, "warning") for path in unsafe_paths(data)]


def unknown_keys(session: model.Session) -> list[str]:
    """Paths of the keys this version does not know (kept, never dropped)."""
    paths = list(session.extra)
    for name in ("session", "patient", "episode"):
        paths += [f"{name}.{key}" for key in getattr(session, name).extra]
    for name in ("trials", "measurements"):
        for i, record in enumerate(getattr(session, name)):
            paths += [f"{name}[{i}].{key}" for key in record.extra]
    for v, visit in enumerate(session.visits):
        at = f"visits[{v}]"
        paths += [f"{at}.{key}" for key in visit.extra] + [f"{at}.plan.{key}" for key in visit.plan.extra]
        for item_id, entry in visit.checklist.items():
            paths += [f"{at}.checklist.{item_id}.{key}" for key in entry.extra]
        for i, record in enumerate(visit.options):
            paths += [f"{at}.options[{i}].{key}" for key in record.extra]
    return paths


# -- writing ----------------------------------------------------------------


def to_toml_dict(session: model.Session) -> dict[str, Any]:
    """The session as plain TOML data, keys in the documented order."""
    out: dict[str, Any] = {"format": model.FORMAT, "version": model.VERSION}
    out.update(_plain(session))
    return out


def _plain(record: Any) -> Any:
    """Unstructure a record, leaving out empty optional values, extras last."""
    fields = _record_fields(type(record))
    if fields is not None:
        out = {}
        for name, optional in fields:
            value = getattr(record, name)
            if not (optional and _is_empty(value)):
                out[name] = _plain(value)
        out.update(getattr(record, "extra", {}))
        return out
    if isinstance(record, dict):
        return {key: _plain(value) for key, value in record.items()}
    if isinstance(record, tuple | list):
        return [_plain(value) for value in record]
    return record.value if isinstance(record, enum.Enum) else record


@functools.cache
def _record_fields(cls: type) -> tuple[tuple[str, bool], ...] | None:
    """Each field of an attrs record but ``extra``, and whether it has a default (so may be left out).

    None for any other type. Asked once per type: a large session has tens of thousands of values.
    """
    if not attrs.has(cls):
        return None
    return tuple((f.name, f.default is not attrs.NOTHING) for f in attrs.fields(cls) if f.name != "extra")


def _is_empty(value: Any) -> bool:
    return value is None or value in ("", ()) or value is False or (isinstance(value, dict) and not value)


def dumps(session: model.Session) -> str:
    """The session as TOML: exactly ``tomli_w.dumps(to_toml_dict(session))``, made faster by
    :class:`_Rendered` (tests compare the two)."""
    return _RENDERED[""].dumps(session)


def dumps_within(before: dict[str, Any], session: model.Session) -> str:
    """``before`` and then the session as its ``[session]`` table (a recovery copy): exactly
    ``tomli_w.dumps({**before, "session": to_toml_dict(session)})``."""
    return _RENDERED["session"].dumps(session, before)


class _Rendered:
    """Writes a session as TOML, reusing each record's text while it is the same object.

    An edit replaces only the records it changes (records are frozen), most often just the
    current visit, yet saving rendered every trial, measurement and visit of the history
    again. Here each is rendered once, as the ``[[trials]]`` (...) table it is in the whole
    document, and its text reused while the session holds that very object. Only the texts
    of the last session written are kept. Whatever tomli-w would write differently as part
    of the whole document (an array it writes inline, unknown top-level keys) is written
    as the whole document.
    """

    ARRAYS = ("trials", "measurements", "visits")  # in the order the file has them

    def __init__(self, within: str) -> None:
        self._within = within  # the table the session is written as ("": the whole file)
        self._texts: dict[int, tuple[Any, str]] = {}  # id(record) -> (record, text)

    def dumps(self, session: model.Session, before: dict[str, Any] | None = None) -> str:
        import tomli_w  # only needed to save: keep it off the start-up path

        if session.extra:
            return tomli_w.dumps(self._document(to_toml_dict(session), before))
        head = to_toml_dict(attrs.evolve(session, **dict.fromkeys(self.ARRAYS, ())))
        chunks = [tomli_w.dumps(self._document(head, before))]
        texts: dict[int, tuple[Any, str]] = {}
        for name in self.ARRAYS:
            table = f"{self._within}.{name}" if self._within else name
            for record in getattr(session, name):
                kept = self._texts.get(id(record))
                text = kept[1] if kept and kept[0] is record else tomli_w.dumps(self._document({name: [_plain(record)]}))
                if not text.startswith(f"[[{table}]]\n"):  # written inline: the whole array may be too
                    return tomli_w.dumps(self._document(to_toml_dict(session), before))
                texts[id(record)] = (record, text)
                chunks.append("\n" + text)  # tomli-w's blank line between tables
        self._texts = texts
        return "".join(chunks)

    def _document(self, session: dict[str, Any], before: dict[str, Any] | None = None) -> dict[str, Any]:
        return {**(before or {}), self._within: session} if self._within else session


_RENDERED = {within: _Rendered(within) for within in ("", "session")}


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
