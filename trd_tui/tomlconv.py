"""Strict conversion between parsed TOML and attrs records, with located errors.

Both the session file and the content pack are TOML read into attrs records.
cattrs does the structuring; this module makes it strict (TOML has real types,
so ``"150"`` is not a dose and ``true`` is not a number) and turns its nested
exception groups into ``(path, message)`` pairs a person can act on, such as
``trials[2].end: expected a date written YYYY-MM-DD``.

:func:`fast_structure` reads a well-formed record the same way without cattrs,
which takes longer to import and to prepare than a session takes to read; on
anything unusual it gives way to cattrs, which then decides and words the errors.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import types
import typing
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal

import attrs

from trd_tui.text import printable

if TYPE_CHECKING:
    import cattrs


@attrs.frozen
class Problem:
    """One thing wrong with a file, located by its path inside the file."""

    path: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return printable(f"{self.path}: {self.message}")


class FieldError(ValueError):
    """A value of the wrong kind; the message says what was expected."""


def _strict(expected: type | tuple[type, ...], what: str):
    def hook(value: Any, _type: Any) -> Any:
        # bool is an int subclass in Python, but never a number in a clinical record.
        if isinstance(value, bool) and bool not in (expected if isinstance(expected, tuple) else (expected,)):
            raise FieldError(f"expected {what}, got {_describe(value)}")
        if not isinstance(value, expected):
            raise FieldError(f"expected {what}, got {_describe(value)}")
        return value

    return hook


def _describe(value: Any) -> str:
    kinds = {
        bool: "true/false",
        int: "a whole number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a table",
        dt.datetime: "a date and time",
        dt.date: "a date",
        dt.time: "a time",
    }
    for kind, name in kinds.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__


_number = _strict((int, float), "a number")


def _finite(value: Any, type_: Any) -> float:
    """A number; TOML's nan and inf are not doses or scores."""
    value = _number(value, type_)
    if isinstance(value, float) and not math.isfinite(value):
        raise FieldError(f"expected a number, got {value}")
    return value


def _date(value: Any, _type: Any) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise FieldError(f"expected a date written YYYY-MM-DD, got {_describe(value)}")
    return value


def _datetime(value: Any, _type: Any) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise FieldError("expected a UTC date and time written YYYY-MM-DDTHH:MM:SSZ")
    return value.astimezone(dt.UTC)


def _choice(value: Any, kind: type[enum.Enum]) -> enum.Enum:
    allowed = [member.value for member in kind]
    if value not in allowed:
        raise FieldError(f"must be one of {' | '.join(allowed)}, got {value!r}")
    return kind(value)


def make_converter(*, keep_extra: bool) -> cattrs.Converter:
    """A strict converter.

    With ``keep_extra``, unknown keys of a record go into its ``extra`` field
    (session files keep what they do not understand); without it, unknown keys
    are errors (the content pack must say exactly what it means).
    """
    import cattrs  # only when a file is not read by fast_structure, or to write one

    conv = cattrs.Converter(forbid_extra_keys=not keep_extra)
    conv.register_structure_hook(str, _strict(str, "text"))
    conv.register_structure_hook(int, _strict(int, "a whole number"))
    # A float field takes whole numbers too, and keeps them whole so they
    # are written back as they were read (150, not 150.0).
    conv.register_structure_hook(float, _finite)
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook(dt.date, _date)
    conv.register_structure_hook(dt.datetime, _datetime)
    # Registered by class so single dispatch finds it before the str hook
    # (a StrEnum is a str too).
    conv.register_structure_hook(enum.Enum, _choice)
    conv.register_structure_hook(enum.StrEnum, _choice)
    conv.register_unstructure_hook(dt.date, lambda d: d)
    conv.register_unstructure_hook(dt.datetime, lambda d: d)
    if keep_extra:
        conv.register_structure_hook_factory(_has_extra, lambda cls: _keeping_extra(conv, cls))
    return conv


def _has_extra(cls: Any) -> bool:
    return attrs.has(cls) and "extra" in attrs.fields_dict(cls)


def _keeping_extra(conv: cattrs.Converter, cls: type) -> Any:
    from cattrs.gen import make_dict_structure_fn, override

    known = {a.name for a in attrs.fields(cls)} - {"extra"}
    structure = make_dict_structure_fn(cls, conv, extra=override(omit=True))

    def hook(value: Any, _type: Any) -> Any:
        if not isinstance(value, dict):
            raise FieldError(f"expected a table, got {_describe(value)}")
        record = structure({k: v for k, v in value.items() if k in known}, cls)
        extra = {k: v for k, v in value.items() if k not in known}
        return attrs.evolve(record, extra=extra) if extra else record

    return hook


