"""The one definition of a valid session file.

Loading, ``trd-tui check``, recovery copies, preferences and the editing forms all ask here,
so a file that ``check`` accepts is exactly a file the app opens, and a value a
form accepts is one the file can hold. docs/session-format.md lists the same
limits (tests/test_validate.py keeps the two in step).

Reading a file into records and checking its values is one pass that never
stops at the first problem: :func:`check` returns every problem, type and value
problems together, each located by its path (``trials[2].end: before start``).
Where a record has a wrong field, the value rules still run on its other fields.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import os
import re
import stat
import types
import typing
from collections.abc import Callable
from typing import Any

import attrs

from trd_tui import model
from trd_tui.tomlconv import Problem

#: Every date in a file, and the date of every time stamp (read as UTC), lies in this range.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
#: Whole numbers anywhere in a file fit in 64 bits, as the TOML specification asks.
MIN_INT, MAX_INT = -(2**63), 2**63 - 1
#: A typing-slip guard, not a clinical maximum: no antidepressant or augmenting drug comes near it.
MAX_DOSE_MG = 10_000
#: The highest total, item answer or difficulty answer of an instrument the content pack does not
#: know; a known instrument's own range applies to its entries.
MAX_SCORE = 1_000
#: Keys this version does not know are kept, nested at most this deep.
MAX_NESTING = 32
#: The largest session file read (twenty years of history is about 100 KB).
MAX_FILE_BYTES = 8 * 1024 * 1024


class NotReadable(Exception):
    """A path that is not read: not a regular file, too large, or an OS error (the message says which)."""


def read_regular_file(path: str | os.PathLike[str]) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most :data:`MAX_FILE_BYTES`.

    Opened without blocking, so a FIFO (or a device) is refused at once instead of
    waiting for a writer; at most one byte more than the limit is ever read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise NotReadable(exc.strerror or str(exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotReadable(f"not a regular file ({_kind(mode)}); only session files are read")
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES and (chunk := os.read(fd, MAX_FILE_BYTES + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise NotReadable(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        raise NotReadable(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; a session file is far smaller")
    return b"".join(chunks)


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
    return next((name for test, name in kinds if test(mode)), "a special file")


# -- values -----------------------------------------------------------------------


def date_problem(value: dt.date) -> str | None:
    """Why a date is out of range, or None; the forms ask this too."""
    if not MIN_DATE <= value <= MAX_DATE:
        return f"must be between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}"
    return None


def dose_problem(dose: float) -> str | None:
    if not 0 < dose <= MAX_DOSE_MG:
        return f"must be more than 0 and at most {MAX_DOSE_MG} mg/day"
    return None


def score_problem(score: float) -> str | None:
    if not 0 <= score <= MAX_SCORE:
        return f"must be from 0 to {MAX_SCORE}"
    return None


def _describe(value: Any) -> str:
    """What a value is, never the value itself (it may be huge, or patient text)."""
    kinds = (
        (bool, "true/false"),
        (int, "a whole number"),
        (float, "a number"),
        (str, "text"),
        (list, "a list"),
        (dict, "a table"),
        (dt.datetime, "a date and time"),
        (dt.date, "a date"),
        (dt.time, "a time"),
    )
    return next((name for kind, name in kinds if isinstance(value, kind)), type(value).__name__)


# -- structuring: one pass, every problem -------------------------------------------

Reader = Callable[[Any, str, list[Problem]], Any]
_WRONG = object()  # a value that did not read; its record is then only partly read


def _expect(kinds: type | tuple[type, ...], what: str) -> Reader:
    def read(value: Any, path: str, problems: list[Problem]) -> Any:
        if type(value) is kinds:  # the common case, decided at once
            return value
        if isinstance(value, bool) is not (kinds is bool) or not isinstance(value, kinds):
            problems.append(Problem(path, f"expected {what}, got {_describe(value)}"))
            return _WRONG
        return value

    return read


_whole = _expect(int, "a whole number")
_float = _expect(float, "a number")


def _read_int(value: Any, path: str, problems: list[Problem]) -> Any:
    if type(value) is int and MIN_INT <= value <= MAX_INT:  # the common case, decided at once
        return value
    value = _whole(value, path, problems)
    if value is not _WRONG and not MIN_INT <= value <= MAX_INT:
        problems.append(Problem(path, "whole number too large (it must fit in 64 bits)"))
        return _WRONG
    return value


def _read_number(value: Any, path: str, problems: list[Problem]) -> Any:
    # A float field takes whole numbers too, and keeps them whole so they are
    # written back as they were read (150, not 150.0).
    if isinstance(value, int) and not isinstance(value, bool):
        return _read_int(value, path, problems)
    value = _float(value, path, problems)
    if value is not _WRONG and not math.isfinite(value):  # TOML's nan and inf are not doses or scores
        problems.append(Problem(path, f"expected a number, got {value}"))
        return _WRONG
    return value


def _read_date(value: Any, path: str, problems: list[Problem]) -> Any:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        problems.append(Problem(path, f"expected a date written YYYY-MM-DD, got {_describe(value)}"))
        return _WRONG
    if message := date_problem(value):
        problems.append(Problem(path, message))
        return _WRONG
    return value


def _read_timestamp(value: Any, path: str, problems: list[Problem]) -> Any:
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        problems.append(Problem(path, "expected a UTC date and time written YYYY-MM-DDTHH:MM:SSZ"))
        return _WRONG
    try:
        utc = value.astimezone(dt.UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 has no UTC time
        utc = None
    if utc is None or date_problem(utc.date()):
        problems.append(Problem(path, f"must be between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()} (in UTC)"))
        return _WRONG
    return utc


def _read_choice(kind: type[enum.Enum]) -> Reader:
    members = kind._value2member_map_
    allowed = " | ".join(str(v) for v in members)

    def read(value: Any, path: str, problems: list[Problem]) -> Any:
        member = members.get(value) if isinstance(value, str) else None
        if member is None:
            got = repr(value[:40]) if isinstance(value, str) else _describe(value)
            problems.append(Problem(path, f"must be one of {allowed}, got {got}"))
            return _WRONG
        return member

    return read


def _read_list(item: Reader, *, of_records: bool) -> Reader:
    def read(value: Any, path: str, problems: list[Problem]) -> Any:
        if not isinstance(value, list):
            problems.append(Problem(path, f"expected a list, got {_describe(value)}"))
            return _WRONG
        items = tuple(item(x, f"{path}[{i}]", problems) for i, x in enumerate(value))
        # Records keep their places (the value rules name them by index); a list of
        # plain values with a wrong one is wrong as a whole.
        return items if of_records or _WRONG not in items else _WRONG

    return read


def _read_table(entry: Reader) -> Reader:
    def read(value: Any, path: str, problems: list[Problem]) -> Any:
        if not isinstance(value, dict):
            problems.append(Problem(path, f"expected a table, got {_describe(value)}"))
            return _WRONG
        return {k: entry(v, f"{path}.{k}", problems) for k, v in value.items()}

    return read


def _optional(inner: Reader) -> Reader:
    return lambda value, path, problems: None if value is None else inner(value, path, problems)


@functools.cache
def _reader(tp: Any) -> Reader:
    """The reader of a TOML value as type ``tp``: the strict rules, for every type a session uses."""
    simple: dict[Any, Reader] = {
        str: _expect(str, "text"),
        bool: _expect(bool, "true or false"),
        int: _read_int,
        float: _read_number,
        dt.date: _read_date,
        dt.datetime: _read_timestamp,
    }
    if tp in simple:
        return simple[tp]
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _read_choice(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union) and len(args) == 2 and type(None) in args:
        return _optional(_reader(next(a for a in args if a is not type(None))))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _read_list(_reader(args[0]), of_records=attrs.has(args[0]))
    if origin is dict and args[:1] == (str,) and args[1] is not Any:
        return _read_table(_reader(args[1]))
    if attrs.has(tp):
        return _read_record(tp)
    raise TypeError(f"no reader for {tp!r}")  # a new model type needs its rule here


def _read_record(cls: type) -> Reader:
    hints = typing.get_type_hints(cls)
    fields = [f for f in attrs.fields(cls) if f.name != "extra"]
    readers = {f.name: _reader(hints[f.name]) for f in fields}
    keeps_extra = "extra" in attrs.fields_dict(cls)

    def read(value: Any, path: str, problems: list[Problem]) -> Any:
        if not isinstance(value, dict):
            problems.append(Problem(path or "(file)", f"expected a table, got {_describe(value)}"))
            return _WRONG
        before = len(problems)
        prefix = f"{path}." if path else ""
        values, extra = {}, {}
        for key, raw in value.items():
            if key in readers:
                values[key] = readers[key](raw, prefix + key, problems)
            elif not keeps_extra:  # a record without ``extra`` says exactly what it means
                problems.append(Problem(prefix + key, "unknown field"))
            else:
                _check_unknown(raw, prefix + key, problems)
                extra[key] = raw
        for f in fields:
            if f.name not in values and f.default is attrs.NOTHING:
                problems.append(Problem(prefix + f.name, "required, but missing"))
        if len(problems) > before:  # every wrong value was reported
            return _partial(fields, values)
        return cls(**values, **({"extra": extra} if keeps_extra and extra else {}))

    return read


def _partial(fields: list[attrs.Attribute], values: dict[str, Any]) -> types.SimpleNamespace:
    """A record with wrong fields, for the value rules: each wrong or missing field is None."""
    partial = {f.name: values.get(f.name, _default(f)) for f in fields}
    return types.SimpleNamespace(**{name: None if value is _WRONG else value for name, value in partial.items()})


def _default(f: attrs.Attribute) -> Any:
    if isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
        return f.default.factory()
    return None if f.default is attrs.NOTHING else f.default


def _check_unknown(value: Any, path: str, problems: list[Problem]) -> None:
    """Keys this version does not know are kept as they are, within the rules every value keeps."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth >= MAX_NESTING:
                problems.append(Problem(path, f"nested more than {MAX_NESTING} deep"))
                return
            stack.extend((x, depth + 1) for x in (node.values() if isinstance(node, dict) else node))
        elif isinstance(node, int) and not isinstance(node, bool) and not MIN_INT <= node <= MAX_INT:
            problems.append(Problem(path, "whole number too large (it must fit in 64 bits)"))
            return
        elif isinstance(node, dt.date) and date_problem(node.date() if isinstance(node, dt.datetime) else node):
            problems.append(Problem(path, f"holds a date outside {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"))
            return


