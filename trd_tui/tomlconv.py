"""Strict conversion between parsed TOML and attrs records, with located errors.

Both the session file and the content pack are TOML read into attrs records.
cattrs does the structuring; this module makes it strict (TOML has real types,
so ``"150"`` is not a dose and ``true`` is not a number) and turns its nested
exception groups into ``(path, message)`` pairs a person can act on, such as
``trials[2].end: expected a date written YYYY-MM-DD``.

The content pack is read with this converter; session files and preferences
are read by :mod:`trd_tui.storage.validate`, which also checks their values.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterator
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


def make_converter() -> cattrs.Converter:
    """A strict converter: unknown keys are errors (the content pack must say exactly what it means)."""
    import cattrs  # only when the content pack is read, not from its cache

    conv = cattrs.Converter(forbid_extra_keys=True)
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
    return conv


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
