"""Modal: mark a treatment option with a status and a note, or remove its mark."""

from __future__ import annotations

import attrs
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from trd_tui.model import OptionNote, OptionStatus
from trd_tui.ui.dialogs.dialogs import PRIVATE
from trd_tui.ui.dialogs.form import Field, FormDialog
from trd_tui.ui.widgets.note_editor import from_one_line, one_line

# One letter per status. The Options pane uses the same letters as quick-mark keys,
# so the dialog is where a clinician learns them.
STATUS_KEYS: dict[OptionStatus, str] = {
    OptionStatus.CONSIDERED: "c",
    OptionStatus.DISCUSSED: "d",
    OptionStatus.PREFERRED: "p",
    OptionStatus.PLANNED: "l",
    OptionStatus.DECLINED: "x",
}
REMOVE_KEY = "u"
REMOVE = "remove"  # the option-list id of "remove mark"


@attrs.frozen
class MarkChoice:
    """What the dialog returns: a status and note, or ``status=None`` to remove the mark."""

    status: OptionStatus | None
    note: str = ""


class OptionMark(FormDialog[MarkChoice]):
    """Choose a status (or remove the mark) and write a note; Enter saves, Escape cancels."""

    BINDINGS = [
        *(
            Binding(key, f"choose('{status.value}')", status.value, id=f"mark.{status.value}", show=False, tooltip=f"Choose {status.value}")
            for status, key in STATUS_KEYS.items()
        ),
        Binding(REMOVE_KEY, f"choose('{REMOVE}')", "remove mark", id="mark.remove", show=False, tooltip="Choose remove mark"),
    ]
    DEFAULT_CSS = """
    OptionMark #mark-statuses { height: auto; max-height: 9; margin-bottom: 1; }
    OptionMark #mark-note { width: 1fr; }
    OptionMark .dialog-message { color: $text-muted; }
    """

    def __init__(self, option_name: str, mark: OptionNote | None) -> None:
        super().__init__()
        self._option_name, self._mark = option_name, mark

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(f"Mark: {self._option_name}"), classes="dialog-title")
            yield OptionList(*self._choices(), id="mark-statuses")
            note = self._mark.note if self._mark else ""
            # One line: each line break of the note shows as ↵, and is saved as a line break again.
            yield Field("Note", Input(one_line(note), placeholder="optional", id="mark-note", compact=True, classes=PRIVATE), name="note")
            yield Static(
                "↑↓ or a letter chooses · Tab goes to the note · Enter saves · Escape cancels",
                classes="dialog-message",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Enter)", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def _choices(self) -> list[Option]:
        current = self._mark.status if self._mark else None
        choices = [
            Option(Text(f"{key}  {status.value}{'  (current)' if status is current else ''}"), id=status.value)
            for status, key in STATUS_KEYS.items()
        ]
        if self._mark is not None:  # removing makes sense only when there is a mark
            choices.append(Option(Text(f"{REMOVE_KEY}  remove mark"), id=REMOVE))
        return choices

    def on_mount(self) -> None:
        statuses = self.query_one("#mark-statuses", OptionList)
        current = self._mark.status if self._mark else OptionStatus.CONSIDERED
        statuses.highlighted = statuses.get_option_index(current.value)
        statuses.focus()

    def action_choose(self, choice: str) -> None:
        """Highlight a status by its letter (it is saved with Enter or Save)."""
        statuses = self.query_one("#mark-statuses", OptionList)
        if choice == REMOVE and self._mark is None:
            return
        statuses.highlighted = statuses.get_option_index(choice)

    @on(OptionList.OptionSelected)
    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_submit()

    def result(self) -> MarkChoice | None:
        option = self.query_one("#mark-statuses", OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        if option.id == REMOVE:
            return MarkChoice(None)
        return MarkChoice(OptionStatus(option.id), from_one_line(self.query_one("#mark-note", Input).value))
