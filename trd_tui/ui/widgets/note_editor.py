"""The note box under the checklist: one line to edit one item's note, Enter saves, Escape cancels."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label


def one_line(text: str) -> str:
    """A note squeezed onto one line: a table row shows only its first line otherwise."""
    return " ".join(text.split())


class NoteEditor(Horizontal):
    """One line to edit one item's note: Enter saves, Escape cancels.

    Its label and input are built when it first opens, not for the first frame.
    """

    DEFAULT_CSS = """
    NoteEditor { height: 1; padding: 0 1; display: none; background: $boost; }
    NoteEditor #note-label { width: auto; text-style: bold; }
    NoteEditor #note-input { width: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel note", id="checklist.note_cancel", tooltip="Close the note without saving"),
    ]

    class Closed(Message):
        """The editor closed; ``note`` is the new note, or None if nothing is to be saved."""

        def __init__(self, item_id: str, note: str | None) -> None:
            super().__init__()
            self.item_id, self.note = item_id, note

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._item_id = ""
        self._original = ""

    async def open(self, item_id: str, label: str, note: str, *, private: bool = False) -> None:
        if not self.children:
            # No select-all on focus: a keystroke should add to the note, not replace it.
            note_input = Input(compact=True, select_on_focus=False, placeholder="Enter saves, Escape cancels", id="note-input")
            await self.mount(Label(id="note-label"), note_input)
        self._item_id, self._original = item_id, one_line(note)
        self.query_one("#note-label", Label).update(Text(f"Note · {label}: "))
        note_input = self.query_one("#note-input", Input)
        # While sharing, what is typed stays private too: shown as dots, saved as typed.
        note_input.password = private
        note_input.value = self._original
        note_input.cursor_position = len(self._original)
        self.display = True
        note_input.focus()

    @on(Input.Submitted, "#note-input")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        # An untouched note is not saved: it may have had line breaks the one-line input dropped.
        changed = event.value != self._original
        self.post_message(self.Closed(self._item_id, event.value.strip() if changed else None))

    def action_cancel(self) -> None:
        self.post_message(self.Closed(self._item_id, None))
