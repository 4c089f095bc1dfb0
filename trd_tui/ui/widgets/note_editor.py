"""The note box under the checklist: one line to edit one item's note, Enter saves, Escape cancels.

A note may have several lines (typed in the session file, or in a form); on one line
each line break shows as :data:`LINE_BREAK`, and is saved again as a line break.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label


#: A line break of a note shown on one line (a table row, the note box).
LINE_BREAK = "↵"


def one_line(text: str) -> str:
    """A note on one line, each line break shown as ``↵``: a table row shows only its first line otherwise."""
    return f" {LINE_BREAK} ".join(" ".join(line.split()) for line in text.strip().splitlines())


def from_one_line(text: str) -> str:
    """The note typed on one line, each ``↵`` a line break again."""
    return "\n".join(line.strip() for line in text.split(LINE_BREAK)).strip()


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

    @property
    def item_id(self) -> str | None:
        """The item whose note is open, or None."""
        return self._item_id if self.display else None

    async def open(self, item_id: str, label: str, note: str, *, private: bool = False) -> None:
        """Open ``item_id``'s note with its text selected, so typing replaces it (End keeps it).

        If that note is open already (the keyboard went back to the list), return to it as typed.
        """
        if not self.children:
            # Selected on opening only: back from the list, a keystroke adds to what was typed.
            note_input = Input(compact=True, select_on_focus=False, placeholder="Enter saves, Escape cancels", id="note-input")
            await self.mount(Label(id="note-label"), note_input)
        note_input = self.query_one("#note-input", Input)
        if self.item_id != item_id:
            self._item_id, self._original = item_id, one_line(note)
            self.query_one("#note-label", Label).update(Text(f"Note · {label}: "))
            # While sharing, what is typed stays private too: shown as dots, saved as typed.
            note_input.password = private
            note_input.value = self._original
            note_input.select_all()
            self.display = True
        note_input.focus()

    @on(Input.Submitted, "#note-input")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        changed = event.value != self._original  # an untouched note is no edit
        self.post_message(self.Closed(self._item_id, from_one_line(event.value) if changed else None))

    def action_cancel(self) -> None:
        self.post_message(self.Closed(self._item_id, None))
