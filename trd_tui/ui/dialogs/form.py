"""What the editing forms share: the :class:`FormDialog` base, parsing typed values, and
showing errors at the field."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Label

from trd_tui.storage.validate import date_problem
from trd_tui.ui.dialogs.dialogs import Dialog
from trd_tui.ui.internals.redraw import set_text

T = TypeVar("T")

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
        if not message and not self.has_class("-invalid"):
            return  # no error shown, none to show
        self.set_class(bool(message), "-invalid")
        set_text(self.query_one(".field-error", Label), Text(message))


def show_errors(form: Widget, errors: dict[str, str]) -> bool:
    """Show each field's error (clearing the rest); True when there are none.

    Otherwise the cursor goes to the first field that needs a fix, which also
    scrolls it into view.
    """
    fields = form.walk_children(Field)  # by type: a CSS query matches a selector on every widget
    for field in fields:
        field.set_error(errors.get(field.field_name, ""))
    if not errors:
        return True
    first = next((f for f in fields if f.field_name in errors), None)
    if first is not None:
        next((w for w in first.query("*") if w.focusable), first).focus()
    return False


class FormDialog(Dialog[T]):
    """Base of every editing form: the same keys in each, and what they mean.

    - Escape or the Cancel button (``#cancel``): close without changes.
    - Enter (where a form submits on it) or the OK button (``#ok``): :meth:`action_submit`
      applies the form.
    - ctrl+s: applies the form and then saves the file (issue 17), by the
      :class:`SaveRequested` message the app handles after the form's result is applied.

    Either way the form is checked only after the keys already queued for the focused
    field have reached it (see :meth:`_after_queued_keys`). Subclasses implement
    :meth:`result`; openers push the form with :func:`open_form`.
    """

    BINDINGS = [
        Binding("ctrl+s", "apply_and_save", "Apply and save", id="form.save", priority=True,
                tooltip="Apply the form and save the file"),
    ]

    class SaveRequested(Message):
        """ctrl+s closed a form: its result has been applied; save the file now."""

    save_asked = False  # whether the last apply came from ctrl+s

    def result(self) -> T | None:
        """What the form returns, if every field is valid; otherwise show the errors and return None."""
        raise NotImplementedError

    def action_submit(self) -> None:
        self._after_queued_keys(save=False)

    def action_apply_and_save(self) -> None:
        self._after_queued_keys(save=True)

    def _after_queued_keys(self, *, save: bool) -> None:
        # ctrl+s is a priority binding: it runs before keys already queued for the focused
        # field (a fast typist's last digits), so check only once that field has taken them.
        (self.focused or self).call_later(self._apply, save)

    def _apply(self, save: bool) -> None:
        if not self.is_current:
            return  # closed meanwhile (Escape queued behind the key that applied)
        result = self.result()
        if result is not None:
            self.save_asked = save
            self.close_with(result)

    def close_with(self, result: T) -> None:
        """Close the form returning ``result``; a form may ask something first (then dismiss later)."""
        self.dismiss(result)

    @on(Button.Pressed, "#ok")
    def _ok_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


def open_form(opener: DOMNode, form: FormDialog[T], done: Callable[[T], None]) -> None:
    """Show ``form``; its result goes to ``done``, and then, if ctrl+s closed it, the file is saved.

    The save is asked for after ``done`` has applied the result, so what is saved includes it.
    """

    def closed(result: T | None) -> None:
        if result is None:
            return
        done(result)
        if form.save_asked:
            opener.app.post_message(FormDialog.SaveRequested())

    opener.app.push_screen(form, closed)