# -- value rules ----------------------------------------------------------------------


def trial_problems(trial: Any, visit_date: dt.date | None) -> list[tuple[str, str]]:
    """Problems with a trial's values, as ``(field, message)`` pairs.

    The one home of these rules: the session-file check and the trial form both
    ask here. A field that is None because it did not read is not judged again.
    """
    problems = []
    if trial.treatment is not None and not trial.treatment.strip():
        problems.append(("treatment", "is empty"))
    if trial.dose_mg is not None and (message := dose_problem(trial.dose_mg)):
        problems.append(("dose_mg", message))
    if trial.start is not None and visit_date is not None and trial.start > visit_date:
        problems.append(("start", f"after the visit date ({visit_date.isoformat()})"))
    if trial.end is not None and trial.start is not None and trial.end < trial.start:
        problems.append(("end", "before start"))
    problems.extend(("dose_reached", message) for message in _dose_reached_problems(trial, visit_date))
    return problems


def _dose_reached_problems(trial: Any, visit_date: dt.date | None) -> list[str]:
    reached = trial.dose_reached
    if reached is None:
        return []
    if trial.dose_mg is None:
        return ["needs a dose: it says when that dose was reached"]
    if trial.start is not None and reached < trial.start:
        return ["before start"]
    if trial.end is not None and reached > trial.end:
        return ["after end"]
    if visit_date is not None and reached > visit_date:
        return [f"after the visit date ({visit_date.isoformat()})"]
    return []


