"""The trd-tui application: one open document, its assessment, files and global keys.

The app holds the :class:`~trd_tui.document.Document` and republishes its
assessment (``assessment``) and file state (``file_state``) as reactives;
panes watch them and redraw. Every edit comes through :meth:`TrdApp.edit`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import attrs
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import var
from textual.screen import Screen

from trd_tui.clinical.assess import Assessment, assess
from trd_tui.content import Content
from trd_tui.document import Document
from trd_tui.model import Session
from trd_tui.sessionfile import SaveError, SessionFileError, write_private
from trd_tui.ui.screens.main import PANES, MainScreen
from trd_tui.ui.widgets.dialogs import ChoiceDialog, PathDialog, ProblemsDialog


@attrs.frozen
class FileState:
    title: str  # file name or "untitled"; never patient data
    dirty: bool


class TrdApp(App[None]):
    """The consultation app."""

    CSS_PATH = "app.tcss"
    # A mode rather than get_default_screen(): Textual 8.2 loads a screen's CSS_PATH
    # only for screens it installs itself.
    MODES = {"main": MainScreen}
    DEFAULT_MODE = "main"
    TITLE = "trd-tui"  # constant: the terminal title never carries patient data
    BINDINGS = [
        *(
            Binding(str(i), f"show_pane('{pane}')", name, id=f"pane.{pane}", tooltip=f"Show the {name} pane")
            for i, (pane, name) in enumerate(PANES.items(), start=1)
        ),
        Binding("f1", "help", "Help", id="app.help", tooltip="Keys, and the rules the app applies"),
        Binding("f2", "edit_patient", "Patient", id="app.patient", tooltip="Edit patient, episode and visit"),
        Binding("ctrl+s", "save", "Save", id="app.save", tooltip="Save the session"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo", show=False, tooltip="Undo the last edit"),
        Binding("ctrl+o", "open", "Open", id="app.open", show=False),
        Binding("ctrl+n", "new", "New", id="app.new", show=False),
    ]

    assessment: var[Assessment] = var(None, init=False)  # type: ignore[arg-type]
    file_state: var[FileState] = var(FileState("untitled", False), init=False)

    def __init__(
        self,
        document: Document,
        content: Content,
        *,
        today: dt.date | None = None,
        startup_problem: SessionFileError | None = None,
    ) -> None:
        super().__init__()
        self.content = content
        self.today = today or dt.date.today()
        self.document = document
        self._startup_problem = startup_problem
        self.set_reactive(TrdApp.assessment, assess(document.session, content))
        self.set_reactive(TrdApp.file_state, FileState(document.title, document.dirty))

    def on_mount(self) -> None:
        if self._startup_problem is not None:
            exc = self._startup_problem
            self.push_screen(ProblemsDialog("Could not open the session file", exc.summary, exc.problems))

    # -- the document -------------------------------------------------------

    def edit(self, session: Session, label: str) -> None:
        """Apply an edit; the assessment and every pane follow."""
        self.document.apply(session, label)
        self._refresh_state()

    def _refresh_state(self) -> None:
        self.assessment = assess(self.document.session, self.content)
        self.file_state = FileState(self.document.title, self.document.dirty)

    def _set_document(self, document: Document) -> None:
        self.document = document
        self._refresh_state()
        if document.warnings:
            self.notify(f"{len(document.warnings)} warning(s) while opening; 'trd-tui check' lists them")

    def action_undo(self) -> None:
        label = self.document.undo()
        if label is None:
            self.notify("Nothing to undo")
            return
        self._refresh_state()
        self.notify(f"Undone: {label}")

    def action_show_pane(self, pane: str) -> None:
        self.screen.show_pane(pane)  # type: ignore[attr-defined]

    # -- files --------------------------------------------------------------

    @work(exclusive=True, group="files")
    async def action_save(self) -> None:
        await self._save(self.document.path)

    @work(exclusive=True, group="files")
    async def action_save_as(self) -> None:
        await self._save(None)

    async def _save(self, path: Path | None) -> bool:
        """Save, asking for a path when there is none; True when saved."""
        if path is None:
            path = await self._ask_new_path("Save session as", "Save")
            if path is None:
                return False
        elif self.document.changed_on_disk(path):
            choice = await self.push_screen_wait(
                ChoiceDialog(
                    "Changed on disk",
                    f"{path.name} was changed by another program since it was opened here. "
                    "Overwrite it with this session, or save this session to a new file?",
                    [("save-as", "Save as…"), ("overwrite", "Overwrite"), ("cancel", "Cancel")],
                )
            )
            if choice == "save-as":
                return await self._save(None)
            if choice != "overwrite":
                return False
        try:
            saved = self.document.save(path)
        except SaveError as exc:
            self.notify(f"{exc}. Your changes are still here.", title="Not saved", severity="error", timeout=10)
            return False
        self._refresh_state()
        self.notify(f"Saved {saved.name}")
        return True

    async def _ask_new_path(self, title: str, action: str, suggestion: str = "") -> Path | None:
        path = await self.push_screen_wait(PathDialog(title, suggestion, action=action))
        if path is None or not path.exists() or path == self.document.path:
            return path
        choice = await self.push_screen_wait(
            ChoiceDialog("Replace file?", f"{path.name} already exists. Replace it?", [("replace", "Replace"), ("cancel", "Cancel")])
        )
        return path if choice == "replace" else None

    async def _settle_changes(self, doing: str) -> bool:
        """With unsaved changes, ask Save / Discard / Cancel; True to go on."""
        if not self.document.dirty:
            return True
        choice = await self.push_screen_wait(
            ChoiceDialog(
                "Unsaved changes",
                f"This session has unsaved changes. Save them before you {doing}?",
                [("save", "Save"), ("discard", "Discard"), ("cancel", "Cancel")],
            )
        )
        if choice == "save":
            return await self._save(self.document.path)
        return choice == "discard"

    @work(exclusive=True, group="files")
    async def action_quit(self) -> None:
        if await self._settle_changes("quit"):
            self.exit()

    @work(exclusive=True, group="files")
    async def action_open(self) -> None:
        if not await self._settle_changes("open another session"):
            return
        path = await self.push_screen_wait(PathDialog("Open session", must_exist=True, action="Open"))
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Open a session file, or show why it cannot be opened (the current one stays)."""
        try:
            document = Document.open(path, self.content)
        except SessionFileError as exc:
            self.push_screen(ProblemsDialog(f"Could not open {path.name}", exc.summary, exc.problems))
            return False
        self._set_document(document)
        self.notify(f"Opened {path.name}")
        return True

    @work(exclusive=True, group="files")
    async def action_new(self) -> None:
        if await self._settle_changes("start a new session"):
            self._set_document(Document.new(self.today))

    @work(exclusive=True, group="files")
    async def action_export_summary(self) -> None:
        from trd_tui.summary import to_markdown

        path = await self._ask_new_path("Export summary (Markdown) to", "Export", "summary.md")
        if path is None:
            return
        try:
            write_private(path, to_markdown(self.assessment, self.content).encode("utf-8"))
        except SaveError as exc:
            self.notify(str(exc), title="Not exported", severity="error")
            return
        self.notify(f"Summary exported to {path.name}")

    # -- modals -------------------------------------------------------------

    def action_help(self) -> None:
        from trd_tui.ui.widgets.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_edit_patient(self) -> None:
        from trd_tui.ui.widgets.patient_form import PatientForm

        def done(session: Session | None) -> None:
            if session is not None:
                self.edit(session, "edit patient and episode")

        self.push_screen(PatientForm(self.document.session), done)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("New session", "Start a blank session", self.action_new)
        yield SystemCommand("Open session…", "Open a session file", self.action_open)
        yield SystemCommand("Save", "Save the session (ctrl+s)", self.action_save)
        yield SystemCommand("Save as…", "Save the session to a new file", self.action_save_as)
        yield SystemCommand("Export summary…", "Write the summary as Markdown", self.action_export_summary)
        yield SystemCommand("Undo", "Undo the last edit (ctrl+z)", self.action_undo)
        yield SystemCommand("Patient and episode…", "Edit patient, episode and visit (F2)", self.action_edit_patient)
        yield SystemCommand("Help", "Keys and the rules the app applies (F1)", self.action_help)
        for i, (pane, name) in enumerate(PANES.items(), start=1):
            yield SystemCommand(f"Show {name}", f"Switch to the {name} pane ({i})", lambda p=pane: self.action_show_pane(p))
