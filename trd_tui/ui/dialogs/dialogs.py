"""Small modal dialogs: a choice of buttons, a list of problems, a file path.

Every dialog closes with Escape (meaning cancel) and is usable from the keyboard alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from trd_tui.privacy import Privacy
from trd_tui.ui.widgets.status_bar import CrisisLine


T = TypeVar("T")
#: The class of an input whose text can identify the patient (dates, notes, paths).
PRIVATE = "private"


class Dialog(ModalScreen[T | None]):
    """Base: a bordered box in the middle of the screen; Escape dismisses with None.

    While sharing, inputs of class :data:`PRIVATE` show dots: editing still works,
    and what is typed is saved as typed.
    """

    # Absolute: Textual reads a relative CSS_PATH beside the subclass (help lives in screens/).
    CSS_PATH = str(Path(__file__).with_name("dialogs.tcss"))
    DEFAULT_CLASSES = "dialog"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    @property
    def sharing(self) -> bool:
        """Whether the app is in sharing mode (an app without one, as in some tests, never is)."""
        privacy = getattr(self.app, "privacy", None)
        return privacy is not None and privacy.sharing

    _sharing_shown: bool | None = None  # the sharing state the dialog last showed

    def on_mount(self) -> None:
        self._show_sharing()
        if getattr(self.app, "assessment", None) is not None:  # an app without one (some tests) has no alerts
            self.mount(CrisisLine())

    def on_screen_resume(self) -> None:
        # Each time it is shown, not only when built: a form kept for reuse (the trial
        # form) was last shown under whatever sharing state held then. (App keys such as
        # F3 do not reach past a modal, so sharing cannot change while a dialog is open.)
        if self.sharing != self._sharing_shown:
            self._show_sharing()

    def _show_sharing(self) -> None:
        """Show private inputs as dots while sharing, as typed otherwise."""
        sharing = self._sharing_shown = self.sharing
        for field in self.query(f"Input.{PRIVATE}").results(Input):
            field.password = sharing
        self.sharing_changed(sharing)

    def sharing_changed(self, sharing: bool) -> None:
        """Hide or show what else a dialog keeps private (called whenever it is shown, too)."""

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(Dialog[str]):
    """A question with one button per choice; returns the chosen id (None on Escape)."""

    def __init__(self, title: str, message: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self._title, self._message, self._choices = title, message, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self._title), classes="dialog-title")
            yield Static(Text(self._message), classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                for i, (choice_id, label) in enumerate(self._choices):
                    yield Button(label, id=choice_id, variant="primary" if i == 0 else "default")

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)


class ProblemsDialog(Dialog[None]):
    """Why a file could not be used: every problem, as the core's check lists them.

    While sharing, a date quoted in a problem is hidden: the file is not the session on
    screen, so there is no onset to count months from.
    """

    def __init__(self, title: str, summary: str, problems: list[object]) -> None:
        super().__init__()
        self._title, self._summary, self._problems = title, summary, problems

    def compose(self) -> ComposeResult:
        shown = Privacy(sharing=self.sharing).text
        with Vertical(classes="dialog-box problems"):
            yield Label(Text(self._title), classes="dialog-title")
            yield Static(Text(shown(self._summary)), classes="dialog-message")
            with VerticalScroll(classes="problem-list"):
                for problem in self._problems:
                    yield Static(Text(shown(f"• {problem}")))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="close", variant="primary")

    @on(Button.Pressed)
    def _close(self) -> None:
        self.dismiss(None)


class PathDialog(Dialog[Path]):
    """Ask for a file path. ``must_exist`` for opening; otherwise its folder must exist."""

    def __init__(
        self,
        title: str,
        initial: str = "",
        *,
        must_exist: bool = False,
        action: str = "OK",
        recent: list[Path] | None = None,
    ) -> None:
        super().__init__()
        self._title, self._initial, self._must_exist, self._action = title, initial, must_exist, action
        self._recent = recent or []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self._title), classes="dialog-title")
            yield Input(self._initial, placeholder="path/to/file.toml", id="path", classes=PRIVATE)
            yield Label("", id="path-error", classes="field-error")
            if self._recent:
                yield Label("Recent (↓ to choose):", classes="muted")
                yield OptionList(*(Option(Text(str(p)), id=str(p)) for p in self._recent), id="recent")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._action, id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        error = self._problem(raw)
        self.query_one("#path-error", Label).update(Text(error))
        if not error:
            self.dismiss(Path(raw).expanduser())

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#recent")
    def _recent_chosen(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#path", Input).value = str(event.option.id)
        self._submit()

    def on_key(self, event) -> None:
        # Down from the path field goes to the recent list, as the label says.
        if event.key == "down" and self._recent and self.focused is self.query_one("#path", Input):
            self.query_one("#recent", OptionList).focus()
            event.stop()

    def _problem(self, raw: str) -> str:
        if not raw:
            return "Enter a file path."
        path = Path(raw).expanduser()
        if self._must_exist and not path.is_file():
            return "No such file."
        if not self._must_exist and not path.parent.is_dir():
            return "No such folder." if self.sharing else f"No such folder: {path.parent}"
        if path.is_dir():
            return "That is a folder; add a file name."
        return ""
