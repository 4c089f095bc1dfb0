"""The trd-tui application: one open document, its assessment and global keys.

The app holds the :class:`~trd_tui.document.Document` and republishes its
assessment (``assessment``) and file state (``file_state``) as reactives;
panes watch them and redraw. Every edit comes through :meth:`TrdApp.edit`.
Its other concerns are mixins beside it: ``files`` (the file dialogs),
``preferences`` (theme, spacing, region), ``commands`` (the command palette)
and ``gc_tuning`` (garbage collection around the app's life).
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import Reactive, var
from textual.screen import Screen
from textual.timer import Timer

from trd_tui.clinical.assess import Assessment, assess
from trd_tui.pack.records import Content
from trd_tui.document import Document
from trd_tui.model import Session
from trd_tui.privacy import SHOWN, Privacy
from trd_tui.storage.atomic import SaveError
from trd_tui.storage.config import DEFAULT_THEME, Config
from trd_tui.storage.sessionfile import SessionFileError
from trd_tui.tomlconv import Problem
from trd_tui.ui.commands import PaletteCommands
from trd_tui.ui.files import FileDialogs
from trd_tui.ui.gc_tuning import LongLivedObjects
from trd_tui.ui.host import FileState
from trd_tui.ui.internals.crash import KeepsWorkOnCrash
from trd_tui.ui.internals.visible_controls import VISIBLE_CONTROLS
from trd_tui.ui.panes.pane import PANES
from trd_tui.ui.preferences import HIGH_CONTRAST, Preferences
from trd_tui.ui.screens.main import MainScreen
from trd_tui.ui.widgets.key_bar import BarHint
from trd_tui.ui.dialogs.dialogs import ChoiceDialog
from trd_tui.ui.dialogs.form import FormDialog, open_form

if TYPE_CHECKING:
    from textual.filter import LineFilter

RECOVERY_DEBOUNCE = 2.0  # seconds of quiet after an edit before writing a recovery copy


class TrdApp(KeepsWorkOnCrash, FileDialogs, Preferences, PaletteCommands, LongLivedObjects, App[None]):
    """The consultation app."""

    # The main screen's stylesheet is read with the app's, not as the screen's CSS_PATH: a
    # screen's own file is read only for screens Textual installs itself (a mode), and a
    # mode's screen parses the whole stylesheet twice more before the first frame.
    CSS_PATH = ["app.tcss", "screens/main.tcss"]
    # The preferences' default theme from the start: setting another one in on_mount
    # re-parses the whole stylesheet and restyles every widget before the first frame.
    theme: Reactive[str] = Reactive(DEFAULT_THEME)
    TITLE = "trd-tui"  # constant: the terminal title never carries patient data
    BINDINGS = [
        *(
            # Not in the footer: the tabs show them, and the footer's room goes to the pane's keys.
            Binding(p.key, f"show_pane('{p.id}')", p.title, id=f"pane.{p.id}", tooltip=f"Show the {p.title} pane", show=False)
            for p in PANES
        ),
        Binding("f1", "help", "Help", id="app.help", tooltip="Keys, and the rules the app applies"),
        Binding("f2", "edit_patient", "Patient & visit", id="app.patient", tooltip="Edit patient, episode, clinician and visit date"),
        Binding(
            "f3",
            "toggle_sharing",
            "Share",
            id="app.share",
            tooltip="Sharing mode: hide identifiers and notes, show dates relative to onset (F3 again asks before showing them)",
        ),
        Binding("f4", "patient_view", "Patient view", id="app.patient_view",
                tooltip="The options under discussion in plain words, and a side-by-side comparison"),
        Binding("ctrl+s", "save", "Save", id="app.save", tooltip="Save the session"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo", show=False, tooltip="Undo the last edit"),
        Binding("ctrl+o", "open", "Open", id="app.open", show=False),
        Binding("ctrl+n", "new", "New", id="app.new", show=False),
    ]
    # F2, F3 and F4 stay in the key bar on every pane; when it is narrow, the pane's own keys give
    # way before them, and save and help (keys everyone knows, also in the palette) first of all.
    KEY_BAR_HINTS = {
        "app.patient": BarHint("Visit", drop=0),
        "app.share": BarHint(drop=0),
        "app.patient_view": BarHint("Pt view", drop=0),
        "app.help": BarHint(drop=2),
        "app.save": BarHint(drop=3),
    }

    assessment: var[Assessment] = var(None, init=False)  # type: ignore[arg-type]
    file_state: var[FileState] = var(FileState("untitled", False), init=False)
    privacy: var[Privacy] = var(SHOWN, init=False)

    def __init__(
        self,
        document: Document,
        content: Content,
        *,
        today: dt.date | None = None,
        startup_problem: SessionFileError | None = None,
        autosave_seconds: float = 30.0,
        offer_recovery: bool = True,
        config: Config | None = None,
        config_path: Path | None = None,
        config_problems: list[Problem] | None = None,
        sharing: bool = False,
    ) -> None:
        super().__init__()
        self.config = config or Config()
        self._config_path = config_path
        self._config_problems = config_problems or []
        self.register_theme(HIGH_CONTRAST)
        self.animation_level = "full" if self.config.animations else "none"
        self.content = content
        self.today = today or dt.date.today()
        self.document = document
        self.autosave_seconds = autosave_seconds
        self._startup_problem = startup_problem
        self._offer_recovery = offer_recovery
        self._recovery_timer: Timer | None = None
        self._quit_asked = False  # ended through action_quit, which settled unsaved changes
        self._last_recovery_write = -float("inf")
        self.set_reactive(TrdApp.assessment, assess(document.session, content, region=self.config.region))
        self.set_reactive(TrdApp.privacy, Privacy.for_session(document.session, sharing))
        self.set_reactive(TrdApp.file_state, self._file_state())

    def get_line_filters(self) -> list[LineFilter]:
        """Textual's filters, then the guard that no control character reaches the terminal raw."""
        return [*super().get_line_filters(), VISIBLE_CONTROLS]

    def get_default_screen(self) -> Screen:
        return MainScreen()

    def on_mount(self) -> None:
        self._apply_config()
        self._start()
        self.call_after_refresh(self.set_aside_long_lived_objects)
        if self._collect_after_start:
            self.set_timer(1.0, lambda: self._collect_after_start and self.set_aside_long_lived_objects())

    # -- the document -------------------------------------------------------

    def edit(self, session: Session, label: str) -> None:
        """Apply an edit; the assessment and every pane follow. An edit that changes nothing
        (a status set to the one it had) is not one: nothing to assess, redraw or write aside."""
        before = self.document.session
        self.document.apply(session, label)
        if self.document.session is before:
            return
        self._refresh_state()
        self._schedule_recovery()

    def _schedule_recovery(self) -> None:
        """Write unsaved work aside a moment after edits, and at most every autosave_seconds."""
        if self._recovery_timer is not None:
            self._recovery_timer.stop()
        due = max(RECOVERY_DEBOUNCE, self._last_recovery_write + self.autosave_seconds - time.monotonic())
        self._recovery_timer = self.set_timer(due, self._write_recovery)

    def _write_recovery(self) -> None:
        if not self.document.dirty:
            return
        try:
            self.document.write_recovery()
        except SaveError as exc:
            self.notify(f"Recovery copy not written: {exc}", severity="warning")
        self._last_recovery_write = time.monotonic()

    def _refresh_state(self) -> None:
        self.privacy = Privacy.for_session(self.document.session, self.privacy.sharing)
        self.assessment = assess(self.document.session, self.content, region=self.config.region)
        self.file_state = self._file_state()

    def _file_state(self) -> FileState:
        document = self.document
        return FileState("" if self.privacy.sharing else document.title, document.dirty, document.read_only)

    def action_undo(self) -> None:
        label = self.document.undo()
        if label is None:
            self.notify("Nothing to undo")
            return
        self._refresh_state()
        self._schedule_recovery()
        self.notify(f"Undone: {label}", markup=False)

    async def action_show_pane(self, pane: str) -> None:
        await self.screen.show_pane(pane)  # type: ignore[attr-defined]

    # -- unsaved work when the app ends ----------------------------------------

    def keep_work_after_crash(self) -> str:
        """Before an unexpected error ends the app: unsaved work into the recovery copy, first."""
        if not self.document.dirty:
            return "There were no unsaved changes."
        try:
            self.document.write_recovery()
        except Exception:  # something is broken already: say so rather than raise again
            return "Your unsaved changes could not be written to a recovery copy."
        return "Your unsaved changes were written to a recovery copy; trd-tui offers them back when it starts again."

    def on_unmount(self) -> None:
        """Ended without asking (a closed browser tab, SIGTERM): keep unsaved work as a recovery copy.

        The debounced copy may be up to RECOVERY_DEBOUNCE seconds behind; this one is not.
        Also lets go of what start-up set aside from garbage collection.
        """
        self._let_go_of_long_lived_objects()  # what this app set aside can be collected again
        if self._quit_asked:
            return
        if self.document.dirty:
            self._write_recovery()
        self.document.release()

    # -- sharing the screen -------------------------------------------------

    @work(exclusive=True, group="sharing")
    async def action_toggle_sharing(self) -> None:
        """On at once; off only when confirmed, so a stray key cannot reveal identifiers."""
        if not self.privacy.sharing:
            self._set_sharing(True)
            self.notify("Identifiers, notes and file names are hidden; dates count from onset. F3 to stop.", title="Sharing mode on")
            return
        choice = await self.push_screen_wait(
            ChoiceDialog(
                "Stop sharing mode?",
                "The record id, birth year, notes, file names and full dates will show on screen. "
                "Stop only when the patient can no longer see this screen.",
                [("keep", "Keep sharing"), ("stop", "Stop sharing")],
            )
        )
        if choice == "stop":
            self._set_sharing(False)
            self.notify("Sharing mode off: everything recorded is shown")

    def _set_sharing(self, sharing: bool) -> None:
        self.privacy = Privacy.for_session(self.document.session, sharing)
        self.file_state = self._file_state()

    # -- modals -------------------------------------------------------------

    def action_help(self) -> None:
        from trd_tui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_patient_view(self) -> None:
        from trd_tui.ui.screens.patient_view import PatientView

        if not isinstance(self.screen, PatientView):
            self.push_screen(PatientView())

    def action_edit_patient(self) -> None:
        from trd_tui.ui.dialogs.patient_form import PatientForm

        def done(session: Session) -> None:
            self.edit(session, "edit patient and episode")

        open_form(self, PatientForm(self.document.session), done)

    def on_form_dialog_save_requested(self, _: FormDialog.SaveRequested) -> None:
        """ctrl+s in a form: the form's result is applied; now save the file."""
        self.action_save()