def measurement_value_problems(m: Any, visit_date: dt.date | None) -> list[tuple[str, str]]:
    """Problems with a measurement's values for any instrument (the content pack adds its own)."""
    problems = []
    if m.instrument is not None and not m.instrument.strip():
        problems.append(("instrument", "is empty"))
    if m.score is not None and (message := score_problem(m.score)):
        problems.append(("score", message))
    if m.items is not None and not all(0 <= x <= MAX_SCORE for x in m.items):
        problems.append(("items", f"answers must be from 0 to {MAX_SCORE}"))
    if m.difficulty is not None and score_problem(m.difficulty):
        problems.append(("difficulty", f"must be from 0 to {MAX_SCORE}"))
    if m.date is not None and visit_date is not None and m.date > visit_date:
        problems.append(("date", f"after the visit date ({visit_date.isoformat()})"))
    return problems


def session_problems(session: Any) -> list[tuple[str, str]]:
    """Problems with values that are each well-typed but out of range or do not fit together."""
    problems: list[tuple[str, str]] = []
    info, patient, episode = session.session, session.patient, session.episode
    visit = info.visit_date if info is not None else None
    if patient is not None:
        if patient.label is not None and not patient.label.strip():
            problems.append(("patient.label", "is empty"))
        top = visit.year if visit is not None else MAX_DATE.year
        if patient.birth_year is not None and not MIN_DATE.year <= patient.birth_year <= top:
            problems.append(("patient.birth_year", f"must be between {MIN_DATE.year} and {top}"))
    if episode is not None and episode.onset is not None and visit is not None and episode.onset > visit:
        problems.append(("episode.onset", "after the visit date"))
    for name, rules in (("trials", trial_problems), ("measurements", measurement_value_problems)):
        for i, record in enumerate(getattr(session, name) or ()):
            if record is not None and record is not _WRONG:
                problems.extend((f"{name}[{i}].{field}", msg) for field, msg in rules(record, visit))
    return problems


