"""Modal: add or edit one rating-scale measurement.

Instruments with items (PHQ-9, GAD-7) are entered item by item with the digit
keys, fast enough to do while the patient reads out the answers; any other
instrument takes a total. The rules an entry must meet come from
:func:`trd_tui.clinical.scales.measurement_problems` (and, for every
instrument, :func:`trd_tui.storage.validate.session_problems`); errors show at their
field and nothing is returned until the entry is valid.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import attrs
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select

from trd_tui.clinical.safety import item9_warning, positive_item9
from trd_tui.clinical.scales import measurement_problems
from trd_tui.pack.records import Content, Instrument
from trd_tui.model import Measurement, Session
from trd_tui.storage.validate import session_problems
from trd_tui.ui.dialogs.dialogs import PRIVATE
from trd_tui.ui.dialogs.form import DATE_HINT, Field, FormDialog, format_number, parse_date, parse_number, show_errors

OTHER = "(other)"  # the Select's value for an instrument typed by name; never a content-pack id
DIGITS = tuple("0123456789")  # not str.isdigit, which takes "²" and other digits int() refuses


def numbered_answers(answers: Sequence[int | None], current: int | None = None) -> Text:
    """Answers as ``1:2 2:1 3:·``; the one at index ``current`` is highlighted."""
    text = Text()
    for i, answer in enumerate(answers):
        text.append(" " if i else "")
        text.append(f"{i + 1}:{'·' if answer is None else answer}", "reverse" if i == current else "")
    return text


class ItemPad(Widget, can_focus=True):
    """Item-by-item entry: a digit answers the current item and moves on to the next.

    After the items comes the instrument's difficulty question if it has one
    (optional: Enter skips it), then the end, where Enter posts :class:`Done`.
    """

    BINDINGS = [
        Binding("left,up", "move(-1)", "Back", id="scale.back", show=False, tooltip="Back to the previous item"),
        Binding("right,down", "move(1)", "Next", id="scale.next", show=False, tooltip="On to the next item"),
        Binding("backspace", "clear", "Clear", id="scale.clear", show=False, tooltip="Clear the answer"),
        Binding("enter", "enter", "Next or save", id="scale.enter", show=False,
                tooltip="Keep the answer and go on; skip the difficulty question; save at the end"),
    ]

    class Changed(Message):
        """An answer was recorded or cleared."""

    class Done(Message):
        """Enter at the end: the form should save."""

    def __init__(self, instrument: Instrument, items: tuple[int, ...] | None, difficulty: int | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reset(instrument, items, difficulty)

    def reset(self, instrument: Instrument, items: tuple[int, ...] | None = None, difficulty: int | None = None) -> None:
        """Start over on ``instrument``, at the first unanswered item (or the end when all are)."""
        self.instrument = instrument
        self.answers: list[int | None] = list(items) if items else [None] * len(instrument.items)
        self.difficulty = difficulty
        self.position = next((i for i, a in enumerate(self.answers) if a is None), self._end)
        self.refresh(layout=True)

    # -- state ----------------------------------------------------------------

    @property
    def _end(self) -> int:
        """The position after the last question (items, then difficulty if asked)."""
        return len(self.answers) + bool(self.instrument.difficulty)

    @property
    def _on_difficulty(self) -> bool:
        return bool(self.instrument.difficulty) and self.position == len(self.answers)

    @property
    def answered(self) -> int:
        return sum(a is not None for a in self.answers)

    @property
    def complete(self) -> bool:
        return self.answered == len(self.answers)

    @property
    def total(self) -> int:
        return sum(a for a in self.answers if a is not None)

    def items(self) -> tuple[int, ...] | None:
        """The answers, once every item has one."""
        return tuple(a for a in self.answers if a is not None) if self.complete else None

    def _current(self) -> int | None:
        if self._on_difficulty:
            return self.difficulty
        return self.answers[self.position] if self.position < len(self.answers) else None

    def _set_current(self, value: int | None) -> None:
        if self._on_difficulty:
            self.difficulty = value
        else:
            self.answers[self.position] = value

    def _go(self, position: int) -> None:
        self.position = max(0, min(self._end, position))
        self.refresh(layout=True)

    # -- keys -----------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """A digit answers the current question; one with no such answer is refused."""
        if event.character not in DIGITS:
            return
        event.stop()
        choices = self._choices()
        if int(event.character) >= len(choices):
            self.app.bell()
            return
        self._set_current(int(event.character))
        self.post_message(self.Changed())
        self._go(self.position + 1)

    def action_move(self, step: int) -> None:
        self._go(self.position + step)

    def action_clear(self) -> None:
        """Clear the current answer; on an unanswered one, step back and clear that (like a typewriter)."""
        if self._current() is None and self.position > 0:
            self.position -= 1
        if self.position < self._end:
            self._set_current(None)
            self.post_message(self.Changed())
        self._go(self.position)

    def action_enter(self) -> None:
        """Go on past an answered (or optional) question; at the end, ask to save.

        On an unanswered item Enter does nothing, so the Enter that accepts the
        instrument and date as they stand costs no answer.
        """
        if self.position == self._end:
            self.post_message(self.Done())
        elif self._on_difficulty or self._current() is not None:
            self._go(self.position + 1)

    # -- drawing --------------------------------------------------------------

    def _choices(self) -> tuple[str, ...]:
        if self._on_difficulty:
            return self.instrument.difficulty_answers
        return self.instrument.answers if self.position < len(self.answers) else ()

    def render(self) -> Text:
        lines = [*self._question(), self._choices_line(), self._progress(), self._total()]
        top = len(self.instrument.answers) - 1
        # The form has no footer: the keys are named here.
        lines.append(Text(f"0–{top} answer · ←/↑ back · →/↓ next · backspace clears · Enter next / save", "dim"))
        return Text("\n").join(lines)

    def _question(self) -> list[Text]:
        n = len(self.answers)
        if self._on_difficulty:
            return [Text.assemble((self.instrument.difficulty, "bold"), ("  optional: Enter skips", "dim"))]
        if self.position == self._end:
            return [Text(f"All {n} items answered. Enter saves; ← goes back to change an answer.", "bold")]
        wording = self.instrument.items[self.position]
        return [Text(self.instrument.stem, "dim"), Text(f"{self.position + 1}/{n} {wording}", "bold")]

    def _choices_line(self) -> Text:
        current = self._current()
        parts = [Text(f"{i} {answer}", "reverse" if i == current else "") for i, answer in enumerate(self._choices())]
        # Two spaces, not a dot: PHQ-9's four answers then fit on one line at 80 columns.
        return Text("  ").join(parts)

    def _progress(self) -> Text:
        text = numbered_answers(self.answers, self.position)
        if self.instrument.difficulty:
            mark = "·" if self.difficulty is None else str(self.difficulty)
            text.append("  ").append(f"difficulty:{mark}", "reverse" if self._on_difficulty else "")
        return text

    def _total(self) -> Text:
        """The running total and its band, provisional until every item is answered."""
        band = self.instrument.band(self.total)
        text = Text.assemble(("Total ", "bold"), (str(self.total), "bold"), f" · {band}" if band else "")
        if not self.complete:
            text.append(f"  ({self.answered} of {len(self.answers)} answered so far)", "dim")
        return text


#: What the pad holds while the chosen instrument has no items (a total-only one, or Other).
NO_ITEMS = Instrument(id="", name="", max_score=0, bands=(), sources=())


class ScaleForm(FormDialog[Measurement]):
    """Returns the measurement as entered (keeping ``extra`` of the one it started from), or None."""

    DEFAULT_CSS = """
    ScaleForm #field-items .field-label { display: none; }
    ScaleForm #field-items .field-error { padding-left: 0; }
    ScaleForm ItemPad:focus { background: $boost; }
    ScaleForm #score-band { color: $text-muted; }
    ScaleForm #item9-warning { color: $text-warning; text-style: bold; }
    """

    def __init__(self, title: str, measurement: Measurement | None, visit_date: dt.date, content: Content) -> None:
        super().__init__()
        self._title, self._measurement, self._visit, self._content = title, measurement, visit_date, content
        self._choice = ""  # the Select's value the form was last laid out for

    # -- layout ---------------------------------------------------------------

    def _initial(self) -> dict[str, Any]:
        """Each field's starting value: the measurement's, or a blank entry on the pack's first instrument."""
        m = self._measurement
        if m is None:
            first = next(iter(self._content.instruments), OTHER)
            return dict(choice=first, name="", date=self._visit.isoformat(), score="", items=None, difficulty=None)
        known = self._content.instrument(m.instrument)
        return dict(
            choice=known.id if known else OTHER,  # a known instrument by its id, whatever alias was stored
            name="" if known else m.instrument,
            date=m.date.isoformat(),
            score=format_number(m.score),
            items=m.items,
            difficulty=m.difficulty,
        )

    def compose(self) -> ComposeResult:
        v = self._initial()
        self._choice = v["choice"]
        chosen = self._content.instruments.get(v["choice"])
        by_items = bool(chosen and chosen.items) and (self._measurement is None or v["items"] is not None)
        with Vertical(classes="dialog-box"):
            yield Label(Text(self._title), classes="dialog-title")
            # Not focusable itself: the keys go straight to the entry.
            with VerticalScroll(can_focus=False):
                yield Field("Instrument", self._instrument_row(v["choice"], chosen, by_items), name="instrument")
                yield Field("Name", Input(v["name"], placeholder="e.g. MADRS", id="name", compact=True), name="name")
                yield Field("Date", Input(v["date"], placeholder=DATE_HINT, id="date", compact=True, classes=PRIVATE), name="date")
                yield Field("", ItemPad(chosen or NO_ITEMS, v["items"], v["difficulty"], id="pad"), name="items")
                yield Field("Total", _score_row(v["score"]), name="score")
                yield Label(item9_warning(), id="item9-warning")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def _instrument_row(self, choice: str, chosen: Instrument | None, by_items: bool) -> Horizontal:
        options = [(Text(f"{i.id}  {i.name}"), i.id) for i in self._content.instruments.values()]
        select = Select([*options, (Text("Other…"), OTHER)], value=choice, allow_blank=False, id="instrument", compact=True)
        has_items = bool(chosen and chosen.items)
        # Ticked and greyed out when a total is all the instrument takes.
        total_only = Checkbox("Total only", not by_items, id="total-only", compact=True, disabled=not has_items)
        return Horizontal(select, total_only, id="instrument-row")

    def on_mount(self) -> None:
        self._show_mode()
        # The keyboard starts on the entry, so a practised user types the answers at once.
        self._entry().focus()

    def _entry(self) -> Widget:
        return self.query_one(ItemPad) if self._by_items else self.query_one("#score", Input)

    # -- what is chosen -------------------------------------------------------

    def _chosen(self) -> Instrument | None:
        """The pack instrument chosen in the list (None for Other)."""
        return self._content.instruments.get(self._choice)

    def _instrument(self) -> Instrument | None:
        """The instrument entered: the one chosen, or the pack's instrument a typed name means."""
        return self._content.instrument(self._instrument_name())

    def _instrument_name(self) -> str:
        return self._choice if self._choice != OTHER else self._text("name").strip()

    @property
    def _by_items(self) -> bool:
        chosen = self._chosen()
        return bool(chosen and chosen.items) and not self.query_one("#total-only", Checkbox).value

    # -- live feedback --------------------------------------------------------

    @on(Select.Changed, "#instrument")
    def _instrument_changed(self, event: Select.Changed) -> None:
        if event.value == self._choice:  # the Select reports its starting value too
            return
        self._choice = str(event.value)
        chosen = self._chosen()
        total_only = self.query_one("#total-only", Checkbox)
        total_only.disabled = not (chosen and chosen.items)
        total_only.value = total_only.disabled
        self.query_one(ItemPad).reset(chosen or NO_ITEMS)
        self._show_mode()
        # On to what is left to fill, so a changed instrument costs no extra keys.
        (self.query_one("#name", Input) if self._choice == OTHER else self._entry()).focus()

    @on(Checkbox.Changed, "#total-only")
    def _show_mode(self) -> None:
        """Show the fields the chosen instrument and mode need."""
        self.query_one("#field-name").display = self._choice == OTHER
        self.query_one("#field-items").display = self._by_items
        self.query_one("#field-score").display = not self._by_items
        self._show_band()
        self._show_warning()

    @on(Input.Changed, "#score")
    @on(Input.Changed, "#name")
    def _show_band(self) -> None:
        hint = _band_hint(self._instrument(), self._text("score")) if self._instrument_name() else ""
        self.query_one("#score-band", Label).update(Text(hint))

    @on(ItemPad.Changed)
    def _show_warning(self) -> None:
        """Warn as soon as PHQ-9 item 9 is above 0, before anything is saved."""
        pad = self.query_one(ItemPad)
        answers = tuple(a or 0 for a in pad.answers)
        entered = Measurement(self._visit, pad.instrument.id, pad.total, answers)
        self.query_one("#item9-warning").display = self._by_items and positive_item9(entered) is not None

    # -- submit ---------------------------------------------------------------

    @on(Input.Submitted, "#name")
    @on(Input.Submitted, "#date")
    def _next_field(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#score")
    @on(ItemPad.Done)
    def _submitted(self) -> None:
        self.action_submit()

    def result(self) -> Measurement | None:
        measurement, errors = self._check()
        return measurement if show_errors(self, errors) else None

    def _check(self) -> tuple[Measurement | None, dict[str, str]]:
        """The measurement if every field is valid, and the error for each field that is not."""
        values, errors = self._parse()
        if "score" not in values:  # without a score there is nothing for the rules to check
            return None, errors
        measurement = self._build(values)
        for field, message in self._problems(measurement):
            errors.setdefault(self._field_for(field), message)
        return (None if errors else measurement), errors

    def _parse(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The typed date and the score (with the items if entered by item), and what is missing or unreadable."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        if not self._instrument_name():
            errors["name"] = "required"
        try:
            values["date"] = parse_date(self._text("date"))
        except ValueError as exc:
            errors["date"] = str(exc)
        if values.get("date") is None:
            errors.setdefault("date", "required")
        if self._by_items:
            pad = self.query_one(ItemPad)
            if pad.complete:
                values.update(score=pad.total, items=pad.items(), difficulty=pad.difficulty)
            else:
                errors["items"] = f"answer every item ({pad.answered} of {len(pad.answers)} so far)"
        else:
            try:
                score = parse_number(self._text("score"))
            except ValueError as exc:
                errors["score"] = str(exc)
            else:
                if score is None or not math.isfinite(score):  # "inf" and "nan" parse as floats
                    errors["score"] = "required" if score is None else "must be a number"
                else:
                    values["score"] = score
        return values, errors

    def _build(self, values: dict[str, Any]) -> Measurement:
        fields = dict(
            date=values.get("date") or self._visit,  # a stand-in, so the score is checked while the date is wrong
            instrument=self._instrument_name(),
            score=values["score"],
            items=values.get("items"),
            difficulty=values.get("difficulty"),
        )
        # evolve keeps the measurement's extra (keys a newer trd-tui wrote) when editing.
        return attrs.evolve(self._measurement, **fields) if self._measurement else Measurement(**fields)

    def _problems(self, m: Measurement) -> list[tuple[str, str]]:
        """The rules' verdict: the content pack's for a known instrument, the session file's for any."""
        prefix = "measurements[0]."
        in_session = session_problems(attrs.evolve(Session.new(self._visit), measurements=(m,)))
        return measurement_problems(m, self._content) + [
            (path.removeprefix(prefix), message) for path, message in in_session if path.startswith(prefix)
        ]

    def _field_for(self, problem: str) -> str:
        """The form field that shows a rule's problem: by item, the items made the total."""
        if problem == "instrument":
            return "name"
        return "items" if self._by_items else "score"

    def _text(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value


def _score_row(score: str) -> Horizontal:
    """The total with its scale and band beside it."""
    return Horizontal(Input(score, placeholder="total", id="score", compact=True), Label(id="score-band"), id="score-row")


def _band_hint(instrument: Instrument | None, typed: str) -> str:
    """The instrument's range and the typed total's band, as the clinician types."""
    if instrument is None:
        return "not in the content pack: no bands"
    try:
        score = parse_number(typed)
    except ValueError:
        score = None
    band = instrument.band(score) if score is not None else None
    scale = f"{instrument.id} 0–{instrument.max_score}"
    return f"{scale} · {band}" if band else scale