def problems_from(exc: BaseException, path: str = "") -> Iterator[tuple[str, str]]:
    """Flatten a cattrs validation error into ``(path, message)`` pairs."""
    from cattrs.errors import ClassValidationError, IterableValidationError

    if isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            step = _step(note)
            yield from problems_from(sub, f"{path}{step}" if step.startswith("[") or not path else f"{path}.{step}")
        for sub in without:
            yield from problems_from(sub, path)
    else:
        yield path or "(file)", _message(exc)


def _step(note: Any) -> str:
    if hasattr(note, "name"):
        return note.name
    index = note.index
    return f"[{index}]" if isinstance(index, int) else str(index)


def _message(exc: BaseException) -> str:
    from cattrs.errors import ForbiddenExtraKeysError

    if isinstance(exc, KeyError):
        return "required, but missing"
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unknown field(s): {', '.join(sorted(exc.extra_fields))}"
    if isinstance(exc, FieldError):
        return str(exc)
    if isinstance(exc, AttributeError | TypeError):
        return "expected a table" if "items" in str(exc) else "expected a list"
    return str(exc) or type(exc).__name__


# -- without cattrs ------------------------------------------------------------


class GiveWay(Exception):
    """Something :func:`fast_structure` does not read; cattrs is to decide."""


def fast_structure(value: Any, cls: type) -> Any:
    """``value`` as the attrs record ``cls``, exactly as ``make_converter(keep_extra=True)``
    would structure it, or :class:`GiveWay` when it is anything but well formed.

    It knows the types session records use (text, whole and other numbers, true/false,
    dates, UTC times, closed vocabularies, optional values, lists, tables, nested
    records with ``extra``); a record using another gives way every time.
    tests/test_sessionfile.py checks it agrees with cattrs on generated sessions.
    """
    return _reader(cls)(value)


def _give_way(*_: Any) -> Any:
    raise GiveWay


@functools.cache
def _reader(tp: Any) -> Callable[[Any], Any]:
    """A function reading a TOML value as type ``tp``, as the strict converter does."""
    if tp is str:
        return lambda v: v if isinstance(v, str) else _give_way()
    if tp is bool:
        return lambda v: v if isinstance(v, bool) else _give_way()
    if tp is int:
        return lambda v: v if isinstance(v, int) and not isinstance(v, bool) else _give_way()
    if tp is float:
        return _read_number
    if tp is dt.date:
        return lambda v: v if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else _give_way()
    if tp is dt.datetime:
        return lambda v: v.astimezone(dt.UTC) if isinstance(v, dt.datetime) and v.tzinfo is not None else _give_way()
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        members = tp._value2member_map_

        def member(v: Any) -> Any:
            try:
                return members[v]
            except (KeyError, TypeError):
                raise GiveWay from None

        return member
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union) and len(args) == 2 and type(None) in args:
        inner = _reader(next(a for a in args if a is not type(None)))
        return lambda v: None if v is None else inner(v)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _reader(args[0])
        return lambda v: tuple(item(x) for x in v) if isinstance(v, list) else _give_way()
    if origin is dict and len(args) == 2 and args[0] is str and args[1] is not Any:
        entry = _reader(args[1])
        return lambda v: {k: entry(x) for k, x in v.items()} if isinstance(v, dict) else _give_way()
    if attrs.has(tp):
        return _record_reader(tp)
    return _give_way  # a type this reader does not know: cattrs every time


def _read_number(v: Any) -> Any:
    # A float field keeps a whole number whole, as the converter's _finite does.
    if isinstance(v, bool) or not isinstance(v, int | float) or (isinstance(v, float) and not math.isfinite(v)):
        raise GiveWay
    return v


def _record_reader(cls: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(cls)
    fields = [f for f in attrs.fields(cls) if f.init]
    if any(f.alias != f.name for f in fields):
        return _give_way
    keep_extra = any(f.name == "extra" for f in fields)
    readers = {f.name: _reader(hints[f.name]) for f in fields if f.name != "extra"}
    required = frozenset(f.name for f in fields if f.default is attrs.NOTHING and f.name != "extra")

    def read(v: Any) -> Any:
        if not isinstance(v, dict) or not required <= v.keys():
            raise GiveWay
        kwargs = {}
        extra = {}
        for key, value in v.items():
            reader = readers.get(key)
            if reader is not None:
                kwargs[key] = reader(value)
            elif keep_extra:
                extra[key] = value
            else:
                raise GiveWay
        if extra:
            kwargs["extra"] = extra
        try:
            return cls(**kwargs)
        except (TypeError, ValueError):
            raise GiveWay from None

    return read