def read_record(raw: dict[str, Any], cls: type) -> tuple[Any, list[Problem]]:
    """``raw`` as the attrs record ``cls`` by the same strict rules (None with the problems if wrong)."""
    record, problems = _read(raw, cls)
    return (None if problems else record), problems


def _read(raw: Any, cls: type) -> tuple[Any, list[Problem]]:
    problems: list[Problem] = []
    return _reader(cls)(raw, "", problems), problems


def check(
    body: dict[str, Any], more: Callable[[Any], list[Problem]] | None = None
) -> tuple[model.Session | None, list[Problem]]:
    """The session in ``body`` (a file's TOML without its header) and every problem with it.

    ``more`` adds rules this module cannot know (the content pack's); it is given the
    session, or a stand-in whose wrong fields are None. The session is None when there
    is any problem: a file is used whole or not at all.
    """
    session, problems = _read(body, model.Session)
    if session is not _WRONG:
        found = more(session) if more is not None else []
        # An instrument's own range says more than the range for any instrument.
        known = {p.path for p in found}
        problems += [Problem(path, message) for path, message in session_problems(session) if path not in known]
        problems += found
    problems.sort(key=_position)
    return (session if not problems else None), problems


_SECTIONS = [f.name for f in attrs.fields(model.Session)]


def _position(problem: Problem) -> tuple[int, int]:
    """Problems in the order of the file's sections and records; within a record, as found."""
    found = re.match(r"([^.\[]*)(?:\[(\d+)\])?", problem.path)
    assert found is not None  # the pattern matches every string
    section = _SECTIONS.index(found[1]) if found[1] in _SECTIONS else len(_SECTIONS)
    return section, int(found[2] or -1)
