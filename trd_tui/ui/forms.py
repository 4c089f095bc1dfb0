"""What the editing forms share: parsing typed values and showing errors at the field."""

from __future__ import annotations

import datetime as dt
import math
import re

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label

from trd_tui.storage.validate import date_problem
from trd_tui.ui.redraw import set_text

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
DATE_HINT = "YYYY-MM-DD (YYYY-MM = the 1st)"


def parse_date(text: str) -> dt.date | None:
    """``YYYY-MM-DD``, or ``YYYY-MM`` meaning the 1st; blank is None.

    Raises ValueError, also for a date outside the range a session file holds.
    """
    text = text.strip()
    if not text:
        return None
    try:
        day = dt.date(int(m[1]), int(m[2]), 1) if (m := _MONTH.fullmatch(text)) else dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("use YYYY-MM-DD (or YYYY-MM for the 1st)") from None
    if problem := date_problem(day):  # the file's own limit: what a form accepts, the file can hold
        raise ValueError(problem)
    return day


def parse_number(text: str) -> float | None:
    """A positive-or-not number as typed (``150``, ``37.5``); blank is None. Raises ValueError."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError("must be a number") from None
    if not math.isfinite(value):  # float() reads "inf" and "nan"; neither is a dose or a score
        raise ValueError("must be a number")
    return int(value) if value.is_integer() else value


def format_number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class Field(Vertical):
    """A labelled form field with its error line underneath."""

    DEFAULT_CSS = """
    Field { height: auto; }
    Field > Horizontal { height: auto; }
    Field .field-label { width: 16; padding-right: 1; text-align: right; }
    Field .field-error { color: $text-error; padding-left: 17; height: auto; display: none; }
    Field.-invalid .field-error { display: block; }
    Field.-invalid .field-label { color: $text-error; }
    """

    def __init__(self, label: str, widget: Widget, *, name: str) -> None:
        super().__init__(id=f"field-{name}")
        self._label, self._widget, self.field_name = label, widget, name

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self._label, classes="field-label")
            yield self._widget
        yield Label("", classes="field-error")

    def set_error(self, message: str) -> None:
        self.set_class(bool(message), "-invalid")
        set_text(self.query_one(".field-error", Label), Text(message))


def show_errors(form: Widget, errors: dict[str, str]) -> bool:
    """Show each field's error (clearing the rest); True when there are none.

    Otherwise the cursor goes to the first field that needs a fix, which also
    scrolls it into view.
    """
    fields = list(form.query(Field))
    for field in fields:
        field.set_error(errors.get(field.field_name, ""))
    if not errors:
        return True
    first = next((f for f in fields if f.field_name in errors), None)
    if first is not None:
        next((w for w in first.query("*") if w.focusable), first).focus()
    return False
